// Node (>= 18): read the .wasm next to the glue and instantiate it synchronously, so the package is
// usable right after `import` with no await. Node gets the speed-optimised module (opt-level 3):
// backfills and servers are CPU-bound, and the bytes come from disk once. It shares its glue and
// its output with the size-optimised module the browser and Worker entrypoints load.
import { readFileSync } from "node:fs";
import { initSync } from "../../dist/ledgerbridge_wasm.js";
import { useLatin1 } from "../tape.js";

initSync({ module: readFileSync(new URL("../../dist/ledgerbridge_wasm_fast.wasm", import.meta.url)) });
// Outputs come out of wasm memory in Latin-1 when they can (plugin-wasm/src/tape.rs): a Buffer
// over those bytes copies them into a string without decoding.
useLatin1((bytes, start, end) => Buffer.from(bytes.buffer, start, end - start).toString("latin1"));

export * from "../api.js";
