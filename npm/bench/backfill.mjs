// CLI backfill throughput (a number to report, not a test): writes N Shopify orders as JSONL from
// the fixtures, runs the real CLI on them as a user would (`ledgerbridge map --platform shopify
// --shop S --quiet FILE > out`) and prints orders/s, MB/s and CPU time per order, for each order
// size and --jobs value, alternating the CLIs given so that they share the machine's load.
//
//   node npm/bench/backfill.mjs [--orders 100000] [--jobs 1,2] [--rounds 2] [--sizes 2k,8k]
//                               [--cli PATH]... [--keep DIR]
//
// Two order sets, both cycled over the Shopify order fixtures (tests/fixtures/shopify/) with a fresh
// order id per record:
//   8k  the full webhook bodies (customer, addresses, MoneyBags: 8.1 KB compact on average) of every
//       order fixture that maps under the default chart;
//   2k  the bodies a subscription limited with Shopify's `include_fields` (docs: shopify.dev/docs/
//       apps/build/webhooks/customize/modify-payloads) to the top-level fields the core reads would
//       deliver, for the order fixtures that book one sale and trim to 3.1 KB or less (2.1 KB on
//       average). Each trimmed body is first checked to map to exactly what its full body maps to.
// Every run of a size must write the same bytes (sha256 printed); a run that differs stops the bench.
// `--cli` names other copies of bin/ledgerbridge.mjs (a checkout of an earlier commit) to compare;
// copies without --jobs run as they are (single-threaded) and are shown as jobs "-".
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { mapEventJson } from "../src/entrypoints/node.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, "..", "..", "tests", "fixtures", "shopify");
const SHOP = "bench.myshopify.com";
const CONFIG = `shop = "${SHOP}"`;
/** The top-level order fields the core reads (found by dropping each field of every order fixture). */
const INCLUDE_FIELDS = [
  "id", "name", "currency", "presentment_currency", "financial_status", "cancelled_at", "processed_at",
  "updated_at", "taxes_included", "gateway", "payment_gateway_names", "total_price_set", "total_tip_received",
  "line_items", "discount_applications", "shipping_lines", "refunds", "transactions",
];
/** Orders of the 2k set: one sale each, 1.4–3.1 KB once trimmed. */
const SMALL = ["simple", "fee-estimate", "manual-pending", "gift-card-bought", "multi-currency"];

function args(argv) {
  const opts = { orders: 100_000, jobs: [1, availableParallelism()], rounds: 2, sizes: ["2k", "8k"], clis: [], keep: null };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i];
    switch (argv[i]) {
      case "--orders": opts.orders = Number(value()); break;
      case "--jobs": opts.jobs = value().split(",").map(Number); break;
      case "--rounds": opts.rounds = Number(value()); break;
      case "--sizes": opts.sizes = value().split(","); break;
      case "--cli": opts.clis.push(resolve(value())); break;
      case "--keep": opts.keep = resolve(value()); break;
      default: throw new Error(`backfill.mjs: unknown option ${argv[i]}`);
    }
  }
  if (opts.clis.length === 0) opts.clis.push(join(HERE, "..", "bin", "ledgerbridge.mjs"));
  return opts;
}

function tryMap(body) {
  try {
    return mapEventJson("shopify", body, CONFIG);
  } catch (e) {
    return `error ${e.code}`;
  }
}

/** The templates of one set: compact bodies split around the order id, so each record gets its own. */
function templates(size) {
  const out = [];
  for (const name of readdirSync(FIXTURES).sort()) {
    const full = JSON.parse(readFileSync(join(FIXTURES, name, "input.json"), "utf8"));
    if (!Array.isArray(full.line_items) || tryMap(full).startsWith("error")) continue;
    let body = full;
    if (size === "2k") {
      if (!SMALL.includes(name)) continue;
      body = Object.fromEntries(INCLUDE_FIELDS.filter((k) => k in full).map((k) => [k, full[k]]));
      if (tryMap(body) !== tryMap(full)) throw new Error(`backfill.mjs: trimmed ${name} maps differently from its full body`);
    }
    const marked = JSON.stringify({ ...body, id: "@ID@" });
    out.push({ name, bytes: JSON.stringify(body).length, parts: marked.split('"@ID@"') });
  }
  if (out.length === 0) throw new Error(`backfill.mjs: no fixtures for size ${size}`);
  return out;
}

