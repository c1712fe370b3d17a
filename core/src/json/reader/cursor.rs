//! Where the cursor stands, for errors a caller raises after reading a value or a key.

use super::Reader;

impl Reader<'_> {
    /// The JSON path of the cursor: where serde_json names an error that a derive raises right
    /// after a key (an unknown or repeated field) or after a value its own check refused (an
    /// unknown currency, a negative amount).
    pub fn path_of_cursor(&self) -> String {
        self.path_at(self.pos)
    }
}
