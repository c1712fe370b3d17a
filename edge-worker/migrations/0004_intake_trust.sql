-- Issue #15 S7: the body hashes recorded per platform and shop. A webhook signature covers only
-- the body, so one signed body could be sent again under a fresh (unsigned) delivery id: a body
-- seen before for the same platform and shop is a duplicate. Pruned by the sweeper after 7 days,
-- longer than any platform retries one delivery (Stripe: 3 days).
CREATE TABLE seen_bodies (
  platform TEXT    NOT NULL,
  shop     TEXT    NOT NULL,
  sha256   TEXT    NOT NULL,                -- hex SHA-256 of the raw body as received
  seen_at  INTEGER NOT NULL,
  PRIMARY KEY (platform, shop, sha256)
);
CREATE INDEX seen_bodies_age ON seen_bodies (seen_at);

-- Issue #15 S8: refused deliveries as counters per known platform, fixed reason (an E_ code or
-- ignored-topic) and UTC day (Unix ms / 86400000), so a flood of refusals adds no rows and no
-- sender-chosen text. Pruned by the sweeper after 30 days.
CREATE TABLE rejection_counts (
  platform TEXT    NOT NULL,
  reason   TEXT    NOT NULL,
  day      INTEGER NOT NULL,
  n        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (platform, reason, day)
);
CREATE INDEX rejection_counts_day ON rejection_counts (day);

-- One row per refusal, with the sender's topic text in it and never pruned: replaced by the above.
DROP TABLE rejections;
