// One block of records through a Mapper, as plain data: the main thread and the worker threads of
// `ledgerbridge map --jobs N` both call these, so a result reads the same wherever it was mapped.
import { RecordSplitter } from "../entrypoints/node.js";
import { describe } from "./describe.js";

/**
 * One block mapped to `{ out, count, failures }`: the Mapped JSON lines of its records, how many
 * records it held, and `{ record, text }` for each that failed (its number in the block from 1,
 * the error as stderr names it). Plain data, so a worker thread can post it back.
 */
export function mapBlock(mapper, bytes, whole) {
  return mapped(mapper, mapper.mapRecords(bytes, whole));
}

/**
 * `mapBlock`'s results for a byte stream, each chunk split and mapped in one call into wasm
 * (`mapChunk`): its records are mapped where the splitter holds them instead of crossing out to
 * JS as a block and back in. `onBytes(n)` as input is consumed.
 */
export async function* mapChunks(mapper, chunks, onBytes = () => {}) {
  const splitter = new RecordSplitter();
  try {
    for await (const chunk of chunks) {
      onBytes(chunk.length);
      yield mapped(mapper, mapper.mapChunk(splitter, chunk));
    }
    yield mapped(mapper, mapper.mapRest(splitter));
  } finally {
    splitter.free();
  }
}

function mapped(mapper, out) {
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
