//! Settings of the services a shop's worker calls (Shopify Admin, Stripe, WooCommerce,
//! BigCommerce, QuickBooks Online, Xero): where they are and, for OAuth, how to connect. Every URL
//! here is checked to be https when SHOPS is read (`ShopConfig::check_urls`).

use super::{text, ShopConfig};
use worker::Env;

/// The Admin API of one Shopify shop. Without a token the shop's orders map as their webhooks
/// say (no fees) and its payouts are not polled.
#[derive(Debug, Clone, Default)]
pub struct ShopifyConfig {
    /// Default `https://{shop}` (the shop's own domain, as the Admin API is addressed).
    pub admin_base: Option<String>,
    /// The secret holding this shop's Admin API access token; default `SHOPIFY_ADMIN_TOKEN`.
    /// Each shop (custom app install) has its own token, so several shops need several secrets.
    pub token_secret: Option<String>,
}

pub const SHOPIFY_TOKEN_SECRET: &str = "SHOPIFY_ADMIN_TOKEN";

impl ShopConfig {
    /// The shop's Admin API base and access token, when a token is configured for it.
    pub fn shopify_admin(&self, env: &Env, shop: &str) -> Option<(String, String)> {
        let c = self.shopify.clone().unwrap_or_default();
        let token = text(
            env,
            c.token_secret.as_deref().unwrap_or(SHOPIFY_TOKEN_SECRET),
        )?;
        // The shop name comes from an unsigned header: the token goes to it only when it is a
        // `*.myshopify.com` host (a relabelled `evil.example` would otherwise receive the token).
        let base = match c.admin_base {
            Some(base) => base,
            None if is_myshopify_host(shop) => format!("https://{shop}"),
            None => return None,
        };
        Some((base.trim_end_matches('/').to_string(), token))
    }
}

/// `name.myshopify.com`, with a name of lower-case letters, digits and hyphens only.
pub fn is_myshopify_host(shop: &str) -> bool {
    shop.strip_suffix(".myshopify.com").is_some_and(|name| {
        (1..=63).contains(&name.len())
            && !name.starts_with('-')
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}

#[derive(Debug, Clone)]
pub struct StripeConfig {
    pub api_base: String,
}

impl Default for StripeConfig {
    fn default() -> Self {
        Self {
            api_base: stripe_base(),
        }
    }
}

fn stripe_base() -> String {
    "https://api.stripe.com".into()
}

#[derive(Debug, Clone)]
pub struct WooCommerceConfig {
    /// The store's address, e.g. `https://shop.example.com` (the API is under `/wp-json/wc/v3`).
    pub base_url: String,
}

#[derive(Debug, Clone)]
pub struct BigCommerceConfig {
    pub api_base: String,
}

impl Default for BigCommerceConfig {
    fn default() -> Self {
        Self {
            api_base: bigcommerce_base(),
        }
    }
}

fn bigcommerce_base() -> String {
    "https://api.bigcommerce.com".into()
}

#[derive(Debug, Clone)]
pub struct QboConfig {
    /// The company; empty = the one connected from the admin page (`connections` in D1).
    pub realm_id: String,
    pub base_url: String,
    pub token_url: String,
    pub minor_version: String,
    pub authorize_url: String,
    pub revoke_url: String,
}

impl QboConfig {
    /// `<base>/v3/company/<realm>/<resource>?minorversion=<n>[&<param>=<escaped value>]`: the one
    /// shape of every QBO accounting call (journals, documents, customers, queries, the chart).
    pub fn url(&self, resource: &str, param: Option<(&str, &str)>) -> String {
        let mut url = format!(
            "{}/v3/company/{}/{resource}?minorversion={}",
            self.base_url.trim_end_matches('/'),
            self.realm_id,
            self.minor_version,
        );
        if let Some((name, value)) = param {
            url.push_str(&format!(
                "&{name}={}",
                crate::sinks::oauth::form_escape(value)
            ));
        }
        url
    }
}

impl Default for QboConfig {
    fn default() -> Self {
        Self {
            realm_id: String::new(),
            base_url: qbo_base(),
            token_url: qbo_token(),
            minor_version: qbo_minor(),
            authorize_url: qbo_authorize(),
            revoke_url: qbo_revoke(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct XeroConfig {
    /// The organisation; empty = the one connected from the admin page (`connections` in D1).
    pub tenant_id: String,
    pub base_url: String,
    pub token_url: String,
    pub authorize_url: String,
    pub revoke_url: String,
    pub connections_url: String,
}

impl Default for XeroConfig {
    fn default() -> Self {
        Self {
            tenant_id: String::new(),
            base_url: xero_base(),
            token_url: xero_token(),
            authorize_url: xero_authorize(),
            revoke_url: xero_revoke(),
            connections_url: xero_connections(),
        }
    }
}

fn qbo_base() -> String {
    "https://quickbooks.api.intuit.com".into()
}
fn qbo_token() -> String {
    "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer".into()
}
fn qbo_minor() -> String {
    "75".into()
}
fn xero_base() -> String {
    "https://api.xero.com".into()
}
fn xero_token() -> String {
    "https://identity.xero.com/connect/token".into()
}
// OAuth endpoints: round2-apis.md §4.1 (Intuit's discovery document) and §5.1 (Xero's spec).
fn qbo_authorize() -> String {
    "https://appcenter.intuit.com/connect/oauth2".into()
}
fn qbo_revoke() -> String {
    "https://developer.api.intuit.com/v2/oauth2/tokens/revoke".into()
}
fn xero_authorize() -> String {
    "https://login.xero.com/identity/connect/authorize".into()
}
fn xero_revoke() -> String {
    "https://identity.xero.com/connect/revocation".into()
}
fn xero_connections() -> String {
    "https://api.xero.com/connections".into()
}
