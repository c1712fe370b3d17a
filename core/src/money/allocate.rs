//! Exact allocation of an amount across parts (largest remainder).

use rust_decimal::{Decimal, RoundingStrategy};

/// Splits `total` (at `scale` decimal digits) in proportion to `weights` so the parts sum to `total`
/// exactly. Each part is first rounded toward zero; the minor units left over go, one each, to the
/// parts with the largest remainders (ties to the earliest part, so the split is deterministic).
/// Returns `None` when the weights sum to zero or arithmetic overflows.
pub fn allocate(total: Decimal, weights: &[Decimal], scale: u32) -> Option<Vec<Decimal>> {
    let weight_sum = weights
        .iter()
        .try_fold(Decimal::ZERO, |acc, w| acc.checked_add(*w))?;
    if weight_sum.is_zero() {
        return None;
    }
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for weight in weights {
        let exact = total.checked_mul(*weight)?.checked_div(weight_sum)?;
        let floor = exact.round_dp_with_strategy(scale, RoundingStrategy::ToZero);
        remainders.push((exact.checked_sub(floor)?).abs());
        parts.push(floor);
    }
    let allocated = parts
        .iter()
        .try_fold(Decimal::ZERO, |acc, p| acc.checked_add(*p))?;
    let unit = Decimal::new(1, scale);
    let mut left = total.checked_sub(allocated)?;
    let step = if left.is_sign_negative() { -unit } else { unit };
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| remainders[*b].cmp(&remainders[*a]).then(a.cmp(b)));
    for index in order.iter().cycle().take(parts.len() * 2) {
        if left.is_zero() {
            break;
        }
        let part = parts.get_mut(*index)?;
        *part = part.checked_add(step)?;
        left = left.checked_sub(step)?;
    }
    left.is_zero().then_some(parts)
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
