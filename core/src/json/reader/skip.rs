//! Skipping a value the adapter does not read, still checked against the JSON grammar.

use super::{Reader, Result, Step};
use crate::json::scan::scan_from;

impl Reader<'_> {
    /// Skips the next value, checking it against the JSON grammar. Iterative: nesting costs one
    /// bit per level, so no input can exhaust the stack (serde_json sets no depth limit on values
    /// it ignores either).
    pub fn skip(&mut self) -> Result<()> {
        self.skip_value().map_err(|b| self.bad(b))
    }

    /// A scalar is skipped here; only a container enters the nesting walk, whose bookkeeping
    /// (and larger stack frame) most skipped members do not need.
    #[inline]
    pub(super) fn skip_value(&mut self) -> Step<()> {
        match self.peek() {
            b'"' => self.skip_string(),
            b'[' | b'{' => self.skip_container(),
            _ => self.skip_scalar(),
        }
    }

    /// A number or literal under the cursor.
    #[inline]
    fn skip_scalar(&mut self) -> Step<()> {
        match self.at(self.pos) {
            b'1'..=b'9' => self.skip_number(),
            b'-' | b'0' => self.number_text().map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => Err(self.unexpected("expected value")),
        }
    }

    /// A number starting with `1`-`9`: a plain integer (ids, counts, grams: most skipped numbers)
    /// is passed over on a local offset; one with a fraction or exponent is read by
    /// `number_text` from its start, so it is checked (and refused) as before.
    #[inline]
    fn skip_number(&mut self) -> Step<()> {
        let bytes = self.bytes();
        let mut end = self.pos + 1;
        while let Some(b'0'..=b'9') = bytes.get(end) {
            end += 1;
        }
        if matches!(bytes.get(end), Some(b'.' | b'e' | b'E')) {
            return self.number_text().map(drop);
        }
        self.pos = end;
        Ok(())
    }

    #[inline(never)]
    fn skip_container(&mut self) -> Step<()> {
        // Bit n of `open` is 1 when level n is an object; levels past 64 spill into `deep`.
        let mut open: u64 = 0;
        let mut depth: usize = 0;
        let mut deep: Vec<bool> = Vec::new();
        loop {
            // A value.
            match self.peek() {
                b'"' => self.skip_string()?,
                c @ (b'[' | b'{') => {
                    self.pos += 1;
                    let is_object = c == b'{';
                    if depth < 64 {
                        open = open & !(1 << depth) | u64::from(is_object) << depth;
                    } else {
                        deep.truncate(depth - 64);
                        deep.push(is_object);
                    }
                    depth += 1;
                    let close = if is_object { b'}' } else { b']' };
                    if self.peek() == close {
                        self.pos += 1;
                        depth -= 1;
                    } else {
                        if is_object {
                            self.skip_key()?;
                        }
                        continue;
                    }
                }
                _ => self.skip_scalar()?,
            }
            // After a value: close what ends here, then find the next value's start.
            loop {
                if depth == 0 {
                    return Ok(());
                }
                let level = depth - 1;
                let is_object = if level < 64 {
                    open >> level & 1 == 1
                } else {
                    deep.get(level - 64).copied().unwrap_or(false)
                };
                match self.peek() {
                    b',' => {
                        self.pos += 1;
                        if is_object {
                            self.skip_key()?;
                        }
                        break;
                    }
                    b'}' if is_object => {
                        self.pos += 1;
                        depth -= 1;
                    }
                    b']' if !is_object => {
                        self.pos += 1;
                        depth -= 1;
                    }
                    _ if is_object => return Err(self.unexpected("expected `,` or `}`")),
                    _ => return Err(self.unexpected("expected `,` or `]`")),
                }
            }
        }
    }

    #[inline(always)]
    fn skip_key(&mut self) -> Step<()> {
        // A compact key without escapes, as in `Reader::key`.
        let bytes = self.bytes();
        if bytes.get(self.pos) == Some(&b'"') {
            let end = scan_from(bytes, self.pos + 1);
            if let [b'"', b':', ..] = bytes.get(end..).unwrap_or_default() {
                self.pos = end + 2;
                return Ok(());
            }
        }
        if self.peek() != b'"' {
            return Err(self.unexpected("key must be a string"));
        }
        self.skip_string()?;
        if self.peek() != b':' {
            return Err(self.unexpected("expected `:`"));
        }
        self.pos += 1;
        Ok(())
    }
}
