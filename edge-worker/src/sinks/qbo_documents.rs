//! QuickBooks Online documents: the `Customer` (find or create, update when changed), then the
//! `SalesReceipt`, `Invoice` or `RefundReceipt` with its `CustomerRef`, each with the core's
//! `requestid`. A company that refuses repeated document numbers answers a re-post whose
//! `requestid` QBO has forgotten with 6140: the document is then looked up by its `DocNumber`, as
//! a journal is.
//!
//! A taken `DisplayName` (error 6240) is first checked against our own customers (a customer
//! whose `Notes` carries the find key is one this worker made, e.g. before D1 was restored), then
//! the post's `on_duplicate_name` is sent once; a second refusal parks the document with the names
//! tried. Never a loop: every name is derived from the customer, so a retry sends the same names.

use super::documents::{self, contact_body, details_hash, known, remember, variant, Post};
use super::oauth::{self, QBO};
use super::{classify, Ctx, Outcome};
use crate::config::QboConfig;
use crate::http::Reply;
use crate::store::ContactRow;
use serde_json::{json, Value};
use worker::Method;

pub(super) async fn deliver(ctx: &Ctx<'_>, contact: &Post, document: &Post) -> Outcome {
    let cfg = match super::qbo::settings(ctx).await {
        Ok(cfg) => cfg,
        Err(outcome) => return outcome,
    };
    let id = match customer_id(ctx, &cfg, contact).await {
        Ok(id) => id,
        Err(outcome) => return outcome,
    };
    let body =
        documents::with_field_first(document.body.get(), "CustomerRef", &json!({ "value": id }));
    let reply = match send(ctx, &cfg, &document.resource, &document.requestid, &body).await {
        Ok(reply) => reply,
        Err(outcome) => return outcome,
    };
    let kind = match document.resource.as_str() {
        "salesreceipt" => "SalesReceipt",
        "refundreceipt" => "RefundReceipt",
        _ => "Invoice",
    };
    if super::qbo::duplicate_doc_number(&reply) {
        let doc = serde_json::from_str::<Value>(document.body.get())
            .map(|b| text(&b["DocNumber"]))
            .unwrap_or_default();
        return super::qbo::already_posted(ctx, &cfg, kind, &doc).await;
    }
    classify(&reply, ctx.attempts, &|r| {
        created(&r.body, kind)
            .map(|(id, _)| format!("{kind} {id}"))
            .unwrap_or_else(|| format!("qbo {}", r.status))
    })
}

/// The QBO id of the post's customer: the one recorded, else created (or found, after 6240).
async fn customer_id(ctx: &Ctx<'_>, cfg: &QboConfig, post: &Post) -> Result<String, Outcome> {
    let key = post.customer.as_str();
    let hash = details_hash(&post.body);
    let mut body = contact_body(post)?;
    if let Some(row) = known(ctx, "qbo", key).await? {
        if row.hash != hash {
            update(ctx, cfg, key, &row, &body, post, &hash).await?;
        }
        return Ok(row.target_id);
    }
    let name = text(&body["DisplayName"]);
    let reply = send(ctx, cfg, "customer", &post.requestid, post.body.get()).await?;
    if let Some(id) = created_customer(&reply) {
        return adopt(ctx, key, id, &name, &hash).await;
    }
    if !duplicate_name(&reply) {
        return Err(refused(&reply, ctx.attempts));
    }
    if let Some(id) = ours(ctx, cfg, &name, key).await? {
        return adopt(ctx, key, id, &name, &hash).await;
    }
    let Some(unique) = post.on_duplicate_name.clone() else {
        return Err(Outcome::Park(format!(
            "QBO has a customer, vendor or employee named {name:?} that ledgerbridge did not make (error 6240): \
             rename it or set documents.guest_name, then POST /api/replay"
        )));
    };
    body["DisplayName"] = Value::String(unique.clone());
    let reply = post_customer(ctx, cfg, &variant(&post.requestid, "u"), &body).await?;
    if let Some(id) = created_customer(&reply) {
        return adopt(ctx, key, id, &unique, &hash).await;
    }
    if !duplicate_name(&reply) {
        return Err(refused(&reply, ctx.attempts));
    }
    match ours(ctx, cfg, &unique, key).await? {
        Some(id) => adopt(ctx, key, id, &unique, &hash).await,
        None => Err(Outcome::Park(format!(
            "QBO refused the customer names {name:?} and {unique:?} as taken (error 6240): \
             rename the other customer, then POST /api/replay"
        ))),
    }
}

async fn adopt(
    ctx: &Ctx<'_>,
    key: &str,
    id: String,
    name: &str,
    hash: &str,
) -> Result<String, Outcome> {
    let row = ContactRow {
        target_id: id,
        name: name.to_string(),
        hash: hash.to_string(),
    };
    remember(ctx, "qbo", key, &row).await?;
    Ok(row.target_id)
}

