// Shopify Admin API stand-in, enforcing the contract the worker relies on (round2-apis.md §1):
// - `X-Shopify-Access-Token` must be the shop's token (401 otherwise, as Shopify answers);
// - the API version is in the path (`/admin/api/{version}/…`): any other version is a 404;
// - GraphQL `POST graphql.json`: `order(id:)` with `transactions { fees }`; a cost bucket
//   (`extensions.cost.throttleStatus`) that answers 200 with `errors[].extensions.code THROTTLED`
//   when the query's cost no longer fits, refilling at `restoreRate` points a second;
// - REST: a leaky bucket per shop (`X-Shopify-Shop-Api-Call-Limit`), 429 + `Retry-After` when full;
//   `orders.json?updated_at_min=` or `created_at_min=&created_at_max=` (inclusive; REST orders,
//   the webhook shape),
//   `shopify_payments/payouts.json` (`since_id`, ascending ids) and
//   `shopify_payments/balance/transactions.json?payout_id=` with cursor pagination by `Link`
//   (`page_info` opaque; a `page_info` request may carry nothing but `limit`: 400 otherwise).
import { json, listen, Script } from "./common.mjs";

const GRAPHQL_COST = 12;

/**
 * `orders`: order id → [OrderTransaction] (GraphQL shapes, fees included); `payouts`: REST
 * payouts; `transactions`: REST balance transactions (each with `payout_id`).
 */
