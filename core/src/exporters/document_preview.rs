//! What a person checks before an event's sales documents are posted: the posts themselves (the
//! bytes `document_posts` returns) and, written from the same documents in the same call, a view
//! of each with its amounts as decimal strings, so a page shows them without parsing money out of
//! the posts' JSON numbers and without adding anything up itself. docs/documents.md.

use super::documents::{DocumentKind, LineKind, SalesDocument, Target};
use crate::error::Result;
use crate::money::{self, Currency};
use crate::platforms::Platform;
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct DocumentPreview {
    pub target: &'static str,
    /// Exactly what `document_posts` returns for the same input, in the same order.
    pub posts: Vec<crate::json::write::Raw>,
    pub documents: Vec<DocumentView>,
}

#[derive(Debug, Serialize)]
pub struct DocumentView {
    /// The source (`<platform>:<shop>:order:<id>` or `…:refund:<id>`).
    pub id: String,
    /// The target's name for it: `SalesReceipt`, `Invoice`, `RefundReceipt`; Xero `Invoice`,
    /// `CreditNote`.
    #[serde(rename = "type")]
    pub doc_type: &'static str,
    pub number: String,
    pub date: String,
    pub currency: String,
    pub taxes_included: bool,
    pub contact: ContactView,
    pub lines: Vec<LineView>,
    /// Σ of the lines' `amount`.
    pub subtotal: String,
    /// QBO's one discount line (taken off the subtotal); for Xero the discounts are already
    /// inside each line's amount, so this is what they add up to, for information.
    pub discount: String,
    pub tax: String,
    /// What the customer pays (or is paid back), tax included: what the journal would book.
    pub total: String,
    /// Money that moved with the document: QBO deposits it with the receipt itself, Xero sends a
    /// `Payment` post after the document. `None` for an invoice still owed.
    pub payment: Option<PaymentView>,
}

#[derive(Debug, Serialize)]
pub struct ContactView {
    /// QBO `DisplayName`, Xero `Name`.
    pub name: String,
    /// The poster's find key (`id:…`, `email:…`, `guest`).
    pub key: String,
    /// The one shared contact of guest checkouts (`documents.guest_name`).
    pub shared_guest: bool,
    /// The name was cut to 100 characters.
    pub truncated: bool,
}

#[derive(Debug, Serialize)]
pub struct LineView {
    /// `item`, `gift-card`, `shipping`, `tip`, `adjustment`.
    pub kind: &'static str,
    /// QBO `ItemRef` id, Xero item code.
    pub item: String,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    /// This line's discount (Xero `DiscountAmount`; QBO sums them into its discount line).
    pub discount: String,
    /// What the target's line says: QBO `Amount` (quantity × unit price), Xero `LineAmount`
    /// (less the line's discount).
    pub amount: String,
    /// QBO `TaxCodeRef`, Xero `TaxType`.
    pub tax_code: String,
    pub tax: String,
}

#[derive(Debug, Serialize)]
pub struct PaymentView {
    pub amount: String,
    /// QBO `DepositToAccountRef` (`None`: Undeposited Funds), Xero `Payment.Account.Code`.
    pub account: Option<String>,
    /// Xero: a `Payment` post of its own; QBO: part of the receipt.
    pub separate_post: bool,
}

/// The posts `document_posts` would return for the event and a view of each document.
pub fn document_preview(
    platform: Platform,
    payload: &[u8],
    config: &Config,
    target: Target,
) -> Result<DocumentPreview> {
    let (docs, posts) = super::documents_and_posts(platform, payload, config, target)?;
    Ok(DocumentPreview {
        target: target.as_str(),
        posts,
        documents: docs.iter().map(|d| view(d, config, target)).collect(),
    })
}

fn view(doc: &SalesDocument, config: &Config, target: Target) -> DocumentView {
    let cur = doc.currency;
    let amount = |d: Decimal| money::format_amount(cur, d);
    // The line amount each target writes (qbo_documents.rs, xero_documents.rs).
    let line_amount = |l: &super::DocumentLine| match target {
        Target::Qbo => l.quantity * l.unit_price,
        Target::Xero => l.amount(),
    };
    let lines: Vec<LineView> = doc
        .lines
        .iter()
        .map(|l| LineView {
            kind: line_kind(l.kind),
            item: l.item.clone(),
            description: l.description.clone(),
            quantity: l.quantity.normalize().to_string(),
            unit_price: price(cur, l.unit_price),
            discount: amount(l.discount),
            amount: amount(line_amount(l)),
            tax_code: l.tax_code.clone(),
            tax: amount(l.tax),
        })
        .collect();
    let subtotal: Decimal = doc.lines.iter().map(line_amount).sum();
    let (doc_type, account) = match (target, doc.kind) {
        (Target::Qbo, DocumentKind::Receipt) => ("SalesReceipt", &config.documents.qbo.account),
        (Target::Qbo, DocumentKind::Invoice) => ("Invoice", &None),
        (Target::Qbo, DocumentKind::Refund) => ("RefundReceipt", &config.documents.qbo.account),
        (Target::Xero, DocumentKind::Refund) => ("CreditNote", &config.documents.xero.account),
        (Target::Xero, _) => ("Invoice", &config.documents.xero.account),
    };
    // As the exporters decide: a QBO receipt deposits its whole total, a Xero payment is what
    // went through a gateway (none when nothing did).
    let payment = match (target, doc.kind) {
        (_, DocumentKind::Invoice) => None,
        (Target::Xero, _) if doc.paid.is_zero() => None,
        (Target::Xero, _) => Some((doc.paid, true)),
        (Target::Qbo, _) => Some((doc.total(), false)),
    }
    .map(|(paid, separate_post)| PaymentView {
        amount: amount(paid),
        account: account.clone(),
        separate_post,
    });
    DocumentView {
        id: doc.id.clone(),
        doc_type,
        number: doc.number.clone(),
        date: doc.date.clone(),
        currency: cur.code().to_string(),
        taxes_included: doc.taxes_included,
        contact: ContactView {
            name: doc.contact.display_name.clone(),
            key: doc.contact.key.clone(),
            shared_guest: doc.contact.is_guest(),
            truncated: doc.contact.truncated,
        },
        lines,
        subtotal: amount(subtotal),
        discount: amount(doc.discount()),
        tax: amount(doc.tax()),
        total: amount(doc.total()),
        payment,
    }
}

fn line_kind(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Item => "item",
        LineKind::GiftCard => "gift-card",
        LineKind::Shipping => "shipping",
        LineKind::Tip => "tip",
        LineKind::Adjustment => "adjustment",
    }
}

/// A unit price with at least the currency's digits (`25` → `25.00`) and any more it has (an
/// inclusive price split per unit), never rounded.
fn price(currency: Currency, value: Decimal) -> String {
    let mut v = value.normalize();
    if v.scale() < currency.minor_units() {
        v.rescale(currency.minor_units());
    }
    v.to_string()
}
