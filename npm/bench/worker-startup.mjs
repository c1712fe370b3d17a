// What a Worker's size costs at startup, measured the way V8 pays it before a cold isolate's first
// request: compiling the Worker's wasm (`new WebAssembly.Module`: decoding and validating every
// function, compiling what V8 does not leave for later). In headless Chromium, whose V8 reads the
// wasm features workers-rs emits (exception handling with exnref) that Node 20's does not, for each
// module given, alternating between them, medians of N rounds.
//   node npm/bench/worker-startup.mjs [--rounds N] NAME=FILE.wasm ...
// e.g. intake=edge-worker/build/index_bg.wasm admin=edge-worker/build-admin/index_bg.wasm
// (scripts/build-worker) against a single-Worker build (in edge-worker/: `worker-build --release
// --out-dir /tmp/single`, default features). Load-sensitive: compare within one run only.
import fs from "node:fs";
import zlib from "node:zlib";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
let rounds = 30;
const modules = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--rounds") rounds = Number(args[++i]);
  else {
    const [name, file] = args[i].split("=");
    if (!file) throw new Error(`expected NAME=FILE.wasm, got ${args[i]}`);
    modules.push({ name, bytes: fs.readFileSync(file) });
  }
}
if (modules.length === 0) throw new Error("usage: worker-startup.mjs [--rounds N] NAME=FILE.wasm ...");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  const times = await page.evaluate(
    ({ encoded, rounds }) => {
      const all = encoded.map((b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
      const out = all.map(() => []);
      for (let r = 0; r < rounds + 3; r++) {
        all.forEach((bytes, i) => {
          const t0 = performance.now();
          new WebAssembly.Module(bytes);
          if (r >= 3) out[i].push(performance.now() - t0); // the first rounds warm the compiler itself
        });
      }
      return out;
    },
    { encoded: modules.map((m) => m.bytes.toString("base64")), rounds },
  );
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  modules.forEach((m, i) => {
    const gz = zlib.gzipSync(m.bytes, { level: 9 }).length;
    console.log(`${m.name.padEnd(10)} ${String(m.bytes.length).padStart(9)} B raw ${String(gz).padStart(8)} B gzip  compile median ${median(times[i]).toFixed(2)} ms (${rounds} rounds)`);
  });
} finally {
  await browser.close();
}
