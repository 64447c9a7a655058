//! DataFrames in, files out: each report as `NAME.csv` and `NAME.parquet`, all of them as sheets of
//! `tally.xlsx`, an overview with charts as `report.html`, then `manifest.json`.
//!
//! Reports are a set, written whole or not at all. Every file of a run goes to a fresh staging folder
//! beside the output folder (`.NAME.tally-PID`); when all are written, the manifest (which lists
//! each file with its size and SHA-256) last, the two folders are swapped in one step (Linux's
//! `renameat2(RENAME_EXCHANGE)`), so the output folder holds the whole previous set or the whole new
//! one at every instant. Files in the output folder that tally did not write are kept: they are
//! linked or moved into the new folder. Where a folder cannot be swapped (not Linux, a file system
//! without the call, an output folder that is the working folder or a mount point), the files are
//! renamed into place one by one, the manifest last. A failure removes what was staged and leaves the
//! previous reports as they were; the next run clears what a killed one left.

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
pub use manifest::{Manifest, ReportFile};
pub use parquet::write_parquet;
pub use xlsx::Workbook;

/// Whether a spreadsheet would run `text` as a formula: it starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return (OWASP's list for CSV injection), and is not a plain number (`-5`, `+2.5e3`,
/// which a spreadsheet reads as the number it is: a `--meta` field's negative numbers stay numbers).
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(text)
}

