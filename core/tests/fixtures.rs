//! Drives the shared corpus in `tests/fixtures/<platform>/<case>/`: each `input.json` (with an
//! optional `config.toml`) must map to the hand-worked `expected.json`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{cases, config_for, fixtures_root};
use ledgerbridge_core::{map, Mapped, Platform};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn mapped(platform: Platform, case: &Path) -> Mapped {
    let input = std::fs::read(case.join("input.json")).unwrap();
    map(platform, &input, &config_for(case)).unwrap_or_else(|e| panic!("{}: {e}", case.display()))
}

type LineKey = (String, String, String);

fn line_multiset(lines: &[Value]) -> BTreeMap<LineKey, usize> {
    let mut set = BTreeMap::new();
    for l in lines {
        let key = (
            l["account"].as_str().unwrap().to_string(),
            l["debit"].as_str().unwrap().to_string(),
            l["credit"].as_str().unwrap().to_string(),
        );
        *set.entry(key).or_insert(0) += 1;
    }
    set
}

#[test]
fn every_fixture_maps_to_its_hand_worked_entries() {
    let all = cases();
    assert!(
        all.len() >= 11,
        "the corpus went missing: {} cases",
        all.len()
    );
    let mut failures = Vec::new();
    for (platform, case) in &all {
        let got = serde_json::to_value(mapped(*platform, case)).unwrap();
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("expected.json")).unwrap())
                .unwrap();
        let name = case
            .strip_prefix(fixtures_root())
            .unwrap()
            .display()
            .to_string();
        let got_entries = got["entries"].as_array().unwrap();
        let want_entries = expected["entries"].as_array().unwrap();
        if got_entries.len() != want_entries.len() {
            failures.push(format!(
                "{name}: {} entries, expected {}",
                got_entries.len(),
                want_entries.len()
            ));
            continue;
        }
        for (g, w) in got_entries.iter().zip(want_entries) {
            for field in ["id", "date", "currency", "source"] {
                if g[field] != w[field] {
                    failures.push(format!(
                        "{name}: {field} {} != expected {}",
                        g[field], w[field]
                    ));
                }
            }
            let (gl, wl) = (
                g["lines"].as_array().unwrap(),
                w["lines"].as_array().unwrap(),
            );
            if line_multiset(gl) != line_multiset(wl) {
                failures.push(format!(
                    "{name} {}: lines differ\n  got      {:?}\n  expected {:?}",
                    g["id"],
                    line_multiset(gl),
                    line_multiset(wl)
                ));
            }
            assert!(
                !g["memo"].as_str().unwrap().is_empty(),
                "{name}: empty memo"
            );
            for line in gl {
                assert!(
                    !line["why"].as_str().unwrap().is_empty(),
                    "{name}: a line without why"
                );
            }
        }
        if let Some(profit) = expected.get("profit") {
            if &got["profit"] != profit {
                failures.push(format!(
                    "{name}: profit {} != expected {}",
                    got["profit"], profit
                ));
            }
        }
        // Always compared: a fixture that books nothing for its order must say so.
        let none = Value::Array(Vec::new());
        let (got_unbooked, want_unbooked) = (
            got.get("unbooked").unwrap_or(&none),
            expected.get("unbooked").unwrap_or(&none),
        );
        if got_unbooked != want_unbooked {
            failures.push(format!(
                "{name}: unbooked {got_unbooked} != expected {want_unbooked}"
            ));
        }
        // Always compared: a part refused while the rest booked must be named, never dropped.
        // The message is the code's own prose, so the source, code and path are what is pinned.
        let pinned = |v: &Value| -> Vec<(Value, Value, Value)> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|r| (r["source"].clone(), r["code"].clone(), r["path"].clone()))
                .collect()
        };
        let (got_rejected, want_rejected) = (
            pinned(got.get("rejected").unwrap_or(&none)),
            pinned(expected.get("rejected").unwrap_or(&none)),
        );
        if got_rejected != want_rejected {
            failures.push(format!(
                "{name}: rejected {got_rejected:?} != expected {want_rejected:?}"
            ));
        }
        if let Some(codes) = expected.get("warnings") {
            let got_codes: Vec<&Value> = got["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| &w["code"])
                .collect();
            let want_codes: Vec<&Value> = codes
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.get("code").unwrap_or(w))
                .collect();
            if got_codes != want_codes {
                failures.push(format!(
                    "{name}: warnings {got_codes:?} != expected {want_codes:?}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fixture_entry_balances_and_shows_one_side_per_line() {
    for (platform, case) in cases() {
        for entry in mapped(platform, &case).entries {
            entry
                .check()
                .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        }
    }
}

#[test]
fn mapping_is_byte_for_byte_deterministic() {
    for (platform, case) in cases() {
        let a = serde_json::to_string(&mapped(platform, &case)).unwrap();
        let b = serde_json::to_string(&mapped(platform, &case)).unwrap();
        assert_eq!(a, b, "{}", case.display());
    }
}

#[test]
fn entries_survive_a_json_round_trip_unchanged() {
    for (platform, case) in cases() {
        for entry in mapped(platform, &case).entries {
            let text = serde_json::to_string(&entry).unwrap();
            let back: ledgerbridge_core::Entry = serde_json::from_str(&text).unwrap();
            assert_eq!(serde_json::to_string(&back).unwrap(), text);
            back.check().unwrap();
        }
    }
}

/// A sale's payment line says which of the payload's transactions it books (`transactions[1]: …`).
/// A person follows that index into the payload, so it must be the payload's own index, not the
/// rank among the kept transactions: Shopify lists the authorization before its capture, which
/// once shifted every payment's index by one. (Other `why` paths name canonical fields, e.g.
/// `line_items[0].discount_allocations` for WooCommerce's coupon lines; only the payment index
/// is held to the payload here.)
#[test]
fn a_shopify_payment_line_names_the_payload_transaction() {
    let mut checked = 0;
    for (platform, case) in cases() {
        if platform != Platform::Shopify {
            continue;
        }
        let input: Value =
            serde_json::from_slice(&std::fs::read(case.join("input.json")).unwrap()).unwrap();
        let Some(transactions) = input["transactions"].as_array() else {
            continue;
        };
        let got = serde_json::to_value(mapped(platform, &case)).unwrap();
        let sales = got["entries"].as_array().unwrap().iter();
        for entry in sales.filter(|e| e["source"]["kind"] == "sale") {
            for line in entry["lines"].as_array().unwrap() {
                let why = line["why"].as_str().unwrap();
                let Some(index) = why
                    .strip_prefix("transactions[")
                    .and_then(|rest| rest.split(']').next())
                else {
                    continue;
                };
                let t = &transactions[index.parse::<usize>().unwrap()];
                assert!(
                    matches!(t["kind"].as_str(), Some("sale" | "capture")),
                    "{}: {why:?} points at a {} transaction",
                    case.display(),
                    t["kind"]
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} payment lines checked");
}
