//! The member walk that objects read by name share: each member's key is looked up in the
//! object's field names and the reader gets its index, a name given twice is refused as serde's
//! derive refuses it, and any other member is either refused (`deny_unknown_fields`) or skipped.
//! One non-generic copy (the reader is a `dyn FnMut`) for every object read this way.

use super::{unknown, Reader, Seen};
use crate::error::Result;

/// What a member whose key is not one of the object's names gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Others {
    /// Refused with serde's unknown-field error, naming the expected fields.
    Refuse,
    /// Passed over, as a derive without `deny_unknown_fields` does.
    Skip,
}

/// Reads the object under the cursor: `read` gets each member whose key is one of `names`, by
/// its index there.
pub fn members<'a>(
    r: &mut Reader<'a>,
    names: &[&str],
    others: Others,
    read: &mut dyn FnMut(&mut Reader<'a>, usize) -> Result<()>,
) -> Result<()> {
    let mut obj = r.object()?;
    let mut seen = Seen::default();
    while let Some(key) = r.key(&mut obj)? {
        match names.iter().position(|n| *n == key) {
            Some(i) => {
                seen.first(r, i as u32, names[i])?;
                read(r, i)?;
            }
            None if others == Others::Skip => r.skip()?,
            None => return Err(unknown(r, "field", &key, names)),
        }
    }
    Ok(())
}
