//! The queue: the names of its bindings and the jobs it carries. Jobs hold ids only (D1 holds the
//! rest), so a redelivered job finds its work done and is acknowledged.

use worker::js_sys::{Function, Object, Promise, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::{Env, Queue, Result};

/// The work queue (mapping and delivery jobs), as wrangler.toml binds it.
const POSTINGS: &str = "POSTINGS";
/// Where parked postings go for an operator; also the work queue's own dead-letter queue.
const DEAD_LETTERS: &str = "DEAD_LETTERS";

/// A job as the queue carries it: `{"job": "event", "id": 7}` or
/// `{"job": "post", "entry": "…", "target": "qbo"}` (JSON content type). Read and written field by
/// field ([`Job::to_js`], [`Job::from_js`]) rather than through serde_wasm_bindgen: its copies for
/// this enum were 12 KB of code, and dropping them took the bundle from 984.5 to 976.1 KiB gzipped
/// (issue #17).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Map a recorded event.
    Event { id: i64 },
    /// Deliver a booked entry to one target.
    Post { entry: String, target: String },
}

impl Job {
    /// A post per booked entry and per target that takes entries one at a time: D1 holds them
    /// already, and a held target (`per-payout`, `daily`) gets the summary instead.
    pub fn posts(
        entries: &[ledgerbridge_core::Entry],
        targets: &[crate::config::Target],
        held: &[&str],
    ) -> Vec<Job> {
        let takers: Vec<&str> = targets
            .iter()
            .filter(|t| **t != crate::config::Target::D1 && !held.contains(&t.as_str()))
            .map(|t| t.as_str())
            .collect();
        entries
            .iter()
            .flat_map(|entry| {
                takers.iter().map(|target| Job::Post {
                    entry: entry.id.clone(),
                    target: (*target).to_string(),
                })
            })
            .collect()
    }
}

impl Job {
    pub fn to_js(&self) -> JsValue {
        let object = Object::new();
        let set = |key: &str, value: JsValue| {
            // Setting a plain property of a fresh object cannot fail.
            let _ = Reflect::set(&object, &JsValue::from_str(key), &value);
        };
        match self {
            Job::Event { id } => {
                set("job", JsValue::from_str("event"));
                // Event ids are D1 row ids: exact in a JS number (below 2^53).
                set("id", JsValue::from_f64(*id as f64));
            }
            Job::Post { entry, target } => {
                set("job", JsValue::from_str("post"));
                set("entry", JsValue::from_str(entry));
                set("target", JsValue::from_str(target));
            }
        }
        object.into()
    }

    /// The job a message body holds, or `None` for a body no version of the worker sends.
    pub fn from_js(body: &JsValue) -> Option<Job> {
        let get = |key: &str| Reflect::get(body, &JsValue::from_str(key)).ok();
        match get("job")?.as_string()?.as_str() {
            "event" => {
                let id = get("id")?
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)?;
                Some(Job::Event { id: id as i64 })
            }
            "post" => Some(Job::Post {
                entry: get("entry")?.as_string()?,
                target: get("target")?.as_string()?,
            }),
            _ => None,
        }
    }
}

/// Sends one job (as JSON, as `Queue::send` did), through the binding's own `send(body,
/// {contentType})`: `Queue::send_raw` serializes its options with serde-wasm-bindgen, the last
/// user of that serializer in the worker.
pub async fn send(queue: &Queue, job: &Job) -> Result<()> {
    let binding: &JsValue = queue.as_ref();
    let send: Function = Reflect::get(binding, &JsValue::from_str("send"))?.dyn_into()?;
    let options = Object::new();
    Reflect::set(
        &options,
        &JsValue::from_str("contentType"),
        &JsValue::from_str("json"),
    )?;
    let sent = send.call2(binding, &job.to_js(), &options)?;
    JsFuture::from(Promise::from(sent)).await?;
    Ok(())
}

/// The longest delay asked of Cloudflare Queues for a retried message: half the documented 24 h
/// maximum, so a change of that limit cannot turn a deferral into an error.
pub const MAX_QUEUE_DELAY_S: u32 = 43_200;

pub fn work(env: &Env) -> Result<Queue> {
    env.queue(POSTINGS)
}

pub fn dead_letters(env: &Env) -> Result<Queue> {
    env.queue(DEAD_LETTERS)
}

/// Enqueues mapping jobs for `events` and delivery jobs for `postings` (entry id, target).
pub async fn enqueue(env: &Env, events: &[i64], postings: &[(String, String)]) -> Result<()> {
    let queue = work(env)?;
    for id in events {
        send(&queue, &Job::Event { id: *id }).await?;
    }
    for (entry, target) in postings {
        let job = Job::Post {
            entry: entry.clone(),
            target: target.clone(),
        };
        send(&queue, &job).await?;
    }
    Ok(())
}
