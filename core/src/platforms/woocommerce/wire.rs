//! A mirror of WooCommerce REST v3 JSON: the order (the webhook body of `order.*` topics) and the
//! refund object of `GET /orders/{id}/refunds/{refund_id}`. Only fields that carry money or
//! identity are read, by hand on [`Reader`]; every other member is skipped (still checked to be
//! JSON). One struct serves both shapes so a payload is parsed once; `amount` present and `status`
//! absent means a refund object. Error codes and paths are those the serde derives gave.

use crate::error::{LedgerError, Result};
use crate::json::Reader;
use crate::money::{parse_decimal, NumeralError};
use crate::platforms::de::{self, dec, here, id, members, text, whole, Dec, Id, Qty, QUANTITY_MAX};

// `prices_include_tax` is not read: line `subtotal`/`total` are ex-tax in both modes, with the tax
// beside them, so the mapping is the same.

#[derive(Default)]
pub struct Payload<'a> {
    pub id: Id,
    // Order fields.
    pub number: Option<String>,
    pub status: Option<String>,
    pub currency: Option<String>,
    pub date_created_gmt: Option<String>,
    pub date_modified_gmt: Option<String>,
    pub date_paid_gmt: Option<String>,
    pub total: Option<Dec>,
    pub total_tax: Option<Dec>,
    pub payment_method: String,
    pub transaction_id: Option<String>,
    pub created_via: Option<String>,
    pub line_items: Vec<LineItem<'a>>,
    pub tax_lines: Vec<TaxLine>,
    pub shipping_lines: Vec<ShippingLine>,
    pub fee_lines: Vec<FeeLine>,
    pub coupon_lines: Vec<CouponLine>,
    pub refunds: Vec<RefundSummary>,
    /// Gateway plugins keep the processing fee here (`_stripe_fee`, `_ppcp_paypal_fees`, ...).
    pub meta_data: Vec<Meta<'a>>,
    // Refund-object fields. `order_id` is not part of Woo's refund object: the worker that fetched
    // the refund adds it (with `currency` and `payment_method`) from the order it belongs to.
    pub amount: Option<Dec>,
    pub reason: Option<String>,
    pub refunded_payment: Option<bool>,
    pub order_id: Option<Id>,
    pub parent_id: Option<Id>,
}

fn blank(r: &mut Reader<'_>) -> Result<Option<Blank>> {
    r.opt(Blank::read)
}

impl<'a> Payload<'a> {
    /// The whole document `bytes` (UTF-8, one JSON object, nothing after it).
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        de::document(bytes, Self::read)
    }

    fn read(r: &mut Reader<'a>) -> Result<Self> {
        let mut p = Payload::default();
        let mut has_id = false;
        members!(r;
            0 "id" => { p.id = id(r)?; has_id = true };
            1 "number" => p.number = text(r)?;
            2 "status" => p.status = text(r)?;
            3 "currency" => p.currency = text(r)?;
            4 "date_created_gmt" => p.date_created_gmt = text(r)?;
            5 "date_modified_gmt" => p.date_modified_gmt = text(r)?;
            6 "date_paid_gmt" => p.date_paid_gmt = text(r)?;
            7 "total" => p.total = dec(r)?;
            8 "total_tax" => p.total_tax = dec(r)?;
            9 "payment_method" => p.payment_method = r.string()?;
            10 "transaction_id" => p.transaction_id = text(r)?;
            11 "created_via" => p.created_via = text(r)?;
            12 "line_items" => p.line_items = r.vec(LineItem::read)?;
            13 "tax_lines" => p.tax_lines = r.vec(TaxLine::read)?;
            14 "shipping_lines" => p.shipping_lines = r.vec(ShippingLine::read)?;
            15 "fee_lines" => p.fee_lines = r.vec(FeeLine::read)?;
            16 "coupon_lines" => p.coupon_lines = r.vec(CouponLine::read)?;
            17 "refunds" => p.refunds = r.vec(RefundSummary::read)?;
            18 "meta_data" => p.meta_data = r.vec(Meta::read)?;
            19 "amount" => p.amount = dec(r)?;
            20 "reason" => p.reason = text(r)?;
            21 "refunded_payment" => p.refunded_payment = r.opt(Reader::bool)?;
            22 "order_id" => p.order_id = r.opt(id)?;
            23 "parent_id" => p.parent_id = r.opt(id)?;
        );
        if !has_id {
            return Err(r.missing("id"));
        }
        Ok(p)
    }
}

