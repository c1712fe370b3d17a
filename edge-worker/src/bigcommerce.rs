//! BigCommerce webhooks name an order and nothing else (`{"scope":"store/order/updated",
//! "data":{"type":"order","id":250},"producer":"stores/<hash>"}`), so before mapping, the consumer
//! fetches the order as it is now from the store's V2 API and stores it in the event in place of
//! the thin body: the core's BigCommerce adapter reads exactly that document, and the preview and
//! any replay then map what was booked. Fetching the current state makes the webhooks' order and
//! retries irrelevant: two webhooks for one state map to one version.

use crate::config::{text, Settings, ShopConfig};
use crate::http::{backoff, call, excerpt, retry_after};
use worker::{Env, Method};

pub enum Fetched {
    /// `{"order":…,"products":…,"shipping_addresses":…,"coupons":…}`, each the API's own text.
    Order(String),
    Retry {
        reason: String,
        after_s: u32,
    },
    Park(String),
}

/// Whether a stored BigCommerce payload is still the webhook (not yet the fetched order).
pub fn is_webhook(payload: &str) -> bool {
    crate::peek::members(payload, ["scope"]).is_ok_and(|[scope]| crate::peek::text(scope).is_some())
}

/// The store hash and order id go into an API path, so they must be what BigCommerce issues
/// (a lower-case alphanumeric hash, a numeric id) and nothing that could walk the path
/// (`../`, `?`, `#`, `%2F`). The hash comes from the webhook's `producer`, the id from its data.
pub fn check_path_ids(store_hash: &str, order_id: &str) -> Result<(), String> {
    let hash_ok = (1..=32).contains(&store_hash.len())
        && store_hash
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !hash_ok {
        return Err(format!(
            "{:?} is not a BigCommerce store hash (lower-case letters and digits): the order cannot be fetched",
            excerpt(store_hash)
        ));
    }
    let id_ok = (1..=19).contains(&order_id.len()) && order_id.bytes().all(|b| b.is_ascii_digit());
    if !id_ok {
        return Err(format!(
            "{:?} is not a BigCommerce order id (digits): the order cannot be fetched",
            excerpt(order_id)
        ));
    }
    Ok(())
}

pub async fn fetch_order(
    env: &Env,
    settings: &Settings,
    shop_config: &ShopConfig,
    store_hash: &str,
    order_id: &str,
) -> Fetched {
    if let Err(why) = check_path_ids(store_hash, order_id) {
        return Fetched::Park(why);
    }
    let Some(token) = text(env, "BIGCOMMERCE_TOKEN") else {
        return Fetched::Park("no BIGCOMMERCE_TOKEN secret: the order cannot be fetched".into());
    };
    let base = shop_config
        .bigcommerce
        .as_ref()
        .map_or("https://api.bigcommerce.com", |b| b.api_base.as_str())
        .trim_end_matches('/');
    let order_url = format!("{base}/stores/{store_hash}/v2/orders/{order_id}");
    let mut parts = Vec::with_capacity(4);
    for (name, url, may_be_empty) in [
        ("order", order_url.clone(), false),
        ("products", format!("{order_url}/products"), false),
        (
            "shipping_addresses",
            format!("{order_url}/shipping_addresses"),
            true,
        ),
        ("coupons", format!("{order_url}/coupons"), true),
    ] {
        let headers = [
            ("x-auth-token", token.as_str()),
            ("accept", "application/json"),
        ];
        let reply = match call(
            Method::Get,
            &url,
            &headers,
            None,
            settings.target_timeout_ms,
        )
        .await
        {
            Ok(r) => r,
            Err(e) => {
                return Fetched::Retry {
                    reason: format!("BigCommerce {name}: {e}"),
                    after_s: backoff(1),
                }
            }
        };
        let body = match reply.status {
            // An order without coupons (or with nothing to ship) answers 204 with no body.
            204 if may_be_empty => "[]".to_string(),
            200..=299 => reply.body.clone(),
            404 => {
                return Fetched::Park(format!("BigCommerce has no order {order_id} ({name}: 404)"))
            }
            401 | 403 => {
                return Fetched::Park(format!(
                    "BigCommerce refused the API token ({}): {}",
                    reply.status,
                    excerpt(&reply.body)
                ))
            }
            429 | 500..=599 => {
                return Fetched::Retry {
                    reason: format!("BigCommerce {name} answered {}", reply.status),
                    after_s: retry_after(&reply).unwrap_or_else(|| backoff(1)),
                }
            }
            status => {
                return Fetched::Park(format!(
                    "BigCommerce {name} answered {status}: {}",
                    excerpt(&reply.body)
                ))
            }
        };
        // Spliced verbatim (no number ever goes through a float), after proving it is JSON.
        if let Err(e) = crate::peek::check(&body) {
            return Fetched::Retry {
                reason: format!("BigCommerce {name} is not JSON: {e}"),
                after_s: backoff(1),
            };
        }
        parts.push(format!("\"{name}\":{}", body.trim()));
    }
    Fetched::Order(format!("{{{}}}", parts.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Security review (low): ids went into the API path unchecked.
    #[test]
    fn only_issued_ids_enter_the_api_path() {
        assert_eq!(check_path_ids("abc123", "250"), Ok(()));
        for (hash, id) in [
            ("abc123", "../../v3/customers"),
            ("abc123", "250?limit=1"),
            ("abc123", "250#x"),
            ("abc123", ""),
            ("abc123", "12345678901234567890"),
            ("abc/../x", "250"),
            ("ABC123", "250"),
            ("abc%2f", "250"),
            ("", "250"),
        ] {
            assert!(check_path_ids(hash, id).is_err(), "{hash:?} {id:?}");
        }
    }
}
