//! Finding and reading documents: PATHs in, [`Document`]s out.
//!
//! A document is one UTF-8 text file. An optional header opens it: white space, `date`, white space,
//! an ISO date, white space; the body follows. Byte offsets everywhere in tally are into the file's
//! whole content, so `content[body_start..]` is the body and the header is never counted as text.
//! JSON Lines files (`.jsonl`, `.ndjson`) hold a document a line, CSV and TSV files (with a header) a
//! document a record: a text, an optional date and an optional id, under names [`Fields`] gives.
//! Discovery is deterministic: the PATHs in the order given, each folder walked in sorted order, and
//! [`batches`] hands the documents out in that order, a batch at a time.
//!
//! Every text format is read the same way (`input`): decompressed, a leading byte-order mark passed
//! over (it is not part of the content, so offsets start after it), UTF-16 with a BOM transcoded to
//! UTF-8, binary files told by a NUL byte in their first block, and no document read past
//! `--max-document-bytes` ([`DEFAULT_MAX_DOCUMENT_BYTES`]).

mod batches;
mod date;
mod input;
mod records;

pub use batches::{batches, Batch, Fields, Item};
pub use date::{Date, DateError, Period};
pub use input::read_to_string;
pub use records::{Record, RecordError, RecordReader};

/// The largest document read when `--max-document-bytes` is not given: a document takes a
/// small multiple of its size in memory while it is counted (docs/memory.md), so this keeps a run
/// under 1 GB with two threads.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 16 << 20;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How a file holds its documents (`--input-format` names one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The file is one document.
    Text,
    /// A document a line, as JSON.
    #[value(name = "jsonl")]
    #[serde(rename = "jsonl")]
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
    /// `a.ndjson.zst`, in any case: `A.TXT`), or `None` when it is not read.
    pub fn of_extension(path: &Path) -> Option<(Format, Compression)> {
        let lower = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let name: &str = &lower;
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
    /// What a file given directly is compressed with, by its last extension, in any case.
    pub fn of_extension(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// What standard input is compressed with, by its first bytes (`head`, as many as are there).
    pub fn of_magic(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// `file`, decompressed as it is read.
    pub fn reader(self, file: impl Read + Send + 'static) -> std::io::Result<Box<dyn Read + Send>> {
        Ok(match self {
            Compression::None => Box::new(file),
            Compression::Gzip => Box::new(Gunzip { inner: flate2::read::MultiGzDecoder::new(file), produced: 0 }),
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(file)?),
        })
    }
}

/// A gzip stream decompressed, whose error says where it is: bytes after the last whole member
/// that are no gzip member are data appended to the stream or a damaged file, not a bad header.
struct Gunzip<R> {
    inner: flate2::read::MultiGzDecoder<R>,
    produced: u64,
}

impl<R: Read> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.produced += n as u64;
                Ok(n)
            }
            Err(err) if self.produced > 0 && err.to_string().contains("invalid gzip header") => {
                Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "after {} bytes of text, data that is no gzip member (appended to the stream, or the file is \
                         damaged); `gzip -dc` gives the text before it",
                        self.produced
                    ),
                ))
            }
            Err(err) => Err(err),
        }
    }
}

/// Which files of a folder are read, and how a file of no known extension is: `--input-format`,
/// `--glob`, `--exclude`.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// How standard input and files of no known extension hold their documents.
    pub input_format: Option<Format>,
    /// The files of folders read, whatever their extension; none: those of the extensions tally reads.
    include: Option<globset::GlobSet>,
    /// The files and folders of folders not read.
    exclude: Option<globset::GlobSet>,
    /// The patterns of `include` and `exclude`, as given.
    patterns: [Vec<String>; 2],
}

/// Two choices are the same when made of the same settings.
impl PartialEq for Choice {
    fn eq(&self, other: &Choice) -> bool {
        self.input_format == other.input_format && self.patterns == other.patterns
    }
}

