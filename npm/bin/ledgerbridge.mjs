#!/usr/bin/env node
// ledgerbridge — map storefront payloads to journal entries from the command line.
// With `--format json` (the default) and no `--summary`, stdout is byte-identical to the native
// `cargo run -p ledgerbridge-core --example map` output: one compact Mapped JSON per record.
import { createReadStream, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createMapper, formats, platforms, reportJson, validateConfig, version } from "../src/entrypoints/node.js";
import { blocks } from "../src/cli/blocks.js";
import { keepBlock, mapBlock, mapChunks } from "../src/cli/map-block.js";
import { describe } from "../src/cli/describe.js";
import { mapperPool } from "../src/cli/pool.js";
import { progress } from "../src/cli/progress.js";
import { reportCsv, reportTable } from "../src/cli/report-table.js";

const MAP_USAGE = `usage: ledgerbridge map --platform P [--shop NAME] [--config FILE] [--format F]
                        [--summary payout|day|month] [--jobs N] [--quiet] FILE|-

Reads one JSON payload or JSONL (one payload per line) from FILE or stdin (-).
  --platform  the payload's platform: ${platforms().join(", ")}
  --shop      the shop entry ids are booked under (else the config's shop): use the shop's
              domain, as the worker does, or a backfill into the same books posts twice.
              Required for --format qbo and xero; other output without one warns on stderr
  --config    the mapping rules (TOML or JSON)
  --format    json (default: one Mapped JSON per record), or an export format
  --summary   group the entries into one summary entry per payout, day or month
  --jobs      threads mapping at once (default: the number of cores, ${availableParallelism()} here);
              the output is the same bytes for any N. Only JSON output without --summary
              uses more than one, and only for input beyond its first MiB
  --quiet     nothing on stderr but errors (no counts, no shop warning)
Options take --name value or --name=value.`;

const REPORT_KINDS = ["tax", "profit", "clearing", "giftcards", "refunds"];
const REPORT_FORMATS = ["json", "csv", "table"];

const REPORT_USAGE = `usage: ledgerbridge report tax|profit|clearing|giftcards|refunds (--platform P | --entries)
                        [--shop NAME] [--config FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                        [--by day|week|month|quarter|order|channel] [--currency C]
                        [--format json|csv|table] FILE|-

Maps the payloads in FILE or stdin (-) as \`map\` does (one JSON payload or JSONL), then reports
on all their entries. With --entries, FILE is instead a JSON array of entries (as
exportEntries(entries, "json") writes them, or exported from the worker's ledger; not summary
entries, which have lost the per-order detail).
  tax        sales tax per period and tax account: taxable sales, tax collected/refunded, net
  profit     revenue, discounts, refunds, fees, COGS, shipping, margin (--by order|channel|period)
  clearing   gateway clearing balances, items no payout settles yet, payouts that do not tie out
  giftcards  gift-card liability: opening, sold, redeemed, closing
  refunds    refund rate and disputes opened/won/lost
  --config    the mapping rules (TOML or JSON): they also say which accounts are which
  --format    json (one line, byte-identical to the native \`map --report\`), csv (for
              spreadsheets) or table (default on a terminal; json otherwise)
Each figure in the JSON lists the entry ids behind it. See docs/reports.md.
Options take --name value or --name=value.`;

const VALIDATE_USAGE = `usage: ledgerbridge validate-config FILE

Checks a config (TOML or JSON). A bad field is named with its value and, in TOML, its line.`;

const USAGE = `usage:
  ledgerbridge map --platform P [--shop NAME] [--config FILE] [--format F] [--summary S] [--jobs N] [--quiet] FILE|-
  ledgerbridge report KIND (--platform P | --entries) [--config FILE] [--from D] [--to D] [--by B]
                          [--format json|csv|table] FILE|-
  ledgerbridge validate-config FILE
  ledgerbridge --version
  ledgerbridge COMMAND --help`;

const HELP = { map: MAP_USAGE, report: REPORT_USAGE, "validate-config": VALIDATE_USAGE };

