//! `SHOPS` read with the core's [`Reader`] instead of serde derive: the derives on the shop
//! config and its service blocks were about 29 KB of the worker's wasm (issue #17).
//!
//! Same rules as the derives it replaces: every field optional (the type's default; an `Option`
//! also takes `null`) except `woocommerce.base_url`, unknown and repeated keys refused, a shop
//! given twice keeps its last config, a bad posting mode or time zone refused when SHOPS is read.
//! Not read any more: serde's other forms of a struct (an array of its fields) and of a target
//! (`{"qbo": null}`), which no SHOPS written by hand or by the docs uses. `mapping` is kept as
//! its JSON text and read by the core's config loader, which names a bad field by its path.

// The core's error, as the Reader returns it; read once per request.
#![allow(clippy::result_large_err)]

use super::{
    BigCommerceConfig, QboConfig, ShopConfig, ShopifyConfig, StripeConfig, Target,
    WooCommerceConfig, XeroConfig,
};
use crate::peek::{fields, raw_or_null};
use ledgerbridge_core::journal::posting::{shop_today, PostingMode};
use ledgerbridge_core::json::unknown;
use ledgerbridge_core::json::Reader;
use ledgerbridge_core::reports::SortedMap;
use ledgerbridge_core::LedgerError;

type Result<T> = std::result::Result<T, LedgerError>;

/// The `SHOPS` var: shop domain (or `*`) → its config.
pub fn shops(text: &str) -> Result<SortedMap<String, ShopConfig>> {
    let mut r = Reader::new(text);
    let mut shops = SortedMap::new();
    let mut obj = r.object()?;
    while let Some(shop) = r.key(&mut obj)? {
        let config = shop_config(&mut r)?;
        shops.insert(shop.into_owned(), config);
    }
    r.finish()?;
    Ok(shops)
}

const SHOP: [&str; 12] = [
    "targets",
    "webhook_url",
    "mapping",
    "mapping_toml",
    "qbo",
    "xero",
    "bigcommerce",
    "woocommerce",
    "stripe",
    "posting",
    "timezone",
    "shopify",
];

pub fn shop_config(r: &mut Reader<'_>) -> Result<ShopConfig> {
    let mut c = ShopConfig::default();
    fields(r, &SHOP, &mut |r, at| {
        match at {
            0 => c.targets = r.vec(target)?,
            1 => c.webhook_url = r.opt(Reader::string)?,
            2 => c.mapping = raw_or_null(r)?.map(str::to_string),
            3 => c.mapping_toml = r.opt(Reader::string)?,
            4 => c.qbo = r.opt(qbo)?,
            5 => c.xero = r.opt(xero)?,
            6 => c.bigcommerce = r.opt(bigcommerce)?,
            7 => c.woocommerce = r.opt(woocommerce)?,
            8 => c.stripe = r.opt(stripe)?,
            9 => c.posting = posting(r)?,
            10 => c.timezone = timezone(r)?,
            _ => c.shopify = r.opt(shopify)?,
        }
        Ok(())
    })?;
    Ok(c)
}

const TARGETS: [&str; 4] = ["d1", "webhook", "qbo", "xero"];

fn target(r: &mut Reader<'_>) -> Result<Target> {
    let name = r.str()?;
    Target::parse(&name).ok_or_else(|| unknown(r, "variant", &name, &TARGETS))
}

/// Posting mode per target; read whole, then checked in target order (as the derive's
/// `posting_modes` checked its map), each refusal naming `posting.<target>`.
fn posting(r: &mut Reader<'_>) -> Result<SortedMap<Target, PostingMode>> {
    let mut raw = SortedMap::new();
    let mut obj = r.object()?;
    while let Some(key) = r.key(&mut obj)? {
        let target = Target::parse(&key).ok_or_else(|| unknown(r, "variant", &key, &TARGETS))?;
        raw.insert(target, r.string()?);
    }
    let mut modes = SortedMap::new();
    for (target, text) in raw {
        let mode = match text.parse::<PostingMode>() {
            Ok(mode) if target == Target::D1 && mode != PostingMode::PerOrder => {
                return Err(refused(
                    r,
                    "posting.d1: the D1 ledger always keeps per-order entries".to_string(),
                ))
            }
            Ok(mode) => mode,
            Err(e) => return Err(refused(r, format!("posting.{}: {e}", target.as_str()))),
        };
        modes.insert(target, mode);
    }
    Ok(modes)
}

