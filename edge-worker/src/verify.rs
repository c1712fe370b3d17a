//! Signature schemes of the inbound webhooks and of the outbound Standard Webhooks target.
//! Every MAC is checked with `Mac::verify_slice` (constant time) after decoding the header, so a
//! wrong signature costs the same whatever its first differing byte is.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a signature was refused; its code is the reason counted in `/api/status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    MissingSignature,
    MalformedSignature,
    BadSignature,
    /// Stripe: `t` outside the tolerance window (a replay, or a badly skewed clock).
    OutsideTolerance,
    /// No secret configured for this source: nothing can verify, so nothing is accepted.
    NoSecret,
}

impl Refused {
    pub fn code(&self) -> &'static str {
        match self {
            Refused::MissingSignature => "E_MISSING_SIGNATURE",
            Refused::MalformedSignature => "E_MALFORMED_SIGNATURE",
            Refused::BadSignature => "E_BAD_SIGNATURE",
            Refused::OutsideTolerance => "E_OUTSIDE_TOLERANCE",
            Refused::NoSecret => "E_NO_SECRET_CONFIGURED",
        }
    }
}

/// `None` never happens for HMAC (it takes keys of any length); the type only allows for it.
fn mac(key: &[u8]) -> Option<HmacSha256> {
    HmacSha256::new_from_slice(key).ok()
}

/// HMAC-SHA256 over the concatenation of `parts`.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let Some(mut m) = mac(key) else {
        return [0; 32];
    };
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

fn verify_parts(key: &[u8], parts: &[&[u8]], tag: &[u8]) -> bool {
    let Some(mut m) = mac(key) else { return false };
    for p in parts {
        m.update(p);
    }
    m.verify_slice(tag).is_ok()
}

/// Shopify (`X-Shopify-Hmac-Sha256`) and WooCommerce (`X-WC-Webhook-Signature`): base64 of
/// HMAC-SHA256 over the raw body. Any of `secrets` may match (current and previous during rotation).
pub fn base64_body_hmac(
    body: &[u8],
    header: Option<&str>,
    secrets: &[String],
) -> Result<(), Refused> {
    if secrets.is_empty() {
        return Err(Refused::NoSecret);
    }
    let header = header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(Refused::MissingSignature)?;
    let tag = B64
        .decode(header)
        .map_err(|_| Refused::MalformedSignature)?;
    if tag.len() != 32 {
        return Err(Refused::MalformedSignature);
    }
    if secrets
        .iter()
        .any(|s| verify_parts(s.as_bytes(), &[body], &tag))
    {
        Ok(())
    } else {
        Err(Refused::BadSignature)
    }
}

/// BigCommerce signs nothing: its webhooks are registered with custom headers, and the worker's
/// is `X-Webhook-Secret: <shared secret>`. Both sides are MACed with a fixed key and the MACs
/// compared in constant time, so neither the secret's length nor a matching prefix leaks.
pub fn shared_secret_header(header: Option<&str>, secrets: &[String]) -> Result<(), Refused> {
    if secrets.is_empty() {
        return Err(Refused::NoSecret);
    }
    let given = header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(Refused::MissingSignature)?;
    const LABEL: &[u8] = b"ledgerbridge-shared-secret";
    let tag = hmac_sha256(LABEL, &[given.as_bytes()]);
    if secrets
        .iter()
        .any(|s| verify_parts(LABEL, &[s.as_bytes()], &tag))
    {
        Ok(())
    } else {
        Err(Refused::BadSignature)
    }
}

/// At most this many `v1=` signatures in one `Stripe-Signature` header. Stripe sends one per
/// active endpoint secret (two while a secret is rolled); a few more leave room without letting a
/// forged header buy a MAC comparison per item.
const STRIPE_MAX_SIGNATURES: usize = 8;

/// Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]` over `"{t}.{body}"`; other schemes
/// are ignored; `t` must be within `tolerance_s` of `now_s` in either direction.
///
/// The cheap checks come first (well-formed 32-byte tags, at most [`STRIPE_MAX_SIGNATURES`], the
/// window), so a forged header costs no HMAC; then one MAC over the body per secret, compared with
/// every tag. The window says nothing secret: it is the `t` the sender chose.
pub fn stripe(
    body: &[u8],
    header: Option<&str>,
    secrets: &[String],
    now_s: i64,
    tolerance_s: i64,
) -> Result<(), Refused> {
    if secrets.is_empty() {
        return Err(Refused::NoSecret);
    }
    let header = header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(Refused::MissingSignature)?;
    let mut timestamp: Option<&str> = None;
    let mut tags: Vec<[u8; 32]> = Vec::new();
    for part in header.split(',') {
        let (k, v) = part
            .trim()
            .split_once('=')
            .ok_or(Refused::MalformedSignature)?;
        match k {
            "t" => timestamp = Some(v),
            "v1" => {
                if tags.len() == STRIPE_MAX_SIGNATURES {
                    return Err(Refused::MalformedSignature);
                }
                let tag = hex_decode(v)
                    .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                    .ok_or(Refused::MalformedSignature)?;
                tags.push(tag);
            }
            _ => {}
        }
    }
    let t_text = timestamp.ok_or(Refused::MalformedSignature)?;
    let t: i64 = t_text.parse().map_err(|_| Refused::MalformedSignature)?;
    if tags.is_empty() {
        return Err(Refused::MalformedSignature);
    }
    // abs_diff: `now_s - t` overflows for a `t` near i64::MIN, and wrapped it read as inside the window.
    let inside = u64::try_from(tolerance_s).is_ok_and(|tol| now_s.abs_diff(t) <= tol);
    if !inside {
        return Err(Refused::OutsideTolerance);
    }
    let signed_ok = secrets.iter().any(|s| {
        let Some(mut m) = mac(s.as_bytes()) else {
            return false;
        };
        m.update(t_text.as_bytes());
        m.update(b".");
        m.update(body);
        // Cloning the MAC state after the body is hashed makes each further comparison cost one
        // finalisation, not another pass over the body.
        tags.iter().any(|tag| m.clone().verify_slice(tag).is_ok())
    });
    if signed_ok {
        Ok(())
    } else {
        Err(Refused::BadSignature)
    }
}