/** Entry ids under this shop match no worker's; `Config::default()` uses it. */
const DEFAULT_SHOP = "default";
/** Formats whose output is posted to the books as is. */
const POSTING_FORMATS = ["qbo", "xero"];

class UsageError extends Error {}
/** A named file that is not there: said plainly, without the usage text. */
class MissingFile extends Error {}

const VALUE_OPTIONS = {
  "--platform": "platform", "--config": "config", "--format": "format", "--summary": "summary", "--shop": "shop",
  "--from": "from", "--to": "to", "--by": "by", "--currency": "currency", "--jobs": "jobs",
};

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = {
    command, platform: null, config: null, format: null, summary: null, shop: null, quiet: false, help: false, input: null,
    kind: null, from: null, to: null, by: null, currency: null, entries: false, jobs: null,
  };
  for (let i = 0; i < rest.length; i++) {
    const raw = rest[i];
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const arg = eq > 0 ? raw.slice(0, eq) : raw;
    const value = () => {
      if (eq > 0) {
        if (raw.length === eq + 1) throw new UsageError(`${arg} needs a value`);
        return raw.slice(eq + 1);
      }
      if (i + 1 >= rest.length) throw new UsageError(`${arg} needs a value`);
      return rest[++i];
    };
    if (arg in VALUE_OPTIONS) opts[VALUE_OPTIONS[arg]] = value();
    else if (arg === "--quiet" || arg === "-q") opts.quiet = true;
    else if (arg === "--help" || arg === "-h") opts.help = true;
    else if (arg === "--entries" && command === "report") opts.entries = true;
    else if (arg.startsWith("--") && arg !== "-") throw new UsageError(`unknown option ${arg}`);
    else if (command === "report" && opts.kind === null) opts.kind = arg;
    else if (opts.input !== null) throw new UsageError(`one input only (got ${opts.input} and ${arg})`);
    else opts.input = arg;
  }
  return opts;
}

function fileError(path, e) {
  return e?.code === "ENOENT" ? new MissingFile(`no such file: ${path}`) : new UsageError(`${path}: ${e.message}`);
}

function readConfig(path) {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw fileError(path, e);
  }
}

/**
 * The config to map with, `--shop` applied, and the shop it books under. A `--shop` that differs
 * from the config's own shop is refused: one run's entry ids must name one shop.
 */
function resolveConfig(opts) {
  const text = opts.config === null ? undefined : readConfig(opts.config);
  let parsed;
  try {
    parsed = validateConfig(text ?? {});
  } catch (e) {
    throw new UsageError(`${opts.config}: ${describe(e)}`);
  }
  if (opts.shop === null) return { config: text, shop: parsed.shop };
  if (parsed.shop !== DEFAULT_SHOP && parsed.shop !== opts.shop) {
    throw new UsageError(`--shop ${opts.shop} disagrees with the config's shop ${parsed.shop}: entry ids must name one shop`);
  }
  return { config: { ...parsed, shop: opts.shop }, shop: opts.shop };
}

/**
 * Writes to stdout in ~1 MB batches, waiting for 'drain' so memory stays flat on big inputs; a
 * block's output of a quarter of that or more goes out as it is, without a copy into a batch.
 */
function batchedStdout() {
  const limit = 1 << 20;
  let parts = [];
  let size = 0;
  const put = async (data) => {
    if (!process.stdout.write(data)) await new Promise((r) => process.stdout.once("drain", r));
  };
  const flush = async () => {
    if (!size) return;
    const data = parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
    parts = [];
    size = 0;
    await put(data);
  };
  return {
    async write(bytes) {
      if (!bytes.length) return;
      if (!size && bytes.length >= limit / 4) return put(bytes);
      parts.push(bytes);
      size += bytes.length;
      if (size >= limit) await flush();
    },
    flush,
  };
}

