//! DataFrames in, one Excel workbook out: `tally.xlsx`, a "Summary" sheet first, then one sheet per
//! report, each with a bold frozen header row, an autofilter and column widths fitted to the data.
//!
//! Numbers are numbers, dates are dates (`yyyy-mm-dd`; those before 1900-03-01, which Excel cannot
//! show as its dates, are text), booleans are booleans. A text cell that a spreadsheet would run as
//! a formula (see [`super::looks_like_formula`]) is written as text with Excel's quote prefix, the
//! workbook form of OWASP's leading `'`: it shows as typed and never runs.
//! Characters XML 1.0 forbids (controls, U+FFFE, U+FFFF) are written as Excel's `_xHHHH_` escape,
//! so every part stays well-formed XML whatever a document holds.
//! Text longer than the 32,767 characters a cell holds is cut there (the CSV keeps it whole).
//!
//! The workbook is an Office Open XML package written here, rather than with `rust_xlsxwriter`:
//! that crate deflates every sheet at zlib's level 6 on one thread when it saves, which was half of
//! a default run's time (784 MB of sheet XML on ten copies of Reuters). Here each sheet is deflated
//! into a temporary archive of its own as its rows come (at a fast level, the sheets in parallel),
//! and saving copies those archives' compressed bytes into `tally.xlsx`. Memory stays bounded: a
//! sheet holds at most about a megabyte of XML before it is compressed, after its first
//! `WIDTH_SAMPLE_ROWS` rows, which fit its column widths.
//!
//! A sheet holds the first `--sheet-rows` rows of its report ([`DEFAULT_SHEET_ROWS`], at most what
//! Excel holds): the rows past that are left out, and a line below the sheet's last row and the
//! Summary sheet say so and where the whole table is.

use std::fs::File;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use ::zip::write::SimpleFileOptions;
use ::zip::{CompressionMethod, ZipArchive, ZipWriter};
use polars::prelude::*;
use rayon::prelude::*;

use super::cells::{write_float, write_int, Cell, Cells};
use super::manifest::Manifest;
use super::{actor_rows, looks_like_formula, thousands, top_terms, Formats, ReportError};
use crate::corpus::Date;
use crate::count::DocumentTotals;
use crate::frames::{registry, Report};

/// Rows an Excel sheet holds, its header row included.
pub const MAX_ROWS: u32 = 1_048_576;

/// Rows of a report a sheet holds by default (`--sheet-rows`), below its header: the top of a ranked
/// table (terms by count, n-grams by strength), the first of the mentions and documents. A reader
/// of a spreadsheet looks at those; a million rows of each would make a workbook spreadsheets take
/// minutes to open, and take longer to write than every CSV. CSV and Parquet hold every row.
pub const DEFAULT_SHEET_ROWS: u32 = 100_000;

/// The most rows of a report a sheet may be asked to hold: what Excel holds but the header, and a
/// blank row and the note below the rows of a sheet cut short.
pub const MAX_SHEET_ROWS: u32 = MAX_ROWS - 3;

/// The characters a cell holds.
const MAX_CELL_CHARS: usize = 32_767;

/// The Excel serial number of 1970-01-01 (days since 1899-12-30).
const EXCEL_EPOCH_DAYS: i64 = 25_569;

/// The Excel serial number of 1900-03-01, its first date counted as days since 1899-12-30: Excel
/// starts on 1900-01-01 as 1 and counts a 29 February 1900 that never was. Earlier dates are
/// written as text (YYYY-MM-DD).
const EXCEL_FIRST_TRUE_SERIAL: i64 = 61;

/// Rows of a sheet looked at to fit its column widths.
const WIDTH_SAMPLE_ROWS: u32 = 2_000;

/// Column widths, in characters.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

/// Bytes of a sheet's XML gathered before they are compressed.
const FLUSH_BYTES: usize = 1 << 20;

/// zlib's level for the sheets: level 1 deflates several times faster than the usual 6, and the
/// workbook comes out about a third larger.
const COMPRESSION_LEVEL: i64 = 1;

impl From<::zip::result::ZipError> for ReportError {
    fn from(err: ::zip::result::ZipError) -> Self {
        ReportError::Xlsx(err.to_string())
    }
}

/// The cell formats, by their index in `styles.xml`'s `cellXfs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain = 0,
    /// Bold on a light blue-grey fill.
    Header = 1,
    /// `yyyy-mm-dd`, left-aligned.
    Date = 2,
    /// `0.000`.
    Ratio = 3,
    /// Text shown as typed, never run as a formula.
    Quoted = 4,
    /// Bold, 14 points.
    Title = 5,
}

/// A sheet's `<sheetData>` as it is written: rows in order, each row's cells in order. A cell gets
/// its reference (`r="C7"`) only after a gap, as readers count the others.
#[derive(Default)]
struct SheetData {
    xml: Vec<u8>,
    /// The row open in `xml`, numbered from 0.
    open_row: Option<u32>,
    /// The column a cell written next without a reference would be in.
    next_col: usize,
}

