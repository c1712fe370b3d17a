//! Who may read the admin API: a Shopify session token (an HS256 JWT signed with the app's client
//! secret, fetched by App Bridge per request) or the deployment's API key.

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use crate::peek::{integer, known};
use crate::verify::hmac_sha256;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use hmac::{Hmac, Mac};
use ledgerbridge_core::json::Reader;
use ledgerbridge_core::LedgerError;
use sha2::Sha256;

/// Shopify's own library allows this much clock skew on `exp` and `nbf`.
pub const CLOCK_SKEW_S: i64 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// No credential, a malformed or badly signed one, or an expired one: 401.
    Unauthenticated(String),
    /// A valid credential for somebody else (another shop): 403.
    Forbidden(String),
}

/// A session token's claims that decide (read with the core's Reader, issue #17; other claims
/// skipped, a missing or mistyped one refuses the token).
#[derive(Debug)]
struct Claims {
    exp: i64,
    nbf: Option<i64>,
    aud: String,
    dest: String,
    iss: String,
}

fn algorithm(r: &mut Reader<'_>) -> Result<String, LedgerError> {
    let mut alg = None;
    known(r, &["alg"], &mut |r, _| {
        alg = Some(r.string()?);
        Ok(())
    })?;
    alg.ok_or_else(|| r.missing("alg"))
}

fn claims(r: &mut Reader<'_>) -> Result<Claims, LedgerError> {
    let (mut exp, mut nbf, mut aud, mut dest, mut iss) = (None, None, None, None, None);
    known(r, &["exp", "nbf", "aud", "dest", "iss"], &mut |r, at| {
        match at {
            0 => exp = Some(integer(r)?),
            1 => nbf = r.opt(integer)?,
            2 => aud = Some(r.string()?),
            3 => dest = Some(r.string()?),
            _ => iss = Some(r.string()?),
        }
        Ok(())
    })?;
    Ok(Claims {
        exp: exp.ok_or_else(|| r.missing("exp"))?,
        nbf,
        aud: aud.ok_or_else(|| r.missing("aud"))?,
        dest: dest.ok_or_else(|| r.missing("dest"))?,
        iss: iss.ok_or_else(|| r.missing("iss"))?,
    })
}

fn unauth(why: &str) -> Denied {
    Denied::Unauthenticated(why.to_string())
}

/// Verifies a session token and returns the shop it was issued for (`dest` without the scheme).
/// `shop` (when the request names one) must be that shop.
pub fn session_token(
    token: &str,
    secrets: &[String],
    client_id: &str,
    shop: Option<&str>,
    now_s: i64,
) -> Result<String, Denied> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(unauth("malformed token"));
    };
    let alg = decode_json(h, algorithm)?;
    if alg != "HS256" {
        return Err(unauth("token algorithm must be HS256"));
    }
    let tag = B64URL
        .decode(s)
        .map_err(|_| unauth("malformed token signature"))?;
    let signed = secrets.iter().any(|secret| {
        Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .map(|mut m| {
                m.update(h.as_bytes());
                m.update(b".");
                m.update(c.as_bytes());
                m.verify_slice(&tag).is_ok()
            })
            .unwrap_or(false)
    });
    if !signed {
        return Err(unauth("bad token signature"));
    }
    let claims = decode_json(c, claims)?;
    if now_s > claims.exp + CLOCK_SKEW_S {
        return Err(unauth("token expired"));
    }
    if claims.nbf.is_some_and(|nbf| now_s + CLOCK_SKEW_S < nbf) {
        return Err(unauth("token not yet valid"));
    }
    if client_id.is_empty() || claims.aud != client_id {
        return Err(unauth("token audience is not this app"));
    }
    // Shopify issues `dest` = `https://{shop}.myshopify.com` and `iss` = that shop's `/admin`:
    // anything else was not minted by Shopify for a shop, whatever it is signed with.
    let dest = claims
        .dest
        .strip_prefix("https://")
        .map(|d| d.trim_end_matches('/'))
        .and_then(shopify_shop_domain)
        .ok_or_else(|| unauth("token destination is not a myshopify.com shop"))?;
    let issuer = claims
        .iss
        .strip_prefix("https://")
        .and_then(|i| i.trim_end_matches('/').strip_suffix("/admin"))
        .and_then(shopify_shop_domain);
    if issuer.as_deref() != Some(dest.as_str()) {
        return Err(unauth("token issuer is not the destination shop's admin"));
    }
    match shop {
        Some(asked) if !asked.eq_ignore_ascii_case(&dest) => Err(Denied::Forbidden(format!(
            "token is for {dest}, not {asked}"
        ))),
        _ => Ok(dest),
    }
}

