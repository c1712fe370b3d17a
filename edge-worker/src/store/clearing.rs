//! Queries of `/api/clearing`: the shops with entries, and payout events the core refused.

use super::{opt, Db, One};
use crate::reply::Obj;
use worker::Result;

row! {
    /// A payout event parked instead of booked (the core refused it, e.g. its items do not add up to
    /// its amount), with the reason the consumer recorded.
    #[derive(Debug)]
    pub struct ParkedPayout {
        pub event: i64,
        pub platform: String,
        pub shop: String,
        pub topic: String,
        pub reason: Option<String>,
        pub updated_at: i64,
    }
}

impl ParkedPayout {
    /// The event as `/api/clearing` lists it.
    pub fn json(&self) -> String {
        Obj::new()
            .int("event", self.event)
            .str("platform", &self.platform)
            .str("shop", &self.shop)
            .str("topic", &self.topic)
            .opt("reason", self.reason.as_deref())
            .int("updated_at", self.updated_at)
            .text()
    }
}

impl Db {
    pub async fn entry_shops(&self) -> Result<Vec<String>> {
        let rows: Vec<One<String>> = self
            .rows(
                "SELECT DISTINCT shop AS v FROM entries ORDER BY shop LIMIT 500",
                &[],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.v).collect())
    }

    /// Parked events that carry a payout: a payout event (`payout.*`), a bare payout object, or a
    /// payout envelope (`{"payout": …, "balance_transactions": …}`), whatever way it arrived.
    pub async fn parked_payouts(&self, shop: Option<&str>) -> Result<Vec<ParkedPayout>> {
        self.rows(
            "SELECT id AS event, platform, shop, topic, reason, updated_at FROM events
             WHERE status = 'parked' AND (?1 IS NULL OR shop = ?1) AND (resource = 'payout' OR topic LIKE 'payout%'
               OR CASE WHEN json_valid(payload) THEN json_type(payload, '$.payout') = 'object'
                  OR json_extract(payload, '$.object') = 'payout' ELSE 0 END)
             ORDER BY id LIMIT 200",
            &[opt(shop)],
        )
        .await
    }
}
