-- Where the reconciliation pull of each source and shop has read up to (WooCommerce: the
-- `date_modified_gmt` of the last order seen), so each sweep asks only for what changed since.
CREATE TABLE pull_cursors (
  source     TEXT    NOT NULL,
  shop       TEXT    NOT NULL,
  cursor     TEXT    NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (source, shop)
);
