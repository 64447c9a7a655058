//! Scale-out: `tally run --shard K/N` on each part, then `tally merge`, gives the reports of one run
//! over the whole corpus, byte for byte, bad documents and all.

use std::fs;
use std::path::Path;

use crate::common::*;

/// Runs the 3 shards of `corpus` and merges them; returns (whole run, merged) report folders. A
/// `reference` corpus goes to the whole run and to the merge.
fn whole_and_merged(corpus: &Path, extra: &[&str], reference: Option<&Path>) -> (tempfile::TempDir, tempfile::TempDir) {
    let whole = tempfile::tempdir().unwrap();
    let reference = reference.map(|r| r.display().to_string());
    let with_reference: Vec<&str> = reference.iter().flat_map(|r| ["--reference", r.as_str()]).collect();
    let mut flags = vec!["--format", "csv,html"];
    flags.extend_from_slice(extra);
    flags.extend_from_slice(&with_reference);
    run_ok(&[corpus], whole.path(), &flags);
    let parts: Vec<tempfile::TempDir> = (1..=3).map(|_| tempfile::tempdir().unwrap()).collect();
    for (k, part) in parts.iter().enumerate() {
        let shard = format!("{}/3", k + 1);
        let mut flags = vec!["--shard", shard.as_str(), "--quiet"];
        flags.extend_from_slice(extra);
        run_ok(&[corpus], part.path(), &flags);
        assert!(part.path().join("part_terms.parquet").exists());
        assert_eq!(csv_names(part.path()), Vec::<String>::new(), "a shard writes no reports");
    }
    let merged = tempfile::tempdir().unwrap();
    // The parts in another order than their numbers: merging does not care.
    let dirs = [parts[2].path(), parts[0].path(), parts[1].path()].map(|p| p.display().to_string());
    let out = merged.path().display().to_string();
    let mut args = vec!["merge", &dirs[0], &dirs[1], &dirs[2], "--out", &out, "--format", "csv,html", "--quiet"];
    args.extend_from_slice(&with_reference);
    let output = tally(&args);
    assert!(output.status.success(), "merge failed: {}", String::from_utf8_lossy(&output.stderr));
    (whole, merged)
}

/// Forty dated documents naming five people, a JSON Lines file of twelve more, and four documents
/// tally skips or warns of.
fn mixed_corpus() -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    let people = ["Sergei Lavrov", "Ararat Mirzoyan", "Nikol Pashinyan", "Stanislav Zas", "Josep Borrell"];
    for i in 0..40 {
        let (a, b) = (people[i % 5], people[(i * 3 + 1) % 5]);
        let text = format!(
            " date 2022-{:02}-{:02} \n{a} met {b} in Yerevan. Armenia and the CSTO talked.\n",
            1 + i % 12,
            1 + i % 28
        );
        fs::write(corpus.path().join(format!("doc{i:02}.txt")), text).unwrap();
    }
    fs::write(corpus.path().join("binary.txt"), b"\x00\x01\x02").unwrap();
    fs::write(corpus.path().join("empty.txt"), "").unwrap();
    fs::write(corpus.path().join("bad-date.txt"), " date 2022-13-45 \nRussia spoke.\n").unwrap();
    let lines: Vec<String> = (0..12)
        .map(|i| {
            format!(
                "{{\"id\": \"j{i}\", \"date\": \"2023-01-{:02}\", \"text\": \"{} visited Moscow.\", \"desk\": \"{}\"}}",
                i + 1,
                people[i % 5],
                ["world", "politics", "europe"][i % 3]
            )
        })
        .chain(["not json".to_string()])
        .collect();
    fs::write(corpus.path().join("more.jsonl"), lines.join("\n")).unwrap();
    corpus
}

#[test]
fn three_shards_merge_into_the_whole_run_bad_documents_included() {
    let corpus = mixed_corpus();
    // With a reference corpus, so keyness is merged too: the seed document.
    let (whole, merged) = whole_and_merged(
        corpus.path(),
        &["--period", "week", "--kwic", "armenia", "--kwic", "sergei lavrov", "--stem"],
        Some(&repo().join("seeds")),
    );
    assert!(whole.path().join("keyness.csv").exists() && whole.path().join("stems.csv").exists());
    assert!(read_csv(&whole.path().join("kwic.csv")).len() > 40, "every document names Armenia");
    assert!(read_csv(&whole.path().join("keyness.csv")).len() > 10, "keyness has rows to compare");
    assert_same_csvs(whole.path(), merged.path());
    let (a, b) = (read_manifest(whole.path()), read_manifest(merged.path()));
    for key in ["documents", "bytes", "tokens", "terms", "mentions", "actors", "skipped", "warnings"] {
        assert_eq!(a[key], b[key], "manifest {key}");
    }
    assert_eq!(a["skipped"].as_array().unwrap().len(), 3, "{}", a["skipped"]);
}

