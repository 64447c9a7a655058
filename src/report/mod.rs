//! DataFrames in, files out: each report as `NAME.csv` and `NAME.parquet`, all of them as sheets of
//! `tally.xlsx`, an overview with charts as `report.html`, then `manifest.json`.
//!
//! Reports are written whole or not at all: every file goes to a temporary name in the output folder
//! first, and only when all of them are written are they renamed into place (a rename within a
//! folder is atomic), the manifest last. A failure removes the temporary files and leaves the
//! previous reports as they were.

mod cells;
pub mod csv;
pub mod html;
pub mod manifest;
pub mod parquet;
pub mod xlsx;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use polars::prelude::{DataFrame, PolarsError, PolarsResult};
use rayon::prelude::*;

use crate::count::DocumentTotals;

pub use self::csv::{BatchedCsvWriter, CsvOptions, CsvWriter};
pub use manifest::Manifest;
pub use parquet::write_parquet;
pub use xlsx::Workbook;

/// Whether a spreadsheet would run `text` as a formula: it starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return (OWASP's list for CSV injection).
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Why reports could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The file system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// polars failed (building or writing a frame).
    #[error("polars: {0}")]
    Polars(#[from] PolarsError),
    /// A column's type has no CSV form.
    #[error("column {0} has type {1}, which the CSV writer does not print")]
    Unsupported(String, String),
    /// The workbook could not be written.
    #[error("workbook: {0}")]
    Xlsx(String),
    /// The manifest could not be encoded.
    #[error("manifest: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing one file failed.
    #[error("writing {path}: {source}")]
    File {
        /// The file being written.
        path: PathBuf,
        /// What failed.
        source: Box<ReportError>,
    },
}

/// Report files written to temporary names, waiting to be renamed into place by
/// [`ReportSet::commit`]. Dropped without a commit, it removes its temporary files.
pub struct ReportSet {
    out: PathBuf,
    formats: Formats,
    /// (final path, temporary path) of each staged file.
    staged: Vec<(PathBuf, PathBuf)>,
    /// `tally.xlsx` as it fills, shared with the streams writing its long sheets.
    workbook: Option<Arc<Mutex<Workbook>>>,
}

impl ReportSet {
    /// An empty set of reports for the folder `out`, each report in `formats`.
    pub fn new(out: &Path, formats: Formats) -> Result<ReportSet, ReportError> {
        remove_stale_temporaries(out);
        let workbook = match formats.xlsx {
            true => Some(Arc::new(Mutex::new(Workbook::new(out)))),
            false => None,
        };
        Ok(ReportSet { out: out.to_path_buf(), formats, staged: Vec::new(), workbook })
    }

