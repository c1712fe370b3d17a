//! What an account is for, read off the config's chart: reports see only account names (the
//! engine's line roles are not part of the public entry shape), so the chart is the one place
//! that says which name is revenue, a tax liability or a gateway's clearing account.

use crate::journal::Entry;
use crate::rules::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Sales,
    Shipping,
    Tips,
    Discount,
    Refund,
    Fee,
    Cogs,
    ShippingLabel,
    Tax,
    GiftCard,
    Clearing,
    Chargeback,
    Disputed,
    Other,
}

impl Class {
    /// Income the merchant earns from a sale (the engine's revenue role).
    pub fn is_revenue(self) -> bool {
        matches!(self, Class::Sales | Class::Shipping | Class::Tips)
    }
}

fn under(account: &str, prefix: &str) -> bool {
    account
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.starts_with(':'))
}

pub(crate) fn class(config: &Config, account: &str) -> Class {
    let a = &config.accounts;
    if account == a.sales || config.sales.iter().any(|r| r.account == account) {
        Class::Sales
    } else if account == a.shipping {
        Class::Shipping
    } else if account == a.tips {
        Class::Tips
    } else if account == a.discounts {
        Class::Discount
    } else if account == a.refunds {
        Class::Refund
    } else if account == a.cogs {
        Class::Cogs
    } else if account == a.shipping_labels {
        Class::ShippingLabel
    } else if account == a.gift_cards {
        Class::GiftCard
    } else if account == a.chargebacks {
        Class::Chargeback
    } else if account == a.disputes {
        Class::Disputed
    } else if under(account, &a.fees_prefix)
        || config
            .gateways
            .values()
            .any(|g| g.fees.as_deref() == Some(account))
    {
        Class::Fee
    } else if under(account, &a.sales_tax_prefix) || config.tax.values().any(|t| t == account) {
        Class::Tax
    } else if under(account, &a.clearing_prefix)
        || config
            .gateways
            .values()
            .any(|g| g.clearing.as_deref() == Some(account))
    {
        Class::Clearing
    } else {
        Class::Other
    }
}

/// The source kind without a `-reversal` suffix (every dispute stage as `dispute`), and whether it
/// was there.
pub(crate) fn base_kind(entry: &Entry) -> (&str, bool) {
    let (kind, reversal) = match entry.source.kind.strip_suffix("-reversal") {
        Some(kind) => (kind, true),
        None => (entry.source.kind.as_str(), false),
    };
    // Each dispute stage is its own source kind (`dispute-opened`, `-won`, `-lost`); the reports
    // read the stage from the entry id and treat them all as the dispute.
    if kind.starts_with("dispute-") {
        return ("dispute", reversal);
    }
    (kind, reversal)
}

/// The source item a line was booked from: the first segment of the path its `why` starts with
/// (`line_items[0]` for `line_items[0].tax_lines[1]: ...`). The engine writes every line's `why`
/// as `<source path>: <words>`; this is how a tax line is matched to the revenue it was charged
/// on without a field in the public entry shape. `None` when the text has no such path.
pub(crate) fn item_of(why: &str) -> Option<&str> {
    let (path, _) = why.split_once(": ")?;
    let first = path.split('.').next()?;
    let well_formed = !first.is_empty()
        && first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | ']'));
    well_formed.then_some(first)
}

/// The order an entry belongs to: a sale's own source id, else the `order:<id>` it links to.
pub(crate) fn order_of(entry: &Entry) -> Option<String> {
    let (kind, _) = base_kind(entry);
    if kind == "sale" {
        return Some(entry.source.id.clone());
    }
    entry
        .links
        .iter()
        .find_map(|l| l.strip_prefix("order:").map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_from_the_path_before_the_colon() {
        assert_eq!(
            item_of("line_items[0].tax_lines[1]: \"NY\" at 0.04"),
            Some("line_items[0]")
        );
        assert_eq!(
            item_of("shipping_lines[0]: shipping discount X"),
            Some("shipping_lines[0]")
        );
        assert_eq!(item_of("order total owed through \"x\": y"), None);
        assert_eq!(item_of("no colon"), None);
    }

    #[test]
    fn the_default_chart_classifies() {
        let c = Config::default();
        assert_eq!(class(&c, "Income:Sales"), Class::Sales);
        assert_eq!(class(&c, "Liabilities:SalesTax:VAT-20"), Class::Tax);
        assert_eq!(class(&c, "Liabilities:SalesTaxes"), Class::Other);
        assert_eq!(class(&c, "Assets:Clearing:Stripe"), Class::Clearing);
        assert_eq!(class(&c, "Expenses:PaymentFees:Stripe"), Class::Fee);
    }
}
