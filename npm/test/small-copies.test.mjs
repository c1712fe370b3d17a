// The speed module's `$small_copy` (scripts/wasm-small-copies.mjs) must move bytes exactly as
// `memory.copy` does, overlapping copies included, and must be the only copy left in the module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FEATURES, SMALL_COPY, rewrite } from "../../scripts/wasm-small-copies.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const BIN = join(ROOT, "node_modules", ".bin");

function tool(name, args) {
  const r = spawnSync(join(BIN, name), args, { encoding: "utf8", maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, `${name}: ${r.stderr}`);
  return r.stdout;
}

/** A module exporting its memory and `copy` = `$small_copy`, assembled by the pinned wasm-as. */
function helperModule() {
  const dir = mkdtempSync(join(tmpdir(), "small-copy-test-"));
  try {
    const wat = `(module (memory (export "memory") 1)${SMALL_COPY} (export "copy" (func $small_copy)))`;
    writeFileSync(join(dir, "m.wat"), wat);
    tool("wasm-as", [...FEATURES, join(dir, "m.wat"), "-o", join(dir, "m.wasm")]);
    return new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(dir, "m.wasm")))).exports;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("$small_copy moves every length to 48 as memmove does, at every overlap", () => {
  const { memory, copy } = helperModule();
  const mem = new Uint8Array(memory.buffer);
  const base = 1000;
  let cases = 0;
  for (let n = 0; n <= 48; n++) {
    // Source fixed; destination from 50 bytes before it to 50 after (overlapping both ways, apart).
    for (let shift = -50; shift <= 50; shift++) {
      for (let i = 0; i < 256; i++) mem[base - 100 + i] = (i * 37 + n) & 0xff;
      const want = mem.slice();
      want.copyWithin(base + shift, base, base + n);
      copy(base + shift, base, n);
      assert.deepEqual(mem.subarray(base - 100, base + 156), want.subarray(base - 100, base + 156), `n=${n} shift=${shift}`);
      cases++;
    }
  }
  assert.equal(cases, 49 * 101);
});

test("rewrite routes each folded memory.copy through $small_copy and refuses any other form", () => {
  const text = "(module\n (func $f\n  (memory.copy\n   (i32.const 1)\n   (i32.const 2)\n   (i32.const 3)\n  )\n )\n)\n";
  const { text: out, count } = rewrite(text);
  assert.equal(count, 1);
  assert.match(out, /\(call \$small_copy\n {3}\(i32\.const 1\)/);
  assert.equal(out.match(/memory\.copy/g).length, 1, "only the helper's own copy");
  assert.throws(() => rewrite("(module (func $f (memory.copy (i32.const 1) (i32.const 2) (i32.const 3))))"), /not rewritten/);
});

test("the shipped speed module copies only through $small_copy", () => {
  const wat = tool("wasm-dis", [...FEATURES, join(ROOT, "npm", "dist", "ledgerbridge_wasm_fast.wasm")]);
  const copies = wat.match(/memory\.copy/g) ?? [];
  // wasm-opt may inline the helper where it is called once; what matters is that no copy is left
  // that does not first test the length (each inlined copy sits behind `i32.gt_u … 32`).
  assert.ok(copies.length >= 1, "the helper's memory.copy");
  const unguarded = wat.split("\n").filter((line, i, lines) => line.includes("memory.copy") && !lines.slice(Math.max(0, i - 6), i).some((l) => l.includes("(i32.const 32)")));
  assert.deepEqual(unguarded, []);
});