async function map(opts) {
  opts.format ??= "json";
  if (!opts.platform) throw new UsageError(`--platform is required (one of: ${platforms().join(", ")})`);
  if (opts.input === null) throw new UsageError("an input FILE (or - for stdin) is required");
  if (!formats().includes(opts.format.toLowerCase())) {
    throw new UsageError(`unknown --format ${opts.format} (one of: ${formats().join(", ")})`);
  }
  const jobs = opts.jobs === null ? availableParallelism() : Number(opts.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || String(jobs) !== String(opts.jobs ?? jobs)) {
    throw new UsageError(`--jobs ${opts.jobs}: a whole number of threads, 1 or more`);
  }
  const { config, shop } = resolveConfig(opts);
  if (shop === DEFAULT_SHOP && POSTING_FORMATS.includes(opts.format.toLowerCase())) {
    throw new UsageError(`--format ${opts.format} is for posting: name the shop with --shop (or shop = in the config), as the worker does, or entries posted from both would post twice`);
  }
  let mapper;
  try {
    mapper = createMapper(opts.platform, config);
  } catch (e) {
    throw new UsageError(`${opts.config ?? "--platform"}: ${describe(e)}`);
  }
  const streaming = opts.format.toLowerCase() === "json" && opts.summary === null;

  let source;
  let total = 0;
  if (opts.input === "-") {
    source = process.stdin;
  } else {
    try {
      total = statSync(opts.input).size;
    } catch (e) {
      throw fileError(opts.input, e);
    }
    source = createReadStream(opts.input, { highWaterMark: 1 << 20 });
  }
  if (shop === DEFAULT_SHOP && !opts.quiet) {
    process.stderr.write(`ledgerbridge: warning: no --shop and no shop in the config: entry ids use shop "default", which the worker never uses; posting or importing them beside the worker's entries would post them twice\n`);
  }

  const bar = progress(process.stderr, total);
  const out = batchedStdout();
  const started = process.hrtime.bigint();
  let index = 0;
  let failed = 0;
  const reportFailures = (failures) => {
    for (const { record, text } of failures) process.stderr.write(`\rrecord ${index + record}: ${text}\n`);
    failed += failures.length;
  };
  const emit = async ({ out: bytes, count, failures }) => {
    if (bytes) await out.write(bytes);
    reportFailures(failures);
    index += count;
    bar.records(count);
  };
  // Threads pay off only past the first block (one chunk of input): a small input never starts them.
  let pool = null;
  const pending = [];
  try {
    if (streaming && jobs === 1) {
      // One thread: each chunk split and mapped in one crossing into wasm.
      for await (const result of mapChunks(mapper, source, (n) => bar.bytes(n))) await emit(result);
    } else {
      for await (const { bytes, whole } of blocks(source, (n) => bar.bytes(n))) {
        if (!streaming) {
          await emit(keepBlock(mapper, bytes, whole));
        } else if (pool === null && index === 0) {
          await emit(mapBlock(mapper, bytes, whole));
        } else {
          pool ??= mapperPool(jobs, opts.platform, config);
          pending.push(pool.map(bytes, whole));
          // Two blocks a thread keep them busy while the first waits to be written.
          if (pending.length >= 2 * jobs) await emit(await pending.shift());
        }
      }
    }
    while (pending.length) await emit(await pending.shift());
    if (!streaming) {
      try {
        const text = mapper.exportKept(opts.format, opts.summary ?? undefined);
        await out.write(Buffer.from(text.endsWith("\n") || text === "" ? text : `${text}\n`));
      } catch (e) {
        bar.done();
        await out.flush();
        process.stderr.write(`${opts.summary ? `--summary ${opts.summary}` : `--format ${opts.format}`}: ${describe(e)}\n`);
        return 1;
      }
    }
    await out.flush();
    bar.done();
    if (!opts.quiet) {
      const [mapped, entries, warnings] = Array.from(mapper.stats());
      const more = pool ? await pool.stats() : [0, 0, 0];
      const secs = Number(process.hrtime.bigint() - started) / 1e9;
      const rate = secs > 0 ? Math.round(index / secs) : 0;
      process.stderr.write(
        `ledgerbridge: ${index} records: ${mapped + more[0]} mapped, ${failed} failed; ${entries + more[1]} entries, ${warnings + more[2]} warnings (${secs.toFixed(2)} s, ${rate} records/s)\n`,
      );
    }
  } finally {
    await pool?.close();
    mapper.free();
  }
  return failed > 0 ? 1 : 0;
}

