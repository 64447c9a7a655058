//! The corpus as a stream of batches: each [`Item`] is a document file to read, one line of a JSON
//! Lines file, or one record of a CSV/TSV file, numbered in reading order. JSON Lines and CSV files
//! are read here, sequentially, in large buffered blocks; every other cost (opening document files,
//! decoding JSON, checking UTF-8) is left to [`Item::read`], which the pipeline runs in parallel.
//!
//! Invariant: item `k` of batch `b` is document number `b.first_index + k`, whatever the batch sizes.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use polars::io::parquet::read::{infer_schema, FileMetadata};

use super::input::{self, Line};
use super::records::{Record, RecordError, RecordReader};
use super::{Date, DateError, Document, DocumentError, Format, Source};

/// The names of the fields (JSON Lines) or columns (CSV, TSV, Parquet) a document is read from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fields {
    /// The text; required.
    pub text: String,
    /// The date (an ISO date or a timestamp); optional.
    pub date: String,
    /// The id; optional (`FILE:LINE` without it).
    pub id: String,
    /// The title, read before the text with a blank line between; optional, none when empty.
    #[serde(default = "title")]
    pub title: String,
    /// Fields carried into the `documents` report, each as a column of its name (`--meta`).
    #[serde(default)]
    pub meta: Vec<String>,
    /// The field whose value is a document's group (`--group-by`): terms and actors are counted by
    /// group too. Carried into `documents` as well.
    #[serde(default)]
    pub group_by: Option<String>,
}

/// The title field's name by default, for serde.
fn title() -> String {
    "title".into()
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            text: "text".into(),
            date: "date".into(),
            id: "id".into(),
            title: title(),
            meta: Vec::new(),
            group_by: None,
        }
    }
}

impl Fields {
    /// The title field's name, unless none is read (an empty name).
    fn title(&self) -> Option<&str> {
        Some(self.title.as_str()).filter(|t| !t.is_empty())
    }

    /// The fields carried into `documents`, in order: `meta`, then `group_by` when it is not one of
    /// them. A [`Document`]'s `meta` holds their values.
    pub fn carried(&self) -> impl Iterator<Item = &String> + Clone {
        let group = self.group_by.as_ref().filter(|g| !self.meta.contains(g));
        self.meta.iter().chain(group)
    }

    /// Where the group is among [`Fields::carried`], with `--group-by`.
    pub fn group_at(&self) -> Option<usize> {
        let group = self.group_by.as_ref()?;
        self.carried().position(|name| name == group)
    }
}

/// One document to read.
#[derive(Debug)]
pub enum Item {
    /// A file that is one document, and the most of it to read.
    File {
        /// The file.
        source: Source,
        /// A larger document is not read (`--max-document-bytes`).
        max_bytes: usize,
    },
    /// One line of a JSON Lines file (without its line break).
    JsonLine {
        /// The file.
        source: Arc<Source>,
        /// Its line number, from 1.
        line: usize,
        /// The line's bytes.
        bytes: Vec<u8>,
    },
    /// One record of a CSV or TSV file, its fields already picked out.
    Record {
        /// The file.
        source: Arc<Source>,
        /// The line the record starts on, from 1.
        line: u64,
        /// The text column.
        text: String,
        /// The date column, when the file has one.
        date: Option<String>,
        /// The id column, when the file has one.
        id: Option<String>,
        /// The title column, when the file has one.
        title: Option<String>,
        /// The columns of [`Fields::carried`], each when the file has it.
        meta: Vec<Option<String>>,
    },
    /// A file, or the rest of one, or one record, that could not be read.
    Failed {
        /// Where.
        path: String,
        /// Why.
        reason: String,
    },
}

impl Item {
    /// Where the item comes from, as messages name it: the file, and the line for JSON Lines and CSV.
    pub fn location(&self) -> String {
        match self {
            Item::File { source, .. } => source.path.display().to_string(),
            Item::JsonLine { source, line, .. } => format!("{}:{line}", source.path.display()),
            Item::Record { source, line, .. } => format!("{}:{line}", source.path.display()),
            Item::Failed { path, .. } => path.clone(),
        }
    }

