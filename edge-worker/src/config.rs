//! Deployment configuration: plain `[vars]` from wrangler.toml and secrets (`wrangler secret put`).
//! Per-shop settings (targets, mapping rules, QBO realm, Xero tenant) live in the `SHOPS` var as JSON.

use ledgerbridge_core::journal::posting::PostingMode;
use ledgerbridge_core::reports::SortedMap;
use ledgerbridge_core::{Config, ConfigInput};
use worker::Env;

mod read;
mod services;
pub use services::*;

/// Where an entry is delivered. `D1` is the embedded ledger and always on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    D1,
    Webhook,
    Qbo,
    Xero,
}

impl Target {
    pub fn as_str(&self) -> &'static str {
        match self {
            Target::D1 => "d1",
            Target::Webhook => "webhook",
            Target::Qbo => "qbo",
            Target::Xero => "xero",
        }
    }

    pub fn parse(s: &str) -> Option<Target> {
        [Target::D1, Target::Webhook, Target::Qbo, Target::Xero]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

/// One shop's entry in `SHOPS` (read by `config/read.rs`).
#[derive(Debug, Clone, Default)]
pub struct ShopConfig {
    /// Targets besides `d1`.
    pub targets: Vec<Target>,
    pub webhook_url: Option<String>,
    /// The core's mapping configuration (same structure as its TOML), as its JSON text.
    pub mapping: Option<String>,
    /// The same, as the TOML text the CLI reads (`--config`); give one of the two.
    pub mapping_toml: Option<String>,
    pub qbo: Option<QboConfig>,
    pub xero: Option<XeroConfig>,
    /// Where a BigCommerce store's orders are fetched from (its webhooks carry only ids).
    pub bigcommerce: Option<BigCommerceConfig>,
    /// A WooCommerce store's REST API, for the reconciliation pull of lost webhooks.
    pub woocommerce: Option<WooCommerceConfig>,
    /// Stripe's API, for the pull of events Stripe failed to deliver and for fetching each
    /// charge's balance transaction (its fee) and each payout's items before mapping.
    pub stripe: Option<StripeConfig>,
    /// Posting mode per target, e.g. `{"qbo": "per-payout", "xero": "daily"}` (default per-order;
    /// `d1` always keeps per-order entries). Switching needs no re-setup: docs/worker.md.
    pub posting: SortedMap<Target, PostingMode>,
    /// Where the shop's days end for `daily`: a fixed UTC offset such as `-05:00` (default UTC).
    pub timezone: Option<String>,
    /// A Shopify shop's Admin API, for order fees and Shopify Payments payouts.
    pub shopify: Option<ShopifyConfig>,
}

impl ShopConfig {
    /// The shop's QBO settings, Intuit's defaults where SHOPS names none.
    pub fn qbo_or_default(&self) -> QboConfig {
        self.qbo.clone().unwrap_or_default()
    }

    /// The shop's Xero settings, Xero's defaults where SHOPS names none.
    pub fn xero_or_default(&self) -> XeroConfig {
        self.xero.clone().unwrap_or_default()
    }

    /// Every URL the worker calls for this shop must be https: a plain-http base would send API
    /// credentials and order documents in clear. Loopback stays allowed for local stand-ins.
    fn check_urls(&self, shop: &str) -> Result<(), String> {
        let mut urls: Vec<(&str, &str)> = Vec::new();
        if let Some(url) = &self.webhook_url {
            urls.push(("webhook_url", url));
        }
        if let Some(c) = &self.woocommerce {
            urls.push(("woocommerce.base_url", &c.base_url));
        }
        if let Some(c) = &self.bigcommerce {
            urls.push(("bigcommerce.api_base", &c.api_base));
        }
        if let Some(c) = &self.stripe {
            urls.push(("stripe.api_base", &c.api_base));
        }
        if let Some(c) = &self.qbo {
            urls.push(("qbo.base_url", &c.base_url));
            urls.push(("qbo.token_url", &c.token_url));
            urls.push(("qbo.authorize_url", &c.authorize_url));
            urls.push(("qbo.revoke_url", &c.revoke_url));
        }
        if let Some(c) = &self.xero {
            urls.push(("xero.base_url", &c.base_url));
            urls.push(("xero.token_url", &c.token_url));
            urls.push(("xero.authorize_url", &c.authorize_url));
            urls.push(("xero.revoke_url", &c.revoke_url));
            urls.push(("xero.connections_url", &c.connections_url));
        }
        match urls.into_iter().find(|(_, url)| !secure_url(url)) {
            Some((field, _)) => Err(format!(
                "SHOPS[{shop}].{field}: must be an https:// URL (plain http only to 127.0.0.1, localhost or [::1])"
            )),
            None => Ok(()),
        }
    }

    /// Every target of the shop, `d1` first, without repeats.
    pub fn all_targets(&self) -> Vec<Target> {
        let mut all = vec![Target::D1];
        for t in &self.targets {
            if !all.contains(t) {
                all.push(*t);
            }
        }
        all
    }

    /// The target's posting mode (per-order unless SHOPS says otherwise).
    pub fn mode(&self, target: Target) -> PostingMode {
        self.posting.get(&target).copied().unwrap_or_default()
    }

    /// Targets whose new entries wait for a summary (`held`) instead of going out per order.
    pub fn held_targets(&self) -> Vec<&'static str> {
        self.all_targets()
            .into_iter()
            .filter(|t| self.mode(*t) != PostingMode::PerOrder)
            .map(|t| t.as_str())
            .collect()
    }

    /// The core config for `shop`: the shop's mapping rules, validated by the core's loader, with
    /// `shop` set to the shop's domain.
    pub fn mapping(&self, shop: &str) -> Result<Config, String> {
        let loaded = |field: &str, input: ConfigInput<'_>| {
            Config::load(input)
                .map_err(|e| format!("SHOPS[{shop}].{field}: {e} [{} at {}]", e.code(), e.path()))
        };
        let mut config = match (&self.mapping, &self.mapping_toml) {
            (Some(_), Some(_)) => {
                return Err(format!(
                    "SHOPS[{shop}]: give mapping or mapping_toml, not both"
                ))
            }
            (Some(json), None) => loaded("mapping", ConfigInput::Json(json))?,
            (None, Some(text)) => loaded("mapping_toml", ConfigInput::Text(text))?,
            (None, None) => Config::default(),
        };
        config.shop = shop.to_string();
        Ok(config)
    }
}

