// This tree's mapEvent against another build's, in one process (a number to report, not a test):
// both modules load side by side (each its own wasm instance), and they and the plain-JS peer run
// alternately, order by order, so load on a shared machine falls on all of them alike (separate
// runs of peer.mjs at load 4-6 differed by up to 40 %). It refuses to time when the two builds'
// objects or text differ. Prints median µs per call and the ratios old ÷ new and peer ÷ new
// (> 1: new faster).
//
//   node npm/bench/versus.mjs OLD_NPM_DIR [--rounds 21] [--calls 200]
// OLD_NPM_DIR: an `npm/` directory with its own built `dist/`, e.g. from
// `git archive <commit> npm | tar -x -C /tmp/old` with a copy of that commit's npm/dist in it.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as lb from "../src/entrypoints/node.js";
import { FIXTURES } from "../test/helpers.mjs";
import { PEER_ORDERS, compact, peerMap } from "./peer-mapper.mjs";

const args = process.argv.slice(2);
const arg = (name, fallback) => Number(args[args.indexOf(name) + 1] || 0) || fallback;
const ROUNDS = arg("--rounds", 21);
const CALLS = arg("--calls", 200);
if (!args[0] || args[0].startsWith("--")) {
  console.error("usage: node npm/bench/versus.mjs OLD_NPM_DIR [--rounds 21] [--calls 200]");
  process.exit(2);
}
const old = await import(pathToFileURL(join(resolve(args[0]), "src/entrypoints/node.js")).href);

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const geo = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
let sink = 0;
const fns = {
  peer: (o) => peerMap(o.input, o.config),
  old: (o) => old.mapEvent("shopify", o.input, o.config),
  new: (o) => lb.mapEvent("shopify", o.input, o.config),
  oldJson: (o) => old.mapEventJson("shopify", o.input, o.config),
  newJson: (o) => lb.mapEventJson("shopify", o.input, o.config),
};
const names = Object.keys(fns);
console.log(`# mapEvent, this tree vs ${args[0]} (node ${process.version}; median of ${ROUNDS} rounds of ${CALLS} calls, alternating)\n`);
console.log("order                    peer µs  old µs  new µs  old÷new  peer÷new | old text µs  new text µs  old÷new");
const r = { oldNew: [], peerNew: [], oldNewJson: [], peerOld: [] };
for (const name of PEER_ORDERS) {
  const dir = join(FIXTURES, "shopify", name);
  const o = { input: compact(readFileSync(join(dir, "input.json"), "utf8")), config: readFileSync(join(dir, "config.toml"), "utf8") };
  if (JSON.stringify(fns.old(o)) !== JSON.stringify(fns.new(o)) || fns.oldJson(o) !== fns.newJson(o)) {
    console.error(`versus.mjs: the two builds map shopify/${name} differently; not timing`);
    process.exit(1);
  }
  for (const n of names) for (let i = 0; i < 300; i++) sink += fns[n](o) ? 1 : 0;
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let k = 0; k < ROUNDS; k++) {
    for (let j = 0; j < names.length; j++) {
      const n = names[(j + k) % names.length];
      const t = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) sink += fns[n](o) ? 1 : 0;
      samples[n].push(Number(process.hrtime.bigint() - t) / 1e3 / CALLS);
    }
  }
  const m = Object.fromEntries(names.map((n) => [n, median(samples[n])]));
  r.oldNew.push(m.old / m.new);
  r.peerNew.push(m.peer / m.new);
  r.peerOld.push(m.peer / m.old);
  r.oldNewJson.push(m.oldJson / m.newJson);
  const f = (x, w) => x.toFixed(1).padStart(w);
  console.log(`${name.padEnd(24)} ${f(m.peer, 7)} ${f(m.old, 7)} ${f(m.new, 7)} ${(m.old / m.new).toFixed(3).padStart(8)} ${(m.peer / m.new).toFixed(2).padStart(8)}× | ${f(m.oldJson, 11)} ${f(m.newJson, 12)} ${(m.oldJson / m.newJson).toFixed(3).padStart(8)}`);
}
console.log(`\ngeometric mean: objects old÷new ${geo(r.oldNew).toFixed(3)}, text old÷new ${geo(r.oldNewJson).toFixed(3)}; peer÷new ${geo(r.peerNew).toFixed(2)}× (peer÷old ${geo(r.peerOld).toFixed(2)}×)`);
if (sink < 0) console.log(sink);
