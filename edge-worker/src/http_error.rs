//! Errors that become HTTP responses: a status, a stable machine code and a readable message, as
//! `{"error":{"code","message"}}`. Internal failures never echo payload content.

use serde_json::json;
use worker::Response;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl HttpError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "not-found", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "internal", message)
    }

    pub fn response(&self) -> worker::Result<Response> {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        Ok(Response::from_json(&body)?.with_status(self.status))
    }
}

impl From<worker::Error> for HttpError {
    fn from(e: worker::Error) -> Self {
        HttpError::internal(e.to_string())
    }
}

pub type HttpResult<T> = Result<T, HttpError>;
