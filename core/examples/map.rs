//! The reference command line: a platform payload in, `Mapped` JSON out.
//!
//! ```text
//! cargo run -p ledgerbridge-core --example map -- --platform shopify [--config FILE] FILE|-
//! ```
//! FILE holds one JSON payload, or JSONL (one payload per line). Output is one compact `Mapped`
//! JSON document per payload, one per line. Errors go to stderr, naming the record; the exit code is
//! 1 when any record failed, 2 on bad usage.

use ledgerbridge_core::{map, Config, Platform};
use std::io::{self, Read, Write};
use std::process::ExitCode;

struct Args {
    platform: Platform,
    config: Config,
    input: String,
}

fn parse_args() -> Result<Args, String> {
    let mut platform = None;
    let mut config = Config::default();
    let mut input = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--platform" => {
                let value = args.next().ok_or("--platform needs a value")?;
                platform = Some(value.parse::<Platform>().map_err(|e| e.to_string())?);
            }
            "--config" => {
                let path = args.next().ok_or("--config needs a file")?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                config = Config::parse(&text).map_err(|e| format!("{path}: {e} [{}]", e.code()))?;
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other if other.starts_with("--") => return Err(format!("unknown option {other}\n{USAGE}")),
            other => input = Some(other.to_string()),
        }
    }
    Ok(Args {
        platform: platform.ok_or(format!("--platform is required\n{USAGE}"))?,
        config,
        input: input.ok_or(format!("an input FILE (or - for stdin) is required\n{USAGE}"))?,
    })
}

const USAGE: &str = "usage: map --platform shopify [--config FILE] FILE|-";

fn read_input(path: &str) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path == "-" {
        io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(path)?;
    }
    Ok(bytes)
}

/// One JSON document, or JSONL when the whole is not a single document.
fn records(bytes: &[u8]) -> Vec<&[u8]> {
    if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok() {
        return vec![bytes];
    }
    bytes
        .split(|b| *b == b'\n')
        .filter(|line| line.iter().any(|b| !b.is_ascii_whitespace()))
        .collect()
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
    let mut failed = 0usize;
    for (index, record) in records(&bytes).into_iter().enumerate() {
        match map(args.platform, record, &args.config) {
            Ok(mapped) => {
                let written = serde_json::to_writer(&mut out, &mapped)
                    .map_err(io::Error::from)
                    .and_then(|()| out.write_all(b"\n"));
                if let Err(e) = written {
                    eprintln!("writing output: {e}");
                    return ExitCode::from(1);
                }
            }
            Err(e) => {
                failed += 1;
                let path = if e.path().is_empty() { String::new() } else { format!(" at {}", e.path()) };
                eprintln!("record {}: {} [{}{path}]", index + 1, e, e.code());
            }
        }
    }
    if out.flush().is_err() || failed > 0 {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
