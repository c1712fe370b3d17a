//! Xero sales documents: an `ACCREC` `Invoice` (+ a `Payment` when paid), an `ACCRECCREDIT`
//! `CreditNote` + a refund `Payment` for a refund, and the `Contact` each names. Bodies follow
//! `xero_accounting.yaml` (checked in `core/tests/documents.rs`). Mapping table:
//! docs/documents.md.

use super::contacts::Contact;
use super::documents::{DocumentKind, SalesDocument};
use super::qbo_documents::qbo_document_request_id;
use super::{json_number, plain};
use crate::error::{LedgerError, Result};
use crate::json::write::Raw;
use crate::rules::Config;
use serde::Serialize;

/// Xero caps `ContactNumber` at 50 characters.
const CONTACT_NUMBER_MAX: usize = 50;

/// One request to Xero: `{method} /api.xro/2.0{path}` with `Idempotency-Key: {idempotency_key}`.
/// The worker writes the posts with `json::write` (exporters/post_write.rs); the derives are the
/// oracle `core/tests/post_write.rs` holds that writer to.
#[derive(Serialize)]
pub struct XeroPost<B> {
    pub method: &'static str,
    pub path: &'static str,
    pub idempotency_key: String,
    /// Contact posts only: the name to send instead when Xero says the name is taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_duplicate_name: Option<String>,
    pub body: B,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Contacts {
    pub(super) contacts: Vec<XeroContact>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct XeroContact {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<String>,
    pub(super) contact_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) tax_number: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) addresses: Vec<XeroAddress>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "PascalCase")]
