// Test harness: the built worker on workerd through Miniflare's API (no mocks of the runtime),
// with D1 migrated from migrations/, the postings queue and its dead-letter queue.
import { Miniflare } from "miniflare";
import assert from "node:assert/strict";
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
export const TOKEN_KEY = "test-token-key-0123456789abcdefghij";

/**
 * Opens a token the worker sealed in D1 (`lb1:` + base64url(nonce ‖ ciphertext ‖ tag), ChaCha20-
 * Poly1305, key HMAC-SHA256("ledgerbridge-token-key", TOKEN_KEY), associated data
 * `provider\0shop`): written from the scheme in edge-worker/src/seal.rs with node:crypto, so the
 * tests check the worker's sealing against a second implementation.
 */
export function openToken(stored, provider, shop, secret = TOKEN_KEY) {
  assert.ok(stored.startsWith("lb1:"), `sealed token expected, got ${stored.slice(0, 8)}…`);
  const raw = Buffer.from(stored.slice(4), "base64url");
  const key = crypto.createHmac("sha256", "ledgerbridge-token-key").update(secret).digest();
  const decipher = crypto.createDecipheriv("chacha20-poly1305", key, raw.subarray(0, 12), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(`${provider}\0${shop}`), { plaintextLength: raw.length - 28 });
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
}

/**
 * Starts the worker; `shops` is the SHOPS var (none given: `{"*": {}}`, any shop accepted); `vars` override the other vars/secrets; `options`
 * are further Miniflare options (`{ port: 0 }` to serve it to a browser; `d1Persist` to keep D1 across a restart; `handleRuntimeStdio`, `log`
 * to capture what the worker prints). `only: "intake"` or `"admin"` starts that Worker alone (the intake one without its ADMIN binding).
 */
export async function startWorker({ shops = {}, vars = {}, options = {}, migrateDb = true, only } = {}) {
  // The worker accepts only configured shops; a test that configures none accepts any ("*").
  if (Object.keys(shops).length === 0) shops = { "*": {} };
  // The deployed pair (docs/worker.md, "Two Workers"): requests enter the intake Worker, which
  // hands all but webhooks to the admin Worker through its ADMIN service binding; both on one D1
  // and the same queues and vars. `mf.dispatchFetch`/`getWorker()`/`getD1Database()` name the intake.
  const bindings = {
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
    TOKEN_KEY,
    ...vars,
  };
  const shared = {
    modules: true,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"], fallthrough: true }],
    compatibilityDate: "2026-04-01",
    d1Databases: { LEDGER: "ledgerbridge" },
    queueProducers: { POSTINGS: "postings", DEAD_LETTERS: "postings-dlq" },
    bindings,
  };
  const intake = {
    ...shared,
    name: "ledgerbridge",
    scriptPath: path.join(WORKER_DIR, "build/index.js"),
    assets: { directory: path.join(WORKER_DIR, "public"), routerConfig: { has_user_worker: true } },
    queueConsumers: { postings: { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 20, deadLetterQueue: "postings-dlq" } },
    ...(only ? {} : { serviceBindings: { ADMIN: "ledgerbridge-admin" } }),
  };
  const admin = { ...shared, name: "ledgerbridge-admin", scriptPath: path.join(WORKER_DIR, "build-admin/index.js") };
  const workers = { intake: [intake], admin: [admin] }[only] ?? [intake, admin];
  const mf = new Miniflare({ cf: false, ...options, workers });
  await mf.ready;
  // `migrateDb: false` reopens a persisted D1 (`options.d1Persist`) with new vars, e.g. a SHOPS edit.
  if (migrateDb) await migrate(await mf.getD1Database("LEDGER"));
  return mf;
}