/// A fixed UTC offset such as `-05:00` (checked now, so a bad one fails SHOPS, not a request).
fn timezone(r: &mut Reader<'_>) -> Result<Option<String>> {
    let text = r.opt(Reader::string)?;
    if let Some(offset) = &text {
        shop_today(0, Some(offset)).map_err(|e| refused(r, e.to_string()))?;
    }
    Ok(text)
}

/// A value read whole and then refused, named by its member's path: past a closing brace that
/// follows (`end_map`, where serde_json placed a `deserialize_with` error), so a refused posting
/// mode is named `<shop>.posting`, not the last target read.
#[cold]
fn refused(r: &mut Reader<'_>, message: String) -> LedgerError {
    LedgerError::InvalidType {
        path: r.path_after_member(false),
        message,
    }
}

fn shopify(r: &mut Reader<'_>) -> Result<ShopifyConfig> {
    let mut c = ShopifyConfig::default();
    fields(r, &["admin_base", "token_secret"], &mut |r, at| {
        let value = r.opt(Reader::string)?;
        match at {
            0 => c.admin_base = value,
            _ => c.token_secret = value,
        }
        Ok(())
    })?;
    Ok(c)
}

fn stripe(r: &mut Reader<'_>) -> Result<StripeConfig> {
    let mut c = StripeConfig::default();
    fields(r, &["api_base"], &mut |r, _| {
        c.api_base = r.string()?;
        Ok(())
    })?;
    Ok(c)
}

fn bigcommerce(r: &mut Reader<'_>) -> Result<BigCommerceConfig> {
    let mut c = BigCommerceConfig::default();
    fields(r, &["api_base"], &mut |r, _| {
        c.api_base = r.string()?;
        Ok(())
    })?;
    Ok(c)
}

fn woocommerce(r: &mut Reader<'_>) -> Result<WooCommerceConfig> {
    let mut base_url = None;
    fields(r, &["base_url"], &mut |r, _| {
        base_url = Some(r.string()?);
        Ok(())
    })?;
    let base_url = base_url.ok_or_else(|| r.missing("base_url"))?;
    Ok(WooCommerceConfig { base_url })
}

fn qbo(r: &mut Reader<'_>) -> Result<QboConfig> {
    let mut c = QboConfig::default();
    let names = [
        "realm_id",
        "base_url",
        "token_url",
        "minor_version",
        "authorize_url",
        "revoke_url",
    ];
    fields(r, &names, &mut |r, at| {
        let slot = match at {
            0 => &mut c.realm_id,
            1 => &mut c.base_url,
            2 => &mut c.token_url,
            3 => &mut c.minor_version,
            4 => &mut c.authorize_url,
            _ => &mut c.revoke_url,
        };
        *slot = r.string()?;
        Ok(())
    })?;
    Ok(c)
}

