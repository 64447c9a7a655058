//! Finding and reading documents: PATHs in, [`Document`]s out.
//!
//! A document is one UTF-8 text file. An optional header opens it: white space, `date`, white space,
//! an ISO date, white space; the body follows. Byte offsets everywhere in tally are into the file's
//! whole content, so `content[body_start..]` is the body and the header is never counted as text.
//! JSON Lines files (`.jsonl`, `.ndjson`) hold a document a line, CSV and TSV files (with a header) a
//! document a record: a text, an optional date and an optional id, under names [`Fields`] gives.
//! Discovery is deterministic: the PATHs in the order given, each folder walked in sorted order, and
//! [`batches`] hands the documents out in that order, a batch at a time.

mod batches;
mod date;

pub use batches::{batches, Batch, Fields, Item};
pub use date::{Date, DateError, Period};

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How a file holds its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The file is one document.
    Text,
    /// A document a line, as JSON.
    JsonLines,
    /// A document a record, comma-separated, with a header.
    Csv,
    /// A document a record, tab-separated, with a header.
    Tsv,
    /// A document a row of a Parquet file.
    Parquet,
}

/// How a file is compressed, by its last extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (`.gz`), every member of a multi-member file.
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

impl Format {
    /// The format and compression a file in a folder has by its extensions (`a.txt`, `a.jsonl.gz`,
    /// `a.ndjson.zst`), or `None` when it is not read.
    pub fn of_extension(path: &Path) -> Option<(Format, Compression)> {
        let lossy = path.file_name()?.to_string_lossy();
        let name: &str = &lossy;
        let (name, compression) = match name.rsplit_once('.') {
            Some((stem, "gz")) => (stem, Compression::Gzip),
            Some((stem, "zst")) => (stem, Compression::Zstd),
            _ => (name, Compression::None),
        };
        let format = match name.rsplit_once('.')?.1 {
            "txt" => Format::Text,
            "jsonl" | "ndjson" => Format::JsonLines,
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "parquet" => Format::Parquet,
            _ => return None,
        };
        Some((format, compression))
    }
}

impl Compression {
    /// What a file given directly is compressed with, by its last extension.
    pub fn of_extension(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// `file`, decompressed as it is read.
    pub fn reader(self, file: fs::File) -> std::io::Result<Box<dyn Read + Send>> {
        Ok(match self {
            Compression::None => Box::new(file),
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(file)),
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(file)?),
        })
    }
}

/// The name of the standard-input PATH.
pub const STDIN: &str = "-";

/// A file to read, with the id it is reported under.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where the file is.
    pub path: PathBuf,
    /// Its path relative to the PATH it was found under, `/`-separated (a file given directly: its name).
    pub id: String,
    /// How it holds its documents.
    pub format: Format,
    /// How it is compressed.
    pub compression: Compression,
}

/// A file that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    /// The file's path as found.
    pub path: String,
    /// Why it was passed over.
    pub reason: String,
}

/// What [`discover`] found under the PATHs.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The documents to read, in reading order.
    pub sources: Vec<Source>,
    /// Files passed over during the walk (other extensions, unreadable entries).
    pub skipped: Vec<Skipped>,
    /// Files read, but with something to say about them (as `reason`): a name that is not UTF-8.
    pub warnings: Vec<Skipped>,
}

/// A document read into memory.
#[derive(Debug, Clone)]
pub struct Document {
    /// The id from its [`Source`].
    pub id: String,
    /// The whole file, header included.
    pub content: String,
    /// Where the body starts in `content` (0 when there is no header).
    pub body_start: usize,
    /// The header's date, when it has a valid one.
    pub date: Option<Date>,
}

impl Document {
    /// The text after the header.
    pub fn body(&self) -> &str {
        &self.content[self.body_start..]
    }
}

/// Errors that stop a run before it starts.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// An input PATH does not exist or cannot be inspected.
    #[error("input path {path}: {source}")]
    Input {
        /// The PATH as given.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
}

/// Why one document could not be read; the run skips it and goes on.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The file holds NUL bytes: a binary, not text.
    #[error("binary file (NUL byte at offset {0}), not text")]
    Binary(usize),
    /// The file is not valid UTF-8.
    #[error("not valid UTF-8 (first bad byte at offset {0}); convert it to UTF-8 to include it")]
    NotUtf8(usize),
    /// The file is empty or holds only white space.
    #[error("empty document")]
    Empty,
    /// A JSON Lines line that is not a JSON object.
    #[error("not JSON: {0}")]
    Json(String),
    /// A JSON Lines line without a text.
    #[error("no `{0}` string in the line; name the text field with --text-field")]
    NoText(String),
}

