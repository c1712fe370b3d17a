//! A mirror of the Shopify REST-shaped webhook JSON: only the fields that carry money or identity,
//! read by hand on [`Reader`] (every other member is skipped, still checked to be JSON). One struct
//! serves both order bodies (`orders/*`) and refund bodies (`refunds/create`), so a payload is
//! parsed once whatever its topic. Codes and paths of errors are those the serde derives gave.

use crate::error::Result;
use crate::json::Reader;
use crate::platforms::de::{self, dec, members, text, Dec, Id, Qty};

fn id(r: &mut Reader<'_>) -> Result<Option<Id>> {
    r.opt(|r| r.id().map(Id))
}

fn qty(r: &mut Reader<'_>) -> Result<Qty> {
    de::quantity(r)
}

fn bag(r: &mut Reader<'_>) -> Result<Option<MoneyBag>> {
    r.opt(MoneyBag::read)
}

#[derive(Default)]
pub struct Payload<'a> {
    /// Required for orders and refunds; a payout envelope has none at the top.
    pub id: Option<Id>,
    /// Whether this is a Shopify Payments payout envelope (`{"payout": …, "balance_transactions":
    /// …}`), which is then parsed by its own adapter; skipped without building anything here.
    pub payout: bool,
    /// Present only in the envelope of an order body with its fetched GraphQL transactions
    /// (`{"order": …, "order_transactions": …}`): their exact text, parsed by its own adapter.
    pub order: Option<&'a str>,
    pub order_transactions: Option<&'a str>,
    // Order fields.
    pub name: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub processed_at: Option<String>,
    pub cancelled_at: Option<String>,
    pub currency: Option<String>,
    pub presentment_currency: Option<String>,
    pub taxes_included: bool,
    pub financial_status: Option<String>,
    pub gateway: Option<String>,
    pub payment_gateway_names: Vec<String>,
    pub source_name: Option<String>,
    pub tags: Option<String>,
    pub total_price: Option<Dec>,
    pub total_price_set: Option<MoneyBag>,
    pub total_tax: Option<Dec>,
    pub total_tax_set: Option<MoneyBag>,
    pub total_discounts: Option<Dec>,
    pub total_discounts_set: Option<MoneyBag>,
    pub total_tip_received: Option<Dec>,
    pub line_items: Option<Vec<LineItem>>,
    pub shipping_lines: Vec<ShippingLine>,
    pub discount_applications: Vec<DiscountApplication>,
    pub transactions: Vec<Transaction>,
    pub refunds: Vec<Refund>,
    // Refund-body fields (`refunds/create`).
    pub order_id: Option<Id>,
    pub refund_line_items: Option<Vec<RefundLineItem>>,
    pub order_adjustments: Vec<OrderAdjustment>,
}

impl<'a> Payload<'a> {
    /// The whole document `bytes` (UTF-8, one JSON object, nothing after it).
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        de::document(bytes, Self::read)
    }

    fn read(r: &mut Reader<'a>) -> Result<Self> {
        let mut p = Payload::default();
        members!(r;
            0 "id" => p.id = id(r)?;
            1 "payout" => p.payout = r.opt(Reader::skip)?.is_some();
            2 "order" => p.order = r.opt(Reader::raw)?;
            3 "order_transactions" => p.order_transactions = r.opt(Reader::raw)?;
            4 "name" => p.name = text(r)?;
            5 "created_at" => p.created_at = text(r)?;
            6 "updated_at" => p.updated_at = text(r)?;
            7 "processed_at" => p.processed_at = text(r)?;
            8 "cancelled_at" => p.cancelled_at = text(r)?;
            9 "currency" => p.currency = text(r)?;
            10 "presentment_currency" => p.presentment_currency = text(r)?;
            11 "taxes_included" => p.taxes_included = r.bool()?;
            12 "financial_status" => p.financial_status = text(r)?;
            13 "gateway" => p.gateway = text(r)?;
            14 "payment_gateway_names" => p.payment_gateway_names = r.vec(Reader::string)?;
            15 "source_name" => p.source_name = text(r)?;
            16 "tags" => p.tags = text(r)?;
            17 "total_price" => p.total_price = dec(r)?;
            18 "total_price_set" => p.total_price_set = bag(r)?;
            19 "total_tax" => p.total_tax = dec(r)?;
            20 "total_tax_set" => p.total_tax_set = bag(r)?;
            21 "total_discounts" => p.total_discounts = dec(r)?;
            22 "total_discounts_set" => p.total_discounts_set = bag(r)?;
            23 "total_tip_received" => p.total_tip_received = dec(r)?;
            24 "line_items" => p.line_items = r.opt(|r| r.vec(LineItem::read))?;
            25 "shipping_lines" => p.shipping_lines = r.vec(ShippingLine::read)?;
            26 "discount_applications" => p.discount_applications = r.vec(DiscountApplication::read)?;
            27 "transactions" => p.transactions = r.vec(Transaction::read)?;
            28 "refunds" => p.refunds = r.vec(Refund::read)?;
            29 "order_id" => p.order_id = id(r)?;
            30 "refund_line_items" => p.refund_line_items = r.opt(|r| r.vec(RefundLineItem::read))?;
            31 "order_adjustments" => p.order_adjustments = r.vec(OrderAdjustment::read)?;
        );
        Ok(p)
    }
}

