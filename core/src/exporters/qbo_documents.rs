//! QuickBooks Online sales documents: `SalesReceipt` (paid order), `Invoice` (order still owed),
//! `RefundReceipt` (refund), and the `Customer` each names. Mapping table: docs/documents.md.
//!
//! A document body leaves `CustomerRef` out: the poster finds the customer by the post's `customer`
//! key (creating it from the customer post if absent) and sets `CustomerRef.value` to its id.

use super::contacts::Contact;
use super::documents::{DocumentKind, LineKind, SalesDocument};
use super::keys::{fnv1a_128, DOC_NUMBER_MAX};
use super::{json_number, plain, truncate_chars};
use crate::error::{LedgerError, Result};
use crate::json::write::Raw;
use crate::model::Address;
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::Serialize;

/// `Description` and `PrivateNote` limit.
const TEXT_MAX: usize = 4000;
/// QuickBooks amounts have at most 10 integer digits.
const AMOUNT_LIMIT: u64 = 10_000_000_000;

/// One request to QuickBooks: `POST /v3/company/{realm}/{resource}?requestid={requestid}`.
/// The worker writes the posts with `json::write` (exporters/post_write.rs); the derives are the
/// oracle `core/tests/post_write.rs` holds that writer to.
#[derive(Serialize)]
pub struct QboPost<B> {
    pub resource: &'static str,
    pub requestid: String,
    /// Customer posts: the find key. Document posts: the key of the customer to reference.
    pub customer: String,
    /// Customer posts only: the DisplayName to send instead after error 6240 (name taken).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_duplicate_name: Option<String>,
    pub body: B,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QboCustomer {
    pub(super) display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) primary_email_addr: Option<Email>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) bill_addr: Option<QboAddress>,
    pub(super) notes: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Email {
    pub(super) address: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct QboAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) line1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) line2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) country_sub_division_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) country: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QboDocument {
    pub(super) doc_number: String,
    pub(super) txn_date: String,
    pub(super) currency_ref: Ref,
    pub(super) private_note: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) global_tax_calculation: Option<&'static str>,
    pub(super) line: Vec<QboLine>,
    pub(super) txn_tax_detail: TaxDetail,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) deposit_to_account_ref: Option<Ref>,
}

