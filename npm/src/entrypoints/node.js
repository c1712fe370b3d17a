// Node (>= 18): read the .wasm next to the glue and instantiate it synchronously, so the package is
// usable right after `import` with no await.
import { readFileSync } from "node:fs";
import { initSync } from "../../dist/ledgerbridge_wasm.js";

initSync({ module: readFileSync(new URL("../../dist/ledgerbridge_wasm_bg.wasm", import.meta.url)) });

export * from "../api.js";
