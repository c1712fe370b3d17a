//! Entries read back from their JSON (an entries array from JS, a row of the worker's ledger) with
//! the core's [`Reader`] rather than serde derive.
//!
//! Why: every derived struct compiles its own copy of serde_json's struct walk into each wasm
//! build that reads it, and the worker reads stored entries on seven paths. Behaviour is the
//! derive's with `deny_unknown_fields`: the same members required, an unknown or repeated member
//! refused, amounts as non-negative decimal strings, and on bad input the same code and path
//! (`core/tests/entry_read.rs` holds the derive to that). As everywhere on the Reader, an object written
//! as a JSON array is refused with `E_INVALID_TYPE`, where serde read it field by field.

use super::entry::{Amount, Entry, Line, Source};
use crate::error::{LedgerError, Result};
use crate::json::{Reader, Seen};
use crate::money::{self, Currency};

/// serde's list of an object's fields, as its "unknown field" message gives them.
const ENTRY_FIELDS: &str = "one of `id`, `date`, `currency`, `memo`, `source`, `lines`, `links`";
const SOURCE_FIELDS: &str = "one of `platform`, `shop`, `kind`, `id`, `version`";
const LINE_FIELDS: &str = "one of `account`, `debit`, `credit`, `why`";

/// A JSON array of entries, the whole document.
pub fn entries_from_json(bytes: &[u8]) -> Result<Vec<Entry>> {
    let mut r = Reader::from_bytes(bytes)?;
    let entries = r.vec(read_entry)?;
    r.finish()?;
    Ok(entries)
}

/// One entry, the whole document (a stored row's `json`).
pub fn entry_from_json(text: &str) -> Result<Entry> {
    let mut r = Reader::new(text);
    let entry = read_entry(&mut r)?;
    r.finish()?;
    Ok(entry)
}

/// One entry object under the cursor.
pub fn read_entry(r: &mut Reader<'_>) -> Result<Entry> {
    let (mut id, mut date, mut currency, mut memo) = (None, None, None, None);
    let (mut source, mut lines, mut links) = (None, None, None);
    let mut obj = r.object()?;
    let mut seen = Seen::default();
    while let Some(key) = r.key(&mut obj)? {
        // The bit first, then one duplicate check: in every arm it was a call and an error
        // hand-over each (wasm bytes in every module that reads entries).
        let bit = match &*key {
            "id" => 0,
            "date" => 1,
            "currency" => 2,
            "memo" => 3,
            "source" => 4,
            "lines" => 5,
            "links" => 6,
            other => return Err(unknown(r, other, ENTRY_FIELDS)),
        };
        seen.first(r, bit, &key)?;
        match bit {
            0 => id = Some(r.string()?),
            1 => date = Some(r.string()?),
            2 => currency = Some(read_currency(r)?),
            3 => memo = Some(r.string()?),
            4 => source = Some(read_source(r)?),
            5 => lines = Some(r.vec(read_line)?),
            _ => links = Some(r.vec(Reader::string)?),
        }
    }
    // serde reports the first missing field in declaration order.
    Ok(Entry {
        id: id.ok_or_else(|| r.missing("id"))?,
        date: date.ok_or_else(|| r.missing("date"))?,
        currency: currency.ok_or_else(|| r.missing("currency"))?,
        memo: memo.ok_or_else(|| r.missing("memo"))?,
        source: source.ok_or_else(|| r.missing("source"))?,
        lines: lines.ok_or_else(|| r.missing("lines"))?,
        links: links.unwrap_or_default(),
    })
}

fn read_source(r: &mut Reader<'_>) -> Result<Source> {
    let mut fields: [Option<String>; 5] = Default::default();
    const NAMES: [&str; 5] = ["platform", "shop", "kind", "id", "version"];
    let mut obj = r.object()?;
    let mut seen = Seen::default();
    while let Some(key) = r.key(&mut obj)? {
        let Some(at) = NAMES.iter().position(|n| *n == key) else {
            return Err(unknown(r, &key, SOURCE_FIELDS));
        };
        seen.first(r, at as u32, NAMES[at])?;
        if let Some(slot) = fields.get_mut(at) {
            *slot = Some(r.string()?);
        }
    }
    let [platform, shop, kind, id, version] = fields;
    Ok(Source {
        platform: platform.ok_or_else(|| r.missing("platform"))?,
        shop: shop.ok_or_else(|| r.missing("shop"))?,
        kind: kind.ok_or_else(|| r.missing("kind"))?,
        id: id.ok_or_else(|| r.missing("id"))?,
        version: version.ok_or_else(|| r.missing("version"))?,
    })
}

fn read_line(r: &mut Reader<'_>) -> Result<Line> {
    let (mut account, mut debit, mut credit, mut why) = (None, None, None, None);
    let mut obj = r.object()?;
    let mut seen = Seen::default();
    while let Some(key) = r.key(&mut obj)? {
        let bit = match &*key {
            "account" => 0,
            "debit" => 1,
            "credit" => 2,
            "why" => 3,
            other => return Err(unknown(r, other, LINE_FIELDS)),
        };
        seen.first(r, bit, &key)?;
        match bit {
            0 => account = Some(r.string()?),
            1 => debit = Some(read_amount(r)?),
            2 => credit = Some(read_amount(r)?),
            _ => why = Some(r.string()?),
        }
    }
    Ok(Line {
        account: account.ok_or_else(|| r.missing("account"))?,
        debit: debit.ok_or_else(|| r.missing("debit"))?,
        credit: credit.ok_or_else(|| r.missing("credit"))?,
        why: why.ok_or_else(|| r.missing("why"))?,
    })
}

/// An amount as `Line`'s serde `amount_text` reads it: a JSON string (escapes decoded) holding a
/// decimal that is not negative. Its refusals keep the codes serde's messages were classified as:
/// `E_INVALID_AMOUNT` for text that is no decimal (too large included), `E_INVALID_TYPE` for a
/// negative one.
fn read_amount(r: &mut Reader<'_>) -> Result<Amount> {
    let text = r.str()?;
    let value = money::parse_decimal(&text).map_err(|e| LedgerError::InvalidAmount {
        path: r.path_here(),
        value: quoted(&text),
        reason: e.reason().to_string(),
    })?;
    if value.is_sign_negative() {
        return Err(LedgerError::InvalidType {
            path: r.path_here(),
            message: format!("negative amount {text:?}"),
        });
    }
    Ok(Amount(value))
}

fn read_currency(r: &mut Reader<'_>) -> Result<Currency> {
    let text = r.str()?;
    Currency::from_code(&text).ok_or_else(|| LedgerError::UnknownCurrency {
        path: r.path_here(),
        value: quoted(&text),
    })
}

/// The text as the serde path showed it: Rust-escaped, without the quotes.
fn quoted(text: &str) -> String {
    format!("{text:?}").trim_matches('"').to_string()
}

#[cold]
fn unknown(r: &Reader<'_>, key: &str, expected: &str) -> LedgerError {
    LedgerError::InvalidType {
        path: r.path_here(),
        message: format!("unknown field `{key}`, expected {expected}"),
    }
}
