//! Stored day aggregates read back with the core's [`Reader`] rather than serde derive.
//!
//! Why: the derives on the aggregate's tree (eleven structs, maps keyed by currency and name,
//! tuples) each compiled serde_json's struct and map walks into the worker, which reads a stored
//! day on every report request. Behaviour is the derives': the same members required, a repeated
//! member refused, an unknown one skipped (none of these structs denies them), amounts as decimal
//! strings kept at their written scale. `core/tests/day_read.rs` holds the derive (kept on the
//! types as the oracle) to that, both ways, on real aggregates.

use super::clearing::Flow;
use super::daily::DayAggregate;
use super::sorted::SortedMap;
use super::{profit, refunds, tax, Acc, DisputeRow, Distinct, Figure};
use crate::error::{LedgerError, Result};
use crate::json::{Reader, Seen};
use crate::money::{self, Currency};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// One stored day aggregate, the whole document.
pub fn day_from_json(text: &str) -> Result<DayAggregate> {
    let mut r = Reader::new(text);
    let day = read_day(&mut r)?;
    r.finish()?;
    Ok(day)
}

fn read_day(r: &mut Reader<'_>) -> Result<DayAggregate> {
    const NAMES: [&str; 10] = [
        "date",
        "entries",
        "tax",
        "profit",
        "channel",
        "channels",
        "giftcards",
        "refunds",
        "disputes",
        "clearing",
    ];
    let mut day = DayAggregate::default();
    let mut date = None;
    members(r, &NAMES, &mut |r, at| {
        match at {
            0 => date = Some(r.string()?),
            1 => day.entries = by_currency(r, &mut |r| r.qty(u32::MAX))?,
            2 => day.tax = by_currency(r, &mut read_tax)?,
            3 => day.profit = by_currency(r, &mut read_profit)?,
            4 => day.channel = r.opt(Reader::string)?,
            5 => day.channels = by_name(r, &mut |r| by_currency(r, &mut read_profit))?,
            6 => day.giftcards = by_currency(r, &mut read_moves)?,
            7 => day.refunds = by_currency(r, &mut read_refunds)?,
            8 => day.disputes = by_name(r, &mut read_dispute)?,
            _ => day.clearing = by_name(r, &mut |r| by_currency(r, &mut read_flow))?,
        }
        Ok(())
    })?;
    day.date = date.ok_or_else(|| r.missing("date"))?;
    Ok(day)
}

fn read_tax(r: &mut Reader<'_>) -> Result<tax::Period> {
    const NAMES: [&str; 5] = ["total", "untaxed", "refunds", "orders", "rows"];
    let mut p = tax::Period::default();
    let mut rows = None;
    members(r, &NAMES, &mut |r, at| {
        match at {
            0 => p.total = read_acc(r)?,
            1 => p.untaxed = read_acc(r)?,
            2 => p.refunds = read_acc(r)?,
            3 => p.orders = read_distinct(r)?,
            _ => rows = Some(by_name(r, &mut read_tax_row)?),
        }
        Ok(())
    })?;
    p.rows = rows.ok_or_else(|| r.missing("rows"))?;
    Ok(p)
}

fn read_tax_row(r: &mut Reader<'_>) -> Result<tax::Row> {
    const NAMES: [&str; 7] = [
        "taxable",
        "taxable_refunds",
        "collected",
        "refunded",
        "net",
        "non_taxable",
        "orders",
    ];
    let mut row = tax::Row::default();
    members(r, &NAMES, &mut |r, at| {
        let acc = match at {
            0 => &mut row.taxable,
            1 => &mut row.taxable_refunds,
            2 => &mut row.collected,
            3 => &mut row.refunded,
            4 => &mut row.net,
            5 => &mut row.non_taxable,
            _ => {
                row.orders = read_distinct(r)?;
                return Ok(());
            }
        };
        *acc = read_acc(r)?;
        Ok(())
    })?;
    Ok(row)
}

fn read_profit(r: &mut Reader<'_>) -> Result<profit::Row> {
    const NAMES: [&str; 11] = [
        "revenue",
        "shipping",
        "discounts",
        "refunds",
        "fees",
        "cogs",
        "labels",
        "chargebacks",
        "margin",
        "orders",
        "missing",
    ];
    let mut row = profit::Row::default();
    members(r, &NAMES, &mut |r, at| {
        let acc = match at {
            0 => &mut row.revenue,
            1 => &mut row.shipping,
            2 => &mut row.discounts,
            3 => &mut row.refunds,
            4 => &mut row.fees,
            5 => &mut row.cogs,
            6 => &mut row.labels,
            7 => &mut row.chargebacks,
            8 => &mut row.margin,
            9 => {
                row.orders = read_distinct(r)?;
                return Ok(());
            }
            _ => {
                row.missing = read_set(r)?;
                return Ok(());
            }
        };
        *acc = read_acc(r)?;
        Ok(())
    })?;
    Ok(row)
}

