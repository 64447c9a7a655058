//! What a new user meets first: the settings file announced, lists written as on the command line,
//! errors in words, the default corpus missing, a mistyped path, a shard's summary, the help.

use std::fs;

use crate::common::{repo, run_ok, tally};

/// Runs `tally ARGS…` in `dir`.
fn tally_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("tally").unwrap().current_dir(dir).args(args).output().unwrap()
}

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
