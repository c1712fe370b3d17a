//! What changed between two mappings, field by field: the worker stores a summary of it with each
//! config version, so a bookkeeper reading the history sees "accounts.sales: Income:Sales →
//! Income:Shop" instead of two documents to compare by eye.

use super::Config;
use serde::Serialize;
use serde_json::Value;

/// One changed leaf; `None` on a side means the field (a map key, a rule) does not exist there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigChange {
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// How many changes a summary names before it only counts the rest.
const SUMMARY_NAMED: usize = 5;

impl Config {
    /// The changed fields from `self` to `after`, in path order; the shop name is not a change
    /// (the worker always sets it to the shop's domain).
    pub fn diff(&self, after: &Config) -> Vec<ConfigChange> {
        let mut out = Vec::new();
        walk("", Some(&as_value(self)), Some(&as_value(after)), &mut out);
        out.retain(|c| c.path != "shop");
        out
    }
}

/// One line for a version history: the first changes by name, the rest counted.
pub fn summarize(changes: &[ConfigChange]) -> String {
    if changes.is_empty() {
        return "no change".to_string();
    }
    let side = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
    let mut parts: Vec<String> = changes
        .iter()
        .take(SUMMARY_NAMED)
        .map(|c| format!("{}: {} → {}", c.path, side(&c.before), side(&c.after)))
        .collect();
    if changes.len() > SUMMARY_NAMED {
        parts.push(format!("and {} more", changes.len() - SUMMARY_NAMED));
    }
    parts.join("; ")
}

fn as_value(config: &Config) -> Value {
    // The text the core writes for a config, read back: the same value `to_value` gave (strings,
    // booleans, string-keyed maps; no numbers), without serde's serializer over the config.
    serde_json::from_str(&crate::json::write::to_string(config)).unwrap_or(Value::Null)
}

fn walk(path: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<ConfigChange>) {
    match (before, after) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                walk(&join(path, k), a.get(k), b.get(k), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                walk(&format!("{path}[{i}]"), a.get(i), b.get(i), out);
            }
        }
        (a, b) if a != b => out.push(ConfigChange {
            path: path.to_string(),
            before: a.map(render),
            after: b.map(render),
        }),
        _ => {}
    }
}

/// Keys that are not plain identifiers (tax titles, gateway names) are quoted, as the validator
/// names them (`tax."VAT 20%"`).
fn join(path: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let key = if plain {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if path.is_empty() {
        key
    } else {
        format!("{path}.{key}")
    }
}

fn render(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(toml: &str) -> Config {
        Config::load(toml).expect("valid test config")
    }

    #[test]
    fn an_unchanged_config_has_no_change() {
        let c = load("[accounts]\nsales = \"Income:Shop\"");
        assert!(c.diff(&c.clone()).is_empty());
        assert_eq!(summarize(&[]), "no change");
    }

    #[test]
    fn a_renamed_account_an_added_tax_title_and_a_removed_rule_are_each_one_change() {
        let before = load(
            "[accounts]\nsales = \"Income:Sales\"\n[[sales]]\nsku = \"GC-*\"\naccount = \"Income:Gifts\"",
        );
        let after =
            load("[accounts]\nsales = \"Income:Shop\"\n[tax]\n\"VAT 20%\" = \"Liabilities:VAT\"");
        let changes = before.diff(&after);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            ["accounts.sales", "sales[0]", "tax.\"VAT 20%\""],
            "{changes:?}"
        );
        assert_eq!(changes[0].before.as_deref(), Some("Income:Sales"));
        assert_eq!(changes[0].after.as_deref(), Some("Income:Shop"));
        assert_eq!(changes[1].after, None);
        assert_eq!(changes[2].before, None);
        assert_eq!(changes[2].after.as_deref(), Some("Liabilities:VAT"));
    }

    #[test]
    fn the_shop_name_is_not_a_change_and_the_summary_counts_what_it_does_not_name() {
        let before = Config {
            shop: "a.myshopify.com".into(),
            ..Config::default()
        };
        let mut after = load(
            "[exports.qbo]\n\"Income:Sales\" = \"79\"\n\"Income:Shipping\" = \"80\"\n\"Income:Tips\" = \"81\"\n\"Assets:Bank\" = \"35\"\n\"Expenses:COGS\" = \"60\"\n\"Expenses:Rounding\" = \"61\"\n\"Assets:Inventory\" = \"62\"",
        );
        after.shop = "b.myshopify.com".into();
        let changes = before.diff(&after);
        assert_eq!(changes.len(), 7);
        let summary = summarize(&changes);
        assert!(
            summary.starts_with("exports.qbo.\"Assets:Bank\": (none) → 35; "),
            "{summary}"
        );
        assert!(summary.ends_with("; and 2 more"), "{summary}");
    }
}
