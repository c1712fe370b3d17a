//! Report answers written by the core's [`json::write`](crate::json::write) instead of serde's
//! `Serialize` derives: the worker answers every report request with one of these trees, and
//! serde_json's serializer monomorphised over the 15 report types was a sizeable part of its
//! bundle. Same bytes as `serde_json::to_string` (fields in declaration order, `kind` first as
//! the internally tagged enum writes it); `core/tests/reports.rs` holds them to the derives on every
//! golden, which stay as that oracle and for the npm face.

use super::clearing::{
    ClearingAccount, ClearingPayout, ClearingPeriod, ClearingReport, UnsettledItem,
};
use super::giftcards::{GiftCardPeriod, GiftCardReport};
use super::profit::{ProfitReport, ProfitRow};
use super::refunds::{DisputeRow, RefundPeriod, RefundReport};
use super::tax::{TaxAccountRow, TaxPeriod, TaxReport};
use super::{Figure, Report};
use crate::json::write::{Obj, WriteJson};

impl WriteJson for Figure {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("amount", &self.amount)
            .val("entries", &self.entries)
            .end();
    }
}

impl WriteJson for Report {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        match self {
            Report::Tax(r) => r.members(obj.str("kind", "tax")),
            Report::Profit(r) => r.members(obj.str("kind", "profit")),
            Report::Clearing(r) => r.members(obj.str("kind", "clearing")),
            Report::GiftCards(r) => r.members(obj.str("kind", "giftcards")),
            Report::Refunds(r) => r.members(obj.str("kind", "refunds")),
        }
        obj.end();
    }

    fn size_hint(&self) -> usize {
        4096
    }
}

/// A struct's members, written into an object someone else opened (the report's own, after
/// `kind`, or its own).
trait Members {
    fn members(&self, o: &mut Obj);
}

macro_rules! as_object {
    ($($t:ty),*) => {$(
        impl WriteJson for $t {
            fn write_json(&self, out: &mut String) {
                let mut obj = Obj::new(out);
                self.members(&mut obj);
                obj.end();
            }
        }
    )*};
}

as_object!(
    TaxPeriod,
    TaxAccountRow,
    ProfitRow,
    ClearingAccount,
    ClearingPeriod,
    UnsettledItem,
    ClearingPayout,
    GiftCardPeriod,
    RefundPeriod,
    DisputeRow
);

impl Members for TaxReport {
    fn members(&self, o: &mut Obj) {
        o.val("periods", &self.periods);
    }
}

impl Members for TaxPeriod {
    fn members(&self, o: &mut Obj) {
        o.str("period", &self.period)
            .str("currency", self.currency.code())
            .val("total_sales", &self.total_sales)
            .val("untaxed_sales", &self.untaxed_sales)
            .val("refunds", &self.refunds)
            .num("orders", self.orders)
            .val("accounts", &self.accounts);
    }
}

impl Members for TaxAccountRow {
    fn members(&self, o: &mut Obj) {
        o.str("account", &self.account)
            .val("titles", &self.titles)
            .val("taxable_sales", &self.taxable_sales)
            .val("non_taxable_sales", &self.non_taxable_sales)
            .val("taxable_refunds", &self.taxable_refunds)
            .val("tax_collected", &self.tax_collected)
            .val("tax_refunded", &self.tax_refunded)
            .val("net_tax", &self.net_tax)
            .num("orders", self.orders)
            .opt("effective_rate", self.effective_rate.as_deref());
    }
}

impl Members for ProfitReport {
    fn members(&self, o: &mut Obj) {
        o.val("rows", &self.rows);
    }
}

impl Members for ProfitRow {
    fn members(&self, o: &mut Obj) {
        o.str("group", &self.group)
            .str("currency", self.currency.code())
            .val("revenue", &self.revenue)
            .val("shipping_income", &self.shipping_income)
            .val("discounts", &self.discounts)
            .val("refunds", &self.refunds)
            .val("fees", &self.fees)
            .val("cogs", &self.cogs)
            .val("shipping_labels", &self.shipping_labels)
            .val("chargebacks", &self.chargebacks)
            .val("margin", &self.margin)
            .opt("margin_percent", self.margin_percent.as_deref())
            .num("orders", self.orders)
            .val("orders_missing_cost", &self.orders_missing_cost);
    }
}

impl Members for ClearingReport {
    fn members(&self, o: &mut Obj) {
        o.str("as_of", &self.as_of).val("accounts", &self.accounts);
    }
}

impl Members for ClearingAccount {
    fn members(&self, o: &mut Obj) {
        o.str("account", &self.account)
            .str("currency", self.currency.code())
            .val("opening", &self.opening)
            .val("periods", &self.periods)
            .str("closing", &self.closing)
            .val("unsettled", &self.unsettled)
            .val("payouts_not_tied", &self.payouts_not_tied);
    }
}

impl Members for ClearingPeriod {
    fn members(&self, o: &mut Obj) {
        o.str("period", &self.period)
            .val("money_in", &self.money_in)
            .val("money_out", &self.money_out)
            .str("closing", &self.closing);
    }
}

impl Members for UnsettledItem {
    fn members(&self, o: &mut Obj) {
        o.str("entry", &self.entry)
            .str("date", &self.date)
            .str("amount", &self.amount)
            .num("age_days", self.age_days);
    }
}

impl Members for ClearingPayout {
    fn members(&self, o: &mut Obj) {
        o.str("payout", &self.payout)
            .str("date", &self.date)
            .val("residual", &self.residual);
    }
}

impl Members for GiftCardReport {
    fn members(&self, o: &mut Obj) {
        o.val("periods", &self.periods);
    }
}

impl Members for GiftCardPeriod {
    fn members(&self, o: &mut Obj) {
        o.str("period", &self.period)
            .str("currency", self.currency.code())
            .str("opening", &self.opening)
            .val("sold", &self.sold)
            .val("redeemed", &self.redeemed)
            .str("closing", &self.closing);
    }
}

impl Members for RefundReport {
    fn members(&self, o: &mut Obj) {
        o.val("periods", &self.periods)
            .val("disputes", &self.disputes);
    }
}

impl Members for RefundPeriod {
    fn members(&self, o: &mut Obj) {
        o.str("period", &self.period)
            .str("currency", self.currency.code())
            .val("sales", &self.sales)
            .num("orders", self.orders)
            .val("refunded", &self.refunded)
            .num("refunds", self.refunds)
            .opt("refund_rate", self.refund_rate.as_deref())
            .opt("refund_count_rate", self.refund_count_rate.as_deref())
            .val("disputes_opened", &self.disputes_opened)
            .val("disputes_won", &self.disputes_won)
            .val("disputes_lost", &self.disputes_lost);
    }
}

impl Members for DisputeRow {
    fn members(&self, o: &mut Obj) {
        o.str("dispute", &self.dispute)
            .str("currency", self.currency.code())
            .str("status", &self.status)
            .str("date", &self.date)
            .val("amount", &self.amount);
    }
}
