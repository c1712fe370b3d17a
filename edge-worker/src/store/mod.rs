//! Every SQL statement of the worker, against the D1 binding `LEDGER` (schema: migrations/):
//! intake, events and the ledger here; delivery state in [`outbox`]; counts in [`status`]; the
//! merchant's order list, attention list and ledger pages in [`browse`].

#[macro_use]
mod row;

mod browse;
mod clearing;
mod config;
mod connect;
mod documents;
mod erasure;
mod outbox;
pub mod privacy;
mod reports;
mod state;
mod status;
mod summaries;

pub use browse::{Cursor, OrderFilter, OrderRow, ParkedEvent, ParkedPosting, ORDER_STATES};
pub use clearing::ParkedPayout;
pub use config::{ConfigVersion, NewConfig, RecentOrder, StoredConfig};
pub use connect::{Connection, OAuthState};
pub use documents::{ContactRow, HeldContact, NewDocument};
pub use reports::{BuiltDay, ReportDay};
pub use state::{EventStatus, PostingState};
pub use summaries::Settled;

use ledgerbridge_core::journal::entry_from_json;
use ledgerbridge_core::journal::plan::{Head, Plan};
use ledgerbridge_core::Entry;
use row::{Column, FromRow, Raw, Row};
use std::collections::{BTreeMap, BTreeSet};
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env, Result};

pub struct Db(D1Database);

pub fn now_ms() -> i64 {
    worker::Date::now().as_millis() as i64
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn n(v: i64) -> JsValue {
    // D1 numbers are JS doubles: exact up to 2^53, far beyond any millisecond time or counter here.
    JsValue::from_f64(v as f64)
}

fn opt(v: Option<&str>) -> JsValue {
    v.map(s).unwrap_or(JsValue::NULL)
}

row! {
    #[derive(Debug, Clone)]
    pub struct EventRow {
        pub id: i64,
        pub platform: String,
        pub shop: String,
        pub topic: String,
        pub resource: String,
        pub order_id: Option<String>,
        pub payload: String,
        pub status: EventStatus,
    }
}

impl EventRow {
    pub fn order_key(&self) -> Option<String> {
        self.order_id
            .as_ref()
            .map(|id| order_key(&self.platform, &self.shop, id))
    }
}

pub fn order_key(platform: &str, shop: &str, order_id: &str) -> String {
    format!("{platform}:{shop}:order:{order_id}")
}

pub struct NewEvent<'a> {
    pub platform: &'a str,
    pub shop: &'a str,
    pub topic: &'a str,
    pub delivery_id: &'a str,
    pub resource: &'a str,
    pub order_id: Option<&'a str>,
    pub payload: &'a str,
    /// The raw body's hex SHA-256, for a webhook: a body already recorded for the same platform
    /// and shop is a duplicate whatever its delivery id (which the signature does not cover).
    /// `None` for the reconciliation pull, whose payloads are the API's documents, not signed bodies.
    pub body_sha256: Option<&'a str>,
}

/// What a commit records beside the plan.
pub struct Booking<'a> {
    /// The event's note (what was skipped, what the fetch said).
    pub note: Option<&'a str>,
    /// The saved config version the entries were mapped with (`None`: the `SHOPS` var's).
    pub config_version: Option<i64>,
}

pub enum Recorded {
    New(i64),
    SeenBefore,
}

row! {
    #[derive(Debug, Clone)]
    pub struct OutboxRow {
        pub entry_id: String,
        pub target: String,
        pub shop: String,
        pub state: PostingState,
        pub attempts: i64,
        pub next_attempt_at: i64,
    }
}

row! {
    #[derive(Debug, Clone)]
    pub struct TokenRow {
        pub access_token: Option<String>,
        pub access_expires_at: i64,
        pub refresh_token: String,
    }
}

/// Entries stored as JSON (`entries.json`), read back; the error names the first unreadable one.
pub fn stored_entries(rows: &[String]) -> std::result::Result<Vec<Entry>, String> {
    rows.iter()
        .map(|json| entry_from_json(json).map_err(|e| format!("stored entry unreadable: {e}")))
        .collect()
}

