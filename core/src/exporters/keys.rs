//! Deterministic keys derived from an entry id: the QuickBooks `DocNumber` and `requestid`, the Xero
//! `Idempotency-Key`. Same entry id ⇒ same key, on every host and in every run.

use crate::journal::Entry;

/// QuickBooks caps `DocNumber` at 21 characters.
pub const DOC_NUMBER_MAX: usize = 21;
/// QuickBooks caps `requestid` at 50 characters (36 in a batch); ours always has 36.
pub const REQUEST_ID_MAX: usize = 36;
/// Xero caps `Idempotency-Key` at 128 characters.
pub const IDEMPOTENCY_KEY_MAX: usize = 128;

/// Digits of the source id a `DocNumber` keeps, so that people can find the order by eye.
const DOC_TAIL: usize = 10;
/// Hex digits of the hash in a `DocNumber`: 40 bits, enough to tell a sale from its reversal or a
/// re-posted version. `DocNumber` is for people; the QuickBooks duplicate check on it is optional,
/// so uniqueness rests on `requestid`, which carries 128 bits.
const DOC_HASH_HEX: usize = 10;

/// 128-bit FNV-1a. A non-cryptographic hash is enough here: entry ids are assigned by the
/// platforms, not chosen by an adversary, and 128 bits keep accidental collisions out of reach
/// (≈10⁻²¹ at a billion entries). It needs no dependency and is identical on wasm and native.
pub(crate) fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes.iter().fold(OFFSET, |hash, byte| {
        (hash ^ u128::from(*byte)).wrapping_mul(PRIME)
    })
}

fn hash_hex(id: &str) -> String {
    format!("{:032x}", fnv1a_128(id.as_bytes()))
}

/// A `DocNumber` (≤ 21 chars): the last ten alphanumerics of the source object's id, `-`, and ten
/// hex digits of the entry id's hash, e.g. `6123400001-9f0c3a7b21`. `LB-<hash>` when the source id
/// has no alphanumerics.
pub fn doc_number(entry: &Entry) -> String {
    let alnum: Vec<char> = entry
        .source
        .id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let tail: String = alnum[alnum.len().saturating_sub(DOC_TAIL)..]
        .iter()
        .collect();
    let hash = hash_hex(&entry.id);
    let short = &hash[..DOC_HASH_HEX];
    if tail.is_empty() {
        format!("LB-{short}")
    } else {
        format!("{tail}-{short}")
    }
}

/// `lb1-` + 32 hex digits of the entry id's hash (36 chars).
pub(crate) fn hashed_key(entry: &Entry) -> String {
    format!("lb1-{}", hash_hex(&entry.id))
}
