//! The config reader against the serde derives it replaced (`load::from_json_serde`): every config
//! in the repository, a table of malformed configs with their paths written out, and a property
//! test that edits valid configs at every value and byte.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use super::super::load::{from_json, from_json_serde};
use crate::rules::Config;
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Both readers on `json`: the same config, or the same code, path and message.
fn same(json: &str) -> Result<Config, (String, String)> {
    let (new, old) = (from_json(json), from_json_serde(json));
    match (new, old) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "{json}");
            Ok(a)
        }
        (Err(a), Err(b)) => {
            assert_eq!(
                (a.code(), a.path()),
                (b.code(), b.path()),
                "{json}\n{a}\n{b}"
            );
            if std::env::var_os("CFG18_MSG").is_some() && a.to_string() != b.to_string() {
                eprintln!("MSG {json}\n  reader: {a}\n  serde:  {b}");
            }
            Err((a.code().to_string(), a.path().to_string()))
        }
        (a, b) => panic!("{json}\nreader: {a:?}\nserde: {b:?}"),
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

const CONFIG_KEYS: [&str; 11] = [
    "shop",
    "accounts",
    "sales",
    "tax",
    "gateways",
    "refunds",
    "costs",
    "exports",
    "expenses_paid_from",
    "fee_estimates",
    "documents",
];

/// Every config the repository holds, as JSON: the fixtures' TOML files and the TOML and JSON
/// blocks of the docs whose top-level keys are all config keys.
fn repo_configs() -> &'static [(String, Value)] {
    static CONFIGS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    CONFIGS.get_or_init(read_repo_configs)
}

fn read_repo_configs() -> Vec<(String, Value)> {
    let mut paths = Vec::new();
    files(&repo().join("tests/fixtures"), &mut paths);
    let mut out = Vec::new();
    for path in paths
        .iter()
        .filter(|p| p.extension() == Some("toml".as_ref()))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let table: toml::Table = text.parse().unwrap();
        out.push((
            path.display().to_string(),
            serde_json::to_value(table).unwrap(),
        ));
    }
    let mut docs = vec![repo().join("README.md"), repo().join("npm/README.md")];
    files(&repo().join("docs"), &mut docs);
    for path in docs.iter().filter(|p| p.extension() == Some("md".as_ref())) {
        let text = std::fs::read_to_string(path).unwrap();
        for (n, block) in text.split("```").enumerate().filter(|(n, _)| n % 2 == 1) {
            let (lang, body) = block.split_once('\n').unwrap_or((block, ""));
            let value = match lang.trim() {
                "toml" => body
                    .parse::<toml::Table>()
                    .ok()
                    .and_then(|t| serde_json::to_value(t).ok()),
                "json" => serde_json::from_str(body).ok(),
                _ => None,
            };
            if let Some(Value::Object(map)) = value {
                if !map.is_empty() && map.keys().all(|k| CONFIG_KEYS.contains(&k.as_str())) {
                    out.push((format!("{} block {n}", path.display()), Value::Object(map)));
                }
            }
        }
    }
    out
}

#[test]
fn every_config_in_the_repository_reads_as_serde_read_it() {
    let configs = repo_configs();
    assert!(configs.len() >= 30, "found only {}", configs.len());
    let mut docs = 0;
    for (name, value) in configs {
        docs += usize::from(name.contains(".md"));
        let compact = serde_json::to_string(value).unwrap();
        let pretty = serde_json::to_string_pretty(value).unwrap();
        assert!(same(&compact).is_ok(), "{name}");
        assert!(same(&pretty).is_ok(), "{name}");
    }
    assert!(docs >= 2, "found {docs} configs in the docs");
}

/// What `validateConfig` returns (every default written out) reads back to the same config.
#[test]
fn a_serialized_config_reads_back_unchanged() {
    for (name, value) in repo_configs() {
        let config = same(&value.to_string()).unwrap();
        let written = serde_json::to_string(&config).unwrap();
        assert_eq!(from_json(&written).unwrap(), config, "{name}");
    }
}

