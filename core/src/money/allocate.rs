//! Exact allocation of an amount across parts (largest remainder).

use super::checked::{add_or_none, div_or_none, mul_or_none, sub_or_none};
use rust_decimal::{Decimal, RoundingStrategy};

/// Splits `total` (at `scale` decimal digits) in proportion to `weights` so the parts sum to `total`
/// exactly. Each part is first rounded toward zero; the minor units left over go, one each, to the
/// parts with the largest remainders (ties to the earliest part, so the split is deterministic).
/// Returns `None` when the weights sum to zero or arithmetic overflows.
pub fn allocate(total: Decimal, weights: &[Decimal], scale: u32) -> Option<Vec<Decimal>> {
    let weight_sum = weights
        .iter()
        .try_fold(Decimal::ZERO, |acc, w| add_or_none(acc, *w))?;
    if weight_sum.is_zero() {
        return None;
    }
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for weight in weights {
        // The shared non-generic checked ops: each inlined here cost ~1.8 KB of wasm.
        let exact = div_or_none(mul_or_none(total, *weight)?, weight_sum)?;
        let floor = exact.round_dp_with_strategy(scale, RoundingStrategy::ToZero);
        remainders.push(sub_or_none(exact, floor)?.abs());
        parts.push(floor);
    }
    let allocated = parts
        .iter()
        .try_fold(Decimal::ZERO, |acc, p| add_or_none(acc, *p))?;
    let unit = Decimal::new(1, scale);
    let mut left = sub_or_none(total, allocated)?;
    let step = if left.is_sign_negative() { -unit } else { unit };
    let order = by_remainder(&remainders);
    for index in order.iter().cycle().take(parts.len() * 2) {
        if left.is_zero() {
            break;
        }
        let part = parts.get_mut(*index)?;
        *part = add_or_none(*part, step)?;
        left = sub_or_none(left, step)?;
    }
    left.is_zero().then_some(parts)
}

/// The parts' indices, largest remainder first, ties to the earlier part. A merge sort of its own
/// rather than `sort_by`: the order is total (no two indices compare equal), so any correct sort
/// gives this one permutation, and the standard library's generic sort was several KB of each wasm
/// module for a list as long as an order's lines.
fn by_remainder(remainders: &[Decimal]) -> Vec<usize> {
    let before = |a: usize, b: usize| {
        remainders[a] > remainders[b] || (remainders[a] == remainders[b] && a < b)
    };
    let mut order: Vec<usize> = (0..remainders.len()).collect();
    let mut scratch = order.clone();
    let mut width = 1;
    while width < order.len() {
        // Runs of `width` are sorted; merge each pair of them from `order` into `scratch`.
        for start in (0..order.len()).step_by(2 * width) {
            let mid = (start + width).min(order.len());
            let end = (start + 2 * width).min(order.len());
            let (mut i, mut j) = (start, mid);
            for slot in &mut scratch[start..end] {
                let take_left = j >= end || (i < mid && !before(order[j], order[i]));
                *slot = if take_left { order[i] } else { order[j] };
                if take_left {
                    i += 1;
                } else {
                    j += 1;
                }
            }
        }
        std::mem::swap(&mut order, &mut scratch);
        width *= 2;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn splits_a_cent_by_largest_remainder() {
        let parts = allocate(d("10.00"), &[d("1"), d("1"), d("1")], 2);
        assert_eq!(parts, Some(vec![d("3.34"), d("3.33"), d("3.33")]));
        let parts = allocate(d("-0.05"), &[d("3"), d("1")], 2);
        assert_eq!(parts, Some(vec![d("-0.04"), d("-0.01")]));
        assert_eq!(allocate(d("1"), &[d("0")], 2), None);
    }

    proptest! {
        /// The merge sort orders as the standard library's sort did, ties (many, from a few
        /// values) included.
        #[test]
        fn by_remainder_is_the_sort_it_replaced(values in proptest::collection::vec(0i64..6, 0..80)) {
            let remainders: Vec<Decimal> = values.into_iter().map(|v| Decimal::new(v, 2)).collect();
            let mut expected: Vec<usize> = (0..remainders.len()).collect();
            expected.sort_by(|a, b| remainders[*b].cmp(&remainders[*a]).then(a.cmp(b)));
            prop_assert_eq!(by_remainder(&remainders), expected);
        }

        #[test]
        fn parts_always_sum_to_the_whole(
            cents in -10_000_000i64..10_000_000,
            weights in proptest::collection::vec(1i64..100_000, 1..12),
            scale in 0u32..4,
        ) {
            let total = Decimal::new(cents, scale);
            let weights: Vec<Decimal> = weights.into_iter().map(Decimal::from).collect();
            let parts = allocate(total, &weights, scale).unwrap_or_default();
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), total);
            for part in &parts {
                prop_assert!(part.scale() <= scale || part.fract().is_zero());
            }
        }
    }
}
