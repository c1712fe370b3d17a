//! Xero: `PUT /api.xro/2.0/ManualJournals` with one journal per request and an
//! `Idempotency-Key` (both from the core: `xero_manual_journal`, `xero_idempotency_key`), so one
//! key stands for one outcome. Limits per tenant: 60 calls per minute, 5 000 per day.

use super::oauth::{self, XERO};
use super::{classify, Ctx, Outcome};
use crate::http::excerpt;
use crate::peek;
use ledgerbridge_core::exporters::{xero_idempotency_key, xero_manual_journal};
use ledgerbridge_core::Entry;
use worker::Method;

/// The first journal of Xero's answer: its id and its validation errors as written (each error
/// object's text). Read with the core's [`Reader`] (issue #17); an answer that is not such an
/// object is `None`, as the derives' failure was.
fn first_journal(body: &str) -> Option<(Option<String>, Vec<&str>)> {
    let [journals] = peek::members(body, ["ManualJournals"]).ok()?;
    let first = *peek::items(journals.unwrap_or("[]")).ok()?.first()?;
    let [id, errors] = peek::members(first, ["ManualJournalID", "ValidationErrors"]).ok()?;
    let errors = peek::items(errors.unwrap_or("[]")).ok()?;
    Some((peek::text(id), errors))
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
        return classify(&reply, ctx.attempts, &|r| format!("xero {}", r.status));
    }
    // Xero answers 200 with per-journal validation errors (`summarizeErrors=false`): one journal
    // per request, so its errors are this entry's.
    match first_journal(&reply.body) {
        Some((_, errors)) if !errors.is_empty() => Outcome::Park(format!(
            "xero validation: {}",
            excerpt(&format!("[{}]", errors.join(",")))
        )),
        Some((Some(id), _)) => Outcome::Delivered(format!("ManualJournal {id}")),
        _ => Outcome::Delivered(format!("xero {}", reply.status)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_first_journal_gives_its_id_or_its_validation_errors() {
        let ok = r#"{"Id":"x","Status":"OK","ManualJournals":[{"ManualJournalID":"0408b273","Status":"POSTED","ValidationErrors":[]}]}"#;
        assert_eq!(
            first_journal(ok),
            Some((Some("0408b273".to_string()), vec![]))
        );
        let refused = r#"{"ManualJournals":[{"ValidationErrors":[{"Message":"Account code '999' is not valid"}, {"Message":"b"}]}]}"#;
        assert_eq!(
            first_journal(refused),
            Some((
                None,
                vec![
                    r#"{"Message":"Account code '999' is not valid"}"#,
                    r#"{"Message":"b"}"#
                ]
            ))
        );
        for none in [
            r#"{"ManualJournals":[]}"#,
            r#"{"ManualJournals":null}"#,
            r#"{}"#,
            "[]",
        ] {
            assert_eq!(first_journal(none), None, "{none}");
        }
    }
}
