//! The QBO and Xero posts written by the core's [`json::write`](crate::json::write): the worker
//! stores and sends them, and serde_json's serializer over their twenty-odd body types is bytes
//! the worker need not carry. Same bytes as the derives (members in declaration order, `None`
//! members left out as `skip_serializing_if` leaves them); `core/tests/post_write.rs` holds them
//! equal on every fixture, with awkward strings too.

use super::qbo::{self, QboJournalEntry};
use super::qbo_documents::{
    DiscountDetail, Email, ItemDetail, QboAddress, QboCustomer, QboDocument, QboLine, QboPost, Ref,
    TaxDetail,
};
use super::xero::{self, ManualJournals};
use super::xero_documents::{
    AccountCode, Contacts, CreditNote, CreditNotes, Invoice, Invoices, LineItem, Numbered, Payment,
    Payments, XeroAddress, XeroContact, XeroDocument, XeroPost,
};
use crate::json::write::{Obj, WriteJson};

/// `{"<key>":[items]}`: the one-member wrapper every Xero body has.
fn wrapped<T: WriteJson>(out: &mut String, key: &str, items: &[T]) {
    Obj::new(out).val(key, items).end();
}

impl<B: WriteJson> WriteJson for QboPost<B> {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("resource", self.resource)
            .str("requestid", &self.requestid)
            .str("customer", &self.customer)
            .present("on_duplicate_name", self.on_duplicate_name.as_deref())
            .val("body", &self.body)
            .end();
    }

    fn size_hint(&self) -> usize {
        1024
    }
}

impl WriteJson for QboCustomer {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("DisplayName", &self.display_name)
            .present("CompanyName", self.company_name.as_deref())
            .present("PrimaryEmailAddr", self.primary_email_addr.as_ref())
            .present("BillAddr", self.bill_addr.as_ref())
            .str("Notes", &self.notes)
            .end();
    }
}

impl WriteJson for Email {
    fn write_json(&self, out: &mut String) {
        Obj::new(out).str("Address", &self.address).end();
    }
}

impl WriteJson for QboAddress {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .present("Line1", self.line1.as_deref())
            .present("Line2", self.line2.as_deref())
            .present("City", self.city.as_deref())
            .present(
                "CountrySubDivisionCode",
                self.country_sub_division_code.as_deref(),
            )
            .present("PostalCode", self.postal_code.as_deref())
            .present("Country", self.country.as_deref())
            .end();
    }
}

impl WriteJson for QboDocument {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("DocNumber", &self.doc_number)
            .str("TxnDate", &self.txn_date)
            .val("CurrencyRef", &self.currency_ref)
            .str("PrivateNote", &self.private_note)
            .present("GlobalTaxCalculation", self.global_tax_calculation)
            .val("Line", &self.line)
            .val("TxnTaxDetail", &self.txn_tax_detail)
            .present("DepositToAccountRef", self.deposit_to_account_ref.as_ref())
            .end();
    }
}

impl WriteJson for Ref {
    fn write_json(&self, out: &mut String) {
        Obj::new(out).str("value", &self.value).end();
    }
}

impl WriteJson for TaxDetail {
    fn write_json(&self, out: &mut String) {
        Obj::new(out).val("TotalTax", &self.total_tax).end();
    }
}

impl WriteJson for QboLine {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("DetailType", self.detail_type)
            .val("Amount", &self.amount)
            .present("Description", self.description.as_deref())
            .present("SalesItemLineDetail", self.sales_item_line_detail.as_ref())
            .present("DiscountLineDetail", self.discount_line_detail.as_ref())
            .end();
    }
}

impl WriteJson for ItemDetail {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .val("ItemRef", &self.item_ref)
            .val("Qty", &self.qty)
            .val("UnitPrice", &self.unit_price)
            .val("TaxCodeRef", &self.tax_code_ref)
            .end();
    }
}

impl WriteJson for DiscountDetail {
    fn write_json(&self, out: &mut String) {
        Obj::new(out).flag("PercentBased", self.percent_based).end();
    }
}

impl<B: WriteJson> WriteJson for XeroPost<B> {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("method", self.method)
            .str("path", self.path)
            .str("idempotency_key", &self.idempotency_key)
            .present("on_duplicate_name", self.on_duplicate_name.as_deref())
            .val("body", &self.body)
            .end();
    }

    fn size_hint(&self) -> usize {
        1024
    }
}

impl WriteJson for Contacts {
    fn write_json(&self, out: &mut String) {
        wrapped(out, "Contacts", &self.contacts);
    }
}

impl WriteJson for XeroContact {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        obj.present("Name", self.name.as_deref())
            .str("ContactNumber", &self.contact_number)
            .present("EmailAddress", self.email_address.as_deref())
            .present("TaxNumber", self.tax_number.as_deref());
        if !self.addresses.is_empty() {
            obj.val("Addresses", &self.addresses);
        }
        obj.end();
    }
}

impl WriteJson for XeroAddress {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("AddressType", self.address_type)
            .present("AddressLine1", self.address_line1.as_deref())
            .present("AddressLine2", self.address_line2.as_deref())
            .present("City", self.city.as_deref())
            .present("Region", self.region.as_deref())
            .present("PostalCode", self.postal_code.as_deref())
            .present("Country", self.country.as_deref())
            .end();
    }
}

