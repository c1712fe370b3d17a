//! CPU time of the worker's own work per webhook, natively: HMAC check of the raw body, the core's
//! `map`, the dedupe plan, and the entry JSON written to D1. (D1 and the queue are I/O, not CPU.)
//!
//! `cargo run --release -p ledgerbridge-worker --example cpu -- tests/fixtures/shopify/simple/input.json`

use base64::Engine;
use ledgerbridge_core::journal::plan;
use ledgerbridge_core::{map, Config, Platform};
use ledgerbridge_worker::verify;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/fixtures/shopify/simple/input.json".into());
    let body = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => return eprintln!("{path}: {e}"),
    };
    let secrets = vec!["shpss_secret".to_string()];
    let sig = base64::engine::general_purpose::STANDARD
        .encode(verify::hmac_sha256(b"shpss_secret", &[&body]));
    let config = Config::default();
    let mut samples = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let t = Instant::now();
        let ok = verify::base64_body_hmac(&body, Some(&sig), &secrets).is_ok();
        let mapped = map(Platform::Shopify, &body, &config);
        let booked = mapped.map(|m| {
            let unbooked = m.unbooked.into_iter().map(|u| (u.source, u.date)).collect();
            let p = plan::plan(m.entries, unbooked, &BTreeMap::new(), &BTreeSet::new());
            p.book
                .iter()
                .filter_map(|e| serde_json::to_string(e).ok())
                .map(|j| j.len())
                .sum::<usize>()
        });
        samples.push(t.elapsed());
        std::hint::black_box((ok, booked.ok()));
    }
    samples.sort();
    println!(
        "{path}: {} bytes; verify + map + plan + serialise per webhook: median {:?}, p99 {:?} (n={})",
        body.len(),
        samples[samples.len() / 2],
        samples[samples.len() * 99 / 100],
        samples.len()
    );
}