/// Everything read from the environment once per request or batch.
#[derive(Debug, Clone)]
pub struct Settings {
    pub max_body_bytes: usize,
    pub retry_limit: u32,
    pub stripe_tolerance_s: i64,
    pub admin_origins: Vec<String>,
    pub shopify_client_id: String,
    pub target_timeout_ms: u32,
    /// Rows pending (or events unmapped) longer than this are re-enqueued by the sweeper.
    pub sweep_after_s: i64,
    /// Stored payloads whose entries are all posted lose their personal data after this many
    /// days (docs/privacy.md); 0 = as soon as they are.
    pub retention_days: i64,
    /// Failed API credentials one client IP may present per window before it is answered 429.
    pub auth_failure_limit: i64,
    pub auth_failure_window_s: i64,
    shops: SortedMap<String, ShopConfig>,
}

impl Settings {
    pub fn from_env(env: &Env) -> Result<Settings, String> {
        let shops: SortedMap<String, ShopConfig> = match text(env, "SHOPS") {
            Some(json) => read::shops(&json)
                .map_err(|e| format!("var SHOPS: {e} [{} at {}]", e.code(), e.path()))?,
            None => SortedMap::new(),
        };
        for (shop, config) in &shops {
            config.check_urls(shop)?;
        }
        Ok(Settings {
            max_body_bytes: number(env, "MAX_BODY_BYTES", 1_048_576)?,
            retry_limit: number(env, "RETRY_LIMIT", 8)?,
            stripe_tolerance_s: number(env, "STRIPE_TOLERANCE_S", 300)?,
            admin_origins: text(env, "ADMIN_ORIGINS")
                .map(|s| {
                    s.split(',')
                        .map(|o| o.trim().to_string())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            shopify_client_id: text(env, "SHOPIFY_CLIENT_ID").unwrap_or_default(),
            target_timeout_ms: number(env, "TARGET_TIMEOUT_MS", 10_000)?,
            sweep_after_s: number(env, "SWEEP_AFTER_S", 120)?,
            retention_days: number(env, "RETENTION_DAYS", 60)?,
            auth_failure_limit: number(env, "AUTH_FAILURE_LIMIT", 20)?,
            auth_failure_window_s: number::<i64>(env, "AUTH_FAILURE_WINDOW_S", 60)?.max(1),
            shops,
        })
    }

    /// (shop, base URL) of every WooCommerce store configured for the reconciliation pull.
    pub fn woocommerce_stores(&self) -> Vec<(String, String)> {
        self.shops
            .iter()
            .filter_map(|(shop, c)| Some((shop.clone(), c.woocommerce.as_ref()?.base_url.clone())))
            .collect()
    }

    /// (shop, API base) of every Stripe account configured for the pull of undelivered events.
    pub fn stripe_accounts(&self) -> Vec<(String, String)> {
        self.shops
            .iter()
            .filter_map(|(shop, c)| Some((shop.clone(), c.stripe.as_ref()?.api_base.clone())))
            .collect()
    }

    /// Shops with a `shopify` block (their payouts are polled when a token is configured).
    pub fn shopify_shops(&self) -> Vec<(String, ShopConfig)> {
        self.shops
            .iter()
            .filter(|(shop, c)| c.shopify.is_some() && shop.as_str() != "*")
            .map(|(shop, c)| (shop.clone(), c.clone()))
            .collect()
    }

    /// Whether deliveries for `shop` are booked: it is a key of `SHOPS`, or `SHOPS` has a `"*"`
    /// key (any shop; with a multi-shop app secret that lets one shop's signed body be booked
    /// into another: docs/worker.md, trust model).
    pub fn accepts_shop(&self, shop: &str) -> bool {
        self.shops.contains_key(shop) || self.shops.contains_key("*")
    }

    /// How many shops would seed their `target` OAuth chain from one unsuffixed secret: a `"*"`
    /// entry with the target counts as many (any shop may come through it).
    pub fn shops_using(&self, target: Target) -> usize {
        self.shops
            .iter()
            .filter(|(_, c)| c.targets.contains(&target))
            .map(|(shop, _)| if shop == "*" { 2 } else { 1 })
            .sum()
    }

    /// The shop's config, else the `"*"` entry, else d1 only with the default chart.
    pub fn shop(&self, shop: &str) -> ShopConfig {
        self.shops
            .get(shop)
            .or_else(|| self.shops.get("*"))
            .cloned()
            .unwrap_or_default()
    }
}

/// `https://…`, or `http://` to a loopback host (the local stand-ins the tests run).
pub fn secure_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") {
        return true;
    }
    let Some(rest) = lower.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Userinfo (`http://localhost@evil.example`) would make the host something else.
    if authority.contains('@') {
        return false;
    }
    let host = if authority.starts_with('[') {
        authority.split(']').next().map(|h| format!("{h}]"))
    } else {
        authority.split(':').next().map(str::to_string)
    };
    matches!(host.as_deref(), Some("127.0.0.1" | "localhost" | "[::1]"))
}

