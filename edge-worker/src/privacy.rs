//! Personal data in stored payloads (docs/privacy.md): the retention sweep, erasure on request
//! for any platform (`POST /api/erasure`), and the pruning of intake bookkeeping. Which fields
//! are personal, and whether a payload is a given customer's, is the core's knowledge
//! (`platforms::redact`); this file only pages through D1 and writes back what the core returns.

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use crate::api::{authorize, Caller};
use crate::config::Settings;
use crate::erasure::request_contact_keys;
use crate::http_error::{HttpError, HttpResult};
use crate::intake::read_capped;
use crate::queue::{self, Job};
use crate::ratelimit;
use crate::reply::{self, Obj};
use crate::store::privacy::HeldPayload;
use crate::store::{now_ms, Db, NewEvent, Recorded};
use ledgerbridge_core::platforms::redact::{belongs_to, Customer};
use ledgerbridge_core::{redact_personal_data, Platform};
use std::collections::BTreeSet;
use worker::{Env, Request, Response, Result};

const DAY_MS: i64 = 86_400_000;
/// Events read per D1 query.
const PAGE: i64 = 100;
/// Pages the retention sweep redacts per cron run, so one run stays well inside its CPU budget;
/// the next run continues where this one stopped (redacted events are marked and skipped).
const RETENTION_PAGES: usize = 5;
/// Delivery ids are kept as long as body hashes (migration 0004): longer than any platform
/// retries one delivery (Stripe 3 days, Shopify 48 hours).
const DELIVERIES_KEPT_MS: i64 = 7 * DAY_MS;

/// The sweeper's privacy jobs: retention, then forgetting what only guards against retries.
pub async fn sweep(db: &Db, settings: &Settings, now: i64) -> Result<()> {
    let redacted = retention(db, settings, now).await?;
    if redacted > 0 {
        worker::console_log!("retention: {redacted} stored payloads redacted");
    }
    db.prune_seen_deliveries(now - DELIVERIES_KEPT_MS).await?;
    ratelimit::prune(db, settings, now).await
}

