//! DataFrames in, one Excel workbook out: `tally.xlsx`, a "Summary" sheet first, then one sheet per
//! report, each with a bold frozen header row, an autofilter and column widths fitted to the data.
//!
//! Numbers are numbers, dates are dates (`yyyy-mm-dd`), booleans are booleans. A text cell that a
//! spreadsheet would run as a formula (see [`super::looks_like_formula`]) is written as text with
//! Excel's quote prefix, the workbook form of OWASP's leading `'`: it shows as typed and never runs.
//!
//! Sheets are written in constant-memory mode (rows go to a temporary file as they come), so a long
//! report such as `mentions` can be appended a batch at a time. A sheet holds at most
//! [`MAX_ROWS`] rows; the rows past that are left out, and the Summary sheet says so and where the
//! whole table is.

use std::io::{Seek, Write};
use std::path::Path;

use polars::prelude::*;
use rust_xlsxwriter::{ColNum, ExcelDateTime, Format, FormatAlign, RowNum, Worksheet, XlsxError};

use super::manifest::Manifest;
use super::{actor_rows, looks_like_formula, top_terms, ReportError};

/// Rows an Excel sheet holds, its header row included.
pub const MAX_ROWS: u32 = 1_048_576;

/// Rows, the header included, of the sheets of ranked tables that grow with the text (n-grams and
/// collocations by strength, keyness): a spreadsheet reader looks at the top of them, and writing a
/// million rows of each would double the time to write the workbook. CSV and Parquet hold them whole.
pub const RANKED_ROWS: u32 = 100_001;

/// The sheets cut at [`RANKED_ROWS`].
const RANKED: &[&str] = &["ngrams", "collocations", "keyness"];

/// The Excel serial number of 1970-01-01 (days since 1899-12-30).
const EXCEL_EPOCH_DAYS: f64 = 25_569.0;

/// Rows of a sheet looked at to fit its column widths.
const WIDTH_SAMPLE_ROWS: u32 = 2_000;

/// Column widths, in characters.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

impl From<XlsxError> for ReportError {
    fn from(err: XlsxError) -> Self {
        ReportError::Xlsx(err.to_string())
    }
}

/// The cell formats used.
struct Styles {
    header: Format,
    date: Format,
    ratio: Format,
    quoted: Format,
    title: Format,
}

/// One report's sheet as it fills.
struct Sheet {
    /// The report's name, which is the sheet's.
    name: String,
    /// Where it is in `Workbook::book`'s list.
    index: usize,
    columns: usize,
    /// The next row to write (row 0 is the header).
    next_row: u32,
    /// Data rows given, written or not.
    rows: u64,
    /// The widest cell seen in each column, in characters.
    widths: Vec<usize>,
}

/// A workbook being filled, report by report; [`Workbook::save`] adds the Summary sheet and writes it.
pub struct Workbook {
    book: rust_xlsxwriter::Workbook,
    styles: Styles,
    sheets: Vec<Sheet>,
    /// Sheets to put after all others (long ones, written while the rest is counted).
    last: Vec<String>,
    /// Rows a sheet holds ([`MAX_ROWS`] but in tests).
    max_rows: u32,
    /// Rows a ranked sheet holds ([`RANKED_ROWS`] but in tests).
    ranked_rows: u32,
}

