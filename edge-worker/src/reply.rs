//! The worker's JSON answers, written by hand on the core's string writer (`json::write`).
//!
//! Why: through `serde_json::json!` and `Response::from_json` every answer's shape instantiated
//! serde's `Serialize` machinery (a `to_value` and a `serialize_entry` per member type), which
//! made up a measurable part of the worker bundle that Cloudflare counts against the script size
//! limit. The bytes stay what `json!` wrote: serde_json's map (no `preserve_order`) is a
//! `BTreeMap`, so an [`Obj`] sorts its members by key, and strings use serde_json's escapes.

use ledgerbridge_core::json::write::{self, string, WriteJson};
use worker::{Response, Result};

/// A JSON object as `serde_json::json!` writes it: members sorted by key, the last of equal keys
/// kept (a `BTreeMap` insert replaces).
#[derive(Debug, Default)]
pub struct Obj(Vec<(String, String)>);

impl Obj {
    pub fn new() -> Self {
        Obj(Vec::with_capacity(8))
    }

    /// A member whose value is already JSON text.
    pub fn raw(mut self, key: impl Into<String>, json: String) -> Self {
        self.0.push((key.into(), json));
        self
    }

    pub fn str(self, key: impl Into<String>, value: &str) -> Self {
        self.raw(key, quoted(value))
    }

    /// A string, or `null` for `None`.
    pub fn opt(self, key: impl Into<String>, value: Option<&str>) -> Self {
        self.raw(key, value.map_or_else(|| "null".to_string(), quoted))
    }

    pub fn int(self, key: impl Into<String>, value: i64) -> Self {
        self.raw(key, value.to_string())
    }

    pub fn count(self, key: impl Into<String>, value: usize) -> Self {
        self.raw(key, value.to_string())
    }

    /// An integer, or `null` for `None`.
    pub fn opt_int(self, key: impl Into<String>, value: Option<i64>) -> Self {
        self.raw(
            key,
            value.map_or_else(|| "null".to_string(), |v| v.to_string()),
        )
    }

    pub fn bool(self, key: impl Into<String>, value: bool) -> Self {
        self.raw(key, if value { "true" } else { "false" }.to_string())
    }

    /// An array of values that are already JSON text.
    pub fn list(self, key: impl Into<String>, items: &[String]) -> Self {
        self.raw(key, list(items))
    }

    /// An array of strings.
    pub fn strs<'a>(
        self,
        key: impl Into<String>,
        items: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let items: Vec<String> = items.into_iter().map(quoted).collect();
        self.list(key, &items)
    }

    /// Adds a member, replacing a member of the same key (`value["key"] = …` on a `Value`).
    pub fn set(mut self, key: &str, json: String) -> Self {
        self.0.retain(|(k, _)| k != key);
        self.raw(key, json)
    }

    /// The object's compact JSON text.
    pub fn text(mut self) -> String {
        // Stable: of equal keys the last pushed comes last, and is the one kept.
        ledgerbridge_core::reports::sort_stable(&mut self.0, |a, b| a.0.cmp(&b.0));
        let mut out = String::with_capacity(
            2 + self
                .0
                .iter()
                .map(|(k, v)| k.len() + v.len() + 4)
                .sum::<usize>(),
        );
        out.push('{');
        let mut first = true;
        let mut members = self.0.iter().peekable();
        while let Some((key, value)) = members.next() {
            if members.peek().is_some_and(|(next, _)| next == key) {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            string(&mut out, key);
            out.push(':');
            out.push_str(value);
        }
        out.push('}');
        out
    }
}

/// `text` as a JSON string.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    string(&mut out, text);
    out
}

/// An array of strings.
pub fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(quoted).collect();
    list(&items)
}

