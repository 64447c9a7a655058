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
    // Self-contained: nothing to fetch; one inline script, which sorts and filters the tables.
    for forbidden in ["src=", "href=", "@import", "url(", "fetch(", "XMLHttpRequest"] {
        assert!(!page.contains(forbidden), "report.html holds {forbidden}");
    }
    assert_eq!(page.matches("<script>").count(), 1);
    // The top terms and actors as tables to sort and filter. Armenia: once in a.txt and c.txt,
    // twice in b.txt: 4 times in 3 documents.
    for (id, row) in [
        ("terms-table", "<tr><td>armenia</td><td class=\"n\" data-v=\"4\">4</td><td class=\"n\" data-v=\"3\">3</td>"),
        ("actors-table", "</details></td><td>place</td><td class=\"n\" data-v=\"4\">4</td>"),
    ] {
        assert!(page.contains(&format!("<table class=\"sortable\" id=\"{id}\">")), "no {id}");
        assert!(page.contains(&format!("data-table=\"{id}\"")), "no filter for {id}");
        assert!(page.contains(row), "no {row} in {id}");
    }
    // An actor opens on its first three mentions in context, in reading order: Armenia's in a.txt,
    // then twice in b.txt.
    let armenia = page.split("<tr><td data-v=\"Armenia\"><details><summary>Armenia</summary>").nth(1).expect("Armenia");
    let lines: Vec<&str> = armenia.split("</details>").next().unwrap().split("<li>").skip(1).collect();
    let docs: Vec<&str> =
        lines.iter().map(|l| l.split("<span class=\"doc\">").nth(1).unwrap().split('<').next().unwrap()).collect();
    assert_eq!(docs, ["a.txt", "b.txt", "b.txt"]);
    assert!(lines.iter().all(|l| l.contains("<b>Armenia</b>")), "{lines:?}");
    // b.txt's first opens its text: nothing is cut before it, so no "…".
    assert!(lines[1].starts_with("<b>Armenia</b> and Azerbaijan met in Brussels."), "{}", lines[1]);
    assert!(page.contains("<p class=\"sub\">") && page.contains("documents of 2022-10-27 to 2022-11-02"));
    // One chart each: terms, the three kinds, actors over time, the matrix, documents by date.
    assert_eq!(page.matches("<svg").count(), 7);
    for label in [
        "occurrences",
        "mentions per million words, by day",
        "documents per day",
        "Armenia",
        "Sergei Lavrov",
        "2022-10-29",
    ] {
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

/// Runs `tally --kwic Lavrov` on documents whose ids, contexts and folder name hold characters XML
/// 1.0 forbids (U+FFFF, U+FFFE, controls); gives the output folder.
fn run_on_text_xml_forbids() -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    let folder = corpus.path().join("in\u{1}\u{ffff}put");
    fs::create_dir(&folder).unwrap();
    let lines = [
        r#"{"id":"a\uffffb","text":"Sergei Lavrov met Ararat Mirzoyan in Moscow.\uffff Lavrov spoke of Armenia."}"#,
        r#"{"id":"c\u0001d\u000be","text":"Lavrov\u000b\u0000 said Armenia\ufffe would talk."}"#,
    ];
    fs::write(folder.join("docs.jsonl"), lines.join("\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&folder], out.path(), &["--kwic", "Lavrov"]);
    out
}

/// Whether XML 1.0 lets a document hold `c` (its `Char` production).
fn xml_allows(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[test]
fn text_xml_forbids_is_escaped_in_the_workbook_and_replaced_in_the_page() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    use std::io::Read as _;
    let out = run_on_text_xml_forbids();
    // The CSV keeps the ids as they are.
    let ids: Vec<String> = read_csv(&out.path().join("documents.csv")).iter().map(|r| r["doc"].clone()).collect();
    assert_eq!(ids, ["a\u{ffff}b", "c\u{1}d\u{b}e"]);

    let mut zip = zip::ZipArchive::new(fs::File::open(out.path().join("tally.xlsx")).unwrap()).unwrap();
    for k in 0..zip.len() {
        let mut part = zip.by_index(k).unwrap();
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap();
        let bad: Vec<char> = xml.chars().filter(|c| !xml_allows(*c)).collect();
        assert!(bad.is_empty(), "{} holds {bad:?}", part.name());
    }
    let mut book: Xlsx<_> = open_workbook(out.path().join("tally.xlsx")).unwrap();
    let docs = book.worksheet_range("documents").unwrap();
    let cells: Vec<Data> = docs.rows().skip(1).map(|r| r[0].clone()).collect();
    // U+FFFF as Excel's `_xFFFF_`, which Excel reads back; calamine decodes only `_x00HH_`.
    assert_eq!(cells, [Data::String("a_xFFFF_b".into()), Data::String("c\u{1}d\u{b}e".into())]);
    let kwic = book.worksheet_range("kwic").unwrap();
    let texts: Vec<String> = kwic.rows().skip(1).flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(texts.iter().any(|t| t.contains("Moscow._xFFFF_")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("Armenia_xFFFE_")), "{texts:?}");

    let page = fs::read_to_string(out.path().join("report.html")).unwrap();
    let bad: Vec<char> = page
        .chars()
        .filter(|&c| !xml_allows(c) || ('\u{7f}'..='\u{9f}').contains(&c) || ('\u{fdd0}'..='\u{fdef}').contains(&c))
        .collect();
    assert!(bad.is_empty(), "report.html holds {bad:?}");
    assert!(page.contains("in\u{fffd}\u{fffd}put"), "the input's name, its characters replaced");
}

#[test]
fn openpyxl_opens_the_workbook_whatever_the_text() {
    let python = std::process::Command::new("python3").args(["-c", "import openpyxl"]).output();
    if !python.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 with openpyxl is absent (pip install openpyxl), the workbook not opened with it");
        return;
    }
    let out = run_on_text_xml_forbids();
    // Every sheet's cells, the document ids as JSON (ASCII, so the test reads them unchanged).
    let script = r#"
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
cells = sum(1 for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None)
ids = [r[0] for r in book["documents"].iter_rows(min_row=2, values_only=True)]
print(json.dumps({"cells": cells, "ids": ids}))
"#;
    let run =
        std::process::Command::new("python3").args(["-c", script]).arg(out.path().join("tally.xlsx")).output().unwrap();
    assert!(run.status.success(), "openpyxl cannot open tally.xlsx: {}", String::from_utf8_lossy(&run.stderr));
    let read: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    // openpyxl leaves Excel's `_xHHHH_` escapes as written.
    assert_eq!(read["ids"], serde_json::json!(["a_xFFFF_b", "c_x0001_d_x000B_e"]));
    assert!(read["cells"].as_u64().unwrap() > 50, "{read}");
}

#[test]
fn a_sheet_holds_the_first_rows_asked_for_and_says_where_every_row_is() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], out.path(), &["--sheet-rows", "3", "--format", "csv,xlsx"]);
    let mut book: Xlsx<_> = open_workbook(out.path().join("tally.xlsx")).unwrap();
    let summary = book.worksheet_range("Summary").unwrap();
    let mut cut = 0;
    for report in csv_names(out.path()).iter().map(|n| n.trim_end_matches(".csv").to_string()) {
        let csv = fs::read_to_string(out.path().join(format!("{report}.csv"))).unwrap();
        let records: Vec<::csv::StringRecord> = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect();
        let rows: Vec<Vec<String>> =
            book.worksheet_range(&report).unwrap().rows().map(|r| r.iter().map(as_csv_text).collect()).collect();
        let data_rows = records.len() - 1;
        let mut sheets = summary.rows().skip_while(|r| r[0] != Data::String("Sheets".into()));
        let listed = sheets.find(|r| r[0] == Data::String(report.clone())).expect("every sheet listed");
        assert_eq!(listed[1], Data::Float(data_rows as f64), "{report}: the Summary counts every row");
        // The header and the first rows, as the CSV has them.
        for (row, record) in rows.iter().zip(records.iter().take(4)) {
            assert_eq!(
                row.iter().map(String::as_str).collect::<Vec<_>>(),
                record.iter().collect::<Vec<_>>(),
                "{report}"
            );
        }
        if data_rows <= 3 {
            assert_eq!(rows.len(), records.len(), "{report}: whole");
            assert_eq!(listed.get(2), Some(&Data::Empty), "{report}: nothing to say");
            continue;
        }
        cut += 1;
        // CSV and the workbook written, no Parquet: the note names the CSV only.
        let note = format!("The first 3 of {data_rows} rows (--sheet-rows); every row is in {report}.csv.");
        assert_eq!(rows.len(), 6, "{report}: a header, three rows, a blank row and the note");
        assert!(rows[4].iter().all(String::is_empty), "{report}: {:?}", rows[4]);
        assert_eq!(rows[5][0], note);
        assert_eq!(listed[2], Data::String(note));
    }
    assert!(cut >= 3, "the seeds' terms, mentions and n-grams are longer than three rows");
    let refused = tally(&["run", "seeds", "--out", &out.path().display().to_string(), "--sheet-rows", "0"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--sheet-rows must be from 1 to 1048573"));
}

#[test]
fn tally_merge_cuts_sheets_as_the_shards_asked_unless_told_otherwise() {
    use calamine::{open_workbook, Reader, Xlsx};
    let part = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], part.path(), &["--shard", "1/1", "--sheet-rows", "2"]);
    let terms_rows = |extra: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        let (p, o) = (part.path().display().to_string(), out.path().display().to_string());
        let mut args = vec!["merge", p.as_str(), "--out", o.as_str(), "--format", "xlsx", "--quiet"];
        args.extend_from_slice(extra);
        let output = tally(&args);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let mut book: Xlsx<_> = open_workbook(out.path().join("tally.xlsx")).unwrap();
        book.worksheet_range("terms").unwrap().height()
    };
    // The header, the rows, a blank row and the note.
    assert_eq!(terms_rows(&[]), 1 + 2 + 2, "the shards' --sheet-rows");
    assert_eq!(terms_rows(&["--sheet-rows", "3"]), 1 + 3 + 2, "merge's own");
}
