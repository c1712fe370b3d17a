//! A mirror of the Stripe objects that move money: amounts are integers in the currency's minor
//! units, currencies lower case, times Unix seconds. Read by hand on [`Reader`]; unknown members
//! are skipped (still checked to be JSON). Error codes and paths are those the serde derives gave.

use crate::error::{join_path, LedgerError, Result};
use crate::json::{locate, Reader};
use crate::platforms::de::{here, int, members, text};

fn opt_int(r: &mut Reader<'_>) -> Result<Option<i64>> {
    r.opt(int)
}

/// A whole document `text` read by `read`, nothing after it.
pub fn parse<'a, T>(text: &'a str, read: impl FnOnce(&mut Reader<'a>) -> Result<T>) -> Result<T> {
    let mut r = Reader::new(text);
    let value = read(&mut r)?;
    r.finish()?;
    Ok(value)
}

/// A required member's value, or `E_MISSING_FIELD` for it (the cursor just past its object).
fn need<T>(r: &Reader<'_>, value: Option<T>, field: &str) -> Result<T> {
    value.ok_or_else(|| r.missing(field))
}

/// Whatever arrives: an `event`, a bare object (`object` names it), or the worker's payout envelope
/// `{"payout": {...}, "balance_transactions": [...]}`. The nested objects are kept as their text.
#[derive(Default)]
pub struct Top<'a> {
    pub object: Option<String>,
    /// `type` in the JSON.
    pub kind: Option<String>,
    pub created: Option<i64>,
    pub data: Option<EventData<'a>>,
    pub payout: Option<&'a str>,
    pub balance_transactions: Option<&'a str>,
}

impl<'a> Top<'a> {
    pub fn read(r: &mut Reader<'a>) -> Result<Self> {
        let mut t = Top::default();
        members!(r;
            0 "object" => t.object = text(r)?;
            1 "type" => t.kind = text(r)?;
            2 "created" => t.created = opt_int(r)?;
            3 "data" => t.data = r.opt(EventData::read)?;
            4 "payout" => t.payout = r.opt(Reader::raw)?;
            5 "balance_transactions" => t.balance_transactions = r.opt(Reader::raw)?;
        );
        Ok(t)
    }
}

pub struct EventData<'a> {
    /// The object's exact text.
    pub object: &'a str,
}

impl<'a> EventData<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self> {
        let mut object = None;
        members!(r;
            0 "object" => object = Some(r.raw()?);
        );
        Ok(EventData {
            object: need(r, object, "object")?,
        })
    }
}

/// Only the `object` tag, to decide how to read the rest.
pub fn tag(r: &mut Reader<'_>) -> Result<Option<String>> {
    let mut object = None;
    members!(r;
        0 "object" => object = text(r)?;
    );
    Ok(object)
}

/// A field Stripe sends as an id unless the request expanded it into the object.
pub enum Expandable<T> {
    Id(String),
    Object(Box<T>),
}

impl<T> Expandable<T> {
    pub fn object(&self) -> Option<&T> {
        match self {
            Expandable::Object(o) => Some(o),
            Expandable::Id(_) => None,
        }
    }

    /// An id string, else the object `read` reads; anything else fails as a whole with serde's
    /// untagged-enum error, at the path serde gave it: the end of the value, which inside an
    /// object names its last key. The value is checked to be JSON first, as serde buffered it.
    fn read<'a>(r: &mut Reader<'a>, read: fn(&mut Reader<'a>) -> Result<T>) -> Result<Self> {
        let raw = r.raw()?;
        if raw.starts_with('"') {
            return Reader::new(raw).string().map(Expandable::Id);
        }
        match parse(raw, read) {
            Ok(object) => Ok(Expandable::Object(Box::new(object))),
            Err(_) => Err(LedgerError::InvalidType {
                path: join_path(&here(r), &locate(raw.as_bytes(), raw.len(), false)),
                message: "data did not match any variant of untagged enum Expandable".to_string(),
            }),
        }
    }
}

pub struct HasId {
    pub id: String,
}

impl HasId {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut id = None;
        members!(r;
            0 "id" => id = Some(r.string()?);
        );
        Ok(HasId {
            id: need(r, id, "id")?,
        })
    }
}

fn has_id(r: &mut Reader<'_>) -> Result<Option<Expandable<HasId>>> {
    r.opt(|r| Expandable::read(r, HasId::read))
}

