//! CSV reports a spreadsheet can open safely: file names that look like formulas stay text, and
//! `--csv-bom` marks the files as UTF-8 for Excel.

use std::fs;

use crate::common::*;

#[test]
fn a_file_named_like_a_formula_stays_text() {
    let corpus = tempfile::tempdir().unwrap();
    // A file name cannot hold "/", so the link is a bare word here.
    let name = "=HYPERLINK(\"x\",\"y\").txt";
    fs::write(corpus.path().join(name), "Sergei Lavrov met Ararat Mirzoyan.").unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], out.path(), &[]);
    let docs = read_csv(&out.path().join("documents.csv"));
    assert_eq!(docs[0]["doc"], format!("'{name}"));
    assert!(read_csv(&out.path().join("mentions.csv")).iter().all(|m| m["doc"] == format!("'{name}")));
    // Parquet keeps the value itself: it is data, not a sheet.
    let file = fs::File::open(out.path().join("documents.parquet")).unwrap();
    let df = polars::prelude::ParquetReader::new(file).finish().unwrap();
    use polars::prelude::SerReader;
    assert_eq!(df.column("doc").unwrap().str().unwrap().get(0), Some(name));
}

#[test]
fn csv_bom_marks_every_csv_as_utf8() {
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], out.path(), &["--csv-bom"]);
    for name in csv_names(out.path()) {
        let bytes = fs::read(out.path().join(&name)).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{name} has no byte-order mark");
    }
    let plain = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], plain.path(), &[]);
    let with_bom = fs::read(out.path().join("terms.csv")).unwrap();
    assert_eq!(&with_bom[3..], &fs::read(plain.path().join("terms.csv")).unwrap()[..]);
}
