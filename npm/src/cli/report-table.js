// Flattens a report document into rows for CSV and the terminal table. The JSON is the report;
// these are views of it: one row per innermost record, carrying its parents' plain fields
// (period, currency, account...), each figure shown by its amount (the entry ids stay in the JSON).
// A `section` column names the list a row comes from (`periods.accounts`, `accounts.unsettled`),
// so a spreadsheet can filter one shape at a time.

const isFigure = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.amount === "string" && Array.isArray(v.entries);

function walk(obj, inherited, section, out) {
  // Inherited fields the record has itself give way to its own, in its own order.
  const kept = Object.fromEntries(Object.entries(inherited).filter(([key]) => !(key in obj)));
  const own = { ...kept };
  const plain = { ...kept };
  const children = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key === "kind") continue;
    if (isFigure(value)) own[key] = value.amount;
    else if (Array.isArray(value) && value.some((x) => x !== null && typeof x === "object")) children.push([key, value]);
    else {
      const text = value === null || value === undefined ? "" : Array.isArray(value) ? value.join(" ") : String(value);
      own[key] = text;
      // Lists (`titles`, an empty `unsettled`) stay on their own row; scalars name the children.
      if (!Array.isArray(value)) plain[key] = text;
    }
  }
  const nonEmpty = children.filter(([, list]) => list.length > 0);
  // A record is a row when it is innermost or has figures of its own (a tax period's totals are
  // its own row, not repeated on each account row); its lists' rows inherit only its plain fields.
  if (section !== "" && (nonEmpty.length === 0 || Object.values(obj).some(isFigure))) out.push({ section, ...own });
  for (const [key, list] of nonEmpty) {
    for (const item of list) walk(item, plain, section ? `${section}.${key}` : key, out);
  }
}

/** The report as flat rows `{section, ...}`, in document order. */
export function reportRows(report) {
  const out = [];
  walk(report, {}, "", out);
  return out;
}

function columns(rows) {
  const seen = new Set();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first, other than a number) gets
// a leading apostrophe, the usual CSV-injection guard; then RFC 4180 quoting where needed.
function csvCell(value) {
  let v = String(value);
  if (/^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** RFC 4180 CSV, CRLF line ends, one header row. */
export function reportCsv(report) {
  const rows = reportRows(report);
  const cols = columns(rows);
  const lines = [cols.map(csvCell).join(",")];
  for (const row of rows) lines.push(cols.map((c) => csvCell(row[c] ?? "")).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

const numeric = (v) => /^-?\d+(\.\d+)?$/.test(v);

/** Aligned columns per section, amounts right-aligned, for a terminal. */
export function reportTable(report) {
  const rows = reportRows(report);
  const sections = [...new Set(rows.map((r) => r.section))];
  const blocks = [];
  for (const section of sections) {
    const mine = rows.filter((r) => r.section === section);
    const cols = columns(mine).filter((c) => c !== "section");
    const width = cols.map((c) => Math.max(c.length, ...mine.map((r) => String(r[c] ?? "").length)));
    const line = (cells) => cells.map((v, i) => (numeric(v) ? v.padStart(width[i]) : v.padEnd(width[i]))).join("  ").trimEnd();
    blocks.push([`${report.kind} ${section}`, line(cols), ...mine.map((r) => line(cols.map((c) => String(r[c] ?? ""))))].join("\n"));
  }
  return `${blocks.join("\n\n")}\n`;
}
