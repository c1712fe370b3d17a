//! Sales documents (issue #14): an order or a refund as one target-neutral document (lines with
//! items and tax codes, the contact it goes to, its total), which `qbo_documents` and
//! `xero_documents` render. Every decision is here, so both targets bill the same amounts, and the
//! total is what the journal would have booked for the same order (`core/tests/documents.rs`).

use super::contacts::{contact_for, Contact};
use crate::engine::infer_taxes_included;
use crate::error::{LedgerError, Result};
use crate::model::{AdjustmentKind, Customer, Event, Order, Refund, TaxLine, TenderKind};
use crate::money::{fits_minor_units, Currency};
use crate::platforms::Platform;
use crate::rules::{Config, DocumentTarget};
use rust_decimal::Decimal;

/// Which accounting system a document is for: items and tax codes are named per target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Qbo,
    Xero,
}

impl Target {
    pub fn as_str(&self) -> &'static str {
        match self {
            Target::Qbo => "qbo",
            Target::Xero => "xero",
        }
    }

    fn settings<'a>(&self, config: &'a Config) -> &'a DocumentTarget {
        match self {
            Target::Qbo => &config.documents.qbo,
            Target::Xero => &config.documents.xero,
        }
    }

    /// The code for an untaxed line when the config names none.
    fn untaxed_default(&self) -> &'static str {
        match self {
            Target::Qbo => "NON",
            Target::Xero => "NONE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// A paid sale: QBO `SalesReceipt`, Xero `Invoice` + `Payment`.
    Receipt,
    /// A sale still owed (manual, COD, bank transfer): QBO `Invoice`, Xero `Invoice` alone.
    Invoice,
    /// Money given back: QBO `RefundReceipt`, Xero `CreditNote` + refund `Payment`.
    Refund,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Item,
    GiftCard,
    Shipping,
    Tip,
    Adjustment,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentLine {
    pub kind: LineKind,
    pub item: String,
    pub description: String,
    pub quantity: Decimal,
    /// Per unit; tax-inclusive when the document is.
    pub unit_price: Decimal,
    pub discount: Decimal,
    pub tax: Decimal,
    pub tax_code: String,
}

impl DocumentLine {
    /// `quantity × unit_price − discount`: what the line adds to the document (before tax when
    /// prices exclude it).
    pub fn amount(&self) -> Decimal {
        self.quantity * self.unit_price - self.discount
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SalesDocument {
    /// Stable across versions and retries: `<platform>:<shop>:order:<id>` or `…:refund:<id>`.
    pub id: String,
    pub kind: DocumentKind,
    /// The storefront's number (`#1001` → `1001`), for people.
    pub number: String,
    pub date: String,
    pub currency: Currency,
    pub taxes_included: bool,
    pub lines: Vec<DocumentLine>,
    pub contact: Contact,
    /// Money actually paid (or paid back) through a gateway; 0 for an invoice.
    pub paid: Decimal,
}

impl SalesDocument {
    pub fn tax(&self) -> Decimal {
        self.lines.iter().map(|l| l.tax).sum()
    }

    pub fn discount(&self) -> Decimal {
        self.lines.iter().map(|l| l.discount).sum()
    }

    /// What the customer pays (or is paid back), tax included.
    pub fn total(&self) -> Decimal {
        let lines: Decimal = self.lines.iter().map(DocumentLine::amount).sum();
        if self.taxes_included {
            lines
        } else {
            lines + self.tax()
        }
    }
}

/// The documents an event makes for `target`: an order's sale (none when it was cancelled
/// unpaid) and one per refund; a refund arriving alone makes its own. Payouts, disputes and
/// platform expenses make none: they stay journals.
pub fn sales_documents(
    platform: Platform,
    event: &Event,
    customer: Option<&Customer>,
    config: &Config,
    target: Target,
) -> Result<Vec<SalesDocument>> {
    let b = Builder {
        platform,
        customer,
        config,
        target,
        t: target.settings(config),
    };
    match event {
        Event::Order(order) => {
            let mut docs = Vec::new();
            if !order.cancelled_unpaid {
                docs.push(b.sale(order)?);
            }
            for (i, refund) in order.refunds.iter().enumerate() {
                let doc = b
                    .refund(refund, order, order.currency, order.taxes_included)
                    .map_err(|e| e.within(&format!("refunds[{i}]")))?;
                docs.extend(doc);
            }
            Ok(docs)
        }
        Event::Refund(r) => {
            let order = Order {
                id: r.refund.order_id.clone(),
                name: String::new(),
                processed_at: r.refund.processed_at.clone(),
                version: r.refund.processed_at.clone(),
                currency: r.currency,
                presentment: None,
                taxes_included: r.taxes_included.unwrap_or(false),
                cancelled_unpaid: false,
                channel: None,
                tags: Vec::new(),
                lines: Vec::new(),
                shipping: Vec::new(),
                tip: Decimal::ZERO,
                tenders: Vec::new(),
                gateway: r.gateway.clone(),
                refunds: Vec::new(),
                customer: None,
            };
            let included = r
                .taxes_included
                .unwrap_or_else(|| infer_taxes_included(&r.refund));
            Ok(b.refund(&r.refund, &order, r.currency, included)?
                .into_iter()
                .collect())
        }
        _ => Ok(Vec::new()),
    }
}

struct Builder<'a> {
    platform: Platform,
    /// The event's customer, from the payload (`platforms::customer_of`): the same for every
    /// document of the event.
    customer: Option<&'a Customer>,
    config: &'a Config,
    target: Target,
    t: &'a DocumentTarget,
}

impl Builder<'_> {
    fn missing(&self, key: &str, what: &str) -> LedgerError {
        LedgerError::Config {
            path: format!("documents.{}.{key}", self.target.as_str()),
            value: what.to_string(),
            reason: format!(
                "no {} item or code is mapped for {what}",
                self.target.as_str()
            ),
        }
    }

    fn fixed_item(&self, item: &Option<String>, key: &str, what: &str) -> Result<String> {
        item.clone().ok_or_else(|| self.missing(key, what))
    }

    fn item(&self, sku: Option<&str>, title: &str) -> Result<String> {
        self.t
            .item_for(sku)
            .map(String::from)
            .ok_or_else(|| self.missing("items", sku.unwrap_or(title)))
    }

    /// The code of a line's taxes: the titles joined with ` + ` (a combined rate), else the
    /// first title, else `*`; the untaxed code when the line has no tax.
    fn tax_code(&self, taxes: &[TaxLine]) -> Result<String> {
        let taxed: Vec<&TaxLine> = taxes.iter().filter(|t| !t.amount.is_zero()).collect();
        let Some(first) = taxed.first() else {
            return Ok(self
                .t
                .untaxed_code
                .clone()
                .unwrap_or_else(|| self.target.untaxed_default().to_string()));
        };
        let joined = taxed
            .iter()
            .map(|t| t.title.as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        [joined.as_str(), first.title.as_str(), "*"]
            .iter()
            .find_map(|k| self.t.tax_codes.get(*k).cloned())
            .ok_or_else(|| self.missing("tax_codes", &joined))
    }

    fn id(&self, kind: &str, id: &str) -> String {
        format!(
            "{}:{}:{kind}:{id}",
            self.platform.as_str(),
            self.config.shop
        )
    }

    fn sale(&self, order: &Order) -> Result<SalesDocument> {
        let mut lines = Vec::new();
        for line in &order.lines {
            let (kind, item) = if line.gift_card {
                let item =
                    self.fixed_item(&self.t.gift_card_item, "gift_card_item", "gift cards")?;
                (LineKind::GiftCard, item)
            } else {
                (LineKind::Item, self.item(line.sku.as_deref(), &line.title)?)
            };
            lines.push(DocumentLine {
                kind,
                item,
                description: describe(line.sku.as_deref(), &line.title),
                quantity: line.quantity.into(),
                unit_price: line.unit_price,
                discount: line.discounts.iter().map(|d| d.amount).sum(),
                tax: line.taxes.iter().map(|t| t.amount).sum(),
                tax_code: self.tax_code(&line.taxes)?,
            });
        }
        for ship in &order.shipping {
            let title = if ship.title.is_empty() {
                "Shipping"
            } else {
                &ship.title
            };
            lines.push(DocumentLine {
                kind: LineKind::Shipping,
                item: self.fixed_item(&self.t.shipping_item, "shipping_item", "shipping")?,
                description: title.to_string(),
                quantity: Decimal::ONE,
                unit_price: ship.price,
                discount: ship.discounts.iter().map(|d| d.amount).sum(),
                tax: ship.taxes.iter().map(|t| t.amount).sum(),
                tax_code: self.tax_code(&ship.taxes)?,
            });
        }
        if !order.tip.is_zero() {
            lines.push(DocumentLine {
                kind: LineKind::Tip,
                item: self.fixed_item(&self.t.tip_item, "tip_item", "tips")?,
                description: "Tip".to_string(),
                quantity: Decimal::ONE,
                unit_price: order.tip,
                discount: Decimal::ZERO,
                tax: Decimal::ZERO,
                tax_code: self.tax_code(&[])?,
            });
        }
        let doc = SalesDocument {
            id: self.id("order", &order.id),
            kind: DocumentKind::Receipt,
            number: number(&order.name, &order.id),
            date: order.processed_at.date().to_string(),
            currency: order.currency,
            taxes_included: order.taxes_included,
            lines,
            contact: contact_for(self.customer, &self.config.documents),
            paid: Decimal::ZERO,
        };
        // Money on a receivable gateway (manual, COD, bank transfer) is still owed: an invoice.
        // Without a payment tender the whole total goes through the order's gateway.
        let owed = |gateway: &str| {
            self.config.clearing_account(gateway) == self.config.accounts.receivable
        };
        let payments: Vec<_> = order
            .tenders
            .iter()
            .filter(|t| t.kind == TenderKind::Payment)
            .collect();
        let paid = if payments.is_empty() {
            if owed(order.gateway.as_deref().unwrap_or("manual")) {
                Decimal::ZERO
            } else {
                doc.total()
            }
        } else {
            payments
                .iter()
                .filter(|t| !owed(&t.gateway))
                .map(|t| t.amount)
                .sum()
        };
        let kind = if paid.is_zero() {
            DocumentKind::Invoice
        } else {
            DocumentKind::Receipt
        };
        Ok(SalesDocument { kind, paid, ..doc })
    }

    fn refund(
        &self,
        refund: &Refund,
        order: &Order,
        currency: Currency,
        taxes_included: bool,
    ) -> Result<Option<SalesDocument>> {
        let mut lines = Vec::new();
        for line in &refund.lines {
            let original = order.lines.iter().find(|l| l.id == line.line_item_id);
            let sku = line
                .sku
                .as_deref()
                .or(original.and_then(|o| o.sku.as_deref()));
            // A refund arriving alone names the line only by id (and maybe its SKU).
            let title = match (original, sku) {
                (Some(o), _) => o.title.as_str(),
                (None, Some(_)) => "",
                (None, None) => line.line_item_id.as_str(),
            };
            let gift_card = line.gift_card || original.is_some_and(|o| o.gift_card);
            let (kind, item) = if gift_card {
                let item =
                    self.fixed_item(&self.t.gift_card_item, "gift_card_item", "gift cards")?;
                (LineKind::GiftCard, item)
            } else {
                (LineKind::Item, self.item(sku, title)?)
            };
            let taxes = match original {
                Some(o) if line.original_taxes.is_empty() => &o.taxes,
                _ => &line.original_taxes,
            };
            let tax_code = if line.tax.is_zero() {
                self.tax_code(&[])?
            } else {
                self.tax_code(taxes)?
            };
            // A per-unit price that does not fit the currency (10.00 over 3) goes as one line of
            // quantity 1, the count kept in the description.
            let qty = Decimal::from(line.quantity.max(1));
            let unit = line.subtotal / qty;
            let (quantity, unit_price, description) = if fits_minor_units(currency, unit) {
                (qty, unit, describe(sku, title))
            } else {
                let text = format!("{} × {}", line.quantity, describe(sku, title));
                (Decimal::ONE, line.subtotal, text)
            };
            lines.push(DocumentLine {
                kind,
                item,
                description,
                quantity,
                unit_price,
                discount: Decimal::ZERO,
                tax: line.tax,
                tax_code,
            });
        }
        for adj in &refund.adjustments {
            let (kind, item, description, tax_code) = match adj.kind {
                AdjustmentKind::ShippingRefund => {
                    let taxes: Vec<TaxLine> = order
                        .shipping
                        .iter()
                        .flat_map(|s| s.taxes.clone())
                        .collect();
                    let code = if adj.tax.is_zero() {
                        self.tax_code(&[])?
                    } else {
                        self.tax_code(&taxes)?
                    };
                    let item =
                        self.fixed_item(&self.t.shipping_item, "shipping_item", "shipping")?;
                    (
                        LineKind::Shipping,
                        item,
                        "Shipping refunded".to_string(),
                        code,
                    )
                }
                AdjustmentKind::Discrepancy => {
                    let item = self.fixed_item(
                        &self.t.adjustment_item,
                        "adjustment_item",
                        "refund adjustments",
                    )?;
                    let reason = adj.reason.clone().unwrap_or_else(|| "Refund".to_string());
                    (LineKind::Adjustment, item, reason, self.tax_code(&[])?)
                }
            };
            // A discrepancy's tax is refunded as money, not as tax (as the journal books it).
            let (price, tax) = match adj.kind {
                AdjustmentKind::Discrepancy => (adj.amount + adj.tax, Decimal::ZERO),
                AdjustmentKind::ShippingRefund if taxes_included => (adj.amount + adj.tax, adj.tax),
                AdjustmentKind::ShippingRefund => (adj.amount, adj.tax),
            };
            lines.push(DocumentLine {
                kind,
                item,
                description,
                quantity: Decimal::ONE,
                unit_price: price,
                discount: Decimal::ZERO,
                tax,
                tax_code,
            });
        }
        if lines.is_empty() {
            return Ok(None);
        }
        let paid = refund
            .tenders
            .iter()
            .filter(|t| t.kind == TenderKind::Refund)
            .map(|t| t.amount)
            .sum();
        Ok(Some(SalesDocument {
            id: self.id("refund", &refund.id),
            kind: DocumentKind::Refund,
            number: format!(
                "{}-R{}",
                number(&order.name, &refund.order_id),
                tail(&refund.id)
            ),
            date: refund.processed_at.date().to_string(),
            currency,
            taxes_included,
            lines,
            contact: contact_for(self.customer, &self.config.documents),
            paid,
        }))
    }
}

/// `#1001` → `1001`: the order's number as people search for it, else its id.
fn number(name: &str, id: &str) -> String {
    let trimmed = name.trim().trim_start_matches('#');
    if trimmed.is_empty() {
        id.to_string()
    } else {
        trimmed.to_string()
    }
}

/// The last six letters and digits of an id, to tell refunds of one order apart.
fn tail(id: &str) -> String {
    let alnum: Vec<char> = id.chars().filter(char::is_ascii_alphanumeric).collect();
    alnum[alnum.len().saturating_sub(6)..].iter().collect()
}

fn describe(sku: Option<&str>, title: &str) -> String {
    match (sku.filter(|s| !s.is_empty()), title.is_empty()) {
        (Some(sku), false) => format!("{title} ({sku})"),
        (Some(sku), true) => sku.to_string(),
        (None, _) => title.to_string(),
    }
}