export async function startShopifyAdmin({ token, version = "2025-10", orders = new Map(), payouts = [], transactions = [],
  gql = { maximumAvailable: 1000, restoreRate: 50 }, rest = { size: 40, leakPerS: 2 } } = {}) {
  const state = { orders, payouts, transactions, restOrders: [], calls: [], throttled: { graphql: 0, rest: 0 } };
  const script = new Script(); // scripted answers for the next calls: {status, headers?, body?}
  const once = []; // {match(url), step}: the first matching call gets `step`
  let bucket = { points: gql.maximumAvailable, at: Date.now() };
  let spend = false; // drainBucket(): the next query finds the bucket empty, however late it comes
  let leaky = { used: 0, at: Date.now() };
  let url0;
  const srv = await listen(async (req, raw, res) => {
    const url = new URL(req.url, "http://x");
    state.calls.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const m = url.pathname.match(/^\/admin\/api\/([^/]+)\/(.+)$/);
    if (!m || m[1] !== version) return json(res, 404, { errors: "Not Found" });
    if (req.headers["x-shopify-access-token"] !== token) {
      return json(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
    const hit = once.findIndex((o) => o.match(url));
    const step = hit >= 0 ? once.splice(hit, 1)[0].step : script.next();
    if (step) return json(res, step.status, step.body ?? { errors: "scripted" }, step.headers);
    if (m[2] === "graphql.json" && req.method === "POST") return graphql(JSON.parse(raw.toString("utf8")), res);
    // REST leaky bucket: `leakPerS` requests drain per second; a full bucket answers 429.
    const now = Date.now();
    leaky = { used: Math.max(0, leaky.used - ((now - leaky.at) / 1000) * rest.leakPerS), at: now };
    if (leaky.used + 1 > rest.size) {
      state.throttled.rest += 1;
      return json(res, 429, { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." },
        { "retry-after": "1.0" });
    }
    leaky.used += 1;
    const limitHeader = { "x-shopify-shop-api-call-limit": `${Math.ceil(leaky.used)}/${rest.size}` };
    if (req.method !== "GET") return json(res, 404, { errors: "Not Found" });
    if (m[2] === "shopify_payments/payouts.json") {
      return page(url, res, limitHeader, "payouts", (q) => {
        const since = BigInt(q.get("since_id") ?? "0");
        return state.payouts.filter((p) => BigInt(p.id) > since && (!q.get("status") || p.status === q.get("status")))
          .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      });
    }
    if (m[2] === "orders.json") {
      // REST orders (the webhook shape) updated at or after `updated_at_min`.
      return page(url, res, limitHeader, "orders", (q) => {
        const at = (k, none) => (q.get(k) ? Date.parse(q.get(k)) : none);
        const [min, cmin, cmax] = [at("updated_at_min", -Infinity), at("created_at_min", -Infinity), at("created_at_max", Infinity)];
        if ([min, cmin, cmax].some(Number.isNaN)) return [];
        return state.restOrders.filter((o) => Date.parse(o.updated_at) >= min)
          .filter((o) => Date.parse(o.created_at) >= cmin && Date.parse(o.created_at) <= cmax).sort((a, b) => a.id - b.id);
      });
    }
    if (m[2] === "shopify_payments/balance/transactions.json") {
      return page(url, res, limitHeader, "transactions", (q) => {
        const payout = q.get("payout_id");
        return state.transactions.filter((t) => !payout || String(t.payout_id) === payout).sort((a, b) => a.id - b.id);
      });
    }
    return json(res, 404, { errors: "Not Found" });
  });
  url0 = srv.url;

  /** One page of a REST list; the `Link` header carries `page_info` for the next and previous. */
  function page(url, res, headers, key, select) {
    let q = url.searchParams;
    const limit = Math.min(250, Number(q.get("limit") ?? 50));
    let offset = 0;
    if (q.has("page_info")) {
      const extra = [...q.keys()].filter((k) => k !== "page_info" && k !== "limit");
      if (extra.length) return json(res, 400, { errors: { page_info: [`Parameters ${extra.join(", ")} cannot be used with page_info`] } });
      let info;
      try { info = JSON.parse(Buffer.from(q.get("page_info"), "base64url").toString("utf8")); } catch { info = null; }
      if (!info) return json(res, 400, { errors: { page_info: ["Invalid value."] } });
      q = new URLSearchParams(info.q);
      offset = info.offset;
    }
    const all = select(q);
    const slice = all.slice(offset, offset + limit);
    const link = (o) => `<${url0}${url.pathname}?limit=${limit}&page_info=${Buffer.from(JSON.stringify({ q: info0(q), offset: o })).toString("base64url")}>`;
    const links = [];
    if (offset > 0) links.push(`${link(Math.max(0, offset - limit))}; rel="previous"`);
    if (offset + limit < all.length) links.push(`${link(offset + limit)}; rel="next"`);
    return json(res, 200, { [key]: slice }, { ...headers, ...(links.length ? { link: links.join(", ") } : {}) });
  }
  const info0 = (q) => Object.fromEntries([...q].filter(([k]) => k !== "limit" && k !== "page_info"));

  function graphql(body, res) {
    const now = Date.now();
    bucket = { points: Math.min(gql.maximumAvailable, bucket.points + ((now - bucket.at) / 1000) * gql.restoreRate), at: now };
    const throttleStatus = () => ({ maximumAvailable: gql.maximumAvailable, currentlyAvailable: Math.floor(bucket.points), restoreRate: gql.restoreRate });
    if (spend) { spend = false; bucket = { points: 0, at: now }; } // the bucket is spent by "other calls" now
    if (bucket.points < GRAPHQL_COST) {
      state.throttled.graphql += 1;
      return json(res, 200, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: { requestedQueryCost: GRAPHQL_COST, actualQueryCost: null, throttleStatus: throttleStatus() } },
      });
    }
    bucket.points -= GRAPHQL_COST;
    const gid = body?.variables?.id ?? "";
    const id = gid.replace("gid://shopify/Order/", "");
    if (typeof body?.query !== "string" || !/transactions/.test(body.query) || !/fees/.test(body.query)) {
      return json(res, 200, { errors: [{ message: "query must select order.transactions.fees", extensions: { code: "BAD_REQUEST" } }] });
    }
    const tx = state.orders.get(id);
    return json(res, 200, {
      data: { order: tx ? { id: gid, transactions: tx } : null },
      extensions: { cost: { requestedQueryCost: GRAPHQL_COST, actualQueryCost: GRAPHQL_COST, throttleStatus: throttleStatus() } },
    });
  }

  const failOnce = (match, step) => once.push({ match, step });
  return { ...srv, state, script, failOnce, drainBucket: () => { spend = true; } };
}
