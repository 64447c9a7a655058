//! What the binary does with bad settings (stop before any work, exit 2, one line naming the path and
//! the cause) and with bad documents (report, skip, go on).

use std::fs;

use crate::common::*;

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_missing_input_stops_the_run_with_its_path() {
    let out = tempfile::tempdir().unwrap();
    let output = tally(&["run", "no/such/corpus", "--out", out.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("no/such/corpus") && message.contains("No such file"), "{message}");
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn a_reference_with_no_readable_document_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, "").unwrap();
    let out = dir.path().join("reports");
    let output = tally(&["run", "seeds", "--out", out.to_str().unwrap(), "--reference", empty.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("the reference") && message.contains("empty.txt"), "{message}");
    assert!(!out.exists() || fs::read_dir(&out).unwrap().count() == 0, "nothing written");
}

#[test]
fn keyness_needs_words_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let (words, none) = (dir.path().join("words"), dir.path().join("none"));
    fs::create_dir_all(&words).unwrap();
    fs::create_dir_all(&none).unwrap();
    for i in 1..=3 {
        fs::write(words.join(format!("a{i}.txt")), format!(" date 2022-01-0{i} \nzorp blick zorp\n")).unwrap();
    }
    fs::write(none.join("r1.txt"), "!!! ...").unwrap();
    fs::write(none.join("r2.txt"), "\u{2014} \u{2026} \u{2014}").unwrap();
    let path = |p: &std::path::Path| p.display().to_string();
    // A reference of documents without a word: no frequency to compare with, the run stops.
    let out = dir.path().join("reports");
    let output = tally(&["run", &path(&words), "--out", &path(&out), "--format", "csv", "--reference", &path(&none)]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(stderr(&output).contains("hold no words"), "{}", stderr(&output));
    // A corpus without a word against a reference: no item is key (was every item, at infinity).
    run_ok(&[&none], &out, &["--format", "csv", "--reference", &path(&words), "--quiet"]);
    assert_eq!(read_csv(&out.join("keyness.csv")).len(), 0);
}

#[test]
fn an_output_that_is_a_file_or_an_empty_list_of_reports_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    let output = tally(&["run", "seeds", "--out", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("a-file") && message.contains("--out names a folder"), "{message}");
    assert_eq!(fs::read(&file).unwrap(), b"x", "the file is left as it was");
    let out = dir.path().join("reports");
    let output = tally(&["run", "seeds", "--out", out.to_str().unwrap(), "--reports", ""]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--reports: names no report"), "{}", stderr(&output));
    assert!(!out.exists(), "nothing written");
}

#[test]
fn an_unwritable_output_stops_the_run_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    fs::write(&blocker, "x").unwrap();
    let out = blocker.join("reports");
    let output = tally(&["run", "seeds", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("output folder") && message.contains(out.to_str().unwrap()), "{message}");
}

#[test]
fn zero_threads_and_unknown_flags_are_refused() {
    let output = tally(&["run", "--threads", "0"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--threads must be at least 1"));
    let output = tally(&["run", "--no-such-flag"]);
    assert!(!output.status.success());
}

#[test]
fn help_and_version_explain_themselves() {
    let help = tally(&["run", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in ["--out", "--threads", "PATH", "--quiet"] {
        assert!(text.contains(flag), "run --help lacks {flag}: {text}");
    }
    let version = tally(&["--version"]);
    assert_eq!(String::from_utf8_lossy(&version.stdout).trim(), format!("tally {}", env!("CARGO_PKG_VERSION")));
    assert!(String::from_utf8_lossy(&tally(&["--help"]).stdout).contains("run"));
}

#[test]
fn bad_documents_are_reported_and_skipped_and_the_run_goes_on() {
    let corpus = tempfile::tempdir().unwrap();
    let c = corpus.path();
    fs::write(c.join("good.txt"), " date 2021-03-04 Armenia and Russia met.").unwrap();
    fs::write(c.join("bad-date.txt"), " date 2021-02-30 Armenia met Russia.").unwrap();
    fs::write(c.join("binary.txt"), b"ELF\0\x01\x02").unwrap();
    fs::write(c.join("latin1.txt"), b"Caf\xe9 in Yerevan").unwrap();
    fs::write(c.join("empty.txt"), b"").unwrap();
    fs::write(c.join("notes.md"), "Armenia").unwrap();
    fs::write(c.join("date-alone.txt"), " date 2021-03-04 \n \n").unwrap();
    fs::write(c.join("WINDOWS.TXT"), "Armenia called.").unwrap();
    fs::write(c.join(".hidden.txt"), "Armenia").unwrap();
    fs::create_dir(c.join(".ipynb_checkpoints")).unwrap();
    fs::write(c.join(".ipynb_checkpoints/good-checkpoint.txt"), "Armenia and Russia met.").unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[c], out.path(), &[]);

    let m = read_manifest(out.path());
    let skipped: Vec<(String, String)> = m["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().rsplit('/').next().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let reason = |name: &str| {
        skipped
            .iter()
            .find(|(p, _)| p == name)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{name} not skipped: {skipped:?}"))
    };
    assert!(reason("binary.txt").contains("binary"));
    assert!(reason("latin1.txt").contains("UTF-8"));
    assert!(reason("empty.txt").contains("empty"));
    assert!(reason("notes.md").contains(".txt"));
    assert!(reason("date-alone.txt").contains("empty"), "as a record with an empty text is");
    assert!(reason(".hidden.txt").contains("hidden"));
    assert!(reason(".ipynb_checkpoints").contains("hidden"), "a hidden folder, not each file in it");
    assert_eq!(skipped.len(), 7);
    let warnings = m["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0]["path"].as_str().unwrap().ends_with("bad-date.txt"));
    assert!(warnings[0]["message"].as_str().unwrap().contains("2021-02-30"));

    let docs = read_csv(&out.path().join("documents.csv"));
    let dates: Vec<(&str, &str)> = docs.iter().map(|d| (d["doc"].as_str(), d["date"].as_str())).collect();
    assert_eq!(dates, [("WINDOWS.TXT", ""), ("bad-date.txt", ""), ("good.txt", "2021-03-04")]);
    let terms = read_csv(&out.path().join("terms.csv"));
    assert!(terms.iter().all(|t| t["term"] != "date" && !t["term"].starts_with("2021")), "the header is not text");
    assert_eq!(terms.iter().find(|t| t["term"] == "armenia").unwrap()["documents"], "3");
}

#[test]
fn every_kind_of_line_break_ends_a_sentence() {
    let corpus = tempfile::tempdir().unwrap();
    let breaks = [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r"), ("vt", "\u{0B}"), ("ff", "\u{0C}")];
    let separators = [("nel", "\u{85}"), ("line", "\u{2028}"), ("paragraph", "\u{2029}")];
    for (name, br) in breaks.iter().chain(&separators) {
        let text = format!(" date 2022-10-30{br}We met in Paris{br}Berlin is far away{br}");
        fs::write(corpus.path().join(format!("{name}.txt")), text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], out.path(), &[]);
    let ngrams = read_csv(&out.path().join("ngrams.csv"));
    assert!(!ngrams.is_empty() && ngrams.iter().all(|g| g["count"] == "8"), "the same n-grams in each: {ngrams:?}");
    assert!(ngrams.iter().all(|g| g["ngram"] != "paris berlin"), "no n-gram across a line break");
    let mentions = read_csv(&out.path().join("mentions.csv"));
    let sentences: Vec<(&str, &str)> = mentions.iter().map(|m| (m["text"].as_str(), m["sentence"].as_str())).collect();
    assert_eq!(sentences, [("Paris", "0"), ("Berlin", "1")].repeat(8));
    let docs = read_csv(&out.path().join("documents.csv"));
    assert!(docs.iter().all(|d| d["date"] == "2022-10-30"), "the header ends at any line break: {docs:?}");
}

#[test]
fn a_file_given_directly_is_read_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("article.text");
    fs::write(&file, "Sergei Lavrov met Ararat Mirzoyan in Moscow.").unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&file], out.path(), &[]);
    let docs = read_csv(&out.path().join("documents.csv"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["doc"], "article.text");
    assert_eq!(docs[0]["date"], "");
}

#[test]
fn json_lines_documents_count_like_files() {
    let seed = fs::read_to_string(repo().join("seeds/000_aebbe86fdfef1214.txt")).unwrap();
    let header = tally::corpus::parse_header(&seed);
    let line = serde_json::json!({"id": "000_aebbe86fdfef1214.txt", "date": "2022-10-27T09:30:00Z", "text": &seed[header.body_start..]});
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("corpus.jsonl");
    fs::write(&file, format!("{line}\n\nnot json\n{{\"title\": \"no text\"}}\n")).unwrap();
    let (from_jsonl, from_files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_ok(&[&file], from_jsonl.path(), &[]);
    run_ok(&[&repo().join("seeds")], from_files.path(), &[]);
    for name in ["terms.csv", "actors.csv", "actor_timeline.csv"] {
        assert_eq!(
            fs::read_to_string(from_jsonl.path().join(name)).unwrap(),
            fs::read_to_string(from_files.path().join(name)).unwrap(),
            "{name}"
        );
    }
    let m = read_manifest(from_jsonl.path());
    let skipped: Vec<&str> = m["skipped"].as_array().unwrap().iter().map(|s| s["path"].as_str().unwrap()).collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].ends_with("corpus.jsonl:3") && skipped[1].ends_with("corpus.jsonl:4"), "{skipped:?}");
    let mentions = read_csv(&from_jsonl.path().join("mentions.csv"));
    let text = &seed[header.body_start..];
    for m in &mentions {
        let (start, end): (usize, usize) = (m["start"].parse().unwrap(), m["end"].parse().unwrap());
        assert_eq!(&text[start..end], m["text"], "offsets are into the text field");
    }
}

#[test]
fn compressed_documents_are_read_and_a_truncated_one_is_skipped() {
    let seed = fs::read(repo().join("seeds/000_aebbe86fdfef1214.txt")).unwrap();
    let corpus = tempfile::tempdir().unwrap();
    let c = corpus.path();
    // Two gzip members, as `cat a.gz b.gz` makes: the whole text must be read, not the first member.
    let (head, tail) = seed.split_at(seed.len() / 2);
    fs::write(c.join("a.txt.gz"), [gzip(head), gzip(tail)].concat()).unwrap();
    fs::write(c.join("b.txt.zst"), zstd::encode_all(&seed[..], 3).unwrap()).unwrap();
    let whole = gzip(&seed);
    fs::write(c.join("c.txt.gz"), &whole[..whole.len() / 2]).unwrap();
    let line = serde_json::json!({"id": "j", "text": "Armenia and Russia"});
    fs::write(c.join("d.jsonl.gz"), gzip(format!("{line}\n").as_bytes())).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[c], out.path(), &[]);

    let docs = read_csv(&out.path().join("documents.csv"));
    let ids: Vec<&str> = docs.iter().map(|d| d["doc"].as_str()).collect();
    assert_eq!(ids, ["a.txt.gz", "b.txt.zst", "j"]);
    for d in &docs[..2] {
        assert_eq!(d["bytes"], seed.len().to_string(), "{d:?}");
        assert_eq!(d["date"], "2022-10-27");
    }
    let m = read_manifest(out.path());
    let skipped = m["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0]["path"].as_str().unwrap().ends_with("c.txt.gz"));
    assert!(skipped[0]["reason"].as_str().unwrap().starts_with("cannot read"), "{skipped:?}");
}

#[test]
fn a_dash_reads_one_document_from_standard_input() {
    let out = tempfile::tempdir().unwrap();
    let output = assert_cmd::Command::cargo_bin("tally")
        .unwrap()
        .args(["run", "-", "--out", out.path().to_str().unwrap(), "--quiet"])
        .write_stdin(" date 2022-10-27T08:00:00Z Sergei Lavrov met Ararat Mirzoyan in Yerevan.")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let docs = read_csv(&out.path().join("documents.csv"));
    assert_eq!((docs[0]["doc"].as_str(), docs[0]["date"].as_str()), ("stdin", "2022-10-27"));
    let actors: Vec<String> = read_csv(&out.path().join("actors.csv")).iter().map(|a| a["actor"].clone()).collect();
    assert!(actors.contains(&"Sergei Lavrov".to_string()) && actors.contains(&"Yerevan".to_string()), "{actors:?}");
}

#[cfg(unix)]
#[test]
fn broken_links_and_link_loops_are_reported_and_skipped() {
    let corpus = tempfile::tempdir().unwrap();
    let c = corpus.path();
    fs::write(c.join("good.txt"), "Armenia").unwrap();
    std::os::unix::fs::symlink(c.join("missing.txt"), c.join("broken.txt")).unwrap();
    fs::create_dir(c.join("sub")).unwrap();
    std::os::unix::fs::symlink(c, c.join("sub/loop")).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[c], out.path(), &[]);
    assert_eq!(read_csv(&out.path().join("documents.csv")).len(), 1);
    let m = read_manifest(out.path());
    let reasons: Vec<String> =
        m["skipped"].as_array().unwrap().iter().map(|s| format!("{} {}", s["path"], s["reason"])).collect();
    assert!(reasons.iter().any(|r| r.contains("broken.txt")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("loop")), "{reasons:?}");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_read_with_a_warning() {
    use std::os::unix::ffi::OsStrExt;
    let corpus = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(corpus.path().join(name), "Armenia and Russia").unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], out.path(), &[]);
    let docs = read_csv(&out.path().join("documents.csv"));
    assert_eq!(docs[0]["doc"], "caf\u{fffd}.txt");
    let m = read_manifest(out.path());
    let warnings = m["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0]["message"].as_str().unwrap().contains("not valid UTF-8"), "{warnings:?}");
}

#[test]
fn csv_and_tsv_records_and_named_fields_are_documents() {
    let corpus = tempfile::tempdir().unwrap();
    let c = corpus.path();
    // The shape of the Wikinews source files: url,date,title,text, with quoted multi-line text.
    fs::write(
        c.join("a.csv"),
        "url,date,title,text\nhttp://x/1,2020-05-01,One,\"Armenia and Russia met.\nSergei Lavrov spoke.\"\nhttp://x/2,not a date,Two,\"Azerbaijan, again\"\n",
    )
    .unwrap();
    fs::write(c.join("b.tsv"), "id\ttext\nt1\tNATO met in Brussels\n").unwrap();
    fs::write(c.join("c.csv"), "title,body\nx,Armenia\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[c], out.path(), &[]);
    let docs = read_csv(&out.path().join("documents.csv"));
    let ids: Vec<(&str, &str)> = docs.iter().map(|d| (d["doc"].as_str(), d["date"].as_str())).collect();
    assert_eq!(ids, [("a.csv:2", "2020-05-01"), ("a.csv:4", ""), ("t1", "")]);
    let m = read_manifest(out.path());
    assert!(m["warnings"][0]["path"].as_str().unwrap().ends_with("a.csv:4"), "{}", m["warnings"]);
    let skipped = m["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert!(
        skipped[0]["reason"].as_str().unwrap().contains("no `text` column in the header (columns: title, body)"),
        "{skipped:?}"
    );

    // Named fields: the same CSV read by its `body` column, and JSON Lines by other names.
    fs::write(
        c.join("d.jsonl"),
        "{\"headline\": \"x\", \"body\": \"Armenia again\", \"published\": \"2021-01-02T10:00:00Z\", \"uid\": 7}\n",
    )
    .unwrap();
    let named = tempfile::tempdir().unwrap();
    run_ok(
        &[&c.join("c.csv"), &c.join("d.jsonl")],
        named.path(),
        &["--text-field", "body", "--date-field", "published", "--id-field", "uid"],
    );
    let docs = read_csv(&named.path().join("documents.csv"));
    let ids: Vec<(&str, &str)> = docs.iter().map(|d| (d["doc"].as_str(), d["date"].as_str())).collect();
    assert_eq!(ids, [("c.csv:2", ""), ("7", "2021-01-02")]);
}

#[test]
fn quiet_prints_nothing_and_verbose_lists_what_was_skipped() {
    let corpus = tempfile::tempdir().unwrap();
    fs::write(corpus.path().join("a.txt"), "Sergei Lavrov met Ararat Mirzoyan in Yerevan.").unwrap();
    fs::write(corpus.path().join("b.txt"), b"\xe9t\xe9").unwrap();
    let out = tempfile::tempdir().unwrap();
    let quiet = run_ok(&[corpus.path()], out.path(), &["--quiet"]);
    assert!(quiet.stderr.is_empty() && quiet.stdout.is_empty(), "{}", String::from_utf8_lossy(&quiet.stderr));
    let verbose = String::from_utf8(run_ok(&[corpus.path()], out.path(), &["--verbose"]).stderr).unwrap();
    assert!(
        verbose.lines().any(|l| l.starts_with("tally: skipped ") && l.contains("b.txt") && l.contains("UTF-8")),
        "{verbose}"
    );
    assert!(verbose.contains("most mentioned: Ararat Mirzoyan (person, 1)"), "{verbose}");
    assert!(verbose.contains("1 skipped, 0 warnings (listed above and in manifest.json)"), "{verbose}");
    // Ties by term; "in" is a stopword; five at most, so "yerevan" is left out.
    assert!(verbose.contains("top terms: ararat (1), lavrov (1), met (1), mirzoyan (1), sergei (1)\n"), "{verbose}");
    let plain = String::from_utf8(run_ok(&[corpus.path()], out.path(), &[]).stderr).unwrap();
    assert!(!plain.contains("tally: skipped "), "{plain}");
    assert!(plain.contains("1 skipped, 0 warnings (listed in manifest.json; --verbose prints them)"), "{plain}");
    assert!(plain.contains("tally: 1 of 1 document has no date"), "{plain}");
    assert_eq!(read_manifest(out.path())["undated"], 1);
    // One document of seven words, seven terms, three actors named once each: singular where one.
    assert!(plain.contains("tally: 1 document, 0.0 MB, 7 words, 7 terms, 3 actors (3 mentions) in "), "{plain}");
}

#[test]
fn parquet_rows_are_documents() {
    use polars::prelude::*;
    let corpus = tempfile::tempdir().unwrap();
    let c = corpus.path();
    let dates = Series::new("date".into(), [Some(19_292), None]).into_date().into_column();
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("id".into(), [10i64, 11]),
        dates,
        Column::new("title".into(), ["a", "b"]),
        Column::new("text".into(), ["Sergei Lavrov met Ararat Mirzoyan.", "Armenia and Russia"]),
    ])
    .unwrap();
    ParquetWriter::new(fs::File::create(c.join("a.parquet")).unwrap()).finish(&mut df).unwrap();
    let mut no_text = DataFrame::new_infer_height(vec![Column::new("body".into(), ["x"])]).unwrap();
    ParquetWriter::new(fs::File::create(c.join("b.parquet")).unwrap()).finish(&mut no_text).unwrap();
    // A timestamp with a time zone, as pandas' `utc=True` writes it: 2022-10-28T23:30:00Z.
    let utc = DataType::Datetime(TimeUnit::Microseconds, Some(TimeZone::UTC));
    let stamps = Series::new("date".into(), [1_666_999_800_000_000i64]).cast(&utc).unwrap().into_column();
    let mut zoned = DataFrame::new_infer_height(vec![
        Column::new("id".into(), ["12"]),
        stamps,
        Column::new("text".into(), ["Armenia"]),
    ])
    .unwrap();
    ParquetWriter::new(fs::File::create(c.join("c.parquet")).unwrap()).finish(&mut zoned).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[c], out.path(), &[]);
    let docs = read_csv(&out.path().join("documents.csv"));
    let ids: Vec<(&str, &str)> = docs.iter().map(|d| (d["doc"].as_str(), d["date"].as_str())).collect();
    assert_eq!(ids, [("10", "2022-10-27"), ("11", ""), ("12", "2022-10-28")]);
    let m = read_manifest(out.path());
    let skipped = m["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0]["reason"].as_str().unwrap().contains("no `text` column (columns: body)"), "{skipped:?}");
}

#[test]
fn a_long_document_on_one_line_is_counted() {
    // No line break in 1.6 MB: each name used to look for its line's ends across the whole text.
    let corpus = tempfile::tempdir().unwrap();
    let sentence = "Sergei Lavrov met Ararat Mirzoyan in Yerevan and the CSTO said so. ";
    fs::write(corpus.path().join("one-line.txt"), sentence.repeat(24_000)).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], out.path(), &["--format", "csv"]);
    let actors = read_csv(&out.path().join("actors.csv"));
    let mentions = |name: &str| actors.iter().find(|a| a["actor"] == name).map(|a| a["mentions"].clone());
    assert_eq!(mentions("Sergei Lavrov"), Some("24000".to_string()));
    assert_eq!(mentions("CSTO"), Some("24000".to_string()));
}

