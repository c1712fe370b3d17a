//! The hand-written reader against serde_json: same documents accepted, same codes and paths.

use super::{error_path, Reader};
use crate::error::LedgerError;
use proptest::prelude::*;
use std::borrow::Cow;

/// serde_json's verdict on `text` as one ignored value, with the path it names on failure.
fn serde_verdict(text: &str) -> Result<(), String> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(drop)
        .map_err(|e| error_path(text.as_bytes(), &e))
}

fn reader_verdict(text: &str) -> Result<(), String> {
    let mut r = Reader::new(text);
    r.skip().and_then(|()| r.finish()).map_err(|e| match e {
        LedgerError::Json { path, .. } => path,
        other => panic!("skip raised {other:?}"),
    })
}

#[test]
fn skip_accepts_json_and_refuses_the_rest_with_its_path() {
    for ok in [
        "0",
        "-0.0e+12",
        " \t\r\n{ \"a\" : [ 1 , true , false , null , \"\\u00e9\\ud800\" , { } , [ ] ] } \n",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "123456789012345678901234567890e-999",
    ]
    .into_iter()
    .map(String::from)
    .chain([format!("{}1{}", "[".repeat(100), "]".repeat(100))])
    {
        let ok = ok.as_str();
        assert_eq!(reader_verdict(ok), Ok(()), "{ok}");
        assert_eq!(serde_verdict(ok), Ok(()), "{ok}");
    }
    for (bad, path) in [
        ("{\"a\": [1, 2,]}", "a[2]"),
        ("{\"a\": {\"b\": tru}}", "a.b"),
        ("{\"a\": 01}", "a"),
        ("{\"a\": 1.}", "a"),
        ("{\"a\": -}", "a"),
        ("{\"a\": 1e}", "a"),
        ("{\"a\": \"x\ty\"}", "a"),
        ("{\"a\": \"\\x\"}", "a"),
        ("{\"a\": \"\\u12G4\"}", "a"),
        ("{\"a\": [\"unterminated]}", "a[0]"),
        ("{\"a\" 1}", "a"),
        ("{\"a\": 1 \"b\": 2}", "a"),
        ("{1: 2}", ""),
        ("[1] x", ""),
        ("", ""),
        ("{\"a\": [1, 2}", "a[1]"),
    ] {
        assert_eq!(reader_verdict(bad), Err(path.to_string()), "{bad}");
        assert_eq!(serde_verdict(bad), Err(path.to_string()), "{bad}");
    }
}

#[test]
fn skipping_a_deep_document_does_not_recurse() {
    let deep = format!("{}0{}", "[{\"k\":".repeat(50_000), "}]".repeat(50_000));
    assert_eq!(reader_verdict(&deep), Ok(()));
    let broken = format!("{}0{}", "[{\"k\":".repeat(50_000), "]}".repeat(50_000));
    assert!(reader_verdict(&broken).is_err());
}

