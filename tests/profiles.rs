//! `--reports`: a run writes the reports asked for, with exactly the rows a full run gives them, and
//! does only the work they need.

use std::fs;
use std::path::Path;

use polars::prelude::{ParquetReader, SerReader};

use crate::common::{csv_names, read_csv, read_manifest, repo, run_ok, tally};

/// The CSV files of the reports `names`, sorted.
fn csvs(names: &[&str]) -> Vec<String> {
    let mut files: Vec<String> = names.iter().map(|n| format!("{n}.csv")).collect();
    files.sort();
    files
}

/// Asserts that each CSV of `part` is byte for byte the same file in `whole`.
fn assert_rows_of_whole(part: &Path, whole: &Path) {
    for name in csv_names(part) {
        let (x, y) = (fs::read(part.join(&name)).unwrap(), fs::read(whole.join(&name)).unwrap());
        assert!(x == y, "{name} differs from the full run's");
    }
}

#[test]
fn a_run_writes_the_reports_asked_for_with_the_rows_of_a_full_run() {
    let corpus = repo().join("seeds");
    let whole = tempfile::tempdir().unwrap();
    run_ok(&[&corpus], whole.path(), &["--format", "csv", "--quiet"]);
    for asked in [&["terms"][..], &["terms", "actors", "mentions", "documents"], &["collocations", "actor_pairs"]] {
        let out = tempfile::tempdir().unwrap();
        let list = asked.join(",");
        run_ok(&[&corpus], out.path(), &["--format", "csv,parquet", "--reports", &list, "--quiet"]);
        assert_eq!(csv_names(out.path()), csvs(asked), "--reports {list}");
        assert_rows_of_whole(out.path(), whole.path());
        let recorded = read_manifest(out.path())["settings"]["reports"].clone();
        let mut in_order: Vec<&str> = recorded.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        in_order.sort();
        let mut expected = asked.to_vec();
        expected.sort();
        assert_eq!(in_order, expected, "the manifest records the reports asked for");
    }
}

#[test]
fn terms_alone_look_for_no_actors_and_count_no_ngrams() {
    let corpus = repo().join("seeds");
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&corpus], out.path(), &["--format", "csv", "--reports", "terms", "--quiet"]);
    let manifest = read_manifest(out.path());
    assert_eq!(manifest["actors"], serde_json::Value::Null, "no actor looked for");
    assert_eq!(manifest["mentions"], serde_json::Value::Null);
    // The same corpus with actor reports finds the seed's actors.
    let actors = tempfile::tempdir().unwrap();
    run_ok(&[&corpus], actors.path(), &["--format", "csv", "--reports", "terms,actors", "--quiet"]);
    assert!(read_manifest(actors.path())["actors"].as_u64().unwrap() > 5);
    assert!(!out.path().join("mentions.csv").exists() && !out.path().join("ngrams.csv").exists());
}

#[test]
fn a_report_that_does_not_exist_is_refused_with_the_names_of_those_that_do() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().display().to_string();
    let output = tally(&["run", "seeds", "--out", &o, "--reports", "terms,actor"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`actor`") && stderr.contains("actor_pairs"), "{stderr}");
    assert!(fs::read_dir(out.path()).unwrap().next().is_none(), "nothing written");
}

#[test]
fn a_report_asked_for_that_the_run_would_not_write_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().display().to_string();
    for (flags, says) in [
        (&["--reports", "terms,keyness"][..], "--reference"),
        (&["--reports", "kwic"][..], "--kwic"),
        (&["--reports", "ngrams", "--no-ngrams"][..], "--no-ngrams"),
    ] {
        let mut args = vec!["run", "seeds", "--out", &o];
        args.extend_from_slice(flags);
        let output = tally(&args);
        assert_eq!(output.status.code(), Some(2), "{flags:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{flags:?}: {stderr}");
    }
    assert!(fs::read_dir(out.path()).unwrap().next().is_none(), "nothing written");
    // keyness asked of a shard is for `tally merge --reference`.
    run_ok(&[&repo().join("seeds")], out.path(), &["--shard", "1/1", "--reports", "terms,keyness", "--quiet"]);
}