/// A Shopify shop's permanent domain, lower-cased: `{name}.myshopify.com` where the name is
/// letters, digits and hyphens, not starting with a hyphen. `None` for anything else.
pub fn shopify_shop_domain(text: &str) -> Option<String> {
    let domain = text.to_ascii_lowercase();
    let name = domain.strip_suffix(".myshopify.com")?;
    let valid = !name.is_empty()
        && name.len() <= 63
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    valid.then_some(domain)
}

fn decode_json<T>(
    part: &str,
    read: impl FnOnce(&mut Reader<'_>) -> Result<T, LedgerError>,
) -> Result<T, Denied> {
    let bytes = B64URL.decode(part).map_err(|_| unauth("malformed token"))?;
    crate::peek::body(&bytes, read).map_err(|_| unauth("malformed token claims"))
}

/// Constant-time comparison of a presented API key with the configured one: both are MACed with
/// a fixed key, and the MACs compared with `verify_slice`, so neither length nor content leaks.
pub fn api_key(given: &str, expected: &str) -> bool {
    if expected.is_empty() {
        return false;
    }
    let want = hmac_sha256(b"ledgerbridge-api-key", &[expected.as_bytes()]);
    Hmac::<Sha256>::new_from_slice(b"ledgerbridge-api-key")
        .map(|mut m| {
            m.update(given.as_bytes());
            m.verify_slice(&want).is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn token(secret: &str, claims: &str) -> String {
        let h = B64URL.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let c = B64URL.encode(claims.as_bytes());
        let sig = hmac_sha256(secret.as_bytes(), &[h.as_bytes(), b".", c.as_bytes()]);
        format!("{h}.{c}.{}", B64URL.encode(sig))
    }

    const CLAIMS: &str = r#"{"iss":"https://a.myshopify.com/admin","dest":"https://a.myshopify.com","aud":"cid","sub":"42","exp":1000,"nbf":940,"iat":940}"#;

    #[test]
    fn accepts_a_valid_token_within_the_skew() {
        let t = token("s3cret", CLAIMS);
        let secrets = vec!["s3cret".to_string()];
        assert_eq!(
            session_token(&t, &secrets, "cid", Some("a.myshopify.com"), 1010),
            Ok("a.myshopify.com".into())
        );
        assert_eq!(
            session_token(&t, &secrets, "cid", None, 930),
            Ok("a.myshopify.com".into())
        );
    }

    #[test]
    fn refuses_expired_early_foreign_and_forged_tokens() {
        let t = token("s3cret", CLAIMS);
        let s = vec!["s3cret".to_string()];
        assert!(matches!(
            session_token(&t, &s, "cid", None, 1011),
            Err(Denied::Unauthenticated(_))
        ));
        assert!(matches!(
            session_token(&t, &s, "cid", None, 929),
            Err(Denied::Unauthenticated(_))
        ));
        assert!(matches!(
            session_token(&t, &s, "other", None, 1000),
            Err(Denied::Unauthenticated(_))
        ));
        assert!(matches!(
            session_token(&t, &s, "cid", Some("b.myshopify.com"), 1000),
            Err(Denied::Forbidden(_))
        ));
        assert!(matches!(
            session_token(&t, &["x".into()], "cid", None, 1000),
            Err(Denied::Unauthenticated(_))
        ));
        let none = t.replacen(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            &B64URL.encode(br#"{"alg":"none"}"#),
            1,
        );
        assert!(matches!(
            session_token(&none, &s, "cid", None, 1000),
            Err(Denied::Unauthenticated(_))
        ));
    }

    #[test]
    fn claims_missing_or_of_the_wrong_type_refuse_the_token() {
        let s = vec!["s3cret".to_string()];
        for claims in [
            r#"{"iss":"https://a.myshopify.com/admin","dest":"https://a.myshopify.com","aud":"cid"}"#,
            r#"{"iss":"https://a.myshopify.com/admin","dest":"https://a.myshopify.com","aud":"cid","exp":"1000"}"#,
            r#"{"iss":"https://a.myshopify.com/admin","dest":"https://a.myshopify.com","aud":"cid","exp":1000.5}"#,
            r#"{"iss":"https://a.myshopify.com/admin","dest":"https://a.myshopify.com","aud":["cid"],"exp":1000}"#,
            r#"{"iss":"https://a.myshopify.com/admin","dest":"https://a.myshopify.com","aud":"cid","exp":1000,"nbf":"940"}"#,
            r#"{"iss":"https://a.myshopify.com/admin","dest":"https://a.myshopify.com","aud":"cid","exp":1000,"exp":2000}"#,
            r#"{"iss":"https://a.myshopify.com/admin","dest":"https://a.myshopify.com","aud":"cid","exp":1000} x"#,
        ] {
            let t = token("s3cret", claims);
            assert_eq!(
                session_token(&t, &s, "cid", None, 1000),
                Err(Denied::Unauthenticated("malformed token claims".into())),
                "{claims}"
            );
        }
        let no_alg = format!(
            "{}.{}",
            B64URL.encode(br#"{"typ":"JWT"}"#),
            token("s3cret", CLAIMS).split_once('.').unwrap().1
        );
        assert_eq!(
            session_token(&no_alg, &s, "cid", None, 1000),
            Err(Denied::Unauthenticated("malformed token claims".into()))
        );
    }

    /// Security review (low): `dest` was trusted as any text and `iss` not read, so a token
    /// signed with the app's secret for `evil.example` named a shop that is no Shopify shop.
    #[test]
    fn dest_must_be_a_myshopify_shop_and_iss_its_admin() {
        let s = vec!["s3cret".to_string()];
        for claims in [
            CLAIMS.replace("https://a.myshopify.com\"", "https://evil.example\""),
            CLAIMS.replace("https://a.myshopify.com\"", "http://a.myshopify.com\""),
            CLAIMS.replace(
                "https://a.myshopify.com\"",
                "https://a.myshopify.com.evil.example\"",
            ),
            CLAIMS.replace("https://a.myshopify.com\"", "https://a_b.myshopify.com\""),
            CLAIMS.replace(
                "https://a.myshopify.com/admin",
                "https://b.myshopify.com/admin",
            ),
            CLAIMS.replace("\"iss\":\"https://a.myshopify.com/admin\",", ""),
        ] {
            assert!(
                matches!(
                    session_token(&token("s3cret", &claims), &s, "cid", None, 1000),
                    Err(Denied::Unauthenticated(_))
                ),
                "{claims}"
            );
        }
        let upper = CLAIMS.replace("https://a.myshopify.com\"", "https://A-1.myshopify.com/\"");
        let upper = upper.replace(
            "https://a.myshopify.com/admin",
            "https://a-1.myshopify.com/admin",
        );
        assert_eq!(
            session_token(&token("s3cret", &upper), &s, "cid", None, 1000),
            Ok("a-1.myshopify.com".into())
        );
    }

    #[test]
    fn api_key_compare() {
        assert!(api_key("k-123", "k-123"));
        assert!(!api_key("k-124", "k-123"));
        assert!(!api_key("", ""));
    }
}