impl Eq for Choice {}

impl Choice {
    /// The choice of `--input-format`, `--glob` and `--exclude`, or the first pattern that is not a
    /// glob, and why. A pattern without `/` matches a file's or folder's name at any depth (`*.md`,
    /// `README.txt`); one with `/` the path under the PATH (`2022/**/*.txt`).
    pub fn new(input_format: Option<Format>, globs: &[String], excludes: &[String]) -> Result<Choice, String> {
        let patterns = [globs.to_vec(), excludes.to_vec()];
        Ok(Choice { input_format, include: glob_set(globs)?, exclude: glob_set(excludes)?, patterns })
    }

    /// Every file of the extensions tally reads, and others as `input_format` says.
    pub fn reading(input_format: Option<Format>) -> Choice {
        Choice { input_format, ..Choice::default() }
    }

    /// Whether `--exclude` leaves out the file or folder at `relative` (`/`-separated, under its PATH).
    fn excludes(&self, relative: &str) -> bool {
        self.exclude.as_ref().is_some_and(|set| set.is_match(relative))
    }

    /// Whether `--glob` picks the file at `relative`; `None` without `--glob`.
    fn includes(&self, relative: &str) -> Option<bool> {
        self.include.as_ref().map(|set| set.is_match(relative))
    }
}

/// The globs of `patterns` as one set; none for no pattern.
fn glob_set(patterns: &[String]) -> Result<Option<globset::GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let anywhere = if pattern.contains('/') { pattern.clone() } else { format!("**/{pattern}") };
        let glob = globset::GlobBuilder::new(&anywhere)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("`{pattern}` is not a glob: {}", e.kind()))?;
        set.add(glob);
    }
    set.build().map(Some).map_err(|e| e.to_string())
}

/// Why a `.json` file is not read: one JSON value, most often an array of documents, is not the JSON
/// Lines tally reads, and read as text it would count the JSON's keys and escapes as words.
const JSON_REASON: &str = "a .json file (one JSON value): tally reads JSON Lines, one document object a line; \
     convert it (jq -c '.[]' FILE.json > FILE.jsonl)";

