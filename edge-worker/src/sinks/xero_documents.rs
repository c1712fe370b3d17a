//! Xero documents: the `Contact` (found by `ContactNumber`, else created; updated when changed),
//! then the `Invoice` or `CreditNote` with its `ContactID`, then its `Payment`, each with the core's
//! `Idempotency-Key`. A payment that fails after its document was made retries the whole row: the
//! document's key answers with the document made the first time.
//!
//! A taken contact name ("… must be unique across all active contacts") makes the post's
//! `on_duplicate_name` be sent once; a second refusal parks the document with the names tried.
//! A taken document number ("Invoice # must be unique.") means an earlier attempt made it: the
//! document is looked up by its number and recorded, and paid only if it is not paid already.

use super::documents::{contact_body, details_hash, known, remember, variant, Post};
use super::oauth::{self, XERO};
use super::{classify, Ctx, Outcome};
use crate::config::XeroConfig;
use crate::http::{excerpt, Reply};
use crate::store::ContactRow;
use serde_json::Value;
use worker::Method;

pub(super) async fn deliver(
    ctx: &Ctx<'_>,
    contact: &Post,
    document: &Post,
    payment: Option<Post>,
) -> Outcome {
    let cfg = match super::xero::settings(ctx).await {
        Ok(cfg) => cfg,
        Err(outcome) => return outcome,
    };
    let id = match contact_id(ctx, &cfg, contact).await {
        Ok(id) => id,
        Err(outcome) => return outcome,
    };
    let body = with_contact_id(document.body.get(), &id);
    let (list, id_field) = if document.path == "/CreditNotes" {
        ("CreditNotes", "CreditNoteID")
    } else {
        ("Invoices", "InvoiceID")
    };
    let sent = send(
        ctx,
        &cfg,
        Method::Put,
        &document.path,
        &document.idempotency_key,
        &body,
    )
    .await;
    let (made, found) = match sent {
        Ok(reply) if number_taken(&reply) => match made_before(ctx, &cfg, list, document).await {
            Ok(made) => (made, true),
            Err(outcome) => return outcome,
        },
        Ok(reply) => match first(&reply, list, ctx.attempts) {
            Ok(made) => (made, false),
            Err(outcome) => return outcome,
        },
        Err(outcome) => return outcome,
    };
    let kind = if list == "Invoices" {
        "Invoice"
    } else {
        "CreditNote"
    };
    let mut reference = format!("{kind} {}", text(&made[id_field]));
    if found {
        reference.push_str(" (found by its number)");
    }
    // A document found paid was paid by the same earlier attempt: paying again would refund or
    // charge the customer twice (Xero refuses it anyway, as more than the amount outstanding).
    let settled = found && nothing_left(&made);
    if let Some(p) = payment.filter(|_| !settled) {
        let paid = match send(
            ctx,
            &cfg,
            Method::Put,
            &p.path,
            &p.idempotency_key,
            p.body.get(),
        )
        .await
        .and_then(|r| first(&r, "Payments", ctx.attempts))
        {
            Ok(paid) => paid,
            Err(outcome) => return outcome,
        };
        reference.push_str(&format!("; Payment {}", text(&paid["PaymentID"])));
    }
    Outcome::Delivered(reference)
}

/// The ContactID of the post's contact: the one recorded, else found by `ContactNumber`, else
/// created.
async fn contact_id(ctx: &Ctx<'_>, cfg: &XeroConfig, post: &Post) -> Result<String, Outcome> {
    let hash = details_hash(&post.body);
    let mut body = contact_body(post)?;
    let number = text(&body["Contacts"][0]["ContactNumber"]);
    if let Some(row) = known(ctx, "xero", &number).await? {
        if row.hash != hash {
            update(ctx, cfg, &number, &row, &body, post, &hash).await?;
        }
        return Ok(row.target_id);
    }
    let name = text(&body["Contacts"][0]["Name"]);
    // Made by an earlier attempt whose answer was lost (past the key's memory), or before D1 was
    // restored: `ContactNumber` is ours, so such a contact is this customer.
    if let Some(found) = find(ctx, cfg, &number).await? {
        let name = text(&found["Name"]);
        return adopt(ctx, &number, text(&found["ContactID"]), &name, &hash).await;
    }
    let reply = send(
        ctx,
        cfg,
        Method::Put,
        "/Contacts",
        &post.idempotency_key,
        post.body.get(),
    )
    .await?;
    if !name_taken(&reply) {
        let made = first(&reply, "Contacts", ctx.attempts)?;
        return adopt(ctx, &number, text(&made["ContactID"]), &name, &hash).await;
    }
    // Taken by this very contact, made meanwhile by a concurrent delivery of another document?
    if let Some(found) = find(ctx, cfg, &number).await? {
        let name = text(&found["Name"]);
        return adopt(ctx, &number, text(&found["ContactID"]), &name, &hash).await;
    }
    let Some(unique) = post.on_duplicate_name.clone() else {
        return Err(Outcome::Park(format!(
            "Xero has a contact named {name:?} that ledgerbridge did not make (contact names are unique): \
             rename it or set documents.guest_name, then POST /api/replay"
        )));
    };
    body["Contacts"][0]["Name"] = Value::String(unique.clone());
    let key = variant(&post.idempotency_key, "u");
    let reply = send(ctx, cfg, Method::Put, "/Contacts", &key, &body.to_string()).await?;
    if name_taken(&reply) {
        return Err(Outcome::Park(format!(
            "Xero refused the contact names {name:?} and {unique:?} as taken: rename the other contact, then POST /api/replay"
        )));
    }
    let made = first(&reply, "Contacts", ctx.attempts)?;
    adopt(ctx, &number, text(&made["ContactID"]), &unique, &hash).await
}

