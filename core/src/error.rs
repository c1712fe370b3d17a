//! Typed errors and non-fatal warnings.
//!
//! Error codes are public API: the wasm face and the worker expose them to users, so a code is never
//! renamed or reused (`tests/errors.rs` freezes the list). Every error carries the JSON path of the
//! offending field, or `""` when no single field is to blame.

use serde::{Deserialize, Serialize};

/// Everything that can go wrong when turning a payload into entries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    #[error("malformed JSON at {path}: {message}")]
    Json { path: String, message: String },
    #[error("missing required field {path}")]
    MissingField { path: String },
    #[error("wrong type at {path}: {message}")]
    InvalidType { path: String, message: String },
    #[error("invalid amount at {path}: {value:?} ({reason})")]
    InvalidAmount {
        path: String,
        value: String,
        reason: String,
    },
    #[error("amount too large at {path}: {value}")]
    AmountTooLarge { path: String, value: String },
    #[error("unknown currency at {path}: {value:?}")]
    UnknownCurrency { path: String, value: String },
    #[error("invalid value at {path}: {value:?} ({reason})")]
    InvalidValue {
        path: String,
        value: String,
        reason: String,
    },
    #[error("invalid timestamp at {path}: {value:?}")]
    InvalidTimestamp { path: String, value: String },
    #[error("{what} at {path} exceeds the limit of {limit}")]
    LimitExceeded {
        path: String,
        what: String,
        limit: usize,
    },
    #[error("{source_ref} does not balance: debits {debits}, credits {credits}, difference {difference} exceeds the rounding tolerance {tolerance}")]
    UnbalancedSource {
        path: String,
        source_ref: String,
        debits: String,
        credits: String,
        difference: String,
        tolerance: String,
    },
    #[error("entry {entry_id} is unbalanced in {currency}: debits {debits}, credits {credits}")]
    Unbalanced {
        path: String,
        entry_id: String,
        currency: String,
        debits: String,
        credits: String,
    },
    #[error("invalid config at {path}: {value:?} ({reason})")]
    Config {
        path: String,
        value: String,
        reason: String,
    },
    #[error("{path} says {declared}, but {booked_from} add up to {booked}: difference {difference} exceeds the rounding tolerance {tolerance}")]
    TotalMismatch {
        path: String,
        declared: String,
        booked_from: String,
        booked: String,
        difference: String,
        tolerance: String,
    },
    #[error(
        "negative amount at {path}: {value} (the platform does not send negative amounts here)"
    )]
    NegativeAmount { path: String, value: String },
    #[error("unsupported platform {value:?} (expected one of: {expected})")]
    UnsupportedPlatform { value: String, expected: String },
    #[error("unsupported format {value:?} (expected one of: {expected})")]
    UnsupportedFormat { value: String, expected: String },
    /// A config in a syntax this build does not read (TOML in a build without the `toml` feature,
    /// such as the widget's lean wasm module).
    #[error("{syntax} configs are not read by this build; give the config as JSON")]
    UnsupportedConfigSyntax { syntax: String },
}

/// Every code [`LedgerError::code`] can return, in declaration order.
pub const ERROR_CODES: &[&str] = &[
    "E_JSON",
    "E_MISSING_FIELD",
    "E_INVALID_TYPE",
    "E_INVALID_AMOUNT",
    "E_AMOUNT_TOO_LARGE",
    "E_UNKNOWN_CURRENCY",
    "E_INVALID_VALUE",
    "E_INVALID_TIMESTAMP",
    "E_LIMIT_EXCEEDED",
    "E_UNBALANCED_SOURCE",
    "E_UNBALANCED",
    "E_CONFIG",
    "E_UNSUPPORTED_PLATFORM",
    "E_UNSUPPORTED_FORMAT",
    "E_TOTAL_MISMATCH",
    "E_NEGATIVE_AMOUNT",
    "E_UNSUPPORTED_CONFIG_SYNTAX",
];

