//! The merchant's views of the ledger: orders with one state each, what needs attention, and the
//! ledger a page at a time. The order state is computed by one SQL expression ([`ORDERS`]) used
//! both by the list and by its counts, so the counts always agree with what is listed.

use super::{n, opt, Db};
use crate::reply::Obj;
use worker::wasm_bindgen::JsValue;
use worker::Result;

/// One row per order the worker has events for (its order webhooks and its refunds), newest
/// activity first, with the state a merchant reads:
/// - `parked`: an event of the order, or a posting of one of its entries, is parked (needs a fix);
/// - `waiting`: a refund waits for its order;
/// - `pending`: an event not yet mapped, or a posting not yet accepted by a target (or held for
///   the summary of a per-payout or daily target);
/// - `posted`: entries booked and every posting accepted;
/// - `nothing-booked`: mapped, and nothing to book (e.g. cancelled before payment).
///
/// `?1` = shop or NULL. The name and date come from the order's newest sale entry (its memo, e.g.
/// `Shopify order #1001`), so an order is found by the number the merchant knows.
///
/// `{page}` is where a listing narrows the grouped orders before their states are worked out
/// ([`PAGE_FIRST`]); the counts leave it empty. Without it every page computed the state of
/// every order of the shop (2 001 orders: a page took 360 ms on workerd).
const ORDERS: &str = "
SELECT platform, shop, order_id, k, last_at, memo, date, currency, state FROM (
  SELECT ev.platform, ev.shop, ev.order_id, ev.k, ev.last_at,
    (SELECT json_extract(e.json, '$.memo') FROM entries e WHERE e.order_key = ev.k AND e.source_kind = 'sale'
       ORDER BY e.created_at DESC, e.rowid DESC LIMIT 1) AS memo,
    (SELECT e.date FROM entries e WHERE e.order_key = ev.k AND e.source_kind = 'sale'
       ORDER BY e.created_at DESC, e.rowid DESC LIMIT 1) AS date,
    (SELECT json_extract(e.json, '$.currency') FROM entries e WHERE e.order_key = ev.k
       ORDER BY e.created_at DESC, e.rowid DESC LIMIT 1) AS currency,
    CASE
      WHEN ev.parked > 0 OR EXISTS (SELECT 1 FROM entries e JOIN outbox x ON x.entry_id = e.id
        WHERE e.order_key = ev.k AND x.state = 'parked') THEN 'parked'
      WHEN ev.waiting > 0 THEN 'waiting'
      WHEN ev.received > 0 OR EXISTS (SELECT 1 FROM entries e JOIN outbox x ON x.entry_id = e.id
        WHERE e.order_key = ev.k AND x.state IN ('pending', 'held')) THEN 'pending'
      WHEN EXISTS (SELECT 1 FROM entries e WHERE e.order_key = ev.k) THEN 'posted'
      ELSE 'nothing-booked'
    END AS state
  FROM (
    SELECT platform, shop, order_id, platform || ':' || shop || ':order:' || order_id AS k,
      max(received_at) AS last_at, sum(status = 'parked') AS parked,
      sum(status = 'waiting-for-order') AS waiting, sum(status = 'received') AS received
    FROM events WHERE order_id IS NOT NULL AND resource IN ('order', 'refund') AND (?1 IS NULL OR shop = ?1)
    GROUP BY platform, shop, order_id {page}
  ) ev
)";

/// The cursor (`?5`, `?6`) applies to the grouped orders directly; the page size (`?8`) too when
/// no state or search filter (which need the computed columns) follows, else `?8` is -1 (no limit).
const PAGE_FIRST: &str = "HAVING (?5 IS NULL OR max(received_at) < ?5
      OR (max(received_at) = ?5 AND platform || ':' || shop || ':order:' || order_id > ?6))
    ORDER BY max(received_at) DESC, platform || ':' || shop || ':order:' || order_id ASC LIMIT ?8";

/// The states [`ORDERS`] gives, in the order the page shows them.
pub const ORDER_STATES: [&str; 5] = ["parked", "waiting", "pending", "posted", "nothing-booked"];

row! {
    #[derive(Debug)]
    pub struct OrderRow {
        pub platform: String,
        pub shop: String,
        pub order_id: String,
        /// `platform:shop:order:<id>`; with `last_at`, the keyset of the pagination (not listed).
        pub k: String,
        pub last_at: i64,
        pub memo: Option<String>,
        pub date: Option<String>,
        pub currency: Option<String>,
        pub state: String,
    }
}

