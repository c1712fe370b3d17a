//! Where a JSON string's plain run ends: the first `"`, `\`, or control byte (< 0x20), eight
//! bytes a word, or sixteen a step with wasm SIMD. The reader finds string ends with it and the
//! writer the bytes it must escape: both ask the same question of the same kind of text.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Bytes of `w` that are `"`, `\` or a control byte (< 0x20) have their high bit set in the
/// result; the lowest set bit is exact (borrows may mark bytes above it, which are never used).
#[inline]
fn specials(w: u64) -> u64 {
    let quote = w ^ (ONES * b'"' as u64);
    let slash = w ^ (ONES * b'\\' as u64);
    (quote.wrapping_sub(ONES) & !quote
        | slash.wrapping_sub(ONES) & !slash
        | w.wrapping_sub(ONES * 0x20) & !w)
        & HIGHS
}

/// The offset of the first `"`, `\` or control byte at or after `pos` (the length if none).
/// A free function over a local offset: as a method it stored the cursor back to memory on every
/// word, which in wasm is most of a short string's cost.
#[inline(always)]
pub(crate) fn scan_from(bytes: &[u8], mut pos: usize) -> usize {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    while let Some(chunk) = bytes.get(pos..pos + 16) {
        if let Some(hit) = simd::first_special(chunk) {
            return pos + hit;
        }
        pos += 16;
    }
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        let hits = specials(u64::from_le_bytes(
            <[u8; 8]>::try_from(chunk).unwrap_or([0; 8]),
        ));
        if hits != 0 {
            return pos + (hits.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while let Some(&b) = bytes.get(pos) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return pos;
        }
        pos += 1;
    }
    pos
}

/// Sixteen bytes a step where wasm SIMD is there (Node's speed module): most keys and short
/// values then end within the first step, where eight bytes a word took two or three.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::{u8x16, u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, v128_or};

    /// The index of the first `"`, `\` or control byte among `chunk`'s sixteen bytes.
    #[inline(always)]
    pub(super) fn first_special(chunk: &[u8]) -> Option<usize> {
        // Only ever given sixteen bytes; a plain letter would stand for any other length.
        let b = <[u8; 16]>::try_from(chunk).unwrap_or([b'a'; 16]);
        let v = u8x16(
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
            b[14], b[15],
        );
        let hits = v128_or(
            v128_or(
                u8x16_eq(v, u8x16_splat(b'"')),
                u8x16_eq(v, u8x16_splat(b'\\')),
            ),
            u8x16_lt(v, u8x16_splat(0x20)),
        );
        let mask = u8x16_bitmask(hits);
        (mask != 0).then(|| mask.trailing_zeros() as usize)
    }
}
