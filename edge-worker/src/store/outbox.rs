//! Delivery state: outbox rows, the sweeper's queries, OAuth tokens and rate budgets.

use super::{n, s, Db, One, OutboxRow, TokenRow};
use worker::Result;

row! {
    /// An outbox row's key, as `RETURNING entry_id, target` gives it.
    struct Row {
        entry_id: String,
        target: String,
    }
}

impl Db {
    // ------------------------------------------------------------ outbox

    pub async fn outbox_row(&self, entry_id: &str, target: &str) -> Result<Option<OutboxRow>> {
        self.first(
            "SELECT entry_id, target, shop, state, attempts, next_attempt_at FROM outbox WHERE entry_id = ?1 AND target = ?2",
            &[s(entry_id), s(target)],
        )
        .await
    }

    pub async fn mark_posted(&self, row: &OutboxRow, target_ref: &str, now: i64) -> Result<()> {
        self.run(
            "UPDATE outbox SET state = 'posted', target_ref = ?3, reason = NULL, attempts = attempts + 1, posted_at = ?4,
             updated_at = ?4 WHERE entry_id = ?1 AND target = ?2 AND state = 'pending'",
            &[s(&row.entry_id), s(&row.target), s(target_ref), n(now)],
        )
        .await
        .map(|_| ())
    }

    pub async fn mark_retry(
        &self,
        row: &OutboxRow,
        attempts: i64,
        next_at: i64,
        reason: &str,
        now: i64,
    ) -> Result<()> {
        self.run(
            "UPDATE outbox SET attempts = ?3, next_attempt_at = ?4, reason = ?5, updated_at = ?6
             WHERE entry_id = ?1 AND target = ?2 AND state = 'pending'",
            &[
                s(&row.entry_id),
                s(&row.target),
                n(attempts),
                n(next_at),
                s(reason),
                n(now),
            ],
        )
        .await
        .map(|_| ())
    }

    pub async fn mark_parked(
        &self,
        row: &OutboxRow,
        attempts: i64,
        reason: &str,
        now: i64,
    ) -> Result<()> {
        self.run(
            "UPDATE outbox SET state = 'parked', attempts = ?3, reason = ?4, updated_at = ?5
             WHERE entry_id = ?1 AND target = ?2 AND state = 'pending'",
            &[
                s(&row.entry_id),
                s(&row.target),
                n(attempts),
                s(reason),
                n(now),
            ],
        )
        .await
        .map(|_| ())
    }

    /// Parked postings back to pending with a fresh retry budget, after the merchant fixed what
    /// parked them (a reconnected account, an opened period, a restored account). Each filter is
    /// optional. Returns the (entry, target) pairs to enqueue.
    pub async fn replay_postings(
        &self,
        shop: Option<&str>,
        target: Option<&str>,
        entry_id: Option<&str>,
        now: i64,
    ) -> Result<Vec<(String, String)>> {
        let rows: Vec<Row> = self
            .rows(
                "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?4, reason = 'replayed', updated_at = ?4
                 WHERE state = 'parked' AND (?1 IS NULL OR shop = ?1) AND (?2 IS NULL OR target = ?2)
                 AND (?3 IS NULL OR entry_id = ?3) RETURNING entry_id, target",
                &[super::opt(shop), super::opt(target), super::opt(entry_id), n(now)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| (r.entry_id, r.target)).collect())
    }

    /// Parked events (mapping failed: bad payload, bad config) back to received, to be mapped
    /// again with the shop's current config.
    pub async fn replay_events(&self, shop: Option<&str>, now: i64) -> Result<Vec<i64>> {
        let rows: Vec<One<i64>> = self
            .rows(
                "UPDATE events SET status = 'received', reason = NULL, updated_at = ?2
                 WHERE status = 'parked' AND (?1 IS NULL OR shop = ?1) RETURNING id AS v",
                &[super::opt(shop), n(now)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.v).collect())
    }

    // ------------------------------------------------------------ sweeper

