//! Splitting an input file into payloads, for the example CLI (whole files) and the npm CLI
//! (streams, through the wasm `RecordSplitter`): one JSON document, or JSONL.

/// One JSON document, or JSONL when the whole is not a single document: one payload per non-blank
/// line. Records keep their bytes, so errors can be reported against the record as given.
pub fn split_records(bytes: &[u8]) -> Vec<&[u8]> {
    if is_document(bytes) {
        return vec![bytes];
    }
    lines(bytes).collect()
}

/// A run of input handed out whole by [`RecordSplitter`], so that a batch of records crosses to a
/// mapper (or a thread) as one slice: its records are [`block_records`]`(bytes, whole)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block<'a> {
    pub bytes: &'a [u8],
    /// Split as [`split_records`] splits a whole input (one document, or lines), not as lines.
    pub whole: bool,
}

impl<'a> Block<'a> {
    fn lines(bytes: &'a [u8]) -> Self {
        Block {
            bytes,
            whole: false,
        }
    }

    pub fn records(&self) -> impl Iterator<Item = &'a [u8]> {
        block_records(self.bytes, self.whole)
    }
}

/// The records of a [`Block`]: its non-blank lines, or with `whole` those of [`split_records`].
pub fn block_records(bytes: &[u8], whole: bool) -> impl Iterator<Item = &[u8]> {
    let single = whole && is_document(bytes);
    let (one, many) = if single {
        (Some(bytes), &bytes[..0])
    } else {
        (None, bytes)
    };
    one.into_iter().chain(lines(many))
}

/// [`split_records`] for input that arrives in chunks, in constant memory for JSONL: the input is
/// JSONL as soon as its first non-blank line is a whole JSON document, and each line is returned
/// once its newline arrives. Otherwise (a pretty-printed document, or a first line that is not
/// JSON) the input is buffered to the end and split as [`split_records`] does.
///
/// Whatever the chunking, the records are those of [`split_records`] on the whole input, except
/// that a lone one-line document comes without the blank space around it (the JSON is the same).
#[derive(Debug, Default)]
pub struct RecordSplitter {
    /// Bytes not yet returned as records: the current line, or everything while buffering.
    buf: Vec<u8>,
    /// Bytes of `buf` handed out by the previous call, dropped at the next one.
    handed: usize,
    mode: Mode,
    /// Detecting: where the first line not yet known to be blank starts, and how far `buf` has
    /// been searched for its newline (so a long first line is not searched again per chunk).
    line_start: usize,
    searched: usize,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No complete non-blank line yet.
    #[default]
    Detect,
    /// JSONL: one record per non-blank line.
    Lines,
    /// Buffering to the end.
    Whole,
}

impl RecordSplitter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next chunk and returns the records it completes, in order.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<&[u8]> {
        self.push_block(chunk).records().collect()
    }

    /// Ends the input and returns the records still held.
    pub fn finish(&mut self) -> Vec<&[u8]> {
        self.finish_block().records().collect()
    }

    /// [`push`](Self::push), the records it completes as one block (empty when none).
    pub fn push_block(&mut self, chunk: &[u8]) -> Block<'_> {
        self.drop_handed();
        let was = self.mode;
        let before = self.buf.len();
        self.buf.extend_from_slice(chunk);
        if self.mode == Mode::Detect {
            self.detect();
        }
        if self.mode != Mode::Lines {
            return Block::lines(&[]);
        }
        // Between pushes a JSONL buffer holds only the start of a line, so only the new bytes can
        // end one; right after detection the whole buffer is new to this search.
        let from = if was == Mode::Lines { before } else { 0 };
        let Some(last) = memchr::memrchr(b'\n', &self.buf[from..]) else {
            return Block::lines(&[]);
        };
        self.handed = from + last + 1;
        Block::lines(&self.buf[..from + last])
    }

    /// [`finish`](Self::finish), the records still held as one block.
    pub fn finish_block(&mut self) -> Block<'_> {
        self.drop_handed();
        self.handed = self.buf.len();
        // JSONL holds at most a last line without its newline; otherwise the whole input is here.
        Block {
            bytes: &self.buf[..],
            whole: self.mode != Mode::Lines,
        }
    }

    fn drop_handed(&mut self) {
        if self.handed > 0 {
            self.buf.drain(..self.handed);
            self.handed = 0;
        }
    }

    /// Looks for the first complete non-blank line and decides from it whether this is JSONL.
    fn detect(&mut self) {
        while let Some(i) = memchr::memchr(b'\n', &self.buf[self.searched..]) {
            let end = self.searched + i;
            let line = &self.buf[self.line_start..end];
            if !is_blank(line) {
                self.mode = if is_document(line) {
                    Mode::Lines
                } else {
                    Mode::Whole
                };
                return;
            }
            self.line_start = end + 1;
            self.searched = end + 1;
        }
        self.searched = self.buf.len();
    }
}

