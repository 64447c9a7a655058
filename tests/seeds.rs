//! The seed corpus end to end: the figures the users' brief fixes, the committed reports reproduced
//! byte for byte, Parquet agreeing with CSV, thread counts not mattering.

use crate::common::*;

#[test]
fn seed_terms_and_actors_are_as_the_brief_says() {
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], out.path(), &[]);
    let terms = read_csv(&out.path().join("terms.csv"));
    let count = |t: &str| terms.iter().find(|r| r["term"] == t).map(|r| r["count"].parse::<u64>().unwrap());
    assert_eq!(count("csto"), Some(8));
    assert_eq!(count("armenia"), Some(8));
    assert_eq!(count("the"), Some(34));
    assert_eq!(count("lavrov"), Some(3));
    assert_eq!(terms[0]["term"], "the", "sorted by count");

    let actors = read_csv(&out.path().join("actors.csv"));
    let actor = |name: &str| {
        actors.iter().find(|r| r["actor"] == name).unwrap_or_else(|| panic!("no actor {name}: {actors:?}"))
    };
    let mentions = |name: &str| actor(name)["mentions"].parse::<u64>().unwrap();
    for (name, kind) in [
        ("Sergei Lavrov", "person"),
        ("Ararat Mirzoyan", "person"),
        ("Nikol Pashinyan", "person"),
        ("Stanislav Zas", "person"),
        ("CSTO", "organization"),
        ("European Union", "organization"),
        ("Armenia", "place"),
        ("Azerbaijan", "place"),
        ("Russia", "place"),
    ] {
        assert_eq!(actor(name)["kind"], kind, "{name}");
    }
    assert_eq!(mentions("Sergei Lavrov"), 3);
    assert_eq!(mentions("Ararat Mirzoyan"), 2);
    assert!(mentions("Armenia") >= 8);
    assert!(mentions("Azerbaijan") >= 3);
    assert!(mentions("Russia") >= 2);
    let not_actors = [
        "Ahead",
        "Instead",
        "During",
        "The",
        "Friday",
        "Thursday",
        "Wednesday",
        "September",
        "October",
        "On",
        "It",
        "He",
    ];
    for row in &actors {
        for word in row["actor"].split(' ') {
            assert!(!not_actors.contains(&word), "actor named after a day, month or function word: {row:?}");
        }
    }
}

#[test]
fn actors_named_together_are_paired() {
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], out.path(), &[]);
    let pairs = read_csv(&out.path().join("actor_pairs.csv"));
    let pair = |a: &str, b: &str| {
        pairs.iter().find(|p| p["actor_a"] == a && p["actor_b"] == b).unwrap_or_else(|| panic!("no pair {a}, {b}"))
    };
    // "the foreign ministers of Armenia and Russia, Ararat Mirzoyan and Sergei Lavrov" and more.
    let armenia_russia = pair("Armenia", "Russia");
    assert_eq!(armenia_russia["documents"], "1");
    assert!(armenia_russia["sentences"].parse::<u64>().unwrap() >= 2, "{armenia_russia:?}");
    assert!(pair("Ararat Mirzoyan", "Sergei Lavrov")["sentences"].parse::<u64>().unwrap() >= 1);
    // One document: every pair has PMI log2(1·1/(1·1)) = 0 and log-Dice 14 + log2(2/2) = 14.
    assert!(pairs.iter().all(|p| p["pmi"] == "0" && p["log_dice"] == "14"), "{:?}", &pairs[..2]);
    // One document: the pairs are exactly the actors named in one sentence, as the mentions say.
    let mut by_sentence: std::collections::BTreeMap<String, std::collections::BTreeSet<(String, String)>> =
        Default::default();
    for m in read_csv(&out.path().join("mentions.csv")) {
        by_sentence.entry(m["sentence"].clone()).or_default().insert((m["actor"].clone(), m["kind"].clone()));
    }
    let mut expected = std::collections::BTreeSet::new();
    for actors in by_sentence.values() {
        for a in actors {
            for b in actors.range(a..).skip(1) {
                expected.insert((a.clone(), b.clone()));
            }
        }
    }
    assert_eq!(pairs.len(), expected.len());
    assert!(pairs
        .iter()
        .all(|p| (p["actor_a"].as_str(), p["kind_a"].as_str()) < (p["actor_b"].as_str(), p["kind_b"].as_str())));
}