#[test]
fn strings_unescape_only_when_escaped() {
    let mut r = Reader::new(r#"["plain text", "a\"b\\c\/d\n\u00e9\ud83d\ude00 end"]"#);
    let mut arr = r.array().unwrap();
    assert!(r.item(&mut arr).unwrap());
    assert!(matches!(r.str().unwrap(), Cow::Borrowed("plain text")));
    assert!(r.item(&mut arr).unwrap());
    let s = r.str().unwrap();
    assert!(matches!(s, Cow::Owned(_)));
    assert_eq!(s, "a\"b\\c/d\né😀 end");
    assert!(!r.item(&mut arr).unwrap());
    assert_eq!(arr.len(), 2);
    r.finish().unwrap();
}

#[test]
fn lone_surrogates_are_refused_in_strings_that_are_read() {
    for bad in [
        r#""\ud800""#,
        r#""\udc00x""#,
        r#""\ud800\u0041""#,
        r#""\ud800\n""#,
    ] {
        let e = Reader::new(bad).str().unwrap_err();
        assert_eq!(e.code(), "E_JSON", "{bad}");
        assert!(serde_json::from_str::<String>(bad).is_err(), "{bad}");
    }
}

/// A JSON-ish document: valid values, then maybe broken by one edit.
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,5})?([eE][+-]?[0-9]{1,4})?",
        "\"([a-z \\u{e9}\\u{1F600}]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4}){0,12}\"",
    ];
    let value = leaf.prop_recursive(5, 48, 6, |inner| {
        let ws = "[ \t\r\n]{0,2}";
        prop_oneof![
            prop::collection::vec((inner.clone(), ws), 0..6).prop_map(|items| {
                let body: Vec<String> = items
                    .into_iter()
                    .map(|(v, w)| format!("{w}{v}{w}"))
                    .collect();
                format!("[{}]", body.join(","))
            }),
            prop::collection::vec(("[a-z_]{0,6}", inner, ws), 0..6).prop_map(|members| {
                let body: Vec<String> = members
                    .into_iter()
                    .map(|(k, v, w)| format!("{w}\"{k}\"{w}:{w}{v}"))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    });
    let edit = prop_oneof![
        Just(None),
        (
            any::<prop::sample::Index>(),
            0usize..3,
            prop::sample::select(vec![
                "", "\"", "\\", ",", ":", "[", "]", "{", "}", "0", "-", ".", "e", "n", "x",
                "\u{1}", " ", "\\u", "\\ud800",
            ])
        )
            .prop_map(Some),
    ];
    (value, edit).prop_map(|(doc, edit)| match edit {
        None => doc,
        Some((at, cut, insert)) => {
            let mut i = at.index(doc.len() + 1);
            while !doc.is_char_boundary(i) {
                i -= 1;
            }
            let mut end = (i + cut).min(doc.len());
            while !doc.is_char_boundary(end) {
                end += 1;
            }
            format!("{}{insert}{}", &doc[..i], &doc[end..])
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]
    #[test]
    fn skip_accepts_exactly_what_serde_json_accepts(doc in document()) {
        prop_assert_eq!(reader_verdict(&doc), serde_verdict(&doc), "{}", doc);
    }
}

/// Every key of an object read with `key` (string values read with `str`, others skipped), or
/// the error's code, path and message.
fn keys(text: &str) -> Result<Vec<(String, bool)>, (String, String, String)> {
    let mut r = Reader::new(text);
    let read = |r: &mut Reader<'_>| {
        let mut obj = r.object()?;
        let mut out = Vec::new();
        while let Some(key) = r.key(&mut obj)? {
            out.push((key.to_string(), matches!(key, Cow::Borrowed(_))));
            if r.lookahead() == b'"' {
                let value = r.str()?;
                out.push((value.to_string(), matches!(value, Cow::Borrowed(_))));
            } else {
                r.skip()?;
            }
        }
        r.finish()?;
        Ok(out)
    };
    read(&mut r)
        .map_err(|e: LedgerError| (e.code().to_string(), e.path().to_string(), e.to_string()))
}

/// `key` and `str` read compact text on a fast path: the same keys and strings, and the same
/// refusals with the same code, path and message, as with whitespace around every token (the
/// general path).
#[test]
fn compact_keys_read_as_spaced_ones() {
    let cases = [
        r#"{}"#,
        r#"{"id":1}"#,
        r#"{"id":1,"name":"x","a":{"b":[1,{"c":2}]},"z":null}"#,
        r#"{"\u0069d":1,"i\"d":2,"":3}"#,
        r#"{"a":"","b":"x\ny","c":"abcdefghijklmnop","d":"\u00e9é","e":"\ud800"}"#,
        r#"{"abcdefgh":1,"abcdefghi":2,"abcdefgh12345678":3,"é":4}"#,
        r#"{"id":1,}"#,
        r#"{,"id":1}"#,
        r#"{"id"1}"#,
        r#"{"id":1 "a":2}"#,
        r#"{"id":1}}"#,
        r#"{id:1}"#,
        r#"{"i
d":1}"#,
        r#"{"\x":1}"#,
        r#"{"a":{"b"}}"#,
    ];
    let spaced = |t: &str| {
        let mut out = String::new();
        let mut in_string = false;
        let mut escaped = false;
        for c in t.chars() {
            if in_string {
                out.push(c);
                escaped = !escaped && c == '\\';
                in_string = escaped || c != '"';
            } else if "{}[],:".contains(c) {
                out.extend([' ', c, ' ']);
            } else {
                in_string = c == '"';
                out.push(c);
            }
        }
        // No whitespace after the last token: an error at the end of the text is placed there.
        out.trim_end_matches(' ').to_string()
    };
    for text in cases {
        let all: Vec<String> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .map(|i| text[..i].to_string())
            .collect();
        for t in all {
            let (compact, general) = (keys(&t), keys(&spaced(&t)));
            assert_eq!(compact, general, "{t:?}");
        }
    }
    assert_eq!(
        keys(r#"{"\u0069d":1,"id":2}"#).unwrap(),
        [("id".to_string(), false), ("id".to_string(), true)]
    );
}

#[test]
fn digits_u64_takes_every_u64_and_nothing_past_it() {
    use super::digits_u64;
    for n in [
        0,
        7,
        9_999_999_999_999_999_999,
        10_000_000_000_000_000_000,
        u64::MAX,
    ] {
        assert_eq!(digits_u64(n.to_string().as_bytes()), Some(n));
    }
    assert_eq!(digits_u64(b"18446744073709551616"), None);
    assert_eq!(digits_u64(b"99999999999999999999"), None);
    assert_eq!(digits_u64(b"000000000000000000001"), Some(1));
    assert_eq!(digits_u64(b"12a4"), None);
    assert_eq!(digits_u64(b"-1"), None);
}
