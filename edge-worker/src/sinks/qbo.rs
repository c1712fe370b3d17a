//! QuickBooks Online: `POST /v3/company/{realm}/journalentry?requestid=…`. The body and the
//! `requestid` come from the core (`qbo_journal_entry`, `qbo_request_id`); QBO answers a repeated
//! `requestid` with the original response, so a retry after an unknown outcome cannot post twice.
//! Limits: 500 requests per minute per realm; 429 means wait (60 s unless told).

use super::oauth::{self, QBO};
use super::{classify, Ctx, Outcome};
use ledgerbridge_core::exporters::{qbo_journal_entry, qbo_request_id};
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

pub async fn deliver(ctx: &Ctx<'_>, entry: &Entry) -> Outcome {
    let Some(cfg) = ctx.shop_config.qbo.as_ref() else {
        return Outcome::Park(format!(
            "qbo target without SHOPS[{}].qbo (realm_id)",
            ctx.shop
        ));
    };
    let body = match ctx
        .shop_config
        .mapping(ctx.shop)
        .map_err(|e| e.to_string())
        .and_then(|config| {
            qbo_journal_entry(entry, &config)
                .map_err(|e| format!("{e} [{} at {}]", e.code(), e.path()))
        }) {
        Ok(body) => body,
        Err(e) => return Outcome::Park(format!("cannot build the QBO journal entry: {e}")),
    };
    let url = format!(
        "{}/v3/company/{}/journalentry?minorversion={}&requestid={}",
        cfg.base_url.trim_end_matches('/'),
        cfg.realm_id,
        cfg.minor_version,
        qbo_request_id(entry)
    );
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
        &body,
    )
    .await
    {
        Ok(reply) => reply,
        Err(outcome) => return outcome,
    };
    classify(&reply, ctx.attempts, |r| {
        serde_json::from_str::<Created>(&r.body)
            .ok()
            .and_then(|c| c.journal_entry)
            .and_then(|j| j.id)
            .map(|id| format!("JournalEntry {id}"))
            .unwrap_or_else(|| format!("qbo {}", r.status))
    })
}
