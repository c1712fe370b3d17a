//! Queries of `/api/reports`: one shop's entries by booking date.

use super::{n, opt, s, Db, One};
use worker::Result;

impl Db {
    /// The shop's entries booked on or before `to` (and on or after `from`, when given), oldest
    /// first, at most `limit`. Summaries are left out: they net whole days or payouts, and the
    /// entries they cover are in the ledger themselves.
    pub async fn report_entries(
        &self,
        shop: &str,
        from: Option<&str>,
        to: &str,
        limit: usize,
    ) -> Result<Vec<String>> {
        let rows: Vec<One<String>> = self
            .rows(
                "SELECT json AS v FROM entries WHERE shop = ?1 AND (?2 IS NULL OR date >= ?2) AND date <= ?3
                 AND source_kind <> 'summary' ORDER BY date, created_at, rowid LIMIT ?4",
                &[s(shop), opt(from), s(to), n(limit as i64)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.v).collect())
    }
}