/// Whether `path` names a `.json` file, compressed or not.
fn is_json(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let name = name.strip_suffix(".gz").or_else(|| name.strip_suffix(".zst")).unwrap_or(&name);
    name.ends_with(".json")
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
    /// Its size on disk when it was listed (none for standard input).
    pub bytes: Option<u64>,
    /// When it was last changed, as listed (none for standard input, or where the system does not say).
    pub modified: Option<std::time::SystemTime>,
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
    /// The values of the fields carried into `documents` ([`Fields::carried`]), each when the
    /// document has it; none for a document file.
    pub meta: Vec<Option<String>>,
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
    /// `--input-format parquet` for standard input, which cannot be read but in order.
    #[error("standard input cannot be read as Parquet (its footer comes last): give the file's path")]
    ParquetOnStdin,
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
    /// What the batch reader could not hand out as a document (a file, the rest of one, a line, a
    /// record, a Parquet row group), and why, as [`Item::Failed`] says it.
    #[error("{0}")]
    Failed(String),
    /// The document is larger than `--max-document-bytes`; no more than that was read.
    #[error("{}", batches::too_large(*.0))]
    TooLarge(usize),
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
/// else one document whatever its extension; a FIFO or device given by name is read as a stream) or
/// a folder walked recursively in sorted order, symbolic links followed (only regular files with the
/// extensions [`Format::of_extension`] knows; others are listed as skipped).
///
/// Each file is read once, by its identity on disk, however many PATHs or links lead to it. No
/// folder in `avoid` (the output folder), nor any folder holding a tally `manifest.json` (another
/// run's reports), is walked. With one PATH, a document's id is its path relative to the PATH (a
/// file given directly: its name); with several, its path relative to the deepest folder holding them
/// all (`tally run y2022 y2023`: `y2022/01.txt`, `y2023/01.txt`), so ids are unique across PATHs.
///
/// Standard input, and a file given directly whose extension tally does not know, hold their
/// documents as `choice` says (`--input-format`; one text document by default); in folders,
/// `choice` may pick files by glob (`--glob`, read whatever their extension) and leave some out
/// (`--exclude`).
pub fn discover(roots: &[PathBuf], avoid: &[PathBuf], choice: &Choice) -> Result<Discovery, CorpusError> {
    let unnamed = choice.input_format;
    let mut found = Discovery::default();
    let avoid: Vec<FileIdentity> = avoid.iter().filter_map(|p| FileIdentity::of(p)).collect();
    let mut seen: std::collections::HashMap<FileIdentity, String> = std::collections::HashMap::new();
    let prefixes = id_prefixes(roots);
    let mut first_read = |found: &mut Discovery, path: &Path, meta: &fs::Metadata| -> bool {
        let Some(identity) = FileIdentity::of_metadata(meta) else { return true };
        match seen.get(&identity) {
            Some(first) => {
                let reason = format!("the same file as {first}, which is read once");
                found.skipped.push(Skipped { path: path.display().to_string(), reason });
                false
            }
            None => {
                seen.insert(identity, path.display().to_string());
                true
            }
        }
    };
    for root in roots {
        if root.as_os_str() == STDIN {
            if unnamed == Some(Format::Parquet) {
                return Err(CorpusError::ParquetOnStdin);
            }
            found.sources.push(Source {
                path: root.clone(),
                id: "stdin".into(),
                format: unnamed.unwrap_or(Format::Text),
                compression: Compression::None,
                bytes: None,
                modified: None,
            });
            continue;
        }
        let meta = fs::metadata(root).map_err(|source| CorpusError::Input { path: root.clone(), source })?;
        if !meta.is_dir() {
            if !first_read(&mut found, root, &meta) {
                continue;
            }
            if unnamed.is_none() && is_json(root) {
                found.skipped.push(Skipped { path: root.display().to_string(), reason: JSON_REASON.to_string() });
                continue;
            }
            let id = prefixes[&**root].clone();
            let compression = Compression::of_extension(root);
            let format = Format::of_extension(root).map_or(unnamed.unwrap_or(Format::Text), |(format, _)| format);
            let (bytes, modified) = (Some(meta.len()), meta.modified().ok());
            found.sources.push(Source { path: root.clone(), id, format, compression, bytes, modified });
            continue;
        }
        let prefix = &prefixes[&**root];
        let mut walk = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
        while let Some(entry) = walk.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().unwrap_or(root).display().to_string();
                    found.skipped.push(Skipped { path, reason: walk_error_reason(&err) });
                    continue;
                }
            };
            let path = entry.path();
            // Below a PATH, a name starting with a dot is hidden: version control's (.git), an
            // editor's or a notebook's (.ipynb_checkpoints, with copies of documents), macOS's.
            let hidden = entry.depth() > 0 && entry.file_name().as_encoded_bytes().starts_with(b".");
            if entry.file_type().is_dir() {
                let relative = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
                if !relative.is_empty() && choice.excludes(&relative) {
                    walk.skip_current_dir();
                    continue;
                }
                let passed_over = if entry
                    .metadata()
                    .ok()
                    .and_then(|m| FileIdentity::of_metadata(&m))
                    .is_some_and(|id| avoid.contains(&id))
                {
                    Some("the output folder (--out), which tally never reads")
                } else if is_staging_folder(path) {
                    Some("a folder of tally's reports being written or left by a run that was stopped, which tally never reads")
                } else if holds_tally_manifest(path) {
                    Some("a folder of tally's reports (it holds tally's manifest.json), which tally never reads")
                } else if hidden {
                    Some(HIDDEN_REASON)
                } else {
                    None
                };
                if let Some(reason) = passed_over {
                    found.skipped.push(Skipped { path: path.display().to_string(), reason: reason.to_string() });
                    walk.skip_current_dir();
                }
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
            if choice.excludes(&relative) {
                continue;
            }
            if hidden {
                found.skipped.push(Skipped { path: path.display().to_string(), reason: HIDDEN_REASON.to_string() });
                continue;
            }
            let known = match choice.includes(&relative) {
                Some(false) => continue,
                // Chosen by name: read as --input-format says when tally does not know its extension.
                // A .json file stays refused unless --input-format says how to read it.
                Some(true) => Format::of_extension(path).or_else(|| match (unnamed, is_json(path)) {
                    (None, true) => None,
                    (format, _) => Some((format.unwrap_or(Format::Text), Compression::of_extension(path))),
                }),
                None => Format::of_extension(path),
            };
            let Some((format, compression)) = known else {
                let reason = match is_json(path) {
                    true => JSON_REASON,
                    false => "not a .txt, .jsonl, .ndjson, .csv, .tsv or .parquet file (the text ones optionally .gz or .zst)",
                };
                found.skipped.push(Skipped { path: path.display().to_string(), reason: reason.to_string() });
                continue;
            };
            // A FIFO would wait for a writer forever, a device never end: only files are read from folders.
            if !entry.file_type().is_file() {
                let reason = "not a regular file (a FIFO, socket or device); name it as a PATH to read it as a stream";
                found.skipped.push(Skipped { path: path.display().to_string(), reason: reason.to_string() });
                continue;
            }
            let meta = entry.metadata().ok();
            if meta.as_ref().is_some_and(|meta| !first_read(&mut found, path, meta)) {
                continue;
            }
            let rel = relative_id(root, path);
            let id = match prefix.is_empty() {
                true => rel,
                false => format!("{prefix}/{rel}"),
            };
            if path.strip_prefix(root).unwrap_or(path).to_str().is_none() {
                let reason = format!("the file name is not valid UTF-8; its id in the reports is {id:?}");
                found.warnings.push(Skipped { path: path.display().to_string(), reason });
            }
            let (bytes, modified) = (meta.as_ref().map(|m| m.len()), meta.as_ref().and_then(|m| m.modified().ok()));
            found.sources.push(Source { path: path.to_path_buf(), id, format, compression, bytes, modified });
        }
    }
    Ok(found)
}

