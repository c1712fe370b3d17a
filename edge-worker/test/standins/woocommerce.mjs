// WooCommerce REST stand-in: GET /wp-json/wc/v3/orders with HTTP Basic (consumer key and secret;
// 401 otherwise), `modified_after` (exclusive, compared with `date_modified_gmt` when
// `dates_are_gmt=true`), `orderby=modified&order=asc`, `per_page` and `page`.
import { json, listen } from "./common.mjs";

export async function startWooCommerce({ key, secret }) {
  const state = { orders: new Map(), calls: [] }; // id -> order object
  const srv = await listen(async (req, _body, res) => {
    const url = new URL(req.url, "http://x");
    state.calls.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    if (req.method !== "GET" || url.pathname !== "/wp-json/wc/v3/orders") return json(res, 404, { code: "rest_no_route" });
    if (req.headers.authorization !== `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`) {
      return json(res, 401, { code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources." });
    }
    const after = url.searchParams.get("modified_after");
    const orderby = url.searchParams.get("orderby");
    if (url.searchParams.get("dates_are_gmt") !== "true" || !["modified", "date"].includes(orderby)) {
      return json(res, 400, { code: "rest_invalid_param" });
    }
    const createdAfter = url.searchParams.get("after");
    const createdBefore = url.searchParams.get("before");
    const field = orderby === "date" ? "date_created_gmt" : "date_modified_gmt";
    const perPage = Number(url.searchParams.get("per_page") ?? 10);
    const page = Number(url.searchParams.get("page") ?? 1);
    const list = [...state.orders.values()]
      .filter((o) => !after || o.date_modified_gmt > after)
      .filter((o) => (!createdAfter || o.date_created_gmt > createdAfter) && (!createdBefore || o.date_created_gmt < createdBefore))
      .sort((a, b) => a[field].localeCompare(b[field]) || a.id - b.id);
    return json(res, 200, list.slice((page - 1) * perPage, page * perPage), { "x-wp-total": String(list.length) });
  });
  return { ...srv, state };
}
