// Input as blocks of whole records: the core splits the stream (one JSON document, or JSONL in
// constant memory) and hands each chunk's complete records out as one byte block, so a block, not
// a record, is what crosses into wasm or to a worker thread.
import { RecordSplitter } from "../entrypoints/node.js";
import { describe } from "./describe.js";

/** Yields `{ bytes, whole }` blocks of a byte stream; `onBytes(n)` as input is consumed. */
export async function* blocks(chunks, onBytes = () => {}) {
  const splitter = new RecordSplitter();
  try {
    for await (const chunk of chunks) {
      onBytes(chunk.length);
      const bytes = splitter.pushBlock(chunk);
      if (bytes.length) yield { bytes, whole: splitter.whole };
    }
    const bytes = splitter.finishBlock();
    if (bytes.length) yield { bytes, whole: splitter.whole };
  } finally {
    splitter.free();
  }
}

/**
 * One block mapped to `{ out, count, failures }`: the Mapped JSON lines of its records, how many
 * records it held, and `{ record, text }` for each that failed (its number in the block from 1,
 * the error as stderr names it). Plain data, so a worker thread can post it back.
 */
export function mapBlock(mapper, bytes, whole) {
  const out = mapper.mapRecords(bytes, whole);
  return { out, count: mapper.blockRecords(), failures: failuresOf(mapper) };
}

/** `keepRecords` of one block: `{ count, failures }` as `mapBlock` gives them. */
export function keepBlock(mapper, bytes, whole) {
  const count = mapper.keepRecords(bytes, whole);
  return { count, failures: failuresOf(mapper) };
}

function failuresOf(mapper) {
  return Array.from(mapper.failures(), (e) => ({ record: e.record, text: describe(e) }));
}
