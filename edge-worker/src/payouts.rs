//! Shopify Payments payouts, polled by the sweeper: Shopify has no payout webhook topic. For each
//! shop with a `shopify` block and an Admin API token, every sweep lists the payouts after the
//! shop's cursor (REST `shopify_payments/payouts.json?since_id=`, the shapes the core's payout
//! adapter reads; GraphQL `shopifyPaymentsAccount.payouts` names the same payouts in other shapes),
//! fetches each paid payout's balance transactions (every `Link` page) and records
//! `{"payout", "balance_transactions", "fees_booked_with_orders": true}` as an event with delivery
//! id `payout:<id>`: polling a payout again is a no-op at intake.
//!
//! Never losing a payout: the cursor (`pull_cursors`, source `shopify-payouts`) moves past a
//! payout only once it is recorded, or when it can book nothing (failed, canceled); it stops at a
//! payout not yet paid (scheduled), which is listed again until it is. Any error ends the shop's
//! poll for this sweep where it is; the next sweep resumes there.

use crate::config::Settings;
use crate::fetch::shopify::API_VERSION;
use crate::http::{call, excerpt, Reply};
use crate::peek;
use crate::queue;
use crate::store::{Db, NewEvent, Recorded};
use ledgerbridge_core::platforms::shopify::FEES_BOOKED_WITH_ORDERS_KEY;
use worker::{Env, Method, Result};

/// Payouts handled per shop per sweep (the cron runs every two minutes), so one sweep's work
/// stays bounded; a backlog drains over the following sweeps.
const PAYOUTS_PER_SWEEP: usize = 5;
/// Payouts per list page; balance transactions per page (the REST maximum).
const PAYOUT_PAGE: usize = 50;
const TXN_PAGE: usize = 250;
/// 200 pages × 250: the 50 000 items the core takes in one payout.
const TXN_PAGES_MAX: usize = 200;
const CURSOR: &str = "shopify-payouts";

pub async fn run(env: &Env, settings: &Settings, db: &Db, now: i64) -> Result<usize> {
    let mut recorded = 0;
    for (shop, config) in settings.shopify_shops() {
        let Some((base, token)) = config.shopify_admin(env, &shop) else {
            continue;
        };
        let poll = Poll {
            settings,
            db,
            shop: &shop,
            base: &base,
            token: &token,
        };
        match poll.run(env, now).await {
            Ok(n) => recorded += n,
            // One shop's trouble must not stop the others (or the sweeper).
            Err(e) => worker::console_warn!("payouts {shop}: {e}"),
        }
    }
    Ok(recorded)
}

/// What the poll reads of a listed payout: its id (required) and status (default empty).
struct PayoutPeek {
    id: u64,
    status: String,
}

fn payout_peek(raw: &str) -> std::result::Result<PayoutPeek, String> {
    let [id, status] = peek::members(raw, ["id", "status"]).map_err(|e| e.to_string())?;
    Ok(PayoutPeek {
        id: peek::whole(id).ok_or("payout without a numeric id")?,
        status: match status {
            Some(s) => peek::text(Some(s)).ok_or("payout status is not a string")?,
            None => String::new(),
        },
    })
}

struct Poll<'a> {
    settings: &'a Settings,
    db: &'a Db,
    shop: &'a str,
    base: &'a str,
    token: &'a str,
}

fn fail(what: String) -> worker::Error {
    worker::Error::RustError(what)
}

