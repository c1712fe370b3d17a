//! The hand-written JSON of the map output (`json::write`) against serde_json, which stays the
//! oracle: byte for byte on every fixture, on every fixture again with every string and amount
//! replaced by awkward ones, and on generated strings (escapes, control bytes, non-ASCII) and
//! decimals (every scale, both signs, negative zero, 96-bit mantissas).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{awkward, cases, config_for};
use ledgerbridge_core::journal::Amount;
use ledgerbridge_core::json::write::{self, WriteJson};
use ledgerbridge_core::money::Currency;
use ledgerbridge_core::{map, Entry, Line, Mapped, Rejected, Source, Unbooked, Warning};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn mapped_fixtures() -> Vec<(String, Mapped)> {
    let all = cases();
    assert!(all.len() >= 45, "the corpus went missing: {}", all.len());
    all.iter()
        .map(|(platform, case)| {
            let input = std::fs::read(case.join("input.json")).unwrap();
            let mapped = map(*platform, &input, &config_for(case))
                .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
            (case.display().to_string(), mapped)
        })
        .collect()
}

fn assert_same<T: WriteJson + serde::Serialize + ?Sized>(name: &str, value: &T) {
    let want = serde_json::to_string(value).unwrap();
    let got = write::to_string(value);
    assert_eq!(got, want, "{name}");
}

#[test]
fn every_fixture_renders_as_serde_json_does() {
    let mut shapes = [0usize; 4];
    for (name, mapped) in mapped_fixtures() {
        assert_same(&name, &mapped);
        assert_same(&name, &mapped.entries);
        shapes[0] += usize::from(!mapped.unbooked.is_empty());
        shapes[1] += usize::from(!mapped.rejected.is_empty());
        shapes[2] += usize::from(!mapped.warnings.is_empty());
        shapes[3] += usize::from(mapped.entries.iter().any(|e| !e.links.is_empty()));
    }
    // The optional members must each be exercised, present and absent, or this test proves less
    // than it says.
    assert!(
        shapes.iter().all(|&n| n > 0),
        "unbooked/rejected/warnings/links: {shapes:?}"
    );
}

fn amount(i: usize) -> Amount {
    let m = [0i64, 1, 5, 10, 250, 99_999, 1_000_000_007, i64::MAX][i % 8];
    let mut d = Decimal::new(m, (i % 29) as u32);
    d.set_sign_negative(i % 5 == 0);
    Amount(d)
}

fn source(i: &mut usize) -> Source {
    Source {
        platform: awkward(i),
        shop: awkward(i),
        kind: awkward(i),
        id: awkward(i),
        version: awkward(i),
    }
}

#[test]
fn every_fixture_with_awkward_strings_and_amounts_renders_as_serde_json_does() {
    let mut i = 0;
    for (name, mut mapped) in mapped_fixtures() {
        for e in &mut mapped.entries {
            (e.id, e.date, e.memo) = (awkward(&mut i), awkward(&mut i), awkward(&mut i));
            e.source = source(&mut i);
            for l in &mut e.lines {
                (l.account, l.why) = (awkward(&mut i), awkward(&mut i));
                (l.debit, l.credit) = (amount(i), amount(i + 3));
            }
            e.links = (0..i % 3).map(|_| awkward(&mut i)).collect();
        }
        mapped
            .warnings
            .push(Warning::new("W_X", awkward(&mut i), awkward(&mut i)));
        for w in &mut mapped.warnings {
            (w.code, w.path, w.message) = (awkward(&mut i), awkward(&mut i), awkward(&mut i));
        }
        mapped.unbooked.push(Unbooked {
            source: source(&mut i),
            date: awkward(&mut i),
        });
        mapped.rejected.push(Rejected {
            source: source(&mut i),
            code: awkward(&mut i),
            path: awkward(&mut i),
            message: awkward(&mut i),
        });
        let p = &mut mapped.profit;
        (p.revenue, p.discounts, p.refunds) = (awkward(&mut i), awkward(&mut i), awkward(&mut i));
        (p.fees, p.cogs, p.margin) = (awkward(&mut i), awkward(&mut i), awkward(&mut i));
        assert_same(&name, &mapped);
    }
}

