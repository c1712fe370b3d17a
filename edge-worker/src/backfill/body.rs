//! The backfill request's body, read with the core's JSON Reader (issue #17: no serde derive).

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

/// `{"platform", "shop", "from", "to", "confirm"?, "cursor"?, "limit"?}`, nothing else.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Body {
    pub platform: String,
    pub shop: String,
    pub from: String,
    pub to: String,
    pub confirm: bool,
    pub cursor: Option<String>,
    pub limit: Option<usize>,
}

/// Read with the core's Reader (issue #17), each refusal naming its field as serde's did.
pub(super) fn read_body(text: &[u8]) -> Result<Body, ledgerbridge_core::LedgerError> {
    crate::peek::body(text, |r| {
        let mut b = Body::default();
        let mut given = [false; 4];
        let names = [
            "platform", "shop", "from", "to", "confirm", "cursor", "limit",
        ];
        crate::peek::fields(r, &names, &mut |r, at| {
            match at {
                0 => b.platform = r.string()?,
                1 => b.shop = r.string()?,
                2 => b.from = r.string()?,
                3 => b.to = r.string()?,
                4 => b.confirm = r.bool()?,
                5 => b.cursor = r.opt(ledgerbridge_core::json::Reader::string)?,
                _ => b.limit = r.opt(ledgerbridge_core::json::Reader::index)?,
            }
            if let Some(seen) = given.get_mut(at) {
                *seen = true;
            }
            Ok(())
        })?;
        if let Some(at) = given.iter().position(|g| !g) {
            return Err(r.missing(names.get(at).copied().unwrap_or_default()));
        }
        Ok(b)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_backfill_body_is_read_whole_and_a_refusal_names_its_field() {
        let body = read_body(
            br#"{"platform":"shopify","shop":"s","from":"2026-05-01","to":"2026-05-31","limit":20,"cursor":null}"#,
        )
        .unwrap();
        assert_eq!(
            (
                body.platform.as_str(),
                body.from.as_str(),
                body.limit,
                body.confirm,
                body.cursor
            ),
            ("shopify", "2026-05-01", Some(20), false, None)
        );
        let may = r#""platform":"woocommerce","shop":"s","from":"2026-05-01","to":"2026-05-31""#;
        for (text, code, path) in [
            (format!("{{{may},\"dry\":true}}"), "E_INVALID_TYPE", "dry"),
            (
                format!("{{{may},\"limit\":-1}}"),
                "E_INVALID_VALUE",
                "limit",
            ),
            (
                format!("{{{may},\"limit\":\"5\"}}"),
                "E_INVALID_TYPE",
                "limit",
            ),
            (
                format!("{{{may},\"confirm\":\"yes\"}}"),
                "E_INVALID_TYPE",
                "confirm",
            ),
            (
                format!("{{{may},\"shop\":\"t\"}}"),
                "E_INVALID_TYPE",
                "shop",
            ),
            (
                r#"{"platform":"shopify","shop":"s","from":"2026-05-01"}"#.into(),
                "E_MISSING_FIELD",
                "to",
            ),
            (
                r#"{"platform":"shopify","shop":7}"#.into(),
                "E_INVALID_TYPE",
                "shop",
            ),
            (format!("{{{may}"), "E_JSON", "to"),
            ("[]".into(), "E_INVALID_TYPE", ""),
        ] {
            let e = read_body(text.as_bytes()).unwrap_err();
            let refused = crate::peek::bad_body(e.clone());
            assert_eq!((e.code(), e.path()), (code, path), "{text}: {e}");
            assert_eq!((refused.code, refused.path.as_str()), ("E_BAD_BODY", path));
        }
        let not_utf8 = read_body(b"{\"platform\":\"caf\xe9\"}").unwrap_err();
        assert_eq!((not_utf8.code(), not_utf8.path()), ("E_JSON", "platform"));
    }
}
