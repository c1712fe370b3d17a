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

impl<P: PathArg> PathArg for &P {
    fn render(&self) -> String {
        (*self).render()
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
/// Generic over the path only at the edge: the arithmetic sits in one non-generic copy each
/// (`rust_decimal`'s checked ops inline into every caller, ~1.8 KB of wasm a copy).
pub(crate) fn add(a: Decimal, b: Decimal, path: impl PathArg) -> Result<Decimal> {
    or_overflow(add_or_none(a, b), path)
}

pub(crate) fn sub(a: Decimal, b: Decimal, path: impl PathArg) -> Result<Decimal> {
    or_overflow(sub_or_none(a, b), path)
}

pub(crate) fn mul(a: Decimal, b: Decimal, path: impl PathArg) -> Result<Decimal> {
    or_overflow(mul_or_none(a, b), path)
}

pub(crate) fn sum<'a>(
    values: impl IntoIterator<Item = &'a Decimal>,
    path: impl PathArg,
) -> Result<Decimal> {
    let mut total = Decimal::ZERO;
    for v in values {
        total = or_overflow(add_or_none(total, *v), &path)?;
    }
    Ok(total)
}

#[inline(never)]
pub(crate) fn add_or_none(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

#[inline(never)]
pub(crate) fn sub_or_none(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_sub(b)
}

#[inline(never)]
pub(crate) fn div_or_none(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_div(b)
}

#[inline(never)]
pub(crate) fn mul_or_none(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b)
}

#[inline]
fn or_overflow(value: Option<Decimal>, path: impl PathArg) -> Result<Decimal> {
    match value {
        Some(v) => Ok(v),
        None => Err(overflow(path.render())),
    }
}

fn overflow(path: String) -> LedgerError {
    LedgerError::AmountTooLarge {
        path,
        value: "arithmetic overflow".to_string(),
    }
}
