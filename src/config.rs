//! The settings a run uses, resolved once from the command line and a settings file (`tally.toml`, or
//! `--config FILE`), and checked before any work starts: a flag wins over the file, the file over the
//! built-in default. No stage reads [`crate::cli`]'s raw flags.

use std::path::PathBuf;

use crate::cli::{ReportFormat, RunArgs};
use crate::corpus::Fields;
use crate::count::CountOptions;
use crate::frames::registry::Selection;
use crate::frames::FrameOptions;
use crate::report::manifest::Analysis;
use crate::report::{CsvOptions, Formats};
use crate::tokenize::Stopwords;

/// The corpus read when no PATH is given.
pub const DEFAULT_CORPUS: &str = "seeds";

/// The folder the reports go to when none is given.
pub const DEFAULT_OUT: &str = "reports";

/// Resolved settings of `tally run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Files and folders to read, in the order given.
    pub paths: Vec<PathBuf>,
    /// Folder the reports go to.
    pub out: PathBuf,
    /// Worker threads, at least 1.
    pub threads: usize,
    /// How CSV reports are written.
    pub csv: CsvOptions,
    /// The formats reports are written in.
    pub formats: Formats,
    /// The rows of each report a sheet of the workbook holds (`--sheet-rows`).
    pub sheet_rows: u32,
    /// Users' actor dictionaries, read before the built-in one.
    pub actors: Vec<PathBuf>,
    /// A reference corpus for the keyness report (`--reference`).
    pub reference: Vec<PathBuf>,
    /// The part of the corpus to count alone (`--shard K/N`), if any.
    pub shard: Option<crate::parts::Shard>,
    /// The folder an incremental run keeps its units' counts in (`--state DIR`), if any.
    pub state: Option<PathBuf>,
    /// What decides the figures, as the manifest records it (its `digests` are filled in when the
    /// run reads the files they stand for).
    pub analysis: Analysis,
    /// Which files of the PATHs' folders are read (`--glob`, `--exclude`, `--input-format`).
    pub choice: crate::corpus::Choice,
    /// How terms are counted, made of `analysis` and the stopwords and `--kwic` terms it names.
    pub counting: CountOptions,
    /// How the reports are cut and grouped, made of `analysis`.
    pub frames: FrameOptions,
    /// Draw a progress bar on standard error (the binary turns it on for a terminal).
    pub progress: bool,
    /// Print nothing but errors.
    pub quiet: bool,
    /// List every skipped file and warning.
    pub verbose: bool,
    /// The settings file read, if any.
    pub settings_file: Option<PathBuf>,
    /// What was changed of the settings asked for, and why (printed, and kept in the manifest).
    pub warnings: Vec<String>,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// `--threads 0`.
    #[error("--threads must be at least 1")]
    NoThreads,
    /// `--min-count 0`.
    #[error("--min-count must be at least 1")]
    NoMinCount,
    /// `--min-documents 0`.
    #[error("--min-documents must be at least 1")]
    NoMinDocuments,
    /// `--max-document-bytes 0`.
    #[error("--max-document-bytes must be at least 1")]
    NoMaxDocumentBytes,
    /// `--sheet-rows` 0, or more than a sheet holds.
    #[error(
        "--sheet-rows must be from 1 to 1048573 (the rows an Excel sheet holds below its header and a note), not {0}"
    )]
    SheetRows(u32),
    /// A `--kwic` term that holds no word.
    #[error("--kwic {0}")]
    Kwic(String),
    /// No PATH given, and the default corpus is not in the working folder.
    #[error(
        "no PATH given, and the default corpus {DEFAULT_CORPUS}/ is not in the working folder {0}: give the documents to read (tally run PATH...)"
    )]
    NoDefaultCorpus(String),
    /// A `--glob` or `--exclude` pattern that is not a glob.
    #[error("--glob/--exclude: {0}")]
    Glob(String),
    /// `--reports` names no report.
    #[error("--reports: {0}")]
    Reports(String),
    /// A `--meta` or `--group-by` field that cannot be a column of `documents`.
    #[error("{0}")]
    Carried(String),
    /// `--reference` on a shard.
    #[error("--reference goes on `tally merge`, not on a shard (--shard)")]
    ReferenceOnShard,
    /// A path setting that is empty.
    #[error("`{0}`: an empty path names no file or folder")]
    EmptyPath(&'static str),
    /// `--state` where it cannot keep what it counted.
    #[error("--state: {0}")]
    State(String),
    /// `--stopwords` names no list.
    #[error("{0}")]
    Stopwords(String),
    /// The settings file cannot be read or holds something else than settings.
    #[error("settings file {path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line for TOML errors.
        message: String,
    },
}

