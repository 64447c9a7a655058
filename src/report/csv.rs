//! DataFrame in, CSV out: RFC 4180 (the `csv` crate's quoting), UTF-8, a header row, dates as ISO
//! `YYYY-MM-DD`, booleans as `true`/`false`, missing values as empty fields, floats in Rust's shortest
//! round-trip form.
//!
//! Spreadsheet-safe: a text cell that a spreadsheet would run as a formula (it starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return, as a file name or a user's dictionary entry may) gets a
//! leading `'`, as OWASP recommends for CSV injection; number and date cells are never touched.

use std::io::Write;

use polars::prelude::*;

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

/// A column, viewed by the type its cells are printed as.
enum Cells<'a> {
    Text(&'a StringChunked),
    Int(&'a Int64Chunked),
    Float(&'a Float64Chunked),
    Date(&'a Int32Chunked),
    Bool(&'a BooleanChunked),
}

/// Writes `v` as `{}` does. The values reports round to three decimals are written with integer
/// arithmetic, several times faster: below 1e9 the nearest double to a number of thousandths is
/// written as those thousandths, as no other decimal of three places or fewer lies as near.
fn write_float(cell: &mut String, v: f64) {
    use std::fmt::Write as _;
    let thousandths = (v * 1000.0).round();
    if v.abs() < 1e9 && thousandths / 1000.0 == v && !(v == 0.0 && v.is_sign_negative()) {
        let t = thousandths as i64;
        if t < 0 {
            cell.push('-');
        }
        let (whole, mut fraction) = (t.unsigned_abs() / 1000, t.unsigned_abs() % 1000);
        let _ = write!(cell, "{whole}");
        if fraction != 0 {
            cell.push('.');
            let mut divisor = 100;
            while fraction != 0 {
                cell.push(char::from(b'0' + (fraction / divisor) as u8));
                fraction %= divisor;
                divisor /= 10;
            }
        }
    } else {
        let _ = write!(cell, "{v}");
    }
}

impl<'a> Cells<'a> {
    fn of(column: &'a Column) -> Result<Cells<'a>, ReportError> {
        Ok(match column.dtype() {
            DataType::String => Cells::Text(column.str()?),
            DataType::Int64 => Cells::Int(column.i64()?),
            DataType::Float64 => Cells::Float(column.f64()?),
            DataType::Date => Cells::Date(column.date()?.physical()),
            DataType::Boolean => Cells::Bool(column.bool()?),
            other => return Err(ReportError::Unsupported(column.name().to_string(), other.to_string())),
        })
    }

    fn write(&self, row: usize, cell: &mut String) {
        use std::fmt::Write as _;
        cell.clear();
        // Writing into a String cannot fail.
        let _ = match self {
            Cells::Text(c) => {
                let text = c.get(row).unwrap_or("");
                if super::looks_like_formula(text) {
                    cell.push('\'');
                }
                cell.push_str(text);
                Ok(())
            }
            Cells::Int(c) => c.get(row).map_or(Ok(()), |v| write!(cell, "{v}")),
            Cells::Float(c) => {
                if let Some(v) = c.get(row) {
                    write_float(cell, v);
                }
                Ok(())
            }
            Cells::Date(c) => c.get(row).map_or(Ok(()), |v| write!(cell, "{}", Date::from_days_since_epoch(v))),
            Cells::Bool(c) => c.get(row).map_or(Ok(()), |v| write!(cell, "{v}")),
        };
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
        Ok(BatchedCsvWriter { out: csv::Writer::from_writer(self.writer), header_written: false })
    }
}

/// Writes one CSV table from several frames of the same columns.
pub struct BatchedCsvWriter<W: Write> {
    out: csv::Writer<W>,
    header_written: bool,
}

impl<W: Write> BatchedCsvWriter<W> {
    /// Appends the rows of `df` (and, the first time, its header row).
    pub fn write_batch(&mut self, df: &DataFrame) -> Result<(), ReportError> {
        if !self.header_written {
            self.out.write_record(df.columns().iter().map(|c| c.name().as_str()))?;
            self.header_written = true;
        }
        let cells: Vec<Cells> = df.columns().iter().map(Cells::of).collect::<Result<_, _>>()?;
        let mut record: Vec<String> = vec![String::new(); cells.len()];
        for row in 0..df.height() {
            for (cell, column) in record.iter_mut().zip(&cells) {
                column.write(row, cell);
            }
            self.out.write_record(&record)?;
        }
        Ok(())
    }

    /// Flushes the table and gives back the underlying writer.
    pub fn finish(self) -> Result<W, ReportError> {
        self.out.into_inner().map_err(|e| ReportError::Io(e.into_error()))
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
            Column::new("doc".into(), ["=HYPERLINK(\"http://x\",\"y\").txt", "@SUM(A1)", "+1", "-x", "\tx", "a=b"]),
            Column::new("n".into(), [-1i64, 2, 3, 4, 5, 6]),
        ])
        .unwrap();
        let mut buf = Vec::new();
        CsvWriter::new(&mut buf).finish(&df).unwrap();
        let want =
            "doc,n\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\").txt\",-1\n'@SUM(A1),2\n'+1,3\n'-x,4\n'\tx,5\na=b,6\n";
        assert_eq!(String::from_utf8(buf).unwrap(), want);
    }

    proptest::proptest! {
        #[test]
        fn floats_are_written_as_the_standard_formatter_writes_them(
            thousandths in -2_000_000_000_000i64..2_000_000_000_000,
            any in proptest::num::f64::ANY,
        ) {
            for v in [thousandths as f64 / 1000.0, (thousandths % 100_000) as f64 / 1000.0, any, -0.0, 0.1 + 0.2] {
                let mut cell = String::new();
                write_float(&mut cell, v);
                proptest::prop_assert_eq!(cell, format!("{v}"));
            }
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
