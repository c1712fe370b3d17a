//! The core's modules form layers: each may use the ones before it in `LAYERS`, never one after
//! it. A back-arrow (an adapter reaching into the engine, the model into the journal) couples a
//! low layer to a high one, so changing the engine would start breaking adapters; this test reads
//! every `crate::<module>` path in the sources and fails on such an arrow, naming file and line.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Lowest first. `error` and `json` are shared by everything that reads input; `records` splits an
/// input file into payloads before any of them is parsed. The engine builds journal entries, so
/// the journal sits below it. Reports read entries only (never the engine's roles), so they sit
/// above the engine and below the exporters, which may one day render them.
const LAYERS: &[&str] = &[
    "error",
    "json",
    "records",
    "money",
    "model",
    "platforms",
    "rules",
    "journal",
    "engine",
    "reports",
    "exporters",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The `.rs` files of one top module: `src/<name>.rs` or everything under `src/<name>/`.
fn files_of(module: &str) -> Vec<PathBuf> {
    let file = src().join(format!("{module}.rs"));
    if file.is_file() {
        return vec![file];
    }
    let mut out = Vec::new();
    let mut dirs = vec![src().join(module)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Top modules named by `crate::` paths in `code`, including grouped imports
/// (`use crate::{journal::Entry, rules}`). Comments are skipped: a doc link is not a dependency.
fn referenced(code: &str) -> BTreeSet<String> {
    let code = match code.find("//") {
        Some(i) => &code[..i],
        None => code,
    };
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                out.insert(first_ident(item.trim()));
            }
        } else {
            out.insert(first_ident(rest));
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

fn first_ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Every `crate::` use in the sources against `LAYERS`, as readable complaints.
fn back_arrows() -> Vec<String> {
    let mut problems = Vec::new();
    for (rank, module) in LAYERS.iter().enumerate() {
        let files = files_of(module);
        if files.is_empty() {
            problems.push(format!("{module}: listed in LAYERS but has no source"));
        }
        for file in files {
            let text = fs::read_to_string(&file).unwrap_or_default();
            // `use crate::{` groups may span lines: join a group onto one line before reading it.
            let joined = join_groups(&text);
            for (n, line) in joined {
                for target in referenced(&line) {
                    let Some(target_rank) = LAYERS.iter().position(|l| *l == target) else {
                        problems.push(format!(
                            "{}:{n}: uses crate::{target}, which is not in LAYERS",
                            shown(&file)
                        ));
                        continue;
                    };
                    if target_rank > rank {
                        problems.push(format!(
                            "{}:{n}: {module} uses crate::{target}, a higher layer",
                            shown(&file)
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// Lines with their 1-based numbers, a `{ ... }` opened after `crate::` joined up to its `}`.
fn join_groups(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for (i, line) in text.lines().enumerate() {
        if open {
            if let Some(last) = out.last_mut() {
                last.1.push_str(line);
            }
        } else {
            out.push((i + 1, line.to_string()));
        }
        let current = out.last().map(|(_, l)| l.as_str()).unwrap_or("");
        open = current.contains("crate::{") && !current.contains('}');
    }
    out
}

fn shown(file: &Path) -> String {
    file.strip_prefix(src())
        .map(|p| format!("src/{}", p.display()))
        .unwrap_or_else(|_| file.display().to_string())
}

#[test]
fn no_module_uses_a_higher_layer() {
    let problems = back_arrows();
    assert!(
        problems.is_empty(),
        "layer order {}:\n{}",
        LAYERS.join(" → "),
        problems.join("\n")
    );
}

#[test]
fn every_top_module_has_a_layer() {
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap_or_default();
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.strip_prefix("mod ")
                .map(|rest| rest.trim_end_matches(';').trim().to_string())
        })
        .collect();
    let listed: BTreeSet<String> = LAYERS.iter().map(|s| s.to_string()).collect();
    assert_eq!(declared, listed, "lib.rs modules vs LAYERS");
}

#[test]
fn the_reader_sees_single_grouped_and_inline_uses() {
    let code = "use crate::model::Order;\nlet x = crate::money::parse(s); // crate::engine\n\
                use crate::{journal::Entry,\n    rules::Config};";
    let lines: Vec<BTreeSet<String>> = join_groups(code)
        .into_iter()
        .map(|(_, l)| referenced(&l))
        .collect();
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(lines[0], names(&["model"]));
    assert_eq!(lines[1], names(&["money"]));
    assert_eq!(lines[2], names(&["journal", "rules"]));
}