pub struct LineItem<'a> {
    pub id: Id,
    pub name: String,
    pub sku: Option<String>,
    /// Signed: refund objects list returned quantities as negatives.
    pub quantity: SignedQty,
    pub subtotal: Dec,
    pub total: Dec,
    pub total_tax: Option<Blank>,
    pub taxes: Vec<RateAmount>,
    pub meta_data: Vec<Meta<'a>>,
}

impl<'a> LineItem<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self> {
        let (mut id_, mut name, mut sku, mut quantity) = (None, String::new(), None, None);
        let (mut subtotal, mut total, mut total_tax) = (None, None, None);
        let (mut taxes, mut meta_data) = (Vec::new(), Vec::new());
        members!(r;
            0 "id" => id_ = Some(id(r)?);
            1 "name" => name = r.string()?;
            2 "sku" => sku = text(r)?;
            3 "quantity" => quantity = Some(SignedQty::read(r)?);
            4 "subtotal" => subtotal = Some(Dec(de::amount(r)?));
            5 "total" => total = Some(Dec(de::amount(r)?));
            6 "total_tax" => total_tax = blank(r)?;
            7 "taxes" => taxes = r.vec(RateAmount::read)?;
            8 "meta_data" => meta_data = r.vec(Meta::read)?;
        );
        Ok(LineItem {
            id: id_.ok_or_else(|| r.missing("id"))?,
            name,
            sku,
            quantity: quantity.ok_or_else(|| r.missing("quantity"))?,
            subtotal: subtotal.ok_or_else(|| r.missing("subtotal"))?,
            total: total.ok_or_else(|| r.missing("total"))?,
            total_tax,
            taxes,
            meta_data,
        })
    }
}

/// One tax rate's share of a line. Woo keeps these unrounded (`"1.4784"`) and sends `""` for a
/// rate that did not apply after a coupon.
pub struct RateAmount {
    pub id: Id,
    pub total: Blank,
}

impl RateAmount {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id_, mut total) = (None, Blank::default());
        members!(r;
            0 "id" => id_ = Some(id(r)?);
            1 "total" => total = Blank::read(r)?;
        );
        Ok(RateAmount {
            id: id_.ok_or_else(|| r.missing("id"))?,
            total,
        })
    }
}

pub struct TaxLine {
    pub rate_id: Id,
    pub rate_code: String,
    pub label: String,
    pub tax_total: Blank,
    pub shipping_tax_total: Blank,
}

impl TaxLine {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut rate_id, mut rate_code, mut label) = (None, String::new(), String::new());
        let (mut tax_total, mut shipping_tax_total) = (Blank::default(), Blank::default());
        members!(r;
            0 "rate_id" => rate_id = Some(id(r)?);
            1 "rate_code" => rate_code = r.string()?;
            2 "label" => label = r.string()?;
            3 "tax_total" => tax_total = Blank::read(r)?;
            4 "shipping_tax_total" => shipping_tax_total = Blank::read(r)?;
        );
        Ok(TaxLine {
            rate_id: rate_id.ok_or_else(|| r.missing("rate_id"))?,
            rate_code,
            label,
            tax_total,
            shipping_tax_total,
        })
    }
}

pub struct ShippingLine {
    pub method_title: String,
    pub total: Dec,
    pub total_tax: Option<Blank>,
    pub taxes: Vec<RateAmount>,
}

impl ShippingLine {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut method_title, mut total, mut total_tax) = (String::new(), None, None);
        let mut taxes = Vec::new();
        members!(r;
            0 "method_title" => method_title = r.string()?;
            1 "total" => total = Some(Dec(de::amount(r)?));
            2 "total_tax" => total_tax = blank(r)?;
            3 "taxes" => taxes = r.vec(RateAmount::read)?;
        );
        Ok(ShippingLine {
            method_title,
            total: total.ok_or_else(|| r.missing("total"))?,
            total_tax,
            taxes,
        })
    }
}