/// Sends the customer's changed details as a sparse update. The name it has in QBO is kept when
/// it is the disambiguated one; a name taken meanwhile (6240) is left as it is and the details
/// are sent alone. A refusal for any other reason is logged and the document still goes to the
/// customer as it is (the next document tries again); throttling and outages retry.
async fn update(
    ctx: &Ctx<'_>,
    cfg: &QboConfig,
    key: &str,
    row: &ContactRow,
    body: &Value,
    post: &Post,
    hash: &str,
) -> Result<(), Outcome> {
    // QBO refuses an update made from a stale SyncToken: read the current one.
    let query = format!(
        "select * from Customer where Id = '{}'",
        escape(&row.target_id)
    );
    let found = query_customers(ctx, cfg, &query).await?;
    let Some(current) = found.first() else {
        worker::console_warn!(
            "qbo customer {} is gone; documents keep naming it",
            row.target_id
        );
        return Ok(());
    };
    let mut b = body.clone();
    b["Id"] = Value::String(row.target_id.clone());
    b["SyncToken"] = current["SyncToken"].clone();
    b["sparse"] = Value::Bool(true);
    if post.on_duplicate_name.as_deref() == Some(row.name.as_str()) {
        b["DisplayName"] = Value::String(row.name.clone());
    }
    let requestid = qbo_update_id(key, hash);
    let mut reply = post_customer(ctx, cfg, &requestid, &b).await?;
    if duplicate_name(&reply) {
        if let Some(obj) = b.as_object_mut() {
            obj.remove("DisplayName");
        }
        reply = post_customer(ctx, cfg, &variant(&requestid, "n"), &b).await?;
    }
    if created_customer(&reply).is_some() {
        let name = b["DisplayName"].as_str().unwrap_or(&row.name).to_string();
        let updated = ContactRow {
            target_id: row.target_id.clone(),
            name,
            hash: hash.to_string(),
        };
        return remember(ctx, "qbo", key, &updated).await;
    }
    match refused(&reply, ctx.attempts) {
        Outcome::Park(why) => {
            worker::console_warn!("qbo customer {} not updated: {why}", row.target_id);
            Ok(())
        }
        other => Err(other),
    }
}

fn qbo_update_id(key: &str, hash: &str) -> String {
    ledgerbridge_core::exporters::qbo_document_request_id(&format!(
        "qbo:customer-update:{key}:{hash}"
    ))
}

/// The id of the customer named `name` whose `Notes` carry our find key: one this worker made.
async fn ours(
    ctx: &Ctx<'_>,
    cfg: &QboConfig,
    name: &str,
    key: &str,
) -> Result<Option<String>, Outcome> {
    let query = format!(
        "select * from Customer where DisplayName = '{}'",
        escape(name)
    );
    let note = format!("ledgerbridge {key}");
    Ok(query_customers(ctx, cfg, &query)
        .await?
        .into_iter()
        .find(|c| c["Notes"].as_str() == Some(note.as_str()))
        .and_then(|c| c["Id"].as_str().map(str::to_string)))
}

async fn query_customers(
    ctx: &Ctx<'_>,
    cfg: &QboConfig,
    query: &str,
) -> Result<Vec<Value>, Outcome> {
    let url = cfg.url("query", Some(("query", query)));
    let headers = [("accept", "application/json")];
    let reply = oauth::send(ctx, &QBO, &cfg.token_url, Method::Get, &url, &headers, None).await?;
    if !(200..300).contains(&reply.status) {
        return Err(refused(&reply, ctx.attempts));
    }
    let answer: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    Ok(answer["QueryResponse"]["Customer"]
        .as_array()
        .cloned()
        .unwrap_or_default())
}

/// A quoted value in a QBO query: `\` and `'` escaped.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\'', "\\'")
}

async fn post_customer(
    ctx: &Ctx<'_>,
    cfg: &QboConfig,
    requestid: &str,
    body: &Value,
) -> Result<Reply, Outcome> {
    send(ctx, cfg, "customer", requestid, &body.to_string()).await
}

async fn send(
    ctx: &Ctx<'_>,
    cfg: &QboConfig,
    resource: &str,
    requestid: &str,
    body: &str,
) -> Result<Reply, Outcome> {
    let url = cfg.url(resource, Some(("requestid", requestid)));
    let headers = [
        ("content-type", "application/json"),
        ("accept", "application/json"),
    ];
    oauth::send(
        ctx,
        &QBO,
        &cfg.token_url,
        Method::Post,
        &url,
        &headers,
        Some(body),
    )
    .await
}

/// `(Id, object)` of the `kind` object a 2xx answer carries.
fn created(body: &str, kind: &str) -> Option<(String, Value)> {
    let mut answer: Value = serde_json::from_str(body).ok()?;
    let object = answer.get_mut(kind)?.take();
    Some((object["Id"].as_str()?.to_string(), object))
}

fn created_customer(reply: &Reply) -> Option<String> {
    if !(200..300).contains(&reply.status) {
        return None;
    }
    created(&reply.body, "Customer").map(|(id, _)| id)
}

fn duplicate_name(reply: &Reply) -> bool {
    reply.status == 400 && reply.body.contains("\"6240\"")
}

/// A non-2xx answer as an outcome (retry, wait or park with the answer's text).
fn refused(reply: &Reply, attempts: i64) -> Outcome {
    match classify(reply, attempts, &|r| format!("qbo {}", r.status)) {
        Outcome::Delivered(what) => Outcome::Park(format!("unexpected answer: {what}")),
        other => other,
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}
