//! A few members read out of a JSON document with the core's [`Reader`], where the worker only
//! peeks (a list's raw items, an id and a status) and passes the text on untouched.
//!
//! Why not serde derive: each derived struct compiled its own copy of serde_json's struct walk
//! into the bundle; these walk once, on one reader. As with the derives they replace, other
//! members are skipped (still checked as JSON) and the document must be whole.

// The core's error, as the Reader's callbacks return it; read once per document.
#![allow(clippy::result_large_err)]

use crate::http_error::{HttpError, HttpResult};
use ledgerbridge_core::json::{unknown, Reader, Seen};
use ledgerbridge_core::LedgerError;
use worker::Request;

/// The raw items of the array under `member` of a top-level object (required, as the derive
/// required it).
pub fn list<'a>(text: &'a str, member: &str) -> Result<Vec<&'a str>, LedgerError> {
    let mut r = Reader::new(text);
    let mut items = None;
    let mut obj = r.object()?;
    while let Some(key) = r.key(&mut obj)? {
        if key == member && items.is_none() {
            let mut raw = Vec::new();
            r.each(&mut |r| {
                raw.push(r.raw()?);
                Ok(())
            })?;
            items = Some(raw);
        } else {
            r.skip()?;
        }
    }
    let items = items.ok_or_else(|| r.missing(member))?;
    r.finish()?;
    Ok(items)
}

/// The raw items of a top-level array.
pub fn items(text: &str) -> Result<Vec<&str>, LedgerError> {
    let mut r = Reader::new(text);
    let mut raw = Vec::new();
    r.each(&mut |r| {
        raw.push(r.raw()?);
        Ok(())
    })?;
    r.finish()?;
    Ok(raw)
}

/// The members named in `names` of a top-level object, each as its raw JSON text (`None` when
/// absent or `null`), the rest skipped; a named member given twice is refused, as by the derive.
pub fn members<'a, const N: usize>(
    text: &'a str,
    names: [&str; N],
) -> Result<[Option<&'a str>; N], LedgerError> {
    let mut found = [None; N];
    members_into(text, &names, &mut found)?;
    Ok(found)
}

/// [`members`] for any number of names: one copy of the walk.
fn members_into<'a>(
    text: &'a str,
    names: &[&str],
    found: &mut [Option<&'a str>],
) -> Result<(), LedgerError> {
    let mut r = Reader::new(text);
    let mut seen = Seen::default();
    let mut obj = r.object()?;
    while let Some(key) = r.key(&mut obj)? {
        let Some(at) = names.iter().position(|n| *n == key) else {
            r.skip()?;
            continue;
        };
        seen.first(&r, at as u32, &key)?;
        if r.lookahead() == b'n' {
            r.skip()?;
        } else if let Some(slot) = found.get_mut(at) {
            *slot = Some(r.raw()?);
        }
    }
    r.finish()
}

/// Calls `read` with the index in `names` of each member of the object under the cursor (the
/// cursor then at its value): the member walk of every struct the worker reads, one copy. Other
/// keys and a repeated key are refused with serde's `deny_unknown_fields` wording, at its path.
pub fn fields<'a>(
    r: &mut Reader<'a>,
    names: &[&str],
    read: &mut dyn FnMut(&mut Reader<'a>, usize) -> Result<(), LedgerError>,
) -> Result<(), LedgerError> {
    walk(r, names, true, read)
}

/// [`fields`] for a struct without `deny_unknown_fields`: other keys skipped (still checked as
/// JSON), a repeated known key refused, as by the derive.
pub fn known<'a>(
    r: &mut Reader<'a>,
    names: &[&str],
    read: &mut dyn FnMut(&mut Reader<'a>, usize) -> Result<(), LedgerError>,
) -> Result<(), LedgerError> {
    walk(r, names, false, read)
}

