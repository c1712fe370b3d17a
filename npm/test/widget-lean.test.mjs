// The widget's lean modules (npm/dist/widget/<platform>/, scripts/build-npm) under Node: every
// fixture of their platform maps byte-identically to the full module (itself byte-identical to the native
// example, api.test.mjs), with the fixture's TOML config given as JSON; TOML text and platforms a
// module does not carry are refused with their codes (the widget then loads the full module,
// widget.test.mjs); and they export only what the widget calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as full from "../src/entrypoints/node.js";
import { fixtureCases } from "./helpers.mjs";

// Each lean module's own WebAssembly.Memory (its allocator is not the full module's).
const memories = {};
async function lean(name) {
  const glue = await import(`../dist/widget/${name}/ledgerbridge_wasm.js`);
  const exports = glue.initSync({ module: readFileSync(new URL(`../dist/widget/${name}/ledgerbridge_wasm_bg.wasm`, import.meta.url)) });
  memories[name] = exports.memory;
  return glue;
}
const modules = Object.fromEntries(await Promise.all(full.platforms().map(async (p) => [p, await lean(p)])));

test("each platform's lean module maps that platform and exports only what the widget calls", () => {
  for (const [platform, m] of Object.entries(modules)) {
    assert.deepEqual(m.platforms(), [platform]);
    const api = Object.keys(m).filter((k) => typeof m[k] === "function" && !["default", "initSync"].includes(k));
    assert.deepEqual(api.sort(), ["entryTotals", "mapEvent", "mapEventJson", "platforms", "version"]);
    assert.equal(m.version(), full.version());
  }
});

const cases = fixtureCases(full.platforms());
test("fixtures of every platform exist", () => {
  for (const platform of full.platforms()) assert.ok(cases.some((c) => c.platform === platform), platform);
});

for (const c of cases) {
  test(`${c.platform}/${c.name}: the lean module maps as the full one, totals included`, () => {
    const m = modules[c.platform];
    const want = full.mapEventJson(c.platform, c.input, c.config);
    const json = c.config === undefined ? undefined : JSON.stringify(full.validateConfig(c.config));
    assert.equal(m.mapEventJson(c.platform, c.input, json), want);
    const mapped = m.mapEvent(c.platform, c.input, json === undefined ? undefined : JSON.parse(json));
    assert.deepEqual(mapped, JSON.parse(want));
    assert.deepEqual(m.entryTotals(mapped.entries), full.entryTotals(mapped.entries));
  });
}

test("a TOML config is refused with E_UNSUPPORTED_CONFIG_SYNTAX, JSON text is read", () => {
  const c = cases.find((x) => x.platform === "shopify" && x.config !== undefined);
  for (const m of Object.values(modules)) {
    assert.throws(() => m.mapEventJson("shopify", c.input, c.config), (e) =>
      e instanceof Error && e.name === "LedgerError" && e.code === "E_UNSUPPORTED_CONFIG_SYNTAX" && e.path === "" &&
      /TOML/.test(e.message));
  }
  // A bad JSON config is still a config error with its path, as in the full module.
  assert.throws(() => modules.shopify.mapEventJson("shopify", c.input, '{"accounts": {"sales": "Nope"}}'),
    { code: "E_CONFIG", path: "accounts.sales" });
});

test("a platform a module does not carry is E_UNSUPPORTED_PLATFORM naming the one it does", () => {
  const woo = cases.find((x) => x.platform === "woocommerce");
  assert.throws(() => modules.shopify.mapEventJson("woocommerce", woo.input), (e) =>
    e.code === "E_UNSUPPORTED_PLATFORM" && /expected one of: shopify\)/.test(e.message));
  assert.throws(() => modules.stripe.mapEventJson("shopify", "{}"), { code: "E_UNSUPPORTED_PLATFORM" });
  assert.throws(() => modules.shopify.mapEventJson("nosuch", "{}"), { code: "E_UNSUPPORTED_PLATFORM" });
});

test("the payload size guard holds in a lean module as in the core", () => {
  const big = new Uint8Array(8 * 1024 * 1024 + 1).fill(0x20);
  assert.throws(() => full.mapEventJson("shopify", big), { code: "E_LIMIT_EXCEEDED" });
  assert.throws(() => modules.shopify.mapEventJson("shopify", big), { code: "E_LIMIT_EXCEEDED" });
  assert.throws(() => modules.stripe.mapEventJson("stripe", big), { code: "E_LIMIT_EXCEEDED" });
});

// The lean modules' allocator (plugin-wasm/src/lean_alloc.rs) keeps freed blocks for reuse and
// never gives memory back: mapping the same orders again must find room in what is already there.
test("mapping the same fixtures again does not grow a lean module's memory", () => {
  const round = () => {
    for (const c of cases) {
      const json = c.config === undefined ? undefined : JSON.stringify(full.validateConfig(c.config));
      const m = modules[c.platform];
      const mapped = m.mapEvent(c.platform, c.input, json === undefined ? undefined : JSON.parse(json));
      m.entryTotals(mapped.entries);
      m.mapEventJson(c.platform, c.input, json);
    }
  };
  round();
  const before = Object.fromEntries(Object.entries(memories).map(([p, mem]) => [p, mem.buffer.byteLength]));
  for (let i = 0; i < 20; i++) round();
  for (const [p, mem] of Object.entries(memories)) assert.equal(mem.buffer.byteLength, before[p], p);
});
