// The built package as consumers get it: `npm pack`, unpacked into a scratch project's
// node_modules, then imported from Node ESM (exports map, "node" condition) and bundled by
// wrangler for workerd ("workerd" condition, .wasm as a compiled module) and run in Miniflare.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { mapEventJson } from "../src/entrypoints/node.js";
import { FIXTURES, NPM, ROOT, run } from "./helpers.mjs";

const CASE = join(FIXTURES, "shopify", "discount-shipping-tax");
const input = readFileSync(join(CASE, "input.json"), "utf8");
const config = readFileSync(join(CASE, "config.toml"), "utf8");
const want = mapEventJson("shopify", input, config); // = the native output (api.test.mjs)
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Relative targets of README.md's links and images (`docs/widget.png`): they must ship. */
function readmeLinks() {
  const readme = readFileSync(join(NPM, "README.md"), "utf8");
  const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1].split("#")[0]);
  return targets.filter((t) => t && !/^[a-z]+:/i.test(t));
}

let dir, project, files;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "ledgerbridge-pack-"));
  const packed = run(npm, ["pack", "--silent", "--pack-destination", dir], { cwd: NPM });
  assert.equal(packed.status, 0, packed.stderr);
  const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  files = run("tar", ["tzf", join(dir, tgz)]).stdout.toString().split("\n").filter(Boolean);
  project = join(dir, "project");
  const pkg = join(project, "node_modules", "ledgerbridge");
  mkdirSync(pkg, { recursive: true });
  assert.equal(run("tar", ["xzf", join(dir, tgz), "-C", pkg, "--strip-components=1"]).status, 0);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  writeFileSync(join(project, "input.json"), input);
  writeFileSync(join(project, "config.toml"), config);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("the tarball holds the runtime files and no tests, benches or sources of the wasm", () => {
  for (const f of ["package/package.json", "package/dist/ledgerbridge_wasm_bg.wasm", "package/dist/ledgerbridge_wasm_fast.wasm",
    "package/dist/ledgerbridge_wasm.js", "package/src/widget/core.js",
    "package/dist/widget/shopify/ledgerbridge_wasm.js", "package/dist/widget/shopify/ledgerbridge_wasm_bg.wasm",
    "package/dist/widget/stripe/ledgerbridge_wasm.js", "package/dist/widget/stripe/ledgerbridge_wasm_bg.wasm",
    "package/src/entrypoints/node.js", "package/src/entrypoints/browser.js", "package/src/entrypoints/workerd.js",
    "package/src/widget/ledger-preview.js", "package/types/index.d.ts", "package/types/widget.d.ts",
    "package/types/generated.d.ts", "package/bin/ledgerbridge.mjs", "package/README.md", "package/LICENSE"]) {
    assert.ok(files.includes(f), `${f} missing from the tarball`);
  }
  assert.ok(!files.some((f) => /^package\/(test|bench|demo)\//.test(f)), files.join("\n"));
});

test("npm pack --dry-run lists the LICENSE, the generated types and everything README.md links to", () => {
  const out = run(npm, ["pack", "--dry-run", "--json"], { cwd: NPM });
  assert.equal(out.status, 0, out.stderr);
  const listed = JSON.parse(out.stdout.toString())[0].files.map((f) => f.path);
  const links = readmeLinks();
  assert.ok(links.includes("docs/widget.png"), `README.md links: ${links}`);
  for (const f of ["LICENSE", "README.md", "types/generated.d.ts", ...links]) {
    assert.ok(listed.includes(f), `${f} missing from npm pack --dry-run:\n${listed.join("\n")}`);
  }
});

test("the unpacked tarball is MIT-licensed and README.md's images and links resolve in it", () => {
  const pkg = join(project, "node_modules", "ledgerbridge");
  assert.equal(JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).license, "MIT");
  assert.match(readFileSync(join(pkg, "LICENSE"), "utf8"), /^MIT License\n/);
  for (const link of readmeLinks()) assert.ok(existsSync(join(pkg, link)), `README.md links to ${link}, not in the tarball`);
});

test("node-esm: import 'ledgerbridge' from a consumer project", () => {
  writeFileSync(join(project, "node-esm.mjs"), `
    import { readFileSync } from "node:fs";
    import { createRequire } from "node:module";
    import { mapEventJson, mapEvent, version } from "ledgerbridge";
    const pkg = createRequire(import.meta.url)("ledgerbridge/package.json");
    const text = mapEventJson("shopify", readFileSync("input.json", "utf8"), readFileSync("config.toml", "utf8"));
    let code;
    try { mapEvent("shopify", "{"); } catch (e) { code = e.code; }
    process.stdout.write(JSON.stringify({ text, code, version: version(), pkg: pkg.version,
      widget: import.meta.resolve("ledgerbridge/widget") }));`);
  const out = run(process.execPath, ["node-esm.mjs"], { cwd: project });
  assert.equal(out.status, 0, out.stderr);
  const got = JSON.parse(out.stdout.toString());
  assert.equal(got.text, want);
  assert.equal(got.code, "E_JSON");
  assert.equal(got.version, got.pkg);
  assert.match(got.widget, /node_modules\/ledgerbridge\/src\/widget\/ledger-preview\.js$/);
});

test("node: the package's bin runs from node_modules", () => {
  const bin = join(project, "node_modules", "ledgerbridge", "bin", "ledgerbridge.mjs");
  const out = run(process.execPath, [bin, "map", "--platform", "shopify", "--config", "config.toml", "--quiet", "input.json"], { cwd: project });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout.toString(), `${want}\n`);
});

test("workerd: wrangler bundles the 'workerd' entry and Miniflare runs it", async (t) => {
  const wrangler = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
  if (!existsSync(wrangler)) return t.skip("wrangler not installed (npm ci)");
  writeFileSync(join(project, "worker.mjs"), `
    import { mapEventJson } from "ledgerbridge";
    export default {
      async fetch(request) {
        const url = new URL(request.url);
        try {
          return new Response(mapEventJson(url.searchParams.get("platform"), await request.text(),
            url.searchParams.get("config") ?? undefined), { headers: { "content-type": "application/json" } });
        } catch (e) {
          return Response.json({ name: e.name, code: e.code, path: e.path, isError: e instanceof Error }, { status: 422 });
        }
      },
    };`);
  writeFileSync(join(project, "wrangler.toml"), 'name = "ledgerbridge-packaging"\nmain = "worker.mjs"\ncompatibility_date = "2026-04-01"\n');
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
  const built = run(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", "out"], { cwd: project, env });
  assert.equal(built.status, 0, built.stdout.toString() + built.stderr);
  assert.ok(readdirSync(join(project, "out")).some((f) => f.endsWith(".wasm")), "wasm bundled as a module");

  const mf = new Miniflare({
    modules: true,
    scriptPath: join(project, "out", "worker.js"),
    modulesRoot: join(project, "out"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
    cf: false,
  });
  try {
    const ok = await mf.dispatchFetch(`http://localhost/?platform=shopify&config=${encodeURIComponent(config)}`, { method: "POST", body: input });
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), want);
    const bad = await mf.dispatchFetch("http://localhost/?platform=shopify", { method: "POST", body: '{"id": 1, "line_items": [{"price": "1,00"}]}' });
    assert.equal(bad.status, 422);
    const err = await bad.json();
    assert.deepEqual([err.name, err.isError], ["LedgerError", true]);
    assert.match(err.code, /^E_/);
  } finally {
    await mf.dispose();
  }
});
