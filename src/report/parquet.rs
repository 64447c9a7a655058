//! DataFrame in, Parquet out, through polars' writer (zstd-compressed, column statistics on): the
//! column types of the frame are the types readers see.
//!
//! A file's columns are encoded one after another: reports are written several at once on the run's
//! threads, and polars' own parallelism on top only adds its overhead (a fifth of the time, on the
//! largest reports).

use std::io::Write;

use polars::prelude::{DataFrame, ParquetWriter};

use super::ReportError;

/// Writes `df` to `writer` as one Parquet file.
pub fn write_parquet<W: Write>(writer: W, df: &mut DataFrame) -> Result<(), ReportError> {
    parquet_writer(writer).finish(df)?;
    Ok(())
}

/// polars' Parquet writer as reports are written with it.
pub fn parquet_writer<W: Write>(writer: W) -> ParquetWriter<W> {
    ParquetWriter::new(writer).set_parallel(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    #[test]
    fn round_trips_through_polars() {
        let days = Series::new("date".into(), [Some(19_292), None]).into_date().into_column();
        let mut df = DataFrame::new_infer_height(vec![
            Column::new("term".into(), ["csto", "армения"]),
            Column::new("count".into(), [8i64, 1]),
            Column::new("per_million".into(), [0.25f64, 1e-3]),
            days,
        ])
        .unwrap();
        let mut buf = Vec::new();
        write_parquet(&mut buf, &mut df).unwrap();
        let back = ParquetReader::new(std::io::Cursor::new(buf)).finish().unwrap();
        assert!(df.equals_missing(&back), "{df:?}\n{back:?}");
        assert_eq!(back.column("date").unwrap().dtype(), &DataType::Date);
    }
}
