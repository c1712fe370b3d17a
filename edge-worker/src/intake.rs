//! `POST /webhooks/:platform`: verify the raw bytes, record them durably, acknowledge. Mapping and
//! posting happen later in the queue consumer, outside the sender's 5-second budget.

use crate::config::{secrets, Settings};
use crate::data_request;
use crate::http_error::{HttpError, HttpResult};
use crate::peek;
use crate::queue::{self, Job};
use crate::reply::{self, Obj};
use crate::store::{now_ms, Db, NewEvent, Recorded};
use crate::verify::{self, Refused};
use futures_util::StreamExt;
use ledgerbridge_core::{redact_personal_data, Platform};
use worker::{Env, Request, Response};

/// What the intake needs to know about a delivery before it is recorded.
struct Delivery {
    shop: String,
    topic: String,
    delivery_id: String,
    resource: &'static str,
    order_id: Option<String>,
}

/// The few fields read at intake; reading them also proves the body is JSON. Ids are kept as
/// their text (a whole number as written, a non-empty string), any other id as absent.
struct Peek {
    id: Option<String>,
    order_id: Option<String>,
    kind: Option<String>,
    account: Option<String>,
    /// BigCommerce: `store/order/created`, `stores/<store hash>`, `{"type":"order","id":250}`.
    scope: Option<String>,
    producer: Option<String>,
    data_id: Option<String>,
    /// Shopify privacy requests: the shop the request is about, inside the signed body.
    shop_domain: Option<String>,
}

impl Peek {
    /// As the serde derive it replaces read it: an object whose text members, when present and
    /// not null, are strings; `data`, when present and not null, an object.
    fn read(text: &str) -> Result<Peek, String> {
        const NAMES: [&str; 8] = [
            "id",
            "order_id",
            "type",
            "account",
            "scope",
            "producer",
            "data",
            "shop_domain",
        ];
        let [id, order_id, kind, account, scope, producer, data, shop_domain] =
            peek::members(text, NAMES).map_err(|e| e.to_string())?;
        let text = |v: Option<&str>| match v {
            Some(_) => peek::text(v)
                .map(Some)
                .ok_or_else(|| "invalid type: expected a string".to_string()),
            None => Ok(None),
        };
        let data_id = match data {
            Some(raw) => id_text(peek::members(raw, ["id"]).map_err(|e| e.to_string())?[0]),
            None => None,
        };
        Ok(Peek {
            id: id_text(id),
            order_id: id_text(order_id),
            kind: text(kind)?,
            account: text(account)?,
            scope: text(scope)?,
            producer: text(producer)?,
            data_id,
            shop_domain: text(shop_domain)?,
        })
    }
}

/// A JSON number's text as written (serde_json wrote a float's in its own form; stores send whole
/// ids), or a non-empty string's.
fn id_text(raw: Option<&str>) -> Option<String> {
    match raw?.as_bytes().first()? {
        b'"' => peek::text(raw).filter(|s| !s.is_empty()),
        b'-' | b'0'..=b'9' => raw.map(str::to_string),
        _ => None,
    }
}

pub async fn handle(
    mut req: Request,
    env: &Env,
    settings: &Settings,
    platform: Platform,
) -> HttpResult<Response> {
    if !matches!(
        platform,
        Platform::Shopify | Platform::WooCommerce | Platform::BigCommerce | Platform::Stripe
    ) {
        return Err(no_intake(platform));
    }
    let db = Db::new(env)?;
    let now = now_ms();
    let result = accept(&mut req, env, settings, &db, platform, now).await;
    if let Err(e) = &result {
        if e.status != 500 {
            // Counted, never stored: a refused body may be anything. The reason is the error's
            // fixed code, never text from the request.
            db.reject(platform, e.code, now).await?;
        }
    }
    result
}