fn walk<'a>(
    r: &mut Reader<'a>,
    names: &[&str],
    refuse_others: bool,
    read: &mut dyn FnMut(&mut Reader<'a>, usize) -> Result<(), LedgerError>,
) -> Result<(), LedgerError> {
    let mut obj = r.object()?;
    let mut seen = Seen::default();
    while let Some(key) = r.key(&mut obj)? {
        match names.iter().position(|n| *n == key) {
            Some(at) => {
                seen.first(r, at as u32, &key)?;
                read(r, at)?;
            }
            None if refuse_others => return Err(unknown(r, "field", &key, names)),
            None => r.skip()?,
        }
    }
    Ok(())
}

/// A raw member that may be `null` (then `None`), as serde reads an `Option<&RawValue>`.
pub fn raw_or_null<'a>(r: &mut Reader<'a>) -> Result<Option<&'a str>, LedgerError> {
    if r.null()? {
        Ok(None)
    } else {
        r.raw().map(Some)
    }
}

/// A JSON number that is a whole `i64`, as serde reads an `i64` field (not a string of digits,
/// not a fraction).
pub fn integer(r: &mut Reader<'_>) -> Result<i64, LedgerError> {
    let number = matches!(r.lookahead(), b'-' | b'0'..=b'9');
    let (text, at) = r.numeral()?;
    text.parse()
        .ok()
        .filter(|_| number)
        .ok_or_else(|| LedgerError::InvalidType {
            path: r.path_at(at),
            message: format!("invalid type: {text:?}, expected i64"),
        })
}

/// A request body read with the core's [`Reader`]: `read` at its value, then only whitespace.
pub use ledgerbridge_core::json::document as body;

/// A refused body: 400 `E_BAD_BODY` naming the field (`path`) the reader stopped at.
pub fn bad_body(e: LedgerError) -> HttpError {
    let mut refused = HttpError::bad_request("E_BAD_BODY", e.to_string());
    refused.path = e.path().to_string();
    refused
}

/// A raw JSON value as a string: `Some` only for a JSON string (escapes decoded).
pub fn text(raw: Option<&str>) -> Option<String> {
    let raw = raw?;
    let mut r = Reader::new(raw);
    r.string().ok()
}

/// A raw JSON value as a whole number that fits `i64`, as serde reads an `i64` field.
pub fn int(raw: Option<&str>) -> Option<i64> {
    raw?.parse().ok()
}

/// Whether `text` is one JSON value and nothing else (as `from_str::<&RawValue>` checked it).
pub fn check(text: &str) -> Result<(), LedgerError> {
    let mut r = Reader::new(text);
    r.skip()?;
    r.finish()
}

/// A raw JSON value as a whole number that fits `u64`, as serde reads a `u64` field.
pub fn whole(raw: Option<&str>) -> Option<u64> {
    raw?.parse().ok()
}

/// The named parameters of a request's query string, decoded as a form (`+` a space, `%XX`
/// escapes) as `Request::query` decodes them; others ignored, a named one given twice refused
/// (`E_BAD_QUERY`), as the serde derive it replaces did.
pub fn query<const N: usize>(req: &Request, names: [&str; N]) -> HttpResult<[Option<String>; N]> {
    let mut found: [Option<String>; N] = std::array::from_fn(|_| None);
    query_into(req, &names, &mut found)?;
    Ok(found)
}

/// [`query`] for any number of names: one copy of the walk.
fn query_into(req: &Request, names: &[&str], found: &mut [Option<String>]) -> HttpResult<()> {
    for (key, value) in query_pairs(&href(req)) {
        let Some(slot) = names
            .iter()
            .position(|n| *n == key)
            .and_then(|at| found.get_mut(at))
        else {
            continue;
        };
        if slot.is_some() {
            return Err(HttpError::bad_request(
                "E_BAD_QUERY",
                format!("duplicate field `{key}`"),
            ));
        }
        *slot = Some(value);
    }
    Ok(())
}

/// The request's URL as the runtime serialized it (WHATWG: scheme and host in lower case, the
/// host in punycode, no default port). Read as text rather than through `Request::url`, whose
/// `url` crate (with `idna` and its Unicode tables) was about 77 KB of the worker's wasm, for
/// an origin and a query string the runtime has already normalized (issue #17).
pub fn href(req: &Request) -> String {
    req.inner().url()
}

