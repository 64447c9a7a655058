//! Runs on the real corpora in `../shared/corpora` (skipped when absent): they finish, every mention
//! points at its text, and thread counts do not change a byte.

use std::collections::HashMap;
use std::path::Path;

use crate::common::*;

/// Checks `content[start..end] == text` for every mention, reading each document once.
fn assert_mentions_point_at_text(corpus: &Path, out: &Path) {
    let mut files: HashMap<String, String> = HashMap::new();
    let mentions = read_csv(&out.join("mentions.csv"));
    assert!(!mentions.is_empty());
    for m in &mentions {
        let content =
            files.entry(m["doc"].clone()).or_insert_with(|| std::fs::read_to_string(corpus.join(&m["doc"])).unwrap());
        let (start, end): (usize, usize) = (m["start"].parse().unwrap(), m["end"].parse().unwrap());
        assert_eq!(&content[start..end], m["text"], "{m:?}");
    }
}

/// Runs `corpus` with one thread, two and eight, insists on identical CSVs, and gives back the
/// one-thread reports and manifest.
fn run_with_one_two_and_eight_threads(corpus: &Path) -> (tempfile::TempDir, serde_json::Value) {
    let (one, two, eight) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_ok(&[corpus], one.path(), &["--threads", "1"]);
    run_ok(&[corpus], two.path(), &["--threads", "2"]);
    assert_same_csvs(one.path(), two.path());
    run_ok(&[corpus], eight.path(), &["--threads", "8", "--format", "csv,html"]);
    assert_same_csvs(one.path(), eight.path());
    // The page's actors, each with its first mentions in context, whatever order the threads
    // counted the documents in.
    let actors_table = |dir: &Path| {
        let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
        let start = page.find("<table class=\"sortable\" id=\"actors-table\">").expect("the actors table");
        page[start..start + page[start..].find("</table>").unwrap()].to_string()
    };
    let table = actors_table(one.path());
    assert!(table.contains("<ol class=\"ctx\"><li>"), "lines in context");
    assert!(table == actors_table(two.path()) && table == actors_table(eight.path()), "the page's lines in context");
    let manifest = read_manifest(one.path());
    (one, manifest)
}

#[test]
fn wikinews_runs_and_is_the_same_with_one_two_or_eight_threads() {
    let Some(corpus) = shared_corpus("wikinews") else { return };
    let (one, m) = run_with_one_two_and_eight_threads(&corpus);
    let files = walk_count(&corpus, "txt");
    assert_eq!(
        m["documents"].as_u64().unwrap()
            + m["skipped"].as_array().unwrap().iter().filter(|s| s["path"].as_str().unwrap().ends_with(".txt")).count()
                as u64,
        files
    );
    assert!(m["documents"].as_u64().unwrap() >= 290);
    assert_mentions_point_at_text(&corpus, one.path());
    // Candidates: inferred actors of two documents or more, all of them and nothing else.
    let actors = read_csv(&one.path().join("actors.csv"));
    let expected: Vec<&str> = actors
        .iter()
        .filter(|a| a["source"] == "inferred" && a["documents"].parse::<u64>().unwrap() >= 2)
        .map(|a| a["actor"].as_str())
        .collect();
    let candidates = read_csv(&one.path().join("candidates.csv"));
    assert!(expected.len() > 20, "{} candidates", expected.len());
    assert_eq!(candidates.iter().map(|c| c["actor"].as_str()).collect::<Vec<_>>(), expected);
}

#[test]
fn reuters_runs_to_the_end_the_same_with_one_two_or_eight_threads() {
    let Some(corpus) = shared_corpus("reuters21578") else { return };
    // Several batches of documents: the batch boundaries must not show in the reports.
    let (out, m) = run_with_one_two_and_eight_threads(&corpus);
    // 19,043 newswires and the corpus's README.txt.
    assert_eq!(m["documents"].as_u64().unwrap(), walk_count(&corpus, "txt"));
    assert!(m["documents"].as_u64().unwrap() >= 19_043);
    let docs = read_csv(&out.path().join("documents.csv"));
    assert_eq!(docs.len() as u64, m["documents"].as_u64().unwrap());
    assert!(docs.windows(2).all(|w| w[0]["doc"] < w[1]["doc"]), "documents in sorted order");
    assert_mentions_point_at_text(&corpus, out.path());
}

fn walk_count(dir: &Path, ext: &str) -> u64 {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            n += walk_count(&path, ext);
        } else if path.extension().is_some_and(|e| e == ext) {
            n += 1;
        }
    }
    n
}
