//! Stripe fees and payout items. A webhook's charge or refund names its balance transaction (the
//! fee) only by id, or not at all yet under async capture; a payout names none of the balance
//! transactions it pays out. Before mapping, the charge or refund is fetched with
//! `expand[]=balance_transaction` and put in place of the event's `data.object`, and a paid
//! automatic payout is stored as `{"payout", "balance_transactions"}` (every page of
//! `GET /v1/balance_transactions?payout=`). Disputes carry their balance transactions whole.

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use super::{retry_after_s, Prepared};
use crate::config::{text, Settings, ShopConfig};
use crate::http::{backoff, call, excerpt};
use crate::peek::{self, known, raw_or_null};
use crate::store::EventRow;
use ledgerbridge_core::json::{write, Reader};
use ledgerbridge_core::reports::SortedMap;
use ledgerbridge_core::LedgerError;
use worker::{Env, Method};

/// Balance transactions per page (Stripe's maximum), and pages per payout: 50 000 items, the
/// most the core takes in one payout.
const PAGE: usize = 100;
const PAGES_MAX: usize = 500;

/// An event, as much of it as decides the fetch. These peeks are read with the core's
/// [`Reader`] (issue #17: their serde derives were about 14 KB of the worker's wasm): other
/// members skipped, a member of the wrong type refuses the whole document, as the derives did.
struct Top<'a> {
    object: Option<String>,
    kind: Option<String>,
    account: Option<String>,
    /// `data.object` as written (`data` present without `object` refuses the event).
    data: Option<&'a str>,
    payout: Option<&'a str>,
}

fn top(text: &str) -> Result<Top<'_>, LedgerError> {
    let mut r = Reader::new(text);
    let mut t = Top {
        object: None,
        kind: None,
        account: None,
        data: None,
        payout: None,
    };
    let names = ["object", "type", "account", "data", "payout"];
    known(&mut r, &names, &mut |r, at| {
        match at {
            0 => t.object = r.opt(Reader::string)?,
            1 => t.kind = r.opt(Reader::string)?,
            2 => t.account = r.opt(Reader::string)?,
            3 => {
                if !r.null()? {
                    let mut object = None;
                    known(r, &["object"], &mut |r, _| {
                        object = Some(r.raw()?);
                        Ok(())
                    })?;
                    t.data = Some(object.ok_or_else(|| r.missing("object"))?);
                }
            }
            _ => t.payout = raw_or_null(r)?,
        }
        Ok(())
    })?;
    r.finish()?;
    Ok(t)
}

#[derive(Default)]
struct Obj<'a> {
    id: String,
    object: String,
    status: Option<String>,
    captured: Option<bool>,
    balance_transaction: Option<&'a str>,
    refunds: Option<&'a str>,
    /// A payment intent's charge: an id in a webhook, the charge when expanded.
    latest_charge: Option<&'a str>,
    automatic: Option<bool>,
    reconciliation_status: Option<String>,
}

fn obj(text: &str) -> Result<Obj<'_>, LedgerError> {
    let mut r = Reader::new(text);
    let mut o = Obj::default();
    let names = [
        "id",
        "object",
        "status",
        "captured",
        "balance_transaction",
        "refunds",
        "latest_charge",
        "automatic",
        "reconciliation_status",
    ];
    known(&mut r, &names, &mut |r, at| {
        match at {
            0 => o.id = r.string()?,
            1 => o.object = r.string()?,
            2 => o.status = r.opt(Reader::string)?,
            3 => o.captured = r.opt(Reader::bool)?,
            4 => o.balance_transaction = raw_or_null(r)?,
            5 => o.refunds = raw_or_null(r)?,
            6 => o.latest_charge = raw_or_null(r)?,
            7 => o.automatic = r.opt(Reader::bool)?,
            _ => o.reconciliation_status = r.opt(Reader::string)?,
        }
        Ok(())
    })?;
    r.finish()?;
    Ok(o)
}

