// Compiled by types.test.mjs with `tsc --noEmit --strict`: the hand-written declarations accept
// the documented uses and reject misuse (each @ts-expect-error must be an error, or tsc fails).
import {
  createMapper, entryTotals, exportEntries, isLedgerError, mapEvent, mapEventJson, RecordSplitter,
  report, reportJson, splitRecords, summarize, validateConfig, version, type Config, type Entry, type LedgerErrorCode,
  type Mapped,
} from "ledgerbridge";
import { LedgerPreview, type DocumentPreview } from "ledgerbridge/widget";

const mapped: Mapped = mapEvent("shopify", '{"id":1}', 'shop = "demo.myshopify.com"');
const fromObject: Mapped = mapEvent("woocommerce", { id: 1 }, { shop: "x", costs: { MUG: "3.10" } });
const debit: string = mapped.entries[0].lines[0].debit;
const margin: string = fromObject.profit.margin;
const text: string = mapEventJson("stripe", new Uint8Array([123, 125]));
const csv: string = exportEntries(mapped.entries, "csv");
const days: Entry[] = summarize(mapped.entries, "day");
const config: Config = validateConfig('shop = "x"');
const refunds: "refunds-account" | "reverse" = config.refunds;
const balanced: boolean = entryTotals(days)[0].balanced;
const v: string = version();
const refused: string[] = (mapped.rejected ?? []).map((r) => `${r.source.kind} ${r.source.id}: ${r.code} at ${r.path}`);
// @ts-expect-error rejected may be absent (left out when empty)
const firstRefused: string = mapped.rejected[0].message;

try {
  mapEvent("shopify", "{");
} catch (e) {
  if (isLedgerError(e)) {
    const where: string = `${e.code} at ${e.path}`;
    void where;
  }
}

const code: LedgerErrorCode | undefined = entryTotals(days)[0].error?.code;

const mapper = createMapper("shopify");
const bytes: Uint8Array = mapper.mapBytes(new TextEncoder().encode("{}"));
mapper.free();
// With lib esnext.disposable (or @types/node) a Mapper is Disposable.
function scoped(): number {
  using disposable = createMapper("stripe");
  return disposable.stats()[0];
}

const splitter = new RecordSplitter();
const records: Uint8Array[] = [...splitter.push(bytes), ...splitter.finish()];
splitter.free();
async function backfill(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const record of splitRecords(stream, (read: number) => void read)) n += record.length;
  return n;
}
// @ts-expect-error records are split from bytes, not text
splitter.push("{}");

// The CLI's block path: one crossing per block, failures numbered within it.
function mapBlock(m: typeof mapper, s: RecordSplitter, chunk: Uint8Array): string[] {
  const block = s.pushBlock(chunk);
  const lines: Uint8Array = m.mapRecords(block, s.whole);
  const failed = m.failures().map((e) => `${e.record}: ${e.code}`);
  return [String(lines.length), String(m.blockRecords()), ...failed];
}
// @ts-expect-error `whole` is read off the splitter, not set
splitter.whole = true;

const el = document.createElement("ledger-preview");
const typed: LedgerPreview = el;
typed.src = "/api/preview/shopify/1";
typed.token = "session-token";
typed.payload = { id: 1 };
typed.mapped = mapped;
// Document mode: the worker's preview carries the documents beside the entries.
const docs: DocumentPreview[] = [{ target: "qbo", documents: [] }, { target: "xero", error: { code: "E_CONFIG", path: "documents.xero.items", message: "" } }];
typed.mapped = { ...mapped, documents: docs };
const docTotal: string | undefined = typed.mapped.documents?.[0].documents?.[0]?.total;
// @ts-expect-error document amounts are decimal strings, never numbers
const docAsNumber: number | undefined = typed.mapped.documents?.[0].documents?.[0]?.total;

// @ts-expect-error amounts are decimal strings, never numbers
const asNumber: number = mapped.profit.revenue;
// @ts-expect-error summaries are by payout, day or month only
summarize(mapped.entries, "week");
// @ts-expect-error unknown config keys are refused
validateConfig({ shopp: "x" });
// @ts-expect-error refund modes are "refunds-account" and "reverse"
validateConfig({ refunds: "refund" });
// @ts-expect-error `links` is left out of the JSON when empty
const links: string[] = mapped.entries[0].links;
// @ts-expect-error `unbooked` is left out of the JSON when empty
const unbooked: unknown[] = mapped.unbooked;
// @ts-expect-error sales rules need an account
validateConfig({ sales: [{ sku: "MUG-*" }] });

// Reports: the kind picks the document type; figures are {amount, entries}.
const tax = report("tax", mapped.entries, { by: "quarter", from: "2026-04-01", to: "2026-06-30", config: { shop: "x" } });
const netTax: string = tax.periods[0].accounts[0].net_tax.amount;
const behind: string[] = tax.periods[0].accounts[0].net_tax.entries;
const missing: string[] = report("profit", mapped.entries, { by: "order" }).rows[0].orders_missing_cost;
const reportText: string = reportJson("clearing", JSON.stringify(mapped.entries));
// @ts-expect-error a tax report has no rows
report("tax", mapped.entries).rows;
// @ts-expect-error groupings are a fixed list
report("profit", mapped.entries, { by: "year" });

void [netTax, behind, missing, reportText];
void [debit, margin, text, csv, refunds, balanced, v, code, bytes, scoped, asNumber, links, unbooked, records, backfill, refused, firstRefused];
