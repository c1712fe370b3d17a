-- A head may have no active entry: a newer version of its source booked nothing (an order cancelled
-- before payment), and what it had booked was reversed. SQLite cannot drop NOT NULL in place.
CREATE TABLE heads_next (
  logical_key TEXT    PRIMARY KEY,
  entry_id    TEXT,                        -- the active entry; NULL when the newest version books nothing
  version     TEXT    NOT NULL,            -- the newest version seen (may be newer than entry_id's)
  updated_at  INTEGER NOT NULL
);
INSERT INTO heads_next (logical_key, entry_id, version, updated_at)
  SELECT logical_key, entry_id, version, updated_at FROM heads;
DROP TABLE heads;
ALTER TABLE heads_next RENAME TO heads;
