//! `/api/status`: what was received, posted, pending, parked and rejected, with reasons.

use super::{n, opt, s, Db, One};
use crate::browse::counts;
use crate::reply::{self, Obj};
use ledgerbridge_core::Platform;
use std::collections::BTreeMap;
use worker::Result;

/// A UTC day number (Unix milliseconds / 86 400 000): the grain of the refusal counters.
const DAY_MS: i64 = 86_400_000;
/// Refusal counters kept for the status page.
const REJECTIONS_KEPT_DAYS: i64 = 30;
/// Body hashes kept against replays: longer than any platform retries one delivery (Shopify 8
/// times over 4 hours, Stripe up to 3 days, BigCommerce and WooCommerce less), so no genuine
/// retry of a recorded body is booked twice within it; a replay after it still meets the delivery
/// id memory, Stripe's signed timestamp and the ledger's version heads (docs/worker.md).
const BODIES_KEPT_MS: i64 = 7 * DAY_MS;

impl Db {
    /// Counts a refused (or ignored) delivery. Only a known platform and a fixed reason (a
    /// `&'static` code, never request text) are stored, one row per platform, reason and day.
    pub async fn reject(&self, platform: Platform, reason: &'static str, now: i64) -> Result<()> {
        self.run(
            "INSERT INTO rejection_counts (platform, reason, day, n) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (platform, reason, day) DO UPDATE SET n = n + 1",
            &[s(platform.as_str()), s(reason), n(now / DAY_MS)],
        )
        .await
        .map(|_| ())
    }

    /// The sweeper's pruning of what intake keeps: old refusal counters and body hashes.
    pub async fn prune_intake(&self, now: i64) -> Result<()> {
        self.run(
            "DELETE FROM rejection_counts WHERE day < ?1",
            &[n(now / DAY_MS - REJECTIONS_KEPT_DAYS)],
        )
        .await?;
        self.run(
            "DELETE FROM seen_bodies WHERE seen_at < ?1",
            &[n(now - BODIES_KEPT_MS)],
        )
        .await
        .map(|_| ())
    }

    // ------------------------------------------------------------ status

    /// Counts for one shop, or for the whole deployment (`None`). Rejected deliveries carry no
    /// trustworthy shop (their signature failed), so only the deployment-wide view lists them.
    pub async fn status(&self, shop: Option<&str>) -> Result<Obj> {
        let only = [opt(shop)];
        row! {
            struct Count {
                k: String,
                n: i64,
            }
        }
        row! {
            struct Parked {
                entry_id: String,
                target: String,
                attempts: i64,
                reason: Option<String>,
            }
        }
        let events: Vec<Count> = self
            .rows(
                "SELECT status AS k, count(*) AS n FROM events WHERE (?1 IS NULL OR shop = ?1)
                 GROUP BY status ORDER BY status",
                &only,
            )
            .await?;
        let event_reasons: Vec<Count> = self
            .rows(
                "SELECT status || ': ' || reason AS k, count(*) AS n FROM events WHERE reason IS NOT NULL
                 AND status IN ('parked', 'waiting-for-order') AND (?1 IS NULL OR shop = ?1) GROUP BY k ORDER BY k",
                &only,
            )
            .await?;
        let outbox: Vec<Count> = self
            .rows(
                "SELECT target || ':' || state AS k, count(*) AS n FROM outbox WHERE (?1 IS NULL OR shop = ?1)
                 GROUP BY k ORDER BY k",
                &only,
            )
            .await?;
        let parked: Vec<Parked> = self
            .rows(
                "SELECT entry_id, target, attempts, reason FROM outbox WHERE state = 'parked' AND (?1 IS NULL OR shop = ?1)
                 ORDER BY updated_at DESC LIMIT 100",
                &only,
            )
            .await?;
        let pending: Vec<Parked> = self
            .rows(
                "SELECT entry_id, target, attempts, reason FROM outbox WHERE state = 'pending' AND reason IS NOT NULL
                 AND (?1 IS NULL OR shop = ?1) ORDER BY updated_at DESC LIMIT 100",
                &only,
            )
            .await?;
        let rejected: Vec<Count> = match shop {
            Some(_) => Vec::new(),
            None => {
                self.rows(
                    "SELECT platform || ':' || reason AS k, sum(n) AS n FROM rejection_counts GROUP BY k ORDER BY k",
                    &[],
                )
                .await?
            }
        };
        let received: Option<One<i64>> = self
            .first(
                "SELECT count(*) AS v FROM events WHERE (?1 IS NULL OR shop = ?1)",
                &only,
            )
            .await?;
        let map = |rows: Vec<Count>| counts(rows.into_iter().map(|c| (c.k, c.n)));
        // Summed over distinct keys: a repeated key (none from GROUP BY) counted once, as the map
        // this replaced did.
        let mut outbox_by_key = BTreeMap::<&str, i64>::new();
        for c in &outbox {
            outbox_by_key.insert(&c.k, c.n);
        }
        let mut totals = BTreeMap::<&str, i64>::new();
        for (k, v) in &outbox_by_key {
            if let Some((_, state)) = k.split_once(':') {
                for state_name in ["pending", "posted", "parked"] {
                    if state == state_name {
                        *totals.entry(state_name).or_default() += v;
                    }
                }
            }
        }
        let postings = |rows: &[Parked]| {
            let rows: Vec<String> = rows
                .iter()
                .map(|p| {
                    Obj::new()
                        .str("entry_id", &p.entry_id)
                        .str("target", &p.target)
                        .int("attempts", p.attempts)
                        .opt("reason", p.reason.as_deref())
                        .text()
                })
                .collect();
            reply::list(&rows)
        };
        let total = |state: &str| totals.get(state).copied().unwrap_or(0);
        Ok(Obj::new()
            .opt("shop", shop)
            .int("received", received.map(|r| r.v).unwrap_or(0))
            .raw("events", map(events))
            .raw("event_reasons", map(event_reasons))
            .int("posted", total("posted"))
            .int("pending", total("pending"))
            .int("parked", total("parked"))
            .raw("parked_postings", postings(&parked))
            .raw("retrying_postings", postings(&pending))
            .raw("rejected", map(rejected))
            .raw("outbox", map(outbox)))
    }
}