#[test]
fn the_settings_file_chooses_the_reports_too() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("tally.toml");
    fs::write(&settings, "reports = [\"actors\", \"terms\"]\n").unwrap();
    let out = dir.path().join("out");
    let s = settings.display().to_string();
    run_ok(&[&repo().join("seeds")], &out, &["--config", &s, "--format", "csv", "--quiet"]);
    assert_eq!(csv_names(&out), csvs(&["actors", "terms"]));
}

#[test]
fn shards_asked_for_other_reports_are_not_merged() {
    let corpus = repo().join("seeds");
    let parts = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    run_ok(&[&corpus], parts[0].path(), &["--shard", "1/2", "--reports", "terms", "--quiet"]);
    run_ok(&[&corpus], parts[1].path(), &["--shard", "2/2", "--quiet"]);
    let merged = tempfile::tempdir().unwrap();
    let [a, b, o] = [parts[0].path(), parts[1].path(), merged.path()].map(|p| p.display().to_string());
    let output = tally(&["merge", &a, &b, "--out", &o]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("reports"));

    // A shard asked for terms alone looked for no actors and counted no n-grams nor periods.
    let rows = |dir: &Path, table: &str| {
        let file = fs::File::open(dir.join(format!("{table}.parquet"))).unwrap();
        ParquetReader::new(file).finish().unwrap().height()
    };
    let (terms, every) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_ok(&[&corpus], terms.path(), &["--shard", "1/1", "--reports", "terms", "--quiet"]);
    run_ok(&[&corpus], every.path(), &["--shard", "1/1", "--quiet"]);
    assert_eq!(rows(terms.path(), "part_terms"), rows(every.path(), "part_terms"));
    for table in ["part_ngrams", "part_term_timeline", "part_mentions", "part_actors"] {
        assert_eq!(rows(terms.path(), table), 0, "{table} of a shard asked for terms");
        assert!(rows(every.path(), table) > 0, "{table} of a shard asked for every report");
    }

    // Shards asked for the same reports merge into those reports, as a run writes them.
    run_ok(&[&corpus], parts[1].path(), &["--shard", "2/2", "--reports", "terms", "--quiet"]);
    let output = tally(&["merge", &a, &b, "--out", &o, "--format", "csv", "--quiet"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(csv_names(merged.path()), csvs(&["terms"]));
    let whole = tempfile::tempdir().unwrap();
    run_ok(&[&corpus], whole.path(), &["--format", "csv", "--reports", "terms", "--quiet"]);
    assert_rows_of_whole(merged.path(), whole.path());
}

/// Twelve dated documents over three months naming several actors, March with a surge: enough for
/// pairs, timelines, period keyness and collocations to have rows.
fn dated_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let people = ["Sergei Lavrov", "Ararat Mirzoyan", "Nikol Pashinyan", "Josep Borrell"];
    for i in 0..12 {
        let (a, b) = (people[i % 4], people[(i + 1) % 4]);
        let text = format!(
            " date 2022-{:02}-{:02} \n{a} met {b} in Yerevan. The security council of the CSTO met. \
             Armenia and Azerbaijan talked about the security council.\n",
            1 + i % 3,
            1 + i
        );
        // March surges: a word and an actor the other months do not have.
        let surge = if i % 3 == 2 {
            " Ceasefire, ceasefire, ceasefire: Turkey and Turkey again. ".repeat(4)
        } else {
            String::new()
        };
        fs::write(dir.path().join(format!("d{i:02}.txt")), text + &surge).unwrap();
    }
    dir
}

#[test]
fn every_profile_gives_the_rows_a_full_run_gives_on_a_corpus_of_many_dated_documents() {
    let corpus = dated_corpus();
    let whole = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], whole.path(), &["--format", "csv", "--quiet", "--stem", "--kwic", "armenia"]);
    // Each of the actors' figures counted after resolution asked for alone: pairs, the timeline,
    // and the timeline through period_keyness.
    let profiles: [&[&str]; 6] = [
        &["terms", "term_timeline"],
        &["period_keyness"],
        &["actor_pairs", "candidates"],
        &["actor_timeline"],
        &["collocations", "stems", "kwic"],
        &["documents", "mentions"],
    ];
    for asked in profiles {
        let out = tempfile::tempdir().unwrap();
        let list = asked.join(",");
        // --kwic only where its report is asked for: elsewhere it would add a report left out.
        let kwic: &[&str] = if asked.contains(&"kwic") { &["--kwic", "armenia"] } else { &[] };
        let args = [&["--format", "csv", "--quiet", "--stem", "--reports", &list][..], kwic].concat();
        run_ok(&[corpus.path()], out.path(), &args);
        assert_eq!(csv_names(out.path()), csvs(asked), "--reports {list}");
        for name in csv_names(out.path()) {
            let rows = fs::read_to_string(out.path().join(&name)).unwrap().lines().count();
            assert!(rows > 1, "{name} has rows to compare");
        }
        assert_rows_of_whole(out.path(), whole.path());
    }
}

