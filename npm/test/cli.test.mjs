// The CLI against the native reference: one run per (platform, config) over a JSONL of its cases,
// plus the single-document, stdin, error and export paths.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { platforms } from "../src/entrypoints/node.js";
import { CLI, fixtureCases, nativeMap, oneLine, run, runCli, runNative } from "./helpers.mjs";

const cases = fixtureCases(platforms());
let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "ledgerbridge-cli-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Cases grouped by platform and config file, so each group is one JSONL run. */
function groups() {
  const map = new Map();
  for (const c of cases) {
    const key = `${c.platform}\0${c.configPath ?? ""}`;
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(c);
  }
  return [...map.values()];
}

test("map over JSONL of every fixture: stdout byte-identical to the native example", () => {
  let n = 0;
  for (const [i, group] of groups().entries()) {
    const { platform, configPath } = group[0];
    const file = join(dir, `group-${i}.jsonl`);
    writeFileSync(file, group.map((c) => `${oneLine(c.input)}\n`).join(""));
    const cfg = configPath ? ["--config", configPath] : [];
    const native = runNative(platform, configPath, file);
    const cli = runCli(["map", "--platform", platform, ...cfg, file]);
    assert.equal(native.status, 0, native.stderr);
    assert.equal(cli.status, 0, cli.stderr);
    assert.ok(cli.stdout.equals(native.stdout), `${platform} ${group.map((c) => c.name).join(",")}`);
    assert.equal(cli.stdout.toString().split("\n").length - 1, group.length);
    assert.match(cli.stderr, new RegExp(`${group.length} records: ${group.length} mapped, 0 failed`));
    n += group.length;
  }
  assert.equal(n, cases.length);
});

test("map of a pretty-printed document from a file and from stdin equals the native output", () => {
  for (const c of cases.filter((_, i) => i % 5 === 0)) {
    const cfg = c.configPath ? ["--config", c.configPath] : [];
    const native = runNative(c.platform, c.configPath, c.inputPath);
    const fromFile = runCli(["map", "--platform", c.platform, ...cfg, c.inputPath]);
    const fromStdin = runCli(["map", "--platform", c.platform, ...cfg, "--quiet", "-"], c.input);
    assert.ok(fromFile.stdout.equals(native.stdout), c.name);
    assert.ok(fromStdin.stdout.equals(native.stdout), `${c.name} (stdin)`);
    assert.equal(fromStdin.stderr, "");
  }
});

test("a bad record is named by number, the rest still map, and the exit code is 1", () => {
  const good = cases.find((c) => c.platform === "shopify" && !c.configPath) ?? cases[0];
  const file = join(dir, "bad.jsonl");
  writeFileSync(file, `${oneLine(good.input)}\n\n{"id": 1, "line_items": [{"price": "x"}]}\n{oops\n${oneLine(good.input)}\n`);
  const cli = runCli(["map", "--platform", good.platform, file]);
  const native = runNative(good.platform, null, file);
  assert.equal(cli.status, 1);
  assert.equal(native.status, 1);
  assert.ok(cli.stdout.equals(native.stdout));
  assert.match(cli.stderr, /record 2: .*\[E_(INVALID_AMOUNT|MISSING_FIELD|INVALID_TYPE) at [^\]]+\]/);
  assert.match(cli.stderr, /record 3: .*\[E_JSON/);
  assert.match(cli.stderr, /4 records: 2 mapped, 2 failed/);
});

test("usage errors exit 2 with a message", () => {
  const some = cases[0];
  assert.equal(runCli([]).status, 2);
  const noPlatform = runCli(["map", some.inputPath]);
  assert.equal(noPlatform.status, 2);
  assert.match(noPlatform.stderr, /--platform is required/);
  assert.match(runCli(["map", "--platform", "nosuch", some.inputPath]).stderr, /E_UNSUPPORTED_PLATFORM/);
  assert.match(runCli(["map", "--platform", "shopify", "--format", "pdf", some.inputPath]).stderr, /unknown --format pdf/);
  assert.match(runCli(["map", "--platform", "shopify", join(dir, "missing.json")]).stderr, /missing\.json/);
  assert.equal(runCli(["map", "--platform", "shopify", "--bogus", some.inputPath]).status, 2);
});

