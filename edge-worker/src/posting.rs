//! Posting modes at the edge (docs/worker.md, "Posting modes"): for one shop and target, load the
//! entries held back and what the target has, ask the core (`journal::posting::due`) what to send,
//! and store that: held rows released per order, summaries stored and queued. Every decision about
//! what a summary covers and what goes per order is the core's.

use crate::config::{Settings, Target};
use crate::queue::{self, Job};
use crate::store::{stored_entries, Db, PostingState, Settled};
use ledgerbridge_core::journal::posting::{due, shop_today, PostingMode, Sent};
use ledgerbridge_core::Config;
use std::collections::BTreeSet;
use worker::{Env, Result};

/// After a booking: settles the shop's per-payout targets, so a payout summary goes out with the
/// payout that completes it. Days are the sweeper's (the cron after a day ends: the events of that
/// day mapped by then are in its summary), as is a switch back to per-order. Trouble is logged,
/// not raised: the booking is committed already and the sweeper settles what is left.
pub async fn after_booking(settings: &Settings, db: &Db, shop: &str, now: i64) -> Vec<Job> {
    let mut jobs = Vec::new();
    let config = settings.shop(shop);
    for target in config.all_targets() {
        if config.mode(target) != PostingMode::PerPayout {
            continue;
        }
        match settle(settings, db, shop, target, now).await {
            Ok(rows) => jobs.extend(
                rows.into_iter()
                    .map(|(entry, target)| Job::Post { entry, target }),
            ),
            Err(e) => worker::console_warn!("settling {shop} {}: {e}", target.as_str()),
        }
    }
    jobs
}

/// The sweeper's part: every (shop, target) with held rows (a day that ended, a switch back to
/// per-order, a run that failed). Returns how many postings it queued; trouble is logged, so the
/// rest of the sweep (pruning, the reconciliation pull) still runs.
pub async fn sweep(env: &Env, settings: &Settings, db: &Db, now: i64) -> usize {
    let pairs = match db.held_targets().await {
        Ok(p) => p,
        Err(e) => {
            worker::console_warn!("posting modes: {e}");
            return 0;
        }
    };
    let mut queued = Vec::new();
    for (shop, target) in pairs {
        let Some(target) = Target::parse(&target) else {
            continue;
        };
        match settle(settings, db, &shop, target, now).await {
            Ok(rows) => queued.extend(rows),
            Err(e) => worker::console_warn!("settling {shop} {}: {e}", target.as_str()),
        }
    }
    // A failed send leaves pending rows: the next sweep re-enqueues them.
    if let Err(e) = queue::enqueue(env, &[], &queued).await {
        worker::console_warn!("posting modes: enqueue: {e}");
    }
    queued.len()
}

/// One shop and target: what the core says is due now, stored. Returns the postings to queue.
async fn settle(
    settings: &Settings,
    db: &Db,
    shop: &str,
    target: Target,
    now: i64,
) -> Result<Vec<(String, String)>> {
    let config = settings.shop(shop);
    let mode = config.mode(target);
    let name = target.as_str();
    let rows = db
        .held_entries(shop, name, mode == PostingMode::PerPayout)
        .await?;
    let entries = stored_entries(&rows).map_err(worker::Error::RustError)?;
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    // What the target has, for the loaded entries and the originals of loaded reversals. A row
    // that is neither held nor summarized, or no row at all (booked before the target was added),
    // counts as the target's own: never sent to it again, nor summarized.
    let mut ids: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
    ids.extend(
        entries
            .iter()
            .filter_map(|e| e.id.strip_suffix(":reversal").map(str::to_string)),
    );
    let states = db.target_states(name, &ids).await?;
    let (mut per_order, mut summarized) = (BTreeSet::new(), BTreeSet::new());
    for id in ids {
        match states.get(&id) {
            Some(PostingState::Held) => {}
            Some(PostingState::Summarized) => {
                summarized.insert(id);
            }
            _ => {
                per_order.insert(id);
            }
        }
    }
    let summaries = db.summary_ids(shop, name).await?;
    let today = shop_today(now / 1000, config.timezone.as_deref())
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
    let prefix = crate::setup::effective_mapping(db, &config, shop)
        .await
        .map(|(c, _)| c.accounts.clearing_prefix)
        .unwrap_or_else(|_| Config::default().accounts.clearing_prefix);
    let sent = Sent {
        per_order: &per_order,
        summarized: &summarized,
        summaries: &summaries,
    };
    let due = due(&entries, &sent, mode, &today, &prefix)
        .map_err(|e| worker::Error::RustError(format!("{e} [{} at {}]", e.code(), e.path())))?;
    let mut queued = db.release_held(name, &due.per_order, now).await?;
    for summary in &due.summaries {
        let json = summary
            .entry
            .as_ref()
            .map(ledgerbridge_core::json::write::to_string);
        let stored = db
            .store_summary(
                shop,
                name,
                mode.as_str(),
                &summary.id,
                json.as_deref(),
                &summary.covers,
                now,
            )
            .await?;
        if stored == Settled::Stored(true) {
            queued.push((summary.id.clone(), name.to_string()));
        }
    }
    Ok(queued)
}
