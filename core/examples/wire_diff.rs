//! Differential check of an adapter's wire reading: every fixture of a platform, mutated at every
//! value (wrong types, odd numbers, removed and repeated members, broken JSON inside), is mapped and
//! the outcome printed one line per case (the event as JSON, or the error's code and path). Run it
//! before and after changing how a platform is read and diff the two outputs.
//!
//! ```text
//! cargo run --release -p ledgerbridge-core --example wire_diff -- woocommerce > before.txt
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ledgerbridge_core::Platform;
use serde_json::Value;
use std::fmt::Write;

/// What to do at the node numbered `at` while writing the document back out.
enum Edit<'a> {
    Replace(&'a str),
    Remove,
    Repeat,
}

const VALUES: &[&str] = &[
    "null",
    "\"\"",
    "\"x\"",
    "\"12.5\"",
    "\"-3\"",
    "\"1e3\"",
    "\"99999999999999999999\"",
    "7",
    "0",
    "-3",
    "1.5",
    "1e400",
    "4294967296",
    "18446744073709551616",
    "-9223372036854775809",
    "true",
    "[]",
    "{}",
    "[1]",
    "{\"a\": 1}",
    "[1,}",
    "\"\\x\"",
    "\"a\\u00e9\"",
];

/// Writes `v` back as JSON, applying `edit` at the node numbered `at` (pre-order).
fn write(v: &Value, out: &mut String, n: &mut usize, at: usize, edit: &Edit) {
    match v {
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            for (k, child) in map {
                *n += 1;
                let me = *n;
                let key = serde_json::to_string(k).unwrap();
                if me == at && matches!(edit, Edit::Remove) {
                    skip_count(child, n);
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                let _ = write!(out, "{key}:");
                if me == at {
                    if let Edit::Replace(text) = edit {
                        out.push_str(text);
                        skip_count(child, n);
                        continue;
                    }
                    let mut copy = String::new();
                    let mut m = 0;
                    write(child, &mut copy, &mut m, usize::MAX, &Edit::Remove);
                    let _ = write!(out, "{copy},{key}:");
                }
                write(child, out, n, at, edit);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, child) in items.iter().enumerate() {
                *n += 1;
                if i > 0 {
                    out.push(',');
                }
                if *n == at {
                    if let Edit::Replace(text) = edit {
                        out.push_str(text);
                        skip_count(child, n);
                        continue;
                    }
                }
                write(child, out, n, at, edit);
            }
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

fn skip_count(v: &Value, n: &mut usize) {
    match v {
        Value::Object(map) => map.values().for_each(|c| {
            *n += 1;
            skip_count(c, n)
        }),
        Value::Array(items) => items.iter().for_each(|c| {
            *n += 1;
            skip_count(c, n)
        }),
        _ => {}
    }
}

fn outcome(platform: Platform, text: &[u8]) -> String {
    match platform.parse(text) {
        Ok(event) => serde_json::to_string(&event).unwrap(),
        Err(e) => format!("{} {:?}", e.code(), e.path()),
    }
}

fn main() {
    let name = std::env::args().nth(1).expect("platform");
    let platform: Platform = name.parse().expect("a platform name");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(root.join(&name))
        .unwrap()
        .map(|d| d.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let fixture = dir.file_name().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read(dir.join("input.json")).unwrap();
        println!("{fixture} asis {}", outcome(platform, &input));
        let v: Value = serde_json::from_slice(&input).unwrap();
        let mut count = 0;
        skip_count(&v, &mut count);
        for at in 1..=count {
            let mut edits: Vec<Edit> = VALUES.iter().map(|t| Edit::Replace(t)).collect();
            edits.push(Edit::Remove);
            edits.push(Edit::Repeat);
            for (k, edit) in edits.iter().enumerate() {
                let mut out = String::new();
                write(&v, &mut out, &mut 0, at, edit);
                println!("{fixture} {at}/{k} {}", outcome(platform, out.as_bytes()));
            }
        }
        let mut tail = input.clone();
        tail.extend_from_slice(b" x");
        println!("{fixture} trailing {}", outcome(platform, &tail));
        let mut cut = input.clone();
        cut.truncate(input.len() / 2);
        println!("{fixture} cut {}", outcome(platform, &cut));
    }
}
