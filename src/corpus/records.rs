//! CSV and TSV records out of bytes, split and unescaped by the csv crate's rules (RFC 4180 as
//! csv_core reads it: a quote opens a quoted field only at the start of a field, `""` inside one is
//! a quote, a quote closing a field followed by more text goes on as unquoted text, a record ends at
//! `\r`, `\n` or `\r\n` outside quotes, blank lines are passed over) with what the csv crate cannot
//! tell: an unmatched quote is an error naming the line it opened on, where the csv crate reads on
//! silently and one stray quote makes the rest of a file, or every line up to the next quote, one
//! field. A quote is unmatched when its field is still open at the end of the input, or when the
//! field runs over line breaks to a quote that text follows (`"x` then lines, then `c,"y"`: the
//! quote of `"y"` closes the field opened by `"x`, and `y` follows it), which a well-formed file
//! never holds. A record over a size limit is read through to its end and dropped, never held whole.
//!
//! Invariant: on input without those, the records and their fields are the csv crate's
//! (`flexible`, no comments, no escape character) and each record's line is the line its first
//! byte is on.

use std::io::{self, BufRead};

/// One record: its fields as text, and where it starts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Record {
    line: u64,
    text: String,
    ends: Vec<usize>,
}

impl Record {
    /// The line the record starts on, from 1.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// How many fields it has.
    pub fn field_count(&self) -> usize {
        self.ends.len()
    }

    /// Field `i`, if the record has that many.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.text[start..end])
    }

    /// Its fields, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).filter_map(|i| self.get(i))
    }
}

/// Why no record could be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The input could not be read.
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
    /// An unmatched quote: its field is still open at the end of the input, or runs over line
    /// breaks to a quote that text follows. Reading must start again after it
    /// ([`RecordReader::resuming`]).
    #[error("{}", unmatched(*quote_line, *closed_on))]
    UnmatchedQuote {
        /// The line the record holding the field starts on.
        line: u64,
        /// The line the field opens on.
        quote_line: u64,
        /// The line of the quote text follows, if there is one.
        closed_on: Option<u64>,
        /// The byte offset and number of the line after that line, when there is one: where
        /// reading can start again.
        next_line: Option<(u64, u64)>,
    },
    /// A record longer than the limit; it was read through and dropped, reading goes on after it.
    #[error("the record on line {line} is larger than {max} bytes")]
    TooLarge {
        /// The line it starts on.
        line: u64,
        /// The limit.
        max: usize,
    },
    /// A record that is not UTF-8; reading goes on after it.
    #[error("the record on line {line} is not valid UTF-8 (byte {at} of its fields)")]
    NotUtf8 {
        /// The line it starts on.
        line: u64,
        /// The offset of the first bad byte in its fields, delimiters left out.
        at: usize,
    },
}

fn unmatched(quote_line: u64, closed_on: Option<u64>) -> String {
    match closed_on {
        None => format!("a quoted field opened on line {quote_line} is never closed (an unmatched `\"`)"),
        Some(close) => format!(
            "a quoted field opened on line {quote_line} runs over line breaks to a quote on line {close} that \
             text follows (an unmatched `\"` on line {quote_line})"
        ),
    }
}

/// Where the reader is in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records: line breaks are passed over.
    StartRecord,
    StartField,
    /// In an unquoted field (or one whose quotes closed before more text).
    InField,
    InQuoted,
    /// A quote inside a quoted field: a second quote makes it an escaped quote, anything else
    /// closes the field.
    QuoteInQuoted,
}

/// Reads records from a buffered reader, a record at a time.
pub struct RecordReader<R> {
    reader: R,
    delimiter: u8,
    max_bytes: usize,
    /// The line of the next byte, from 1.
    line: u64,
    /// Bytes consumed.
    offset: u64,
}

impl<R: BufRead> RecordReader<R> {
    /// Reads `reader` from its start, fields separated by `delimiter`, records of at most
    /// `max_bytes` bytes (line breaks inside fields counted, the record's own not).
    pub fn new(reader: R, delimiter: u8, max_bytes: usize) -> Self {
        Self::resuming(reader, delimiter, max_bytes, 0, 1)
    }

    /// Reads `reader`, which is at byte `offset`, the start of line `line`, of its input.
    pub fn resuming(reader: R, delimiter: u8, max_bytes: usize, offset: u64, line: u64) -> Self {
        RecordReader { reader, delimiter, max_bytes, line, offset }
    }