impl WriteJson for XeroDocument {
    fn write_json(&self, out: &mut String) {
        match self {
            XeroDocument::Invoices(Invoices { invoices }) => wrapped(out, "Invoices", invoices),
            XeroDocument::CreditNotes(CreditNotes { credit_notes }) => {
                wrapped(out, "CreditNotes", credit_notes)
            }
        }
    }
}

/// The members an invoice and a credit note share, in the order both declare them; `number` is
/// `InvoiceNumber` or `CreditNoteNumber`, and only an invoice has a `DueDate`.
struct Common<'a> {
    kind: &'a str,
    contact: &'a XeroContact,
    date: &'a str,
    due_date: Option<&'a str>,
    line_amount_types: &'a str,
    number: (&'a str, &'a str),
    reference: &'a str,
    currency_code: &'a str,
    status: &'a str,
    line_items: &'a [LineItem],
}

fn common(out: &mut String, c: Common<'_>) {
    Obj::new(out)
        .str("Type", c.kind)
        .val("Contact", c.contact)
        .str("Date", c.date)
        .present("DueDate", c.due_date)
        .str("LineAmountTypes", c.line_amount_types)
        .str(c.number.0, c.number.1)
        .str("Reference", c.reference)
        .str("CurrencyCode", c.currency_code)
        .str("Status", c.status)
        .val("LineItems", c.line_items)
        .end();
}

impl WriteJson for Invoice {
    fn write_json(&self, out: &mut String) {
        common(
            out,
            Common {
                kind: self.kind,
                contact: &self.contact,
                date: &self.date,
                due_date: Some(&self.due_date),
                line_amount_types: self.line_amount_types,
                number: ("InvoiceNumber", &self.invoice_number),
                reference: &self.reference,
                currency_code: &self.currency_code,
                status: self.status,
                line_items: &self.line_items,
            },
        );
    }
}

impl WriteJson for CreditNote {
    fn write_json(&self, out: &mut String) {
        common(
            out,
            Common {
                kind: self.kind,
                contact: &self.contact,
                date: &self.date,
                due_date: None,
                line_amount_types: self.line_amount_types,
                number: ("CreditNoteNumber", &self.credit_note_number),
                reference: &self.reference,
                currency_code: &self.currency_code,
                status: self.status,
                line_items: &self.line_items,
            },
        );
    }
}

impl WriteJson for LineItem {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("Description", &self.description)
            .val("Quantity", &self.quantity)
            .val("UnitAmount", &self.unit_amount)
            .str("ItemCode", &self.item_code)
            .str("TaxType", &self.tax_type)
            .val("TaxAmount", &self.tax_amount)
            .present("DiscountAmount", self.discount_amount.as_ref())
            .val("LineAmount", &self.line_amount)
            .end();
    }
}

impl WriteJson for Payments {
    fn write_json(&self, out: &mut String) {
        wrapped(out, "Payments", &self.payments);
    }
}

impl WriteJson for Payment {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .present("Invoice", self.invoice.as_ref())
            .present("CreditNote", self.credit_note.as_ref())
            .val("Account", &self.account)
            .str("Date", &self.date)
            .val("Amount", &self.amount)
            .str("Reference", &self.reference)
            .end();
    }
}

impl WriteJson for Numbered {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .present("InvoiceNumber", self.invoice_number.as_deref())
            .present("CreditNoteNumber", self.credit_note_number.as_deref())
            .end();
    }
}

impl WriteJson for AccountCode {
    fn write_json(&self, out: &mut String) {
        Obj::new(out).str("Code", &self.code).end();
    }
}

impl WriteJson for QboJournalEntry<'_> {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("TxnDate", self.txn_date)
            .str("DocNumber", &self.doc_number)
            .str("PrivateNote", &self.private_note)
            .val("CurrencyRef", &self.currency_ref)
            .val("Line", &self.line)
            .end();
    }

    fn size_hint(&self) -> usize {
        256 + 256 * self.line.len()
    }
}

impl WriteJson for qbo::Ref<'_> {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("value", self.value)
            .present("name", self.name)
            .end();
    }
}

impl WriteJson for qbo::JournalLine<'_> {
    fn write_json(&self, out: &mut String) {
        let detail = &self.journal_entry_line_detail;
        let mut obj = Obj::new(out);
        obj.str("DetailType", self.detail_type)
            .val("Amount", &self.amount)
            .str("Description", &self.description);
        Obj::new(obj.key("JournalEntryLineDetail"))
            .str("PostingType", detail.posting_type)
            .val("AccountRef", &detail.account_ref)
            .end();
        obj.end();
    }
}

impl WriteJson for ManualJournals<'_> {
    fn write_json(&self, out: &mut String) {
        wrapped(out, "ManualJournals", &self.manual_journals);
    }

    fn size_hint(&self) -> usize {
        256 * self.manual_journals.len() + 32
    }
}

impl WriteJson for xero::ManualJournal<'_> {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("Narration", &self.narration)
            .str("Date", self.date)
            .str("LineAmountTypes", self.line_amount_types)
            .str("Status", self.status)
            .val("JournalLines", &self.journal_lines)
            .end();
    }
}

impl WriteJson for xero::JournalLine<'_> {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .val("LineAmount", &self.line_amount)
            .str("AccountCode", self.account_code)
            .str("Description", self.description)
            .end();
    }
}
