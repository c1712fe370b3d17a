//! The embedded ledger: an entry is posted to D1 by being booked (the outbox row is written as
//! posted in the same batch). A pending `d1` row can only come from an older schema; it is
//! delivered when its entry is present.

use super::{Ctx, Outcome};
use crate::http::backoff;
use ledgerbridge_core::Entry;

pub async fn deliver(ctx: &Ctx<'_>, entry: &Entry) -> Outcome {
    match ctx.db.entry_json(&entry.id).await {
        Ok(Some(_)) => Outcome::Delivered(entry.id.clone()),
        Ok(None) => Outcome::Park(format!("entry {} is not in the ledger", entry.id)),
        Err(e) => Outcome::Retry {
            reason: format!("D1: {e}"),
            after_s: backoff(ctx.attempts),
        },
    }
}
