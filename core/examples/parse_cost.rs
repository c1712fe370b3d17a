//! Instruction counts per Shopify order under callgrind: runs one step N times so that
//! `(Ir(N) - Ir(1)) / (N - 1)` is the steady-state cost of one call, free of process start-up.
//!
//! ```text
//! cargo build --profile bench -p ledgerbridge-core --example parse_cost
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/parse_cost parse|map|json|serde FIXTURE_DIR N [compact]
//!     target/release/examples/parse_cost records FILE.jsonl N
//! ```
//! `records` is the CLI's `--jobs 1` path natively: every record of a JSONL file (e.g. the 2k set
//! `npm/bench/backfill.mjs --keep DIR` writes) mapped and written as JSON, N passes.
//! `json` is map + the core's hand-written JSON writer (what every face returns); `serde` is map +
//! `serde_json::to_string`, the path it replaced, kept to measure against.
//! `compact` drops the whitespace between tokens first: webhook bodies arrive compact, the
//! fixtures are pretty-printed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ledgerbridge_core::{json, map, platforms::shopify, Config, Platform};
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (step, dir, rounds) = (&args[1], std::path::Path::new(&args[2]), &args[3]);
    let rounds: usize = rounds.parse().unwrap();
    if step == "records" {
        return records(dir, rounds);
    }
    let mut input = std::fs::read(dir.join("input.json")).unwrap();
    if args.get(4).is_some_and(|a| a == "compact") {
        input = compact(&input);
    }
    let config = std::fs::read_to_string(dir.join("config.toml"))
        .map(|t| Config::load(&t).unwrap())
        .unwrap_or_default();
    for _ in 0..rounds {
        match step.as_str() {
            "parse" => shopify::deserialize_only(black_box(&input)).unwrap(),
            "map" => drop(black_box(
                map(Platform::Shopify, black_box(&input), &config).unwrap(),
            )),
            "serde" => drop(black_box(
                serde_json::to_string(&map(Platform::Shopify, black_box(&input), &config).unwrap())
                    .unwrap(),
            )),
            _ => drop(black_box(json::write::to_string(
                &map(Platform::Shopify, black_box(&input), &config).unwrap(),
            ))),
        }
    }
}

fn records(file: &std::path::Path, rounds: usize) {
    let data = std::fs::read(file).unwrap();
    let config = Config::load(r#"shop = "bench.myshopify.com""#).unwrap();
    let mut bytes = 0;
    for _ in 0..rounds {
        let mut out = String::with_capacity(data.len() / 2);
        for record in ledgerbridge_core::records::block_records(&data, false) {
            let mapped = map(Platform::Shopify, black_box(record), &config).unwrap();
            json::write::WriteJson::write_json(&mapped, &mut out);
            out.push('\n');
        }
        bytes += black_box(out).len();
    }
    println!("{bytes}");
}

/// JSON text without whitespace between tokens (string contents untouched).
fn compact(text: &[u8]) -> Vec<u8> {
    let (mut out, mut in_string, mut escaped) = (Vec::with_capacity(text.len()), false, false);
    for &b in text {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            in_string = b == b'"';
            out.push(b);
        }
    }
    out
}