#[test]
fn three_shards_of_wikinews_merge_into_the_whole_run() {
    let Some(wikinews) = shared_corpus("wikinews") else { return };
    let (whole, merged) = whole_and_merged(&wikinews, &[], None);
    assert_same_csvs(whole.path(), merged.path());
}

#[test]
fn merge_says_which_shards_are_missing_or_wrong() {
    let corpus = repo().join("seeds");
    let part = tempfile::tempdir().unwrap();
    run_ok(&[&corpus], part.path(), &["--shard", "1/3", "--quiet"]);
    let out = tempfile::tempdir().unwrap();
    let (p, o) = (part.path().display().to_string(), out.path().display().to_string());
    let output = tally(&["merge", &p, "--out", &o]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("shards missing: 2/3, 3/3"), "{stderr}");

    let twice = tally(&["merge", &p, &p, "--out", &o]);
    assert!(String::from_utf8_lossy(&twice.stderr).contains("given twice"));

    let reports = tempfile::tempdir().unwrap();
    run_ok(&[&corpus], reports.path(), &["--quiet"]);
    let r = reports.path().display().to_string();
    let not_a_shard = tally(&["merge", &r, "--out", &o]);
    assert!(String::from_utf8_lossy(&not_a_shard.stderr).contains("not a shard's results"));
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "a failed merge wrote files");

    // A shard whose tables are laid out as an older tally laid them out (no `format` then).
    let manifest = part.path().join("manifest.json");
    let mut older: serde_json::Value = serde_json::from_str(&fs::read_to_string(&manifest).unwrap()).unwrap();
    assert!(older["shard"]["format"].as_u64().unwrap() > 0, "a shard records the layout of its tables");
    older["shard"].as_object_mut().unwrap().remove("format");
    fs::write(&manifest, older.to_string()).unwrap();
    let stale = tally(&["merge", &p, "--out", &o]);
    assert_eq!(stale.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("shard tables of format 0") && stderr.contains("make the shards again"), "{stderr}");

    let refused = tally(&["run", "--shard", "1/3", "--reference", "seeds", "--out", &o]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--reference"), "a shard takes no reference");
    for bad in ["0/3", "4/3", "x"] {
        assert_eq!(tally(&["run", "--shard", bad, "--out", &o]).status.code(), Some(2), "{bad}");
    }
}

#[test]
fn merge_refuses_a_shard_whose_tables_are_not_those_it_wrote() {
    let corpus = mixed_corpus();
    let parts: Vec<tempfile::TempDir> = (1..=3).map(|_| tempfile::tempdir().unwrap()).collect();
    for (k, part) in parts.iter().enumerate() {
        run_ok(&[corpus.path()], part.path(), &["--shard", &format!("{}/3", k + 1), "--quiet"]);
    }
    let dirs: Vec<String> = parts.iter().map(|p| p.path().display().to_string()).collect();
    let out = tempfile::tempdir().unwrap();
    let o = out.path().display().to_string();
    let merge = || tally(&["merge", &dirs[0], &dirs[1], &dirs[2], "--out", &o, "--quiet"]);
    assert!(merge().status.success(), "the shards as written merge");

    // Shard 2's mentions copied over shard 1's: its figures would be counted twice.
    let mentions = parts[0].path().join("part_mentions.parquet");
    let original = fs::read(&mentions).unwrap();
    fs::copy(parts[1].path().join("part_mentions.parquet"), &mentions).unwrap();
    let copied = merge();
    assert_eq!(copied.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&copied.stderr);
    assert!(stderr.contains("part_mentions.parquet") && stderr.contains("not the table its shard wrote"), "{stderr}");
    fs::write(&mentions, original).unwrap();
    assert!(merge().status.success(), "the table put back");

    // A listing changed by hand to match a changed table is not the one tally signed.
    let manifest = parts[0].path().join("manifest.json");
    let mut listing: serde_json::Value = serde_json::from_str(&fs::read_to_string(&manifest).unwrap()).unwrap();
    listing["reports"][0]["bytes"] = serde_json::json!(1);
    fs::write(&manifest, listing.to_string()).unwrap();
    let forged = merge();
    assert_eq!(forged.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&forged.stderr).contains("not the one tally wrote"));
}

