//! Document previews written by the core's [`json::write`](crate::json::write): the worker's
//! preview route answers with them, and serde_json's serializer over the five view types is
//! bytes the worker need not carry. Same bytes as the derives (members in declaration order,
//! posts verbatim); `core/tests/document_preview.rs` holds them equal on every fixture.

use super::document_preview::{ContactView, DocumentPreview, DocumentView, LineView, PaymentView};
use crate::json::write::Obj;
use crate::json::write::WriteJson;

impl WriteJson for DocumentPreview {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        obj.str("target", self.target);
        obj.val("posts", &self.posts)
            .val("documents", &self.documents)
            .end();
    }

    fn size_hint(&self) -> usize {
        4096
    }
}

impl WriteJson for DocumentView {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        obj.str("id", &self.id)
            .str("type", self.doc_type)
            .str("number", &self.number)
            .str("date", &self.date)
            .str("currency", &self.currency)
            .flag("taxes_included", self.taxes_included)
            .val("contact", &self.contact)
            .val("lines", &self.lines)
            .str("subtotal", &self.subtotal)
            .str("discount", &self.discount)
            .str("tax", &self.tax)
            .str("total", &self.total);
        match &self.payment {
            Some(payment) => obj.val("payment", payment),
            None => obj.opt("payment", None),
        };
        obj.end();
    }
}

impl WriteJson for ContactView {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("name", &self.name)
            .str("key", &self.key)
            .flag("shared_guest", self.shared_guest)
            .flag("truncated", self.truncated)
            .end();
    }
}

impl WriteJson for LineView {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("kind", self.kind)
            .str("item", &self.item)
            .str("description", &self.description)
            .str("quantity", &self.quantity)
            .str("unit_price", &self.unit_price)
            .str("discount", &self.discount)
            .str("amount", &self.amount)
            .str("tax_code", &self.tax_code)
            .str("tax", &self.tax)
            .end();
    }
}

impl WriteJson for PaymentView {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("amount", &self.amount)
            .opt("account", self.account.as_deref())
            .flag("separate_post", self.separate_post)
            .end();
    }
}