/// A query's one column, named `v`.
struct One<T> {
    v: T,
}

impl<T: Column> FromRow for One<T> {
    fn from_row(r: &Row) -> Result<Self> {
        Ok(One { v: r.get("v")? })
    }
}

impl Db {
    pub fn new(env: &Env) -> Result<Db> {
        Ok(Db(env.d1("LEDGER")?))
    }

    fn q(&self, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement> {
        self.0.prepare(sql).bind(args)
    }

    async fn run(&self, sql: &str, args: &[JsValue]) -> Result<usize> {
        let result = self.q(sql, args)?.run().await?;
        Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0))
    }

    async fn rows<T: FromRow>(&self, sql: &str, args: &[JsValue]) -> Result<Vec<T>> {
        let raw = self.raw_rows(sql, args).await?;
        // A loop, not `collect::<Result<Vec<_>>>`: that adapter chain was compiled per row type.
        let mut out = Vec::with_capacity(raw.len());
        for row in raw {
            out.push(Row::read(row)?);
        }
        Ok(out)
    }

    async fn first<T: FromRow>(&self, sql: &str, args: &[JsValue]) -> Result<Option<T>> {
        self.raw_first(sql, args).await?.map(Row::read).transpose()
    }

    // The queries themselves, once: a generic `rows`/`first` compiled D1's futures again for
    // every row type.
    async fn raw_rows(&self, sql: &str, args: &[JsValue]) -> Result<Vec<Raw>> {
        self.q(sql, args)?.all().await?.results()
    }

    async fn raw_first(&self, sql: &str, args: &[JsValue]) -> Result<Option<Raw>> {
        self.q(sql, args)?.first(None).await
    }

    // ------------------------------------------------------------ intake

    /// Records a verified delivery and its delivery id in one transaction; a delivery id (or, for
    /// a webhook, a body) seen before records nothing. Each insert runs only if the one before it
    /// inserted (`changes() = 1`).
    pub async fn record_event(&self, e: &NewEvent<'_>, now: i64) -> Result<Recorded> {
        let mut batch = Vec::new();
        let delivery = match e.body_sha256 {
            Some(hash) => {
                batch.push(self.q(
                    "INSERT INTO seen_bodies (platform, shop, sha256, seen_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                    &[s(e.platform), s(e.shop), s(hash), n(now)],
                )?);
                "INSERT INTO seen_deliveries (platform, delivery_id, seen_at) SELECT ?1, ?2, ?3 WHERE changes() = 1
                 ON CONFLICT DO NOTHING"
            }
            None => "INSERT INTO seen_deliveries (platform, delivery_id, seen_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        };
        batch.push(self.q(delivery, &[s(e.platform), s(e.delivery_id), n(now)])?);
        let event_at = batch.len();
        batch.push(self.q(
            "INSERT INTO events (platform, shop, topic, delivery_id, resource, order_id, payload, received_at, updated_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8 WHERE changes() = 1",
            &[s(e.platform), s(e.shop), s(e.topic), s(e.delivery_id), s(e.resource), opt(e.order_id), s(e.payload), n(now)],
        )?);
        batch.push(self.q(
            "UPDATE seen_deliveries SET event_id = last_insert_rowid()
             WHERE platform = ?1 AND delivery_id = ?2 AND event_id IS NULL",
            &[s(e.platform), s(e.delivery_id)],
        )?);
        let results = self.0.batch(batch).await?;
        let meta = results
            .get(event_at)
            .map(|r| r.meta())
            .transpose()?
            .flatten();
        match meta {
            Some(m) if m.changes == Some(1) => Ok(Recorded::New(m.last_row_id.unwrap_or(0))),
            _ => Ok(Recorded::SeenBefore),
        }
    }

    // ------------------------------------------------------------ events

    pub async fn event(&self, id: i64) -> Result<Option<EventRow>> {
        self.first(
            "SELECT id, platform, shop, topic, resource, order_id, payload, status FROM events WHERE id = ?1",
            &[n(id)],
        )
        .await
    }

    pub async fn set_event_status(
        &self,
        id: i64,
        status: EventStatus,
        reason: Option<&str>,
        now: i64,
    ) -> Result<()> {
        self.run(
            "UPDATE events SET status = ?2, reason = ?3, updated_at = ?4 WHERE id = ?1",
            &[n(id), s(status.as_str()), opt(reason), n(now)],
        )
        .await
        .map(|_| ())
    }

    /// Replaces an event's thin webhook body with the document fetched for it (BigCommerce).
    pub async fn set_event_payload(&self, id: i64, payload: &str) -> Result<()> {
        self.run(
            "UPDATE events SET payload = ?2 WHERE id = ?1",
            &[n(id), s(payload)],
        )
        .await
        .map(|_| ())
    }

    pub async fn order_seen(&self, key: &str) -> Result<bool> {
        let row: Option<One<i64>> = self
            .first(
                "SELECT 1 AS v FROM orders_seen WHERE order_key = ?1",
                &[s(key)],
            )
            .await?;
        Ok(row.is_some())
    }

    /// Refund events of this order that arrived before it; they go back to `received`.
    pub async fn release_waiting(
        &self,
        platform: &str,
        shop: &str,
        order_id: &str,
        now: i64,
    ) -> Result<Vec<i64>> {
        let ids: Vec<One<i64>> = self
            .rows(
                "UPDATE events SET status = 'received', reason = NULL, updated_at = ?4
                 WHERE platform = ?1 AND shop = ?2 AND order_id = ?3 AND status = 'waiting-for-order' RETURNING id AS v",
                &[s(platform), s(shop), s(order_id), n(now)],
            )
            .await?;
        Ok(ids.into_iter().map(|r| r.v).collect())
    }

    /// The newest recorded order event for a preview.
    pub async fn latest_order_event(
        &self,
        platform: &str,
        shop: Option<&str>,
        order_id: &str,
    ) -> Result<Option<EventRow>> {
        self.first(
            "SELECT id, platform, shop, topic, resource, order_id, payload, status FROM events
             WHERE platform = ?1 AND (?2 IS NULL OR shop = ?2) AND order_id = ?3 AND resource = 'order'
             ORDER BY received_at DESC, id DESC LIMIT 1",
            &[s(platform), opt(shop), s(order_id)],
        )
        .await
    }

    // ------------------------------------------------------------ ledger

    pub async fn heads(&self, keys: &BTreeSet<String>) -> Result<BTreeMap<String, Head>> {
        row! {
            struct Row {
                version: String,
                json: Option<String>,
            }
        }
        let mut out = BTreeMap::new();
        for key in keys {
            let row: Option<Row> = self
                .first(
                    "SELECT h.version AS version, e.json AS json FROM heads h LEFT JOIN entries e ON e.id = h.entry_id
                     WHERE h.logical_key = ?1",
                    &[s(key)],
                )
                .await?;
            if let Some(row) = row {
                let entry = match row.json {
                    Some(json) => Some(
                        entry_from_json(&json)
                            .map_err(|e| worker::Error::RustError(e.to_string()))?,
                    ),
                    None => None,
                };
                out.insert(
                    key.clone(),
                    Head {
                        entry,
                        version: row.version,
                    },
                );
            }
        }
        Ok(out)
    }

    pub async fn existing_ids(&self, ids: &[&str]) -> Result<BTreeSet<String>> {
        let mut out = BTreeSet::new();
        for id in ids {
            let row: Option<One<String>> = self
                .first("SELECT id AS v FROM entries WHERE id = ?1", &[s(id)])
                .await?;
            out.extend(row.map(|r| r.v));
        }
        Ok(out)
    }

    /// Books a plan in one transaction: entries, their outbox rows (d1 is posted by being
    /// here), reversal marks, heads, the order marker and the event's status.
    pub async fn commit(
        &self,
        event: &EventRow,
        plan: &Plan,
        targets: &[&str],
        held: &[&str],
        how: &Booking<'_>,
        now: i64,
    ) -> Result<()> {
        let note = how.note;
        let mut batch = Vec::new();
        let version = how.config_version.map_or(JsValue::NULL, n);
        let order_key = event.order_key();
        for entry in &plan.book {
            // The core's writer: the same bytes as serde_json, and the preview's bytes.
            let json = ledgerbridge_core::json::write::to_string(entry);
            let state = if entry.id.ends_with(":reversal") {
                "reversal"
            } else {
                "active"
            };
            batch.push(self.q(
                "INSERT OR IGNORE INTO entries (id, shop, platform, source_kind, source_id, source_version, order_key,
                 date, json, event_id, state, created_at, config_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                &[
                    s(&entry.id), s(&event.shop), s(&event.platform), s(&entry.source.kind), s(&entry.source.id),
                    s(&entry.source.version), opt(order_key.as_deref()), s(&entry.date), s(&json), n(event.id), s(state), n(now), version.clone(),
                ],
            )?);
            for target in targets {
                let (state, posted) = if *target == "d1" {
                    (PostingState::Posted, n(now))
                } else if held.contains(target) {
                    (PostingState::Held, JsValue::NULL)
                } else {
                    (PostingState::Pending, JsValue::NULL)
                };
                batch.push(self.q(
                    "INSERT OR IGNORE INTO outbox (entry_id, target, shop, state, next_attempt_at, target_ref, posted_at,
                     created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?5, ?5)",
                    &[s(&entry.id), s(target), s(&event.shop), s(state.as_str()), n(now), opt((*target == "d1").then_some(entry.id.as_str())), posted],
                )?);
            }
        }
        for id in &plan.reversed {
            batch.push(self.q(
                "UPDATE entries SET state = 'reversed' WHERE id = ?1",
                &[s(id)],
            )?);
        }
        for (key, entry_id, version) in &plan.heads {
            batch.push(self.q(
                "INSERT INTO heads (logical_key, entry_id, version, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (logical_key) DO UPDATE SET entry_id = excluded.entry_id, version = excluded.version,
                 updated_at = excluded.updated_at",
                &[s(key), opt(entry_id.as_deref()), s(version), n(now)],
            )?);
        }
        if let (Some(key), "order") = (order_key.as_deref(), event.resource.as_str()) {
            batch.push(self.q(
                "INSERT INTO orders_seen (order_key, event_id, seen_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                &[s(key), n(event.id), n(now)],
            )?);
        }
        batch.push(self.q(
            "UPDATE events SET status = 'mapped', reason = ?2, updated_at = ?3 WHERE id = ?1",
            &[n(event.id), opt(note), n(now)],
        )?);
        self.0.batch(batch).await.map(|_| ())
    }

    pub async fn entry_json(&self, id: &str) -> Result<Option<String>> {
        let row: Option<One<String>> = self
            .first("SELECT json AS v FROM entries WHERE id = ?1", &[s(id)])
            .await?;
        Ok(row.map(|r| r.v))
    }

    /// Entries of a shop (or all), oldest first; `since` is a date (`YYYY-MM-DD`, inclusive) or
    /// a millisecond time of booking (exclusive).
    pub async fn entries_since(
        &self,
        shop: Option<&str>,
        since_date: Option<&str>,
        since_ms: Option<i64>,
    ) -> Result<Vec<String>> {
        let rows: Vec<One<String>> = self
            .rows(
                "SELECT json AS v FROM entries WHERE (?1 IS NULL OR shop = ?1) AND (?2 IS NULL OR date >= ?2)
                 AND (?3 IS NULL OR created_at > ?3) ORDER BY created_at, rowid LIMIT 10000",
                &[opt(shop), opt(since_date), since_ms.map(n).unwrap_or(JsValue::NULL)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.v).collect())
    }

    pub async fn order_postings(&self, order_key: &str) -> Result<Vec<serde_json::Value>> {
        self.rows(
            "SELECT o.entry_id AS entry_id, o.target AS target, o.state AS state, o.target_ref AS target_ref,
             o.reason AS reason, e.state AS entry_state FROM outbox o JOIN entries e ON e.id = o.entry_id
             WHERE e.order_key = ?1 ORDER BY e.created_at, e.rowid, o.target",
            &[s(order_key)],
        )
        .await
    }
}
