// Issue #15 item 9 (the lows), worker side: /api/replay authenticates before it reads a body and
// caps it; /admin carries its framing and content policy; no config value or D1 error reaches a
// caller; wrong API credentials are throttled per client IP and window; delivery ids are
// forgotten after the platforms' retry windows, and a delivery replayed after that books nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { API_KEY, fixture, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "demo.myshopify.com";
const DAY = 86_400_000;

async function call(mf, path, { method = "GET", headers = {}, body } = {}) {
  const res = await mf.dispatchFetch(`http://localhost${path}`, { method, headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
const code = (r) => JSON.parse(r.text).error?.code;

test("replay: no credential → 401 before the body is parsed; a body over 4 KiB → 413; a small one works", async (t) => {
  const mf = await startWorker();
  t.after(() => mf.dispose());
  const anonymous = await call(mf, "/api/replay", { method: "POST", body: "{not json" });
  assert.deepEqual([anonymous.status, code(anonymous)], [401, "E_UNAUTHORIZED"], anonymous.text);
  const key = { "x-api-key": API_KEY };
  const big = await call(mf, "/api/replay", { method: "POST", headers: key, body: JSON.stringify({ shop: "x".repeat(5000) }) });
  assert.deepEqual([big.status, code(big)], [413, "E_PAYLOAD_TOO_LARGE"], big.text);
  const small = await call(mf, "/api/replay", { method: "POST", headers: key, body: JSON.stringify({ shop: SHOP }) });
  assert.equal(small.status, 200, small.text);
  assert.equal(JSON.parse(small.text).shop, SHOP);
});

test("/admin: frame-ancestors for the Shopify admin (the named shop when configured), a same-origin policy, nosniff, no referrer", async (t) => {
  const mf = await startWorker({ shops: { [SHOP]: {} } });
  t.after(() => mf.dispose());
  const page = await call(mf, "/admin");
  assert.equal(page.status, 200);
  const csp = page.headers.get("content-security-policy") ?? "";
  for (const part of ["default-src 'self'", "'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'",
    "frame-ancestors https://admin.shopify.com https://*.myshopify.com"]) {
    assert.ok(csp.includes(part), `${part} in ${csp}`);
  }
  // No inline script at all: the page's code comes from its own origin (/ledgerbridge/admin/).
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.equal(page.headers.get("x-content-type-options"), "nosniff");
  assert.equal(page.headers.get("referrer-policy"), "no-referrer");
  const own = (await call(mf, `/admin?shop=${SHOP}`)).headers.get("content-security-policy");
  assert.ok(own.endsWith(`frame-ancestors https://${SHOP} https://admin.shopify.com`), own);
  for (const other of ["other.myshopify.com", "evil.example", "x.myshopify.com.evil.example"]) {
    const csp = (await call(mf, `/admin?shop=${other}`)).headers.get("content-security-policy");
    assert.ok(csp.endsWith("frame-ancestors https://admin.shopify.com https://*.myshopify.com"), `${other}: ${csp}`);
  }
});

/** Every unauthenticated way in: a webhook, a refused webhook, a 404, a CORS preflight, /admin. */
async function unauthenticated(mf) {
  const answers = [
    await sendShopify(mf, fixture("simple"), { shop: SHOP }),
    await sendShopify(mf, fixture("simple"), { shop: SHOP, secret: "wrong" }),
    await call(mf, "/no/such/route"),
    await call(mf, "/api/status", { method: "OPTIONS", headers: { origin: "https://admin.shopify.com" } }),
    await call(mf, "/admin"),
    await call(mf, "/api/status"),
  ];
  return answers.map((a) => ({ status: a.status, text: `${JSON.stringify([...(a.headers ?? [])])} ${a.body ?? a.text}` }));
}

test("a broken SHOPS or var config is answered E_INTERNAL with a fixed message, never its values", async (t) => {
  for (const [what, options] of [
    ["SHOPS", { shops: { [SHOP]: { targets: "hunter2-in-shops" } } }],
    ["var", { vars: { RETRY_LIMIT: "hunter2-in-a-var" } }],
    ["http base", { shops: { [SHOP]: { woocommerce: { base_url: "http://hunter2.example" } } } }],
  ]) {
    const mf = await startWorker(options);
    t.after(() => mf.dispose());
    for (const a of await unauthenticated(mf)) {
      assert.equal(a.status, 500, `${what}: ${a.text}`);
      assert.ok(!/hunter2|SHOPS|RETRY_LIMIT|base_url/.test(a.text), `${what} leaked: ${a.text}`);
      assert.match(a.text, /"code":"E_INTERNAL"/);
    }
  }
});

test("a D1 failure seen from a webhook is E_INTERNAL, without the database's words", async (t) => {
  const mf = await startWorker({ shops: { [SHOP]: {} } });
  t.after(() => mf.dispose());
  const db = await mf.getD1Database("LEDGER");
  await db.prepare("DROP TABLE seen_bodies").run();
  await db.prepare("DROP TABLE rejection_counts").run();
  const recorded = await sendShopify(mf, fixture("simple"), { shop: SHOP });
  const refused = await sendShopify(mf, fixture("simple"), { shop: SHOP, secret: "wrong" });
  for (const r of [recorded, refused]) {
    assert.equal(r.status, 500, r.body);
    assert.equal(JSON.parse(r.body).error.code, "E_INTERNAL");
    assert.ok(!/seen_bodies|rejection_counts|table|SQLITE|D1/i.test(r.body), r.body);
  }
});

test("wrong API credentials: after the limit the address gets 429 + Retry-After, even with the right key, until the window ends", async (t) => {
  const WINDOW_S = 4;
  const mf = await startWorker({ vars: { AUTH_FAILURE_LIMIT: "3", AUTH_FAILURE_WINDOW_S: String(WINDOW_S) } });
  t.after(() => mf.dispose());
  // Start at the beginning of a window, so the attempts below all fall in one.
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000 - (Date.now() % (WINDOW_S * 1000)) + 50));
  const from = (ip, key) => call(mf, "/api/status", { headers: { "cf-connecting-ip": ip, authorization: `Bearer ${key}` } });
  for (const wrong of ["guess-1", "guess-2", "a.b.c"]) {
    assert.equal((await from("203.0.113.7", wrong)).status, 401);
  }
  const locked = await from("203.0.113.7", API_KEY);
  assert.equal(locked.status, 429, locked.text);
  assert.equal(code(locked), "E_RATE_LIMITED");
  const after = Number(locked.headers.get("retry-after"));
  assert.ok(after >= 1 && after <= WINDOW_S, `Retry-After ${after}`);
  assert.equal((await from("198.51.100.1", API_KEY)).status, 200, "another address is not affected");
  assert.deepEqual(await rows(mf, "SELECT ip, n FROM auth_failures"), [{ ip: "203.0.113.7", n: 3 }]);
  await new Promise((r) => setTimeout(r, after * 1000 + 100));
  assert.equal((await from("203.0.113.7", API_KEY)).status, 200, "let in again once the window is over");
  await (await mf.getWorker()).scheduled({ cron: "*/2 * * * *" });
  assert.deepEqual(await rows(mf, "SELECT ip FROM auth_failures"), [], "past windows pruned by the sweeper");
});

test("seen_deliveries: ids older than 7 days are pruned; a delivery replayed after that is recorded but books nothing new", async (t) => {
  const mf = await startWorker({ shops: { [SHOP]: {} } });
  t.after(() => mf.dispose());
  const first = await sendShopify(mf, fixture("simple"), { shop: SHOP, webhookId: "wh-old" });
  assert.equal(first.status, 202, first.body);
  assert.equal((await sendShopify(mf, fixture("tip"), { shop: SHOP, webhookId: "wh-recent" })).status, 202);
  await waitFor("mapped", () => idle(mf));
  const entries = await rows(mf, "SELECT id FROM entries ORDER BY id");
  const now = Date.now();
  const db = await mf.getD1Database("LEDGER");
  await db.prepare("UPDATE seen_deliveries SET seen_at = ? WHERE delivery_id = 'wh-old'").bind(now - 8 * DAY).run();
  await db.prepare("UPDATE seen_deliveries SET seen_at = ? WHERE delivery_id = 'wh-recent'").bind(now - 6 * DAY).run();
  await db.prepare("UPDATE seen_bodies SET seen_at = ?").bind(now - 8 * DAY).run();
  await (await mf.getWorker()).scheduled({ cron: "*/2 * * * *" });
  assert.deepEqual((await rows(mf, "SELECT delivery_id FROM seen_deliveries")).map((r) => r.delivery_id), ["wh-recent"]);
  // Past every platform's retry window a redelivery is stale: the head already holds its version.
  const again = await sendShopify(mf, fixture("simple"), { shop: SHOP, webhookId: "wh-old" });
  assert.equal(again.status, 202, again.body);
  await waitFor("mapped", () => idle(mf));
  assert.deepEqual(await rows(mf, "SELECT id FROM entries ORDER BY id"), entries);
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM outbox"))[0].n, entries.length);
});