pub struct MoneyBag {
    pub shop_money: Option<Money>,
    pub presentment_money: Option<Money>,
}

pub struct Money {
    pub amount: Dec,
    pub currency_code: Option<Code>,
}

/// A money object's currency code as sent, kept inline: an order carries some thirty money
/// objects, and a `String` each was a tenth of the parse. Longer text (refused later, if read at
/// all) goes to the heap.
pub enum Code {
    Inline { len: u8, bytes: [u8; 14] },
    Heap(String),
}

impl Code {
    fn new(text: &str) -> Self {
        let mut bytes = [0u8; 14];
        match bytes.get_mut(..text.len()) {
            Some(head) => {
                head.copy_from_slice(text.as_bytes());
                Code::Inline {
                    len: text.len() as u8,
                    bytes,
                }
            }
            None => Code::Heap(text.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            // Whole UTF-8 text copied in, so this never falls back to "".
            Code::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
            Code::Heap(text) => text,
        }
    }
}

impl MoneyBag {
    pub fn shop_amount(&self) -> Option<Dec> {
        self.shop_money.as_ref().map(|m| m.amount)
    }

    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut shop_money, mut presentment_money) = (None, None);
        members!(r;
            0 "shop_money" => shop_money = r.opt(Money::read)?;
            1 "presentment_money" => presentment_money = r.opt(Money::read)?;
        );
        Ok(MoneyBag {
            shop_money,
            presentment_money,
        })
    }
}

impl Money {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut amount, mut currency_code) = (None, None);
        members!(r;
            0 "amount" => amount = Some(Dec(de::amount(r)?));
            1 "currency_code" => currency_code = r.opt(|r| r.str().map(|t| Code::new(&t)))?;
        );
        Ok(Money {
            amount: amount.ok_or_else(|| r.missing("amount"))?,
            currency_code,
        })
    }
}

pub struct LineItem {
    pub id: Id,
    pub sku: Option<String>,
    pub title: String,
    pub vendor: Option<String>,
    pub product_type: Option<String>,
    pub quantity: Qty,
    pub price: Option<Dec>,
    pub price_set: Option<MoneyBag>,
    pub gift_card: bool,
    pub discount_allocations: Vec<DiscountAllocation>,
    pub tax_lines: Vec<TaxLine>,
}

impl LineItem {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id, mut quantity, mut sku, mut title, mut vendor, mut product_type) =
            (None, None, None, String::new(), None, None);
        let (mut price, mut price_set, mut gift_card) = (None, None, false);
        let (mut discount_allocations, mut tax_lines) = (Vec::new(), Vec::new());
        members!(r;
            0 "id" => id = Some(Id(r.id()?));
            1 "sku" => sku = text(r)?;
            2 "title" => title = r.string()?;
            3 "vendor" => vendor = text(r)?;
            4 "product_type" => product_type = text(r)?;
            5 "quantity" => quantity = Some(qty(r)?);
            6 "price" => price = dec(r)?;
            7 "price_set" => price_set = bag(r)?;
            8 "gift_card" => gift_card = r.bool()?;
            9 "discount_allocations" => discount_allocations = r.vec(DiscountAllocation::read)?;
            10 "tax_lines" => tax_lines = r.vec(TaxLine::read)?;
        );
        Ok(LineItem {
            id: id.ok_or_else(|| r.missing("id"))?,
            sku,
            title,
            vendor,
            product_type,
            quantity: quantity.ok_or_else(|| r.missing("quantity"))?,
            price,
            price_set,
            gift_card,
            discount_allocations,
            tax_lines,
        })
    }
}

