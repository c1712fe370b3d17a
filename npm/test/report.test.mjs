// Reports on every face: the npm CLI and the JS API against the hand-worked goldens of
// tests/fixtures/reports/, and the CLI's JSON byte-identical to the native `map --report`, on the
// same JSONL input. Plus the CLI's usage errors, --entries input, CSV and table views.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isLedgerError, mapEvent, report } from "../src/entrypoints/node.js";
import { FIXTURES, nativeMap, oneLine, run, runCli } from "./helpers.mjs";

const REPORTS = join(FIXTURES, "reports");
const goldens = readdirSync(REPORTS)
  .filter((n) => n.endsWith(".json"))
  .sort()
  .map((name) => ({ name, ...JSON.parse(readFileSync(join(REPORTS, name), "utf8")) }));

/** The golden's inputs as JSONL (one payload a line), as both CLIs read it. */
const jsonl = (g) => g.inputs.map((dir) => `${oneLine(readFileSync(join(FIXTURES, dir, "input.json"), "utf8"))}\n`).join("");

function args(g) {
  const out = [];
  if (g.config) out.push("--config", join(FIXTURES, g.config));
  for (const [key, value] of Object.entries(g.options)) out.push(`--${key}`, value);
  return out;
}

test("report goldens: CLI JSON equals the hand-worked expectation and the native bytes", () => {
  assert.ok(goldens.length >= 6);
  for (const g of goldens) {
    const input = jsonl(g);
    const cli = runCli(["report", g.kind, "--platform", g.platform, ...args(g), "--format", "json", "-"], input);
    assert.equal(cli.status, 0, `${g.name}: ${cli.stderr}`);
    assert.deepEqual(JSON.parse(cli.stdout.toString()), g.expected, g.name);
    const native = run(nativeMap(), ["--platform", g.platform, ...args(g), "--report", g.kind, "-"], { input });
    assert.equal(native.status, 0, `${g.name} native: ${native.stderr}`);
    assert.ok(cli.stdout.equals(native.stdout), `${g.name}: npm and native bytes differ`);
  }
});

test("report() in the JS API gives the same documents from mapped entries", () => {
  for (const g of goldens) {
    const config = g.config ? readFileSync(join(FIXTURES, g.config), "utf8") : undefined;
    const entries = g.inputs.flatMap((dir) => mapEvent(g.platform, readFileSync(join(FIXTURES, dir, "input.json"), "utf8"), config).entries);
    assert.deepEqual(report(g.kind, entries, { ...g.options, config }), g.expected, g.name);
  }
});

test("report() errors are LedgerErrors with code and path", () => {
  const cases = [
    [() => report("tax", [], { by: "sku" }), "E_INVALID_VALUE", "options.by"],
    [() => report("profit", [], { from: "2026-13-01" }), "E_INVALID_VALUE", "options.from"],
    [() => report("profit", [], { currency: "XYZ" }), "E_UNKNOWN_CURRENCY", "options.currency"],
    [() => report("profit", [], { colour: "red" }), "E_INVALID_TYPE", "options.colour"],
    [() => report("ledger", []), "E_INVALID_VALUE", "kind"],
  ];
  for (const [call, code, path] of cases) {
    assert.throws(call, (e) => {
      assert.ok(isLedgerError(e), String(e));
      assert.equal(e.code, code, e.message);
      if (path !== null) assert.equal(e.path, path);
      return true;
    });
  }
});

test("report --entries reads an entries array; --flag=value works", () => {
  const g = goldens.find((x) => x.name === "giftcards-sold-and-redeemed.json");
  const config = readFileSync(join(FIXTURES, g.config), "utf8");
  const entries = g.inputs.flatMap((dir) => mapEvent(g.platform, readFileSync(join(FIXTURES, dir, "input.json"), "utf8"), config).entries);
  const cli = runCli(["report", "giftcards", "--entries", "--by=week", "--format=json", "-"], JSON.stringify(entries));
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout.toString()), g.expected);
});

test("report csv and table views carry the figures", () => {
  const g = goldens.find((x) => x.name === "tax-ny-two-rates.json");
  const csv = runCli(["report", "tax", "--platform", g.platform, ...args(g), "--format", "csv", "-"], jsonl(g));
  assert.equal(csv.status, 0, csv.stderr);
  const lines = csv.stdout.toString().split("\r\n");
  assert.equal(lines[0], "section,period,currency,total_sales,untaxed_sales,refunds,orders,account,titles,taxable_sales,non_taxable_sales,taxable_refunds,tax_collected,tax_refunded,net_tax,effective_rate");
  assert.equal(lines[1], "periods,2026-05,USD,82.40,0.00,0.00,1,,,,,,,,,");
  assert.equal(lines[2], "periods.accounts,2026-05,USD,,,,1,Liabilities:SalesTax:NY-State-Tax,,82.40,0.00,0.00,3.30,0.00,3.30,0.0400");
  const table = runCli(["report", "tax", "--platform", g.platform, ...args(g), "--format", "table", "-"], jsonl(g));
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout.toString(), /Liabilities:SalesTax:New-York-City-Tax .* 4\.01/);
});

test("report usage errors are plain, exit 2", () => {
  const cases = [
    [["report"], /report needs a kind/],
    [["report", "ledger", "--platform", "shopify", "x.json"], /unknown report ledger/],
    [["report", "tax", "x.json"], /--platform is required/],
    [["report", "tax", "--platform", "shopify", "--format", "xml", "-"], /unknown --format xml/],
    [["report", "tax", "--platform", "shopify", "no-such-file.json"], /no such file: no-such-file.json/],
  ];
  for (const [argv, message] of cases) {
    const r = runCli(argv, "");
    assert.equal(r.status, 2, argv.join(" "));
    assert.match(r.stderr, message);
  }
  const help = runCli(["report", "--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout.toString(), /usage: ledgerbridge report tax\|profit/);
});

test("a report option error names the option, exit 1", () => {
  const g = goldens[0];
  const r = runCli(["report", "profit", "--platform", g.platform, "--by", "sku", "--format", "json", "-"], jsonl(g));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /entries carry no SKU field.*\[E_INVALID_VALUE at options\.by\]/);
});
