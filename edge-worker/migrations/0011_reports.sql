-- Reports (GET /api/reports/:kind) read one shop's entries by booking date; without this index
-- each request scanned the shop's whole ledger in created_at order.
CREATE INDEX IF NOT EXISTS entries_shop_date ON entries (shop, date);
