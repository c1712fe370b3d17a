#!/usr/bin/env node
// ledgerbridge — map storefront payloads to journal entries from the command line.
// With `--format json` (the default) and no `--summary`, stdout is byte-identical to the native
// `cargo run -p ledgerbridge-core --example map` output: one compact Mapped JSON per record.
import { createReadStream, readFileSync, statSync } from "node:fs";
import { createMapper, formats, platforms, splitRecords, validateConfig, version } from "../src/entrypoints/node.js";
import { progress } from "../src/cli/progress.js";

const USAGE = `usage:
  ledgerbridge map --platform P [--config FILE] [--format F] [--summary payout|day|month] [--quiet] FILE|-
  ledgerbridge validate-config FILE
  ledgerbridge --version

map reads one JSON payload or JSONL (one payload per line) from FILE or stdin (-).
  --format   json (default: one Mapped JSON per record), or an export format
  --summary  group the entries into one summary entry per payout, day or month
  --quiet    no count summary on stderr`;

class UsageError extends Error {}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = { command, platform: null, config: null, format: "json", summary: null, quiet: false, input: null };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) throw new UsageError(`${arg} needs a value`);
      return rest[++i];
    };
    if (arg === "--platform") opts.platform = value();
    else if (arg === "--config") opts.config = value();
    else if (arg === "--format") opts.format = value();
    else if (arg === "--summary") opts.summary = value();
    else if (arg === "--quiet" || arg === "-q") opts.quiet = true;
    else if (arg.startsWith("--") && arg !== "-") throw new UsageError(`unknown option ${arg}`);
    else if (opts.input !== null) throw new UsageError(`one input only (got ${opts.input} and ${arg})`);
    else opts.input = arg;
  }
  return opts;
}

function describe(error) {
  if (error?.name === "LedgerError") {
    return `${error.message} [${error.code}${error.path ? ` at ${error.path}` : ""}]`;
  }
  return error?.message ?? String(error);
}

function readConfig(path) {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`${path}: ${e.message}`);
  }
}

/** Writes to stdout in ~1 MB batches, waiting for 'drain' so memory stays flat on big inputs. */
function batchedStdout() {
  const limit = 1 << 20;
  let parts = [];
  let size = 0;
  const flush = async () => {
    if (!size) return;
    const data = Buffer.concat(parts, size);
    parts = [];
    size = 0;
    if (!process.stdout.write(data)) await new Promise((r) => process.stdout.once("drain", r));
  };
  return {
    async write(bytes) {
      parts.push(bytes);
      size += bytes.length;
      if (size >= limit) await flush();
    },
    flush,
  };
}

const NEWLINE = Buffer.from("\n");

async function map(opts) {
  if (!opts.platform) throw new UsageError(`--platform is required (one of: ${platforms().join(", ")})`);
  if (opts.input === null) throw new UsageError("an input FILE (or - for stdin) is required");
  if (!formats().includes(opts.format.toLowerCase())) {
    throw new UsageError(`unknown --format ${opts.format} (one of: ${formats().join(", ")})`);
  }
  const config = opts.config === null ? undefined : readConfig(opts.config);
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
      throw new UsageError(`${opts.input}: ${e.message}`);
    }
    source = createReadStream(opts.input, { highWaterMark: 1 << 20 });
  }

  const bar = progress(process.stderr, total);
  const out = batchedStdout();
  const started = process.hrtime.bigint();
  let index = 0;
  let failed = 0;
  for await (const record of splitRecords(source, (n) => bar.bytes(n))) {
    index++;
    bar.record();
    try {
      if (streaming) {
        await out.write(mapper.mapBytes(record));
        await out.write(NEWLINE);
      } else {
        mapper.keep(record);
      }
    } catch (e) {
      failed++;
      process.stderr.write(`\rrecord ${index}: ${describe(e)}\n`);
    }
  }
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
    const [mapped, entries, warnings] = mapper.stats();
    const secs = Number(process.hrtime.bigint() - started) / 1e9;
    const rate = secs > 0 ? Math.round(index / secs) : 0;
    process.stderr.write(
      `ledgerbridge: ${index} records: ${mapped} mapped, ${failed} failed; ${entries} entries, ${warnings} warnings (${secs.toFixed(2)} s, ${rate} records/s)\n`,
    );
  }
  mapper.free();
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
    switch (opts.command) {
      case "map":
        return await map(opts);
      case "validate-config":
        return validate(opts);
      case "--version":
      case "-V":
        process.stdout.write(`ledgerbridge ${version()}\n`);
        return 0;
      case "--help":
      case "-h":
      case "help":
        process.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        throw new UsageError(opts.command ? `unknown command ${opts.command}` : "a command is required");
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ledgerbridge: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
