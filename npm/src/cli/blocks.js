// Input as blocks of whole records: the core splits the stream (one JSON document, or JSONL in
// constant memory) and hands each chunk's complete records out as one byte block, so a block, not
// a record, is what crosses into wasm or to a worker thread.
import { RecordSplitter } from "../entrypoints/node.js";

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
