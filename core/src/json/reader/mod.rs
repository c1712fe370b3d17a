//! A borrowed, one-pass JSON reader for the adapters' wire types: no DOM, no serde.
//!
//! The adapter drives it: it asks for the value it expects where it expects it, and skips every
//! member it does not read with [`Reader::skip`], which still checks that member against the JSON
//! grammar (so a document serde_json would refuse is refused here too, with `E_JSON` and its path).
//!
//! ```ignore
//! let mut r = Reader::new(text);
//! let mut obj = r.object()?;                    // `{`, or E_INVALID_TYPE
//! let mut seen = Seen::default();               // duplicate known keys are refused, as serde does
//! while let Some(key) = r.key(&mut obj)? {      // keys borrowed unless escaped
//!     match &*key {
//!         "id" => { seen.first(&r, 0, "id")?; id = r.opt(Reader::id)?; }
//!         "line_items" => { seen.first(&r, 1, "line_items")?; lines = r.vec(read_line)?; }
//!         _ => r.skip()?,
//!     }
//! }
//! let id = id.ok_or_else(|| r.missing("id"))?;   // path of the object just closed + field
//! r.finish()?;                                  // only whitespace may follow the document
//! ```
//!
//! Semantics follow what the serde derives on `platforms::de::{Dec, Id, Qty}` accepted before,
//! error code and path included: an amount's text is that of a JSON string or number
//! ([`Reader::numeral`]; `platforms::de::amount` makes it a decimal, never through a float), ids
//! are whole numbers or 1..=200-character strings, quantities whole and at most a given maximum. No path is tracked while reading: on a failure the path is recovered from the
//! byte offset with [`locate`], the same walk that names serde_json's errors, so paths agree.
//!
//! Known difference from serde derive: a struct written as a JSON array (serde's positional form)
//! is refused with `E_INVALID_TYPE` instead of being read field by field.

use super::locate;
use crate::error::{join_path, LedgerError};
use std::borrow::Cow;

mod skip;
mod strings;
mod values;

pub(crate) use values::digits_u64;

type Result<T> = std::result::Result<T, LedgerError>;