fn xero(r: &mut Reader<'_>) -> Result<XeroConfig> {
    let mut c = XeroConfig::default();
    let names = [
        "tenant_id",
        "base_url",
        "token_url",
        "authorize_url",
        "revoke_url",
        "connections_url",
    ];
    fields(r, &names, &mut |r, at| {
        let slot = match at {
            0 => &mut c.tenant_id,
            1 => &mut c.base_url,
            2 => &mut c.token_url,
            3 => &mut c.authorize_url,
            4 => &mut c.revoke_url,
            _ => &mut c.connections_url,
        };
        *slot = r.string()?;
        Ok(())
    })?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn refusal(text: &str) -> (String, String, String) {
        let e = shops(text).unwrap_err();
        (e.code().to_string(), e.path().to_string(), e.to_string())
    }

    #[test]
    fn malformed_shops_are_refused_naming_the_field() {
        for (text, code, path, words) in [
            (
                r#"{"s":{"targetz":[]}}"#,
                "E_INVALID_TYPE",
                "s.targetz",
                "unknown field `targetz`, expected one of `targets`",
            ),
            (
                r#"{"s":{"targets":["qbo","sage"]}}"#,
                "E_INVALID_TYPE",
                "s.targets[1]",
                "unknown variant `sage`, expected one of `d1`, `webhook`, `qbo`, `xero`",
            ),
            (
                r#"{"s":{"targets":"qbo"}}"#,
                "E_INVALID_TYPE",
                "s.targets",
                "expected a sequence",
            ),
            (
                r#"{"s":{"woocommerce":{}}}"#,
                "E_MISSING_FIELD",
                "s.woocommerce.base_url",
                "",
            ),
            (
                r#"{"s":{"woocommerce":{"base_url":"https://a","key":"k"}}}"#,
                "E_INVALID_TYPE",
                "s.woocommerce.key",
                "unknown field `key`, expected `base_url`",
            ),
            (
                r#"{"s":{"qbo":{"realm_id":null}}}"#,
                "E_INVALID_TYPE",
                "s.qbo.realm_id",
                "invalid type: null, expected a string",
            ),
            (
                r#"{"s":{"xero":{"tenant_id":"1","tenant_id":"2"}}}"#,
                "E_INVALID_TYPE",
                "s.xero.tenant_id",
                "duplicate field `tenant_id`",
            ),
            (
                r#"{"s":{"shopify":{"admin_base":7}}}"#,
                "E_INVALID_TYPE",
                "s.shopify.admin_base",
                "expected a string",
            ),
            (
                r#"{"s":{"stripe":[]}}"#,
                "E_INVALID_TYPE",
                "s.stripe",
                "expected a map",
            ),
            (
                r#"{"s":{"posting":{"sage":"daily"}}}"#,
                "E_INVALID_TYPE",
                "s.posting.sage",
                "unknown variant `sage`",
            ),
            (
                r#"{"s":{"posting":{"qbo":"weekly"}}}"#,
                "E_INVALID_TYPE",
                "s.posting",
                "posting.qbo: ",
            ),
            (
                r#"{"s":{"posting":{"d1":"daily"}}}"#,
                "E_INVALID_TYPE",
                "s.posting",
                "posting.d1: the D1 ledger always keeps per-order entries",
            ),
            (
                r#"{"s":{"timezone":"Europe/Berlin"}}"#,
                "E_INVALID_TYPE",
                "s.timezone",
                "want a fixed UTC offset",
            ),
            (
                r#"{"s":{"mapping":{"accounts":}}}"#,
                "E_JSON",
                "s.mapping.accounts",
                "",
            ),
            (r#"{"s":{}} x"#, "E_JSON", "", "trailing characters"),
            (r#"["s"]"#, "E_INVALID_TYPE", "", "expected a map"),
        ] {
            let (got_code, got_path, message) = refusal(text);
            assert_eq!(
                (got_code.as_str(), got_path.as_str()),
                (code, path),
                "{text}: {message}"
            );
            assert!(message.contains(words), "{text}: {message}");
        }
    }

    #[test]
    fn fields_defaults_and_the_last_of_a_repeated_shop() {
        let read = shops(
            r#"{"a":{}, "a":{"targets":["qbo","xero"],"timezone":null,
                "mapping": {"accounts" : {"sales":"Income:Shop"}},
                "stripe":{}, "qbo":{"realm_id":"9"}, "woocommerce":{"base_url":"https://w"},
                "shopify":{"token_secret":"T"}, "posting":{"qbo":"daily"}}, "b":{"mapping":null}}"#,
        )
        .unwrap();
        let a = read.get("a").unwrap();
        assert_eq!(a.targets, vec![Target::Qbo, Target::Xero]);
        assert_eq!(
            a.mapping.as_deref(),
            Some(r#"{"accounts" : {"sales":"Income:Shop"}}"#)
        );
        assert_eq!(a.timezone, None);
        assert_eq!(
            a.stripe.as_ref().unwrap().api_base,
            "https://api.stripe.com"
        );
        let qbo = a.qbo.as_ref().unwrap();
        assert_eq!(
            (qbo.realm_id.as_str(), qbo.minor_version.as_str()),
            ("9", "75")
        );
        assert_eq!(qbo.base_url, "https://quickbooks.api.intuit.com");
        assert_eq!(a.woocommerce.as_ref().unwrap().base_url, "https://w");
        let shopify = a.shopify.as_ref().unwrap();
        assert_eq!(
            (
                shopify.admin_base.as_deref(),
                shopify.token_secret.as_deref()
            ),
            (None, Some("T"))
        );
        assert_eq!(a.mode(Target::Qbo), PostingMode::Daily);
        assert!(a.xero.is_none() && a.bigcommerce.is_none() && a.webhook_url.is_none());
        assert!(read.get("b").unwrap().mapping.is_none());
        assert!(shops("{}").unwrap().is_empty());
    }
}
