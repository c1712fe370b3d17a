//! OAuth tokens at rest: sealed with ChaCha20-Poly1305 under a key from the `TOKEN_KEY` secret,
//! bound to their row (provider and shop as associated data), so a D1 export or backup holds no
//! usable token and a sealed token moved to another row does not open.
//!
//! The nonce is an HMAC of the associated data and the token (a synthetic IV): the same token in
//! the same row always seals to the same text, which lets D1 compare sealed values (`expire_access`)
//! and needs no randomness; two different tokens never share a nonce but by a 96-bit collision.

use crate::verify::hmac_sha256;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

/// Marks a sealed value; a stored value without it is a token written before sealing existed.
const PREFIX: &str = "lb1:";
/// A secret shorter than this is refused: it would be guessable offline from one sealed token.
pub const MIN_SECRET_LEN: usize = 32;

pub struct TokenKey {
    cipher: ChaCha20Poly1305,
    nonce_key: [u8; 32],
}

#[derive(Debug, PartialEq, Eq)]
pub enum Unsealed {
    Sealed(String),
    /// Written before tokens were sealed; sealed on its next write.
    Legacy(String),
}

impl Unsealed {
    pub fn into_text(self) -> String {
        match self {
            Unsealed::Sealed(t) | Unsealed::Legacy(t) => t,
        }
    }
}

impl TokenKey {
    /// Keys derived from the secret's text (any printable secret of at least [`MIN_SECRET_LEN`]
    /// characters, e.g. `openssl rand -base64 32`); `None` when it is too short.
    pub fn from_secret(secret: &str) -> Option<TokenKey> {
        let secret = secret.trim();
        if secret.len() < MIN_SECRET_LEN {
            return None;
        }
        let key = hmac_sha256(b"ledgerbridge-token-key", &[secret.as_bytes()]);
        let nonce_key = hmac_sha256(b"ledgerbridge-token-nonce", &[secret.as_bytes()]);
        Some(TokenKey {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
            nonce_key,
        })
    }

    pub fn seal(&self, row: &str, token: &str) -> String {
        let iv = hmac_sha256(&self.nonce_key, &[row.as_bytes(), b"\0", token.as_bytes()]);
        let nonce = Nonce::from_slice(&iv[..12]);
        let payload = Payload {
            msg: token.as_bytes(),
            aad: row.as_bytes(),
        };
        // Encryption fails only for messages over 256 GiB; a token is never one.
        let sealed = self.cipher.encrypt(nonce, payload).unwrap_or_default();
        let mut out = Vec::with_capacity(12 + sealed.len());
        out.extend_from_slice(&iv[..12]);
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", B64URL.encode(out))
    }

    /// `None` when the value is sealed but does not open under this key and row (a changed
    /// `TOKEN_KEY`, or a value copied from another row): the token must be connected again.
    pub fn open(&self, row: &str, stored: &str) -> Option<Unsealed> {
        let Some(body) = stored.strip_prefix(PREFIX) else {
            return Some(Unsealed::Legacy(stored.to_string()));
        };
        let bytes = B64URL.decode(body).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (iv, sealed) = bytes.split_at(12);
        let payload = Payload {
            msg: sealed,
            aad: row.as_bytes(),
        };
        let plain = self.cipher.decrypt(Nonce::from_slice(iv), payload).ok()?;
        String::from_utf8(plain).ok().map(Unsealed::Sealed)
    }
}

/// The associated data of a token row.
pub fn row(provider: &str, shop: &str) -> String {
    format!("{provider}\0{shop}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn seals_and_opens_only_in_its_own_row_and_key() {
        let key = TokenKey::from_secret(SECRET).unwrap();
        let row_a = row("qbo", "a.myshopify.com");
        let sealed = key.seal(&row_a, "refresh-abc");
        assert!(sealed.starts_with("lb1:"));
        assert!(!sealed.contains("refresh-abc"));
        assert_eq!(
            key.open(&row_a, &sealed),
            Some(Unsealed::Sealed("refresh-abc".into()))
        );
        assert_eq!(key.open(&row("qbo", "b.myshopify.com"), &sealed), None);
        assert_eq!(key.open(&row("xero", "a.myshopify.com"), &sealed), None);
        let other = TokenKey::from_secret(&SECRET.replace('0', "x")).unwrap();
        assert_eq!(other.open(&row_a, &sealed), None);
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(key.open(&row_a, &tampered), None);
        assert_eq!(key.open(&row_a, "lb1:"), None);
        assert_eq!(key.open(&row_a, "lb1:%%%"), None);
    }

    #[test]
    fn same_token_same_row_seals_the_same_and_other_tokens_differ() {
        let key = TokenKey::from_secret(SECRET).unwrap();
        let r = row("xero", "s");
        assert_eq!(key.seal(&r, "t1"), key.seal(&r, "t1"));
        assert_ne!(key.seal(&r, "t1"), key.seal(&r, "t2"));
        assert_ne!(key.seal(&r, "t1"), key.seal(&row("qbo", "s"), "t1"));
    }

    #[test]
    fn legacy_plain_values_open_as_legacy_and_short_secrets_are_refused() {
        let key = TokenKey::from_secret(SECRET).unwrap();
        assert_eq!(
            key.open("r", "plain-refresh"),
            Some(Unsealed::Legacy("plain-refresh".into()))
        );
        assert!(TokenKey::from_secret("short").is_none());
        assert!(TokenKey::from_secret(&" ".repeat(40)).is_none());
    }
}
