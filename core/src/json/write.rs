//! JSON out, by hand: the map output (`Mapped`, entries) is rendered on every call of every face,
//! and through serde_json's `Serialize` derives it cost 15–18 % of a Shopify order's native
//! instructions (more in wasm): a `fmt` round per decimal (`collect_str`), a dispatch per field,
//! and a string grown by doubling. The writers here produce the same bytes as `serde_json::to_string`
//! of the same value (compact, serde_json's escapes, rust_decimal's `Display`); `core/tests/json_write.rs`
//! holds them to that on every fixture and on generated strings and decimals.

use super::scan::scan_from;
use rust_decimal::Decimal;

/// A value with a hand-written compact JSON form, byte-identical to its serde_json form.
pub trait WriteJson {
    /// Appends the JSON text of `self` to `out`.
    fn write_json(&self, out: &mut String);

    /// About how many bytes `write_json` appends, so `out` is allocated once; never exact.
    fn size_hint(&self) -> usize {
        64
    }
}

/// The compact JSON text of `value`.
pub fn to_string<T: WriteJson + ?Sized>(value: &T) -> String {
    let mut out = String::with_capacity(value.size_hint());
    value.write_json(&mut out);
    out
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }

    fn size_hint(&self) -> usize {
        self.iter().map(|item| item.size_hint() + 1).sum::<usize>() + 2
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out)
    }

    fn size_hint(&self) -> usize {
        self.as_slice().size_hint()
    }
}

impl WriteJson for str {
    fn write_json(&self, out: &mut String) {
        string(out, self)
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut String) {
        string(out, self)
    }
}

/// `text` as a JSON string, quoted and escaped as serde_json escapes it: `\"`, `\\`, the short
/// forms `\b \t \n \f \r`, every other byte below 0x20 as `\u00xx` (lower-case hex), and nothing
/// else (not DEL, not non-ASCII, not `/`).
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let (mut run, mut i) = (0, 0);
    loop {
        i = scan_from(bytes, i);
        let Some(&b) = bytes.get(i) else {
            break;
        };
        // Escaped bytes are ASCII, so `run..i` ends on a char boundary.
        out.push_str(text.get(run..i).unwrap_or_default());
        escape(out, b);
        i += 1;
        run = i;
    }
    out.push_str(text.get(run..).unwrap_or_default());
    out.push('"');
}

fn escape(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => '"',
        b'\\' => '\\',
        0x08 => 'b',
        0x09 => 't',
        0x0a => 'n',
        0x0c => 'f',
        0x0d => 'r',
        _ => {
            let hex = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ];
            return push_ascii(out, &hex);
        }
    };
    out.push('\\');
    out.push(short);
}

/// `value` as rust_decimal's `Display` writes it with no width or precision (the text serde's
/// `collect_str` gives): every digit of the scale kept (`5.00`), `0.` before a fraction with no
/// whole part, and `-` whenever the sign flag is set, zero included.
pub fn decimal_text(out: &mut String, value: Decimal) {
    // At most 29 digits (2^96), or 28 after the point and one before, plus `.` and `-`.
    let mut buf = [0u8; 32];
    let mut pos = buf.len();
    let scale = value.scale();
    let mantissa = value.mantissa().unsigned_abs();
    // Right to left: the scale's digits, the point, then at least one whole digit.
    macro_rules! digits {
        ($m:expr) => {{
            let mut m = $m;
            for _ in 0..scale {
                pos -= 1;
                buf[pos] = b'0' + (m % 10) as u8;
                m /= 10;
            }
            if scale > 0 {
                pos -= 1;
                buf[pos] = b'.';
            }
            loop {
                pos -= 1;
                buf[pos] = b'0' + (m % 10) as u8;
                m /= 10;
                if m == 0 {
                    break;
                }
            }
        }};
    }
    // Most amounts fit 32 bits and nearly all 64, each narrower division far cheaper than the
    // next: wasm has no multiply-high to turn a division by ten into, so each digit is a hardware
    // divide, and a 32-bit one takes a fraction of a 64-bit one's cycles.
    if let Ok(m) = u32::try_from(mantissa) {
        digits!(m)
    } else if let Ok(m) = u64::try_from(mantissa) {
        digits!(m)
    } else {
        digits!(mantissa)
    }
    if value.is_sign_negative() {
        pos -= 1;
        buf[pos] = b'-';
    }
    push_ascii(out, &buf[pos..]);
}