/// Whether `text` is a decimal number: a sign, digits with at most one `.` among or after them, and
/// an exponent, nothing else.
fn is_plain_number(text: &str) -> bool {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = text.strip_prefix(['+', '-']).unwrap_or(text);
    let whole = digits(rest);
    let rest = &rest[whole..];
    let (fraction, rest) = match rest.strip_prefix('.') {
        Some(after) => (digits(after), &after[digits(after)..]),
        None => (0, rest),
    };
    if whole + fraction == 0 {
        return false;
    }
    match rest.strip_prefix(['e', 'E']) {
        Some(exponent) => {
            let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            !exponent.is_empty() && digits(exponent) == exponent.len()
        }
        None => rest.is_empty(),
    }
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

/// Where a set of reports is written before it lands in the output folder.
#[derive(Debug, Clone)]
struct Staging {
    /// The output folder, resolved (absolute, links followed).
    out: PathBuf,
    /// The staging folder beside it, swapped with it at the commit; `None`: files are staged under
    /// temporary names in `out` and renamed one by one.
    folder: Option<PathBuf>,
}

impl Staging {
    /// The (final, staged) paths of the file `name`.
    fn paths(&self, name: &str) -> (PathBuf, PathBuf) {
        let staged = match &self.folder {
            Some(folder) => folder.join(name),
            None => temporary(&self.out, name),
        };
        (self.out.join(name), staged)
    }

    /// Where the workbook's sheets wait, compressed, until it is saved.
    fn scratch(&self) -> &Path {
        self.folder.as_deref().unwrap_or(&self.out)
    }
}

/// Report files staged, waiting to land in the output folder at [`ReportSet::commit`]. Dropped
/// without a commit, it removes what it staged.
pub struct ReportSet {
    staging: Staging,
    formats: Formats,
    /// Whether a file name is one tally writes (a report, the workbook, the page, the manifest).
    known: fn(&str) -> bool,
    /// (final path, staged path) of each staged file.
    staged: Vec<(PathBuf, PathBuf)>,
    /// `tally.xlsx` as it fills, shared with the streams writing its long sheets.
    workbook: Option<Arc<Mutex<Workbook>>>,
}

impl ReportSet {
    /// An empty set of reports for the folder `out` (which exists), each report in `formats`;
    /// `known` tells the file names tally writes, the only ones it ever removes. Clears what runs
    /// killed before they could left beside or in `out`.
    pub fn new(out: &Path, formats: Formats, known: fn(&str) -> bool) -> Result<ReportSet, ReportError> {
        let out = resolve_path(out);
        remove_stale_temporaries(&out, known);
        recover_stale_staging(&out, known);
        let staging = Staging { folder: staging_folder(&out), out };
        let workbook = match formats.xlsx {
            true => {
                let mut book = Workbook::new(staging.scratch());
                book.set_files(formats);
                Some(Arc::new(Mutex::new(book)))
            }
            false => None,
        };
        Ok(ReportSet { staging, formats, known, staged: Vec::new(), workbook })
    }

    /// Makes each sheet of the workbook hold the first `rows` rows of its report (`--sheet-rows`).
    pub fn set_sheet_rows(&mut self, rows: u32) {
        if let Some(book) = &self.workbook {
            book.lock().unwrap_or_else(PoisonError::into_inner).set_sheet_rows(rows);
        }
    }

    fn stage(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut BufWriter<File>) -> Result<(), ReportError>,
    ) -> Result<(), ReportError> {
        let (paths, result) = write_staged(self.staging.paths(name), write);
        self.staged.push(paths);
        result
    }

    /// Stages each frame as `NAME.csv` and `NAME.parquet` and adds it to the workbook (as the formats
    /// say), the frames in parallel on the current rayon pool.
    pub fn add_frames(&mut self, frames: &[(&str, DataFrame)], csv: &CsvOptions) -> Result<(), ReportError> {
        let (staging, formats) = (self.staging.clone(), self.formats);
        let workbook = self.workbook.clone();
        let to_workbook = || -> Result<(), ReportError> {
            match &workbook {
                Some(book) => book
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .append_all(frames)
                    .map_err(|e| in_file(staging.out.join(WORKBOOK), e)),
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
                    true => write_staged(staging.paths(&format!("{name}.csv")), |w| {
                        CsvWriter::new(w).with_options(csv.clone()).finish(df)
                    }),
                    false => {
                        write_staged(staging.paths(&format!("{name}.parquet")), |w| write_parquet(w, &mut df.clone()))
                    }
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

    /// Stages the file `name`, to be written by the caller at the path returned before
    /// [`ReportSet::commit`].
    pub fn stage_file(&mut self, name: &str) -> PathBuf {
        let (path, staged) = self.staging.paths(name);
        self.staged.push((path, staged.clone()));
        staged
    }

    /// Opens `NAME.csv` and `NAME.parquet` to be written a batch at a time; the stream must be
    /// finished before [`ReportSet::commit`].
    pub fn stream(&mut self, name: &str, csv: &CsvOptions) -> Result<ReportStream, ReportError> {
        let mut open = |file: String| -> Result<File, ReportError> {
            let (path, staged) = self.staging.paths(&file);
            self.staged.push((path.clone(), staged.clone()));
            File::create(&staged).map_err(|e| ReportError::File { path, source: Box::new(e.into()) })
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

    /// Where a run may keep scratch files until it commits: the staging folder (else the output
    /// folder), which a killed run's next run clears.
    pub fn scratch_folder(&self) -> &Path {
        self.staging.scratch()
    }

    /// Stages `tally.xlsx` (its Summary sheet made from `manifest`, `frames` and the `documents`) and
    /// `report.html` (with the actors' first mentions in `contexts` too), as the formats say, side by side; every stream must be finished first.
    pub fn add_overviews(
        &mut self,
        frames: &[(&str, DataFrame)],
        manifest: &Manifest,
        documents: &DocumentTotals,
        contexts: &html::Contexts,
    ) -> Result<(), ReportError> {
        let staging = &self.staging;
        let workbook = self.workbook.take().map(|book| match Arc::try_unwrap(book) {
            Ok(book) => book.into_inner().unwrap_or_else(PoisonError::into_inner),
            Err(_) => panic!("a report stream of {} was not finished", staging.out.display()),
        });
        let html = self.formats.html;
        let (xlsx, html) = rayon::join(
            || {
                workbook
                    .map(|book| write_staged(staging.paths(WORKBOOK), |w| book.save(manifest, frames, documents, w)))
            },
            || {
                html.then(|| {
                    write_staged(staging.paths(OVERVIEW), |w| html::write(w, manifest, frames, documents, contexts))
                })
            },
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

    /// Stages `manifest.json`, listing every file staged so far with its size and SHA-256, signed.
    pub fn add_manifest(&mut self, manifest: &mut Manifest) -> Result<(), ReportError> {
        let listed: Vec<(String, &Path)> = self
            .staged
            .iter()
            .filter_map(|(path, staged)| Some((path.file_name()?.to_str()?.to_string(), staged.as_path())))
            .collect();
        manifest.reports = listed
            .into_par_iter()
            .map(|(name, staged)| {
                let (bytes, sha256) =
                    digest_file(staged).map_err(|e| in_file(self.staging.out.join(&name), e.into()))?;
                Ok(ReportFile { name, bytes, sha256 })
            })
            .collect::<Result<_, ReportError>>()?;
        manifest.signature = manifest::signature(&manifest.reports);
        self.stage(MANIFEST, |w| {
            serde_json::to_writer_pretty(&mut *w, manifest)?;
            Ok(w.write_all(b"\n")?)
        })
    }

    /// Lands the staged set in the output folder: swaps the staging folder in, or renames the files
    /// into place (the manifest last). The reports of the set before are gone after, and so are the
    /// files its signed manifest listed that this run did not write again (`ngrams` after a run with
    /// `--no-ngrams`…); every other file in the folder stays. Returns the final paths.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, ReportError> {
        let staged = std::mem::take(&mut self.staged);
        let written: Vec<PathBuf> = staged.iter().map(|(path, _)| path.clone()).collect();
        let out = self.staging.out.clone();
        // A file this set writes is replaced whatever it holds (the run's start refused one of the
        // user's): only the others are looked at, whose SHA-256 says whether they go.
        let rewritten = |name: &str| written.iter().any(|p| p.file_name() == Some(name.as_ref()));
        let earlier = earlier_reports(&out, self.known, &|name| !rewritten(name));
        let ours = |name: &str| earlier.iter().any(|e| e == name) || rewritten(name);
        if let Some(folder) = self.staging.folder.take() {
            match swap_in(&folder, &out, &ours, self.known) {
                Ok(()) => return Ok(written),
                // Nothing has moved: the files land one by one, as where no folder can be swapped.
                Err(_) => {
                    let landed = land_one_by_one(&staged, &earlier, &written, &out);
                    let _ = fs::remove_dir(&folder);
                    return landed;
                }
            }
        }
        land_one_by_one(&staged, &earlier, &written, &out)
    }
}

/// Renames the staged files into place one by one, in the order staged (the manifest last), then
/// removes the earlier set's reports this run did not write again.
fn land_one_by_one(
    staged: &[(PathBuf, PathBuf)],
    earlier: &[String],
    written: &[PathBuf],
    out: &Path,
) -> Result<Vec<PathBuf>, ReportError> {
    for (path, tmp) in staged {
        fs::rename(tmp, path).map_err(|e| ReportError::File { path: path.clone(), source: Box::new(e.into()) })?;
    }
    for name in earlier {
        if !written.iter().any(|path| path.file_name() == Some(name.as_ref())) {
            let _ = fs::remove_file(out.join(name));
        }
    }
    Ok(written.to_vec())
}

/// Swaps the staging `folder` (the new set) with `out` in one step, after linking into it every
/// file of `out` that is not `ours`; then moves back what could not be linked (folders, links) and
/// removes the earlier set. An error before the swap leaves `out` as it was.
fn swap_in(folder: &Path, out: &Path, ours: &dyn Fn(&str) -> bool, known: fn(&str) -> bool) -> std::io::Result<()> {
    let mut linked = Vec::new();
    let mut to_move = Vec::new();
    for entry in fs::read_dir(out)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_str().is_some_and(|n| ours(n) || is_temporary(n, known)) {
            continue;
        }
        let linked_here = entry.file_type()?.is_file() && fs::hard_link(entry.path(), folder.join(&name)).is_ok();
        match linked_here {
            true => linked.push(name),
            false => to_move.push(name),
        }
    }
    let undo = |linked: &[std::ffi::OsString]| {
        for name in linked {
            let _ = fs::remove_file(folder.join(name));
        }
    };
    // The folder swapped in is `out` to its users: the same owner, group and mode (the owner first,
    // which may clear a set-group-id bit). Where they cannot be the same, nothing is swapped.
    if let Err(err) = fs::metadata(out)
        .and_then(|m| same_owner(folder, &m).and_then(|()| fs::set_permissions(folder, m.permissions())))
        .and_then(|()| exchange(folder, out))
    {
        undo(&linked);
        return Err(err);
    }
    // `folder` now holds the earlier set and the files that are not tally's.
    for name in &to_move {
        let _ = fs::rename(folder.join(name), out.join(name));
    }
    undo(&linked);
    clear_earlier(folder, out, known);
    Ok(())
}

/// Gives `folder` the owner and group of `like`: a folder swapped in for one that a run as root, or
/// in a folder of another group, does not own.
fn same_owner(folder: &Path, like: &fs::Metadata) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ours = fs::metadata(folder)?;
        if (ours.uid(), ours.gid()) != (like.uid(), like.gid()) {
            std::os::unix::fs::chown(folder, Some(like.uid()), Some(like.gid()))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (folder, like);
    Ok(())
}

/// Empties a folder that held an earlier set (swapped out, or left by a killed run) and removes it:
/// a file tally writes (by its name) goes, as does a second link of a file in `out`; anything else
/// is moved into `out` when `out` has nothing of its name, else left, and the folder with it.
fn clear_earlier(folder: &Path, out: &Path, known: fn(&str) -> bool) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let (name, path) = (entry.file_name(), entry.path());
        let theirs = out.join(&name);
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && (name.to_str().is_some_and(|n| known(n) || is_temporary(n, known)) || same_file(&path, &theirs)) {
            let _ = fs::remove_file(&path);
        } else if fs::symlink_metadata(&theirs).is_err() {
            let _ = fs::rename(&path, &theirs);
        }
    }
    let _ = fs::remove_dir(folder);
}

fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Swaps two folders in one step.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two valid NUL-terminated paths; the call touches nothing else.
    let done =
        unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    match done {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "no atomic exchange of folders here"))
}

/// The staging folder for `out`: a new folder beside it, or `None` where none can be made or `out`
/// must not move (it is the working folder, or holds it, or is a mount point: the folder beside it
/// is on another file system, from which no file can be renamed into it).
fn staging_folder(out: &Path) -> Option<PathBuf> {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) {
        return None;
    }
    let here = std::env::current_dir().ok().map(|d| resolve_path(&d));
    if here.is_some_and(|here| here.starts_with(out)) || is_mount_point(out) {
        return None;
    }
    let folder = out.parent()?.join(format!(".{}.tally-{}", out.file_name()?.to_str()?, std::process::id()));
    fs::create_dir(&folder).ok()?;
    Some(folder)
}

