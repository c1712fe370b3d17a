//! Xero: `ManualJournals` documents for `PUT /api.xro/2.0/ManualJournals`.
//!
//! Manual journals are booked in the organisation's base currency and carry no currency field, so
//! entries sent here must already be in that currency.

use super::{in_entry, json_number, mapped_account};
use crate::error::Result;
use crate::journal::Entry;
use crate::json::write::{to_string, Raw};
use crate::rules::Config;
use serde::Serialize;

/// A `ManualJournals` document. The worker writes it with `json::write` (exporters/post_write.rs);
/// the derive is the oracle `core/tests/post_write.rs` holds that writer to.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManualJournals<'a> {
    pub(super) manual_journals: Vec<ManualJournal<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ManualJournal<'a> {
    pub(super) narration: String,
    pub(super) date: &'a str,
    pub(super) line_amount_types: &'static str,
    pub(super) status: &'static str,
    pub(super) journal_lines: Vec<JournalLine<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct JournalLine<'a> {
    pub(super) line_amount: Raw,
    pub(super) account_code: &'a str,
    pub(super) description: &'a str,
}

/// The `Idempotency-Key` header for posting `entry` (≤ 128 chars): the entry id itself when it
/// fits and is plain visible ASCII (exact, and readable in Xero's logs), otherwise `lb1-` + 32 hex
/// digits of a 128-bit hash of the id.
pub fn xero_idempotency_key(entry: &Entry) -> String {
    let plain = entry.id.bytes().all(|b| b.is_ascii_graphic());
    if plain && !entry.id.is_empty() && entry.id.len() <= super::IDEMPOTENCY_KEY_MAX {
        entry.id.clone()
    } else {
        super::keys::hashed_key(entry)
    }
}

/// The request body for one entry: a `ManualJournals` document holding exactly one journal, so
/// that one idempotency key stands for one outcome (Xero reports per-journal errors inside a 200).
/// Every account must be mapped in `[exports.xero]`; a missing one is an `E_CONFIG` error at
/// `exports.xero` naming the account.
pub fn xero_manual_journal(entry: &Entry, config: &Config) -> Result<String> {
    entry.check()?;
    let doc = ManualJournals {
        manual_journals: vec![journal(entry, config)?],
    };
    Ok(to_string(&doc))
}

/// One `ManualJournals` document with a journal per entry, in the order of `entries`.
pub(super) fn export(entries: &[Entry], config: &Config) -> Result<String> {
    Ok(to_string(&xero_journal_body(entries, config)?))
}

/// The document [`export`](super::export) writes for `entries`, unchecked (the caller checked them).
pub fn xero_journal_body<'a>(
    entries: &'a [Entry],
    config: &'a Config,
) -> Result<ManualJournals<'a>> {
    let manual_journals = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| journal(entry, config).map_err(|e| in_entry(e, i)))
        .collect::<Result<Vec<_>>>()?;
    Ok(ManualJournals { manual_journals })
}

fn journal<'a>(entry: &'a Entry, config: &'a Config) -> Result<ManualJournal<'a>> {
    let journal_lines = entry
        .lines
        .iter()
        .map(|line| {
            Ok(JournalLine {
                // Debits positive, credits negative, as Xero defines `LineAmount`.
                line_amount: json_number(entry.currency, line.signed()),
                account_code: mapped_account(&config.exports.xero, "xero", &line.account)?,
                description: &line.why,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ManualJournal {
        narration: format!("{} [{}]", entry.memo, entry.id),
        date: &entry.date,
        line_amount_types: "NoTax",
        status: "POSTED",
        journal_lines,
    })
}
