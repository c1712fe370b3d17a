//! The reference command line: platform payloads in, `Mapped` JSON or an export out.
//!
//! ```text
//! cargo run -p ledgerbridge-core --example map -- --platform shopify [--config FILE] [--shop NAME]
//!     [--format json|qbo|xero|beancount|hledger|csv] [--summary payout|day|month]
//!     [--report tax|profit|clearing|giftcards|refunds [--from D] [--to D] [--by B] [--currency C]]
//!     FILE|-
//! ```
//! `--report KIND` maps every record, then prints the report over all their entries as one
//! compact JSON line: the same bytes as the npm CLI's `ledgerbridge report KIND --format json`.
//! Entry ids name the shop (`--shop`, else the config's `shop`, else `default`). The worker books
//! under the shop's domain, so output meant for posting next to it must name the same shop or
//! every entry would post twice: `--format qbo|xero` refuses to run without one, and any other
//! output warns on stderr. Options take `--name value` or `--name=value`.
//! FILE holds one JSON payload, or JSONL (one payload per line). With `--format json` (the default)
//! and no summary, output is one compact `Mapped` JSON document per payload, one per line.
//! Otherwise the entries of all payloads are collected, summarized when asked, and printed once
//! in the format (`json` then prints the entries as one array); warnings then go to stderr.
//! Errors go to stderr, naming the record; the exit code is 1 when any record failed (the output
//! then holds the other records), 2 on bad usage.

use ledgerbridge_core::exporters::{export, Format};
use ledgerbridge_core::journal::{summarize, SummaryBy};
use ledgerbridge_core::json::write::WriteJson;
use ledgerbridge_core::records::split_records;
use ledgerbridge_core::reports::{self, ReportKind, ReportOptions};
use ledgerbridge_core::{map, Config, Entry, LedgerError, Platform};
use std::io::{self, Read, Write};
use std::process::ExitCode;

struct Args {
    platform: Platform,
    config: Config,
    format: Format,
    summary: Option<SummaryBy>,
    report: Option<(ReportKind, ReportOptions)>,
    input: String,
}

fn parse_args() -> Result<Args, String> {
    let mut platform = None;
    let mut config = Config::default();
    let mut shop = None;
    let mut format = Format::Json;
    let mut summary = None;
    let mut report_kind = None;
    let mut options = ReportOptions::default();
    let mut input = None;
    // `--name=value` is split into `--name` `value` before matching.
    let mut args = std::env::args()
        .skip(1)
        .flat_map(|arg| match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                vec![name.to_string(), value.to_string()]
            }
            _ => vec![arg],
        });
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--shop" => shop = Some(args.next().ok_or("--shop needs a value")?),
            "--platform" => {
                let value = args.next().ok_or("--platform needs a value")?;
                platform = Some(value.parse::<Platform>().map_err(|e| e.to_string())?);
            }
            "--config" => {
                let path = args.next().ok_or("--config needs a file")?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                config = Config::load(&text).map_err(|e| format!("{path}: {e} [{}]", e.code()))?;
            }
            "--format" => {
                let value = args.next().ok_or("--format needs a value")?;
                format = value.parse::<Format>().map_err(|e| e.to_string())?;
            }
            "--summary" => {
                let value = args.next().ok_or("--summary needs a value")?;
                summary = Some(value.parse::<SummaryBy>().map_err(|e| e.to_string())?);
            }
            "--report" => {
                let value = args.next().ok_or("--report needs a kind")?;
                report_kind = Some(value.parse::<ReportKind>().map_err(|e| e.to_string())?);
            }
            "--from" => options.from = Some(args.next().ok_or("--from needs a date")?),
            "--to" => options.to = Some(args.next().ok_or("--to needs a date")?),
            "--by" => options.by = Some(args.next().ok_or("--by needs a grouping")?),
            "--currency" => options.currency = Some(args.next().ok_or("--currency needs a code")?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other if other.starts_with("--") => {
                return Err(format!("unknown option {other}\n{USAGE}"))
            }
            other => input = Some(other.to_string()),
        }
    }
    if report_kind.is_some() && format != Format::Json {
        return Err(
            "--report prints JSON; csv and table views are the npm CLI's (ledgerbridge report)"
                .to_string(),
        );
    }
    if let Some(shop) = shop {
        if config.shop != DEFAULT_SHOP && config.shop != shop {
            return Err(format!(
                "--shop {shop} disagrees with the config's shop {}: entry ids must name one shop",
                config.shop
            ));
        }
        config.shop = shop;
        config
            .validate()
            .map_err(|e| format!("--shop: {e} [{}]", e.code()))?;
    }
    if config.shop == DEFAULT_SHOP {
        if matches!(format, Format::Qbo | Format::Xero) {
            return Err(
                "--format qbo and xero are for posting: name the shop with --shop (or shop = in \
                 the config), as the worker does, or entries posted from both would post twice"
                    .to_string(),
            );
        }
        eprintln!(
            "warning: no --shop and no shop in the config: entry ids use shop \"default\", which \
             the worker never uses; posting or importing them beside the worker's entries would \
             post them twice"
        );
    }
    Ok(Args {
        platform: platform.ok_or(format!("--platform is required\n{USAGE}"))?,
        config,
        format,
        summary,
        report: report_kind.map(|k| (k, options)),
        input: input.ok_or(format!(
            "an input FILE (or - for stdin) is required\n{USAGE}"
        ))?,
    })
}

