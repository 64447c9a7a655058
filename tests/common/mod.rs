//! What the integration tests share: running the binary, reading reports, finding `../shared`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use polars::prelude::*;

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A corpus under `../shared/corpora`, or `None` (with a message) when `../shared` is absent.
pub fn shared_corpus(rel: &str) -> Option<PathBuf> {
    let path = repo().join("../shared/corpora").join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

/// Runs `tally ARGS…` in the folder `dir`.
pub fn tally_in(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("tally").unwrap().current_dir(dir).args(args).output().unwrap()
}

/// Runs `tally ARGS…` from the repository root.
pub fn tally(args: &[&str]) -> Output {
    Command::cargo_bin("tally").unwrap().current_dir(repo()).args(args).output().unwrap()
}

/// Runs `tally run PATHS… --out OUT EXTRA…` and insists that it succeeds.
pub fn run_ok(paths: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<String> = vec!["run".into()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), out.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = tally(&refs);
    assert!(output.status.success(), "tally {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// A CSV report as rows of fields keyed by column name.
pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().map(String::from).zip(r.unwrap().iter().map(String::from)).collect())
        .collect()
}

/// The manifest as JSON.
pub fn read_manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// Every CSV file name in `dir`, sorted.
pub fn csv_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    names
}

/// The CSV reports a run with the default settings writes: those of the registry written always
/// and those of the n-grams, counted by default.
pub fn default_reports() -> Vec<&'static str> {
    use tally::frames::registry::{When, REPORTS};
    REPORTS.iter().filter(|r| matches!(r.when, When::Always | When::Ngrams)).map(|r| r.name).collect()
}

/// Asserts that two report folders hold the same CSVs, at least the [`REPORTS`] of every run, byte
/// for byte.
pub fn assert_same_csvs(a: &Path, b: &Path) {
    let names = csv_names(a);
    assert_eq!(names, csv_names(b));
    assert!(names.len() >= default_reports().len(), "{names:?}");
    for name in names {
        let (x, y) = (std::fs::read(a.join(&name)).unwrap(), std::fs::read(b.join(&name)).unwrap());
        assert!(x == y, "{name} differs between {} and {}", a.display(), b.display());
    }
}

/// Asserts that `NAME.parquet` in `dir` holds what `NAME.csv` holds, cell for cell (a list as its
/// items joined by `; `), with counts as Int64, dates as Date and aliases as lists.
pub fn assert_parquet_holds_csv(dir: &Path, name: &str) {
    let file = std::fs::File::open(dir.join(format!("{name}.parquet"))).unwrap();
    let df = ParquetReader::new(file).finish().unwrap();
    let rows = read_csv(&dir.join(format!("{name}.csv")));
    assert_eq!(df.height(), rows.len(), "{name}");
    for column in df.columns() {
        let expect = match column.name().as_str() {
            "date" | "first_date" | "last_date" | "period" => Some(DataType::Date),
            "count" | "documents" | "mentions" | "start" | "end" | "bytes" | "tokens" | "terms" | "sentences"
            | "sentence" => Some(DataType::Int64),
            "aliases" => Some(DataType::List(Box::new(DataType::String))),
            "alias_mentions" => Some(DataType::List(Box::new(DataType::Int64))),
            _ => None,
        };
        if let Some(dtype) = expect {
            assert_eq!(column.dtype(), &dtype, "{name}.{}", column.name());
        }
        // Every cell prints as the CSV has it.
        for (i, row) in rows.iter().enumerate() {
            let cell = match column.get(i).unwrap() {
                AnyValue::List(items) => {
                    let items = items.cast(&DataType::String).unwrap();
                    // An item holding "; " or starting with `"` is quoted, its quotes doubled.
                    let quoted = |v: Option<&str>| match v.unwrap_or("") {
                        t if t.contains("; ") || t.starts_with('"') => format!("\"{}\"", t.replace('"', "\"\"")),
                        t => t.to_string(),
                    };
                    items.str().unwrap().iter().map(quoted).collect::<Vec<_>>().join("; ")
                }
                AnyValue::Null => String::new(),
                AnyValue::String(s) => s.to_string(),
                AnyValue::StringOwned(s) => s.to_string(),
                AnyValue::Date(days) => tally::corpus::Date::from_days_since_epoch(days).to_string(),
                AnyValue::Int64(v) => v.to_string(),
                AnyValue::Float64(v) => v.to_string(),
                AnyValue::Boolean(v) => v.to_string(),
                v => panic!("{name}.{}: unexpected value {v:?}", column.name()),
            };
            assert_eq!(cell, row[column.name().as_str()], "{name}.{} row {i}", column.name());
        }
    }
}

/// `bytes` compressed with gzip.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}
