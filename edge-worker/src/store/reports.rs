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

row! {
    /// A day's row of `report_days` (migration 0013).
    #[derive(Debug)]
    pub struct ReportDay {
        pub date: String,
        pub gen: i64,
        pub built_gen: i64,
        pub config: Option<String>,
        pub body: Option<String>,
    }
}

row! {
    /// A stored entry's JSON with its day.
    #[derive(Debug)]
    pub struct DayEntry {
        pub date: String,
        pub json: String,
    }
}

row! {
    /// An entry's source id on a day whose order also has entries on another day.
    #[derive(Debug)]
    pub struct SharedId {
        pub date: String,
        pub id: String,
    }
}

/// A day aggregate built at `gen`, to store.
pub struct BuiltDay<'a> {
    pub date: &'a str,
    pub gen: i64,
    pub entries: i64,
    pub body: String,
}

impl Db {
    /// The shop's days with entries up to `to` (from `from` when given), oldest first.
    pub async fn report_days(
        &self,
        shop: &str,
        from: Option<&str>,
        to: &str,
    ) -> Result<Vec<ReportDay>> {
        self.rows(
            "SELECT date, gen, built_gen, config, body FROM report_days
             WHERE shop = ?1 AND (?2 IS NULL OR date >= ?2) AND date <= ?3 ORDER BY date",
            &[s(shop), opt(from), s(to)],
        )
        .await
    }

    /// The entries of the given days (a JSON array of dates), in the order reports read them,
    /// at most `limit`; summaries left out.
    pub async fn entries_of_days(
        &self,
        shop: &str,
        dates: &str,
        limit: usize,
    ) -> Result<Vec<DayEntry>> {
        self.rows(
            "SELECT date, json FROM entries WHERE shop = ?1 AND date IN (SELECT value FROM json_each(?2))
             AND source_kind <> 'summary' ORDER BY date, created_at, rowid LIMIT ?3",
            &[s(shop), s(dates), n(limit as i64)],
        )
        .await
    }

    /// Source ids on the given days that may also count on another day: their order has an
    /// entry dated elsewhere, or they belong to no order. Over-answering is safe (the id is
    /// listed rather than counted), under-answering is not.
    pub async fn shared_ids(&self, shop: &str, dates: &str) -> Result<Vec<SharedId>> {
        self.rows(
            "SELECT DISTINCT e.date AS date, e.source_id AS id FROM entries e
             WHERE e.shop = ?1 AND e.date IN (SELECT value FROM json_each(?2)) AND e.source_kind <> 'summary'
             AND (e.order_key IS NULL
                  OR EXISTS (SELECT 1 FROM entries o WHERE o.order_key = e.order_key AND o.date <> e.date))",
            &[s(shop), s(dates)],
        )
        .await
    }

    /// Stores day aggregates, each only if its day has not changed since it was read (`gen`).
    pub async fn store_report_days(
        &self,
        shop: &str,
        config: &str,
        days: &[BuiltDay<'_>],
    ) -> Result<()> {
        if days.is_empty() {
            return Ok(());
        }
        let statements =
            days.iter()
                .map(|d| {
                    self.q(
                    "UPDATE report_days SET body = ?1, built_gen = ?2, config = ?3, entries = ?4
                     WHERE shop = ?5 AND date = ?6 AND gen = ?2",
                    &[s(&d.body), n(d.gen), s(config), n(d.entries), s(shop), s(d.date)],
                )
                })
                .collect::<Result<Vec<_>>>()?;
        self.0.batch(statements).await.map(|_| ())
    }
}

impl Db {
    /// How many entries a report would read, counted up to `limit` (enough to pick its path).
    pub async fn count_report_entries(
        &self,
        shop: &str,
        from: Option<&str>,
        to: &str,
        limit: usize,
    ) -> Result<usize> {
        let row: Option<One<i64>> = self
            .first(
                "SELECT COUNT(*) AS v FROM (SELECT 1 FROM entries WHERE shop = ?1 AND (?2 IS NULL OR date >= ?2)
                 AND date <= ?3 AND source_kind <> 'summary' LIMIT ?4)",
                &[s(shop), opt(from), s(to), n(limit as i64)],
            )
            .await?;
        Ok(row.map_or(0, |r| usize::try_from(r.v).unwrap_or(0)))
    }
}
