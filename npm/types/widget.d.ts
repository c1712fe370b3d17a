// `ledgerbridge/widget`: importing it defines <ledger-preview>.
import type { ConfigInput, EntryTotals, Mapped, PayloadInput, PlatformName } from "./index.js";

export class LedgerPreview extends HTMLElement {
  static readonly observedAttributes: string[];
  /** Platform of `payload` (default "shopify"). Attribute: `platform`. */
  platform: PlatformName | null;
  /** Order payload: JSON text or object. Attribute: `payload`. */
  payload: PayloadInput | null;
  /** Mapping config: TOML/JSON text or object. Attribute: `config`. */
  config: ConfigInput | null;
  /** URL returning `Mapped` JSON (e.g. the worker's `/api/preview/:platform/:order_id`). */
  src: string | null;
  /** Sent as `Authorization: Bearer <token>` with `src`. */
  token: string | null;
  /** BCP 47 locale for amounts (default: the page's). */
  locale: string | null;
  /** Accessible name of the entries region (default "Journal entries"); give each widget its own
   *  when a page shows several, so assistive technology can tell them apart. Attribute: `label`. */
  label: string | null;
  /** A `Mapped` document to show as is; with `totals` (one per entry, as the edge worker's preview
   *  sends) the widget shows it without loading the wasm core. In document mode the worker's
   *  preview also carries `documents`, shown before the journals that still book. */
  mapped: (Mapped & { totals?: EntryTotals[]; documents?: DocumentPreview[] }) | null;
}

/** One accounting target's sales documents in the edge worker's preview (document mode,
 *  docs/documents.md): the core's `document_preview`, or why it could not make them. */
export interface DocumentPreview {
  target: "qbo" | "xero";
  /** The requests exactly as the poster sends them (`document_posts`). */
  posts?: unknown[];
  documents?: DocumentView[];
  error?: { code: string; path: string; message: string };
}

/** Every amount is a decimal string at the currency's minor units, written by the core. */
export interface DocumentView {
  id: string;
  /** `SalesReceipt`, `Invoice`, `RefundReceipt`; Xero `Invoice`, `CreditNote`. */
  type: string;
  number: string;
  date: string;
  currency: string;
  taxes_included: boolean;
  contact: { name: string; key: string; shared_guest: boolean; truncated: boolean };
  lines: {
    kind: "item" | "gift-card" | "shipping" | "tip" | "adjustment";
    item: string;
    description: string;
    quantity: string;
    unit_price: string;
    discount: string;
    amount: string;
    tax_code: string;
    tax: string;
  }[];
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
  payment: { amount: string; account: string | null; separate_post: boolean } | null;
}

export interface LedgerPreviewEventMap {
  "ledger-preview:render": CustomEvent<Mapped>;
  "ledger-preview:error": CustomEvent<Error & { code?: string; path?: string; status?: number }>;
}

declare global {
  interface HTMLElementTagNameMap {
    "ledger-preview": LedgerPreview;
  }
}