#[test]
fn decimals_render_as_display_does() {
    for (text, want) in [
        ("0", "0"),
        ("0.00", "0.00"),
        ("0.0005", "0.0005"),
        ("-12.50", "-12.50"),
        ("5413", "5413"),
        (
            "79228162514264337593543950335",
            "79228162514264337593543950335",
        ),
        (
            "-7.9228162514264337593543950335",
            "-7.9228162514264337593543950335",
        ),
        (
            "0.0000000000000000000000000001",
            "0.0000000000000000000000000001",
        ),
    ] {
        let mut out = String::new();
        write::decimal_text(&mut out, text.parse::<Decimal>().unwrap());
        assert_eq!(out, want, "{text}");
    }
    // A zero whose sign flag is set (what negating a zero can leave): Display keeps the `-`.
    let mut zero = Decimal::new(0, 2);
    zero.set_sign_negative(true);
    let mut out = String::new();
    write::decimal_text(&mut out, zero);
    assert_eq!(out, zero.to_string());
}

fn awkward_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
        Just('"'),
        Just('\\'),
        Just('\u{7f}'),
        Just('é'),
        Just('😀'),
        Just('a'),
    ]
}

fn awkward_string() -> impl Strategy<Value = String> {
    prop::collection::vec(awkward_char(), 0..40).prop_map(String::from_iter)
}

fn any_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28
        )
            .prop_map(|(lo, mid, hi, neg, scale)| Decimal::from_parts(lo, mid, hi, neg, scale)),
        (0u32..100_000, any::<bool>(), 0u32..=28)
            .prop_map(|(m, neg, scale)| Decimal::from_parts(m, 0, 0, neg, scale)),
        (any::<u64>(), any::<bool>(), 0u32..=28).prop_map(|(m, neg, scale)| {
            Decimal::from_parts(m as u32, (m >> 32) as u32, 0, neg, scale)
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn strings_escape_as_serde_json_does(text in awkward_string()) {
        prop_assert_eq!(write::to_string(text.as_str()), serde_json::to_string(&text).unwrap());
    }

    #[test]
    fn lines_render_as_serde_json_does(
        account in awkward_string(),
        why in awkward_string(),
        debit in any_decimal(),
        credit in any_decimal(),
    ) {
        let line = Line { account, debit: Amount(debit), credit: Amount(credit), why };
        prop_assert_eq!(write::to_string(&line), serde_json::to_string(&line).unwrap());
        let mut display = String::new();
        write::decimal_text(&mut display, debit);
        prop_assert_eq!(display, debit.to_string());
    }
}

#[test]
fn an_entry_without_lines_or_links_renders_as_serde_json_does() {
    let mut i = 3;
    let entry = Entry {
        id: awkward(&mut i),
        date: "2026-01-02".into(),
        currency: Currency::from_code("JPY").unwrap(),
        memo: String::new(),
        source: source(&mut i),
        lines: Vec::new(),
        links: Vec::new(),
    };
    assert_same("empty entry", &entry);
    assert_same("no entries", &Vec::<Entry>::new());
}

#[test]
fn entry_totals_render_as_serde_json_does() {
    let mut i = 0;
    for balanced in [true, false] {
        for with_error in [false, true] {
            let totals = ledgerbridge_core::journal::EntryTotals {
                debits: awkward(&mut i),
                credits: awkward(&mut i),
                balanced,
                error: with_error.then(|| ledgerbridge_core::error::ErrorDetail {
                    code: awkward(&mut i),
                    path: awkward(&mut i),
                    message: awkward(&mut i),
                }),
            };
            assert_same("totals", &totals);
            assert_same("totals list", &vec![totals.clone(), totals]);
        }
    }
}

/// JSON values of every kind, nested: what a config held as a `serde_json::Value` may hold.
fn any_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| Value::from(if f.is_finite() { f } else { 0.5 })),
        (-400i32..400).prop_map(|e| Value::from(1.5f64 * 10f64.powi(e))),
        awkward_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((awkward_string(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// `Config::load` re-reads a `Value` config from this text instead of `Value`'s `Display`.
    #[test]
    fn json_values_render_as_serde_json_does(value in any_value()) {
        prop_assert_eq!(write::to_string(&value), serde_json::to_string(&value).unwrap());
    }
}
