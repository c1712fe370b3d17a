// Splits an input stream into records the way the native `map` example does: the whole input when
// it is one JSON document (pretty-printed or not), else one record per non-blank line (JSONL).
// JSONL is recognised from its first non-blank line, so a 100 000-line file streams in constant
// memory; only a multi-line single document is buffered whole.

const NEWLINE = 0x0a;
// Rust's `u8::is_ascii_whitespace`: space, \t, \n, \x0C, \r (the native example's blank-line test).
const isBlankByte = (b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d;

function isBlank(bytes) {
  for (let i = 0; i < bytes.length; i++) if (!isBlankByte(bytes[i])) return false;
  return true;
}

function isJsonDocument(bytes) {
  try {
    JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return true;
  } catch {
    return false;
  }
}

/** Non-blank lines of `bytes` (no trailing newline), as subarrays. */
function* lines(bytes) {
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    const line = bytes.subarray(start, end);
    if (!isBlank(line)) yield line;
    start = end + 1;
  }
}

/**
 * Yields each record of `chunks` (an async iterable of Uint8Array) as a Uint8Array, with
 * `onBytes(n)` called as input is consumed (for progress).
 */
export async function* records(chunks, onBytes = () => {}) {
  let pending = new Uint8Array(0);
  let mode = "detect"; // then "lines" (JSONL) or "document" (buffer to the end)
  const buffered = [];

  for await (const chunk of chunks) {
    onBytes(chunk.length);
    if (mode === "document") {
      buffered.push(chunk);
      continue;
    }
    let bytes = pending.length ? concat([pending, chunk]) : chunk;
    if (mode === "detect") {
      const first = firstLine(bytes);
      if (first === null) {
        pending = bytes; // the first non-blank line is not complete yet
        continue;
      }
      mode = isJsonDocument(first) ? "lines" : "document";
      if (mode === "document") {
        buffered.push(bytes);
        pending = new Uint8Array(0);
        continue;
      }
    }
    const last = bytes.lastIndexOf(NEWLINE);
    if (last === -1) {
      pending = bytes;
      continue;
    }
    yield* lines(bytes.subarray(0, last));
    pending = bytes.slice(last + 1); // copy: the chunk's buffer may be reused by the stream
  }

  if (mode === "lines") {
    if (!isBlank(pending)) yield pending;
    return;
  }
  const all = mode === "document" ? concat(buffered) : pending;
  if (isBlank(all)) return;
  if (isJsonDocument(all)) {
    yield all;
  } else {
    yield* lines(all);
  }
}

/** The first non-blank line of `bytes` if a newline ends it, else null. */
function firstLine(bytes) {
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) return null;
    const line = bytes.subarray(start, end);
    if (!isBlank(line)) return line;
    start = end + 1;
  }
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
