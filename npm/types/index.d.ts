// Hand-written types for the `ledgerbridge` package (checked against the core's serde shapes in
// core/src/journal/entry.rs, core/src/engine/{mod,profit}.rs, core/src/rules/config.rs).
// Money is always a decimal string at the currency's minor units ("54.13", JPY "5413").

/** A decimal amount as text: digits, optional `.` and fraction; never a float. */
export type DecimalString = string;

/** Platforms of the engine build (see `platforms()`); more may be added without a type change. */
export type PlatformName = "shopify" | "woocommerce" | "stripe" | "bigcommerce" | "canonical" | (string & {});
/** Export formats of the engine build (see `formats()`). */
export type ExportFormat = "json" | "qbo" | "xero" | "beancount" | "hledger" | "csv" | (string & {});
export type SummaryBy = "payout" | "day" | "month";

/** Which source object, in which revision, produced an entry. */
export interface Source {
  platform: string;
  shop: string;
  /** `sale`, `refund`, `payout`, `expense`, `dispute`, `reversal`... */
  kind: string;
  id: string;
  version: string;
}

/** One posting: exactly one of `debit` and `credit` is non-zero. */
export interface Line {
  account: string;
  debit: DecimalString;
  credit: DecimalString;
  /** Which rule and which source field produced the line. */
  why: string;
}

/** A balanced journal entry, the public shape every face shares byte for byte. */
export interface Entry {
  /** `{platform}:{shop}:{resource}:{resource_id}:{kind}:{version}` */
  id: string;
  /** `YYYY-MM-DD`, the event's local date. */
  date: string;
  /** ISO 4217, upper case. */
  currency: string;
  memo: string;
  source: Source;
  lines: Line[];
  /** Related source objects (`order:<id>`); absent when empty. */
  links?: string[];
}

/** Something to look at that did not stop mapping (e.g. a product on the default account). */
export interface Warning {
  code: string;
  path: string;
  message: string;
}

/** Per-payload profit; `margin = revenue - discounts - refunds - fees - cogs`. */
export interface Profit {
  currency: string;
  revenue: DecimalString;
  discounts: DecimalString;
  refunds: DecimalString;
  fees: DecimalString;
  cogs: DecimalString;
  margin: DecimalString;
}

/** What one payload maps to. */
export interface Mapped {
  entries: Entry[];
  warnings: Warning[];
  profit: Profit;
  /**
   * Source objects this version books nothing for (an order cancelled before payment); a ledger
   * that booked an earlier version reverses it on `date`. Absent when empty.
   */
  unbooked?: Unbooked[];
  /**
   * Parts of the payload refused while the rest booked (a refund that does not add up in an
   * order whose sale does). They post nothing; each names its source, the error's code, JSON
   * path and message. Absent when empty.
   */
  rejected?: Rejected[];
}

export interface Rejected {
  /** The refused part: `kind` (e.g. `refund`) and `id` name it in the payload. */
  source: Source;
  code: LedgerErrorCode;
  path: string;
  message: string;
}

export interface Unbooked {
  source: Source;
  /** `YYYY-MM-DD`: the day of the version that booked nothing. */
  date: string;
}

/** Display totals of an entry, from the core's balance check. */
export interface EntryTotals {
  debits: DecimalString;
  credits: DecimalString;
  balanced: boolean;
  /** Set when the entry is malformed rather than merely unbalanced. */
  error?: { code: LedgerErrorCode; path: string; message: string };
}

export interface SalesRule {
  sku?: string;
  product_type?: string;
  vendor?: string;
  tag?: string;
  channel?: string;
  account: string;
}

export interface GatewayAccounts {
  clearing?: string;
  fees?: string;
}

/** The default chart's account names; each can be replaced. */
export interface Accounts {
  sales: string;
  shipping: string;
  tips: string;
  discounts: string;
  refunds: string;
  gift_cards: string;
  receivable: string;
  bank: string;
  inventory: string;
  cogs: string;
  rounding: string;
  chargebacks: string;
  disputes: string;
  fx_gain: string;
  fx_loss: string;
  card: string;
  platform_expenses_prefix: string;
  shipping_labels: string;
  clearing_prefix: string;
  fees_prefix: string;
  sales_tax_prefix: string;
}

