//! Display totals of an entry (the preview widget's totals row), read off the core's own balance
//! check so no face ever adds money itself: a balanced entry's Σdebit = Σcredit = `Entry::checked_total`,
//! an unbalanced one reports the sums its `E_UNBALANCED` error already carries.

use super::Entry;
use crate::error::{ErrorDetail, LedgerError};
use crate::json::write::{self, WriteJson};
use crate::money::format_amount;
use serde::Serialize;

/// Display totals of an entry, from the core's balance check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntryTotals {
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub debits: String,
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub credits: String,
    pub balanced: bool,
    /// Set when the entry is malformed rather than merely unbalanced; the sums are then empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub error: Option<ErrorDetail>,
}

/// By the core's writer (the bytes serde_json gives, `core/tests/json_write.rs`), so `entryTotals`
/// links no serde_json serializer into the widget's lean modules.
impl WriteJson for EntryTotals {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"debits\":");
        write::string(out, &self.debits);
        out.push_str(",\"credits\":");
        write::string(out, &self.credits);
        out.push_str(",\"balanced\":");
        out.push_str(if self.balanced { "true" } else { "false" });
        if let Some(e) = &self.error {
            out.push_str(",\"error\":{\"code\":");
            write::string(out, &e.code);
            out.push_str(",\"path\":");
            write::string(out, &e.path);
            out.push_str(",\"message\":");
            write::string(out, &e.message);
            out.push('}');
        }
        out.push('}');
    }
}

pub fn totals(entry: &Entry) -> EntryTotals {
    match entry.checked_total() {
        Ok(total) => {
            let total = format_amount(entry.currency, total);
            EntryTotals {
                debits: total.clone(),
                credits: total,
                balanced: true,
                error: None,
            }
        }
        Err(LedgerError::Unbalanced {
            debits, credits, ..
        }) => EntryTotals {
            debits,
            credits,
            balanced: false,
            error: None,
        },
        Err(other) => EntryTotals {
            debits: String::new(),
            credits: String::new(),
            balanced: false,
            error: Some(other.to_detail()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(lines: &str) -> Entry {
        let json = format!(
            r#"{{"id":"e","date":"2026-05-03","currency":"USD","memo":"m",
            "source":{{"platform":"shopify","shop":"s","kind":"sale","id":"1","version":"1"}},
            "lines":[{lines}]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    fn line(debit: &str, credit: &str) -> String {
        format!(r#"{{"account":"A","debit":"{debit}","credit":"{credit}","why":"w"}}"#)
    }

    #[test]
    fn balanced_entry_shows_its_total_on_both_sides() {
        let e = entry(&[line("12.5", "0"), line("0", "7.25"), line("0", "5.25")].join(","));
        let json = serde_json::to_string(&totals(&e)).unwrap();
        assert_eq!(
            json,
            r#"{"debits":"12.50","credits":"12.50","balanced":true}"#
        );
    }

    #[test]
    fn unbalanced_entry_shows_both_sums() {
        let e = entry(&[line("10.00", "0"), line("0", "9.99")].join(","));
        let json = serde_json::to_string(&totals(&e)).unwrap();
        assert_eq!(
            json,
            r#"{"debits":"10.00","credits":"9.99","balanced":false}"#
        );
    }

    #[test]
    fn malformed_entry_carries_the_error_instead_of_sums() {
        let e = entry(&line("1.00", "1.00"));
        let t = totals(&e);
        assert_eq!(
            (t.debits.as_str(), t.credits.as_str(), t.balanced),
            ("", "", false)
        );
        let error = t
            .error
            .unwrap_or_else(|| unreachable!("a line with two sides is malformed"));
        assert_eq!(
            (error.code.as_str(), error.path.as_str()),
            ("E_INVALID_VALUE", "lines[0]")
        );
    }
}