async fn adopt(
    ctx: &Ctx<'_>,
    number: &str,
    id: String,
    name: &str,
    hash: &str,
) -> Result<String, Outcome> {
    if id.is_empty() {
        return Err(Outcome::Park("Xero answered without a ContactID".into()));
    }
    let row = ContactRow {
        target_id: id,
        name: name.to_string(),
        hash: hash.to_string(),
    };
    remember(ctx, "xero", number, &row).await?;
    Ok(row.target_id)
}

/// Sends the changed details (`POST /Contacts` with the ContactID). The name it has in Xero is
/// kept when it was disambiguated; a name taken meanwhile is left out and the details sent alone.
/// Other refusals are logged (the next document tries again); throttling and outages retry.
async fn update(
    ctx: &Ctx<'_>,
    cfg: &XeroConfig,
    number: &str,
    row: &ContactRow,
    body: &Value,
    post: &Post,
    hash: &str,
) -> Result<(), Outcome> {
    let mut c = body["Contacts"][0].clone();
    c["ContactID"] = Value::String(row.target_id.clone());
    if post.on_duplicate_name.as_deref() == Some(row.name.as_str()) {
        c["Name"] = Value::String(row.name.clone());
    }
    let key = ledgerbridge_core::exporters::qbo_document_request_id(&format!(
        "xero:contact-update:{number}:{hash}"
    ));
    let mut reply = send(ctx, cfg, Method::Post, "/Contacts", &key, &wrap(&c)).await?;
    if name_taken(&reply) {
        if let Some(obj) = c.as_object_mut() {
            obj.remove("Name");
        }
        reply = send(
            ctx,
            cfg,
            Method::Post,
            "/Contacts",
            &variant(&key, "n"),
            &wrap(&c),
        )
        .await?;
    }
    match first(&reply, "Contacts", ctx.attempts) {
        Ok(_) => {
            let name = c["Name"].as_str().unwrap_or(&row.name).to_string();
            let updated = ContactRow {
                target_id: row.target_id.clone(),
                name,
                hash: hash.to_string(),
            };
            remember(ctx, "xero", number, &updated).await
        }
        Err(Outcome::Park(why)) => {
            worker::console_warn!("xero contact {} not updated: {why}", row.target_id);
            Ok(())
        }
        Err(other) => Err(other),
    }
}

fn wrap(contact: &Value) -> String {
    serde_json::json!({ "Contacts": [contact] }).to_string()
}

/// The contact whose `ContactNumber` is `number`, if any.
async fn find(ctx: &Ctx<'_>, cfg: &XeroConfig, number: &str) -> Result<Option<Value>, Outcome> {
    lookup(ctx, cfg, "Contacts", "ContactNumber", number).await
}

/// The document Xero refused to make again because its number is taken (its `Idempotency-Key`
/// forgotten after a lost answer, e.g. a replay days later): the core derives the number from the
/// document's id, so the document carrying it is this one. Parked when none does.
async fn made_before(
    ctx: &Ctx<'_>,
    cfg: &XeroConfig,
    list: &str,
    document: &Post,
) -> Result<Value, Outcome> {
    let field = if list == "Invoices" {
        "InvoiceNumber"
    } else {
        "CreditNoteNumber"
    };
    let body: Value = serde_json::from_str(document.body.get()).unwrap_or(Value::Null);
    let number = text(&body[list][0][field]);
    match lookup(ctx, cfg, list, field, &number).await? {
        Some(made) => Ok(made),
        None => Err(Outcome::Park(format!(
            "Xero refused {field} {number:?} as taken but no {list} carries it: \
             check the organisation's numbers, then POST /api/replay"
        ))),
    }
}