/** The mapping config as `validateConfig` returns it: every default filled in. */
export interface Config {
  shop: string;
  accounts: Accounts;
  sales: SalesRule[];
  /** Tax title → liability account. */
  tax: Record<string, string>;
  gateways: Record<string, GatewayAccounts>;
  refunds: "refunds-account" | "reverse";
  /** Sku → unit cost. */
  costs: Record<string, DecimalString>;
  exports: { qbo: Record<string, string>; xero: Record<string, string> };
  expenses_paid_from: "card" | "bank";
}

/** A config as input: any subset (unknown keys are refused), or its TOML/JSON text. */
export type ConfigInput =
  | string
  | (Partial<Omit<Config, "accounts" | "exports">> & {
      accounts?: Partial<Accounts>;
      exports?: Partial<Config["exports"]>;
    });

/** A payload: the webhook body as JSON text, its UTF-8 bytes, or the parsed object. */
export type PayloadInput = string | Uint8Array | object;

/** Stable error codes (never renamed or reused). */
export type LedgerErrorCode =
  | "E_JSON"
  | "E_MISSING_FIELD"
  | "E_INVALID_TYPE"
  | "E_INVALID_AMOUNT"
  | "E_AMOUNT_TOO_LARGE"
  | "E_UNKNOWN_CURRENCY"
  | "E_INVALID_VALUE"
  | "E_INVALID_TIMESTAMP"
  | "E_LIMIT_EXCEEDED"
  | "E_UNBALANCED_SOURCE"
  | "E_UNBALANCED"
  | "E_CONFIG"
  | "E_UNSUPPORTED_PLATFORM"
  | "E_UNSUPPORTED_FORMAT"
  | "E_TOTAL_MISMATCH"
  | "E_NEGATIVE_AMOUNT"
  | (string & {});

/** Thrown by every function here: a real `Error` with `name === "LedgerError"`. */
export interface LedgerError extends Error {
  name: "LedgerError";
  code: LedgerErrorCode;
  /** JSON path of the offending field (`line_items[0].price`), `""` when none applies. */
  path: string;
}

/** Maps one payload to its entries, warnings and profit. Throws `LedgerError`. */
export function mapEvent(platform: PlatformName, payload: PayloadInput, config?: ConfigInput | null): Mapped;
/** As `mapEvent`, returning the compact JSON text (byte-identical to the native CLI). */
export function mapEventJson(platform: PlatformName, payload: PayloadInput, config?: ConfigInput | null): string;
/** Renders entries (array or JSON text) in an export format. QuickBooks/Xero need `config.exports`. */
export function exportEntries(entries: Entry[] | string, format: ExportFormat, config?: ConfigInput | null): string;
/** One summary entry per payout, day or month and currency; `links` lists the covered entry ids. */
export function summarize(entries: Entry[] | string, by: SummaryBy): Entry[];
/** Parses and validates a config; returns it with defaults filled in. Throws `E_CONFIG` with the path. */
export function validateConfig(config: ConfigInput): Config;
/** Per-entry totals for display. */
export function entryTotals(entries: Entry[] | string): EntryTotals[];
export function version(): string;
export function platforms(): string[];
export function formats(): string[];
export function isLedgerError(error: unknown): error is LedgerError;

/** A platform + parsed config for many payloads; bytes in, bytes out. Call `free()` when done. */
export class Mapper {
  constructor(platform: PlatformName, config?: ConfigInput | null);
  /** Compact `Mapped` JSON as UTF-8 bytes (no trailing newline). */
  mapBytes(payload: Uint8Array): Uint8Array;
  /** Maps and keeps the entries for `exportKept`; returns how many entries were kept. */
  keep(payload: Uint8Array): number;
  /** The kept entries in `format`, summarised first when `by` is given. */
  exportKept(format: ExportFormat, by?: SummaryBy | null): string;
  /** `[records, entries, warnings]` mapped so far. */
  stats(): Uint32Array;
  free(): void;
  [Symbol.dispose](): void;
}
export function createMapper(platform: PlatformName, config?: ConfigInput | null): Mapper;
