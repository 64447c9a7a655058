//! What tally promises about the user's files (README, "What tally promises"): it never reads its
//! output as input, never writes over an input, never removes a file it did not write, never merges
//! what cannot be added, and fails (leaving the previous reports) when it read nothing.

use std::fs;
use std::path::Path;

use crate::common::*;

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn s(path: &Path) -> String {
    path.display().to_string()
}

/// A small corpus of `n` dated documents in `dir`.
fn corpus(dir: &Path, n: usize) {
    fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let text = format!(" date 2022-10-{:02} Armenia and Azerbaijan met in Moscow, item {i}.", 1 + i % 28);
        fs::write(dir.join(format!("d{i:02}.txt")), text).unwrap();
    }
}

#[test]
fn a_report_never_overwrites_an_input_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    let input = data.join("documents.csv");
    let original = "id,text\n1,Armenia and Russia met in Moscow.\n";
    fs::write(&input, original).unwrap();
    let output = tally(&["run", &s(&input), "--out", &s(&data)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("documents.csv") && message.contains("output folder"), "{message}");
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
    assert_eq!(fs::read_to_string(&input).unwrap(), original, "the input was written over");
    assert_eq!(fs::read_dir(&data).unwrap().count(), 1, "something was written");
}

#[test]
fn runs_in_the_corpus_folder_never_read_their_own_reports() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    corpus(&root, 20);
    // `cd corpus && tally run .`, three times: reports/ lands inside the corpus.
    let run_here = || {
        let output = assert_cmd::Command::cargo_bin("tally")
            .unwrap()
            .current_dir(&root)
            .args(["run", ".", "--quiet"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        read_manifest(&root.join("reports"))
    };
    for _ in 0..3 {
        assert_eq!(run_here()["documents"], 20);
    }
    // Another run's reports elsewhere in the corpus are no documents either.
    let other = root.join("old-reports");
    run_ok(&[&root], &other, &["--quiet"]);
    assert_eq!(run_here()["documents"], 20);
}

#[test]
fn a_run_removes_only_the_files_tally_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x");
    fs::create_dir(&x).unwrap();
    fs::write(x.join("precious.txt"), "hi").unwrap();
    fs::write(x.join("thesis.docx"), "chapter one").unwrap();
    // A manifest.json that is not tally's is the user's: the run refuses to replace it.
    let theirs = r#"{"reports":["precious.txt","thesis.docx"]}"#;
    fs::write(x.join("manifest.json"), theirs).unwrap();
    let refused = tally(&["run", &s(&repo().join("seeds")), "--out", &s(&x), "--quiet"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("manifest.json"), "{}", stderr(&refused));
    assert_eq!(fs::read_to_string(x.join("manifest.json")).unwrap(), theirs);
    fs::remove_file(x.join("manifest.json")).unwrap();
    run_ok(&[&repo().join("seeds")], &x, &["--quiet"]);
    assert_eq!(fs::read_to_string(x.join("precious.txt")).unwrap(), "hi");
    assert_eq!(fs::read_to_string(x.join("thesis.docx")).unwrap(), "chapter one");
    // A second run, after one whose manifest is tally's: still there.
    run_ok(&[&repo().join("seeds")], &x, &["--quiet", "--format", "csv"]);
    assert_eq!(fs::read_to_string(x.join("precious.txt")).unwrap(), "hi");
    assert!(!x.join("tally.xlsx").exists(), "the earlier run's workbook was left");
    // Nothing is left beside the folder.
    let beside: Vec<String> =
        fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(beside, ["x"]);
}

#[test]
fn a_file_of_the_users_named_as_a_report_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = s(&repo().join("seeds"));
    // A page of the user's, and a folder named as a report: the run refuses, naming them, and
    // leaves them as they were.
    let out = dir.path().join("out");
    fs::create_dir_all(out.join("terms.csv")).unwrap();
    fs::write(out.join("terms.csv").join("data.txt"), "data").unwrap();
    fs::write(out.join("report.html"), "<h1>Q3 board report</h1>").unwrap();
    let refused = tally(&["run", &seeds, "--out", &s(&out), "--quiet"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(message.contains("report.html, terms.csv") && message.contains("nothing was written"), "{message}");
    assert_eq!(fs::read_to_string(out.join("report.html")).unwrap(), "<h1>Q3 board report</h1>");
    assert_eq!(fs::read_to_string(out.join("terms.csv").join("data.txt")).unwrap(), "data");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 2, "something was written");
    // A report of tally's the user changed since is theirs too.
    let reports = dir.path().join("reports");
    run_ok(&[&repo().join("seeds")], &reports, &["--quiet", "--format", "csv"]);
    run_ok(&[&repo().join("seeds")], &reports, &["--quiet", "--format", "csv"]);
    let mut edited = fs::read_to_string(reports.join("terms.csv")).unwrap();
    edited.push_str("my note,1\n");
    fs::write(reports.join("terms.csv"), &edited).unwrap();
    let refused = tally(&["run", &seeds, "--out", &s(&reports), "--quiet", "--format", "csv"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert_eq!(fs::read_to_string(reports.join("terms.csv")).unwrap(), edited);
    // So is one changed at the same size, whether the run would write it again or not.
    run_ok(&[&repo().join("seeds")], &dir.path().join("again"), &["--quiet", "--format", "csv"]);
    for name in ["terms.csv", "ngrams.csv"] {
        let again = dir.path().join("again");
        let text = fs::read_to_string(again.join(name)).unwrap();
        let edited = text.replacen(",", ";", 1);
        assert_eq!(edited.len(), text.len());
        fs::write(again.join(name), &edited).unwrap();
        let reports = if name == "terms.csv" { "terms" } else { "terms,actors" };
        let refused = tally(&["run", &seeds, "--out", &s(&again), "--quiet", "--format", "csv", "--reports", reports]);
        assert_eq!(refused.status.code(), Some(2), "{name}: {}", stderr(&refused));
        assert_eq!(fs::read_to_string(again.join(name)).unwrap(), edited);
        fs::write(again.join(name), &text).unwrap();
    }
    // A dictionary made of an earlier run's candidates is an input: never written over.
    let candidates = reports.join("candidates.csv");
    let before = fs::read(&candidates).unwrap();
    fs::remove_file(reports.join("terms.csv")).unwrap();
    let refused = tally(&["run", &seeds, "--actors", &s(&candidates), "--out", &s(&reports), "--quiet"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("candidates.csv"), "{}", stderr(&refused));
    assert_eq!(fs::read(&candidates).unwrap(), before);
}

#[test]
fn documents_that_share_an_id_are_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    let lines = "{\"id\": \"1\", \"text\": \"Armenia met Russia.\"}\n{\"id\": \"2\", \"text\": \"Russia spoke.\"}\n";
    fs::write(corpus.join("a.jsonl"), lines).unwrap();
    fs::write(corpus.join("b.jsonl"), format!("{lines}{{\"id\": \"3\", \"text\": \"Yerevan.\"}}\n")).unwrap();
    let warned = |threads: &str| {
        let out = dir.path().join(format!("out{threads}"));
        run_ok(&[&corpus], &out, &["--quiet", "--format", "csv", "--threads", threads]);
        read_manifest(&out)["warnings"].clone()
    };
    let warnings = warned("1");
    let ids: Vec<&str> = warnings.as_array().unwrap().iter().map(|w| w["path"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "2"], "{warnings}");
    assert!(warnings[0]["message"].as_str().unwrap().contains("earlier document"));
    assert_eq!(warned("2"), warnings, "the same whatever the threads");
}

#[test]
#[cfg(unix)]
fn an_output_folder_that_is_a_broken_link_is_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("reports");
    std::os::unix::fs::symlink(dir.path().join("gone"), &link).unwrap();
    let output = tally(&["run", &s(&repo().join("seeds")), "--out", &s(&link), "--quiet"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("which does not exist"), "{}", stderr(&output));
    assert!(!dir.path().join("gone").exists(), "nothing is made where the link points");
}

/// Runs the three shards of `corpus` with `flags[k]` each, into folders of `dir`; returns them.
fn shards(corpus: &Path, dir: &Path, flags: [&[&str]; 3]) -> Vec<String> {
    (0..3)
        .map(|k| {
            let part = dir.join(format!("s{}", k + 1));
            let shard = format!("{}/3", k + 1);
            let mut extra = vec!["--shard", shard.as_str(), "--quiet"];
            extra.extend_from_slice(flags[k]);
            run_ok(&[corpus], &part, &extra);
            s(&part)
        })
        .collect()
}

#[test]
fn merge_never_writes_into_a_shard() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    corpus(&root, 12);
    let parts = shards(&root, dir.path(), [&[], &[], &[]]);
    let before = fs::read_dir(&parts[0]).unwrap().count();
    let output = tally(&["merge", &parts[0], &parts[1], &parts[2], "--out", &parts[0]]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("output folder"), "{}", stderr(&output));
    assert_eq!(fs::read_dir(&parts[0]).unwrap().count(), before);
    assert!(Path::new(&parts[0]).join("part_terms.parquet").exists());
}

#[test]
fn merge_refuses_shards_made_differently_naming_the_difference() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    corpus(&root, 12);
    let out = s(&dir.path().join("merged"));
    let refused = |flags: [&[&str]; 3], says: &str| {
        let sub = tempfile::tempdir_in(dir.path()).unwrap();
        let parts = shards(&root, sub.path(), flags);
        let output = tally(&["merge", &parts[0], &parts[1], &parts[2], "--out", &out, "--quiet"]);
        assert_eq!(output.status.code(), Some(2), "{flags:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(says), "{flags:?}: {}", stderr(&output));
        assert!(!Path::new(&out).join("terms.csv").exists(), "{flags:?}: a refused merge wrote reports");
    };
    refused([&[], &["--stem"], &[]], "--stem is");
    refused([&["--no-ngrams"], &[], &[]], "--no-ngrams is");
    refused([&[], &[], &["--stopwords", "de"]], "--stopwords is");
    refused([&[], &["--drop-stopwords"], &[]], "--drop-stopwords is");
    refused([&[], &["--min-count", "1"], &[]], "--min-count is");
    refused([&[], &["--kwic", "armenia"], &[]], "--kwic is");
    refused([&[], &["--period", "day"], &[]], "--period is");
    // The same dictionary's name, another content.
    let actors = dir.path().join("actors.csv");
    fs::write(&actors, "actor,kind,code,aliases\nMoscow,place,RUS,\n").unwrap();
    let sub = tempfile::tempdir_in(dir.path()).unwrap();
    let a = s(&actors);
    let mut parts = shards(&root, sub.path(), [&["--actors", &a], &["--actors", &a], &[]]);
    fs::write(&actors, "actor,kind,code,aliases\nMoscow,organization,RUS,\n").unwrap();
    run_ok(&[&root], &sub.path().join("s3"), &["--shard", "3/3", "--quiet", "--actors", &a]);
    parts[2] = s(&sub.path().join("s3"));
    let output = tally(&["merge", &parts[0], &parts[1], &parts[2], "--out", &out]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("content of the files"), "{}", stderr(&output));
    // A shard of another corpus.
    let other = dir.path().join("other");
    corpus(&other, 13);
    let sub = tempfile::tempdir_in(dir.path()).unwrap();
    let mut parts = shards(&root, sub.path(), [&[], &[], &[]]);
    run_ok(&[&other], &sub.path().join("t2"), &["--shard", "2/3", "--quiet"]);
    parts[1] = s(&sub.path().join("t2"));
    let output = tally(&["merge", &parts[0], &parts[1], &parts[2], "--out", &out]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("corpus"), "{}", stderr(&output));
}

#[test]
fn a_run_that_reads_nothing_fails_and_leaves_the_reports_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&[&repo().join("seeds")], &out, &["--quiet", "--format", "csv"]);
    let before = fs::read(out.join("terms.csv")).unwrap();
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let others = dir.path().join("others");
    fs::create_dir(&others).unwrap();
    fs::write(others.join("notes.md"), "# notes").unwrap();
    let no_column = dir.path().join("docs.csv");
    fs::write(&no_column, "id,body\n1,Armenia\n").unwrap();
    for (input, says) in [(&empty, "no documents found"), (&others, "notes.md"), (&no_column, "`text` column")] {
        let output = tally(&["run", &s(input), "--out", &s(&out)]);
        assert_eq!(output.status.code(), Some(3), "{}: {}", input.display(), stderr(&output));
        let message = stderr(&output);
        assert!(message.contains(says), "{message}");
        assert_eq!(message.trim_end().lines().count(), 1, "{message}");
        assert_eq!(fs::read(out.join("terms.csv")).unwrap(), before, "{}", input.display());
    }
}