impl Workbook {
    /// An empty workbook whose sheets keep their rows in temporary files in `tempdir` until saved.
    pub fn new(tempdir: &Path) -> Result<Workbook, ReportError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.set_tempdir(tempdir)?;
        // The Summary sheet comes first; it is filled when the workbook is saved.
        book.add_worksheet_with_constant_memory().set_name("Summary")?;
        let styles = Styles {
            header: Format::new().set_bold().set_background_color(0xDDE4EE),
            date: Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Left),
            ratio: Format::new().set_num_format("0.000"),
            quoted: Format::new().set_quote_prefix(),
            title: Format::new().set_bold().set_font_size(14),
        };
        Ok(Workbook {
            book,
            styles,
            sheets: Vec::new(),
            last: Vec::new(),
            max_rows: MAX_ROWS,
            ranked_rows: RANKED_ROWS,
        })
    }

    /// Puts the sheet `name` after every other sheet, whenever it is made.
    pub fn put_last(&mut self, name: &str) {
        self.last.push(name.to_string());
    }

    /// Appends the rows of `df` to the sheet `name`, made (with `df`'s header) on the first call.
    /// Rows past the sheet's [`MAX_ROWS`] are counted, not written.
    pub fn append(&mut self, name: &str, df: &DataFrame) -> Result<(), ReportError> {
        let at = match self.sheets.iter().position(|s| s.name == name) {
            Some(at) => at,
            None => self.add_sheet(name, df)?,
        };
        let sheet = &mut self.sheets[at];
        sheet.rows += df.height() as u64;
        let max_rows = if RANKED.contains(&name) { self.max_rows.min(self.ranked_rows) } else { self.max_rows };
        let fits = (max_rows - sheet.next_row).min(u32::try_from(df.height()).unwrap_or(u32::MAX));
        let worksheet = self.book.worksheet_from_index(sheet.index)?;
        let mut text = String::new();
        // Row by row: a constant-memory sheet cannot go back to an earlier row.
        for (i, row) in (sheet.next_row..sheet.next_row + fits).enumerate() {
            for (col, column) in df.columns().iter().enumerate() {
                let width = write_cell(worksheet, &self.styles, row, col as ColNum, column, i, &mut text)?;
                if row <= WIDTH_SAMPLE_ROWS {
                    sheet.widths[col] = sheet.widths[col].max(width);
                }
            }
        }
        sheet.next_row += fits;
        Ok(())
    }

    fn add_sheet(&mut self, name: &str, df: &DataFrame) -> Result<usize, ReportError> {
        let index = self.book.worksheets().len();
        let worksheet = self.book.add_worksheet_with_constant_memory();
        worksheet.set_name(name)?.set_freeze_panes(1, 0)?;
        let mut widths = Vec::with_capacity(df.width());
        for (col, column) in df.columns().iter().enumerate() {
            worksheet.write_string_with_format(0, col as ColNum, column.name().as_str(), &self.styles.header)?;
            // Room for the name and the filter button.
            widths.push(column.name().chars().count() + 3);
        }
        self.sheets.push(Sheet { name: name.to_string(), index, columns: df.width(), next_row: 1, rows: 0, widths });
        Ok(self.sheets.len() - 1)
    }

    /// Writes the Summary sheet from `manifest` and the `frames` (for the top terms and actors),
    /// finishes every sheet (filters, widths) and writes the workbook to `writer`.
    pub fn save<W: Write + Seek + Send>(
        mut self,
        manifest: &Manifest,
        frames: &[(&str, DataFrame)],
        writer: W,
    ) -> Result<(), ReportError> {
        for sheet in &self.sheets {
            let worksheet = self.book.worksheet_from_index(sheet.index)?;
            let last_col = (sheet.columns.max(1) - 1) as ColNum;
            worksheet.autofilter(0, 0, sheet.next_row - 1, last_col)?;
            for (col, width) in sheet.widths.iter().enumerate() {
                worksheet.set_column_width(col as ColNum, (*width).clamp(MIN_WIDTH, MAX_WIDTH) as f64)?;
            }
        }
        // Summary, the other sheets in the order they came, then the sheets put last.
        self.sheets.sort_by_key(|sheet| self.last.contains(&sheet.name));
        let summary = self.book.worksheet_from_index(0)?;
        write_summary(summary, &self.styles, manifest, frames, &self.sheets)?;
        summary.set_active(true);
        let properties = rust_xlsxwriter::DocProperties::new()
            .set_title("tally reports")
            .set_comment(format!("Written by {} {}", manifest.program, manifest.version));
        self.book.set_properties(&properties);
        let last = self.last;
        self.book.worksheets_mut().sort_by_key(|ws| (ws.name() != "Summary", last.contains(&ws.name())));
        self.book.save_to_writer(writer)?;
        Ok(())
    }
}

/// Writes row `i` of `column` at (`row`, `col`); returns the cell's width in characters.
fn write_cell(
    worksheet: &mut Worksheet,
    styles: &Styles,
    row: RowNum,
    col: ColNum,
    column: &Column,
    i: usize,
    text: &mut String,
) -> Result<usize, ReportError> {
    use std::fmt::Write as _;
    text.clear();
    match column.dtype() {
        DataType::String => {
            let Some(value) = column.str()?.get(i) else { return Ok(0) };
            write_text(worksheet, styles, row, col, value)?;
            return Ok(value.chars().count());
        }
        DataType::Int64 => {
            let Some(value) = column.i64()?.get(i) else { return Ok(0) };
            worksheet.write_number(row, col, value as f64)?;
            let _ = write!(text, "{value}");
        }
        DataType::Float64 => {
            let Some(value) = column.f64()?.get(i) else { return Ok(0) };
            match value.is_finite() {
                true => worksheet.write_number_with_format(row, col, value, &styles.ratio)?,
                // Excel has no infinity or NaN: say it in words.
                false => worksheet.write_string(row, col, value.to_string())?,
            };
            let _ = write!(text, "{value:.3}");
        }
        DataType::Date => {
            let Some(days) = column.date()?.physical().get(i) else { return Ok(0) };
            let date = ExcelDateTime::from_serial_datetime(f64::from(days) + EXCEL_EPOCH_DAYS)?;
            worksheet.write_datetime_with_format(row, col, &date, &styles.date)?;
            return Ok(10);
        }
        DataType::Boolean => {
            let Some(value) = column.bool()?.get(i) else { return Ok(0) };
            worksheet.write_boolean(row, col, value)?;
            return Ok(5);
        }
        other => return Err(ReportError::Unsupported(column.name().to_string(), other.to_string())),
    }
    Ok(text.len())
}

