// mapEvent's objects from the core's tape (plugin-wasm/src/tape.rs): the map output's strings in a
// fixed order, each followed by "\x01", counts before lists. `split` and object literals build
// the objects several times faster than JSON.parse of the JSON text (README "Numbers"). The keys
// are written in the JSON text's order and empty `links`/`unbooked`/`rejected` are left out, so
// JSON.stringify of the result is that text. A tape starts with a digit; when a string held the
// separator the core sends the JSON text instead, which starts with "{".
export function fromTape(text) {
  if (text.charCodeAt(0) === 123) return JSON.parse(text);
  const f = text.split("\x01");
  let i = 0;
  const entries = new Array(+f[i++]);
  for (let k = 0; k < entries.length; k++) {
    const e = {
      id: f[i++],
      date: f[i++],
      currency: f[i++],
      memo: f[i++],
      source: { platform: f[i++], shop: f[i++], kind: f[i++], id: f[i++], version: f[i++] },
      lines: new Array(+f[i++]),
    };
    const lines = e.lines;
    for (let j = 0; j < lines.length; j++) {
      lines[j] = { account: f[i++], debit: f[i++], credit: f[i++], why: f[i++] };
    }
    const links = +f[i++];
    if (links > 0) e.links = f.slice(i, (i += links));
    entries[k] = e;
  }
  const warnings = new Array(+f[i++]);
  for (let k = 0; k < warnings.length; k++) warnings[k] = { code: f[i++], path: f[i++], message: f[i++] };
  const mapped = {
    entries,
    warnings,
    profit: {
      currency: f[i++], revenue: f[i++], discounts: f[i++], refunds: f[i++], fees: f[i++], cogs: f[i++], margin: f[i++],
    },
  };
  const unbooked = +f[i++];
  if (unbooked > 0) {
    mapped.unbooked = new Array(unbooked);
    for (let k = 0; k < unbooked; k++) {
      mapped.unbooked[k] = { source: source(f, i), date: f[i + 5] };
      i += 6;
    }
  }
  const rejected = +f[i++];
  if (rejected > 0) {
    mapped.rejected = new Array(rejected);
    for (let k = 0; k < rejected; k++) {
      mapped.rejected[k] = { source: source(f, i), code: f[i + 5], path: f[i + 6], message: f[i + 7] };
      i += 8;
    }
  }
  return mapped;
}

function source(f, i) {
  return { platform: f[i], shop: f[i + 1], kind: f[i + 2], id: f[i + 3], version: f[i + 4] };
}
