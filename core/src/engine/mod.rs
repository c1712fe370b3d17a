//! The engine joins the canonical model and the rules into journal entries.

mod dispute;
mod documents;
mod expense;
mod fee;
mod payout;
mod profit;
mod refund;
mod sale;
mod seen;
mod text;
mod write;

pub(crate) use refund::infer_taxes_included;

pub use profit::Profit;
pub use seen::Seen;

use crate::error::{LedgerError, Result, Warning};
use crate::journal::{Built, Closing, Entry, EntryBuilder, Source};
use crate::model::{Event, SourceFields, Timestamp};
pub(crate) use crate::money::checked::{add, add_or_none, mul, sub, sum, ItemPath, Lazy, PathArg};
use crate::money::Currency;
use crate::rules::{Config, DocumentMode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What one payload maps to: its entries, what to look at, and what the order earned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Mapped {
    pub entries: Vec<Entry>,
    pub warnings: Vec<Warning>,
    pub profit: Profit,
    /// Source objects this version of the payload describes but books nothing for (an order
    /// cancelled before it was paid). A ledger that booked an earlier version of one of them
    /// must reverse it: without this list a cancellation would look like "nothing happened".
    /// Left out of the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unbooked: Vec<Unbooked>,
    /// Parts of the payload refused while the rest booked (a refund that does not add up in an
    /// order whose sale does): one bad part must not sink the valid ones, and must not vanish
    /// either. Left out of the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<Rejected>,
}

/// A source part that could not be booked, and why (the error's stable code, its JSON path within
/// the payload, and its message).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Rejected {
    pub source: Source,
    pub code: String,
    pub path: String,
    pub message: String,
}

/// A source object at a version that books nothing, and the day that version happened on (the
/// date a reversal of an earlier booking belongs to).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Unbooked {
    pub source: Source,
    /// `YYYY-MM-DD`: the day of the version that booked nothing.
    pub date: String,
}

pub(crate) struct Ctx<'a> {
    pub config: &'a Config,
    pub fields: &'a SourceFields,
    pub warnings: Vec<Warning>,
    /// Account names derived from free text (tax titles, gateways), built once per payload: an
    /// order repeats the same few titles on every line.
    derived: Vec<(AccountKind, String, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccountKind {
    Tax,
    Clearing,
    Fee,
}

impl<'a> Ctx<'a> {
    pub fn new(config: &'a Config, fields: &'a SourceFields) -> Self {
        Self {
            config,
            fields,
            warnings: Vec::new(),
            derived: Vec::new(),
        }
    }

    /// The entry id and source an entry named by `head` gets.
    fn source(&self, head: &Head<'_>) -> (String, Source) {
        let (platform, shop) = (self.fields.platform, &self.config.shop);
        let version = text::text!(head.version.unix());
        // `journal::entry_id`'s layout, written in one go.
        let id = text::text!(
            platform,
            ":",
            shop,
            ":",
            head.resource,
            ":",
            head.id,
            ":",
            head.id_kind,
            ":",
            version
        );
        let source = Source {
            platform: platform.to_string(),
            shop: shop.clone(),
            kind: head.kind.to_string(),
            id: head.id.to_string(),
            version,
        };
        (id, source)
    }

    /// The source `head` names, booking nothing at this version; dated on the version's day.
    pub fn unbooked(&self, head: &Head<'_>) -> Unbooked {
        Unbooked {
            source: self.source(head).1,
            date: head.version.date().to_string(),
        }
    }

    /// Names the entry after its source object and balances it: the tail every entry kind shares.
    pub fn finish(&self, b: EntryBuilder, head: Head<'_>) -> Result<Built> {
        let (id, source) = self.source(&head);
        let closing = Closing {
            rounding_account: &self.config.accounts.rounding,
            source_ref: &head.memo,
            path: "",
        };
        let date = head.date.date().to_string();
        b.finish(id, date, head.memo.clone(), source, &closing)
    }

    /// The account for a tax title, gateway clearing or gateway fee, from the cache when seen.
    pub fn account(&mut self, kind: AccountKind, key: &str) -> String {
        if let Some((_, _, account)) = self.derived.iter().find(|(k, n, _)| *k == kind && n == key)
        {
            return account.clone();
        }
        let account = match kind {
            AccountKind::Tax => self.config.tax_account(key),
            AccountKind::Clearing => self.config.clearing_account(key),
            AccountKind::Fee => self.config.fee_account(key),
        };
        self.derived.push((kind, key.to_string(), account.clone()));
        account
    }

    /// The gateway whose fee account `account` is, among the gateways booked so far.
    pub fn gateway_of_fee_account(&self, account: &str) -> Option<String> {
        self.derived
            .iter()
            .find(|(kind, _, a)| *kind == AccountKind::Fee && a == account)
            .map(|(_, gateway, _)| gateway.clone())
    }

    /// The gateway name to book under. Shopify names none (`""`) for an order created through the
    /// Admin API with an outside payment; a clearing account for "no gateway" would never be
    /// cleared by a payout, so the money is owed like `manual`, as the other adapters already do.
    pub fn gateway<'g>(&mut self, name: &'g str, path: impl PathArg) -> &'g str {
        if !name.trim().is_empty() {
            return name;
        }
        self.warn(
            "W_UNNAMED_GATEWAY",
            path.render(),
            "no gateway named (an order created outside checkout): booked as manual, owed to the shop",
        );
        "manual"
    }

    pub fn warn(&mut self, code: &str, path: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning::new(code, path, message));
    }
}

