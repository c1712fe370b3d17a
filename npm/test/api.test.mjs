// The package API (Node entrypoint) against the native reference output, fixture by fixture.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as lb from "../src/entrypoints/node.js";
import { useLatin1 } from "../src/tape.js";
import { fixtureCases, runNative, unsupportedFixturePlatforms } from "./helpers.mjs";

const platforms = lb.platforms();
const cases = fixtureCases(platforms);

// Node runs the speed-optimised module; browsers and Workers the size-optimised one. A second
// instance of the glue (a distinct module URL) holds the latter, so every fixture checks both.
const small = await import("../dist/ledgerbridge_wasm.js?size-optimised");
small.initSync({ module: readFileSync(new URL("../dist/ledgerbridge_wasm_bg.wasm", import.meta.url)) });

test("fixtures exist for the supported platforms", (t) => {
  assert.ok(cases.length >= 10, `only ${cases.length} fixture cases found`);
  const skipped = unsupportedFixturePlatforms(platforms);
  if (skipped.length) t.diagnostic(`fixture platforms not in this build: ${skipped.join(", ")}`);
});

for (const c of cases) {
  test(`${c.platform}/${c.name}: mapEventJson is byte-identical to the native example`, () => {
    const native = runNative(c.platform, c.configPath, c.inputPath);
    assert.equal(native.status, 0, native.stderr);
    const text = lb.mapEventJson(c.platform, c.input, c.config);
    assert.equal(`${text}\n`, native.stdout.toString("utf8"));
    assert.equal(small.mapEventJson(c.platform, c.input, c.config), text, "size-optimised module");
    // The object form is the same document, key for key in the same order (mapEvent builds it
    // from the core's tape, npm/src/tape.js), through the cached mapper and without it; payload
    // as an object and as bytes give the same text.
    const objects = lb.mapEvent(c.platform, c.input, c.config);
    assert.deepEqual(objects, JSON.parse(text));
    assert.equal(JSON.stringify(objects), text);
    assert.equal(JSON.stringify(lb.mapEvent(c.platform, JSON.parse(c.input), c.config && lb.validateConfig(c.config))), text);
    assert.equal(lb.mapEventJson(c.platform, new TextEncoder().encode(c.input), c.config), text);
    if (c.config === undefined) return;
    assert.equal(lb.mapEventJson(c.platform, c.input, lb.validateConfig(c.config)), text);
  });
}

test("text of any length and script maps as its UTF-8 bytes do", () => {
  const c = cases.find((x) => x.platform === "shopify" && x.name === "simple");
  const before = lb.mapEventJson("shopify", c.input, c.config);
  // Text is encoded straight into wasm memory up to 2^18 UTF-16 units (npm/src/api.js): 30 000
  // and 100 000 characters each grow the mapper's buffer (and so wasm memory, which detaches the
  // view taken before), 400 000 take the copying path.
  for (const length of [30_000, 100_000, 400_000]) {
    const order = JSON.parse(c.input);
    delete order.id;
    order.note = "€ ü 漢 ".repeat(length / 7);
    order.id = `gid://shopify/Order/ü-€-${length}`; // after the long note, so a bad encoding shows
    const text = JSON.stringify(order);
    const mapped = lb.mapEventJson("shopify", text, c.config);
    assert.equal(mapped, lb.mapEventJson("shopify", Buffer.from(text, "utf8"), c.config));
    assert.equal(JSON.stringify(lb.mapEvent("shopify", text, c.config)), mapped);
    assert.equal(JSON.parse(mapped).entries[0].source.id, order.id);
    assert.equal(lb.mapEventJson("shopify", c.input, c.config), before, "a short text after a long one");
  }
  assert.equal(lb.mapEventJson("shopify", c.input, c.config), before);
});

