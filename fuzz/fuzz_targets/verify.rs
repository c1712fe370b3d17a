#![no_main]
//! The worker's webhook signature checks, natively. Arbitrary headers must be refused without a
//! panic; a header signed with the right secret must be accepted, by Stripe only inside the
//! tolerance window, which is recomputed here in i128 so no overflow can hide a wrong answer.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ledgerbridge_fuzz::verify::{self, Refused};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Case {
    /// Shopify / WooCommerce with a header as sent by anyone.
    Base64Raw { header: String },
    /// Shopify / WooCommerce with the header the platform would send.
    Base64Signed,
    /// Stripe with a header as sent by anyone.
    StripeRaw {
        header: String,
        now: i64,
        tolerance: i64,
    },
    /// Stripe with a correctly signed `t=` (any i64, as a hostile sender could sign it).
    StripeSigned {
        t: i64,
        now: i64,
        tolerance: i64,
        extra: String,
    },
    /// Hex and Standard Webhooks helpers.
    Helpers { text: String, id: String, ts: i64 },
}

#[derive(Debug, Arbitrary)]
struct Input {
    secret: String,
    body: Vec<u8>,
    case: Case,
}

fuzz_target!(|input: Input| {
    let Input { secret, body, case } = input;
    let secrets = vec![secret.clone()];
    match case {
        Case::Base64Raw { header } => {
            let result = verify::base64_body_hmac(&body, Some(&header), &secrets);
            if result.is_ok() {
                let mac = verify::hmac_sha256(secret.as_bytes(), &[&body]);
                assert_eq!(B64.decode(header.trim()).ok(), Some(mac.to_vec()));
            }
        }
        Case::Base64Signed => {
            let header = B64.encode(verify::hmac_sha256(secret.as_bytes(), &[&body]));
            assert_eq!(
                verify::base64_body_hmac(&body, Some(&header), &secrets),
                Ok(())
            );
            assert_eq!(
                verify::base64_body_hmac(&body, Some(&header), &[]),
                Err(Refused::NoSecret)
            );
        }
        Case::StripeRaw {
            header,
            now,
            tolerance,
        } => {
            let _ = verify::stripe(&body, Some(&header), &secrets, now, tolerance);
        }
        Case::StripeSigned {
            t,
            now,
            tolerance,
            extra,
        } => {
            let ts = t.to_string();
            let tag = verify::hmac_sha256(secret.as_bytes(), &[ts.as_bytes(), b".", &body]);
            // Unknown schemes are ignored, so a `k=v` pair without commas must not change the answer.
            let extra: String = extra.chars().filter(|c| *c != ',' && *c != '=').collect();
            let header = format!("t={ts},v1={},x{extra}=1", verify::hex_encode(&tag));
            let inside = (i128::from(now) - i128::from(t)).abs() <= i128::from(tolerance);
            let expected = if inside {
                Ok(())
            } else {
                Err(Refused::OutsideTolerance)
            };
            assert_eq!(
                verify::stripe(&body, Some(&header), &secrets, now, tolerance),
                expected
            );
        }
        Case::Helpers { text, id, ts } => {
            if let Some(bytes) = verify::hex_decode(&text) {
                assert_eq!(verify::hex_encode(&bytes), text.to_ascii_lowercase());
            }
            assert_eq!(
                verify::hex_decode(&verify::hex_encode(&body)),
                Some(body.clone())
            );
            let key = verify::standard_webhooks_key(&text);
            let sig = verify::standard_webhooks_signature(&key, &id, ts, &body);
            assert!(sig.starts_with("v1,"));
            let _ = verify::sha256_hex(&body);
        }
    }
});