impl Obj<'_> {
    /// The balance transaction is there in full (not an id, not null); for a payment intent,
    /// that of its expanded charge.
    fn expanded(&self) -> bool {
        self.balance_transaction.is_some_and(|b| b.starts_with('{'))
            || self
                .latest_charge
                .and_then(|c| obj(c).ok())
                .is_some_and(|c| c.expanded())
    }
}

/// What to fetch for one event, decided from its object alone.
enum Want {
    Nothing,
    Charge { with_refunds: bool },
    Refund,
    PaymentIntent,
    Payout,
}

fn want(kind: &str, obj: &Obj<'_>) -> Want {
    let succeeded = obj.status.as_deref() == Some("succeeded");
    match obj.object.as_str() {
        "charge" if succeeded && obj.captured != Some(false) && !obj.expanded() => Want::Charge {
            with_refunds: obj.refunds.is_some(),
        },
        "refund" if succeeded && !obj.expanded() => Want::Refund,
        // Mapped without its charge, a payment intent books the sale under the charge id with no
        // fee, and the charge's own event of the same version would then be a no-op.
        "payment_intent" if succeeded && !obj.expanded() => Want::PaymentIntent,
        // Stripe itemises only automatic payouts; a manual one is booked bare (docs/payouts.md).
        "payout" if kind == "payout.paid" && obj.automatic != Some(false) => Want::Payout,
        _ => Want::Nothing,
    }
}

/// Ids go into API paths: only what Stripe issues (`ch_…`, `re_…`, `po_…`).
fn issued(id: &str) -> bool {
    (1..=255).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

pub async fn expand(
    env: &Env,
    settings: &Settings,
    shop_config: &ShopConfig,
    event: &EventRow,
) -> Prepared {
    let Ok(top) = top(&event.payload) else {
        return Prepared::unchanged();
    };
    if top.payout.is_some() || top.object.as_deref() != Some("event") {
        // Already the payout envelope, or a bare object: mapped as it is.
        return Prepared::unchanged();
    }
    let (Some(data), kind) = (top.data, top.kind.as_deref().unwrap_or_default()) else {
        return Prepared::unchanged();
    };
    let Ok(obj) = obj(data) else {
        return Prepared::unchanged();
    };
    let want = want(kind, &obj);
    if matches!(want, Want::Nothing) {
        return Prepared::unchanged();
    }
    let Some(stripe) = &shop_config.stripe else {
        return Prepared::Ready {
            payload: None,
            note: Some(format!(
                "{} {} not fetched: no stripe block for this account in SHOPS (its fee or items are missing)",
                obj.object, obj.id
            )),
        };
    };
    let Some(key) = text(env, "STRIPE_API_KEY") else {
        return Prepared::Park(
            "no STRIPE_API_KEY secret: the fee cannot be fetched (set it, then POST /api/replay)"
                .into(),
        );
    };
    if !issued(&obj.id) {
        return Prepared::Park(format!(
            "{:?} is not a Stripe id: it cannot be fetched",
            excerpt(&obj.id)
        ));
    }
    let api = Api {
        base: stripe.api_base.trim_end_matches('/'),
        bearer: format!("Bearer {key}"),
        account: top.account.as_deref(),
        timeout_ms: settings.target_timeout_ms,
    };
    let fetched = match want {
        Want::Charge { with_refunds } => {
            let extra = if with_refunds {
                "&expand[]=refunds"
            } else {
                ""
            };
            let url = format!("/v1/charges/{}?expand[]=balance_transaction{extra}", obj.id);
            api.object(&url, "charge").await
        }
        Want::Refund => {
            let url = format!("/v1/refunds/{}?expand[]=balance_transaction", obj.id);
            api.object(&url, "refund").await
        }
        Want::PaymentIntent => {
            let url = format!(
                "/v1/payment_intents/{}?expand[]=latest_charge.balance_transaction",
                obj.id
            );
            api.object(&url, "payment intent").await
        }
        Want::Payout => return api.payout(&obj.id).await,
        Want::Nothing => return Prepared::unchanged(),
    };
    let fetched = match fetched {
        Ok(body) => body,
        Err(p) => return p,
    };
    match self::obj(&fetched) {
        Ok(o) if o.status.as_deref() == Some("succeeded") && !o.expanded() => {
            // Async capture: the balance transaction is created a little later, and a
            // `charge.updated` follows; mapping now would book the sale without its fee.
            return Prepared::Retry {
                reason: format!("{} {}: balance transaction not created yet", o.object, o.id),
                after_s: 60,
            };
        }
        Ok(_) => {}
        Err(e) => {
            return Prepared::Retry {
                reason: format!("Stripe {}: not JSON: {e}", obj.object),
                after_s: backoff(1),
            }
        }
    }
    match replace_object(&event.payload, &fetched) {
        Some(payload) => Prepared::Ready {
            payload: Some(payload),
            note: None,
        },
        None => Prepared::Park("the Stripe event could not be rewritten".into()),
    }
}

/// The event with `data.object` replaced by the fetched object (other fields kept verbatim; both
/// objects written with their keys in order, a repeated key keeping its last value, as the
/// `BTreeMap` of raw values this replaced wrote them).
fn replace_object(event: &str, object: &str) -> Option<String> {
    let mut top = members_of(event)?;
    let mut data = members_of(top.get("data")?)?;
    data.insert("object".into(), object.trim());
    let data = written(&data);
    top.insert("data".into(), &data);
    Some(written(&top))
}

fn members_of(text: &str) -> Option<SortedMap<String, &str>> {
    let mut r = Reader::new(text);
    let mut members = SortedMap::new();
    let mut obj = r.object().ok()?;
    while let Some(key) = r.key(&mut obj).ok()? {
        members.insert(key.into_owned(), r.raw().ok()?);
    }
    r.finish().ok()?;
    Some(members)
}

fn written(members: &SortedMap<String, &str>) -> String {
    let mut out = String::from("{");
    for (i, (key, raw)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write::string(&mut out, key);
        out.push(':');
        out.push_str(raw);
    }
    out.push('}');
    out
}

struct Api<'a> {
    base: &'a str,
    bearer: String,
    account: Option<&'a str>,
    timeout_ms: u32,
}

