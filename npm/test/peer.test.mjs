// The benchmark's plain-JS peer (npm/bench/peer-mapper.mjs) must book exactly what the core books
// on the benchmark's orders, or the ratio npm/bench/peer.mjs prints compares unlike work.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as lb from "../src/entrypoints/node.js";
import { FIXTURES } from "./helpers.mjs";
import { PEER_ORDERS, compact, peerMap, peerMapJson } from "../bench/peer-mapper.mjs";

for (const name of PEER_ORDERS) {
  test(`peer books what the core books: shopify/${name}`, () => {
    const dir = join(FIXTURES, "shopify", name);
    const input = compact(readFileSync(join(dir, "input.json"), "utf8"));
    const config = readFileSync(join(dir, "config.toml"), "utf8");
    const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
    const peer = peerMap(input, config);
    assert.deepEqual(peer, lb.mapEvent("shopify", input, config));
    assert.equal(peerMapJson(input, config), lb.mapEventJson("shopify", input, config));
    // The golden file holds no `why`/`memo`: it pins the money, independently of both mappers.
    const money = (e) => ({ id: e.id, date: e.date, currency: e.currency, source: e.source, lines: e.lines.map(({ why, ...l }) => l) });
    assert.deepEqual(peer.entries.map(money), expected.entries);
    assert.deepEqual(peer.profit, expected.profit);
  });
}

test("the peer refuses what it does not map instead of guessing", () => {
  const input = readFileSync(join(FIXTURES, "shopify", "partial-refund-restock", "input.json"), "utf8");
  assert.throws(() => peerMap(input, 'shop = "demo.myshopify.com"'), /without refunds/);
  const simple = readFileSync(join(FIXTURES, "shopify", "simple", "input.json"), "utf8");
  assert.throws(() => peerMap(simple, '[tax]\n"X" = "Liabilities:X"'), /only a config/);
});
