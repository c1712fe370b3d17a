//! Beancount: `open` directives for every account, then one transaction per entry.
//!
//! ```text
//! 2026-05-03 open Assets:Clearing:Shopify-Payments USD
//!
//! 2026-05-03 * "Shopify" "Shopify order #1001"
//!   entry_id: "shopify:demo.myshopify.com:order:5551234:sale:1777816800"
//!   source: "shopify:sale:5551234"
//!   Assets:Clearing:Shopify-Payments  25.00 USD
//!   Income:Sales                     -25.00 USD
//! ```

use super::{check_date, chronological, one_line, platform_title, posting_rows, source_ref};
use crate::error::{LedgerError, Result};
use crate::journal::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

const ROOTS: [&str; 5] = ["Assets", "Liabilities", "Equity", "Income", "Expenses"];

pub(super) fn export(entries: &[Entry]) -> Result<String> {
    let order = chronological(entries);
    let mut opened: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for &i in &order {
        let entry = &entries[i];
        check_date(entry).map_err(|e| e.within(&format!("[{i}]")))?;
        for (j, line) in entry.lines.iter().enumerate() {
            check_account(&line.account)
                .map_err(|e| e.within(&format!("[{i}].lines[{j}].account")))?;
            opened
                .entry(&line.account)
                .or_default()
                .insert(entry.currency.code());
        }
    }
    let Some(&first) = order.first() else {
        return Ok(String::new());
    };
    // Every account opens on the earliest date, so that any entry may post to any account.
    let open_date = &entries[first].date;
    let mut out = String::new();
    for (account, currencies) in &opened {
        let currencies: Vec<&str> = currencies.iter().copied().collect();
        let _ = writeln!(out, "{open_date} open {account} {}", currencies.join(","));
    }
    for &i in &order {
        let entry = &entries[i];
        let _ = write!(
            out,
            "\n{} * {} {}\n  entry_id: {}\n  source: {}\n",
            entry.date,
            quoted(&platform_title(&entry.source.platform)),
            quoted(&entry.memo),
            quoted(&entry.id),
            quoted(&source_ref(entry)),
        );
        for row in posting_rows(entry) {
            let _ = writeln!(out, "  {row}");
        }
    }
    Ok(out)
}

/// A Beancount string literal: backslash and quote escaped, kept on one line.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in one_line(text).chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Beancount accepts `Root:Component:...` with one of five roots and components that start with a
/// capital letter or a digit and hold letters, digits and `-`. Anything else fails `bean-check`,
/// so it is refused here with the line's path instead.
fn check_account(account: &str) -> Result<()> {
    let mut parts = account.split(':');
    let root_ok = parts.next().is_some_and(|root| ROOTS.contains(&root));
    let mut rest = parts.peekable();
    let rest_ok = rest.peek().is_some()
        && rest.all(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
                && chars.all(|c| c.is_alphanumeric() || c == '-')
        });
    if root_ok && rest_ok {
        return Ok(());
    }
    Err(LedgerError::InvalidValue {
        path: String::new(),
        value: account.to_string(),
        reason: format!(
            "not a Beancount account: needs a root ({}) and components that start with a capital letter or digit and hold only letters, digits and '-'",
            ROOTS.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::{check_account, quoted};

    #[test]
    fn accounts() {
        assert!(check_account("Assets:Clearing:Shopify-Payments").is_ok());
        assert!(check_account("Liabilities:SalesTax:VAT-20").is_ok());
        assert!(check_account("Income:2026").is_ok());
        assert!(check_account("Assets").is_err());
        assert!(check_account("Revenue:Sales").is_err());
        assert!(check_account("Income:sales").is_err());
        assert!(check_account("Income:Sales Tax").is_err());
        assert!(check_account("Income::Sales").is_err());
    }

    #[test]
    fn strings_are_escaped_on_one_line() {
        assert_eq!(quoted(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quoted("x\ny"), r#""x y""#);
    }
}