/// Whether `folder` is the root of a mount other than its parent's (as a Docker volume is): told by
/// their mount ids (a bind mount of a folder on the same file system too), or where the system gives
/// none, by their devices.
fn is_mount_point(folder: &Path) -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if let (Some(a), Some(b)) = (mount_id(folder), folder.parent().and_then(mount_id)) {
        return a != b;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Some(parent) = folder.parent() else { return true };
        match (fs::metadata(folder), fs::metadata(parent)) {
            (Ok(a), Ok(b)) => a.dev() != b.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        false
    }
}

/// The id of the mount `path` is on, where the system says (Linux 5.8 on).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn mount_id(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: `statx` fills the zeroed buffer it is given, and reads only the NUL-terminated path.
    let mut buf: libc::statx = unsafe { std::mem::zeroed() };
    let done = unsafe { libc::statx(libc::AT_FDCWD, path.as_ptr(), 0, libc::STATX_MNT_ID, &mut buf) };
    (done == 0 && buf.stx_mask & libc::STATX_MNT_ID != 0).then_some(buf.stx_mnt_id)
}

/// Clears the staging folders beside `out` of runs killed before they could (those whose process is
/// gone): what is tally's goes, anything else (a folder of the user's caught in a swap) is put back.
fn recover_stale_staging(out: &Path, known: fn(&str) -> bool) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name().and_then(|n| n.to_str())) else { return };
    let prefix = format!(".{name}.tally-");
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)).and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if has_ended(pid) {
            clear_earlier(&entry.path(), out, known);
        }
    }
}

