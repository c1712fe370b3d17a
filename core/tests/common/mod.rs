//! The shared corpus `tests/fixtures/<platform>/<case>/` as the integration tests walk it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{Config, Platform};
use std::path::{Path, PathBuf};

pub fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Every case folder (one with an `input.json`) of every platform this build knows, sorted.
pub fn cases() -> Vec<(Platform, PathBuf)> {
    let mut out = Vec::new();
    for platform in Platform::ALL {
        let Ok(read) = std::fs::read_dir(fixtures_root().join(platform.as_str())) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = read
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("input.json").exists())
            .collect();
        dirs.sort();
        out.extend(dirs.into_iter().map(|d| (*platform, d)));
    }
    out
}

/// The case's `config.toml`, or the default config when it has none.
pub fn config_for(case: &Path) -> Config {
    match std::fs::read_to_string(case.join("config.toml")) {
        Ok(text) => Config::load(&text).unwrap_or_else(|e| panic!("{}: {e}", case.display())),
        Err(_) => Config::default(),
    }
}

/// An entry's lines as `(account, debit, credit)` text, for comparing with hand-worked values.
pub fn line_texts(entry: &ledgerbridge_core::Entry) -> Vec<(&str, String, String)> {
    entry
        .lines
        .iter()
        .map(|l| {
            (
                l.account.as_str(),
                l.debit.0.to_string(),
                l.credit.0.to_string(),
            )
        })
        .collect()
}
