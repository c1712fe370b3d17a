// Issue #15 item 9: one refresh-token chain per shop. Each shop's chain starts from its own
// QBO_REFRESH_TOKEN_<SHOP> secret; the bare QBO_REFRESH_TOKEN seeds a shop only while it is the
// one shop using QBO (targets.test.mjs), else the shop's postings park naming the secret to set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startQbo } from "./standins/qbo.mjs";
import { fixture, idle, openToken, rows, seedSecret, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const [A, B, C] = ["a.myshopify.com", "b.myshopify.com", "c.myshopify.com"];
const EXPORTS = `
[exports.qbo]
"Assets:Clearing:Shopify-Payments" = "81"
"Income:Sales" = "79"
`;
let mf, qboA, qboB;

before(async () => {
  qboA = await startQbo({ realm: "111", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "rt-a" });
  qboB = await startQbo({ realm: "222", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "rt-b" });
  const shop = (realm, q) => ({ targets: ["qbo"], mapping_toml: EXPORTS, qbo: { realm_id: realm, base_url: q.url, token_url: q.tokenUrl } });
  mf = await startWorker({
    shops: { [A]: shop("111", qboA), [B]: shop("222", qboB), [C]: shop("111", qboA) },
    vars: {
      QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret",
      // The bare secret holds A's chain, as a deployment that started with one shop would.
      QBO_REFRESH_TOKEN: "rt-a", [seedSecret("qbo", A)]: "rt-a", [seedSecret("qbo", B)]: "rt-b",
    },
  });
});
after(async () => { await mf?.dispose(); await qboA?.close(); await qboB?.close(); });

test("each shop refreshes its own chain and posts into its own company; a shop without its own seed parks naming it", async () => {
  const base = JSON.parse(fixture("simple"));
  for (const [i, shop] of [A, B, C].entries()) {
    const r = await sendShopify(mf, { ...base, id: 8100000000001 + i }, { shop });
    assert.equal(r.status, 202, r.body);
  }
  await waitFor("settled", () => idle(mf), 20000);
  const outbox = await rows(mf, "SELECT shop, state, reason FROM outbox WHERE target = 'qbo' ORDER BY shop");
  assert.deepEqual(outbox.map((r) => [r.shop, r.state]), [[A, "posted"], [B, "posted"], [C, "parked"]], JSON.stringify(outbox));
  assert.match(outbox[2].reason, /QBO_REFRESH_TOKEN is one qbo token chain and several shops use qbo: set QBO_REFRESH_TOKEN_C_MYSHOPIFY_COM for c\.myshopify\.com/);
  assert.equal(qboA.state.journals.length, 1, "A's company got A's journal only");
  assert.equal(qboB.state.journals.length, 1, "B's company got B's journal");
  const tokens = await rows(mf, "SELECT shop, refresh_token FROM tokens WHERE provider = 'qbo' ORDER BY shop");
  assert.deepEqual(tokens.map((t) => t.shop), [A, B]);
  assert.equal(openToken(tokens[0].refresh_token, "qbo", A), qboA.state.refreshToken);
  assert.equal(openToken(tokens[1].refresh_token, "qbo", B), qboB.state.refreshToken);
});
