// Instructions an order of the CLI's `--jobs 1` path (a number to report, not a test): maps the
// first N records of a JSONL file PASSES times through `Mapper.mapChunk` in 1 MiB chunks, as
// `ledgerbridge map --jobs 1` does, without the file and stdout I/O. Under callgrind the
// difference of two pass counts is load-independent:
//
//   node npm/bench/backfill.mjs --orders 2000 --jobs 1 --rounds 1 --sizes 2k --keep DIR
//   for p in 1 6; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//     node --single-threaded [--no-liftoff] npm/bench/chunk-cost.mjs DIR/orders-2k.jsonl $p; done
//   → (Ir(6) − Ir(1)) / (5 × 2000) instructions an order
//
// As Node runs it (Liftoff code, then tier-up compiles on the one thread), or with `--no-liftoff`
// for optimised code only. `--single-threaded` puts V8's compile jobs on the counted thread.
// Prints the bytes of Mapped JSON written (the same for every build that maps alike).
import { readFileSync } from "node:fs";
import { createMapper, RecordSplitter } from "../src/entrypoints/node.js";

const [file, passes = "1"] = process.argv.slice(2);
if (!file) throw new Error("usage: chunk-cost.mjs FILE.jsonl [PASSES]");
const data = readFileSync(file);
const mapper = createMapper("shopify", 'shop = "bench.myshopify.com"');
const CHUNK = 1 << 20;
let bytes = 0;
for (let pass = 0; pass < Number(passes); pass++) {
  const splitter = new RecordSplitter();
  for (let at = 0; at < data.length; at += CHUNK) bytes += mapper.mapChunk(splitter, data.subarray(at, at + CHUNK)).length;
  bytes += mapper.mapRest(splitter).length;
  splitter.free();
}
mapper.free();
console.log(bytes);
