// The Stripe backfill (reliability case 17): an event Stripe failed to deliver is listed by the
// next sweep (List Events with `delivery_success=false`, a stand-in enforcing the secret key),
// booked and posted once; its webhook arriving late is a duplicate; delivered events are not pulled.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startStripe } from "./standins/stripe.mjs";
import { startWebhookReceiver } from "./standins/webhook-receiver.mjs";
import { WEBHOOK_SECRET, coreMapAs, fixtureOf, idle, rows, sendStripe, startWorker, waitFor } from "./helpers.mjs";

const KEY = "sk_test_backfill";
let mf, stripe, receiver;
const now = Math.floor(Date.now() / 1000);
const event = (id, fixture, created) => ({ id, object: "event", type: "charge.succeeded", created, data: { object: JSON.parse(fixtureOf("stripe", fixture)) } });
const lost = event("evt_lost_1", "charge-fee-usd", now - 3600);
const delivered = event("evt_ok_1", "charge-jpy-zero-decimal", now - 1800);

before(async () => {
  receiver = await startWebhookReceiver(WEBHOOK_SECRET);
  stripe = await startStripe({ key: KEY });
  stripe.state.events.push({ event: lost, delivered: false }, { event: delivered, delivered: true });
  mf = await startWorker({
    shops: { default: { targets: ["webhook"], webhook_url: `${receiver.url}/hook`, stripe: { api_base: stripe.url } } },
    vars: { STRIPE_API_KEY: KEY },
  });
});
after(async () => { await mf?.dispose(); await stripe?.close(); await receiver?.close(); });

const sweep = async () => { await (await mf.getWorker()).scheduled({ cron: "*/2 * * * *" }); await waitFor("idle", () => idle(mf), 20000); };
const posted = () => receiver.log.filter((l) => l.status === 200 && !l.duplicate).map((l) => l.id);

test("an undelivered event is backfilled by the next sweep, booked as the core maps it and posted once", async () => {
  await sweep();
  const want = coreMapAs("stripe", JSON.stringify(lost), "").entries;
  assert.ok(want.length > 0);
  const booked = (await rows(mf, "SELECT json FROM entries ORDER BY created_at, rowid")).map((r) => JSON.parse(r.json));
  assert.deepEqual(booked, want);
  assert.deepEqual(posted(), want.map((e) => e.id));
  const events = await rows(mf, "SELECT delivery_id, topic FROM events");
  assert.deepEqual(events, [{ delivery_id: "evt_lost_1", topic: "charge.succeeded" }], "the delivered event is not pulled");
  const [call] = stripe.state.calls;
  assert.equal(call.query.delivery_success, "false");
  assert.ok(Number(call.query["created[gte]"]) <= lost.created, "the first pull looks back");
});

test("the event's late webhook is a duplicate; the next sweep records nothing new", async () => {
  const r = await sendStripe(mf, lost);
  assert.equal(r.status, 200);
  assert.match(r.body, /duplicate/);
  await sweep();
  assert.equal((await rows(mf, "SELECT id FROM events")).length, 1);
  assert.equal(posted().length, 1);
  const [cursor] = await rows(mf, "SELECT cursor FROM pull_cursors WHERE source = 'stripe'");
  assert.equal(cursor.cursor, String(lost.created));
  assert.equal(stripe.state.calls.at(-1).query["created[gte]"], String(lost.created - 1));
});