#[test]
fn every_mention_points_at_its_text() {
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], out.path(), &[]);
    let content = std::fs::read_to_string(repo().join("seeds/000_aebbe86fdfef1214.txt")).unwrap();
    let mentions = read_csv(&out.path().join("mentions.csv"));
    assert!(mentions.len() >= 30);
    for m in &mentions {
        let (start, end): (usize, usize) = (m["start"].parse().unwrap(), m["end"].parse().unwrap());
        assert_eq!(&content[start..end], m["text"], "{m:?}");
    }
    let lavrov: Vec<_> =
        mentions.iter().filter(|m| m["actor"] == "Sergei Lavrov").map(|m| m["text"].as_str()).collect();
    assert_eq!(lavrov, ["Sergei Lavrov", "Lavrov", "Lavrov"]);
}

#[test]
fn committed_reports_are_what_a_run_writes() {
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], out.path(), &[]);
    assert_same_csvs(&repo().join("reports"), out.path());
}

#[test]
fn one_thread_and_two_write_the_same_reports() {
    // More documents than threads, so the work really is split.
    let corpus = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(repo().join("seeds/000_aebbe86fdfef1214.txt")).unwrap();
    for i in 0..40 {
        let text = seed
            .replace("2022-10-27", &format!("2022-10-{:02}", 1 + i % 28))
            .replace("Lavrov", if i % 3 == 0 { "Shoigu" } else { "Lavrov" });
        std::fs::write(corpus.path().join(format!("{i:03}.txt")), text).unwrap();
    }
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_ok(&[corpus.path()], one.path(), &["--threads", "1"]);
    run_ok(&[corpus.path()], two.path(), &["--threads", "2"]);
    assert_same_csvs(one.path(), two.path());
    let docs = read_csv(&one.path().join("documents.csv"));
    assert_eq!(docs.len(), 40);
    assert_eq!(docs[0]["doc"], "000.txt");
}

#[test]
fn without_ngrams_the_other_reports_are_unchanged() {
    let (all, some) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_ok(&[&repo().join("seeds")], all.path(), &["--format", "csv"]);
    run_ok(&[&repo().join("seeds")], some.path(), &["--format", "csv", "--no-ngrams"]);
    let listed = |dir: &std::path::Path| {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        names
    };
    let (all_names, some_names) = (listed(all.path()), listed(some.path()));
    let missing: Vec<&String> = all_names.iter().filter(|n| !some_names.contains(n)).collect();
    assert_eq!(missing, ["collocations.csv", "ngrams.csv"]);
    for name in some_names.iter().filter(|n| n.ends_with(".csv")) {
        let read = |dir: &std::path::Path| std::fs::read(dir.join(name)).unwrap();
        assert!(read(all.path()) == read(some.path()), "{name} differs");
    }
    let manifest = std::fs::read_to_string(some.path().join("manifest.json")).unwrap();
    assert!(manifest.contains("\"no_ngrams\": true"), "{manifest}");
}

#[test]
fn a_run_into_a_used_folder_leaves_no_report_of_the_earlier_run() {
    let out = tempfile::tempdir().unwrap();
    let seeds = repo().join("seeds");
    run_ok(&[&seeds], out.path(), &["--format", "csv", "--kwic", "csto"]);
    assert!(out.path().join("kwic.csv").exists() && out.path().join("ngrams.csv").exists());
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    run_ok(&[&seeds], out.path(), &["--format", "csv", "--no-ngrams"]);

    let manifest = read_manifest(out.path());
    let reports = manifest["reports"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string());
    let mut expected: Vec<String> = reports.chain(["manifest.json".to_string(), "notes.txt".to_string()]).collect();
    expected.sort();
    let mut present: Vec<String> =
        std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    present.sort();
    assert_eq!(present, expected);
    for gone in ["kwic.csv", "ngrams.csv", "collocations.csv"] {
        assert!(!present.iter().any(|name| name == gone), "{gone} is left from the first run");
    }
    assert!(present.len() >= default_reports().len(), "{present:?}");
}

#[test]
fn parquet_holds_what_csv_holds_with_real_types() {
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], out.path(), &[]);
    for name in default_reports() {
        assert_parquet_holds_csv(out.path(), name);
    }
}

#[test]
fn manifest_records_the_run() {
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], out.path(), &["--threads", "1"]);
    let m = read_manifest(out.path());
    assert_eq!(m["documents"], 1);
    assert_eq!(m["bytes"], std::fs::metadata(repo().join("seeds/000_aebbe86fdfef1214.txt")).unwrap().len());
    assert_eq!(m["settings"]["threads"], 1);
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    assert!(m["stages"]["total_s"].as_f64().unwrap() > 0.0);
    assert!(m["throughput"]["mb_per_s"].as_f64().unwrap() > 0.0);
}