function writeOrders(file, size, n) {
  const set = templates(size);
  const fd = openSync(file, "w");
  let batch = "";
  for (let i = 0; i < n; i++) {
    const t = set[i % set.length];
    batch += `${t.parts.join(String(7_000_000_000_000 + i))}\n`;
    if (batch.length > 1 << 22) {
      writeSync(fd, batch);
      batch = "";
    }
  }
  writeSync(fd, batch);
  closeSync(fd);
  return set;
}

/** CPU seconds of this process's reaped children (utime + stime), from /proc. */
function childCpu() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime (fields 16, 17) at 100 Hz
}

function hasJobs(cli) {
  const help = spawnSync(process.execPath, [cli, "map", "--help"], { encoding: "utf8" });
  return help.stdout.includes("--jobs");
}

function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 16);
}

const opts = args(process.argv.slice(2));
const dir = opts.keep ?? mkdtempSync(join(tmpdir(), "ledgerbridge-backfill-"));
console.log(`# CLI backfill (node ${process.version}, ${availableParallelism()} cores, ${opts.orders} orders a run; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")})`);
console.log("size  cli jobs   orders/s    MB/s  cpu µs/order  wall s   sha256");
try {
  for (const size of opts.sizes) {
    const input = join(dir, `orders-${size}.jsonl`);
    const set = writeOrders(input, size, opts.orders);
    const mb = statSync(input).size / 1e6;
    console.log(`# ${size}: ${set.length} fixtures (${set.map((t) => t.name).join(", ")}), ${(statSync(input).size / opts.orders / 1000).toFixed(2)} KB a record, ${mb.toFixed(0)} MB`);
    let want = null;
    for (let round = 0; round < opts.rounds; round++) {
      for (const jobs of opts.jobs) {
        for (const [c, cli] of opts.clis.entries()) {
          const withJobs = hasJobs(cli);
          if (!withJobs && jobs !== opts.jobs[0]) continue;
          const output = join(dir, "out.jsonl");
          const fd = openSync(output, "w");
          const cpu = childCpu();
          const started = process.hrtime.bigint();
          const cmd = [cli, "map", "--platform", "shopify", "--shop", SHOP, "--quiet", ...(withJobs ? ["--jobs", String(jobs)] : []), input];
          const run = spawnSync(process.execPath, cmd, { stdio: ["ignore", fd, "pipe"] });
          const secs = Number(process.hrtime.bigint() - started) / 1e9;
          const cpuSecs = childCpu() - cpu;
          closeSync(fd);
          if (run.status !== 0) throw new Error(`backfill.mjs: ${cli} exited ${run.status}: ${run.stderr}`);
          const hash = sha256(output);
          want ??= hash;
          if (hash !== want) throw new Error(`backfill.mjs: ${cli} --jobs ${jobs} wrote other bytes (${hash}, first run ${want})`);
          const rate = opts.orders / secs;
          console.log(`${size.padEnd(4)} ${String(c).padStart(4)} ${(withJobs ? String(jobs) : "-").padStart(4)} ${Math.round(rate).toString().padStart(10)} ${(mb / secs).toFixed(1).padStart(7)} ${((cpuSecs / opts.orders) * 1e6).toFixed(1).padStart(13)} ${secs.toFixed(2).padStart(7)}   ${hash}`);
        }
      }
    }
  }
  console.log(`# load average after: ${loadavg().map((l) => l.toFixed(1)).join(" ")}; cli: ${opts.clis.map((c, i) => `${i} = ${c}`).join(", ")}`);
} finally {
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
}
