//! CSV: one row per line, `entry_id,date,account,debit,credit,currency,memo,source`, RFC 4180
//! quoting, `\n` line ends. The side a line is not on is left empty.

use super::source_ref;
use crate::journal::Entry;
use crate::money;

const HEADER: &str = "entry_id,date,account,debit,credit,currency,memo,source\n";

pub(super) fn export(entries: &[Entry]) -> String {
    let mut out = String::from(HEADER);
    for entry in entries {
        let source = source_ref(entry);
        for line in &entry.lines {
            let amount = |a: crate::journal::Amount| {
                if a.is_zero() {
                    String::new()
                } else {
                    money::format_amount(entry.currency, a.0)
                }
            };
            let fields = [
                field(&entry.id),
                field(&entry.date),
                field(&line.account),
                amount(line.debit),
                amount(line.credit),
                entry.currency.to_string(),
                field(&entry.memo),
                field(&source),
            ];
            out.push_str(&fields.join(","));
            out.push('\n');
        }
    }
    out
}

/// RFC 4180: quote a field holding a comma, quote, CR or LF, doubling inner quotes. Text that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`,
/// because memos come from store data that customers can influence.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-1,2"), "\"'-1,2\"");
    }
}
