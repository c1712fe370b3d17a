//! D1 rows read column by column from the row objects D1 hands back, instead of through a serde
//! derive per row type.
//!
//! Why: `D1Result::results::<T>` and `first::<T>` compile serde_wasm_bindgen's deserializer once
//! per row type; for the worker's 30-odd row types that was 75 KB of code before wasm-opt, and
//! reading columns instead took the bundle from 994.7 to 984.5 KiB gzipped (issue #17). Here only
//! the few column types are generic; a row type costs one short function made by [`row!`]. Semantics are serde_wasm_bindgen's for these columns: a `String` is a JS string, an
//! `i64` a JS number holding a safe integer, an `Option` column also `null` or absent.

use super::state::{EventStatus, PostingState};
use serde::Deserialize;
use worker::js_sys::Reflect;
use worker::wasm_bindgen::JsValue;
use worker::{Error, Result};

/// One row object as D1 returned it, untouched: the only type D1's generic readers see.
#[derive(Deserialize)]
pub struct Raw(#[serde(with = "serde_wasm_bindgen::preserve")] JsValue);

/// A type read from a D1 row object.
pub trait FromRow: Sized {
    fn from_row(row: &Row) -> Result<Self>;
}

pub struct Row(JsValue);

impl Row {
    pub fn read<T: FromRow>(raw: Raw) -> Result<T> {
        T::from_row(&Row(raw.0))
    }

    /// Column `name`, or an error naming it (a query and its row type that disagree). Not
    /// inlined: a row type's reader is then a call per column.
    #[inline(never)]
    pub fn get<T: Column>(&self, name: &str) -> Result<T> {
        let value = Reflect::get(&self.0, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        T::column(&value).ok_or_else(|| bad_column(name, &value))
    }
}

#[cold]
fn bad_column(name: &str, value: &JsValue) -> Error {
    Error::RustError(format!("D1 column `{name}`: unexpected value {value:?}"))
}

/// A column's value type.
pub trait Column: Sized {
    fn column(value: &JsValue) -> Option<Self>;
}

impl Column for String {
    fn column(value: &JsValue) -> Option<Self> {
        value.as_string()
    }
}

impl Column for i64 {
    fn column(value: &JsValue) -> Option<Self> {
        // JS numbers are exact integers up to 2^53 (as serde_wasm_bindgen requires for i64).
        const SAFE: f64 = 9_007_199_254_740_991.0;
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() <= SAFE)
            .map(|f| f as i64)
    }
}

impl<T: Column> Column for Option<T> {
    fn column(value: &JsValue) -> Option<Self> {
        if value.is_null() || value.is_undefined() {
            return Some(None);
        }
        T::column(value).map(Some)
    }
}

impl Column for EventStatus {
    fn column(value: &JsValue) -> Option<Self> {
        let name = value.as_string()?;
        [
            EventStatus::Received,
            EventStatus::WaitingForOrder,
            EventStatus::Mapped,
            EventStatus::Parked,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

impl Column for PostingState {
    fn column(value: &JsValue) -> Option<Self> {
        let name = value.as_string()?;
        [
            PostingState::Pending,
            PostingState::Posted,
            PostingState::Parked,
            PostingState::Held,
            PostingState::Summarized,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// A struct whose fields are the columns of the same names, and its [`FromRow`].
macro_rules! row {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$fmeta])* $fvis $field: $ty),*
        }
        impl $crate::store::row::FromRow for $name {
            fn from_row(r: &$crate::store::row::Row) -> worker::Result<Self> {
                Ok($name { $($field: r.get(stringify!($field))?),* })
            }
        }
    };
}

/// A whole row as JSON, for answers that pass it on as it is: through `JSON.stringify` and the
/// serde_json reader the worker has anyway.
impl FromRow for serde_json::Value {
    fn from_row(row: &Row) -> Result<Self> {
        let text = worker::js_sys::JSON::stringify(&row.0)
            .ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| Error::RustError("D1 row is not JSON".to_string()))?;
        serde_json::from_str(&text).map_err(|e| Error::RustError(format!("D1 row: {e}")))
    }
}