pub(super) struct XeroAddress {
    pub(super) address_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) address_line1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) address_line2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) country: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Invoices {
    pub(super) invoices: Vec<Invoice>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Invoice {
    #[serde(rename = "Type")]
    pub(super) kind: &'static str,
    pub(super) contact: XeroContact,
    pub(super) date: String,
    pub(super) due_date: String,
    pub(super) line_amount_types: &'static str,
    pub(super) invoice_number: String,
    pub(super) reference: String,
    pub(super) currency_code: String,
    pub(super) status: &'static str,
    pub(super) line_items: Vec<LineItem>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreditNotes {
    pub(super) credit_notes: Vec<CreditNote>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct CreditNote {
    #[serde(rename = "Type")]
    pub(super) kind: &'static str,
    pub(super) contact: XeroContact,
    pub(super) date: String,
    pub(super) line_amount_types: &'static str,
    pub(super) credit_note_number: String,
    pub(super) reference: String,
    pub(super) currency_code: String,
    pub(super) status: &'static str,
    pub(super) line_items: Vec<LineItem>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct LineItem {
    pub(super) description: String,
    pub(super) quantity: Raw,
    pub(super) unit_amount: Raw,
    pub(super) item_code: String,
    pub(super) tax_type: String,
    pub(super) tax_amount: Raw,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) discount_amount: Option<Raw>,
    pub(super) line_amount: Raw,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Payments {
    pub(super) payments: Vec<Payment>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Payment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) invoice: Option<Numbered>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) credit_note: Option<Numbered>,
    pub(super) account: AccountCode,
    pub(super) date: String,
    pub(super) amount: Raw,
    pub(super) reference: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Numbered {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) invoice_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) credit_note_number: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AccountCode {
    pub(super) code: String,
}

/// The document itself: an invoice or a credit note.
#[derive(Serialize)]
#[serde(untagged)]
pub enum XeroDocument {
    Invoices(Invoices),
    CreditNotes(CreditNotes),
}

/// `ContactNumber`, the contact's find key in Xero: the key itself when it fits 50 characters,
/// else `lb2-` + its hash.
fn contact_number(contact: &Contact) -> String {
    if contact.key.chars().count() <= CONTACT_NUMBER_MAX {
        contact.key.clone()
    } else {
        qbo_document_request_id(&contact.key)
    }
}

fn key(what: &str) -> String {
    qbo_document_request_id(what)
}

/// The `PUT /Contacts` post for a document's contact (the guest contact too).
pub fn xero_contact(contact: &Contact) -> XeroPost<Contacts> {
    XeroPost {
        method: "PUT",
        path: "/Contacts",
        idempotency_key: key(&format!("xero:contact:{}", contact.key)),
        on_duplicate_name: (contact.unique_name != contact.display_name)
            .then(|| contact.unique_name.clone()),
        body: Contacts {
            contacts: vec![contact_body(contact, true)],
        },
    }
}

fn contact_body(contact: &Contact, full: bool) -> XeroContact {
    let c = contact.customer.as_ref().filter(|_| full);
    XeroContact {
        name: full.then(|| contact.display_name.clone()),
        contact_number: contact_number(contact),
        email_address: c.and_then(|c| c.email.clone()),
        tax_number: c.and_then(|c| c.vat_number.clone()),
        addresses: c
            .and_then(|c| c.billing_address.as_ref())
            .map(|a| XeroAddress {
                address_type: "POBOX",
                address_line1: a.line1.clone(),
                address_line2: a.line2.clone(),
                city: a.city.clone(),
                region: a.region.clone(),
                postal_code: a.postal_code.clone(),
                country: a.country.clone(),
            })
            .into_iter()
            .collect(),
    }
}

/// The document post (`PUT /Invoices` or `PUT /CreditNotes`) and, when money moved, its
/// `PUT /Payments` post.
pub fn xero_document(
    doc: &SalesDocument,
    config: &Config,
) -> Result<(XeroPost<XeroDocument>, Option<XeroPost<Payments>>)> {
    let cur = doc.currency;
    let line_items: Vec<LineItem> = doc
        .lines
        .iter()
        .map(|l| LineItem {
            description: l.description.clone(),
            quantity: plain(l.quantity),
            unit_amount: plain(l.unit_price),
            item_code: l.item.clone(),
            tax_type: l.tax_code.clone(),
            tax_amount: json_number(cur, l.tax),
            discount_amount: (!l.discount.is_zero()).then(|| json_number(cur, l.discount)),
            line_amount: json_number(cur, l.amount()),
        })
        .collect();
    let amount_types = if doc.taxes_included {
        "Inclusive"
    } else {
        "Exclusive"
    };
    let contact = contact_body(&doc.contact, false);
    let refund = doc.kind == DocumentKind::Refund;
    let (path, body) = if refund {
        let note = CreditNote {
            kind: "ACCRECCREDIT",
            contact,
            date: doc.date.clone(),
            line_amount_types: amount_types,
            credit_note_number: doc.number.clone(),
            reference: doc.id.clone(),
            currency_code: cur.code().to_string(),
            status: "AUTHORISED",
            line_items,
        };
        let body = XeroDocument::CreditNotes(CreditNotes {
            credit_notes: vec![note],
        });
        ("/CreditNotes", body)
    } else {
        let invoice = Invoice {
            kind: "ACCREC",
            contact,
            date: doc.date.clone(),
            due_date: doc.date.clone(),
            line_amount_types: amount_types,
            invoice_number: doc.number.clone(),
            reference: doc.id.clone(),
            currency_code: cur.code().to_string(),
            status: "AUTHORISED",
            line_items,
        };
        let body = XeroDocument::Invoices(Invoices {
            invoices: vec![invoice],
        });
        ("/Invoices", body)
    };
    let post = XeroPost {
        method: "PUT",
        path,
        idempotency_key: key(&format!("xero:{path}:{}", doc.id)),
        on_duplicate_name: None,
        body,
    };
    if doc.paid.is_zero() {
        return Ok((post, None));
    }
    let account = config
        .documents
        .xero
        .account
        .clone()
        .ok_or_else(|| LedgerError::Config {
            path: "documents.xero.account".to_string(),
            value: String::new(),
            reason: "a paid document needs the Xero account its payment goes to".to_string(),
        })?;
    let number = Some(doc.number.clone());
    let payment = Payment {
        invoice: (!refund).then(|| Numbered {
            invoice_number: number.clone(),
            credit_note_number: None,
        }),
        credit_note: refund.then(|| Numbered {
            invoice_number: None,
            credit_note_number: number.clone(),
        }),
        account: AccountCode { code: account },
        date: doc.date.clone(),
        amount: json_number(cur, doc.paid),
        reference: doc.id.clone(),
    };
    let payments = XeroPost {
        method: "PUT",
        path: "/Payments",
        idempotency_key: key(&format!("xero:/Payments:{}", doc.id)),
        on_duplicate_name: None,
        body: Payments {
            payments: vec![payment],
        },
    };
    Ok((post, Some(payments)))
}
