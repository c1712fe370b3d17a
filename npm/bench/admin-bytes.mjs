// What the worker's /admin page downloads (a number to report, not a test): starts the worker on
// workerd (edge-worker/test/helpers.mjs), stores one Shopify order, opens /admin in Chromium, loads
// the ledger and the order's preview (both `<ledger-preview>` widgets fed by the API), and sums the
// bodies of every response, raw and gzip -9, by kind. Needs the worker built and its assets
// (scripts/worker-assets), as stage 70 leaves them.
//
//   node npm/bench/admin-bytes.mjs
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { API_KEY, fixture, fixtureConfig, idle, sendShopify, startWorker, waitFor } from "../../edge-worker/test/helpers.mjs";

const SHOP = "demo.myshopify.com";
const CASE = "partial-refund-restock";
const mf = await startWorker({ shops: { [SHOP]: { mapping_toml: fixtureConfig(CASE, SHOP) } }, options: { host: "127.0.0.1", port: 0 } });
const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "ledgerbridge-admin-bytes-"));
let context;
try {
  const base = (await mf.ready).href.replace(/\/$/, "");
  await sendShopify(mf, fixture(CASE), { shop: SHOP, topic: "orders/updated" });
  await waitFor("mapped", () => idle(mf));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const bodies = [];
  page.on("response", (r) => bodies.push(r.body().then((b) => ({ url: new URL(r.url()).pathname, b }), () => null)));
  await page.goto(`${base}/admin`);
  await page.fill("#key", API_KEY);
  await page.click("#load");
  await page.waitForFunction(() => document.querySelector("#entries ledger-preview")?.shadowRoot?.querySelector("table.entry"));
  await page.locator("#orders button.link").first().click();
  await page.waitForFunction(() => document.querySelectorAll("ledger-preview").length >= 2 &&
    [...document.querySelectorAll("ledger-preview")].every((w) => w.shadowRoot.querySelector("table.entry")));
  await page.waitForTimeout(500); // a late import would show up here
  const kinds = new Map();
  for (const r of (await Promise.all(bodies)).filter(Boolean)) {
    const kind = r.url.endsWith(".wasm") ? "wasm" : r.url.endsWith(".js") ? "js" : r.url.startsWith("/api/") ? "api" : "page";
    const k = kinds.get(kind) ?? { n: 0, raw: 0, gz: 0 };
    k.n += 1;
    k.raw += r.b.length;
    k.gz += gzipSync(r.b, { level: 9 }).length;
    kinds.set(kind, k);
  }
  let raw = 0;
  let gz = 0;
  for (const [kind, k] of kinds) {
    console.log(`${kind.padEnd(5)} ${String(k.n).padStart(3)} responses ${String(k.raw).padStart(9)} B raw ${String(k.gz).padStart(8)} B gzip -9`);
    raw += k.raw;
    gz += k.gz;
  }
  console.log(`total             ${String(raw).padStart(9)} B raw ${String(gz).padStart(8)} B gzip -9`);
} finally {
  await context?.close();
  fs.rmSync(profileDir, { recursive: true, force: true });
  await mf.dispose();
}
