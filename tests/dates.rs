//! Documents' dates: a date no document could bear is a warning, not a date, and a few documents far
//! from the rest do not stretch the overview's timelines (the tables keep every date).

use std::fs;
use std::path::Path;

use crate::common::*;

/// 200 documents from 2019-01-02 on, five or six days apart (to 2021-09), as JSON Lines, with `more`.
fn write_corpus(dir: &Path, more: &[(&str, &str)]) {
    let mut lines: Vec<String> = (0..200)
        .map(|i| {
            let date = tally::corpus::Date::from_days_since_epoch(17_898 + i * 5 + i % 2);
            let text =
                format!("Sergei Lavrov met Ararat Mirzoyan in Moscow. Armenia and Azerbaijan talked, round {i}.");
            serde_json::json!({"id": format!("d{i:03}"), "date": date.to_string(), "text": text}).to_string()
        })
        .collect();
    for (id, date) in more {
        let text = "Nikol Pashinyan said Armenia and Azerbaijan would talk again.";
        lines.push(serde_json::json!({"id": id, "date": date, "text": text}).to_string());
    }
    fs::write(dir.join("docs.jsonl"), lines.join("\n")).unwrap();
}

#[test]
fn an_outlying_date_neither_stretches_the_charts_nor_makes_a_negative_period() {
    let (plain, outlying) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_corpus(plain.path(), &[]);
    // Slips for 2019-01-04 and 2000-01-02, and a real date 170 years before the rest.
    write_corpus(outlying.path(), &[("slip", "0019-01-04"), ("year0", "0000-01-02"), ("old", "1850-06-01")]);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_ok(&[plain.path()], a.path(), &["--period", "week"]);
    run_ok(&[outlying.path()], b.path(), &["--period", "week"]);

    let (small, page) = (
        fs::read_to_string(a.path().join("report.html")).unwrap(),
        fs::read_to_string(b.path().join("report.html")).unwrap(),
    );
    assert!(
        page.len() * 2 <= small.len() * 3,
        "report.html is {} bytes with the outliers, {} without",
        page.len(),
        small.len()
    );
    // The charts say what they leave out: the document of 1850, before the first of the bulk.
    assert!(page.contains("1 document dated before 2019-01-02 is not drawn"), "no word of what was left out");
    assert!(!page.contains("<title>1850"), "1850 drawn");

    // The tables keep the plausible date, the implausible ones are dropped with a warning each.
    let docs = read_csv(&b.path().join("documents.csv"));
    let date_of = |id: &str| docs.iter().find(|d| d["doc"] == id).map(|d| d["date"].clone()).unwrap();
    assert_eq!(
        (date_of("old"), date_of("slip"), date_of("year0")),
        ("1850-06-01".into(), String::new(), String::new())
    );
    assert_eq!(docs.len(), 203);
    let manifest = read_manifest(b.path());
    let warnings: Vec<String> =
        manifest["warnings"].as_array().unwrap().iter().map(|w| w["message"].as_str().unwrap().to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    for date in ["0019-01-04", "0000-01-02"] {
        assert!(
            warnings.iter().any(|w| w.contains(&format!("`{date}` is outside the plausible range"))),
            "no warning for {date}: {warnings:?}"
        );
    }
    let timeline = read_csv(&b.path().join("actor_timeline.csv"));
    assert!(timeline.iter().any(|r| r["period"] == "1850-05-27"), "the week of 1850-06-01 is counted");
    for name in csv_names(b.path()) {
        for row in read_csv(&b.path().join(&name)) {
            for (column, value) in row.iter().filter(|(c, _)| c.contains("period") || c.contains("date")) {
                assert!(!value.starts_with('-') && !value.starts_with("00"), "{name}: {column} {value}");
            }
        }
    }
}