/// A var or secret (both are strings at runtime); empty counts as unset.
pub fn text(env: &Env, name: &str) -> Option<String> {
    env.var(name)
        .map(|v| v.to_string())
        .or_else(|_| env.secret(name).map(|v| v.to_string()))
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// The secrets that may sign webhooks from one source: current first, then the previous one.
pub fn secrets(env: &Env, names: &[&str]) -> Vec<String> {
    names.iter().filter_map(|n| text(env, n)).collect()
}

fn number<T: std::str::FromStr>(env: &Env, name: &str, default: T) -> Result<T, String> {
    match text(env, name) {
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("var {name} is not a number: {v:?}")),
        None => Ok(default),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn shop_config(json: &str) -> ShopConfig {
        let mut r = ledgerbridge_core::json::Reader::new(json);
        let c = read::shop_config(&mut r).unwrap();
        r.finish().unwrap();
        c
    }

    #[test]
    fn a_mapping_given_as_json_is_validated_like_the_toml_one() {
        // "Sales" has no root account: the core refuses it whichever form the mapping takes.
        let json = shop_config(r#"{"mapping":{"accounts":{"sales":"Sales"}}}"#);
        let toml = shop_config(r#"{"mapping_toml":"[accounts]\nsales = \"Sales\""}"#);
        for config in [json, toml] {
            let e = config.mapping("s.myshopify.com").unwrap_err();
            assert!(
                e.contains("E_CONFIG") && e.contains("accounts.sales"),
                "{e}"
            );
        }
    }

    pub(crate) fn settings(shops: &str) -> Settings {
        Settings {
            max_body_bytes: 1,
            retry_limit: 1,
            stripe_tolerance_s: 1,
            admin_origins: Vec::new(),
            shopify_client_id: String::new(),
            target_timeout_ms: 1,
            sweep_after_s: 1,
            retention_days: 1,
            auth_failure_limit: 1,
            auth_failure_window_s: 1,
            shops: read::shops(shops).unwrap(),
        }
    }

    #[test]
    fn only_configured_shops_are_accepted_unless_a_star_key_is_given() {
        let listed = settings(r#"{"a.myshopify.com": {}}"#);
        assert!(listed.accepts_shop("a.myshopify.com"));
        assert!(!listed.accepts_shop("b.myshopify.com"));
        assert!(!settings("{}").accepts_shop("a.myshopify.com"));
        assert!(settings(r#"{"*": {}}"#).accepts_shop("b.myshopify.com"));
    }

    /// The Admin token goes to the shop's own domain only when that is a Shopify host.
    #[test]
    fn only_myshopify_hosts_are_default_admin_bases() {
        assert!(is_myshopify_host("demo.myshopify.com"));
        assert!(is_myshopify_host("my-shop-2.myshopify.com"));
        for bad in [
            "evil.example",
            "myshopify.com",
            ".myshopify.com",
            "a.b.myshopify.com",
            "evil.com/x.myshopify.com",
            "Demo.myshopify.com",
            "-x.myshopify.com",
            "demo.myshopify.com.evil.example",
        ] {
            assert!(!is_myshopify_host(bad), "{bad}");
        }
    }

    #[test]
    fn posting_modes_default_to_per_order_and_bad_ones_are_refused_with_their_field() {
        let c = shop_config(
            r#"{"targets":["qbo","xero"],"posting":{"qbo":"per-payout","xero":"daily"}}"#,
        );
        assert_eq!(c.mode(Target::Qbo), PostingMode::PerPayout);
        assert_eq!(c.mode(Target::Webhook), PostingMode::PerOrder);
        assert_eq!(c.held_targets(), vec!["qbo", "xero"]);
        for (json, field) in [
            (r#"{"posting":{"qbo":"weekly"}}"#, "posting.qbo"),
            (r#"{"posting":{"d1":"daily"}}"#, "posting.d1"),
            (r#"{"timezone":"Europe/Berlin"}"#, "timezone"),
        ] {
            let e = read::shops(&format!(r#"{{"s":{json}}}"#))
                .unwrap_err()
                .to_string();
            assert!(e.contains(field), "{json}: {e}");
        }
    }

    #[test]
    fn a_valid_mapping_books_under_the_shop_domain() {
        let config = shop_config(r#"{"mapping":{"shop":"x","accounts":{"sales":"Income:Shop"}}}"#)
            .mapping("s.myshopify.com")
            .unwrap();
        assert_eq!(config.shop, "s.myshopify.com");
        assert_eq!(config.accounts.sales, "Income:Shop");
    }

    /// Issue #15 item 9: a plain-http API base sent credentials and orders in clear.
    #[test]
    fn configured_urls_must_be_https_except_loopback() {
        for ok in [
            "https://shop.example.com",
            "http://127.0.0.1:8787/x",
            "http://localhost",
            "http://[::1]:9000/",
            "HTTPS://API.STRIPE.COM",
        ] {
            assert!(secure_url(ok), "{ok}");
        }
        for bad in [
            "http://shop.example.com",
            "http://localhost.evil.example/",
            "http://localhost@evil.example/",
            "http://127.0.0.1.evil.example",
            "ftp://localhost",
            "shop.example.com",
        ] {
            assert!(!secure_url(bad), "{bad}");
        }
        for (json, field) in [
            (
                r#"{"woocommerce":{"base_url":"http://shop.example.com"}}"#,
                "woocommerce.base_url",
            ),
            (
                r#"{"bigcommerce":{"api_base":"http://api.example"}}"#,
                "bigcommerce.api_base",
            ),
            (
                r#"{"stripe":{"api_base":"http://api.example"}}"#,
                "stripe.api_base",
            ),
            (
                r#"{"qbo":{"realm_id":"1","base_url":"http://q.example"}}"#,
                "qbo.base_url",
            ),
            (
                r#"{"xero":{"tenant_id":"1","token_url":"http://x.example/t"}}"#,
                "xero.token_url",
            ),
            (
                r#"{"webhook_url":"http://hooks.example/in"}"#,
                "webhook_url",
            ),
        ] {
            let e = shop_config(json).check_urls("s").unwrap_err();
            assert!(
                e.starts_with(&format!("SHOPS[s].{field}: must be an https")),
                "{e}"
            );
        }
        let local = r#"{"woocommerce":{"base_url":"http://127.0.0.1:1"},"qbo":{"realm_id":"1"}}"#;
        assert_eq!(shop_config(local).check_urls("s"), Ok(()));
    }

    #[test]
    fn a_star_entry_with_a_target_counts_as_several_shops() {
        let one = settings(r#"{"a": {"targets": ["qbo"]}, "b": {"targets": ["xero"]}}"#);
        assert_eq!(
            (one.shops_using(Target::Qbo), one.shops_using(Target::Xero)),
            (1, 1)
        );
        let two = settings(r#"{"a": {"targets": ["qbo"]}, "b": {"targets": ["qbo"]}}"#);
        assert_eq!(two.shops_using(Target::Qbo), 2);
        assert_eq!(
            settings(r#"{"*": {"targets": ["qbo"]}}"#).shops_using(Target::Qbo),
            2
        );
    }
}
