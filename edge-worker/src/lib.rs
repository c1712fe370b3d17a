//! Cloudflare Worker face of ledgerbridge-core: signed store webhooks in, balanced entries booked
//! in D1 and posted to the shop's targets, each exactly once.
//!
//! - fetch: [`routes`] → [`intake`] (webhooks), [`api`], [`privacy`] and [`data_request`] (admin;
//!   [`ratelimit`] throttles wrong credentials) and [`admin_page`]
//! - queue: [`queue`] (jobs) → [`consumer`] (map and plan with the core, deliver with [`sinks`]);
//!   outbound HTTP of sinks, fetches and pulls in [`http`]
//! - scheduled: [`sweeper`] (the outbox relay), [`reconcile`] (the pull of lost webhooks) and the
//!   [`privacy`] jobs (retention, pruning)
//!
//! Deployment and endpoints: docs/worker.md. Features `intake` (webhooks and the API calls that
//! map orders, the queue, the cron) and `admin` (the rest of the API, the admin page, OAuth) pick
//! what a build answers; both (the default) make the single Worker the native tests and clippy
//! see, one each the two deployed Workers ([`routes`]).

// A one-feature build leaves the other half's items unreached; LTO drops them from the wasm.
#![cfg_attr(
    not(all(feature = "intake", feature = "admin")),
    allow(dead_code, unused_imports)
)]

pub mod admin_page;
pub mod api;
pub mod auth;
pub mod backfill;
pub mod bigcommerce;
pub mod browse;
pub mod chart;
pub mod clearing;
pub mod config;
pub mod connect;
pub mod consumer;
pub mod data_request;
pub mod erasure;
pub mod fetch;
pub mod http;
pub mod http_error;
pub mod intake;
pub mod payouts;
pub mod peek;
pub mod posting;
pub mod privacy;
pub mod queue;
pub mod ratelimit;
pub mod reconcile;
pub mod reconcile_shopify;
pub mod remap;
pub mod reply;
pub mod reports;
pub mod routes;
pub mod seal;
pub mod setup;
pub mod sinks;
pub mod store;
pub mod sweeper;
pub mod verify;

use worker::{
    event, Context, Env, MessageBatch, Request, Response, Result, ScheduleContext, ScheduledEvent,
};

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    routes::fetch(req, env).await
}

#[cfg(feature = "intake")]
#[event(queue)]
pub async fn queue(batch: MessageBatch<queue::Job>, env: Env, _ctx: Context) -> Result<()> {
    consumer::run(batch, &env).await
}

#[cfg(feature = "intake")]
#[event(scheduled)]
pub async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    if let Err(e) = sweeper::run(&env).await {
        worker::console_error!("sweeper: {e}");
    }
}