/// How many top terms and actors the Summary sheet lists.
const SUMMARY_TOP: usize = 20;

/// The Summary sheet: what was read, the settings, the sheets (and any cut short), the top terms
/// (stopwords and numbers left out) and the top actors.
fn write_summary(
    ws: &mut Worksheet,
    styles: &Styles,
    manifest: &Manifest,
    frames: &[(&str, DataFrame)],
    sheets: &[Sheet],
) -> Result<(), ReportError> {
    let mut row: RowNum = 0;
    ws.write_string_with_format(row, 0, "tally reports", &styles.title)?;
    row += 2;
    let pair = |ws: &mut Worksheet, row: &mut RowNum, key: &str, value: Value| -> Result<(), ReportError> {
        ws.write_string(*row, 0, key)?;
        match value {
            Value::Text(v) => write_text(ws, styles, *row, 1, &v)?,
            Value::Number(n) => {
                ws.write_number(*row, 1, n)?;
            }
        }
        *row += 1;
        Ok(())
    };
    let dates = frames.iter().find(|(n, _)| *n == "documents").and_then(|(_, df)| date_range(df));
    let count = |n: u64| Value::Number(n as f64);
    ws.write_string_with_format(row, 0, "Corpus", &styles.header)?;
    row += 1;
    pair(ws, &mut row, "inputs", Value::Text(manifest.inputs.join("; ")))?;
    pair(ws, &mut row, "documents", count(manifest.documents))?;
    pair(ws, &mut row, "bytes", count(manifest.bytes))?;
    pair(ws, &mut row, "words", count(manifest.tokens))?;
    pair(ws, &mut row, "distinct terms", count(manifest.terms))?;
    pair(ws, &mut row, "actors", count(manifest.actors))?;
    pair(ws, &mut row, "actor mentions", count(manifest.mentions))?;
    pair(ws, &mut row, "first date", Value::Text(dates.clone().map_or(String::new(), |d| d.0)))?;
    pair(ws, &mut row, "last date", Value::Text(dates.map_or(String::new(), |d| d.1)))?;
    pair(ws, &mut row, "files skipped", count(manifest.skipped.len() as u64))?;
    pair(ws, &mut row, "warnings", count(manifest.warnings.len() as u64))?;
    row += 1;
    ws.write_string_with_format(row, 0, "Settings", &styles.header)?;
    row += 1;
    pair(ws, &mut row, "program", Value::Text(format!("{} {}", manifest.program, manifest.version)))?;
    pair(ws, &mut row, "output folder", Value::Text(manifest.settings.out.clone()))?;
    pair(ws, &mut row, "threads", count(manifest.settings.threads as u64))?;
    let settings_file = manifest.settings.settings_file.clone().unwrap_or_else(|| "none".to_string());
    pair(ws, &mut row, "settings file", Value::Text(settings_file))?;
    row += 1;
    ws.write_string_with_format(row, 0, "Sheets", &styles.header)?;
    ws.write_string_with_format(row, 1, "rows", &styles.header)?;
    ws.write_string_with_format(row, 2, "note", &styles.header)?;
    row += 1;
    for sheet in sheets {
        ws.write_string(row, 0, &sheet.name)?;
        ws.write_number(row, 1, sheet.rows as f64)?;
        let shown = u64::from(sheet.next_row - 1);
        if shown < sheet.rows {
            let why = match RANKED.contains(&sheet.name.as_str()) {
                true => "the strongest",
                false => "the most an Excel sheet holds",
            };
            let note = format!(
                "cut to the first {shown} rows, {why}; the whole table is in {0}.csv and {0}.parquet",
                sheet.name
            );
            ws.write_string(row, 2, note)?;
        }
        row += 1;
    }
    row += 1;
    let top_terms = frames.iter().find(|(n, _)| *n == "terms").map(|(_, df)| top_terms(df, SUMMARY_TOP)).transpose()?;
    let top_actors = frames.iter().find(|(n, _)| *n == "actors").map(|(_, df)| actor_rows(df)).transpose()?;
    ws.write_string_with_format(row, 0, "Top terms", &styles.header)?;
    ws.write_string_with_format(row, 1, "count", &styles.header)?;
    ws.write_string_with_format(row, 3, "Top actors", &styles.header)?;
    ws.write_string_with_format(row, 4, "kind", &styles.header)?;
    ws.write_string_with_format(row, 5, "mentions", &styles.header)?;
    row += 1;
    let (terms, mut actors) = (top_terms.unwrap_or_default(), top_actors.unwrap_or_default());
    actors.truncate(SUMMARY_TOP);
    for k in 0..terms.len().max(actors.len()) {
        if let Some((term, n)) = terms.get(k) {
            write_text(ws, styles, row, 0, term)?;
            ws.write_number(row, 1, *n as f64)?;
        }
        if let Some((actor, kind, n)) = actors.get(k) {
            write_text(ws, styles, row, 3, actor)?;
            ws.write_string(row, 4, kind)?;
            ws.write_number(row, 5, *n as f64)?;
        }
        row += 1;
    }
    ws.set_column_width(0, 24)?.set_column_width(1, 14)?.set_column_width(2, 12)?;
    ws.set_column_width(3, 32)?.set_column_width(4, 14)?.set_column_width(5, 10)?;
    Ok(())
}

