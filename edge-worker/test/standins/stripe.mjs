// Stripe API stand-in, enforcing what the worker relies on: a secret key (`Authorization: Bearer
// sk_…`; 401 otherwise); `Stripe-Account` choosing a connected account's objects (404 for an object
// of another account); and
// - GET /v1/events: `delivery_success=false`, `created[gte]`, `limit`, `starting_after`, newest
//   first with `has_more`, as List Events does;
// - GET /v1/charges: `created[gte]`, `created[lte]`, `expand[]=data.balance_transaction`, pages as above;
// - GET /v1/charges/{id}, /v1/refunds/{id}, /v1/payouts/{id}: `balance_transaction` is an id unless
//   `expand[]=balance_transaction` (then the object); a charge's `refunds` only with `expand[]=refunds`;
//   GET /v1/payment_intents/{id}: `latest_charge` an id unless expanded (`latest_charge.balance_transaction`
//   expands its balance transaction too);
// - GET /v1/balance_transactions?payout=po_…: `limit` (1–100, default 10), `starting_after`,
//   newest first, `has_more`; only for automatic payouts (Stripe cannot itemise a manual one: 400);
// - scripted answers (`script.push({status: 429, headers: {"retry-after": "1"}})`) for the next calls.
import { json, listen, Script } from "./common.mjs";

const notFound = (what, id) => ({ error: { type: "invalid_request_error", code: "resource_missing", message: `No such ${what}: '${id}'` } });

export async function startStripe({ key }) {
  // events: {event, delivered}; objects: id → {account, object} (account "" = the platform's own)
  const state = { events: [], calls: [], objects: new Map(), balanceTransactions: new Map() };
  const script = new Script();
  const once = []; // {match(url), step}: the first matching call gets `step`
  const srv = await listen(async (req, _body, res) => {
    const url = new URL(req.url, "http://x");
    const q = url.searchParams;
    state.calls.push({ path: url.pathname, query: Object.fromEntries(q), expand: q.getAll("expand[]"), account: req.headers["stripe-account"] ?? "" });
    if (req.method !== "GET") return json(res, 404, { error: { type: "invalid_request_error" } });
    if (req.headers.authorization !== `Bearer ${key}`) return json(res, 401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
    const hit = once.findIndex((o) => o.match(url));
    const step = hit >= 0 ? once.splice(hit, 1)[0].step : script.next();
    if (step) return json(res, step.status, step.body ?? { error: { type: "api_error", message: "scripted" } }, step.headers);
    const account = req.headers["stripe-account"] ?? "";
    if (url.pathname === "/v1/events") {
      let list = state.events
        .filter((e) => q.get("delivery_success") !== "false" || !e.delivered)
        .map((e) => e.event)
        .filter((e) => !q.has("created[gte]") || e.created >= Number(q.get("created[gte]")))
        .sort((a, b) => b.created - a.created || b.id.localeCompare(a.id));
      return listPage(res, "/v1/events", list, q);
    }
    if (url.pathname === "/v1/charges") {
      // List Charges: `created[gte]`/`created[lte]`, newest first; `expand[]=data.balance_transaction`.
      const expandBt = q.getAll("expand[]").includes("data.balance_transaction");
      const list = [...state.objects.values()]
        .filter((o) => o.account === account && o.object.object === "charge")
        .map((o) => structuredClone(o.object))
        .filter((c) => (!q.has("created[gte]") || c.created >= Number(q.get("created[gte]")))
          && (!q.has("created[lte]") || c.created <= Number(q.get("created[lte]"))))
        .map((c) => {
          delete c.refunds;
          if (expandBt && typeof c.balance_transaction === "string") c.balance_transaction = state.balanceTransactions.get(c.balance_transaction)?.object ?? c.balance_transaction;
          return c;
        })
        .sort((a, b) => b.created - a.created || b.id.localeCompare(a.id));
      return listPage(res, "/v1/charges", list, q);
    }
    if (url.pathname === "/v1/balance_transactions") {
      const payout = q.get("payout");
      const po = state.objects.get(payout);
      if (payout && (!po || po.account !== account)) return json(res, 404, notFound("payout", payout));
      if (po && po.object.automatic === false) {
        return json(res, 400, { error: { type: "invalid_request_error", message: "Balance transaction history can only be filtered on automatic transfers, not manual." } });
      }
      const list = [...state.balanceTransactions.values()]
        .filter((t) => t.account === account && (!payout || t.payout === payout))
        .map((t) => t.object)
        .sort((a, b) => b.created - a.created || b.id.localeCompare(a.id));
      return listPage(res, "/v1/balance_transactions", list, q);
    }
    const m = url.pathname.match(/^\/v1\/(charges|refunds|payouts|payment_intents)\/([A-Za-z0-9_]+)$/);
    if (!m) return json(res, 404, { error: { type: "invalid_request_error", message: "Unrecognized request URL" } });
    const found = state.objects.get(m[2]);
    if (!found || found.account !== account) return json(res, 404, notFound(m[1].slice(0, -1), m[2]));
    const expand = q.getAll("expand[]");
    const out = structuredClone(found.object);
    if (expand.includes("balance_transaction") && typeof out.balance_transaction === "string") {
      out.balance_transaction = state.balanceTransactions.get(out.balance_transaction)?.object ?? out.balance_transaction;
    }
    if (m[1] === "payment_intents" && typeof out.latest_charge === "string"
      && (expand.includes("latest_charge") || expand.includes("latest_charge.balance_transaction"))) {
      const ch = structuredClone(state.objects.get(out.latest_charge)?.object ?? null);
      if (ch && expand.includes("latest_charge.balance_transaction") && typeof ch.balance_transaction === "string") {
        ch.balance_transaction = state.balanceTransactions.get(ch.balance_transaction)?.object ?? ch.balance_transaction;
      }
      if (ch) { delete ch.refunds; out.latest_charge = ch; }
    }
    if (m[1] === "charges") {
      if (expand.includes("refunds")) {
        out.refunds = { object: "list", has_more: false, url: `/v1/charges/${out.id}/refunds`,
          data: [...state.objects.values()].filter((o) => o.object.object === "refund" && o.object.charge === out.id).map((o) => o.object) };
      } else delete out.refunds;
    }
    return json(res, 200, out);
  });

  function listPage(res, path, list, q) {
    const after = q.get("starting_after");
    if (after) list = list.slice(list.findIndex((e) => e.id === after) + 1);
    const limit = Math.min(100, Math.max(1, Number(q.get("limit") ?? 10)));
    return json(res, 200, { object: "list", url: path, has_more: list.length > limit, data: list.slice(0, limit) });
  }

  /** Stores an object (a charge, refund, payout) of `account` ("" = the platform's own). */
  const put = (object, account = "") => state.objects.set(object.id, { account, object });
  /** Stores a balance transaction, paid out in `payout` (or not yet). */
  const putTxn = (object, { account = "", payout = null } = {}) => state.balanceTransactions.set(object.id, { account, payout, object });
  const failOnce = (match, step) => once.push({ match, step });
  return { ...srv, state, script, failOnce, put, putTxn };
}