pub struct FeeLine {
    pub id: Id,
    pub name: String,
    pub total: Dec,
    pub total_tax: Option<Blank>,
    pub taxes: Vec<RateAmount>,
}

impl FeeLine {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id_, mut name, mut total, mut total_tax) = (None, String::new(), None, None);
        let mut taxes = Vec::new();
        members!(r;
            0 "id" => id_ = Some(id(r)?);
            1 "name" => name = r.string()?;
            2 "total" => total = Some(Dec(de::amount(r)?));
            3 "total_tax" => total_tax = blank(r)?;
            4 "taxes" => taxes = r.vec(RateAmount::read)?;
        );
        Ok(FeeLine {
            id: id_.ok_or_else(|| r.missing("id"))?,
            name,
            total: total.ok_or_else(|| r.missing("total"))?,
            total_tax,
            taxes,
        })
    }
}

pub struct CouponLine {
    pub code: String,
}

impl CouponLine {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut code = String::new();
        members!(r;
            0 "code" => code = r.string()?;
        );
        Ok(CouponLine { code })
    }
}

pub struct RefundSummary {
    pub id: Id,
    pub reason: Option<String>,
    /// Negative: `'-' . wc_format_decimal(...)` in the REST orders controller.
    pub total: Dec,
}

impl RefundSummary {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id_, mut reason, mut total) = (None, None, None);
        members!(r;
            0 "id" => id_ = Some(id(r)?);
            1 "reason" => reason = text(r)?;
            2 "total" => total = Some(Dec(de::amount(r)?));
        );
        Ok(RefundSummary {
            id: id_.ok_or_else(|| r.missing("id"))?,
            reason,
            total: total.ok_or_else(|| r.missing("total"))?,
        })
    }
}

pub struct Meta<'a> {
    pub key: String,
    /// The value's exact JSON text (`None` for `null`): only the gateway fee reader looks inside.
    pub value: Option<&'a str>,
}

impl<'a> Meta<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self> {
        let (mut key, mut value) = (String::new(), None);
        members!(r;
            0 "key" => key = r.string()?;
            1 "value" => value = r.opt(Reader::raw)?;
        );
        Ok(Meta { key, value })
    }
}

/// An amount that Woo may send as `""` (meaning zero) besides a decimal string or number.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blank(pub rust_decimal::Decimal);

impl Blank {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let raw = r.raw()?;
        if raw == "\"\"" {
            return Ok(Blank(rust_decimal::Decimal::ZERO));
        }
        let inner = match raw.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(quoted) => quoted,
            None if raw.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) => raw,
            None => {
                return Err(LedgerError::InvalidType {
                    path: here(r),
                    message: format!("invalid type: {raw}, expected a decimal amount"),
                })
            }
        };
        parse_decimal(inner).map(Blank).map_err(|e| match e {
            NumeralError::TooLarge => LedgerError::AmountTooLarge {
                path: here(r),
                value: inner.to_string(),
            },
            other => LedgerError::InvalidAmount {
                path: here(r),
                value: format!("{inner:?}").trim_matches('"').to_string(),
                reason: other.reason().to_string(),
            },
        })
    }
}

/// A whole quantity that may be negative (refund objects); bounded like [`Qty`].
#[derive(Debug, Clone, Copy)]
pub struct SignedQty(pub i64);

impl SignedQty {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let value = whole(r, "i64", i64::MIN, i64::MAX)?;
        let limit = i64::from(QUANTITY_MAX);
        if value.unsigned_abs() > limit.unsigned_abs() {
            return Err(LedgerError::InvalidValue {
                path: here(r),
                value: String::new(),
                reason: format!("quantity {value} beyond ±{limit}"),
            });
        }
        Ok(SignedQty(value))
    }

    /// The quantity of an order line: never negative.
    pub fn sold(self) -> std::result::Result<Qty, String> {
        u32::try_from(self.0)
            .map(Qty)
            .map_err(|_| format!("negative quantity {}", self.0))
    }
}
