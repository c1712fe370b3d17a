// The hand-written .d.ts files type-check and resolve through the package's exports map.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { NPM, ROOT, run } from "./helpers.mjs";

test("types: documented uses compile under --strict, misuse does not", (t) => {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  if (!existsSync(tsc)) return t.skip("typescript not installed (npm ci)");
  // Resolve `ledgerbridge` through its own package.json, as a consumer would.
  const modules = join(NPM, "test", "types", "node_modules");
  rmSync(modules, { recursive: true, force: true });
  mkdirSync(modules);
  symlinkSync(NPM, join(modules, "ledgerbridge"), "dir");
  try {
    const out = run(process.execPath, [tsc, "-p", join(NPM, "test", "types", "tsconfig.json")]);
    assert.equal(out.status, 0, out.stdout.toString() + out.stderr);
  } finally {
    rmSync(modules, { recursive: true, force: true });
  }
});
