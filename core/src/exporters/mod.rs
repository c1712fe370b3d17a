//! Exporters: finished entries → the text or JSON each ledger or accounting system takes.
//! They only format; every accounting decision was made by the engine. Every exporter is
//! deterministic (same entries ⇒ same bytes) and carries each entry's id, so a posted or imported
//! entry can always be traced back and deduplicated. Mapping tables: `docs/exports.md`.

mod beancount;
mod contacts;
mod csv;
mod document_preview;
mod documents;
mod hledger;
mod keys;
mod post_write;
mod preview_write;
mod qbo;
mod qbo_documents;
mod xero;
mod xero_documents;

pub use contacts::{contact_for, find_keys, Contact};
pub use document_preview::{
    document_preview, ContactView, DocumentPreview, DocumentView, LineView, PaymentView,
};
pub use documents::{sales_documents, DocumentKind, DocumentLine, LineKind, SalesDocument, Target};
pub use keys::{doc_number, DOC_NUMBER_MAX, IDEMPOTENCY_KEY_MAX, REQUEST_ID_MAX};
pub use qbo::{qbo_journal_body, qbo_journal_entry, qbo_request_id, QboJournalEntry};
pub use qbo_documents::{qbo_customer, qbo_document, qbo_document_request_id, QboPost};
pub use xero::{xero_idempotency_key, xero_journal_body, xero_manual_journal, ManualJournals};
pub use xero_documents::{xero_contact, xero_document, XeroPost};

use crate::error::{LedgerError, Result};
use crate::journal::Entry;
use crate::json::write::{to_string, Raw, WriteJson};
use crate::money::{self, Currency};
use crate::rules::Config;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Output formats of [`export`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// The entries themselves as a JSON array (the public entry shape).
    Json,
    /// A JSON array of QuickBooks Online `JournalEntry` bodies, one per entry.
    Qbo,
    /// One Xero `ManualJournals` document holding one journal per entry.
    Xero,
    /// A Beancount file: `open` directives, then the transactions by date and id.
    Beancount,
    /// An hledger journal that passes `hledger check -s`.
    Hledger,
    /// One CSV row per line (RFC 4180).
    Csv,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Json,
        Format::Qbo,
        Format::Xero,
        Format::Beancount,
        Format::Hledger,
        Format::Csv,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Qbo => "qbo",
            Format::Xero => "xero",
            Format::Beancount => "beancount",
            Format::Hledger => "hledger",
            Format::Csv => "csv",
        }
    }
}

