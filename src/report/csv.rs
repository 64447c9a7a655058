//! DataFrame in, CSV out: RFC 4180 (the `csv` crate's quoting), UTF-8, a header row, dates as ISO
//! `YYYY-MM-DD`, booleans as `true`/`false`, missing values as empty fields, floats in Rust's shortest
//! round-trip form.
//!
//! Spreadsheet-safe: a text cell that a spreadsheet would run as a formula (it starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return, as a file name or a user's dictionary entry may) gets a
//! leading `'`, as OWASP recommends for CSV injection; number and date cells are never touched.

use std::io::Write;

use polars::prelude::*;

use super::cells::{write_float, write_int, Cell, Cells};
use super::ReportError;
use crate::corpus::Date;

/// Options of the CSV writer: plain data, `Default` gives RFC 4180 CSV.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CsvOptions {
    /// Start the file with a UTF-8 byte-order mark (Excel needs it to read UTF-8).
    pub bom: bool,
}

/// Writes a DataFrame as CSV.
pub struct CsvWriter<W: Write> {
    writer: W,
    options: CsvOptions,
}

/// Writes `text` as one field: in quotes, its quotes doubled, when it holds a comma, a quote or a
/// line break (RFC 4180, as the `csv` crate quotes); with a leading `'` when a spreadsheet would run
/// it as a formula.
fn write_text(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let quoted = bytes.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if quoted {
        out.push(b'"');
    }
    if super::looks_like_formula(text) {
        out.push(b'\'');
    }
    if quoted {
        for part in bytes.split_inclusive(|&b| b == b'"') {
            out.extend_from_slice(part);
            if part.last() == Some(&b'"') {
                out.push(b'"');
            }
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(bytes);
    }
}

/// Writes `cell` as one field.
fn write_cell(out: &mut Vec<u8>, cell: Cell) {
    match cell {
        Cell::Text(text) => write_text(out, text),
        Cell::Int(v) => write_int(out, v),
        Cell::Float(v) => write_float(out, v),
        Cell::Date(days) => {
            // Writing into a vector cannot fail.
            let _ = write!(out, "{}", Date::from_days_since_epoch(days));
        }
        Cell::Bool(v) => out.extend_from_slice(if v { b"true" } else { b"false" }),
    }
}

impl<W: Write> CsvWriter<W> {
    /// A writer with default options.
    pub fn new(writer: W) -> Self {
        CsvWriter { writer, options: CsvOptions::default() }
    }

    /// Sets the options.
    pub fn with_options(mut self, options: CsvOptions) -> Self {
        self.options = options;
        self
    }

    /// Writes `df` whole: a header row, then one record per row.
    pub fn finish(self, df: &DataFrame) -> Result<(), ReportError> {
        let mut batched = self.batched()?;
        batched.write_batch(df)?;
        batched.finish()?;
        Ok(())
    }

    /// A writer that takes the table a batch of rows at a time (the header comes with the first).
    pub fn batched(mut self) -> Result<BatchedCsvWriter<W>, ReportError> {
        if self.options.bom {
            self.writer.write_all("\u{feff}".as_bytes())?;
        }
        Ok(BatchedCsvWriter { out: self.writer, buffer: Vec::with_capacity(BUFFER), header_written: false })
    }
}

/// How many bytes of records gather before they are written out.
const BUFFER: usize = 1 << 16;

/// Writes one CSV table from several frames of the same columns.
pub struct BatchedCsvWriter<W: Write> {
    out: W,
    /// Records not yet written to `out`.
    buffer: Vec<u8>,
    header_written: bool,
}

impl<W: Write> BatchedCsvWriter<W> {
    /// Appends the rows of `df` (and, the first time, its header row).
    pub fn write_batch(&mut self, df: &DataFrame) -> Result<(), ReportError> {
        if !self.header_written {
            let names = df.columns().iter().map(|c| c.name().as_str());
            self.write_record(names.map(|name| move |out: &mut Vec<u8>| write_text(out, name)))?;
            self.header_written = true;
        }
        let columns = super::cells::printable(df)?;
        let cells: Vec<Cells> = columns.iter().map(Cells::of).collect::<Result<_, _>>()?;
        for row in 0..df.height() {
            self.write_record(cells.iter().map(|column| {
                move |out: &mut Vec<u8>| {
                    if let Some(cell) = column.get(row) {
                        write_cell(out, cell);
                    }
                }
            }))?;
        }
        Ok(())
    }

    /// Writes one record, each field by its function, and the buffer out when it is full. A record
    /// of one empty field is written `""`, so that it is a record (as the `csv` crate does).
    fn write_record<F: FnOnce(&mut Vec<u8>)>(&mut self, fields: impl Iterator<Item = F>) -> Result<(), ReportError> {
        let start = self.buffer.len();
        for (i, field) in fields.enumerate() {
            if i > 0 {
                self.buffer.push(b',');
            }
            field(&mut self.buffer);
        }
        if self.buffer.len() == start {
            self.buffer.extend_from_slice(b"\"\"");
        }
        self.buffer.push(b'\n');
        if self.buffer.len() >= BUFFER {
            self.out.write_all(&self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }

    /// Writes out what is buffered and gives back the underlying writer.
    pub fn finish(mut self) -> Result<W, ReportError> {
        self.out.write_all(&self.buffer)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_rfc4180_text_with_dates_and_nulls() {
        let days = Series::new("date".into(), [Some(19_292), None]).into_date().into_column();
        let df = DataFrame::new_infer_height(vec![
            Column::new("text".into(), ["a,b", "say \"hi\"\nnow"]),
            Column::new("n".into(), [1i64, -2]),
            Column::new("x".into(), [0.5f64, 3.0]),
            days,
            Column::new("b".into(), [true, false]),
        ])
        .unwrap();
        let mut buf = Vec::new();
        CsvWriter::new(&mut buf).finish(&df).unwrap();
        let want = "text,n,x,date,b\n\"a,b\",1,0.5,2022-10-27,true\n\"say \"\"hi\"\"\nnow\",-2,3,,false\n";
        assert_eq!(String::from_utf8(buf).unwrap(), want);
    }

    #[test]
    fn batches_make_one_table() {
        let part = |v: &[i64]| DataFrame::new_infer_height(vec![Column::new("n".into(), v)]).unwrap();
        let mut batched = CsvWriter::new(Vec::new()).batched().unwrap();
        batched.write_batch(&part(&[1, 2])).unwrap();
        batched.write_batch(&part(&[])).unwrap();
        batched.write_batch(&part(&[3])).unwrap();
        assert_eq!(String::from_utf8(batched.finish().unwrap()).unwrap(), "n\n1\n2\n3\n");
    }

    #[test]
    fn text_that_would_run_as_a_formula_is_neutralised_numbers_are_not() {
        let df = DataFrame::new_infer_height(vec![
            Column::new(
                "doc".into(),
                ["=HYPERLINK(\"http://x\",\"y\").txt", "@SUM(A1)", "+1+1", "-x", "\tx", "a=b", "-5", "+2.5e-3", "-1e"],
            ),
            Column::new("n".into(), [-1i64, 2, 3, 4, 5, 6, 7, 8, 9]),
        ])
        .unwrap();
        let mut buf = Vec::new();
        CsvWriter::new(&mut buf).finish(&df).unwrap();
        let want = "doc,n\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\").txt\",-1\n'@SUM(A1),2\n'+1+1,3\n'-x,4\n'\tx,5\n\
                    a=b,6\n-5,7\n+2.5e-3,8\n'-1e,9\n";
        assert_eq!(String::from_utf8(buf).unwrap(), want);
    }

    /// `df` as the writer writes it.
    fn written(df: &DataFrame) -> String {
        let mut buf = Vec::new();
        CsvWriter::new(&mut buf).finish(df).unwrap();
        String::from_utf8(buf).unwrap()
    }

    /// The rows as the `csv` crate writes them, a formula's text with its `'` first.
    fn reference(header: &[&str], rows: &[Vec<String>]) -> String {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(header).unwrap();
        for row in rows {
            w.write_record(row).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    proptest::proptest! {
        #[test]
        fn cells_are_quoted_as_the_csv_crate_quotes_them(
            rows in proptest::collection::vec((proptest::prelude::any::<String>(), proptest::prelude::any::<i64>(),
                proptest::prelude::any::<Option<bool>>()), 0..12),
            split in 0usize..12,
        ) {
            let neutral = |t: &str| if crate::report::looks_like_formula(t) { format!("'{t}") } else { t.to_string() };
            let part = |rows: &[(String, i64, Option<bool>)]| DataFrame::new_infer_height(vec![
                Column::new("text".into(), rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>()),
                Column::new("n".into(), rows.iter().map(|r| r.1).collect::<Vec<_>>()),
                Column::new("b".into(), rows.iter().map(|r| r.2).collect::<Vec<_>>()),
            ]).unwrap();
            // Two chunks, as a frame built by appending has.
            let split = split.min(rows.len());
            let mut df = part(&rows[..split]);
            df.vstack_mut(&part(&rows[split..])).unwrap();
            let want: Vec<Vec<String>> = rows.iter()
                .map(|r| vec![neutral(&r.0), r.1.to_string(), r.2.map_or(String::new(), |b| b.to_string())])
                .collect();
            proptest::prop_assert_eq!(written(&df), reference(&["text", "n", "b"], &want));
            // One column: an empty cell is a record of one empty field.
            let texts = DataFrame::new_infer_height(vec![df.column("text").unwrap().clone()]).unwrap();
            let want: Vec<Vec<String>> = rows.iter().map(|r| vec![neutral(&r.0)]).collect();
            proptest::prop_assert_eq!(written(&texts), reference(&["text"], &want));
        }
    }

    #[test]
    fn bom_is_optional() {
        let df = DataFrame::new_infer_height(vec![Column::new("a".into(), ["Հայաստան"])]).unwrap();
        let mut buf = Vec::new();
        CsvWriter::new(&mut buf).with_options(CsvOptions { bom: true }).finish(&df).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "\u{feff}a\nՀայաստան\n");
    }
}
