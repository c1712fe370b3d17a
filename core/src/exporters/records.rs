//! Splitting an input file into payloads, shared by the example CLI and the npm CLI.

/// One JSON document, or JSONL when the whole is not a single document: one payload per non-blank
/// line. Records keep their bytes, so errors can be reported against the record as given.
pub fn split_records(bytes: &[u8]) -> Vec<&[u8]> {
    if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok() {
        return vec![bytes];
    }
    bytes
        .split(|b| *b == b'\n')
        .filter(|line| line.iter().any(|b| !b.is_ascii_whitespace()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::split_records;

    #[test]
    fn one_document_even_across_lines() {
        let doc = b"{\n  \"a\": 1\n}\n";
        assert_eq!(split_records(doc), vec![&doc[..]]);
    }

    #[test]
    fn jsonl_skips_blank_lines() {
        let got = split_records(b"{\"a\":1}\n\n  \n{\"b\":2}\r\n");
        assert_eq!(got, vec![&b"{\"a\":1}"[..], &b"{\"b\":2}\r"[..]]);
    }

    #[test]
    fn empty_input_has_no_records() {
        assert!(split_records(b"").is_empty());
        assert!(split_records(b"\n \n").is_empty());
    }
}
