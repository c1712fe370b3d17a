// A Standard Webhooks receiver: verifies `webhook-signature` over "{id}.{timestamp}.{body}" with a
// 5-minute window, dedupes by `webhook-id`, and keeps what it accepted.
import crypto from "node:crypto";
import { listen, Script, sleep } from "./common.mjs";

// `faults` (a common.mjs Faults, keyed by webhook-id) injects 5xx, 429 and accept-then-hang.
export async function startWebhookReceiver(secret, { faults } = {}) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const received = new Map(); // webhook-id -> parsed body (first accepted copy)
  const log = []; // every request: {id, status}
  const script = new Script();
  const srv = await listen(async (req, body, res) => {
    const id = req.headers["webhook-id"];
    const ts = req.headers["webhook-timestamp"];
    const sigs = String(req.headers["webhook-signature"] ?? "").split(" ");
    const want = crypto.createHmac("sha256", key).update(`${id}.${ts}.`).update(body).digest();
    const ok = sigs.some((s) => {
      const [v, b64] = s.split(",");
      const got = Buffer.from(b64 ?? "", "base64");
      return v === "v1" && got.length === want.length && crypto.timingSafeEqual(got, want);
    });
    const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
    if (!id || !ok || !fresh) {
      log.push({ id, status: 401 });
      res.writeHead(401).end("bad signature");
      return;
    }
    const fault = faults?.pick(id);
    const step = script.next() ?? (fault?.status ? fault : undefined);
    if (step?.status) {
      log.push({ id, status: step.status });
      res.writeHead(step.status, step.headers ?? {}).end(step.body ?? "");
      return;
    }
    const duplicate = received.has(id);
    if (!duplicate) received.set(id, JSON.parse(body.toString("utf8")));
    log.push({ id, status: 200, duplicate, at: Date.now() });
    if (step?.acceptThenHang || fault?.acceptThenHang) await sleep(step?.acceptThenHang || fault.acceptThenHang);
    res.writeHead(200).end("ok");
  });
  return { ...srv, received, log, script };
}
