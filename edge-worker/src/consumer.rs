//! The queue consumer: maps recorded events (through the core) into booked entries and outbox
//! rows, and delivers outbox rows to their targets. Messages carry ids only; D1 holds the rest,
//! so a redelivered message finds the work done and is acknowledged.

use crate::bigcommerce::{self, Fetched};
use crate::config::{Settings, Target};
use crate::erasure;
use crate::sinks::{self, Outcome};
use crate::store::{now_ms, Db, EventRow, OutboxRow};
use ledgerbridge_core::journal::plan::{logical_key, plan};
use ledgerbridge_core::{map, Entry, Platform};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use worker::{Env, Message, MessageBatch, MessageExt, QueueRetryOptionsBuilder, Result};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "job", rename_all = "lowercase")]
pub enum Job {
    /// Map a recorded event.
    Event { id: i64 },
    /// Deliver a booked entry to one target.
    Post { entry: String, target: String },
}

/// The longest delay asked of Cloudflare Queues for a retried message: half the documented 24 h
/// maximum, so a change of that limit cannot turn a deferral into an error.
const MAX_QUEUE_DELAY_S: u32 = 43_200;

/// Enqueues mapping jobs for `events` and delivery jobs for `postings` (entry id, target).
pub async fn enqueue(env: &Env, events: &[i64], postings: &[(String, String)]) -> Result<()> {
    let queue = env.queue("POSTINGS")?;
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

enum Next {
    Ack,
    RetryIn(u32),
}

pub async fn run(batch: MessageBatch<Job>, env: &Env) -> Result<()> {
    let settings = Settings::from_env(env).map_err(worker::Error::RustError)?;
    let db = Db::new(env)?;
    for message in batch.messages()? {
        match handle(&message, env, &settings, &db).await {
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
                worker::console_error!("{:?}: {e}", message.body());
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

async fn handle(message: &Message<Job>, env: &Env, settings: &Settings, db: &Db) -> Result<Next> {
    match message.body() {
        Job::Event { id } => map_event(*id, env, settings, db).await,
        Job::Post { entry, target } => post(entry, target, env, settings, db).await,
    }
}

// ---------------------------------------------------------------- mapping

async fn map_event(id: i64, env: &Env, settings: &Settings, db: &Db) -> Result<Next> {
    let now = now_ms();
    let Some(event) = db.event(id).await? else {
        return Ok(Next::Ack);
    };
    if event.status != "received" && event.status != "waiting-for-order" {
        return Ok(Next::Ack);
    }
    if event.resource == "redact" {
        let n = erasure::run(
            db,
            &event.platform,
            &event.shop,
            &event.topic,
            &event.payload,
        )
        .await?;
        db.set_event_status(
            id,
            "mapped",
            Some(&format!("{n} stored payloads redacted")),
            now,
        )
        .await?;
        return Ok(Next::Ack);
    }
    let park = |why: String| async move {
        db.set_event_status(id, "parked", Some(&why), now)
            .await
            .map(|()| Next::Ack)
    };
    let Ok(platform) = event.platform.parse::<Platform>() else {
        return park(format!(
            "no {} adapter in this build of the core",
            event.platform
        ))
        .await;
    };
    if event.resource == "refund" {
        if let Some(key) = event.order_key() {
            if !db.order_seen(&key).await? {
                db.set_event_status(id, "waiting-for-order", Some(&key), now)
                    .await?;
                return Ok(Next::Ack);
            }
        }
    }
    let shop_config = settings.shop(&event.shop);
    let mut event = event;
    if platform == Platform::BigCommerce && bigcommerce::is_webhook(&event.payload) {
        let order_id = event.order_id.clone().unwrap_or_default();
        match bigcommerce::fetch_order(env, settings, &shop_config, &event.shop, &order_id).await {
            Fetched::Order(order) => {
                db.set_event_payload(id, &order).await?;
                event.payload = order;
            }
            Fetched::Retry { reason, after_s } => {
                db.set_event_status(id, "received", Some(&reason), now)
                    .await?;
                return Ok(Next::RetryIn(after_s));
            }
            Fetched::Park(why) => return park(why).await,
        }
    }
    let config = match shop_config.mapping(&event.shop) {
        Ok(c) => c,
        Err(e) => return park(e).await,
    };
    let mapped = match map(platform, event.payload.as_bytes(), &config) {
        Ok(m) => m,
        Err(e) => return park(format!("{e} [{} at {}]", e.code(), e.path())).await,
    };
    let keys: BTreeSet<String> = mapped
        .entries
        .iter()
        .map(|e| &e.source)
        .chain(mapped.unbooked.iter().map(|u| &u.source))
        .map(logical_key)
        .collect();
    let ids: Vec<&str> = mapped.entries.iter().map(|e| e.id.as_str()).collect();
    let heads = db.heads(&keys).await?;
    let existing = db.existing_ids(&ids).await?;
    let unbooked = mapped
        .unbooked
        .into_iter()
        .map(|u| (u.source, u.date))
        .collect();
    let plan = plan(mapped.entries, unbooked, &heads, &existing);
    let targets = shop_config.all_targets();
    let names: Vec<&str> = targets.iter().map(Target::as_str).collect();
    let note = (!plan.skipped.is_empty()).then(|| {
        plan.skipped
            .iter()
            .map(|(id, why)| format!("{why}: {id}"))
            .collect::<Vec<_>>()
            .join("; ")
    });
    db.commit(&event, &plan, &names, note.as_deref(), now)
        .await?;

    let queue = env.queue("POSTINGS")?;
    let mut jobs: Vec<Job> = Vec::new();
    for entry in &plan.book {
        for t in targets.iter().filter(|t| **t != Target::D1) {
            jobs.push(Job::Post {
                entry: entry.id.clone(),
                target: t.as_str().to_string(),
            });
        }
    }
    if let (Some(order_id), "order") = (event.order_id.as_deref(), event.resource.as_str()) {
        for waiting in db
            .release_waiting(&event.platform, &event.shop, order_id, now)
            .await?
        {
            jobs.push(Job::Event { id: waiting });
        }
    }
    // A failed send leaves pending rows and received events behind: the sweeper's job.
    for job in jobs {
        if let Err(e) = queue.send(&job).await {
            worker::console_warn!("enqueue {job:?}: {e}");
        }
    }
    log_mapped(&event, plan.book.len());
    Ok(Next::Ack)
}

fn log_mapped(event: &EventRow, booked: usize) {
    // Ids and counts only: payloads may carry personal data.
    worker::console_log!(
        "event {} {} {} {}: {booked} entries booked",
        event.id,
        event.platform,
        event.shop,
        event.topic
    );
}

// ---------------------------------------------------------------- delivery

async fn post(
    entry_id: &str,
    target: &str,
    env: &Env,
    settings: &Settings,
    db: &Db,
) -> Result<Next> {
    let now = now_ms();
    let Some(row) = db.outbox_row(entry_id, target).await? else {
        return Ok(Next::Ack);
    };
    if row.state != "pending" {
        return Ok(Next::Ack);
    }
    if row.next_attempt_at > now {
        let wait = (row.next_attempt_at - now + 999) / 1000;
        return Ok(Next::RetryIn(
            wait.clamp(1, i64::from(MAX_QUEUE_DELAY_S)) as u32
        ));
    }
    let Some(target_kind) = Target::parse(target) else {
        return park(
            db,
            env,
            &row,
            row.attempts,
            format!("unknown target {target:?}"),
            now,
        )
        .await;
    };
    let Some(json) = db.entry_json(entry_id).await? else {
        return park(
            db,
            env,
            &row,
            row.attempts,
            "entry missing from the ledger".into(),
            now,
        )
        .await;
    };
    let entry: Entry = match serde_json::from_str(&json) {
        Ok(e) => e,
        Err(e) => {
            return park(
                db,
                env,
                &row,
                row.attempts,
                format!("stored entry unreadable: {e}"),
                now,
            )
            .await
        }
    };
    let shop_config = settings.shop(&row.shop);
    let ctx = sinks::Ctx {
        env,
        db,
        settings,
        shop: &row.shop,
        shop_config: &shop_config,
        attempts: row.attempts,
    };
    let outcome = sinks::deliver(&ctx, target_kind, &entry, &json).await;
    let now = now_ms();
    match outcome {
        Outcome::Delivered(reference) => {
            db.mark_posted(&row, &reference, now).await?;
            worker::console_log!("posted {entry_id} to {target}: {reference}");
            Ok(Next::Ack)
        }
        Outcome::Defer { reason, after_s } => {
            db.mark_retry(
                &row,
                row.attempts,
                now + i64::from(after_s) * 1000,
                &reason,
                now,
            )
            .await?;
            Ok(Next::RetryIn(after_s))
        }
        Outcome::Retry { reason, after_s } => {
            let attempts = row.attempts + 1;
            if attempts >= i64::from(settings.retry_limit) {
                return park(
                    db,
                    env,
                    &row,
                    attempts,
                    format!("gave up after {attempts} attempts: {reason}"),
                    now,
                )
                .await;
            }
            db.mark_retry(
                &row,
                attempts,
                now + i64::from(after_s) * 1000,
                &reason,
                now,
            )
            .await?;
            Ok(Next::RetryIn(after_s))
        }
        Outcome::Park(reason) => park(db, env, &row, row.attempts + 1, reason, now).await,
    }
}

/// Parks the row with its reason and hands the job to the dead-letter queue; the message itself
/// is acknowledged so the rest of the shop's postings keep flowing.
async fn park(
    db: &Db,
    env: &Env,
    row: &OutboxRow,
    attempts: i64,
    reason: String,
    now: i64,
) -> Result<Next> {
    db.mark_parked(row, attempts, &reason, now).await?;
    worker::console_warn!("parked {} for {}: {reason}", row.entry_id, row.target);
    let dead = Job::Post {
        entry: row.entry_id.clone(),
        target: row.target.clone(),
    };
    if let Err(e) = env.queue("DEAD_LETTERS")?.send(&dead).await {
        worker::console_warn!("dead-letter send failed: {e}");
    }
    Ok(Next::Ack)
}
