//! The fee booked with a sale's payment: the one the source reports, else a configured estimate.

use super::text::{text, Piece};
use super::{at_scale, Ctx, Lazy};
use crate::error::Result;
use crate::model::{Tender, GIFT_CARD_GATEWAY};
use crate::money::{Currency, Shown};
use rust_decimal::Decimal;

/// The fee of a payment of `paid` through `gateway`, and the `why` of its lines; `None` books none.
/// `tender` is `None` for the order total owed through the order's gateway (no transaction).
pub(crate) fn payment_fee(
    ctx: &mut Ctx<'_>,
    cur: Currency,
    gateway: &str,
    paid: Decimal,
    tender: Option<&Tender>,
    path: &dyn Piece,
) -> Result<Option<(Decimal, String)>> {
    if let Some(fee) = tender.and_then(|t| t.fee) {
        if fee.is_zero() {
            return Ok(None);
        }
        let fee = at_scale(cur, fee, Lazy(|| text!(path, ".fee")))?;
        return Ok(Some((
            fee,
            text!(path, ".fee: ", Shown(cur, fee), " kept by ", gateway),
        )));
    }
    if let Some(why) = tender.and_then(|t| t.fee_unbooked.as_deref()) {
        ctx.warn(
            "W_FEE_NOT_BOOKED",
            text!(path, ".fee"),
            format!("{why}: no fee booked with the sale; book it from the {gateway} statement"),
        );
        return Ok(None);
    }
    if gateway == GIFT_CARD_GATEWAY || !paid.is_sign_positive() || paid.is_zero() {
        return Ok(None);
    }
    let Some(rule) = ctx.config.fee_estimate(gateway) else {
        return Ok(None);
    };
    let Some(fee) = rule.estimate(cur, paid).filter(|f| !f.is_zero()) else {
        return Ok(None);
    };
    let rate = rule.describe();
    ctx.warn(
        "W_ESTIMATED_FEE",
        text!(path, ".fee"),
        format!(
            "{gateway} reported no fee: {} estimated at {rate}",
            Shown(cur, fee)
        ),
    );
    Ok(Some((
        fee,
        text!(
            path,
            ": estimated fee ",
            rate,
            " of ",
            Shown(cur, paid),
            " through ",
            gateway,
            " (none reported), trued up when the ",
            gateway,
            " statement is reconciled"
        ),
    )))
}
