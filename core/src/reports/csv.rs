//! A report as CSV: the same bytes as the npm CLI's `--format csv` (npm/src/cli/report-table.js),
//! so the worker's `format=csv` and the CLI agree. One row per innermost record, carrying its
//! parents' plain fields (period, currency, account…), each figure shown by its amount (the entry
//! ids stay in the JSON); a `section` column names the list a row comes from. RFC 4180, CRLF.
//!
//! The rows follow the JSON document's field order, so the report is walked as its serialized
//! text read back in order (not as a `serde_json::Value`, whose objects are sorted by key).

use super::Report;
use crate::error::{LedgerError, Result};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A JSON value whose objects keep their fields in document order.
enum Node {
    Null,
    Text(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> std::result::Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> std::result::Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Node, E> {
                Ok(Node::Text(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(Node::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> std::result::Result<Node, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = a.next_entry()? {
                    fields.push((k, v));
                }
                Ok(Node::Object(fields))
            }
        }
        d.deserialize_any(V)
    }
}

impl Node {
    /// A figure: `{amount: string, entries: [...]}`; its amount.
    fn figure(&self) -> Option<&str> {
        let Node::Object(fields) = self else {
            return None;
        };
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        match (get("amount"), get("entries")) {
            (Some(Node::Text(amount)), Some(Node::List(_))) => Some(amount),
            _ => None,
        }
    }

    fn text(&self) -> String {
        match self {
            Node::Null => String::new(),
            Node::Text(t) => t.clone(),
            Node::List(items) => items.iter().map(Node::text).collect::<Vec<_>>().join(" "),
            // Not reached for report documents: objects are figures or records.
            Node::Object(_) => "[object Object]".to_string(),
        }
    }
}

type Row = Vec<(String, String)>;

fn set(row: &mut Row, key: &str, value: String) {
    match row.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value,
        None => row.push((key.to_string(), value)),
    }
}

fn walk(fields: &[(String, Node)], inherited: &Row, section: &str, out: &mut Vec<Row>) {
    // Inherited fields the record has itself give way to its own, in its own order.
    let kept: Row = inherited
        .iter()
        .filter(|(k, _)| !fields.iter().any(|(f, _)| f == k))
        .cloned()
        .collect();
    let mut own = kept.clone();
    let mut plain = kept;
    let mut children = Vec::new();
    for (key, value) in fields {
        if key == "kind" {
            continue;
        }
        if let Some(amount) = value.figure() {
            set(&mut own, key, amount.to_string());
            continue;
        }
        match value {
            Node::List(items) if items.iter().any(|i| matches!(i, Node::Object(_))) => {
                children.push((key, items));
            }
            _ => {
                let text = value.text();
                // Lists (`titles`, an empty `unsettled`) stay on their own row; scalars name the
                // children.
                if !matches!(value, Node::List(_)) {
                    set(&mut plain, key, text.clone());
                }
                set(&mut own, key, text);
            }
        }
    }
    let has_figures = fields.iter().any(|(_, v)| v.figure().is_some());
    if !section.is_empty() && (children.is_empty() || has_figures) {
        let mut row = vec![("section".to_string(), section.to_string())];
        row.extend(own);
        out.push(row);
    }
    for (key, items) in children {
        let inner = if section.is_empty() {
            key.clone()
        } else {
            format!("{section}.{key}")
        };
        for item in items {
            if let Node::Object(f) = item {
                walk(f, &plain, &inner, out);
            }
        }
    }
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first, other than a
/// number) gets a leading apostrophe, the usual CSV-injection guard; then RFC 4180 quoting.
fn cell(value: &str) -> String {
    let number = {
        let digits = value.strip_prefix('-').unwrap_or(value);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, "1"));
        !int.is_empty()
            && !frac.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    };
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let v = if risky && !number {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if v.contains(['"', ',', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// The report as RFC 4180 CSV with CRLF line ends and one header row: the npm CLI's
/// `--format csv` byte for byte.
pub fn report_csv(report: &Report) -> Result<String> {
    // The core's writer: the same text as the derive, without serde_json's serializer over the
    // report types in the worker.
    let text = crate::json::write::to_string(report);
    let node: Node = serde_json::from_str(&text).map_err(|e| LedgerError::InvalidValue {
        path: "report".to_string(),
        value: String::new(),
        reason: e.to_string(),
    })?;
    let mut rows = Vec::new();
    if let Node::Object(fields) = &node {
        walk(fields, &Vec::new(), "", &mut rows);
    }
    let mut columns: Vec<&str> = Vec::new();
    for row in &rows {
        for (k, _) in row {
            if !columns.contains(&k.as_str()) {
                columns.push(k);
            }
        }
    }
    let mut out = columns
        .iter()
        .map(|c| cell(c))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    for row in &rows {
        let line = columns
            .iter()
            .map(|c| {
                let v = row
                    .iter()
                    .find(|(k, _)| k == c)
                    .map_or("", |(_, v)| v.as_str());
                cell(v)
            })
            .collect::<Vec<_>>()
            .join(",");
        out.push_str(&line);
        out.push_str("\r\n");
    }
    Ok(out)
}
