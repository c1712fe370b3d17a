//! Checked arithmetic on amounts derived from input, and the paths its errors name. Overflow is an
//! error naming the field, never a panic: every layer that adds up what a payload says (the
//! platforms' totals check, the engine) uses these.

use crate::error::{LedgerError, Result};
use rust_decimal::Decimal;

/// Where an error points. Paths are only rendered when an error is actually raised, so the happy
/// path pays nothing for them: pass `&str` for a fixed path, or `Lazy(|| format!(..))`.
pub(crate) trait PathArg {
    fn render(&self) -> String;
}

impl PathArg for &str {
    fn render(&self) -> String {
        (*self).to_string()
    }
}

impl PathArg for &String {
    fn render(&self) -> String {
        (*self).clone()
    }
}

/// `line_items[3]`: the path of one item of a source list, displayed without allocating.
#[derive(Clone, Copy)]
pub(crate) struct ItemPath(pub &'static str, pub usize);

impl std::fmt::Display for ItemPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

impl PathArg for ItemPath {
    fn render(&self) -> String {
        self.to_string()
    }
}

/// A path built on demand.
pub(crate) struct Lazy<F>(pub F);

impl<F: Fn() -> String> PathArg for Lazy<F> {
    fn render(&self) -> String {
        (self.0)()
    }
}

/// Checked arithmetic for amounts derived from input: overflow is an error naming the field.
pub(crate) fn add(a: Decimal, b: Decimal, path: impl PathArg) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| overflow(path.render()))
}

pub(crate) fn sub(a: Decimal, b: Decimal, path: impl PathArg) -> Result<Decimal> {
    a.checked_sub(b).ok_or_else(|| overflow(path.render()))
}

pub(crate) fn mul(a: Decimal, b: Decimal, path: impl PathArg) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(|| overflow(path.render()))
}

pub(crate) fn sum<'a>(
    values: impl IntoIterator<Item = &'a Decimal>,
    path: impl PathArg,
) -> Result<Decimal> {
    let mut total = Decimal::ZERO;
    for v in values {
        total = total
            .checked_add(*v)
            .ok_or_else(|| overflow(path.render()))?;
    }
    Ok(total)
}

fn overflow(path: String) -> LedgerError {
    LedgerError::AmountTooLarge {
        path,
        value: "arithmetic overflow".to_string(),
    }
}
