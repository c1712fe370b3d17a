//! Building entries that cannot be unbalanced: `finish` refuses one whose debits differ from its
//! credits by more than the rounding tolerance, and books any tolerated residue explicitly.

use super::{Amount, Entry, Line, Source};
use crate::error::{LedgerError, Result};
use crate::money::checked::{add_or_none, sub_or_none};
use crate::money::{self, Currency};
use rust_decimal::Decimal;

/// Which part of the business a posting belongs to, for the profit summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Revenue,
    Discount,
    Refund,
    Fee,
    Cogs,
    Other,
}

#[derive(Debug, Clone)]
pub struct Posting {
    pub account: String,
    /// Positive = debit, negative = credit.
    pub amount: Decimal,
    pub why: String,
    pub role: Role,
}

/// Collects postings for one entry.
#[derive(Debug)]
pub struct EntryBuilder {
    currency: Currency,
    postings: Vec<Posting>,
}

/// A finished entry plus the role of each line (same order), which the public shape leaves out.
#[derive(Debug, Clone)]
pub struct Built {
    pub entry: Entry,
    pub roles: Vec<Role>,
}

/// Where any tolerated residue goes, and what to name when the residue is too large.
pub struct Closing<'a> {
    pub rounding_account: &'a str,
    pub source_ref: &'a str,
    pub path: &'a str,
}

/// More lines than this in one entry means a broken or hostile payload; no target accepts it anyway.
pub const LINES_PER_ENTRY_MAX: usize = 2_000;

impl EntryBuilder {
    pub fn new(currency: Currency) -> Self {
        Self::with_capacity(currency, 0)
    }

    /// A builder with room for `lines` postings (an estimate; more still fit), sparing the list
    /// the reallocations of growing one posting at a time.
    pub fn with_capacity(currency: Currency, lines: usize) -> Self {
        Self {
            currency,
            postings: Vec::with_capacity(lines.min(LINES_PER_ENTRY_MAX)),
        }
    }

    pub fn debit(&mut self, account: impl Into<String>, amount: Decimal, why: String, role: Role) {
        self.push(account.into(), amount, why, role);
    }

    pub fn credit(&mut self, account: impl Into<String>, amount: Decimal, why: String, role: Role) {
        // Negation only flips the sign bit of a Decimal, so it cannot overflow.
        self.push(account.into(), -amount, why, role);
    }

    fn push(&mut self, account: String, amount: Decimal, why: String, role: Role) {
        if amount.is_zero() {
            return;
        }
        self.postings.push(Posting {
            account,
            amount,
            why,
            role,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.postings.is_empty()
    }

    /// Credits minus debits so far: what still has to be debited for the entry to balance.
    /// Amounts are capped at 10^15 each and lines at 2 000, so the sum cannot overflow today;
    /// checked all the same, an error naming `path` rather than a panic path in the module.
    pub(crate) fn balance_due(&self, path: impl money::checked::PathArg) -> Result<Decimal> {
        Ok(-money::checked::sum(
            self.postings.iter().map(|p| &p.amount),
            path,
        )?)
    }

    /// Balances the entry. A residue of at most one minor unit per line goes to the rounding
    /// account; anything larger is an error naming the source, never silently absorbed.
    pub fn finish(
        mut self,
        id: String,
        date: String,
        memo: String,
        source: Source,
        closing: &Closing<'_>,
    ) -> Result<Built> {
        let too_large = |value: &str| LedgerError::AmountTooLarge {
            path: closing.path.to_string(),
            value: value.to_string(),
        };
        if self.postings.len() > LINES_PER_ENTRY_MAX {
            return Err(LedgerError::LimitExceeded {
                path: closing.path.to_string(),
                what: "lines in one entry".to_string(),
                limit: LINES_PER_ENTRY_MAX,
            });
        }
        let mut debits = Decimal::ZERO;
        let mut credits = Decimal::ZERO;
        for posting in &mut self.postings {
            if !money::fits_minor_units(self.currency, posting.amount) {
                return Err(LedgerError::InvalidAmount {
                    path: closing.path.to_string(),
                    value: posting.amount.abs().to_string(),
                    reason: format!("more digits than {} has ({})", self.currency, posting.why),
                });
            }
            if posting.amount.is_sign_positive() {
                debits = add_or_none(debits, posting.amount).ok_or_else(|| too_large("debits"))?;
            } else {
                credits =
                    sub_or_none(credits, posting.amount).ok_or_else(|| too_large("credits"))?;
            }
        }
        let residue = sub_or_none(credits, debits).ok_or_else(|| too_large("credits"))?;
        if !residue.is_zero() {
            // One minor unit per line: the count at the currency's scale, no multiplication.
            let lines = self.postings.len().max(1) as i64;
            let tolerance = Decimal::new(lines, self.currency.minor_units());
            if residue.abs() > tolerance {
                return Err(LedgerError::UnbalancedSource {
                    path: closing.path.to_string(),
                    source_ref: closing.source_ref.to_string(),
                    debits: money::format_amount(self.currency, debits),
                    credits: money::format_amount(self.currency, credits),
                    difference: money::format_amount(self.currency, residue.abs()),
                    tolerance: money::format_amount(self.currency, tolerance),
                });
            }
            self.postings.push(Posting {
                account: closing.rounding_account.to_string(),
                amount: residue,
                why: format!(
                    "rounding: the source's amounts differ by {} {} from the lines they pay for",
                    money::format_amount(self.currency, residue.abs()),
                    self.currency
                ),
                role: Role::Other,
            });
        }
        // Debits first, then credits, each side in emission order (what a stable sort by sign
        // gave). A partition, not `sort_by_key`: the generic sort was several KB of each wasm module.
        if !self
            .postings
            .is_sorted_by_key(|p| p.amount.is_sign_negative())
        {
            let (mut debits, credits): (Vec<_>, Vec<_>) = std::mem::take(&mut self.postings)
                .into_iter()
                .partition(|p| !p.amount.is_sign_negative());
            debits.extend(credits);
            self.postings = debits;
        }
        let scale = self.currency.minor_units();
        let mut zero = Decimal::ZERO;
        zero.rescale(scale);
        let mut roles = Vec::with_capacity(self.postings.len());
        let lines = self
            .postings
            .into_iter()
            .map(|p| {
                roles.push(p.role);
                let mut abs = p.amount.abs();
                abs.rescale(scale);
                let (debit, credit) = if p.amount.is_sign_positive() {
                    (Amount(abs), Amount(zero))
                } else {
                    (Amount(zero), Amount(abs))
                };
                Line {
                    account: p.account,
                    debit,
                    credit,
                    why: p.why,
                }
            })
            .collect();
        let entry = Entry {
            id,
            date,
            currency: self.currency,
            memo,
            source,
            lines,
            links: Vec::new(),
        };
        debug_assert!(
            entry.check().is_ok(),
            "builder produced an unbalanced entry"
        );
        Ok(Built { entry, roles })
    }
}
