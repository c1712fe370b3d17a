//! The Reader-based canonical reading against the serde derives it replaced (`serde_oracle.rs`):
//! the same event, or the same error code and path, on every canonical fixture, on base documents
//! of every kind with every field, on each of them edited member by member (values replaced,
//! members removed, repeated, renamed, the tag moved), and on random edits.
//!
//! Left out, as for the platforms' wire readers: an array put where a struct belongs (serde's
//! derive reads it as the struct's fields in order; the reader refuses it), and numbers beyond
//! f64 inside an ignored member (`1e400`), which serde_json refused only where it parsed them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::{parse, serde_oracle};
use proptest::prelude::*;
use serde_json::{json, Value};

fn outcome(
    result: crate::error::Result<crate::model::Event>,
) -> Result<crate::model::Event, (String, String)> {
    result.map_err(|e| (e.code().to_string(), e.path().to_string()))
}

/// Both readings of `text`, checked equal; the reader's error code and path, if it failed.
fn agree(text: &[u8]) -> Option<(String, String)> {
    let ours = outcome(parse(text));
    let theirs = outcome(serde_oracle::parse(text));
    assert_eq!(ours, theirs, "on {}", String::from_utf8_lossy(text));
    ours.err()
}

fn fixtures() -> Vec<Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/canonical");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let input = entry.unwrap().path().join("input.json");
        out.push(serde_json::from_slice(&std::fs::read(input).unwrap()).unwrap());
    }
    assert!(out.len() >= 3, "canonical fixtures went missing");
    out
}

/// One document of each kind with every field the model reads, so each is edited below.
fn bases() -> Vec<Value> {
    let tax = json!({"title": "VAT", "rate": "0.2", "amount": "1.00"});
    let tender = json!({"id": "T-1", "gateway": "stripe", "kind": "payment", "amount": "12.00",
        "fee": "0.50", "fee_unbooked": "settled in USD"});
    let refund = json!({"id": "R-1", "order_id": "A-1", "processed_at": "2026-05-14T09:00:00Z",
        "lines": [{"line_item_id": "1", "quantity": 1, "restock": "no_restock", "subtotal": "5.00",
            "tax": "1.00", "sku": "S", "original_taxes": [tax.clone()], "unit_cost": "2.00", "gift_card": false}],
        "adjustments": [{"kind": "shipping_refund", "amount": "1.00", "tax": "0.20", "reason": "late"}],
        "tenders": [{"gateway": "stripe", "kind": "refund", "amount": "6.20"}]});
    vec![
        json!({"type": "order", "id": "A-1", "name": "#1", "processed_at": "2026-05-12T10:00:00+02:00",
            "version": "2026-05-12T10:05:00+02:00", "currency": "EUR",
            "presentment": {"currency": "USD", "total": "13.10"}, "taxes_included": true,
            "cancelled_unpaid": false, "channel": "web", "tags": ["a", "b"],
            "lines": [{"id": "1", "sku": "S", "title": "Soap", "product_type": "bath", "vendor": "V",
                "tags": ["x"], "quantity": 2, "unit_price": "5.00", "unit_cost": "2.00", "gift_card": false,
                "discounts": [{"amount": "1.00", "code": "TEN"}], "taxes": [tax.clone()]}],
            "shipping": [{"title": "Post", "price": "3.00", "discounts": [{"amount": "0.50"}], "taxes": [tax]}],
            "tip": "1.00", "tenders": [tender], "gateway": "stripe", "refunds": [refund.clone()],
            "customer": {"id": "C-1", "name": "Ann"}}),
        json!({"type": "refund", "currency": "GBP", "taxes_included": false, "gateway": "stripe",
            "refund": refund, "customer": null}),
        json!({"type": "payout", "id": "P-1", "gateway": "stripe", "status": "paid",
            "date": "2026-05-20", "currency": "EUR", "amount": "90.00",
            "bank": {"currency": "USD", "amount": "98.00"},
            "items": [{"kind": "charge", "id": "txn_1", "source_id": "ch_1", "order_id": "A-1",
                "gross": "100.00", "fee": "3.00", "net": "97.00", "fee_booked": true, "booked": false,
                "expense": "app", "description": "sale"},
                {"kind": "reserve", "gross": "-7.00", "net": "-7.00"}]}),
        json!({"type": "expense", "id": "E-1", "kind": "shipping_label", "date": "2026-05-03T08:00:00Z",
            "currency": "USD", "amount": "7.25", "paid_from": "clearing", "gateway": "shopify_payments",
            "description": "label"}),
        json!({"type": "dispute", "id": "D-1", "charge_id": "ch_1", "order_id": "A-1", "gateway": "stripe",
            "stage": "opened", "at": "2026-05-09T12:00:00Z", "currency": "USD", "amount": "30.00",
            "fee": "15.00", "reason": "fraudulent"}),
    ]
}