pub struct DiscountAllocation {
    pub amount: Option<Dec>,
    pub amount_set: Option<MoneyBag>,
    pub discount_application_index: Option<usize>,
}

impl DiscountAllocation {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut a = DiscountAllocation {
            amount: None,
            amount_set: None,
            discount_application_index: None,
        };
        members!(r;
            0 "amount" => a.amount = dec(r)?;
            1 "amount_set" => a.amount_set = bag(r)?;
            2 "discount_application_index" => a.discount_application_index = r.opt(Reader::index)?;
        );
        Ok(a)
    }
}

pub struct DiscountApplication {
    pub code: Option<String>,
    pub title: Option<String>,
}

impl DiscountApplication {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut code, mut title) = (None, None);
        members!(r;
            0 "code" => code = text(r)?;
            1 "title" => title = text(r)?;
        );
        Ok(DiscountApplication { code, title })
    }
}

pub struct TaxLine {
    pub title: String,
    pub rate: Option<Dec>,
    pub price: Option<Dec>,
    pub price_set: Option<MoneyBag>,
}

impl TaxLine {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut title, mut rate, mut price, mut price_set) = (None, None, None, None);
        members!(r;
            0 "title" => title = Some(r.string()?);
            1 "rate" => rate = dec(r)?;
            2 "price" => price = dec(r)?;
            3 "price_set" => price_set = bag(r)?;
        );
        Ok(TaxLine {
            title: title.ok_or_else(|| r.missing("title"))?,
            rate,
            price,
            price_set,
        })
    }
}

pub struct ShippingLine {
    pub title: String,
    pub price: Option<Dec>,
    pub price_set: Option<MoneyBag>,
    pub discounted_price: Option<Dec>,
    pub discount_allocations: Vec<DiscountAllocation>,
    pub tax_lines: Vec<TaxLine>,
}

impl ShippingLine {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut s = ShippingLine {
            title: String::new(),
            price: None,
            price_set: None,
            discounted_price: None,
            discount_allocations: Vec::new(),
            tax_lines: Vec::new(),
        };
        members!(r;
            0 "title" => s.title = r.string()?;
            1 "price" => s.price = dec(r)?;
            2 "price_set" => s.price_set = bag(r)?;
            3 "discounted_price" => s.discounted_price = dec(r)?;
            4 "discount_allocations" => s.discount_allocations = r.vec(DiscountAllocation::read)?;
            5 "tax_lines" => s.tax_lines = r.vec(TaxLine::read)?;
        );
        Ok(s)
    }
}

pub struct Transaction {
    pub id: Option<Id>,
    pub kind: String,
    pub status: Option<String>,
    pub gateway: String,
    pub amount: Dec,
    pub amount_set: Option<MoneyBag>,
    pub currency: Option<String>,
    pub fee: Option<Dec>,
    pub fees: Vec<Fee>,
}

impl Transaction {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut tx_id, mut kind, mut status, mut gateway, mut amount) =
            (None, None, None, None, None);
        let (mut amount_set, mut currency, mut fee, mut fees) = (None, None, None, Vec::new());
        members!(r;
            0 "id" => tx_id = id(r)?;
            1 "kind" => kind = Some(r.string()?);
            2 "status" => status = text(r)?;
            3 "gateway" => gateway = Some(r.string()?);
            4 "amount" => amount = Some(Dec(de::amount(r)?));
            5 "amount_set" => amount_set = bag(r)?;
            6 "currency" => currency = text(r)?;
            7 "fee" => fee = dec(r)?;
            8 "fees" => fees = r.vec(Fee::read)?;
        );
        Ok(Transaction {
            id: tx_id,
            kind: kind.ok_or_else(|| r.missing("kind"))?,
            status,
            gateway: gateway.ok_or_else(|| r.missing("gateway"))?,
            amount: amount.ok_or_else(|| r.missing("amount"))?,
            amount_set,
            currency,
            fee,
            fees,
        })
    }
}

