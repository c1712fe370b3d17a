// Benchmarks (numbers to report, not tests):
//   1. per-order mapEvent in Node, JSON text in, entries out, per fixture and overall, with the
//      size-optimised module (browsers, Workers) next to the Node one;
//      plus the JSON-text vs serde-wasm-bindgen comparison when npm/dist-bench exists
//      (LEDGERBRIDGE_WASM_FEATURES=bench-swb LEDGERBRIDGE_NPM_OUT=npm/dist-bench scripts/build-npm);
//   2. CLI throughput on a 100 000-order JSONL made from the fixtures (temp dir, deleted after);
//   3. .wasm size raw/gzip and what dominates it (npm/bench/wasm-size.mjs on the cargo output).
//
//   node npm/bench/bench.mjs [--orders 100000] [--skip-cli]
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as lb from "../src/entrypoints/node.js";
import { CLI, NPM, ROOT, fixtureCases } from "../test/helpers.mjs";

const args = process.argv.slice(2);
const ORDERS = Number(args[args.indexOf("--orders") + 1] || 0) || 100_000;
const cases = fixtureCases(lb.platforms()).filter((c) => {
  try {
    lb.mapEvent(c.platform, c.input, c.config);
    return true;
  } catch {
    return false;
  }
});

/** JSON text without the whitespace between tokens (string contents untouched): webhook bodies
 * arrive compact, the fixtures are pretty-printed. */
function compact(text) {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === "\\") out += text[++i];
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch !== " " && ch !== "\n" && ch !== "\r" && ch !== "\t") {
      out += ch;
    }
  }
  return out;
}

/** Median µs per call over `rounds` rounds of `n` calls (after warm-up). */
function time(fn, n = 2000, rounds = 7) {
  for (let i = 0; i < 500; i++) fn(i);
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    samples.push(Number(process.hrtime.bigint() - t) / 1e3 / n);
  }
  return samples.sort((a, b) => a - b)[rounds >> 1];
}
const fmt = (us) => `${us.toFixed(2).padStart(8)} µs`;

console.log(`# ledgerbridge npm benchmarks (node ${process.version}, ${cases.length} fixtures)\n`);
console.log("## 1. per-order mapEvent (JSON text in, entries out), median of 7 rounds\n");
const rows = [];
for (const c of cases) {
  const us = time(() => lb.mapEvent(c.platform, c.input, c.config), 1000, 5);
  rows.push([`${c.platform}/${c.name}`, us]);
}
for (const [name, us] of rows) console.log(`  ${fmt(us)}  ${name}`);
const mean = rows.reduce((a, [, us]) => a + us, 0) / rows.length;
console.log(`  ${fmt(mean)}  mean over fixtures`);

// The fixture core/benches/map.rs also measures natively (criterion `map_to_json`).
const sh = cases.find((c) => c.platform === "shopify" && c.name === "discount-shipping-tax") ?? cases[0];
const shObj = JSON.parse(sh.input);
const variants = [
  ["mapEvent(text, config text)            → JSON.parse(text)", () => lb.mapEvent(sh.platform, sh.input, sh.config)],
  ["mapEventJson(text, config text)        → text only", () => lb.mapEventJson(sh.platform, sh.input, sh.config)],
  ["mapEvent(object payload, config text)", () => lb.mapEvent(sh.platform, shObj, sh.config)],
  ["JSON.parse(input) alone (JS baseline)", () => JSON.parse(sh.input)],
];
// The size-optimised module the browser and Worker entrypoints load, in its own glue instance.
const small = await import("../dist/ledgerbridge_wasm.js?size-optimised");
small.initSync({ module: readFileSync(join(NPM, "dist", "ledgerbridge_wasm_bg.wasm")) });
const smallMapper = new small.Mapper(sh.platform, sh.config);
const shBytes = new TextEncoder().encode(sh.input);
variants.push(["size-optimised module (browsers, Workers)", () => smallMapper.mapJson(new TextEncoder().encode(sh.input))]);
const cliMapper = lb.createMapper(sh.platform, sh.config);
variants.push(["Mapper.mapBytes(bytes) (the CLI's path)", () => cliMapper.mapBytes(shBytes)]);
const distBench = join(NPM, "dist-bench", "ledgerbridge_wasm.js");
if (existsSync(distBench)) {
  const b = await import(distBench);
  b.initSync({ module: readFileSync(join(NPM, "dist-bench", "ledgerbridge_wasm_bg.wasm")) });
  variants.push(
    ["[bench build] text → JSON.parse in JS", () => JSON.parse(b.mapEventJson(sh.platform, sh.input, sh.config))],
    ["[bench build] text → js_sys::JSON::parse in wasm", () => b.mapEvent(sh.platform, sh.input, sh.config)],
    ["[bench build] serde-wasm-bindgen objects", () => b.__mapEventSwb(sh.platform, sh.input, sh.config)],
  );
  const entries = cases.flatMap((c) => lb.mapEvent(c.platform, c.input, c.config).entries);
  variants.push(
    [`[bench build] exportEntries(${entries.length} entry objects) via JSON.stringify`, () => b.exportEntries(entries, "json")],
    [`[bench build] exportEntries(${entries.length} entry objects) via serde-wasm-bindgen`, () => b.__exportEntriesSwb(entries, "json")],
  );
} else {
  console.log("\n  (no npm/dist-bench: skipping the serde-wasm-bindgen comparison)");
}
console.log(`\n  on ${sh.platform}/${sh.name}, variants interleaved round by round (min / median of 15):`);
// Interleaving matters on a shared machine: sequential runs see different background load.
const samples = variants.map(() => []);
for (const [, fn] of variants) for (let i = 0; i < 300; i++) fn(i);
for (let r = 0; r < 15; r++) {
  variants.forEach(([, fn], v) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < 300; i++) fn(i);
    samples[v].push(Number(process.hrtime.bigint() - t) / 1e3 / 300);
  });
}
variants.forEach(([label], v) => {
  const s = samples[v].sort((a, b) => a - b);
  console.log(`  ${fmt(s[0])} / ${fmt(s[7])}  ${label}`);
});

