// scripts/wasm-small-copies.mjs IN.wasm OUT.wasm — every `memory.copy` of a module becomes a call
// to `$small_copy`, which moves 32 bytes or fewer with loads and stores in wasm and hands longer
// copies to `memory.copy`.
//
// Why: Node 20's V8 compiles `memory.copy` to a call out of wasm into C++ (memory_copy_wrapper →
// memmove), about 90 instructions whatever the length, and the core's copies are mostly short
// (a key, an account name, an amount pushed into a String). On the CLI's 2 KB Shopify orders
// that is about 116 copies an order. Done in wasm (with the same session's skip of integers),
// an order costs 2 % fewer instructions in optimised code and 3-7 % fewer while Node still runs
// Liftoff code (npm/bench/chunk-cost.mjs under callgrind, README "Numbers", CLI row); copies up
// to 64 bytes in wasm measured no better. scripts/build-npm runs this on the speed module
// (Node's) only, before wasm-opt -O3: browsers and Workers run other engines' versions.
//
// Same semantics as `memory.copy` for in-bounds copies, overlapping ones included (memmove): every
// byte is loaded before any is stored. npm/test/small-copies.test.mjs checks every length to 48
// and every overlap against `copyWithin`, and that the shipped speed module has no other
// `memory.copy`. Uses the pinned binaryen's wasm-dis/wasm-as (the text format is that version's).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".bin");
/** The features build-npm enables for the speed module (scripts/build-npm: OPT_FLAGS + SIMD). */
export const FEATURES = [
  "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-reference-types", "--enable-multivalue", "--enable-mutable-globals", "--enable-simd",
];

/** `(func $small_copy (param dst src len))`: memmove for len ≤ 32 in wasm, `memory.copy` above. */
export const SMALL_COPY = String.raw`
 (func $small_copy (param $d i32) (param $s i32) (param $n i32)
  (local $a i64) (local $b i64) (local $c i64) (local $e i64) (local $x i32) (local $y i32) (local $z i32)
  (if (i32.gt_u (local.get $n) (i32.const 32))
   (then (memory.copy (local.get $d) (local.get $s) (local.get $n)) (return)))
  (if (i32.ge_u (local.get $n) (i32.const 16))
   (then
    (local.set $a (i64.load align=1 (local.get $s)))
    (local.set $b (i64.load offset=8 align=1 (local.get $s)))
    (local.set $c (i64.load align=1 (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 16))))
    (local.set $e (i64.load align=1 (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 8))))
    (i64.store align=1 (local.get $d) (local.get $a))
    (i64.store offset=8 align=1 (local.get $d) (local.get $b))
    (i64.store align=1 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 16)) (local.get $c))
    (i64.store align=1 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 8)) (local.get $e))
    (return)))
  (if (i32.ge_u (local.get $n) (i32.const 8))
   (then
    (local.set $a (i64.load align=1 (local.get $s)))
    (local.set $e (i64.load align=1 (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 8))))
    (i64.store align=1 (local.get $d) (local.get $a))
    (i64.store align=1 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 8)) (local.get $e))
    (return)))
  (if (i32.ge_u (local.get $n) (i32.const 4))
   (then
    (local.set $x (i32.load align=1 (local.get $s)))
    (local.set $y (i32.load align=1 (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 4))))
    (i32.store align=1 (local.get $d) (local.get $x))
    (i32.store align=1 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 4)) (local.get $y))
    (return)))
  (if (local.get $n)
   (then
    (local.set $x (i32.load8_u (local.get $s)))
    (local.set $y (i32.load8_u (i32.add (local.get $s) (i32.shr_u (local.get $n) (i32.const 1)))))
    (local.set $z (i32.load8_u (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 1))))
    (i32.store8 (local.get $d) (local.get $x))
    (i32.store8 (i32.add (local.get $d) (i32.shr_u (local.get $n) (i32.const 1))) (local.get $y))
    (i32.store8 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 1)) (local.get $z)))))
`;

function run(tool, args, options = {}) {
  const r = spawnSync(join(BIN, tool), args, { encoding: "utf8", maxBuffer: 1 << 30, ...options });
  if (r.status !== 0) throw new Error(`wasm-small-copies: ${tool} failed: ${r.stderr || r.error}`);
  return r.stdout;
}

/** The module text of `input` with its copies routed through `$small_copy`; how many there were. */
export function rewrite(text) {
  // wasm-dis prints a copy folded, its operands on the lines after: `(memory.copy` ends the line.
  // A copy printed any other way would be left behind; the count check below refuses that.
  let count = 0;
  const out = text.replace(/\(memory\.copy$/gm, () => {
    count++;
    return "(call $small_copy";
  });
  if (/memory\.copy/.test(out)) throw new Error("wasm-small-copies: a memory.copy in a form not rewritten");
  if (/\$small_copy \(/.test(text)) throw new Error("wasm-small-copies: the module already has $small_copy");
  const end = out.trimEnd();
  if (!end.endsWith(")")) throw new Error("wasm-small-copies: unexpected module text");
  return { text: `${end.slice(0, -1)}${SMALL_COPY})\n`, count };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error("usage: wasm-small-copies.mjs IN.wasm OUT.wasm");
  const dir = mkdtempSync(join(tmpdir(), "small-copies-"));
  try {
    const { text, count } = rewrite(run("wasm-dis", [...FEATURES, input]));
    writeFileSync(join(dir, "m.wat"), text);
    run("wasm-as", [...FEATURES, join(dir, "m.wat"), "-o", output]);
    console.log(`wasm-small-copies: ${count} memory.copy → $small_copy`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