/// The files the signed manifest in `out` says tally wrote there, that are still as it wrote them
/// (the size and SHA-256 it listed: a report edited at the same size is the user's), and whose
/// names are tally's (`known`) and `asked` for; none when the manifest is not tally's or not whole.
/// Only plain file names are taken, so nothing outside `out` is ever named.
fn earlier_reports(out: &Path, known: fn(&str) -> bool, asked: &(dyn Fn(&str) -> bool + Sync)) -> Vec<String> {
    let Ok(text) = fs::read_to_string(out.join(MANIFEST)) else { return Vec::new() };
    let Ok(earlier) = serde_json::from_str::<manifest::Listing>(&text) else { return Vec::new() };
    if earlier.program != env!("CARGO_PKG_NAME") || earlier.signature != manifest::signature(&earlier.reports) {
        return Vec::new();
    }
    let plain = |name: &str| Path::new(name).file_name() == Some(name.as_ref()) && !name.starts_with('.');
    let as_written = |r: &ReportFile| {
        let path = out.join(&r.name);
        fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == r.bytes)
            && digest_file(&path).is_ok_and(|(_, sha256)| sha256 == r.sha256)
    };
    let mut names: Vec<String> = earlier
        .reports
        .into_par_iter()
        .filter(|r| plain(&r.name) && known(&r.name) && asked(&r.name) && as_written(r))
        .map(|r| r.name)
        .collect();
    names.push(MANIFEST.to_string());
    names
}