/// A count (`usize`) as its decimal digits: a decimal of scale 0, so one digit writer serves
/// amounts and counts.
pub fn count(out: &mut String, n: usize) {
    decimal_text(out, Decimal::from(n));
}

/// Appends bytes known to be ASCII (digits, escapes), a `char` each: for these few bytes that is
/// cheaper than the UTF-8 check `push_str` needs (74 instructions a call through `from_utf8`,
/// callgrind), and needs no `unsafe`.
pub fn push_ascii(out: &mut String, ascii: &[u8]) {
    out.reserve(ascii.len());
    for &b in ascii {
        out.push(char::from(b));
    }
}

/// `value` as a JSON string of its `Display` text (how the entry shape carries amounts).
pub fn decimal(out: &mut String, value: Decimal) {
    out.push('"');
    decimal_text(out, value);
    out.push('"');
}

/// A parsed JSON value as serde_json's compact `to_string` writes it (object members in the map's
/// order; numbers as `Number`'s `Display`, the digits serde_json's serializer writes). Lets
/// `Config::load` re-read a config held as a `Value` without linking serde_json's serializer.
impl WriteJson for serde_json::Value {
    fn write_json(&self, out: &mut String) {
        use serde_json::Value;
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                use std::fmt::Write;
                let _ = write!(out, "{n}");
            }
            Value::String(s) => string(out, s),
            Value::Array(items) => items.write_json(out),
            Value::Object(map) => {
                out.push('{');
                for (i, (key, value)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    string(out, key);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// Writes `{"a":…,"b":…}`: the first member opens the object, every later one adds a comma.
pub(crate) struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        out.push('{');
        Obj { out, first: true }
    }

    pub(crate) fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        // Keys are the callers' literals: plain ASCII, nothing to escape.
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    /// A member whose name is data (an account, an id, a currency): escaped.
    pub(crate) fn data_key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        string(self.out, key);
        self.out.push(':');
        self.out
    }

    pub(crate) fn val<T: WriteJson + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        value.write_json(self.key(key));
        self
    }

    pub(crate) fn str(&mut self, key: &str, value: &str) -> &mut Self {
        string(self.key(key), value);
        self
    }

    pub(crate) fn num(&mut self, key: &str, value: u32) -> &mut Self {
        count(self.key(key), value as usize);
        self
    }

    pub(crate) fn flag(&mut self, key: &str, value: bool) -> &mut Self {
        self.key(key).push_str(if value { "true" } else { "false" });
        self
    }

    pub(crate) fn opt(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(text) => string(self.key(key), text),
            None => self.key(key).push_str("null"),
        }
        self
    }

    pub(crate) fn end(&mut self) {
        self.out.push('}');
    }
}

// --- Raw JSON and optional members (the QBO/Xero posts, exporters/post_write.rs) ---

/// JSON text written verbatim: an amount as a JSON number made from its decimal text (`25.00`),
/// or a whole post. Its `Serialize` goes through serde_json's `RawValue`, so a derive that holds
/// one writes the same bytes; the worker writes it with [`WriteJson`] and never validates it
/// again, because the core made the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raw(pub String);

impl Raw {
    pub fn get(&self) -> &str {
        &self.0
    }
}

impl WriteJson for Raw {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.0);
    }

    fn size_hint(&self) -> usize {
        self.0.len()
    }
}

impl serde::Serialize for Raw {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::value::RawValue::from_string(self.0.clone())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out)
    }

    fn size_hint(&self) -> usize {
        (**self).size_hint()
    }
}

impl Obj<'_> {
    /// A member left out when `None`, as `skip_serializing_if = "Option::is_none"` does.
    pub(crate) fn present<T: WriteJson + ?Sized>(
        &mut self,
        key: &str,
        value: Option<&T>,
    ) -> &mut Self {
        if let Some(value) = value {
            self.val(key, value);
        }
        self
    }
}
