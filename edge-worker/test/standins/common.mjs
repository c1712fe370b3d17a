// Shared plumbing of the stand-in servers: loopback only, bounded bodies, a script of answers.
import http from "node:http";

export const BODY_MAX = 1 << 20;

/** Starts `handler(req, body)` on 127.0.0.1 at a free port; resolves to {url, server, close()}. */
export async function listen(handler) {
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
