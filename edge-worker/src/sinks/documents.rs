//! Posting one sales document (docs/documents.md, "Posting from the worker"): the core made every
//! body (consumer/documents.rs stored them); this finds or creates the contact, puts its id into
//! the document, posts it (and, for Xero, its payment) and reads the answers into an [`Outcome`].
//! The target-specific requests are in [`super::qbo_documents`] and [`super::xero_documents`].
//!
//! Every request carries an idempotency key derived from the document or contact (the core's
//! `requestid` / `Idempotency-Key`), so a retry after a lost answer gets the original answer; the
//! `contacts` table keeps find key → target id, so a customer is created once across documents.

use super::{Ctx, Outcome};
use crate::config::Target;
use crate::peek;
use crate::store::{now_ms, ContactRow};
use ledgerbridge_core::exporters::qbo_document_request_id;
use serde_json::value::RawValue;

/// One request the core made (`QboPost` or `XeroPost`). The body stays raw: a document's amounts
/// are JSON numbers written from decimals, and are sent as they are.
/// Read with [`crate::peek`]: text members default to empty, `body` is required.
pub(super) struct Post {
    pub resource: String,
    pub requestid: String,
    /// QBO: the contact's find key (on the customer post and on the document post).
    pub customer: String,
    pub path: String,
    pub idempotency_key: String,
    /// Contact posts: the name to send, once, when the target says the name is taken.
    pub on_duplicate_name: Option<String>,
    pub body: Box<RawValue>,
}

impl Post {
    fn read(raw: &str) -> Result<Post, String> {
        const NAMES: [&str; 7] = [
            "resource",
            "requestid",
            "customer",
            "path",
            "idempotency_key",
            "on_duplicate_name",
            "body",
        ];
        let [resource, requestid, customer, path, key, on_duplicate_name, body] =
            peek::members(raw, NAMES).map_err(|e| e.to_string())?;
        let text = |v: Option<&str>| match v {
            Some(_) => peek::text(v).ok_or("a post member is not a string"),
            None => Ok(String::new()),
        };
        let body = body.ok_or("missing field `body`")?;
        Ok(Post {
            resource: text(resource)?,
            requestid: text(requestid)?,
            customer: text(customer)?,
            path: text(path)?,
            idempotency_key: text(key)?,
            on_duplicate_name: on_duplicate_name
                .map(|_| text(on_duplicate_name))
                .transpose()?,
            body: RawValue::from_string(body.to_string()).map_err(|e| e.to_string())?,
        })
    }
}

pub async fn deliver(ctx: &Ctx<'_>, target: Target, posts: &str) -> Outcome {
    let posts = peek::items(posts)
        .map_err(|e| e.to_string())
        .and_then(|items| {
            items
                .into_iter()
                .map(Post::read)
                .collect::<Result<Vec<_>, _>>()
        });
    let posts = match posts {
        Ok(p) => p,
        Err(e) => return Outcome::Park(format!("stored document unreadable: {e}")),
    };
    let mut posts = posts.into_iter();
    let (Some(contact), Some(document)) = (posts.next(), posts.next()) else {
        return Outcome::Park("stored document lacks its contact or document post".into());
    };
    match target {
        Target::Qbo => super::qbo_documents::deliver(ctx, &contact, &document).await,
        Target::Xero => {
            super::xero_documents::deliver(ctx, &contact, &document, posts.next()).await
        }
        other => Outcome::Park(format!(
            "sales documents go to qbo or xero, not {}",
            other.as_str()
        )),
    }
}

/// What a contact post says, hashed: another hash for the same key means the customer changed.
pub(super) fn details_hash(body: &RawValue) -> String {
    qbo_document_request_id(body.get())
}

/// The key for a second, different request about the same thing (a renamed contact, an update
/// without the name): the original key with a suffix, so it too is stable across retries.
pub(super) fn variant(key: &str, suffix: &str) -> String {
    format!("{key}-{suffix}")
}

/// The contact recorded for `key` at `target`.
pub(super) async fn known(
    ctx: &Ctx<'_>,
    target: &str,
    key: &str,
) -> Result<Option<ContactRow>, Outcome> {
    ctx.db.contact(ctx.shop, target, key).await.map_err(d1)
}

pub(super) async fn remember(
    ctx: &Ctx<'_>,
    target: &str,
    key: &str,
    row: &ContactRow,
) -> Result<(), Outcome> {
    ctx.db
        .remember_contact(ctx.shop, target, key, row, now_ms())
        .await
        .map_err(d1)
}

pub(super) fn d1(e: worker::Error) -> Outcome {
    Outcome::Retry {
        reason: format!("D1: {e}"),
        after_s: 5,
    }
}

/// A contact body as JSON to edit (a name, an id): contact bodies carry no amounts.
pub(super) fn contact_body(post: &Post) -> Result<serde_json::Value, Outcome> {
    serde_json::from_str(post.body.get())
        .map_err(|e| Outcome::Park(format!("stored contact post unreadable: {e}")))
}

/// `body` (a JSON object as the core wrote it) with `"name":value` first. Text-level, so the
/// document's amounts keep their exact decimal text.
pub(super) fn with_field_first(body: &str, name: &str, value: &serde_json::Value) -> String {
    let rest = body
        .trim_start()
        .strip_prefix('{')
        .unwrap_or(body)
        .trim_start();
    let sep = if rest.starts_with('}') { "" } else { "," };
    format!("{{\"{name}\":{value}{sep}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_goes_first_and_the_amounts_keep_their_text() {
        let v = serde_json::json!({"value": "58"});
        assert_eq!(
            with_field_first(r#"{"Line":[{"Amount":25.00}]}"#, "CustomerRef", &v),
            r#"{"CustomerRef":{"value":"58"},"Line":[{"Amount":25.00}]}"#
        );
        assert_eq!(with_field_first("{}", "A", &v), r#"{"A":{"value":"58"}}"#);
    }
}
