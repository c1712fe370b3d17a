//! The queue: the names of its bindings and the jobs it carries. Jobs hold ids only (D1 holds the
//! rest), so a redelivered job finds its work done and is acknowledged.

use serde::{Deserialize, Serialize};
use worker::{Env, Queue, Result};

/// The work queue (mapping and delivery jobs), as wrangler.toml binds it.
const POSTINGS: &str = "POSTINGS";
/// Where parked postings go for an operator; also the work queue's own dead-letter queue.
const DEAD_LETTERS: &str = "DEAD_LETTERS";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "job", rename_all = "lowercase")]
pub enum Job {
    /// Map a recorded event.
    Event { id: i64 },
    /// Deliver a booked entry to one target.
    Post { entry: String, target: String },
}

impl Job {
    /// A post per booked entry and per target that takes entries one at a time: D1 holds them
    /// already, and a held target (`per-payout`, `daily`) gets the summary instead.
    pub fn posts(
        entries: &[ledgerbridge_core::Entry],
        targets: &[crate::config::Target],
        held: &[&str],
    ) -> Vec<Job> {
        let takers: Vec<&str> = targets
            .iter()
            .filter(|t| **t != crate::config::Target::D1 && !held.contains(&t.as_str()))
            .map(|t| t.as_str())
            .collect();
        entries
            .iter()
            .flat_map(|entry| {
                takers.iter().map(|target| Job::Post {
                    entry: entry.id.clone(),
                    target: (*target).to_string(),
                })
            })
            .collect()
    }
}

/// The longest delay asked of Cloudflare Queues for a retried message: half the documented 24 h
/// maximum, so a change of that limit cannot turn a deferral into an error.
pub const MAX_QUEUE_DELAY_S: u32 = 43_200;

pub fn work(env: &Env) -> Result<Queue> {
    env.queue(POSTINGS)
}

pub fn dead_letters(env: &Env) -> Result<Queue> {
    env.queue(DEAD_LETTERS)
}

/// Enqueues mapping jobs for `events` and delivery jobs for `postings` (entry id, target).
pub async fn enqueue(env: &Env, events: &[i64], postings: &[(String, String)]) -> Result<()> {
    let queue = work(env)?;
    for id in events {
        queue.send(Job::Event { id: *id }).await?;
    }
    for (entry, target) in postings {
        queue
            .send(Job::Post {
                entry: entry.clone(),
                target: target.clone(),
            })
            .await?;
    }
    Ok(())
}
