//! Xero: `PUT /api.xro/2.0/ManualJournals` with one journal per request and an
//! `Idempotency-Key` (both from the core: `xero_manual_journal`, `xero_idempotency_key`), so one
//! key stands for one outcome. Limits per tenant: 60 calls per minute, 5 000 per day.

use super::oauth::{self, XERO};
use super::{classify, Ctx, Outcome};
use crate::http::excerpt;
use ledgerbridge_core::exporters::{xero_idempotency_key, xero_manual_journal};
use ledgerbridge_core::Entry;
use serde::Deserialize;
use worker::Method;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    #[serde(default)]
    manual_journals: Vec<Journal>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Journal {
    #[serde(rename = "ManualJournalID")]
    manual_journal_id: Option<String>,
    #[serde(default)]
    validation_errors: Vec<serde_json::Value>,
}

/// The shop's Xero settings, with the organisation connected on the admin page when SHOPS names
/// none.
pub(super) async fn settings(ctx: &Ctx<'_>) -> Result<crate::config::XeroConfig, Outcome> {
    let mut cfg = ctx.shop_config.xero_or_default();
    if cfg.tenant_id.is_empty() {
        cfg.tenant_id = super::connected_account(ctx, "xero").await?;
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
            xero_manual_journal(entry, &config)
                .map_err(|e| format!("{e} [{} at {}]", e.code(), e.path()))
        }) {
        Ok(body) => body,
        Err(e) => return Outcome::Park(format!("cannot build the Xero manual journal: {e}")),
    };
    let url = format!(
        "{}/api.xro/2.0/ManualJournals",
        cfg.base_url.trim_end_matches('/')
    );
    let key = xero_idempotency_key(entry);
    let headers = [
        ("xero-tenant-id", cfg.tenant_id.as_str()),
        ("idempotency-key", key.as_str()),
        ("content-type", "application/json"),
        ("accept", "application/json"),
    ];
    let reply = match oauth::send(
        ctx,
        &XERO,
        &cfg.token_url,
        Method::Put,
        &url,
        &headers,
        Some(&body),
    )
    .await
    {
        Ok(reply) => reply,
        Err(outcome) => return outcome,
    };
    if !(200..300).contains(&reply.status) {
        return classify(&reply, ctx.attempts, |r| format!("xero {}", r.status));
    }
    // Xero answers 200 with per-journal validation errors (`summarizeErrors=false`): one journal
    // per request, so its errors are this entry's.
    let answer: Option<Answer> = serde_json::from_str(&reply.body).ok();
    match answer.and_then(|a| a.manual_journals.into_iter().next()) {
        Some(j) if !j.validation_errors.is_empty() => Outcome::Park(format!(
            "xero validation: {}",
            excerpt(&serde_json::Value::from(j.validation_errors).to_string())
        )),
        Some(Journal {
            manual_journal_id: Some(id),
            ..
        }) => Outcome::Delivered(format!("ManualJournal {id}")),
        _ => Outcome::Delivered(format!("xero {}", reply.status)),
    }
}
