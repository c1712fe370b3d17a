// The peer the benchmark measures `mapEvent` against (bench code, never shipped): the Shopify sale
// mapper a careful JS shop would write instead of using ledgerbridge. JSON.parse, exact decimal
// arithmetic in BigInt minor units (no float ever touches money), and the same entry objects the
// core builds, down to each line's `why` and the profit summary, so the two do the same work.
//
// Scope, on purpose: an order body (`orders/*`) with no refunds, the default accounts, and a config
// with only `shop` — what the six benchmark orders need. It refuses anything else rather than
// guess, and it does not re-check the payload's declared totals (the core does, which favours the
// peer). npm/test/peer.test.mjs keeps it equal to the core on those orders.

const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);
const RECEIVABLE = new Set(["manual", "cash_on_delivery", "cash on delivery (cod)", "bank_deposit", "money_order", "cod"]);
const GIFT_CARD = "gift_card";
const TEN = [1n, 10n, 100n, 1000n];

class PeerError extends Error {}

/** A decimal string (or JSON number) as an integer count of the currency's minor units. */
function minor(value, scale, path) {
  const text = typeof value === "number" ? String(value) : value;
  const m = typeof text === "string" ? /^(-?)(\d+)(?:\.(\d+))?$/.exec(text) : null;
  if (!m) throw new PeerError(`${path}: not a decimal: ${text}`);
  let frac = m[3] ?? "";
  while (frac.length > scale && frac.endsWith("0")) frac = frac.slice(0, -1);
  if (frac.length > scale) throw new PeerError(`${path}: ${text} has more than ${scale} decimal places`);
  const units = BigInt(m[2]) * TEN[scale] + BigInt(frac.padEnd(scale, "0") || "0");
  return m[1] ? -units : units;
}

function format(units, scale) {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  return (neg ? "-" : "") + (scale ? `${int}.${digits.slice(-scale)}` : int);
}