/** The input's entries: mapped from payloads (errors named per record), or read as entries. */
async function reportEntries(opts, config) {
  if (opts.entries) {
    try {
      const text = opts.input === "-" ? await readStdin() : readFileSync(opts.input, "utf8");
      return { text, failed: 0 };
    } catch (e) {
      throw fileError(opts.input, e);
    }
  }
  let mapper;
  try {
    mapper = createMapper(opts.platform, config);
  } catch (e) {
    throw new UsageError(`${opts.config ?? "--platform"}: ${describe(e)}`);
  }
  let source = process.stdin;
  if (opts.input !== "-") {
    try {
      statSync(opts.input);
    } catch (e) {
      throw fileError(opts.input, e);
    }
    source = createReadStream(opts.input, { highWaterMark: 1 << 20 });
  }
  let index = 0;
  let failed = 0;
  for await (const { bytes, whole } of blocks(source)) {
    const { count, failures } = keepBlock(mapper, bytes, whole);
    for (const { record, text } of failures) process.stderr.write(`record ${index + record}: ${text}\n`);
    failed += failures.length;
    index += count;
  }
  const text = mapper.exportKept("json");
  mapper.free();
  return { text, failed };
}

async function readStdin() {
  const parts = [];
  for await (const chunk of process.stdin) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

async function report(opts) {
  if (opts.kind === null) throw new UsageError(`report needs a kind (one of: ${REPORT_KINDS.join(", ")})`);
  if (!REPORT_KINDS.includes(opts.kind)) throw new UsageError(`unknown report ${opts.kind} (one of: ${REPORT_KINDS.join(", ")})`);
  if (!opts.entries && !opts.platform) throw new UsageError(`--platform is required (one of: ${platforms().join(", ")}), or --entries`);
  if (opts.entries && opts.platform) throw new UsageError("--entries reads entries, not payloads: leave out --platform");
  if (opts.input === null) throw new UsageError("an input FILE (or - for stdin) is required");
  if (opts.jobs !== null) throw new UsageError("--jobs is for map");
  const format = (opts.format ?? (process.stdout.isTTY ? "table" : "json")).toLowerCase();
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`unknown --format ${opts.format} (one of: ${REPORT_FORMATS.join(", ")})`);
  const { config } = resolveConfig(opts);
  const { text: entries, failed } = await reportEntries(opts, config);
  const options = {};
  for (const key of ["from", "to", "by", "currency"]) if (opts[key] !== null) options[key] = opts[key];
  let json;
  try {
    json = reportJson(opts.kind, entries, { ...options, config });
  } catch (e) {
    process.stderr.write(`report ${opts.kind}: ${describe(e)}\n`);
    return 1;
  }
  const out = format === "json" ? `${json}\n` : format === "csv" ? reportCsv(JSON.parse(json)) : reportTable(JSON.parse(json));
  process.stdout.write(out);
  return failed > 0 ? 1 : 0;
}

function validate(opts) {
  if (opts.input === null) throw new UsageError("validate-config needs a FILE");
  const text = readConfig(opts.input);
  try {
    const config = validateConfig(text);
    process.stdout.write(`${opts.input}: ok (shop ${config.shop})\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${opts.input}: ${describe(e)}\n`);
    return 1;
  }
}

async function main(argv) {
  try {
    const opts = parseArgs(argv);
    if (opts.help && opts.command in HELP) {
      process.stdout.write(`${HELP[opts.command]}\n`);
      return 0;
    }
    switch (opts.command) {
      case "map":
        return await map(opts);
      case "report":
        return await report(opts);
      case "validate-config":
        return validate(opts);
      case "--version":
      case "-V":
        process.stdout.write(`ledgerbridge ${version()}\n`);
        return 0;
      case "--help":
      case "-h":
      case "help":
        process.stdout.write(`${HELP[opts.input] ?? USAGE}\n`);
        return 0;
      default:
        throw new UsageError(opts.command ? `unknown command ${opts.command}` : "a command is required");
    }
  } catch (e) {
    if (e instanceof MissingFile) {
      process.stderr.write(`ledgerbridge: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`ledgerbridge: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