fn read_refunds(r: &mut Reader<'_>) -> Result<refunds::Period> {
    const NAMES: [&str; 7] = [
        "sales", "orders", "refunded", "refunds", "opened", "won", "lost",
    ];
    let mut p = refunds::Period::default();
    members(r, &NAMES, &mut |r, at| {
        let acc = match at {
            0 => &mut p.sales,
            2 => &mut p.refunded,
            4 => &mut p.opened,
            5 => &mut p.won,
            6 => &mut p.lost,
            _ => {
                let set = if at == 1 {
                    &mut p.orders
                } else {
                    &mut p.refunds
                };
                *set = read_distinct(r)?;
                return Ok(());
            }
        };
        *acc = read_acc(r)?;
        Ok(())
    })?;
    Ok(p)
}

fn read_flow(r: &mut Reader<'_>) -> Result<Flow> {
    const NAMES: [&str; 3] = ["money_in", "money_out", "net"];
    let mut flow = Flow::default();
    members(r, &NAMES, &mut |r, at| {
        let acc = match at {
            0 => &mut flow.money_in,
            1 => &mut flow.money_out,
            _ => &mut flow.net,
        };
        *acc = read_acc(r)?;
        Ok(())
    })?;
    Ok(flow)
}

/// Gift cards sold and redeemed: a two-item array, as serde writes a tuple.
fn read_moves(r: &mut Reader<'_>) -> Result<(Acc, Acc)> {
    let mut arr = r.array()?;
    let sold = pair_item(r, &mut arr, read_acc)?;
    let redeemed = pair_item(r, &mut arr, read_acc)?;
    pair_end(r, &mut arr)?;
    Ok((sold, redeemed))
}

/// A dispute's row and its running balance: `[row, "amount"]`.
fn read_dispute(r: &mut Reader<'_>) -> Result<(DisputeRow, Decimal)> {
    let mut arr = r.array()?;
    let row = pair_item(r, &mut arr, read_dispute_row)?;
    let balance = pair_item(r, &mut arr, read_decimal)?;
    pair_end(r, &mut arr)?;
    Ok((row, balance))
}

fn pair_item<'a, T>(
    r: &mut Reader<'a>,
    arr: &mut crate::json::Array,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T>,
) -> Result<T> {
    if !r.item(arr)? {
        return Err(LedgerError::InvalidType {
            path: r.path_here(),
            message: format!("invalid length {}, expected a tuple of size 2", arr.len()),
        });
    }
    read(r)
}

fn pair_end(r: &mut Reader<'_>, arr: &mut crate::json::Array) -> Result<()> {
    if r.item(arr)? {
        return Err(r.refuse_next("trailing characters"));
    }
    Ok(())
}

fn read_dispute_row(r: &mut Reader<'_>) -> Result<DisputeRow> {
    const NAMES: [&str; 5] = ["dispute", "currency", "status", "date", "amount"];
    let (mut texts, mut currency, mut amount): ([Option<String>; 3], _, _) =
        (Default::default(), None, None);
    members(r, &NAMES, &mut |r, at| {
        match at {
            1 => currency = Some(read_currency(r)?),
            4 => amount = Some(read_figure(r)?),
            _ => {
                // dispute, status, date: members 0, 2, 3.
                if let Some(slot) = texts.get_mut(at.saturating_sub(1)) {
                    *slot = Some(r.string()?);
                }
            }
        }
        Ok(())
    })?;
    let [dispute, status, date] = texts;
    Ok(DisputeRow {
        dispute: dispute.ok_or_else(|| r.missing("dispute"))?,
        currency: currency.ok_or_else(|| r.missing("currency"))?,
        status: status.ok_or_else(|| r.missing("status"))?,
        date: date.ok_or_else(|| r.missing("date"))?,
        amount: amount.ok_or_else(|| r.missing("amount"))?,
    })
}

