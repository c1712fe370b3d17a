//! OAuth authorizations in flight and the accounts each shop is connected to (migration 0008).

use super::{n, opt, s, Db};
use crate::reply::Obj;
use worker::Result;

row! {
    #[derive(Debug)]
    pub struct OAuthState {
        pub provider: String,
        pub shop: String,
        pub caller: String,
        pub code: Option<String>,
        pub account_id: Option<String>,
        pub expires_at: i64,
    }
}

row! {
    #[derive(Debug)]
    pub struct Connection {
        pub provider: String,
        pub shop: String,
        pub account_id: String,
        pub account_name: Option<String>,
        pub connected_at: i64,
    }
}

impl Connection {
    /// The connection as `/api/connections` lists it.
    pub fn json(&self) -> String {
        Obj::new()
            .str("provider", &self.provider)
            .str("shop", &self.shop)
            .str("account_id", &self.account_id)
            .opt("account_name", self.account_name.as_deref())
            .int("connected_at", self.connected_at)
            .text()
    }
}

impl Db {
    pub async fn begin_authorization(
        &self,
        state_hash: &str,
        provider: &str,
        shop: &str,
        caller: &str,
        expires_at: i64,
    ) -> Result<()> {
        self.run(
            "INSERT INTO oauth_states (state_hash, provider, shop, caller, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            &[s(state_hash), s(provider), s(shop), s(caller), n(expires_at)],
        )
        .await
        .map(|_| ())
    }

    /// Records the code the provider redirected with, once: a second callback for the same state
    /// (a replayed URL) changes nothing.
    pub async fn authorization_called_back(
        &self,
        state_hash: &str,
        provider: &str,
        code: &str,
        account_id: Option<&str>,
        now: i64,
    ) -> Result<Option<OAuthState>> {
        let changed = self
            .run(
                "UPDATE oauth_states SET code = ?3, account_id = ?4
                 WHERE state_hash = ?1 AND provider = ?2 AND code IS NULL AND expires_at > ?5",
                &[s(state_hash), s(provider), s(code), opt(account_id), n(now)],
            )
            .await?;
        if changed != 1 {
            return Ok(None);
        }
        self.authorization(state_hash).await
    }

    pub async fn authorization(&self, state_hash: &str) -> Result<Option<OAuthState>> {
        self.first(
            "SELECT provider, shop, caller, code, account_id, expires_at FROM oauth_states WHERE state_hash = ?1",
            &[s(state_hash)],
        )
        .await
    }

    /// Takes the authorization out of the table: whoever deletes it is the one who may exchange
    /// its code (single use, even under two concurrent completions).
    pub async fn take_authorization(&self, state_hash: &str) -> Result<bool> {
        Ok(self
            .run(
                "DELETE FROM oauth_states WHERE state_hash = ?1",
                &[s(state_hash)],
            )
            .await?
            == 1)
    }

    pub async fn prune_authorizations(&self, now: i64) -> Result<()> {
        self.run("DELETE FROM oauth_states WHERE expires_at <= ?1", &[n(now)])
            .await
            .map(|_| ())
    }

    /// Stores a freshly granted token set (sealed by the caller) and the account it is for.
    #[allow(clippy::too_many_arguments)]
    pub async fn connect(
        &self,
        provider: &str,
        shop: &str,
        access: &str,
        expires_at: i64,
        refresh: &str,
        account_id: &str,
        account_name: Option<&str>,
        now: i64,
    ) -> Result<()> {
        let tokens = self.q(
            "INSERT INTO tokens (provider, shop, access_token, access_expires_at, refresh_token, lock_until, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)
             ON CONFLICT (provider, shop) DO UPDATE SET access_token = ?3, access_expires_at = ?4,
               refresh_token = ?5, lock_until = 0, updated_at = ?6",
            &[s(provider), s(shop), s(access), n(expires_at), s(refresh), n(now)],
        )?;
        let connection = self.q(
            "INSERT INTO connections (provider, shop, account_id, account_name, connected_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (provider, shop) DO UPDATE SET account_id = ?3, account_name = ?4, connected_at = ?5",
            &[s(provider), s(shop), s(account_id), opt(account_name), n(now)],
        )?;
        self.0.batch(vec![tokens, connection]).await.map(|_| ())
    }

    pub async fn disconnect(&self, provider: &str, shop: &str) -> Result<()> {
        let tokens = self.q(
            "DELETE FROM tokens WHERE provider = ?1 AND shop = ?2",
            &[s(provider), s(shop)],
        )?;
        let connection = self.q(
            "DELETE FROM connections WHERE provider = ?1 AND shop = ?2",
            &[s(provider), s(shop)],
        )?;
        self.0.batch(vec![tokens, connection]).await.map(|_| ())
    }

    pub async fn connection(&self, provider: &str, shop: &str) -> Result<Option<Connection>> {
        self.first(
            "SELECT provider, shop, account_id, account_name, connected_at FROM connections WHERE provider = ?1 AND shop = ?2",
            &[s(provider), s(shop)],
        )
        .await
    }

    pub async fn connections(&self, shop: Option<&str>) -> Result<Vec<Connection>> {
        self.rows(
            "SELECT provider, shop, account_id, account_name, connected_at FROM connections
             WHERE (?1 IS NULL OR shop = ?1) ORDER BY shop, provider",
            &[opt(shop)],
        )
        .await
    }
}
