//! The model types read from canonical JSON on the core's [`Reader`], with what their serde derives
//! did (`deny_unknown_fields`, defaults, unit enums, `money::strict` amounts): unknown and repeated
//! keys refused, each error with the derive's code and path. The derives stay on the types (the
//! worker serializes them; `serde_oracle.rs` holds this reader to them in the tests). Known
//! difference, as for the platforms' wire readers: a struct written as a JSON array (serde's
//! positional form) is refused with `E_INVALID_TYPE`.

use crate::error::LedgerError;
use crate::json::{unknown, variant, Object, Reader, Seen};
use crate::model::{
    Adjustment, AdjustmentKind, BankDeposit, Discount, Dispute, DisputeStage, Expense, ExpenseKind,
    LineItem, Order, PaidFrom, Payout, PayoutItem, PayoutItemKind, PayoutStatus, Presentment,
    Refund, RefundLine, Restock, ShippingLine, StandaloneRefund, TaxLine, Tender, TenderKind,
    Timestamp,
};
use crate::money::{parse_decimal, Currency};
use crate::platforms::de::here;
use rust_decimal::Decimal;
use serde::de::IgnoredAny;

type Result<T> = std::result::Result<T, LedgerError>;

/// The members of an object already opened: `$bit` is the field's index in the key list (serde's
/// field order, which its "expected one of" message and missing-field checks follow), and the
/// member walk ([`field`]) is one function for every struct.
macro_rules! fields {
    ($r:ident, $obj:expr, $skip_tag:expr; $($bit:literal $key:literal => $read:expr;)*) => {{
        let mut obj = $obj;
        let mut seen = Seen::default();
        while let Some(i) = field($r, &mut obj, &mut seen, &[$($key),*], $skip_tag)? {
            match i {
                $($bit => $read,)*
                _ => {}
            }
        }
    }};
}