async fn accept(
    req: &mut Request,
    env: &Env,
    settings: &Settings,
    db: &Db,
    platform: Platform,
    now: i64,
) -> HttpResult<Response> {
    let headers = req.headers().clone();
    let header = |name: &str| headers.get(name).ok().flatten();
    if let Some(len) = header("content-length").and_then(|v| v.trim().parse::<u64>().ok()) {
        if len > settings.max_body_bytes as u64 {
            return Err(too_large(settings.max_body_bytes));
        }
    }
    let body = read_capped(req, settings.max_body_bytes).await?;

    if platform == Platform::WooCommerce
        && header("x-wc-webhook-signature").is_none()
        && is_woo_ping(&body)
    {
        // WooCommerce's activation ping: unsigned, form-encoded, and it must get a 200.
        return Ok(Response::ok("pong")?);
    }
    let verified = match platform {
        Platform::Shopify => verify::base64_body_hmac(
            &body,
            header("x-shopify-hmac-sha256").as_deref(),
            &secrets(env, &["SHOPIFY_SECRET", "SHOPIFY_SECRET_PREVIOUS"]),
        ),
        Platform::WooCommerce => verify::base64_body_hmac(
            &body,
            header("x-wc-webhook-signature").as_deref(),
            &secrets(env, &["WOOCOMMERCE_SECRET", "WOOCOMMERCE_SECRET_PREVIOUS"]),
        ),
        Platform::BigCommerce => verify::shared_secret_header(
            header("x-webhook-secret").as_deref(),
            &secrets(env, &["BIGCOMMERCE_SECRET", "BIGCOMMERCE_SECRET_PREVIOUS"]),
        ),
        Platform::Stripe => verify::stripe(
            &body,
            header("stripe-signature").as_deref(),
            &secrets(env, &["STRIPE_SECRET", "STRIPE_SECRET_PREVIOUS"]),
            now / 1000,
            settings.stripe_tolerance_s,
        ),
        // The canonical format, and any platform a newer core adds before its intake is written.
        _ => return Err(no_intake(platform)),
    };
    verified.map_err(refused)?;

    let text = std::str::from_utf8(&body).map_err(|_| malformed("body is not UTF-8"))?;
    let peek = Peek::read(text).map_err(|e| malformed(&format!("body is not JSON: {e}")))?;
    let delivery = match platform {
        Platform::Shopify => shopify(&header, &peek, &body)?,
        Platform::WooCommerce => woocommerce(&header, &peek, &body)?,
        Platform::BigCommerce => bigcommerce(&peek, &body)?,
        Platform::Stripe => stripe(&peek, &body),
        // The canonical format, and any platform a newer core adds before its intake is written.
        _ => return Err(no_intake(platform)),
    };
    let Some(d) = delivery else {
        let topic = header("x-shopify-topic")
            .or_else(|| header("x-wc-webhook-topic"))
            .or_else(|| peek.scope.clone())
            .unwrap_or_default();
        // Counted without the topic: the header is the sender's text, and unsigned.
        db.reject(platform, "ignored-topic", now).await?;
        return Ok(reply::json(Obj::new().str("ignored", &topic).text())?);
    };
    // The shop comes from an unsigned header (Shopify, WooCommerce) and the secret is the
    // platform's, not the shop's: only a configured shop is booked into (trust model: docs/worker.md).
    if !settings.accepts_shop(&d.shop) {
        return Err(HttpError::new(
            403,
            "E_UNKNOWN_SHOP",
            format!("shop {:?} is not configured in SHOPS", d.shop),
        ));
    }
    // A privacy request erases a shop's payloads: the signed body must name the shop the
    // (unsigned) header names, so a request signed for one shop cannot be relabelled for another.
    if matches!(d.resource, "redact" | "data-request")
        && !peek
            .shop_domain
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(&d.shop))
    {
        return Err(HttpError::new(
            403,
            "E_SHOP_MISMATCH",
            "the request's shop_domain is not the shop that sent it",
        ));
    }
    if d.resource == "data-request" {
        return data_request::record(db, platform.as_str(), &d.shop, &d.delivery_id, text, now)
            .await;
    }
    let body_sha256 = verify::sha256_hex(&body);

    // An erasure request names the customer it is about: kept only without them.
    let redacted;
    let payload = if d.resource == "redact" {
        redacted = redact_personal_data(&body).map_err(|e| malformed(&e.to_string()))?;
        redacted.as_str()
    } else {
        text
    };
    let event = NewEvent {
        platform: platform.as_str(),
        shop: &d.shop,
        topic: &d.topic,
        delivery_id: &d.delivery_id,
        resource: d.resource,
        order_id: d.order_id.as_deref(),
        payload,
        body_sha256: Some(&body_sha256),
    };
    match db.record_event(&event, now).await? {
        Recorded::New(id) => {
            // A lost message is not a lost event: the sweeper re-enqueues unmapped events.
            if let Err(e) = queue::send(&queue::work(env)?, &Job::Event { id }).await {
                worker::console_warn!(
                    "event {id}: enqueue failed ({e}); the sweeper will pick it up"
                );
            }
            Ok(reply::json(Obj::new().int("recorded", id).text())?.with_status(202))
        }
        Recorded::SeenBefore => Ok(reply::json(
            Obj::new().str("duplicate", &d.delivery_id).text(),
        )?),
    }
}

type Header<'a> = dyn Fn(&str) -> Option<String> + 'a;

fn shopify(header: &Header<'_>, peek: &Peek, body: &[u8]) -> HttpResult<Option<Delivery>> {
    let topic = header("x-shopify-topic").unwrap_or_default();
    let (resource, order_id) = match topic.as_str() {
        "refunds/create" => ("refund", peek.order_id.clone()),
        "customers/redact" | "shop/redact" => ("redact", None),
        "customers/data_request" => ("data-request", None),
        t if t.starts_with("orders/") => ("order", peek.id.clone()),
        _ => return Ok(None),
    };
    let shop = header("x-shopify-shop-domain")
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| no_shop("X-Shopify-Shop-Domain"))?;
    Ok(Some(Delivery {
        shop,
        delivery_id: header("x-shopify-webhook-id").unwrap_or_else(|| verify::sha256_hex(body)),
        topic,
        resource,
        order_id,
    }))
}

