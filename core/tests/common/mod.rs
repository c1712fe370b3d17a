//! The shared corpus `tests/fixtures/<platform>/<case>/` as the integration tests walk it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Entry, Platform};
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

/// Each report golden's (`tests/fixtures/reports/*.json`) inputs mapped with its config, sorted by
/// file name: the entry pools the report tests aggregate.
pub fn report_golden_pools() -> Vec<(Vec<Entry>, Config)> {
    let mut goldens: Vec<PathBuf> = std::fs::read_dir(fixtures_root().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    goldens.sort();
    let mut pools = Vec::new();
    for path in goldens {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let platform: Platform = case["platform"].as_str().unwrap().parse().unwrap();
        let config = match case["config"].as_str() {
            Some(c) => {
                Config::load(&std::fs::read_to_string(fixtures_root().join(c)).unwrap()).unwrap()
            }
            None => Config::default(),
        };
        let mut entries = Vec::new();
        for dir in case["inputs"].as_array().unwrap() {
            let input = std::fs::read(
                fixtures_root()
                    .join(dir.as_str().unwrap())
                    .join("input.json"),
            )
            .unwrap();
            entries.extend(map(platform, &input, &config).unwrap().entries);
        }
        pools.push((entries, config));
    }
    pools
}

/// Strings every JSON writer must escape as serde_json does: quotes, backslashes, control bytes,
/// DEL, non-ASCII, lengths around the 8-byte scan's word.
const AWKWARD: &[&str] = &[
    "",
    "\"",
    "\\",
    "a\"b\\c",
    "tab\there",
    "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}",
    "line\nbreak\r\n",
    "/slash/ and </script>",
    "Café Zoë — 日本語 😀",
    "exactly8",
    "sixteen bytes!!!",
    "seventeen bytes!\"",
    "\u{2028}\u{2029}\u{feff}",
];

/// The next awkward string of the cycle, repeated 1–3 times.
pub fn awkward(i: &mut usize) -> String {
    *i += 1;
    AWKWARD[*i % AWKWARD.len()].repeat(1 + *i % 3)
}
