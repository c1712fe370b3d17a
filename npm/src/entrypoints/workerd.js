// Cloudflare Workers (workerd): wrangler and miniflare import a .wasm file as a compiled
// WebAssembly.Module (no fetch, no eval of bytes at runtime, which workerd forbids).
import wasm from "../../dist/ledgerbridge_wasm_bg.wasm";
import { initSync } from "../../dist/ledgerbridge_wasm.js";

initSync({ module: wasm });

export * from "../api.js";
