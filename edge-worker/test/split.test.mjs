// The deployed pair (docs/worker.md, "Two Workers"): the intake Worker answers webhooks and the API
// calls that map orders, and hands everything else to the admin Worker unchanged; each Worker alone
// answers only its own half, so a route left on the wrong side of the split fails here.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ADMIN_ORIGIN, API_KEY, fixture, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const started = [];
after(() => Promise.all(started.map((mf) => mf.dispose())));
const start = async (opts) => {
  const mf = await startWorker(opts);
  started.push(mf);
  return mf;
};
const api = (mf, path, init = {}) =>
  mf.dispatchFetch(`http://localhost${path}`, { ...init, headers: { authorization: `Bearer ${API_KEY}`, ...init.headers } });
const code = async (res) => JSON.parse(await res.text()).error?.code;

test("through the pair: the admin Worker's answers come back through the intake Worker as they left it", async () => {
  const mf = await start();
  assert.equal((await sendShopify(mf, fixture("simple"))).status, 202);
  await waitFor("the order booked", async () => (await rows(mf, "SELECT count(*) AS n FROM entries"))[0].n > 0);
  // Answered by the admin Worker: its body, status and CORS headers arrive untouched.
  const status = await api(mf, "/api/status", { headers: { origin: ADMIN_ORIGIN } });
  assert.equal(status.status, 200);
  assert.equal(status.headers.get("access-control-allow-origin"), ADMIN_ORIGIN);
  assert.ok(JSON.parse(await status.text()), "a JSON answer");
  // A wrong key is refused by the admin Worker's own check, with its code.
  const refused = await mf.dispatchFetch("http://localhost/api/status", { headers: { authorization: "Bearer wrong" } });
  assert.equal(refused.status, 401);
  // Answered by the intake Worker itself (it maps): the preview of the order just booked.
  const preview = await api(mf, "/api/preview/shopify/6123400000001?shop=demo.myshopify.com");
  const previewed = await preview.text();
  assert.equal(preview.status, 200, previewed);
  assert.match(previewed, /"entries":\[\{/, "the order's entries");
  assert.equal((await mf.dispatchFetch("http://localhost/admin")).status, 200);
});

test("the intake Worker alone takes webhooks, and without its ADMIN binding says so in its log", async () => {
  const printed = [];
  const capture = (stream) => stream.on("data", (chunk) => printed.push(chunk.toString("utf8")));
  const mf = await start({ only: "intake", options: { handleRuntimeStdio: (stdout, stderr) => { capture(stdout); capture(stderr); } } });
  assert.equal((await sendShopify(mf, fixture("simple"))).status, 202);
  for (const path of ["/api/status", "/api/reports/pnl", "/admin", "/oauth/callback/qbo"]) {
    const res = await api(mf, path);
    assert.equal(res.status, 500, path);
    // The answer names no internals; the log does.
    assert.equal(await code(res), "E_INTERNAL", path);
  }
  await waitFor("the log line", () => /no ADMIN service binding to the admin Worker/.test(printed.join("")));
});

test("the admin Worker alone answers the API, and no webhook or mapping route", async () => {
  const mf = await start({ only: "admin" });
  assert.equal((await api(mf, "/api/status")).status, 200);
  const webhook = await sendShopify(mf, fixture("simple"));
  assert.equal(webhook.status, 404, webhook.body);
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM events"))[0].n, 0, "nothing recorded");
  for (const [method, path] of [["GET", "/api/preview/shopify/1"], ["POST", "/api/remap"], ["POST", "/api/backfill"], ["POST", "/api/config/preview"]]) {
    const res = await api(mf, path, { method, body: method === "POST" ? "{}" : undefined });
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal(await code(res), "E_NOT_FOUND", `${method} ${path}`);
  }
});
