//! Instruction counts per WooCommerce, BigCommerce or Stripe payload under callgrind, as
//! `parse_cost` does for Shopify: one step run N times, `(Ir(N) - Ir(1)) / (N - 1)` per call.
//! `wire` reads the wire structs only (not for Stripe, whose wire and event are one step),
//! `event` adds the canonical event (`Platform::parse`), `map` the journal entries.
//!
//! ```text
//! cargo build --profile bench -p ledgerbridge-core --example parse_cost_platforms
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/parse_cost_platforms PLATFORM wire|event|map FIXTURE_DIR N
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::platforms::{bigcommerce, woocommerce};
use ledgerbridge_core::{map, Config, Platform};
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let platform: Platform = args[1].parse().unwrap();
    let (step, dir) = (&args[2], std::path::Path::new(&args[3]));
    let rounds: usize = args[4].parse().unwrap();
    let input = std::fs::read(dir.join("input.json")).unwrap();
    let config = std::fs::read_to_string(dir.join("config.toml"))
        .map(|t| Config::load(&t).unwrap())
        .unwrap_or_default();
    for _ in 0..rounds {
        match (step.as_str(), platform) {
            ("wire", Platform::WooCommerce) => {
                woocommerce::deserialize_only(black_box(&input)).unwrap()
            }
            ("wire", Platform::BigCommerce) => {
                bigcommerce::deserialize_only(black_box(&input)).unwrap()
            }
            ("event", _) => drop(black_box(platform.parse(black_box(&input)).unwrap())),
            ("map", _) => drop(black_box(
                map(platform, black_box(&input), &config).unwrap(),
            )),
            _ => panic!("no such step for {platform:?}"),
        }
    }
}
