//! Stored day aggregates written by the core's [`json::write`](crate::json::write) rather than
//! serde's derives: the worker writes one per changed day on report requests, and serde_json's
//! serializer over the aggregate's tree (eleven structs, maps keyed by currency and name) was a
//! sizeable part of its bundle. The bytes are the derives' (members in declaration order, empty
//! figures left out as their `skip_serializing_if` leaves them out); `core/tests/day_read.rs` holds
//! the two equal on every fixture's days. [`day_read`](super::day_read) reads them back.

use super::sorted::SortedMap;
use super::{clearing, profit, refunds, tax, Acc, DayAggregate, Distinct};
use crate::json::write::{count, decimal, string, Obj, WriteJson};
use crate::money::Currency;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

impl Obj<'_> {
    /// An `Acc` member, left out when empty.
    fn acc(&mut self, key: &str, acc: &Acc) -> &mut Self {
        if !acc.is_empty() {
            self.val(key, acc);
        }
        self
    }

    /// A `Distinct` member, left out when empty.
    fn distinct(&mut self, key: &str, set: &Distinct) -> &mut Self {
        if !set.is_empty() {
            self.val(key, set);
        }
        self
    }

    /// A map member, left out when empty.
    fn some<T: WriteJson + IsEmpty>(&mut self, key: &str, value: &T) -> &mut Self {
        if !value.is_empty() {
            self.val(key, value);
        }
        self
    }
}

trait IsEmpty {
    fn is_empty(&self) -> bool;
}

impl<K, V> IsEmpty for SortedMap<K, V> {
    fn is_empty(&self) -> bool {
        SortedMap::is_empty(self)
    }
}

impl<T> IsEmpty for BTreeSet<T> {
    fn is_empty(&self) -> bool {
        BTreeSet::is_empty(self)
    }
}

impl WriteJson for Decimal {
    fn write_json(&self, out: &mut String) {
        decimal(out, *self)
    }
}

impl WriteJson for u32 {
    fn write_json(&self, out: &mut String) {
        count(out, *self as usize)
    }
}

impl<A: WriteJson, B: WriteJson> WriteJson for (A, B) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(']');
    }
}

impl WriteJson for BTreeSet<String> {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string(out, item);
        }
        out.push(']');
    }
}

/// A map as a JSON object in the map's order, keys written by `key`.
fn map<'a, K: 'a, V: WriteJson + 'a>(
    out: &mut String,
    items: impl Iterator<Item = (&'a K, &'a V)>,
    key: fn(&K) -> &str,
) {
    let mut obj = Obj::new(out);
    for (k, v) in items {
        v.write_json(obj.data_key(key(k)));
    }
    obj.end();
}

impl<V: WriteJson> WriteJson for SortedMap<Currency, V> {
    fn write_json(&self, out: &mut String) {
        map(out, self.iter(), Currency::code)
    }
}

impl<V: WriteJson> WriteJson for SortedMap<String, V> {
    fn write_json(&self, out: &mut String) {
        map(out, self.iter(), String::as_str)
    }
}

impl WriteJson for Acc {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        obj.val("a", &self.amount);
        if !self.entries.is_empty() {
            obj.val("e", &self.entries);
        }
        obj.end();
    }
}

impl WriteJson for Distinct {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        if self.n != 0 {
            obj.num("n", self.n);
        }
        obj.some("ids", &self.ids).end();
    }
}

impl WriteJson for DayAggregate {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        obj.str("date", &self.date)
            .val("entries", &self.entries)
            .some("tax", &self.tax)
            .some("profit", &self.profit);
        if let Some(channel) = &self.channel {
            obj.str("channel", channel);
        }
        obj.some("channels", &self.channels)
            .some("giftcards", &self.giftcards)
            .some("refunds", &self.refunds)
            .some("disputes", &self.disputes)
            .some("clearing", &self.clearing)
            .end();
    }

    fn size_hint(&self) -> usize {
        1024
    }
}

impl WriteJson for tax::Period {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .acc("total", &self.total)
            .acc("untaxed", &self.untaxed)
            .acc("refunds", &self.refunds)
            .distinct("orders", &self.orders)
            .val("rows", &self.rows)
            .end();
    }
}

impl WriteJson for tax::Row {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .acc("taxable", &self.taxable)
            .acc("taxable_refunds", &self.taxable_refunds)
            .acc("collected", &self.collected)
            .acc("refunded", &self.refunded)
            .acc("net", &self.net)
            .acc("non_taxable", &self.non_taxable)
            .distinct("orders", &self.orders)
            .end();
    }
}

impl WriteJson for profit::Row {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .acc("revenue", &self.revenue)
            .acc("shipping", &self.shipping)
            .acc("discounts", &self.discounts)
            .acc("refunds", &self.refunds)
            .acc("fees", &self.fees)
            .acc("cogs", &self.cogs)
            .acc("labels", &self.labels)
            .acc("chargebacks", &self.chargebacks)
            .acc("margin", &self.margin)
            .distinct("orders", &self.orders)
            .some("missing", &self.missing)
            .end();
    }
}

impl WriteJson for refunds::Period {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .acc("sales", &self.sales)
            .distinct("orders", &self.orders)
            .acc("refunded", &self.refunded)
            .distinct("refunds", &self.refunds)
            .acc("opened", &self.opened)
            .acc("won", &self.won)
            .acc("lost", &self.lost)
            .end();
    }
}

impl WriteJson for clearing::Flow {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .acc("money_in", &self.money_in)
            .acc("money_out", &self.money_out)
            .acc("net", &self.net)
            .end();
    }
}
