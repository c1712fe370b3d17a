// The authorization-code half of OAuth 2.0 (RFC 6749 §4.1) as QBO and Xero run it, shared by their
// stand-ins: the authorize endpoint checks the client, `response_type=code`, the scopes and the
// registered redirect URI (a wrong one gets an error page, never a redirect: §4.1.2.1), then
// redirects with a one-time code (10 minutes) and the state; the token endpoint takes each code once,
// with the same redirect URI, from the authenticated client.
import crypto from "node:crypto";

export class AuthorizationCodes {
  constructor({ clientId, redirectUris, scopes, extra = () => ({}) }) {
    Object.assign(this, { clientId, redirectUris, scopes, extra });
    this.codes = new Map(); // code -> { redirectUri, expires, used }
    this.deny = false; // the user clicks "cancel"
    this.authorizations = 0;
  }

  /** GET authorize → [status, headers, body]. */
  authorize(url) {
    const q = url.searchParams;
    const redirect = q.get("redirect_uri");
    if (q.get("client_id") !== this.clientId) return [400, {}, "unknown client_id"];
    if (!this.redirectUris.includes(redirect)) return [400, {}, `redirect_uri ${redirect} is not registered`];
    const to = new URL(redirect);
    if (q.get("state")) to.searchParams.set("state", q.get("state"));
    const granted = (q.get("scope") ?? "").split(" ");
    if (q.get("response_type") !== "code") to.searchParams.set("error", "unsupported_response_type");
    else if (!this.scopes.every((s) => granted.includes(s))) to.searchParams.set("error", "invalid_scope");
    else if (this.deny) to.searchParams.set("error", "access_denied");
    else {
      const code = `code-${crypto.randomUUID()}`;
      this.codes.set(code, { redirectUri: redirect, expires: Date.now() + 600_000, used: false });
      this.authorizations += 1;
      to.searchParams.set("code", code);
      for (const [k, v] of Object.entries(this.extra())) to.searchParams.set(k, v);
    }
    return [302, { location: to.href }, ""];
  }

  /** Whether an `authorization_code` grant may be exchanged; a code works once. */
  redeem(form) {
    const c = this.codes.get(form.get("code"));
    if (!c || c.used || c.expires < Date.now() || c.redirectUri !== form.get("redirect_uri")) return false;
    c.used = true;
    return true;
  }
}
