// Stripe API stand-in: GET /v1/events with a secret key (`Authorization: Bearer sk_…`; 401
// otherwise), `delivery_success=false`, `created[gte]`, `limit` and `starting_after`, newest first
// with `has_more`, as Stripe's List Events does.
import { json, listen } from "./common.mjs";

export async function startStripe({ key }) {
  const state = { events: [], calls: [] }; // events: {event, delivered}
  const srv = await listen(async (req, _body, res) => {
    const url = new URL(req.url, "http://x");
    const q = url.searchParams;
    state.calls.push({ path: url.pathname, query: Object.fromEntries(q) });
    if (req.method !== "GET" || url.pathname !== "/v1/events") return json(res, 404, { error: { type: "invalid_request_error" } });
    if (req.headers.authorization !== `Bearer ${key}`) return json(res, 401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
    let list = state.events
      .filter((e) => q.get("delivery_success") !== "false" || !e.delivered)
      .map((e) => e.event)
      .filter((e) => !q.has("created[gte]") || e.created >= Number(q.get("created[gte]")))
      .sort((a, b) => b.created - a.created || b.id.localeCompare(a.id));
    const after = q.get("starting_after");
    if (after) list = list.slice(list.findIndex((e) => e.id === after) + 1);
    const limit = Math.min(100, Number(q.get("limit") ?? 10));
    return json(res, 200, { object: "list", url: "/v1/events", has_more: list.length > limit, data: list.slice(0, limit) });
  });
  return { ...srv, state };
}