/// Refuses a field carried into `documents` (`--meta`, `--group-by`) that is the text, or that
/// `documents` has a column of already, or that is named twice.
fn check_carried(fields: &Fields) -> Result<(), ConfigError> {
    let own = crate::frames::registry::DOCUMENTS.columns;
    let carried: Vec<&String> = fields.carried().collect();
    for (i, &name) in carried.iter().enumerate() {
        let flag = if fields.meta.contains(name) { "--meta" } else { "--group-by" };
        if name.is_empty() {
            return Err(ConfigError::Carried(format!("{flag}: a field's name is empty")));
        }
        if *name == fields.text {
            return Err(ConfigError::Carried(format!(
                "{flag} {name}: that is the text field (--text-field), the document itself"
            )));
        }
        if own.iter().any(|c| c.name == name) {
            return Err(ConfigError::Carried(format!(
                "{flag} {name}: the documents report has a `{name}` column of its own"
            )));
        }
        if carried[..i].contains(&name) {
            return Err(ConfigError::Carried(format!("--meta {name}: named twice")));
        }
    }
    Ok(())
}

/// The settings file read when `--config` is not given, if it exists.
pub const DEFAULT_SETTINGS_FILE: &str = "tally.toml";

/// Reads `--config FILE`, or `tally.toml` when there is one: the options of `tally run` by their long
/// names ([`RunArgs`]), each left out as it may be on the command line; nothing otherwise.
fn read_settings_file(explicit: Option<&PathBuf>) -> Result<(RunArgs, Option<PathBuf>), ConfigError> {
    let path = match explicit {
        Some(path) => path.clone(),
        None if std::path::Path::new(DEFAULT_SETTINGS_FILE).is_file() => PathBuf::from(DEFAULT_SETTINGS_FILE),
        None => return Ok((RunArgs::default(), None)),
    };
    let failed = |message: String| ConfigError::File { path: path.clone(), message };
    let text = std::fs::read_to_string(&path).map_err(|e| failed(e.to_string()))?;
    let settings = toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(1, |span| text[..span.start].matches('\n').count() + 1);
        failed(format!("line {line}: {}", in_words(e.message())))
    })?;
    Ok((settings, Some(path)))
}

/// A settings file's error with Rust's type names said in words: "expected usize" is "expected a
/// whole number".
fn in_words(message: &str) -> String {
    const WORDS: [(&str, &str); 8] = [
        ("usize", "a whole number"),
        ("u64", "a whole number"),
        ("u32", "a whole number"),
        ("a boolean", "true or false"),
        ("a sequence", "a list such as [\"a\", \"b\"]"),
        ("a string", "text in quotes"),
        ("struct RunArgs", "the settings"),
        ("a path string", "a path in quotes"),
    ];
    WORDS.iter().fold(message.to_string(), |m, (rust, words)| {
        m.replace(&format!("expected {rust}"), &format!("expected {words}"))
    })
}

/// Worker threads a run starts at most, per core: more only add the cost of switching between them
/// (5,000 threads took a minute to start and stop).
pub const MAX_THREADS_PER_CORE: usize = 4;

