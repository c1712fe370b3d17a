//! The fee booked with a sale's payment: the one the source reports.

use super::{at_scale, Ctx, Lazy};
use crate::error::Result;
use crate::model::Tender;
use crate::money::{Currency, Shown};
use rust_decimal::Decimal;

/// The fee of a payment of `paid` through `gateway`, and the `why` of its lines; `None` books none.
/// `tender` is `None` for the order total owed through the order's gateway (no transaction).
pub(crate) fn payment_fee(
    ctx: &mut Ctx<'_>,
    cur: Currency,
    gateway: &str,
    _paid: Decimal,
    tender: Option<&Tender>,
    path: &str,
) -> Result<Option<(Decimal, String)>> {
    if let Some(fee) = tender.and_then(|t| t.fee) {
        if fee.is_zero() {
            return Ok(None);
        }
        let fee = at_scale(cur, fee, Lazy(|| format!("{path}.fee")))?;
        return Ok(Some((
            fee,
            format!("{path}.fee: {} kept by {gateway}", Shown(cur, fee)),
        )));
    }
    if let Some(why) = tender.and_then(|t| t.fee_unbooked.as_deref()) {
        ctx.warn(
            "W_FEE_NOT_BOOKED",
            format!("{path}.fee"),
            format!("{why}: no fee booked with the sale; book it from the {gateway} statement"),
        );
        return Ok(None);
    }
    Ok(None)
}
