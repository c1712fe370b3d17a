//! QuickBooks Online: one `JournalEntry` body per entry, for `POST /v3/company/{realm}/journalentry`.

use super::{in_entry, json_number, keys, mapped_account, truncate_chars};
use crate::error::{LedgerError, Result};
use crate::journal::Entry;
use crate::json::write::{to_string, Raw};
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::Serialize;

/// `Description` and `PrivateNote` limit.
const TEXT_MAX: usize = 4000;
/// QuickBooks amounts have at most 10 integer digits ("10.5 format").
const AMOUNT_LIMIT: u64 = 10_000_000_000;

/// A `JournalEntry` body. The worker writes it with `json::write` (exporters/post_write.rs); the
/// derive is the oracle `core/tests/post_write.rs` holds that writer to.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QboJournalEntry<'a> {
    pub(super) txn_date: &'a str,
    pub(super) doc_number: String,
    pub(super) private_note: String,
    pub(super) currency_ref: Ref<'a>,
    pub(super) line: Vec<JournalLine<'a>>,
}

#[derive(Serialize)]
pub(super) struct Ref<'a> {
    pub(super) value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct JournalLine<'a> {
    pub(super) detail_type: &'static str,
    pub(super) amount: Raw,
    pub(super) description: String,
    pub(super) journal_entry_line_detail: LineDetail<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct LineDetail<'a> {
    pub(super) posting_type: &'static str,
    pub(super) account_ref: Ref<'a>,
}

/// The `requestid` query parameter for posting `entry`: `lb1-` + 32 hex digits of a 128-bit hash of
/// the entry id (36 chars, within both the 50-char single and 36-char batch limits). QuickBooks
/// answers a repeated `requestid` with the original response, so a retried post is not duplicated.
pub fn qbo_request_id(entry: &Entry) -> String {
    keys::hashed_key(entry)
}

/// The `JournalEntry` body for one entry, as JSON text (amounts are JSON numbers written from the
/// decimal text, which `serde_json::Value` could not keep exact). Every account must be mapped in
/// `[exports.qbo]`; a missing one is an `E_CONFIG` error at `exports.qbo` naming the account.
pub fn qbo_journal_entry(entry: &Entry, config: &Config) -> Result<String> {
    entry.check()?;
    Ok(to_string(&qbo_journal_body(entry, config)?))
}

/// A JSON array of the bodies, in the order of `entries` (each is posted on its own).
pub(super) fn export(entries: &[Entry], config: &Config) -> Result<String> {
    let bodies = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| qbo_journal_body(entry, config).map_err(|e| in_entry(e, i)))
        .collect::<Result<Vec<_>>>()?;
    Ok(to_string(&bodies))
}

/// The body [`qbo_journal_entry`] writes, unchecked (the caller checked the entry).
pub fn qbo_journal_body<'a>(entry: &'a Entry, config: &'a Config) -> Result<QboJournalEntry<'a>> {
    let mut lines = Vec::with_capacity(entry.lines.len());
    for (i, line) in entry.lines.iter().enumerate() {
        let (posting_type, side, amount) = if line.is_debit() {
            ("Debit", "debit", line.debit.0)
        } else {
            ("Credit", "credit", line.credit.0)
        };
        if amount >= Decimal::from(AMOUNT_LIMIT) {
            return Err(LedgerError::InvalidAmount {
                path: format!("lines[{i}].{side}"),
                value: amount.to_string(),
                reason: "QuickBooks takes at most 10 integer digits".to_string(),
            });
        }
        lines.push(JournalLine {
            detail_type: "JournalEntryLineDetail",
            amount: json_number(entry.currency, amount),
            description: truncate_chars(&line.why, TEXT_MAX),
            journal_entry_line_detail: LineDetail {
                posting_type,
                account_ref: Ref {
                    value: mapped_account(&config.exports.qbo, "qbo", &line.account)?,
                    name: Some(&line.account),
                },
            },
        });
    }
    Ok(QboJournalEntry {
        txn_date: &entry.date,
        doc_number: keys::doc_number(entry),
        // The id goes first so that a long memo is what gets cut, never the id.
        private_note: truncate_chars(&format!("{} {}", entry.id, entry.memo), TEXT_MAX),
        currency_ref: Ref {
            value: entry.currency.code(),
            name: None,
        },
        line: lines,
    })
}