#[test]
fn a_fixture_config_reads_to_the_values_written_in_it() {
    let config = same(
        r#"{"shop": "s.example", "refunds": "reverse", "costs": {"A": "1.50", "B": "0"},
            "documents": {"mode": "documents", "guests": {"individual": null},
                          "qbo": {"items": {"*": "7"}, "account": null}},
            "fee_estimates": [{"gateway": "paypal", "percent": "2.9", "fixed": "0.30"}],
            "exports": {"xero": {"Income:Sales": "200"}}}"#,
    )
    .unwrap();
    assert_eq!(config.shop, "s.example");
    assert_eq!(config.refunds, super::RefundMode::Reverse);
    assert_eq!(config.costs["A"].to_string(), "1.50");
    assert_eq!(config.documents.guests, super::GuestMode::Individual);
    assert_eq!(config.documents.qbo.item_for(Some("x")), Some("7"));
    assert_eq!(config.documents.qbo.account, None);
    assert_eq!(config.fee_estimates[0].fixed.to_string(), "0.30");
    assert_eq!(config.exports.xero["Income:Sales"], "200");
    assert_eq!(config.accounts.bank, "Assets:Bank");
}

/// Malformed configs: code and path as written here, and as serde gave them.
#[test]
fn malformed_configs_fail_where_serde_failed() {
    let cases: &[(&str, &str)] = &[
        (r#"{"shop": 5}"#, "shop"),
        (r#"{"shop": null}"#, "shop"),
        (r#"{"shop": "a b"}"#, "shop"),
        (r#"{"sho": "a"}"#, "sho"),
        (r#"{"shop": "a", "shop": "b"}"#, "shop"),
        (r#"{"accounts": {"bank": ["x"]}}"#, "accounts.bank"),
        (r#"{"accounts": {"bank": {"x": 1}}}"#, "accounts.bank"),
        (r#"{"accounts": {"bnk": "Assets:X"}}"#, "accounts.bnk"),
        (r#"{"accounts": {"bank": "nope"}}"#, "accounts.bank"),
        (r#"{"accounts": "Assets:X"}"#, "accounts"),
        (
            r#"{"sales": [{"sku": "A*", "account": "Income:A"}, {"sku": 1}]}"#,
            "sales[1].sku",
        ),
        (
            r#"{"sales": [{"account": "Income:A", "colour": "red"}]}"#,
            "sales[0].colour",
        ),
        (r#"{"sales": {"account": "Income:A"}}"#, "sales"),
        (r#"{"tax": {"VAT": 20}}"#, "tax.VAT"),
        (r#"{"tax": ["VAT"]}"#, "tax"),
        (
            r#"{"gateways": {"paypal": {"clearing": "Assets:PayPal", "fee": "x"}}}"#,
            "gateways.paypal.fee",
        ),
        (
            r#"{"gateways": {"paypal": {"fees": 1}}}"#,
            "gateways.paypal.fees",
        ),
        (r#"{"refunds": "backwards"}"#, "refunds"),
        (r#"{"refunds": 1}"#, "refunds"),
        (r#"{"refunds": null}"#, "refunds"),
        (r#"{"refunds": ["reverse"]}"#, "refunds[0]"),
        (r#"{"refunds": {"reverse": 1}}"#, "refunds.reverse"),
        (r#"{"costs": {"A": "-1"}, "shop": "s"}"#, "costs.A"),
        (r#"{"shop": "s", "costs": {"A": "x", "B": "1"}}"#, "costs"),
        (r#"{"shop": "s", "costs": {"A": "1", "B": "x"} }"#, "costs"),
        (r#"{"costs": {"A": 1}}"#, "costs.A"),
        (
            r#"{"exports": {"qbo": {"Income:Sales": 5}}}"#,
            "exports.qbo.Income:Sales",
        ),
        (r#"{"exports": {"quickbooks": {}}}"#, "exports.quickbooks"),
        (r#"{"expenses_paid_from": "wallet"}"#, "expenses_paid_from"),
        (
            r#"{"fee_estimates": [{"gateway": "paypal", "percent": "abc"}]}"#,
            "fee_estimates[0].percent",
        ),
        (
            r#"{"fee_estimates": [{"gateway": "paypal", "percent": "1", "fixed": "1e2" }]}"#,
            "fee_estimates[0].fixed",
        ),
        (
            r#"{"fee_estimates": [{"gateway": "paypal", "percent": 2.9}]}"#,
            "fee_estimates[0].percent",
        ),
        (
            r#"{"fee_estimates": [{"gateway": "paypal", "rate": "2.9"}]}"#,
            "fee_estimates[0].rate",
        ),
        (
            r#"{"fee_estimates": [{"gateway": ""}]}"#,
            "fee_estimates[0].gateway",
        ),
        (r#"{"documents": {"mode": "invoices"}}"#, "documents.mode"),
        (
            r#"{"documents": {"customers": "yes"}}"#,
            "documents.customers",
        ),
        (
            r#"{"documents": {"qbo": {"items": {"A": 7}}}}"#,
            "documents.qbo.items.A",
        ),
        (
            r#"{"documents": {"xero": {"acount": "090"}}}"#,
            "documents.xero.acount",
        ),
        (
            r#"{"documents": {"guests": "everyone"}}"#,
            "documents.guests",
        ),
        (r#"{"shop": "s",}"#, "shop"),
        (r#"{"shop": "s"} x"#, ""),
        (r#"{"shop": "s""#, "shop"),
        (r#"{"accounts": {"bank": "Assets:Bank""#, "accounts.bank"),
        (r#"{"shop": "s\q"}"#, "shop"),
        (r#"{shop: "s"}"#, ""),
        (r#""shop""#, ""),
        (r#"{"sales": [1]}"#, "sales[0]"),
        (r#"{"accounts": [5]}"#, "accounts[0]"),
        (
            r#"{"gateways": {"p": ["Assets:P", "Expenses:P", "x"]}}"#,
            "gateways.p[2]",
        ),
        (r#"{"exports": [{}, {}, ]}"#, "exports[2]"),
        (
            r#"{"fee_estimates": [["paypal", "x", "1"]]}"#,
            "fee_estimates[0][2]",
        ),
        (
            r#"{"fee_estimates": [["paypal", "1", "x"]]}"#,
            "fee_estimates[0][2]",
        ),
        (r#"["s", {}, [], {}, {}, "reverse", {"A": "-1"}]"#, "[6]"),
        (r#"{"sales": [{"account": "Income:A"},]}"#, "sales[1]"),
    ];
    for (text, path) in cases {
        let (code, at) = same(text).unwrap_err();
        assert_eq!((code.as_str(), at.as_str()), ("E_CONFIG", *path), "{text}");
    }
}

/// serde's derive read a struct from an array of its fields in order; configs keep that form.
#[test]
fn structs_may_be_written_as_arrays_of_their_fields() {
    let c =
        same(r#"["shop-a", {"bank": "Assets:B"}, [["A*", null, null, null, null, "Income:A"]]]"#)
            .unwrap();
    assert_eq!(c.shop, "shop-a");
    assert_eq!(c.accounts.bank, "Assets:B");
    assert_eq!(c.accounts.sales, "Income:Sales");
    assert_eq!(c.sales[0].sku.as_deref(), Some("A*"));
    assert_eq!(c.sales[0].account, "Income:A");
    assert_eq!(same("[]").unwrap(), Config::default());
    let c = same(r#"{"accounts": ["Income:S"], "exports": [{"Income:S": "1"}]}"#).unwrap();
    assert_eq!(c.accounts.sales, "Income:S");
    assert_eq!(c.exports.qbo["Income:S"], "1");
}

#[test]
fn enums_take_serdes_externally_tagged_form() {
    let c = same(r#"{"refunds": {"reverse": null}, "expenses_paid_from": "bank"}"#).unwrap();
    assert_eq!(c.refunds, super::RefundMode::Reverse);
    assert_eq!(c.expenses_paid_from, super::ExpensesPaidFrom::Bank);
}

/// A place in a config value: object keys and array indexes.
#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

fn nodes(value: &Value, at: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                at.push(Seg::Key(k.clone()));
                nodes(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Seg::Index(i));
                nodes(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn node<'v>(value: &'v mut Value, at: &[Seg]) -> &'v mut Value {
    at.iter().fold(value, |v, seg| match (seg, v) {
        (Seg::Key(k), Value::Object(map)) => map.get_mut(k).unwrap(),
        (Seg::Index(i), Value::Array(items)) => &mut items[*i],
        _ => unreachable!(),
    })
}

const REPLACEMENTS: [&str; 14] = [
    "null",
    "1",
    "-2.5",
    "1e400",
    "true",
    r#""""#,
    r#""x""#,
    r#""-1""#,
    r#""Assets:X""#,
    "[]",
    r#"["x"]"#,
    "{}",
    r#"{"zz": 1}"#,
    r#"{"reverse": null}"#,
];

const BYTES: [u8; 12] = *b",}]\":{[ 1x\\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Any value of a valid config replaced, removed, repeated or joined by an unknown member,
    /// compact or pretty: the same config or the same error from both readers.
    #[test]
    fn edited_configs_read_as_serde_read_them(
        seed in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        edit in 0usize..4,
        with in 0usize..REPLACEMENTS.len(),
        pretty in any::<bool>(),
    ) {
        let configs = repo_configs();
        let mut value = configs[seed.index(configs.len())].1.clone();
        let mut all = Vec::new();
        nodes(&value, &mut Vec::new(), &mut all);
        let path = all[at.index(all.len())].clone();
        let replacement: Value = serde_json::from_str(REPLACEMENTS[with]).unwrap_or(Value::Null);
        match (edit, path.split_last()) {
            (0, _) => *node(&mut value, &path) = replacement,
            (1, Some((Seg::Key(k), parent))) => {
                if let Value::Object(map) = node(&mut value, parent) { map.remove(k); }
            }
            (1, Some((Seg::Index(i), parent))) => {
                if let Value::Array(items) = node(&mut value, parent) { items.remove(*i); }
            }
            (2, _) => {
                if let Value::Object(map) = node(&mut value, &path) {
                    map.insert("zz_unknown".to_string(), replacement);
                }
            }
            _ => {}
        }
        let mut text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        // A repeated member: the text of the first member written again after it.
        if edit == 3 {
            if let Some(Seg::Key(k)) = path.last() {
                let needle = format!("\"{k}\":");
                if let Some(start) = text.find(&needle) {
                    let member = format!("\"{k}\": {}, ", serde_json::to_string(node(&mut value, &path)).unwrap());
                    text.insert_str(start, &member);
                }
            }
        }
        let _ = same(&text);
    }

    /// A valid config's text with one byte inserted, removed, or cut off there.
    #[test]
    fn broken_config_text_fails_as_serde_failed(
        seed in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        edit in 0usize..3,
        byte in 0usize..BYTES.len(),
        pretty in any::<bool>(),
    ) {
        let configs = repo_configs();
        let value = &configs[seed.index(configs.len())].1;
        let mut text = if pretty {
            serde_json::to_string_pretty(value).unwrap()
        } else {
            serde_json::to_string(value).unwrap()
        };
        let i = at.index(text.len() + 1);
        prop_assume!(text.is_char_boundary(i));
        match edit {
            0 => text.insert(i, char::from(BYTES[byte])),
            1 if i < text.len() => {
                prop_assume!(text.is_char_boundary(i + 1));
                text.remove(i);
            }
            _ => text.truncate(i),
        }
        let _ = same(&text);
    }
}
