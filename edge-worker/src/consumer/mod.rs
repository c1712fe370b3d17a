//! The queue consumer: [`mapping`] turns recorded events (through the core) into booked entries
//! and outbox rows; [`delivery`] posts outbox rows to their targets. This file only dispatches a
//! batch's jobs and answers the queue for each.

mod delivery;
mod documents;
pub(crate) mod mapping;

use crate::config::Settings;
use crate::queue::{Job, MAX_QUEUE_DELAY_S};
use crate::store::Db;
use worker::{Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder, Result};

/// What the queue is told about one job once its work is done or deferred.
enum Next {
    Ack,
    RetryIn(u32),
}

pub async fn run(batch: MessageBatch<Job>, env: &Env) -> Result<()> {
    let settings = Settings::from_env(env).map_err(worker::Error::RustError)?;
    let db = Db::new(env)?;
    // Every body is read before any work, so a batch holding a body no worker sends fails as a
    // whole and comes back (as `MessageBatch::messages` did), rather than being half done.
    let mut jobs = Vec::new();
    for message in batch.raw_iter() {
        let job = Job::from_js(&message.body()).ok_or_else(|| {
            worker::Error::RustError(format!("unreadable job {:?}", message.body()))
        })?;
        jobs.push((message, job));
    }
    for (message, job) in jobs {
        match handle(&job, env, &settings, &db).await {
            Ok(Next::Ack) => message.ack(),
            // A wait beyond MAX_QUEUE_DELAY_S (a spent daily budget, a long Retry-After) comes back
            // early and is deferred again, while the outbox row keeps its real due time.
            Ok(Next::RetryIn(s)) => message.retry_with_options(
                &QueueRetryOptionsBuilder::new()
                    .with_delay_seconds(s.min(MAX_QUEUE_DELAY_S))
                    .build(),
            ),
            Err(e) => {
                // D1 or queue trouble: the message comes back; the siblings are unaffected.
                worker::console_error!("{job:?}: {e}");
                message.retry_with_options(
                    &QueueRetryOptionsBuilder::new()
                        .with_delay_seconds(5)
                        .build(),
                );
            }
        }
    }
    Ok(())
}

async fn handle(job: &Job, env: &Env, settings: &Settings, db: &Db) -> Result<Next> {
    match job {
        Job::Event { id } => mapping::map_event(*id, env, settings, db).await,
        Job::Post { entry, target } => delivery::post(entry, target, env, settings, db).await,
    }
}
