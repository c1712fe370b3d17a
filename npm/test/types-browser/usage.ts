// Compiled by types.test.mjs as a browser-only project would: lib ES2022 + DOM, bundler
// resolution, no @types/node and no lib esnext.disposable. The package's declarations must not
// need either (no Node globals, no `Symbol.dispose`).
import {
  createMapper, entryTotals, isLedgerError, mapEvent, type EntryTotals, type Mapped,
} from "ledgerbridge";
import "ledgerbridge/widget";

const mapped: Mapped = mapEvent("shopify", new TextEncoder().encode('{"id":1}'));
const totals: EntryTotals[] = entryTotals(mapped.entries);
const mapper = createMapper("woocommerce", { shop: "shop.example" });
mapper.keep(new Uint8Array(0));
mapper.free();

const el = document.querySelector("ledger-preview");
if (el) el.mapped = mapped;

try {
  mapEvent("stripe", "{");
} catch (e) {
  if (isLedgerError(e)) console.log(e.code, e.path);
}

void totals;