fn balance_transaction(r: &mut Reader<'_>) -> Result<Option<Expandable<BalanceTransaction>>> {
    r.opt(|r| Expandable::read(r, BalanceTransaction::read))
}

pub struct Charge {
    pub id: String,
    pub amount: i64,
    pub amount_captured: Option<i64>,
    pub currency: String,
    pub created: i64,
    pub status: Option<String>,
    pub captured: Option<bool>,
    pub description: Option<String>,
    pub balance_transaction: Option<Expandable<BalanceTransaction>>,
    pub refunds: Option<List<Refund>>,
}

impl Charge {
    pub fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id, mut amount, mut amount_captured, mut currency) = (None, None, None, None);
        let (mut created, mut status, mut captured, mut description) = (None, None, None, None);
        let (mut balance_transaction_, mut refunds) = (None, None);
        members!(r;
            0 "id" => id = Some(r.string()?);
            1 "amount" => amount = Some(int(r)?);
            2 "amount_captured" => amount_captured = opt_int(r)?;
            3 "currency" => currency = Some(r.string()?);
            4 "created" => created = Some(int(r)?);
            5 "status" => status = text(r)?;
            6 "captured" => captured = r.opt(Reader::bool)?;
            7 "description" => description = text(r)?;
            8 "balance_transaction" => balance_transaction_ = balance_transaction(r)?;
            9 "refunds" => refunds = r.opt(List::read)?;
        );
        Ok(Charge {
            id: need(r, id, "id")?,
            amount: need(r, amount, "amount")?,
            amount_captured,
            currency: need(r, currency, "currency")?,
            created: need(r, created, "created")?,
            status,
            captured,
            description,
            balance_transaction: balance_transaction_,
            refunds,
        })
    }
}

pub struct PaymentIntent {
    pub id: String,
    pub amount_received: Option<i64>,
    pub currency: String,
    pub created: i64,
    pub status: Option<String>,
    pub description: Option<String>,
    pub latest_charge: Option<Expandable<Charge>>,
}

impl PaymentIntent {
    pub fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id, mut amount_received, mut currency, mut created) = (None, None, None, None);
        let (mut status, mut description, mut latest_charge) = (None, None, None);
        members!(r;
            0 "id" => id = Some(r.string()?);
            1 "amount_received" => amount_received = opt_int(r)?;
            2 "currency" => currency = Some(r.string()?);
            3 "created" => created = Some(int(r)?);
            4 "status" => status = text(r)?;
            5 "description" => description = text(r)?;
            6 "latest_charge" => latest_charge = r.opt(|r| Expandable::read(r, Charge::read))?;
        );
        Ok(PaymentIntent {
            id: need(r, id, "id")?,
            amount_received,
            currency: need(r, currency, "currency")?,
            created: need(r, created, "created")?,
            status,
            description,
            latest_charge,
        })
    }
}

pub struct List<T> {
    pub data: Vec<T>,
}

impl List<Refund> {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut data = Vec::new();
        members!(r;
            0 "data" => data = r.vec(Refund::read)?;
        );
        Ok(List { data })
    }
}

pub struct Refund {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub created: i64,
    pub charge: Option<Expandable<HasId>>,
    pub status: Option<String>,
    pub reason: Option<String>,
    pub balance_transaction: Option<Expandable<BalanceTransaction>>,
}

impl Refund {
    pub fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id, mut amount, mut currency, mut created) = (None, None, None, None);
        let (mut charge, mut status, mut reason, mut balance_transaction_) =
            (None, None, None, None);
        members!(r;
            0 "id" => id = Some(r.string()?);
            1 "amount" => amount = Some(int(r)?);
            2 "currency" => currency = Some(r.string()?);
            3 "created" => created = Some(int(r)?);
            4 "charge" => charge = has_id(r)?;
            5 "status" => status = text(r)?;
            6 "reason" => reason = text(r)?;
            7 "balance_transaction" => balance_transaction_ = balance_transaction(r)?;
        );
        Ok(Refund {
            id: need(r, id, "id")?,
            amount: need(r, amount, "amount")?,
            currency: need(r, currency, "currency")?,
            created: need(r, created, "created")?,
            charge,
            status,
            reason,
            balance_transaction: balance_transaction_,
        })
    }
}

