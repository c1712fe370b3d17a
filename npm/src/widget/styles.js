// Shadow-DOM styles. Theme from outside with CSS custom properties on the element, e.g.
//   ledger-preview { --ledger-accent: #5c6ac4; --ledger-font: "Inter", sans-serif; }
// Defaults follow prefers-color-scheme.
export const STYLES = `
:host {
  --ledger-bg: #ffffff;
  --ledger-fg: #1f2328;
  --ledger-muted: #59636e;
  --ledger-border: #d1d9e0;
  --ledger-stripe: #f6f8fa;
  --ledger-accent: #0969da;
  --ledger-ok: #1a7f37;
  --ledger-warn: #9a6700;
  --ledger-warn-bg: #fff8c5;
  --ledger-error: #d1242f;
  --ledger-error-bg: #ffebe9;
  --ledger-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --ledger-radius: 6px;
  display: block;
  color: var(--ledger-fg);
  background: var(--ledger-bg);
  font: 14px/1.45 var(--ledger-font);
}
@media (prefers-color-scheme: dark) {
  :host {
    --ledger-bg: #0d1117;
    --ledger-fg: #e6edf3;
    --ledger-muted: #9198a1;
    --ledger-border: #3d444d;
    --ledger-stripe: #151b23;
    --ledger-accent: #4493f8;
    --ledger-ok: #3fb950;
    --ledger-warn: #d29922;
    --ledger-warn-bg: #2e2a1f;
    --ledger-error: #f85149;
    --ledger-error-bg: #3b1d1f;
  }
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.root { padding: 12px; }
h2 { font-size: 15px; margin: 0 0 8px; }
table { width: 100%; border-collapse: collapse; margin: 0 0 14px; font-variant-numeric: tabular-nums; }
caption { text-align: left; padding: 0 0 6px; font-weight: 600; }
caption .meta { display: block; font-weight: 400; color: var(--ledger-muted); font-size: 12px; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--ledger-border); text-align: left; }
/* Account names and entry ids are long unbroken words: let them wrap so a phone never scrolls sideways. */
caption, tbody th, td:not(.num) { overflow-wrap: anywhere; }
thead th { font-size: 12px; color: var(--ledger-muted); font-weight: 600; }
tbody tr.line:nth-of-type(4n+1) { background: var(--ledger-stripe); }
tbody th { font-weight: 400; }
.num { text-align: right; white-space: nowrap; }
.zero { color: var(--ledger-muted); }
tfoot th, tfoot td { font-weight: 600; border-bottom: 2px solid var(--ledger-border); }
.why-toggle {
  font: inherit; font-size: 12px; color: var(--ledger-accent); background: none;
  border: 1px solid var(--ledger-border); border-radius: var(--ledger-radius); padding: 1px 6px; cursor: pointer;
}
.why-toggle:focus-visible { outline: 2px solid var(--ledger-accent); outline-offset: 1px; }
tr.why td { color: var(--ledger-muted); font-size: 12px; padding-left: 20px; }
.balanced { color: var(--ledger-ok); }
.unbalanced { color: var(--ledger-error); }
.warnings { list-style: none; padding: 0; margin: 0 0 14px; }
.warnings li {
  background: var(--ledger-warn-bg); color: var(--ledger-fg); border-left: 3px solid var(--ledger-warn);
  padding: 6px 10px; margin: 0 0 4px; border-radius: var(--ledger-radius);
}
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.profit { display: grid; grid-template-columns: repeat(auto-fit, minmax(110px, 1fr)); gap: 8px; margin: 0; }
.profit div { border: 1px solid var(--ledger-border); border-radius: var(--ledger-radius); padding: 6px 10px; }
.profit dt { font-size: 12px; color: var(--ledger-muted); }
.profit dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.profit .margin { border-color: var(--ledger-accent); }
.error {
  background: var(--ledger-error-bg); color: var(--ledger-fg); border-left: 3px solid var(--ledger-error);
  padding: 10px 12px; border-radius: var(--ledger-radius);
}
.error .code { color: var(--ledger-error); font-weight: 600; }
.rejected { list-style: none; padding: 0; margin: 0 0 14px; }
.rejected li { margin: 0 0 4px; }
.empty, .loading { color: var(--ledger-muted); }
h3 { font-size: 14px; margin: 0 0 8px; }
.documents .target { margin: 0 0 14px; }
.doc-type { color: var(--ledger-accent); }
.contact { font-weight: 600; color: var(--ledger-fg); }
.badge {
  display: inline-block; margin-left: 6px; padding: 0 6px; font-size: 11px; color: var(--ledger-fg);
  border: 1px solid var(--ledger-border); border-radius: var(--ledger-radius); background: var(--ledger-stripe);
}
tbody tr.doc-line:nth-of-type(odd) { background: var(--ledger-stripe); }
.item-ref { display: block; font-size: 12px; color: var(--ledger-muted); }
table.document tfoot th, table.document tfoot td { font-weight: 400; border-bottom-width: 1px; }
table.document tfoot tr.total th, table.document tfoot tr.total td { font-weight: 600; border-bottom-width: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