/// The worker threads asked for: at least one; one per core when none is asked for; at most
/// [`MAX_THREADS_PER_CORE`] per core, with a warning saying so when more are asked for.
pub fn threads(asked: Option<usize>) -> Result<(usize, Option<String>), ConfigError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = cores * MAX_THREADS_PER_CORE;
    match asked {
        Some(0) => Err(ConfigError::NoThreads),
        Some(n) if n > most => Ok((
            most,
            Some(format!(
                "--threads {n} is more than {MAX_THREADS_PER_CORE} a core on this machine's {cores}: using {most}"
            )),
        )),
        Some(n) => Ok((n, None)),
        None => Ok((cores, None)),
    }
}

/// The formats `--format` chose: all when none.
pub fn formats_of(chosen: &[ReportFormat]) -> Formats {
    match chosen.is_empty() {
        true => Formats::default(),
        false => Formats {
            csv: chosen.contains(&ReportFormat::Csv),
            parquet: chosen.contains(&ReportFormat::Parquet),
            xlsx: chosen.contains(&ReportFormat::Xlsx),
            html: chosen.contains(&ReportFormat::Html),
        },
    }
}

/// The rows of each report a sheet of the workbook holds: `asked`, else the default; what a sheet
/// holds at most.
pub fn sheet_rows(asked: Option<u32>) -> Result<u32, ConfigError> {
    match asked.unwrap_or(crate::report::xlsx::DEFAULT_SHEET_ROWS) {
        rows @ 1..=crate::report::xlsx::MAX_SHEET_ROWS => Ok(rows),
        rows => Err(ConfigError::SheetRows(rows)),
    }
}

/// The default corpus, `seeds/` in the working folder, if it is there.
pub fn default_corpus() -> Result<PathBuf, ConfigError> {
    let path = PathBuf::from(DEFAULT_CORPUS);
    match path.exists() {
        true => Ok(path),
        false => Err(ConfigError::NoDefaultCorpus(
            std::env::current_dir().map_or_else(|_| ".".into(), |d| d.display().to_string()),
        )),
    }
}

impl TryFrom<RunArgs> for Config {
    type Error = ConfigError;

