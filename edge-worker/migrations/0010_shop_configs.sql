-- The mapping per shop in D1, versioned (issue #12): each save is a new row, never an update, so
-- the history says who changed what when; the latest version whose effective date has come is
-- the one the worker maps with (else the SHOPS var's). Entries record the version that produced
-- them; a new version never rewrites them.
CREATE TABLE shop_configs (
  shop         TEXT    NOT NULL,
  version      INTEGER NOT NULL,           -- 1, 2, … per shop
  config       TEXT    NOT NULL,           -- the validated config as the core serializes it (JSON)
  created_by   TEXT    NOT NULL,           -- 'api key' or the session token's shop
  created_at   INTEGER NOT NULL,
  effective_at INTEGER NOT NULL,           -- ms; orders mapped from then on use it
  summary      TEXT    NOT NULL,           -- what changed, from the core's diff
  PRIMARY KEY (shop, version)
);

-- NULL: mapped with the SHOPS var's mapping (or before this migration).
ALTER TABLE entries ADD COLUMN config_version INTEGER;
