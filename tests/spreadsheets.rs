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

/// The text a CSV cell shows for a workbook cell, or None for an empty cell.
fn as_csv_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) if tally::report::looks_like_formula(s) => format!("'{s}"),
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let days = d.as_f64() - 25_569.0;
            assert_eq!(days.fract(), 0.0, "a date with a time: {d:?}");
            tally::corpus::Date::from_days_since_epoch(days as i32).to_string()
        }
        other => panic!("unexpected cell {other:?}"),
    }
}

#[test]
fn the_workbook_holds_every_report_typed_with_formulas_as_text() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let corpus = tempfile::tempdir().unwrap();
    let name = "=HYPERLINK(\"x\",\"y\").txt";
    fs::write(corpus.path().join(name), "Sergei Lavrov met Ararat Mirzoyan in Yerevan.").unwrap();
    for seed in fs::read_dir(repo().join("seeds")).unwrap() {
        let seed = seed.unwrap();
        fs::copy(seed.path(), corpus.path().join(seed.file_name())).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], out.path(), &[]);

    let mut book: Xlsx<_> = open_workbook(out.path().join("tally.xlsx")).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets[0], "Summary");
    let mut reports: Vec<String> =
        csv_names(out.path()).iter().map(|n| n.trim_end_matches(".csv").to_string()).collect();
    let mut in_book = sheets[1..].to_vec();
    reports.sort();
    in_book.sort();
    assert_eq!(in_book, reports);

    for report in &reports {
        let range = book.worksheet_range(report).unwrap();
        let csv = fs::read_to_string(out.path().join(format!("{report}.csv"))).unwrap();
        let mut reader = ::csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes());
        let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(range.height(), records.len(), "{report}: rows");
        for (row, record) in range.rows().zip(&records) {
            let cells: Vec<String> = row.iter().map(as_csv_text).collect();
            let expected: Vec<&str> = record.iter().collect();
            assert_eq!(cells, expected, "{report}");
        }
        // Counts are numbers, not text that looks like numbers.
        if report == "documents" {
            assert!(matches!(range.get((1, 2)), Some(Data::Float(_))), "{:?}", range.get((1, 2)));
            assert!(matches!(range.get((1, 1)), Some(Data::DateTime(_)) | Some(Data::Empty)));
        }
        let formulas = book.worksheet_formula(report).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "{report} holds a formula");
    }
    let docs = book.worksheet_range("documents").unwrap();
    assert!(docs.rows().any(|r| r[0] == Data::String(name.to_string())));
}

#[test]
fn the_html_overview_is_one_offline_page_with_labelled_charts() {
    let corpus = tempfile::tempdir().unwrap();
    for (name, date, text) in [
        ("a.txt", "2022-10-27", "Sergei Lavrov met Ararat Mirzoyan in Moscow. Lavrov spoke of Armenia."),
        ("b.txt", "2022-10-29", "Armenia and Azerbaijan met in Brussels. Armenia asked the CSTO for help."),
        ("c.txt", "2022-11-02", "Nikol Pashinyan said Armenia and Azerbaijan would talk again."),
        ("d.txt", "2022-10-29", "Talks were held."),
    ] {
        fs::write(corpus.path().join(name), format!(" date {date} \n{text}\n")).unwrap();
    }
    fs::write(corpus.path().join("e.txt"), "A note without a date.\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], out.path(), &["--format", "html", "--period", "day"]);
    assert_eq!(csv_names(out.path()), Vec::<String>::new(), "--format html writes no CSV");
    let page = fs::read_to_string(out.path().join("report.html")).unwrap();
    // Self-contained: nothing to fetch, no script.
    for forbidden in ["src=", "href=", "<script", "@import", "url("] {
        assert!(!page.contains(forbidden), "report.html holds {forbidden}");
    }
    assert!(page.contains("<p class=\"sub\">") && page.contains("documents of 2022-10-27 to 2022-11-02"));
    // One chart each: terms, the three kinds, actors over time, the matrix, documents by date.
    assert_eq!(page.matches("<svg").count(), 7);
    for label in ["occurrences", "mentions per day", "documents per day", "Armenia", "Sergei Lavrov", "2022-10-29"] {
        assert!(page.contains(label), "no {label} in report.html");
    }
    // Documents by date: two on the 29th, none on the 28th, one without a date.
    for column in ["<title>2022-10-29: 2</title>", "<title>2022-10-28: 0</title>", "<title>2022-11-02: 1</title>"] {
        assert!(page.contains(column), "no {column} in report.html");
    }
    assert!(page.contains("1 documents have no date and are not drawn."));
    // Five short documents: nothing stands out in a period, no word pair is seen 3 times.
    assert!(page.contains("<h2>What surged</h2>") && page.contains("Nothing surged"), "no surge section");
    assert!(page.contains("<h2>Words that go together</h2>") && page.contains("often enough"), "no pairs section");
    // Armenia is named with Azerbaijan in two sentences.
    assert!(page.contains("<title>Armenia and Azerbaijan: 2 sentences</title>"), "matrix cell missing");
}
