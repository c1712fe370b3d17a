//! `POST /api/remap?shop=` `{from, to, dry_run?, cursor?}`: the shop's past orders (those with
//! an entry dated in [from, to], `YYYY-MM-DD`) mapped again with the saved mapping version in
//! effect. Saving a mapping never touches what is booked; this is the explicit, previewed action
//! that does, and only as the core plans it (`journal::remap`): for each booked entry the new
//! mapping books differently, a reversal of the active entry and a new entry with the id
//! `<mapped id>:remap-v<version>`, both booked and queued to the shop's targets through the
//! outbox like any entry. Applying twice books nothing more (the ids are booked already).
//! - `dry_run` (the default): what would change, per order, with each entry before and after;
//!   nothing is written
//! - `dry_run: false`: the same, booked; `booked` counts the entries written
//!
//! Work per call is bounded (`EVENTS_MAX` stored events mapped); `truncated` and `next` say
//! where to go on (`cursor`).

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use crate::backfill::day;
use crate::config::{Settings, Target};
use crate::http_error::{HttpError, HttpResult};
use crate::intake::read_capped;
use crate::queue::{self, Job};
use crate::reply::{self, Obj};
use crate::store::{now_ms, Booking, Db};
use ledgerbridge_core::journal::plan::logical_key;
use ledgerbridge_core::journal::remap::{plan_remap, remap_id};
use ledgerbridge_core::money::format_amount;
use ledgerbridge_core::{map, Entry, Platform};
use std::collections::BTreeSet;
use worker::{Env, Request, Response};

const BODY_CAP: usize = 1024;
/// Stored events mapped per call: each costs a few D1 reads (its heads, its ids) and, applied,
/// one batch, well inside Workers' limits per invocation.
const EVENTS_MAX: i64 = 100;

/// `{"from", "to", "dry_run"? (default true), "cursor"?}`, nothing else.
#[derive(Debug, PartialEq)]
struct Body {
    from: String,
    to: String,
    dry_run: bool,
    cursor: Option<String>,
}

/// Read with the core's Reader (issue #17), each refusal naming its field as serde's did.
fn read_body(text: &[u8]) -> Result<Body, ledgerbridge_core::LedgerError> {
    crate::peek::body(text, |r| {
        let (mut from, mut to, mut dry_run, mut cursor) = (None, None, true, None);
        let names = ["from", "to", "dry_run", "cursor"];
        crate::peek::fields(r, &names, &mut |r, at| {
            match at {
                0 => from = Some(r.string()?),
                1 => to = Some(r.string()?),
                2 => dry_run = r.bool()?,
                _ => cursor = r.opt(ledgerbridge_core::json::Reader::string)?,
            }
            Ok(())
        })?;
        Ok(Body {
            from: from.ok_or_else(|| r.missing("from"))?,
            to: to.ok_or_else(|| r.missing("to"))?,
            dry_run,
            cursor,
        })
    })
}

fn bad(code: &'static str, path: &str, message: impl Into<String>) -> HttpError {
    let mut e = HttpError::bad_request(code, message);
    e.path = path.into();
    e
}

