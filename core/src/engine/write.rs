//! `Mapped`'s hand-written JSON (`json::write`), the text every face returns for a payload: the
//! same bytes as its serde derives, field for field in their order (`core/tests/json_write.rs` checks
//! it on every fixture). A field added to one of these types must be added here too.

use super::{Mapped, Profit, Rejected, Unbooked};
use crate::error::Warning;
use crate::json::write::{string, WriteJson};

impl WriteJson for Mapped {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"entries\":");
        self.entries.write_json(out);
        out.push_str(",\"warnings\":");
        self.warnings.write_json(out);
        out.push_str(",\"profit\":");
        self.profit.write_json(out);
        if !self.unbooked.is_empty() {
            out.push_str(",\"unbooked\":");
            self.unbooked.write_json(out);
        }
        if !self.rejected.is_empty() {
            out.push_str(",\"rejected\":");
            self.rejected.write_json(out);
        }
        out.push('}');
    }

    fn size_hint(&self) -> usize {
        240 + self.entries.size_hint()
            + 200 * (self.warnings.len() + self.unbooked.len() + self.rejected.len())
    }
}

impl WriteJson for Warning {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"code\":");
        string(out, &self.code);
        out.push_str(",\"path\":");
        string(out, &self.path);
        out.push_str(",\"message\":");
        string(out, &self.message);
        out.push('}');
    }
}

impl WriteJson for Profit {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"currency\":");
        string(out, self.currency.code());
        for (key, value) in [
            (",\"revenue\":", &self.revenue),
            (",\"discounts\":", &self.discounts),
            (",\"refunds\":", &self.refunds),
            (",\"fees\":", &self.fees),
            (",\"cogs\":", &self.cogs),
            (",\"margin\":", &self.margin),
        ] {
            out.push_str(key);
            string(out, value);
        }
        out.push('}');
    }
}

impl WriteJson for Unbooked {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"source\":");
        self.source.write_json(out);
        out.push_str(",\"date\":");
        string(out, &self.date);
        out.push('}');
    }
}

impl WriteJson for Rejected {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"source\":");
        self.source.write_json(out);
        out.push_str(",\"code\":");
        string(out, &self.code);
        out.push_str(",\"path\":");
        string(out, &self.path);
        out.push_str(",\"message\":");
        string(out, &self.message);
        out.push('}');
    }
}