/// Where the next page of a listing starts: after the row with this activity time and key.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub at: i64,
    pub key: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}~{}", self.at, self.key)
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let (at, key) = text.split_once('~')?;
        Some(Cursor {
            at: at.parse().ok()?,
            key: key.to_string(),
        })
    }
}

pub struct OrderFilter<'a> {
    pub shop: Option<&'a str>,
    pub state: Option<&'a str>,
    /// An order id (exact or its beginning) or part of the order's name (`#1001`, `1001`).
    pub search: Option<&'a str>,
    pub after: Option<&'a Cursor>,
    pub limit: u32,
}

/// `text` as a LIKE pattern that matches itself only (`%`, `_` and `\` escaped with `\`).
fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

row! {
    #[derive(Debug)]
    pub struct ParkedEvent {
        pub id: i64,
        pub platform: String,
        pub shop: String,
        pub topic: String,
        pub order_id: Option<String>,
        pub status: String,
        pub reason: Option<String>,
        pub updated_at: i64,
    }
}

row! {
    #[derive(Debug)]
    pub struct ParkedPosting {
        pub entry_id: String,
        pub target: String,
        pub shop: String,
        pub platform: String,
        pub order_key: Option<String>,
        pub attempts: i64,
        pub reason: Option<String>,
        pub updated_at: i64,
    }
}

impl OrderRow {
    /// The row as `/api/orders` lists it.
    pub fn obj(&self) -> Obj {
        Obj::new()
            .str("platform", &self.platform)
            .str("shop", &self.shop)
            .str("order_id", &self.order_id)
            .int("last_at", self.last_at)
            .opt("memo", self.memo.as_deref())
            .opt("date", self.date.as_deref())
            .opt("currency", self.currency.as_deref())
            .str("state", &self.state)
    }
}

impl ParkedEvent {
    /// The event as `/api/attention` lists it.
    pub fn obj(&self) -> Obj {
        Obj::new()
            .int("id", self.id)
            .str("platform", &self.platform)
            .str("shop", &self.shop)
            .str("topic", &self.topic)
            .opt("order_id", self.order_id.as_deref())
            .str("status", &self.status)
            .opt("reason", self.reason.as_deref())
            .int("updated_at", self.updated_at)
    }
}

impl ParkedPosting {
    /// The posting as `/api/attention` lists it.
    pub fn obj(&self) -> Obj {
        Obj::new()
            .str("entry_id", &self.entry_id)
            .str("target", &self.target)
            .str("shop", &self.shop)
            .str("platform", &self.platform)
            .opt("order_key", self.order_key.as_deref())
            .int("attempts", self.attempts)
            .opt("reason", self.reason.as_deref())
            .int("updated_at", self.updated_at)
    }
}

impl Db {
    /// One page of orders, newest activity first, and the cursor of the next page if there is one.
    pub async fn orders(&self, f: &OrderFilter<'_>) -> Result<(Vec<OrderRow>, Option<Cursor>)> {
        let sql = format!(
            "{} WHERE (?2 IS NULL OR state = ?2)
             AND (?3 IS NULL OR order_id = ?4 OR order_id LIKE ?3 || '%' ESCAPE '\\'
                  OR memo LIKE '%' || ?3 || '%' ESCAPE '\\')
             AND (?5 IS NULL OR last_at < ?5 OR (last_at = ?5 AND k > ?6))
             ORDER BY last_at DESC, k ASC LIMIT ?7",
            ORDERS.replace("{page}", PAGE_FIRST)
        );
        let filtered = f.state.is_some() || f.search.is_some();
        let page_first = if filtered { -1 } else { i64::from(f.limit) + 1 };
        let pattern = f.search.map(like_literal);
        let mut rows: Vec<OrderRow> = self
            .rows(
                &sql,
                &[
                    opt(f.shop),
                    opt(f.state),
                    opt(pattern.as_deref()),
                    opt(f.search),
                    f.after.map(|c| n(c.at)).unwrap_or(JsValue::NULL),
                    opt(f.after.map(|c| c.key.as_str())),
                    n(i64::from(f.limit) + 1),
                    n(page_first),
                ],
            )
            .await?;
        let next = if rows.len() > f.limit as usize {
            rows.truncate(f.limit as usize);
            rows.last().map(|r| Cursor {
                at: r.last_at,
                key: r.k.clone(),
            })
        } else {
            None
        };
        Ok((rows, next))
    }

