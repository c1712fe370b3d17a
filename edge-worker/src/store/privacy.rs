//! SQL of the privacy jobs (retention, erasure and access requests) and of the guards the
//! sweeper prunes (`auth_failures`, `seen_deliveries`).

use super::{n, opt, s, Db, One};
use worker::Result;

row! {
    #[derive(Debug)]
    pub struct HeldPayload {
        pub id: i64,
        pub order_id: Option<String>,
        pub topic: String,
        pub received_at: i64,
        pub redacted_at: Option<i64>,
        pub payload: String,
    }
}

row! {
    #[derive(Debug)]
    pub struct DataRequestRow {
        pub id: i64,
        pub platform: String,
        pub shop: String,
        pub request_id: String,
        pub customer_id: Option<String>,
        pub orders: String,
        pub received_at: i64,
    }
}

const HELD: &str = "SELECT id, order_id, topic, received_at, redacted_at, payload FROM events";

impl Db {
    pub async fn auth_failures(&self, ip: &str, window: i64) -> Result<i64> {
        let row: Option<One<i64>> = self
            .first(
                "SELECT n AS v FROM auth_failures WHERE ip = ?1 AND window = ?2",
                &[s(ip), n(window)],
            )
            .await?;
        Ok(row.map_or(0, |r| r.v))
    }

    pub async fn count_auth_failure(&self, ip: &str, window: i64) -> Result<()> {
        self.run(
            "INSERT INTO auth_failures (ip, window, n) VALUES (?1, ?2, 1)
             ON CONFLICT (ip, window) DO UPDATE SET n = n + 1",
            &[s(ip), n(window)],
        )
        .await
        .map(|_| ())
    }

    pub async fn prune_auth_failures(&self, current_window: i64) -> Result<()> {
        self.run(
            "DELETE FROM auth_failures WHERE window < ?1",
            &[n(current_window)],
        )
        .await
        .map(|_| ())
    }

    /// Delivery ids recorded before `before` (ms) are forgotten.
    pub async fn prune_seen_deliveries(&self, before: i64) -> Result<usize> {
        self.run(
            "DELETE FROM seen_deliveries WHERE seen_at < ?1",
            &[n(before)],
        )
        .await
    }

    /// The next page of events received before `before` whose personal data may go: mapped, not
    /// redacted yet, and every posting of every entry they booked is posted (nothing a replay
    /// would map again).
    pub async fn retention_due(
        &self,
        before: i64,
        after: i64,
        page: i64,
    ) -> Result<Vec<HeldPayload>> {
        self.rows(
            &format!(
                "{HELD} ev WHERE ev.redacted_at IS NULL AND ev.received_at < ?1 AND ev.status = 'mapped'
                 AND ev.resource != 'redact' AND ev.id > ?2
                 AND NOT EXISTS (SELECT 1 FROM entries e JOIN outbox o ON o.entry_id = e.id
                                 WHERE e.event_id = ev.id AND o.state != 'posted')
                 ORDER BY ev.id LIMIT ?3"
            ),
            &[n(before), n(after), n(page)],
        )
        .await
    }

    /// A page of a shop's stored payloads (privacy requests themselves left out).
    pub async fn held_payloads(
        &self,
        platform: &str,
        shop: &str,
        after: i64,
        page: i64,
    ) -> Result<Vec<HeldPayload>> {
        self.rows(
            &format!(
                "{HELD} WHERE platform = ?1 AND shop = ?2 AND id > ?3 AND resource != 'redact'
                 ORDER BY id LIMIT ?4"
            ),
            &[s(platform), s(shop), n(after), n(page)],
        )
        .await
    }

    /// Marks events redacted at `now`, replacing the payloads given (`None`: already clean).
    pub async fn redact_payloads(&self, rows: &[(i64, Option<String>)], now: i64) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let batch = rows
            .iter()
            .map(|(id, payload)| {
                // A parked event's reason may quote a value of the payload (the field that
                // failed to parse), so it goes too.
                self.q(
                    "UPDATE events SET payload = COALESCE(?2, payload), redacted_at = ?3,
                     reason = CASE WHEN status = 'parked' AND ?2 IS NOT NULL
                     THEN 'reason erased with the payload''s personal data; POST /api/replay maps it again'
                     ELSE reason END WHERE id = ?1",
                    &[n(*id), opt(payload.as_deref()), n(now)],
                )
            })
            .collect::<Result<Vec<_>>>()?;
        self.0.batch(batch).await.map(|_| ())
    }

    /// Records an access request once per request id; `false` when it was recorded before.
    pub async fn record_data_request(
        &self,
        platform: &str,
        shop: &str,
        request_id: &str,
        customer_id: Option<&str>,
        orders: &str,
        now: i64,
    ) -> Result<bool> {
        let changed = self
            .run(
                "INSERT INTO data_requests (platform, shop, request_id, customer_id, orders, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                &[s(platform), s(shop), s(request_id), opt(customer_id), s(orders), n(now)],
            )
            .await?;
        Ok(changed == 1)
    }

    /// The newest access requests of a shop (or of all), at most 100.
    pub async fn data_requests(&self, shop: Option<&str>) -> Result<Vec<DataRequestRow>> {
        self.rows(
            "SELECT id, platform, shop, request_id, customer_id, orders, received_at FROM data_requests
             WHERE (?1 IS NULL OR shop = ?1) ORDER BY id DESC LIMIT 100",
            &[opt(shop)],
        )
        .await
    }
}
