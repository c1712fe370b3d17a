//! The core's record splitting for streamed input (the npm CLI): chunks of bytes in, payloads out,
//! and the `Mapper`'s batch calls that map a whole block of them per JS↔wasm crossing.

use crate::error::to_js;
use crate::Mapper;
use js_sys::{Array, Uint8Array};
use ledgerbridge_core::json::write::WriteJson;
use ledgerbridge_core::records::{block_records, Block, RecordSplitter as CoreSplitter};
use ledgerbridge_core::{LedgerError, Mapped};
use wasm_bindgen::prelude::*;

/// Splits a byte stream into payloads as the native CLI does (one JSON document, or JSONL), one
/// chunk at a time; JSONL is never held whole. Each record is a fresh `Uint8Array`, so it stays
/// valid after the next `push`.
#[wasm_bindgen]
#[derive(Default)]
pub struct RecordSplitter {
    inner: CoreSplitter,
    whole: bool,
}

#[wasm_bindgen]
impl RecordSplitter {
    #[wasm_bindgen(constructor)]
    pub fn new() -> RecordSplitter {
        RecordSplitter::default()
    }

    /// The next chunk of input; returns the records it completes.
    pub fn push(&mut self, chunk: &[u8]) -> Array {
        to_array(self.inner.push(chunk))
    }

    /// The end of input; returns the records still held.
    pub fn finish(&mut self) -> Array {
        to_array(self.inner.finish())
    }

    /// As `push`, the records it completes as one block of bytes for `Mapper.mapRecords` (empty
    /// when none): one copy out of wasm per chunk instead of one per record.
    #[wasm_bindgen(js_name = pushBlock)]
    pub fn push_block(&mut self, chunk: &[u8]) -> Uint8Array {
        let block = self.inner.push_block(chunk);
        self.whole = block.whole;
        Uint8Array::from(block.bytes)
    }

    /// As `finish`, the records still held as one block.
    #[wasm_bindgen(js_name = finishBlock)]
    pub fn finish_block(&mut self) -> Uint8Array {
        let block = self.inner.finish_block();
        self.whole = block.whole;
        Uint8Array::from(block.bytes)
    }

    /// Whether the last block is to be split as a whole input (`whole` of `mapRecords`).
    #[wasm_bindgen(getter)]
    pub fn whole(&self) -> bool {
        self.whole
    }
}

fn to_array(records: Vec<&[u8]>) -> Array {
    records.into_iter().map(Uint8Array::from).collect()
}

#[wasm_bindgen]
impl Mapper {
    /// Maps every record of a block (`RecordSplitter.pushBlock`/`finishBlock`, with its `whole`)
    /// and returns their compact `Mapped` JSON, one line each, in order: the bytes `mapBytes` and a
    /// newline give per record. A record that fails adds nothing and is listed by `failures`.
    #[wasm_bindgen(js_name = mapRecords)]
    pub fn map_records(&mut self, block: &[u8], whole: bool) -> Vec<u8> {
        self.map_block(Block {
            bytes: block,
            whole,
        })
    }

    /// `RecordSplitter.pushBlock` and `mapRecords` in one crossing: the records the chunk
    /// completes are mapped where the splitter holds them, never copied out to JS and back in.
    #[wasm_bindgen(js_name = mapChunk)]
    pub fn map_chunk(&mut self, splitter: &mut RecordSplitter, chunk: &[u8]) -> Vec<u8> {
        let block = splitter.inner.push_block(chunk);
        splitter.whole = block.whole;
        self.map_block(block)
    }

    /// As `mapChunk` for the end of input: `finishBlock` and `mapRecords` in one crossing.
    #[wasm_bindgen(js_name = mapRest)]
    pub fn map_rest(&mut self, splitter: &mut RecordSplitter) -> Vec<u8> {
        let block = splitter.inner.finish_block();
        splitter.whole = block.whole;
        self.map_block(block)
    }

    /// Maps every record of a block and keeps its entries, as `keep` does per record; returns how
    /// many records the block held. Failed records are listed by `failures`.
    #[wasm_bindgen(js_name = keepRecords)]
    pub fn keep_records(&mut self, block: &[u8], whole: bool) -> u32 {
        self.each_record(
            Block {
                bytes: block,
                whole,
            },
            |mapper, mapped| {
                mapper.kept.extend(mapped.entries);
                Ok(())
            },
        )
    }

    /// The failed records of the last `mapRecords`/`keepRecords`, in order: `LedgerError`s as
    /// thrown elsewhere, each with `record`, its number in that block counted from 1.
    pub fn failures(&self) -> Array {
        self.failures
            .iter()
            .map(|(record, error)| {
                let js = to_js(error);
                // Reflect::set only fails on frozen or proxied targets; a fresh Error is neither.
                let _ = js_sys::Reflect::set(&js, &"record".into(), &(*record).into());
                js
            })
            .collect()
    }

    /// How many records the last `mapRecords` block held (mapped or failed).
    #[wasm_bindgen(js_name = blockRecords)]
    pub fn block_records(&self) -> u32 {
        self.block_count
    }

    fn map_block(&mut self, block: Block<'_>) -> Vec<u8> {
        // Mapped JSON is about a third of the payload's size on the Shopify fixtures.
        let mut out = String::with_capacity(block.bytes.len() / 2);
        self.each_record(block, |_, mapped| {
            mapped.write_json(&mut out);
            out.push('\n');
            Ok(())
        });
        out.into_bytes()
    }

    fn each_record(
        &mut self,
        block: Block<'_>,
        mut sink: impl FnMut(&mut Mapper, Mapped) -> Result<(), LedgerError>,
    ) -> u32 {
        self.failures.clear();
        let mut count = 0u32;
        for record in block_records(block.bytes, block.whole) {
            count = count.saturating_add(1);
            let done = self.map_one(record).and_then(|mapped| sink(self, mapped));
            if let Err(error) = done {
                self.failures.push((count, error));
            }
        }
        self.block_count = count;
        count
    }
}
