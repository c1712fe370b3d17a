//! Stripe fees and payout items. A webhook's charge or refund names its balance transaction (the
//! fee) only by id, or not at all yet under async capture; a payout names none of the balance
//! transactions it pays out. Before mapping, the charge or refund is fetched with
//! `expand[]=balance_transaction` and put in place of the event's `data.object`, and a paid
//! automatic payout is stored as `{"payout", "balance_transactions"}` (every page of
//! `GET /v1/balance_transactions?payout=`). Disputes carry their balance transactions whole.

use super::{retry_after_s, Prepared};
use crate::config::{text, Settings, ShopConfig};
use crate::http::{backoff, call, excerpt};
use crate::store::EventRow;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use worker::{Env, Method};

/// Balance transactions per page (Stripe's maximum), and pages per payout: 50 000 items, the
/// most the core takes in one payout.
const PAGE: usize = 100;
const PAGES_MAX: usize = 500;

#[derive(Deserialize)]
struct Top<'a> {
    #[serde(default)]
    object: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    account: Option<String>,
    #[serde(borrow, default)]
    data: Option<TopData<'a>>,
    #[serde(borrow, default)]
    payout: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct TopData<'a> {
    #[serde(borrow)]
    object: &'a RawValue,
}

#[derive(Deserialize)]
struct Obj<'a> {
    #[serde(default)]
    id: String,
    #[serde(default)]
    object: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    captured: Option<bool>,
    #[serde(borrow, default)]
    balance_transaction: Option<&'a RawValue>,
    #[serde(borrow, default)]
    refunds: Option<&'a RawValue>,
    /// A payment intent's charge: an id in a webhook, the charge when expanded.
    #[serde(borrow, default)]
    latest_charge: Option<&'a RawValue>,
    #[serde(default)]
    automatic: Option<bool>,
    #[serde(default)]
    reconciliation_status: Option<String>,
}

impl Obj<'_> {
    /// The balance transaction is there in full (not an id, not null); for a payment intent,
    /// that of its expanded charge.
    fn expanded(&self) -> bool {
        self.balance_transaction
            .is_some_and(|b| b.get().trim_start().starts_with('{'))
            || self
                .latest_charge
                .and_then(|c| serde_json::from_str::<Obj>(c.get()).ok())
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
    let Ok(top) = serde_json::from_str::<Top>(&event.payload) else {
        return Prepared::unchanged();
    };
    if top.payout.is_some() || top.object.as_deref() != Some("event") {
        // Already the payout envelope, or a bare object: mapped as it is.
        return Prepared::unchanged();
    }
    let (Some(data), kind) = (top.data.as_ref(), top.kind.as_deref().unwrap_or_default()) else {
        return Prepared::unchanged();
    };
    let Ok(obj) = serde_json::from_str::<Obj>(data.object.get()) else {
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
    match serde_json::from_str::<Obj>(&fetched) {
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

/// The event with `data.object` replaced by the fetched object (other fields kept verbatim).
fn replace_object(event: &str, object: &str) -> Option<String> {
    let mut top: BTreeMap<String, Box<RawValue>> = serde_json::from_str(event).ok()?;
    let mut data: BTreeMap<String, Box<RawValue>> =
        serde_json::from_str(top.get("data")?.get()).ok()?;
    data.insert(
        "object".into(),
        RawValue::from_string(object.trim().to_string()).ok()?,
    );
    top.insert(
        "data".into(),
        RawValue::from_string(serde_json::to_string(&data).ok()?).ok()?,
    );
    serde_json::to_string(&top).ok()
}

struct Api<'a> {
    base: &'a str,
    bearer: String,
    account: Option<&'a str>,
    timeout_ms: u32,
}

#[derive(Deserialize)]
struct List<'a> {
    #[serde(borrow)]
    data: Vec<&'a RawValue>,
    #[serde(default)]
    has_more: bool,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
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
        if let Ok(o) = serde_json::from_str::<Obj>(&payout) {
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
            let Ok(list) = serde_json::from_str::<List>(&body) else {
                return Prepared::Retry {
                    reason: "Stripe balance transactions list: not a list".into(),
                    after_s: backoff(1),
                };
            };
            let last = list
                .data
                .last()
                .and_then(|r| serde_json::from_str::<IdOnly>(r.get()).ok());
            items.extend(list.data.iter().map(|r| r.get().to_string()));
            match (list.has_more, last) {
                (true, Some(l)) => after = Some(l.id),
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
        serde_json::from_str(json).unwrap()
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
    fn only_issued_ids_enter_the_path() {
        assert!(issued("ch_3PcA1001"));
        for bad in ["", "ch_1/../x", "ch_1?expand", "ch 1", "%2F"] {
            assert!(!issued(bad), "{bad}");
        }
    }
}
