-- Issue #15 items 9 and 10 (privacy and the lows).

-- When a stored payload lost its personal data (retention, an erasure request, Shopify's
-- customers/redact): the retention sweep skips it, and the status of a privacy request can say so.
ALTER TABLE events ADD COLUMN redacted_at INTEGER;
CREATE INDEX events_retention ON events (redacted_at, received_at);

-- Failed API-key or session-token presentations per client IP and window (Unix s / window
-- length), so guessing keys is throttled; pruned by the sweeper once the window is over.
CREATE TABLE auth_failures (
  ip     TEXT    NOT NULL,
  window INTEGER NOT NULL,
  n      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (ip, window)
);

-- Shopify customers/data_request: what a customer asked to see, answered from the stored orders
-- by GET /api/data-requests. Holds ids only (the request's contact details are not kept).
CREATE TABLE data_requests (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  platform    TEXT    NOT NULL,
  shop        TEXT    NOT NULL,
  request_id  TEXT    NOT NULL,            -- the platform's id of the request (or the delivery's)
  customer_id TEXT,                        -- the platform's customer id, when the request gives one
  orders      TEXT    NOT NULL,            -- JSON array of order ids (strings)
  received_at INTEGER NOT NULL,
  UNIQUE (platform, shop, request_id)
);

CREATE INDEX seen_deliveries_age ON seen_deliveries (seen_at);

-- The retention sweep asks, per event, whether any entry it booked is still unposted.
CREATE INDEX entries_event ON entries (event_id);