/// `value` as `serde_json::to_value` made it (what `json!` put in an answer): every object's
/// members sorted by key. Written by the core's hand writer (byte-identical to serde_json's) and
/// read back, so the core's types need no serde `Serialize` into a `Value` in the worker.
pub fn value<T: WriteJson + ?Sized>(v: &T) -> serde_json::Value {
    serde_json::from_str(&write::to_string(v)).unwrap_or(serde_json::Value::Null)
}

/// An array of values that are already JSON text.
pub fn list(items: &[String]) -> String {
    let mut out = String::with_capacity(2 + items.iter().map(|i| i.len() + 1).sum::<usize>());
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
    out.push(']');
    out
}

/// A 200 answer with a JSON body, with the header `Response::from_json` sets.
pub fn json(body: String) -> Result<Response> {
    let mut resp = Response::ok(body)?;
    resp.headers_mut().set("content-type", "application/json")?;
    Ok(resp)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_are_written_as_json_writes_them() {
        let text = Obj::new()
            .str("shop", "a\"b\\c\n\u{1}é")
            .int("n", -12)
            .bool("dry_run", true)
            .opt("next", None)
            .opt("cursor", Some("1~k"))
            .opt_int("at", Some(7))
            .opt_int("gone", None)
            .strs("ids", ["x", "y"])
            .list("empty", &[])
            .raw("nested", Obj::new().str("b", "2").str("a", "1").text())
            .text();
        let expected = json!({
            "shop": "a\"b\\c\n\u{1}é", "n": -12, "dry_run": true, "next": null, "cursor": "1~k", "at": 7, "gone": null,
            "ids": ["x", "y"], "empty": [], "nested": {"b": "2", "a": "1"},
        });
        assert_eq!(text, expected.to_string());
    }

    #[test]
    fn values_read_back_as_to_value_made_them() {
        use ledgerbridge_core::{map, Config, Platform};
        let cases = [
            include_str!("../../tests/fixtures/shopify/discount-shipping-tax/input.json"),
            include_str!("../../tests/fixtures/shopify/partial-refund-restock/input.json"),
            include_str!("../../tests/fixtures/shopify/tip/input.json"),
        ];
        for order in cases {
            let mapped = map(Platform::Shopify, order.as_bytes(), &Config::default()).unwrap();
            assert!(!mapped.entries.is_empty());
            assert_eq!(
                value(&mapped).to_string(),
                serde_json::to_value(&mapped).unwrap().to_string()
            );
        }
        let order = cases[0].as_bytes();
        let mapped = map(Platform::Shopify, order, &Config::default()).unwrap();
        assert_eq!(value(&mapped), serde_json::to_value(&mapped).unwrap());
        assert_eq!(
            value(&mapped).to_string(),
            serde_json::to_value(&mapped).unwrap().to_string()
        );
        let entry = &mapped.entries[0];
        assert_eq!(
            value(entry).to_string(),
            serde_json::to_value(entry).unwrap().to_string()
        );
        assert_eq!(
            strings(["a", "\"b"]),
            serde_json::to_string(&["a", "\"b"]).unwrap()
        );
    }

    #[test]
    fn the_last_of_equal_keys_is_kept_and_set_replaces() {
        let text = Obj::new().int("k", 1).int("a", 0).int("k", 2).text();
        assert_eq!(text, r#"{"a":0,"k":2}"#);
        let text = Obj::new().int("k", 1).set("k", "3".into()).text();
        assert_eq!(text, r#"{"k":3}"#);
        assert_eq!(Obj::new().text(), "{}");
    }

    #[test]
    fn keys_sort_bytewise_like_a_btreemap() {
        let keys = [
            "b",
            "B",
            "a_b",
            "ab",
            "a",
            "é",
            "Z",
            "retrying_postings",
            "rejected",
        ];
        let mut obj = Obj::new();
        let mut value = serde_json::Map::new();
        for (i, k) in keys.iter().enumerate() {
            obj = obj.int(*k, i as i64);
            value.insert(k.to_string(), json!(i));
        }
        assert_eq!(obj.text(), serde_json::Value::Object(value).to_string());
    }
}
