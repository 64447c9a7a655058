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
