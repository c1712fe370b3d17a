//! A structural validator for the subset of OpenAPI 3.0 schemas the Xero spec uses for manual
//! journals: `type`, `required`, `properties`, `items`, `enum`, `maxLength`, `readOnly` and
//! `$ref: '#/components/schemas/...'`. Stricter than OpenAPI on one point: a property the schema
//! does not document is an error, so a misspelt field cannot pass.

use serde_json::Value;
use std::path::Path;

pub struct Spec {
    schemas: Value,
}

const SUBSET: &str = "tests/validators/xero_manual_journals.yaml";
const FULL: &str = "../../shared/vendor-specs/xero_accounting.yaml";

fn schemas_of(relative: &str) -> Option<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path).ok()?;
    let yaml: serde_norway::Value =
        serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(to_json(&yaml["components"]["schemas"]))
}

impl Spec {
    /// Xero's full spec when `../shared` is there (checking that the in-repo copy of the manual
    /// journal schemas still equals it), else the in-repo copy.
    pub fn load() -> Spec {
        Spec::load_subset(SUBSET, "ManualJournal")
    }

    /// As [`Spec::load`], with the in-repo copy `subset` (relative to `core/`), which must hold
    /// schema `root`.
    pub fn load_subset(subset_path: &str, root: &str) -> Spec {
        let subset = schemas_of(subset_path).unwrap_or_else(|| panic!("{subset_path} is missing"));
        assert!(
            subset.get(root).is_some(),
            "no {root} schema in {subset_path}"
        );
        if let Some(full) = schemas_of(FULL) {
            for (name, schema) in subset.as_object().unwrap() {
                assert_eq!(
                    Some(schema),
                    full.get(name),
                    "{subset_path}: {name} differs from {FULL}; copy it again"
                );
            }
            return Spec { schemas: full };
        }
        Spec { schemas: subset }
    }

    /// Every way `value` breaks schema `name`, as `path: problem`.
    pub fn validate(&self, name: &str, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(&self.schemas[name], value, "$", &mut errors);
        errors
    }

    fn check(&self, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unsupported $ref {reference}"));
            let target = self
                .schemas
                .get(name)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"));
            self.check(target, value, path, errors);
        }
        if let Some(kind) = schema.get("type").and_then(Value::as_str) {
            let ok = match kind {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "number" => value.is_number(),
                "integer" => value.is_i64() || value.is_u64(),
                "boolean" => value.is_boolean(),
                other => panic!("unsupported type {other}"),
            };
            if !ok {
                errors.push(format!("{path}: expected {kind}, got {value}"));
                return;
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                errors.push(format!("{path}: {value} is not one of {allowed:?}"));
            }
        }
        if let (Some(max), Some(text)) = (
            schema.get("maxLength").and_then(Value::as_u64),
            value.as_str(),
        ) {
            if text.chars().count() as u64 > max {
                errors.push(format!("{path}: longer than {max}"));
            }
        }
        if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
            for (i, item) in array.iter().enumerate() {
                self.check(items, item, &format!("{path}[{i}]"), errors);
            }
        }
        let Some(object) = value.as_object() else {
            return;
        };
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = required.as_str().unwrap();
            if !object.contains_key(key) {
                errors.push(format!("{path}: missing required {key}"));
            }
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (key, field) in object {
                let field_path = format!("{path}.{key}");
                match properties.get(key) {
                    None => errors.push(format!("{field_path}: not a documented property")),
                    Some(property) if property.get("readOnly") == Some(&Value::Bool(true)) => {
                        errors.push(format!("{field_path}: read-only, must not be sent"));
                    }
                    Some(property) => self.check(property, field, &field_path, errors),
                }
            }
        }
    }
}

/// YAML → JSON, with non-string keys (HTTP status codes) written as strings.
fn to_json(yaml: &serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s.clone(),
                        other => serde_norway::to_string(other).unwrap().trim().to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => to_json(&tagged.value),
    }
}