fn woocommerce(header: &Header<'_>, peek: &Peek, body: &[u8]) -> HttpResult<Option<Delivery>> {
    let topic = header("x-wc-webhook-topic").unwrap_or_default();
    if !topic.starts_with("order.") {
        return Ok(None);
    }
    let shop = header("x-wc-webhook-source")
        .map(|src| {
            src.split("://")
                .last()
                .unwrap_or("")
                .trim_end_matches('/')
                .to_ascii_lowercase()
        })
        .filter(|s| !s.is_empty())
        .ok_or_else(|| no_shop("X-WC-Webhook-Source"))?;
    Ok(Some(Delivery {
        shop,
        delivery_id: header("x-wc-webhook-delivery-id").unwrap_or_else(|| verify::sha256_hex(body)),
        topic,
        resource: "order",
        order_id: peek.id.clone(),
    }))
}

/// Only order scopes: the order is fetched and mapped whole whichever of them arrives. BigCommerce
/// resends the same body when it retries, so the body's hash is the delivery id.
fn bigcommerce(peek: &Peek, body: &[u8]) -> HttpResult<Option<Delivery>> {
    let Some(scope) = peek.scope.as_deref() else {
        return Ok(None);
    };
    if !scope.starts_with("store/order/") {
        return Ok(None);
    }
    let Some(order_id) = peek.data_id.clone() else {
        return Ok(None);
    };
    let shop = peek
        .producer
        .as_deref()
        .and_then(|p| p.strip_prefix("stores/"))
        .filter(|h| !h.is_empty())
        .ok_or_else(|| no_shop("producer"))?
        .to_ascii_lowercase();
    Ok(Some(Delivery {
        shop,
        topic: scope.to_string(),
        delivery_id: verify::sha256_hex(body),
        resource: "order",
        order_id: Some(order_id),
    }))
}

/// An event of a connected account names it (`account`, inside the signed body); one without it
/// is the endpoint owner's own, booked under `default` (the name the Stripe backfill uses too).
fn stripe(peek: &Peek, body: &[u8]) -> Option<Delivery> {
    Some(Delivery {
        shop: peek.account.clone().unwrap_or_else(|| "default".into()),
        topic: peek.kind.clone().unwrap_or_default(),
        delivery_id: peek.id.clone().unwrap_or_else(|| verify::sha256_hex(body)),
        resource: "other",
        order_id: None,
    })
}

fn is_woo_ping(body: &[u8]) -> bool {
    body.starts_with(b"webhook_id=") && body[11..].iter().all(|b| b.is_ascii_digit())
}

/// Reads the body, stopping as soon as it exceeds `cap` (a lying or absent Content-Length
/// cannot make the worker buffer more than `cap` bytes); a declared length over the cap is
/// refused before anything is read.
pub async fn read_capped(req: &mut Request, cap: usize) -> HttpResult<Vec<u8>> {
    let declared = req
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > cap as u64) {
        return Err(too_large(cap));
    }
    let Ok(mut stream) = req.stream() else {
        return Ok(Vec::new());
    };
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| HttpError::bad_request("E_UNREADABLE_BODY", e.to_string()))?;
        if body.len() + chunk.len() > cap {
            return Err(too_large(cap));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A request body read by [`read_capped`], parsed as JSON. Every body goes through
/// `serde_json::from_str`: parsing bytes (`from_slice`) would compile serde_json's whole
/// deserializer a second time, for another reader type, into the bundle.
pub fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| <serde_json::Error as serde::de::Error>::custom("body is not UTF-8"))?;
    serde_json::from_str(text)
}

/// The canonical format is the core's own input, which no store sends as a webhook.
fn no_intake(platform: Platform) -> HttpError {
    HttpError::not_found(format!("no intake for platform {platform}"))
}

fn too_large(cap: usize) -> HttpError {
    HttpError::new(413, "E_PAYLOAD_TOO_LARGE", format!("body over {cap} bytes"))
}

/// A delivery that does not say which shop it is for is not booked under a guessed one.
fn no_shop(field: &str) -> HttpError {
    HttpError {
        path: field.to_string(),
        ..HttpError::bad_request("E_NO_SHOP", format!("{field} is missing or empty"))
    }
}

fn malformed(why: &str) -> HttpError {
    HttpError::bad_request("E_JSON", why)
}

fn refused(r: Refused) -> HttpError {
    let message = match r {
        Refused::OutsideTolerance => "signature timestamp outside tolerance",
        Refused::NoSecret => "no secret configured for this source",
        _ => "signature missing or invalid",
    };
    let status = if r == Refused::OutsideTolerance {
        400
    } else {
        401
    };
    HttpError::new(status, r.code(), message)
}
