//! The core's record splitting for streamed input (the npm CLI): chunks of bytes in, payloads out.

use js_sys::{Array, Uint8Array};
use ledgerbridge_core::records::RecordSplitter as CoreSplitter;
use wasm_bindgen::prelude::*;

/// Splits a byte stream into payloads as the native CLI does (one JSON document, or JSONL), one
/// chunk at a time; JSONL is never held whole. Each record is a fresh `Uint8Array`, so it stays
/// valid after the next `push`.
#[wasm_bindgen]
#[derive(Default)]
pub struct RecordSplitter(CoreSplitter);

#[wasm_bindgen]
impl RecordSplitter {
    #[wasm_bindgen(constructor)]
    pub fn new() -> RecordSplitter {
        RecordSplitter::default()
    }

    /// The next chunk of input; returns the records it completes.
    pub fn push(&mut self, chunk: &[u8]) -> Array {
        to_js(self.0.push(chunk))
    }

    /// The end of input; returns the records still held.
    pub fn finish(&mut self) -> Array {
        to_js(self.0.finish())
    }
}

fn to_js(records: Vec<&[u8]>) -> Array {
    records.into_iter().map(Uint8Array::from).collect()
}
