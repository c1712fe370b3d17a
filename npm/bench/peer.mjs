// mapEvent against a plain-JS mapper (a number to report, not a test): the peer in
// npm/bench/peer-mapper.mjs books the same lines as the core on six Shopify orders; this first
// checks that it does (deep-equal objects, byte-equal text; it refuses to time otherwise), then
// runs the four functions alternately in one process, order by order, and prints the median µs
// per call and the ratio peer ÷ ledgerbridge (> 1: ledgerbridge is faster).
//
//   node npm/bench/peer.mjs [--rounds 15] [--calls 300]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as lb from "../src/entrypoints/node.js";
import { FIXTURES } from "../test/helpers.mjs";
import { PEER_ORDERS, compact, peerMap, peerMapJson } from "./peer-mapper.mjs";

const args = process.argv.slice(2);
const arg = (name, fallback) => Number(args[args.indexOf(name) + 1] || 0) || fallback;
const ROUNDS = arg("--rounds", 15);
const CALLS = arg("--calls", 300);

const orders = PEER_ORDERS.map((name) => {
  const dir = join(FIXTURES, "shopify", name);
  return { name, input: compact(readFileSync(join(dir, "input.json"), "utf8")), config: readFileSync(join(dir, "config.toml"), "utf8") };
});
for (const o of orders) {
  const same = isDeepStrictEqual(peerMap(o.input, o.config), lb.mapEvent("shopify", o.input, o.config)) &&
    peerMapJson(o.input, o.config) === lb.mapEventJson("shopify", o.input, o.config);
  if (!same) {
    console.error(`peer.mjs: the peer's entries differ from mapEvent's on shopify/${o.name}; not timing`);
    process.exit(1);
  }
}

const fns = {
  peer: (o) => peerMap(o.input, o.config),
  mapEvent: (o) => lb.mapEvent("shopify", o.input, o.config),
  peerJson: (o) => peerMapJson(o.input, o.config),
  mapEventJson: (o) => lb.mapEventJson("shopify", o.input, o.config),
};
const names = Object.keys(fns);
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
let sink = 0;

console.log(`# mapEvent vs a plain-JS mapper (node ${process.version}; ${orders.length} Shopify orders, compact JSON;`);
console.log(`# median of ${ROUNDS} rounds of ${CALLS} calls, the four functions alternating within each round)\n`);
console.log("order                    bytes   peer µs  mapEvent µs  ratio | peer+stringify µs  mapEventJson µs  ratio");
const ratios = { objects: [], text: [] };
for (const o of orders) {
  for (const n of names) for (let i = 0; i < 300; i++) sink += fns[n](o) ? 1 : 0; // warm-up
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length]; // rotate who goes first
      const t = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) sink += fns[n](o) ? 1 : 0;
      samples[n].push(Number(process.hrtime.bigint() - t) / 1e3 / CALLS);
    }
  }
  const m = Object.fromEntries(names.map((n) => [n, median(samples[n])]));
  const objects = m.peer / m.mapEvent;
  const text = m.peerJson / m.mapEventJson;
  ratios.objects.push(objects);
  ratios.text.push(text);
  const f = (x, w) => x.toFixed(1).padStart(w);
  console.log(`${o.name.padEnd(24)} ${String(o.input.length).padStart(5)} ${f(m.peer, 9)} ${f(m.mapEvent, 12)} ${objects.toFixed(2).padStart(6)}× | ${f(m.peerJson, 17)} ${f(m.mapEventJson, 16)} ${text.toFixed(2).padStart(6)}×`);
}
const geo = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
console.log(`\nratio peer ÷ ledgerbridge, geometric mean: objects ${geo(ratios.objects).toFixed(2)}×, text ${geo(ratios.text).toFixed(2)}× (> 1: ledgerbridge faster)`);
if (sink < 0) console.log(sink);