/// The key of a Standard Webhooks secret: `whsec_<base64>` decodes; anything else is used as is.
pub fn standard_webhooks_key(secret: &str) -> Vec<u8> {
    secret
        .strip_prefix("whsec_")
        .and_then(|b| B64.decode(b).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

/// `webhook-signature` value for Standard Webhooks: `v1,<base64 HMAC(key, "{id}.{ts}.{body}")>`.
pub fn standard_webhooks_signature(key: &[u8], id: &str, timestamp_s: i64, body: &[u8]) -> String {
    let ts = timestamp_s.to_string();
    let tag = hmac_sha256(key, &[id.as_bytes(), b".", ts.as_bytes(), b".", body]);
    format!("v1,{}", B64.encode(tag))
}

pub fn hex_encode(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}

pub fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

/// SHA-256 hex of a body: the delivery id when a source sends none.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex_encode(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    const RFC4231_2: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    /// Reliability case 5: MACs are compared in constant time only. Every `==`/`!=` in the
    /// signature and token code is listed here, after review, as not touching secret bytes; a new
    /// comparison fails this test until someone has looked at it.
    #[test]
    fn secrets_are_only_compared_through_verify_slice() {
        let reviewed: &[&str] = &[
            "if tag.len() != 32 {",
            "if tags.len() == STRIPE_MAX_SIGNATURES {",
            "if text.len() % 2 != 0 {",
            "if alg != \"HS256\" {",
            "if client_id.is_empty() || claims.aud != client_id {",
            "if issuer.as_deref() != Some(dest.as_str()) {",
            ".all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');",
        ];
        for (file, source) in [
            ("verify.rs", include_str!("verify.rs")),
            ("auth.rs", include_str!("auth.rs")),
        ] {
            let code = source.split("#[cfg(test)]").next().unwrap();
            assert!(code.contains(".verify_slice("), "{file}: no verify_slice");
            for line in code.lines().map(str::trim) {
                let comparison = [" == ", " != "].iter().any(|op| line.contains(op));
                if comparison && !line.starts_with("//") {
                    assert!(
                        reviewed.contains(&line),
                        "{file}: unreviewed comparison `{line}`"
                    );
                }
            }
        }
    }

    #[test]
    fn shared_secret_header_accepts_either_secret_exactly() {
        let secrets = vec!["s3cret".to_string(), "old-s3cret".to_string()];
        assert_eq!(shared_secret_header(Some("s3cret"), &secrets), Ok(()));
        assert_eq!(shared_secret_header(Some(" old-s3cret "), &secrets), Ok(()));
        for wrong in ["s3cre", "s3cret!", "S3CRET"] {
            assert_eq!(
                shared_secret_header(Some(wrong), &secrets),
                Err(Refused::BadSignature)
            );
        }
        assert_eq!(
            shared_secret_header(None, &secrets),
            Err(Refused::MissingSignature)
        );
        assert_eq!(
            shared_secret_header(Some("s3cret"), &[]),
            Err(Refused::NoSecret)
        );
    }

    #[test]
    fn hmac_matches_rfc4231() {
        assert_eq!(
            hex_encode(&hmac_sha256(
                b"Jefe",
                &[b"what do ya want ", b"for nothing?"]
            )),
            RFC4231_2
        );
    }

    #[test]
    fn base64_scheme_accepts_current_and_previous_secret_only() {
        let body = b"what do ya want for nothing?";
        let sig = B64.encode(hex_decode(RFC4231_2).unwrap());
        let both = vec!["new".to_string(), "Jefe".to_string()];
        assert_eq!(base64_body_hmac(body, Some(&sig), &both), Ok(()));
        assert_eq!(
            base64_body_hmac(body, Some(&sig), &["new".to_string()]),
            Err(Refused::BadSignature)
        );
        assert_eq!(
            base64_body_hmac(body, None, &both),
            Err(Refused::MissingSignature)
        );
        assert_eq!(
            base64_body_hmac(body, Some("%%%"), &both),
            Err(Refused::MalformedSignature)
        );
        assert_eq!(
            base64_body_hmac(b"what do ya want for nothing? ", Some(&sig), &both),
            Err(Refused::BadSignature)
        );
        assert_eq!(
            base64_body_hmac(body, Some(&sig), &[]),
            Err(Refused::NoSecret)
        );
    }

    #[test]
    fn stripe_scheme_checks_every_v1_and_the_window() {
        let body = br#"{"id":"evt_1"}"#;
        let t = 1_700_000_000i64;
        let good = hex_encode(&hmac_sha256(
            b"whsec_x",
            &[t.to_string().as_bytes(), b".", body],
        ));
        let secrets = vec!["whsec_x".to_string()];
        let header = format!("t={t},v0=zz,v1={},v1={good}", "00".repeat(32));
        assert_eq!(stripe(body, Some(&header), &secrets, t + 300, 300), Ok(()));
        assert_eq!(stripe(body, Some(&header), &secrets, t - 300, 300), Ok(()));
        assert_eq!(
            stripe(body, Some(&header), &secrets, t + 301, 300),
            Err(Refused::OutsideTolerance)
        );
        assert_eq!(
            stripe(body, Some(&header), &secrets, t - 301, 300),
            Err(Refused::OutsideTolerance)
        );
        let wrong = format!("t={},v1={good}", t + 1);
        assert_eq!(
            stripe(body, Some(&wrong), &secrets, t, 300),
            Err(Refused::BadSignature)
        );
        assert_eq!(
            stripe(body, Some("v1=abcd"), &secrets, t, 300),
            Err(Refused::MalformedSignature)
        );
    }

    /// Security review (medium): a header of many `v1=` items cost one HMAC over the whole body
    /// each, and an empty tag decoded to 0 bytes. Tags must be 32 bytes, the items are capped, and
    /// the window is checked before any MAC is computed.
    #[test]
    fn stripe_refuses_cheaply_what_cannot_be_a_signature() {
        let body = br#"{"id":"evt_1"}"#;
        let t = 1_700_000_000i64;
        let secrets = vec!["whsec_x".to_string()];
        let good = hex_encode(&hmac_sha256(
            b"whsec_x",
            &[t.to_string().as_bytes(), b".", body],
        ));
        for short in ["", "ab", &"00".repeat(31), &"00".repeat(33)] {
            let header = format!("t={t},v1={short},v1={good}");
            assert_eq!(
                stripe(body, Some(&header), &secrets, t, 300),
                Err(Refused::MalformedSignature),
                "tag {short:?}"
            );
        }
        let many = format!(
            "t={t},{}v1={good}",
            format!("v1={},", "00".repeat(32)).repeat(8)
        );
        assert_eq!(
            stripe(body, Some(&many), &secrets, t, 300),
            Err(Refused::MalformedSignature)
        );
        let few = format!(
            "t={t},{}v1={good}",
            format!("v1={},", "00".repeat(32)).repeat(2)
        );
        assert_eq!(stripe(body, Some(&few), &secrets, t, 300), Ok(()));
        // Outside the window a bad tag is not even looked at: the cheap check answers first.
        let stale = format!("t={t},v1={}", "00".repeat(32));
        assert_eq!(
            stripe(body, Some(&stale), &secrets, t + 301, 300),
            Err(Refused::OutsideTolerance)
        );
    }

    // Found by the `verify` fuzz target: `now - t` overflowed (a panic in debug builds; in release
    // it wrapped to i64::MIN, whose abs() stays negative, so the stale `t` was accepted).
    #[test]
    fn stripe_window_holds_for_timestamps_at_the_ends_of_i64() {
        let body = b"{}";
        let secrets = vec!["whsec_x".to_string()];
        let now = 1_700_000_000i64;
        for t in [i64::MIN, now.wrapping_add(i64::MIN), i64::MAX] {
            let tag = hex_encode(&hmac_sha256(
                b"whsec_x",
                &[t.to_string().as_bytes(), b".", body],
            ));
            let header = format!("t={t},v1={tag}");
            assert_eq!(
                stripe(body, Some(&header), &secrets, now, 300),
                Err(Refused::OutsideTolerance),
                "t={t}"
            );
        }
        let tag = hex_encode(&hmac_sha256(b"whsec_x", &[b"5", b".", body]));
        let header = format!("t=5,v1={tag}");
        assert_eq!(
            stripe(body, Some(&header), &secrets, 5, -1),
            Err(Refused::OutsideTolerance)
        );
        assert_eq!(stripe(body, Some(&header), &secrets, 5, 0), Ok(()));
    }

    #[test]
    fn standard_webhooks_signature_follows_the_spec_example() {
        // Example from the Standard Webhooks specification (standard-webhooks/spec.md).
        let key = standard_webhooks_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            standard_webhooks_signature(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}