fn is_document(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
}

/// Rust's `u8::is_ascii_whitespace`, the blank-line test the CLIs have always used.
fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// Non-blank lines, found with memchr: in wasm a byte-by-byte split made the npm CLI's splitting
/// 1.6x slower than the JS `indexOf` it replaced.
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    ends.filter_map(move |end| {
        let line = bytes.get(start..end)?;
        start = end + 1;
        (!is_blank(line)).then_some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::{split_records, Block, RecordSplitter};

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

    /// Records of `input` pushed in chunks of `size` bytes, copied out as they come.
    fn streamed(input: &[u8], size: usize) -> Vec<Vec<u8>> {
        let mut splitter = RecordSplitter::new();
        let mut out: Vec<Vec<u8>> = Vec::new();
        for chunk in input.chunks(size.max(1)) {
            out.extend(splitter.push(chunk).into_iter().map(<[u8]>::to_vec));
        }
        out.extend(splitter.finish().into_iter().map(<[u8]>::to_vec));
        out
    }

    fn owned(records: &[&[u8]]) -> Vec<Vec<u8>> {
        records.iter().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn jsonl_streams_line_by_line() {
        let mut splitter = RecordSplitter::new();
        assert!(splitter.push(b"\n  \n{\"a\":").is_empty());
        assert_eq!(splitter.push(b"1}\n{\"b\""), vec![&b"{\"a\":1}"[..]]);
        assert_eq!(splitter.push(b":2}\n\n"), vec![&b"{\"b\":2}"[..]]);
        assert_eq!(splitter.push(b"{\"c\":3}"), Vec::<&[u8]>::new());
        assert_eq!(splitter.finish(), vec![&b"{\"c\":3}"[..]]);
    }

    #[test]
    fn a_pretty_document_is_one_record_in_any_chunking() {
        let doc = b"\n{\n  \"a\": [1,\n 2]\n}\n";
        for size in 1..=doc.len() {
            assert_eq!(streamed(doc, size), vec![doc.to_vec()], "chunks of {size}");
        }
    }

    #[test]
    fn a_bad_first_line_is_buffered_then_split_into_lines() {
        let input = b"not json\n{\"a\":1}\n\n{\"b\":2}";
        let want = owned(&[b"not json", b"{\"a\":1}", b"{\"b\":2}"]);
        for size in 1..=input.len() {
            assert_eq!(streamed(input, size), want, "chunks of {size}");
        }
    }

    #[test]
    fn any_chunking_gives_the_whole_input_records() {
        let inputs: [&[u8]; 8] = [
            b"",
            b" \n\t\n",
            b"{\"a\":1}\n{\"b\":[1,\n2]}\n{\"c\":3}\r\n",
            b"[1,2]\n\n3\n\"x\"\n",
            b"{\"unterminated\": \n{\"a\":1}\n",
            b"\r\n{\"a\":1}\r\n\r\n{\"b\":2}\r\n",
            b"{\"a\":1}{\"b\":2}\n{\"c\":3}",
            b"\xff\xfe\n{\"a\":1}\n",
        ];
        for input in inputs {
            let whole = owned(&split_records(input));
            for size in 1..=input.len().max(1) {
                assert_eq!(
                    streamed(input, size),
                    whole,
                    "{input:?} in chunks of {size}"
                );
            }
        }
    }

    #[test]
    fn a_lone_one_line_document_comes_without_its_blank_space() {
        let input = b"\n {\"a\":1} \n\n";
        assert_eq!(split_records(input), vec![&input[..]]);
        for size in 1..=input.len() {
            assert_eq!(
                streamed(input, size),
                owned(&[b" {\"a\":1} "]),
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn jsonl_comes_in_blocks_of_whole_lines() {
        let mut splitter = RecordSplitter::new();
        let block = splitter.push_block(b"{\"a\":1}\n\n{\"b\":2}\n{\"c\"");
        assert_eq!(
            block,
            Block {
                bytes: b"{\"a\":1}\n\n{\"b\":2}",
                whole: false
            }
        );
        assert_eq!(block.records().count(), 2);
        let last = splitter.finish_block();
        assert_eq!((last.bytes, last.whole), (&b"{\"c\""[..], false));
        assert_eq!(last.records().collect::<Vec<_>>(), vec![&b"{\"c\""[..]]);
    }

    #[test]
    fn a_buffered_input_is_one_whole_block() {
        let doc = b"{\n  \"a\": 1\n}\n";
        let mut splitter = RecordSplitter::new();
        assert!(splitter.push_block(doc).bytes.is_empty());
        let block = splitter.finish_block();
        assert_eq!((block.bytes, block.whole), (&doc[..], true));
        assert_eq!(block.records().collect::<Vec<_>>(), vec![&doc[..]]);
    }
}
