//! The object path's transport (`mapEvent`): the map output as its strings in a fixed order, each
//! followed by `\x01`, with counts before lists, so `npm/src/tape.js` builds the objects with
//! `split` and object literals instead of `JSON.parse` of the JSON text. Measured in Node on the
//! peer orders (README "Numbers"): decoding and building from this text is several times cheaper
//! than parsing the JSON, which has keys, quotes and escapes to scan; the text is also a third
//! shorter to copy out of wasm. It carries no decision: the values are the JSON text's, unescaped.
//!
//! A string holding `\x01` itself would split wrongly, so then the JSON text is returned instead
//! (it starts with `{`; a tape with a digit), and the JS side parses that. The order below mirrors
//! `tape.js` and the JSON field order, including leaving out empty `links`, `unbooked` and
//! `rejected`; `npm/test/api.test.mjs` checks `JSON.stringify(mapEvent(..))` against the JSON text
//! on every fixture, and the fallback on a payload carrying the separator.

use ledgerbridge_core::json::write::{count, decimal_text, WriteJson};
use ledgerbridge_core::{Mapped, Source};

const SEP: char = '\u{1}';

struct Tape {
    out: String,
    clean: bool,
}

impl Tape {
    fn text(&mut self, text: &str) {
        self.clean &= !text.contains(SEP);
        self.out.push_str(text);
        self.out.push(SEP);
    }

    fn count(&mut self, n: usize) {
        count(&mut self.out, n);
        self.out.push(SEP);
    }

    fn source(&mut self, s: &Source) {
        for text in [&s.platform, &s.shop, &s.kind, &s.id, &s.version] {
            self.text(text);
        }
    }
}

/// `mapped` as a tape, or as its JSON text when one of its strings holds the separator.
pub fn mapped_tape(mapped: &Mapped) -> String {
    let mut t = Tape {
        // A tape is shorter than the JSON text, so the JSON hint allocates once.
        out: String::with_capacity(mapped.size_hint()),
        clean: true,
    };
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
            decimal_text(&mut t.out, l.debit.0);
            t.out.push(SEP);
            decimal_text(&mut t.out, l.credit.0);
            t.out.push(SEP);
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
    if t.clean {
        t.out
    } else {
        ledgerbridge_core::json::write::to_string(mapped)
    }
}