/// Every report of the registry, with the settings that ask for each: written by a run, the same
/// with one thread and two, the same merged from shards, and the same in Parquet as in CSV.
#[test]
fn every_registered_report_is_written_alike_by_threads_shards_and_formats() {
    use tally::frames::registry::REPORTS;
    let corpus = mixed_corpus();
    let reference = repo().join("seeds");
    let extra = ["--kwic", "armenia", "--stem", "--group-by", "desk"];
    let (whole, merged) = whole_and_merged(corpus.path(), &extra, Some(&reference));
    let mut registered: Vec<String> = REPORTS.iter().map(|r| format!("{}.csv", r.name)).collect();
    registered.sort();
    assert_eq!(csv_names(whole.path()), registered, "every registered report, and only those");
    assert_same_csvs(whole.path(), merged.path());

    let r = reference.display().to_string();
    let runs: Vec<tempfile::TempDir> = ["1", "2"]
        .iter()
        .map(|threads| {
            let out = tempfile::tempdir().unwrap();
            let mut flags = vec!["--threads", threads, "--format", "csv,parquet", "--reference", &r, "--quiet"];
            flags.extend_from_slice(&extra);
            run_ok(&[corpus.path()], out.path(), &flags);
            out
        })
        .collect();
    assert_same_csvs(runs[0].path(), runs[1].path());
    assert_same_csvs(runs[0].path(), whole.path());
    for report in &REPORTS {
        assert_parquet_holds_csv(runs[1].path(), report.name);
        let csv = std::fs::read_to_string(runs[1].path().join(format!("{}.csv", report.name))).unwrap();
        let header: Vec<&str> = csv.lines().next().unwrap_or("").split(',').collect();
        let mut declared: Vec<&str> = report.columns.iter().map(|c| c.name).collect();
        if report.name == "documents" {
            // Then the field carried.
            declared.push("desk");
        }
        assert_eq!(header, declared, "{}.csv has the columns its declaration gives", report.name);
    }
}

/// The actors of `report.html`'s table with the mentions it shows in context: (actor, [(mention,
/// document)]).
fn contexts_in_page(page: &str) -> Vec<(String, Vec<(String, String)>)> {
    page.split("<details><summary>")
        .skip(1)
        .map(|part| {
            let (actor, rest) = part.split_once("</summary>").unwrap();
            let lines = rest.split("</details>").next().unwrap();
            let mentions = lines
                .split("<li>")
                .skip(1)
                .map(|line| {
                    let text = line.split("<b>").nth(1).unwrap().split("</b>").next().unwrap();
                    let doc = line.split("<span class=\"doc\">").nth(1).unwrap().split("</span>").next().unwrap();
                    (text.to_string(), doc.to_string())
                })
                .collect();
            (actor.to_string(), mentions)
        })
        .collect()
}

#[test]
fn the_page_shows_each_top_actors_first_mentions_in_context_alike_from_a_run_and_from_shards() {
    let corpus = mixed_corpus();
    let (whole, merged) = whole_and_merged(corpus.path(), &[], None);
    let page = fs::read_to_string(whole.path().join("report.html")).unwrap();
    let shown = contexts_in_page(&page);
    assert!(shown.len() >= 5, "{shown:?}");
    assert_eq!(shown, contexts_in_page(&fs::read_to_string(merged.path().join("report.html")).unwrap()));
    // Each actor's first three mentions in reading order, as `mentions` lists them.
    let mentions = crate::common::read_csv(&whole.path().join("mentions.csv"));
    for (actor, lines) in &shown {
        let first: Vec<(String, String)> = mentions
            .iter()
            .filter(|m| m["actor"] == *actor)
            .take(3)
            .map(|m| (m["text"].clone(), m["doc"].clone()))
            .collect();
        assert_eq!(*lines, first, "{actor}");
    }
}
