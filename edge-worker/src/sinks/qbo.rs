//! QuickBooks Online: `POST /v3/company/{realm}/journalentry?requestid=…`. The body and the
//! `requestid` come from the core (`qbo_journal_entry`, `qbo_request_id`); QBO answers a repeated
//! `requestid` with the original response, so a retry after an unknown outcome cannot post twice.
//! Limits: 500 requests per minute per realm; 429 means wait (60 s unless told).
//!
//! How long QBO remembers a `requestid` is not documented. Past it, a re-post (a replay, a retry
//! after a long outage) would create a second journal, unless the company rejects repeated
//! document numbers: then QBO answers 6140, and since every entry has its own `DocNumber` (the
//! core's `doc_number`), the sink looks the journal up by it and records that one as posted.

use super::oauth::{self, QBO};
use super::{classify, Ctx, Outcome};
use ledgerbridge_core::exporters::{doc_number, qbo_journal_entry, qbo_request_id};
use ledgerbridge_core::Entry;
use serde::Deserialize;
use worker::Method;

#[derive(Deserialize)]
struct Created {
    #[serde(rename = "JournalEntry")]
    journal_entry: Option<Ref>,
}

#[derive(Deserialize)]
struct Ref {
    #[serde(rename = "Id")]
    id: Option<String>,
}

/// The shop's QBO settings, with the company connected on the admin page when SHOPS names none.
pub(super) async fn settings(ctx: &Ctx<'_>) -> Result<crate::config::QboConfig, Outcome> {
    let mut cfg = ctx.shop_config.qbo_or_default();
    if cfg.realm_id.is_empty() {
        cfg.realm_id = super::connected_account(ctx, "qbo").await?;
    }
    Ok(cfg)
}

pub async fn deliver(ctx: &Ctx<'_>, entry: &Entry) -> Outcome {
    let cfg = match settings(ctx).await {
        Ok(cfg) => cfg,
        Err(outcome) => return outcome,
    };
    let cfg = &cfg;
    // The exports of the config in effect now: a saved mapping to the target's accounts applies
    // to what is posted from then on.
    let body = match crate::setup::effective_mapping(ctx.db, ctx.shop_config, ctx.shop)
        .await
        .map(|(config, _)| config)
        .and_then(|config| {
            qbo_journal_entry(entry, &config)
                .map_err(|e| format!("{e} [{} at {}]", e.code(), e.path()))
        }) {
        Ok(body) => body,
        Err(e) => return Outcome::Park(format!("cannot build the QBO journal entry: {e}")),
    };
    let url = cfg.url("journalentry", Some(("requestid", &qbo_request_id(entry))));
    let headers = [
        ("content-type", "application/json"),
        ("accept", "application/json"),
    ];
    let reply = match oauth::send(
        ctx,
        &QBO,
        &cfg.token_url,
        Method::Post,
        &url,
        &headers,
        Some(&body),
    )
    .await
    {
        Ok(reply) => reply,
        Err(outcome) => return outcome,
    };
    if reply.status == 400 && reply.body.contains("\"6140\"") {
        return already_posted(ctx, cfg, entry).await;
    }
    classify(&reply, ctx.attempts, |r| {
        serde_json::from_str::<Created>(&r.body)
            .ok()
            .and_then(|c| c.journal_entry)
            .and_then(|j| j.id)
            .map(|id| format!("JournalEntry {id}"))
            .unwrap_or_else(|| format!("qbo {}", r.status))
    })
}

#[derive(Deserialize)]
struct Queried {
    #[serde(rename = "QueryResponse")]
    response: Option<Found>,
}

#[derive(Deserialize)]
struct Found {
    #[serde(rename = "JournalEntry", default)]
    journals: Vec<Ref>,
}

/// 6140 "Duplicate Document Number": this entry's journal may exist already. Its `DocNumber` is
/// derived from the entry id, so a journal carrying it is this entry, posted by an earlier
/// attempt whose answer was lost; anything else is parked for a person, never re-posted with a
/// different number.
async fn already_posted(ctx: &Ctx<'_>, cfg: &crate::config::QboConfig, entry: &Entry) -> Outcome {
    let doc = doc_number(entry);
    // `doc` is ASCII letters, digits and '-' only: nothing to escape inside the quotes.
    let query = format!("select Id from JournalEntry where DocNumber = '{doc}'");
    let url = cfg.url("query", Some(("query", &query)));
    let headers = [("accept", "application/json")];
    let reply =
        match oauth::send(ctx, &QBO, &cfg.token_url, Method::Get, &url, &headers, None).await {
            Ok(reply) => reply,
            Err(outcome) => return outcome,
        };
    if !(200..300).contains(&reply.status) {
        return classify(&reply, ctx.attempts, |_| String::new());
    }
    let found = serde_json::from_str::<Queried>(&reply.body)
        .ok()
        .and_then(|q| q.response)
        .and_then(|r| r.journals.into_iter().find_map(|j| j.id));
    match found {
        Some(id) => Outcome::Delivered(format!("JournalEntry {id}")),
        None => Outcome::Park(format!(
            "QBO refused DocNumber {doc} as a duplicate (6140) but no journal entry carries it: \
             check the company's document numbers, then POST /api/replay"
        )),
    }
}
