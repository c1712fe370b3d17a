//! Shopify's `customers/data_request`: a customer asked the merchant what is held about them.
//! The request is recorded (ids only) and answered on demand by `GET /api/data-requests`: per
//! request, the stored payloads of the customer's orders and the personal fields each still
//! holds, as the core finds them, and the contacts document mode made for the customer. Nothing
//! is sent anywhere by the worker: the merchant fetches the document and answers the customer.

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use crate::api::{authorize, Caller};
use crate::config::Settings;
use crate::erasure::request_contact_keys;
use crate::http_error::{HttpError, HttpResult};
use crate::privacy::{customer_payloads, id_text};
use crate::reply::{self, Obj};
use crate::store::Db;
use ledgerbridge_core::json::write::to_string;
use ledgerbridge_core::platforms::redact::{personal_fields, Customer};
use ledgerbridge_core::reports::SortedMap;
use std::collections::BTreeSet;
use worker::{Env, Request, Response};

/// The fields of Shopify's request the answer needs (ids as written); its contact details are
/// not kept. Read with the core's Reader (issue #17); other members skipped.
#[derive(Debug, Default)]
struct Asked<'a> {
    orders_requested: Vec<&'a str>,
    customer_id: Option<&'a str>,
    request_id: Option<&'a str>,
}

fn asked(body: &str) -> Result<Asked<'_>, ledgerbridge_core::LedgerError> {
    use crate::peek::{known, raw_or_null};
    let mut r = ledgerbridge_core::json::Reader::new(body);
    let mut a = Asked::default();
    let names = ["orders_requested", "customer", "data_request"];
    known(&mut r, &names, &mut |r, at| {
        if at == 0 {
            a.orders_requested = r.vec(ledgerbridge_core::json::Reader::raw)?;
        } else if !r.null()? {
            known(r, &["id"], &mut |r, _| {
                let id = raw_or_null(r)?;
                match at {
                    1 => a.customer_id = id,
                    _ => a.request_id = id,
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    r.finish()?;
    Ok(a)
}

/// Records a verified request (the intake has checked its signature and shop); a request id
/// seen before records nothing.
pub async fn record(
    db: &Db,
    platform: &str,
    shop: &str,
    delivery_id: &str,
    body: &str,
    now: i64,
) -> HttpResult<Response> {
    let asked =
        asked(body).map_err(|e| HttpError::bad_request("E_JSON", format!("data request: {e}")))?;
    let request_id = asked
        .request_id
        .and_then(id_text)
        .unwrap_or_else(|| delivery_id.to_string());
    let customer_id = asked.customer_id.and_then(id_text);
    let orders: Vec<String> = asked
        .orders_requested
        .iter()
        .copied()
        .filter_map(id_text)
        .collect();
    let orders = reply::list(&orders.iter().map(|o| reply::quoted(o)).collect::<Vec<_>>());
    let new = db
        .record_data_request(
            platform,
            shop,
            &request_id,
            customer_id.as_deref(),
            &orders,
            now,
        )
        .await?;
    let status = if new { 202 } else { 200 };
    let answer = Obj::new()
        .str("data_request", &request_id)
        .bool("new", new)
        .text();
    Ok(reply::json(answer)?.with_status(status))
}

#[derive(Default)]
struct Query {
    shop: Option<String>,
}

/// `GET /api/data-requests[?shop=]`: the recorded access requests, newest first, each with what
/// is held: per order, each stored payload's personal fields (path and value). A payload already
/// redacted lists none.
pub async fn list(req: &Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let [shop] = crate::peek::query(req, ["shop"])?;
    let q = Query { shop };
    let caller = authorize(req, env, settings, q.shop.as_deref())?;
    let shop = caller.scope(q.shop.as_deref())?;
    let db = Db::new(env)?;
    let mut out = Vec::new();
    for r in db.data_requests(shop.as_deref()).await? {
        if matches!(caller, Caller::Shop(_)) && r.platform != "shopify" {
            continue;
        }
        let asked: Vec<String> = serde_json::from_str(&r.orders).unwrap_or_default();
        let who = Customer {
            email: None,
            id: r.customer_id.as_deref(),
        };
        let held = customer_payloads(
            &db,
            &r.platform,
            &r.shop,
            &asked.iter().cloned().collect::<BTreeSet<_>>(),
            &who,
        )
        .await?;
        let keys = request_contact_keys(&who, &held);
        let contacts: Vec<String> = db
            .contacts_under(&r.shop, &reply::strings(keys.iter().map(String::as_str)))
            .await?
            .iter()
            .map(|c| {
                Obj::new()
                    .str("target", &c.target)
                    .str("key", &c.key)
                    .str("name", &c.name)
                    .text()
            })
            .collect();
        let mut orders: SortedMap<String, Vec<String>> = SortedMap::new();
        for row in &held {
            let fields = personal_fields(row.payload.as_bytes()).unwrap_or_default();
            let fields: Vec<String> = fields
                .iter()
                .map(|f| {
                    Obj::new()
                        .str("path", &f.path)
                        .raw("value", to_string(&f.value))
                        .text()
                })
                .collect();
            orders
                .entry(row.order_id.clone().unwrap_or_default())
                .or_default()
                .push(
                    Obj::new()
                        .int("event", row.id)
                        .str("topic", &row.topic)
                        .int("received_at", row.received_at)
                        .opt_int("redacted_at", row.redacted_at)
                        .list("personal_data", &fields)
                        .text(),
                );
        }
        let held: Vec<String> = orders
            .into_iter()
            .map(|(order_id, events)| {
                Obj::new()
                    .str("order_id", &order_id)
                    .list("events", &events)
                    .text()
            })
            .collect();
        out.push(
            Obj::new()
                .int("id", r.id)
                .str("platform", &r.platform)
                .str("shop", &r.shop)
                .str("request_id", &r.request_id)
                .opt("customer_id", r.customer_id.as_deref())
                .strs("orders_requested", asked.iter().map(String::as_str))
                .int("received_at", r.received_at)
                .list("held", &held)
                .list("contacts", &contacts)
                .text(),
        );
    }
    Ok(reply::json(Obj::new().list("data_requests", &out).text())?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_data_request_gives_its_ids_as_written() {
        let a = asked(
            r#"{"shop_id":1,"shop_domain":"s","orders_requested":[299938,"300"],"customer":{"id":191167,"email":"x@y.example"},"data_request":{"id":9999}}"#,
        )
        .unwrap();
        assert_eq!(a.orders_requested, vec!["299938", r#""300""#]);
        assert_eq!(
            (a.customer_id, a.request_id),
            (Some("191167"), Some("9999"))
        );
        let bare = asked(r#"{"customer":null,"data_request":{}}"#).unwrap();
        assert!(
            bare.orders_requested.is_empty()
                && bare.customer_id.is_none()
                && bare.request_id.is_none()
        );
        for bad in [
            r#"{"orders_requested":null}"#,
            r#"{"customer":[1]}"#,
            r#"{"customer":{"id":1,"id":2}}"#,
            "{} x",
        ] {
            assert!(asked(bad).is_err(), "{bad}");
        }
    }
}