/// A page of a Stripe list: its items as written, and whether more follow.
pub(crate) fn list(text: &str) -> Result<(Vec<&str>, bool), LedgerError> {
    let mut r = Reader::new(text);
    let (mut data, mut has_more) = (None, false);
    known(&mut r, &["data", "has_more"], &mut |r, at| {
        match at {
            0 => data = Some(r.vec(Reader::raw)?),
            _ => has_more = r.bool()?,
        }
        Ok(())
    })?;
    let data = data.ok_or_else(|| r.missing("data"))?;
    r.finish()?;
    Ok((data, has_more))
}

impl Api<'_> {
    /// One GET; an answer that no retry can change parks, a busy or failing API retries.
    async fn object(&self, path: &str, what: &str) -> Result<String, Prepared> {
        let mut headers = vec![
            ("authorization", self.bearer.as_str()),
            ("accept", "application/json"),
        ];
        if let Some(acct) = self.account {
            // A Connect event: the object lives in the connected account.
            headers.push(("stripe-account", acct));
        }
        let url = format!("{}{path}", self.base);
        let reply = call(Method::Get, &url, &headers, None, self.timeout_ms)
            .await
            .map_err(|e| Prepared::Retry {
                reason: format!("Stripe {what}: {e}"),
                after_s: backoff(1),
            })?;
        match reply.status {
            200..=299 => Ok(reply.body),
            401 | 403 => Err(Prepared::Park(format!(
                "Stripe refused STRIPE_API_KEY ({}) fetching the {what}: set a key that can read it, then POST /api/replay",
                reply.status
            ))),
            404 => Err(Prepared::Park(format!(
                "Stripe has no such {what} for this key: {}",
                excerpt(&reply.body)
            ))),
            429 => Err(Prepared::Retry {
                reason: format!("Stripe {what}: rate limited (429)"),
                after_s: retry_after_s(&reply).unwrap_or(2),
            }),
            500..=599 => Err(Prepared::Retry {
                reason: format!("Stripe {what}: answered {}", reply.status),
                after_s: backoff(1),
            }),
            status => Err(Prepared::Park(format!(
                "Stripe {what} answered {status}: {}",
                excerpt(&reply.body)
            ))),
        }
    }

    /// The payout as it is now, with every balance transaction it paid out.
    async fn payout(&self, id: &str) -> Prepared {
        let payout = match self.object(&format!("/v1/payouts/{id}"), "payout").await {
            Ok(p) => p,
            Err(p) => return p,
        };
        if let Ok(o) = obj(&payout) {
            if o.reconciliation_status.as_deref() == Some("in_progress") {
                // Listing by payout is complete only once Stripe has reconciled it.
                return Prepared::Retry {
                    reason: format!("payout {id}: balance transactions not reconciled yet"),
                    after_s: 300,
                };
            }
            if o.automatic == Some(false) {
                return Prepared::unchanged();
            }
        }
        let mut items: Vec<String> = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..PAGES_MAX {
            let mut path = format!("/v1/balance_transactions?payout={id}&limit={PAGE}");
            if let Some(last) = &after {
                path.push_str(&format!("&starting_after={last}"));
            }
            let body = match self.object(&path, "balance transactions list").await {
                Ok(b) => b,
                Err(p) => return p,
            };
            let Ok((data, has_more)) = list(&body) else {
                return Prepared::Retry {
                    reason: "Stripe balance transactions list: not a list".into(),
                    after_s: backoff(1),
                };
            };
            let last = data
                .last()
                .and_then(|item| peek::members(item, ["id"]).ok())
                .and_then(|[id]| peek::text(id));
            items.extend(data.iter().map(|item| item.to_string()));
            match (has_more, last) {
                (true, Some(id)) => after = Some(id),
                _ => {
                    return Prepared::Ready {
                        payload: Some(format!(
                            "{{\"payout\":{},\"balance_transactions\":[{}]}}",
                            payout.trim(),
                            items.join(",")
                        )),
                        note: None,
                    }
                }
            }
        }
        Prepared::Park(format!(
            "payout {id} has more than {} balance transactions",
            PAGE * PAGES_MAX
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn obj(json: &str) -> Obj<'_> {
        super::obj(json).unwrap()
    }

    #[test]
    fn only_what_lacks_its_balance_transaction_is_fetched() {
        let id = obj(
            r#"{"id":"ch_1","object":"charge","status":"succeeded","captured":true,"balance_transaction":"txn_1"}"#,
        );
        assert!(matches!(
            want("charge.succeeded", &id),
            Want::Charge {
                with_refunds: false
            }
        ));
        let null = obj(
            r#"{"id":"ch_1","object":"charge","status":"succeeded","balance_transaction":null}"#,
        );
        assert!(matches!(
            want("charge.succeeded", &null),
            Want::Charge { .. }
        ));
        let full = obj(
            r#"{"id":"ch_1","object":"charge","status":"succeeded","balance_transaction":{"id":"txn_1"}}"#,
        );
        assert!(matches!(want("charge.updated", &full), Want::Nothing));
        let failed =
            obj(r#"{"id":"ch_1","object":"charge","status":"failed","balance_transaction":null}"#);
        assert!(matches!(want("charge.failed", &failed), Want::Nothing));
        let manual = obj(r#"{"id":"po_1","object":"payout","status":"paid","automatic":false}"#);
        assert!(matches!(want("payout.paid", &manual), Want::Nothing));
        let auto = obj(r#"{"id":"po_1","object":"payout","status":"paid","automatic":true}"#);
        assert!(matches!(want("payout.paid", &auto), Want::Payout));
        assert!(matches!(want("payout.created", &auto), Want::Nothing));
        let pi = obj(
            r#"{"id":"pi_1","object":"payment_intent","status":"succeeded","latest_charge":"ch_1"}"#,
        );
        assert!(matches!(
            want("payment_intent.succeeded", &pi),
            Want::PaymentIntent
        ));
        let pi_full = obj(
            r#"{"id":"pi_1","object":"payment_intent","status":"succeeded","latest_charge":{"id":"ch_1","balance_transaction":{"id":"txn_1"}}}"#,
        );
        assert!(matches!(
            want("payment_intent.succeeded", &pi_full),
            Want::Nothing
        ));
    }

    #[test]
    fn the_fetched_object_replaces_data_object_only() {
        let out = replace_object(
            r#"{"id":"evt_1","object":"event","data":{"object":{"id":"ch_1"},"previous_attributes":{"a":1}}}"#,
            r#"{"id":"ch_1","balance_transaction":{"fee":5}}"#,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["data"]["object"]["balance_transaction"]["fee"], 5);
        assert_eq!(v["data"]["previous_attributes"]["a"], 1);
        assert_eq!(v["id"], "evt_1");
    }

    #[test]
    fn the_rewritten_event_is_written_as_the_raw_value_map_wrote_it() {
        let out = replace_object(
            "{\"type\":\"charge.succeeded\", \"data\": {\"previous_attributes\":{ \"a\" : 1 },\"object\":{\"id\":\"ch_1\"}},\"id\":\"evt_1\",\"k\\u00e9\\n\":null,\"id\":\"evt_2\"}",
            " {\"id\":\"ch_1\",\"fee\":5}\n",
        )
        .unwrap();
        assert_eq!(
            out,
            "{\"data\":{\"object\":{\"id\":\"ch_1\",\"fee\":5},\"previous_attributes\":{ \"a\" : 1 }},\"id\":\"evt_2\",\"k\u{e9}\\n\":null,\"type\":\"charge.succeeded\"}"
        );
        assert!(replace_object(r#"{"data":[]}"#, "{}").is_none());
        assert!(replace_object(r#"{"id":1}"#, "{}").is_none());
    }

    #[test]
    fn events_lists_and_objects_refuse_a_wrong_member_as_the_derives_did() {
        let t = top(r#"{"object":"event","type":"charge.succeeded","account":null,"data":{"object":{"id":"ch_1"},"x":1},"created":1}"#).unwrap();
        assert_eq!(
            (t.object.as_deref(), t.kind.as_deref(), t.account),
            (Some("event"), Some("charge.succeeded"), None)
        );
        assert_eq!((t.data, t.payout), (Some(r#"{"id":"ch_1"}"#), None));
        assert!(top(r#"{"data":{"previous_attributes":{}}}"#).is_err());
        assert!(top(r#"{"type":7}"#).is_err());
        assert!(super::obj(r#"{"captured":"yes"}"#).is_err());
        assert!(super::obj(r#"{"id":null}"#).is_err());
        assert!(super::obj(r#"{"id":"a","id":"b"}"#).is_err());
        let (items, more) =
            list(r#"{"object":"list","data":[{"id":"txn_1"}, {"id":"txn_2"}],"has_more":true}"#)
                .unwrap();
        assert_eq!(
            (items, more),
            (vec![r#"{"id":"txn_1"}"#, r#"{"id":"txn_2"}"#], true)
        );
        assert!(list(r#"{"has_more":false}"#).is_err());
        assert!(list(r#"{"data":null}"#).is_err());
    }

    #[test]
    fn only_issued_ids_enter_the_path() {
        assert!(issued("ch_3PcA1001"));
        for bad in ["", "ch_1/../x", "ch_1?expand", "ch 1", "%2F"] {
            assert!(!issued(bad), "{bad}");
        }
    }
}
