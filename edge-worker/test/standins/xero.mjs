// Xero stand-in: PUT /api.xro/2.0/ManualJournals with bearer + xero-tenant-id, `Idempotency-Key`
// replay, one journal per request, lines summing to zero, 429 with Retry-After and the
// X-MinLimit-Remaining / X-DayLimit-Remaining headers, scripted 5xx; rotating refresh tokens.
import crypto from "node:crypto";
import { json, listen, Script, sleep } from "./common.mjs";
import { AuthorizationCodes } from "./oauth-code.mjs";
import { XeroChart } from "./charts.mjs";
import { documentsState, handleDocuments } from "./xero-documents.mjs";

// Options for soak runs as in qbo.mjs: `faults` (keyed by Idempotency-Key) and `seedReusable`.
// `documents`: the sales-documents setup (item codes, tax types; xero-documents.mjs).
export async function startXero({ tenant, clientId, clientSecret, refreshToken, perMinute = 60, perDay = 5000, faults, seedReusable = false, redirectUris = [], documents = {} }) {
  // `retired`: refresh tokens rotated out, usable until their grace ends (Xero: 30 minutes).
  // `tokenScript`: scripted token-endpoint steps, e.g. {rotateThenHang: ms} (the answer is lost).
  const state = { refreshToken, valid: new Set([refreshToken]), retired: new Map(), graceMs: 30 * 60_000, tokenScript: new Script(),
    access: new Map(), byKey: new Map(), journals: [], refreshes: 0, calls: [], ...documentsState(documents) };
  const script = new Script();
  const chart = state.chart = new XeroChart(tenant, state.access); // the chart of accounts, and accounts made
  // Connecting from the admin page: without `offline_access` Xero issues no refresh token, so the
  // stand-in refuses a request for less; the tenant is learnt afterwards from GET /connections.
  const codes = new AuthorizationCodes({ clientId, redirectUris, scopes: ["offline_access", "accounting.manualjournals"] });
  state.revoked = [];
  const srv = await listen(async (req, body, res) => {
    const url = new URL(req.url, "http://x");
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
    if (req.method === "GET" && url.pathname === "/identity/connect/authorize") {
      const [status, headers, text] = codes.authorize(url);
      res.writeHead(status, { "content-type": "text/plain", ...headers });
      return res.end(text);
    }
    if (req.method === "GET" && url.pathname === "/connections") {
      const exp = state.access.get(String(req.headers.authorization ?? "").replace(/^Bearer /, ""));
      if (!exp || exp < Date.now()) return json(res, 401, { Title: "Unauthorized" });
      return json(res, 200, [{ id: "conn-1", authEventId: "ev-1", tenantId: tenant, tenantType: "ORGANISATION", tenantName: "Demo Company (Global)",
        createdDateUtc: new Date().toISOString(), updatedDateUtc: new Date().toISOString() }]);
    }
    if (req.method === "POST" && url.pathname === "/connect/revocation") {
      // RFC 7009: form `token=…` from the authenticated client; the whole grant ends.
      if (req.headers.authorization !== `Basic ${basic}`) return json(res, 400, { error: "invalid_client" });
      const token = new URLSearchParams(body.toString("utf8")).get("token");
      state.revoked.push(token);
      state.valid.delete(token);
      return json(res, 200, {});
    }
    if (req.method === "POST" && url.pathname === "/connect/token") {
      const form = new URLSearchParams(body.toString("utf8"));
      if (req.headers.authorization !== `Basic ${basic}`) return json(res, 400, { error: "invalid_client" });
      const used = form.get("refresh_token");
      const inGrace = (state.retired.get(used) ?? 0) > Date.now();
      if (form.get("grant_type") === "authorization_code") {
        if (!codes.redeem(form)) return json(res, 400, { error: "invalid_grant" });
      } else if (!state.valid.has(used) && !inGrace) return json(res, 400, { error: "invalid_grant" });
      else if (!(seedReusable && used === refreshToken) && state.valid.delete(used)) state.retired.set(used, Date.now() + state.graceMs);
      state.refreshes += 1;
      state.refreshToken = `xrt-${crypto.randomUUID()}`;
      state.valid.add(state.refreshToken);
      const access = `xat-${crypto.randomUUID()}`;
      state.access.set(access, Date.now() + 1_800_000);
      const step = state.tokenScript.next();
      if (step?.rotateThenHang) await sleep(step.rotateThenHang);
      return json(res, 200, { access_token: access, expires_in: 1800, token_type: "Bearer", refresh_token: state.refreshToken });
    }
    if (req.method === "GET" && url.pathname === "/api.xro/2.0/Accounts") {
      const exp = state.access.get(String(req.headers.authorization ?? "").replace(/^Bearer /, ""));
      if (!exp || exp < Date.now()) return json(res, 401, { Title: "Unauthorized", Detail: "TokenExpired" });
      if (req.headers["xero-tenant-id"] !== tenant) return json(res, 403, { Title: "Forbidden" });
      return json(res, 200, { Id: crypto.randomUUID(), Status: "OK", ProviderName: "stand-in", DateTimeUTC: "/Date(1700000000000)/", Accounts: chart.accounts });
    }
    if (chart.handle(req, url, body, res)) return;
    if (/^\/api\.xro\/2\.0\/(Contacts|Invoices|CreditNotes|Payments)$/.test(url.pathname)) {
      const exp = state.access.get(String(req.headers.authorization ?? "").replace(/^Bearer /, ""));
      if (!exp || exp < Date.now()) return json(res, 401, { Title: "Unauthorized", Detail: "TokenExpired" });
      if (req.headers["xero-tenant-id"] !== tenant) return json(res, 403, { Title: "Forbidden" });
      const minute = state.calls.filter((c) => c.at > Date.now() - 60_000).length + 1;
      const limits = { "x-minlimit-remaining": String(Math.max(0, perMinute - minute)), "x-daylimit-remaining": String(Math.max(0, perDay - state.calls.length - 1)) };
      if (await handleDocuments(state, { req, url, body, res, faults, script, limits })) return;
    }
    if (req.method !== "PUT" || url.pathname !== "/api.xro/2.0/ManualJournals") return json(res, 404, {});
    const bearer = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    const key = req.headers["idempotency-key"];
    const call = { key, at: Date.now() };
    state.calls.push(call);
    const exp = state.access.get(bearer);
    if (!exp || exp < Date.now()) {
      call.status = 401;
      return json(res, 401, { Title: "Unauthorized", Detail: "TokenExpired" });
    }
    if (req.headers["xero-tenant-id"] !== tenant) return json(res, 403, { Title: "Forbidden" });
    const minute = state.calls.filter((c) => c.at > Date.now() - 60_000).length;
    const limits = { "x-minlimit-remaining": String(Math.max(0, perMinute - minute)), "x-daylimit-remaining": String(Math.max(0, perDay - state.calls.length)) };
    const fault = faults?.pick(key);
    if (fault?.status) {
      const headers = fault.status === 429 ? { ...limits, "x-rate-limit-problem": "minute", ...fault.headers } : fault.headers;
      return json(res, fault.status, { Title: "injected" }, headers);
    }
    if (key && state.byKey.has(key)) {
      if (fault?.acceptThenHang) await sleep(fault.acceptThenHang);
      return json(res, 200, state.byKey.get(key), limits);
    }
    const step = script.next();
    if (step?.status) {
      const headers = step.status === 429 ? { ...limits, "x-rate-limit-problem": "minute", ...step.headers } : step.headers;
      return json(res, step.status, step.body ?? { Title: "scripted" }, headers);
    }
    let doc;
    try { doc = JSON.parse(body.toString("utf8")); } catch { return json(res, 400, { Title: "bad JSON" }); }
    const list = doc.ManualJournals;
    if (!Array.isArray(list) || list.length !== 1) return json(res, 400, { Title: "one journal per request expected" });
    const j = list[0];
    const cents = (j.JournalLines ?? []).reduce((a, l) => a + Math.round(Number(l.LineAmount) * 100), 0);
    if (!j.Date || !(j.JournalLines?.length >= 2) || cents !== 0 || j.JournalLines.some((l) => !l.AccountCode)) {
      return json(res, 400, { Type: "ValidationException", Elements: [{ ValidationErrors: [{ Message: "Journal must balance" }] }] });
    }
    const id = crypto.randomUUID();
    state.journals.push({ id, key, body: j });
    const answer = { Status: "OK", ManualJournals: [{ ...j, ManualJournalID: id }] };
    if (key) state.byKey.set(key, answer);
    if (step?.acceptThenHang || fault?.acceptThenHang) await sleep(step?.acceptThenHang || fault.acceptThenHang);
    return json(res, 200, answer, limits);
  });
  const expireAccess = () => { for (const k of state.access.keys()) state.access.set(k, 0); };
  return { ...srv, state, script, expireAccess, codes, tokenUrl: `${srv.url}/connect/token`,
    authorizeUrl: `${srv.url}/identity/connect/authorize`, revokeUrl: `${srv.url}/connect/revocation`, connectionsUrl: `${srv.url}/connections` };
}