impl FromStr for Format {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self> {
        Format::ALL
            .iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .copied()
            .ok_or_else(|| LedgerError::UnsupportedFormat {
                value: s.to_string(),
                expected: Format::ALL
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

/// Renders `entries` in `format`. Deterministic: the same entries give the same bytes.
///
/// Beancount and hledger order transactions by (date, id), as ledgers read chronologically; the
/// other formats keep the order of `entries`. Entries that came from outside are re-checked first.
pub fn export(entries: &[Entry], format: Format, config: &Config) -> Result<String> {
    for (i, entry) in entries.iter().enumerate() {
        entry.check().map_err(|e| e.within(&format!("[{i}]")))?;
    }
    match format {
        Format::Json => Ok(crate::json::write::to_string(entries)),
        Format::Qbo => qbo::export(entries, config),
        Format::Xero => xero::export(entries, config),
        Format::Beancount => beancount::export(entries),
        Format::Hledger => hledger::export(entries),
        Format::Csv => Ok(csv::export(entries)),
    }
}

/// Every request that posts an event's sales documents to `target`, in order, as a JSON array:
/// the contact first (once), then per document the document and, for Xero, its payment. Empty for
/// events that stay journals (payouts, disputes, platform expenses). docs/documents.md.
pub fn document_posts(
    platform: crate::platforms::Platform,
    payload: &[u8],
    config: &Config,
    target: Target,
) -> Result<String> {
    let (_, posts) = documents_and_posts(platform, payload, config, target)?;
    Ok(to_string(&posts))
}

/// The event's documents and their posts, built once: the poster sends the posts and the preview
/// shows the documents they were written from, so both come from this one function.
fn documents_and_posts(
    platform: crate::platforms::Platform,
    payload: &[u8],
    config: &Config,
    target: Target,
) -> Result<(Vec<SalesDocument>, Vec<Raw>)> {
    let event = platform.parse(payload)?;
    // A second read of the payload for its customer: journal mapping never needs it.
    let customer = crate::platforms::customer_of(platform, payload)?;
    let docs = sales_documents(platform, &event, customer.as_ref(), config, target)?;
    let mut posts: Vec<Raw> = Vec::new();
    let mut contacts: Vec<&str> = Vec::new();
    // Posts of different body types in one array, each written once.
    let raw = |v: &dyn WriteJson| Raw(to_string(v));
    for doc in &docs {
        if !contacts.contains(&doc.contact.key.as_str()) {
            contacts.push(&doc.contact.key);
            posts.push(match target {
                Target::Qbo => raw(&qbo_customer(&doc.contact)),
                Target::Xero => raw(&xero_contact(&doc.contact)),
            });
        }
        match target {
            Target::Qbo => posts.push(raw(&qbo_document(doc, config)?)),
            Target::Xero => {
                let (post, payment) = xero_document(doc, config)?;
                posts.push(raw(&post));
                if let Some(payment) = payment {
                    posts.push(raw(&payment));
                }
            }
        }
    }
    Ok((docs, posts))
}

/// Places an error inside entry `i`; config errors keep their config path (`exports.qbo`).
fn in_entry(e: LedgerError, i: usize) -> LedgerError {
    match e {
        LedgerError::Config { .. } => e,
        other => other.within(&format!("[{i}]")),
    }
}

/// An amount as a JSON number with exactly the currency's digits (`50.00`, `-4.13`, `5413`),
/// written from the decimal's text so that no binary float ever touches it.
fn json_number(currency: Currency, amount: Decimal) -> Raw {
    Raw(money::format_amount(currency, amount))
}

/// A quantity or unit price as a JSON number written from its decimal text (`2`, `12.5`).
fn plain(value: Decimal) -> Raw {
    Raw(value.normalize().to_string())
}

/// Text on one line: control characters (newlines, tabs) become spaces, because every line-based
/// format here would otherwise read the rest of the text as a new directive or row.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// At most `max` characters, cut on a character boundary.
fn truncate_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// `Shopify` for `shopify`: the payee the text ledgers show.
fn platform_title(platform: &str) -> String {
    let mut chars = platform.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `<platform>:<kind>:<source id>`, the short provenance the text formats carry beside the id.
fn source_ref(entry: &Entry) -> String {
    format!(
        "{}:{}:{}",
        entry.source.platform, entry.source.kind, entry.source.id
    )
}

/// Looks `account` up in one of the `[exports.*]` tables. A missing or empty mapping is an error,
/// never a guess, because posting to the wrong account is worse than not posting.
fn mapped_account<'a>(
    table: &'a std::collections::BTreeMap<String, String>,
    target: &str,
    account: &str,
) -> Result<&'a str> {
    match table.get(account).map(|v| v.trim()) {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(LedgerError::Config {
            path: format!("exports.{target}"),
            value: account.to_string(),
            reason: format!("no {target} account is mapped for ledger account {account:?}"),
        }),
    }
}

/// Indices of `entries` by (date, id); the sort is stable, so equal keys keep their order.
fn chronological(entries: &[Entry]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&entries[a], &entries[b]);
        (&x.date, &x.id).cmp(&(&y.date, &y.id))
    });
    order
}

/// Postings as `Account  amount CUR`, accounts padded to one width and amounts right-aligned, so the
/// text ledgers read as columns. Debits positive, credits negative.
fn posting_rows(entry: &Entry) -> Vec<String> {
    let amounts: Vec<String> = entry
        .lines
        .iter()
        .map(|l| money::format_amount(entry.currency, l.signed()))
        .collect();
    let account_width = entry
        .lines
        .iter()
        .map(|l| l.account.chars().count())
        .max()
        .unwrap_or(0);
    let amount_width = amounts.iter().map(String::len).max().unwrap_or(0);
    entry
        .lines
        .iter()
        .zip(&amounts)
        .map(|(line, amount)| {
            format!(
                "{:<account_width$}  {amount:>amount_width$} {}",
                line.account, entry.currency
            )
        })
        .collect()
}

/// `YYYY-MM-DD` naming a real calendar day: the text ledgers refuse anything else.
fn check_date(entry: &Entry) -> Result<()> {
    let d = entry.date.as_bytes();
    let shape = d.len() == 10
        && d.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let num =
        |range: std::ops::Range<usize>| entry.date.get(range).and_then(|s| s.parse::<u32>().ok());
    let valid = shape
        && match (num(0..4), num(5..7), num(8..10)) {
            (Some(year), Some(month), Some(day)) => {
                let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                let days = match month {
                    1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                    4 | 6 | 9 | 11 => 30,
                    2 if leap => 29,
                    2 => 28,
                    _ => 0,
                };
                day >= 1 && day <= days
            }
            _ => false,
        };
    if valid {
        Ok(())
    } else {
        Err(LedgerError::InvalidValue {
            path: "date".to_string(),
            value: entry.date.clone(),
            reason: "expected a calendar date YYYY-MM-DD".to_string(),
        })
    }
}