/// Lists the documents under `roots`: each root a file (JSON Lines by a `.jsonl`/`.ndjson` extension,
/// else one document whatever its extension) or a folder walked recursively in sorted order (only
/// `.txt`, `.jsonl` and `.ndjson` files; others are listed as skipped).
pub fn discover(roots: &[PathBuf]) -> Result<Discovery, CorpusError> {
    let mut found = Discovery::default();
    for root in roots {
        if root.as_os_str() == STDIN {
            found.sources.push(Source {
                path: root.clone(),
                id: "stdin".into(),
                format: Format::Text,
                compression: Compression::None,
            });
            continue;
        }
        let meta = fs::metadata(root).map_err(|source| CorpusError::Input { path: root.clone(), source })?;
        if !meta.is_dir() {
            let id = root.file_name().map_or_else(|| root.display().to_string(), |n| n.to_string_lossy().into_owned());
            let compression = Compression::of_extension(root);
            let format = Format::of_extension(root).map_or(Format::Text, |(format, _)| format);
            found.sources.push(Source { path: root.clone(), id, format, compression });
            continue;
        }
        let walk = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name();
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().unwrap_or(root).display().to_string();
                    found.skipped.push(Skipped { path, reason: walk_error_reason(&err) });
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let path = entry.into_path();
            let Some((format, compression)) = Format::of_extension(&path) else {
                let reason =
                    "not a .txt, .jsonl, .ndjson, .csv, .tsv or .parquet file (the text ones optionally .gz or .zst)"
                        .to_string();
                found.skipped.push(Skipped { path: path.display().to_string(), reason });
                continue;
            };
            let id = relative_id(root, &path);
            if path.strip_prefix(root).unwrap_or(&path).to_str().is_none() {
                let reason = format!("the file name is not valid UTF-8; its id in the reports is {id:?}");
                found.warnings.push(Skipped { path: path.display().to_string(), reason });
            }
            found.sources.push(Source { path, id, format, compression });
        }
    }
    Ok(found)
}

fn walk_error_reason(err: &walkdir::Error) -> String {
    if let Some(ancestor) = err.loop_ancestor() {
        return format!("symbolic link loop back to {}", ancestor.display());
    }
    match err.io_error() {
        Some(io) => format!("cannot read: {io}"),
        None => err.to_string(),
    }
}

fn relative_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    parts.join("/")
}

/// Reads one document: its bytes, checked as UTF-8 text, with the date header parsed.
/// A malformed date is returned as the second value: a warning, the document keeps no date.
pub fn read_document(source: &Source) -> Result<(Document, Option<DateError>), DocumentError> {
    let mut bytes = Vec::new();
    if source.path.as_os_str() == STDIN {
        std::io::stdin().lock().read_to_end(&mut bytes)?;
    } else {
        source.compression.reader(fs::File::open(&source.path)?)?.read_to_end(&mut bytes)?;
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(DocumentError::Binary(at));
    }
    let content = String::from_utf8(bytes).map_err(|e| DocumentError::NotUtf8(e.utf8_error().valid_up_to()))?;
    if content.trim().is_empty() {
        return Err(DocumentError::Empty);
    }
    let header = parse_header(&content);
    let (date, warning) = match header.date {
        Some(Ok(date)) => (Some(date), None),
        Some(Err(err)) => (None, Some(err)),
        None => (None, None),
    };
    let doc = Document { id: source.id.clone(), body_start: header.body_start, date, content };
    Ok((doc, warning))
}

/// The date header of a document, as [`parse_header`] finds it: an ISO date, or a timestamp that
/// starts with one.
#[derive(Debug, PartialEq, Eq)]
pub struct Header {
    /// Where the body starts (0: no header).
    pub body_start: usize,
    /// `None` without a header; the parsed date, or why it is malformed, with one.
    pub date: Option<Result<Date, DateError>>,
}

