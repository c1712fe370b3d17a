//! `GET /api/clearing[?shop=]`: per shop, each clearing account and currency with its balance,
//! the entries no payout has settled yet (with their age in days) and the payouts that did not tie
//! out, all computed by the core's clearing report (`journal::clearing`, on the same payout rule
//! as the summaries); plus the payout events the core refused, parked with their reason.

use crate::api::authorize;
use crate::config::Settings;
use crate::http_error::{HttpError, HttpResult};
use crate::store::{now_ms, stored_entries, Db};
use ledgerbridge_core::journal::clearing::{clearing, ClearingAccount};
use ledgerbridge_core::journal::posting::shop_today;
use ledgerbridge_core::money::format_amount;
use serde_json::{json, Value};
use worker::{Env, Request, Response};

#[derive(Default)]
struct Query {
    shop: Option<String>,
}

pub async fn handle(req: &Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let [shop] = crate::peek::query(req, ["shop"])?;
    let q = Query { shop };
    let caller = authorize(req, env, settings, q.shop.as_deref())?;
    let scope = caller.scope(q.shop.as_deref())?;
    let db = Db::new(env)?;
    let shops = match &scope {
        Some(shop) => vec![shop.clone()],
        None => db.entry_shops().await?,
    };
    let mut out = Vec::new();
    for shop in &shops {
        let config = settings.shop(shop);
        let (mapping, _) = crate::setup::effective_mapping(&db, &config, shop)
            .await
            .map_err(HttpError::internal)?;
        let rows = db.entries_since(Some(shop), None, None).await?;
        let entries = stored_entries(&rows).map_err(HttpError::internal)?;
        let today = shop_today(now_ms() / 1000, config.timezone.as_deref())?;
        let report = clearing(&entries, &mapping.accounts.clearing_prefix, &today)?;
        out.push(json!({
            "shop": shop,
            "today": today,
            "accounts": report.iter().map(account).collect::<Vec<_>>(),
            "parked_payouts": db.parked_payouts(Some(shop)).await?,
        }));
    }
    Ok(Response::from_json(&json!({ "shops": out }))?)
}

/// Amounts as decimal strings at the currency's scale, like entries carry them.
fn account(a: &ClearingAccount) -> Value {
    let amount = |d| format_amount(a.currency, d);
    json!({
        "account": a.account,
        "currency": a.currency.code(),
        "balance": amount(a.balance),
        "open": a.open.iter().map(|o| json!({
            "entry_id": o.entry_id, "date": o.date, "amount": amount(o.amount), "age_days": o.age_days,
        })).collect::<Vec<_>>(),
        "untied": a.untied.iter().map(|u| json!({
            "payout": u.payout, "date": u.date, "difference": amount(u.difference),
        })).collect::<Vec<_>>(),
    })
}