/// The next known member's index in `names` (the cursor then at its value), `None` past the
/// closing brace. `skip_tag`: the event's `type` was found after other members, and the derive
/// read the body with every `type` member taken out; otherwise `type` is an unknown field.
fn field(
    r: &mut Reader<'_>,
    obj: &mut Object,
    seen: &mut Seen,
    names: &[&'static str],
    skip_tag: bool,
) -> Result<Option<usize>> {
    loop {
        let Some(key) = r.key(obj)? else {
            return Ok(None);
        };
        if skip_tag && key == "type" {
            r.skip()?;
            continue;
        }
        let Some(i) = names.iter().position(|n| *n == key) else {
            return Err(unknown(r, "field", &key, names));
        };
        seen.first(r, i as u32, &key)?;
        return Ok(Some(i));
    }
}

/// A required member, or `E_MISSING_FIELD` for it (the cursor just past its object).
fn need<T>(r: &Reader<'_>, value: Option<T>, field: &str) -> Result<T> {
    value.ok_or_else(|| r.missing(field))
}

fn text(r: &mut Reader<'_>) -> Result<Option<String>> {
    r.opt(Reader::string)
}

fn texts(r: &mut Reader<'_>) -> Result<Vec<String>> {
    r.vec(Reader::string)
}

/// `money::strict`: a decimal string (a JSON number is the wrong type), never through a float.
fn amount(r: &mut Reader<'_>) -> Result<Decimal> {
    let text = r.str()?;
    parse_decimal(&text).map_err(|e| LedgerError::InvalidAmount {
        path: here(r),
        value: format!("{text:?}").trim_matches('"').to_string(),
        reason: e.reason().to_string(),
    })
}

fn opt_amount(r: &mut Reader<'_>) -> Result<Option<Decimal>> {
    r.opt(amount)
}

fn currency(r: &mut Reader<'_>) -> Result<Currency> {
    let code = r.str()?;
    Currency::from_code(&code).ok_or_else(|| LedgerError::UnknownCurrency {
        path: here(r),
        value: format!("{code:?}").trim_matches('"').to_string(),
    })
}

fn timestamp(r: &mut Reader<'_>) -> Result<Timestamp> {
    let text = r.str()?;
    Timestamp::parse(&text).ok_or_else(|| LedgerError::InvalidTimestamp {
        path: here(r),
        value: format!("{text:?}").trim_matches('"').to_string(),
    })
}

fn quantity(r: &mut Reader<'_>) -> Result<u32> {
    let q = crate::platforms::de::whole(r, "u32", 0, i64::from(u32::MAX))?;
    Ok(u32::try_from(q).unwrap_or_default())
}

/// `Option<IgnoredAny>`: any value, checked to be JSON and not kept.
fn ignored(r: &mut Reader<'_>) -> Result<Option<IgnoredAny>> {
    r.opt(|r| r.skip().map(|()| IgnoredAny))
}

pub(super) fn order(r: &mut Reader<'_>, obj: Object, skip_tag: bool) -> Result<Order> {
    let (mut id, mut name, mut processed_at, mut version) = (None, String::new(), None, None);
    let (mut currency_, mut presentment, mut taxes_included) = (None, None, false);
    let (mut cancelled_unpaid, mut channel, mut tags, mut lines) = (false, None, vec![], vec![]);
    let (mut shipping, mut tip, mut tenders, mut gateway) = (vec![], Decimal::ZERO, vec![], None);
    let (mut refunds, mut customer) = (vec![], None);
    fields!(r, obj, skip_tag;
        0 "id" => id = Some(r.string()?);
        1 "name" => name = r.string()?;
        2 "processed_at" => processed_at = Some(timestamp(r)?);
        3 "version" => version = Some(timestamp(r)?);
        4 "currency" => currency_ = Some(currency(r)?);
        5 "presentment" => presentment = r.opt(self::presentment)?;
        6 "taxes_included" => taxes_included = r.bool()?;
        7 "cancelled_unpaid" => cancelled_unpaid = r.bool()?;
        8 "channel" => channel = text(r)?;
        9 "tags" => tags = texts(r)?;
        10 "lines" => lines = r.vec(line_item)?;
        11 "shipping" => shipping = r.vec(shipping_line)?;
        12 "tip" => tip = amount(r)?;
        13 "tenders" => tenders = r.vec(tender)?;
        14 "gateway" => gateway = text(r)?;
        15 "refunds" => refunds = r.vec(refund)?;
        16 "customer" => customer = ignored(r)?;
    );
    Ok(Order {
        id: need(r, id, "id")?,
        name,
        processed_at: need(r, processed_at, "processed_at")?,
        version: need(r, version, "version")?,
        currency: need(r, currency_, "currency")?,
        presentment,
        taxes_included,
        cancelled_unpaid,
        channel,
        tags,
        lines,
        shipping,
        tip,
        tenders,
        gateway,
        refunds,
        customer,
    })
}

fn presentment(r: &mut Reader<'_>) -> Result<Presentment> {
    let (mut currency_, mut total) = (None, None);
    fields!(r, r.object()?, false;
        0 "currency" => currency_ = Some(currency(r)?);
        1 "total" => total = Some(amount(r)?);
    );
    Ok(Presentment {
        currency: need(r, currency_, "currency")?,
        total: need(r, total, "total")?,
    })
}

fn line_item(r: &mut Reader<'_>) -> Result<LineItem> {
    let (mut id, mut sku, mut title, mut product_type) = (None, None, String::new(), None);
    let (mut vendor, mut tags, mut quantity_, mut unit_price) = (None, vec![], None, None);
    let (mut unit_cost, mut gift_card, mut discounts, mut taxes) = (None, false, vec![], vec![]);
    fields!(r, r.object()?, false;
        0 "id" => id = Some(r.string()?);
        1 "sku" => sku = text(r)?;
        2 "title" => title = r.string()?;
        3 "product_type" => product_type = text(r)?;
        4 "vendor" => vendor = text(r)?;
        5 "tags" => tags = texts(r)?;
        6 "quantity" => quantity_ = Some(quantity(r)?);
        7 "unit_price" => unit_price = Some(amount(r)?);
        8 "unit_cost" => unit_cost = opt_amount(r)?;
        9 "gift_card" => gift_card = r.bool()?;
        10 "discounts" => discounts = r.vec(discount)?;
        11 "taxes" => taxes = r.vec(tax_line)?;
    );
    Ok(LineItem {
        id: need(r, id, "id")?,
        sku,
        title,
        product_type,
        vendor,
        tags,
        quantity: need(r, quantity_, "quantity")?,
        unit_price: need(r, unit_price, "unit_price")?,
        unit_cost,
        gift_card,
        discounts,
        taxes,
    })
}

fn discount(r: &mut Reader<'_>) -> Result<Discount> {
    let (mut amount_, mut code) = (None, None);
    fields!(r, r.object()?, false;
        0 "amount" => amount_ = Some(amount(r)?);
        1 "code" => code = text(r)?;
    );
    Ok(Discount {
        amount: need(r, amount_, "amount")?,
        code,
    })
}

fn tax_line(r: &mut Reader<'_>) -> Result<TaxLine> {
    let (mut title, mut rate, mut amount_) = (None, None, None);
    fields!(r, r.object()?, false;
        0 "title" => title = Some(r.string()?);
        1 "rate" => rate = opt_amount(r)?;
        2 "amount" => amount_ = Some(amount(r)?);
    );
    Ok(TaxLine {
        title: need(r, title, "title")?,
        rate,
        amount: need(r, amount_, "amount")?,
    })
}

fn shipping_line(r: &mut Reader<'_>) -> Result<ShippingLine> {
    let (mut title, mut price, mut discounts, mut taxes) = (String::new(), None, vec![], vec![]);
    fields!(r, r.object()?, false;
        0 "title" => title = r.string()?;
        1 "price" => price = Some(amount(r)?);
        2 "discounts" => discounts = r.vec(discount)?;
        3 "taxes" => taxes = r.vec(tax_line)?;
    );
    Ok(ShippingLine {
        title,
        price: need(r, price, "price")?,
        discounts,
        taxes,
    })
}

fn tender(r: &mut Reader<'_>) -> Result<Tender> {
    let (mut id, mut gateway, mut kind, mut amount_) = (None, None, None, None);
    let (mut fee, mut fee_unbooked) = (None, None);
    fields!(r, r.object()?, false;
        0 "id" => id = text(r)?;
        1 "gateway" => gateway = Some(r.string()?);
        2 "kind" => kind = Some([TenderKind::Payment, TenderKind::Refund][variant(r, &["payment", "refund"])?]);
        3 "amount" => amount_ = Some(amount(r)?);
        4 "fee" => fee = opt_amount(r)?;
        5 "fee_unbooked" => fee_unbooked = text(r)?;
    );
    Ok(Tender {
        id,
        gateway: need(r, gateway, "gateway")?,
        kind: need(r, kind, "kind")?,
        amount: need(r, amount_, "amount")?,
        fee,
        fee_unbooked,
        source_index: None,
    })
}

fn refund(r: &mut Reader<'_>) -> Result<Refund> {
    let (mut id, mut order_id, mut processed_at) = (None, None, None);
    let (mut lines, mut adjustments, mut tenders) = (vec![], vec![], vec![]);
    fields!(r, r.object()?, false;
        0 "id" => id = Some(r.string()?);
        1 "order_id" => order_id = Some(r.string()?);
        2 "processed_at" => processed_at = Some(timestamp(r)?);
        3 "lines" => lines = r.vec(refund_line)?;
        4 "adjustments" => adjustments = r.vec(adjustment)?;
        5 "tenders" => tenders = r.vec(tender)?;
    );
    Ok(Refund {
        id: need(r, id, "id")?,
        order_id: need(r, order_id, "order_id")?,
        processed_at: need(r, processed_at, "processed_at")?,
        lines,
        adjustments,
        tenders,
    })
}

fn refund_line(r: &mut Reader<'_>) -> Result<RefundLine> {
    let (mut line_item_id, mut quantity_, mut restock, mut subtotal) = (None, None, None, None);
    let (mut tax, mut sku, mut original_taxes) = (None, None, vec![]);
    let (mut unit_cost, mut gift_card) = (None, false);
    fields!(r, r.object()?, false;
        0 "line_item_id" => line_item_id = Some(r.string()?);
        1 "quantity" => quantity_ = Some(quantity(r)?);
        2 "restock" => restock = Some([Restock::Return, Restock::NoRestock][variant(r, &["return", "no_restock"])?]);
        3 "subtotal" => subtotal = Some(amount(r)?);
        4 "tax" => tax = Some(amount(r)?);
        5 "sku" => sku = text(r)?;
        6 "original_taxes" => original_taxes = r.vec(tax_line)?;
        7 "unit_cost" => unit_cost = opt_amount(r)?;
        8 "gift_card" => gift_card = r.bool()?;
    );
    Ok(RefundLine {
        line_item_id: need(r, line_item_id, "line_item_id")?,
        quantity: need(r, quantity_, "quantity")?,
        restock: need(r, restock, "restock")?,
        subtotal: need(r, subtotal, "subtotal")?,
        tax: need(r, tax, "tax")?,
        sku,
        original_taxes,
        unit_cost,
        gift_card,
    })
}

fn adjustment(r: &mut Reader<'_>) -> Result<Adjustment> {
    const KINDS: [AdjustmentKind; 2] =
        [AdjustmentKind::ShippingRefund, AdjustmentKind::Discrepancy];
    let (mut kind, mut amount_, mut tax, mut reason) = (None, None, Decimal::ZERO, None);
    fields!(r, r.object()?, false;
        0 "kind" => kind = Some(KINDS[variant(r, &["shipping_refund", "discrepancy"])?]);
        1 "amount" => amount_ = Some(amount(r)?);
        2 "tax" => tax = amount(r)?;
        3 "reason" => reason = text(r)?;
    );
    Ok(Adjustment {
        kind: need(r, kind, "kind")?,
        amount: need(r, amount_, "amount")?,
        tax,
        reason,
    })
}

pub(super) fn standalone_refund(
    r: &mut Reader<'_>,
    obj: Object,
    skip_tag: bool,
) -> Result<StandaloneRefund> {
    let (mut currency_, mut taxes_included, mut gateway) = (None, None, None);
    let (mut refund_, mut customer) = (None, None);
    fields!(r, obj, skip_tag;
        0 "currency" => currency_ = Some(currency(r)?);
        1 "taxes_included" => taxes_included = r.opt(Reader::bool)?;
        2 "gateway" => gateway = text(r)?;
        3 "refund" => refund_ = Some(refund(r)?);
        4 "customer" => customer = ignored(r)?;
    );
    Ok(StandaloneRefund {
        currency: need(r, currency_, "currency")?,
        taxes_included,
        gateway,
        refund: need(r, refund_, "refund")?,
        customer,
    })
}

pub(super) fn payout(r: &mut Reader<'_>, obj: Object, skip_tag: bool) -> Result<Payout> {
    const STATUSES: [PayoutStatus; 3] = [
        PayoutStatus::Paid,
        PayoutStatus::Pending,
        PayoutStatus::Failed,
    ];
    let (mut id, mut gateway, mut status, mut date) = (None, None, None, None);
    let (mut currency_, mut amount_, mut bank, mut items) = (None, None, None, vec![]);
    fields!(r, obj, skip_tag;
        0 "id" => id = Some(r.string()?);
        1 "gateway" => gateway = Some(r.string()?);
        2 "status" => status = Some(STATUSES[variant(r, &["paid", "pending", "failed"])?]);
        3 "date" => date = Some(timestamp(r)?);
        4 "currency" => currency_ = Some(currency(r)?);
        5 "amount" => amount_ = Some(amount(r)?);
        6 "bank" => bank = r.opt(bank_deposit)?;
        7 "items" => items = r.vec(payout_item)?;
    );
    Ok(Payout {
        id: need(r, id, "id")?,
        gateway: need(r, gateway, "gateway")?,
        status: need(r, status, "status")?,
        date: need(r, date, "date")?,
        currency: need(r, currency_, "currency")?,
        amount: need(r, amount_, "amount")?,
        bank,
        items,
    })
}

fn bank_deposit(r: &mut Reader<'_>) -> Result<BankDeposit> {
    let (mut currency_, mut amount_) = (None, None);
    fields!(r, r.object()?, false;
        0 "currency" => currency_ = Some(currency(r)?);
        1 "amount" => amount_ = Some(amount(r)?);
    );
    Ok(BankDeposit {
        currency: need(r, currency_, "currency")?,
        amount: need(r, amount_, "amount")?,
    })
}

const EXPENSE_KINDS: [ExpenseKind; 5] = [
    ExpenseKind::Subscription,
    ExpenseKind::App,
    ExpenseKind::ShippingLabel,
    ExpenseKind::GatewayFee,
    ExpenseKind::Other,
];

fn expense_kind(r: &mut Reader<'_>) -> Result<ExpenseKind> {
    let names = [
        "subscription",
        "app",
        "shipping_label",
        "gateway_fee",
        "other",
    ];
    Ok(EXPENSE_KINDS[variant(r, &names)?])
}

fn payout_item(r: &mut Reader<'_>) -> Result<PayoutItem> {
    const KINDS: [PayoutItemKind; 7] = [
        PayoutItemKind::Charge,
        PayoutItemKind::Refund,
        PayoutItemKind::Dispute,
        PayoutItemKind::Reserve,
        PayoutItemKind::Adjustment,
        PayoutItemKind::Fee,
        PayoutItemKind::Expense,
    ];
    let names = [
        "charge",
        "refund",
        "dispute",
        "reserve",
        "adjustment",
        "fee",
        "expense",
    ];
    let (mut kind, mut id, mut source_id, mut order_id) = (None, None, None, None);
    let (mut gross, mut fee, mut net, mut fee_booked) = (None, Decimal::ZERO, None, false);
    let (mut booked, mut expense, mut description) = (false, None, None);
    fields!(r, r.object()?, false;
        0 "kind" => kind = Some(KINDS[variant(r, &names)?]);
        1 "id" => id = text(r)?;
        2 "source_id" => source_id = text(r)?;
        3 "order_id" => order_id = text(r)?;
        4 "gross" => gross = Some(amount(r)?);
        5 "fee" => fee = amount(r)?;
        6 "net" => net = Some(amount(r)?);
        7 "fee_booked" => fee_booked = r.bool()?;
        8 "booked" => booked = r.bool()?;
        9 "expense" => expense = r.opt(expense_kind)?;
        10 "description" => description = text(r)?;
    );
    Ok(PayoutItem {
        kind: need(r, kind, "kind")?,
        id,
        source_id,
        order_id,
        gross: need(r, gross, "gross")?,
        fee,
        net: need(r, net, "net")?,
        fee_booked,
        booked,
        expense,
        description,
    })
}

pub(super) fn expense(r: &mut Reader<'_>, obj: Object, skip_tag: bool) -> Result<Expense> {
    const PAID_FROM: [PaidFrom; 3] = [PaidFrom::Clearing, PaidFrom::Card, PaidFrom::Bank];
    let (mut id, mut kind, mut date, mut currency_) = (None, None, None, None);
    let (mut amount_, mut paid_from, mut gateway, mut description) =
        (None, None, None, String::new());
    fields!(r, obj, skip_tag;
        0 "id" => id = Some(r.string()?);
        1 "kind" => kind = Some(expense_kind(r)?);
        2 "date" => date = Some(timestamp(r)?);
        3 "currency" => currency_ = Some(currency(r)?);
        4 "amount" => amount_ = Some(amount(r)?);
        5 "paid_from" => paid_from = r.opt(|r| variant(r, &["clearing", "card", "bank"]).map(|i| PAID_FROM[i]))?;
        6 "gateway" => gateway = text(r)?;
        7 "description" => description = r.string()?;
    );
    Ok(Expense {
        id: need(r, id, "id")?,
        kind: need(r, kind, "kind")?,
        date: need(r, date, "date")?,
        currency: need(r, currency_, "currency")?,
        amount: need(r, amount_, "amount")?,
        paid_from,
        gateway,
        description,
    })
}

pub(super) fn dispute(r: &mut Reader<'_>, obj: Object, skip_tag: bool) -> Result<Dispute> {
    const STAGES: [DisputeStage; 3] = [DisputeStage::Opened, DisputeStage::Won, DisputeStage::Lost];
    let (mut id, mut charge_id, mut order_id, mut gateway) = (None, None, None, None);
    let (mut stage, mut at, mut currency_, mut amount_) = (None, None, None, None);
    let (mut fee, mut reason) = (Decimal::ZERO, None);
    fields!(r, obj, skip_tag;
        0 "id" => id = Some(r.string()?);
        1 "charge_id" => charge_id = Some(r.string()?);
        2 "order_id" => order_id = text(r)?;
        3 "gateway" => gateway = Some(r.string()?);
        4 "stage" => stage = Some(STAGES[variant(r, &["opened", "won", "lost"])?]);
        5 "at" => at = Some(timestamp(r)?);
        6 "currency" => currency_ = Some(currency(r)?);
        7 "amount" => amount_ = Some(amount(r)?);
        8 "fee" => fee = amount(r)?;
        9 "reason" => reason = text(r)?;
    );
    Ok(Dispute {
        id: need(r, id, "id")?,
        charge_id: need(r, charge_id, "charge_id")?,
        order_id,
        gateway: need(r, gateway, "gateway")?,
        stage: need(r, stage, "stage")?,
        at: need(r, at, "at")?,
        currency: need(r, currency_, "currency")?,
        amount: need(r, amount_, "amount")?,
        fee,
        reason,
    })
}