/// Payloads older than `RETENTION_DAYS` whose entries are all posted lose their personal data.
/// The books keep what they need: the core's redaction maps to the same entries.
async fn retention(db: &Db, settings: &Settings, now: i64) -> Result<usize> {
    let before = now - settings.retention_days.max(0) * DAY_MS;
    let mut after = 0;
    let mut rewritten = 0;
    for _ in 0..RETENTION_PAGES {
        let page = db.retention_due(before, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let rows = page
            .iter()
            .map(|r| redacted(r.id, &r.payload))
            .collect::<Vec<_>>();
        rewritten += rows.iter().filter(|(_, p)| p.is_some()).count();
        db.redact_payloads(&rows, now).await?;
    }
    Ok(rewritten)
}

/// The payload without personal data, `None` when it holds none. A payload that is not JSON
/// cannot be taken apart: it is dropped whole, since it may hold anything.
pub fn redacted(id: i64, payload: &str) -> (i64, Option<String>) {
    let clean = redact_personal_data(payload.as_bytes()).unwrap_or_else(|_| "{}".into());
    (id, (clean != payload).then_some(clean))
}

/// Every stored payload of a shop that is about the customer: those of the `orders` named, and
/// of any order (or order-less event, e.g. a Stripe charge) the core finds naming the customer,
/// with every other version and refund of those orders.
pub async fn customer_payloads(
    db: &Db,
    platform: &str,
    shop: &str,
    orders: &BTreeSet<String>,
    who: &Customer<'_>,
) -> Result<Vec<HeldPayload>> {
    let mine = |row: &HeldPayload| belongs_to(row.payload.as_bytes(), who).unwrap_or(false);
    let mut orders = orders.clone();
    let mut events = BTreeSet::new();
    let mut after = 0;
    loop {
        let page = db.held_payloads(platform, shop, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for row in page.iter().filter(|r| mine(r)) {
            match &row.order_id {
                Some(order) => orders.insert(order.clone()),
                None => events.insert(row.id),
            };
        }
    }
    let mut held = Vec::new();
    after = 0;
    loop {
        let page = db.held_payloads(platform, shop, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        held.extend(page.into_iter().filter(|r| {
            events.contains(&r.id) || r.order_id.as_ref().is_some_and(|o| orders.contains(o))
        }));
    }
    Ok(held)
}

/// The platform a request names, spelled as the core spells it.
pub fn platform_named(name: &str) -> HttpResult<Platform> {
    Platform::ALL
        .iter()
        .copied()
        .find(|p| p.as_str() == name)
        .ok_or_else(|| field_error("E_UNSUPPORTED_PLATFORM", "platform", "no such platform"))
}

fn field_error(code: &'static str, path: &str, message: &str) -> HttpError {
    HttpError {
        path: path.to_string(),
        ..HttpError::bad_request(code, message)
    }
}

/// An id as text, whether the caller sent it as a number (its text as written) or a string
/// (trimmed, not blank); `raw` is the JSON value as written.
pub fn id_text(raw: &str) -> Option<String> {
    match raw.as_bytes().first()? {
        b'"' => crate::peek::text(Some(raw))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        b'-' | b'0'..=b'9' => Some(raw.to_string()),
        _ => None,
    }
}

/// Bodies of the privacy endpoints are a few ids: anything bigger is refused unread.
const BODY_CAP: usize = 16 * 1024;

/// `{"platform", "shop"?, "customer"?: {"email"?, "id"?}, "orders"?: [ids]}`, nothing else;
/// ids as written (numbers or strings), checked after reading.
#[derive(Debug)]
struct ErasureBody<'a> {
    platform: String,
    shop: Option<String>,
    email: Option<String>,
    customer_id: Option<&'a str>,
    orders: Vec<&'a str>,
}

/// Read with the core's Reader (issue #17), each refusal naming its field as serde's did.
fn erasure_body(bytes: &[u8]) -> Result<ErasureBody<'_>, ledgerbridge_core::LedgerError> {
    use crate::peek::{fields, raw_or_null};
    use ledgerbridge_core::json::Reader;
    crate::peek::body(bytes, |r| {
        let mut b = ErasureBody {
            platform: String::new(),
            shop: None,
            email: None,
            customer_id: None,
            orders: Vec::new(),
        };
        let mut platform = None;
        fields(
            r,
            &["platform", "shop", "customer", "orders"],
            &mut |r, at| {
                match at {
                    0 => platform = Some(r.string()?),
                    1 => b.shop = r.opt(Reader::string)?,
                    2 => {
                        if !r.null()? {
                            fields(r, &["email", "id"], &mut |r, at| {
                                match at {
                                    0 => b.email = r.opt(Reader::string)?,
                                    _ => b.customer_id = raw_or_null(r)?,
                                }
                                Ok(())
                            })?;
                        }
                    }
                    _ => b.orders = r.vec(Reader::raw)?,
                }
                Ok(())
            },
        )?;
        b.platform = platform.ok_or_else(|| r.missing("platform"))?;
        Ok(b)
    })
}

/// `POST /api/erasure {"platform", "shop", "customer": {"email", "id"}, "orders": [ids]}`: a
/// customer's stored payloads lose their personal data, for the platforms with no erasure
/// webhook (WooCommerce, BigCommerce, Stripe) and for Shopify too. Answers how many payloads
/// were rewritten. Booked entries hold no personal data and stay (docs/privacy.md).
pub async fn erasure(mut req: Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let caller = authorize(&req, env, settings, None)?;
    let body = read_capped(&mut req, BODY_CAP).await?;
    let body = erasure_body(&body).map_err(crate::peek::bad_body)?;
    let platform = platform_named(&body.platform)?;
    if matches!(caller, Caller::Shop(_)) && platform != Platform::Shopify {
        return Err(HttpError::forbidden(
            "a Shopify session token only erases Shopify customers",
        ));
    }
    let shop = caller
        .scope(body.shop.as_deref())?
        .ok_or_else(|| field_error("E_NO_SHOP", "shop", "name the shop"))?;
    let id = body.customer_id.and_then(id_text);
    let who = Customer {
        email: body.email.as_deref(),
        id: id.as_deref(),
    };
    let mut orders = BTreeSet::new();
    for (i, v) in body.orders.iter().copied().enumerate() {
        let id = id_text(v)
            .ok_or_else(|| field_error("E_BAD_BODY", &format!("orders[{i}]"), "an order id"))?;
        orders.insert(id);
    }
    if orders.is_empty() && who.email.is_none() && who.id.is_none() {
        return Err(field_error(
            "E_NOTHING_NAMED",
            "customer",
            "name the customer (email or id) or the orders",
        ));
    }
    let db = Db::new(env)?;
    let held = customer_payloads(&db, platform.as_str(), &shop, &orders, &who).await?;
    // The contacts' keys are read before the payloads lose them.
    let keys = request_contact_keys(&who, &held);
    let now = now_ms();
    let rows: Vec<(i64, Option<String>)> =
        held.iter().map(|r| redacted(r.id, &r.payload)).collect();
    let rewritten = rows.iter().filter(|(_, p)| p.is_some()).count();
    for chunk in rows.chunks(PAGE as usize) {
        db.redact_payloads(chunk, now).await?;
    }
    let contacts = forget_contacts(&db, &shop, &keys).await?;
    // Also when nothing was left to rewrite: a retried request then finishes what a failure
    // here left undone.
    if !held.is_empty() {
        remake_documents(&db, env, platform, &shop, now).await?;
    }
    let found: BTreeSet<&str> = held.iter().filter_map(|r| r.order_id.as_deref()).collect();
    let answer = Obj::new()
        .str("platform", platform.as_str())
        .str("shop", &shop)
        .strs("orders", found)
        .count("events", held.len())
        .count("redacted", rewritten)
        .count("contacts", contacts);
    Ok(reply::json(answer.text())?)
}

/// Forgets the shop's contacts recorded under `keys`; how many rows went.
pub async fn forget_contacts(db: &Db, shop: &str, keys: &[String]) -> Result<usize> {
    if keys.is_empty() {
        return Ok(0);
    }
    let keys = reply::strings(keys.iter().map(String::as_str));
    db.forget_contacts(shop, Some(&keys)).await
}

/// Queued sales documents hold the customer until they post: they are made again from the
/// redacted payloads by the consumer, which has the mapping engine this Worker leaves out
/// (docs/worker.md, "Two Workers"). Recorded as an event of its own, so a lost queue message is
/// picked up by the sweeper like any other, and the erasure shows in the shop's event log.
async fn remake_documents(
    db: &Db,
    env: &Env,
    platform: Platform,
    shop: &str,
    now: i64,
) -> Result<()> {
    let delivery = format!("{ERASURE_TOPIC}:{shop}:{now}");
    let event = NewEvent {
        platform: platform.as_str(),
        shop,
        topic: ERASURE_TOPIC,
        delivery_id: &delivery,
        resource: "redact",
        order_id: None,
        payload: "{}",
        body_sha256: None,
    };
    if let Recorded::New(id) = db.record_event(&event, now).await? {
        if let Err(e) = queue::send(&queue::work(env)?, &Job::Event { id }).await {
            worker::console_warn!("event {id}: enqueue failed ({e}); the sweeper will pick it up");
        }
    }
    Ok(())
}

/// The topic of the event an erasure through the API leaves for the consumer.
pub const ERASURE_TOPIC: &str = "api/erasure";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_erasure_body_is_read_whole_and_a_refusal_names_its_field() {
        let b = erasure_body(
            br#"{"platform":"stripe","shop":"acct_1","customer":{"email":"a@b.example","id":" cus_1 "},"orders":[7,"ch_1",null]}"#,
        )
        .unwrap();
        assert_eq!(
            (b.platform.as_str(), b.shop.as_deref()),
            ("stripe", Some("acct_1"))
        );
        assert_eq!(
            (b.email.as_deref(), b.customer_id),
            (Some("a@b.example"), Some(r#"" cus_1 ""#))
        );
        assert_eq!(b.orders, vec!["7", r#""ch_1""#, "null"]);
        let ids: Vec<Option<String>> = b.orders.iter().map(|o| id_text(o)).collect();
        assert_eq!(ids, vec![Some("7".into()), Some("ch_1".into()), None]);
        assert_eq!(id_text(r#"" cus_1 ""#).as_deref(), Some("cus_1"));
        assert_eq!(id_text(r#""  ""#), None);
        let bare = erasure_body(br#"{"platform":"shopify","customer":null}"#).unwrap();
        assert!(bare.email.is_none() && bare.customer_id.is_none() && bare.orders.is_empty());
        for (text, code, path) in [
            (r#"{"shop":"s"}"#, "E_MISSING_FIELD", "platform"),
            (
                r#"{"platform":"stripe","customer":{"phone":"1"}}"#,
                "E_INVALID_TYPE",
                "customer.phone",
            ),
            (
                r#"{"platform":"stripe","order":[1]}"#,
                "E_INVALID_TYPE",
                "order",
            ),
            (
                r#"{"platform":"stripe","orders":7}"#,
                "E_INVALID_TYPE",
                "orders",
            ),
            (
                r#"{"platform":"stripe","customer":{"email":1}}"#,
                "E_INVALID_TYPE",
                "customer.email",
            ),
            (
                r#"{"platform":"stripe","orders":[1,]}"#,
                "E_JSON",
                "orders[1]",
            ),
        ] {
            let e = erasure_body(text.as_bytes()).unwrap_err();
            assert_eq!((e.code(), e.path()), (code, path), "{text}: {e}");
        }
    }
}