#[test]
fn the_manifest_says_how_long_threads_waited_for_one_another() {
    // One document, two threads: one reads and counts it while the other waits for the batch to end.
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&repo().join("seeds")], out.path(), &["--threads", "2", "--format", "csv", "--quiet"]);
    let stages = &read_manifest(out.path())["stages"];
    let (waited, process) = (stages["wait_s"].as_f64().unwrap(), stages["process_s"].as_f64().unwrap());
    assert!(waited > 0.0, "a thread with nothing to do waited: {stages}");
    assert!(waited <= 2.0 * process, "no more than the threads' time: {stages}");
}

#[test]
fn tally_actors_prints_the_mentions_a_run_reports() {
    let output = tally(&["actors", "seeds/000_aebbe86fdfef1214.txt"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "doc\tstart\tend\ttext\tactor\tkind\tform");
    assert!(
        lines.contains(&"000_aebbe86fdfef1214.txt\t162\t175\tSergei Lavrov\tSergei Lavrov\tperson\tname"),
        "{stdout}"
    );
    // The same mentions as the committed report, in the same order, with the same document ids.
    let report = read_csv(&repo().join("reports/mentions.csv"));
    assert_eq!(lines.len() - 1, report.len());
    for (line, row) in lines[1..].iter().zip(&report) {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            (fields[0], fields[1], fields[2], fields[4]),
            (row["doc"].as_str(), row["start"].as_str(), row["end"].as_str(), row["actor"].as_str())
        );
    }
}

#[test]
fn tally_actors_reads_folders_and_skips_what_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("seeds/000_aebbe86fdfef1214.txt"), dir.path().join("a.txt")).unwrap();
    std::fs::write(dir.path().join("b.txt"), b"GIF89a\0\x01binary").unwrap();
    std::fs::write(dir.path().join("c.jsonl"), "{\"text\": \"Sergei Lavrov flew to Yerevan.\"}\n").unwrap();
    let output = tally(&["actors", &dir.path().display().to_string()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let from_file = stdout.lines().filter(|l| l.starts_with("a.txt\t")).count();
    assert_eq!(from_file, read_csv(&repo().join("reports/mentions.csv")).len(), "{stdout}");
    assert!(stdout.lines().any(|l| l.ends_with("\tYerevan\tYerevan\tplace\tname")), "{stdout}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("b.txt") && stderr.contains("binary"), "{stderr}");
    // Nothing readable: exit 3, as `tally run`, and nothing on standard output.
    std::fs::remove_file(dir.path().join("a.txt")).unwrap();
    std::fs::remove_file(dir.path().join("c.jsonl")).unwrap();
    let dir_arg = dir.path().display().to_string();
    for args in [vec!["actors", dir_arg.as_str()], vec!["kwic", "russia", dir_arg.as_str()]] {
        let output = tally(&args);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("b.txt"), "{args:?}");
    }
}

#[test]
fn kwic_prints_each_place_of_a_term_in_context() {
    let seed = std::fs::read_dir(repo().join("seeds")).unwrap().next().unwrap().unwrap().path();
    let content = std::fs::read_to_string(&seed).unwrap();
    let seed_arg = seed.display().to_string();
    let output = tally(&["kwic", "csto", "sergei lavrov", &seed_arg, "--width", "12"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("doc\tstart\tend\tleft\tmatch\tright"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    // As many as the text holds "CSTO" (with "CSTO’s"), plus the one "Sergei Lavrov".
    let expected = content.matches("CSTO").count() + content.matches("Sergei Lavrov").count();
    assert_eq!(rows.len(), expected, "{stdout}");
    for row in &rows {
        let (start, end): (usize, usize) = (row[1].parse().unwrap(), row[2].parse().unwrap());
        assert_eq!(&content[start..end], row[4], "offsets point at the match");
        assert!(row[3].chars().count() <= 12 && row[5].chars().count() <= 12);
        assert!(content[..start].replace('\n', " ").ends_with(row[3]), "left context is what precedes");
    }
    assert!(!tally(&["kwic", &seed_arg]).status.success(), "no TERM");
    assert!(!tally(&["run", "--kwic", "--", "--out", "x"]).status.success(), "a TERM without a word");
}
