//! Reading the adapters' scalar types on [`Reader`] gives the codes and paths the serde derives
//! on [`Dec`], [`Id`] and [`Qty`] gave: each case is checked against serde as well.

use crate::error::LedgerError;
use crate::json::{Reader, Seen};
use crate::platforms::de::{self, Dec, Id, Qty};

fn code_path(e: LedgerError) -> (String, String) {
    (e.code().to_string(), e.path().to_string())
}

fn pair(code: &str, path: &str) -> (String, String) {
    (code.to_string(), path.to_string())
}

fn probe(text: &str) -> Result<(), LedgerError> {
    // {"amount": Dec, "items": [{"qty": Qty, "id": Id, "at": usize?}], "flag": bool?}
    let mut r = Reader::new(text);
    let mut obj = r.object()?;
    let mut seen = Seen::default();
    let mut amount = None;
    while let Some(key) = r.key(&mut obj)? {
        match &*key {
            "amount" => {
                seen.first(&r, 0, "amount")?;
                amount = Some(de::amount(&mut r)?);
            }
            "items" => {
                seen.first(&r, 1, "items")?;
                r.vec(|r| {
                    let mut obj = r.object()?;
                    let (mut qty, mut id) = (None, None);
                    while let Some(key) = r.key(&mut obj)? {
                        match &*key {
                            "qty" => qty = Some(de::quantity(r)?),
                            "id" => id = Some(r.id()?),
                            "at" => drop(r.opt(Reader::index)?),
                            _ => r.skip()?,
                        }
                    }
                    qty.ok_or_else(|| r.missing("qty"))?;
                    id.ok_or_else(|| r.missing("id"))
                })?;
            }
            "flag" => drop(r.opt(Reader::bool)?),
            _ => r.skip()?,
        }
    }
    amount.ok_or_else(|| r.missing("amount"))?;
    r.finish()
}

/// The same shape as [`probe`], read by serde derive: the oracle for codes and paths.
fn serde_probe(text: &str) -> (String, String) {
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Probe {
        amount: Dec,
        #[serde(default)]
        items: Vec<Item>,
        flag: Option<bool>,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        qty: Qty,
        id: Id,
        at: Option<usize>,
    }
    code_path(
        crate::json::from_json::<Probe>(text.as_bytes())
            .map(drop)
            .unwrap_err(),
    )
}