pub struct Fee {
    pub amount: Dec,
}

impl Fee {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut amount = None;
        members!(r;
            0 "amount" => amount = Some(Dec(de::amount(r)?));
        );
        Ok(Fee {
            amount: amount.ok_or_else(|| r.missing("amount"))?,
        })
    }
}

pub struct Refund {
    pub id: Id,
    pub created_at: Option<String>,
    pub processed_at: Option<String>,
    pub refund_line_items: Vec<RefundLineItem>,
    pub transactions: Vec<Transaction>,
    pub order_adjustments: Vec<OrderAdjustment>,
}

impl Refund {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut refund_id, mut created_at, mut processed_at) = (None, None, None);
        let (mut lines, mut transactions, mut adjustments) = (Vec::new(), Vec::new(), Vec::new());
        members!(r;
            0 "id" => refund_id = Some(Id(r.id()?));
            1 "created_at" => created_at = text(r)?;
            2 "processed_at" => processed_at = text(r)?;
            3 "refund_line_items" => lines = r.vec(RefundLineItem::read)?;
            4 "transactions" => transactions = r.vec(Transaction::read)?;
            5 "order_adjustments" => adjustments = r.vec(OrderAdjustment::read)?;
        );
        Ok(Refund {
            id: refund_id.ok_or_else(|| r.missing("id"))?,
            created_at,
            processed_at,
            refund_line_items: lines,
            transactions,
            order_adjustments: adjustments,
        })
    }
}

pub struct RefundLineItem {
    pub line_item_id: Id,
    pub quantity: Qty,
    pub restock_type: Option<String>,
    pub subtotal: Option<Dec>,
    pub subtotal_set: Option<MoneyBag>,
    pub total_tax: Option<Dec>,
    pub total_tax_set: Option<MoneyBag>,
    pub line_item: Option<RefundedLine>,
}

impl RefundLineItem {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut line_item_id, mut quantity, mut restock_type) = (None, None, None);
        let (mut subtotal, mut subtotal_set, mut total_tax, mut total_tax_set) =
            (None, None, None, None);
        let mut line_item = None;
        members!(r;
            0 "line_item_id" => line_item_id = Some(Id(r.id()?));
            1 "quantity" => quantity = Some(qty(r)?);
            2 "restock_type" => restock_type = text(r)?;
            3 "subtotal" => subtotal = dec(r)?;
            4 "subtotal_set" => subtotal_set = bag(r)?;
            5 "total_tax" => total_tax = dec(r)?;
            6 "total_tax_set" => total_tax_set = bag(r)?;
            7 "line_item" => line_item = r.opt(RefundedLine::read)?;
        );
        Ok(RefundLineItem {
            line_item_id: line_item_id.ok_or_else(|| r.missing("line_item_id"))?,
            quantity: quantity.ok_or_else(|| r.missing("quantity"))?,
            restock_type,
            subtotal,
            subtotal_set,
            total_tax,
            total_tax_set,
            line_item,
        })
    }
}

/// The copy of the original line embedded in a refund line item.
pub struct RefundedLine {
    pub sku: Option<String>,
    pub gift_card: bool,
    pub tax_lines: Vec<TaxLine>,
}

impl RefundedLine {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut sku, mut gift_card, mut tax_lines) = (None, false, Vec::new());
        members!(r;
            0 "sku" => sku = text(r)?;
            1 "gift_card" => gift_card = r.bool()?;
            2 "tax_lines" => tax_lines = r.vec(TaxLine::read)?;
        );
        Ok(RefundedLine {
            sku,
            gift_card,
            tax_lines,
        })
    }
}

pub struct OrderAdjustment {
    pub amount: Dec,
    pub tax_amount: Option<Dec>,
    pub kind: Option<String>,
    pub reason: Option<String>,
}

impl OrderAdjustment {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut amount, mut tax_amount, mut kind, mut reason) = (None, None, None, None);
        members!(r;
            0 "amount" => amount = Some(Dec(de::amount(r)?));
            1 "tax_amount" => tax_amount = dec(r)?;
            2 "kind" => kind = text(r)?;
            3 "reason" => reason = text(r)?;
        );
        Ok(OrderAdjustment {
            amount: amount.ok_or_else(|| r.missing("amount"))?,
            tax_amount,
            kind,
            reason,
        })
    }
}
