//! The object path's transport (`mapEvent`), and where a mapper leaves its output for JS to read
//! (`Out`). Measured in Node on the peer orders (README "Numbers"): building the objects from
//! strings sliced out of one decoded text is several times cheaper than `JSON.parse` of the JSON
//! text, which has keys, quotes and escapes to scan.
//!
//! The tape is two lists in the mapper's memory: the output's strings written one after another
//! (no separators, so a string may hold any character), and one `u32` per field in a fixed order:
//! a string's length in UTF-16 units (what JS slices by), or a list's count. The order below
//! mirrors `npm/src/tape.js` and the JSON field order, including leaving out empty `links`,
//! `unbooked` and `rejected`; `npm/test/api.test.mjs` checks `JSON.stringify(mapEvent(..))`
//! against the JSON text on every fixture. It carries no decision: the values are the JSON
//! text's, unescaped.
//!
//! Decoding the text is most of what a short output costs JS, and engines decode UTF-8 several
//! times slower as soon as one character is not ASCII (`×` in a line's `why` is enough: 1.47 µs
//! against 0.2 µs for DST's 1.6 KB tape in Node 20). Every character of most outputs is below
//! U+0100, so when JS has a Latin-1 decoder (Node's `Buffer`) the text is handed over in Latin-1,
//! one byte a character, which engines copy into a string without decoding; otherwise, or when a
//! character is beyond U+00FF, in UTF-8. The JSON text of `mapEventJson` takes the same way out.

use ledgerbridge_core::journal::Amount;
use ledgerbridge_core::json::write::{decimal_text, WriteJson};
use ledgerbridge_core::{Mapped, Source};

/// A mapper's last output, kept in wasm memory until the next call. JS reads `head`: the text's
/// address and length in bytes, the address of the tape's fields, and whether the text is
/// Latin-1 (1) or UTF-8 (0).
#[derive(Default)]
pub struct Out {
    text: Vec<u8>,
    fields: Vec<u32>,
    head: [u32; 4],
}

impl Out {
    /// `mapped` as a tape; returns the address of `head`.
    pub fn tape(&mut self, mapped: &Mapped, latin1: bool) -> *const u32 {
        let mut text = self.start(mapped);
        self.fields.clear();
        write_tape(
            &mut Tape {
                text: &mut text,
                fields: &mut self.fields,
            },
            mapped,
        );
        self.finish(text, latin1)
    }

    /// `mapped` as its compact JSON text (no fields); returns the address of `head`.
    pub fn json(&mut self, mapped: &Mapped, latin1: bool) -> *const u32 {
        let mut text = self.start(mapped);
        mapped.write_json(&mut text);
        self.finish(text, latin1)
    }

    /// The text buffer of the last call, emptied, as a `String` to write into (no allocation
    /// once it has grown to a typical output).
    fn start(&mut self, mapped: &Mapped) -> String {
        let mut bytes = std::mem::take(&mut self.text);
        bytes.clear();
        // An empty buffer is valid UTF-8, so this keeps the buffer and never falls back.
        let mut text = String::from_utf8(bytes).unwrap_or_default();
        // A tape is shorter than the JSON text, so the JSON hint allocates once; a buffer that has
        // held an output is kept as it is (the hint walks every line).
        if text.capacity() == 0 {
            text.reserve(mapped.size_hint());
        }
        text
    }

    fn finish(&mut self, text: String, latin1: bool) -> *const u32 {
        let mut bytes = text.into_bytes();
        let latin1 = latin1 && to_latin1(&mut bytes);
        self.text = bytes;
        // wasm32 addresses and lengths are 32 bits.
        self.head = [
            self.text.as_ptr() as u32,
            self.text.len() as u32,
            self.fields.as_ptr() as u32,
            u32::from(latin1),
        ];
        self.head.as_ptr()
    }
}