#[test]
fn the_same_file_twice_is_read_once_and_ids_are_unique_across_paths() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g");
    corpus(&g, 5);
    fs::create_dir(g.join("sub")).unwrap();
    fs::write(g.join("sub/e.txt"), "Armenia once.").unwrap();
    std::os::unix::fs::symlink(g.join("sub"), g.join("link")).unwrap();
    let out = dir.path().join("out");
    run_ok(&[&g, &g], &out, &["--quiet", "--format", "csv"]);
    assert_eq!(read_manifest(&out)["documents"], 6);
    let armenia = read_csv(&out.join("terms.csv")).into_iter().find(|r| r["term"] == "armenia").unwrap();
    assert_eq!(armenia["count"], "6");

    let (y22, y23) = (dir.path().join("y2022"), dir.path().join("y2023"));
    for (folder, text) in [(&y22, "Armenia in 2022."), (&y23, "Russia in 2023.")] {
        fs::create_dir(folder).unwrap();
        fs::write(folder.join("01.txt"), text).unwrap();
    }
    run_ok(&[&y22, &y23], &out, &["--quiet", "--format", "csv"]);
    let docs: Vec<String> = read_csv(&out.join("documents.csv")).into_iter().map(|r| r["doc"].clone()).collect();
    assert_eq!(docs.len(), 2);
    assert_ne!(docs[0], docs[1]);
}

