//! The actor score gate: a plain `tally run` over CoNLL-2003 dev (`../shared/corpora/conll2003`,
//! skipped when absent), scored as `../shared/tools/score_mentions.py` scores it, must not fall below
//! the figures recorded here. Raise them when a change raises the score; never lower them to pass.

use std::collections::{HashMap, HashSet};

use crate::common::*;

/// Typed F1 (span and kind right) on CoNLL-2003 dev, as last measured (commit of this test).
const TYPED_F1: f64 = 0.854;
/// Untyped F1 (span right).
const UNTYPED_F1: f64 = 0.917;
/// Rounding in the recorded figures: they are kept to three places.
const ROUNDING: f64 = 0.0005;

/// A span of a document: (doc, start, end).
type Span = (String, u64, u64);

/// The MISC spans of each document, by document: (start, end).
type MiscSpans = HashMap<String, Vec<(u64, u64)>>;

/// The gold spans by kind (PER, ORG, LOC), and the MISC spans of each document.
fn gold(path: &std::path::Path) -> (HashMap<Span, String>, MiscSpans) {
    let (mut spans, mut misc) = (HashMap::new(), HashMap::<String, Vec<(u64, u64)>>::new());
    for line in std::fs::read_to_string(path).unwrap().lines().filter(|l| !l.trim().is_empty()) {
        let g: serde_json::Value = serde_json::from_str(line).unwrap();
        let span = (g["doc"].as_str().unwrap().to_string(), g["start"].as_u64().unwrap(), g["end"].as_u64().unwrap());
        match g["kind"].as_str().unwrap() {
            "MISC" => misc.entry(span.0).or_default().push((span.1, span.2)),
            kind => {
                spans.insert(span, kind.to_string());
            }
        }
    }
    (spans, misc)
}

/// F1 of `right` of `predicted` against `gold`.
fn f1(right: usize, predicted: usize, gold: usize) -> f64 {
    let (p, r) = (right as f64 / predicted.max(1) as f64, right as f64 / gold.max(1) as f64);
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[test]
fn conll_dev_f1_stays_at_or_above_the_recorded_figures() {
    let Some(dev) = shared_corpus("conll2003/dev") else { return };
    let (gold, misc) = gold(&dev.with_file_name("dev.gold.jsonl"));
    let out = tempfile::tempdir().unwrap();
    run_ok(&[&dev], out.path(), &["--format", "csv", "--quiet"]);
    let kind_of = |kind: &str| match kind {
        "person" => "PER",
        "organization" => "ORG",
        _ => "LOC",
    };
    // Each prediction once; one overlapping a MISC span is neither right nor wrong.
    let mut predicted: HashSet<(Span, &str)> = HashSet::new();
    for m in read_csv(&out.path().join("mentions.csv")) {
        let span: Span = (m["doc"].clone(), m["start"].parse().unwrap(), m["end"].parse().unwrap());
        let in_misc = misc.get(&span.0).is_some_and(|v| v.iter().any(|&(a, b)| a < span.2 && span.1 < b));
        if !in_misc {
            predicted.insert((span, kind_of(&m["kind"])));
        }
    }
    let typed_right = predicted.iter().filter(|(span, kind)| gold.get(span).is_some_and(|k| k == kind)).count();
    let spans: HashSet<&Span> = predicted.iter().map(|(span, _)| span).collect();
    let untyped_right = spans.iter().filter(|span| gold.contains_key(**span)).count();
    let typed = f1(typed_right, predicted.len(), gold.len());
    let untyped = f1(untyped_right, spans.len(), gold.len());
    eprintln!("CoNLL-2003 dev: typed F1 {typed:.3}, untyped F1 {untyped:.3}");
    assert!(typed + ROUNDING >= TYPED_F1, "typed F1 {typed:.4} fell below the recorded {TYPED_F1}");
    assert!(untyped + ROUNDING >= UNTYPED_F1, "untyped F1 {untyped:.4} fell below the recorded {UNTYPED_F1}");
}
