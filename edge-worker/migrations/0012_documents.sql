-- Issue #14: sales documents (docs/documents.md). With `[documents] mode = "documents"` an order or
-- a refund reaches QBO or Xero as a document instead of a journal entry. Each (document, target)
-- is posted through the outbox under the document's id (`outbox.entry_id` = `documents.id`), like
-- an entry or a summary: one row per document and target, so nothing is posted twice.

-- What the core made for a document, as the requests that post it.
CREATE TABLE documents (
  id         TEXT    NOT NULL,             -- the core's id: <platform>:<shop>:order:<id> | …:refund:<id>
  target     TEXT    NOT NULL,             -- qbo | xero
  shop       TEXT    NOT NULL,
  posts      TEXT    NOT NULL,             -- JSON array: the contact post, the document post, (Xero) its payment;
                                           -- emptied (`[]`) once posted: the bodies name the customer
  event_id   INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (id, target)
);

-- Contacts (QBO Customer, Xero Contact) made or found at a target, by the posts' find key, so a
-- customer is created once across redeliveries and orders.
CREATE TABLE contacts (
  shop       TEXT    NOT NULL,
  target     TEXT    NOT NULL,             -- qbo | xero
  key        TEXT    NOT NULL,             -- id:<platform customer id> | email:<address> | guest
  target_id  TEXT    NOT NULL,             -- QBO Customer.Id | Xero ContactID
  name       TEXT    NOT NULL,             -- the name it has there (the disambiguated one after a clash)
  hash       TEXT    NOT NULL,             -- of the contact post last sent: another hash means an update
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop, target, key)
);
