//! Erasure requests: stored payloads of a shop (or of some of its orders) rewritten without
//! personal data, a page at a time.

use super::{n, s, Db};
use worker::Result;

row! {
    pub struct StoredPayload {
        pub id: i64,
        pub payload: String,
    }
}

impl Db {
    /// The next page of a shop's stored payloads after event `after`, for every order when
    /// `orders` is `None`, else for those order ids (a JSON array of strings).
    pub async fn payloads_to_erase(
        &self,
        platform: &str,
        shop: &str,
        orders: Option<&str>,
        after: i64,
        page: i64,
    ) -> Result<Vec<StoredPayload>> {
        self.rows(
            "SELECT id, payload FROM events WHERE platform = ?1 AND shop = ?2 AND id > ?3 AND resource != 'redact'
             AND (?4 IS NULL OR order_id IN (SELECT value FROM json_each(?4))) ORDER BY id LIMIT ?5",
            &[s(platform), s(shop), n(after), super::opt(orders), n(page)],
        )
        .await
    }
}