impl SheetData {
    /// Writes `cell` at (`row`, `col`), both from 0, in `style` or the one its value calls for.
    /// Rows come in order, and cells within a row.
    fn cell(&mut self, row: u32, col: usize, cell: Cell, style: Option<Style>) {
        if self.open_row != Some(row) {
            self.end_row();
            self.xml.extend_from_slice(b"<row r=\"");
            write_int(&mut self.xml, i64::from(row) + 1);
            self.xml.extend_from_slice(b"\">");
            self.open_row = Some(row);
        }
        self.xml.extend_from_slice(b"<c");
        if col != self.next_col {
            self.xml.extend_from_slice(b" r=\"");
            write_reference(&mut self.xml, col, row, false);
            self.xml.push(b'"');
        }
        self.next_col = col + 1;
        let early_date = match cell {
            Cell::Date(days) if i64::from(days) + EXCEL_EPOCH_DAYS < EXCEL_FIRST_TRUE_SERIAL => {
                Some(Date::from_days_since_epoch(days).to_string())
            }
            _ => None,
        };
        let text = match cell {
            _ if early_date.is_some() => early_date.as_deref(),
            Cell::Text(text) => Some(text),
            // Excel has no infinity or NaN: say it in words.
            Cell::Float(v) if !v.is_finite() => Some(if v.is_nan() {
                "NaN"
            } else if v > 0.0 {
                "inf"
            } else {
                "-inf"
            }),
            _ => None,
        };
        let style = style.unwrap_or(match cell {
            _ if text.is_some_and(looks_like_formula) => Style::Quoted,
            Cell::Float(_) if text.is_none() => Style::Ratio,
            Cell::Date(_) if early_date.is_none() => Style::Date,
            _ => Style::Plain,
        });
        if style != Style::Plain {
            self.xml.extend_from_slice(b" s=\"");
            write_int(&mut self.xml, style as i64);
            self.xml.push(b'"');
        }
        if let Some(text) = text {
            let edges = [b' ', b'\t', b'\n'];
            let bytes = text.as_bytes();
            let preserve =
                bytes.first().is_some_and(|b| edges.contains(b)) || bytes.last().is_some_and(|b| edges.contains(b));
            self.xml.extend_from_slice(match preserve {
                true => b" t=\"inlineStr\"><is><t xml:space=\"preserve\">".as_slice(),
                false => b" t=\"inlineStr\"><is><t>".as_slice(),
            });
            write_escaped(&mut self.xml, text);
            self.xml.extend_from_slice(b"</t></is></c>");
            return;
        }
        self.xml.extend_from_slice(if let Cell::Bool(_) = cell { b" t=\"b\"><v>".as_slice() } else { b"><v>" });
        match cell {
            Cell::Int(v) => write_int(&mut self.xml, v),
            Cell::Float(v) => write_float(&mut self.xml, v),
            Cell::Date(days) => write_int(&mut self.xml, i64::from(days) + EXCEL_EPOCH_DAYS),
            Cell::Bool(v) => self.xml.push(if v { b'1' } else { b'0' }),
            Cell::Text(_) => unreachable!("written above"),
        }
        self.xml.extend_from_slice(b"</v></c>");
    }

    /// Closes the open row, if any.
    fn end_row(&mut self) {
        if self.open_row.take().is_some() {
            self.xml.extend_from_slice(b"</row>");
        }
        self.next_col = 0;
    }
}

