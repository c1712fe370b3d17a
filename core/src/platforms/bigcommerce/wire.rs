//! A mirror of the BigCommerce v2 order as the worker fetches it after an id-only webhook,
//! combined in one document:
//! `{"order": GET /v2/orders/{id}, "products": GET /v2/orders/{id}/products,
//!   "shipping_addresses": GET /v2/orders/{id}/shipping_addresses, "coupons": GET /v2/orders/{id}/coupons}`.
//! Money is 4-dp strings (`"50.0000"`). Read by hand on [`Reader`]; unknown members are skipped
//! (still checked to be JSON). Error codes and paths are those the serde derives gave.

use crate::error::Result;
use crate::json::Reader;
use crate::platforms::de::{self, dec, id, members, text, whole, Dec, Id, Qty};

pub struct Envelope {
    pub order: Order,
    pub products: Vec<Product>,
    pub shipping_addresses: Vec<ShippingAddress>,
    pub coupons: Vec<Coupon>,
}

impl Envelope {
    /// The whole document `bytes` (UTF-8, one JSON object, nothing after it).
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::from_bytes(bytes)?;
        let (mut order, mut products) = (None, None);
        let (mut shipping_addresses, mut coupons) = (Vec::new(), Vec::new());
        {
            let r = &mut r;
            members!(r;
                0 "order" => order = Some(Order::read(r)?);
                1 "products" => products = Some(r.vec(Product::read)?);
                2 "shipping_addresses" => shipping_addresses = r.vec(ShippingAddress::read)?;
                3 "coupons" => coupons = r.vec(Coupon::read)?;
            );
        }
        let envelope = Envelope {
            order: order.ok_or_else(|| r.missing("order"))?,
            products: products.ok_or_else(|| r.missing("products"))?,
            shipping_addresses,
            coupons,
        };
        r.finish()?;
        Ok(envelope)
    }
}

#[derive(Default)]
pub struct Order {
    pub id: Id,
    /// RFC 2822: `"Tue, 20 Nov 2012 00:00:00 +0000"`.
    pub date_created: String,
    pub date_modified: Option<String>,
    pub status: Option<String>,
    pub status_id: Option<u32>,
    pub currency_code: String,
    pub order_source: Option<String>,
    /// Not in every payload; the worker may set it from the store's tax settings.
    pub is_tax_inclusive_pricing: bool,
    pub shipping_cost_ex_tax: Option<Dec>,
    pub shipping_cost_inc_tax: Option<Dec>,
    pub handling_cost_ex_tax: Option<Dec>,
    pub handling_cost_inc_tax: Option<Dec>,
    pub wrapping_cost_ex_tax: Option<Dec>,
    pub wrapping_cost_inc_tax: Option<Dec>,
    pub total_inc_tax: Dec,
    pub discount_amount: Option<Dec>,
    pub coupon_discount: Option<Dec>,
    pub gift_certificate_amount: Option<Dec>,
    pub store_credit_amount: Option<Dec>,
    pub refunded_amount: Option<Dec>,
    pub payment_method: String,
}

