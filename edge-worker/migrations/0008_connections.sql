-- Connecting QBO and Xero from the admin page (OAuth 2.0 authorization code).
-- An authorization in flight: the state is stored hashed (it travels in URLs), bound to the shop
-- and the credential that started it, single use and short-lived; the callback parks the code
-- here until the admin page, with its credential, completes the exchange.
CREATE TABLE oauth_states (
  state_hash TEXT    PRIMARY KEY,            -- hex SHA-256 of the state
  provider   TEXT    NOT NULL,               -- qbo | xero
  shop       TEXT    NOT NULL,
  caller     TEXT    NOT NULL,               -- 'admin' (API key) or the session token's shop
  code       TEXT,                           -- set by the callback
  account_id TEXT,                           -- QBO realmId from the callback
  expires_at INTEGER NOT NULL
);
CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);

-- The account each shop is connected to (QBO realm, Xero tenant); tokens stay in `tokens`.
CREATE TABLE connections (
  provider     TEXT    NOT NULL,
  shop         TEXT    NOT NULL,
  account_id   TEXT    NOT NULL,
  account_name TEXT,
  connected_at INTEGER NOT NULL,
  PRIMARY KEY (provider, shop)
);
