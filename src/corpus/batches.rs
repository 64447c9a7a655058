//! The corpus as a stream of batches: each [`Item`] is a document file to read or one line of a JSON
//! Lines file, numbered in reading order. JSON Lines files are read here, sequentially, in large
//! buffered blocks; every other cost (opening document files, decoding JSON, checking UTF-8) is left
//! to [`Item::read`], which the pipeline runs in parallel.
//!
//! Invariant: item `k` of batch `b` is document number `b.first_index + k`, whatever the batch sizes.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::sync::Arc;

use serde::Deserialize;

use super::{Date, DateError, Document, DocumentError, Format, Source};

/// One document to read.
#[derive(Debug)]
pub enum Item {
    /// A file that is one document.
    File(Source),
    /// One line of a JSON Lines file (without its line break).
    JsonLine {
        /// The file.
        source: Arc<Source>,
        /// Its line number, from 1.
        line: usize,
        /// The line's bytes.
        bytes: Vec<u8>,
    },
    /// A JSON Lines file, or the rest of one, that could not be read.
    Failed {
        /// Where.
        path: String,
        /// Why.
        reason: String,
    },
}

impl Item {
    /// Where the item comes from, as messages name it: the file, and the line for JSON Lines.
    pub fn location(&self) -> String {
        match self {
            Item::File(source) => source.path.display().to_string(),
            Item::JsonLine { source, line, .. } => format!("{}:{line}", source.path.display()),
            Item::Failed { path, .. } => path.clone(),
        }
    }

    /// Reads the document. A malformed date comes back as the second value: the document keeps no date.
    pub fn read(&self) -> Result<(Document, Option<DateError>), DocumentError> {
        match self {
            Item::File(source) => super::read_document(source),
            Item::JsonLine { source, line, bytes } => parse_line(source, *line, bytes),
            Item::Failed { reason, .. } => Err(DocumentError::Io(std::io::Error::other(reason.clone()))),
        }
    }
}

/// The fields tally reads from a JSON Lines document; others are ignored.
#[derive(Deserialize)]
struct JsonDocument {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    id: Option<serde_json::Value>,
}

fn parse_line(source: &Source, line: usize, bytes: &[u8]) -> Result<(Document, Option<DateError>), DocumentError> {
    let parsed: JsonDocument = serde_json::from_slice(bytes).map_err(|e| DocumentError::Json(e.to_string()))?;
    let content = parsed.text.ok_or(DocumentError::NoText)?;
    if content.trim().is_empty() {
        return Err(DocumentError::Empty);
    }
    let id = match parsed.id {
        Some(serde_json::Value::String(id)) => id,
        Some(serde_json::Value::Null) | None => format!("{}:{line}", source.id),
        Some(other) => other.to_string(),
    };
    let (date, warning) = match parsed.date.as_deref().map(Date::parse_date_or_timestamp) {
        Some(Ok(date)) => (Some(date), None),
        Some(Err(err)) => (None, Some(err)),
        None => (None, None),
    };
    Ok((Document { id, content, body_start: 0, date }, warning))
}

/// A run of consecutive items.
#[derive(Debug)]
pub struct Batch {
    /// The reading-order number of the first item.
    pub first_index: usize,
    /// The items.
    pub items: Vec<Item>,
}

/// Hands out the documents of `sources` in order, in batches of at most `max_items` items and about
/// `max_bytes` bytes of JSON Lines.
pub fn batches(sources: Vec<Source>, max_items: usize, max_bytes: usize) -> impl Iterator<Item = Batch> {
    Batches { sources: sources.into_iter(), open: None, next_index: 0, max_items: max_items.max(1), max_bytes }
}

struct Batches {
    sources: std::vec::IntoIter<Source>,
    /// The JSON Lines file being read: the source, its reader and the last line number read.
    open: Option<(Arc<Source>, BufReader<Box<dyn std::io::Read + Send>>, usize)>,
    next_index: usize,
    max_items: usize,
    max_bytes: usize,
}

impl Iterator for Batches {
    type Item = Batch;

    fn next(&mut self) -> Option<Batch> {
        let mut items = Vec::new();
        let mut bytes = 0;
        while items.len() < self.max_items && bytes < self.max_bytes {
            if let Some((source, reader, line)) = &mut self.open {
                let mut buf = Vec::new();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) => self.open = None,
                    Ok(_) => {
                        *line += 1;
                        while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                            buf.pop();
                        }
                        if buf.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        bytes += buf.len();
                        items.push(Item::JsonLine { source: Arc::clone(source), line: *line, bytes: buf });
                    }
                    Err(err) => {
                        let path = format!("{}:{}", source.path.display(), *line + 1);
                        items.push(Item::Failed { path, reason: format!("cannot read: {err}; the rest of the file is skipped") });
                        self.open = None;
                    }
                }
                continue;
            }
            let Some(source) = self.sources.next() else { break };
            match source.format {
                Format::Text => items.push(Item::File(source)),
                Format::JsonLines => match File::open(&source.path).and_then(|file| source.compression.reader(file)) {
                    Ok(reader) => self.open = Some((Arc::new(source), BufReader::with_capacity(1 << 20, reader), 0)),
                    Err(err) => items.push(Item::Failed { path: source.path.display().to_string(), reason: format!("cannot read: {err}") }),
                },
            }
        }
        if items.is_empty() {
            return None;
        }
        let first_index = self.next_index;
        self.next_index += items.len();
        Some(Batch { first_index, items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jsonl(dir: &std::path::Path, name: &str, text: &str) -> Source {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        Source { path, id: name.into(), format: Format::JsonLines, compression: super::super::Compression::None }
    }

    #[test]
    fn lines_become_documents_in_order_across_batches() {
        let dir = tempfile::tempdir().unwrap();
        let a = jsonl(dir.path(), "a.jsonl", "{\"text\":\"one\",\"date\":\"2022-10-27\",\"id\":\"x\"}\n\n{\"text\":\"two\",\"date\":\"2022-10-28T08:00:00Z\"}\r\n");
        let b = jsonl(dir.path(), "b.jsonl", "{\"text\":\"three\",\"id\":7}");
        let all: Vec<Batch> = batches(vec![a, b], 2, usize::MAX).collect();
        assert_eq!(all.iter().map(|b| (b.first_index, b.items.len())).collect::<Vec<_>>(), [(0, 2), (2, 1)]);
        let docs: Vec<(String, String, Option<String>)> = all
            .into_iter()
            .flat_map(|b| b.items)
            .map(|item| item.read().unwrap().0)
            .map(|d| (d.id, d.content, d.date.map(|d| d.to_string())))
            .collect();
        assert_eq!(
            docs,
            [
                ("x".into(), "one".into(), Some("2022-10-27".into())),
                ("a.jsonl:3".into(), "two".into(), Some("2022-10-28".into())),
                ("7".into(), "three".into(), None),
            ]
        );
    }

    #[test]
    fn bad_lines_are_errors_that_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let src = jsonl(dir.path(), "bad.jsonl", "not json\n{\"title\":\"no text\"}\n{\"text\":\"ok\",\"date\":\"27/10/2022\"}\n");
        let items: Vec<Item> = batches(vec![src], 10, usize::MAX).flat_map(|b| b.items).collect();
        assert!(items[0].location().ends_with("bad.jsonl:1"));
        let results: Vec<_> = items.iter().map(Item::read).collect();
        assert!(matches!(results[0], Err(DocumentError::Json(_))));
        assert!(matches!(results[1], Err(DocumentError::NoText)));
        let (doc, warning) = results[2].as_ref().unwrap();
        assert_eq!((doc.date, warning.is_some()), (None, true));
    }
}
