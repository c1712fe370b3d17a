//! A serde mirror of the Stripe objects that move money: amounts are integers in the currency's
//! minor units, currencies lower case, times Unix seconds. Unknown fields are ignored.

use serde::Deserialize;
use serde_json::value::RawValue;

/// Whatever arrives: an `event`, a bare object (`object` names it), or the worker's payout envelope
/// `{"payout": {...}, "balance_transactions": [...]}`.
#[derive(Deserialize)]
pub struct Top<'a> {
    pub object: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub created: Option<i64>,
    #[serde(borrow)]
    pub data: Option<EventData<'a>>,
    #[serde(borrow)]
    pub payout: Option<&'a RawValue>,
    #[serde(borrow)]
    pub balance_transactions: Option<&'a RawValue>,
}

#[derive(Deserialize)]
pub struct EventData<'a> {
    #[serde(borrow)]
    pub object: &'a RawValue,
}

/// Only the `object` tag, to decide how to read the rest.
#[derive(Deserialize)]
pub struct Tag {
    pub object: Option<String>,
}

/// A field Stripe sends as an id unless the request expanded it into the object.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum Expandable<T> {
    Id(String),
    Object(Box<T>),
}

#[derive(Deserialize)]
pub struct HasId {
    pub id: String,
}

impl<T> Expandable<T> {
    pub fn object(&self) -> Option<&T> {
        match self {
            Expandable::Object(o) => Some(o),
            Expandable::Id(_) => None,
        }
    }
}

#[derive(Deserialize)]
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

#[derive(Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub amount_received: Option<i64>,
    pub currency: String,
    pub created: i64,
    pub status: Option<String>,
    pub description: Option<String>,
    pub latest_charge: Option<Expandable<Charge>>,
}

#[derive(Deserialize)]
pub struct List<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
}

#[derive(Deserialize)]
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

#[derive(Deserialize)]
pub struct Dispute {
    pub id: String,
    pub currency: String,
    pub created: i64,
    pub charge: Expandable<HasId>,
    pub status: String,
    pub reason: Option<String>,
    #[serde(default)]
    pub balance_transactions: Vec<BalanceTransaction>,
}

#[derive(Deserialize)]
pub struct Payout {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub arrival_date: Option<i64>,
    pub created: i64,
    pub status: String,
}

#[derive(Deserialize)]
pub struct BalanceTransaction {
    pub id: Option<String>,
    /// Gross, signed: money into the Stripe balance is positive.
    pub amount: i64,
    pub fee: Option<i64>,
    #[serde(default)]
    pub fee_details: Vec<FeeDetail>,
    pub net: i64,
    /// Settlement currency.
    pub currency: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub reporting_category: Option<String>,
    pub source: Option<Expandable<HasId>>,
    pub created: Option<i64>,
    pub description: Option<String>,
}

#[derive(Deserialize)]
pub struct FeeDetail {
    pub amount: i64,
}

impl BalanceTransaction {
    pub fn source_id(&self) -> Option<&str> {
        match self.source.as_ref()? {
            Expandable::Id(id) => Some(id),
            Expandable::Object(o) => Some(&o.id),
        }
    }
}