    /// Reads the document; `fields` names the JSON fields. A malformed date comes back as the second
    /// value: the document keeps no date.
    pub fn read(&self, fields: &Fields) -> Result<(Document, Option<DateError>), DocumentError> {
        match self {
            Item::File { source, max_bytes } => super::read_document(source, *max_bytes),
            Item::JsonLine { source, line, bytes } => parse_line(source, *line, bytes, fields),
            Item::Record { source, line, text, date, id, title, meta } => {
                let id = id.clone().filter(|id| !id.is_empty()).unwrap_or_else(|| format!("{}:{line}", source.id));
                let date =
                    date.as_deref().filter(|d| !d.trim().is_empty()).map(|d| Date::parse_date_or_timestamp(d.trim()));
                let meta = meta.iter().map(|v| v.clone().filter(|v| !v.is_empty())).collect();
                document(id, titled(title.as_deref(), text.clone()), date, meta)
            }
            Item::Failed { reason, .. } => Err(DocumentError::Failed(reason.clone())),
        }
    }
}

/// The text of a document with a title: the title, a blank line, then the text.
fn titled(title: Option<&str>, text: String) -> String {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) => format!("{title}\n\n{text}"),
        None => text,
    }
}

/// A document from picked-out fields: empty text is an error, a malformed date a warning.
fn document(
    id: String,
    content: String,
    date: Option<Result<Date, DateError>>,
    meta: Vec<Option<String>>,
) -> Result<(Document, Option<DateError>), DocumentError> {
    if content.trim().is_empty() {
        return Err(DocumentError::Empty);
    }
    let (date, warning) = match date {
        Some(Ok(date)) => (Some(date), None),
        Some(Err(err)) => (None, Some(err)),
        None => (None, None),
    };
    Ok((Document { id, content: super::with_line_feeds(content), body_start: 0, date, meta }, warning))
}

/// The text, date, id, title and carried fields of a JSON object, by the names in [`Fields`]; other
/// fields are skipped without being built.
struct PickFields<'f>(&'f Fields);

/// What [`PickFields`] found, each when present and not null.
#[derive(Default)]
struct Picked {
    text: Option<String>,
    date: Option<serde_json::Value>,
    id: Option<serde_json::Value>,
    title: Option<String>,
    /// By [`Fields::carried`].
    meta: Vec<Option<serde_json::Value>>,
}

impl<'de> DeserializeSeed<'de> for PickFields<'_> {
    type Value = Picked;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Picked, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PickFields<'_> {
    type Value = Picked;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Picked, A::Error> {
        let fields = self.0;
        let mut picked = Picked { meta: vec![None; fields.carried().count()], ..Picked::default() };
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if let Some(at) = fields.carried().position(|name| *name == key) {
                // A carried field may also be the title or the id: read once, kept for both.
                let value = map.next_value::<Option<serde_json::Value>>()?;
                if fields.title() == Some(&*key) {
                    picked.title = value.clone().and_then(value_text);
                } else if key == fields.id {
                    picked.id = value.clone();
                } else if key == fields.date {
                    picked.date = value.clone();
                }
                picked.meta[at] = value;
            } else if key == fields.text {
                // A null text is an empty one, as an empty cell of CSV or Parquet is: the document
                // is its title, if it has one. A line without the field is told apart.
                picked.text = Some(map.next_value::<Option<String>>()?.unwrap_or_default());
            } else if key == fields.date {
                picked.date = map.next_value::<Option<serde_json::Value>>()?;
            } else if key == fields.id {
                picked.id = map.next_value::<Option<serde_json::Value>>()?;
            } else if fields.title() == Some(&*key) {
                picked.title = map.next_value::<Option<serde_json::Value>>()?.and_then(value_text);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(picked)
    }
}

/// A JSON value as a cell of text: a string as it is, anything else as JSON.
fn value_text(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(text) => Some(text),
        other => Some(other.to_string()),
    }
}