/// Finds the `date YYYY-MM-DD` header. The word `date` opens a header only when a word starting with a
/// digit follows it, so an article that begins "Date palms…" or "date of the vote" is all body.
pub fn parse_header(content: &str) -> Header {
    let none = Header { body_start: 0, date: None };
    let rest = content.trim_start();
    let Some(after_keyword) = rest.strip_prefix("date") else { return none };
    let value_start = after_keyword.trim_start();
    if value_start.len() == after_keyword.len() || !value_start.starts_with(|c: char| c.is_ascii_digit()) {
        return none;
    }
    let value_len = value_start.find(char::is_whitespace).unwrap_or(value_start.len());
    let value = &value_start[..value_len];
    let after_value = &value_start[value_len..];
    let body = after_value.trim_start();
    Header { body_start: content.len() - body.len(), date: Some(Date::parse_date_or_timestamp(value)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_header(content: &str, body: &str, date: Option<&str>) {
        let header = parse_header(content);
        assert_eq!(&content[header.body_start..], body, "body of {content:?}");
        let got = header.date.map(|d| d.map(|d| d.to_string()).map_err(|e| e.to_string()));
        match date {
            Some(want) => assert_eq!(got, Some(Ok(want.to_string())), "date of {content:?}"),
            None => assert_eq!(got, None, "date of {content:?}"),
        }
    }

    #[test]
    fn header_on_the_same_line_or_the_next() {
        assert_header(" date 2022-10-27 Ahead of", "Ahead of", Some("2022-10-27"));
        assert_header("date 2022-10-27\nAhead of", "Ahead of", Some("2022-10-27"));
        assert_header("\n\tdate\t2022-10-27\r\n\r\nAhead", "Ahead", Some("2022-10-27"));
    }

    #[test]
    fn a_timestamp_header_gives_its_date() {
        assert_header(" date 2022-10-27T08:00:00Z Ahead", "Ahead", Some("2022-10-27"));
    }

    #[test]
    fn extensions_give_format_and_compression() {
        let of = |name: &str| Format::of_extension(Path::new(name));
        assert_eq!(of("a.txt"), Some((Format::Text, Compression::None)));
        assert_eq!(of("dir.x/a.txt.gz"), Some((Format::Text, Compression::Gzip)));
        assert_eq!(of("a.jsonl.zst"), Some((Format::JsonLines, Compression::Zstd)));
        assert_eq!(of("a.ndjson"), Some((Format::JsonLines, Compression::None)));
        assert_eq!(of("a.gz"), None);
        assert_eq!(of("a.md"), None);
        assert_eq!(of("txt"), None);
    }

    #[test]
    fn no_header_means_all_body() {
        assert_header("Ahead of the vote", "Ahead of the vote", None);
        assert_header("date palms grow", "date palms grow", None);
        assert_header("dated 2022-10-27 x", "dated 2022-10-27 x", None);
        assert_header("date", "date", None);
    }

    #[test]
    fn malformed_date_is_an_error_and_still_a_header() {
        let header = parse_header(" date 2022-13-45 Text");
        assert_eq!(header.body_start, " date 2022-13-45 ".len());
        assert!(matches!(header.date, Some(Err(DateError::NoSuchDay(_)))));
        let header = parse_header("date 27/10/2022 Text");
        assert!(matches!(header.date, Some(Err(DateError::Shape(_)))));
    }

    #[test]
    fn reads_and_rejects_files() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            fs::write(&path, bytes).unwrap();
            Source { path, id: name.to_string(), format: Format::Text, compression: Compression::None }
        };
        let (doc, warning) = read_document(&write("a.txt", b" date 2022-10-27 Hello")).unwrap();
        assert_eq!((doc.body(), doc.date.map(|d| d.to_string()), warning), ("Hello", Some("2022-10-27".into()), None));
        assert!(matches!(read_document(&write("b.txt", b"ab\0c")), Err(DocumentError::Binary(2))));
        assert!(matches!(read_document(&write("c.txt", b"ok \xff")), Err(DocumentError::NotUtf8(3))));
        assert!(matches!(read_document(&write("d.txt", b" \n ")), Err(DocumentError::Empty)));
    }

    #[test]
    fn discovery_is_sorted_and_skips_other_extensions() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.txt", "a.txt", "sub/c.txt", "notes.md"] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()]).unwrap();
        let ids: Vec<_> = found.sources.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a.txt", "b.txt", "sub/c.txt"]);
        assert_eq!(found.skipped.len(), 1);
        assert!(found.skipped[0].path.ends_with("notes.md"));
        assert!(found.sources.iter().all(|s| s.format == Format::Text));
        assert!(discover(&[dir.path().join("missing")]).is_err());
    }
}
