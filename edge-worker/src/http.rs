//! Outbound HTTP shared by the sinks, the BigCommerce order fetch and the reconciliation pull: a
//! call with a deadline, and the retry arithmetic every caller applies to its answers.

use futures_util::future::{select, Either};
use std::time::Duration;
use worker::web_sys;
use worker::{AbortController, Delay, Fetch, Headers, Method, Request};

/// An HTTP answer, read whole.
pub struct Reply {
    pub status: u16,
    pub headers: Headers,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).ok().flatten()
    }
}

/// Sends a request and reads its answer within `timeout_ms`; on expiry the request is aborted.
/// `Err` is a transport failure (timeout, refused connection): the target may or may not have
/// acted, so only an idempotent retry is safe.
pub async fn call(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
    timeout_ms: u32,
) -> Result<Reply, String> {
    let h = Headers::new();
    for (k, v) in headers {
        h.set(k, v).map_err(|e| format!("header {k}: {e}"))?;
    }
    // The runtime's own `RequestInit`, as `worker::RequestInit` fills it for these fields: that
    // one also carries the `cf` image options, whose serde serialization (through
    // serde-wasm-bindgen) cost the bundle more than this whole function.
    let init = web_sys::RequestInit::new();
    if !headers.is_empty() {
        init.set_headers(h.as_ref());
    }
    init.set_method(method.as_ref());
    init.set_redirect(web_sys::RequestRedirect::Follow);
    if let Some(b) = body {
        init.set_body(&b.into());
    }
    let req = web_sys::Request::new_with_str_and_init(url, &init)
        .map(Request::from)
        .map_err(|e| {
            let e = e
                .as_string()
                .unwrap_or_else(|| "invalid URL or options for Request".to_string());
            format!("bad request to {url}: {e}")
        })?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let exchange = async move {
        let fetch = Fetch::Request(req);
        let mut resp = fetch
            .send_with_signal(&signal)
            .await
            .map_err(|e| e.to_string())?;
        let body = resp.text().await.map_err(|e| e.to_string())?;
        Ok::<Reply, String>(Reply {
            status: resp.status_code(),
            headers: resp.headers().clone(),
            body,
        })
    };
    let deadline = Delay::from(Duration::from_millis(timeout_ms.into()));
    match select(Box::pin(exchange), Box::pin(deadline)).await {
        Either::Left((reply, _)) => reply,
        Either::Right(((), _)) => {
            controller.abort();
            Err(format!("no answer within {timeout_ms} ms"))
        }
    }
}

/// Exponential backoff by attempts made: 1 s, 2 s, 4 s ... capped at 10 minutes.
pub fn backoff(attempts: i64) -> u32 {
    let exp = attempts.clamp(0, 10) as u32;
    (1u32 << exp).min(600)
}

/// `Retry-After` in seconds (the HTTP-date form is treated as one minute).
pub fn retry_after(reply: &Reply) -> Option<u32> {
    let v = reply.header("retry-after")?;
    Some(v.trim().parse::<u32>().unwrap_or(60))
}

/// The first 300 characters of a target's error body, for a readable parked reason.
pub fn excerpt(text: &str) -> String {
    let t: String = text.chars().take(300).collect();
    t.replace(['\n', '\r'], " ")
}