impl Drop for ReportSet {
    fn drop(&mut self) {
        for (_, tmp) in &self.staged {
            let _ = fs::remove_file(tmp);
        }
        if let Some(folder) = &self.staging.folder {
            let _ = fs::remove_dir(folder);
        }
    }
}

/// The workbook's file name.
pub const WORKBOOK: &str = "tally.xlsx";
/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The file a run keeps its mention rows in until its actors are resolved, only ever as a
/// temporary file ([`temporary`]) beside the reports it stages.
pub const SPOOL: &str = "mentions.spool";
/// The reference corpus's mention rows, waiting until its actors are resolved.
pub const REFERENCE_SPOOL: &str = "reference.spool";
/// The files a run's n-gram tables write what outgrows their memory to, only ever as temporary
/// files ([`temporary`]) beside the reports it stages.
pub const BIGRAM_SPILL: &str = "bigrams.spill";
/// See [`BIGRAM_SPILL`].
pub const TRIGRAM_SPILL: &str = "trigrams.spill";
/// The HTML overview's file name.
pub const OVERVIEW: &str = "report.html";

/// Whether `name` is a file tally writes into an output folder: `REPORT.csv` or `REPORT.parquet` for
/// a report `is_report` knows, the workbook, the page or the manifest.
pub fn is_report_file(name: &str, is_report: impl Fn(&str) -> bool) -> bool {
    match name.rsplit_once('.') {
        _ if [WORKBOOK, MANIFEST, OVERVIEW].contains(&name) => true,
        Some((report, "csv" | "parquet")) => is_report(report),
        _ => false,
    }
}

fn in_file(path: PathBuf, source: ReportError) -> ReportError {
    ReportError::File { path, source: Box::new(source) }
}

