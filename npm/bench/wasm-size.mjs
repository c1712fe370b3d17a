// Size report for a .wasm: section sizes and the largest functions (by code body bytes), grouped by
// crate when the module still has a `name` section (the cargo output before wasm-opt does).
//   node npm/bench/wasm-size.mjs FILE.wasm [TOP]
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const file = process.argv[2];
const top = Number(process.argv[3] ?? 15);
const bytes = readFileSync(file);

let pos = 8;
function leb() {
  let result = 0, shift = 0, b;
  do { b = bytes[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return result;
}
function name() { const n = leb(); const s = bytes.toString("utf8", pos, pos + n); pos += n; return s; }

const SECTIONS = ["custom", "type", "import", "function", "table", "memory", "global", "export",
  "start", "element", "code", "data", "datacount", "tag"];
const sections = [];
let imported = 0, bodies = [], names = new Map();
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = leb();
  const start = pos, end = pos + size;
  let label = SECTIONS[id] ?? `id ${id}`;
  if (id === 0) {
    label = `custom "${name()}"`;
    if (label === 'custom "name"') {
      while (pos < end) {
        const sub = bytes[pos++], subSize = leb(), subEnd = pos + subSize;
        if (sub === 1) { const n = leb(); for (let i = 0; i < n; i++) { const idx = leb(); names.set(idx, name()); } }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    const n = leb();
    for (let i = 0; i < n; i++) {
      name(); name(); const kind = bytes[pos++];
      if (kind === 0) { leb(); imported++; }
      else if (kind === 1) { pos++; const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 3) { pos += 2; }
      else if (kind === 4) { pos++; leb(); }
    }
  } else if (id === 10) {
    const n = leb();
    for (let i = 0; i < n; i++) { const s = leb(); bodies.push([imported + i, s]); pos += s; }
  }
  sections.push([label, size]);
  pos = end;
}

const gz = gzipSync(bytes, { level: 9 }).length;
console.log(`${file}: ${bytes.length} bytes raw, ${gz} bytes gzip -9`);
for (const [label, size] of sections.sort((a, b) => b[1] - a[1])) {
  console.log(`  ${String(size).padStart(9)}  ${(100 * size / bytes.length).toFixed(1).padStart(5)} %  ${label}`);
}
if (names.size) {
  // Crate of a demangled-ish symbol: the first path segment that looks like a crate name.
  const crateOf = (n) => {
    // Itanium-mangled Rust (`_ZN17ledgerbridge_core6engine...`): the first path segment, or for
    // `<T as Trait>` impls (`_ZN98_$LT$$RF$mut$u20$serde_json..de...`) the first crate inside.
    const m = n.match(/^_ZN\d+(.*)$/);
    if (!m) return n.startsWith("__wbg") || n.startsWith("__wbindgen") ? "wasm-bindgen glue" : "?";
    const seg = m[1];
    if (!seg.startsWith("_$LT$")) return seg.match(/^[A-Za-z0-9_]+?(?=\d|$)/)?.[0] ?? "?";
    return seg.match(/([a-z][a-z0-9_]*)\.\./)?.[1] ?? "?";
  };
  const byCrate = new Map();
  for (const [idx, size] of bodies) {
    const c = crateOf(names.get(idx) ?? "?");
    byCrate.set(c, (byCrate.get(c) ?? 0) + size);
  }
  const codeTotal = bodies.reduce((a, [, s]) => a + s, 0);
  console.log(`code by crate (of ${codeTotal} bytes in ${bodies.length} functions):`);
  for (const [c, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${String(size).padStart(9)}  ${(100 * size / codeTotal).toFixed(1).padStart(5)} %  ${c}`);
  }
  console.log(`largest functions:`);
  for (const [idx, size] of bodies.sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${String(size).padStart(9)}  ${(names.get(idx) ?? `func[${idx}]`).slice(0, 110)}`);
  }
  // A generic function has one copy per type it is used with, told apart only by the hash at the
  // end of the symbol; summed over copies, serde_json's `deserialize_struct` (one per derived
  // struct) is the largest item of both modules.
  const generic = new Map();
  for (const [idx, size] of bodies) {
    const n = (names.get(idx) ?? "?").replace(/(::h[0-9a-f]{16}|17h[0-9a-f]{16}E)$/, "");
    const [count, total] = generic.get(n) ?? [0, 0];
    generic.set(n, [count + 1, total + size]);
  }
  console.log(`largest functions, copies of a generic summed (copies × … = bytes):`);
  for (const [n, [count, total]] of [...generic].sort((a, b) => b[1][1] - a[1][1]).slice(0, top)) {
    console.log(`  ${String(total).padStart(9)}  ${String(count).padStart(4)} × ${n.slice(0, 120)}`);
  }
}

// `--tsv=FILE` (after TOP): every function as `bytes<TAB>symbol`, for grouping copies by the type
// they are instantiated for. Legacy symbols carry only a hash; v0 ones name the type arguments:
//   CARGO_TARGET_DIR=/tmp/v0 RUSTFLAGS=-Csymbol-mangling-version=v0 \
//     cargo build --release --lib --target wasm32-unknown-unknown -p ledgerbridge-worker
//   node npm/bench/wasm-size.mjs /tmp/v0/wasm32-unknown-unknown/release/ledgerbridge_worker.wasm 0 --tsv=f.tsv
//   paste <(cut -f1 f.tsv) <(cut -f2 f.tsv | c++filt) | grep -F 'SliceRead' | awk '{s+=$1} END {print s}'
const tsv = process.argv.find((a) => a.startsWith("--tsv="));
if (tsv) {
  const lines = bodies.map(([idx, size]) => `${size}\t${names.get(idx) ?? `func[${idx}]`}\n`);
  writeFileSync(tsv.slice("--tsv=".length), lines.join(""));
}
