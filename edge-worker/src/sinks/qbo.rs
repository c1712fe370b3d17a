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
use crate::peek;
use ledgerbridge_core::exporters::{doc_number, qbo_journal_entry, qbo_request_id};
use ledgerbridge_core::Entry;
use worker::Method;

/// `Id` of the first object under `kind` of a QBO answer (`{"JournalEntry": {"Id": "…"}}`),
/// or under `QueryResponse.<kind>[]` for a query's: read with the core's [`Reader`] (issue #17),
/// anything unexpected `None`, as the derives' failures were.
fn created_id(body: &str, kind: &str) -> Option<String> {
    let [found] = peek::members(body, [kind]).ok()?;
    let [id] = peek::members(found?, ["Id"]).ok()?;
    peek::text(id)
}

fn queried_id(body: &str, kind: &str) -> Option<String> {
    let [response] = peek::members(body, ["QueryResponse"]).ok()?;
    let [list] = peek::members(response?, [kind]).ok()?;
    let items = peek::items(list.unwrap_or("[]")).ok()?;
    let ids: Vec<Option<String>> = items
        .into_iter()
        .map(|item| {
            let [id] = peek::members(item, ["Id"]).ok()?;
            Some(peek::text(id))
        })
        .collect::<Option<_>>()?;
    ids.into_iter().flatten().next()
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
    if duplicate_doc_number(&reply) {
        return already_posted(ctx, cfg, "JournalEntry", &doc_number(entry)).await;
    }
    classify(&reply, ctx.attempts, &|r| {
        created_id(&r.body, "JournalEntry")
            .map(|id| format!("JournalEntry {id}"))
            .unwrap_or_else(|| format!("qbo {}", r.status))
    })
}

/// 6140 "Duplicate Document Number", answered by a company that refuses repeated numbers.
pub(super) fn duplicate_doc_number(reply: &crate::http::Reply) -> bool {
    reply.status == 400 && reply.body.contains("\"6140\"")
}

/// After 6140: the `kind` (`JournalEntry`, `SalesReceipt`, …) may exist already. Its `DocNumber`
/// is derived from the entry's or document's id, so an object carrying it is this one, posted by
/// an earlier attempt whose answer was lost (past the `requestid`'s memory); anything else is
/// parked for a person, never re-posted with a different number.
pub(super) async fn already_posted(
    ctx: &Ctx<'_>,
    cfg: &crate::config::QboConfig,
    kind: &str,
    doc: &str,
) -> Outcome {
    // The core's numbers are ASCII letters, digits and '-': anything else is not ours to quote.
    if doc.is_empty() || !doc.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Outcome::Park(format!(
            "QBO refused DocNumber {doc:?} as a duplicate (6140); it cannot be looked up: \
             check the company's document numbers, then POST /api/replay"
        ));
    }
    let query = format!("select Id from {kind} where DocNumber = '{doc}'");
    let url = cfg.url("query", Some(("query", &query)));
    let headers = [("accept", "application/json")];
    let reply =
        match oauth::send(ctx, &QBO, &cfg.token_url, Method::Get, &url, &headers, None).await {
            Ok(reply) => reply,
            Err(outcome) => return outcome,
        };
    if !(200..300).contains(&reply.status) {
        return classify(&reply, ctx.attempts, &|_| String::new());
    }
    match queried_id(&reply.body, kind) {
        Some(id) => Outcome::Delivered(format!("{kind} {id}")),
        None => Outcome::Park(format!(
            "QBO refused DocNumber {doc} as a duplicate (6140) but no {kind} carries it: \
             check the company's document numbers, then POST /api/replay"
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ids_are_read_from_created_and_queried_answers() {
        let created =
            r#"{"JournalEntry":{"Id":"100","SyncToken":"0","Line":[]},"time":"2026-12-04"}"#;
        assert_eq!(created_id(created, "JournalEntry").as_deref(), Some("100"));
        for none in [
            r#"{"JournalEntry":null}"#,
            r#"{"Fault":{}}"#,
            "not json",
            r#"{"JournalEntry":{"Id":7}}"#,
        ] {
            assert_eq!(created_id(none, "JournalEntry"), None, "{none}");
        }
        let queried = r#"{"QueryResponse":{"JournalEntry":[{"Id":"7","DocNumber":"x"},{"Id":"8"}],"startPosition":1},"time":"t"}"#;
        assert_eq!(queried_id(queried, "JournalEntry").as_deref(), Some("7"));
        let later = r#"{"QueryResponse":{"JournalEntry":[{"Id":null},{"Id":"8"}]}}"#;
        assert_eq!(queried_id(later, "JournalEntry").as_deref(), Some("8"));
        for none in [
            r#"{"QueryResponse":{}}"#,
            r#"{"QueryResponse":null}"#,
            r#"{"QueryResponse":{"JournalEntry":[1]}}"#,
        ] {
            assert_eq!(queried_id(none, "JournalEntry"), None, "{none}");
        }
    }
}
