// QuickBooks Online stand-in: the contract of POST /v3/company/{realm}/journalentry as documented
// (OAuth2 bearer, `requestid` replay returns the original response, 429 + Retry-After, 5xx,
// access-token expiry → 401) and the token endpoint (refresh tokens rotate; a used one is dead).
import crypto from "node:crypto";
import { json, listen, Script, sleep } from "./common.mjs";
import { AuthorizationCodes } from "./oauth-code.mjs";
import { QboChart } from "./charts.mjs";
import { documentsState, handleDocuments, queryCustomers } from "./qbo-documents.mjs";

// Options for soak runs: `faults` (a common.mjs Faults, keyed by requestid) and `seedReusable`
// (the seed refresh token may start one chain per shop: the worker seeds every shop from one secret).
// `documents`: the sales-documents setup (items, tax codes; qbo-documents.mjs).
export async function startQbo({ realm, clientId, clientSecret, refreshToken, accessTtlMs = 3_600_000, faults, seedReusable = false, redirectUris = [], documents = {} }) {
  const state = {
    ...documentsState(documents),
    refreshToken, // the newest refresh token issued
    valid: new Set([refreshToken]), // refresh tokens that still work: one per chain
    access: new Map(), // token -> expires at (ms)
    byRequestId: new Map(), // requestid -> [status, body]
    journals: [], // created JournalEntry bodies
    refreshes: 0,
    calls: [],
    revokeIssued: 0,
    duplicateDocNumbers: false, // the company's "warn if duplicate journal/document number" settings: 6140
  };
  const script = new Script();
  const chart = state.chart = new QboChart(realm, state.access); // the chart of accounts, and accounts made
  // Connecting from the admin page: Intuit's authorize endpoint adds the company (`realmId`).
  const codes = new AuthorizationCodes({ clientId, redirectUris, scopes: ["com.intuit.quickbooks.accounting"], extra: () => ({ realmId: realm }) });
  state.revoked = [];
  const srv = await listen(async (req, body, res) => {
    const url = new URL(req.url, "http://x");
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
    if (req.method === "GET" && url.pathname === "/connect/oauth2") {
      const [status, headers, text] = codes.authorize(url);
      res.writeHead(status, { "content-type": "text/plain", ...headers });
      return res.end(text);
    }
    if (req.method === "POST" && url.pathname === "/oauth2/v1/tokens/revoke") {
      // Intuit's revoke takes JSON {"token": refresh or access token} from the authenticated client.
      if (req.headers.authorization !== `Basic ${basic}`) return json(res, 401, { error: "invalid_client" });
      const token = JSON.parse(body.toString("utf8") || "{}").token;
      state.revoked.push(token);
      state.valid.delete(token);
      return json(res, 200, {});
    }
    if (req.method === "POST" && url.pathname === "/oauth2/v1/tokens/bearer") {
      const form = new URLSearchParams(body.toString("utf8"));
      if (req.headers.authorization !== `Basic ${basic}`) return json(res, 401, { error: "invalid_client" });
      const used = form.get("refresh_token");
      if (form.get("grant_type") === "authorization_code") {
        if (!codes.redeem(form)) return json(res, 400, { error: "invalid_grant" });
      } else if (form.get("grant_type") !== "refresh_token" || !state.valid.has(used)) {
        return json(res, 400, { error: "invalid_grant" });
      } else if (!(seedReusable && used === refreshToken)) state.valid.delete(used);
      state.refreshes += 1;
      state.refreshToken = `rt-${crypto.randomUUID()}`;
      state.valid.add(state.refreshToken);
      const access = `at-${crypto.randomUUID()}`;
      // `revokeIssued` > 0: the next tokens are refused at once (revoked right after issue, or not yet
      // valid where the API call lands).
      state.access.set(access, state.revokeIssued > 0 ? (state.revokeIssued--, 0) : Date.now() + accessTtlMs);
      return json(res, 200, {
        token_type: "bearer", access_token: access, expires_in: Math.round(accessTtlMs / 1000),
        refresh_token: state.refreshToken, x_refresh_token_expires_in: 8_726_400,
      });
    }
    const q = url.pathname.match(/^\/v3\/company\/([^/]+)\/query$/);
    if (req.method === "GET" && q) {
      // The query API, as far as the worker uses it: journal entries and sales documents by
      // DocNumber, customers, the chart of accounts.
      const call = { query: url.searchParams.get("query"), at: Date.now() };
      state.calls.push(call);
      const exp = state.access.get(String(req.headers.authorization ?? "").replace(/^Bearer /, ""));
      if (!exp || exp < Date.now()) {
        call.status = 401;
        return json(res, 401, { fault: { error: [{ message: "AuthenticationFailed", code: "3200" }], type: "AUTHENTICATION" } });
      }
      if (q[1] === realm && /^select \* from Account( maxresults \d+)?$/i.test(call.query ?? "")) {
        return json(res, 200, { QueryResponse: { Account: chart.accounts, startPosition: 1, maxResults: chart.accounts.length }, time: new Date().toISOString() });
      }
      const customers = q[1] === realm ? queryCustomers(state, call.query) : undefined;
      if (customers) return json(res, 200, customers);
      const [, kind, doc] = /^select Id from (JournalEntry|SalesReceipt|Invoice|RefundReceipt) where DocNumber = '([^']*)'$/i.exec(call.query ?? "") ?? [];
      if (q[1] !== realm || doc === undefined) return json(res, 400, { Fault: { Error: [{ Message: "query not understood", code: "4000" }] } });
      const held = kind === "JournalEntry" ? state.journals : state.documents.filter((d) => d.kind === kind);
      const found = held.filter((j) => j.body.DocNumber === doc).map((j) => ({ Id: j.id }));
      return json(res, 200, { QueryResponse: found.length ? { [kind]: found, startPosition: 1, maxResults: found.length } : {}, time: new Date().toISOString() });
    }
    if (chart.handle(req, url, body, res)) return;
    const d = url.pathname.match(/^\/v3\/company\/([^/]+)\/([a-z]+)$/);
    if (d && d[2] !== "journalentry") {
      const exp = state.access.get(String(req.headers.authorization ?? "").replace(/^Bearer /, ""));
      if (!exp || exp < Date.now()) return json(res, 401, { fault: { error: [{ message: "AuthenticationFailed", code: "3200" }], type: "AUTHENTICATION" } });
      if (d[1] !== realm) return json(res, 403, { Fault: { Error: [{ Message: "wrong realm" }] } });
      if (await handleDocuments(state, { req, url, body, res, resource: d[2], faults, script })) return;
    }
    const m = url.pathname.match(/^\/v3\/company\/([^/]+)\/journalentry$/);
    if (req.method !== "POST" || !m) return json(res, 404, { Fault: { type: "NOT_FOUND" } });
    const bearer = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    const requestId = url.searchParams.get("requestid");
    const call = { requestId, at: Date.now() };
    state.calls.push(call);
    const exp = state.access.get(bearer);
    if (!exp || exp < Date.now()) {
      call.status = 401;
      return json(res, 401, { fault: { error: [{ message: "AuthenticationFailed", code: "3200" }], type: "AUTHENTICATION" } });
    }
    if (m[1] !== realm) return json(res, 403, { Fault: { Error: [{ Message: "wrong realm" }] } });
    if (!requestId || requestId.length > 50) return json(res, 400, { Fault: { Error: [{ Message: "requestid" }] } });
    const fault = faults?.pick(requestId);
    if (fault?.status) return json(res, fault.status, { Fault: { Error: [{ Message: "injected" }] } }, fault.headers);
    if (state.byRequestId.has(requestId)) {
      const [status, saved] = state.byRequestId.get(requestId);
      if (fault?.acceptThenHang) await sleep(fault.acceptThenHang);
      return json(res, status, saved);
    }
    const step = script.next();
    if (step?.status) return json(res, step.status, step.body ?? { Fault: { Error: [{ Message: "scripted" }] } }, step.headers);
    let je;
    try { je = JSON.parse(body.toString("utf8")); } catch { return json(res, 400, { Fault: { Error: [{ Message: "bad JSON" }] } }); }
    const lines = Array.isArray(je.Line) ? je.Line : [];
    const sum = (t) => lines.filter((l) => l.JournalEntryLineDetail?.PostingType === t)
      .reduce((a, l) => a + Math.round(Number(l.Amount) * 100), 0);
    const refs = lines.every((l) => l.DetailType === "JournalEntryLineDetail" && l.JournalEntryLineDetail?.AccountRef?.value);
    // DocNumber: at most 21 characters (QBO's documented limit).
    if (typeof je.DocNumber === "string" && je.DocNumber.length > 21) {
      return json(res, 400, { Fault: { Error: [{ Message: "String length is either shorter or longer than supported by specification", code: "2050" }] } });
    }
    if (!lines.length || !refs || sum("Debit") !== sum("Credit")) {
      return json(res, 400, { Fault: { Error: [{ Message: "Journal Entry must be balanced", code: "6000" }] } });
    }
    // A company set to refuse repeated document numbers answers 6140 (the requestid is unknown
    // here: forgotten after QBO's retention window, simulated by clearing byRequestId).
    if (state.duplicateDocNumbers && state.journals.some((j) => j.body.DocNumber === je.DocNumber)) {
      return json(res, 400, { Fault: { Error: [{ Message: "Duplicate Document Number Error", code: "6140",
        Detail: `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${je.DocNumber}` }], type: "ValidationFault" } });
    }
    const id = String(state.journals.length + 100);
    state.journals.push({ id, requestId, body: je });
    const answer = { JournalEntry: { ...je, Id: id, SyncToken: "0" }, time: new Date().toISOString() };
    state.byRequestId.set(requestId, [200, answer]);
    if (step?.acceptThenHang || fault?.acceptThenHang) await sleep(step?.acceptThenHang || fault.acceptThenHang);
    return json(res, 200, answer);
  });
  /** Expires every access token issued so far (the next call gets 401 and must refresh). */
  const expireAccess = () => { for (const k of state.access.keys()) state.access.set(k, 0); };
  return { ...srv, state, script, expireAccess, codes, tokenUrl: `${srv.url}/oauth2/v1/tokens/bearer`,
    authorizeUrl: `${srv.url}/connect/oauth2`, revokeUrl: `${srv.url}/oauth2/v1/tokens/revoke` };
}