fn parse_line(
    source: &Source,
    line: usize,
    bytes: &[u8],
    fields: &Fields,
) -> Result<(Document, Option<DateError>), DocumentError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let picked = PickFields(fields)
        .deserialize(&mut deserializer)
        .and_then(|picked| deserializer.end().map(|()| picked))
        .map_err(|e| DocumentError::Json(e.to_string()))?;
    let content = picked.text.ok_or_else(|| DocumentError::NoText(fields.text.clone()))?;
    let id = match picked.id {
        Some(serde_json::Value::String(id)) => id,
        None => format!("{}:{line}", source.id),
        Some(other) => other.to_string(),
    };
    let date = picked.date.map(|value| match value {
        serde_json::Value::String(text) => Date::parse_date_or_timestamp(&text),
        other => Err(DateError::Shape(other.to_string())),
    });
    let meta = picked.meta.into_iter().map(|v| v.and_then(value_text).filter(|v| !v.is_empty())).collect();
    document(id, titled(picked.title.as_deref(), content), date, meta)
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
/// `max_bytes` bytes of JSON Lines or CSV; `fields` names the CSV columns to read. A JSON Lines line,
/// CSV record or Parquet cell over `max_document_bytes` becomes an [`Item::Failed`], and no more
/// than that of it is held in memory (a Parquet cell excepted: it is read whole, then dropped).
pub fn batches(
    sources: Vec<Source>,
    fields: Fields,
    max_document_bytes: usize,
    max_items: usize,
    max_bytes: usize,
) -> impl Iterator<Item = Batch> {
    Batches {
        sources: sources.into_iter(),
        fields,
        max_document_bytes,
        open: None,
        next_index: 0,
        max_items: max_items.max(1),
        max_bytes,
    }
}

/// Why a document over `--max-document-bytes` is skipped, as the manifest says it.
pub(crate) fn too_large(max: usize) -> String {
    format!(
        "larger than --max-document-bytes ({max} bytes, counted after decompression): skipped; raise the limit to \
         read it"
    )
}

/// A file being read a document at a time.
enum Open {
    /// JSON Lines: the reader and the last line number read.
    JsonLines(BufReader<Box<dyn Read + Send>>, usize),
    /// CSV or TSV.
    Csv(Box<CsvFile>),
    /// Parquet: the file read [`PARQUET_ROWS`] rows at a time.
    Parquet(ParquetRows),
}

/// A CSV or TSV file being read a record at a time.
struct CsvFile {
    records: RecordReader<BufReader<Box<dyn Read + Send>>>,
    record: Record,
    delimiter: u8,
    /// The header's columns: a record with more is misaligned (one with fewer lacks its last).
    columns: usize,
    /// Records read after the header, kept or not.
    records_read: u64,
    /// Whether a record after the header could not be read (too large, not UTF-8, a quote left
    /// open): the file had records, then.
    record_failed: bool,
    /// The columns of the text, date, id and title.
    text: usize,
    date: Option<usize>,
    id: Option<usize>,
    title: Option<usize>,
    /// The columns of [`Fields::carried`].
    meta: Vec<Option<usize>>,
}

/// The reading buffer of JSON Lines and CSV files.
const READ_BUFFER: usize = 1 << 20;

/// Rows of a Parquet file read at a time: memory holds one slice, not the file.
const PARQUET_ROWS: usize = 8192;

/// A Parquet file being read a slice of rows at a time, never a slice across two row groups, so a
/// row group that cannot be read loses its own rows and no others.
struct ParquetRows {
    /// The columns read: the text, and the date and id when the file has them.
    columns: Vec<String>,
    /// The file's metadata for each row group, as if the file held that group alone, without the
    /// Arrow schema some writers store beside the Parquet one.
    groups: Vec<Arc<FileMetadata>>,
    /// The first row of each row group, and one past the last row of the file.
    group_starts: Vec<usize>,
    /// The row group being read.
    group: usize,
    /// The first row not read yet.
    next: usize,
    /// The slice read, still to hand out.
    items: std::vec::IntoIter<Item>,
}

struct Batches {
    sources: std::vec::IntoIter<Source>,
    fields: Fields,
    max_document_bytes: usize,
    open: Option<(Arc<Source>, Open)>,
    next_index: usize,
    max_items: usize,
    max_bytes: usize,
}