impl Order {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut o = Order::default();
        // Bits of the required members read.
        let mut has = 0u8;
        members!(r;
            0 "id" => { o.id = id(r)?; has |= 1 };
            1 "date_created" => { o.date_created = r.string()?; has |= 2 };
            2 "date_modified" => o.date_modified = text(r)?;
            3 "status" => o.status = text(r)?;
            4 "status_id" => o.status_id = r.opt(|r| whole(r, "u32", 0, u32::MAX.into()))?
                .map(|v| u32::try_from(v).unwrap_or_default());
            5 "currency_code" => { o.currency_code = r.string()?; has |= 4 };
            6 "order_source" => o.order_source = text(r)?;
            7 "is_tax_inclusive_pricing" => o.is_tax_inclusive_pricing = r.bool()?;
            8 "shipping_cost_ex_tax" => o.shipping_cost_ex_tax = dec(r)?;
            9 "shipping_cost_inc_tax" => o.shipping_cost_inc_tax = dec(r)?;
            10 "handling_cost_ex_tax" => o.handling_cost_ex_tax = dec(r)?;
            11 "handling_cost_inc_tax" => o.handling_cost_inc_tax = dec(r)?;
            12 "wrapping_cost_ex_tax" => o.wrapping_cost_ex_tax = dec(r)?;
            13 "wrapping_cost_inc_tax" => o.wrapping_cost_inc_tax = dec(r)?;
            14 "total_inc_tax" => { o.total_inc_tax = Dec(de::amount(r)?); has |= 8 };
            15 "discount_amount" => o.discount_amount = dec(r)?;
            16 "coupon_discount" => o.coupon_discount = dec(r)?;
            17 "gift_certificate_amount" => o.gift_certificate_amount = dec(r)?;
            18 "store_credit_amount" => o.store_credit_amount = dec(r)?;
            19 "refunded_amount" => o.refunded_amount = dec(r)?;
            20 "payment_method" => o.payment_method = r.string()?;
        );
        // In declaration order, the first missing is the one serde named.
        for (bit, name) in [
            (1, "id"),
            (2, "date_created"),
            (4, "currency_code"),
            (8, "total_inc_tax"),
        ] {
            if has & bit == 0 {
                return Err(r.missing(name));
            }
        }
        Ok(o)
    }
}

pub struct Product {
    pub id: Id,
    pub sku: Option<String>,
    pub name: String,
    /// `type` in the JSON.
    pub kind: Option<String>,
    pub quantity: Qty,
    pub total_ex_tax: Dec,
    pub total_inc_tax: Dec,
    pub total_tax: Option<Dec>,
    pub applied_discounts: Vec<AppliedDiscount>,
}

impl Product {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id_, mut sku, mut name, mut kind) = (None, None, String::new(), None);
        let (mut quantity, mut total_ex_tax, mut total_inc_tax) = (None, None, None);
        let (mut total_tax, mut applied_discounts) = (None, Vec::new());
        members!(r;
            0 "id" => id_ = Some(id(r)?);
            1 "sku" => sku = text(r)?;
            2 "name" => name = r.string()?;
            3 "type" => kind = text(r)?;
            4 "quantity" => quantity = Some(de::quantity(r)?);
            5 "total_ex_tax" => total_ex_tax = Some(Dec(de::amount(r)?));
            6 "total_inc_tax" => total_inc_tax = Some(Dec(de::amount(r)?));
            7 "total_tax" => total_tax = dec(r)?;
            8 "applied_discounts" => applied_discounts = r.vec(AppliedDiscount::read)?;
        );
        Ok(Product {
            id: id_.ok_or_else(|| r.missing("id"))?,
            sku,
            name,
            kind,
            quantity: quantity.ok_or_else(|| r.missing("quantity"))?,
            total_ex_tax: total_ex_tax.ok_or_else(|| r.missing("total_ex_tax"))?,
            total_inc_tax: total_inc_tax.ok_or_else(|| r.missing("total_inc_tax"))?,
            total_tax,
            applied_discounts,
        })
    }
}

pub struct AppliedDiscount {
    pub amount: Dec,
    pub code: Option<String>,
}

impl AppliedDiscount {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut amount, mut code) = (None, None);
        members!(r;
            0 "amount" => amount = Some(Dec(de::amount(r)?));
            1 "code" => code = text(r)?;
        );
        Ok(AppliedDiscount {
            amount: amount.ok_or_else(|| r.missing("amount"))?,
            code,
        })
    }
}

pub struct ShippingAddress {
    pub shipping_method: String,
}

impl ShippingAddress {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut shipping_method = String::new();
        members!(r;
            0 "shipping_method" => shipping_method = r.string()?;
        );
        Ok(ShippingAddress { shipping_method })
    }
}

pub struct Coupon {
    pub code: String,
}

impl Coupon {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut code = String::new();
        members!(r;
            0 "code" => code = r.string()?;
        );
        Ok(Coupon { code })
    }
}
