//! The mapping per shop, versioned (migration 0010).

use super::{n, s, Db};
use crate::reply::Obj;
use worker::Result;

row! {
    #[derive(Debug, Clone)]
    pub struct ConfigVersion {
        pub version: i64,
        pub created_by: String,
        pub created_at: i64,
        pub effective_at: i64,
        pub summary: String,
    }
}

row! {
    #[derive(Debug, Clone)]
    pub struct StoredConfig {
        pub version: i64,
        pub config: String,
        pub effective_at: i64,
    }
}

impl ConfigVersion {
    /// The version as `/api/config/versions` lists it.
    pub fn json(&self) -> String {
        Obj::new()
            .int("version", self.version)
            .str("created_by", &self.created_by)
            .int("created_at", self.created_at)
            .int("effective_at", self.effective_at)
            .str("summary", &self.summary)
            .text()
    }
}

pub struct NewConfig<'a> {
    pub shop: &'a str,
    pub config: &'a str,
    pub created_by: &'a str,
    pub effective_at: i64,
    pub summary: &'a str,
}

impl Db {
    /// The newest version in effect at `now` (a version dated later waits for its date).
    pub async fn effective_config(&self, shop: &str, now: i64) -> Result<Option<StoredConfig>> {
        self.first(
            "SELECT version, config, effective_at FROM shop_configs
             WHERE shop = ?1 AND effective_at <= ?2 ORDER BY version DESC LIMIT 1",
            &[s(shop), n(now)],
        )
        .await
    }

    /// The newest version whatever its date: what a new save is compared with.
    pub async fn latest_config(&self, shop: &str) -> Result<Option<StoredConfig>> {
        self.first(
            "SELECT version, config, effective_at FROM shop_configs WHERE shop = ?1 ORDER BY version DESC LIMIT 1",
            &[s(shop)],
        )
        .await
    }

    /// Stores the next version; the number is taken in the same statement, so two concurrent
    /// saves cannot both become version n (the second fails on the primary key, and says so).
    pub async fn add_config(&self, c: &NewConfig<'_>, now: i64) -> Result<Option<i64>> {
        row! {
            struct V {
                version: i64,
            }
        }
        let row: Option<V> = self
            .first(
                "INSERT INTO shop_configs (shop, version, config, created_by, created_at, effective_at, summary)
                 SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3, ?4, ?5, ?6 FROM shop_configs WHERE shop = ?1
                 RETURNING version",
                &[s(c.shop), s(c.config), s(c.created_by), n(now), n(c.effective_at), s(c.summary)],
            )
            .await?;
        Ok(row.map(|r| r.version))
    }

    pub async fn config_versions(&self, shop: &str) -> Result<Vec<ConfigVersion>> {
        self.rows(
            "SELECT version, created_by, created_at, effective_at, summary FROM shop_configs
             WHERE shop = ?1 ORDER BY version DESC LIMIT 100",
            &[s(shop)],
        )
        .await
    }
}

row! {
    /// A stored order's newest payload, for re-mapping it with a candidate config.
    #[derive(Debug, Clone)]
    pub struct RecentOrder {
        pub platform: String,
        pub order_id: String,
        pub payload: String,
    }
}

impl Db {
    /// The shop's `limit` most recently received orders, each at its newest stored version.
    pub async fn recent_orders(&self, shop: &str, limit: i64) -> Result<Vec<RecentOrder>> {
        self.rows(
            "SELECT platform, order_id, payload FROM events WHERE id IN (
               SELECT MAX(id) FROM events WHERE shop = ?1 AND resource = 'order' AND order_id IS NOT NULL
               GROUP BY platform, order_id)
             ORDER BY id DESC LIMIT ?2",
            &[s(shop), n(limit)],
        )
        .await
    }
}

impl Db {
    /// The shop's mapped order and refund events, oldest first after event `after`, of orders
    /// with an active entry dated in [from, to] (`YYYY-MM-DD`): what a re-map maps again.
    pub async fn remap_events(
        &self,
        shop: &str,
        (from, to): (&str, &str),
        after: i64,
        limit: i64,
    ) -> Result<Vec<super::EventRow>> {
        self.rows(
            "SELECT ev.id, ev.platform, ev.shop, ev.topic, ev.resource, ev.order_id, ev.payload, ev.status
             FROM events ev WHERE ev.shop = ?1 AND ev.status = 'mapped' AND ev.order_id IS NOT NULL
             AND ev.resource IN ('order', 'refund') AND ev.id > ?4
             AND EXISTS (SELECT 1 FROM entries en WHERE en.order_key = ev.platform || ':' || ev.shop || ':order:' || ev.order_id
                         AND en.state = 'active' AND en.date >= ?2 AND en.date <= ?3)
             ORDER BY ev.id LIMIT ?5",
            &[s(shop), s(from), s(to), n(after), n(limit)],
        )
        .await
    }
}
