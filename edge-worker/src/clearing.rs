//! `GET /api/clearing[?shop=]`: per shop, each clearing account and currency with its balance,
//! the entries no payout has settled yet (with their age in days) and the payouts that did not tie
//! out, all computed by the core's clearing report (`journal::clearing`, on the same payout rule
//! as the summaries); plus the payout events the core refused, parked with their reason.

use crate::api::authorize;
use crate::config::Settings;
use crate::http_error::{HttpError, HttpResult};
use crate::reply::{self, Obj};
use crate::store::{now_ms, stored_entries, Db};
use ledgerbridge_core::journal::clearing::{clearing, ClearingAccount};
use ledgerbridge_core::journal::posting::shop_today;
use ledgerbridge_core::money::format_amount;
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
        let accounts: Vec<String> = report.iter().map(account).collect();
        let parked: Vec<String> = db
            .parked_payouts(Some(shop))
            .await?
            .iter()
            .map(|p| p.json())
            .collect();
        out.push(
            Obj::new()
                .str("shop", shop)
                .str("today", &today)
                .list("accounts", &accounts)
                .list("parked_payouts", &parked)
                .text(),
        );
    }
    Ok(reply::json(Obj::new().list("shops", &out).text())?)
}

/// Amounts as decimal strings at the currency's scale, like entries carry them.
fn account(a: &ClearingAccount) -> String {
    let amount = |d| format_amount(a.currency, d);
    let open: Vec<String> = a
        .open
        .iter()
        .map(|o| {
            Obj::new()
                .str("entry_id", &o.entry_id)
                .str("date", &o.date)
                .str("amount", &amount(o.amount))
                .int("age_days", o.age_days)
                .text()
        })
        .collect();
    let untied: Vec<String> = a
        .untied
        .iter()
        .map(|u| {
            Obj::new()
                .str("payout", &u.payout)
                .str("date", &u.date)
                .str("difference", &amount(u.difference))
                .text()
        })
        .collect();
    Obj::new()
        .str("account", &a.account)
        .str("currency", a.currency.code())
        .str("balance", &amount(a.balance))
        .list("open", &open)
        .list("untied", &untied)
        .text()
}