/// A file's identity on disk: its device and inode, the same whatever path or link leads to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct FileIdentity {
    device: u64,
    inode: u64,
}

impl FileIdentity {
    fn of(path: &Path) -> Option<FileIdentity> {
        FileIdentity::of_metadata(&fs::metadata(path).ok()?)
    }

    #[cfg(unix)]
    fn of_metadata(meta: &fs::Metadata) -> Option<FileIdentity> {
        use std::os::unix::fs::MetadataExt;
        Some(FileIdentity { device: meta.dev(), inode: meta.ino() })
    }

    #[cfg(not(unix))]
    fn of_metadata(_: &fs::Metadata) -> Option<FileIdentity> {
        None
    }
}

/// Whether the folder holds the `manifest.json` of a tally run: another run's reports, never a corpus.
pub fn holds_tally_manifest(folder: &Path) -> bool {
    let Ok(file) = fs::File::open(folder.join("manifest.json")) else { return false };
    let mut head = Vec::with_capacity(512);
    if file.take(512).read_to_end(&mut head).is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    let compact: String = head.chars().filter(|c| !c.is_whitespace()).collect();
    compact.starts_with("{\"program\":\"tally\"")
}

/// Whether the folder is where a run stages its reports before they land (`.NAME.tally-PID`).
fn is_staging_folder(folder: &Path) -> bool {
    let name = folder.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with('.') && name.rsplit_once(".tally-").is_some_and(|(_, pid)| pid.parse::<u32>().is_ok())
}

