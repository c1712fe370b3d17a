//! Names read as serde's derives read them: a unit enum variant, and the "unknown field" or
//! "unknown variant" error with serde's wording and serde_json's path. Shared by the readers that
//! replaced derives with `deny_unknown_fields` or unit enums (configs, canonical JSON).

use super::Reader;
use crate::error::LedgerError;

/// A unit variant's index in `variants`: its name as a string, or serde's externally tagged form
/// `{"name": null}`; anything else is the syntax error serde_json gives it.
pub fn variant(r: &mut Reader<'_>, variants: &[&'static str]) -> Result<usize, LedgerError> {
    let position = |r: &mut Reader<'_>, name: &str| {
        variants
            .iter()
            .position(|v| *v == name)
            .ok_or_else(|| unknown(r, "variant", name, variants))
    };
    match r.lookahead() {
        b'"' => {
            let name = r.str()?;
            position(r, &name)
        }
        b'{' => {
            let mut obj = r.object()?;
            let Some(name) = r.key(&mut obj)? else {
                return Err(r.refuse_next("expected value"));
            };
            let index = position(r, &name)?;
            if !r.null()? {
                return Err(not_unit(r));
            }
            // Only the closing brace may follow; serde_json names anything else where it stands.
            match r.lookahead() {
                b'}' | 0 => r.key(&mut obj).map(|_| index),
                _ => Err(LedgerError::Json {
                    path: r.path_here(),
                    message: "expected value".to_string(),
                }),
            }
        }
        _ => Err(r.refuse_next("expected value")),
    }
}

/// serde's "unknown field"/"unknown variant" error, named where serde_json names it: just past
/// the key or variant name.
#[cold]
pub fn unknown(r: &Reader<'_>, what: &str, name: &str, expected: &[&str]) -> LedgerError {
    let expected = match expected {
        [] => format!("there are no {what}s"),
        [one] => format!("expected `{one}`"),
        [a, b] => format!("expected `{a}` or `{b}`"),
        many => format!(
            "expected one of {}",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    LedgerError::InvalidType {
        path: r.path_here(),
        message: format!("unknown {what} `{name}`, {expected}"),
    }
}

/// serde_json's error for a value other than `null` after a unit variant's name: the wrong type
/// where the value starts, a scalar read first (a malformed one is `E_JSON`), a container not.
#[cold]
fn not_unit(r: &mut Reader<'_>) -> LedgerError {
    let path = r.path_here();
    let found = match r.lookahead() {
        b'{' => "map",
        b'[' => "sequence",
        _ => match r.raw() {
            Ok(raw) => raw,
            Err(e) => return e,
        },
    };
    LedgerError::InvalidType {
        path,
        message: format!("invalid type: {found}, expected unit"),
    }
}
