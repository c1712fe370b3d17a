//! Posting-mode state (migration 0007): entries held for a target, the target's summaries, and the
//! two ways a held row leaves `held` (per order, or into a summary). Each transition is guarded by
//! `state = 'held'`, so two hosts deciding at once cannot send one entry both ways.

use super::{n, opt, s, Db, One, PostingState};
use ledgerbridge_core::reports::SortedMap;
use std::collections::BTreeSet;
use worker::Result;

/// What happened to a summary the core asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Settled {
    /// Stored; `true` when it has an entry to post (an outbox row was made for it).
    Stored(bool),
    /// Made meanwhile by another run, or one of its entries left `held` meanwhile: nothing was
    /// written, and the next run decides again from what is stored then.
    Lost,
}

fn ids_json(ids: &[String]) -> Result<String> {
    Ok(ledgerbridge_core::json::write::to_string(ids))
}

impl Db {
    /// The entries of `shop` held for `target` and, with `payouts`, every payout entry of the shop
    /// (they decide which summary a held entry belongs to), as stored JSON, oldest first.
    pub async fn held_entries(
        &self,
        shop: &str,
        target: &str,
        payouts: bool,
    ) -> Result<Vec<String>> {
        let rows: Vec<One<String>> = self
            .rows(
                "SELECT v FROM (
                   SELECT e.json AS v, e.created_at AS at, e.rowid AS r FROM outbox o JOIN entries e ON e.id = o.entry_id
                   WHERE o.shop = ?1 AND o.target = ?2 AND o.state = 'held'
                   UNION
                   SELECT e.json AS v, e.created_at AS at, e.rowid AS r FROM entries e
                   WHERE ?3 = 1 AND e.shop = ?1 AND e.source_kind IN ('payout', 'payout-reversal'))
                 ORDER BY at, r LIMIT 5000",
                &[s(shop), s(target), n(i64::from(payouts))],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.v).collect())
    }

    /// The state of `target`'s row for each of `ids` that has one.
    pub async fn target_states(
        &self,
        target: &str,
        ids: &[String],
    ) -> Result<SortedMap<String, PostingState>> {
        row! {
            struct Row {
                entry_id: String,
                state: PostingState,
            }
        }
        let rows: Vec<Row> = self
            .rows(
                "SELECT entry_id, state FROM outbox WHERE target = ?1 AND entry_id IN (SELECT value FROM json_each(?2))",
                &[s(target), s(&ids_json(ids)?)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| (r.entry_id, r.state)).collect())
    }

    pub async fn summary_ids(&self, shop: &str, target: &str) -> Result<BTreeSet<String>> {
        let rows: Vec<One<String>> = self
            .rows(
                "SELECT id AS v FROM summaries WHERE shop = ?1 AND target = ?2",
                &[s(shop), s(target)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.v).collect())
    }

    /// Held rows go out per order: back to `pending`, due now. Returns the (entry, target) pairs.
    pub async fn release_held(
        &self,
        target: &str,
        ids: &[String],
        now: i64,
    ) -> Result<Vec<(String, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        row! {
            struct Row {
                entry_id: String,
                target: String,
            }
        }
        let rows: Vec<Row> = self
            .rows(
                "UPDATE outbox SET state = 'pending', next_attempt_at = ?3, reason = NULL, updated_at = ?3
                 WHERE target = ?1 AND state = 'held' AND entry_id IN (SELECT value FROM json_each(?2))
                 RETURNING entry_id, target",
                &[s(target), s(&ids_json(ids)?), n(now)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| (r.entry_id, r.target)).collect())
    }

    /// Stores a summary for `target` in one transaction: its row, its covered entries' rows moved
    /// from `held` to `summarized` (target_ref = the summary id) and, when it books anything, its
    /// own pending outbox row. If the summary exists already or any covered row is no longer
    /// `held`, the transaction fails as a whole (a NOT NULL violation forced by the guard
    /// statement) and nothing is written.
    #[allow(clippy::too_many_arguments)]
    pub async fn store_summary(
        &self,
        shop: &str,
        target: &str,
        mode: &str,
        id: &str,
        json: Option<&str>,
        covers: &[String],
        now: i64,
    ) -> Result<Settled> {
        let exists: Option<One<i64>> = self
            .first(
                "SELECT 1 AS v FROM summaries WHERE id = ?1 AND target = ?2",
                &[s(id), s(target)],
            )
            .await?;
        if exists.is_some() {
            return Ok(Settled::Lost);
        }
        let count = i64::try_from(covers.len()).unwrap_or(i64::MAX);
        let mut batch = vec![
            self.q(
                "INSERT INTO summaries (id, target, shop, mode, json, covers, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                &[s(id), s(target), s(shop), s(mode), opt(json), n(count), n(now)],
            )?,
            self.q(
                "UPDATE outbox SET state = 'summarized', target_ref = ?3, reason = NULL, updated_at = ?4
                 WHERE target = ?1 AND state = 'held' AND entry_id IN (SELECT value FROM json_each(?2))",
                &[s(target), s(&ids_json(covers)?), s(id), n(now)],
            )?,
            self.q(
                "INSERT INTO summaries (id, target, shop, mode, covers, created_at)
                 SELECT NULL, ?1, ?2, 'guard', 0, ?5 WHERE (SELECT count(*) FROM outbox
                 WHERE target = ?1 AND state = 'summarized' AND target_ref = ?3) <> ?4",
                &[s(target), s(shop), s(id), n(count), n(now)],
            )?,
        ];
        if json.is_some() {
            batch.push(self.q(
                "INSERT INTO outbox (entry_id, target, shop, state, next_attempt_at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'pending', ?4, ?4, ?4)",
                &[s(id), s(target), s(shop), n(now)],
            )?);
        }
        match self.0.batch(batch).await {
            Ok(_) => Ok(Settled::Stored(json.is_some())),
            Err(e) => {
                worker::console_warn!("summary {id} for {target} not stored: {e}");
                Ok(Settled::Lost)
            }
        }
    }

    /// A posting's entry JSON: the booked entry, else the target's summary of that id.
    pub async fn posting_json(&self, entry_id: &str, target: &str) -> Result<Option<String>> {
        if let Some(json) = self.entry_json(entry_id).await? {
            return Ok(Some(json));
        }
        let row: Option<One<Option<String>>> = self
            .first(
                "SELECT json AS v FROM summaries WHERE id = ?1 AND target = ?2",
                &[s(entry_id), s(target)],
            )
            .await?;
        Ok(row.and_then(|r| r.v))
    }

    /// (shop, target) pairs with held rows: what the sweeper settles.
    pub async fn held_targets(&self) -> Result<Vec<(String, String)>> {
        row! {
            struct Row {
                shop: String,
                target: String,
            }
        }
        let rows: Vec<Row> = self
            .rows(
                "SELECT DISTINCT shop, target FROM outbox WHERE state = 'held' LIMIT 200",
                &[],
            )
            .await?;
        Ok(rows.into_iter().map(|r| (r.shop, r.target)).collect())
    }
}
