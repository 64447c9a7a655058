//! The baseline tally is measured against: term counting as a competent programmer writes it first,
//! `unicode_words()` + `to_lowercase()` + `HashMap<String, u64>`, one map per thread, merged. With
//! `--read-only` it only reads every document: the floor no run over the same files can go below.
//!
//! `cargo run --release --example naive -- [--threads N] [--read-only] PATH` (a folder of `.txt`
//! files, or a JSON Lines file whose lines hold `"text"`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
}

fn count(text: &str, map: &mut HashMap<String, u64>) {
    for word in text.unicode_words() {
        *map.entry(word.to_lowercase()).or_insert(0) += 1;
    }
}

fn merge(mut a: HashMap<String, u64>, b: HashMap<String, u64>) -> HashMap<String, u64> {
    for (k, v) in b {
        *a.entry(k).or_insert(0) += v;
    }
    a
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let threads = args.iter().position(|a| a == "--threads").map_or(1, |i| args[i + 1].parse().expect("--threads N"));
    let read_only = args.iter().any(|a| a == "--read-only");
    let path = PathBuf::from(args.last().expect("a PATH"));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
    let started = Instant::now();
    let (bytes, terms) = pool.install(|| {
        if path.is_dir() {
            let mut paths = Vec::new();
            files(&path, &mut paths);
            let (bytes, map) = paths
                .par_iter()
                .fold(
                    || (0usize, HashMap::new()),
                    |(bytes, mut map), p| {
                        let text = std::fs::read_to_string(p).expect("a UTF-8 file");
                        if !read_only {
                            count(&text, &mut map);
                        }
                        (bytes + text.len(), map)
                    },
                )
                .reduce(|| (0, HashMap::new()), |a, b| (a.0 + b.0, merge(a.1, b.1)));
            (bytes, map.len())
        } else {
            let data = std::fs::read_to_string(&path).expect("a UTF-8 file");
            let lines: Vec<&str> = data.lines().collect();
            let map = lines
                .par_iter()
                .fold(HashMap::new, |mut map, line| {
                    if !read_only {
                        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                        count(v["text"].as_str().unwrap_or(""), &mut map);
                    }
                    map
                })
                .reduce(HashMap::new, merge);
            (data.len(), map.len())
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "naive: {:.1} MB in {seconds:.2} s = {:.1} MB/s, {terms} terms, {threads} threads{}",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds,
        if read_only { ", read only" } else { "" }
    );
}