/// Writes the reference of (`col`, `row`), both from 0, as `A1` is that of (0, 0); with `$`
/// before the column and the row when `absolute`.
fn write_reference(out: &mut Vec<u8>, col: usize, row: u32, absolute: bool) {
    let mut letters = [0u8; 3];
    let (mut at, mut n) = (letters.len(), col + 1);
    while n > 0 {
        at -= 1;
        letters[at] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    let dollar: &[u8] = if absolute { b"$" } else { b"" };
    out.extend_from_slice(dollar);
    out.extend_from_slice(&letters[at..]);
    out.extend_from_slice(dollar);
    write_int(out, i64::from(row) + 1);
}

/// The range from `A1` to (`last_col`, `last_row`), as `A1:F200`, or `$A$1:$F$200` when `absolute`.
fn range(last_col: usize, last_row: u32, absolute: bool) -> String {
    let mut range = Vec::new();
    write_reference(&mut range, 0, 0, absolute);
    range.push(b':');
    write_reference(&mut range, last_col, last_row, absolute);
    String::from_utf8(range).expect("ASCII")
}

/// Writes `text` as XML character data, as Excel does: `&`, `<` and `>` as entities, the
/// characters XML 1.0 cannot hold (controls but tab and line feed, U+FFFE, U+FFFF) as `_xHHHH_`, and
/// a `_` that would read as such an escape as `_x005F_`. Text past [`MAX_CELL_CHARS`] is left out.
/// (A carriage return is escaped too, as an XML reader would turn it into a line feed.)
fn write_escaped(out: &mut Vec<u8>, text: &str) {
    let text = match text.len() > MAX_CELL_CHARS {
        true => text.char_indices().nth(MAX_CELL_CHARS).map_or(text, |(at, _)| &text[..at]),
        false => text,
    };
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if i < start {
            continue; // inside a character escaped whole
        }
        let escape: &[u8] = match b {
            // U+FFFE and U+FFFF, the only characters past U+001F that XML 1.0 forbids and a Rust
            // string can hold (surrogates it cannot).
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice(if bytes[i + 2] == 0xBE { b"_xFFFE_" } else { b"_xFFFF_" });
                start = i + 3;
                continue;
            }
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'\t' | b'\n' => continue,
            0..=0x1f => {
                out.extend_from_slice(&bytes[start..i]);
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.extend_from_slice(&[
                    b'_',
                    b'x',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 15)],
                    b'_',
                ]);
                start = i + 1;
                continue;
            }
            b'_' if reads_as_escape(&bytes[i..]) => {
                // The `_` stays, after an escaped one: `_x005F_x0041_` reads `_x0041_`.
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice(b"_x005F");
                start = i;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Whether `bytes` starts with `_xHHHH_`, four hexadecimal digits between.
fn reads_as_escape(bytes: &[u8]) -> bool {
    bytes.len() >= 7 && bytes[1] == b'x' && bytes[2..6].iter().all(u8::is_ascii_hexdigit) && bytes[6] == b'_'
}

/// The width a cell's value takes, in characters.
fn width(cell: Cell) -> usize {
    match cell {
        Cell::Text(text) => text.chars().count(),
        Cell::Int(v) => v.to_string().len(),
        Cell::Float(v) => format!("{v:.3}").len(),
        Cell::Date(_) => 10,
        Cell::Bool(_) => 5,
    }
}

/// One report's sheet as it fills.
struct Sheet {
    /// The report's name, which is the sheet's.
    name: String,
    /// Its part in the package, `xl/worksheets/sheetN.xml`.
    part: String,
    columns: usize,
    /// The next row to write (row 0 is the header).
    next_row: u32,
    /// Data rows given, written or not.
    rows: u64,
    /// The widest cell seen in each column, in characters.
    widths: Vec<usize>,
    /// Rows not yet compressed.
    data: SheetData,
    /// The sheet's temporary archive, opened once the widths are fitted.
    zip: Option<ZipWriter<File>>,
}

impl Sheet {
    /// A sheet for `df`'s columns, its header row written.
    fn new(name: &str, part: String, df: &DataFrame) -> Result<Sheet, ReportError> {
        let bad = name.is_empty()
            || name.chars().count() > 31
            || name.contains(['[', ']', ':', '*', '?', '/', '\\'])
            || name.chars().any(|c| c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'));
        if bad || name.starts_with('\'') || name.ends_with('\'') || name.eq_ignore_ascii_case("history") {
            return Err(ReportError::Xlsx(format!("{name:?} cannot name a sheet")));
        }
        let mut data = SheetData::default();
        let mut widths = Vec::with_capacity(df.width());
        for (col, column) in df.columns().iter().enumerate() {
            data.cell(0, col, Cell::Text(column.name().as_str()), Some(Style::Header));
            // Room for the name and the filter button.
            widths.push(column.name().chars().count() + 3);
        }
        data.end_row();
        Ok(Sheet { name: name.to_string(), part, columns: df.width(), next_row: 1, rows: 0, widths, data, zip: None })
    }

    /// Appends the rows of `df`, up to `max_rows` rows in all; the rest are counted, not written.
    fn append(&mut self, df: &DataFrame, max_rows: u32, tempdir: &Path) -> Result<(), ReportError> {
        self.rows += df.height() as u64;
        let fits = (max_rows.saturating_sub(self.next_row)).min(u32::try_from(df.height()).unwrap_or(u32::MAX));
        if fits == 0 {
            return Ok(());
        }
        let columns = super::cells::printable(df)?;
        let cells: Vec<Cells> = columns.iter().map(Cells::of).collect::<Result<_, _>>()?;
        for i in 0..fits as usize {
            let row = self.next_row;
            for (col, column) in cells.iter().enumerate() {
                // Empty text is a blank cell, as it is an empty field of the CSV.
                if let Some(cell) = column.get(i).filter(|cell| *cell != Cell::Text("")) {
                    if row <= WIDTH_SAMPLE_ROWS {
                        self.widths[col] = self.widths[col].max(width(cell));
                    }
                    self.data.cell(row, col, cell, None);
                }
            }
            self.data.end_row();
            self.next_row += 1;
            if self.zip.is_none() && self.next_row > WIDTH_SAMPLE_ROWS {
                self.open(tempdir)?;
            }
            if self.data.xml.len() >= FLUSH_BYTES {
                self.flush()?;
            }
        }
        Ok(())
    }

    /// Opens the temporary archive and starts the sheet's part: everything before its rows, which
    /// needs the column widths.
    fn open(&mut self, tempdir: &Path) -> Result<(), ReportError> {
        let mut zip = ZipWriter::new(tempfile::tempfile_in(tempdir)?);
        zip.start_file(self.part.as_str(), part_options().compression_level(Some(COMPRESSION_LEVEL)))?;
        let mut head = String::from(WORKSHEET_START);
        head.push_str(concat!(
            r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#,
            r#"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#,
            r#"<sheetFormatPr defaultRowHeight="15"/>"#
        ));
        push_widths(&mut head, self.widths.iter().enumerate().map(|(col, w)| (col, (*w).clamp(MIN_WIDTH, MAX_WIDTH))));
        head.push_str("<sheetData>");
        zip.write_all(head.as_bytes())?;
        self.zip = Some(zip);
        self.flush()
    }

    /// Compresses the rows written so far, once the archive is open.
    fn flush(&mut self) -> Result<(), ReportError> {
        if let Some(zip) = &mut self.zip {
            zip.write_all(&self.data.xml)?;
            self.data.xml.clear();
        }
        Ok(())
    }

    /// Ends the sheet's part (rows, then the autofilter over them) and gives its archive.
    fn finish(&mut self, tempdir: &Path, formats: Formats) -> Result<ZipArchive<File>, ReportError> {
        if self.zip.is_none() {
            self.open(tempdir)?;
        }
        // Below the rows, past a blank one and outside the filter: what was left out.
        if let Some(note) = self.cut_note(formats) {
            self.data.cell(self.next_row + 1, 0, Cell::Text(&note), None);
            self.data.end_row();
        }
        self.data.xml.extend_from_slice(b"</sheetData><autoFilter ref=\"");
        let filter = range(self.last_col(), self.shown(), false);
        self.data.xml.extend_from_slice(filter.as_bytes());
        self.data.xml.extend_from_slice(b"\"/></worksheet>");
        self.flush()?;
        let zip = self.zip.take().expect("opened above");
        Ok(zip.finish_into_readable()?)
    }

    /// Data rows written.
    fn shown(&self) -> u32 {
        self.next_row - 1
    }

    /// What the sheet leaves out of its report, when it leaves out any rows, and where they are
    /// (`formats`: the files written beside the workbook).
    fn cut_note(&self, formats: Formats) -> Option<String> {
        (u64::from(self.shown()) < self.rows).then(|| {
            let rest = match formats.every_row_in(&self.name) {
                Some(files) => format!("every row is in {files}."),
                None => "--format csv or parquet writes every row.".to_string(),
            };
            format!(
                "The first {} of {} rows (--sheet-rows); {rest}",
                thousands(u64::from(self.shown())),
                thousands(self.rows)
            )
        })
    }

    /// The last column, from 0 (the first, when there are none).
    fn last_col(&self) -> usize {
        self.columns.max(1) - 1
    }
}

/// Adds `<cols>` with each (column, width in characters) to `xml`.
fn push_widths(xml: &mut String, widths: impl Iterator<Item = (usize, usize)>) {
    use std::fmt::Write as _;
    xml.push_str("<cols>");
    for (col, chars) in widths {
        // Excel's width for so many characters of the default font, with its cell padding.
        let _ =
            write!(xml, r#"<col min="{0}" max="{0}" width="{1}" customWidth="1"/>"#, col + 1, chars as f64 + 0.7109375);
    }
    xml.push_str("</cols>");
}

/// The options of every part: deflated, the time fixed, so equal reports give equal files.
fn part_options() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).unix_permissions(0o644)
}

const WORKSHEET_START: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
);