pub struct Dispute {
    pub id: String,
    pub currency: String,
    pub created: i64,
    pub charge: Expandable<HasId>,
    pub status: String,
    pub reason: Option<String>,
    pub balance_transactions: Vec<BalanceTransaction>,
}

impl Dispute {
    pub fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id, mut currency, mut created, mut charge) = (None, None, None, None);
        let (mut status, mut reason, mut balance_transactions) = (None, None, Vec::new());
        members!(r;
            0 "id" => id = Some(r.string()?);
            1 "currency" => currency = Some(r.string()?);
            2 "created" => created = Some(int(r)?);
            3 "charge" => charge = Some(Expandable::read(r, HasId::read)?);
            4 "status" => status = Some(r.string()?);
            5 "reason" => reason = text(r)?;
            6 "balance_transactions" => balance_transactions = r.vec(BalanceTransaction::read)?;
        );
        Ok(Dispute {
            id: need(r, id, "id")?,
            currency: need(r, currency, "currency")?,
            created: need(r, created, "created")?,
            charge: need(r, charge, "charge")?,
            status: need(r, status, "status")?,
            reason,
            balance_transactions,
        })
    }
}

pub struct Payout {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub arrival_date: Option<i64>,
    pub created: i64,
    pub status: String,
}

impl Payout {
    pub fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id, mut amount, mut currency, mut arrival_date) = (None, None, None, None);
        let (mut created, mut status) = (None, None);
        members!(r;
            0 "id" => id = Some(r.string()?);
            1 "amount" => amount = Some(int(r)?);
            2 "currency" => currency = Some(r.string()?);
            3 "arrival_date" => arrival_date = opt_int(r)?;
            4 "created" => created = Some(int(r)?);
            5 "status" => status = Some(r.string()?);
        );
        Ok(Payout {
            id: need(r, id, "id")?,
            amount: need(r, amount, "amount")?,
            currency: need(r, currency, "currency")?,
            arrival_date,
            created: need(r, created, "created")?,
            status: need(r, status, "status")?,
        })
    }
}

pub struct BalanceTransaction {
    pub id: Option<String>,
    /// Gross, signed: money into the Stripe balance is positive.
    pub amount: i64,
    pub fee: Option<i64>,
    pub fee_details: Vec<FeeDetail>,
    pub net: i64,
    /// Settlement currency.
    pub currency: String,
    /// `type` in the JSON.
    pub kind: String,
    pub reporting_category: Option<String>,
    pub source: Option<Expandable<HasId>>,
    pub created: Option<i64>,
    pub description: Option<String>,
}

impl BalanceTransaction {
    pub fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id, mut amount, mut fee, mut fee_details) = (None, None, None, Vec::new());
        let (mut net, mut currency, mut kind, mut reporting_category) = (None, None, None, None);
        let (mut source, mut created, mut description) = (None, None, None);
        members!(r;
            0 "id" => id = text(r)?;
            1 "amount" => amount = Some(int(r)?);
            2 "fee" => fee = opt_int(r)?;
            3 "fee_details" => fee_details = r.vec(FeeDetail::read)?;
            4 "net" => net = Some(int(r)?);
            5 "currency" => currency = Some(r.string()?);
            6 "type" => kind = Some(r.string()?);
            7 "reporting_category" => reporting_category = text(r)?;
            8 "source" => source = has_id(r)?;
            9 "created" => created = opt_int(r)?;
            10 "description" => description = text(r)?;
        );
        Ok(BalanceTransaction {
            id,
            amount: need(r, amount, "amount")?,
            fee,
            fee_details,
            net: need(r, net, "net")?,
            currency: need(r, currency, "currency")?,
            kind: need(r, kind, "type")?,
            reporting_category,
            source,
            created,
            description,
        })
    }

    pub fn source_id(&self) -> Option<&str> {
        match self.source.as_ref()? {
            Expandable::Id(id) => Some(id),
            Expandable::Object(o) => Some(&o.id),
        }
    }
}

pub struct FeeDetail {
    pub amount: i64,
}

impl FeeDetail {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let mut amount = None;
        members!(r;
            0 "amount" => amount = Some(int(r)?);
        );
        Ok(FeeDetail {
            amount: need(r, amount, "amount")?,
        })
    }
}