#[test]
fn every_error_code_names_its_path() {
    let fails = |text: &str| code_path(probe(text).unwrap_err());
    assert!(probe(r#"{"amount": "1.5", "items": [{"qty": 2, "id": "x"}], "z": [1]}"#).is_ok());
    let cases = [
        (r#"{"amount": "1e3"}"#, pair("E_INVALID_AMOUNT", "amount")),
        (r#"{"amount": " 1"}"#, pair("E_INVALID_AMOUNT", "amount")),
        (r#"{"amount": 1e400}"#, pair("E_INVALID_AMOUNT", "amount")),
        (
            r#"{"amount": "99999999999999999999"}"#,
            pair("E_AMOUNT_TOO_LARGE", "amount"),
        ),
        (r#"{"amount": true}"#, pair("E_INVALID_TYPE", "amount")),
        (r#"{"amount": null}"#, pair("E_INVALID_TYPE", "amount")),
        (r#"{"amount": {"a": 1}}"#, pair("E_INVALID_TYPE", "amount")),
        (r#"{"amount": {"a": tru}}"#, pair("E_JSON", "amount.a")),
        (r#"{"items": []}"#, pair("E_MISSING_FIELD", "amount")),
        (
            r#"{"amount": 1, "items": [{"qty": 1, "id": 1}, {"qty": 1}]}"#,
            pair("E_MISSING_FIELD", "items[1].id"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": -2, "id": 1}]}"#,
            pair("E_INVALID_VALUE", "items[0].qty"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": 1000000001, "id": 1}]}"#,
            pair("E_INVALID_VALUE", "items[0].qty"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": 1.5, "id": 1}]}"#,
            pair("E_INVALID_TYPE", "items[0].qty"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": -0, "id": 1}]}"#,
            pair("E_INVALID_TYPE", "items[0].qty"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": 99999999999999999999, "id": 1}]}"#,
            pair("E_INVALID_TYPE", "items[0].qty"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": 1e999, "id": 1}]}"#,
            pair("E_JSON", "items[0].qty"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": "1", "id": 1}]}"#,
            pair("E_INVALID_TYPE", "items[0].qty"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": [1], "id": 1}]}"#,
            pair("E_INVALID_TYPE", "items[0].qty[0]"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": 1, "id": ""}]}"#,
            pair("E_INVALID_VALUE", "items[0].id"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": 1, "id": 1.0}]}"#,
            pair("E_INVALID_TYPE", "items[0].id"),
        ),
        (
            r#"{"amount": 1, "items": [{"qty": 1, "id": 1, "at": -1}]}"#,
            pair("E_INVALID_VALUE", "items[0].at"),
        ),
        (
            r#"{"amount": 1, "items": {}}"#,
            pair("E_INVALID_TYPE", "items"),
        ),
        (
            r#"{"amount": 1, "items": "x"}"#,
            pair("E_INVALID_TYPE", "items"),
        ),
        (r#"{"amount": 1, "items": "x}"#, pair("E_JSON", "items")),
        (
            r#"{"amount": 1, "flag": "yes"}"#,
            pair("E_INVALID_TYPE", "flag"),
        ),
        (r#"{"amount": 1, "flag": nul}"#, pair("E_JSON", "flag")),
        (
            r#"{"amount": 1, "amount": 2}"#,
            pair("E_INVALID_TYPE", "amount"),
        ),
        (
            r#"{"amount": 1, "extra": {"x": [1, "a\u00"]}}"#,
            pair("E_JSON", "extra.x[1]"),
        ),
        (r#"{"amount": 1} {}"#, pair("E_JSON", "")),
    ];
    for (text, want) in cases {
        assert_eq!(fails(text), want, "{text}");
        assert_eq!(serde_probe(text), want, "serde_json on {text}");
    }
    // serde derive reads a struct from an array positionally (and names `[0]`); the reader refuses it.
    assert_eq!(fails("[]"), pair("E_INVALID_TYPE", ""));
    let long = format!(
        r#"{{"amount": 1, "items": [{{"qty": 1, "id": "{}"}}]}}"#,
        "x".repeat(201)
    );
    assert_eq!(fails(&long), pair("E_INVALID_VALUE", "items[0].id"));
    assert_eq!(serde_probe(&long), pair("E_INVALID_VALUE", "items[0].id"));
}

#[test]
fn whitespace_anywhere_between_tokens() {
    let text =
        " \n{\r\n\t\"amount\"\t:\n\"2.50\" ,\"items\" : [ { \"qty\" : 1 , \"id\" : 7 } ] }\t\n";
    assert!(probe(text).is_ok());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
    /// Ids and quantities written as numbers (digits summed by hand, an integer id kept as
    /// written): the same id text as serde's `Id`, the same codes and paths where refused.
    #[test]
    fn numbers_as_ids_and_quantities_read_as_serde_reads_them(
        id in "-?(0|[1-9][0-9]{0,21})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,3})?",
        qty in "-?(0|[1-9][0-9]{0,11})(\\.0)?",
    ) {
        let text = format!(r#"{{"amount": "1", "items": [{{"qty": {qty}, "id": {id}}}]}}"#);
        match probe(&text) {
            Ok(()) => {
                let items = read_ids(&text);
                #[derive(serde::Deserialize)]
                struct Item { id: Id }
                #[derive(serde::Deserialize)]
                struct Probe { items: Vec<Item> }
                let serde: Probe = crate::json::from_json(text.as_bytes()).unwrap();
                proptest::prop_assert_eq!(items, vec![serde.items[0].id.0.clone()]);
            }
            Err(e) => proptest::prop_assert_eq!(code_path(e), serde_probe(&text), "{}", text),
        }
    }
}

/// The ids of `items`, as the reader reads them.
fn read_ids(text: &str) -> Vec<String> {
    let mut r = Reader::new(text);
    let mut ids = Vec::new();
    let mut obj = r.object().unwrap();
    while let Some(key) = r.key(&mut obj).unwrap() {
        if &*key != "items" {
            r.skip().unwrap();
            continue;
        }
        r.each(&mut |r| {
            let mut obj = r.object()?;
            while let Some(key) = r.key(&mut obj)? {
                match &*key {
                    "id" => ids.push(r.id()?),
                    _ => r.skip()?,
                }
            }
            Ok(())
        })
        .unwrap();
    }
    ids
}

/// Integers out of a field's range name the number as written, sign included, as serde's
/// `invalid value: integer `…`, expected …` does, at the edges of i64 and u32.
#[test]
fn whole_numbers_out_of_range_are_named_as_written() {
    let whole = |text: &str, what: &str, min: i64, max: i64| {
        de::whole(&mut Reader::new(text), what, min, max)
    };
    let u32_max = i64::from(u32::MAX);
    assert_eq!(
        whole("-9223372036854775808", "i64", i64::MIN, i64::MAX).ok(),
        Some(i64::MIN)
    );
    assert_eq!(
        whole("9223372036854775807", "i64", i64::MIN, i64::MAX).ok(),
        Some(i64::MAX)
    );
    assert_eq!(
        whole("4294967295", "u32", 0, u32_max).ok(),
        Some(4_294_967_295)
    );
    for (text, what, min, max, reason) in [
        (
            "9223372036854775808",
            "i64",
            i64::MIN,
            i64::MAX,
            "integer `9223372036854775808`, expected i64",
        ),
        (
            "18446744073709551615",
            "i64",
            i64::MIN,
            i64::MAX,
            "integer `18446744073709551615`, expected i64",
        ),
        ("-1", "u32", 0, u32_max, "integer `-1`, expected u32"),
        (
            "4294967296",
            "u32",
            0,
            u32_max,
            "integer `4294967296`, expected u32",
        ),
        (
            "-9223372036854775808",
            "u32",
            0,
            u32_max,
            "integer `-9223372036854775808`, expected u32",
        ),
    ] {
        match whole(text, what, min, max) {
            Err(LedgerError::InvalidValue { reason: r, .. }) => assert_eq!(r, reason, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    // serde says the same of the u32 cases (the oracle of every wire reader).
    let serde = |text: &str| serde_json::from_str::<u32>(text).unwrap_err().to_string();
    assert!(serde("-9223372036854775808")
        .starts_with("invalid value: integer `-9223372036854775808`, expected u32"));
    assert!(serde("4294967296").starts_with("invalid value: integer `4294967296`, expected u32"));
}