/// Values put in place of a member: every JSON type, awkward strings and numbers, enum forms.
fn replacements() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(4294967296u64),
        json!(1.5),
        json!(""),
        json!("x"),
        json!("1e3"),
        json!("-0.00"),
        json!("99999999999999999999999999999"),
        json!("2026-02-30"),
        json!("XYZ"),
        json!("EUR"),
        json!("payment"),
        json!({"payment": null}),
        json!({"refund": 1}),
        json!({}),
        json!({"unknown": 1}),
        json!(["x"]),
        json!([]),
        json!([{}]),
    ]
}

/// One edit of a document at the member `at`.
enum Edit {
    Set(Vec<PathStep>, Value),
    Remove(Vec<PathStep>),
    /// The member repeated and a typo of it added (as raw text: a map cannot hold both).
    Repeat(Vec<PathStep>),
}

/// Every edit of `doc` at each of its members (at any depth): each replacement (no array where
/// a struct belongs), the member removed, and repeated.
fn edits(doc: &Value) -> Vec<Edit> {
    fn walk(at: &mut Vec<PathStep>, here: &Value, out: &mut Vec<Edit>) {
        match here {
            Value::Object(map) => {
                for (key, value) in map {
                    at.push(PathStep::Key(key.clone()));
                    for new in replacements() {
                        if !(STRUCTS.contains(&key.as_str()) && new.is_array()) {
                            out.push(Edit::Set(at.clone(), new));
                        }
                    }
                    out.push(Edit::Remove(at.clone()));
                    out.push(Edit::Repeat(at.clone()));
                    walk(at, value, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    at.push(PathStep::Index(i));
                    walk(at, item, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&mut Vec::new(), doc, &mut out);
    out
}

/// `root` with `edit` made.
fn apply(root: &Value, edit: &Edit) -> Value {
    match edit {
        Edit::Set(at, new) => set(root, at, Some(new.clone())),
        Edit::Remove(at) => set(root, at, None),
        Edit::Repeat(at) => {
            let (last, parent) = at.split_last().unwrap();
            let PathStep::Key(key) = last else {
                unreachable!()
            };
            let value = node(&mut root.clone(), at).clone();
            with_text(root, parent, |text| {
                let member = format!("{}:{}", Value::from(key.as_str()), value);
                format!("{{{member},{},\"{key}_x\":1}}", &text[1..text.len() - 1])
            })
        }
    }
}

/// The members whose value is a struct (an array there is serde's positional form).
const STRUCTS: [&str; 3] = ["presentment", "bank", "refund"];

#[derive(Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node<'a>(mut v: &'a mut Value, at: &[PathStep]) -> &'a mut Value {
    for step in at {
        v = match step {
            PathStep::Key(k) => v.get_mut(k).unwrap(),
            PathStep::Index(i) => v.get_mut(*i).unwrap(),
        };
    }
    v
}

/// `root` with the member at `at` set to `new`, or removed.
fn set(root: &Value, at: &[PathStep], new: Option<Value>) -> Value {
    let mut doc = root.clone();
    let (last, parent) = at.split_last().unwrap();
    let PathStep::Key(key) = last else {
        unreachable!()
    };
    let map = node(&mut doc, parent).as_object_mut().unwrap();
    match new {
        Some(v) => {
            map.insert(key.clone(), v);
        }
        None => {
            map.remove(key);
        }
    }
    doc
}

/// `root` with the object at `at` replaced by raw text made from its own.
fn with_text(root: &Value, at: &[PathStep], edit: impl Fn(&str) -> String) -> Value {
    let mut doc = root.clone();
    let target = node(&mut doc, at);
    let text = edit(&target.to_string());
    *target = Value::String(format!("\u{1}{text}"));
    doc
}

/// The document's text, raw-text edits spliced in (see [`with_text`]).
fn render(doc: &Value) -> String {
    fn go(v: &Value, out: &mut String) {
        match v {
            Value::String(s) if s.starts_with('\u{1}') => out.push_str(&s[1..]),
            Value::Object(map) => {
                out.push('{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::from(k.as_str()).to_string());
                    out.push(':');
                    go(v, out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    go(v, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    go(doc, &mut out);
    out
}

/// `doc` with `type` first (the one-pass form), and as serde_json's sorted map writes it.
fn forms(doc: &Value) -> Vec<String> {
    let sorted = render(doc);
    let Some(map) = doc.as_object() else {
        return vec![sorted];
    };
    let mut first = String::from("{");
    if let Some(kind) = map.get("type") {
        first.push_str("\"type\":");
        let mut kind_text = String::new();
        kind_text.push_str(&render(kind));
        first.push_str(&kind_text);
    }
    for (k, v) in map {
        if k == "type" {
            continue;
        }
        if first.len() > 1 {
            first.push(',');
        }
        first.push_str(&Value::from(k.as_str()).to_string());
        first.push(':');
        first.push_str(&render(v));
    }
    first.push('}');
    vec![sorted, first]
}

#[test]
fn fixtures_and_bases_read_as_the_derives_read_them() {
    for doc in fixtures().iter().chain(bases().iter()) {
        for text in forms(doc) {
            let error = agree(text.as_bytes());
            assert!(error.is_none(), "{text}: {error:?}");
        }
    }
}

#[test]
fn every_member_edit_fails_or_reads_as_the_derives_do() {
    let (mut cases, mut failures) = (0, 0);
    for doc in fixtures().iter().chain(bases().iter()) {
        for edit in edits(doc) {
            for text in forms(&apply(doc, &edit)) {
                cases += 1;
                failures += usize::from(agree(text.as_bytes()).is_some());
            }
        }
    }
    // Most edits break the document; enough of them still read that both paths are compared.
    assert!(cases > 5_000, "{cases} cases");
    assert!(
        failures > cases / 2 && failures < cases,
        "{failures} of {cases} failed"
    );
}

#[test]
fn malformed_documents_fail_alike() {
    let texts: &[&str] = &[
        "",
        "null",
        "[]",
        "[{\"type\": \"order\"}]",
        "\"order\"",
        "{}",
        "{\"type\": \"order\"}",
        "{\"type\": \"order\"",
        "{\"type\": \"order\",}",
        "{\"type\": \"order\"} x",
        "{\"type\": null}",
        "{\"type\": 3}",
        "{\"type\": [\"order\"]}",
        "{\"type\": \"invoice\"}",
        "{\"id\": \"A\", \"type\": \"invoice\", \"type\": \"order\"}",
        "{\"type\": \"invoice\", \"type\": \"refund\", \"currency\": \"EUR\"}",
        "{\"type\": \"order\", \"type\": \"order\"}",
        "{\"type\": \"ord\\u0065r\", \"id\": 1}",
        "{\"type\" \"order\"}",
        "{\"type\": \"order\", \"id\": \"\\ud800\"}",
        "{\"id\": \"A\", \"type\": \"expense\", \"kind\": {\"app\": null, \"x\": 1}}",
        "{\"type\": \"expense\", \"kind\": {\"app\": 1}}",
        "{\"type\": \"expense\", \"kind\": {}}",
        "{\"type\": \"expense\", \"kind\": 3}",
        "{\"type\": \"expense\", \"paid_from\": null, \"kind\": \"nope\"}",
        "{\"type\": \"order\", \"lines\": [{\"quantity\": -0}]}",
        "{\"type\": \"order\", \"lines\": [{\"quantity\": 1e2}]}",
        "{\"type\": \"order\", \"lines\": [{\"quantity\": 18446744073709551616}]}",
        "{\"type\": \"order\", \"tip\": \"1\\u002e5\"}",
        "{\"type\": \"order\", \"customer\": [[[[{\"a\": [1, 2, {}]}]]]]}",
        "{\"type\": \"order\", \"customer\": [1,]}",
    ];
    for text in texts {
        agree(text.as_bytes());
    }
    let whole = render(&bases()[0]);
    for end in 0..whole.len() {
        agree(&whole.as_bytes()[..end]);
    }
    agree(b"{\"type\": \"order\", \"id\": \"caf\xe9\"}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    /// Random edits of random members of the bases, stacked, in both forms.
    #[test]
    fn random_edits_read_as_the_derives_read_them(base in 0usize..5, picks in proptest::collection::vec(any::<u32>(), 1..4)) {
        let mut doc = bases()[base].clone();
        for pick in picks {
            let all = edits(&doc);
            let Some(edit) = all.get(pick as usize % all.len().max(1)) else {
                break;
            };
            doc = apply(&doc, edit);
        }
        for text in forms(&doc) {
            agree(text.as_bytes());
        }
    }
}