#[test]
fn a_long_parquet_file_is_read_in_slices_with_every_row_in_order() {
    use polars::prelude::*;
    let corpus = tempfile::tempdir().unwrap();
    // 20,000 rows: three slices of the reader, in several row groups of the file.
    let n = 20_000;
    let ids: Vec<String> = (0..n).map(|i| format!("r{i}")).collect();
    let texts: Vec<String> = (0..n).map(|i| format!("Armenia row {i}")).collect();
    let mut df =
        DataFrame::new_infer_height(vec![Column::new("id".into(), ids.clone()), Column::new("text".into(), texts)])
            .unwrap();
    let file = fs::File::create(corpus.path().join("long.parquet")).unwrap();
    ParquetWriter::new(file).with_row_group_size(Some(3000)).finish(&mut df).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], out.path(), &["--format", "csv"]);
    let docs = read_csv(&out.path().join("documents.csv"));
    let got: Vec<&str> = docs.iter().map(|d| d["doc"].as_str()).collect();
    assert_eq!(got, ids);
    let terms = read_csv(&out.path().join("terms.csv"));
    let armenia = terms.iter().find(|t| t["term"] == "armenia").unwrap();
    assert_eq!(armenia["count"], n.to_string());
}

#[test]
fn the_rows_of_many_documents_are_written_as_they_are_counted_every_one_in_order() {
    use polars::prelude::*;
    // 70,000 documents: their rows and kwic lines leave the counts batch by batch and are written
    // 16,384 or more at a time, and a slice of them (at most 65,536 rows) at a time; what the reports compute from them (N, the words of
    // each period) must still cover every document. A third have no date.
    let n = 70_000;
    let corpus = tempfile::tempdir().unwrap();
    let dates = ["2022-10-27", "2022-11-03", ""];
    let lines: Vec<String> = (0..n)
        .map(|i| {
            serde_json::json!({"id": format!("d{i:05}"), "date": dates[i % 3], "text": format!("Armenia w{}.", i % 7)})
                .to_string()
        })
        .collect();
    fs::write(corpus.path().join("many.jsonl"), lines.join("\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], out.path(), &["--format", "csv,parquet", "--kwic", "armenia"]);
    let docs = read_csv(&out.path().join("documents.csv"));
    assert_eq!(docs.len(), n);
    // Each document's one "Armenia", in context, in reading order: as many lines as documents.
    let kwic = read_csv(&out.path().join("kwic.csv"));
    assert_eq!(kwic.len(), n);
    assert!(kwic.iter().enumerate().all(|(i, k)| k["doc"] == format!("d{i:05}") && k["match"] == "Armenia"));
    for (i, d) in docs.iter().enumerate() {
        assert_eq!((d["doc"].as_str(), d["date"].as_str()), (format!("d{i:05}").as_str(), dates[i % 3]));
    }
    let file = fs::File::open(out.path().join("documents.parquet")).unwrap();
    let df = ParquetReader::new(file).finish().unwrap();
    assert_eq!(df.column("doc").unwrap().str().unwrap().get(n - 1), Some(format!("d{:05}", n - 1).as_str()));
    assert_eq!(df.height(), n);
    assert_eq!(read_manifest(out.path())["documents"], n);
    let terms = read_csv(&out.path().join("terms.csv"));
    let armenia = terms.iter().find(|t| t["term"] == "armenia").unwrap();
    assert_eq!((armenia["documents"].as_str(), armenia["documents_share"].as_str()), ("70000", "1"));
    // Each month's words: October's 23,334 documents of 2 words each; "armenia" is half of them.
    let timeline = read_csv(&out.path().join("term_timeline.csv"));
    let october = timeline.iter().find(|t| t["term"] == "armenia" && t["period"] == "2022-10-01").unwrap();
    assert_eq!((october["count"].as_str(), october["per_million"].as_str()), ("23334", "500000"));
}

#[test]
fn a_progress_bar_only_on_a_terminal() {
    // `script` gives the run a terminal; without it, stderr is a pipe.
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` is not installed");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let tally = assert_cmd::cargo::cargo_bin("tally");
    let command = format!("{} run seeds --out {}", tally.display(), out.path().display());
    let typescript = out.path().join("typescript");
    let status = std::process::Command::new("script")
        .args(["-qc", &command, typescript.to_str().unwrap()])
        .current_dir(repo())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let screen = String::from_utf8_lossy(&fs::read(&typescript).unwrap()).into_owned();
    assert!(screen.contains("1/1 documents") && screen.contains("MB/s"), "{screen}");
    let piped = String::from_utf8(run_ok(&[&repo().join("seeds")], out.path(), &[]).stderr).unwrap();
    assert!(!piped.contains("1/1 documents") && !piped.contains('\r'), "{piped}");
}

#[test]
fn shell_completions_know_the_commands_and_flags() {
    for shell in ["bash", "zsh", "fish"] {
        let output = tally(&["completions", shell]);
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for word in ["run", "actors", "text-field", "threads"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    assert!(!tally(&["completions", "cmd.exe"]).status.success());
}

#[test]
fn tally_toml_in_the_working_folder_holds_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/a.txt"), "Sergei Lavrov met Ararat Mirzoyan.").unwrap();
    fs::write(dir.path().join("tally.toml"), "paths = [\"docs\"]\nout = \"out\"\nquiet = true\n").unwrap();
    let run = |args: &[&str]| tally_in(dir.path(), args);
    let output = run(&["run"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty(), "quiet = true in the file");
    assert_eq!(read_csv(&dir.path().join("out/documents.csv"))[0]["doc"], "a.txt");
    assert_eq!(read_manifest(&dir.path().join("out"))["settings"]["settings_file"], "tally.toml");
    // A flag wins over the file.
    assert!(run(&["run", "--out", "elsewhere"]).status.success());
    assert!(dir.path().join("elsewhere/documents.csv").exists());
    // A repeatable setting given one string is that one value, as one flag gives it.
    fs::write(
        dir.path().join("tally.toml"),
        "paths = \"docs\"\nkwic = \"sergei lavrov\"\nout = \"one\"\nquiet = true\n",
    )
    .unwrap();
    let output = run(&["run"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(read_csv(&dir.path().join("one/kwic.csv"))[0]["match"], "Sergei Lavrov");
    // An unknown setting stops the run before any work, naming the file and the key.
    fs::write(dir.path().join("tally.toml"), "outt = \"x\"\n").unwrap();
    let output = run(&["run"]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("settings file tally.toml") && message.contains("outt"), "{message}");
}

#[test]
fn format_chooses_the_files_written() {
    let seeds = repo().join("seeds");
    let cases = [
        ("csv", true, false, false, false),
        ("parquet", false, true, false, false),
        ("xlsx", false, false, true, false),
        ("html,parquet,csv", true, true, false, true),
        ("", true, true, true, true),
    ];
    for (format, csv, parquet, xlsx, html) in cases {
        let out = tempfile::tempdir().unwrap();
        let flags: &[&str] = if format.is_empty() { &[] } else { &["--format", format] };
        run_ok(&[&seeds], out.path(), flags);
        for name in ["terms", "mentions", "actor_pairs"] {
            assert_eq!(out.path().join(format!("{name}.csv")).exists(), csv, "{format}: {name}.csv");
            assert_eq!(out.path().join(format!("{name}.parquet")).exists(), parquet, "{format}: {name}.parquet");
        }
        assert_eq!(out.path().join("tally.xlsx").exists(), xlsx, "{format}: tally.xlsx");
        assert_eq!(out.path().join("report.html").exists(), html, "{format}: report.html");
        assert!(out.path().join("manifest.json").exists());
        assert_eq!(
            fs::read_dir(out.path()).unwrap().count(),
            1 + default_reports().len() * (usize::from(csv) + usize::from(parquet))
                + usize::from(xlsx)
                + usize::from(html),
            "{format}"
        );
    }
    assert!(!tally(&["run", "--format", "pdf"]).status.success());
}

/// Checks that the folder `out` holds exactly the set its manifest lists: the same files, each of
/// the size and SHA-256 listed (computed here, as `sha256sum` would).
fn assert_whole_set(out: &std::path::Path, context: &str) {
    use sha2::Digest;
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("manifest.json is whole JSON");
    let mut listed: Vec<String> = vec!["manifest.json".into()];
    for file in manifest["reports"].as_array().unwrap() {
        let name = file["name"].as_str().unwrap();
        let bytes = fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name} listed but {e} ({context})"));
        assert_eq!(bytes.len() as u64, file["bytes"].as_u64().unwrap(), "{name}: size ({context})");
        let digest: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(digest, file["sha256"].as_str().unwrap(), "{name}: SHA-256 ({context})");
        listed.push(name.to_string());
    }
    listed.sort();
    let mut present: Vec<String> =
        fs::read_dir(out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    present.sort();
    assert_eq!(present, listed, "the folder holds other files than its manifest lists ({context})");
}

#[test]
fn a_run_killed_at_any_moment_leaves_every_report_whole() {
    // Reports of a small corpus (old) are in the folder; runs over a larger one (new) write into it
    // and are killed (SIGKILL) at random moments over their length. The folder must then hold the
    // whole old set or the whole new one, never a mix: each CSV is the old one or the new one, all
    // alike, and the manifest lists exactly the files there, with their sizes and digests.
    let corpus = tempfile::tempdir().unwrap();
    let (small, large) = (corpus.path().join("small"), corpus.path().join("large"));
    fs::create_dir_all(&small).unwrap();
    fs::create_dir_all(&large).unwrap();
    let people = ["Sergei Lavrov", "Ararat Mirzoyan", "Nikol Pashinyan", "Josep Borrell"];
    for i in 0..3000 {
        let text = format!(
            " date 2022-{:02}-01 \n{} met {} in Yerevan. Armenia, Russia and the CSTO talked of item {i}.\n",
            1 + i % 12,
            people[i % 4],
            people[(i + 1) % 4]
        );
        let folder = if i < 5 { &small } else { &large };
        fs::write(folder.join(format!("doc{i:04}.txt")), text).unwrap();
    }
    let paths = [small.display().to_string(), large.display().to_string()];
    let old = tempfile::tempdir().unwrap();
    run_ok(&[&small], old.path(), &["--quiet"]);
    let new = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    run_ok(&[&small, &large], new.path(), &["--quiet"]);
    let length = started.elapsed();
    let reports = csv_names(new.path());
    assert!(reports.len() >= 10, "{reports:?}");

    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    // Runs a kill `after` the start; whether the new reports had landed.
    let kill_after = |after: std::time::Duration| -> bool {
        run_ok(&[&small], &out, &["--quiet"]);
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tally"))
            .current_dir(repo())
            .args(["run", &paths[0], &paths[1], "--quiet", "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(after);
        let _ = child.kill(); // SIGKILL; it may have finished already
        child.wait().unwrap();
        let context = format!("a kill at {after:?} of a {length:?} run");
        let landed: Vec<bool> = reports
            .iter()
            .map(|name| {
                let now = fs::read(out.join(name)).unwrap();
                let (was, whole) = (fs::read(old.path().join(name)).unwrap(), fs::read(new.path().join(name)).unwrap());
                assert!(now == was || now == whole, "{name} is torn after {context}");
                now == whole && now != was
            })
            .collect();
        assert!(landed.iter().all(|&l| l == landed[0]), "old and new reports mixed after {context}");
        assert_whole_set(&out, &context);
        landed[0]
    };
    // Random moments over the run (the seed is printed to replay a failure), then later ones until
    // one lands: on a busy machine a run can take longer than the one timed.
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    eprintln!("kill test seed {seed}");
    let mut state = seed;
    let mut random = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1000) as u32
    };
    let mut landed: Vec<bool> = (0..12).map(|_| kill_after(length * random() / 800)).collect();
    let mut wait = length * 2;
    while !landed.contains(&true) && wait < length * 20 {
        landed.push(kill_after(wait));
        wait *= 2;
    }
    landed.push(kill_after(std::time::Duration::ZERO));
    let outcomes = (landed.iter().filter(|&&l| !l).count(), landed.iter().filter(|&&l| l).count());
    // The moments spread over the run: some kills came before the new reports, some after.
    assert!(outcomes.0 > 0 && outcomes.1 > 0, "killed before / after the reports landed: {outcomes:?}");
    // The next run clears what the killed ones left, in the folder and beside it.
    run_ok(&[&small], &out, &["--quiet"]);
    assert_whole_set(&out, "the run after the kills");
    let beside: Vec<String> =
        fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(beside, ["out"], "left beside the output folder");
}

/// The skipped entries of a run's manifest as (path, reason).
fn skipped_entries(out: &std::path::Path) -> Vec<(String, String)> {
    let m = read_manifest(out);
    m["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap().to_string(), s["reason"].as_str().unwrap().to_string()))
        .collect()
}

fn doc_ids(out: &std::path::Path) -> Vec<String> {
    read_csv(&out.join("documents.csv")).iter().map(|d| d["doc"].clone()).collect()
}

#[test]
fn a_csv_quote_that_never_closes_loses_its_record_and_no_other() {
    let corpus = tempfile::tempdir().unwrap();
    let c = corpus.path();
    // The quote opened on line 2 is closed by the next quote, on line 4, and text follows it.
    let text = "id,text\na,\"unterminated Athens\nb,Athens hosts the summit\nc,\"Yerevan, \"\"too\"\"\"\n";
    fs::write(c.join("a.csv"), text).unwrap();
    // No quote after it: the field is open at the end of the file. Compressed, the file is opened
    // again and read from the line after the broken record.
    let text = "id\ttext\nx\t\"unterminated Athens\nb\tAthens hosts the summit\nc\tYerevan, \"too\"\n";
    fs::write(c.join("b.tsv.gz"), gzip(text.as_bytes())).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[c], out.path(), &["--format", "csv"]);
    assert_eq!(doc_ids(out.path()), ["b", "c", "b", "c"]);
    let skipped = skipped_entries(out.path());
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    for ((path, reason), name) in skipped.iter().zip(["a.csv", "b.tsv.gz"]) {
        assert!(path.ends_with(&format!("{name}:2")), "{path}");
        assert!(reason.contains("opened on line 2") && reason.contains("unmatched"), "{reason}");
        assert!(reason.contains("reading goes on at line 3"), "{reason}");
    }
    let terms = read_csv(&out.path().join("terms.csv"));
    let athens = terms.iter().find(|t| t["term"] == "athens").unwrap();
    assert_eq!(athens["count"], "2", "only the valid rows' Athens");
}

#[test]
fn a_csv_record_with_more_fields_than_the_header_is_skipped_and_one_with_fewer_read() {
    let corpus = tempfile::tempdir().unwrap();
    let c = corpus.path();
    // Line 3 has a comma in its unquoted text: its fields are misaligned with the header's.
    let text =
        "id,date,text,source\na,2022-01-01,Athens hosts,wire\nb,2022-01-02,Athens, Yerevan,wire\nc,2022-01-03,Athens\n";
    fs::write(c.join("a.csv"), text).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[c], out.path(), &["--format", "csv"]);
    assert_eq!(doc_ids(out.path()), ["a", "c"]);
    let skipped = skipped_entries(out.path());
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].0.ends_with("a.csv:3"), "{skipped:?}");
    assert!(skipped[0].1.contains("5 fields where the header has 4"), "{skipped:?}");
    // A header and no record: skipped, and said so; not a header and a record that cannot be read,
    // nor a trailing separator's empty field.
    fs::write(c.join("b.csv"), "id,date,text,source\n").unwrap();
    fs::write(c.join("d.csv"), "id,date,text,source\nd,2022-01-04,\"open quote\n").unwrap();
    fs::write(c.join("e.csv"), "id,date,text,source\ne,2022-01-05,Athens,wire,\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[c], out.path(), &["--format", "csv"]);
    let skipped = skipped_entries(out.path());
    assert!(
        skipped.iter().any(|(path, reason)| path.ends_with("b.csv") && reason == "no record after the header"),
        "{skipped:?}"
    );
    let d: Vec<&(String, String)> = skipped.iter().filter(|(path, _)| path.contains("d.csv")).collect();
    assert!(d.len() == 1 && d[0].1.contains("unmatched"), "only the broken record: {skipped:?}");
    assert!(doc_ids(out.path()).contains(&"e".to_string()), "a trailing separator is no extra field");
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
    for unit in text.encode_utf16() {
        bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
    }
    bytes
}

#[test]
fn a_byte_order_mark_is_not_text_and_utf16_files_are_read() {
    let corpus = tempfile::tempdir().unwrap();
    let c = corpus.path();
    let bom = |text: &str| format!("\u{feff}{text}");
    fs::write(c.join("a.jsonl"), bom("{\"id\":\"j1\",\"text\":\"Armenia\"}\n{\"id\":\"j2\",\"text\":\"Russia\"}\n"))
        .unwrap();
    fs::write(c.join("b.txt"), bom(" date 2022-10-27 Armenia and Russia")).unwrap();
    fs::write(c.join("c.csv"), bom("id,text\nc1,Armenia\n")).unwrap();
    fs::write(c.join("d.txt"), utf16(" date 2022-10-28 Ереван and Yerevan", false)).unwrap();
    fs::write(c.join("e.jsonl"), utf16("{\"id\":\"e1\",\"text\":\"Armenia\",\"date\":\"2022-10-29\"}\n", true))
        .unwrap();
    fs::write(c.join("f.tsv.gz"), gzip(&utf16("id\ttext\nf1\tArmenia\n", false))).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[c], out.path(), &["--format", "csv"]);
    assert_eq!(skipped_entries(out.path()), []);
    let docs = read_csv(&out.path().join("documents.csv"));
    let got: Vec<(&str, &str)> = docs.iter().map(|d| (d["doc"].as_str(), d["date"].as_str())).collect();
    assert_eq!(
        got,
        [
            ("j1", ""),
            ("j2", ""),
            ("b.txt", "2022-10-27"),
            ("c1", ""),
            ("d.txt", "2022-10-28"),
            ("e1", "2022-10-29"),
            ("f1", "")
        ]
    );
    let terms = read_csv(&out.path().join("terms.csv"));
    assert!(terms.iter().all(|t| t["term"] != "date" && !t["term"].starts_with("2022")), "a header read as text");
    assert!(terms.iter().any(|t| t["term"] == "ереван"), "UTF-16 text not read");

    let stdin = tempfile::tempdir().unwrap();
    let output = assert_cmd::Command::cargo_bin("tally")
        .unwrap()
        .args(["run", "-", "--out", stdin.path().to_str().unwrap(), "--quiet", "--format", "csv"])
        .write_stdin(bom(" date 2022-10-27 Armenia"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(read_csv(&stdin.path().join("documents.csv"))[0]["date"], "2022-10-27");
}

#[test]
fn a_corrupt_row_group_loses_its_own_rows_and_dictionary_encoded_text_is_read() {
    // Made by tests/fixtures/make_parquet.py (pyarrow): 4 row groups of 5 rows, the third with a
    // data page overwritten; and a pandas `category` text column.
    let corpus = tempfile::tempdir().unwrap();
    for name in ["row_groups_one_corrupt.parquet", "category.parquet"] {
        fs::copy(repo().join("tests/fixtures").join(name), corpus.path().join(name)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], out.path(), &["--format", "csv"]);
    let mut want = vec!["c1".to_string(), "c2".into(), "c3".into()];
    want.extend([1, 2, 4].iter().flat_map(|g| (1..=5).map(move |r| format!("g{g}r{r}"))));
    assert_eq!(doc_ids(out.path()), want);
    let skipped = skipped_entries(out.path());
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    let (path, reason) = &skipped[0];
    assert!(path.ends_with("row_groups_one_corrupt.parquet:11"), "{path}");
    assert!(reason.contains("row group 3 of 4") && reason.contains("rows 11 to 15 (5 rows)"), "{reason}");
    let terms = read_csv(&out.path().join("terms.csv"));
    assert_eq!(terms.iter().find(|t| t["term"] == "armenia").unwrap()["count"], "18");
}

#[test]
fn a_document_over_max_document_bytes_is_skipped_naming_the_flag() {
    use polars::prelude::*;
    let corpus = tempfile::tempdir().unwrap();
    let c = corpus.path();
    let big = "Armenia ".repeat(250); // 2,000 bytes
    fs::write(c.join("a-big.txt"), &big).unwrap();
    fs::write(c.join("a-small.txt"), "Armenia").unwrap();
    fs::write(c.join("b-big.txt.gz"), gzip(big.repeat(100).as_bytes())).unwrap();
    let line = |id: &str, text: &str| format!("{}\n", serde_json::json!({"id": id, "text": text}));
    fs::write(c.join("c.jsonl"), [line("j1", "Armenia"), line("j2", &big), line("j3", "Armenia")].concat()).unwrap();
    fs::write(c.join("d.csv"), format!("id,text\nr1,Armenia\nr2,\"{big}\n{big}\"\nr4,Armenia\n")).unwrap();
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("id".into(), ["p1", "p2", "p3"]),
        Column::new("text".into(), ["Armenia", big.as_str(), "Armenia"]),
    ])
    .unwrap();
    ParquetWriter::new(fs::File::create(c.join("e.parquet")).unwrap()).finish(&mut df).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[c], out.path(), &["--format", "csv", "--max-document-bytes", "1000"]);
    assert_eq!(doc_ids(out.path()), ["a-small.txt", "j1", "j3", "r1", "r4", "p1", "p3"]);
    let skipped = skipped_entries(out.path());
    let paths: Vec<&str> = skipped.iter().map(|(p, _)| p.rsplit('/').next().unwrap()).collect();
    assert_eq!(paths, ["a-big.txt", "b-big.txt.gz", "c.jsonl:2", "d.csv:3", "e.parquet:2"]);
    for (path, reason) in &skipped {
        assert!(reason.starts_with("larger than --max-document-bytes (1000 bytes"), "{path}: {reason}");
    }
    assert_eq!(read_manifest(out.path())["settings"]["max_document_bytes"], 1000);
}