    /// Reads the next record into `record`; false at the end of the input. After
    /// [`RecordError::TooLarge`] and [`RecordError::NotUtf8`] the next call reads the record after;
    /// after [`RecordError::UnmatchedQuote`] reading must start again with [`RecordReader::resuming`].
    pub fn read(&mut self, record: &mut Record) -> Result<bool, RecordError> {
        let mut bytes = std::mem::take(&mut record.text).into_bytes();
        bytes.clear();
        record.ends.clear();
        let delimiter = self.delimiter;
        let (mut state, mut start, mut too_large) = (State::StartRecord, (self.offset, self.line), false);
        let (mut next_line, mut quote_line, mut quoted_lines) = (None, 0, false);
        loop {
            let block = match self.reader.fill_buf() {
                Ok(block) => block,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err.into()),
            };
            if block.is_empty() {
                match state {
                    State::StartRecord => return Ok(false),
                    State::InQuoted => {
                        return Err(RecordError::UnmatchedQuote {
                            line: start.1,
                            quote_line,
                            closed_on: None,
                            next_line,
                        })
                    }
                    _ => {
                        record.ends.push(bytes.len());
                        break;
                    }
                }
            }
            let (mut i, mut ended) = (0, false);
            while i < block.len() && !ended {
                let b = block[i];
                match state {
                    State::StartRecord => {
                        if b == b'\n' || b == b'\r' {
                            self.line += u64::from(b == b'\n');
                            i += 1;
                        } else {
                            start = (self.offset + i as u64, self.line);
                            state = State::StartField;
                        }
                    }
                    State::StartField | State::QuoteInQuoted if b == delimiter => {
                        record.ends.push(bytes.len());
                        state = State::StartField;
                        i += 1;
                    }
                    State::StartField | State::QuoteInQuoted if b == b'\n' || b == b'\r' => {
                        record.ends.push(bytes.len());
                        ended = true;
                    }
                    State::StartField if b == b'"' => {
                        (quote_line, quoted_lines) = (self.line, false);
                        state = State::InQuoted;
                        i += 1;
                    }
                    State::QuoteInQuoted if b == b'"' => {
                        if !too_large {
                            bytes.push(b'"');
                        }
                        state = State::InQuoted;
                        i += 1;
                    }
                    State::QuoteInQuoted if quoted_lines => {
                        let (line, closed_on) = (start.1, Some(self.line));
                        self.reader.consume(i);
                        self.offset += i as u64;
                        return Err(RecordError::UnmatchedQuote { line, quote_line, closed_on, next_line });
                    }
                    State::StartField | State::QuoteInQuoted => state = State::InField,
                    State::InField => {
                        let rest = &block[i..];
                        let n = memchr::memchr3(delimiter, b'\n', b'\r', rest).unwrap_or(rest.len());
                        if !too_large {
                            bytes.extend_from_slice(&rest[..n]);
                        }
                        i += n;
                        if let Some(&b) = block.get(i) {
                            record.ends.push(bytes.len());
                            if b == delimiter {
                                state = State::StartField;
                                i += 1;
                            } else {
                                ended = true;
                            }
                        }
                    }
                    State::InQuoted => {
                        let rest = &block[i..];
                        let n = memchr::memchr2(b'"', b'\n', rest).unwrap_or(rest.len());
                        if !too_large {
                            bytes.extend_from_slice(&rest[..n]);
                        }
                        i += n;
                        match block.get(i) {
                            Some(b'"') => {
                                state = State::QuoteInQuoted;
                                i += 1;
                            }
                            Some(_) => {
                                if !too_large {
                                    bytes.push(b'\n');
                                }
                                self.line += 1;
                                i += 1;
                                quoted_lines = true;
                                next_line.get_or_insert((self.offset + i as u64, self.line));
                            }
                            None => {}
                        }
                    }
                }
                if state != State::StartRecord && !too_large && self.offset + i as u64 - start.0 > self.max_bytes as u64
                {
                    too_large = true;
                    bytes = Vec::new();
                }
            }
            if ended {
                // The line break that ended the record; a `\n` after a `\r` is passed over with the
                // blank lines before the next record.
                self.line += u64::from(block[i] == b'\n');
                i += 1;
            }
            self.reader.consume(i);
            self.offset += i as u64;
            if ended {
                break;
            }
        }
        record.line = start.1;
        if too_large {
            record.ends.clear();
            return Err(RecordError::TooLarge { line: start.1, max: self.max_bytes });
        }
        match String::from_utf8(bytes) {
            Ok(text) => record.text = text,
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                record.ends.clear();
                return Err(RecordError::NotUtf8 { line: start.1, at });
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every record of `input` (fields, line) and the error that ended the reading, if one did.
    fn read_all(input: &[u8], max: usize) -> (Vec<(Vec<String>, u64)>, Vec<String>) {
        let mut reader = RecordReader::new(io::BufReader::with_capacity(7, input), b',', max);
        let (mut records, mut errors, mut record) = (Vec::new(), Vec::new(), Record::default());
        loop {
            match reader.read(&mut record) {
                Ok(true) => records.push((record.iter().map(String::from).collect(), record.line())),
                Ok(false) => break,
                Err(err @ RecordError::UnmatchedQuote { .. }) => {
                    errors.push(err.to_string());
                    break;
                }
                Err(err) => errors.push(err.to_string()),
            }
        }
        (records, errors)
    }

    fn fields(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn quotes_line_breaks_and_lines() {
        let (records, errors) = read_all(b"id,text\r\na,\"x, \"\"y\"\"\nz\"\n\nb,\"q\"r,\n\"c\"\n\"\"", usize::MAX);
        assert_eq!(
            records,
            [
                (fields(&["id", "text"]), 1),
                (fields(&["a", "x, \"y\"\nz"]), 2),
                (fields(&["b", "qr", ""]), 5),
                (fields(&["c"]), 6),
                (fields(&[""]), 7),
            ]
        );
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn an_open_quote_is_an_error_at_its_line_with_where_to_go_on() {
        let input = b"id,text\na,\"unterminated Athens\nb,Athens hosts\nc,x\n";
        let mut reader = RecordReader::new(&input[..], b',', usize::MAX);
        let mut record = Record::default();
        assert!(reader.read(&mut record).unwrap());
        let err = reader.read(&mut record).unwrap_err();
        let RecordError::UnmatchedQuote { line: 2, quote_line: 2, closed_on: None, next_line: Some((offset, 3)) } = err
        else {
            panic!("{err:?}")
        };
        assert!(input[offset as usize..].starts_with(b"b,Athens"));
        let mut rest = RecordReader::resuming(&input[offset as usize..], b',', usize::MAX, offset, 3);
        assert!(rest.read(&mut record).unwrap());
        assert_eq!((record.get(1), record.line()), (Some("Athens hosts"), 3));
        let (_, errors) = read_all(b"text\n\"open", usize::MAX);
        assert_eq!(errors, ["a quoted field opened on line 2 is never closed (an unmatched `\"`)"]);
        // In a record of several lines, the line of the quote that is left open.
        let (_, errors) = read_all(b"a,\"b\nc\",\"d\ne", usize::MAX);
        assert_eq!(errors, ["a quoted field opened on line 2 is never closed (an unmatched `\"`)"]);
        // The next quote closes the open field, and text follows it: the quote on line 1 is unmatched.
        let (records, errors) = read_all(b"a,\"x\nb,y\nc,\"z\"\n", usize::MAX);
        assert_eq!(records, []);
        assert_eq!(
            errors,
            ["a quoted field opened on line 1 runs over line breaks to a quote on line 3 that text follows (an \
              unmatched `\"` on line 1)"]
        );
        // On one line, a quote that text follows is the csv crate's: `"a"b` is `ab`.
        let (records, errors) = read_all(b"\"q\"r,\"say \"hi\" now\"\n", usize::MAX);
        assert_eq!((records, errors.len()), (vec![(fields(&["qr", "say hi\" now\""]), 1)], 0));
    }

    #[test]
    fn a_record_over_the_limit_is_dropped_and_the_next_read() {
        let long = "y".repeat(100);
        let input = format!("text\n\"{long}\nmore\"\nshort\n{long}\nlast");
        let (records, errors) = read_all(input.as_bytes(), 20);
        assert_eq!(records, [(fields(&["text"]), 1), (fields(&["short"]), 4), (fields(&["last"]), 6)]);
        assert_eq!(errors.len(), 2);
        assert!(errors[0].contains("line 2") && errors[1].contains("line 5"), "{errors:?}");
        let (records, errors) = read_all(b"a\n\xff\nb", 20);
        assert_eq!(records, [(fields(&["a"]), 1), (fields(&["b"]), 3)]);
        assert_eq!(errors, ["the record on line 2 is not valid UTF-8 (byte 0 of its fields)"]);
    }

    proptest! {
        /// On input whose quotes close, the records are the csv crate's.
        #[test]
        fn records_are_the_csv_crates(input in "[ab,\"\r\n ]{0,40}") {
            let (records, errors) = read_all(input.as_bytes(), usize::MAX);
            let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input.as_bytes());
            let theirs: Vec<Vec<String>> =
                csv.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
            if errors.is_empty() {
                let ours: Vec<Vec<String>> = records.into_iter().map(|(f, _)| f).collect();
                prop_assert_eq!(ours, theirs);
            } else {
                // The csv crate ends the open field silently: the same records up to the broken one.
                prop_assert!(theirs.len() > records.len());
                prop_assert_eq!(&theirs[..records.len()], &records.into_iter().map(|(f, _)| f).collect::<Vec<_>>()[..]);
            }
        }
    }
}
