//! The texts an entry carries (each line's `why`, memos, ids) written by appending their pieces
//! into one `String` sized up front. `format!` cost about 1.8 k instructions a line through
//! `core::fmt` (dynamic dispatch per argument, padding checks, the decimal's own formatter and a
//! realloc or two), a third of the mapping after parsing (callgrind, issue #17); appending the
//! same pieces writes the same bytes for a fraction of that.

use crate::json::write::decimal_text;
use crate::money::checked::ItemPath;
use crate::money::{round_to, Currency, Shown};
use rust_decimal::Decimal;

/// One piece of a text: how many bytes it will take at most, and its bytes.
pub(crate) trait Piece {
    fn size(&self) -> usize;
    fn put(&self, out: &mut String);
}

/// The pieces one after the other, in one allocation.
pub(crate) fn join(pieces: &[&dyn Piece]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.size()).sum());
    for p in pieces {
        p.put(&mut out);
    }
    out
}

/// `text!(a, ": ", b)`: the pieces joined, as `format!("{a}: {b}")` would write them.
macro_rules! text {
    ($($piece:expr),+ $(,)?) => {
        $crate::engine::text::join(&[$(&$piece as &dyn $crate::engine::text::Piece),+])
    };
}
pub(crate) use text;

impl Piece for str {
    fn size(&self) -> usize {
        self.len()
    }
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn size(&self) -> usize {
        self.len()
    }
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

/// `&str`, `&String` and a `&dyn Piece` passed on are pieces too.
impl<T: Piece + ?Sized> Piece for &T {
    fn size(&self) -> usize {
        (**self).size()
    }
    fn put(&self, out: &mut String) {
        (**self).put(out);
    }
}

/// Integers as `Display` writes them.
macro_rules! integer_piece {
    ($($t:ty),+) => {$(
        impl Piece for $t {
            fn size(&self) -> usize {
                20
            }
            fn put(&self, out: &mut String) {
                let n = *self as i128;
                if n < 0 {
                    out.push('-');
                }
                digits(out, n.unsigned_abs() as u64);
            }
        }
    )+};
}
integer_piece!(u32, usize, i64);

/// `n`'s decimal digits. Indexes and counts are mostly one digit, which skips the buffer.
fn digits(out: &mut String, n: u64) {
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
        return;
    }
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    // 64-bit divisions only while the number needs them: in wasm each digit is a hardware divide
    // (no multiply-high to turn it into), and a 32-bit one costs a fraction of a 64-bit one.
    let mut wide = n;
    while wide > u64::from(u32::MAX) {
        pos -= 1;
        if let Some(b) = buf.get_mut(pos) {
            *b = b'0' + (wide % 10) as u8;
        }
        wide /= 10;
    }
    let mut narrow = u32::try_from(wide).unwrap_or(0);
    while narrow > 0 {
        pos -= 1;
        if let Some(b) = buf.get_mut(pos) {
            *b = b'0' + (narrow % 10) as u8;
        }
        narrow /= 10;
    }
    crate::json::write::push_ascii(out, buf.get(pos..).unwrap_or_default());
}

/// A decimal as its `Display` writes it (every digit of its scale).
impl Piece for Decimal {
    fn size(&self) -> usize {
        decimal_len(*self)
    }
    fn put(&self, out: &mut String) {
        decimal_text(out, *self);
    }
}

/// An amount at its currency's minor units, as `Shown`'s `Display` writes it.
impl Piece for Shown {
    fn size(&self) -> usize {
        // Rounding can carry into one more digit.
        decimal_len(self.1).max(self.0.minor_units() as usize + 2) + 2
    }
    fn put(&self, out: &mut String) {
        let mut scaled = round_to(self.0, self.1);
        scaled.rescale(self.0.minor_units());
        decimal_text(out, scaled);
    }
}

impl Piece for Currency {
    fn size(&self) -> usize {
        3
    }
    fn put(&self, out: &mut String) {
        out.push_str(self.code());
    }
}

/// `line_items[3]`.
impl Piece for ItemPath {
    fn size(&self) -> usize {
        self.0.len() + 22
    }
    fn put(&self, out: &mut String) {
        out.push_str(self.0);
        out.push('[');
        digits(out, self.1 as u64);
        out.push(']');
    }
}

/// A string as `{:?}` writes it: quoted, with Rust's escapes where it needs any.
pub(crate) struct Quoted<'a>(pub &'a str);

impl Piece for Quoted<'_> {
    fn size(&self) -> usize {
        self.0.len() + 2
    }
    fn put(&self, out: &mut String) {
        // Printable ASCII other than `"` and `\` is written as is by `Debug`; anything else takes
        // the standard library's escaping, so the text stays exactly what `{:?}` wrote before.
        if self
            .0
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
        {
            out.push('"');
            out.push_str(self.0);
            out.push('"');
        } else {
            use std::fmt::Write;
            let _ = write!(out, "{:?}", self.0);
        }
    }
}

/// Bytes of `value`'s `Display` text: its digits (at least one more than the scale when it has a
/// fraction), the point and the sign.
fn decimal_len(value: Decimal) -> usize {
    // Amounts fit 64 bits; a wider mantissa has at most 29 digits.
    let digits = u64::try_from(value.mantissa().unsigned_abs())
        .map_or(29, |m| m.checked_ilog10().map_or(1, |d| d as usize + 1));
    let scale = value.scale() as usize;
    let body = if scale > 0 {
        digits.max(scale + 1) + 1
    } else {
        digits
    };
    body + usize::from(value.is_sign_negative())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::from_code("USD").unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn pieces_write_what_format_writes() {
        let path = ItemPath("line_items", 12);
        let amounts = [
            Decimal::new(0, 0),
            Decimal::new(-0, 2),
            Decimal::new(5, 3),
            Decimal::new(-1234567, 2),
            Decimal::new(199, 0),
            Decimal::new(7, 28),
            Decimal::MAX,
            Decimal::MIN,
        ];
        for a in amounts {
            let shown = Shown(usd(), a);
            assert_eq!(
                text!(path, ": ", a, " × ", shown, " ", usd()),
                format!("{path}: {a} × {shown} {}", usd())
            );
            assert!(decimal_len(a) >= a.to_string().len(), "{a}");
            assert!(shown.size() >= shown.to_string().len(), "{a}");
        }
        for n in [0u32, 9, 10, u32::MAX] {
            assert_eq!(text!(n, "/", n as usize), format!("{n}/{n}"));
        }
        // Around the switch from 64-bit to 32-bit divisions, too.
        for n in [
            0i64,
            -1,
            4_294_967_295,
            4_294_967_296,
            10_000_000_000,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(text!(n), n.to_string());
        }
    }

    #[test]
    fn quoted_is_debug_formatting() {
        for s in [
            "",
            "shopify_payments",
            "it's",
            "a \"b\"",
            "back\\slash",
            "tab\there",
            "é ü",
            "\u{7f}\u{0}",
            "line\nbreak",
        ] {
            assert_eq!(text!(Quoted(s)), format!("{s:?}"));
        }
    }
}