impl LedgerError {
    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json { .. } => "E_JSON",
            Self::MissingField { .. } => "E_MISSING_FIELD",
            Self::InvalidType { .. } => "E_INVALID_TYPE",
            Self::InvalidAmount { .. } => "E_INVALID_AMOUNT",
            Self::AmountTooLarge { .. } => "E_AMOUNT_TOO_LARGE",
            Self::UnknownCurrency { .. } => "E_UNKNOWN_CURRENCY",
            Self::InvalidValue { .. } => "E_INVALID_VALUE",
            Self::InvalidTimestamp { .. } => "E_INVALID_TIMESTAMP",
            Self::LimitExceeded { .. } => "E_LIMIT_EXCEEDED",
            Self::UnbalancedSource { .. } => "E_UNBALANCED_SOURCE",
            Self::Unbalanced { .. } => "E_UNBALANCED",
            Self::Config { .. } => "E_CONFIG",
            Self::UnsupportedPlatform { .. } => "E_UNSUPPORTED_PLATFORM",
            Self::UnsupportedFormat { .. } => "E_UNSUPPORTED_FORMAT",
            Self::TotalMismatch { .. } => "E_TOTAL_MISMATCH",
            Self::NegativeAmount { .. } => "E_NEGATIVE_AMOUNT",
            Self::UnsupportedConfigSyntax { .. } => "E_UNSUPPORTED_CONFIG_SYNTAX",
        }
    }

    /// JSON path of the offending field (`line_items[0].price`), `""` when none applies.
    pub fn path(&self) -> &str {
        match self {
            Self::Json { path, .. }
            | Self::MissingField { path }
            | Self::InvalidType { path, .. }
            | Self::InvalidAmount { path, .. }
            | Self::AmountTooLarge { path, .. }
            | Self::UnknownCurrency { path, .. }
            | Self::InvalidValue { path, .. }
            | Self::InvalidTimestamp { path, .. }
            | Self::LimitExceeded { path, .. }
            | Self::UnbalancedSource { path, .. }
            | Self::Unbalanced { path, .. }
            | Self::Config { path, .. }
            | Self::TotalMismatch { path, .. }
            | Self::NegativeAmount { path, .. } => path,
            Self::UnsupportedPlatform { .. }
            | Self::UnsupportedFormat { .. }
            | Self::UnsupportedConfigSyntax { .. } => "",
        }
    }

    /// Prefix the path with an outer segment, e.g. `refunds[2]` + `.transactions[0].amount`.
    pub fn within(mut self, outer: &str) -> Self {
        if outer.is_empty() {
            return self;
        }
        let slot = match &mut self {
            Self::Json { path, .. }
            | Self::MissingField { path }
            | Self::InvalidType { path, .. }
            | Self::InvalidAmount { path, .. }
            | Self::AmountTooLarge { path, .. }
            | Self::UnknownCurrency { path, .. }
            | Self::InvalidValue { path, .. }
            | Self::InvalidTimestamp { path, .. }
            | Self::LimitExceeded { path, .. }
            | Self::UnbalancedSource { path, .. }
            | Self::Unbalanced { path, .. }
            | Self::Config { path, .. }
            | Self::TotalMismatch { path, .. }
            | Self::NegativeAmount { path, .. } => path,
            Self::UnsupportedPlatform { .. }
            | Self::UnsupportedFormat { .. }
            | Self::UnsupportedConfigSyntax { .. } => return self,
        };
        *slot = join_path(outer, slot);
        self
    }

    /// The serde-friendly view the bindings attach to JS `Error`s.
    pub fn to_detail(&self) -> ErrorDetail {
        ErrorDetail {
            code: self.code().to_string(),
            path: self.path().to_string(),
            message: self.to_string(),
        }
    }
}

/// Joins two JSON path fragments: `a` + `b` → `a.b`, `a` + `[0]` → `a[0]`.
pub fn join_path(outer: &str, inner: &str) -> String {
    if inner.is_empty() {
        outer.to_string()
    } else if outer.is_empty() {
        inner.to_string()
    } else if inner.starts_with('[') {
        format!("{outer}{inner}")
    } else {
        format!("{outer}.{inner}")
    }
}

/// A flat, serializable form of an error (code, path, message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorDetail {
    #[cfg_attr(feature = "ts", ts(type = "LedgerErrorCode"))]
    pub code: String,
    /// JSON path of the offending field (`line_items[0].price`), `""` when none applies.
    pub path: String,
    pub message: String,
}

/// Something the merchant should look at that did not stop mapping, e.g. a product that fell to the
/// default sales account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Warning {
    pub code: String,
    pub path: String,
    pub message: String,
}

impl Warning {
    pub fn new(code: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            path: path.into(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = LedgerError> = std::result::Result<T, E>;
