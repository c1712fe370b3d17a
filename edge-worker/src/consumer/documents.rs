//! Document mode at the consumer (docs/documents.md): the core's sales documents for an event, one
//! row per document and QBO/Xero target, each holding the requests that post it.
//!
//! Documents are made here, beside the journal mapping of the same event, rather than in the sink:
//! the event's payload (which carries the customer) is at hand only here, the same config version
//! decides both the `sale-costs` journals and the documents, and a config error (an unmapped SKU or
//! tax title) parks the event for the merchant before anything is booked, instead of parking
//! postings one by one later.

use crate::config::{Settings, Target};
use crate::store::{Db, NewDocument};
use ledgerbridge_core::exporters::{
    qbo_customer, qbo_document, sales_documents, xero_contact, xero_document, Target as DocTarget,
};
use ledgerbridge_core::json::write::to_string;
use ledgerbridge_core::platforms::customer_of;
use ledgerbridge_core::rules::DocumentMode;
use ledgerbridge_core::{Config, LedgerError, Platform};

/// The documents `payload` makes for the shop's QBO and Xero targets; none unless the mapping in
/// effect is in document mode. Each row's posts are, in order: the contact, the document and (Xero,
/// when money moved) its payment, as the core's writer wrote them (never through a
/// `serde_json::Value`, which would turn the amounts, `25.00`, into binary floats). `Err`: the
/// core's refusal, with its code and path.
pub(super) fn make(
    platform: Platform,
    payload: &[u8],
    config: &Config,
    targets: &[Target],
) -> Result<Vec<NewDocument>, String> {
    documents(platform, payload, config, targets)
        .map_err(|e| format!("{e} [{} at {}]", e.code(), e.path()))
}

#[allow(clippy::result_large_err)] // the core's error, once per event
fn documents(
    platform: Platform,
    payload: &[u8],
    config: &Config,
    targets: &[Target],
) -> Result<Vec<NewDocument>, LedgerError> {
    if config.documents.mode != DocumentMode::Documents {
        return Ok(Vec::new());
    }
    let wanted: Vec<(DocTarget, &'static str)> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Qbo => Some((DocTarget::Qbo, "qbo")),
            Target::Xero => Some((DocTarget::Xero, "xero")),
            _ => None,
        })
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let event = platform.parse(payload)?;
    let customer = customer_of(platform, payload)?;
    let mut rows = Vec::new();
    for (target, name) in wanted {
        for doc in sales_documents(platform, &event, customer.as_ref(), config, target)? {
            let posts = match target {
                DocTarget::Qbo => vec![
                    to_string(&qbo_customer(&doc.contact)),
                    to_string(&qbo_document(&doc, config)?),
                ],
                DocTarget::Xero => {
                    let (post, payment) = xero_document(&doc, config)?;
                    let mut posts = vec![to_string(&xero_contact(&doc.contact)), to_string(&post)];
                    if let Some(payment) = payment {
                        posts.push(to_string(&payment));
                    }
                    posts
                }
            };
            rows.push(NewDocument {
                id: doc.id.clone(),
                target: name,
                posts: format!("[{}]", posts.join(",")),
            });
        }
    }
    Ok(rows)
}

/// After an erasure: the documents not posted yet whose payload was redacted are made again from
/// the redacted payload, so what is queued no longer names the customer (they go to the guest
/// contact, docs/privacy.md). Posted documents kept no bodies. A document the mapping in effect
/// can no longer make keeps its posts and is logged. Returns how many documents were made again.
pub(super) async fn redact(
    db: &Db,
    settings: &Settings,
    platform: &str,
    shop: &str,
) -> worker::Result<usize> {
    let pending = db.redacted_unposted_documents(platform, shop).await?;
    if pending.is_empty() {
        return Ok(0);
    }
    let Ok(parsed) = platform.parse::<Platform>() else {
        return Ok(0);
    };
    let shop_config = settings.shop(shop);
    let config = match crate::setup::effective_mapping(db, &shop_config, shop).await {
        Ok((config, _)) => config,
        Err(e) => {
            worker::console_warn!("documents of {shop} not redacted: {e}");
            return Ok(0);
        }
    };
    let targets = shop_config.all_targets();
    let mut done = std::collections::BTreeSet::new();
    let mut remade = 0;
    for (event_id, payload) in pending {
        if !done.insert(event_id) {
            continue;
        }
        match make(parsed, payload.as_bytes(), &config, &targets) {
            Ok(docs) => remade += db.replace_unposted_posts(&docs).await?,
            Err(e) => worker::console_warn!("documents of event {event_id} not redacted: {e}"),
        }
    }
    Ok(remade)
}
