-- Issue #11: posting modes. A target in `per-payout` or `daily` mode receives summaries instead of
-- the entries they cover. The ledger (`entries`) keeps every entry as before; each entry still has
-- exactly one outbox row per target, whose state now also says `held` (waiting for its summary)
-- or `summarized` (target_ref = the summary's id), so an entry reaches a target once: per order or
-- in one summary, never both (the primary key of `outbox` is that guarantee).

-- A summary made for one target, posted through the outbox under its own id like an entry.
CREATE TABLE summaries (
  id         TEXT    NOT NULL,             -- the core's id: summary:payout:<platform>:<shop>:<payout>:<CUR> | summary:day:<shop>:<date>:<CUR>
  target     TEXT    NOT NULL,             -- qbo | xero | webhook
  shop       TEXT    NOT NULL,
  mode       TEXT    NOT NULL,             -- per-payout | daily
  json       TEXT,                         -- the summary entry; NULL when its entries net to zero (nothing to post)
  covers     INTEGER NOT NULL,             -- how many entries it covers (outbox rows in state summarized)
  created_at INTEGER NOT NULL,
  PRIMARY KEY (id, target)
);
CREATE INDEX summaries_shop ON summaries (shop, target);
CREATE INDEX outbox_held ON outbox (shop, target, state);
CREATE INDEX entries_kind ON entries (shop, source_kind);
