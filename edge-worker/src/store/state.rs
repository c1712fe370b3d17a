//! The states an event and an outbox posting move through. D1 stores them as these names (the
//! ones the schema's comments and the status API have always used), so typing them needed no
//! migration; SQL that filters on a state spells the same names.

use serde::{Deserialize, Serialize};

/// Where a recorded event is on its way to the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventStatus {
    /// Recorded, not mapped yet (or sent back by a replay or a retried fetch).
    Received,
    /// A refund that arrived before its order; released when the order is mapped.
    WaitingForOrder,
    /// Mapped and its plan committed (or its erasure done).
    Mapped,
    /// Cannot be mapped as it is: a reason says why; a replay sends it back.
    Parked,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Received => "received",
            EventStatus::WaitingForOrder => "waiting-for-order",
            EventStatus::Mapped => "mapped",
            EventStatus::Parked => "parked",
        }
    }

    /// Whether the consumer still has to map the event.
    pub fn is_open(self) -> bool {
        matches!(self, EventStatus::Received | EventStatus::WaitingForOrder)
    }
}

/// Where one entry's delivery to one target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostingState {
    Pending,
    Posted,
    Parked,
    /// Waiting for a summary under the target's posting mode (per-payout, daily).
    Held,
    /// Inside a summary sent instead (its id is the row's `target_ref`); never posted on its own.
    Summarized,
}

impl PostingState {
    pub fn as_str(self) -> &'static str {
        match self {
            PostingState::Pending => "pending",
            PostingState::Posted => "posted",
            PostingState::Parked => "parked",
            PostingState::Held => "held",
            PostingState::Summarized => "summarized",
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn states_read_and_write_the_names_already_stored_in_d1() {
        for (status, name) in [
            (EventStatus::Received, "received"),
            (EventStatus::WaitingForOrder, "waiting-for-order"),
            (EventStatus::Mapped, "mapped"),
            (EventStatus::Parked, "parked"),
        ] {
            assert_eq!(status.as_str(), name);
            assert_eq!(serde_json::to_value(status).unwrap(), name);
            let read: EventStatus = serde_json::from_value(name.into()).unwrap();
            assert_eq!(read, status);
        }
        for (state, name) in [
            (PostingState::Pending, "pending"),
            (PostingState::Posted, "posted"),
            (PostingState::Parked, "parked"),
            (PostingState::Held, "held"),
            (PostingState::Summarized, "summarized"),
        ] {
            assert_eq!(state.as_str(), name);
            let read: PostingState = serde_json::from_value(name.into()).unwrap();
            assert_eq!(read, state);
        }
    }
}
