//! What the connect flow reads and writes as text: the completion body, Xero's connections
//! list (both on the core's JSON Reader) and the provider's authorize URL (issue #17: no serde
//! derives, no `url` crate).

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use crate::sinks::oauth::form_escape;

/// `base` with `pairs` added to its query (form-escaped), before any fragment, as
/// `Url::query_pairs_mut` added them; a bare `https://host` gets its `/` path, as a parsed URL
/// is written. By hand: the `url` crate was ~77 KB of the worker's wasm (issue #17).
pub(super) fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let (head, fragment) = base
        .split_once('#')
        .map_or((base, None), |(h, f)| (h, Some(f)));
    let mut url = head.to_string();
    let host_at = url.find("://").map_or(0, |i| i + 3);
    let rest = url.get(host_at..).unwrap_or_default();
    if !rest.contains('/') {
        let at = rest.find('?').map_or(url.len(), |i| host_at + i);
        url.insert(at, '/');
    }
    match url.split_once('?') {
        None => url.push('?'),
        Some((_, "")) => {}
        Some(_) => url.push('&'),
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", form_escape(value)))
        .collect();
    url.push_str(&query.join("&"));
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

/// The completion body `{"state": "…"}` (nothing else), read with the core's [`Reader`]; a
/// refusal names its field (issue #17: the serde derives of this and the Xero connections list
/// were 6 KB of the worker's wasm).
pub(super) fn complete_state(text: &str) -> Result<String, ledgerbridge_core::LedgerError> {
    let mut r = ledgerbridge_core::json::Reader::new(text);
    let mut state = None;
    crate::peek::fields(&mut r, &["state"], &mut |r, _| {
        state = Some(r.string()?);
        Ok(())
    })?;
    let state = state.ok_or_else(|| r.missing("state"))?;
    r.finish()?;
    Ok(state)
}

/// The organisations a Xero grant reaches (`GET /connections`): `(tenantId, tenantName,
/// tenantType)` of each, a connection without `tenantId` refusing the list, as the derive did.
pub(super) type XeroConnection = (String, Option<String>, Option<String>);

pub(super) fn xero_connections(
    text: &str,
) -> Result<Vec<XeroConnection>, ledgerbridge_core::LedgerError> {
    let mut r = ledgerbridge_core::json::Reader::new(text);
    let list = r.vec(|r| {
        let (mut id, mut name, mut kind) = (None, None, None);
        let names = ["tenantId", "tenantName", "tenantType"];
        crate::peek::known(r, &names, &mut |r, at| {
            match at {
                0 => id = Some(r.string()?),
                1 => name = r.opt(ledgerbridge_core::json::Reader::string)?,
                _ => kind = r.opt(ledgerbridge_core::json::Reader::string)?,
            }
            Ok(())
        })?;
        Ok((id.ok_or_else(|| r.missing("tenantId"))?, name, kind))
    })?;
    r.finish()?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn authorize_urls_get_their_query_before_any_fragment() {
        let pairs = [("state", "a b/c"), ("scope", "x")];
        for (base, want) in [
            (
                "https://id.example",
                "https://id.example/?state=a%20b%2Fc&scope=x",
            ),
            (
                "https://id.example/auth",
                "https://id.example/auth?state=a%20b%2Fc&scope=x",
            ),
            (
                "https://id.example/auth?",
                "https://id.example/auth?state=a%20b%2Fc&scope=x",
            ),
            (
                "https://id.example/a?p=1#f",
                "https://id.example/a?p=1&state=a%20b%2Fc&scope=x#f",
            ),
            (
                "http://127.0.0.1:9?x=1",
                "http://127.0.0.1:9/?x=1&state=a%20b%2Fc&scope=x",
            ),
        ] {
            assert_eq!(with_query(base, &pairs), want, "{base}");
        }
    }

    #[test]
    fn a_completion_body_is_its_state_only_and_a_refusal_names_the_field() {
        assert_eq!(complete_state(r#"{"state":"abc"}"#).unwrap(), "abc");
        for (body, code, path) in [
            (r#"{"state":"abc","shop":"x"}"#, "E_INVALID_TYPE", "shop"),
            (r#"{}"#, "E_MISSING_FIELD", "state"),
            (r#"{"state":7}"#, "E_INVALID_TYPE", "state"),
            (r#"{"state":"a","state":"b"}"#, "E_INVALID_TYPE", "state"),
            (r#"{"state":"a"#, "E_JSON", "state"),
            (r#"["abc"]"#, "E_INVALID_TYPE", ""),
        ] {
            let e = complete_state(body).unwrap_err();
            assert_eq!((e.code(), e.path()), (code, path), "{body}");
        }
    }

    #[test]
    fn xero_connections_need_a_tenant_id_each() {
        let list = xero_connections(
            r#"[{"id":"c1","tenantId":"t1","tenantType":"PRACTICEMANAGER","tenantName":null},{"tenantId":"t2","tenantName":"Demo Org"}]"#,
        )
        .unwrap();
        assert_eq!(
            list,
            vec![
                ("t1".to_string(), None, Some("PRACTICEMANAGER".to_string())),
                ("t2".to_string(), Some("Demo Org".to_string()), None),
            ]
        );
        let e = xero_connections(r#"[{"tenantName":"x"}]"#).unwrap_err();
        assert_eq!((e.code(), e.path()), ("E_MISSING_FIELD", "[0].tenantId"));
        assert!(xero_connections(r#"{"tenantId":"t"}"#).is_err());
    }
}
