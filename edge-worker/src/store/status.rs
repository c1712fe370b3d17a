//! `/api/status`: what was received, posted, pending, parked and rejected, with reasons.

use super::{opt, Db, One};
use serde::Deserialize;
use std::collections::BTreeMap;
use worker::Result;

impl Db {
    // ------------------------------------------------------------ status

    /// Counts for one shop, or for the whole deployment (`None`). Rejected deliveries carry no
    /// trustworthy shop (their signature failed), so only the deployment-wide view lists them.
    pub async fn status(&self, shop: Option<&str>) -> Result<serde_json::Value> {
        let only = [opt(shop)];
        #[derive(Deserialize, serde::Serialize)]
        struct Count {
            k: String,
            n: i64,
        }
        #[derive(Deserialize, serde::Serialize)]
        struct Parked {
            entry_id: String,
            target: String,
            attempts: i64,
            reason: Option<String>,
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
                    "SELECT platform || ':' || reason AS k, count(*) AS n FROM rejections GROUP BY k ORDER BY k",
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
        let map = |rows: Vec<Count>| {
            rows.into_iter()
                .map(|c| (c.k, serde_json::Value::from(c.n)))
                .collect::<serde_json::Map<_, _>>()
        };
        let mut totals = BTreeMap::<&str, i64>::new();
        let outbox = map(outbox);
        for (k, v) in &outbox {
            if let (Some((_, state)), Some(v)) = (k.split_once(':'), v.as_i64()) {
                for state_name in ["pending", "posted", "parked"] {
                    if state == state_name {
                        *totals.entry(state_name).or_default() += v;
                    }
                }
            }
        }
        Ok(serde_json::json!({
            "shop": shop,
            "received": received.map(|r| r.v).unwrap_or(0),
            "events": map(events),
            "event_reasons": map(event_reasons),
            "posted": totals.get("posted").copied().unwrap_or(0),
            "pending": totals.get("pending").copied().unwrap_or(0),
            "parked": totals.get("parked").copied().unwrap_or(0),
            "outbox": outbox,
            "parked_postings": parked,
            "retrying_postings": pending,
            "rejected": map(rejected),
        }))
    }
}
