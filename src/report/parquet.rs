//! DataFrame in, Parquet out, through polars' writer (zstd-compressed, column statistics on): the
//! column types of the frame are the types readers see.
//!
//! Text is stored as Parquet's UTF-8 byte arrays whatever Arrow type polars holds it as; the Arrow
//! schema written beside the data (the `ARROW:schema` key, which pyarrow, pandas and Spark read to
//! restore types) names the types every Arrow reader knows (`large_string`, `large_list`), not the
//! string views polars holds, which pandas cannot convert inside a list.
//!
//! A file's columns are encoded one after another: reports are written several at once on the run's
//! threads, and polars' own parallelism on top only adds its overhead (a fifth of the time, on the
//! largest reports).

use std::io::Write;

use polars::io::parquet::write::KeyValueMetadata;
use polars::prelude::{BatchedWriter, CompatLevel, DataFrame, ParquetWriter, PolarsResult, Schema, SchemaExt};

use super::ReportError;

/// Writes `df` to `writer` as one Parquet file.
pub fn write_parquet<W: Write>(writer: W, df: &mut DataFrame) -> Result<(), ReportError> {
    parquet_writer(writer, df.schema()).finish(df)?;
    Ok(())
}

/// A writer of frames of `schema` to `writer`, a batch at a time, as [`write_parquet`] writes.
pub fn batched_writer<W: Write>(writer: W, schema: &Schema) -> PolarsResult<BatchedWriter<W>> {
    parquet_writer(writer, schema).batched(schema)
}

/// polars' Parquet writer as reports are written with it, for frames of `schema`.
fn parquet_writer<W: Write>(writer: W, schema: &Schema) -> ParquetWriter<W> {
    let arrow = schema.to_arrow(CompatLevel::oldest());
    let key = polars_parquet::write::schema_to_metadata_key(&arrow);
    ParquetWriter::new(writer).set_parallel(false).with_key_value_metadata(Some(KeyValueMetadata::Static(vec![key])))
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

    #[test]
    fn the_arrow_schema_names_large_strings_and_lists_not_string_views() {
        let mut lists = ListStringChunkedBuilder::new("aliases".into(), 2, 3);
        lists.append_values_iter(["Armenia", "Armenian"].into_iter());
        lists.append_values_iter(["CSTO"].into_iter());
        let mut df = DataFrame::new_infer_height(vec![
            Column::new("actor".into(), ["Armenia", "CSTO"]),
            lists.finish().into_column(),
        ])
        .unwrap();
        let mut buf = Vec::new();
        write_parquet(&mut buf, &mut df).unwrap();
        // The schema written is the one of Arrow types every reader knows (polars' own reader turns
        // them back into views, so the file's key is compared, not what polars reads).
        let metadata = polars_parquet::read::read_metadata(&mut std::io::Cursor::new(&buf)).unwrap();
        let written = metadata.key_value_metadata().as_ref().unwrap().iter().find(|kv| kv.key == "ARROW:schema");
        let oldest = df.schema().to_arrow(CompatLevel::oldest());
        assert_eq!(written.unwrap().value, polars_parquet::write::schema_to_metadata_key(&oldest).value);
        let types: Vec<String> = oldest.iter_values().map(|f| format!("{:?}", f.dtype)).collect();
        assert_eq!(types[0], "LargeUtf8");
        assert!(types[1].starts_with("LargeList") && types[1].contains("LargeUtf8"), "{}", types[1]);
        let newest = df.schema().to_arrow(CompatLevel::newest());
        assert_ne!(written.unwrap().value, polars_parquet::write::schema_to_metadata_key(&newest).value);
        // polars reads them back as it wrote them.
        let back = ParquetReader::new(std::io::Cursor::new(buf)).finish().unwrap();
        assert!(df.equals_missing(&back), "{df:?}\n{back:?}");
    }
}