/// A workbook being filled, report by report; [`Workbook::save`] adds the Summary sheet and writes it.
pub struct Workbook {
    /// Where the sheets' temporary archives go (they have no name, and go when closed).
    tempdir: PathBuf,
    sheets: Vec<Sheet>,
    /// Rows a sheet holds, its header included.
    max_rows: u32,
    /// The files written beside it, where a sheet cut short sends its reader for the rest.
    formats: Formats,
}

impl Workbook {
    /// An empty workbook whose sheets are compressed into temporary files in `tempdir` until saved.
    pub fn new(tempdir: &Path) -> Workbook {
        Workbook {
            tempdir: tempdir.to_path_buf(),
            sheets: Vec::new(),
            max_rows: DEFAULT_SHEET_ROWS + 1,
            formats: Formats::default(),
        }
    }

    /// Says which of the reports' files are written beside the workbook (CSV, Parquet), which a
    /// sheet cut short names for the rest of its rows.
    pub fn set_files(&mut self, formats: Formats) {
        self.formats = formats;
    }

    /// Makes each sheet hold the first `rows` rows of its report (below its header), at most what
    /// an Excel sheet holds.
    pub fn set_sheet_rows(&mut self, rows: u32) {
        self.max_rows = rows.min(MAX_SHEET_ROWS) + 1;
    }

    /// Appends the rows of `df` to the sheet `name`, made (with `df`'s header) on the first call.
    /// Rows past what a sheet holds are counted, not written.
    pub fn append(&mut self, name: &str, df: &DataFrame) -> Result<(), ReportError> {
        let at = self.sheet_for(name, df)?;
        self.sheets[at].append(df, self.max_rows, &self.tempdir)
    }

    /// Appends each frame to its sheet as [`Workbook::append`] does, the sheets in parallel on the
    /// current rayon pool.
    pub fn append_all(&mut self, frames: &[(&str, DataFrame)]) -> Result<(), ReportError> {
        for (name, df) in frames {
            self.sheet_for(name, df)?;
        }
        let (max_rows, tempdir) = (self.max_rows, &self.tempdir);
        self.sheets.par_iter_mut().try_for_each(|sheet| {
            let mine: Vec<&DataFrame> =
                frames.iter().filter(|(name, _)| *name == sheet.name).map(|(_, df)| df).collect();
            mine.into_iter().try_for_each(|df| sheet.append(df, max_rows, tempdir))
        })
    }

    /// The index of the sheet `name`, made for `df`'s columns if new.
    fn sheet_for(&mut self, name: &str, df: &DataFrame) -> Result<usize, ReportError> {
        if let Some(at) = self.sheets.iter().position(|s| s.name == name) {
            return Ok(at);
        }
        // The Summary sheet is sheet1.xml.
        let part = format!("xl/worksheets/sheet{}.xml", self.sheets.len() + 2);
        self.sheets.push(Sheet::new(name, part, df)?);
        Ok(self.sheets.len() - 1)
    }

    /// Writes the Summary sheet from `manifest` and the `frames` (for the top terms and actors),
    /// finishes every sheet (rows, filter) and writes the workbook to `writer`.
    pub fn save<W: Write + Seek>(
        self,
        manifest: &Manifest,
        frames: &[(&str, DataFrame)],
        documents: &DocumentTotals,
        writer: W,
    ) -> Result<(), ReportError> {
        let Workbook { tempdir, mut sheets, formats, .. } = self;
        // Summary, then the reports' sheets in the registry's order, whatever order they came in.
        sheets.sort_by_key(|sheet| registry::position(&sheet.name));
        let summary = summary_sheet(manifest, frames, documents, &sheets, formats)?;
        let parts =
            sheets.par_iter_mut().map(|sheet| sheet.finish(&tempdir, formats)).collect::<Result<Vec<_>, _>>()?;

        let mut zip = ZipWriter::new(writer);
        let file = |zip: &mut ZipWriter<W>, name: &str, text: &str| -> Result<(), ReportError> {
            zip.start_file(name, part_options())?;
            Ok(zip.write_all(text.as_bytes())?)
        };
        file(&mut zip, "[Content_Types].xml", &content_types(&sheets))?;
        file(&mut zip, "_rels/.rels", ROOT_RELATIONSHIPS)?;
        file(&mut zip, "docProps/app.xml", APP_PROPERTIES)?;
        file(&mut zip, "docProps/core.xml", &core_properties(manifest))?;
        file(&mut zip, "xl/workbook.xml", &workbook_xml(&sheets))?;
        file(&mut zip, "xl/_rels/workbook.xml.rels", &workbook_relationships(&sheets))?;
        file(&mut zip, "xl/styles.xml", STYLES)?;
        file(&mut zip, "xl/worksheets/sheet1.xml", &summary)?;
        for part in parts {
            zip.merge_archive(part)?;
        }
        zip.finish()?;
        Ok(())
    }
}

