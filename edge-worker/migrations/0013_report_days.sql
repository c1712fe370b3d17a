-- Per-day report aggregates (issue #13): GET /api/reports answers a large range from one small
-- document per (shop, day) instead of re-reading every entry. `body` is the core's DayAggregate
-- (reports::aggregate_day) as JSON without drill-down ids: amounts, counts, account names and
-- ids only, never payload text, so erasing a shop's personal data leaves nothing here to erase.
--
-- Kept fresh by generation, not by arithmetic in SQL: every entry written, changed or removed
-- bumps its day's `gen` in the same statement (the triggers below), whatever code path wrote it;
-- a report re-aggregates, with the core, the days whose `built_gen` is behind (or whose `config`
-- fingerprint is not the mapping in effect) and stores them back only if `gen` has not moved
-- meanwhile. Days of entries stored before this migration start stale and are aggregated the
-- same way on first use (the rebuild path).
CREATE TABLE IF NOT EXISTS report_days (
  shop      TEXT    NOT NULL,
  date      TEXT    NOT NULL,
  gen       INTEGER NOT NULL DEFAULT 1,
  built_gen INTEGER NOT NULL DEFAULT 0,
  config    TEXT,
  entries   INTEGER NOT NULL DEFAULT 0,
  body      TEXT,
  PRIMARY KEY (shop, date)
);

INSERT INTO report_days (shop, date)
  SELECT DISTINCT shop, date FROM entries WHERE source_kind <> 'summary'
  ON CONFLICT (shop, date) DO UPDATE SET gen = gen + 1;

-- A day counts an order that occurs on no other day without listing its id; an entry of that
-- order on a new date makes the order's other days stale too, so they list it again.
CREATE TRIGGER IF NOT EXISTS report_days_insert AFTER INSERT ON entries
WHEN NEW.source_kind <> 'summary'
BEGIN
  INSERT INTO report_days (shop, date) VALUES (NEW.shop, NEW.date)
    ON CONFLICT (shop, date) DO UPDATE SET gen = gen + 1;
  UPDATE report_days SET gen = gen + 1
    WHERE shop = NEW.shop AND date <> NEW.date AND NEW.order_key IS NOT NULL
      AND date IN (SELECT date FROM entries WHERE order_key = NEW.order_key AND date <> NEW.date);
END;

CREATE TRIGGER IF NOT EXISTS report_days_update AFTER UPDATE OF shop, date, json, source_kind, source_id, order_key ON entries
BEGIN
  UPDATE report_days SET gen = gen + 1 WHERE shop = OLD.shop AND date = OLD.date;
  INSERT INTO report_days (shop, date) VALUES (NEW.shop, NEW.date)
    ON CONFLICT (shop, date) DO UPDATE SET gen = gen + 1;
END;

CREATE TRIGGER IF NOT EXISTS report_days_delete AFTER DELETE ON entries
BEGIN
  UPDATE report_days SET gen = gen + 1 WHERE shop = OLD.shop AND date = OLD.date;
END;