fn read_figure(r: &mut Reader<'_>) -> Result<Figure> {
    let (mut amount, mut entries) = (None, None);
    members(r, &["amount", "entries"], &mut |r, at| {
        if at == 0 {
            amount = Some(r.string()?);
        } else {
            entries = Some(r.vec(Reader::string)?);
        }
        Ok(())
    })?;
    Ok(Figure {
        amount: amount.ok_or_else(|| r.missing("amount"))?,
        entries: entries.ok_or_else(|| r.missing("entries"))?,
    })
}

/// A running amount, stored compactly: `a` the amount, `e` the ids (left out when empty).
fn read_acc(r: &mut Reader<'_>) -> Result<Acc> {
    let mut amount = None;
    let mut entries = Vec::new();
    members(r, &["a", "e"], &mut |r, at| {
        if at == 0 {
            amount = Some(read_decimal(r)?);
        } else {
            entries = r.vec(Reader::string)?;
        }
        Ok(())
    })?;
    Ok(Acc {
        amount: amount.ok_or_else(|| r.missing("a"))?,
        entries,
    })
}

fn read_distinct(r: &mut Reader<'_>) -> Result<Distinct> {
    let mut d = Distinct::default();
    members(r, &["n", "ids"], &mut |r, at| {
        if at == 0 {
            d.n = r.qty(u32::MAX)?;
        } else {
            d.ids = read_set(r)?;
        }
        Ok(())
    })?;
    Ok(d)
}

fn read_set(r: &mut Reader<'_>) -> Result<BTreeSet<String>> {
    let mut set = BTreeSet::new();
    r.each(&mut |r| {
        set.insert(r.string()?);
        Ok(())
    })?;
    Ok(set)
}

/// A decimal string, at the scale it was written with (`1.50` stays two places).
fn read_decimal(r: &mut Reader<'_>) -> Result<Decimal> {
    let text = r.str()?;
    money::parse_decimal(&text).map_err(|e| LedgerError::InvalidValue {
        path: r.path_here(),
        value: text.into_owned(),
        reason: e.reason().to_string(),
    })
}

fn read_currency(r: &mut Reader<'_>) -> Result<Currency> {
    let text = r.str()?;
    currency(r, text)
}

fn currency(r: &Reader<'_>, text: Cow<'_, str>) -> Result<Currency> {
    Currency::from_code(&text).ok_or_else(|| LedgerError::UnknownCurrency {
        path: r.path_here(),
        value: text.into_owned(),
    })
}

/// A map keyed by currency code; a repeated key keeps the last value, as serde's map does.
fn by_currency<'a, V>(
    r: &mut Reader<'a>,
    value: &mut dyn FnMut(&mut Reader<'a>) -> Result<V>,
) -> Result<SortedMap<Currency, V>> {
    let mut map = SortedMap::new();
    entries(r, &mut |r, key| {
        let key = currency(r, key)?;
        map.insert(key, value(r)?);
        Ok(())
    })?;
    Ok(map)
}

/// A map keyed by name (an account, a channel, a dispute).
fn by_name<'a, V>(
    r: &mut Reader<'a>,
    value: &mut dyn FnMut(&mut Reader<'a>) -> Result<V>,
) -> Result<SortedMap<String, V>> {
    let mut map = SortedMap::new();
    entries(r, &mut |r, key| {
        map.insert(key.into_owned(), value(r)?);
        Ok(())
    })?;
    Ok(map)
}

/// Calls `member` with each key of an object, the cursor at its value. Not generic, so the
/// object walk is compiled once.
fn entries<'a>(
    r: &mut Reader<'a>,
    member: &mut dyn FnMut(&mut Reader<'a>, Cow<'a, str>) -> Result<()>,
) -> Result<()> {
    let mut obj = r.object()?;
    while let Some(key) = r.key(&mut obj)? {
        member(r, key)?;
    }
    Ok(())
}

/// Calls `field` with the index in `names` of each known member (a repeated one refused, as the
/// derive does); unknown members are skipped.
fn members<'a>(
    r: &mut Reader<'a>,
    names: &[&str],
    field: &mut dyn FnMut(&mut Reader<'a>, usize) -> Result<()>,
) -> Result<()> {
    let mut seen = Seen::default();
    entries(
        r,
        &mut |r, key| match names.iter().position(|n| *n == key) {
            Some(at) => {
                seen.first(r, at as u32, names.get(at).copied().unwrap_or_default())?;
                field(r, at)
            }
            None => r.skip(),
        },
    )
}
