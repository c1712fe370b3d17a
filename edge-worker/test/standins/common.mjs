// Shared plumbing of the stand-in servers: loopback only, bounded bodies, a script of answers.
import http from "node:http";

export const BODY_MAX = 1 << 20;

/** Starts `handler(req, body)` on 127.0.0.1 at a free port; resolves to {url, server, close()}. */
export async function listen(handler) {
  const requests = []; // every request as received, for tests that inspect what left the worker
  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > BODY_MAX) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", async () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      try {
        await handler(req, Buffer.concat(chunks), res);
      } catch (e) {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(e?.stack ?? e));
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

export function json(res, status, body, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Scripted faults, consumed in order per route: each item is
 * {status, headers?, body?} (answer without acting), or {acceptThenHang: ms} (act, then answer
 * only after `ms`: the caller's timeout fires after the target accepted).
 */
export class Script {
  constructor() { this.steps = []; }
  push(...steps) { this.steps.push(...steps); }
  next() { return this.steps.shift(); }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Seeded random faults for soak runs: each call fails with a 5xx (`error`), a 429 with Retry-After
 * (`throttle`), or is accepted and answered only after `hangMs` (`hang`, longer than the worker's
 * timeout). The kinds in `first` come first, in order, so a short run still sees each of them. A
 * key that has failed `maxRun` times in a row passes, so the retry tail (and the test's run time)
 * stays bounded and no posting reaches the retry limit by bad luck alone.
 */
export class Faults {
  constructor({ rnd, error = 0, throttle = 0, hang = 0, hangMs = 0, retryAfter = [1, 2], maxRun = 3, first = [] }) {
    Object.assign(this, { rnd, error, throttle, hang, hangMs, retryAfter, maxRun, first: [...first] });
    this.run = new Map(); // key -> consecutive faults
    this.counts = { error: 0, throttle: 0, hang: 0 };
  }

  /** The fault for this call of `key`, or undefined. */
  pick(key) {
    const run = this.run.get(key) ?? 0;
    const forced = run < this.maxRun ? this.first.shift() : undefined;
    const r = forced ? { error: 0, throttle: this.error, hang: this.error + this.throttle }[forced] : this.rnd();
    let fault;
    if (run < this.maxRun) {
      if (r < this.error) fault = { status: [500, 502, 503][Math.floor(this.rnd() * 3)], kind: "error" };
      else if (r < this.error + this.throttle) {
        const [lo, hi] = this.retryAfter;
        fault = { status: 429, headers: { "retry-after": String(lo + Math.floor(this.rnd() * (hi - lo + 1))) }, kind: "throttle" };
      } else if (r < this.error + this.throttle + this.hang) fault = { acceptThenHang: this.hangMs, kind: "hang" };
    }
    this.run.set(key, fault ? run + 1 : 0);
    if (fault) this.counts[fault.kind] += 1;
    return fault;
  }
}

/** Most calls in one UTC minute (fixed windows, as the worker budgets) and in any rolling 60 s. */
export function perMinute(times) {
  const fixed = new Map();
  for (const t of times) fixed.set(Math.floor(t / 60_000), (fixed.get(Math.floor(t / 60_000)) ?? 0) + 1);
  const sorted = [...times].sort((a, b) => a - b);
  let rolling = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 60_000) j++;
    rolling = Math.max(rolling, i - j + 1);
  }
  return { fixed: Math.max(0, ...fixed.values()), rolling };
}