/// A syntax fault found by the inner scanners: the byte offset to name (through [`locate`]) and
/// what is wrong. Two words, so the hot helpers return it in registers; the public methods turn it
/// into `E_JSON` with [`Reader::bad`].
struct Bad(usize, &'static str);

type Step<T> = std::result::Result<T, Bad>;

/// A cursor over one JSON document (already known to be UTF-8).
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

/// An object being read: whether the next member is its first.
pub struct Object {
    first: bool,
}

/// An array being read: the index of the next item.
pub struct Array {
    index: usize,
}

impl Array {
    /// How many items have been read so far.
    pub fn len(&self) -> usize {
        self.index
    }

    pub fn is_empty(&self) -> bool {
        self.index == 0
    }
}

/// The known keys of one object met so far, for refusing a duplicate as serde derive does.
#[derive(Default)]
pub struct Seen(u64);

impl Seen {
    /// Marks field `bit` (< 64) as read; `E_INVALID_TYPE` "duplicate field" if it already was.
    #[inline]
    pub fn first(&mut self, r: &Reader<'_>, bit: u32, name: &str) -> Result<()> {
        let mask = 1u64 << (bit & 63);
        if self.0 & mask != 0 {
            return Err(LedgerError::InvalidType {
                path: r.path_at(r.pos),
                message: format!("duplicate field `{name}`"),
            });
        }
        self.0 |= mask;
        Ok(())
    }
}

/// The high bit of each byte of `w` that is not `b`, exactly (no borrow crosses bytes).
#[inline]
fn not_byte(w: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let t = w ^ (0x0101_0101_0101_0101 * u64::from(b));
    ((t & LOW7).wrapping_add(LOW7) | t) & !LOW7
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader { text, pos: 0 }
    }

    /// A reader over `bytes`, refused with `E_JSON` where they stop being UTF-8.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Self> {
        let text = std::str::from_utf8(bytes).map_err(|e| LedgerError::Json {
            path: locate(bytes, e.valid_up_to(), false),
            message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        })?;
        Ok(Self::new(text))
    }

    #[inline]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[inline]
    fn at(&self, i: usize) -> u8 {
        self.bytes().get(i).copied().unwrap_or(0)
    }

    /// The next non-whitespace byte (0 at the end), left unread.
    #[inline]
    fn peek(&mut self) -> u8 {
        match self.bytes().get(self.pos) {
            Some(&b) if b > b' ' => b,
            _ => self.peek_after_whitespace(),
        }
    }

    /// [`Self::peek`] past a run of whitespace (pretty-printed JSON: a newline and indentation),
    /// eight bytes at a time.
    #[inline(never)]
    fn peek_after_whitespace(&mut self) -> u8 {
        let bytes = self.bytes();
        // One space (after `:` or `,`) is the most common run.
        if let [b' ', next, ..] = bytes.get(self.pos..).unwrap_or_default() {
            if *next > b' ' {
                self.pos += 1;
                return *next;
            }
        }
        while let Some(chunk) = bytes.get(self.pos..self.pos + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let w = u64::from_le_bytes(word);
            let other =
                not_byte(w, b' ') & not_byte(w, b'\n') & not_byte(w, b'\r') & not_byte(w, b'\t');
            if other != 0 {
                self.pos += (other.trailing_zeros() / 8) as usize;
                return self.at(self.pos);
            }
            self.pos += 8;
        }
        while let Some(&b) = bytes.get(self.pos) {
            if !is_ws(b) {
                return b;
            }
            self.pos += 1;
        }
        0
    }

    /// The JSON path of the value being read at byte `offset`.
    pub fn path_at(&self, offset: usize) -> String {
        locate(self.bytes(), offset, false)
    }

    #[cold]
    #[inline(never)]
    fn bad(&self, fault: Bad) -> LedgerError {
        self.syntax(fault.0, fault.1)
    }

    #[cold]
    fn syntax(&self, offset: usize, message: &str) -> LedgerError {
        LedgerError::Json {
            path: self.path_at(offset),
            message: message.to_string(),
        }
    }

    /// `E_JSON` at the unexpected byte under the cursor (or the end of the text).
    #[cold]
    fn unexpected(&self, message: &'static str) -> Bad {
        if self.pos >= self.text.len() {
            Bad(self.text.len(), "unexpected end of the JSON text")
        } else {
            Bad(self.pos + 1, message)
        }
    }

    /// `E_INVALID_TYPE` for the value starting under the cursor, which is not a `expected`. A scalar
    /// is read first (a malformed one is `E_JSON`, as serde_json reports it); a container is not.
    #[cold]
    fn wrong_type(&mut self, expected: &str) -> LedgerError {
        let start = self.pos;
        let found = match self.at(start) {
            b'[' => "a sequence",
            b'{' => "a map",
            b'"' => "a string",
            b't' | b'f' => "a boolean",
            b'n' => "null",
            b'-' | b'0'..=b'9' => "a number",
            _ => return self.bad(self.unexpected("expected a value")),
        };
        // serde_json decodes a string it refuses, so a lone surrogate in it is E_JSON.
        let read = match self.at(start) {
            b'[' | b'{' => Ok(()),
            b'"' => self.string_body().map(drop).map_err(|b| self.bad(b)),
            _ => self.skip(),
        };
        if let Err(e) = read {
            return e;
        }
        LedgerError::InvalidType {
            path: self.path_at(start),
            message: format!("invalid type: {found}, expected {expected}"),
        }
    }

    /// Only whitespace may follow the document.
    pub fn finish(&mut self) -> Result<()> {
        match self.peek() {
            0 if self.pos >= self.text.len() => Ok(()),
            _ => Err(self.bad(self.unexpected("trailing characters"))),
        }
    }

    /// The next non-whitespace byte (0 at the end), left unread: which kind of value follows.
    pub fn lookahead(&mut self) -> u8 {
        self.peek()
    }

    /// The JSON path of the cursor: where serde_json names an error a visitor or derive raises
    /// right after a key (an unknown or repeated field, an unknown variant) or after a value its own
    /// check refused (an unknown currency, a negative amount).
    pub fn path_here(&self) -> String {
        self.path_at(self.pos)
    }

    /// The path serde_json gives an error a derive raises after a member's value has been read
    /// (a custom check in `deserialize_with`): its struct's `end_map` has skipped whitespace and
    /// eaten a `}` that follows before the error is placed; for a struct read from an array
    /// (serde's positional form), `end_seq` eats a `]`, or a `,` and the whitespace after it.
    #[cold]
    pub fn path_after_member(&mut self, positional: bool) -> String {
        match self.peek() {
            b'}' if !positional => self.pos += 1,
            b']' if positional => self.pos += 1,
            b',' if positional => {
                self.pos += 1;
                self.peek();
            }
            _ => {}
        }
        self.path_here()
    }

    /// `E_JSON` with `message` at the byte under the cursor (serde_json's `peek_error`): an enum
    /// written as anything but a string or an object ("expected value"), more items than a struct
    /// has fields ("trailing characters").
    #[cold]
    pub fn refuse_next(&mut self, message: &'static str) -> LedgerError {
        self.peek();
        self.bad(self.unexpected(message))
    }

    /// `E_MISSING_FIELD` for `field` of the object whose closing brace was just read.
    #[cold]
    pub fn missing(&self, field: &str) -> LedgerError {
        // Just past the closing brace, where serde_json reports it (the brace is then `locate`'s
        // "still inside").
        let object = locate(self.bytes(), self.pos, true);
        LedgerError::MissingField {
            path: join_path(&object, field),
        }
    }

    /// Opens an object; anything else is `E_INVALID_TYPE` naming `what` was expected.
    pub fn object(&mut self) -> Result<Object> {
        if self.peek() != b'{' {
            return Err(self.wrong_type("a map"));
        }
        self.pos += 1;
        Ok(Object { first: true })
    }

    /// The next member's key (the cursor then at its value), or `None` past the closing brace.
    #[cfg_attr(feature = "speed", inline(always))]
    #[cfg_attr(not(feature = "speed"), inline(never))]
    pub fn key(&mut self, obj: &mut Object) -> Result<Option<Cow<'a, str>>> {
        // Webhook bodies are compact: `}` right after a value, or `"` right after the `{` or `,`,
        // no escape in the key, `:` right after its closing quote. That is read here on a local
        // offset; anything else (whitespace, an escape, a fault) takes the general path.
        let bytes = self.bytes();
        if bytes.get(self.pos) == Some(&b'}') {
            obj.first = false;
            self.pos += 1;
            return Ok(None);
        }
        let open = if obj.first { self.pos } else { self.pos + 1 };
        if (obj.first || bytes.get(self.pos) == Some(&b',')) && bytes.get(open) == Some(&b'"') {
            let end = crate::json::scan::scan_from(bytes, open + 1);
            if let ([b'"', b':', ..], Some(key)) = (
                bytes.get(end..).unwrap_or_default(),
                self.text.get(open + 1..end),
            ) {
                obj.first = false;
                self.pos = end + 2;
                return Ok(Some(Cow::Borrowed(key)));
            }
        }
        self.key_general(obj)
    }

    #[inline(never)]
    fn key_general(&mut self, obj: &mut Object) -> Result<Option<Cow<'a, str>>> {
        let b = self.peek();
        if obj.first {
            obj.first = false;
            if b == b'}' {
                self.pos += 1;
                return Ok(None);
            }
        } else {
            match b {
                b',' => {
                    self.pos += 1;
                }
                b'}' => {
                    self.pos += 1;
                    return Ok(None);
                }
                _ => return Err(self.bad(self.unexpected("expected `,` or `}`"))),
            }
        }
        if self.peek() != b'"' {
            return Err(self.bad(self.unexpected("key must be a string")));
        }
        let key = self.string_body().map_err(|b| self.bad(b))?;
        if self.peek() != b':' {
            return Err(self.bad(self.unexpected("expected `:`")));
        }
        self.pos += 1;
        Ok(Some(key))
    }

    /// Opens an array; anything else is `E_INVALID_TYPE`.
    pub fn array(&mut self) -> Result<Array> {
        if self.peek() != b'[' {
            return Err(self.wrong_type("a sequence"));
        }
        self.pos += 1;
        Ok(Array { index: usize::MAX })
    }

    /// Whether another item follows (the cursor then at it); false past the closing bracket.
    #[cfg_attr(feature = "speed", inline(always))]
    pub fn item(&mut self, arr: &mut Array) -> Result<bool> {
        let b = self.peek();
        if arr.index == usize::MAX {
            arr.index = 0;
            if b == b']' {
                self.pos += 1;
                return Ok(false);
            }
            return Ok(true);
        }
        match b {
            b',' => {
                self.pos += 1;
                arr.index += 1;
                Ok(true)
            }
            b']' => {
                self.pos += 1;
                arr.index += 1;
                Ok(false)
            }
            _ => Err(self.bad(self.unexpected("expected `,` or `]`"))),
        }
    }

    /// Every item of an array, read by `item`.
    #[inline]
    pub fn vec<T>(&mut self, mut read: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(&mut |r| {
            out.push(read(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `read` with the cursor at each item of an array. Not generic, so the array walk is
    /// compiled once instead of once per item type (each copy cost wasm bytes).
    pub fn each(&mut self, read: &mut dyn FnMut(&mut Self) -> Result<()>) -> Result<()> {
        let mut arr = self.array()?;
        while self.item(&mut arr)? {
            read(self)?;
        }
        Ok(())
    }

    /// `None` for `null`, else the value read by `read`.
    #[cfg_attr(feature = "speed", inline(always))]
    #[cfg_attr(not(feature = "speed"), inline)]
    pub fn opt<T>(&mut self, read: impl FnOnce(&mut Self) -> Result<T>) -> Result<Option<T>> {
        if self.null()? {
            Ok(None)
        } else {
            read(self).map(Some)
        }
    }

    /// Reads `null` if that is what comes next. With `speed`, inlined down to one byte test: an
    /// order reads some fifty optional members, and in wasm a returned `Result` goes through
    /// memory (mapping −1.7 % instructions an order, for bytes the size-tuned modules lack).
    #[cfg_attr(feature = "speed", inline(always))]
    #[cfg_attr(not(feature = "speed"), inline)]
    pub fn null(&mut self) -> Result<bool> {
        if self.peek() != b'n' {
            return Ok(false);
        }
        self.null_literal()
    }

    #[inline(never)]
    fn null_literal(&mut self) -> Result<bool> {
        self.literal(b"null").map_err(|b| self.bad(b))?;
        Ok(true)
    }

    #[inline]
    fn literal(&mut self, word: &[u8]) -> Step<()> {
        if self.bytes().get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            return Ok(());
        }
        Err(self.bad_literal(word))
    }

    /// Where a literal that is not `word` goes wrong.
    #[cold]
    fn bad_literal(&self, word: &[u8]) -> Bad {
        for (k, want) in word.iter().enumerate() {
            let i = self.pos + k;
            if self.at(i) != *want {
                return if i >= self.text.len() {
                    Bad(i, "unexpected end of the JSON text")
                } else {
                    Bad(i + 1, "expected ident")
                };
            }
        }
        Bad(self.pos, "expected ident")
    }

    pub fn bool(&mut self) -> Result<bool> {
        match self.peek() {
            b't' => self
                .literal(b"true")
                .map(|()| true)
                .map_err(|b| self.bad(b)),
            b'f' => self
                .literal(b"false")
                .map(|()| false)
                .map_err(|b| self.bad(b)),
            _ => Err(self.wrong_type("a boolean")),
        }
    }

    /// A string, borrowed unless it holds an escape.
    #[cfg_attr(feature = "speed", inline(always))]
    pub fn str(&mut self) -> Result<Cow<'a, str>> {
        // A compact string without escapes, found on a local offset as in `key`.
        let bytes = self.bytes();
        if bytes.get(self.pos) == Some(&b'"') {
            let end = crate::json::scan::scan_from(bytes, self.pos + 1);
            if let (Some(b'"'), Some(text)) = (bytes.get(end), self.text.get(self.pos + 1..end)) {
                self.pos = end + 1;
                return Ok(Cow::Borrowed(text));
            }
        }
        if self.peek() != b'"' {
            return Err(self.wrong_type("a string"));
        }
        self.string_body().map_err(|b| self.bad(b))
    }

    pub fn string(&mut self) -> Result<String> {
        self.str().map(Cow::into_owned)
    }
}