    /// How many orders are in each state: the same expression as the list, so they agree.
    pub async fn order_counts(&self, shop: Option<&str>) -> Result<Vec<(String, i64)>> {
        row! {
            struct Count {
                state: String,
                n: i64,
            }
        }
        let rows: Vec<Count> = self
            .rows(
                &format!(
                    "SELECT state, count(*) AS n FROM ({}) GROUP BY state",
                    ORDERS.replace("{page}", "")
                ),
                &[opt(shop)],
            )
            .await?;
        Ok(rows.into_iter().map(|c| (c.state, c.n)).collect())
    }

    /// Everything a merchant must act on: parked events and refunds waiting for their order, and
    /// parked postings, newest first (at most `limit` of each).
    pub async fn attention(
        &self,
        shop: Option<&str>,
        limit: u32,
    ) -> Result<(Vec<ParkedEvent>, Vec<ParkedPosting>)> {
        let events = self
            .rows(
                "SELECT id, platform, shop, topic, order_id, status, reason, updated_at FROM events
                 WHERE status IN ('parked', 'waiting-for-order') AND (?1 IS NULL OR shop = ?1)
                 ORDER BY updated_at DESC, id DESC LIMIT ?2",
                &[opt(shop), n(i64::from(limit))],
            )
            .await?;
        let postings = self
            .rows(
                "SELECT * FROM (
                   SELECT x.entry_id, x.target, x.shop, e.platform, e.order_key, x.attempts, x.reason, x.updated_at
                   FROM outbox x JOIN entries e ON e.id = x.entry_id
                   WHERE x.state = 'parked' AND (?1 IS NULL OR x.shop = ?1)
                   UNION ALL -- sales documents (document mode): their order is their event's
                   SELECT x.entry_id, x.target, x.shop, v.platform, v.platform || ':' || v.shop || ':order:' || v.order_id,
                     x.attempts, x.reason, x.updated_at
                   FROM outbox x JOIN documents d ON d.id = x.entry_id AND d.target = x.target JOIN events v ON v.id = d.event_id
                   WHERE x.state = 'parked' AND (?1 IS NULL OR x.shop = ?1))
                 ORDER BY updated_at DESC, entry_id LIMIT ?2",
                &[opt(shop), n(i64::from(limit))],
            )
            .await?;
        Ok((events, postings))
    }

    /// One page of the ledger in booking order, after `after` (`created_at`, rowid).
    pub async fn entries_page(
        &self,
        shop: Option<&str>,
        since_date: Option<&str>,
        after: Option<(i64, i64)>,
        limit: u32,
    ) -> Result<(Vec<String>, Option<(i64, i64)>)> {
        row! {
            struct Row {
                json: String,
                created_at: i64,
                r: i64,
            }
        }
        let (at, rowid) = after.map_or((JsValue::NULL, JsValue::NULL), |(a, r)| (n(a), n(r)));
        let mut rows: Vec<Row> = self
            .rows(
                "SELECT json, created_at, rowid AS r FROM entries WHERE (?1 IS NULL OR shop = ?1)
                 AND (?2 IS NULL OR date >= ?2)
                 AND (?3 IS NULL OR created_at > ?3 OR (created_at = ?3 AND rowid > ?4))
                 ORDER BY created_at, rowid LIMIT ?5",
                &[
                    opt(shop),
                    opt(since_date),
                    at,
                    rowid,
                    n(i64::from(limit) + 1),
                ],
            )
            .await?;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|r| (r.created_at, r.r))
        } else {
            None
        };
        Ok((rows.into_iter().map(|r| r.json).collect(), next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_match_only_the_text_itself() {
        assert_eq!(like_literal("#1001"), "#1001");
        assert_eq!(like_literal("50%_off\\"), "50\\%\\_off\\\\");
    }

    #[test]
    fn cursors_survive_a_round_trip_and_refuse_garbage() {
        let c = Cursor {
            at: 1_777_865_402_123,
            key: "shopify:demo.myshopify.com:order:1~2".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("nope"), None);
        assert_eq!(Cursor::decode("x~k"), None);
    }
}
