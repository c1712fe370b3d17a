//! Where a config field sits in its TOML text. A TOML config is re-read through the JSON path
//! (`Config::load`), which loses the positions, so an error names `accounts.sales` but not the
//! line a person would open the file at. This finds that line, and the value as written there, by
//! a plain scan of table headers and `key = value` lines: enough for the configs people write
//! (tables, arrays of tables, dotted and quoted keys), and `None` for anything it cannot follow.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// The 1-based line of the field at `path` (`sales[1].account`, `gateways."paypal".fees`) and its
/// value as written (a string without its quotes).
pub(crate) fn locate(text: &str, path: &str) -> Option<(usize, String)> {
    let target = path_segments(path)?;
    if target.is_empty() {
        return None;
    }
    let mut table: Vec<Seg> = Vec::new();
    let mut arrays: Vec<(Vec<Seg>, usize)> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(inner) = line.strip_prefix("[[") {
            let keys = key_segments(inner.split("]]").next()?)?;
            let index = match arrays.iter_mut().find(|(k, _)| *k == keys) {
                Some((_, count)) => {
                    *count += 1;
                    *count
                }
                None => {
                    arrays.push((keys.clone(), 0));
                    0
                }
            };
            table = keys;
            table.push(Seg::Index(index));
            if table == target {
                return Some((n + 1, String::new()));
            }
        } else if let Some(inner) = line.strip_prefix('[') {
            table = key_segments(inner.split(']').next()?)?;
            if table == target {
                return Some((n + 1, String::new()));
            }
        } else if let Some((key, value)) = split_assignment(line) {
            let mut full = table.clone();
            full.extend(key_segments(key)?);
            if full == target {
                return Some((n + 1, written_value(value)));
            }
        }
    }
    None
}

/// `sales[1].account` → `sales`, 1, `account`; quoted keys as Rust's `{:?}` writes them.
fn path_segments(path: &str) -> Option<Vec<Seg>> {
    let mut out = Vec::new();
    let mut chars = path.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            '.' => {
                chars.next();
            }
            '[' => {
                chars.next();
                let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
                out.push(Seg::Index(digits.parse().ok()?));
            }
            '"' => {
                chars.next();
                let mut key = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => key.push(chars.next()?),
                        '"' => break,
                        c => key.push(c),
                    }
                }
                out.push(Seg::Key(key));
            }
            _ => {
                let mut key = String::new();
                while let Some(&c) = chars.peek() {
                    if c == '.' || c == '[' {
                        break;
                    }
                    key.push(c);
                    chars.next();
                }
                out.push(Seg::Key(key));
            }
        }
    }
    Some(out)
}

/// A TOML key as written (`a.b`, `"VAT 20%"`, `gateways.'paypal'`) → its segments.
fn key_segments(key: &str) -> Option<Vec<Seg>> {
    let mut out = Vec::new();
    let mut rest = key.trim();
    while !rest.is_empty() {
        let (segment, after) = match rest.chars().next()? {
            quote @ ('"' | '\'') => {
                let body = rest.get(1..)?;
                let end = body.find(quote)?;
                (body.get(..end)?.to_string(), body.get(end + 1..)?)
            }
            _ => {
                let end = rest.find('.').unwrap_or(rest.len());
                (rest.get(..end)?.trim().to_string(), rest.get(end..)?)
            }
        };
        out.push(Seg::Key(segment));
        rest = after
            .trim_start()
            .strip_prefix('.')
            .unwrap_or(after)
            .trim_start();
    }
    Some(out)
}

/// `key = value` → (`key`, `value`), the `=` found outside a quoted key.
fn split_assignment(line: &str) -> Option<(&str, &str)> {
    if line.starts_with('#') {
        return None;
    }
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '=') => return Some((line.get(..i)?, line.get(i + 1..)?)),
            _ => {}
        }
    }
    None
}

/// The value as the person wrote it: a one-line string without its quotes, anything else as text
/// without a trailing comment.
fn written_value(value: &str) -> String {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(body) = value.strip_prefix(quote) {
            if let Some(end) = body.find(quote) {
                return body.get(..end).unwrap_or(body).to_string();
            }
        }
    }
    value.split(" #").next().unwrap_or(value).trim().to_string()
}
