//! Delivering one booked entry to one target through its sink, and what the outbox row becomes:
//! posted, retried with backoff, deferred, or parked with its reason (and a dead letter).

use super::Next;
use crate::config::{Settings, Target};
use crate::queue::{self, Job, MAX_QUEUE_DELAY_S};
use crate::sinks::{self, Outcome};
use crate::store::{now_ms, Db, OutboxRow, PostingState};
use ledgerbridge_core::journal::entry_from_json;
use ledgerbridge_core::Entry;
use worker::{Env, Result};

pub(super) async fn post(
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
    if row.state != PostingState::Pending {
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
    let shop_config = settings.shop(&row.shop);
    let ctx = sinks::Ctx {
        env,
        db,
        settings,
        shop: &row.shop,
        shop_config: &shop_config,
        attempts: row.attempts,
    };
    // A sales document (document mode) is posted under its own id, like an entry.
    let outcome = match db.document_posts(entry_id, target).await? {
        Some(posts) => sinks::documents::deliver(&ctx, target_kind, &posts).await,
        None => match entry_outcome(entry_id, target, target_kind, &ctx).await? {
            Ok(outcome) => outcome,
            Err(why) => return park(db, env, &row, row.attempts, why, now).await,
        },
    };
    settle(db, env, settings, &row, outcome).await
}

/// The delivery of a booked entry (or summary) to its target; `Err` with a reason to park it
/// when it cannot be read.
async fn entry_outcome(
    entry_id: &str,
    target: &str,
    target_kind: Target,
    ctx: &sinks::Ctx<'_>,
) -> Result<std::result::Result<Outcome, String>> {
    let Some(json) = ctx.db.posting_json(entry_id, target).await? else {
        return Ok(Err("entry missing from the ledger".into()));
    };
    let entry: Entry = match entry_from_json(&json) {
        Ok(e) => e,
        Err(e) => return Ok(Err(format!("stored entry unreadable: {e}"))),
    };
    Ok(Ok(sinks::deliver(ctx, target_kind, &entry, &json).await))
}

/// What the outbox row becomes after an attempt's outcome.
async fn settle(
    db: &Db,
    env: &Env,
    settings: &Settings,
    row: &OutboxRow,
    outcome: Outcome,
) -> Result<Next> {
    let entry_id = row.entry_id.as_str();
    let target = row.target.as_str();
    let now = now_ms();
    match outcome {
        Outcome::Delivered(reference) => {
            db.mark_posted(row, &reference, now).await?;
            // A posted document's bodies (its customer's name, email, address) are at the target
            // now; the copy here goes (docs/privacy.md). A no-op for entries.
            db.forget_document_posts(entry_id, target).await?;
            worker::console_log!("posted {entry_id} to {target}: {reference}");
            Ok(Next::Ack)
        }
        Outcome::Defer { reason, after_s } => {
            db.mark_retry(
                row,
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
                    row,
                    attempts,
                    format!("gave up after {attempts} attempts: {reason}"),
                    now,
                )
                .await;
            }
            db.mark_retry(row, attempts, now + i64::from(after_s) * 1000, &reason, now)
                .await?;
            Ok(Next::RetryIn(after_s))
        }
        Outcome::Park(reason) => park(db, env, row, row.attempts + 1, reason, now).await,
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
    if let Err(e) = queue::send(&queue::dead_letters(env)?, &dead).await {
        worker::console_warn!("dead-letter send failed: {e}");
    }
    Ok(Next::Ack)
}