impl Batches {
    /// The next item of the open file, `None` at its end (the file is then closed).
    fn next_from_open(&mut self) -> Option<Item> {
        let (source, open) = self.open.as_mut()?;
        let source = Arc::clone(source);
        let max = self.max_document_bytes;
        let failed =
            |at: String, err: String| Item::Failed { path: format!("{}:{at}", source.path.display()), reason: err };
        match open {
            Open::JsonLines(reader, line) => loop {
                let mut buf = Vec::new();
                match input::read_line(reader, &mut buf, max) {
                    Ok(Line::End) => break,
                    Ok(Line::Kept(_)) => {
                        *line += 1;
                        while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                            buf.pop();
                        }
                        if !buf.iter().all(u8::is_ascii_whitespace) {
                            return Some(Item::JsonLine { source, line: *line, bytes: buf });
                        }
                    }
                    Ok(Line::TooLong(_)) => {
                        *line += 1;
                        return Some(failed(line.to_string(), too_large(max)));
                    }
                    Err(err) => {
                        let item = failed(
                            (*line + 1).to_string(),
                            format!("cannot read: {err}; the rest of the file is skipped"),
                        );
                        self.open = None;
                        return Some(item);
                    }
                }
            },
            Open::Parquet(rows) => loop {
                if let Some(item) = rows.items.next() {
                    return Some(item);
                }
                let groups = rows.group_starts.len() - 1;
                if rows.group == groups {
                    break;
                }
                let group_end = rows.group_starts[rows.group + 1];
                if rows.next >= group_end {
                    rows.group += 1;
                    continue;
                }
                let len = PARQUET_ROWS.min(group_end - rows.next);
                match parquet_slice(&source, &self.fields, rows, len, max) {
                    Ok(items) => {
                        rows.items = items.into_iter();
                        rows.next += len;
                    }
                    Err(reason) => {
                        let (first, lost) = (rows.next + 1, group_end - rows.next);
                        let item = failed(
                            first.to_string(),
                            format!(
                                "{reason}; row group {} of {groups} cannot be read: its rows {first} to {group_end} \
                                 ({lost} rows) are skipped",
                                rows.group + 1
                            ),
                        );
                        rows.next = group_end;
                        rows.group += 1;
                        return Some(item);
                    }
                }
            },
            Open::Csv(csv) => match csv.records.read(&mut csv.record) {
                Ok(false) if csv.records_read == 0 && !csv.record_failed => {
                    self.open = None;
                    let path = source.path.display().to_string();
                    return Some(Item::Failed { path, reason: "no record after the header".to_string() });
                }
                Ok(false) => {}
                // Fields past the header's with text in them: the record is misaligned. (Empty ones,
                // as a trailing separator leaves, hold nothing.)
                Ok(true)
                    if (csv.columns..csv.record.field_count())
                        .any(|i| csv.record.get(i).is_some_and(|f| !f.trim().is_empty())) =>
                {
                    csv.records_read += 1;
                    let reason = format!(
                        "bad record: {} fields where the header has {} (a separator inside an unquoted field?); \
                         the record is skipped",
                        csv.record.field_count(),
                        csv.columns
                    );
                    return Some(failed(csv.record.line().to_string(), reason));
                }
                Ok(true) => {
                    csv.records_read += 1;
                    let record = &csv.record;
                    let field = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::to_string);
                    return Some(Item::Record {
                        source,
                        line: record.line(),
                        text: field(Some(csv.text)).unwrap_or_default(),
                        date: field(csv.date),
                        id: field(csv.id),
                        title: field(csv.title),
                        meta: csv.meta.iter().map(|&i| field(i)).collect(),
                    });
                }
                Err(RecordError::TooLarge { line, .. }) => {
                    csv.record_failed = true;
                    return Some(failed(line.to_string(), too_large(max)));
                }
                Err(err @ RecordError::NotUtf8 { line, .. }) => {
                    csv.record_failed = true;
                    return Some(failed(line.to_string(), format!("bad record: {err}")));
                }
                Err(err @ RecordError::UnmatchedQuote { line, next_line, .. }) => {
                    csv.record_failed = true;
                    let resumed = next_line.and_then(|(offset, next)| {
                        let records = resume_csv(&source, csv.delimiter, max, offset, next).ok()?;
                        Some((next, records))
                    });
                    let item = match resumed {
                        Some((next, records)) => {
                            csv.records = records;
                            failed(
                                line.to_string(),
                                format!("{err}: the record is skipped, reading goes on at line {next}"),
                            )
                        }
                        None => {
                            self.open = None;
                            failed(line.to_string(), format!("{err}: the rest of the file is skipped"))
                        }
                    };
                    return Some(item);
                }
                Err(err @ RecordError::Io(_)) => {
                    let item = failed(csv.record.line().to_string(), format!("{err}; the rest of the file is skipped"));
                    self.open = None;
                    return Some(item);
                }
            },
        }
        self.open = None;
        None
    }

    /// Opens `source` for reading documents from it, or says why it cannot be.
    fn open(&mut self, source: Source) -> Option<Item> {
        let fail = |reason: String| Some(Item::Failed { path: source.path.display().to_string(), reason });
        if source.format == Format::Parquet {
            let source = Arc::new(source);
            match open_parquet(&source, &self.fields) {
                Ok(rows) => self.open = Some((source, Open::Parquet(rows))),
                Err(reason) => return Some(Item::Failed { path: source.path.display().to_string(), reason }),
            }
            return None;
        }
        let mut reader = match input::open(&source) {
            Ok(reader) => BufReader::with_capacity(READ_BUFFER, reader),
            Err(err) => return fail(format!("cannot read: {err}")),
        };
        // A binary file is told by its first block, before the rest is read.
        match reader.fill_buf() {
            Ok(block) => {
                if let Some(at) = memchr::memchr(0, block) {
                    return fail(DocumentError::Binary(at).to_string());
                }
            }
            Err(err) => return fail(format!("cannot read: {err}")),
        }
        let open = match source.format {
            Format::Text | Format::Parquet => unreachable!("handled above"),
            Format::JsonLines => Open::JsonLines(reader, 0),
            Format::Csv | Format::Tsv => {
                let delimiter = if source.format == Format::Tsv { b'\t' } else { b',' };
                let mut records = RecordReader::new(reader, delimiter, self.max_document_bytes);
                let mut headers = Record::default();
                match records.read(&mut headers) {
                    Ok(_) => {}
                    Err(RecordError::TooLarge { .. }) => {
                        return fail(format!("cannot read the header: {}", too_large(self.max_document_bytes)))
                    }
                    Err(err) => return fail(format!("cannot read the header: {err}")),
                }
                let column = |name: &str| headers.iter().position(|h| h.trim() == name);
                let Some(text) = column(&self.fields.text) else {
                    let columns = headers.iter().collect::<Vec<_>>().join(", ");
                    return fail(format!(
                        "no `{}` column in the header (columns: {columns}); name the text column with --text-field",
                        self.fields.text
                    ));
                };
                let (date, id, title) =
                    (column(&self.fields.date), column(&self.fields.id), self.fields.title().and_then(column));
                let meta = self.fields.carried().map(|name| column(name)).collect();
                Open::Csv(Box::new(CsvFile {
                    records,
                    record: Record::default(),
                    delimiter,
                    columns: headers.field_count(),
                    records_read: 0,
                    record_failed: false,
                    text,
                    date,
                    id,
                    title,
                    meta,
                }))
            }
        };
        self.open = Some((Arc::new(source), open));
        None
    }
}

