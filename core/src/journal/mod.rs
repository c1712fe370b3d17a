//! The journal: entries with deterministic ids, balanced by construction.

mod builder;
pub mod clearing;
pub mod diff;
mod entry;
mod entry_read;
pub mod plan;
pub mod posting;
pub mod remap;
mod summary;
mod totals;
mod write;

pub use builder::{Built, Closing, EntryBuilder, Posting, Role, LINES_PER_ENTRY_MAX};
pub use entry::{Amount, Entry, Line, Source};
pub use entry_read::{entries_from_json, entry_from_json, read_entry};
pub use summary::{summarize, SummaryBy, UNSETTLED};
pub use totals::{totals, EntryTotals};

/// `{platform}:{shop}:{resource}:{resource_id}:{kind}:{version}`: the same source object in the same
/// revision always gets the same id, which is what makes retries and re-deliveries idempotent.
pub fn entry_id(source: &Source, resource: &str) -> String {
    format!(
        "{}:{}:{}:{}:{}:{}",
        source.platform, source.shop, resource, source.id, source.kind, source.version
    )
}