    fn try_from(args: RunArgs) -> Result<Config, ConfigError> {
        let (file, settings_file) = read_settings_file(args.config.as_ref())?;
        let (threads, threads_warning) = threads(args.threads.or(file.threads))?;
        let paths = if !args.paths.is_empty() {
            args.paths
        } else if !file.paths.is_empty() {
            file.paths
        } else {
            vec![default_corpus()?]
        };
        let fields = Fields {
            text: args.text_field.or(file.text_field).unwrap_or_else(|| "text".into()),
            date: args.date_field.or(file.date_field).unwrap_or_else(|| "date".into()),
            id: args.id_field.or(file.id_field).unwrap_or_else(|| "id".into()),
            title: args.title_field.or(file.title_field).unwrap_or_else(|| "title".into()),
            meta: if args.meta.is_empty() { file.meta } else { args.meta },
            group_by: args.group_by.or(file.group_by).filter(|g| !g.is_empty()),
        };
        check_carried(&fields)?;
        let max_document_bytes =
            args.max_document_bytes.or(file.max_document_bytes).unwrap_or(crate::corpus::DEFAULT_MAX_DOCUMENT_BYTES);
        if max_document_bytes == 0 {
            return Err(ConfigError::NoMaxDocumentBytes);
        }
        // Flags can only turn these on; a file can turn them on too.
        let csv_bom = args.csv_bom || file.csv_bom;
        let sheet_rows = sheet_rows(args.sheet_rows.or(file.sheet_rows))?;
        let chosen = if args.format.is_empty() { file.format } else { args.format };
        let formats = formats_of(&chosen);
        let defaults = FrameOptions::default();
        let kwic_terms = if args.kwic.is_empty() { file.kwic } else { args.kwic };
        let kwic_width = args.kwic_width.or(file.kwic_width).unwrap_or(crate::kwic::DEFAULT_WIDTH);
        let kwic = crate::kwic::Query::new(&kwic_terms, kwic_width).map_err(ConfigError::Kwic)?;
        let stopwords = match args.stopwords.or(file.stopwords) {
            Some(name) => Stopwords::named(&name).map_err(ConfigError::Stopwords)?,
            None => Stopwords::default(),
        };
        let stem = (args.stem || file.stem).then(|| stopwords.stem_language());
        // A language with stopwords and no Snowball stemmer stems as English: said, not silent.
        let first_language = stopwords.name().split(',').next().unwrap_or_default().trim().to_lowercase();
        let stem_warning = (stem.is_some() && matches!(first_language.as_str(), "zh" | "chinese" | "ja" | "japanese"))
            .then(|| format!("--stem: no stemmer for {first_language}; terms are stemmed as English (words in Latin letters only change)"));
        let choice = crate::corpus::Choice::new(
            args.input_format.or(file.input_format),
            if args.glob.is_empty() { &file.glob } else { &args.glob },
            if args.exclude.is_empty() { &file.exclude } else { &args.exclude },
        )
        .map_err(ConfigError::Glob)?;
        let analysis = Analysis {
            fields,
            input_format: args.input_format.or(file.input_format),
            max_document_bytes,
            period: args.period.or(file.period).unwrap_or(defaults.period),
            timeline_terms: args.timeline_terms.or(file.timeline_terms).unwrap_or(defaults.timeline_terms),
            min_count: args.min_count.or(file.min_count).unwrap_or(defaults.min_count),
            min_documents: args.min_documents.or(file.min_documents).unwrap_or(defaults.min_documents),
            stopwords: stopwords.name().to_string(),
            drop_stopwords: args.drop_stopwords || file.drop_stopwords,
            no_ngrams: args.no_ngrams || file.no_ngrams,
            reports: Selection::check(if args.reports.is_empty() { &file.reports } else { &args.reports })
                .map_err(ConfigError::Reports)?,
            kwic: kwic.terms(),
            kwic_width: kwic.width,
            stem: stem.map(str::to_string),
            digests: Vec::new(),
        };
        if analysis.min_count == 0 {
            return Err(ConfigError::NoMinCount);
        }
        if analysis.min_documents == 0 {
            return Err(ConfigError::NoMinDocuments);
        }
        let reference = if args.reference.is_empty() { file.reference } else { args.reference };
        let frames = analysis.frame_options(!reference.is_empty());
        let shard = args.shard.or(file.shard);
        // Places in context no report asked for shows are not looked for (a shard keeps them all).
        let kwic = match shard.is_some() || frames.reports.holds(&crate::frames::registry::KWIC) {
            true => kwic,
            false => crate::kwic::Query::default(),
        };
        let mut counting = analysis.count_options_with(stopwords, kwic);
        // The page shows the first mentions of its actors in context (a shard keeps them for a merge).
        if (formats.html || shard.is_some()) && frames.reports.holds(&crate::frames::registry::ACTORS) {
            counting.contexts = crate::count::CONTEXT_LINES;
        }
        if shard.is_some() && !reference.is_empty() {
            return Err(ConfigError::ReferenceOnShard);
        }
        let state = args.state.or(file.state);
        if state.is_some() && paths.iter().any(|p| p.as_os_str() == crate::corpus::STDIN) {
            return Err(ConfigError::State(
                "standard input (-) is read once: keep its documents in a file to count them again".into(),
            ));
        }
        // An incremental run's units keep the first mentions of their actors in context whatever
        // the formats asked for, as a shard does: a later run over the same state may ask for the page.
        if state.is_some() && frames.reports.holds(&crate::frames::registry::ACTORS) {
            counting.contexts = crate::count::CONTEXT_LINES;
        }
        // A setting that only adds a report the reports asked for leave out would do nothing.
        use crate::frames::registry::{GROUP_ACTORS, GROUP_TERMS, KEYNESS, KWIC};
        let adds = [
            (!reference.is_empty(), "--reference", &[&KEYNESS][..]),
            (!analysis.kwic.is_empty(), "--kwic", &[&KWIC][..]),
            (analysis.fields.group_by.is_some(), "--group-by", &[&GROUP_TERMS, &GROUP_ACTORS][..]),
        ];
        for (given, flag, reports) in adds {
            if given && !reports.iter().any(|r| frames.reports.holds(r)) {
                let names: Vec<&str> = reports.iter().map(|r| r.name).collect();
                let what = if names.len() == 1 { "report" } else { "reports" };
                return Err(ConfigError::Reports(format!(
                    "{flag} adds the {} {what}, which the reports asked for leave out: add {}",
                    names.join(" and "),
                    names.join(" or "),
                )));
            }
        }
        // A report asked for that this run would not write is a mistake to say, not an empty set
        // (but keyness on a shard: `tally merge --reference` writes it).
        for report in analysis.reports.iter().filter_map(|name| crate::frames::registry::find(name)) {
            let on_merge = shard.is_some() && report.when == crate::frames::registry::When::Reference;
            if !report.when.holds(&frames) && !on_merge {
                return Err(ConfigError::Reports(format!(
                    "`{}` is written only {}",
                    report.name,
                    report.when.describe()
                )));
            }
        }
        let out = args.out.or(file.out).unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
        let actors = if args.actors.is_empty() { file.actors } else { args.actors };
        // The command line refuses an empty path; a settings file's `out = ""` would be the working folder.
        let named = [("out", std::slice::from_ref(&out)), ("paths", &paths[..]), ("actors", &actors[..])];
        let state_named = state.iter().map(|s| ("state", std::slice::from_ref(s)));
        let reference_named = std::iter::once(("reference", &reference[..]));
        for (setting, given) in named.into_iter().chain(state_named).chain(reference_named) {
            if given.iter().any(|p| p.as_os_str().is_empty()) {
                return Err(ConfigError::EmptyPath(setting));
            }
        }
        let verbose = args.verbose || (!args.quiet && file.verbose);
        let quiet = args.quiet || (!args.verbose && file.quiet);
        Ok(Config {
            paths,
            out,
            threads,
            csv: CsvOptions { bom: csv_bom },
            formats,
            sheet_rows,
            analysis,
            choice,
            counting,
            frames,
            actors,
            shard,
            state,
            reference,
            progress: false,
            quiet,
            verbose,
            settings_file,
            warnings: threads_warning.into_iter().chain(stem_warning).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(threads: Option<usize>, paths: &[&str]) -> RunArgs {
        RunArgs { paths: paths.iter().map(PathBuf::from).collect(), threads, ..RunArgs::default() }
    }

    #[test]
    fn defaults_and_checks() {
        let config = Config::try_from(args(None, &[])).unwrap();
        assert_eq!(config.paths, [PathBuf::from("seeds")]);
        assert_eq!(config.out, PathBuf::from("reports"));
        assert_eq!(config.analysis.fields, Fields::default());
        assert_eq!(config.analysis.max_document_bytes, crate::corpus::DEFAULT_MAX_DOCUMENT_BYTES);
        assert!(config.threads >= 1);
        let mut none = args(None, &[]);
        none.max_document_bytes = Some(0);
        assert_eq!(Config::try_from(none), Err(ConfigError::NoMaxDocumentBytes));
        assert_eq!(config.sheet_rows, 100_000);
        assert_eq!(config.analysis.min_documents, 2);
        let none = RunArgs { min_documents: Some(0), ..args(None, &[]) };
        assert_eq!(Config::try_from(none), Err(ConfigError::NoMinDocuments));
        for (rows, fits) in [(0, false), (1, true), (1_048_573, true), (1_048_574, false)] {
            let asked = RunArgs { sheet_rows: Some(rows), ..args(None, &[]) };
            let expected = if fits { Ok(rows) } else { Err(ConfigError::SheetRows(rows)) };
            assert_eq!(Config::try_from(asked).map(|c| c.sheet_rows), expected, "--sheet-rows {rows}");
        }
        assert_eq!(Config::try_from(args(Some(3), &["a", "b"])).unwrap().paths.len(), 2);
        assert_eq!(Config::try_from(args(Some(0), &[])), Err(ConfigError::NoThreads));
        let cores = std::thread::available_parallelism().unwrap().get();
        let many = Config::try_from(args(Some(100_000), &[])).unwrap();
        assert_eq!(many.threads, cores * MAX_THREADS_PER_CORE);
        assert!(many.warnings[0].contains("--threads 100000"), "{:?}", many.warnings);
        assert!(Config::try_from(args(Some(cores), &[])).unwrap().warnings.is_empty());
        let chinese = RunArgs { stem: true, stopwords: Some("zh".into()), ..args(Some(cores), &[]) };
        let warnings = Config::try_from(chinese).unwrap().warnings;
        assert!(warnings.len() == 1 && warnings[0].contains("--stem: no stemmer for zh"), "{warnings:?}");
        let russian = RunArgs { stem: true, stopwords: Some("ru".into()), ..args(Some(cores), &[]) };
        assert!(Config::try_from(russian).unwrap().warnings.is_empty());
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.toml");
        std::fs::write(
            &file,
            "paths = [\"corpus\"]\nout = \"from-file\"\nthreads = 1\ntext_field = \"body\"\ncsv_bom = true\nshard = \"2/3\"\n\
             max_document_bytes = 1000\nsheet_rows = 20\nmin_documents = 4\n",
        )
        .unwrap();
        let mut a = args(None, &[]);
        a.config = Some(file.clone());
        a.out = Some("from-flag".into());
        let config = Config::try_from(a).unwrap();
        assert_eq!(config.paths, [PathBuf::from("corpus")]);
        assert_eq!(config.out, PathBuf::from("from-flag"));
        let fields = &config.analysis.fields;
        assert_eq!((config.threads, fields.text.as_str(), fields.date.as_str()), (1, "body", "date"));
        assert!(config.csv.bom);
        assert_eq!(config.analysis.max_document_bytes, 1000);
        assert_eq!(config.sheet_rows, 20);
        assert_eq!(config.analysis.min_documents, 4);
        assert_eq!(config.formats, Formats::default());
        assert_eq!(config.settings_file, Some(file.clone()));
        assert_eq!(config.shard, Some(crate::parts::Shard { part: 2, parts: 3 }));

        std::fs::write(&file, "threads = 1\nshard = \"4/3\"\n").unwrap();
        let mut a = args(None, &[]);
        a.config = Some(file.clone());
        let Err(ConfigError::File { message, .. }) = Config::try_from(a) else { panic!("a bad shard must be refused") };
        assert!(message.contains("line 2") && message.contains("4/3"), "{message}");

        std::fs::write(&file, "thread = 2\n").unwrap();
        let mut a = args(None, &[]);
        a.config = Some(file.clone());
        let Err(ConfigError::File { message, .. }) = Config::try_from(a) else {
            panic!("an unknown key must be refused")
        };
        assert!(message.contains("thread"), "{message}");

        let mut a = args(None, &[]);
        a.config = Some(dir.path().join("missing.toml"));
        assert!(matches!(Config::try_from(a), Err(ConfigError::File { .. })));
    }

    #[test]
    fn a_settings_file_refuses_what_the_command_line_refuses() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.toml");
        let with = |text: &str| {
            std::fs::write(&file, text).unwrap();
            let mut a = args(Some(1), &["corpus"]);
            a.config = Some(file.clone());
            Config::try_from(a)
        };
        // `out = ""` would write the reports into the working folder, file by file.
        assert_eq!(with("out = \"\"\n"), Err(ConfigError::EmptyPath("out")));
        assert_eq!(with("actors = [\"\"]\n"), Err(ConfigError::EmptyPath("actors")));
        assert_eq!(with("state = \"\"\n"), Err(ConfigError::EmptyPath("state")));
        // An empty list would be every format, or every report, unsaid.
        for empty in ["format = \"\"\n", "format = []\n", "reports = []\n"] {
            let Err(ConfigError::File { message, .. }) = with(empty) else { panic!("{empty} must be refused") };
            assert!(message.contains("empty list"), "{message}");
        }
        assert!(with("format = \"csv\"\nout = \"r\"\n").is_ok());
    }
}