test("validate-config accepts every fixture config and rejects a bad one naming the field", () => {
  for (const c of cases.filter((c) => c.configPath)) {
    const ok = runCli(["validate-config", c.configPath]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout.toString(), /: ok \(shop /);
  }
  const bad = join(dir, "bad.toml");
  writeFileSync(bad, 'shop = "demo"\n[accounts]\nsales = "Revenue:Sales"\n');
  const res = runCli(["validate-config", bad]);
  assert.equal(res.status, 1);
  assert.match(res.stderr, /\[E_CONFIG at accounts\.sales\]/);
  // The offending value as written, and the line to open the file at.
  assert.match(res.stderr, /"Revenue:Sales"/);
  assert.match(res.stderr, /line 3\b/);
  const typed = join(dir, "typed.toml");
  writeFileSync(typed, 'shop = "demo"\n\n[[sales]]\nsku = "A"\naccount = 7\n');
  const res2 = runCli(["validate-config", typed]);
  assert.equal(res2.status, 1);
  assert.match(res2.stderr, /at sales\[0\]\.account: "7" \(line 5: /);
});

test("--help works on every command, exit 0, naming the command's own options", () => {
  for (const [args, option] of [[["--help"], "map"], [["map", "--help"], "--platform"], [["map", "-h"], "--shop"],
    [["validate-config", "--help"], "validate-config"], [["help"], "map"]]) {
    const res = runCli(args);
    assert.equal(res.status, 0, `${args.join(" ")}: ${res.stderr}`);
    assert.match(res.stdout.toString(), /usage:/, args.join(" "));
    assert.ok(res.stdout.toString().includes(option), `${args.join(" ")} names ${option}`);
    assert.equal(res.stderr, "");
  }
});

test("--flag=value is the same as --flag value", () => {
  const c = cases.find((x) => x.platform === "shopify" && x.configPath);
  const spaced = runCli(["map", "--platform", "shopify", "--config", c.configPath, "--format", "json", c.inputPath]);
  const joined = runCli(["map", "--platform=shopify", `--config=${c.configPath}`, "--format=json", c.inputPath]);
  assert.equal(joined.status, 0, joined.stderr);
  assert.ok(joined.stdout.equals(spaced.stdout));
  assert.equal(runCli(["map", "--platform=", c.inputPath]).status, 2);
});

test("a missing file is named plainly: exit 2, no stack trace", () => {
  const cwd = mkdtempSync(join(tmpdir(), "ledgerbridge-cwd-"));
  try {
    const res = run(process.execPath, [CLI, "map", "--platform", "shopify", "orders.json"], { cwd });
    assert.equal(res.status, 2);
    assert.equal(res.stderr, "ledgerbridge: no such file: orders.json\n");
    const config = run(process.execPath, [CLI, "map", "--platform", "shopify", "--config", "shop.toml", "-"], { cwd, input: "{}" });
    assert.equal(config.status, 2);
    assert.equal(config.stderr, "ledgerbridge: no such file: shop.toml\n");
    const validate = run(process.execPath, [CLI, "validate-config", "shop.toml"], { cwd });
    assert.equal(validate.status, 2);
    assert.equal(validate.stderr, "ledgerbridge: no such file: shop.toml\n");
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test("--shop names the shop in entry ids, byte-identical to the native example", () => {
  const c = cases.find((x) => x.platform === "shopify" && x.name === "manual-pending");
  const shop = "shop-a.myshopify.com";
  const cli = runCli(["map", "--platform", "shopify", "--shop", shop, c.inputPath]);
  const native = run(nativeMap(), ["--platform", "shopify", "--shop", shop, c.inputPath]);
  assert.equal(cli.status, 0, cli.stderr);
  assert.ok(cli.stdout.equals(native.stdout));
  assert.match(cli.stdout.toString(), new RegExp(`"id":"shopify:${shop.replace(/\./g, "\\.")}:order:`));
  assert.doesNotMatch(cli.stderr, /default/);
});

test("output for posting needs a named shop; other output without one warns on stderr", () => {
  const c = cases.find((x) => x.platform === "shopify" && x.name === "manual-pending");
  for (const format of ["qbo", "xero"]) {
    const cli = runCli(["map", "--platform", "shopify", "--format", format, c.inputPath]);
    assert.equal(cli.status, 2, format);
    assert.match(cli.stderr, /--shop/);
    assert.equal(cli.stdout.length, 0);
    const native = run(nativeMap(), ["--platform", "shopify", "--format", format, c.inputPath]);
    assert.equal(native.status, 2, `native ${format}`);
  }
  const json = runCli(["map", "--platform", "shopify", c.inputPath]);
  assert.equal(json.status, 0);
  assert.match(json.stderr, /warning: .*shop "default".*post them twice/);
  const clash = cases.find((x) => x.platform === "shopify" && x.configPath);
  const res = runCli(["map", "--platform", "shopify", "--config", clash.configPath, "--shop", "other.myshopify.com", clash.inputPath]);
  assert.equal(res.status, 2);
  assert.match(res.stderr, /disagrees/);
});

test("--format and --summary render all records' entries once, through the core exporters", () => {
  const group = cases.filter((c) => c.platform === "shopify" && c.configPath);
  const file = join(dir, "export.jsonl");
  writeFileSync(file, group.map((c) => `${oneLine(c.input)}\n`).join(""));
  // Records with different configs share the first one's here; only the shape is checked.
  const cfg = ["--config", group[0].configPath];
  const json = runCli(["map", "--platform", "shopify", ...cfg, "--format", "json", "--summary", "day", file]);
  assert.equal(json.status, 0, json.stderr);
  const summary = JSON.parse(json.stdout.toString());
  assert.ok(Array.isArray(summary) && summary.length > 0);
  assert.ok(summary.every((e) => e.id.startsWith("summary:day:")));
  for (const format of ["beancount", "csv"]) {
    const out = runCli(["map", "--platform", "shopify", ...cfg, "--format", format, file]);
    if (out.stderr.includes("unknown --format")) continue; // exporter not in this build yet
    assert.equal(out.status, 0, out.stderr);
    assert.ok(out.stdout.length > 0);
  }
});

/**
 * JSONL of `n` Shopify orders cycled over the fixtures that map under the default chart, each with
 * its own order id (so a record out of place changes the bytes), and `bad` records (1-based
 * numbers) replaced by ones the core refuses.
 */
function manyOrders(n, bad = []) {
  const orders = cases.filter((c) => c.platform === "shopify" && !c.configPath && JSON.parse(c.input).line_items);
  const lines = [];
  for (let i = 1; i <= n; i++) {
    if (bad.includes(i)) {
      lines.push(i % 2 ? `{"id": ${i}, "line_items": [{"price": "x"}]}` : "{oops");
      continue;
    }
    const order = JSON.parse(orders[i % orders.length].input);
    lines.push(JSON.stringify({ ...order, id: 5_000_000_000_000 + i }));
  }
  return `${lines.join("\n")}\n`;
}

test("--jobs N maps past the first MiB in threads: the same bytes, in input order, as --jobs 1 and the native example", () => {
  const input = manyOrders(600);
  assert.ok(input.length > 2 << 20, `input of ${input.length} bytes spans several blocks`);
  const file = join(dir, "many.jsonl");
  writeFileSync(file, input);
  const shop = ["--shop", "jobs.myshopify.com"];
  const native = run(nativeMap(), ["--platform", "shopify", ...shop, file]);
  assert.equal(native.status, 0, native.stderr);
  assert.equal(native.stdout.toString().split("\n").length - 1, 600);
  for (const [jobs, via] of [["1", file], ["3", file], ["2", "-"]]) {
    const cli = runCli(["map", "--platform", "shopify", ...shop, "--jobs", jobs, via], via === "-" ? input : undefined);
    assert.equal(cli.status, 0, cli.stderr);
    assert.ok(cli.stdout.equals(native.stdout), `--jobs ${jobs} from ${via}`);
    assert.match(cli.stderr, /600 records: 600 mapped, 0 failed; 6\d\d entries/);
  }
});

test("a record that fails in a mapping thread is named by its number in the whole input", () => {
  const bad = [2, 333, 334, 580];
  const file = join(dir, "many-bad.jsonl");
  writeFileSync(file, manyOrders(600, bad));
  const shop = ["--shop", "jobs.myshopify.com"];
  const native = run(nativeMap(), ["--platform", "shopify", ...shop, file]);
  assert.equal(native.status, 1);
  const named = (stderr) => stderr.split("\n").filter((l) => l.includes("record ")).map((l) => l.replace(/^\r/, ""));
  const one = runCli(["map", "--platform", "shopify", ...shop, "--jobs", "1", file]);
  const three = runCli(["map", "--platform", "shopify", ...shop, "--jobs", "3", file]);
  for (const cli of [one, three]) {
    assert.equal(cli.status, 1);
    assert.ok(cli.stdout.equals(native.stdout));
    assert.match(cli.stderr, /600 records: 596 mapped, 4 failed/);
  }
  assert.deepEqual(named(three.stderr), named(one.stderr));
  assert.deepEqual(named(three.stderr).map((l) => Number(/^record (\d+):/.exec(l)?.[1])), bad);
  assert.match(three.stderr, /record 333: .*\[E_(INVALID_AMOUNT|MISSING_FIELD|INVALID_TYPE) at [^\]]+\]/);
  assert.match(three.stderr, /record 334: .*\[E_JSON/);
});

test("--jobs takes a whole number of threads, and only for map", () => {
  const some = cases[0];
  for (const jobs of ["0", "x", "1.5", "-1"]) {
    const res = runCli(["map", "--platform", some.platform, "--jobs", jobs, some.inputPath]);
    assert.equal(res.status, 2, jobs);
    assert.match(res.stderr, /--jobs/);
  }
  assert.equal(runCli(["report", "tax", "--platform", some.platform, "--jobs", "2", some.inputPath]).status, 2);
});