/// Each PATH's part of the ids of the documents under it: its path, `/`-separated, relative to the
/// deepest folder that holds every PATH (a folder PATH alone: empty; a file alone: its name).
fn id_prefixes(roots: &[PathBuf]) -> std::collections::HashMap<&Path, String> {
    let here = std::env::current_dir().unwrap_or_default();
    let normal = |path: &Path| -> Vec<std::ffi::OsString> {
        let mut parts = Vec::new();
        for part in here.join(path).components() {
            match part {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    parts.pop();
                }
                other => parts.push(other.as_os_str().to_os_string()),
            }
        }
        parts
    };
    let files: Vec<(&Path, Vec<std::ffi::OsString>)> =
        roots.iter().filter(|r| r.as_os_str() != STDIN).map(|r| (r.as_path(), normal(r))).collect();
    let mut common: Vec<std::ffi::OsString> = files.first().map(|(_, parts)| parts.clone()).unwrap_or_default();
    for (root, parts) in &files {
        let shared = common.iter().zip(parts).take_while(|(a, b)| a == b).count();
        common.truncate(shared);
        // A file's id names the file: the folder holding it is the deepest that can be common.
        if common.len() == parts.len() && !root.is_dir() {
            common.pop();
        }
    }
    files
        .into_iter()
        .map(|(root, parts)| {
            let rest: Vec<_> = parts[common.len()..].iter().map(|p| p.to_string_lossy()).collect();
            (root, rest.join("/"))
        })
        .collect()
}

/// Why a hidden file or folder below a PATH is not read.
const HIDDEN_REASON: &str = "hidden (its name starts with a dot): passed over in folders; name it as a PATH to read it";

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

/// Reads one document of at most `max_bytes` bytes: its text (see the module documentation), checked
/// as UTF-8, with the date header parsed. A malformed date is returned as the second value: a
/// warning, the document keeps no date.
pub fn read_document(source: &Source, max_bytes: usize) -> Result<(Document, Option<DateError>), DocumentError> {
    let size_hint = source.bytes.filter(|_| source.compression == Compression::None);
    let bytes = input::read_bounded(input::open(source)?, max_bytes, size_hint).map_err(|err| match err {
        input::BoundedError::Io(err) => DocumentError::Io(err),
        input::BoundedError::Binary(at) => DocumentError::Binary(at),
        input::BoundedError::TooLarge => DocumentError::TooLarge(max_bytes),
    })?;
    let content = String::from_utf8(bytes).map_err(|e| DocumentError::NotUtf8(e.utf8_error().valid_up_to()))?;
    let content = with_line_feeds(content);
    let header = parse_header(&content);
    // A date header and nothing after it is as empty as a record with an empty text.
    if content[header.body_start..].trim().is_empty() {
        return Err(DocumentError::Empty);
    }
    let (date, warning) = match header.date {
        Some(Ok(date)) => (Some(date), None),
        Some(Err(err)) => (None, Some(err)),
        None => (None, None),
    };
    let doc = Document { id: source.id.clone(), body_start: header.body_start, date, content, meta: Vec::new() };
    Ok((doc, warning))
}