pub async fn handle(mut req: Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let (_, shop) = crate::setup::one_shop(&req, env, settings)?;
    let text = read_capped(&mut req, BODY_CAP).await?;
    let body = read_body(&text).map_err(crate::peek::bad_body)?;
    if day(&body.to, "to")? < day(&body.from, "from")? {
        return Err(bad("E_BAD_DATE", "to", "to is before from"));
    }
    let after: i64 = match body.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => c.parse().map_err(|_| {
            bad(
                "E_BAD_CURSOR",
                "cursor",
                "pass back the previous answer's next",
            )
        })?,
    };
    let db = Db::new(env)?;
    let shop_config = settings.shop(&shop);
    let (config, version) = crate::setup::effective_mapping(&db, &shop_config, &shop)
        .await
        .map_err(HttpError::internal)?;
    let Some(version) = version else {
        return Err(HttpError::new(
            409,
            "E_NO_SAVED_MAPPING",
            "no saved mapping version is in effect: save one before re-mapping past orders",
        ));
    };
    let events = db
        .remap_events(&shop, (&body.from, &body.to), after, EVENTS_MAX + 1)
        .await?;
    let more = events.len() as i64 > EVENTS_MAX;
    let events = &events[..events.len().min(EVENTS_MAX as usize)];
    let targets = shop_config.all_targets();
    let names: Vec<&str> = targets.iter().map(Target::as_str).collect();
    let held = shop_config.held_targets();
    let note = format!("re-mapped with mapping version {version}");
    let now = now_ms();
    // Remap ids planned in this call: a dry run writes nothing, so an order's second event (the
    // same version delivered by another topic) must not count its change twice.
    let mut planned: BTreeSet<String> = BTreeSet::new();
    let (mut orders, mut failed, mut jobs) = (Vec::new(), Vec::new(), Vec::new());
    let (mut unchanged, mut booked, mut changed_total) = (0usize, 0usize, 0usize);
    for event in events {
        let Ok(platform) = event.platform.parse::<Platform>() else {
            continue;
        };
        let order_id = event.order_id.clone().unwrap_or_default();
        let failure = |code: &str, path: &str, message: &str| {
            // `{"order_id", "code", "path", "message"}`: the error's members beside the order's.
            let members = Obj::new().str("order_id", &order_id);
            let members = members.str("code", code).str("path", path);
            members.str("message", message).text()
        };
        let mut mapped = match map(platform, event.payload.as_bytes(), &config) {
            Ok(m) => m,
            Err(e) => {
                failed.push(failure(e.code(), e.path(), &e.to_string()));
                continue;
            }
        };
        for r in std::mem::take(&mut mapped.rejected) {
            failed.push(failure(&r.code, &r.path, &r.message));
        }
        let keys: BTreeSet<String> = mapped
            .entries
            .iter()
            .map(|e| logical_key(&e.source))
            .collect();
        let ids: Vec<String> = mapped
            .entries
            .iter()
            .map(|e| remap_id(&e.id, version))
            .collect();
        let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let heads = db.heads(&keys).await?;
        let mut existing = db.existing_ids(&id_refs).await?;
        existing.extend(planned.iter().cloned());
        let plan = plan_remap(mapped.entries, &heads, &existing, version);
        unchanged += plan
            .skipped
            .iter()
            .filter(|(_, why)| *why == "unchanged")
            .count();
        if plan.book.is_empty() {
            continue;
        }
        planned.extend(plan.book.iter().map(|e| e.id.clone()));
        let amount = |e: &Entry| format_amount(e.currency, e.total());
        let changed: Vec<_> = plan
            .diff()
            .changed
            .iter()
            .map(|(after, replaces)| {
                let before = heads
                    .values()
                    .filter_map(|h| h.entry.as_ref())
                    .find(|e| e.id == *replaces);
                Obj::new()
                    .str("id", &after.id)
                    .str("replaces", replaces)
                    .str("amount", &amount(after))
                    .str("currency", after.currency.code())
                    .raw("before", before.map_or_else(|| "null".into(), entry_value))
                    .raw("after", entry_value(after))
                    .text()
            })
            .collect();
        changed_total += changed.len();
        orders.push(
            Obj::new()
                .str("platform", &event.platform)
                .str("order_id", &order_id)
                .list("changed", &changed)
                .text(),
        );
        if body.dry_run {
            continue;
        }
        let how = Booking {
            note: Some(&note),
            config_version: Some(version),
        };
        db.commit(event, &plan, &names, &held, &how, now).await?;
        booked += plan.book.len();
        jobs.extend(Job::posts(&plan.book, &targets, &held));
    }
    if !body.dry_run {
        jobs.extend(crate::posting::after_booking(settings, &db, &shop, now).await);
        let queue = queue::work(env)?;
        // A failed send leaves pending outbox rows behind: the sweeper's job.
        for job in jobs {
            if let Err(e) = queue::send(&queue, &job).await {
                worker::console_warn!("enqueue {job:?}: {e}");
            }
        }
    }
    let next = more
        .then(|| events.last().map(|e| e.id.to_string()))
        .flatten();
    let answer = Obj::new()
        .bool("dry_run", body.dry_run)
        .str("shop", &shop)
        .int("version", version)
        .str("from", &body.from)
        .str("to", &body.to)
        .count("events", events.len())
        .count("changed", changed_total)
        .count("unchanged", unchanged)
        .list("orders", &orders)
        .list("failed", &failed)
        .count("booked", booked)
        .bool("truncated", more)
        .opt("next", next.as_deref());
    Ok(reply::json(answer.text())?)
}

/// An entry as `json!` placed it in an answer: through a `Value`, so its members sorted by key.
fn entry_value(entry: &Entry) -> String {
    reply::value(entry).to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_remap_body_is_a_dry_run_unless_it_says_otherwise() {
        let body = read_body(br#"{"from":"2026-05-01","to":"2026-05-31"}"#).unwrap();
        assert_eq!((body.dry_run, body.cursor), (true, None));
        let body =
            read_body(br#"{"to":"2026-05-31","from":"2026-05-01","dry_run":false,"cursor":"9"}"#)
                .unwrap();
        assert_eq!((body.dry_run, body.cursor.as_deref()), (false, Some("9")));
        for (text, code, path) in [
            (r#"{"from":"2026-05-01"}"#, "E_MISSING_FIELD", "to"),
            (
                r#"{"from":"a","to":"b","dry":true}"#,
                "E_INVALID_TYPE",
                "dry",
            ),
            (
                r#"{"from":"a","to":"b","dry_run":null}"#,
                "E_INVALID_TYPE",
                "dry_run",
            ),
            (r#"{"from":1,"to":"b"}"#, "E_INVALID_TYPE", "from"),
            (r#"{"from":"a","to":"b"} {}"#, "E_JSON", ""),
        ] {
            let e = read_body(text.as_bytes()).unwrap_err();
            assert_eq!((e.code(), e.path()), (code, path), "{text}: {e}");
        }
    }
}
