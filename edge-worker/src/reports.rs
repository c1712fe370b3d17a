//! `GET /api/reports/:kind?shop=&from=&to=&by=&currency=`: one shop's report over its D1 ledger,
//! built by the core's `reports::report` with the shop's config, answered as the core's JSON (the
//! bytes npm's `report()` and the CLI give for the same entries).
//!
//! Bounded per request rather than pre-aggregated: the range is at most [`MAX_DAYS`] and at most
//! [`MAX_ENTRIES`] entries are read (clearing and gift cards read from the shop's first entry,
//! as their openings need); past either bound the answer is an error that names the parameter to
//! narrow, never a report over part of the entries. docs/reports.md says why and what is left.

use crate::api::authorize;
use crate::config::Settings;
use crate::http_error::{HttpError, HttpResult};
use crate::store::Db;
use ledgerbridge_core::reports::{report, ReportKind, ReportOptions};
use ledgerbridge_core::{Entry, LedgerError};
use serde::Deserialize;
use worker::{Env, Request, Response};

/// Longest range one request covers, in days (a leap year).
pub const MAX_DAYS: i64 = 366;
/// Most entries one request reads: their JSON and the report stay well inside a Worker's 128 MB
/// and, measured natively, its CPU limit (README).
pub const MAX_ENTRIES: usize = 10_000;

#[derive(Deserialize, Default)]
struct Query {
    shop: Option<String>,
    from: Option<String>,
    to: Option<String>,
    by: Option<String>,
    currency: Option<String>,
    format: Option<String>,
}

pub async fn handle(
    req: &Request,
    env: &Env,
    settings: &Settings,
    kind: &str,
) -> HttpResult<Response> {
    let q: Query = req
        .query()
        .map_err(|e| HttpError::bad_request("E_BAD_QUERY", e.to_string()))?;
    let caller = authorize(req, env, settings, given(&q.shop))?;
    let shop = caller
        .scope(given(&q.shop))?
        .ok_or_else(|| missing("shop", "a report covers one shop's ledger"))?;
    let kind: ReportKind = kind.parse().map_err(option_error)?;
    if let Some(f) = given(&q.format).filter(|f| *f != "json") {
        return Err(param(
            "E_UNSUPPORTED_FORMAT",
            "format",
            format!("format={f:?}: reports are answered as json (the admin page writes its CSV from the tables)"),
        ));
    }
    let options = ReportOptions {
        from: given(&q.from).map(str::to_string),
        to: given(&q.to).map(str::to_string),
        by: given(&q.by).map(str::to_string),
        currency: given(&q.currency).map(str::to_string),
    };
    let db = Db::new(env)?;
    // The mapping in effect (a version saved from /admin, else the SHOPS var's), as the consumer
    // maps with: reports name the accounts the entries were booked to.
    let (config, _) = crate::setup::effective_mapping(&db, &settings.shop(&shop), &shop)
        .await
        .map_err(HttpError::internal)?;
    // The core checks the options (dates, order, grouping for this kind, currency) on no entries
    // before anything is read, so a bad request costs no D1 read.
    report(kind, &[], &config, &options).map_err(option_error)?;
    let (Some(from), Some(to)) = (options.from.as_deref(), options.to.as_deref()) else {
        let which = if options.from.is_none() { "from" } else { "to" };
        return Err(missing(which, "a report needs from and to (YYYY-MM-DD)"));
    };
    match options.span_days() {
        Some(days) if days <= MAX_DAYS => {}
        _ => {
            return Err(param(
                "E_RANGE_TOO_LONG",
                "to",
                format!("{from}..{to} is over {MAX_DAYS} days; ask for one year at most"),
            ))
        }
    }
    let since = (!kind.opens_with_history()).then_some(from);
    let rows = db.report_entries(&shop, since, to, MAX_ENTRIES + 1).await?;
    if rows.len() > MAX_ENTRIES {
        let mut e = HttpError::new(
            422,
            "E_REPORT_TOO_LARGE",
            format!("more than {MAX_ENTRIES} entries to read; ask for a shorter range"),
        );
        e.path = "from".into();
        return Err(e);
    }
    let entries = rows
        .iter()
        .map(|j| serde_json::from_str::<Entry>(j))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| HttpError::internal(format!("stored entry unreadable: {e}")))?;
    let doc = report(kind, &entries, &config, &options)?;
    Ok(Response::from_json(&doc)?)
}

/// A parameter counts as absent when empty, as a cleared form field sends it.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn param(code: &'static str, path: &str, message: impl Into<String>) -> HttpError {
    let mut e = HttpError::bad_request(code, message);
    e.path = path.into();
    e
}

fn missing(path: &str, why: &str) -> HttpError {
    param(
        "E_MISSING_PARAM",
        path,
        format!("{path} is required: {why}"),
    )
}

/// An option the core refused is the caller's query: a 400 with the core's code, and the path
/// named as the query parameter (`options.to` → `to`).
fn option_error(e: LedgerError) -> HttpError {
    let mut h = HttpError::from(e);
    h.status = 400;
    if let Some(p) = h.path.strip_prefix("options.") {
        h.path = p.to_string();
    }
    h
}
