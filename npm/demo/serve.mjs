#!/usr/bin/env node
// Tiny static server for the demo and the browser test: serves the repository root (so the page
// can load npm/src, npm/dist and tests/fixtures) with correct MIME types, plus a stand-in for the
// edge worker's preview endpoint:
//   GET /api/preview/<platform>/<fixture case>   Authorization: Bearer demo-token  → Mapped JSON + totals
//
//   node npm/demo/serve.mjs [PORT]      (0 = any free port; prints the URL)
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEMO_TOKEN = "demo-token";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".toml": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".md": "text/plain; charset=utf-8",
};

async function preview(platform, name, req, res) {
  if (req.headers.authorization !== `Bearer ${DEMO_TOKEN}`) {
    return send(res, 401, TYPES[".json"], JSON.stringify({ code: "E_AUTH", path: "", message: "missing or bad session token" }));
  }
  const dir = join(ROOT, "tests", "fixtures", platform, name);
  if (!/^[a-z0-9-]+$/.test(platform + name) || !existsSync(join(dir, "input.json"))) {
    return send(res, 404, TYPES[".json"], JSON.stringify({ code: "E_NOT_FOUND", path: "", message: `no order ${name}` }));
  }
  const { entryTotals, mapEvent } = await import("../src/entrypoints/node.js");
  const config = existsSync(join(dir, "config.toml")) ? readFileSync(join(dir, "config.toml"), "utf8") : undefined;
  try {
    // As the worker answers: the Mapped document plus each entry's totals row from the core.
    const mapped = mapEvent(platform, readFileSync(join(dir, "input.json")), config);
    send(res, 200, TYPES[".json"], JSON.stringify({ ...mapped, totals: entryTotals(mapped.entries) }));
  } catch (e) {
    send(res, 422, TYPES[".json"], JSON.stringify({ code: e.code, path: e.path, message: e.message }));
  }
}

function send(res, status, type, body) {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

export function start(port = 0) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const api = url.pathname.match(/^\/api\/preview\/([^/]+)\/([^/]+)$/);
    if (api) return void preview(api[1], api[2], req, res);
    if (url.pathname === "/") {
      // Redirect, so the page's relative imports (../src/widget/...) resolve under /npm/.
      res.writeHead(302, { location: `/npm/demo/index.html${url.search}` });
      return void res.end();
    }
    const path = decodeURIComponent(url.pathname);
    const file = normalize(join(ROOT, path));
    if (!file.startsWith(ROOT) || file.includes(`${sep}node_modules${sep}`) || !existsSync(file) || !statSync(file).isFile()) {
      return send(res, 404, "text/plain; charset=utf-8", "not found");
    }
    send(res, 200, TYPES[extname(file)] ?? "application/octet-stream", readFileSync(file));
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const server = await start(Number(process.argv[2] ?? 8787));
  console.log(`ledger-preview demo: http://127.0.0.1:${server.address().port}/`);
}