/// Where the file `name` in `folder` is written before it is renamed into place (where no staging
/// folder can be swapped in), or kept while a run needs it: `.NAME.PID.tmp`.
pub fn temporary(folder: &Path, name: &str) -> PathBuf {
    folder.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// The process that wrote the temporary file `name` (see [`temporary`]), if it is one: its NAME one
/// tally writes (`known`, the [`SPOOL`] or an n-gram spill file), so a file of the user's named alike is never taken for
/// one.
fn temporary_pid(name: &str, known: fn(&str) -> bool) -> Option<u32> {
    let stem = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (file, pid) = stem.rsplit_once('.')?;
    (known(file) || [SPOOL, REFERENCE_SPOOL, BIGRAM_SPILL, TRIGRAM_SPILL].contains(&file))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Whether `name` is a temporary file's (see [`temporary`]).
fn is_temporary(name: &str, known: fn(&str) -> bool) -> bool {
    temporary_pid(name, known).is_some()
}

/// Whether the process `pid` was another run's and has ended (Linux only: it asks `/proc`;
/// elsewhere no process is known to have ended).
fn has_ended(pid: u32) -> bool {
    cfg!(target_os = "linux") && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
}

/// Removes from `out` the temporary files (see [`temporary`]) of runs that were killed before they
/// could: those whose process has ended.
fn remove_stale_temporaries(out: &Path, known: fn(&str) -> bool) {
    let Ok(entries) = std::fs::read_dir(out) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_str().and_then(|name| temporary_pid(name, known)).is_some_and(has_ended) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes a file to its staged path, synced to disk; returns its (final, staged) paths and how the
/// writing went.
fn write_staged(
    (path, staged): (PathBuf, PathBuf),
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), ReportError>,
) -> ((PathBuf, PathBuf), Result<(), ReportError>) {
    let result = File::create(&staged).map_err(ReportError::from).and_then(|file| {
        let mut w = BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        Ok(file.sync_all()?)
    });
    let result = result.map_err(|err| ReportError::File { path: path.clone(), source: Box::new(err) });
    ((path, staged), result)
}

/// A file's size and SHA-256 (lower-case hex), as `sha256sum` prints it.
pub fn digest_file(path: &Path) -> std::io::Result<(u64, String)> {
    use sha2::Digest;
    use std::io::Read;
    let mut file = File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let (mut buf, mut bytes) = (vec![0u8; 1 << 16], 0u64);
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&buf[..n]);
                bytes += n as u64;
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok((bytes, hex(&hasher.finalize())))
}

/// Bytes as lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `path` made absolute with every link followed, as far as it exists (the rest appended as given):
/// two spellings of one folder resolve alike, whether or not it exists yet.
pub fn resolve_path(path: &Path) -> PathBuf {
    let absolute = match path.is_absolute() {
        true => path.to_path_buf(),
        false => std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf()),
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |p: PathBuf, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
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
            let writer = parquet::batched_writer(file, df.schema()).map_err(|e| in_file(e.into()))?;
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

/// `n` with thousands separated by commas.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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

impl Formats {
    /// The files that hold every row of the report `name`, as the workbook and the page name them
    /// ("terms.csv and terms.parquet"); `None` when neither CSV nor Parquet is written.
    pub fn every_row_in(&self, name: &str) -> Option<String> {
        match (self.csv, self.parquet) {
            (true, true) => Some(format!("{name}.csv and {name}.parquet")),
            (true, false) => Some(format!("{name}.csv")),
            (false, true) => Some(format!("{name}.parquet")),
            (false, false) => None,
        }
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

/// The entries of `out` a run would replace that tally did not write there: those named as tally
/// names its files (`known`, the manifest among them) that are not files the signed manifest in
/// `out` lists, as it wrote them (the size it listed). A run refuses to start over them: replacing
/// them would lose a file of the user's, or the user's changes to a report.
pub fn foreign_files(out: &Path, known: fn(&str) -> bool) -> Vec<String> {
    let Ok(entries) = fs::read_dir(out) else { return Vec::new() };
    let ours = earlier_reports(out, known, &|_| true);
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            let file = entry.file_type().is_ok_and(|t| t.is_file());
            (known(&name) && !(file && ours.contains(&name))).then_some(name)
        })
        .collect();
    names.sort();
    names
}

/// Checks that `out` exists or can be created and that a file can be written in it.
pub fn check_writable(out: &Path) -> Result<(), std::io::Error> {
    if out.exists() && !out.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "a file is there: --out names a folder"));
    }
    if !out.exists() && fs::symlink_metadata(out).is_ok() {
        let target = fs::read_link(out).map_or_else(|_| "nothing".into(), |t| t.display().to_string());
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("a link to {target}, which does not exist: make that folder, or give --out another"),
        ));
    }
    fs::create_dir_all(out)?;
    // A file without a name (O_TMPFILE where the system has it): a run killed here leaves nothing.
    tempfile::tempfile_in(out).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    /// The file names of reports `t` and `u`, as a run's `is_tally_file` tells them.
    fn known(name: &str) -> bool {
        is_report_file(name, |r| ["t", "u"].contains(&r))
    }

    fn listed(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort_unstable();
        names
    }

    fn frame() -> DataFrame {
        DataFrame::new_infer_height(vec![Column::new("a".into(), [1i64])]).unwrap()
    }

    const CSV_ONLY: Formats = Formats { csv: true, parquet: false, xlsx: false, html: false };

    /// Writes the reports `names` (CSV) and a manifest into `dir`; returns the manifest's listing.
    fn run(dir: &Path, names: &[&str]) -> Vec<String> {
        let frames: Vec<_> = names.iter().map(|&n| (n, frame())).collect();
        let mut set = ReportSet::new(dir, CSV_ONLY, known).unwrap();
        set.add_frames(&frames, &CsvOptions::default()).unwrap();
        let mut manifest = Manifest { program: "tally".into(), ..Manifest::default() };
        set.add_manifest(&mut manifest).unwrap();
        set.commit().unwrap();
        manifest.reports.into_iter().map(|r| r.name).collect()
    }

    #[test]
    fn nothing_lands_until_commit_and_a_drop_cleans_up() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        fs::create_dir(&dir).unwrap();
        let frames = [("t", frame())];
        let manifest = Manifest::default();
        let mut set = ReportSet::new(&dir, Formats::default(), known).unwrap();
        set.add_frames(&frames, &CsvOptions::default()).unwrap();
        set.add_overviews(&frames, &manifest, &DocumentTotals::default(), &Default::default()).unwrap();
        assert!(!dir.join("t.csv").exists());
        drop(set);
        assert_eq!(listed(root.path()), ["out"], "staging left behind");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0, "temporary files left behind");

        let mut set = ReportSet::new(&dir, Formats::default(), known).unwrap();
        set.add_frames(&frames, &CsvOptions::default()).unwrap();
        set.add_overviews(&frames, &manifest, &DocumentTotals::default(), &Default::default()).unwrap();
        let written = set.commit().unwrap();
        let mut names: Vec<_> = written.iter().map(|p| p.file_name().unwrap().to_str().unwrap()).collect();
        names.sort_unstable();
        assert_eq!(names, ["report.html", "t.csv", "t.parquet", "tally.xlsx"]);
        assert_eq!(fs::read_to_string(dir.join("t.csv")).unwrap(), "a\n1\n");
        assert_eq!(listed(&dir), names);
        assert_eq!(listed(root.path()), ["out"], "staging left behind");
    }

    #[test]
    fn the_manifest_lists_each_file_with_its_size_and_digest_signed() {
        let root = tempfile::tempdir().unwrap();
        run(root.path(), &["t"]);
        let m: Manifest = serde_json::from_str(&fs::read_to_string(root.path().join(MANIFEST)).unwrap()).unwrap();
        assert_eq!(m.reports.len(), 1);
        // SHA-256 of "a\n1\n", as `printf 'a\n1\n' | sha256sum` prints it.
        assert_eq!(m.reports[0].sha256, "309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc");
        assert_eq!((m.reports[0].name.as_str(), m.reports[0].bytes), ("t.csv", 4));
        assert_eq!(m.signature, manifest::signature(&m.reports));
    }

    #[test]
    fn a_run_removes_the_reports_an_earlier_run_wrote_and_it_does_not() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        fs::create_dir(&dir).unwrap();
        assert_eq!(run(&dir, &["t", "u"]), ["t.csv", "u.csv"]);
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        fs::create_dir(dir.join("drafts")).unwrap();
        fs::write(dir.join("drafts/d.txt"), "draft").unwrap();
        assert_eq!(run(&dir, &["t"]), ["t.csv"]);
        assert_eq!(listed(&dir), ["drafts", "manifest.json", "notes.txt", "t.csv"]);
        assert_eq!(fs::read_to_string(dir.join("drafts/d.txt")).unwrap(), "draft");
        assert_eq!(listed(root.path()), ["out"], "staging left behind");

        // Only files a signed manifest of tally's lists, by tally's report names, are removed:
        // a manifest written by hand names nothing to remove.
        let (outside, absolute) = (root.path().join("outside.csv"), root.path().join("absolute.csv"));
        for file in [&outside, &absolute, &dir.join(".hidden.csv"), &dir.join("precious.txt"), &dir.join("u.csv")] {
            fs::write(file, "x").unwrap();
        }
        let forged = serde_json::json!({ "program": "tally", "reports": ["../outside.csv", ".hidden.csv", absolute, "precious.txt", "u.csv"] });
        fs::write(dir.join(MANIFEST), forged.to_string()).unwrap();
        run(&dir, &["t"]);
        assert!(outside.exists() && absolute.exists());
        assert_eq!(
            listed(&dir),
            [".hidden.csv", "drafts", "manifest.json", "notes.txt", "precious.txt", "t.csv", "u.csv"]
        );
        // A listing that does not match its signature is no more tally's.
        let mut m: Manifest = serde_json::from_str(&fs::read_to_string(dir.join(MANIFEST)).unwrap()).unwrap();
        m.reports.push(ReportFile { name: "precious.txt".into(), bytes: 1, sha256: String::new() });
        fs::write(dir.join(MANIFEST), serde_json::to_string(&m).unwrap()).unwrap();
        run(&dir, &["u"]);
        assert!(dir.join("precious.txt").exists() && dir.join("t.csv").exists());
    }

    #[test]
    fn files_of_the_users_named_as_temporary_files_stay() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        fs::create_dir(&dir).unwrap();
        // The user's, though named `.NAME.NUMBER.tmp`; then what a killed run (no pid is this large)
        // left: reports and the mention spool, by their names.
        let users = [".backup.2024.tmp", ".x.1.tmp", "..123.tmp", ".notes.txt.4294967294.tmp", "mentions.spool"];
        let stale = [".t.csv.4294967294.tmp", ".u.parquet.4294967294.tmp", ".mentions.spool.4294967294.tmp"];
        for name in users.iter().chain(&stale) {
            fs::write(dir.join(name), "x").unwrap();
        }
        run(&dir, &["t"]);
        let mut expected: Vec<&str> = users.iter().copied().chain(["manifest.json", "t.csv"]).collect();
        expected.sort_unstable();
        assert_eq!(listed(&dir), expected, "staged and swapped in");
        // Where the files land one by one (no staging folder), the stale ones are cleared alike.
        for name in &stale {
            fs::write(dir.join(name), "x").unwrap();
        }
        remove_stale_temporaries(&dir, known);
        assert_eq!(listed(&dir), expected, "cleared one by one");
    }

    #[test]
    fn a_mount_point_is_told_from_a_folder() {
        let root = tempfile::tempdir().unwrap();
        assert!(!is_mount_point(root.path()));
        if Path::new("/proc/self").exists() {
            assert!(is_mount_point(Path::new("/proc")), "/proc is a file system of its own");
        }
    }

    #[test]
    fn what_a_killed_run_left_beside_the_folder_is_cleared_and_the_users_files_put_back() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        fs::create_dir(&dir).unwrap();
        run(&dir, &["t"]);
        // A run killed (its process is gone: no pid is this large) just after the swap: the earlier
        // set and a folder of the user's, not yet moved back, are in its staging folder.
        let stale = root.path().join(".out.tally-4294967294");
        fs::create_dir_all(stale.join("drafts")).unwrap();
        fs::write(stale.join("drafts/d.txt"), "draft").unwrap();
        fs::write(stale.join("t.csv"), "old").unwrap();
        fs::write(stale.join("mine.txt"), "mine").unwrap();
        run(&dir, &["t"]);
        assert_eq!(listed(root.path()), ["out"]);
        assert_eq!(listed(&dir), ["drafts", "manifest.json", "mine.txt", "t.csv"]);
        assert_eq!(fs::read_to_string(dir.join("t.csv")).unwrap(), "a\n1\n");
    }
}
