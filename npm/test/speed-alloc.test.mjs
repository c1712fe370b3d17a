// Node's speed module takes small blocks from free lists that never give memory back, in front of
// dlmalloc for the rest (plugin-wasm/src/speed_alloc.rs). Doing the same work again must find room
// in the memory the first rounds grew: every fixture mapped again, and a backfill's chunks (large
// blocks, dlmalloc's) mapped again, leave the instance's memory as it was, give or take a page.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as lb from "../src/entrypoints/node.js";
import * as raw from "../dist/ledgerbridge_wasm.js";
import { fixtureCases } from "./helpers.mjs";

const all = fixtureCases(lb.platforms());
const memory = () => raw.__memory().buffer.byteLength;
const PAGE = 65536;

// dlmalloc alone settles after a few rounds too (one more page by the 12th round of these
// fixtures, then none): so the first ten rounds warm up, and forty more may add at most one page.
// A leak of 40 bytes a call would be 49 fixtures × 40 rounds × 40 B = 78 KB, more than that.
test("mapping every fixture 40 more times grows the speed module's memory by a page at most", () => {
  assert.ok(all.length > 30, "the fixtures are there");
  const round = () => {
    for (const c of all) {
      try { lb.mapEvent(c.platform, c.input, c.config); } catch { /* refused fixtures allocate too */ }
    }
  };
  for (let i = 0; i < 10; i++) round();
  const before = memory();
  for (let i = 0; i < 40; i++) round();
  assert.ok(memory() - before <= PAGE, `grew from ${before} to ${memory()} bytes`);
});

test("a backfill's chunks mapped again do not grow it either", () => {
  // 4 MiB of JSON Lines, cycled over the Shopify fixtures that map, in 1 MiB chunks as the CLI reads.
  const config = 'shop = "bench.myshopify.com"';
  const maps = (c) => { try { return lb.mapEvent("shopify", c.input, config).entries.length > 0; } catch { return false; } };
  const shopify = all.filter((c) => c.platform === "shopify" && maps(c));
  assert.ok(shopify.length > 5);
  const lines = [];
  let size = 0;
  for (let i = 0; size < 4 << 20; i++) {
    const order = JSON.parse(shopify[i % shopify.length].input);
    const line = JSON.stringify({ ...order, id: 9_000_000_000 + i });
    lines.push(line);
    size += line.length + 1;
  }
  const data = Buffer.from(lines.join("\n") + "\n");
  const mapper = lb.createMapper("shopify", config);
  const pass = () => {
    const splitter = new raw.RecordSplitter();
    let out = 0;
    for (let at = 0; at < data.length; at += 1 << 20) out += mapper.mapChunk(splitter, data.subarray(at, at + (1 << 20))).length;
    out += mapper.mapRest(splitter).length;
    splitter.free();
    return out;
  };
  const first = pass();
  assert.ok(first > lines.length * 100, "every record mapped to entries");
  pass();
  const before = memory();
  for (let i = 0; i < 5; i++) assert.equal(pass(), first, "the same bytes each pass");
  mapper.free();
  assert.ok(memory() - before <= PAGE, `grew from ${before} to ${memory()} bytes`);
});