/// The shop `Config::default()` books under; no worker ever does.
const DEFAULT_SHOP: &str = "default";

const USAGE: &str = "usage: map --platform shopify [--config FILE] [--shop NAME] \
[--format json|qbo|xero|beancount|hledger|csv] [--summary payout|day|month] \
[--report tax|profit|clearing|giftcards|refunds] [--from D] [--to D] [--by B] [--currency C] FILE|-";

fn read_input(path: &str) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path == "-" {
        io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(path)?;
    }
    Ok(bytes)
}

fn report(index: usize, e: &LedgerError) {
    let path = if e.path().is_empty() {
        String::new()
    } else {
        format!(" at {}", e.path())
    };
    eprintln!("record {}: {} [{}{path}]", index + 1, e, e.code());
}

/// Every record's entries, then the summary and the export, printed once.
fn run_export(args: &Args, bytes: &[u8], out: &mut impl Write) -> Result<usize, String> {
    let mut failed = 0usize;
    let mut entries: Vec<Entry> = Vec::new();
    for (index, record) in split_records(bytes).into_iter().enumerate() {
        match map(args.platform, record, &args.config) {
            Ok(mapped) => {
                for w in &mapped.warnings {
                    eprintln!(
                        "record {}: warning {} at {}: {}",
                        index + 1,
                        w.code,
                        w.path,
                        w.message
                    );
                }
                entries.extend(mapped.entries);
            }
            Err(e) => {
                failed += 1;
                report(index, &e);
            }
        }
    }
    if let Some((kind, options)) = &args.report {
        let built = reports::report(*kind, &entries, &args.config, options)
            .map_err(|e| format!("report: {e} [{} at {}]", e.code(), e.path()))?;
        let mut text = serde_json::to_string(&built).map_err(|e| format!("report: {e}"))?;
        text.push('\n');
        out.write_all(text.as_bytes())
            .map_err(|e| format!("writing output: {e}"))?;
        return Ok(failed);
    }
    if let Some(by) = args.summary {
        entries = summarize(&entries, by).map_err(|e| format!("summary: {e} [{}]", e.code()))?;
    }
    let mut text = export(&entries, args.format, &args.config)
        .map_err(|e| format!("export: {e} [{} at {}]", e.code(), e.path()))?;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    out.write_all(text.as_bytes())
        .map_err(|e| format!("writing output: {e}"))?;
    Ok(failed)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let bytes = match read_input(&args.input) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{}: {e}", args.input);
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.format != Format::Json || args.summary.is_some() || args.report.is_some() {
        return match run_export(&args, &bytes, &mut out) {
            Ok(failed) if out.flush().is_ok() && failed == 0 => ExitCode::SUCCESS,
            Ok(_) => ExitCode::from(1),
            Err(message) => {
                eprintln!("{message}");
                ExitCode::from(1)
            }
        };
    }
    let mut failed = 0usize;
    // One buffer for every record's text: the writer appends, the buffered stdout copies it out.
    let mut text = String::new();
    for (index, record) in split_records(&bytes).into_iter().enumerate() {
        match map(args.platform, record, &args.config) {
            Ok(mapped) => {
                text.clear();
                mapped.write_json(&mut text);
                text.push('\n');
                let written = out.write_all(text.as_bytes());
                if let Err(e) = written {
                    eprintln!("writing output: {e}");
                    return ExitCode::from(1);
                }
            }
            Err(e) => {
                failed += 1;
                report(index, &e);
            }
        }
    }
    if out.flush().is_err() || failed > 0 {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
