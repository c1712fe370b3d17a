// This checkout's npm package against another copy of it (an earlier commit's `npm/`, built), in one
// process (a number to report, not a test): `mapEvent` and `mapEventJson` on the peer benchmark's
// six Shopify orders, the two packages called alternately in every round so that they share the
// machine's load, median µs per call and old ÷ new (> 1: this checkout is faster). Separate runs
// of peer.mjs at load 4-6 differed by up to 40 % between runs; alternating in one process does not.
// It refuses to time when the two give different text for an order.
//
//   node npm/bench/versus.mjs OTHER_NPM_DIR [--rounds 21] [--calls 200]

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PEER_ORDERS, compact } from "./peer-mapper.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, "..", "..", "tests", "fixtures", "shopify");
const args = process.argv.slice(2);
const arg = (name, fallback) => Number(args[args.indexOf(name) + 1] || 0) || fallback;
const other = args[0] && !args[0].startsWith("--") ? resolve(args[0]) : null;
if (!other) {
  console.error("usage: node npm/bench/versus.mjs OTHER_NPM_DIR [--rounds 21] [--calls 200]");
  process.exit(2);
}
const ROUNDS = arg("--rounds", 21);
const CALLS = arg("--calls", 200);

const entry = (dir) => pathToFileURL(join(dir, "src", "entrypoints", "node.js")).href;
const libs = { old: await import(entry(other)), new: await import(entry(join(HERE, ".."))) };
const orders = PEER_ORDERS.map((name) => {
  const dir = join(FIXTURES, name);
  return { name, input: compact(readFileSync(join(dir, "input.json"), "utf8")), config: readFileSync(join(dir, "config.toml"), "utf8") };
});
for (const o of orders) {
  if (libs.old.mapEventJson("shopify", o.input, o.config) !== libs.new.mapEventJson("shopify", o.input, o.config)) {
    console.error(`versus.mjs: the two packages map shopify/${o.name} differently; not timing`);
    process.exit(1);
  }
}

const FNS = ["mapEvent", "mapEventJson"];
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const times = new Map();
for (let round = 0; round < ROUNDS; round++) {
  for (const o of orders) {
    for (const fn of FNS) {
      for (const which of round % 2 ? ["old", "new"] : ["new", "old"]) {
        const call = libs[which][fn];
        const start = process.hrtime.bigint();
        for (let i = 0; i < CALLS; i++) call("shopify", o.input, o.config);
        const key = `${o.name} ${fn} ${which}`;
        times.set(key, [...(times.get(key) ?? []), Number(process.hrtime.bigint() - start) / 1000 / CALLS]);
      }
    }
  }
}

const product = Object.fromEntries(FNS.map((fn) => [fn, 1]));
for (const o of orders) {
  const cells = FNS.map((fn) => {
    const [was, now] = ["old", "new"].map((w) => median(times.get(`${o.name} ${fn} ${w}`)));
    product[fn] *= was / now;
    return `${fn} ${was.toFixed(1)} → ${now.toFixed(1)} µs (${(was / now).toFixed(2)}×)`;
  });
  console.log(o.name.padEnd(24), cells.join("   "));
}
for (const fn of FNS) {
  console.log(`${fn}: old ÷ new, geometric mean ${Math.pow(product[fn], 1 / orders.length).toFixed(3)}×`);
}
