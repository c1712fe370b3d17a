//! The outbox relay (Cron): `Queue.send` is not transactional with D1, so anything recorded but
//! never enqueued, or whose message was lost, is found here and enqueued again. Work that is
//! already done is acknowledged by the consumer without effect.

use crate::config::Settings;
use crate::store::{now_ms, Db};
use crate::{payouts, posting, privacy, queue, reconcile};
use worker::{Env, Result};

pub async fn run(env: &Env) -> Result<(usize, usize)> {
    let settings = Settings::from_env(env).map_err(worker::Error::RustError)?;
    let db = Db::new(env)?;
    let now = now_ms();
    let before = now - settings.sweep_after_s * 1000;
    let events = db.sweep_events(before, now).await?;
    let rows = db.sweep_outbox(before, now).await?;
    queue::enqueue(env, &events, &rows).await?;
    posting::sweep(env, &settings, &db, now).await;
    db.prune_budgets(now).await?;
    db.prune_intake(now).await?;
    db.prune_authorizations(now).await?;
    privacy::sweep(&db, &settings, now).await?;
    let pulled = reconcile::run(env, &settings, &db, now).await?
        + payouts::run(env, &settings, &db, now).await?;
    if pulled > 0 {
        worker::console_log!("reconciliation pull recorded {pulled} events");
    }
    if !events.is_empty() || !rows.is_empty() {
        worker::console_log!(
            "sweeper re-enqueued {} events and {} postings",
            events.len(),
            rows.len()
        );
    }
    Ok((events.len(), rows.len()))
}
