// Test harness: the built worker on workerd through Miniflare's API (no mocks of the runtime),
// with D1 migrated from migrations/, the postings queue and its dead-letter queue.
import { Miniflare } from "miniflare";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const WORKER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = path.resolve(WORKER_DIR, "..");
export const FIXTURES = path.join(ROOT, "tests/fixtures/shopify");
export const SHOPIFY_SECRET = "shpss_test_current";
export const SHOPIFY_PREVIOUS = "shpss_test_previous";
export const WOO_SECRET = "woo-secret";
export const STRIPE_SECRET = "whsec_stripe_test";
export const WEBHOOK_SECRET = "whsec_" + Buffer.from("webhook-target-key-0123456789").toString("base64");
export const API_KEY = "test-api-key";
export const CLIENT_ID = "test-client-id";
export const ADMIN_ORIGIN = "https://admin.shopify.com";

/**
 * Starts the worker; `shops` is the SHOPS var; `vars` override the other vars/secrets; `options`
 * are further Miniflare options (e.g. `{ port: 0 }` to serve it to a browser).
 */
export async function startWorker({ shops = {}, vars = {}, options = {} } = {}) {
  const mf = new Miniflare({
    ...options,
    modules: true,
    scriptPath: path.join(WORKER_DIR, "build/index.js"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"], fallthrough: true }],
    compatibilityDate: "2026-04-01",
    d1Databases: ["LEDGER"],
    assets: { directory: path.join(WORKER_DIR, "public"), routerConfig: { has_user_worker: true } },
    queueProducers: { POSTINGS: "postings", DEAD_LETTERS: "postings-dlq" },
    queueConsumers: { postings: { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 20, deadLetterQueue: "postings-dlq" } },
    bindings: {
      SHOPS: JSON.stringify(shops),
      ADMIN_ORIGINS: ADMIN_ORIGIN,
      SHOPIFY_CLIENT_ID: CLIENT_ID,
      MAX_BODY_BYTES: "262144",
      RETRY_LIMIT: "4",
      STRIPE_TOLERANCE_S: "300",
      TARGET_TIMEOUT_MS: "1500",
      SWEEP_AFTER_S: "0",
      SHOPIFY_SECRET,
      SHOPIFY_SECRET_PREVIOUS: SHOPIFY_PREVIOUS,
      WOOCOMMERCE_SECRET: WOO_SECRET,
      STRIPE_SECRET,
      WEBHOOK_SECRET,
      ADMIN_API_KEY: API_KEY,
      ...vars,
    },
    cf: false,
  });
  await mf.ready;
  await migrate(await mf.getD1Database("LEDGER"));
  return mf;
}

/** Applies migrations/*.sql in order, statement by statement (as `wrangler d1 migrations apply`). */
export async function migrate(db) {
  const dir = path.join(WORKER_DIR, "migrations");
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    const sql = fs.readFileSync(path.join(dir, file), "utf8").replace(/--.*$/gm, "");
    const statements = sql.split(";").map((s) => s.trim()).filter(Boolean);
    await db.batch(statements.map((s) => db.prepare(s)));
  }
}

export const hmacB64 = (secret, body) => crypto.createHmac("sha256", secret).update(body).digest("base64");

let deliveries = 0;
/** POSTs a Shopify webhook signed with `secret`; returns {status, body}. */
export async function sendShopify(mf, body, { topic = "orders/create", shop = "demo.myshopify.com", secret = SHOPIFY_SECRET,
  webhookId = `wh-${++deliveries}-${crypto.randomUUID()}`, headers = {} } = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const res = await mf.dispatchFetch("http://localhost/webhooks/shopify", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": shop,
      "x-shopify-webhook-id": webhookId,
      ...(secret ? { "x-shopify-hmac-sha256": hmacB64(secret, text) } : {}),
      ...headers,
    },
    body: text,
  });
  return { status: res.status, body: await res.text(), webhookId };
}

/** Polls `fn` until it returns a truthy value (returned) or `ms` pass (throws with `what`). */
export async function waitFor(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export async function rows(mf, sql, ...args) {
  const db = await mf.getD1Database("LEDGER");
  return (await db.prepare(sql).bind(...args).all()).results;
}

/** Outbox rows not yet posted or parked. */
export async function unsettled(mf) {
  return rows(mf, "SELECT entry_id, target, state, attempts, reason FROM outbox WHERE state = 'pending'");
}

export async function idle(mf) {
  const events = await rows(mf, "SELECT id FROM events WHERE status = 'received'");
  return events.length === 0 && (await unsettled(mf)).length === 0;
}

export function fixture(name) {
  return fs.readFileSync(path.join(FIXTURES, name, "input.json"), "utf8");
}

export function fixtureConfig(name, shop) {
  const file = path.join(FIXTURES, name, "config.toml");
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const rest = text.split("\n").filter((l) => !/^\s*shop\s*=/.test(l)).join("\n");
  return `shop = ${JSON.stringify(shop)}\n${rest}`;
}

/** The core's own output for a payload and config: the `map` example (built by scripts/ci/70-worker). */
export function coreMap(payload, configToml) {
  const bin = process.env.LEDGERBRIDGE_MAP_BIN
    ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, "target"), "debug/examples/map");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lb-map-"));
  try {
    fs.writeFileSync(path.join(dir, "config.toml"), configToml);
    fs.writeFileSync(path.join(dir, "input.json"), payload);
    const out = execFileSync(bin, ["--platform", "shopify", "--config", path.join(dir, "config.toml"), path.join(dir, "input.json")]);
    return JSON.parse(out.toString("utf8"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Exact thousandths of a decimal string ("54.13" -> 54130n), no floats. */
export function milli(text) {
  const [int, frac = ""] = String(text).split(".");
  const sign = int.startsWith("-") ? -1n : 1n;
  return sign * (BigInt(int.replace("-", "")) * 1000n + BigInt((frac + "000").slice(0, 3)));
}

/** Net signed amount per account (debit positive) in thousandths, zero balances left out. */
export function balances(entries) {
  const net = new Map();
  for (const e of entries) {
    for (const l of e.lines) net.set(l.account, (net.get(l.account) ?? 0n) + milli(l.debit) - milli(l.credit));
  }
  return Object.fromEntries([...net].filter(([, v]) => v !== 0n).map(([k, v]) => [k, String(v)]).sort());
}