    /// Events recorded but not mapped since `before` (their queue message was lost), plus refunds
    /// waiting for an order that has arrived since. Touched so the next sweep skips them.
    pub async fn sweep_events(&self, before: i64, now: i64) -> Result<Vec<i64>> {
        let rows: Vec<One<i64>> = self
            .rows(
                "UPDATE events SET status = 'received', updated_at = ?2 WHERE id IN (
                   SELECT e.id FROM events e WHERE (e.status = 'received' AND e.updated_at <= ?1)
                   OR (e.status = 'waiting-for-order' AND EXISTS (SELECT 1 FROM orders_seen o
                       WHERE o.order_key = e.platform || ':' || e.shop || ':order:' || e.order_id))
                   LIMIT 100) RETURNING id AS v",
                &[n(before), n(now)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.v).collect())
    }

    /// Pending outbox rows that are due and untouched since `before`.
    pub async fn sweep_outbox(&self, before: i64, now: i64) -> Result<Vec<(String, String)>> {
        let rows: Vec<Row> = self
            .rows(
                "UPDATE outbox SET updated_at = ?2 WHERE rowid IN (SELECT rowid FROM outbox WHERE state = 'pending'
                 AND next_attempt_at <= ?2 AND updated_at <= ?1 LIMIT 100) RETURNING entry_id, target",
                &[n(before), n(now)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| (r.entry_id, r.target)).collect())
    }

    // ------------------------------------------------------------ tokens and budgets

    pub async fn token(&self, provider: &str, shop: &str) -> Result<Option<TokenRow>> {
        self.first(
            "SELECT access_token, access_expires_at, refresh_token FROM tokens WHERE provider = ?1 AND shop = ?2",
            &[s(provider), s(shop)],
        )
        .await
    }

    pub async fn seed_token(
        &self,
        provider: &str,
        shop: &str,
        refresh_token: &str,
        now: i64,
    ) -> Result<()> {
        self.run(
            "INSERT INTO tokens (provider, shop, refresh_token, updated_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            &[s(provider), s(shop), s(refresh_token), n(now)],
        )
        .await
        .map(|_| ())
    }

    pub async fn forget_tokens(&self, provider: &str, shop: &str) -> Result<()> {
        self.run(
            "DELETE FROM tokens WHERE provider = ?1 AND shop = ?2",
            &[s(provider), s(shop)],
        )
        .await
        .map(|_| ())
    }

    /// Takes the refresh lease unless another invocation holds an unexpired one.
    pub async fn take_refresh_lease(
        &self,
        provider: &str,
        shop: &str,
        now: i64,
        until: i64,
    ) -> Result<bool> {
        let changed = self
            .run(
                "UPDATE tokens SET lock_until = ?4 WHERE provider = ?1 AND shop = ?2 AND lock_until <= ?3",
                &[s(provider), s(shop), n(now), n(until)],
            )
            .await?;
        Ok(changed == 1)
    }

    pub async fn release_refresh_lease(&self, provider: &str, shop: &str) -> Result<()> {
        self.run(
            "UPDATE tokens SET lock_until = 0 WHERE provider = ?1 AND shop = ?2",
            &[s(provider), s(shop)],
        )
        .await
        .map(|_| ())
    }

    pub async fn store_tokens(
        &self,
        provider: &str,
        shop: &str,
        access: &str,
        expires_at: i64,
        refresh: &str,
        now: i64,
    ) -> Result<()> {
        self.run(
            "UPDATE tokens SET access_token = ?3, access_expires_at = ?4, refresh_token = ?5, lock_until = 0, updated_at = ?6
             WHERE provider = ?1 AND shop = ?2",
            &[s(provider), s(shop), s(access), n(expires_at), s(refresh), n(now)],
        )
        .await
        .map(|_| ())
    }

    /// Forgets an access token the target refused, so the next call refreshes.
    /// Expires the access token if it is still `sealed` (or, in a row written before tokens
    /// were sealed, `plain`): a newer token stored meanwhile is left alone.
    pub async fn expire_access(
        &self,
        provider: &str,
        shop: &str,
        sealed: &str,
        plain: &str,
    ) -> Result<()> {
        self.run(
            "UPDATE tokens SET access_expires_at = 0 WHERE provider = ?1 AND shop = ?2 AND access_token IN (?3, ?4)",
            &[s(provider), s(shop), s(sealed), s(plain)],
        )
        .await
        .map(|_| ())
    }

    /// Counts one call in `window` and returns the calls made in it so far (this one included).
    pub async fn spend(&self, provider: &str, shop: &str, window: &str) -> Result<i64> {
        let row: Option<One<i64>> = self
            .first(
                "INSERT INTO rate_budget (provider, shop, window, calls) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (provider, shop, window) DO UPDATE SET calls = calls + 1 RETURNING calls AS v",
                &[s(provider), s(shop), s(window)],
            )
            .await?;
        Ok(row.map(|r| r.v).unwrap_or(1))
    }

    /// Gives back a call counted by `spend` that was not made after all.
    pub async fn pull_cursor(&self, source: &str, shop: &str) -> Result<Option<String>> {
        let row: Option<One<String>> = self
            .first(
                "SELECT cursor AS v FROM pull_cursors WHERE source = ?1 AND shop = ?2",
                &[s(source), s(shop)],
            )
            .await?;
        Ok(row.map(|r| r.v))
    }

    pub async fn set_pull_cursor(
        &self,
        source: &str,
        shop: &str,
        cursor: &str,
        now: i64,
    ) -> Result<()> {
        self.run(
            "INSERT INTO pull_cursors (source, shop, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (source, shop) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
            &[s(source), s(shop), s(cursor), n(now)],
        )
        .await
        .map(|_| ())
    }

    /// Drops budget windows long over (slices and minutes after ten minutes, days after two), so
    /// the table stays as small as the windows that still matter.
    pub async fn prune_budgets(&self, now_ms: i64) -> Result<usize> {
        let now_s = now_ms / 1000;
        self.run(
            "DELETE FROM rate_budget WHERE CAST(substr(window, 3) AS INTEGER) < CASE substr(window, 1, 1)
               WHEN 's' THEN ?1 WHEN 'm' THEN ?2 ELSE ?3 END",
            &[n(now_s / 6 - 100), n(now_s / 60 - 10), n(now_s / 86_400 - 2)],
        )
        .await
    }

    pub async fn refund_call(&self, provider: &str, shop: &str, window: &str) -> Result<()> {
        self.run(
            "UPDATE rate_budget SET calls = calls - 1 WHERE provider = ?1 AND shop = ?2 AND window = ?3 AND calls > 0",
            &[s(provider), s(shop), s(window)],
        )
        .await
        .map(|_| ())
    }
}