#[test]
fn a_fifo_in_a_folder_is_passed_over_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("f");
    corpus(&f, 3);
    let fifo = std::ffi::CString::new(s(&f.join("p.txt"))).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tally"))
        .args(["run", &s(&f), "--quiet", "--format", "csv", "--out"])
        .arg(dir.path().join("out"))
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("tally waited on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success());
    let manifest = read_manifest(&dir.path().join("out"));
    assert_eq!(manifest["documents"], 3);
    assert!(manifest["skipped"].to_string().contains("not a regular file"), "{manifest}");
}

#[test]
fn too_many_threads_are_capped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_ok(&[&repo().join("seeds")], dir.path(), &["--threads", "100000", "--format", "csv"]);
    let message = stderr(&output);
    assert!(message.contains("warning: --threads 100000"), "{message}");
    let manifest = read_manifest(dir.path());
    let cores = std::thread::available_parallelism().unwrap().get() as u64;
    assert_eq!(manifest["settings"]["threads"], cores * tally::config::MAX_THREADS_PER_CORE as u64);
}

#[test]
fn a_run_into_the_working_folder_replaces_only_its_own_files() {
    // The working folder cannot be swapped away from under the shell: the files land one by one.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("precious.txt"), "hi").unwrap();
    let seeds = s(&repo().join("seeds"));
    let run_here = |format: &str| {
        let output = assert_cmd::Command::cargo_bin("tally")
            .unwrap()
            .current_dir(dir.path())
            .args(["run", &seeds, "--out", ".", "--quiet", "--format", format])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    };
    run_here("csv,xlsx");
    assert!(dir.path().join("tally.xlsx").exists() && dir.path().join("terms.csv").exists());
    run_here("csv");
    assert!(!dir.path().join("tally.xlsx").exists(), "the earlier run's workbook was left");
    assert_eq!(fs::read_to_string(dir.path().join("precious.txt")).unwrap(), "hi");
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