/// `source` opened again and read from byte `offset` (of its decompressed, decoded text), the start
/// of line `line`: how reading goes on after a record whose quote never closes. Only a regular
/// file can be opened again.
fn resume_csv(
    source: &Source,
    delimiter: u8,
    max: usize,
    offset: u64,
    line: u64,
) -> std::io::Result<RecordReader<BufReader<Box<dyn Read + Send>>>> {
    if !std::fs::metadata(&source.path)?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut reader = BufReader::with_capacity(READ_BUFFER, input::open(source)?);
    let skipped = std::io::copy(&mut (&mut reader).take(offset), &mut std::io::sink())?;
    if skipped != offset {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(RecordReader::resuming(reader, delimiter, max, offset, line))
}

fn cannot(err: &dyn fmt::Display) -> String {
    format!("cannot read: {err}")
}

/// Opens a Parquet file of documents: it must have the text column; the date and id columns are
/// read when it has them.
fn open_parquet(source: &Arc<Source>, fields: &Fields) -> Result<ParquetRows, String> {
    use polars::prelude::{ParquetReader, SerReader};
    let mut reader = ParquetReader::new(File::open(&source.path).map_err(|e| cannot(&e))?);
    let mut metadata = FileMetadata::clone(reader.get_metadata().map_err(|e| cannot(&e))?);
    // The Arrow schema pyarrow stores beside the Parquet one types a pandas `category` column as a
    // dictionary, which this build of polars cannot read; the Parquet schema says text.
    metadata.key_value_metadata = None;
    let schema = infer_schema(&metadata).map_err(|e| cannot(&e))?;
    let has = |name: &str| schema.get(name).is_some();
    if !has(&fields.text) {
        let columns: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
        return Err(format!(
            "no `{}` column (columns: {}); name the text column with --text-field",
            fields.text,
            columns.join(", ")
        ));
    }
    let mut columns: Vec<String> = Vec::new();
    for name in [&fields.text, &fields.date, &fields.id]
        .into_iter()
        .chain(fields.title().map(|_| &fields.title))
        .chain(fields.carried())
    {
        if has(name) && !columns.contains(name) {
            columns.push(name.clone());
        }
    }
    // Made once here, not for each slice: a file may hold thousands of row groups.
    let (mut group_starts, mut groups) = (vec![0], Vec::with_capacity(metadata.row_groups.len()));
    for group in std::mem::take(&mut metadata.row_groups) {
        let rows = group.num_rows();
        group_starts.push(group_starts[group_starts.len() - 1] + rows);
        let mut alone = metadata.clone();
        (alone.row_groups, alone.num_rows, alone.max_row_group_height) = (vec![group], rows, rows);
        groups.push(Arc::new(alone));
    }
    Ok(ParquetRows { columns, groups, group_starts, group: 0, next: 0, items: Vec::new().into_iter() })
}

/// The next `len` rows of a Parquet file, all in its row group `rows.group`, as records: the text
/// column (which must hold text), and the date (text or a Parquet date) and id columns when the
/// file has them. A text over `max` bytes is an [`Item::Failed`].
fn parquet_slice(
    source: &Arc<Source>,
    fields: &Fields,
    rows: &ParquetRows,
    len: usize,
    max: usize,
) -> Result<Vec<Item>, String> {
    use polars::prelude::{DataType, ParquetReader, SerReader};
    let group_start = rows.group_starts[rows.group];
    let mut reader = ParquetReader::new(File::open(&source.path).map_err(|e| cannot(&e))?);
    // The metadata of this row group alone: polars reads nothing of the others.
    reader.set_metadata(Arc::clone(&rows.groups[rows.group]));
    let df = reader
        .with_columns(Some(rows.columns.clone()))
        .with_slice(Some((rows.next - group_start, len)))
        .finish()
        .map_err(|e| cannot(&e))?;
    let text = df
        .column(&fields.text)
        .and_then(|c| c.str().cloned())
        .map_err(|_| format!("the `{}` column does not hold text", fields.text))?;
    // Text, numbers and other types as their text; a Parquet date as its ISO day.
    let strings = |name: &str| -> Result<Option<Vec<Option<String>>>, String> {
        let Ok(c) = df.column(name) else { return Ok(None) };
        if c.dtype() == &DataType::Date {
            let days = c.date().map_err(|e| cannot(&e))?.physical().clone();
            return Ok(Some(days.iter().map(|d| d.map(|d| Date::from_days_since_epoch(d).to_string())).collect()));
        }
        // A timestamp with a time zone (pandas' `utc=True`, Spark's) as the instant in UTC: its
        // text then starts with the day in UTC.
        let c = match c.dtype() {
            DataType::Datetime(unit, Some(_)) => c.cast(&DataType::Datetime(*unit, None)).map_err(|e| cannot(&e))?,
            _ => c.clone(),
        };
        let text = c.cast(&DataType::String).map_err(|e| cannot(&e))?;
        Ok(Some(text.str().map_err(|e| cannot(&e))?.iter().map(|d| d.map(String::from)).collect()))
    };
    let (dates, ids) = (strings(&fields.date)?, strings(&fields.id)?);
    // A title or a carried column that holds no text (a list, a struct) is read as missing, as the
    // file's other columns are: the rows are not lost for it.
    let titles = fields.title().and_then(|name| strings(name).ok().flatten());
    let meta: Vec<_> = fields.carried().map(|name| strings(name).ok().flatten()).collect();
    Ok(text
        .iter()
        .enumerate()
        .map(|(row, text)| {
            let line = (rows.next + row) as u64 + 1;
            match text {
                Some(text) if text.len() > max => {
                    Item::Failed { path: format!("{}:{line}", source.path.display()), reason: too_large(max) }
                }
                text => Item::Record {
                    source: Arc::clone(source),
                    line,
                    text: text.unwrap_or_default().to_string(),
                    date: dates.as_ref().and_then(|d| d[row].clone()),
                    id: ids.as_ref().and_then(|d| d[row].clone()),
                    title: titles.as_ref().and_then(|d| d[row].clone()),
                    meta: meta.iter().map(|column| column.as_ref().and_then(|d| d[row].clone())).collect(),
                },
            }
        })
        .collect())
}

impl Iterator for Batches {
    type Item = Batch;

    fn next(&mut self) -> Option<Batch> {
        let mut items = Vec::new();
        let mut bytes = 0;
        while items.len() < self.max_items && bytes < self.max_bytes {
            if self.open.is_some() {
                if let Some(item) = self.next_from_open() {
                    bytes += match &item {
                        Item::JsonLine { bytes, .. } => bytes.len(),
                        Item::Record { text, .. } => text.len(),
                        _ => 0,
                    };
                    items.push(item);
                }
                continue;
            }
            let Some(source) = self.sources.next() else { break };
            if source.format == Format::Text {
                items.push(Item::File { source, max_bytes: self.max_document_bytes });
            } else if let Some(failed) = self.open(source) {
                items.push(failed);
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
        Source {
            path,
            id: name.into(),
            format: Format::JsonLines,
            compression: super::super::Compression::None,
            bytes: None,
            modified: None,
        }
    }

    #[test]
    fn lines_become_documents_in_order_across_batches() {
        let dir = tempfile::tempdir().unwrap();
        let a = jsonl(dir.path(), "a.jsonl", "{\"text\":\"one\",\"date\":\"2022-10-27\",\"id\":\"x\"}\n\n{\"text\":\"two\",\"date\":\"2022-10-28T08:00:00Z\"}\r\n");
        let b = jsonl(dir.path(), "b.jsonl", "{\"text\":\"three\",\"id\":7}");
        let all: Vec<Batch> = batches(vec![a, b], Fields::default(), usize::MAX, 2, usize::MAX).collect();
        assert_eq!(all.iter().map(|b| (b.first_index, b.items.len())).collect::<Vec<_>>(), [(0, 2), (2, 1)]);
        let docs: Vec<(String, String, Option<String>)> = all
            .into_iter()
            .flat_map(|b| b.items)
            .map(|item| item.read(&Fields::default()).unwrap().0)
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
        let src = jsonl(
            dir.path(),
            "bad.jsonl",
            "not json\n{\"title\":\"no text\"}\n{\"text\":\"ok\",\"date\":\"27/10/2022\"}\n\
             {\"title\":\"A headline\",\"text\":null}\n{\"text\":null}\n",
        );
        let items: Vec<Item> =
            batches(vec![src], Fields::default(), usize::MAX, 10, usize::MAX).flat_map(|b| b.items).collect();
        assert!(items[0].location().ends_with("bad.jsonl:1"));
        let results: Vec<_> = items.iter().map(|item| item.read(&Fields::default())).collect();
        assert!(matches!(results[0], Err(DocumentError::Json(_))));
        assert!(matches!(results[1], Err(DocumentError::NoText(_))));
        let (doc, warning) = results[2].as_ref().unwrap();
        assert_eq!((doc.date, warning.is_some()), (None, true));
        // A null text, as an empty cell of CSV or Parquet: the title alone, else an empty document.
        assert_eq!(results[3].as_ref().unwrap().0.content, "A headline\n\n");
        assert!(matches!(results[4], Err(DocumentError::Empty)));
    }
}
