//! `GET /api/reports/:kind?shop=&from=&to=&by=&currency=`: one shop's report over its D1 ledger,
//! built by the core's `reports::report` with the shop's config, answered as the core's JSON (the
//! bytes npm's `report()` and the CLI give for the same entries).
//!
//! Two paths, one answer. A range of at most [`MAX_ENTRIES`] entries (clearing and gift cards
//! count from the shop's first entry, as their openings need) is read and reported on as is, with
//! drill-down ids. A larger one (or `ids=0`) is answered from the per-day aggregates of migration
//! 0013 (`reports::report_from_days`), the same figures without ids; days changed since they were
//! aggregated are re-aggregated first, at most [`REBUILD_ENTRIES`] entries per request, and a
//! request that leaves some is refused (503, retry) rather than answered over part of the ledger.
//! The range is at most [`MAX_DAYS`] either way. docs/reports.md says why.

use crate::api::authorize;
use crate::config::Settings;
use crate::http_error::{HttpError, HttpResult};
use crate::store::{stored_entries, BuiltDay, Db, ReportDay};
use ledgerbridge_core::journal::entry_from_json;
use ledgerbridge_core::reports::SortedMap;
use ledgerbridge_core::reports::{
    aggregate_day, config_fingerprint, day_from_json, report, report_csv, report_from_days, Report,
    ReportKind, ReportOptions,
};
use ledgerbridge_core::{Config, Entry, LedgerError};
use worker::{Env, Request, Response};

/// Longest range one request covers, in days (a leap year).
pub const MAX_DAYS: i64 = 366;
/// Most entries one request reports on directly (with drill-down ids): their JSON and the report
/// stay well inside a Worker's 128 MB and, measured natively, its CPU limit (README).
pub const MAX_ENTRIES: usize = 10_000;
/// Most entries one request re-aggregates into stale days: about the CPU of a direct report.
pub const REBUILD_ENTRIES: usize = 10_000;
/// Days read per query when re-aggregating.
const DAYS_PER_READ: usize = 31;

#[derive(Default)]
struct Query {
    shop: Option<String>,
    from: Option<String>,
    to: Option<String>,
    by: Option<String>,
    currency: Option<String>,
    format: Option<String>,
    /// `0`: no drill-down ids, answered from the day aggregates whatever the range's size.
    ids: Option<String>,
}

pub async fn handle(
    req: &Request,
    env: &Env,
    settings: &Settings,
    kind: &str,
) -> HttpResult<Response> {
    let [shop, from, to, by, currency, format, ids] = crate::peek::query(
        req,
        ["shop", "from", "to", "by", "currency", "format", "ids"],
    )?;
    let q = Query {
        shop,
        from,
        to,
        by,
        currency,
        format,
        ids,
    };
    let caller = authorize(req, env, settings, given(&q.shop))?;
    let shop = caller
        .scope(given(&q.shop))?
        .ok_or_else(|| missing("shop", "a report covers one shop's ledger"))?;
    let kind: ReportKind = kind.parse().map_err(option_error)?;
    let csv = match given(&q.format) {
        None | Some("json") => false,
        Some("csv") => true,
        Some(f) => {
            return Err(param(
                "E_UNSUPPORTED_FORMAT",
                "format",
                format!("format={f:?}: reports are answered as json or csv"),
            ))
        }
    };
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
    // Profit per order has a row per order: no aggregate to keep, so it stays bounded.
    let per_order = kind == ReportKind::Profit
        && options
            .by
            .as_deref()
            .is_some_and(|b| b.trim().eq_ignore_ascii_case("order"));
    let ids = given(&q.ids) != Some("0");
    if !per_order
        && (!ids
            || db
                .count_report_entries(&shop, since, to, MAX_ENTRIES + 1)
                .await?
                > MAX_ENTRIES)
    {
        let doc = from_days(&db, &shop, kind, &config, &options, since, to).await?;
        let mut response = answer(&doc, csv, &config)?;
        // Tells a reader why every figure's `entries` is empty: the answer came from aggregates.
        response
            .headers_mut()
            .set("x-report-drilldown", "omitted")?;
        return Ok(response);
    }
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
    let entries = stored_entries(&rows).map_err(HttpError::internal)?;
    let doc = report(kind, &entries, &config, &options)?;
    answer(&doc, csv, &config)
}

