#![no_main]
//! Config text (TOML and JSON) → `Config`: typed errors only, a parsed config survives a JSON
//! round trip unchanged, and mapping real orders with it keeps every mapping invariant.

use ledgerbridge_core::{Config, ConfigInput, Platform};
use ledgerbridge_fuzz::{assert_typed, check_map_with};
use libfuzzer_sys::fuzz_target;

// Orders that reach the sales rules, tax map, gateways, refunds and fee estimates a config can
// redirect.
const ORDERS: &[(Platform, &[u8])] = &[
    (
        Platform::Shopify,
        include_bytes!("../../tests/fixtures/shopify/sales-rules-tax-map/input.json"),
    ),
    (
        Platform::Shopify,
        include_bytes!("../../tests/fixtures/shopify/partial-refund-restock/input.json"),
    ),
    (
        Platform::Stripe,
        include_bytes!("../../tests/fixtures/stripe/payout-refunds-fees/input.json"),
    ),
    // Paid through `paypal` with no fee reported: a `[[fee_estimates]]` rule for it books here.
    (
        Platform::Shopify,
        include_bytes!("../../tests/fixtures/shopify/fee-estimate/input.json"),
    ),
];

fn check(parsed: ledgerbridge_core::Result<Config>) {
    let config = match parsed {
        Ok(c) => c,
        Err(e) => return assert_typed(&e),
    };
    let json = match serde_json::to_string(&config) {
        Ok(j) => j,
        Err(e) => panic!("a valid config does not serialize: {e}"),
    };
    match Config::load(ConfigInput::Json(&json)) {
        Ok(back) => assert_eq!(back, config, "config changes through JSON: {json}"),
        Err(e) => panic!("a valid config's JSON is refused: {e:?}\n{json}"),
    }
    for (platform, order) in ORDERS {
        check_map_with(*platform, order, &config);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Both parsers on every input: `ConfigInput::Text` alone would pick one by the first character.
    check(Config::load(ConfigInput::Toml(text)));
    check(Config::load(ConfigInput::Json(text)));
});