/// `[Content_Types].xml`: what each part is.
fn content_types(sheets: &[Sheet]) -> String {
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
        r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
        r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
        r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
        r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    ));
    let parts = std::iter::once("xl/worksheets/sheet1.xml").chain(sheets.iter().map(|s| s.part.as_str()));
    for part in parts {
        xml.push_str(&format!(
            r#"<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
    }
    xml.push_str("</Types>");
    xml
}

const ROOT_RELATIONSHIPS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
    "</Relationships>"
);

const APP_PROPERTIES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
    r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>tally</Application></Properties>"#
);

/// `docProps/core.xml`: the title, and which program wrote it.
fn core_properties(manifest: &Manifest) -> String {
    let comment = escaped(&format!("Written by {} {}", manifest.program, manifest.version));
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>tally reports</dc:title><dc:description>{}</dc:description></cp:coreProperties>"
        ),
        comment
    )
}

/// `xl/workbook.xml`: the sheets in order, Summary first and shown, and each report's filter.
fn workbook_xml(sheets: &[Sheet]) -> String {
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
        r#"<bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="Summary" sheetId="1" r:id="rId1"/>"#
    ));
    for (k, sheet) in sheets.iter().enumerate() {
        xml.push_str(&format!(r#"<sheet name="{}" sheetId="{}" r:id="rId{}"/>"#, escaped(&sheet.name), k + 2, k + 2));
    }
    xml.push_str("</sheets>");
    if !sheets.is_empty() {
        xml.push_str("<definedNames>");
        for (k, sheet) in sheets.iter().enumerate() {
            xml.push_str(&format!(
                r#"<definedName name="_xlnm._FilterDatabase" localSheetId="{}" hidden="1">'{}'!{}</definedName>"#,
                k + 1,
                escaped(&sheet.name.replace('\'', "''")),
                range(sheet.last_col(), sheet.shown(), true)
            ));
        }
        xml.push_str("</definedNames>");
    }
    xml.push_str("</workbook>");
    xml
}

/// `text` escaped for XML, in character data or in an attribute's quotes.
fn escaped(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    write_escaped(&mut out, text);
    String::from_utf8(out).expect("escaping keeps UTF-8").replace('"', "&quot;")
}

/// `xl/_rels/workbook.xml.rels`: where each sheet's part is, and the styles.
fn workbook_relationships(sheets: &[Sheet]) -> String {
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    ));
    let parts = std::iter::once("xl/worksheets/sheet1.xml").chain(sheets.iter().map(|s| s.part.as_str()));
    for (k, part) in parts.enumerate() {
        let target = part.trim_start_matches("xl/");
        xml.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{target}"/>"#,
            k + 1
        ));
    }
    xml.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
        sheets.len() + 2
    ));
    xml.push_str("</Relationships>");
    xml
}

/// `xl/styles.xml`: the fonts, the header's fill, the two number formats and the cell formats of
/// [`Style`], in its order.
const STYLES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="0.000"/></numFmts>"#,
    r#"<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#,
    r#"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#,
    r#"<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>"#,
    r#"<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#,
    r#"<fill><patternFill patternType="solid"><fgColor rgb="FFDDE4EE"/><bgColor indexed="64"/></patternFill></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>"#,
    r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="left"/></xf>"#,
    r#"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>"#,
    r#"<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#
);

/// How many top terms and actors the Summary sheet lists.
const SUMMARY_TOP: usize = 20;