/// The report as JSON, or as the core's CSV (the npm CLI's `--format csv` bytes). What the ledger
/// cannot show under this mapping goes in `x-ledger-notice`, beside the core's own bytes.
fn answer(doc: &Report, csv: bool, config: &Config) -> HttpResult<Response> {
    let mut response = if csv {
        let mut response = Response::ok(report_csv(doc)?)?;
        response
            .headers_mut()
            .set("content-type", "text/csv; charset=utf-8")?;
        response
    } else {
        crate::reply::json(ledgerbridge_core::json::write::to_string(doc))?
    };
    if let Some(gap) = config.documents.ledger_gap() {
        response.headers_mut().set("x-ledger-notice", gap)?;
    }
    Ok(response)
}

/// The report from the day aggregates, after re-aggregating the days that changed (or were
/// aggregated under another mapping) within this request's budget.
async fn from_days(
    db: &Db,
    shop: &str,
    kind: ReportKind,
    config: &Config,
    options: &ReportOptions,
    since: Option<&str>,
    to: &str,
) -> HttpResult<Report> {
    let fingerprint = config_fingerprint(config);
    let rows = db.report_days(shop, since, to).await?;
    let stale: Vec<&ReportDay> = rows
        .iter()
        .filter(|d| {
            d.built_gen < d.gen || d.config.as_deref() != Some(&fingerprint) || d.body.is_none()
        })
        .collect();
    let mut built: SortedMap<String, String> = SortedMap::new();
    let mut budget = REBUILD_ENTRIES;
    let mut next = 0;
    while next < stale.len() && budget > 0 {
        let chunk = &stale[next..(next + DAYS_PER_READ).min(stale.len())];
        let (days, read) = rebuild(db, shop, config, chunk, budget).await?;
        next += days.len();
        budget = budget.saturating_sub(read);
        db.store_report_days(shop, &fingerprint, &days).await?;
        for d in days {
            built.insert(d.date.to_string(), d.body);
        }
    }
    if next < stale.len() {
        // A 5xx body carries only the code (http_error.rs); the detail goes to the log.
        return Err(HttpError::new(
            503,
            "E_REPORT_AGGREGATING",
            format!(
                "{} of {} days still to aggregate (at most {REBUILD_ENTRIES} entries per request); retry",
                stale.len() - next,
                rows.len()
            ),
        ));
    }
    let days = rows
        .iter()
        .map(|d| {
            let body = built.get(&d.date).or(d.body.as_ref());
            day_from_json(body.map_or("{}", String::as_str)).map_err(|e| {
                HttpError::internal(format!("day aggregate {} unreadable: {e}", d.date))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    report_from_days(kind, days, config, options).map_err(option_error)
}

/// Aggregates the days of `chunk` (oldest first) from their entries, reading at most `budget`
/// entries (but always the first day whole); returns the days aggregated and the entries read.
async fn rebuild<'a>(
    db: &Db,
    shop: &str,
    config: &Config,
    chunk: &[&'a ReportDay],
    budget: usize,
) -> HttpResult<(Vec<BuiltDay<'a>>, usize)> {
    let dates = |days: &[&ReportDay]| {
        Ok::<_, HttpError>(crate::reply::strings(days.iter().map(|d| d.date.as_str())))
    };
    let mut rows = db.entries_of_days(shop, &dates(chunk)?, budget + 1).await?;
    let mut days: Vec<&ReportDay> = chunk.to_vec();
    if rows.len() > budget {
        // The limit cut the read: keep the days read whole, or the first day alone, read whole.
        let cut = rows.last().map(|r| r.date.clone()).unwrap_or_default();
        rows.retain(|r| r.date != cut);
        days.retain(|d| d.date < cut);
        if days.is_empty() {
            days = chunk.iter().take(1).copied().collect();
            rows = db
                .entries_of_days(shop, &dates(&days)?, usize::MAX >> 12)
                .await?;
        }
    }
    let shared: SortedMap<(String, String), ()> = db
        .shared_ids(shop, &dates(&days)?)
        .await?
        .into_iter()
        .map(|r| ((r.date, r.id), ()))
        .collect();
    let mut by_day: SortedMap<&str, Vec<Entry>> = SortedMap::new();
    for row in &rows {
        let entry = entry_from_json(&row.json)
            .map_err(|e| HttpError::internal(format!("stored entry unreadable: {e}")))?;
        by_day.entry(row.date.as_str()).or_default().push(entry);
    }
    let mut out = Vec::new();
    for day in days {
        let entries = by_day.remove(day.date.as_str()).unwrap_or_default();
        let mut agg = aggregate_day(&day.date, &entries, config)?;
        agg.localize(&|id| shared.contains_key(&(day.date.clone(), id.to_string())));
        let body = ledgerbridge_core::json::write::to_string(&agg.without_ids());
        out.push(BuiltDay {
            date: &day.date,
            gen: day.gen,
            entries: i64::try_from(entries.len()).unwrap_or(i64::MAX),
            body,
        });
    }
    Ok((out, rows.len()))
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
