// BigCommerce V2 Orders API stand-in: GET /stores/{hash}/v2/orders/{id}[/products|/shipping_addresses|/coupons]
// with `X-Auth-Token` (401 without the right one), 404 for an unknown order, 204 for an order with
// no coupons (as the API answers an empty sub-resource), and scripted 5xx/429 answers.
import { json, listen, Script } from "./common.mjs";

/** `orders`: order id → the combined fixture document {order, products, shipping_addresses, coupons}. */
export async function startBigCommerce({ storeHash, token, orders }) {
  const state = { calls: [] };
  const script = new Script();
  const srv = await listen(async (req, _body, res) => {
    const url = new URL(req.url, "http://x");
    const m = url.pathname.match(/^\/stores\/([^/]+)\/v2\/orders\/(\d+)(?:\/(products|shipping_addresses|coupons))?$/);
    state.calls.push({ method: req.method, path: url.pathname });
    if (req.method !== "GET" || !m) return json(res, 404, { status: 404, title: "not found" });
    if (req.headers["x-auth-token"] !== token) return json(res, 401, { status: 401, title: "Unauthorized" });
    if (m[1] !== storeHash) return json(res, 404, { status: 404, title: "store" });
    const step = script.next();
    if (step?.status) return json(res, step.status, { status: step.status }, step.headers);
    const doc = orders.get(m[2]);
    if (!doc) return json(res, 404, [{ status: 404, message: "The requested resource was not found." }]);
    const part = m[3] ?? "order";
    const value = doc[part];
    if (Array.isArray(value) && value.length === 0) { res.writeHead(204).end(); return; }
    return json(res, 200, value);
  });
  return { ...srv, state, script };
}