/// `content` with every line break a `\n` of the same place and byte length, so that the rules of
/// lines and sentences (n-gram windows, the sentences of mentions, lines in capitals) read one
/// kind: a carriage return alone, a vertical tab and a form feed become `\n`; NEL (U+0085) ` \n`,
/// the line separator (U+2028) `  \n`, the paragraph separator (U+2029) ` \n\n`, a blank line.
/// A carriage return before a line feed stays. Offsets into the text are unchanged.
pub fn with_line_feeds(content: String) -> String {
    let bytes = content.as_bytes();
    // NEL is C2 85, the separators E2 80 A8 and E2 80 A9: one pass finds either.
    let separators = memchr::memchr2_iter(0xC2, 0xE2, bytes).any(|at| match bytes[at] {
        0xC2 => bytes.get(at + 1) == Some(&0x85),
        _ => bytes.get(at + 1) == Some(&0x80) && matches!(bytes.get(at + 2), Some(0xA8 | 0xA9)),
    });
    if !separators && memchr::memchr3(b'\r', 0x0B, 0x0C, bytes).is_none() {
        return content;
    }
    let mut out = String::with_capacity(content.len());
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => out.push('\r'),
            '\r' | '\u{0B}' | '\u{0C}' => out.push('\n'),
            '\u{85}' => out.push_str(" \n"),
            '\u{2028}' => out.push_str("  \n"),
            '\u{2029}' => out.push_str(" \n\n"),
            c => out.push(c),
        }
    }
    debug_assert_eq!(out.len(), content.len());
    out
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
    fn data_after_a_gzip_stream_is_named_so() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"Armenia and Russia.").unwrap();
        let mut bytes = gz.finish().unwrap();
        let whole = bytes.clone();
        let mut text = String::new();
        Compression::Gzip.reader(std::io::Cursor::new(whole)).unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "Armenia and Russia.");
        bytes.extend_from_slice(&[b'x'; 64]);
        let err = Compression::Gzip.reader(std::io::Cursor::new(bytes)).unwrap().read_to_string(&mut text).unwrap_err();
        assert!(err.to_string().contains("after 19 bytes of text, data that is no gzip member"), "{err}");
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
        assert_eq!(of("OLD/A.TXT"), Some((Format::Text, Compression::None)), "Windows' capitals");
        assert_eq!(of("a.Jsonl.GZ"), Some((Format::JsonLines, Compression::Gzip)));
        assert_eq!(Compression::of_extension(Path::new("a.ZST")), Compression::Zstd);
    }

    #[test]
    fn every_line_break_is_a_line_feed_in_its_place() {
        for (text, want) in [
            ("a\rb\r\nc\u{0B}d\u{0C}e", "a\nb\r\nc\nd\ne"),
            ("a\u{85}b\u{2028}c\u{2029}d", "a \nb  \nc \n\nd"),
            ("“quoted” – plain\n", "“quoted” – plain\n"),
        ] {
            let got = with_line_feeds(text.to_string());
            assert_eq!(got, want, "{text:?}");
            assert_eq!(got.len(), text.len(), "offsets kept: {text:?}");
        }
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

    fn read_document_(source: &Source) -> Result<(Document, Option<DateError>), DocumentError> {
        read_document(source, usize::MAX - 1)
    }

    #[test]
    fn reads_and_rejects_files() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            fs::write(&path, bytes).unwrap();
            Source {
                path,
                id: name.to_string(),
                format: Format::Text,
                compression: Compression::None,
                bytes: None,
                modified: None,
            }
        };
        let (doc, warning) = read_document_(&write("a.txt", b" date 2022-10-27 Hello")).unwrap();
        assert_eq!((doc.body(), doc.date.map(|d| d.to_string()), warning), ("Hello", Some("2022-10-27".into()), None));
        assert!(matches!(read_document_(&write("b.txt", b"ab\0c")), Err(DocumentError::Binary(2))));
        assert!(matches!(read_document_(&write("c.txt", b"ok \xff")), Err(DocumentError::NotUtf8(3))));
        assert!(matches!(read_document_(&write("d.txt", b" \n ")), Err(DocumentError::Empty)));
        assert!(matches!(read_document_(&write("e.txt", b" date 2022-10-27\n \n")), Err(DocumentError::Empty)));
    }

    #[test]
    fn discovery_is_sorted_and_skips_other_extensions() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.txt", "a.txt", "sub/c.txt", "notes.md"] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()], &[], &Choice::default()).unwrap();
        let ids: Vec<_> = found.sources.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a.txt", "b.txt", "sub/c.txt"]);
        assert_eq!(found.skipped.len(), 1);
        assert!(found.skipped[0].path.ends_with("notes.md"));
        assert!(found.sources.iter().all(|s| s.format == Format::Text));
        assert!(discover(&[dir.path().join("missing")], &[], &Choice::default()).is_err());
    }

    fn ids(found: &Discovery) -> Vec<&str> {
        found.sources.iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn each_file_is_read_once_whatever_leads_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        fs::create_dir_all(root.join("sub")).unwrap();
        fs::write(root.join("a.txt"), "x").unwrap();
        fs::write(root.join("sub/b.txt"), "y").unwrap();
        std::os::unix::fs::symlink(root.join("sub"), root.join("via-link")).unwrap();
        let found = discover(std::slice::from_ref(&root), &[], &Choice::default()).unwrap();
        assert_eq!(ids(&found), ["a.txt", "sub/b.txt"]);
        assert!(found.skipped.iter().any(|s| s.path.ends_with("via-link/b.txt") && s.reason.contains("same file")));
        let twice = discover(&[root.clone(), root.clone()], &[], &Choice::default()).unwrap();
        assert_eq!(twice.sources.len(), 2, "{:?}", ids(&twice));
        let file = root.join("a.txt");
        assert_eq!(discover(&[file.clone(), file], &[], &Choice::default()).unwrap().sources.len(), 1);
    }

    #[test]
    fn ids_are_unique_across_paths() {
        let dir = tempfile::tempdir().unwrap();
        for year in ["y2022", "y2023"] {
            fs::create_dir(dir.path().join(year)).unwrap();
            fs::write(dir.path().join(year).join("01.txt"), year).unwrap();
        }
        let roots = [dir.path().join("y2022"), dir.path().join("y2023")];
        let found = discover(&roots, &[], &Choice::default()).unwrap();
        let ids = ids(&found);
        assert_eq!(ids.len(), 2);
        assert_ne!(ids[0], ids[1]);
        assert!(ids[0].ends_with("y2022/01.txt") && ids[1].ends_with("y2023/01.txt"), "{ids:?}");
        let files = [dir.path().join("y2022/01.txt"), dir.path().join("y2023/01.txt")];
        let found = discover(&files, &[], &Choice::default()).unwrap();
        assert_ne!(found.sources[0].id, found.sources[1].id);
        // One PATH: ids as before, relative to it.
        assert_eq!(discover(&roots[..1], &[], &Choice::default()).unwrap().sources[0].id, "01.txt");
    }

    #[test]
    fn fifos_in_folders_and_output_folders_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.txt"), "x").unwrap();
        let fifo = root.join("p.txt");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
        fs::create_dir(root.join("reports")).unwrap();
        fs::write(root.join("reports/terms.csv"), "term").unwrap();
        fs::create_dir(root.join("old")).unwrap();
        fs::write(root.join("old/manifest.json"), "{\n  \"program\": \"tally\",\n  \"version\": \"0.1.0\"}").unwrap();
        fs::write(root.join("old/terms.csv"), "term").unwrap();
        let found = discover(&[root.to_path_buf()], &[root.join("reports")], &Choice::default()).unwrap();
        assert_eq!(ids(&found), ["a.txt"]);
        let reasons: Vec<&str> = found.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert!(reasons.iter().any(|r| r.contains("not a regular file")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("output folder")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("tally's manifest.json")), "{reasons:?}");
        // A run stopped while writing leaves its fresh folder, with no manifest yet: passed over,
        // and said so.
        fs::create_dir(root.join(".reports.tally-4242")).unwrap();
        fs::write(root.join(".reports.tally-4242/terms.csv"), "term").unwrap();
        let found = discover(&[root.to_path_buf()], &[root.join("reports")], &Choice::default()).unwrap();
        assert_eq!(ids(&found), ["a.txt"]);
        let staged = found.skipped.iter().find(|s| s.path.ends_with(".reports.tally-4242")).expect("passed over");
        assert!(staged.reason.contains("run that was stopped"), "{}", staged.reason);
    }
}
