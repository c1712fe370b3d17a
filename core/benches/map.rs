//! Mapping a typical Shopify order vs. deserializing the same JSON into the adapter's structs.
//! Target: mapping ≤ 1.25 × the parse alone (the engine must stay cheap next to parsing). For
//! instruction counts (steady state, callgrind) see `examples/parse_cost.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ledgerbridge_core::{json, map, platforms::shopify, Config, Platform};

fn fixture(case: &str) -> (Vec<u8>, Config) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/shopify")
        .join(case);
    let input = std::fs::read(dir.join("input.json")).unwrap();
    let config = std::fs::read_to_string(dir.join("config.toml"))
        .map(|t| Config::load(&t).unwrap())
        .unwrap_or_default();
    (input, config)
}

fn bench(c: &mut Criterion) {
    for case in ["simple", "discount-shipping-tax", "partial-refund-restock"] {
        let (input, config) = fixture(case);
        let mut group = c.benchmark_group(case);
        group.bench_function("parse_only", |b| {
            b.iter(|| shopify::deserialize_only(black_box(&input)).unwrap())
        });
        group.bench_function("map", |b| {
            b.iter(|| map(Platform::Shopify, black_box(&input), &config).unwrap())
        });
        group.bench_function("map_to_json", |b| {
            b.iter(|| {
                json::write::to_string(&map(Platform::Shopify, black_box(&input), &config).unwrap())
            })
        });
        group.bench_function("map_to_json_serde", |b| {
            b.iter(|| {
                serde_json::to_string(&map(Platform::Shopify, black_box(&input), &config).unwrap())
                    .unwrap()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