    fn stage(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut BufWriter<File>) -> Result<(), ReportError>,
    ) -> Result<(), ReportError> {
        let (paths, result) = write_temporary(&self.out, name, write);
        self.staged.push(paths);
        result
    }

    /// Stages each frame as `NAME.csv` and `NAME.parquet` and adds it to the workbook (as the formats
    /// say), the frames in parallel on the current rayon pool.
    pub fn add_frames(&mut self, frames: &[(&str, DataFrame)], csv: &CsvOptions) -> Result<(), ReportError> {
        let (out, formats) = (self.out.clone(), self.formats);
        let workbook = self.workbook.clone();
        let to_workbook = || -> Result<(), ReportError> {
            match &workbook {
                Some(book) => book
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .append_all(frames)
                    .map_err(|e| in_file(out.join(WORKBOOK), e)),
                None => Ok(()),
            }
        };
        let (sheets, written) = rayon::join(to_workbook, || {
            // Each file is a task of its own, so a large report's CSV and Parquet are written at once.
            let files = frames.iter().flat_map(|(name, df)| {
                let as_csv = formats.csv.then_some((*name, df, true));
                as_csv.into_iter().chain(formats.parquet.then_some((*name, df, false)))
            });
            files
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|(name, df, as_csv)| match as_csv {
                    true => write_temporary(&out, &format!("{name}.csv"), |w| {
                        CsvWriter::new(w).with_options(csv.clone()).finish(df)
                    }),
                    false => write_temporary(&out, &format!("{name}.parquet"), |w| write_parquet(w, &mut df.clone())),
                })
                .collect::<Vec<_>>()
        });
        let mut first_error = sheets.err();
        for (paths, result) in written {
            self.staged.push(paths);
            if let Err(err) = result {
                first_error.get_or_insert(err);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Lists the workbook's sheets of the reports named in `names` in that order, whatever order
    /// they are added in.
    pub fn put_in_order(&mut self, names: &[&str]) {
        if let Some(book) = &self.workbook {
            book.lock().unwrap_or_else(PoisonError::into_inner).put_in_order(names);
        }
    }

    /// Opens `NAME.csv` and `NAME.parquet` to be written a batch at a time; the stream must be
    /// finished before [`ReportSet::commit`].
    pub fn stream(&mut self, name: &str, csv: &CsvOptions) -> Result<ReportStream, ReportError> {
        let mut open = |file: String| -> Result<File, ReportError> {
            let path = self.out.join(&file);
            let tmp = temporary(&self.out, &file);
            self.staged.push((path.clone(), tmp.clone()));
            File::create(&tmp).map_err(|e| ReportError::File { path, source: Box::new(e.into()) })
        };
        let formats = self.formats;
        let csv = match formats.csv {
            true => {
                Some(CsvWriter::new(BufWriter::new(open(format!("{name}.csv"))?)).with_options(csv.clone()).batched()?)
            }
            false => None,
        };
        let parquet = match formats.parquet {
            true => {
                let file = open(format!("{name}.parquet"))?;
                ParquetStream::Waiting { sync: file.try_clone()?, file }
            }
            false => ParquetStream::Off,
        };
        let workbook = self.workbook.clone();
        Ok(ReportStream { name: name.to_string(), csv, parquet, workbook, appended: false })
    }

    /// Lists the workbook's sheet `name` after all others (a long one, streamed while the rest is
    /// counted).
    pub fn put_last(&mut self, name: &str) {
        if let Some(book) = &self.workbook {
            book.lock().unwrap_or_else(PoisonError::into_inner).put_last(name);
        }
    }

    /// Stages `tally.xlsx` (its Summary sheet made from `manifest`, `frames` and the `documents`) and
    /// `report.html`, as the formats say, side by side; every stream must be finished first.
    pub fn add_overviews(
        &mut self,
        frames: &[(&str, DataFrame)],
        manifest: &Manifest,
        documents: &DocumentTotals,
    ) -> Result<(), ReportError> {
        let out = &self.out;
        let workbook = self.workbook.take().map(|book| match Arc::try_unwrap(book) {
            Ok(book) => book.into_inner().unwrap_or_else(PoisonError::into_inner),
            Err(_) => panic!("a report stream of {} was not finished", out.display()),
        });
        let html = self.formats.html;
        let (xlsx, html) = rayon::join(
            || workbook.map(|book| write_temporary(out, WORKBOOK, |w| book.save(manifest, frames, documents, w))),
            || html.then(|| write_temporary(out, OVERVIEW, |w| html::write(w, manifest, frames, documents))),
        );
        let mut first_error = None;
        for (paths, result) in xlsx.into_iter().chain(html) {
            self.staged.push(paths);
            if let Err(err) = result {
                first_error.get_or_insert(err);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Stages `manifest.json`, with the files staged so far (and itself) as its `reports`.
    pub fn add_manifest(&mut self, manifest: &mut Manifest) -> Result<(), ReportError> {
        let names = self.staged.iter().filter_map(|(path, _)| path.file_name()?.to_str().map(String::from));
        manifest.reports = names.chain([MANIFEST.to_string()]).collect();
        self.stage(MANIFEST, |w| {
            serde_json::to_writer_pretty(&mut *w, manifest)?;
            Ok(w.write_all(b"\n")?)
        })
    }

    /// Renames every staged file into place, in the order staged, then removes the reports an
    /// earlier run listed in the folder's manifest that this run did not write (`ngrams` after a run
    /// with `--no-ngrams`, `kwic` after one without `--kwic`…): they would pass for this run's.
    /// Returns the final paths.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, ReportError> {
        let earlier = earlier_reports(&self.out);
        let mut written = Vec::with_capacity(self.staged.len());
        for (path, tmp) in std::mem::take(&mut self.staged) {
            fs::rename(&tmp, &path)
                .map_err(|e| ReportError::File { path: path.clone(), source: Box::new(e.into()) })?;
            written.push(path);
        }
        for name in earlier {
            if !written.iter().any(|path| path.file_name() == Some(name.as_ref())) {
                let _ = fs::remove_file(self.out.join(name));
            }
        }
        Ok(written)
    }
}

/// The files the manifest in `out` says an earlier run wrote there; only plain file names are taken,
/// so nothing outside `out`, and no temporary file, is ever named.
fn earlier_reports(out: &Path) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Written {
        #[serde(default)]
        reports: Vec<String>,
    }
    let Ok(text) = fs::read_to_string(out.join(MANIFEST)) else { return Vec::new() };
    let Ok(written) = serde_json::from_str::<Written>(&text) else { return Vec::new() };
    let plain = |name: &String| Path::new(name).file_name() == Some(name.as_ref()) && !name.starts_with('.');
    written.reports.into_iter().filter(plain).collect()
}

impl Drop for ReportSet {
    fn drop(&mut self) {
        for (_, tmp) in &self.staged {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// The workbook's file name.
pub const WORKBOOK: &str = "tally.xlsx";
/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The HTML overview's file name.
pub const OVERVIEW: &str = "report.html";

fn in_file(path: PathBuf, source: ReportError) -> ReportError {
    ReportError::File { path, source: Box::new(source) }
}

/// Where the file `name` in `out` is written before it is renamed into place: `.NAME.PID.tmp`.
fn temporary(out: &Path, name: &str) -> PathBuf {
    out.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Removes from `out` the temporary files (see [`temporary`]) of runs that were killed before they
/// could: those whose process is gone. Linux only (it asks `/proc`); elsewhere they stay.
fn remove_stale_temporaries(out: &Path) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let Ok(entries) = std::fs::read_dir(out) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else { continue };
        let Some(pid) = stem.rsplit_once('.').and_then(|(_, pid)| pid.parse::<u32>().ok()) else { continue };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes the file `name` in `out` under a temporary name; returns its (final, temporary) paths and
/// how the writing went.
fn write_temporary(
    out: &Path,
    name: &str,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), ReportError>,
) -> ((PathBuf, PathBuf), Result<(), ReportError>) {
    let path = out.join(name);
    let tmp = temporary(out, name);
    let result = File::create(&tmp).map_err(ReportError::from).and_then(|file| {
        let mut w = BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        Ok(file.sync_all()?)
    });
    let result = result.map_err(|err| ReportError::File { path: path.clone(), source: Box::new(err) });
    ((path, tmp), result)
}

/// One report written a batch at a time, as CSV and Parquet side by side.
pub struct ReportStream {
    name: String,
    csv: Option<BatchedCsvWriter<BufWriter<File>>>,
    parquet: ParquetStream,
    workbook: Option<Arc<Mutex<Workbook>>>,
    /// Whether a batch came (else `finish` writes an empty table, for the columns).
    appended: bool,
}

/// The Parquet side of a [`ReportStream`]. `sync` is a second handle on the file, to flush it to
/// disk at the end.
enum ParquetStream {
    /// Not written.
    Off,
    /// Open, until the first batch gives the schema.
    Waiting { file: File, sync: File },
    /// Writing.
    Writing { writer: Box<polars::prelude::BatchedWriter<File>>, sync: File },
}

impl ReportStream {
    /// Appends the rows of `df`: its Parquet on a thread of its own, beside its CSV and its sheet.
    pub fn append(&mut self, df: &DataFrame) -> Result<(), ReportError> {
        let name = &self.name;
        let in_file = |source: ReportError| ReportError::File { path: PathBuf::from(name), source: Box::new(source) };
        self.appended = true;
        if let ParquetStream::Waiting { .. } = self.parquet {
            let ParquetStream::Waiting { file, sync } = std::mem::replace(&mut self.parquet, ParquetStream::Off) else {
                unreachable!("matched above")
            };
            let writer = parquet::parquet_writer(file).batched(df.schema()).map_err(|e| in_file(e.into()))?;
            self.parquet = ParquetStream::Writing { writer: Box::new(writer), sync };
        }
        let (csv, parquet, workbook) = (&mut self.csv, &mut self.parquet, &self.workbook);
        std::thread::scope(|scope| {
            let parquet = scope.spawn(move || match parquet {
                ParquetStream::Writing { writer, .. } => writer.write_batch(df).map_err(|e| in_file(e.into())),
                _ => Ok(()),
            });
            if let Some(csv) = csv {
                csv.write_batch(df).map_err(in_file)?;
            }
            if let Some(book) = workbook {
                book.lock().unwrap_or_else(PoisonError::into_inner).append(name, df).map_err(in_file)?;
            }
            parquet.join().expect("the Parquet writer panicked")
        })
    }

    /// Finishes both files; `empty` gives the columns when no batch came.
    pub fn finish(mut self, empty: &DataFrame) -> Result<(), ReportError> {
        if !self.appended {
            self.append(empty)?;
        }
        if let Some(csv) = self.csv {
            csv.finish()?.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        }
        if let ParquetStream::Writing { writer, sync } = self.parquet {
            writer.finish()?;
            sync.sync_all()?;
        }
        Ok(())
    }
}

/// Which formats reports are written in (the manifest is always written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Formats {
    /// `NAME.csv`.
    pub csv: bool,
    /// `NAME.parquet`.
    pub parquet: bool,
    /// `tally.xlsx`, a sheet per report.
    pub xlsx: bool,
    /// `report.html`, the overview with charts.
    pub html: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats { csv: true, parquet: true, xlsx: true, html: true }
    }
}

/// The `n` most frequent terms of the `terms` frame that are neither stopwords nor numbers, with
/// their counts.
pub fn top_terms(terms: &DataFrame, n: usize) -> PolarsResult<Vec<(String, i64)>> {
    let (term, count) = (terms.column("term")?.str()?, terms.column("count")?.i64()?);
    let (stop, number) = (terms.column("is_stopword")?.bool()?, terms.column("is_number")?.bool()?);
    Ok((0..terms.height())
        .filter(|&i| stop.get(i) == Some(false) && number.get(i) == Some(false))
        .take(n)
        .map(|i| (term.get(i).unwrap_or("").to_string(), count.get(i).unwrap_or(0)))
        .collect())
}

/// Every actor of the `actors` frame as (name, kind, mentions), in the frame's order (most
/// mentioned first).
pub(crate) fn actor_rows(actors: &DataFrame) -> PolarsResult<Vec<(String, String, i64)>> {
    let (actor, kind, mentions) =
        (actors.column("actor")?.str()?, actors.column("kind")?.str()?, actors.column("mentions")?.i64()?);
    Ok((0..actors.height())
        .map(|i| {
            (
                actor.get(i).unwrap_or("").to_string(),
                kind.get(i).unwrap_or("").to_string(),
                mentions.get(i).unwrap_or(0),
            )
        })
        .collect())
}

/// Checks that `out` exists or can be created and that a file can be written in it.
pub fn check_writable(out: &Path) -> Result<(), std::io::Error> {
    fs::create_dir_all(out)?;
    let probe = out.join(format!(".tally-write-check.{}", std::process::id()));
    File::create(&probe)?;
    fs::remove_file(&probe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    #[test]
    fn nothing_lands_until_commit_and_a_drop_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let frames = [("t", DataFrame::new_infer_height(vec![Column::new("a".into(), [1i64])]).unwrap())];
        let manifest = Manifest::default();
        let mut set = ReportSet::new(dir.path(), Formats::default()).unwrap();
        set.add_frames(&frames, &CsvOptions::default()).unwrap();
        set.add_overviews(&frames, &manifest, &DocumentTotals::default()).unwrap();
        assert!(!dir.path().join("t.csv").exists());
        drop(set);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "temporary files left behind");

        let mut set = ReportSet::new(dir.path(), Formats::default()).unwrap();
        set.add_frames(&frames, &CsvOptions::default()).unwrap();
        set.add_overviews(&frames, &manifest, &DocumentTotals::default()).unwrap();
        let written = set.commit().unwrap();
        let mut names: Vec<_> = written.iter().map(|p| p.file_name().unwrap().to_str().unwrap()).collect();
        names.sort_unstable();
        assert_eq!(names, ["report.html", "t.csv", "t.parquet", "tally.xlsx"]);
        assert_eq!(fs::read_to_string(dir.path().join("t.csv")).unwrap(), "a\n1\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 4);
    }

    #[test]
    fn a_run_removes_the_reports_an_earlier_run_wrote_and_it_does_not() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        fs::create_dir(&dir).unwrap();
        let frame = || DataFrame::new_infer_height(vec![Column::new("a".into(), [1i64])]).unwrap();
        let csv_only = Formats { csv: true, parquet: false, xlsx: false, html: false };
        let run = |names: &[&str]| {
            let frames: Vec<_> = names.iter().map(|&n| (n, frame())).collect();
            let mut set = ReportSet::new(&dir, csv_only).unwrap();
            set.add_frames(&frames, &CsvOptions::default()).unwrap();
            let mut manifest = Manifest::default();
            set.add_manifest(&mut manifest).unwrap();
            set.commit().unwrap();
            manifest.reports
        };
        let listed = |dir: &Path| {
            let mut names: Vec<String> =
                fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
            names.sort_unstable();
            names
        };
        assert_eq!(run(&["t", "u"]), ["t.csv", "u.csv", "manifest.json"]);
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        assert_eq!(run(&["t"]), ["t.csv", "manifest.json"]);
        assert_eq!(listed(&dir), ["manifest.json", "notes.txt", "t.csv"]);

        // Only plain names in the folder are ever removed, whatever a manifest lists (the paths
        // outside it are in the temporary folder, so a broken check harms nothing else).
        let (outside, absolute) = (root.path().join("outside.csv"), root.path().join("absolute.csv"));
        for file in [&outside, &absolute, &dir.join(".hidden.csv")] {
            fs::write(file, "x").unwrap();
        }
        let forged = serde_json::json!({ "reports": ["../outside.csv", ".hidden.csv", absolute, "t.csv"] });
        fs::write(dir.join(MANIFEST), forged.to_string()).unwrap();
        run(&["t"]);
        assert!(outside.exists() && absolute.exists() && dir.join(".hidden.csv").exists());
        assert_eq!(listed(&dir), [".hidden.csv", "manifest.json", "notes.txt", "t.csv"]);
    }
}
