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
   *  sends) the widget shows it without loading the wasm core. */
  mapped: (Mapped & { totals?: EntryTotals[] }) | null;
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
