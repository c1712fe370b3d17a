// Where one mapEvent call's time goes in wasm, on the peer benchmark's orders (numbers, not a
// test): each step timed alone, all alternating in one process, median µs per call.
//
//   node npm/bench/per-call.mjs [--rounds 15] [--calls 300]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as lb from "../src/entrypoints/node.js";
import * as raw from "../dist/ledgerbridge_wasm.js";
import { FIXTURES } from "../test/helpers.mjs";
import { PEER_ORDERS, compact } from "./peer-mapper.mjs";
import { fromTape, outText } from "../src/tape.js";

const args = process.argv.slice(2);
const arg = (name, fallback) => Number(args[args.indexOf(name) + 1] || 0) || fallback;
const ROUNDS = arg("--rounds", 15);
const CALLS = arg("--calls", 300);
const encoder = new TextEncoder();
const memory = raw.__memory();
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
let sink = 0;

console.log(`# per-call costs (node ${process.version}, speed module; median of ${ROUNDS} rounds of ${CALLS} calls, alternating)\n`);
for (const name of PEER_ORDERS) {
  const dir = join(FIXTURES, "shopify", name);
  const input = compact(readFileSync(join(dir, "input.json"), "utf8"));
  const config = readFileSync(join(dir, "config.toml"), "utf8");
  const bytes = encoder.encode(input);
  const mapper = lb.createMapper("shopify", config);
  const out = mapper.mapJson(bytes);
  const tape = mapper.__mapTape(bytes, true); // the address of its head; stays valid: no other step maps with `mapper` into its tape
  const steps = {
    "mapEvent (api: encode, cached mapper, tape → objects)": () => lb.mapEvent("shopify", input, config),
    "mapEventJson (api: encode, cached mapper)": () => lb.mapEventJson("shopify", input, config),
    "raw mapEventJson, config TOML parsed per call": () => raw.mapEventJson("shopify", bytes, config),
    "Mapper.mapJson(bytes): map + render + decode": () => mapper.mapJson(bytes),
    "Mapper.mapBytes(bytes): map + render, bytes out": () => mapper.mapBytes(bytes),
    "Mapper.__mapTape(bytes): map + tape (left in wasm memory)": () => mapper.__mapTape(bytes, true),
    "new Mapper + free (config parse + validation)": () => new raw.Mapper("shopify", config).free(),
    "encodeInto of the payload": () => encoder.encodeInto(input, new Uint8Array(bytes.length * 3)).written,
    "encodeInto wasm memory (Mapper.__input + view), mapEvent's input path": () => {
      const at = mapper.__input(input.length * 3);
      return encoder.encodeInto(input, new Uint8Array(memory.buffer, at, input.length * 3)).written;
    },
    "JSON.parse of the output (the object path before the tape)": () => JSON.parse(out),
    "fromTape of the tape (the object path: decode + objects)": () => fromTape(memory, tape),
    "outText of the tape (its decoding alone)": () => outText(memory, tape),
    "JSON.parse of the payload (the peer's floor)": () => JSON.parse(input),
  };
  const names = Object.keys(steps);
  for (const n of names) for (let i = 0; i < 200; i++) sink += steps[n]() ? 1 : 0;
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length];
      const t = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) sink += steps[n]() ? 1 : 0;
      samples[n].push(Number(process.hrtime.bigint() - t) / 1e3 / CALLS);
    }
  }
  console.log(`${name} (${bytes.length} B in, ${out.length} B out)`);
  for (const n of names) console.log(`  ${median(samples[n]).toFixed(1).padStart(7)} µs  ${n}`);
  mapper.free();
}
if (sink < 0) console.log(sink);
