//! Numbers and the adapters' scalar types: amounts, ids, quantities, indexes.

use super::{Bad, Reader, Result, Step};
use crate::error::LedgerError;

/// What a number's text says, as serde_json would have classified it.
enum Num {
    U64(u64),
    I64(i64),
    /// A fraction, an exponent, `-0`, or a whole number outside u64/i64.
    Float,
}

impl<'a> Reader<'a> {
    /// The text of the number under the cursor, checked against the JSON grammar.
    pub(super) fn number_text(&mut self) -> Step<&'a str> {
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while r.at(r.pos).is_ascii_digit() {
                r.pos += 1;
            }
            r.pos > from
        };
        if self.at(self.pos) == b'-' {
            self.pos += 1;
        }
        match self.at(self.pos) {
            b'0' => {
                self.pos += 1;
                if self.at(self.pos).is_ascii_digit() {
                    return Err(Bad(self.pos + 1, "invalid number"));
                }
            }
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return Err(self.number_error()),
        }
        if self.at(self.pos) == b'.' {
            self.pos += 1;
            if !digits(self) {
                return Err(self.number_error());
            }
        }
        if matches!(self.at(self.pos), b'e' | b'E') {
            self.pos += 1;
            if matches!(self.at(self.pos), b'+' | b'-') {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.number_error());
            }
        }
        Ok(self.text.get(start..self.pos).unwrap_or_default())
    }

    #[cold]
    fn number_error(&self) -> Bad {
        if self.pos >= self.text.len() {
            Bad(self.text.len(), "EOF while parsing a value")
        } else {
            Bad(self.pos + 1, "invalid number")
        }
    }

    /// A number read as serde_json classifies it; a float too large for f64 is `E_JSON`.
    fn number(&mut self) -> Result<Num> {
        let text = self.number_text().map_err(|b| self.bad(b))?;
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if let Some(n) = digits_u64(digits.as_bytes()) {
            if !negative {
                return Ok(Num::U64(n));
            }
            if n != 0 && n <= 1 << 63 {
                return Ok(Num::I64(0i64.wrapping_sub_unsigned(n)));
            }
        }
        if crate::json::beyond_f64(text) {
            return Err(self.syntax(self.pos, "number out of range"));
        }
        Ok(Num::Float)
    }

    /// A whole number (a quantity, an index, an id); `found` names a non-integer for the error.
    fn whole(&mut self, expected: &str, any: bool) -> Result<Num> {
        match self.peek() {
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                match self.number()? {
                    Num::Float => Err(LedgerError::InvalidType {
                        path: self.path_at(start),
                        message: format!(
                            "invalid type: floating point `{}`, expected {expected}",
                            self.text.get(start..self.pos).unwrap_or_default()
                        ),
                    }),
                    n => Ok(n),
                }
            }
            // Read as "any" (ids, quantities), serde_json opens an array before the visitor
            // refuses it: the path names item 0.
            b'[' if any => {
                let start = self.pos;
                let e = self.wrong_type(expected);
                Err(match e {
                    LedgerError::InvalidType { message, .. } => LedgerError::InvalidType {
                        path: self.path_at(start + 1),
                        message,
                    },
                    other => other,
                })
            }
            _ => Err(self.wrong_type(expected)),
        }
    }

    #[cold]
    fn invalid_value(&self, start: usize, reason: String) -> LedgerError {
        LedgerError::InvalidValue {
            path: self.path_at(start),
            value: String::new(),
            reason,
        }
    }

    /// A quantity: a whole number from 0 to `max`.
    pub fn qty(&mut self, max: u32) -> Result<u32> {
        let start = self.peek_pos();
        match self.whole("a whole, non-negative quantity", true)? {
            Num::U64(v) => u32::try_from(v)
                .ok()
                .filter(|q| *q <= max)
                .ok_or_else(|| self.invalid_value(start, format!("quantity {v} above {max}"))),
            Num::I64(v) => Err(self.invalid_value(start, format!("negative quantity {v}"))),
            Num::Float => Err(self.bad(self.unexpected("invalid number"))),
        }
    }

    /// An index into a list (`usize`).
    pub fn index(&mut self) -> Result<usize> {
        let start = self.peek_pos();
        match self.whole("usize", false)? {
            Num::U64(v) => usize::try_from(v)
                .map_err(|_| self.invalid_value(start, format!("integer `{v}`, expected usize"))),
            Num::I64(v) => Err(self.invalid_value(start, format!("integer `{v}`, expected usize"))),
            Num::Float => Err(self.bad(self.unexpected("invalid number"))),
        }
    }

    /// A platform id: a whole number, or a string of 1 to 200 characters (bytes, as before).
    pub fn id(&mut self) -> Result<String> {
        let start = self.peek_pos();
        if self.at(start) == b'"' {
            let text = self.string_body().map_err(|b| self.bad(b))?;
            if text.is_empty() || text.len() > 200 {
                return Err(
                    self.invalid_value(start, "an id must hold 1 to 200 characters".to_string())
                );
            }
            return Ok(text.into_owned());
        }
        match self.whole("an id (integer or string)", true)? {
            // A JSON integer has no `+` and no leading zero, so its text is what `to_string` of
            // its value would write, without the formatting machinery.
            Num::U64(_) | Num::I64(_) => Ok(self
                .text
                .get(start..self.pos)
                .unwrap_or_default()
                .to_string()),
            Num::Float => Err(self.bad(self.unexpected("invalid number"))),
        }
    }

    fn peek_pos(&mut self) -> usize {
        self.peek();
        self.pos
    }

    /// The text of an amount and the offset its value starts at (for [`Reader::path_at`]): the
    /// inside of a JSON string, escapes not decoded (an escaped numeral is no numeral), or a JSON
    /// number as written. Anything else is `E_INVALID_TYPE`. Turning the text into a decimal is
    /// the caller's (`platforms::de::amount`): the reader knows no money.
    pub fn numeral(&mut self) -> Result<(&'a str, usize)> {
        let start = self.peek_pos();
        let first = self.at(start);
        // The two kinds an amount comes as are read directly, not through `skip`'s dispatch.
        let read = match first {
            b'"' => self.skip_string(),
            b'-' | b'0'..=b'9' => self.number_text().map(drop),
            _ => self.skip_value(),
        };
        read.map_err(|b| self.bad(b))?;
        let raw = self.text.get(start..self.pos).unwrap_or_default();
        match first {
            b'"' => Ok((
                raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default(),
                start,
            )),
            b'-' | b'0'..=b'9' => Ok((raw, start)),
            _ => Err(LedgerError::InvalidType {
                path: self.path_at(start),
                message: format!("invalid type: {raw}, expected a decimal amount"),
            }),
        }
    }

    /// The exact text of the next value (checked, not interpreted).
    pub fn raw(&mut self) -> Result<&'a str> {
        let start = self.peek_pos();
        self.skip()?;
        Ok(self.text.get(start..self.pos).unwrap_or_default())
    }
}

/// The value of a run of ASCII digits, or `None` when a byte is not a digit or the value passes
/// `u64`. By hand: `str::parse` costs several times more on the ids and quantities of every order
/// and the many integers of a Stripe payout.
///
/// Up to 19 digits cannot pass `u64::MAX` (20 digits), so they take plain arithmetic: wasm32 has
/// no multiply with overflow flag, and `checked_mul` on `u64` there is a call to a 128-bit multiply
/// (`__multi3`) per digit.
pub(crate) fn digits_u64(digits: &[u8]) -> Option<u64> {
    let mut magnitude: u64 = 0;
    if digits.len() <= 19 {
        for &b in digits {
            if !b.is_ascii_digit() {
                return None;
            }
            magnitude = magnitude * 10 + u64::from(b - b'0');
        }
        return Some(magnitude);
    }
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        magnitude = magnitude
            .checked_mul(10)?
            .checked_add(u64::from(b - b'0'))?;
    }
    Some(magnitude)
}