impl Poll<'_> {
    async fn run(&self, env: &Env, now: i64) -> Result<usize> {
        let since: u64 = match self.db.pull_cursor(CURSOR, self.shop).await? {
            Some(c) => c.parse().unwrap_or(0),
            None => 0,
        };
        let api = format!("{}/admin/api/{API_VERSION}/shopify_payments", self.base);
        let mut next = Some(format!(
            "{api}/payouts.json?since_id={since}&limit={PAYOUT_PAGE}"
        ));
        let mut fresh = Vec::new();
        let mut handled = 0;
        let outcome = async {
            'pages: while let Some(url) = next.take() {
                let reply = self.get(&url, "payouts list").await?;
                let list = peek::list(&reply.body, "payouts")
                    .map_err(|e| fail(format!("payouts list: {e}")))?;
                let mut payouts = list
                    .iter()
                    .map(|raw| {
                        payout_peek(raw)
                            .map(|p| (p, *raw))
                            .map_err(|e| fail(format!("payouts list: {e}")))
                    })
                    .collect::<Result<Vec<_>>>()?;
                ledgerbridge_core::reports::sort_stable(&mut payouts, |(a, _), (b, _)| {
                    a.id.cmp(&b.id)
                });
                for (payout, raw) in payouts {
                    if handled == PAYOUTS_PER_SWEEP {
                        break 'pages;
                    }
                    match payout.status.as_str() {
                        "paid" => {
                            let items = self.transactions(&api, payout.id).await?;
                            if let Some(id) = self.record(payout.id, raw, &items, now).await? {
                                fresh.push(id);
                            }
                        }
                        // Nothing reached the bank: nothing to book, nothing to wait for.
                        "failed" | "canceled" | "cancelled" => {}
                        // Scheduled (or in transit): it will be paid; the cursor must not pass it.
                        _ => break 'pages,
                    }
                    self.db
                        .set_pull_cursor(CURSOR, self.shop, &payout.id.to_string(), now)
                        .await?;
                    handled += 1;
                }
                next = self.next_page(&reply)?;
            }
            Ok::<(), worker::Error>(())
        }
        .await;
        // What was recorded is mapped even when the poll stopped early.
        queue::enqueue(env, &fresh, &[]).await?;
        outcome.map(|()| fresh.len())
    }

    /// Every balance transaction of one payout, all pages, in the API's order.
    async fn transactions(&self, api: &str, payout_id: u64) -> Result<Vec<String>> {
        let mut items = Vec::new();
        let mut next = Some(format!(
            "{api}/balance/transactions.json?payout_id={payout_id}&limit={TXN_PAGE}"
        ));
        for _ in 0..TXN_PAGES_MAX {
            let Some(url) = next.take() else {
                return Ok(items);
            };
            let reply = self.get(&url, "balance transactions").await?;
            let page = peek::list(&reply.body, "transactions")
                .map_err(|e| fail(format!("balance transactions of payout {payout_id}: {e}")))?;
            items.extend(page.iter().map(|r| r.to_string()));
            next = self.next_page(&reply)?;
        }
        Err(fail(format!(
            "payout {payout_id} has more than {} balance transactions",
            TXN_PAGE * TXN_PAGES_MAX
        )))
    }

    async fn record(
        &self,
        payout_id: u64,
        payout: &str,
        items: &[String],
        now: i64,
    ) -> Result<Option<i64>> {
        // The flag: this shop's orders are mapped with their fees (the poll needs the token the
        // fee fetch uses), so the payout settles each charge's net and books no fee again.
        let payload = format!(
            "{{\"payout\":{},\"balance_transactions\":[{}],\"{FEES_BOOKED_WITH_ORDERS_KEY}\":true}}",
            payout,
            items.join(",")
        );
        let event = NewEvent {
            platform: "shopify",
            shop: self.shop,
            topic: "payouts/paid",
            delivery_id: &format!("payout:{payout_id}"),
            resource: "payout",
            order_id: None,
            payload: &payload,
            body_sha256: None,
        };
        Ok(match self.db.record_event(&event, now).await? {
            Recorded::New(id) => Some(id),
            Recorded::SeenBefore => None,
        })
    }

    async fn get(&self, url: &str, what: &str) -> Result<Reply> {
        let headers = [
            ("x-shopify-access-token", self.token),
            ("accept", "application/json"),
        ];
        let reply = call(
            Method::Get,
            url,
            &headers,
            None,
            self.settings.target_timeout_ms,
        )
        .await
        .map_err(|e| fail(format!("{what}: {e}")))?;
        match reply.status {
            200..=299 => Ok(reply),
            429 => Err(fail(format!(
                "{what}: rate limited (429, Retry-After {}): resumed next sweep",
                reply.header("retry-after").unwrap_or_default()
            ))),
            status => Err(fail(format!(
                "{what} answered {status}: {}",
                excerpt(&reply.body)
            ))),
        }
    }

    /// The `rel="next"` URL of a `Link` header, used verbatim (its `page_info` is opaque); one
    /// that leaves the shop's Admin API is refused, so the token is never sent elsewhere.
    fn next_page(&self, reply: &Reply) -> Result<Option<String>> {
        let Some(url) = reply.header("link").as_deref().and_then(link_next) else {
            return Ok(None);
        };
        if !url.starts_with(&format!("{}/", self.base)) {
            return Err(fail(format!(
                "a next page outside the shop's Admin API: {}",
                excerpt(&url)
            )));
        }
        Ok(Some(url))
    }
}

/// `<https://…page_info=x&limit=50>; rel="next", <…>; rel="previous"` → the next URL.
pub(crate) fn link_next(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"");
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| url.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_is_found_among_the_relations() {
        let h = r#"<https://s.myshopify.com/admin/api/2025-10/x.json?page_info=p1&limit=2>; rel="previous", <https://s.myshopify.com/admin/api/2025-10/x.json?page_info=n2&limit=2>; rel="next""#;
        assert_eq!(
            link_next(h).as_deref(),
            Some("https://s.myshopify.com/admin/api/2025-10/x.json?page_info=n2&limit=2")
        );
        assert_eq!(
            link_next(r#"<https://a/x?page_info=p>; rel="previous""#),
            None
        );
        assert_eq!(link_next(""), None);
    }
}
