//! wasm-bindgen face of ledgerbridge-core (built out in the wasm/npm issue).