enum Value {
    Text(String),
    Number(f64),
}

/// Writes `text` at (`row`, `col`), with the quote prefix when a spreadsheet would run it as a formula.
fn write_text(ws: &mut Worksheet, styles: &Styles, row: RowNum, col: ColNum, text: &str) -> Result<(), ReportError> {
    match looks_like_formula(text) {
        true => ws.write_string_with_format(row, col, text, &styles.quoted)?,
        false => ws.write_string(row, col, text)?,
    };
    Ok(())
}

/// The first and last dates of the `documents` frame, as ISO dates.
fn date_range(documents: &DataFrame) -> Option<(String, String)> {
    let days = documents.column("date").ok()?.date().ok()?.physical().clone();
    let (first, last) = (days.min()?, days.max()?);
    let iso = |d| crate::corpus::Date::from_days_since_epoch(d).to_string();
    Some((iso(first), iso(last)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn a_sheet_longer_than_a_sheet_holds_is_cut_and_the_summary_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Workbook::new(dir.path()).unwrap();
        book.max_rows = 6; // a header and five rows
        book.put_last("long");
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
        // A ranked table is cut sooner: a header and three rows here.
        book.ranked_rows = 4;
        let ranked = DataFrame::new_infer_height(vec![Column::new("n".into(), [9i64, 8, 7, 6, 5])]).unwrap();
        book.append("ngrams", &ranked).unwrap();
        let mut bytes = std::io::Cursor::new(Vec::new());
        book.save(&Manifest::default(), &[], &mut bytes).unwrap();

        let mut read = Xlsx::new(std::io::Cursor::new(bytes.into_inner())).unwrap();
        assert_eq!(read.sheet_names(), ["Summary", "short", "ngrams", "long"]);
        let ranked: Vec<Data> = read.worksheet_range("ngrams").unwrap().rows().skip(1).map(|r| r[0].clone()).collect();
        assert_eq!(ranked, [9.0, 8.0, 7.0].map(Data::Float), "the strongest rows first, the rest left out");
        let long = read.worksheet_range("long").unwrap();
        let column: Vec<Data> = long.rows().map(|r| r[0].clone()).collect();
        let expected: Vec<Data> =
            std::iter::once(Data::String("n".into())).chain((0..5).map(|n| Data::Float(n as f64))).collect();
        assert_eq!(column, expected);
        let short = read.worksheet_range("short").unwrap();
        assert_eq!(short.get((1, 0)), Some(&Data::String("=1+1".into())));
        let summary = read.worksheet_range("Summary").unwrap();
        let row = summary.rows().find(|r| r[0] == Data::String("long".into())).expect("long listed");
        assert_eq!(row[1], Data::Float(12.0));
        let note = row[2].to_string();
        assert!(note.contains("first 5 rows") && note.contains("long.csv"), "{note}");
        let row = summary.rows().find(|r| r[0] == Data::String("ngrams".into())).expect("ngrams listed");
        assert!(row[2].to_string().contains("first 3 rows, the strongest"), "{}", row[2]);
        let listed: Vec<String> = summary.rows().map(|r| r[0].to_string()).collect();
        let (short_at, long_at) = (listed.iter().position(|n| n == "short"), listed.iter().position(|n| n == "long"));
        assert!(short_at < long_at, "sheets listed in the workbook's order");
    }
}