if (!args.includes("--skip-cli")) {
  console.log(`\n## 2. CLI throughput, ${ORDERS} orders of JSONL\n`);
  const dir = mkdtempSync(join(tmpdir(), "ledgerbridge-bench-"));
  try {
    // One platform and the default config, so every line is a valid record for one CLI run.
    const pool = cases.filter((c) => c.platform === "shopify").filter((c) => {
      try {
        lb.mapEventJson(c.platform, c.input);
        return true;
      } catch {
        return false;
      }
    }).map((c) => `${compact(c.input)}\n`);
    const file = join(dir, "orders.jsonl");
    const fd = openSync(file, "w");
    for (let i = 0; i < ORDERS; i += pool.length) writeSync(fd, pool.slice(0, Math.min(pool.length, ORDERS - i)).join(""));
    closeSync(fd);
    const mb = statSync(file).size / 1e6;
    const runTimed = (cmd, cmdArgs) => {
      const t = process.hrtime.bigint();
      const r = spawnSync(cmd, cmdArgs, { stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 26 });
      const secs = Number(process.hrtime.bigint() - t) / 1e9;
      if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
      return secs;
    };
    const cli = runTimed(process.execPath, [CLI, "map", "--platform", "shopify", "--quiet", file]);
    console.log(`  ledgerbridge map (npm CLI): ${cli.toFixed(2)} s → ${Math.round(ORDERS / cli)} orders/s (${mb.toFixed(1)} MB in)`);
    const bin = join(process.env.CARGO_TARGET_DIR || join(ROOT, "target"), "speed", "examples", "map");
    if (existsSync(bin)) {
      const native = runTimed(bin, ["--platform", "shopify", file]);
      console.log(`  native example (speed):     ${native.toFixed(2)} s → ${Math.round(ORDERS / native)} orders/s`);
    } else {
      console.log(`  (native example not built: cargo build --profile speed -p ledgerbridge-core --example map)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log("\n## 3. .wasm size\n");
for (const [file, who] of [["ledgerbridge_wasm_bg.wasm", "browsers, Workers"], ["ledgerbridge_wasm_fast.wasm", "Node"]]) {
  const bytes = readFileSync(join(NPM, "dist", file));
  console.log(`  npm/dist/${file} (${who}): ${bytes.length} bytes raw, ${gzipSync(bytes, { level: 9 }).length} bytes gzip -9`);
}
const cargoWasm = join(process.env.CARGO_TARGET_DIR || join(ROOT, "target"), "wasm32-unknown-unknown", "release", "ledgerbridge_wasm.wasm");
if (existsSync(cargoWasm)) {
  console.log("  what dominates (cargo output before wasm-bindgen/wasm-opt, which keeps symbol names):\n");
  const r = spawnSync(process.execPath, [join(NPM, "bench", "wasm-size.mjs"), cargoWasm, "12"], { encoding: "utf8" });
  process.stdout.write(r.stdout.replace(/^/gm, "  "));
}
