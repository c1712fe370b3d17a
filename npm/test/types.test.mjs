// The package's .d.ts files (hand-written index.d.ts/widget.d.ts over the generated generated.d.ts)
// type-check and resolve through the package's exports map: in a Node project (test/types/) and in
// a browser-only one without @types/node or lib esnext.disposable (test/types-browser/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { NPM, ROOT, run } from "./helpers.mjs";

function compiles(t, project) {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  if (!existsSync(tsc)) return t.skip("typescript not installed (npm ci)");
  // Resolve `ledgerbridge` through its own package.json, as a consumer would.
  const dir = join(NPM, "test", project);
  const modules = join(dir, "node_modules");
  rmSync(modules, { recursive: true, force: true });
  mkdirSync(modules);
  symlinkSync(NPM, join(modules, "ledgerbridge"), "dir");
  try {
    const out = run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")]);
    assert.equal(out.status, 0, out.stdout.toString() + out.stderr);
  } finally {
    rmSync(modules, { recursive: true, force: true });
  }
}

test("types: documented uses compile under --strict, misuse does not", (t) => compiles(t, "types"));

test("types: a browser-only project (no @types/node, no esnext.disposable) compiles", (t) =>
  compiles(t, "types-browser"));