/// `scheme://host[:port]` of a serialized URL (userinfo left out, as `Origin` leaves it).
pub fn origin(href: &str) -> String {
    let Some((scheme, rest)) = href.split_once("://") else {
        return String::new();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}")
}

/// The query of a serialized URL as `application/x-www-form-urlencoded` pairs, in order: empty
/// pieces skipped, a name without `=` has an empty value, bytes that are not UTF-8 replaced, as
/// the `url` crate's `query_pairs` reads them.
pub fn query_pairs(href: &str) -> Vec<(String, String)> {
    let query = href
        .split('#')
        .next()
        .and_then(|h| h.split_once('?'))
        .map_or("", |(_, q)| q);
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (form_decode(name), form_decode(value))
        })
        .collect()
}

fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |at: usize| {
        bytes
            .get(at)
            .and_then(|b| char::from(*b).to_digit(16))
            .map(|d| d as u8)
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match (b, hex(i + 1), hex(i + 2)) {
            (b'+', ..) => out.push(b' '),
            (b'%', Some(high), Some(low)) => {
                out.push(high * 16 + low);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn members_by_name_null_as_absent_others_skipped() {
        let doc = r#"{"x":[1,{"y":2}],"status":"paid","id":12,"note":null,"z":"a"}"#;
        let [id, status, note] = members(doc, ["id", "status", "note"]).unwrap();
        assert_eq!((id, status, note), (Some("12"), Some(r#""paid""#), None));
        assert_eq!(whole(id), Some(12));
        assert_eq!(text(status).as_deref(), Some("paid"));
        assert_eq!(text(id), None);
        assert_eq!(whole(Some("-1")), None);
        assert_eq!(whole(Some("1.0")), None);
    }

    #[test]
    fn refusals_as_the_derive_refused() {
        let code = |r: Result<[Option<&str>; 1], LedgerError>| r.unwrap_err().code();
        assert_eq!(
            code(members(r#"{"id":1,"id":2}"#, ["id"])),
            "E_INVALID_TYPE"
        );
        assert_eq!(code(members(r#"[{"id":1}]"#, ["id"])), "E_INVALID_TYPE");
        assert_eq!(code(members(r#"{"id":1,"x":[}"#, ["id"])), "E_JSON");
        assert_eq!(code(members(r#"{"id":1} x"#, ["id"])), "E_JSON");
        let missing = list(r#"{"other":[]}"#, "payouts").unwrap_err();
        assert_eq!(
            (missing.code(), missing.path()),
            ("E_MISSING_FIELD", "payouts")
        );
    }

    #[test]
    fn urls_read_as_the_url_crate_reads_a_serialized_one() {
        let href = "https://user@edge.example:8443/api/entries?a=1&&b=x+y%2Bz%3D&c&d=%zz%4&e=caf%C3%A9%FF&a=2#frag?x=1";
        assert_eq!(origin(href), "https://edge.example:8443");
        assert_eq!(origin("http://127.0.0.1:8787"), "http://127.0.0.1:8787");
        let pairs = query_pairs(href);
        let want = [
            ("a", "1"),
            ("b", "x y+z="),
            ("c", ""),
            ("d", "%zz%4"),
            ("e", "caf\u{e9}\u{fffd}"),
            ("a", "2"),
        ];
        let got: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(got, want);
        assert!(query_pairs("https://a.example/x").is_empty());
    }

    #[test]
    fn lists_keep_each_item_as_written() {
        let doc = r#"{"next":1,"payouts":[ {"id":1, "amount":"1.50"} ,2,"x"]}"#;
        let got = list(doc, "payouts").unwrap();
        assert_eq!(got, vec![r#"{"id":1, "amount":"1.50"}"#, "2", r#""x""#]);
        assert_eq!(items(r#"[{"a":1}, []]"#).unwrap(), vec![r#"{"a":1}"#, "[]"]);
        assert!(items(r#"{"a":1}"#).is_err());
    }
}
