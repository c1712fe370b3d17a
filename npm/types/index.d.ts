// Declarations of the `ledgerbridge` package. The JSON shapes (Mapped, Entry, Config, ...) and the
// name unions are generated from the core's Rust types into ./generated.d.ts (`scripts/gen-types`;
// CI fails when that file drifts); the functions, their docs and the input types are written here.
// Money is always a decimal string at the currency's minor units ("54.13", JPY "5413").

import type {
  Accounts,
  Config,
  Entry,
  EntryTotals,
  ExportFormat,
  LedgerErrorCode,
  Mapped,
  PlatformName,
  Report,
  ReportOptions,
  SummaryBy,
} from "./generated.js";

export * from "./generated.js";

/** A config as input: any subset (unknown keys are refused), or its TOML/JSON text. */
export type ConfigInput =
  | string
  | (Partial<Omit<Config, "accounts" | "exports">> & {
      accounts?: Partial<Accounts>;
      exports?: Partial<Config["exports"]>;
    });

/** A payload: the webhook body as JSON text, its UTF-8 bytes, or the parsed object. */
export type PayloadInput = string | Uint8Array | object;

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
/** The reports `report` builds. */
export type ReportKind = "tax" | "profit" | "clearing" | "giftcards" | "refunds";
/** Report options, plus the config that names the accounts (default chart when left out). */
export type ReportInput = ReportOptions & { config?: ConfigInput | null };
/**
 * A report over entries (array or JSON text); each figure is `{amount, entries}`, the ids behind
 * it. Throws `LedgerError` (`E_INVALID_VALUE` at `options.by` for a grouping the report lacks).
 */
export function report<K extends ReportKind>(
  kind: K,
  entries: Entry[] | string,
  options?: ReportInput | null,
): Extract<Report, { kind: K }>;
/** As `report`, returning the compact JSON text (byte-identical to the native `map --report`). */
export function reportJson(kind: ReportKind, entries: Entry[] | string, options?: ReportInput | null): string;
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
  /**
   * Maps every record of a block from `RecordSplitter.pushBlock`/`finishBlock` (pass its `whole`)
   * and returns their compact `Mapped` JSON, one line each, in input order. A record that fails adds
   * nothing and is listed by `failures()`. The CLI's backfill path: one crossing per block.
   */
  mapRecords(block: Uint8Array, whole: boolean): Uint8Array;
  /**
   * `splitter.pushBlock(chunk)` and `mapRecords` of its block in one crossing: the records are
   * mapped where the splitter holds them (`ledgerbridge map --jobs 1`). `failures()` and
   * `blockRecords()` then tell of that block.
   */
  mapChunk(splitter: RecordSplitter, chunk: Uint8Array): Uint8Array;
  /** As `mapChunk` for the end of input (`finishBlock`). */
  mapRest(splitter: RecordSplitter): Uint8Array;
  /** As `mapRecords`, keeping the entries for `exportKept`; returns how many records the block held. */
  keepRecords(block: Uint8Array, whole: boolean): number;
  /** The failed records of the last `mapRecords`/`keepRecords`: `LedgerError`s with `record`, counted from 1 in that block. */
  failures(): Array<LedgerError & { record: number }>;
  /** How many records the last `mapRecords` block held, mapped or failed. */
  blockRecords(): number;
  /** Frees the wasm memory; `using mapper = createMapper(...)` calls it where `Symbol.dispose` exists. */
  free(): void;
}
// `Mapper` has `[Symbol.dispose]` where the runtime defines `Symbol.dispose` (the glue installs it
// then). Spelled as a merge with the global `Disposable` rather than as a member, so a project
// without lib `esnext.disposable` or @types/node (a browser-only one) still compiles: there the
// empty `Disposable` below is all there is, and `Mapper` simply has no dispose member.
export interface Mapper extends Disposable {}
declare global {
  interface Disposable {}
}
export function createMapper(platform: PlatformName, config?: ConfigInput | null): Mapper;

/**
 * Splits streamed input into payloads as the native CLI does: one JSON document, or JSONL (one
 * payload per non-blank line, never held whole). Call `free()` when done.
 */
export class RecordSplitter {
  constructor();
  /** The next chunk of input; returns the records it completes (fresh copies). */
  push(chunk: Uint8Array): Uint8Array[];
  /** The end of input; returns the records still held. */
  finish(): Uint8Array[];
  /** As `push`, the records it completes as one block for `Mapper.mapRecords` (empty when none). */
  pushBlock(chunk: Uint8Array): Uint8Array;
  /** As `finish`, the records still held as one block. */
  finishBlock(): Uint8Array;
  /** Whether the last block is to be split as a whole input: pass it as `whole` to `mapRecords`. */
  readonly whole: boolean;
  free(): void;
}
// Disposable where the runtime has `Symbol.dispose`, for the same reason as `Mapper` above.
export interface RecordSplitter extends Disposable {}
/** The records of a byte stream, split by `RecordSplitter`; `onBytes(n)` reports input consumed. */
export function splitRecords(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<Uint8Array, void, undefined>;
