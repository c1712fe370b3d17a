//! The entry shape's hand-written JSON (`json::write`): the same bytes as its serde derives in
//! `entry.rs`, field for field in their order, which `core/tests/json_write.rs` checks on every fixture.
//! A field added to `Entry`, `Source` or `Line` must be added here too; that test fails until it is.

use super::entry::{Amount, Entry, Line, Source};
use crate::json::write::{decimal, string, WriteJson};

impl WriteJson for Entry {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"id\":");
        string(out, &self.id);
        out.push_str(",\"date\":");
        string(out, &self.date);
        out.push_str(",\"currency\":");
        string(out, self.currency.code());
        out.push_str(",\"memo\":");
        string(out, &self.memo);
        out.push_str(",\"source\":");
        self.source.write_json(out);
        out.push_str(",\"lines\":");
        self.lines.write_json(out);
        if !self.links.is_empty() {
            out.push_str(",\"links\":");
            self.links.write_json(out);
        }
        out.push('}');
    }

    /// The keys, the id twice (the source repeats most of it) and each line's keys, amounts and
    /// texts: within a few per cent on the fixtures, never a second allocation for them.
    fn size_hint(&self) -> usize {
        200 + 2 * self.id.len()
            + self.memo.len()
            + self
                .lines
                .iter()
                .map(|l| 80 + l.account.len() + l.why.len())
                .sum::<usize>()
            + self.links.iter().map(|l| l.len() + 3).sum::<usize>()
    }
}

impl WriteJson for Source {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"platform\":");
        string(out, &self.platform);
        out.push_str(",\"shop\":");
        string(out, &self.shop);
        out.push_str(",\"kind\":");
        string(out, &self.kind);
        out.push_str(",\"id\":");
        string(out, &self.id);
        out.push_str(",\"version\":");
        string(out, &self.version);
        out.push('}');
    }
}

impl WriteJson for Line {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"account\":");
        string(out, &self.account);
        out.push_str(",\"debit\":");
        self.debit.write_json(out);
        out.push_str(",\"credit\":");
        self.credit.write_json(out);
        out.push_str(",\"why\":");
        string(out, &self.why);
        out.push('}');
    }
}

impl WriteJson for Amount {
    fn write_json(&self, out: &mut String) {
        decimal(out, self.0)
    }
}
