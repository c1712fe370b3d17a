//! hledger: a journal that passes `hledger check -s` (every account and commodity declared).
//!
//! ```text
//! decimal-mark .
//!
//! commodity 1000.00 USD
//!
//! account Assets:Clearing:Shopify-Payments
//! account Income:Sales
//!
//! 2026-05-03 * (5551234-9f0c3a7b21) Shopify order #1001  ; entry_id:shopify:demo.myshopify.com:order:5551234:sale:1777816800
//!     Assets:Clearing:Shopify-Payments   25.00 USD
//!     Income:Sales                      -25.00 USD
//! ```

use super::{check_date, chronological, keys, one_line, posting_rows};
use crate::error::{LedgerError, Result};
use crate::journal::Entry;
use crate::money::{self, Currency};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::fmt::Write;

pub(super) fn export(entries: &[Entry]) -> Result<String> {
    let order = chronological(entries);
    let mut accounts: BTreeSet<&str> = BTreeSet::new();
    let mut currencies: BTreeSet<Currency> = BTreeSet::new();
    for &i in &order {
        let entry = &entries[i];
        check_date(entry).map_err(|e| e.within(&format!("[{i}]")))?;
        currencies.insert(entry.currency);
        for (j, line) in entry.lines.iter().enumerate() {
            check_account(&line.account)
                .map_err(|e| e.within(&format!("[{i}].lines[{j}].account")))?;
            accounts.insert(&line.account);
        }
    }
    if order.is_empty() {
        return Ok(String::new());
    }
    // Declared, so that `1.250 KWD` is never read with `.` as a thousands separator.
    let mut out = String::from("decimal-mark .\n\n");
    for currency in &currencies {
        // hledger insists on a decimal mark here, even for a currency without decimals (`1000.`).
        let mut sample = money::format_amount(*currency, Decimal::new(1000, 0));
        if currency.minor_units() == 0 {
            sample.push('.');
        }
        let _ = writeln!(out, "commodity {sample} {currency}");
    }
    out.push('\n');
    for account in &accounts {
        let _ = writeln!(out, "account {account}");
    }
    for &i in &order {
        let entry = &entries[i];
        let _ = writeln!(
            out,
            "\n{} * ({}) {}  ; entry_id:{}",
            entry.date,
            keys::doc_number(entry),
            description(&entry.memo),
            entry.id
        );
        for row in posting_rows(entry) {
            let _ = writeln!(out, "    {row}");
        }
    }
    Ok(out)
}

/// One line, and no `;`, which would start a comment and hide the rest of the memo.
fn description(memo: &str) -> String {
    one_line(memo).replace(';', ",").trim().to_string()
}

/// hledger ends an account name at two spaces or a tab and reads `(`/`[` as virtual postings.
fn check_account(account: &str) -> Result<()> {
    let ok = !account.is_empty()
        && account.trim() == account
        && !account.contains("  ")
        && !account.contains(';')
        && !account.starts_with(['(', '['])
        && !account.chars().any(char::is_control);
    if ok {
        return Ok(());
    }
    Err(LedgerError::InvalidValue {
        path: String::new(),
        value: account.to_string(),
        reason: "not an hledger account name: no leading/trailing or double spaces, control characters, ';', or leading '(' or '['".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::{check_account, description};

    #[test]
    fn accounts() {
        assert!(check_account("Assets:Bank").is_ok());
        assert!(check_account("assets:sales tax").is_ok());
        assert!(check_account("Assets:Bank  x").is_err());
        assert!(check_account(" Assets").is_err());
        assert!(check_account("(Assets)").is_err());
        assert!(check_account("Assets\tBank").is_err());
        assert!(check_account("").is_err());
    }

    #[test]
    fn descriptions_stay_on_the_header_line() {
        assert_eq!(description("Order #1; gift\nwrap "), "Order #1, gift wrap");
    }
}