#[test]
fn the_page_shows_the_sections_of_the_reports_written() {
    let corpus = dated_corpus();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], out.path(), &["--format", "html", "--quiet", "--reports", "terms"]);
    let page = fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(page.contains("<h2>Top terms</h2>"));
    // No CSV was written: the page says how to have every term, not where it is.
    assert!(page.contains("every term is in terms.csv with --format csv."), "{page}");
    for absent in ["Top actors by kind", "What surged", "Who is named with whom", "Words that go together"] {
        assert!(!page.contains(absent), "no section {absent} without its report");
    }
    let all = tempfile::tempdir().unwrap();
    run_ok(&[corpus.path()], all.path(), &["--format", "html", "--quiet"]);
    let page = fs::read_to_string(all.path().join("report.html")).unwrap();
    for present in
        ["Top terms", "Top actors by kind", "What surged", "Who is named with whom", "Words that go together"]
    {
        assert!(page.contains(present), "the default page has {present}");
    }
}

#[test]
fn a_setting_that_adds_a_report_left_out_is_refused() {
    let seeds = repo().join("seeds").display().to_string();
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("r").display().to_string();
    for (flag, value, report) in [("--kwic", "lavrov", "kwic"), ("--group-by", "source", "group_terms")] {
        let output = tally(&["run", &seeds, "--out", &o, "--reports", "terms", flag, value]);
        let message = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flag}: {message}");
        assert!(message.contains(flag) && message.contains(report), "{message}");
    }
    assert!(!out.path().join("r").exists(), "nothing written");
    run_ok(
        &[&repo().join("seeds")],
        &out.path().join("r"),
        &["--quiet", "--reports", "terms,kwic", "--kwic", "lavrov"],
    );
}

