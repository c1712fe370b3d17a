//! Raw JSON values looked into on demand.

use crate::json::Reader;
use std::borrow::Cow;

/// One JSON value as its exact, already checked text (a member the wire reader kept with
/// [`Reader::raw`]), looked into only where a mapping needs it, as the `serde_json::Value` walks
/// it replaced did (Shopify's fetched GraphQL response, the PayPal fee meta of WooCommerce).
/// Untyped on purpose: a GraphQL error, or a transaction that is not a successful sale, must not
/// fail on members the mapping never reads. Each look re-reads the text with [`Reader`], which
/// costs little on these small documents and keeps serde_json's deserializer out of the wasm.
#[derive(Clone, Copy)]
pub struct Val<'a>(pub &'a str);

impl<'a> Val<'a> {
    pub fn is_null(self) -> bool {
        self.0 == "null"
    }

    pub fn is_object(self) -> bool {
        self.0.starts_with('{')
    }

    /// The member `key` of an object (the last one, as `Value` kept it); `None` for anything else.
    pub fn get(self, key: &str) -> Option<Val<'a>> {
        let mut r = Reader::new(self.0);
        let mut obj = r.object().ok()?;
        let mut found = None;
        while let Some(k) = r.key(&mut obj).ok()? {
            let value = Val(r.raw().ok()?);
            if k == key {
                found = Some(value);
            }
        }
        found
    }

    /// The items of an array; `None` for anything else.
    pub fn items(self) -> Option<Vec<Val<'a>>> {
        if !self.0.starts_with('[') {
            return None;
        }
        Reader::new(self.0).vec(|r| r.raw().map(Val)).ok()
    }

    pub fn first_item(self) -> Option<Val<'a>> {
        self.items()?.first().copied()
    }

    pub fn as_str(self) -> Option<Cow<'a, str>> {
        if !self.0.starts_with('"') {
            return None;
        }
        Reader::new(self.0).str().ok()
    }
}