/** Applies migrations/*.sql in order, statement by statement (as `wrangler d1 migrations apply`). */
export async function migrate(db) {
  const dir = path.join(WORKER_DIR, "migrations");
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    const sql = fs.readFileSync(path.join(dir, file), "utf8").replace(/--.*$/gm, "");
    // A trigger's body holds `;`s of its own: its statement runs to the `END` that closes it.
    const statements = [];
    for (const part of sql.split(";")) {
      const open = statements.at(-1);
      if (open && /^CREATE TRIGGER/i.test(open) && !/\bEND$/i.test(open)) statements[statements.length - 1] = `${open};\n${part.trim()}`;
      else statements.push(part.trim());
    }
    await db.batch(statements.filter(Boolean).map((s) => db.prepare(s)));
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

/**
 * Nothing unmapped and nothing pending, read through the worker's own `/api/status` (an ordinary
 * async fetch). Polling D1 through Miniflare's proxy instead makes synchronous calls that block
 * this process, and with it the stand-in servers the worker is calling at that moment; under load
 * that tripped Miniflare's own message-order assertion.
 */
export async function idle(mf) {
  const res = await mf.dispatchFetch("http://localhost/api/status", { headers: { "x-api-key": API_KEY } });
  if (!res.ok) throw new Error(`/api/status answered ${res.status}: ${await res.text()}`);
  const status = await res.json();
  return (status.events?.received ?? 0) === 0 && status.pending === 0;
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

/** The core's own output for a Shopify payload and config (see coreMapAs). */
export function coreMap(payload, configToml) {
  return coreMapAs("shopify", payload, configToml);
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

// ------------------------------------------------------------ storm, soak and privacy runs

export const fixtureDir = (platform) => path.join(ROOT, "tests/fixtures", platform);

export function fixtureOf(platform, name) {
  return fs.readFileSync(path.join(fixtureDir(platform), name, "input.json"), "utf8");
}

/** Entry ids worked out by hand in the fixture (expected.json). */
export function expectedIds(platform, name) {
  return JSON.parse(fs.readFileSync(path.join(fixtureDir(platform), name, "expected.json"), "utf8")).entries.map((e) => e.id);
}

/** A small seeded PRNG (mulberry32): one seed reproduces a whole run. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from env `name`, else a fresh one; printed so that a failing run can be repeated. */
export function seedFrom(name) {
  const seed = process.env[name] ? Number(process.env[name]) : crypto.randomInt(1, 2 ** 31);
  console.log(`${name}=${seed}`);
  return seed;
}

export function shuffle(list, rnd) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** POSTs a WooCommerce webhook (X-WC-Webhook-* headers, base64 HMAC of the body). */
export async function sendWoo(mf, body, { topic = "order.updated", source = "https://shop.example.test/", deliveryId = crypto.randomUUID(), secret = WOO_SECRET } = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const res = await mf.dispatchFetch("http://localhost/webhooks/woocommerce", {
    method: "POST",
    headers: {
      "content-type": "application/json", "x-wc-webhook-topic": topic, "x-wc-webhook-source": source,
      "x-wc-webhook-resource": "order", "x-wc-webhook-delivery-id": deliveryId, "x-wc-webhook-signature": hmacB64(secret, text),
    },
    body: text,
  });
  return { status: res.status, body: await res.text() };
}

/** POSTs a Stripe event signed now (`Stripe-Signature: t=…,v1=hex HMAC of "{t}.{body}"`). */
export async function sendStripe(mf, body, { secret = STRIPE_SECRET } = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const t = Math.floor(Date.now() / 1000);
  const v1 = crypto.createHmac("sha256", secret).update(`${t}.${text}`).digest("hex");
  const res = await mf.dispatchFetch("http://localhost/webhooks/stripe", {
    method: "POST", headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1}` }, body: text,
  });
  return { status: res.status, body: await res.text() };
}

/**
 * Waits until nothing is unmapped or pending, running the cron (the sweeper) every `sweepMs` as
 * production would, so lost or delayed queue messages are re-enqueued.
 */
export async function drain(mf, { ms = 60000, sweepMs = 2000 } = {}) {
  const worker = await mf.getWorker();
  const end = Date.now() + ms;
  let nextSweep = Date.now() + sweepMs;
  while (Date.now() < end) {
    if (await idle(mf)) return;
    if (Date.now() >= nextSweep) {
      await worker.scheduled({ cron: "*/2 * * * *" });
      nextSweep = Date.now() + sweepMs;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not drained within ${ms} ms: ${JSON.stringify(await unsettled(mf))}`);
}

/** The core's own output for a payload and config: the `map` example (built by scripts/ci/70-worker). */
export function coreMapAs(platform, payload, configToml) {
  const bin = process.env.LEDGERBRIDGE_MAP_BIN
    ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, "target"), "debug/examples/map");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lb-map-"));
  try {
    fs.writeFileSync(path.join(dir, "config.toml"), configToml);
    fs.writeFileSync(path.join(dir, "input.json"), payload);
    const out = execFileSync(bin, ["--platform", platform, "--config", path.join(dir, "config.toml"), path.join(dir, "input.json")]);
    return JSON.parse(out.toString("utf8"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `[exports.qbo]` and `[exports.xero]` giving every ledger account in `accounts` a made-up id. */
export function exportsToml(accounts) {
  const sorted = [...new Set(accounts)].sort();
  const table = (name, id) => [`[exports.${name}]`, ...sorted.map((a, i) => `${JSON.stringify(a)} = "${id(i)}"`)].join("\n");
  return `${table("qbo", (i) => 100 + i)}\n${table("xero", (i) => 400 + i)}\n`;
}

/**
 * Every fixture webhook the worker takes, as deliveries: Shopify orders (and the bare refund, plus
 * the order it refunds, which no fixture holds: `simple` renumbered), WooCommerce orders, Stripe
 * objects. `ids` are the entry ids worked out by hand in expected.json, with the shop put in.
 * Left out: Shopify's payout body (no payout topic at intake) and WooCommerce's refund object
 * (WooCommerce has no refund webhook; refunds arrive inside `order.updated`).
 */
export function webhookCorpus({ shopify, woo = "shop.example.test" }) {
  const list = [];
  const put = (id) => id.replace(/^shopify:[^:]+:/, `shopify:${shopify}:`);
  for (const name of fs.readdirSync(fixtureDir("shopify")).sort()) {
    const body = fixtureOf("shopify", name);
    const json = JSON.parse(body);
    const refund = name === "refund-webhook";
    if (!refund && !Array.isArray(json.line_items)) continue;
    list.push({ platform: "shopify", name, body, shop: shopify, refund, ids: expectedIds("shopify", name).map(put) });
  }
  const parent = JSON.parse(fixtureOf("shopify", "simple"));
  parent.id = JSON.parse(fixtureOf("shopify", "refund-webhook")).order_id;
  list.push({ platform: "shopify", name: "refund-webhook-order", body: JSON.stringify(parent), shop: shopify, refund: false,
    ids: [`shopify:${shopify}:order:${parent.id}:sale:1777865402`] }); // simple's updated_at, as in its expected.json
  for (const name of fs.readdirSync(fixtureDir("woocommerce")).sort()) {
    if (name === "refund-object") continue;
    list.push({ platform: "woocommerce", name, body: fixtureOf("woocommerce", name), shop: woo, ids: expectedIds("woocommerce", name) });
  }
  for (const name of fs.readdirSync(fixtureDir("stripe")).sort()) {
    list.push({ platform: "stripe", name, body: fixtureOf("stripe", name), shop: "default", ids: expectedIds("stripe", name) });
  }
  return list;
}

/**
 * Delivers one corpus item. `copy` > 0 makes it a distinct delivery of the same version: a new
 * webhook id (Shopify: another subscription's topic; WooCommerce: a new delivery id; Stripe: a
 * new event id around the same object, where the body is an event). Returns the response, the
 * delivery id and `bodyKey` (platform, shop and the body's SHA-256): the worker records one body
 * once per shop, so a copy that resends the same bytes under a new delivery id is a duplicate.
 */
export async function deliver(mf, item, copy = 0) {
  const bodyKey = (body) => `${item.platform} ${item.shop} ${crypto.createHash("sha256").update(body).digest("hex")}`;
  if (item.platform === "shopify") {
    const topic = item.refund ? "refunds/create" : ["orders/updated", "orders/paid", "orders/create"][copy % 3];
    const webhookId = `${item.name}#${copy}`;
    return { ...(await sendShopify(mf, item.body, { shop: item.shop, topic, webhookId })), deliveryId: webhookId, bodyKey: bodyKey(item.body) };
  }
  if (item.platform === "woocommerce") {
    const deliveryId = `${item.name}#${copy}`;
    return { ...(await sendWoo(mf, item.body, { deliveryId, source: `https://${item.shop}/` })), deliveryId, bodyKey: bodyKey(item.body) };
  }
  const json = JSON.parse(item.body);
  const isEvent = json.object === "event";
  if (isEvent && copy > 0) json.id = `${json.id}_copy${copy}`;
  const body = isEvent && copy > 0 ? JSON.stringify(json) : item.body;
  const deliveryId = json.id ?? crypto.createHash("sha256").update(body).digest("hex");
  return { ...(await sendStripe(mf, body)), deliveryId, bodyKey: bodyKey(body) };
}

/** Distinct deliveries possible for an item (a bare Stripe object has one id: repeats only). */
export const maxCopies = (item) => (item.platform === "stripe" && JSON.parse(item.body).object !== "event" ? 1 : Infinity);

/** `Map.groupBy` (Node 21+), for Node 20. */
export function groupBy(list, key) {
  const out = new Map();
  for (const x of list) {
    const k = key(x);
    if (!out.has(k)) out.set(k, []);
    out.get(k).push(x);
  }
  return out;
}

/**
 * The secrets that start each shop's own QBO and Xero token chain (`QBO_REFRESH_TOKEN_<SHOP>`, the
 * shop upper-cased with `_` for anything but letters and digits): with several shops on one
 * provider the worker refuses to seed them all from the bare `QBO_REFRESH_TOKEN`.
 */
export const seedSecret = (provider, shop) => `${provider.toUpperCase()}_REFRESH_TOKEN_${shop.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
export function oauthSeeds(shops, { qbo = "rt-seed", xero = "xrt-seed" } = {}) {
  return Object.fromEntries(shops.flatMap((s) => [[seedSecret("qbo", s), qbo], [seedSecret("xero", s), xero]]));
}