/** a / b rounded half to even (b > 0). */
function divEven(a, b) {
  const neg = a < 0n;
  const n = neg ? -a : a;
  let q = n / b;
  const r2 = (n % b) * 2n;
  if (r2 > b || (r2 === b && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

/** Account name component: words of ASCII letters/digits, first letter upper-cased, joined by `-`. */
function component(text) {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.length ? words.map((w) => w[0].toUpperCase() + w.slice(1)).join("-") : "Unnamed";
}

function shopMoney(plain, set) {
  return plain ?? set?.shop_money?.amount;
}

const configs = new Map();
/** The config text, parsed once per distinct text (as the core's mapper cache does). */
function parseConfig(text) {
  let config = configs.get(text);
  if (!config) {
    const m = /^\s*shop\s*=\s*"([^"\s]+)"\s*$/.exec(text ?? "");
    if (!m) throw new PeerError("the peer understands only a config of `shop = \"...\"`");
    config = { shop: m[1], accounts: new Map() };
    configs.set(text, config);
  }
  return config;
}

function account(config, kind, key) {
  const cacheKey = `${kind}\0${key}`;
  let name = config.accounts.get(cacheKey);
  if (name === undefined) {
    if (kind === "tax") name = `Liabilities:SalesTax:${component(key)}`;
    else if (kind === "fee") name = `Expenses:PaymentFees:${component(key)}`;
    else if (key === GIFT_CARD) name = "Liabilities:GiftCards";
    else if (RECEIVABLE.has(key.toLowerCase())) name = "Assets:Receivable";
    else name = `Assets:Clearing:${component(key)}`;
    config.accounts.set(cacheKey, name);
  }
  return name;
}

function discountNames(discounts) {
  const codes = discounts.map((d) => d.code).filter((c) => c != null);
  return codes.length ? `discount ${codes.join(", ")}` : "discount allocated to this line";
}

/** (revenue, discount) ex tax when prices include tax; see the core's `split_inclusive`. */
function splitInclusive(gross, discount, tax, included) {
  if (!included) return [gross, discount];
  const after = gross - discount;
  const net = after - tax;
  const ex = discount === 0n || after === 0n ? discount - (after === 0n ? tax : 0n) : divEven(discount * net, after);
  return [net + ex, ex];
}

/** Maps one Shopify order body (JSON text) with a config text to `{ entries, warnings, profit }`. */
export function peerMap(payload, configText) {
  const config = parseConfig(configText);
  const p = JSON.parse(payload);
  if (p.refunds?.length || p.payout || p.order || !Array.isArray(p.line_items)) {
    throw new PeerError("the peer maps order bodies without refunds only");
  }
  const cur = p.currency;
  const scale = ZERO_DECIMAL.has(cur) ? 0 : THREE_DECIMAL.has(cur) ? 3 : 2;
  const fmt = (u) => format(u, scale);
  const UNPAID = ["pending", "voided", "authorized", "expired"];
  if (p.cancelled_at && UNPAID.includes(p.financial_status)) throw new PeerError("cancelled unpaid");
  const included = p.taxes_included === true;
  const apps = p.discount_applications ?? [];
  const postings = []; // [account, signed minor units (debit > 0), why, role]
  const post = (accountName, units, why, role) => {
    if (units !== 0n) postings.push([accountName, units, why, role]);
  };
  const discountsOf = (allocations, path) =>
    (allocations ?? []).map((a, i) => {
      const app = a.discount_application_index == null ? undefined : apps[a.discount_application_index];
      return {
        amount: minor(shopMoney(a.amount, a.amount_set), scale, `${path}.discount_allocations[${i}].amount`),
        code: app ? (app.code ?? app.title ?? null) : null,
      };
    });
  const sum = (xs) => xs.reduce((a, x) => a + x.amount, 0n);
  const taxesOf = (lines, path) =>
    (lines ?? []).map((t, j) => ({
      title: t.title,
      rate: t.rate,
      amount: minor(shopMoney(t.price, t.price_set), scale, `${path}.tax_lines[${j}].price`),
    }));
  const bookTaxes = (taxes, path) => {
    taxes.forEach((t, j) => {
      const rate = t.rate == null ? "" : ` at ${t.rate}`;
      post(account(config, "tax", t.title), -t.amount, `${path}.tax_lines[${j}]: "${t.title}"${rate} collected for the tax authority`, "other");
    });
  };
  const net = included ? ", tax removed" : "";

  p.line_items.forEach((l, i) => {
    const path = `line_items[${i}]`;
    const unit = minor(shopMoney(l.price, l.price_set), scale, `${path}.price`);
    const qty = BigInt(l.quantity);
    const gross = unit * qty;
    const discounts = discountsOf(l.discount_allocations, path);
    const taxes = taxesOf(l.tax_lines, path);
    const sku = l.sku || null;
    const title = l.title ?? "";
    const label = sku ? (title ? `${sku} "${title}"` : sku) : title ? `"${title}"` : "item";
    if (l.gift_card) {
      post("Liabilities:GiftCards", -(gross - sum(discounts)), `${path}: gift card ${label} ${l.quantity} × ${fmt(unit)} sold: a liability until redeemed, not revenue`, "other");
    } else {
      const [sales, discountEx] = splitInclusive(gross, sum(discounts), sum(taxes), included);
      post("Income:Sales", -sales, `${path}: ${label} ${l.quantity} × ${fmt(unit)}${net} (default sales account)`, "revenue");
      if (discountEx !== 0n) post("Income:Discounts", discountEx, `${path}.discount_allocations: ${discountNames(discounts)}${net}`, "discount");
    }
    bookTaxes(taxes, path);
  });

  (p.shipping_lines ?? []).forEach((s, i) => {
    const path = `shipping_lines[${i}]`;
    const price = minor(shopMoney(s.price, s.price_set), scale, `${path}.price`);
    const discounts = discountsOf(s.discount_allocations, path);
    if (!discounts.length && s.discounted_price != null) {
      const discounted = minor(s.discounted_price, scale, `${path}.discounted_price`);
      if (discounted < price) discounts.push({ amount: price - discounted, code: null });
    }
    const taxes = taxesOf(s.tax_lines, path);
    const [income, discountEx] = splitInclusive(price, sum(discounts), sum(taxes), included);
    post("Income:Shipping", -income, `${path}: "${s.title || "shipping"}" shipping charged`, "revenue");
    if (discountEx !== 0n) post("Income:Discounts", discountEx, `${path}: shipping ${discountNames(discounts)}`, "discount");
    bookTaxes(taxes, path);
  });

  const tip = p.total_tip_received == null ? 0n : minor(p.total_tip_received, scale, "total_tip_received");
  post("Income:Tips", -tip, "total_tip_received: tip received", "revenue");

  // Successful sales and captures, named by their index in the payload (as the core does).
  const transactions = p.transactions ?? [];
  const foreign = transactions.some((t) => t.currency && t.currency.toUpperCase() !== cur && t.amount_set?.shop_money?.amount == null);
  const tenders = [];
  for (const [at, t] of (foreign ? [] : transactions).entries()) {
    const kind = t.kind === "sale" || t.kind === "capture" ? "payment" : t.kind === "refund" ? "refund" : null;
    if (!kind || !(t.status == null || t.status === "success")) continue;
    const fee = t.fee != null ? t.fee : t.fees?.length ? t.fees.reduce((a, f) => a + minor(f.amount, scale, "fees"), 0n) : null;
    tenders.push({ kind, at, gateway: t.gateway, amount: t.amount_set?.shop_money?.amount ?? t.amount, fee });
  }
  const bookFee = (gateway, clearing, fee, path) => {
    const units = typeof fee === "bigint" ? fee : minor(fee, scale, `${path}.fee`);
    if (units === 0n) return;
    const why = `${path}.fee: ${fmt(units)} kept by ${gateway}`;
    post(account(config, "fee", gateway), units, why, "fee");
    post(clearing, -units, why, "other");
  };
  const payments = tenders.filter((t) => t.kind === "payment");
  if (!payments.length) {
    const due = -postings.reduce((a, x) => a + x[1], 0n);
    const names = p.payment_gateway_names ?? [];
    const gateway = names.find((g) => g !== GIFT_CARD) ?? names[0] ?? p.gateway ?? "manual";
    if (!gateway.trim()) throw new PeerError("unnamed gateway");
    post(account(config, "clearing", gateway), due, `order total owed through ${JSON.stringify(gateway)} (no transaction in the payload)`, "other");
  }
  for (const t of payments) {
    const path = `transactions[${t.at}]`;
    const paid = minor(t.amount, scale, `${path}.amount`);
    if (!t.gateway.trim()) throw new PeerError("unnamed gateway");
    const clearing = account(config, "clearing", t.gateway);
    const why = t.gateway === GIFT_CARD ? `${path}: paid by gift card, which releases that much liability` : `${path}: ${fmt(paid)} paid through ${t.gateway}`;
    post(clearing, paid, why, "other");
    if (t.fee != null) bookFee(t.gateway, clearing, t.fee, path);
  }

  // Balance: a residue of at most one minor unit per line goes to rounding, more is refused.
  let debits = 0n;
  let credits = 0n;
  for (const [, units] of postings) {
    if (units > 0n) debits += units;
    else credits -= units;
  }
  const residue = credits - debits;
  if (residue !== 0n) {
    if ((residue < 0n ? -residue : residue) > BigInt(Math.max(postings.length, 1))) throw new PeerError("unbalanced source");
    const abs = residue < 0n ? -residue : residue;
    post("Expenses:Rounding", residue, `rounding: the source's amounts differ by ${fmt(abs)} ${cur} from the lines they pay for`, "other");
  }
  const ordered = postings.filter((x) => x[1] > 0n).concat(postings.filter((x) => x[1] < 0n));
  const zero = fmt(0n);
  const totals = { revenue: 0n, discount: 0n, refund: 0n, fee: 0n, cogs: 0n };
  const lines = ordered.map(([accountName, units, why, role]) => {
    if (role !== "other") totals[role] += role === "revenue" ? -units : units;
    const abs = fmt(units < 0n ? -units : units);
    return units > 0n ? { account: accountName, debit: abs, credit: zero, why } : { account: accountName, debit: zero, credit: abs, why };
  });

  const id = String(p.id);
  const processed = p.processed_at ?? p.created_at;
  const version = String(Math.floor(Date.parse(p.updated_at ?? processed) / 1000));
  let memo = `Shopify order ${p.name || id}`;
  const presentment = p.total_price_set?.presentment_money;
  if (p.presentment_currency && presentment && p.presentment_currency !== cur) {
    const pc = p.presentment_currency;
    const pscale = ZERO_DECIMAL.has(pc) ? 0 : THREE_DECIMAL.has(pc) ? 3 : 2;
    memo += ` (customer paid ${format(minor(presentment.amount, pscale, "total_price_set"), pscale)} ${pc})`;
  }
  const margin = totals.revenue - totals.discount - totals.refund - totals.fee - totals.cogs;
  return {
    entries: [
      {
        id: `shopify:${config.shop}:order:${id}:sale:${version}`,
        date: processed.slice(0, 10),
        currency: cur,
        memo,
        source: { platform: "shopify", shop: config.shop, kind: "sale", id, version },
        lines,
      },
    ],
    warnings: [],
    profit: {
      currency: cur,
      revenue: fmt(totals.revenue),
      discounts: fmt(totals.discount),
      refunds: fmt(totals.refund),
      fees: fmt(totals.fee),
      cogs: fmt(totals.cogs),
      margin: fmt(margin),
    },
  };
}

/** As `peerMap`, returning compact JSON text (what `mapEventJson` returns). */
export function peerMapJson(payload, configText) {
  return JSON.stringify(peerMap(payload, configText));
}

/** The six orders the benchmark and npm/test/peer.test.mjs use (tests/fixtures/shopify/NAME). */
export const PEER_ORDERS = ["discount-shipping-tax", "tax-inclusive-eu", "tip", "two-gateways", "multi-currency", "rounding-residue"];

/** JSON text without whitespace between tokens (string contents untouched): webhook bodies arrive
 * compact, the fixtures are pretty-printed. */
export function compact(text) {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === "\\") out += text[++i];
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch !== " " && ch !== "\n" && ch !== "\r" && ch !== "\t") {
      out += ch;
    }
  }
  return out;
}