test("mapEvent and mapEventJson give the same text whatever characters the output holds", () => {
  // The output leaves wasm memory in Latin-1 when every character allows and Node's decoder is
  // there, else in UTF-8 (plugin-wasm/src/tape.rs); the tape has no separators to collide with.
  const c = cases.find((x) => x.platform === "shopify" && x.name === "simple");
  for (const name of ["#1001\u0001x", "#1001 \u00d7 \u00fc \u0080 \u00ff", "#1001 \u20ac \u6f22 \ud83d\ude00", "\u0000\t\"\\"]) {
    const order = JSON.parse(c.input);
    order.name = name;
    const input = JSON.stringify(order);
    const text = lb.mapEventJson("shopify", input, c.config);
    assert.equal(text, small.mapEventJson("shopify", input, c.config), "the glue's own decoding");
    assert.equal(JSON.parse(text).entries[0].memo.endsWith(name), true);
    assert.equal(JSON.stringify(lb.mapEvent("shopify", input, c.config)), text);
    assert.equal(JSON.stringify(lb.mapEvent("shopify", input, c.config && lb.validateConfig(c.config))), text);
    assert.equal(JSON.stringify(lb.mapEvent("shopify", Buffer.from(input), c.config)), text);
  }
});

test("without a Latin-1 decoder (browsers, Workers) every fixture maps to the same objects and text", () => {
  const texts = cases.map((c) => lb.mapEventJson(c.platform, c.input, c.config));
  useLatin1(null);
  try {
    cases.forEach((c, i) => {
      assert.equal(lb.mapEventJson(c.platform, c.input, c.config), texts[i], `${c.platform}/${c.name}`);
      assert.equal(JSON.stringify(lb.mapEvent(c.platform, c.input, c.config)), texts[i], `${c.platform}/${c.name}`);
    });
  } finally {
    useLatin1((bytes, start, end) => Buffer.from(bytes.buffer, start, end - start).toString("latin1"));
  }
});

test("money crosses as decimal strings at the currency's scale", () => {
  for (const c of cases) {
    const { entries, profit } = lb.mapEvent(c.platform, c.input, c.config);
    for (const entry of entries) {
      for (const line of entry.lines) {
        assert.equal(typeof line.debit, "string");
        assert.match(line.debit, /^\d+(\.\d+)?$/);
        assert.match(line.credit, /^\d+(\.\d+)?$/);
      }
    }
    for (const key of ["revenue", "discounts", "refunds", "fees", "cogs", "margin"]) {
      assert.match(profit[key], /^-?\d+(\.\d+)?$/, `${c.name} profit.${key}`);
    }
  }
});

test("errors are Error objects named LedgerError with a stable code and the JSON path", () => {
  const bad = '{"id": 1, "currency": "USD", "line_items": [{"id": 1, "quantity": 1, "price": "12.3.4"}]}';
  assert.throws(
    () => lb.mapEvent("shopify", bad),
    (e) => e instanceof Error && e.name === "LedgerError" && e.code === "E_INVALID_AMOUNT" &&
      e.path === "line_items[0].price" && lb.isLedgerError(e) && typeof e.stack === "string",
  );
  assert.throws(() => lb.mapEvent("shopify", "{not json"), { name: "LedgerError", code: "E_JSON" });
  assert.throws(() => lb.mapEvent("nosuch", "{}"), { name: "LedgerError", code: "E_UNSUPPORTED_PLATFORM", path: "" });
  assert.throws(() => lb.mapEvent("shopify", 42), { name: "LedgerError", code: "E_INVALID_TYPE" });
  assert.throws(() => lb.mapEvent("shopify", { id: 1n }), { name: "LedgerError", code: "E_INVALID_TYPE" });
  assert.throws(() => lb.mapEvent("shopify", "{}", 'shop = "a b"'), { code: "E_CONFIG", path: "shop" });
  assert.throws(() => lb.exportEntries([], "pdf"), { code: "E_UNSUPPORTED_FORMAT" });
  // The instance still works after every failure above (nothing trapped).
  assert.equal(typeof lb.mapEventJson(cases[0].platform, cases[0].input, cases[0].config), "string");
});

test("validateConfig normalises TOML and JSON alike and rejects unknown keys with their path", () => {
  const fromToml = lb.validateConfig('shop = "demo.myshopify.com"\n[costs]\n"MUG" = "3.10"\n');
  assert.equal(fromToml.shop, "demo.myshopify.com");
  assert.equal(fromToml.costs.MUG, "3.10");
  assert.deepEqual(lb.validateConfig(JSON.stringify({ shop: "demo.myshopify.com", costs: { MUG: "3.10" } })), fromToml);
  assert.deepEqual(lb.validateConfig({ shop: "demo.myshopify.com", costs: { MUG: "3.10" } }), fromToml);
  assert.throws(() => lb.validateConfig('shop = "x"\n[acounts]\n'), { code: "E_CONFIG" });
  assert.throws(() => lb.validateConfig(undefined), { code: "E_INVALID_TYPE" });
});

