//! `GET /admin`: the admin page, with the headers that keep it from being framed by anyone but
//! the Shopify admin and from running anything but its own code.
//!
//! `frame-ancestors`: Shopify asks an embedded app to allow only `https://{shop}` and
//! `https://admin.shopify.com`. The page is the same for every shop and holds nothing before a
//! credential is entered, so without a shop it allows the Shopify admin and any
//! `*.myshopify.com`; when Shopify's `?shop=` names a configured shop, only that shop.

use crate::auth::shopify_shop_domain;
use crate::config::Settings;
use crate::http_error::HttpResult;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use sha2::{Digest, Sha256};
use worker::{Request, Response};

const PAGE: &str = include_str!("admin.html");

pub fn page(req: &Request, settings: &Settings) -> HttpResult<Response> {
    let shop = crate::peek::query_pairs(&crate::peek::href(req))
        .into_iter()
        .find(|(k, _)| k == "shop")
        .and_then(|(_, v)| shopify_shop_domain(&v));
    let shop = shop.filter(|s| settings.accepts_shop(s));
    let mut resp = Response::from_html(PAGE)?;
    let h = resp.headers_mut();
    h.set("content-security-policy", &policy(PAGE, shop.as_deref()))?;
    h.set("x-content-type-options", "nosniff")?;
    h.set("referrer-policy", "no-referrer")?;
    Ok(resp)
}

/// The page's code is served from this origin; an inline script would be allowed by its hash
/// only (none is today, so nothing inline runs); the widget
/// compiles the core's wasm (`'wasm-unsafe-eval'`) and styles its shadow root with a `<style>`
/// element (`'unsafe-inline'` for styles only). Everything it loads or calls is this origin.
pub fn policy(page: &str, shop: Option<&str>) -> String {
    let scripts: String = inline_blocks(page, "script")
        .map(|body| format!(" 'sha256-{}'", B64.encode(Sha256::digest(body.as_bytes()))))
        .collect();
    let ancestors = match shop {
        Some(shop) => format!("https://{shop} https://admin.shopify.com"),
        None => "https://admin.shopify.com https://*.myshopify.com".into(),
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    )
}

/// The text of each inline `<tag …>…</tag>` element (those without `src=`).
fn inline_blocks<'a>(page: &'a str, tag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let close = format!("</{tag}>");
    page.match_indices('<').filter_map(move |(at, _)| {
        let rest = &page[at + 1..];
        if !rest.starts_with(tag) {
            return None;
        }
        let head_end = rest.find('>')?;
        if rest[..head_end].contains("src=") {
            return None;
        }
        let body = &rest[head_end + 1..];
        body.find(&close).map(|end| &body[..end])
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_inline_script_of_the_page_is_hashed() {
        let page = "<p><script type=\"module\">a()</script><script src=\"/x.js\"></script><script>b()</script>";
        let csp = policy(page, None);
        for body in ["a()", "b()"] {
            let hash = B64.encode(Sha256::digest(body.as_bytes()));
            assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
        }
        assert_eq!(csp.matches("'sha256-").count(), 2);
        // The page's own code is served as files (edge-worker/admin/), allowed by 'self'.
        assert_eq!(inline_blocks(PAGE, "script").count(), 0);
        assert!(PAGE.contains(r#"<script type="module" src="/ledgerbridge/admin/app.js">"#));
    }

    #[test]
    fn frame_ancestors_narrow_to_the_named_shop() {
        assert!(policy(PAGE, None)
            .ends_with("frame-ancestors https://admin.shopify.com https://*.myshopify.com"));
        assert!(policy(PAGE, Some("a.myshopify.com"))
            .ends_with("frame-ancestors https://a.myshopify.com https://admin.shopify.com"));
    }
}
