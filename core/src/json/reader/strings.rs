//! Strings: found by `json::scan`, borrowed unless escaped, validated when skipped.

use super::{Bad, Reader, Step};
use crate::json::scan::scan_from;
use std::borrow::Cow;

impl<'a> Reader<'a> {
    /// Moves the cursor to the first `"`, `\` or control byte at or after it.
    #[inline(always)]
    pub(super) fn scan(&mut self) {
        self.pos = scan_from(self.bytes(), self.pos);
    }

    /// The string whose opening quote is under the cursor, unescaped (surrogates must pair).
    #[inline(always)]
    pub(super) fn string_body(&mut self) -> Step<Cow<'a, str>> {
        self.pos += 1;
        let start = self.pos;
        self.scan();
        if self.at(self.pos) == b'"' {
            let s = self.text.get(start..self.pos).unwrap_or_default();
            self.pos += 1;
            return Ok(Cow::Borrowed(s));
        }
        self.escaped_string(start)
    }

    /// The rest of a string that holds an escape (or is broken), from its first special byte.
    #[inline(never)]
    fn escaped_string(&mut self, start: usize) -> Step<Cow<'a, str>> {
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or_default());
        loop {
            match self.at(self.pos) {
                b'"' => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    self.pos += 1;
                    self.unescape(&mut out)?;
                }
                // A string read (not skipped) is refused past the control byte, as serde_json
                // does: in a key, the path then holds the byte.
                _ if self.pos < self.text.len() => {
                    let Bad(at, message) = self.bad_string_byte();
                    return Err(Bad(at + 1, message));
                }
                _ => return Err(self.bad_string_byte()),
            }
            let from = self.pos;
            self.scan();
            out.push_str(self.text.get(from..self.pos).unwrap_or_default());
        }
    }

    #[cold]
    pub(super) fn bad_string_byte(&self) -> Bad {
        if self.pos >= self.text.len() {
            Bad(self.text.len(), "EOF while parsing a string")
        } else {
            Bad(
                self.pos,
                "control character (\\u0000-\\u001F) found while parsing a string",
            )
        }
    }

    /// One escape after its backslash, appended to `out`.
    pub(super) fn unescape(&mut self, out: &mut String) -> Step<()> {
        let c = self.at(self.pos);
        self.pos += 1;
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let n = self.hex4()?;
                let code = match n {
                    0xDC00..=0xDFFF => {
                        return Err(Bad(self.pos, "lone leading surrogate in hex escape"))
                    }
                    0xD800..=0xDBFF => {
                        if self.at(self.pos) != b'\\' || self.at(self.pos + 1) != b'u' {
                            let next = (self.pos + 1).min(self.text.len());
                            return Err(Bad(next, "unexpected end of hex escape"));
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(Bad(self.pos, "lone leading surrogate in hex escape"));
                        }
                        0x10000 + ((u32::from(n) - 0xD800) << 10) + (u32::from(low) - 0xDC00)
                    }
                    _ => u32::from(n),
                };
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            _ if self.pos > self.text.len() => return Err(self.bad_string_byte()),
            _ => return Err(Bad(self.pos, "invalid escape")),
        };
        out.push(ch);
        Ok(())
    }

    pub(super) fn hex4(&mut self) -> Step<u16> {
        if self.pos + 4 > self.text.len() {
            self.pos = self.text.len();
            return Err(self.bad_string_byte());
        }
        let start = self.pos;
        self.pos += 4;
        let mut n: u16 = 0;
        for i in start..start + 4 {
            let digit = match self.at(i) {
                b @ b'0'..=b'9' => b - b'0',
                b @ b'a'..=b'f' => b - b'a' + 10,
                b @ b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(Bad(self.pos, "invalid escape")),
            };
            n = n << 4 | u16::from(digit);
        }
        Ok(n)
    }

    /// A string skipped: checked for control bytes and well-formed escapes, not decoded (lone
    /// surrogates pass, as serde_json lets them pass in values it ignores).
    #[inline(always)]
    pub(super) fn skip_string(&mut self) -> Step<()> {
        self.pos += 1;
        self.scan();
        if self.at(self.pos) == b'"' {
            self.pos += 1;
            return Ok(());
        }
        self.skip_escaped_string()
    }

    #[inline(never)]
    fn skip_escaped_string(&mut self) -> Step<()> {
        loop {
            match self.at(self.pos) {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.pos += 1;
                    match self.at(self.pos) {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.pos += 1,
                        b'u' => {
                            self.pos += 1;
                            self.hex4()?;
                        }
                        _ if self.pos >= self.text.len() => return Err(self.bad_string_byte()),
                        _ => {
                            self.pos += 1;
                            return Err(Bad(self.pos, "invalid escape"));
                        }
                    }
                }
                _ => return Err(self.bad_string_byte()),
            }
            self.scan();
        }
    }
}