/// The first of `list` whose `field` is `value`, if any.
async fn lookup(
    ctx: &Ctx<'_>,
    cfg: &XeroConfig,
    list: &str,
    field: &str,
    value: &str,
) -> Result<Option<Value>, Outcome> {
    // A `"` would end the where-clause's string; the core's keys hold none but an email might.
    if value.is_empty() || value.contains('"') {
        return Ok(None);
    }
    let filter = format!("{field}==\"{value}\"");
    let url = format!(
        "{}/api.xro/2.0/{list}?where={}",
        cfg.base_url.trim_end_matches('/'),
        oauth::form_escape(&filter)
    );
    let headers = [
        ("xero-tenant-id", cfg.tenant_id.as_str()),
        ("accept", "application/json"),
    ];
    let reply = oauth::send(
        ctx,
        &XERO,
        &cfg.token_url,
        Method::Get,
        &url,
        &headers,
        None,
    )
    .await?;
    if !(200..300).contains(&reply.status) {
        return Err(refused(&reply, ctx.attempts));
    }
    let answer: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    Ok(answer[list]
        .as_array()
        .and_then(|items| items.iter().find(|c| c[field].as_str() == Some(value)))
        .cloned())
}

/// `"Contact":{` gains the ContactID. The first such text is the document's own contact: the
/// core writes `Type` before `Contact`, and a `"` inside a JSON string is always escaped.
fn with_contact_id(body: &str, id: &str) -> String {
    let id = Value::String(id.to_string());
    body.replacen(
        "\"Contact\":{",
        &format!("\"Contact\":{{\"ContactID\":{id},"),
        1,
    )
}

async fn send(
    ctx: &Ctx<'_>,
    cfg: &XeroConfig,
    method: Method,
    path: &str,
    key: &str,
    body: &str,
) -> Result<Reply, Outcome> {
    let url = format!("{}/api.xro/2.0{path}", cfg.base_url.trim_end_matches('/'));
    let headers = [
        ("xero-tenant-id", cfg.tenant_id.as_str()),
        ("idempotency-key", key),
        ("content-type", "application/json"),
        ("accept", "application/json"),
    ];
    oauth::send(
        ctx,
        &XERO,
        &cfg.token_url,
        method,
        &url,
        &headers,
        Some(body),
    )
    .await
}

/// The first object of `list` in a 2xx answer; the answer's outcome otherwise. Validation errors
/// on the object (Xero's 200 with `summarizeErrors=false`) park like a 400.
fn first(reply: &Reply, list: &str, attempts: i64) -> Result<Value, Outcome> {
    if !(200..300).contains(&reply.status) {
        return Err(refused(reply, attempts));
    }
    let mut answer: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    let object = answer[list][0].take();
    match object["ValidationErrors"].as_array() {
        Some(errors) if !errors.is_empty() => Err(Outcome::Park(format!(
            "xero validation: {}",
            excerpt(&Value::from(errors.clone()).to_string())
        ))),
        _ if object.is_null() => Err(Outcome::Park(format!(
            "xero answered {} without {list}",
            reply.status
        ))),
        _ => Ok(object),
    }
}

/// A contact's name, or (on a document's PUT) its number: "Invoice # must be unique." in
/// Xero's published examples, as a 400 or as the object's validation error.
fn name_taken(reply: &Reply) -> bool {
    reply.status == 400 && reply.body.contains("must be unique")
}

/// Whether an invoice has nothing due (`AmountDue`) or a credit note nothing left to refund
/// (`RemainingCredit`). Only ever compared with zero, which every float spelling of it equals.
fn nothing_left(document: &Value) -> bool {
    ["AmountDue", "RemainingCredit"]
        .iter()
        .any(|field| document[*field].as_f64() == Some(0.0))
}

fn number_taken(reply: &Reply) -> bool {
    reply.status < 300 && reply.body.contains("must be unique") || name_taken(reply)
}

fn refused(reply: &Reply, attempts: i64) -> Outcome {
    match classify(reply, attempts, &|r| format!("xero {}", r.status)) {
        Outcome::Delivered(what) => Outcome::Park(format!("unexpected answer: {what}")),
        other => other,
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_with_nothing_due_or_left_to_refund_is_settled() {
        for settled in [
            r#"{"AmountDue":0}"#,
            r#"{"AmountDue":0.00}"#,
            r#"{"RemainingCredit":0.0}"#,
        ] {
            let document = serde_json::from_str(settled).unwrap_or(Value::Null);
            assert!(nothing_left(&document), "{settled}");
        }
        for open in [
            r#"{"AmountDue":25.00}"#,
            r#"{"RemainingCredit":0.01}"#,
            "{}",
        ] {
            let document = serde_json::from_str(open).unwrap_or(Value::Null);
            assert!(!nothing_left(&document), "{open}");
        }
    }

    #[test]
    fn the_contact_id_goes_into_the_documents_contact_only() {
        let body = r#"{"Invoices":[{"Type":"ACCREC","Contact":{"ContactNumber":"id:1"},"LineItems":[{"Description":"\"Contact\":{x}","LineAmount":25.00}]}]}"#;
        assert_eq!(
            with_contact_id(body, "c-1"),
            r#"{"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"c-1","ContactNumber":"id:1"},"LineItems":[{"Description":"\"Contact\":{x}","LineAmount":25.00}]}]}"#
        );
    }
}