/// The Summary sheet's part: what was read, the settings, the sheets (and any cut short), the top
/// terms (stopwords and numbers left out) and the top actors.
fn summary_sheet(
    manifest: &Manifest,
    frames: &[(&str, DataFrame)],
    documents: &DocumentTotals,
    sheets: &[Sheet],
    formats: Formats,
) -> Result<String, ReportError> {
    let mut data = SheetData::default();
    let mut row: u32 = 0;
    data.cell(row, 0, Cell::Text("tally reports"), Some(Style::Title));
    row += 2;
    let heading = |data: &mut SheetData, row: &mut u32, names: &[(usize, &str)]| {
        for (col, name) in names {
            data.cell(*row, *col, Cell::Text(name), Some(Style::Header));
        }
        *row += 1;
    };
    let pair = |data: &mut SheetData, row: &mut u32, key: &str, value: Cell| {
        data.cell(*row, 0, Cell::Text(key), None);
        data.cell(*row, 1, value, None);
        *row += 1;
    };
    let count = |n: u64| Cell::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let dates = documents.by_date();
    let iso = |d: Option<&(Date, u64)>| d.map(|d| d.0.to_string()).unwrap_or_default();
    let (first, last) = (iso(dates.first()), iso(dates.last()));
    heading(&mut data, &mut row, &[(0, "Corpus")]);
    pair(&mut data, &mut row, "inputs", Cell::Text(&manifest.inputs.join("; ")));
    pair(&mut data, &mut row, "documents", count(manifest.documents));
    pair(&mut data, &mut row, "bytes", count(manifest.bytes));
    pair(&mut data, &mut row, "words", count(manifest.tokens));
    pair(&mut data, &mut row, "distinct terms", count(manifest.terms));
    let or_none = |n: Option<u64>| n.map_or(Cell::Text("not looked for"), count);
    pair(&mut data, &mut row, "actors", or_none(manifest.actors));
    pair(&mut data, &mut row, "actor mentions", or_none(manifest.mentions));
    pair(&mut data, &mut row, "first date", Cell::Text(&first));
    pair(&mut data, &mut row, "last date", Cell::Text(&last));
    pair(&mut data, &mut row, "files and documents skipped", count(manifest.skipped.len() as u64));
    pair(&mut data, &mut row, "warnings", count(manifest.warnings.len() as u64));
    row += 1;
    heading(&mut data, &mut row, &[(0, "Settings")]);
    pair(&mut data, &mut row, "program", Cell::Text(&format!("{} {}", manifest.program, manifest.version)));
    pair(&mut data, &mut row, "output folder", Cell::Text(&manifest.settings.out));
    pair(&mut data, &mut row, "threads", count(manifest.settings.threads as u64));
    pair(
        &mut data,
        &mut row,
        "settings file",
        Cell::Text(manifest.settings.settings_file.as_deref().unwrap_or("none")),
    );
    row += 1;
    heading(&mut data, &mut row, &[(0, "Sheets"), (1, "rows"), (2, "note")]);
    for sheet in sheets {
        data.cell(row, 0, Cell::Text(&sheet.name), None);
        data.cell(row, 1, count(sheet.rows), None);
        if let Some(note) = sheet.cut_note(formats) {
            data.cell(row, 2, Cell::Text(&note), None);
        }
        row += 1;
    }
    row += 1;
    let frame = |report: &Report| frames.iter().find(|(n, _)| *n == report.name).map(|(_, df)| df);
    let top_terms = frame(&registry::TERMS).map(|df| top_terms(df, SUMMARY_TOP)).transpose()?;
    let top_actors = frame(&registry::ACTORS).map(actor_rows).transpose()?;
    heading(&mut data, &mut row, &[(0, "Top terms"), (1, "count"), (3, "Top actors"), (4, "kind"), (5, "mentions")]);
    let (terms, mut actors) = (top_terms.unwrap_or_default(), top_actors.unwrap_or_default());
    actors.truncate(SUMMARY_TOP);
    for k in 0..terms.len().max(actors.len()) {
        if let Some((term, n)) = terms.get(k) {
            data.cell(row, 0, Cell::Text(term), None);
            data.cell(row, 1, Cell::Int(*n), None);
        }
        if let Some((actor, kind, n)) = actors.get(k) {
            data.cell(row, 3, Cell::Text(actor), None);
            data.cell(row, 4, Cell::Text(kind), None);
            data.cell(row, 5, Cell::Int(*n), None);
        }
        row += 1;
    }
    data.end_row();
    let mut xml = String::from(WORKSHEET_START);
    xml.push_str(r#"<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>"#);
    push_widths(&mut xml, [24, 14, 12, 32, 14, 10].into_iter().enumerate());
    xml.push_str("<sheetData>");
    xml.push_str(std::str::from_utf8(&data.xml).expect("written from text"));
    xml.push_str("</sheetData></worksheet>");
    Ok(xml)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, DataType, Reader, Xlsx};

    /// The workbook `book` as saved, read back.
    fn saved(book: Workbook) -> Xlsx<std::io::Cursor<Vec<u8>>> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        book.save(&Manifest::default(), &[], &DocumentTotals::default(), &mut bytes).unwrap();
        Xlsx::new(std::io::Cursor::new(bytes.into_inner())).unwrap()
    }

    /// Text a sheet must hold as given: XML's specials, control characters, what reads as Excel's
    /// `_xHHHH_` escape, white space at the edges, formulas, non-ASCII.
    const AWKWARD: [&str; 10] = [
        "a & b < c > d",
        "tab\tand\nline",
        " edges ",
        "_x0041_ and _x00e9_",
        "bell\u{7}\u{1f}",
        "=1+1",
        "Ünïcödé 中文",
        "",
        "\"q\" 'a'",
        "_x_",
    ];

    #[test]
    fn cells_come_back_as_written_past_the_width_sample_and_each_compressed_batch() {
        // Enough rows that the sheet is compressed in several batches after its first 2,000.
        let n = 30_000usize;
        let text: Vec<String> = (0..n).map(|i| format!("{}{i}", AWKWARD[i % AWKWARD.len()])).collect();
        let int: Vec<Option<i64>> = (0..n).map(|i| (i % 7 != 3).then_some(i as i64 * 7919 - 100_000)).collect();
        let float: Vec<f64> =
            (0..n).map(|i| if i % 1000 == 5 { f64::INFINITY } else { i as f64 / 8.0 - 3.3 }).collect();
        let days: Vec<Option<i32>> = (0..n).map(|i| (i % 5 != 0).then_some(i as i32)).collect();
        let flag: Vec<Option<bool>> = (0..n).map(|i| (i % 3 != 0).then_some(i % 2 == 0)).collect();
        let df = DataFrame::new_infer_height(vec![
            Column::new("text".into(), &text),
            Column::new("int".into(), &int),
            Column::new("float".into(), &float),
            Series::new("date".into(), &days).into_date().into_column(),
            Column::new("flag".into(), &flag),
        ])
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut book = Workbook::new(dir.path());
        // In two batches, as a stream appends them.
        book.append("t", &df.slice(0, 12_345)).unwrap();
        book.append("t", &df.slice(12_345, n)).unwrap();
        let sheet = saved(book).worksheet_range("t").unwrap();
        assert_eq!(sheet.height(), n + 1);
        let header: Vec<Data> = sheet.rows().next().unwrap().to_vec();
        assert_eq!(header, ["text", "int", "float", "date", "flag"].map(|h| Data::String(h.into())));
        for (i, row) in sheet.rows().skip(1).enumerate() {
            assert_eq!(row[0], Data::String(text[i].clone()), "row {i}");
            assert_eq!(row[1], int[i].map_or(Data::Empty, |v| Data::Float(v as f64)), "row {i}");
            let float_cell = match float[i].is_finite() {
                true => Data::Float(float[i]),
                false => Data::String("inf".into()),
            };
            assert_eq!(row[2], float_cell, "row {i}");
            let serial = row[3].get_datetime().map(|d| d.as_f64());
            assert_eq!(serial, days[i].map(|d| f64::from(d) + 25_569.0), "row {i}: {:?}", row[3]);
            assert_eq!(row[4], flag[i].map_or(Data::Empty, Data::Bool), "row {i}");
        }
    }

    #[test]
    fn dates_before_excels_first_true_date_are_text() {
        let dates = ["1599-12-27", "1899-12-31", "1900-01-15", "1900-02-28", "1900-03-01", "2022-10-27"];
        let days: Vec<i32> = dates.iter().map(|d| Date::parse(d).unwrap().days_since_epoch()).collect();
        let df =
            DataFrame::new_infer_height(vec![Series::new("date".into(), &days).into_date().into_column()]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut book = Workbook::new(dir.path());
        book.append("t", &df).unwrap();
        let sheet = saved(book).worksheet_range("t").unwrap();
        let cells: Vec<Data> = sheet.rows().skip(1).map(|row| row[0].clone()).collect();
        // Excel shows 1900-03-01 as serial 61 and 2022-10-27 as 44,861 (days since 1899-12-30).
        assert_eq!(cells[4].get_datetime().map(|d| d.as_f64()), Some(61.0));
        assert_eq!(cells[5].get_datetime().map(|d| d.as_f64()), Some(44_861.0));
        for (cell, date) in cells.iter().zip(dates).take(4) {
            assert_eq!(*cell, Data::String(date.into()));
        }
    }

    /// Whether XML 1.0 lets a document hold `c` (its `Char` production).
    fn xml_allows(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }

    #[test]
    fn no_part_holds_a_character_xml_forbids() {
        use std::io::Read as _;
        // The edges of each range XML 1.0 forbids, in a report's cell and in the Summary's text.
        let forbidden = "\u{0}\u{8}\u{b}\u{c}\u{e}\u{1f}\u{fffe}\u{ffff}";
        let texts = [format!("a{forbidden}b"), "a\u{ffff}b".to_string(), "\u{fffe}".to_string()];
        let df = DataFrame::new_infer_height(vec![Column::new("t".into(), &texts)]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut book = Workbook::new(dir.path());
        book.append("t", &df).unwrap();
        let manifest = Manifest { inputs: vec![format!("in{forbidden}put")], ..Manifest::default() };
        let mut bytes = std::io::Cursor::new(Vec::new());
        book.save(&manifest, &[], &DocumentTotals::default(), &mut bytes).unwrap();
        let bytes = bytes.into_inner();
        let mut zip = ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        for k in 0..zip.len() {
            let mut part = zip.by_index(k).unwrap();
            let mut xml = String::new();
            part.read_to_string(&mut xml).unwrap();
            let bad: Vec<char> = xml.chars().filter(|c| !xml_allows(*c)).collect();
            assert!(bad.is_empty(), "{} holds {bad:?}", part.name());
        }
        // Control characters come back; U+FFFE and U+FFFF are Excel's `_xHHHH_` escape, which Excel
        // reads back and calamine (like openpyxl) leaves as written.
        let mut read = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = read.worksheet_range("t").unwrap();
        let cells: Vec<Data> = sheet.rows().skip(1).map(|r| r[0].clone()).collect();
        let expected = ["a\u{0}\u{8}\u{b}\u{c}\u{e}\u{1f}_xFFFE__xFFFF_b", "a_xFFFF_b", "_xFFFE_"];
        assert_eq!(cells, expected.map(|t| Data::String(t.into())));
        let summary = read.worksheet_range("Summary").unwrap();
        let inputs = summary.rows().find(|r| r[0] == Data::String("inputs".into())).expect("inputs listed");
        assert_eq!(inputs[1], Data::String("in\u{0}\u{8}\u{b}\u{c}\u{e}\u{1f}_xFFFE__xFFFF_put".into()));
    }

    #[test]
    fn text_past_what_a_cell_holds_is_cut_there() {
        let long = "é".repeat(MAX_CELL_CHARS + 10);
        let df = DataFrame::new_infer_height(vec![Column::new("t".into(), [long.as_str(), "short"])]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut book = Workbook::new(dir.path());
        book.append("t", &df).unwrap();
        let sheet = saved(book).worksheet_range("t").unwrap();
        assert_eq!(sheet.get((1, 0)), Some(&Data::String("é".repeat(MAX_CELL_CHARS))));
        assert_eq!(sheet.get((2, 0)), Some(&Data::String("short".into())));
    }

    #[test]
    fn sheets_are_listed_in_the_registry_order_whenever_they_come() {
        let df = DataFrame::new_infer_height(vec![Column::new("t".into(), ["x"])]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut book = Workbook::new(dir.path());
        let [terms, actors, mentions] = [&registry::TERMS, &registry::ACTORS, &registry::MENTIONS].map(|r| r.name);
        for name in [mentions, "unlisted", actors] {
            book.append(name, &df).unwrap();
        }
        book.append_all(&[(terms, df.clone()), ("other", df.clone())]).unwrap();
        assert!(registry::position(terms) < registry::position(actors), "the registry lists terms first");
        assert_eq!(saved(book).sheet_names(), ["Summary", terms, actors, mentions, "unlisted", "other"]);
    }

    #[test]
    fn the_same_reports_give_the_same_bytes() {
        let df = DataFrame::new_infer_height(vec![Column::new("t".into(), AWKWARD)]).unwrap();
        let bytes = || {
            let dir = tempfile::tempdir().unwrap();
            let mut book = Workbook::new(dir.path());
            book.append_all(&[("a", df.clone()), ("b", df.clone())]).unwrap();
            let mut bytes = std::io::Cursor::new(Vec::new());
            book.save(&Manifest::default(), &[], &DocumentTotals::default(), &mut bytes).unwrap();
            bytes.into_inner()
        };
        let first = bytes();
        assert!(first.len() > 1000);
        assert_eq!(first, bytes());
    }

    #[test]
    fn the_note_below_a_sheet_cut_at_the_most_rows_is_still_a_row_excel_holds() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Workbook::new(dir.path());
        book.set_sheet_rows(u32::MAX);
        // The header, the rows, a blank row and the note: rows 0 to max_rows + 1, counted from 0.
        assert_eq!(book.max_rows + 2, MAX_ROWS);
    }

    #[test]
    fn a_sheet_cut_short_names_only_the_files_written() {
        let note = |csv: bool, parquet: bool| -> Data {
            let dir = tempfile::tempdir().unwrap();
            let mut book = Workbook::new(dir.path());
            book.set_sheet_rows(2);
            book.set_files(Formats { csv, parquet, ..Formats::default() });
            let df = DataFrame::new_infer_height(vec![Column::new("n".into(), [3i64, 2, 1])]).unwrap();
            book.append("terms", &df).unwrap();
            let mut read = saved(book);
            let rows: Vec<Data> = read.worksheet_range("terms").unwrap().rows().map(|r| r[0].clone()).collect();
            rows.last().unwrap().clone()
        };
        let first = "The first 2 of 3 rows (--sheet-rows);";
        assert_eq!(note(true, false), Data::String(format!("{first} every row is in terms.csv.")));
        assert_eq!(note(false, true), Data::String(format!("{first} every row is in terms.parquet.")));
        assert_eq!(note(false, false), Data::String(format!("{first} --format csv or parquet writes every row.")));
    }

    #[test]
    fn a_sheet_holds_the_first_rows_asked_for_and_says_where_the_rest_are() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Workbook::new(dir.path());
        book.set_sheet_rows(5);
        for batch in 0..3i64 {
            let df = DataFrame::new_infer_height(vec![Column::new(
                "n".into(),
                (0..4).map(|i| batch * 4 + i).collect::<Vec<i64>>(),
            )])
            .unwrap();
            book.append("long", &df).unwrap();
        }
        let short = DataFrame::new_infer_height(vec![Column::new("t".into(), ["=1+1", "plain"])]).unwrap();
        book.append("short", &short).unwrap();
        let ranked = DataFrame::new_infer_height(vec![Column::new("n".into(), [9i64, 8, 7, 6, 5, 4])]).unwrap();
        book.append_all(&[("ngrams", ranked)]).unwrap();
        let mut read = saved(book);
        assert_eq!(read.sheet_names(), ["Summary", "ngrams", "long", "short"], "reports first, the rest as they came");
        let ranked: Vec<Data> = read.worksheet_range("ngrams").unwrap().rows().skip(1).map(|r| r[0].clone()).collect();
        let note = "The first 5 of 6 rows (--sheet-rows); every row is in ngrams.csv and ngrams.parquet.";
        let expected: Vec<Data> = [9.0, 8.0, 7.0, 6.0, 5.0]
            .map(Data::Float)
            .into_iter()
            .chain([Data::Empty, Data::String(note.into())])
            .collect();
        assert_eq!(ranked, expected, "the first rows, then a blank row and what was left out");
        let long = read.worksheet_range("long").unwrap();
        let column: Vec<Data> = long.rows().map(|r| r[0].clone()).collect();
        let note = "The first 5 of 12 rows (--sheet-rows); every row is in long.csv and long.parquet.";
        let expected: Vec<Data> = std::iter::once(Data::String("n".into()))
            .chain((0..5).map(|n| Data::Float(n as f64)))
            .chain([Data::Empty, Data::String(note.into())])
            .collect();
        assert_eq!(column, expected);
        let short = read.worksheet_range("short").unwrap();
        assert_eq!(short.get((1, 0)), Some(&Data::String("=1+1".into())));
        assert_eq!(short.height(), 3, "a sheet holding every row says nothing more");
        let summary = read.worksheet_range("Summary").unwrap();
        let row = summary.rows().find(|r| r[0] == Data::String("long".into())).expect("long listed");
        assert_eq!(row[1], Data::Float(12.0));
        assert_eq!(row[2].to_string(), note);
        let row = summary.rows().find(|r| r[0] == Data::String("short".into())).expect("short listed");
        assert_eq!(row[2], Data::Empty);
        let listed: Vec<String> = summary.rows().map(|r| r[0].to_string()).collect();
        let (short_at, long_at) = (listed.iter().position(|n| n == "short"), listed.iter().position(|n| n == "long"));
        assert!(long_at < short_at, "sheets listed in the workbook's order");
    }
}
