//! Mapping a recorded event: the core maps its payload and plans what to book against the ledger's
//! heads; the plan is committed in one D1 batch and its postings are enqueued.

use super::Next;
use crate::bigcommerce::{self, Fetched};
use crate::config::{Settings, Target};
use crate::erasure;
use crate::fetch::{self, Prepared};
use crate::posting;
use crate::queue::{self, Job};
use crate::store::{now_ms, Db, EventRow, EventStatus};
use ledgerbridge_core::journal::plan::{logical_key, plan, Plan};
use ledgerbridge_core::{map, Mapped, Platform};
use std::collections::BTreeSet;
use worker::{Env, Result};

pub(super) async fn map_event(id: i64, env: &Env, settings: &Settings, db: &Db) -> Result<Next> {
    let now = now_ms();
    let Some(event) = db.event(id).await? else {
        return Ok(Next::Ack);
    };
    if !event.status.is_open() {
        return Ok(Next::Ack);
    }
    if event.resource == "redact" {
        let erased = erasure::run(
            db,
            &event.platform,
            &event.shop,
            &event.topic,
            &event.payload,
        )
        .await?;
        let remade = super::documents::redact(db, settings, &event.platform, &event.shop).await?;
        let note = if event.topic == crate::privacy::ERASURE_TOPIC {
            format!("after POST /api/erasure: {remade} queued documents made again")
        } else {
            format!(
                "{} stored payloads redacted, {} contacts forgotten, {remade} queued documents made again",
                erased.payloads, erased.contacts
            )
        };
        db.set_event_status(id, EventStatus::Mapped, Some(&note), now)
            .await?;
        return Ok(Next::Ack);
    }
    let park = |why: String| async move {
        db.set_event_status(id, EventStatus::Parked, Some(&why), now)
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
                db.set_event_status(id, EventStatus::WaitingForOrder, Some(&key), now)
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
                db.set_event_status(id, EventStatus::Received, Some(&reason), now)
                    .await?;
                return Ok(Next::RetryIn(after_s));
            }
            Fetched::Park(why) => return park(why).await,
        }
    }
    // Fees and payout items the webhook lacks (fetch/): never mapped without them when configured.
    let fetch_note = match fetch::prepare(env, settings, &shop_config, db, &event).await? {
        Prepared::Ready { payload, note } => {
            if let Some(p) = payload {
                db.set_event_payload(id, &p).await?;
                event.payload = p;
            }
            note
        }
        Prepared::Retry { reason, after_s } => {
            db.set_event_status(id, EventStatus::Received, Some(&reason), now)
                .await?;
            return Ok(Next::RetryIn(after_s));
        }
        Prepared::Park(why) => return park(why).await,
    };
    let (config, config_version) =
        match crate::setup::effective_mapping(db, &shop_config, &event.shop).await {
            Ok(c) => c,
            Err(e) => return park(e).await,
        };
    let mut mapped = match map(platform, event.payload.as_bytes(), &config) {
        Ok(m) => m,
        Err(e) => return park(format!("{e} [{} at {}]", e.code(), e.path())).await,
    };
    let targets = shop_config.all_targets();
    // Document mode: the sales documents, stored (with their outbox rows) before the booking
    // commits, so an event whose commit fails is mapped again and finds them made.
    let documents =
        match super::documents::make(platform, event.payload.as_bytes(), &config, &targets) {
            Ok(d) => d,
            Err(e) => return park(format!("sales documents: {e}")).await,
        };
    db.store_documents(&event.shop, event.id, &documents, now)
        .await?;
    let rejected = std::mem::take(&mut mapped.rejected);
    let plan = plan_against_ledger(db, mapped).await?;
    let names: Vec<&str> = targets.iter().map(Target::as_str).collect();
    let held = shop_config.held_targets();
    let note = plan
        .skipped
        .iter()
        .map(|(id, why)| format!("{why}: {id}"))
        .chain(fetch_note)
        .collect::<Vec<_>>()
        .join("; ");
    let note = (!note.is_empty()).then_some(note);
    let how = crate::store::Booking {
        note: note.as_deref(),
        config_version,
    };
    db.commit(&event, &plan, &names, &held, &how, now).await?;
    if !rejected.is_empty() {
        // What booked stays booked; the event parks on the parts that did not, so they are listed
        // for attention and a replay (after a fix, or a corrected version) maps them again: the
        // parts booked already are duplicates then.
        let why = rejected
            .iter()
            .map(|r| {
                format!(
                    "{} {} not booked: {} [{} at {}]",
                    r.source.kind, r.source.id, r.message, r.code, r.path
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        db.set_event_status(
            id,
            EventStatus::Parked,
            Some(&format!("partly booked: {why}")),
            now,
        )
        .await?;
    }

    let queue = queue::work(env)?;
    let mut jobs = Job::posts(&plan.book, &targets, &held);
    // Queued again for a later version of the order: the delivery acknowledges a posted row.
    jobs.extend(documents.iter().map(|d| Job::Post {
        entry: d.id.clone(),
        target: d.target.to_string(),
    }));
    if let (Some(order_id), "order") = (event.order_id.as_deref(), event.resource.as_str()) {
        for waiting in db
            .release_waiting(&event.platform, &event.shop, order_id, now)
            .await?
        {
            jobs.push(Job::Event { id: waiting });
        }
    }
    jobs.extend(posting::after_booking(settings, db, &event.shop, now).await);
    // A failed send leaves pending rows and received events behind: the sweeper's job.
    for job in jobs {
        if let Err(e) = queue::send(&queue, &job).await {
            worker::console_warn!("enqueue {job:?}: {e}");
        }
    }
    log_mapped(&event, plan.book.len());
    Ok(Next::Ack)
}

/// The core's plan for a mapped document against the D1 ledger's heads and booked ids: what the
/// consumer commits, and what the backfill's dry run reports without committing.
pub(crate) async fn plan_against_ledger(db: &Db, mapped: Mapped) -> Result<Plan> {
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
    Ok(plan(mapped.entries, unbooked, &heads, &existing))
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
