// Privacy canary (reliability plan case 44): the fixtures carry made-up PII. After a full run (every
// fixture webhook to every target, the ledger in every export format, status, previews) none of it
// may appear in what the worker printed (workerd stdout/stderr and Miniflare's log), in anything a
// target received (URL, headers, body), or in any API answer. The same search must find the canaries
// in the raw payloads D1 keeps (a known design point: payloads are stored as received), which shows
// the search sees real data, and must find them nowhere else in D1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Log, LogLevel } from "miniflare";
import { startQbo } from "./standins/qbo.mjs";
import { startXero } from "./standins/xero.mjs";
import { startWebhookReceiver } from "./standins/webhook-receiver.mjs";
import {
  API_KEY, WEBHOOK_SECRET, coreMapAs, deliver, drain, exportsToml, oauthSeeds, rows, sendShopify, startWorker, webhookCorpus,
} from "./helpers.mjs";

const SHOP = "privacy.myshopify.com";
// The canary values of tests/fixtures (README "PII canaries", plus the Stripe customer id), and the
// form an email takes in a query string. `\bcanary\b` also catches a lone first name.
const CANARIES = ["canary.pii@example.test", "Canary Person", "+1-555-0100-CANARY", "1 Canary Road", "Apt CANARY",
  "Canaryville", "Canarystadt", "cus_Canary"];
const ENCODED = ["canary.pii%40example.test", "canary%20person", "canary+person"];
const WORD = /\bcanary\b/i;

class CaptureLog extends Log {
  constructor(sink) { super(LogLevel.VERBOSE); this.sink = sink; }
  log(message) { this.sink.push(message); }
}

const printed = []; // everything workerd and Miniflare printed
const answers = []; // every worker response: {what, text}
const corpus = webhookCorpus({ shopify: SHOP });
let mf, receiver, qbo, xero;

before(async () => {
  const accounts = corpus.flatMap((c) =>
    coreMapAs(c.platform, c.body, `shop = "${c.shop}"\n`).entries.flatMap((e) => e.lines.map((l) => l.account)));
  [receiver, qbo, xero] = await Promise.all([
    startWebhookReceiver(WEBHOOK_SECRET),
    startQbo({ realm: "9130", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "rt-seed", seedReusable: true }),
    startXero({ tenant: "tenant-1", clientId: "xero-id", clientSecret: "xero-secret", refreshToken: "xrt-seed", seedReusable: true }),
  ]);
  const full = {
    targets: ["webhook", "qbo", "xero"], webhook_url: `${receiver.url}/hook`, mapping_toml: exportsToml(accounts),
    qbo: { realm_id: "9130", base_url: qbo.url, token_url: qbo.tokenUrl },
    xero: { tenant_id: "tenant-1", base_url: xero.url, token_url: xero.tokenUrl },
  };
  const shops = Object.fromEntries([...new Set(corpus.map((c) => c.shop))].map((s) => [s, full]));
  // A shop with no QBO accounts mapped: its postings park, so the parked path is in the run too.
  shops["unmapped.myshopify.com"] = { ...full, mapping_toml: "" };
  const capture = (stream) => stream.on("data", (chunk) => printed.push(chunk.toString("utf8")));
  mf = await startWorker({
    shops,
    vars: {
      QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret", QBO_REFRESH_TOKEN: "rt-seed",
      XERO_CLIENT_ID: "xero-id", XERO_CLIENT_SECRET: "xero-secret", XERO_REFRESH_TOKEN: "xrt-seed",
      ...oauthSeeds(Object.keys(shops)),
    },
    options: { log: new CaptureLog(printed), handleRuntimeStdio: (stdout, stderr) => { capture(stdout); capture(stderr); } },
  });
});
after(async () => {
  await mf?.dispose();
  await Promise.all([receiver?.close(), qbo?.close(), xero?.close()]);
});

async function get(path) {
  const res = await mf.dispatchFetch(`http://localhost${path}`, { headers: { "x-api-key": API_KEY } });
  const text = await res.text();
  answers.push({ what: `GET ${path} ${res.status}`, text: `${JSON.stringify([...res.headers])}\n${text}` });
  return { status: res.status, text };
}

/** Every canary (or encoded canary, or the bare word) found in `text`. */
function canariesIn(text) {
  const lower = text.toLowerCase();
  const found = [...CANARIES, ...ENCODED].filter((c) => lower.includes(c.toLowerCase()));
  const word = text.match(WORD);
  return word ? [...found, `word "${word[0]}"`] : found;
}