/// What names an entry: the source object (`resource`/`id`), its revision (`version`), the
/// moment it is booked on (`date`, its local calendar day), and the memo. `id_kind` is the kind written into the entry id; it differs from `kind` only where one
/// object yields several entries (a dispute's opened/won/lost stages).
pub(crate) struct Head<'a> {
    pub kind: &'a str,
    pub id_kind: &'a str,
    pub resource: &'a str,
    pub id: &'a str,
    pub version: &'a Timestamp,
    pub date: &'a Timestamp,
    pub memo: String,
}

/// Maps one canonical event.
pub fn map_event(event: &Event, config: &Config, fields: &SourceFields) -> Result<Mapped> {
    let mut ctx = Ctx::new(config, fields);
    // An entry is large: growing the list from empty cost more than its one allocation.
    let mut built: Vec<Built> = Vec::with_capacity(match event {
        Event::Order(order) => 1 + order.refunds.len(),
        _ => 1,
    });
    let mut unbooked = Vec::new();
    let mut rejected: Vec<(Source, LedgerError)> = Vec::new();
    let currency = match event {
        Event::Order(order) => {
            match sale::sale_entry(order, &mut ctx)? {
                Some(sale) => built.push(sale),
                None => unbooked.push(ctx.unbooked(&sale::head(order, String::new()))),
            }
            for (i, refund) in order.refunds.iter().enumerate() {
                let path = ItemPath(fields.refunds, i);
                let context = refund::RefundContext::from_order(order);
                // A refused refund's warnings describe lines that were never booked.
                let warned = ctx.warnings.len();
                match refund::refund_entry(refund, &context, &mut ctx) {
                    Ok(entry) => built.extend(entry),
                    Err(e) => {
                        ctx.warnings.truncate(warned);
                        let head = refund::head(refund, String::new());
                        rejected.push((ctx.unbooked(&head).source, e.within(&path.to_string())));
                    }
                }
            }
            order.currency
        }
        Event::Refund(standalone) => {
            let context = refund::RefundContext::standalone(standalone);
            built.extend(refund::refund_entry(
                &standalone.refund,
                &context,
                &mut ctx,
            )?);
            standalone.currency
        }
        Event::Payout(payout) => {
            built.extend(payout::payout_entry(payout, &mut ctx)?);
            payout.currency
        }
        Event::Expense(expense) => {
            built.extend(expense::expense_entry(expense, &mut ctx)?);
            expense.currency
        }
        Event::Dispute(dispute) => {
            built.extend(dispute::dispute_entry(dispute, &mut ctx)?);
            dispute.currency
        }
    };
    if let (true, true, Some((_, error))) =
        (built.is_empty(), unbooked.is_empty(), rejected.first())
    {
        // Nothing of the payload could be mapped: the error is the answer, as for any bad input.
        return Err(error.clone());
    }
    let profit = Profit::from_built(currency, &built);
    // In document mode the sales documents book sales and refunds; their fees and cost of goods
    // stay journals. The profit above is the business's either way.
    if config.documents.mode == DocumentMode::Documents {
        let mut kept = Vec::with_capacity(built.len());
        for b in built {
            if matches!(b.entry.source.kind.as_str(), "sale" | "refund") {
                kept.extend(documents::costs_entry(&b, &mut ctx)?);
            } else {
                kept.push(b);
            }
        }
        built = kept;
    }
    Ok(Mapped {
        entries: built.into_iter().map(|b| b.entry).collect(),
        warnings: ctx.warnings,
        profit,
        unbooked,
        rejected: rejected
            .into_iter()
            .map(|(source, e)| Rejected {
                source,
                code: e.code().to_string(),
                path: e.path().to_string(),
                message: e.to_string(),
            })
            .collect(),
    })
}

/// Amounts must fit the booking currency before they are booked: `12.345` USD is an error, not a
/// silent rounding.
pub(crate) fn at_scale(currency: Currency, value: Decimal, path: impl PathArg) -> Result<Decimal> {
    if crate::money::fits_minor_units(currency, value) {
        Ok(value)
    } else {
        Err(LedgerError::InvalidAmount {
            path: path.render(),
            value: value.to_string(),
            reason: format!("{currency} has {} decimal places", currency.minor_units()),
        })
    }
}