/// Rewrites UTF-8 `bytes` as Latin-1 in place when every character is below U+0100 and says
/// whether it did; otherwise leaves them as they are. Word by word over ASCII, and ASCII runs
/// move down in one copy: a byte loop over the whole text cost more than decoding it in JS.
fn to_latin1(bytes: &mut Vec<u8>) -> bool {
    let len = bytes.len();
    let first = next_non_ascii(bytes, 0);
    // In UTF-8, 0xC2 and 0xC3 lead the characters U+0080..U+00FF, 0xC0 and 0xC1 never occur, and
    // every byte from 0xC4 up leads a character beyond U+00FF.
    let mut i = first;
    while let Some(&b) = bytes.get(i) {
        if b >= 0xC4 {
            return false;
        }
        i = next_non_ascii(bytes, i + 1);
    }
    let (mut read, mut write) = (first, first);
    while let Some(&lead) = bytes.get(read) {
        // `read` is at a lead byte here; its continuation follows (the text is valid UTF-8).
        let next = bytes.get(read + 1).copied().unwrap_or_default();
        if let Some(slot) = bytes.get_mut(write) {
            *slot = ((lead & 0x03) << 6) | (next & 0x3F);
        }
        read = (read + 2).min(len);
        write += 1;
        let end = next_non_ascii(bytes, read);
        // `write` trails `read`, so the run stays within the text.
        bytes.copy_within(read..end, write);
        write += end - read;
        read = end;
    }
    bytes.truncate(write);
    true
}

/// The index of the first byte from `from` on that is not ASCII, or the length.
fn next_non_ascii(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(word) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b >= 0x80 {
            return i;
        }
        i += 1;
    }
    i.min(bytes.len())
}

struct Tape<'a> {
    text: &'a mut String,
    fields: &'a mut Vec<u32>,
}

impl Tape<'_> {
    fn text(&mut self, text: &str) {
        self.text.push_str(text);
        let units = if text.is_ascii() {
            text.len()
        } else {
            text.encode_utf16().count()
        };
        self.count(units);
    }

    fn amount(&mut self, amount: Amount) {
        let start = self.text.len();
        decimal_text(self.text, amount.0);
        self.count(self.text.len() - start);
    }

    fn count(&mut self, n: usize) {
        self.fields.push(u32::try_from(n).unwrap_or(u32::MAX));
    }

    fn source(&mut self, s: &Source) {
        for text in [&s.platform, &s.shop, &s.kind, &s.id, &s.version] {
            self.text(text);
        }
    }
}

fn write_tape(t: &mut Tape<'_>, mapped: &Mapped) {
    t.count(mapped.entries.len());
    for e in &mapped.entries {
        for text in [&e.id, &e.date] {
            t.text(text);
        }
        t.text(e.currency.code());
        t.text(&e.memo);
        t.source(&e.source);
        t.count(e.lines.len());
        for l in &e.lines {
            t.text(&l.account);
            t.amount(l.debit);
            t.amount(l.credit);
            t.text(&l.why);
        }
        t.count(e.links.len());
        for link in &e.links {
            t.text(link);
        }
    }
    t.count(mapped.warnings.len());
    for w in &mapped.warnings {
        for text in [&w.code, &w.path, &w.message] {
            t.text(text);
        }
    }
    let p = &mapped.profit;
    t.text(p.currency.code());
    for text in [
        &p.revenue,
        &p.discounts,
        &p.refunds,
        &p.fees,
        &p.cogs,
        &p.margin,
    ] {
        t.text(text);
    }
    t.count(mapped.unbooked.len());
    for u in &mapped.unbooked {
        t.source(&u.source);
        t.text(&u.date);
    }
    t.count(mapped.rejected.len());
    for r in &mapped.rejected {
        t.source(&r.source);
        for text in [&r.code, &r.path, &r.message] {
            t.text(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to_latin1;

    #[test]
    fn latin1_only_below_u0100() {
        let long = "line_items[1]: MUG 2 × 10.00 (default) ".repeat(9);
        for text in [
            "",
            "plain",
            "2 × 10.00 — x",
            "ÿ\u{80}é",
            "€",
            "a漢",
            "ü😀",
            "ü",
            "××",
            "ab×cdefghijklmn×opqrstuvwxyz0123456789×",
            &long,
            &format!("{long}é{long}"),
            &format!("{long}é{long}€"),
        ] {
            let mut bytes = text.as_bytes().to_vec();
            let latin1 = to_latin1(&mut bytes);
            assert_eq!(latin1, text.chars().all(|c| (c as u32) < 0x100), "{text}");
            let back: String = if latin1 {
                bytes.iter().map(|&b| char::from(b)).collect()
            } else {
                String::from_utf8(bytes).unwrap_or_default()
            };
            assert_eq!(back, text);
        }
    }
}
