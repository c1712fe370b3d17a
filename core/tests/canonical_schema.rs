//! `docs/canonical.schema.json` and the canonical parser agree: every canonical fixture satisfies
//! the schema's structure (`required`, `additionalProperties: false`, `const`, `enum`, `type`,
//! `pattern`-free checks), the mapped model serializes back into that structure, and each field the
//! schema calls required is one the parser really refuses to do without.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::Platform;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn schema() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/canonical.schema.json")).unwrap(),
    )
    .unwrap()
}

fn inputs() -> Vec<(String, Value)> {
    let dir = root().join("tests/fixtures/canonical");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().join("input.json"))
        .filter(|p| p.exists())
        .map(|p| {
            (
                p.display().to_string(),
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 3, "canonical fixtures went missing");
    out
}

fn resolve<'a>(schema: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r
                .strip_prefix("#/$defs/")
                .unwrap_or_else(|| panic!("unsupported $ref {r}"));
            resolve(schema, &schema["$defs"][name])
        }
        None => node,
    }
}

/// Structural validation: enough to catch a schema that drifts from the parser.
fn check(schema: &Value, node: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let node = resolve(schema, node);
    if let Some(branches) = node.get("oneOf").and_then(Value::as_array) {
        let fits: Vec<&Value> = branches
            .iter()
            .filter(|b| {
                let mut e = Vec::new();
                check(schema, b, value, path, &mut e);
                e.is_empty()
            })
            .collect();
        if fits.len() != 1 {
            errors.push(format!("{path}: matches {} oneOf branches", fits.len()));
        }
        return;
    }
    if let Some(c) = node.get("const") {
        if c != value {
            errors.push(format!("{path}: {value} is not {c}"));
        }
    }
    if let Some(options) = node.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{path}: {value} not in {options:?}"));
        }
    }
    let ok = match node.get("type").and_then(Value::as_str) {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_u64() || value.is_i64(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    };
    if !ok {
        errors.push(format!("{path}: {value} is not {}", node["type"]));
        return;
    }
    if let Some(min) = node.get("minimum").and_then(Value::as_i64) {
        if value.as_i64().is_some_and(|v| v < min) {
            errors.push(format!("{path}: below {min}"));
        }
    }
    if let Some(object) = value.as_object() {
        for key in node
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !object.contains_key(key.as_str().unwrap()) {
                errors.push(format!("{path}: missing required {key}"));
            }
        }
        let properties = node.get("properties").and_then(Value::as_object);
        for (key, child) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(sub) => check(schema, sub, child, &format!("{path}.{key}"), errors),
                None if node.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{path}: {key} is not in the schema"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(array)) = (node.get("items"), value.as_array()) {
        for (i, child) in array.iter().enumerate() {
            check(schema, items, child, &format!("{path}[{i}]"), errors);
        }
    }
}

fn errors_of(value: &Value) -> Vec<String> {
    let schema = schema();
    let mut errors = Vec::new();
    check(&schema, &schema, value, "$", &mut errors);
    errors
}

#[test]
fn every_canonical_fixture_fits_the_schema() {
    for (name, input) in inputs() {
        let errors = errors_of(&input);
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

#[test]
fn the_parsed_model_serializes_back_into_the_schema() {
    for (name, input) in inputs() {
        let event = Platform::Canonical
            .parse(&serde_json::to_vec(&input).unwrap())
            .unwrap();
        let back = serde_json::to_value(&event).unwrap();
        let errors = errors_of(&back);
        assert!(errors.is_empty(), "{name} after a round trip: {errors:?}");
        let again = Platform::Canonical
            .parse(&serde_json::to_vec(&back).unwrap())
            .unwrap();
        assert_eq!(again, event, "{name}: the serde form is not stable");
    }
}

#[test]
fn the_checker_is_not_vacuous() {
    let (_, mut input) = inputs().into_iter().next().unwrap();
    input["surprise"] = Value::Bool(true);
    assert!(!errors_of(&input).is_empty());
    input.as_object_mut().unwrap().remove("surprise");
    input["type"] = Value::String("invoice".to_string());
    assert!(!errors_of(&input).is_empty());
}

/// Removing any field the schema marks required (at the top level or in the first element of a
/// nested array or object) must make the parser refuse the document too.
#[test]
fn schema_required_fields_are_required_by_the_parser() {
    let schema = schema();
    for (name, input) in inputs() {
        let mut removed = 0;
        for (pointer, required) in required_slots(&schema, &schema, &input, String::new()) {
            let mut doc = input.clone();
            doc.pointer_mut(&pointer)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove(&required);
            let result = Platform::Canonical.parse(&serde_json::to_vec(&doc).unwrap());
            assert!(
                result.is_err(),
                "{name}: parser accepted a document without {pointer}/{required}"
            );
            removed += 1;
        }
        assert!(
            removed >= 3,
            "{name}: only {removed} required fields exercised"
        );
    }
}

fn required_slots(
    schema: &Value,
    node: &Value,
    value: &Value,
    pointer: String,
) -> Vec<(String, String)> {
    let mut node = resolve(schema, node);
    if let Some(branches) = node.get("oneOf").and_then(Value::as_array) {
        let kind = &value["type"];
        node = branches
            .iter()
            .map(|b| resolve(schema, b))
            .find(|b| &b["properties"]["type"]["const"] == kind)
            .unwrap();
    }
    let mut out = Vec::new();
    let Some(object) = value.as_object() else {
        return out;
    };
    for key in node
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = key.as_str().unwrap();
        // The tag is covered by bad_input_canonical; every other required key is removed here.
        if object.contains_key(key) && key != "type" {
            out.push((pointer.clone(), key.to_string()));
        }
    }
    for (key, child) in object {
        let Some(sub) = node.get("properties").and_then(|p| p.get(key)) else {
            continue;
        };
        let sub = resolve(schema, sub);
        let child_pointer = format!("{pointer}/{key}");
        if let (Some(items), Some(first)) =
            (sub.get("items"), child.as_array().and_then(|a| a.first()))
        {
            out.extend(required_slots(
                schema,
                items,
                first,
                format!("{child_pointer}/0"),
            ));
        } else if child.is_object() {
            out.extend(required_slots(schema, sub, child, child_pointer));
        }
    }
    out
}
