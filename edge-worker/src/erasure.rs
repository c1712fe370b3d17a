//! Shopify's mandatory privacy webhooks: `customers/redact` (a customer's orders) and
//! `shop/redact` (everything of a shop, 48 hours after uninstall). Stored payloads keep what the
//! books are made of and lose the people in them (the core's `redact_personal_data`, which maps
//! to the same entries); booked entries carry no personal data and stay, still balanced.
//! The request itself is stored already redacted (intake), and handled here, off the webhook's
//! 5-second budget, since a shop may have thousands of stored events.

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use crate::peek::known;
use crate::privacy;
use crate::store::privacy::HeldPayload;
use crate::store::{now_ms, Db};
use ledgerbridge_core::exporters::find_keys;
use ledgerbridge_core::json::Reader;
use ledgerbridge_core::platforms::redact::{named_in, Customer, People};
use ledgerbridge_core::LedgerError;
use worker::Result;

/// Events rewritten per D1 transaction.
const PAGE: i64 = 100;

/// The order ids of a redact request's `orders_to_redact` (numbers as written, strings as
/// they are; other items ignored), read with the core's Reader (issue #17).
fn orders_to_redact(request: &str) -> std::result::Result<Vec<String>, LedgerError> {
    let mut r = Reader::new(request);
    let mut ids = Vec::new();
    known(&mut r, &["orders_to_redact"], &mut |r, _| {
        if r.null()? {
            return Ok(());
        }
        r.each(&mut |r| {
            match r.lookahead() {
                b'"' => ids.push(r.string()?),
                b'-' | b'0'..=b'9' => ids.push(r.raw()?.to_string()),
                _ => r.skip()?,
            }
            Ok(())
        })
    })?;
    r.finish()?;
    Ok(ids)
}

/// What an erasure did, for the event's note.
#[derive(Debug, Default)]
pub struct Erased {
    /// Stored payloads rewritten without their personal data.
    pub payloads: usize,
    /// Contacts forgotten (docs/privacy.md): their find key is an email or a customer id.
    pub contacts: usize,
}

/// Erases what the request names: the stored payloads of its orders (all of the shop's for
/// `shop/redact`) and the contacts made for the customers they name, whose keys are read from
/// each payload before it loses them.
pub async fn run(
    db: &Db,
    platform: &str,
    shop: &str,
    topic: &str,
    request: &str,
) -> Result<Erased> {
    let orders = if topic == "shop/redact" {
        None
    } else {
        let ids = orders_to_redact(request)
            .map_err(|e| worker::Error::RustError(format!("redact request: {e}")))?;
        if ids.is_empty() {
            return Ok(Erased::default());
        }
        Some(crate::reply::strings(ids.iter().map(String::as_str)))
    };
    let mut keys = Vec::new();
    let mut after = 0;
    let mut erased = Erased::default();
    loop {
        let page = db
            .payloads_to_erase(platform, shop, orders.as_deref(), after, PAGE)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        if orders.is_some() {
            keys.extend(page.iter().flat_map(|row| contact_keys(&row.payload)));
        }
        let rows: Vec<(i64, Option<String>)> = page
            .iter()
            .map(|row| privacy::redacted(row.id, &row.payload))
            .collect();
        erased.payloads += rows.iter().filter(|(_, p)| p.is_some()).count();
        db.redact_payloads(&rows, now_ms()).await?;
    }
    erased.contacts = match orders {
        None => db.forget_contacts(shop, None).await?,
        Some(_) => privacy::forget_contacts(db, shop, &keys).await?,
    };
    Ok(erased)
}

/// The keys of the contacts that may have been made for the customer a request names (`who`) or
/// any of its stored `payloads` name: what an erasure forgets and an access request lists.
pub fn request_contact_keys(who: &Customer<'_>, payloads: &[HeldPayload]) -> Vec<String> {
    find_keys(&People::from(who))
        .into_iter()
        .chain(payloads.iter().flat_map(|row| contact_keys(&row.payload)))
        .collect()
}

/// The keys of the contacts that may have been made for the people a stored payload names; none
/// for a payload that cannot be read (it is redacted whole then).
pub fn contact_keys(payload: &str) -> Vec<String> {
    named_in(payload.as_bytes())
        .map(|people| find_keys(&people))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_redact_request_names_its_orders_by_number_or_string() {
        let ids = orders_to_redact(
            r#"{"shop_id":1,"customer":{"id":2},"orders_to_redact":[299938, "300", null, {"id":1}, ""]}"#,
        )
        .unwrap();
        assert_eq!(ids, vec!["299938", "300", ""]);
        assert!(orders_to_redact(r#"{"orders_to_redact":null}"#)
            .unwrap()
            .is_empty());
        assert!(orders_to_redact(r#"{"shop_id":1}"#).unwrap().is_empty());
        assert!(orders_to_redact(r#"{"orders_to_redact":7}"#).is_err());
        assert!(orders_to_redact(r#"{"orders_to_redact":[1,]}"#).is_err());
    }
}
