//! Exporters: finished entries → the text or JSON each ledger or accounting system takes.
//! They only format; every accounting decision was made by the engine.

use crate::error::{LedgerError, Result};
use crate::journal::Entry;
use crate::rules::Config;
use std::str::FromStr;

/// Output formats of [`export`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// The entries themselves as a JSON array (the public entry shape).
    Json,
}

impl Format {
    pub const ALL: &'static [Format] = &[Format::Json];

    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Json => "json",
        }
    }
}

impl FromStr for Format {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self> {
        Format::ALL
            .iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .copied()
            .ok_or_else(|| LedgerError::UnsupportedFormat {
                value: s.to_string(),
                expected: Format::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", "),
            })
    }
}

/// Renders `entries` in `format`. Deterministic: the same entries give the same bytes.
pub fn export(entries: &[Entry], format: Format, _config: &Config) -> Result<String> {
    for (i, entry) in entries.iter().enumerate() {
        entry.check().map_err(|e| e.within(&format!("[{i}]")))?;
    }
    match format {
        Format::Json => serde_json::to_string(entries).map_err(|e| LedgerError::InvalidValue {
            path: String::new(),
            value: String::new(),
            reason: e.to_string(),
        }),
    }
}