test("a full run: every fixture webhook to every target, the ledger in every format, status and previews", async () => {
  for (const item of corpus) {
    const r = await deliver(mf, item);
    assert.equal(r.status, 202, `${item.name}: ${r.body}`);
    answers.push({ what: `webhook ${item.name}`, text: r.body });
  }
  // Refused deliveries carrying the canaries: a wrong signature, and a body that is not JSON.
  const body = JSON.parse(corpus.find((c) => c.name === "simple").body);
  const refused = await sendShopify(mf, body, { shop: SHOP, secret: "not-the-secret" });
  const broken = await sendShopify(mf, `${JSON.stringify(body).slice(0, -1)},"note":"Canary Person"`, { shop: SHOP });
  assert.deepEqual([refused.status, broken.status], [401, 400]);
  answers.push({ what: "refused webhook", text: refused.body }, { what: "malformed webhook", text: broken.body });
  const parked = await sendShopify(mf, body, { shop: "unmapped.myshopify.com" });
  assert.equal(parked.status, 202);
  await drain(mf, { ms: 45000 });

  const [{ n }] = await rows(mf, "SELECT count(*) AS n FROM outbox WHERE state = 'posted' AND target != 'd1'");
  const entries = (await rows(mf, "SELECT id FROM entries")).length;
  assert.equal(n, (entries - 1) * 3 + 1, "all posted but the unmapped shop's QBO and Xero postings");
  for (const shop of [...new Set(corpus.map((c) => c.shop))]) {
    for (const format of ["json", "csv", "beancount", "hledger", "qbo", "xero"]) {
      assert.equal((await get(`/api/entries?shop=${shop}&format=${format}`)).status, 200, `${shop} ${format}`);
    }
  }
  const status = JSON.parse((await get("/api/status")).text);
  assert.equal(status.parked, 2);
  for (const item of corpus.filter((c) => c.platform !== "stripe" && !c.refund)) {
    const platform = item.platform;
    assert.equal((await get(`/api/preview/${platform}/${JSON.parse(item.body).id}?shop=${item.shop}`)).status, 200, item.name);
  }
  assert.equal((await get("/admin")).status, 200);
});

test("the capture is real: it holds the worker's own log lines and every target call", () => {
  const logs = printed.join("");
  assert.match(logs, /posted shopify:privacy\.myshopify\.com:order:\d+:sale:\d+ to qbo: JournalEntry \d+/);
  assert.match(logs, /parked shopify:unmapped\.myshopify\.com:order:/);
  assert.ok(receiver.requests.length > 0 && qbo.requests.length > 0 && xero.requests.length > 0);
});

test("no canary in anything the worker printed", () => {
  const hits = printed.map((line) => [line, canariesIn(line)]).filter(([, found]) => found.length);
  assert.deepEqual(hits, [], "PII in the worker's output");
});

test("no canary in anything a target received (URL, headers, body)", () => {
  for (const [name, s] of [["webhook", receiver], ["qbo", qbo], ["xero", xero]]) {
    const hits = s.requests.map((r) => [`${r.method} ${r.url}`, canariesIn(`${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`)])
      .filter(([, found]) => found.length);
    assert.deepEqual(hits, [], `PII sent to ${name}`);
  }
});

test("no canary in any answer of the worker (webhook answers, exports, status, previews)", () => {
  assert.ok(answers.length > 40);
  const hits = answers.map((a) => [a.what, canariesIn(a.text)]).filter(([, found]) => found.length);
  assert.deepEqual(hits, [], "PII in an answer");
});

test("the search does find PII where it is: the raw payloads in D1 (accepted: stored as received), and only there", async () => {
  const payloads = (await rows(mf, "SELECT payload FROM events")).map((r) => r.payload).join("\n");
  for (const c of CANARIES) assert.ok(canariesIn(payloads).includes(c), `the search finds ${c} in the stored payloads`);
  const tables = (await rows(mf, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")).map((r) => r.name);
  assert.ok(tables.includes("entries") && tables.includes("outbox"));
  const hits = [];
  for (const table of tables) {
    for (const row of await rows(mf, `SELECT * FROM ${table}`)) {
      for (const [col, value] of Object.entries(row)) {
        if (table === "events" && col === "payload") continue;
        const found = canariesIn(String(value ?? ""));
        if (found.length) hits.push(`${table}.${col}: ${found.join(", ")}`);
      }
    }
  }
  assert.deepEqual(hits, [], "PII in D1 outside the raw payloads");
});
