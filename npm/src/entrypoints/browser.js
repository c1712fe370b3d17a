// Browsers and bundlers: fetch + compile the .wasm once, at import (top-level await). The
// `new URL(..., import.meta.url)` form is what Vite, webpack 5, Rollup and Parcel recognise as an
// asset reference, and what a plain `<script type="module">` resolves next to this file.
import init from "../../dist/ledgerbridge_wasm.js";

await init({ module_or_path: new URL("../../dist/ledgerbridge_wasm_bg.wasm", import.meta.url) });

export * from "../api.js";
