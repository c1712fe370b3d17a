//! The one way into a [`Config`] for every face (CLI, wasm, worker): whatever form the mapping
//! comes in, it is read through one JSON reader (`read.rs`) and validated before anyone maps with it, so
//! a bad account name is an `E_CONFIG` with its path wherever it was written.

use super::Config;
use crate::error::{LedgerError, Result};

/// A mapping as a face holds it.
#[derive(Debug, Clone, Copy)]
pub enum ConfigInput<'a> {
    /// A config file or text field: JSON when it starts with `{`, TOML otherwise.
    Text(&'a str),
    /// TOML text.
    Toml(&'a str),
    /// JSON text, whatever it starts with (a JS value the wasm binding stringified).
    Json(&'a str),
    /// JSON already parsed (the mapping embedded in the worker's `SHOPS` var).
    Value(&'a serde_json::Value),
}

impl<'a> From<&'a str> for ConfigInput<'a> {
    fn from(text: &'a str) -> Self {
        ConfigInput::Text(text)
    }
}

impl<'a> From<&'a String> for ConfigInput<'a> {
    fn from(text: &'a String) -> Self {
        ConfigInput::Text(text)
    }
}

impl<'a> From<&'a serde_json::Value> for ConfigInput<'a> {
    fn from(value: &'a serde_json::Value) -> Self {
        ConfigInput::Value(value)
    }
}

impl Config {
    /// Reads and validates a mapping; errors carry the field's path (`E_CONFIG`, or the JSON
    /// error's code). `Config`'s serde `Deserialize` (kept: the tests' oracle for `read.rs`) skips
    /// validation: faces use this instead.
    pub fn load<'a>(input: impl Into<ConfigInput<'a>>) -> Result<Self> {
        match input.into() {
            ConfigInput::Text(text) => Self::load_text(text),
            ConfigInput::Toml(text) => from_toml(text),
            ConfigInput::Json(text) => Self::load_json(text),
            // Re-read as text so that a bad field is named by the same path-tracking reader.
            // Through the core's writer, not `Value`'s `Display`: that linked serde_json's
            // serializer into every build that loads a config, the widget's lean modules included.
            ConfigInput::Value(value) => from_json(&crate::json::write::to_string(value)),
        }
    }

    /// `Config::load(ConfigInput::Text(text))` for a face that never holds a `Value`: a build
    /// calling only this and [`Config::load_json`] links no `Value` writer, and with it no float
    /// formatting (the widget's lean wasm modules).
    pub fn load_text(text: &str) -> Result<Self> {
        if text.trim_start().starts_with('{') {
            from_json(text)
        } else {
            from_toml(text)
        }
    }

    /// `Config::load(ConfigInput::Json(text))`, without the `Value` arm (see [`Config::load_text`]).
    pub fn load_json(text: &str) -> Result<Self> {
        from_json(text)
    }
}

pub(super) fn from_json(text: &str) -> Result<Config> {
    let config = super::read::config(text).map_err(|e| {
        let path = e.path().to_string();
        let message = match e {
            LedgerError::Json { message, .. } | LedgerError::InvalidType { message, .. } => message,
            other => other.to_string(),
        };
        config_error(&path, message)
    })?;
    config.validate()?;
    Ok(config)
}

/// The serde derive path `from_json` replaced, kept as the oracle its tests compare against.
#[cfg(test)]
pub(super) fn from_json_serde(text: &str) -> Result<Config> {
    let config: Config = serde_json::from_str(text).map_err(|e| {
        let path = crate::json::error_path(text.as_bytes(), &e);
        let full = e.to_string();
        let message = full
            .rfind(" at line ")
            .map_or(full.as_str(), |i| &full[..i]);
        config_error(&path, message.to_string())
    })?;
    config.validate()?;
    Ok(config)
}

/// A build without the `toml` feature (the widget's lean wasm module) reads JSON only; TOML text is
/// refused with its own code, so a face can fall back to a full build instead of showing a parse error.
#[cfg(not(feature = "toml"))]
fn from_toml(_text: &str) -> Result<Config> {
    Err(LedgerError::UnsupportedConfigSyntax {
        syntax: "TOML".to_string(),
    })
}

/// TOML is read as a generic table and re-read through the JSON path, so a config has one
/// reader (and one way of naming a bad field) whichever syntax it came in: a second,
/// path-tracking TOML deserializer of every config struct was 15 % of the wasm module.
#[cfg(feature = "toml")]
fn from_toml(text: &str) -> Result<Config> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map_or(1, |span| {
            1 + text
                .get(..span.start)
                .map_or(0, |before| before.matches('\n').count())
        });
        config_error("", format!("line {line}: {}", e.message().trim_end()))
    })?;
    let json = serde_json::to_string(&table)
        .map_err(|e| config_error("", format!("cannot convert TOML: {e}")))?;
    from_json(&json).map_err(|e| super::at_line(text, e))
}

fn config_error(path: &str, message: String) -> LedgerError {
    let path = if path == "." {
        String::new()
    } else {
        path.to_string()
    };
    LedgerError::Config {
        path,
        value: String::new(),
        reason: message,
    }
}
