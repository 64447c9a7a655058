//! What a new user meets first: the settings file announced, lists written as on the command line,
//! errors in words, the default corpus missing, a mistyped path, a shard's summary, the help.

use std::fs;

use crate::common::{gzip, read_csv, repo, run_ok, shared_corpus, tally, tally_in};

#[test]
fn a_settings_file_is_announced_and_takes_lists_as_the_command_line_does() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/a.txt"), "Sergei Lavrov met Ararat Mirzoyan in Yerevan.").unwrap();
    fs::write(dir.path().join("tally.toml"), "paths = [\"docs\"]\nout = \"out\"\nformat = \"csv, html\"\n").unwrap();
    let output = tally_in(dir.path(), &["run"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.lines().next().unwrap_or("").contains("settings read from tally.toml"), "{stderr}");
    assert!(dir.path().join("out/terms.csv").exists() && dir.path().join("out/report.html").exists());
    assert!(!dir.path().join("out/terms.parquet").exists(), "only the formats listed");
    // Not with --quiet.
    let quiet = tally_in(dir.path(), &["run", "--quiet"]);
    assert!(quiet.status.success() && quiet.stderr.is_empty(), "{}", String::from_utf8_lossy(&quiet.stderr));
}

#[test]
fn a_settings_file_error_names_the_type_expected_in_words() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("tally.toml"), "threads = \"two\"\n").unwrap();
    let output = tally_in(dir.path(), &["run", "--out", "out", &repo().join("seeds").display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("a whole number") && !stderr.contains("usize"), "{stderr}");
    fs::write(dir.path().join("tally.toml"), "format = [\"csv\", \"xml\"]\n").unwrap();
    let output = tally_in(dir.path(), &["run", "--out", "out"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("xml"));
}

#[test]
fn without_a_path_or_the_default_corpus_tally_says_which_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let output = tally_in(dir.path(), &["run"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no PATH given") && stderr.contains("seeds/"), "{stderr}");
    assert!(fs::read_dir(dir.path()).unwrap().next().is_none(), "nothing written");
}

#[test]
fn kwic_says_a_mistyped_path_does_not_exist() {
    let wrong = repo().join("seedz").display().to_string();
    let output = tally(&["kwic", "lavrov", &wrong]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("seedz") && stderr.contains("no such file or folder"), "{stderr}");
    assert!(output.stdout.is_empty(), "no header printed before the error");
    // After a PATH that exists, the one that does not is named.
    let right = repo().join("seeds").display().to_string();
    let output = tally(&["kwic", "lavrov", &right, &wrong]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with(&format!("tally: {wrong}: no such file or folder")), "{stderr}");
    // A term with a slash that names no folder is still a term.
    let output = tally(&["kwic", "9/11", "seeds"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // A word that names nothing is a term, and tally says where it looked for it.
    let output = tally(&["kwic", "lavrov", "seedz"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("looking for lavrov, seedz in seeds/"), "{stderr}");
}

#[test]
fn a_shard_says_it_wrote_partial_tables_for_merge() {
    let out = tempfile::tempdir().unwrap();
    let output = run_ok(&[&repo().join("seeds")], out.path(), &["--shard", "1/2"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("partial tables") && stderr.contains("tally merge"), "{stderr}");
    assert!(!stderr.contains("reports written"), "{stderr}");
}

#[test]
fn the_help_names_every_format_a_run_writes() {
    let help = String::from_utf8(tally(&["--help"]).stdout).unwrap();
    let run = help.lines().find(|l| l.trim_start().starts_with("run ")).unwrap_or("");
    for file in ["CSV", "Parquet", "tally.xlsx", "report.html", "manifest.json"] {
        assert!(run.contains(file), "tally --help's run line names {file}: {run}");
    }
}

/// Runs `tally run - ARGS… --out OUT --format csv --quiet` with `input` on standard input.
fn run_stdin(input: &[u8], out: &std::path::Path, args: &[&str]) -> std::process::Output {
    let o = out.display().to_string();
    let mut all = vec!["run", "-", "--out", o.as_str(), "--format", "csv", "--quiet"];
    all.extend_from_slice(args);
    assert_cmd::Command::cargo_bin("tally").unwrap().current_dir(repo()).args(&all).write_stdin(input).output().unwrap()
}

#[test]
fn standard_input_is_read_in_the_format_named_and_decompressed_by_its_first_bytes() {
    let lines = "{\"id\": \"a\", \"text\": \"Sergei Lavrov met Ararat Mirzoyan.\"}\n\
                 {\"id\": \"b\", \"text\": \"Armenia and Azerbaijan talked in Moscow.\"}\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("docs.jsonl");
    fs::write(&file, lines).unwrap();
    let from_file = dir.path().join("file");
    run_ok(&[&file], &from_file, &["--format", "csv", "--quiet"]);
    let plain = dir.path().join("plain");
    let output = run_stdin(lines.as_bytes(), &plain, &["--input-format", "jsonl"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let terms = |dir: &std::path::Path| fs::read_to_string(dir.join("terms.csv")).unwrap();
    assert_eq!(terms(&plain), terms(&from_file), "two JSON documents, not one text of escapes");
    assert_eq!(fs::read_to_string(plain.join("documents.csv")).unwrap().lines().count(), 3);
    for (name, packed) in [("gzip", gzip(lines.as_bytes())), ("zstd", zstd::encode_all(lines.as_bytes(), 3).unwrap())] {
        let out = dir.path().join(name);
        let output = run_stdin(&packed, &out, &["--input-format", "jsonl"]);
        assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(terms(&out), terms(&from_file), "{name} on standard input");
    }
    // Parquet needs its footer first: refused, nothing written.
    let output = run_stdin(lines.as_bytes(), &dir.path().join("pq"), &["--input-format", "parquet"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Parquet"));
    // A file whose extension says nothing, named as a PATH, is read as the flag says.
    let data = dir.path().join("docs.data");
    fs::write(&data, lines).unwrap();
    let out = dir.path().join("data");
    run_ok(&[&data], &out, &["--format", "csv", "--quiet", "--input-format", "jsonl"]);
    assert_eq!(terms(&out), terms(&from_file));
}

#[test]
fn a_json_file_is_refused_with_how_to_read_it_not_counted_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("itn.json");
    fs::write(&file, r#"[{"d0": "Sergei Lavrov met Ararat Mirzoyan.", "href": "x"}]"#).unwrap();
    let out = dir.path().join("out");
    let o = out.display().to_string();
    let output = tally(&["run", &file.display().to_string(), "--out", &o]);
    assert_eq!(output.status.code(), Some(3), "nothing else to read: {}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("itn.json") && stderr.contains("JSON Lines") && stderr.contains("jq"), "{stderr}");
    assert!(!out.join("terms.csv").exists());
    // Beside other documents it is skipped, with the same reason, and the run goes on.
    fs::write(dir.path().join("a.txt"), "Armenia and Azerbaijan.").unwrap();
    run_ok(&[dir.path()], &out, &["--format", "csv", "--quiet"]);
    let skipped = crate::common::read_manifest(&out)["skipped"].to_string();
    assert!(skipped.contains("itn.json") && skipped.contains("JSON Lines"), "{skipped}");
}

#[test]
fn the_throughput_of_a_run_with_a_reference_counts_the_reference_read_in_the_same_time() {
    let seeds = repo().join("seeds");
    let out = tempfile::tempdir().unwrap();
    let r = seeds.display().to_string();
    let output = run_ok(&[&seeds], out.path(), &["--format", "csv", "--reference", &r]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("tally: reference: 1 document"));
    let m = crate::common::read_manifest(out.path());
    let bytes = m["bytes"].as_f64().unwrap();
    assert_eq!(m["reference"]["bytes"].as_f64().unwrap(), bytes, "the same folder, read as the reference");
    let (mb_per_s, total_s) = (m["throughput"]["mb_per_s"].as_f64().unwrap(), m["stages"]["total_s"].as_f64().unwrap());
    let both = 2.0 * bytes / 1e6 / total_s;
    assert!((mb_per_s - both).abs() <= 0.01 * both, "{mb_per_s} MB/s, the two corpora's {both}");
}

#[test]
fn glob_and_exclude_choose_the_files_of_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    for (file, text) in [
        ("2022/a.txt", "Armenia met Russia."),
        ("2022/b.md", "Azerbaijan talked."),
        ("2022/notes", "Turkey listened."),
        ("drafts/x.txt", "A draft on Lavrov."),
        ("README.txt", "How this corpus was made."),
    ] {
        fs::create_dir_all(c.join(file).parent().unwrap()).unwrap();
        fs::write(c.join(file), text).unwrap();
    }
    let docs = |args: &[&str]| -> Vec<String> {
        let out = tempfile::tempdir().unwrap();
        let mut all = vec!["--format", "csv", "--quiet"];
        all.extend_from_slice(args);
        run_ok(&[&c], out.path(), &all);
        crate::common::read_csv(&out.path().join("documents.csv")).into_iter().map(|r| r["doc"].clone()).collect()
    };
    assert_eq!(docs(&[]), ["2022/a.txt", "README.txt", "drafts/x.txt"]);
    assert_eq!(docs(&["--exclude", "README.txt", "--exclude", "drafts"]), ["2022/a.txt"]);
    // Files chosen by name are read whatever their extension.
    assert_eq!(docs(&["--glob", "2022/*"]), ["2022/a.txt", "2022/b.md", "2022/notes"]);
    assert_eq!(docs(&["--glob", "*.txt", "--exclude", "x.txt"]), ["2022/a.txt", "README.txt"]);
    // A .json file chosen by a glob is still refused without --input-format.
    fs::write(c.join("2022/all.json"), r#"[{"text": "Turkey"}]"#).unwrap();
    assert_eq!(docs(&["--glob", "2022/*"]), ["2022/a.txt", "2022/b.md", "2022/notes"]);
    let output =
        tally(&["run", &c.display().to_string(), "--out", &dir.path().join("o").display().to_string(), "--glob", "["]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`[` is not a glob"));
}

#[test]
fn period_year_counts_the_timelines_by_calendar_year() {
    let dir = tempfile::tempdir().unwrap();
    for (file, date) in [("a.txt", "2021-03-04"), ("b.txt", "2021-11-30"), ("c.txt", "2022-06-01")] {
        fs::write(dir.path().join(file), format!(" date {date} \nArmenia and Russia met in Yerevan.")).unwrap();
    }
    let out = dir.path().join("out");
    run_ok(&[dir.path()], &out, &["--format", "csv,html", "--quiet", "--period", "year"]);
    let rows = crate::common::read_csv(&out.join("actor_timeline.csv"));
    let armenia: Vec<(String, String)> =
        rows.iter().filter(|r| r["actor"] == "Armenia").map(|r| (r["period"].clone(), r["mentions"].clone())).collect();
    assert_eq!(armenia, [("2021-01-01".to_string(), "2".to_string()), ("2022-01-01".to_string(), "1".to_string())]);
    assert_eq!(crate::common::read_manifest(&out)["settings"]["period"], "year");
}

#[test]
fn kwic_takes_a_trailing_slash_for_a_folder() {
    let output = tally(&["kwic", "lavrov", "corpuz/"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("corpuz/: no such file or folder"));
}

#[test]
fn chinese_is_counted_in_words_not_characters() {
    let Some(chinese) = shared_corpus("multilingual/zh_gsd-test.txt") else { return };
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&chinese], out.path(), &["--stopwords", "zh", "--format", "csv", "--reports", "terms"]);
    let terms = read_csv(&out.path().join("terms.csv"));
    let top: Vec<&str> = terms
        .iter()
        .filter(|t| t["is_stopword"] == "false" && t["is_number"] == "false")
        .take(50)
        .map(|t| t["term"].as_str())
        .collect();
    // A character at a time, none would be: now the names of states and the common words are
    // (transliterated foreign names, which no dictionary holds, still come a syllable at a time).
    let words = top.iter().filter(|t| t.chars().count() > 1).count();
    assert!(words >= 20, "words of several characters among the top terms: {top:?}");
    for word in ["美國", "中國", "日本", "成立", "人口"] {
        assert!(top.contains(&word), "{word} among the top terms: {top:?}");
    }
    // The commonest particle is a stopword of the list, counted as itself.
    let de = terms.iter().find(|t| t["term"] == "的").expect("的 is counted");
    assert_eq!(de["is_stopword"], "true");
}

/// A document of a news export: id, date, title, text, source, author.
type ExportRow =
    (&'static str, &'static str, Option<&'static str>, &'static str, Option<&'static str>, Option<&'static str>);

/// Documents with a title, a source and an author, as a news export holds them; the third has no
/// title and a number for its author, the fourth neither source nor author.
const WITH_METADATA: &[ExportRow] = &[
    ("a1", "2022-10-27", Some("Headline Armenia"), "Armenia asked the CSTO for help.", Some("Wire"), Some("Kim")),
    ("a2", "2022-10-28", Some("Talks"), "Azerbaijan and Armenia talked in Brussels.", Some("Daily"), None),
    ("a3", "2022-10-29", None, "Sergei Lavrov said Russia would help Armenia.", Some("Wire"), Some("7")),
    ("a4", "2022-10-30", None, "Moscow and Russia again.", None, None),
];

#[test]
fn csv_json_and_parquet_documents_keep_their_title_and_metadata_and_group_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut jsonl = String::new();
    let mut csv = String::from("id,date,title,text,source,author\n");
    for (id, date, title, text, source, author) in WITH_METADATA {
        let mut doc = serde_json::json!({ "id": id, "date": date, "text": text });
        if let Some(title) = title {
            doc["title"] = (*title).into();
        }
        if let Some(source) = source {
            doc["source"] = (*source).into();
        }
        // A number in JSON is carried as its text.
        if let Some(author) = author {
            doc["author"] = author.parse::<i64>().map_or_else(|_| (*author).into(), serde_json::Value::from);
        }
        jsonl.push_str(&format!("{doc}\n"));
        let field = |v: &Option<&str>| v.unwrap_or("").to_string();
        csv.push_str(&format!("{id},{date},{},{text},{},{}\n", field(title), field(source), field(author)));
    }
    fs::write(dir.path().join("docs.jsonl"), &jsonl).unwrap();
    fs::write(dir.path().join("docs.csv"), &csv).unwrap();
    let flags = ["--meta", "author", "--group-by", "source", "--format", "csv,parquet", "--quiet"];
    let (json_out, csv_out) = (dir.path().join("json"), dir.path().join("csv"));
    run_ok(&[&dir.path().join("docs.jsonl")], &json_out, &flags);
    run_ok(&[&dir.path().join("docs.csv")], &csv_out, &flags);

    // The title is read before the text: its words are counted, and in the document's bytes.
    let terms = read_csv(&json_out.join("terms.csv"));
    let headline = terms.iter().find(|t| t["term"] == "headline").expect("a title's word is counted");
    assert_eq!(headline["count"], "1");
    let documents = read_csv(&json_out.join("documents.csv"));
    for (row, (id, _, title, text, source, author)) in documents.iter().zip(WITH_METADATA) {
        assert_eq!(row["doc"], *id);
        let bytes = title.map_or(0, |t| t.len() + 2) + text.len();
        assert_eq!(row["bytes"], bytes.to_string(), "{id}: title, a blank line, then the text");
        assert_eq!(row["author"], author.unwrap_or(""), "{id}");
        assert_eq!(row["source"], source.unwrap_or(""), "{id}");
    }
    assert_eq!(documents.len(), WITH_METADATA.len());

    // Each term's figures by group, against the words of the group's documents counted here.
    let group_terms = read_csv(&json_out.join("group_terms.csv"));
    for group in ["Wire", "Daily"] {
        let docs: Vec<String> = WITH_METADATA
            .iter()
            .filter(|d| d.4 == Some(group))
            .map(|d| format!("{} {}", d.2.unwrap_or(""), d.3).to_lowercase())
            .collect();
        let words: Vec<Vec<String>> = docs
            .iter()
            .map(|d| d.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(String::from).collect())
            .collect();
        let total: usize = words.iter().map(Vec::len).sum();
        let armenia: usize = words.iter().map(|w| w.iter().filter(|w| *w == "armenia").count()).sum();
        let row = group_terms.iter().find(|r| r["group"] == group && r["term"] == "armenia").expect("armenia");
        assert_eq!(row["count"], armenia.to_string(), "{group}");
        assert_eq!(row["documents"], docs.len().to_string(), "{group}: every document names Armenia");
        let per_million: f64 = row["per_million"].parse().unwrap();
        assert!((per_million - armenia as f64 * 1e6 / total as f64).abs() < 0.001, "{group}: {per_million}");
        assert_eq!(row["documents_share"], "1");
    }
    assert!(group_terms.iter().all(|r| r["group"] == "Wire" || r["group"] == "Daily"), "no group for a4");
    let group_actors = read_csv(&json_out.join("group_actors.csv"));
    let lavrov: Vec<(&str, &str)> = group_actors
        .iter()
        .filter(|r| r["actor"] == "Sergei Lavrov")
        .map(|r| (r["group"].as_str(), r["mentions"].as_str()))
        .collect();
    assert_eq!(lavrov, [("Wire", "1")]);
    let russia = group_actors.iter().find(|r| r["actor"] == "Russia").expect("Russia in Wire");
    assert_eq!((russia["group"].as_str(), russia["documents_share"].as_str()), ("Wire", "0.5"));

    // A CSV of the same documents reads the same; shards merged give the same tables.
    crate::common::assert_same_csvs(&json_out, &csv_out);
    let shards: Vec<std::path::PathBuf> = (1..=2).map(|k| dir.path().join(format!("shard{k}"))).collect();
    for (k, shard) in shards.iter().enumerate() {
        let part = format!("{}/2", k + 1);
        let mut args = vec!["--shard", &part];
        args.extend(flags);
        run_ok(&[&dir.path().join("docs.jsonl")], shard, &args);
    }
    let merged = dir.path().join("merged");
    let mut args: Vec<String> = vec!["merge".into()];
    args.extend(shards.iter().map(|s| s.display().to_string()));
    args.extend(["--out".into(), merged.display().to_string(), "--format".into(), "csv".into(), "--quiet".into()]);
    let output = tally(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for name in ["documents", "group_terms", "group_actors", "actors", "terms"] {
        let file = format!("{name}.csv");
        assert_eq!(fs::read(merged.join(&file)).unwrap(), fs::read(json_out.join(&file)).unwrap(), "{name}");
    }
}

#[test]
fn a_field_carried_into_documents_cannot_be_the_text_or_a_column_it_has() {
    for (flag, name) in [("--meta", "text"), ("--meta", "date"), ("--group-by", "mentions")] {
        let output = tally(&["run", flag, name, "--out", "/tmp/never-written"]);
        assert_eq!(output.status.code(), Some(2), "{flag} {name}");
        assert!(String::from_utf8_lossy(&output.stderr).contains(&format!("{flag} {name}:")), "{flag} {name}");
    }
}

#[test]
fn an_empty_title_field_reads_no_title_and_a_title_that_is_no_text_loses_no_row() {
    let dir = tempfile::tempdir().unwrap();
    // pandas writes its index as a column named "".
    fs::write(dir.path().join("docs.csv"), ",text,title\n0,Armenia met Russia.,Talks\n1,Azerbaijan spoke.,More\n")
        .unwrap();
    let out = dir.path().join("out");
    run_ok(&[&dir.path().join("docs.csv")], &out, &["--title-field", "", "--format", "csv", "--quiet"]);
    let terms: Vec<String> = read_csv(&out.join("terms.csv")).into_iter().map(|t| t["term"].clone()).collect();
    assert!(!terms.iter().any(|t| t == "0" || t == "talks"), "neither the \"\" column nor title: {terms:?}");
    assert!(terms.contains(&"armenia".to_string()));

    // A Parquet file whose title column holds lists: its documents are read, without a title.
    use polars::prelude::*;
    let titles = Series::new("title".into(), [Series::new("".into(), ["a", "b"]), Series::new("".into(), ["c"])]);
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("text".into(), ["Armenia met Russia.", "Azerbaijan spoke."]),
        titles.into_column(),
    ])
    .unwrap();
    ParquetWriter::new(fs::File::create(dir.path().join("docs.parquet")).unwrap()).finish(&mut df).unwrap();
    let out = dir.path().join("parquet");
    run_ok(&[&dir.path().join("docs.parquet")], &out, &["--meta", "title", "--format", "csv", "--quiet"]);
    let documents = read_csv(&out.join("documents.csv"));
    assert_eq!(documents.len(), 2, "no row lost");
    assert!(documents.iter().all(|d| d["title"].is_empty()), "a list is no text: {documents:?}");
}

#[test]
fn a_carried_field_no_document_has_is_a_warning_said_on_the_terminal_and_in_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("docs.jsonl"), "{\"text\":\"Armenia met Russia.\",\"source\":\"Wire\"}\n").unwrap();
    let out = dir.path().join("out");
    let output = run_ok(&[&dir.path().join("docs.jsonl")], &out, &["--group-by", "sourc", "--meta", "source"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning: --group-by sourc: no document has a field `sourc`"), "{stderr}");
    assert!(!stderr.contains("--meta source"), "a field documents have is no warning: {stderr}");
    let warnings = crate::common::read_manifest(&out)["warnings"].to_string();
    assert!(warnings.contains("--group-by sourc"), "{warnings}");
}
