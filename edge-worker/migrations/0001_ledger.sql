-- The embedded ledger and the delivery state of the edge worker. Times are Unix milliseconds.

-- Every accepted (signature-verified) delivery, raw, before anything is mapped.
CREATE TABLE events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  platform    TEXT    NOT NULL,
  shop        TEXT    NOT NULL,
  topic       TEXT    NOT NULL,
  delivery_id TEXT    NOT NULL,
  resource    TEXT    NOT NULL,            -- order | refund | other
  order_id    TEXT,                        -- the order this event belongs to, when known
  payload     TEXT    NOT NULL,            -- the raw body as received (verified bytes)
  received_at INTEGER NOT NULL,
  status      TEXT    NOT NULL DEFAULT 'received',
                                           -- received | mapped | waiting-for-order | ignored | parked
  reason      TEXT,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX events_status ON events (status, updated_at);
CREATE INDEX events_order ON events (platform, shop, order_id, resource);

-- Delivery ids already accepted: a redelivery is a no-op (written in the same batch as its event).
CREATE TABLE seen_deliveries (
  platform    TEXT    NOT NULL,
  delivery_id TEXT    NOT NULL,
  event_id    INTEGER,
  seen_at     INTEGER NOT NULL,
  PRIMARY KEY (platform, delivery_id)
);

-- Deliveries refused before recording (bad signature, oversize, malformed JSON): counts only, no body.
CREATE TABLE rejections (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  platform    TEXT    NOT NULL,
  reason      TEXT    NOT NULL,
  status      INTEGER NOT NULL,
  at          INTEGER NOT NULL
);

-- Orders whose (any) version has been mapped: refunds of other orders wait.
CREATE TABLE orders_seen (
  order_key   TEXT    PRIMARY KEY,         -- platform:shop:order:<id>
  event_id    INTEGER NOT NULL,
  seen_at     INTEGER NOT NULL
);

-- The ledger: every entry ever booked, keyed by its deterministic id. Never updated except `state`.
CREATE TABLE entries (
  id             TEXT    PRIMARY KEY,
  shop           TEXT    NOT NULL,
  platform       TEXT    NOT NULL,
  source_kind    TEXT    NOT NULL,
  source_id      TEXT    NOT NULL,
  source_version TEXT    NOT NULL,
  order_key      TEXT,
  date           TEXT    NOT NULL,
  json           TEXT    NOT NULL,         -- the public entry shape, byte for byte as the core wrote it
  event_id       INTEGER,
  state          TEXT    NOT NULL DEFAULT 'active', -- active | reversed | reversal
  created_at     INTEGER NOT NULL
);
CREATE INDEX entries_shop_created ON entries (shop, created_at);
CREATE INDEX entries_order ON entries (order_key);

-- The current version of each logical source object (platform:shop:kind:id).
CREATE TABLE heads (
  logical_key TEXT    PRIMARY KEY,
  entry_id    TEXT    NOT NULL,            -- the active entry (its lines are what was posted)
  version     TEXT    NOT NULL,            -- the newest version seen (may be newer than entry_id's)
  updated_at  INTEGER NOT NULL
);

-- One row per (entry, target): the transactional outbox.
CREATE TABLE outbox (
  entry_id        TEXT    NOT NULL,
  target          TEXT    NOT NULL,        -- d1 | webhook | qbo | xero
  shop            TEXT    NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'pending', -- pending | posted | parked
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  target_ref      TEXT,                    -- the target's id for the posting
  reason          TEXT,
  posted_at       INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (entry_id, target)
);
CREATE INDEX outbox_state ON outbox (state, next_attempt_at);

-- OAuth2 tokens per provider and shop. The refresh token is replaced before the new access token is used.
CREATE TABLE tokens (
  provider          TEXT    NOT NULL,      -- qbo | xero
  shop              TEXT    NOT NULL,
  access_token      TEXT,
  access_expires_at INTEGER NOT NULL DEFAULT 0,
  refresh_token     TEXT    NOT NULL,
  lock_until        INTEGER NOT NULL DEFAULT 0, -- single-flight refresh lease
  updated_at        INTEGER NOT NULL,
  PRIMARY KEY (provider, shop)
);

-- Calls made per provider, shop and window (`m:<minute>`, `d:<day>`), to stay under target limits.
CREATE TABLE rate_budget (
  provider TEXT    NOT NULL,
  shop     TEXT    NOT NULL,
  window   TEXT    NOT NULL,
  calls    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (provider, shop, window)
);