#[derive(Serialize)]
pub(super) struct Ref {
    pub(super) value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct TaxDetail {
    pub(super) total_tax: Raw,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct QboLine {
    pub(super) detail_type: &'static str,
    pub(super) amount: Raw,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) sales_item_line_detail: Option<ItemDetail>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) discount_line_detail: Option<DiscountDetail>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ItemDetail {
    pub(super) item_ref: Ref,
    pub(super) qty: Raw,
    pub(super) unit_price: Raw,
    pub(super) tax_code_ref: Ref,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DiscountDetail {
    pub(super) percent_based: bool,
}

/// `requestid` for a post (36 chars): `lb2-` + 32 hex digits of a hash of what it creates.
pub fn qbo_document_request_id(what: &str) -> String {
    format!("lb2-{:032x}", fnv1a_128(what.as_bytes()))
}

/// The `Customer` post for a document's contact (the guest contact too, so that it exists).
pub fn qbo_customer(contact: &Contact) -> QboPost<QboCustomer> {
    let c = contact.customer.as_ref();
    let text = |v: Option<&String>| v.cloned();
    QboPost {
        resource: "customer",
        requestid: qbo_document_request_id(&format!("qbo:customer:{}", contact.key)),
        customer: contact.key.clone(),
        on_duplicate_name: (contact.unique_name != contact.display_name)
            .then(|| contact.unique_name.clone()),
        body: QboCustomer {
            display_name: contact.display_name.clone(),
            company_name: text(c.and_then(|c| c.company.as_ref())),
            primary_email_addr: c
                .and_then(|c| c.email.clone())
                .map(|address| Email { address }),
            bill_addr: c.and_then(|c| c.billing_address.as_ref()).map(address),
            // QBO has no external-id field on a customer: the key is kept where people see it.
            notes: format!("ledgerbridge {}", contact.key),
        },
    }
}

fn address(a: &Address) -> QboAddress {
    QboAddress {
        line1: a.line1.clone(),
        line2: a.line2.clone(),
        city: a.city.clone(),
        country_sub_division_code: a.region.clone(),
        postal_code: a.postal_code.clone(),
        country: a.country.clone(),
    }
}

/// The document post: `salesreceipt`, `invoice` or `refundreceipt`.
pub fn qbo_document(doc: &SalesDocument, config: &Config) -> Result<QboPost<QboDocument>> {
    let resource = match doc.kind {
        DocumentKind::Receipt => "salesreceipt",
        DocumentKind::Invoice => "invoice",
        DocumentKind::Refund => "refundreceipt",
    };
    let cur = doc.currency;
    let mut line = Vec::with_capacity(doc.lines.len() + 1);
    for (i, l) in doc.lines.iter().enumerate() {
        let gross = l.quantity * l.unit_price;
        limit(gross, &format!("lines[{i}]"))?;
        line.push(QboLine {
            detail_type: "SalesItemLineDetail",
            amount: json_number(cur, gross),
            description: Some(truncate_chars(&l.description, TEXT_MAX)),
            sales_item_line_detail: Some(ItemDetail {
                item_ref: Ref {
                    value: l.item.clone(),
                },
                qty: plain(l.quantity),
                unit_price: plain(l.unit_price),
                tax_code_ref: Ref {
                    value: l.tax_code.clone(),
                },
            }),
            discount_line_detail: None,
        });
    }
    // QBO takes one discount for the whole document, as an amount line after the items.
    let discount = doc.discount();
    if !discount.is_zero() {
        let names: Vec<&str> = doc
            .lines
            .iter()
            .filter(|l| !l.discount.is_zero() && l.kind != LineKind::Adjustment)
            .map(|l| l.description.as_str())
            .collect();
        line.push(QboLine {
            detail_type: "DiscountLineDetail",
            amount: json_number(cur, discount),
            description: Some(truncate_chars(
                &format!("Discounts on {}", names.join(", ")),
                TEXT_MAX,
            )),
            sales_item_line_detail: None,
            discount_line_detail: Some(DiscountDetail {
                percent_based: false,
            }),
        });
    }
    let account = match doc.kind {
        DocumentKind::Invoice => None,
        _ => config
            .documents
            .qbo
            .account
            .clone()
            .map(|value| Ref { value }),
    };
    Ok(QboPost {
        resource,
        requestid: qbo_document_request_id(&format!("qbo:{resource}:{}", doc.id)),
        customer: doc.contact.key.clone(),
        on_duplicate_name: None,
        body: QboDocument {
            doc_number: truncate_chars(&doc.number, DOC_NUMBER_MAX),
            txn_date: doc.date.clone(),
            currency_ref: Ref {
                value: cur.code().to_string(),
            },
            private_note: truncate_chars(&format!("ledgerbridge {}", doc.id), TEXT_MAX),
            // Sent only for inclusive prices (non-US companies); US companies use Automated Sales
            // Tax, which honours the explicit `TotalTax` below.
            global_tax_calculation: doc.taxes_included.then_some("TaxInclusive"),
            line,
            txn_tax_detail: TaxDetail {
                total_tax: json_number(cur, doc.tax()),
            },
            deposit_to_account_ref: account,
        },
    })
}

fn limit(amount: Decimal, path: &str) -> Result<()> {
    if amount.abs() >= Decimal::from(AMOUNT_LIMIT) {
        return Err(LedgerError::InvalidAmount {
            path: path.to_string(),
            value: amount.to_string(),
            reason: "QuickBooks takes at most 10 integer digits".to_string(),
        });
    }
    Ok(())
}
