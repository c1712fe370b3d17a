//! Errors that become HTTP responses: a status, a stable `E_…` code (the core's own code when the
//! core refused something), the JSON path of the field at fault (empty when there is none) and a
//! readable message, as `{"error":{"code","path","message"}}`, the shape the widget's `#fetch`
//! reads. Internal failures never echo payload content, nor anything else: a 5xx answers a fixed
//! message, and its detail (a D1 error, a config value) goes to the log only.

use crate::reply::{self, Obj};
use ledgerbridge_core::LedgerError;
use worker::Response;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub status: u16,
    pub code: &'static str,
    pub path: String,
    pub message: String,
}

impl HttpError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            path: String::new(),
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, "E_UNAUTHORIZED", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, "E_FORBIDDEN", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "E_NOT_FOUND", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "E_INTERNAL", message)
    }

    pub fn response(&self) -> worker::Result<Response> {
        Ok(reply::json(self.body())?.with_status(self.status))
    }

    fn body(&self) -> String {
        let error = if self.status >= 500 {
            // The caller may be anyone (a webhook sender, a 404 prober): a D1 error or a config
            // parse error can quote table names, SHOPS values or a var's value.
            error(self.code, "", INTERNAL_MESSAGE)
        } else {
            error(self.code, &self.path, &self.message)
        };
        Obj::new().raw("error", error).text()
    }
}

/// `{"code", "path", "message"}`, the error shape of every answer that carries one.
pub fn error(code: &str, path: &str, message: &str) -> String {
    Obj::new()
        .str("code", code)
        .str("path", path)
        .str("message", message)
        .text()
}

/// What the core refuses is the request's content (422), except a platform or export format the
/// caller named that the core does not know, which is a bad request (400).
impl From<LedgerError> for HttpError {
    fn from(e: LedgerError) -> Self {
        let status = match e {
            LedgerError::UnsupportedPlatform { .. } | LedgerError::UnsupportedFormat { .. } => 400,
            _ => 422,
        };
        Self {
            status,
            code: e.code(),
            path: e.path().to_string(),
            message: e.to_string(),
        }
    }
}

impl From<worker::Error> for HttpError {
    fn from(e: worker::Error) -> Self {
        HttpError::internal(e.to_string())
    }
}

/// What every 5xx says; the worker's log (`wrangler tail`) has the detail.
pub const INTERNAL_MESSAGE: &str = "internal error; the worker's log has the detail";

pub type HttpResult<T> = Result<T, HttpError>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use ledgerbridge_core::{map, Config, Platform};
    use serde_json::{json, Value};

    fn body(e: &HttpError) -> Value {
        serde_json::from_str(&e.body()).unwrap()
    }

    #[test]
    fn a_core_error_keeps_its_code_and_path_in_the_body() {
        let order = br#"{"id": 1, "currency": "USD", "processed_at": "2026-05-03T10:00:00Z",
            "line_items": [{"id": 1, "quantity": 1, "price": "12.5x"}]}"#;
        let e = HttpError::from(map(Platform::Shopify, order, &Config::default()).unwrap_err());
        assert_eq!(e.status, 422);
        assert_eq!(
            body(&e)["error"],
            json!({"code": "E_INVALID_AMOUNT", "path": "line_items[0].price", "message": e.message})
        );
        let expected = json!({"error": {"code": e.code, "path": e.path, "message": e.message}});
        assert_eq!(e.body(), expected.to_string());
    }

    /// Issue #15 item 9: a D1 error text or a config value reached any caller in a 500.
    #[test]
    fn an_internal_error_answers_a_fixed_message() {
        let e = HttpError::internal("var SHOPS: invalid type: string \"hunter2\"");
        assert_eq!(
            body(&e)["error"],
            json!({"code": "E_INTERNAL", "path": "", "message": INTERNAL_MESSAGE})
        );
    }

    #[test]
    fn an_unknown_format_is_a_bad_request() {
        let e = HttpError::from(
            "ledger"
                .parse::<ledgerbridge_core::exporters::Format>()
                .unwrap_err(),
        );
        assert_eq!((e.status, e.code), (400, "E_UNSUPPORTED_FORMAT"));
    }
}
