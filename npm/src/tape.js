// A mapper's output as the core leaves it in wasm memory (plugin-wasm/src/tape.rs): a head of four
// u32 (text address, text bytes, fields address, Latin-1 or UTF-8), the text, and for the tape
// one u32 per field in a fixed order: a string's length in UTF-16 units, or a list's count.
// Slicing the strings out of one decoded text and building object literals is several times
// faster than JSON.parse of the JSON text (README "Numbers"), and twice as fast as `split` on
// separators. The keys are written in the JSON text's order and empty `links`/`unbooked`/`rejected`
// are left out, so JSON.stringify of the result is that text.

let buffer = null;
let u8 = null;
let u32 = null;
const utf8 = new TextDecoder();
let latin1 = null;

/** Gives the core a Latin-1 decoder `(bytes, start, end) => string`, so outputs whose characters are
 * all below U+0100 come out one byte a character (tape.rs says why). Node's entrypoint sets one. */
export function useLatin1(decode) {
  latin1 = decode;
}

/** Whether the core may hand its output over in Latin-1. */
export function hasLatin1() {
  return latin1 !== null;
}

/** The text of the output whose head is at `at` (the JSON text, or the tape's strings). */
export function outText(memory, at) {
  // Memory growth detaches the old buffer: take new views then.
  if (memory.buffer !== buffer) {
    buffer = memory.buffer;
    u8 = new Uint8Array(buffer);
    u32 = new Uint32Array(buffer);
  }
  const h = at >>> 2;
  const start = u32[h];
  const end = start + u32[h + 1];
  return u32[h + 3] === 1 ? latin1(u8, start, end) : utf8.decode(u8.subarray(start, end));
}

/** mapEvent's objects from the tape whose head is at `at`. */
export function fromTape(memory, at) {
  const t = new Fields(outText(memory, at), u32, u32[(at >>> 2) + 2] >>> 2);
  const entries = new Array(t.n());
  for (let k = 0; k < entries.length; k++) {
    const e = {
      id: t.s(),
      date: t.s(),
      currency: t.s(),
      memo: t.s(),
      source: source(t),
      lines: new Array(t.n()),
    };
    const lines = e.lines;
    for (let j = 0; j < lines.length; j++) {
      lines[j] = { account: t.s(), debit: t.s(), credit: t.s(), why: t.s() };
    }
    const links = t.n();
    if (links > 0) {
      e.links = new Array(links);
      for (let j = 0; j < links; j++) e.links[j] = t.s();
    }
    entries[k] = e;
  }
  const warnings = new Array(t.n());
  for (let k = 0; k < warnings.length; k++) warnings[k] = { code: t.s(), path: t.s(), message: t.s() };
  const mapped = {
    entries,
    warnings,
    profit: {
      currency: t.s(), revenue: t.s(), discounts: t.s(), refunds: t.s(), fees: t.s(), cogs: t.s(), margin: t.s(),
    },
  };
  const unbooked = t.n();
  if (unbooked > 0) {
    mapped.unbooked = new Array(unbooked);
    for (let k = 0; k < unbooked; k++) mapped.unbooked[k] = { source: source(t), date: t.s() };
  }
  const rejected = t.n();
  if (rejected > 0) {
    mapped.rejected = new Array(rejected);
    for (let k = 0; k < rejected; k++) {
      mapped.rejected[k] = { source: source(t), code: t.s(), path: t.s(), message: t.s() };
    }
  }
  return mapped;
}

function source(t) {
  return { platform: t.s(), shop: t.s(), kind: t.s(), id: t.s(), version: t.s() };
}

// The tape's cursor: `s()` the next string, `n()` the next count.
class Fields {
  constructor(text, fields, at) {
    this.text = text;
    this.fields = fields;
    this.at = at;
    this.end = 0;
  }

  s() {
    const start = this.end;
    this.end = start + this.fields[this.at++];
    return this.text.slice(start, this.end);
  }

  n() {
    return this.fields[this.at++];
  }
}
