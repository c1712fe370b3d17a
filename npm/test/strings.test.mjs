// Strings at every offset from a 16-byte step: Node's speed module finds a string's end sixteen
// bytes at a time with wasm SIMD, the size-optimised module (browsers, Workers) eight at a time,
// the native core as the latter, and each module's JSON writer finds the bytes to escape with the
// same scan. Whatever the offset of an escape, a control byte, a non-ASCII character or the
// closing quote, every module must read the order as JSON.parse does: the entries of the plain
// order when the text is valid JSON (the order's name, read, back in the memo as sent), E_JSON
// naming the member when it is not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as lb from "../src/entrypoints/node.js";
import { FIXTURES } from "./helpers.mjs";

const small = await import("../dist/ledgerbridge_wasm.js?size-optimised");
small.initSync({ module: readFileSync(new URL("../dist/ledgerbridge_wasm_bg.wasm", import.meta.url)) });
// `speed-text`: the speed module's JSON writer (SIMD scan) writes the names below back in the memo.
const modules = {
  speed: (text, config) => lb.mapEvent("shopify", text, config),
  "speed-text": (text, config) => JSON.parse(lb.mapEventJson("shopify", text, config)),
  size: (text, config) => JSON.parse(small.mapEventJson("shopify", text, config)),
};

const dir = join(FIXTURES, "shopify", "simple");
const order = JSON.parse(readFileSync(join(dir, "input.json"), "utf8"));
const config = readFileSync(join(dir, "config.toml"), "utf8");
const RAW = "\u0001"; // a control byte, put into the text unescaped (JSON.stringify would escape it)
const raw = (text) => text.replace("\\u0001", RAW);

// Texts that are JSON: the order with one more member (skipped) or a read member spelled with
// escapes. `k` moves the special character across two 16-byte steps.
function valid(k) {
  const pad = "a".repeat(k);
  return {
    "an escaped quote in a skipped value": JSON.stringify({ ...order, zz_note: `${pad}"${pad}` }),
    "escapes of every kind in a skipped value": JSON.stringify({ ...order, zz_note: `${pad}\\/\n\t\u00e9${pad}\ud83d\ude00` }).replace("\\u00e9", "é"),
    "a non-ASCII character before the closing quote": JSON.stringify({ ...order, zz_note: `${pad}é€😀` }),
    "a string ending at the offset": JSON.stringify({ ...order, zz_note: pad }),
    "an escape in a skipped key": JSON.stringify({ ...order, [`${pad}"k`]: [pad, { [pad]: pad }] }),
    "a read value spelled with an escape": JSON.stringify({ zz_note: pad, ...order }).replace('"currency":"USD"', '"currency":"U\\u0053D"'),
  };
}
// The order's name is read and comes back in the entry's memo: special characters at offset `k`.
function names(k) {
  const pad = "b".repeat(k);
  return [`#${pad}`, `#${pad}"1001`, `#${pad}\\/\n1001`, `#${pad}é€😀`, `#${pad}\u0001${pad}`];
}
function invalid(k) {
  const pad = "a".repeat(k);
  return {
    "a control byte in a skipped value": [raw(JSON.stringify({ ...order, zz_note: `${pad}${RAW}` })), "zz_note"],
    "a control byte in a key": [raw(JSON.stringify({ ...order, [`${pad}${RAW}`]: 1 })), `${pad}${RAW}`],
    "a control byte in a read value": [raw(JSON.stringify({ ...order, name: `#${pad}${RAW}` })), "name"],
    "a string the text ends in": [`{"zz_note":"${pad}`, "zz_note"],
  };
}

for (const [name, map] of Object.entries(modules)) {
  test(`${name} module: valid strings at offsets 0-40 read as JSON.parse reads them`, () => {
    const plain = map(JSON.stringify(order), config).entries;
    assert.equal(plain.length, 1);
    for (let k = 0; k <= 40; k++) {
      for (const [what, text] of Object.entries(valid(k))) {
        JSON.parse(text); // valid JSON, by JavaScript's own parser
        assert.deepEqual(map(text, config).entries, plain, `${what}, offset ${k}`);
      }
      for (const sent of names(k)) {
        const [entry] = map(JSON.stringify({ ...order, name: sent }), config).entries;
        assert.equal(entry.memo, `Shopify order ${sent}`, `name ${JSON.stringify(sent)}`);
      }
    }
  });
  test(`${name} module: invalid strings at offsets 0-40 are E_JSON naming the member`, () => {
    for (let k = 0; k <= 40; k++) {
      for (const [what, [text, path]] of Object.entries(invalid(k))) {
        assert.throws(() => JSON.parse(text), SyntaxError, `${what}: JavaScript refuses it too`);
        assert.throws(() => map(text, config), (e) => e.code === "E_JSON" && e.path === path, `${what}, offset ${k}`);
      }
    }
  });
}