test("exportEntries(json) is the entries array, objects and JSON text alike", () => {
  const entries = cases.flatMap((c) => lb.mapEvent(c.platform, c.input, c.config).entries);
  assert.ok(entries.length > 0);
  const text = lb.exportEntries(entries, "json");
  assert.equal(text, JSON.stringify(entries));
  assert.equal(lb.exportEntries(JSON.stringify(entries), "JSON"), text);
  for (const format of lb.formats()) {
    let out;
    try {
      out = lb.exportEntries(entries, format);
    } catch (e) {
      // Targets that need account ids (QuickBooks, Xero) refuse unmapped accounts, naming them.
      assert.equal(e.code, "E_CONFIG", `${format}: ${e.message}`);
      assert.match(e.path, new RegExp(`^exports\\.${format}`));
      continue;
    }
    assert.equal(typeof out, "string");
    assert.ok(out.length > 0, `${format} output is empty`);
  }
});

test("exportEntries refuses an unbalanced entry, naming it", () => {
  const entry = cases.flatMap((c) => lb.mapEvent(c.platform, c.input, c.config).entries)[0];
  const broken = structuredClone(entry);
  const line = broken.lines.find((l) => l.debit !== "0" && !/^0\.0+$/.test(l.debit));
  line.debit = line.debit.replace(/^(\d+)/, (d) => String(Number(d) + 1));
  assert.throws(() => lb.exportEntries([broken], "json"), { name: "LedgerError", code: "E_UNBALANCED" });
  assert.throws(() => lb.exportEntries([{ ...entry, extra: 1 }], "json"), {
    code: "E_INVALID_TYPE",
    path: "[0].extra",
  });
});

test("summarize groups entries by day and month and keeps every entry linked", () => {
  const entries = cases.flatMap((c) => lb.mapEvent(c.platform, c.input, c.config).entries);
  for (const by of ["day", "month"]) {
    const summary = lb.summarize(entries, by);
    assert.ok(summary.length > 0);
    const linked = summary.flatMap((s) => s.links ?? []);
    assert.deepEqual([...linked].sort(), entries.map((e) => e.id).sort(), `${by}: links cover every entry once`);
  }
  assert.throws(() => lb.summarize(entries, "week"), { name: "LedgerError" });
});

test("version and capability lists", () => {
  assert.match(lb.version(), /^\d+\.\d+\.\d+/);
  assert.ok(lb.platforms().includes("shopify"));
  assert.ok(lb.formats().includes("json"));
});

test("splitRecords splits streamed bytes as the native CLI does, whatever the chunking", async () => {
  const text = (records) => records.map((r) => new TextDecoder().decode(r));
  async function split(input, size) {
    const bytes = new TextEncoder().encode(input);
    const chunks = [];
    for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size));
    let seen = 0;
    const out = [];
    for await (const record of lb.splitRecords(chunks, (n) => (seen += n))) out.push(record);
    assert.equal(seen, bytes.length);
    return text(out);
  }
  const jsonl = '\n{"a":1}\n\n  \n{"b":2}\r\n{"c":3}';
  const pretty = '{\n  "a": [1,\n 2]\n}\n';
  for (const size of [1, 2, 7, 1 << 20]) {
    assert.deepEqual(await split(jsonl, size), ['{"a":1}', '{"b":2}\r', '{"c":3}'], `chunks of ${size}`);
    assert.deepEqual(await split(pretty, size), [pretty], `chunks of ${size}`);
    assert.deepEqual(await split("not json\n{}\n", size), ["not json", "{}"], `chunks of ${size}`);
    assert.deepEqual(await split(" \n\n", size), [], `chunks of ${size}`);
  }
  // Records are copies: the splitter's next push must not change one already handed out.
  const splitter = new lb.RecordSplitter();
  const [first] = splitter.push(new TextEncoder().encode('{"a":1}\n{"b"'));
  splitter.push(new TextEncoder().encode(':2}\n'.repeat(1000)));
  assert.equal(new TextDecoder().decode(first), '{"a":1}');
  splitter.free();
});