#[test]
fn a_reference_and_keyness_come_together() {
    let seeds = repo().join("seeds").display().to_string();
    let out = tempfile::tempdir().unwrap();
    let o = out.path().display().to_string();
    let output = tally(&["run", &seeds, "--out", &o, "--reports", "terms", "--reference", &seeds]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("keyness"));
    // Spaces and empty names in the list do not count, as in a settings file.
    run_ok(
        &[&repo().join("seeds")],
        out.path(),
        &["--format", "csv", "--quiet", "--reports", "terms, keyness,", "--reference", &seeds],
    );
    assert_eq!(csv_names(out.path()), csvs(&["keyness", "terms"]));
    // Shards asked for keyness merge only with a reference, and shards without it not with one.
    let parts = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    run_ok(&[&repo().join("seeds")], parts[0].path(), &["--shard", "1/1", "--reports", "terms,keyness", "--quiet"]);
    run_ok(&[&repo().join("seeds")], parts[1].path(), &["--shard", "1/1", "--reports", "terms", "--quiet"]);
    let [with, without] = [parts[0].path(), parts[1].path()].map(|p| p.display().to_string());
    let merged = tempfile::tempdir().unwrap();
    let m = merged.path().display().to_string();
    let output = tally(&["merge", &with, "--out", &m]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let output = tally(&["merge", &without, "--out", &m, "--reference", &seeds]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let output = tally(&["merge", &with, "--out", &m, "--format", "csv", "--quiet", "--reference", &seeds]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(csv_names(merged.path()), csvs(&["keyness", "terms"]));
}

#[test]
fn a_corpus_against_itself_as_the_reference_is_no_different() {
    // "President Trump" is resolved across the corpus to "Donald Trump": the reference's actors
    // must be resolved as the corpus's, or the same corpus would differ from itself.
    let corpus = tempfile::tempdir().unwrap();
    let texts = [
        " date 2020-10-01 Donald Trump spoke in Ohio. Donald Trump left.",
        " date 2020-10-02 Voters cheered President Trump in Texas.",
        " date 2020-10-03 Later, President Trump spoke about wages.",
    ];
    for (i, text) in texts.iter().enumerate() {
        fs::write(corpus.path().join(format!("{i}.txt")), text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let c = corpus.path().display().to_string();
    run_ok(
        &[corpus.path()],
        out.path(),
        &["--format", "csv", "--quiet", "--reports", "keyness,actors", "--reference", &c],
    );
    let actors = read_csv(&out.path().join("actors.csv"));
    let trump = actors.iter().find(|r| r["actor"] == "Donald Trump").expect("the resolved actor");
    assert_eq!((trump["mentions"].as_str(), trump["aliases"].as_str()), ("4", "Donald Trump; Trump"), "{actors:?}");
    let keyness = read_csv(&out.path().join("keyness.csv"));
    let actor_rows: Vec<_> = keyness.iter().filter(|r| r["type"] == "actor").collect();
    assert!(actor_rows.iter().any(|r| r["item"] == "Donald Trump" && r["count"] == "4"), "{actor_rows:?}");
    for row in &keyness {
        assert_eq!(row["count"], row["reference_count"], "{row:?}");
        assert_eq!(row["log_likelihood"].parse::<f64>().unwrap(), 0.0, "{row:?}");
    }
}

#[test]
fn a_document_with_too_many_actors_to_pair_is_a_warning_only_when_pairs_are_asked_for() {
    // 2,100 people, each named once in full: more than a document's actors are paired.
    let corpus = tempfile::tempdir().unwrap();
    let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "du", "fo", "gi", "ha", "ju", "pe"];
    let mut surnames = Vec::new();
    for a in syllables {
        for b in syllables {
            for c in syllables {
                surnames.push(format!("{}{b}{c}", a[..1].to_uppercase() + &a[1..]));
            }
        }
    }
    surnames.truncate(2_100);
    let text: String = surnames.iter().map(|s| format!("Ivan {s} spoke. ")).collect();
    fs::write(corpus.path().join("crowd.txt"), text).unwrap();
    let warned = |reports: &str| {
        let out = tempfile::tempdir().unwrap();
        run_ok(&[corpus.path()], out.path(), &["--quiet", "--format", "csv", "--reports", reports]);
        let manifest = read_manifest(out.path());
        let actors = manifest["actors"].as_u64().unwrap();
        assert!(actors > 2_000, "{actors} actors found");
        manifest["warnings"].as_array().unwrap().iter().any(|w| w["message"].as_str().unwrap().contains("pairs"))
    };
    assert!(warned("actor_pairs"), "pairs asked for and left out: a warning");
    assert!(!warned("actors"), "no pairs asked for: nothing left out");
}
