//! The command line as clap parses it: a mirror of the flags, nothing more. [`crate::config`] checks
//! and resolves it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Corpus analytics for news: which terms and actors occur, how often, together and over time.
#[derive(Debug, Parser)]
#[command(
    name = "tally",
    version,
    about,
    long_about = None,
    after_help = "Exit status: 0 the reports were written; 2 a setting, an input, the output folder or the shards \
                  are wrong (nothing written); 3 no document could be read (nothing written)."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// tally's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a corpus, count terms and actors, write the reports (CSV, Parquet, the workbook tally.xlsx,
    /// the page report.html and manifest.json).
    Run(Box<RunArgs>),
    /// Print every actor mention found in documents, a tab-separated line each, for a quick look: as
    /// each document finds it, before a run resolves the actors across the corpus.
    Actors(ActorsArgs),
    /// Print every place a term or phrase occurs, in context: keyword in context, a tab-separated
    /// line each.
    Kwic(KwicArgs),
    /// Combine the results of `tally run --shard K/N` (every K of one N) into the reports one run
    /// over the whole corpus writes.
    Merge(MergeArgs),
    /// Print a completion script for a shell (e.g. `tally completions bash > ~/.local/share/bash-completion/completions/tally`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// A report format `--format` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// `NAME.csv`: RFC 4180, UTF-8, spreadsheet-safe.
    Csv,
    /// `NAME.parquet`: typed columns, zstd-compressed.
    Parquet,
    /// `tally.xlsx`: a Summary sheet, then one sheet per report.
    Xlsx,
    /// `report.html`: one self-contained page of charts.
    Html,
}

/// The flags of `tally actors`.
#[derive(Debug, Args)]
pub struct ActorsArgs {
    /// Files and folders of documents, read as `tally run` reads them (a date header is honoured).
    /// None, or `-`: standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// A dictionary of your own actors, before the built-in one (repeatable): CSV/TSV with the
    /// columns actor, kind, code, aliases, or PETRARCH/CAMEO (*.actors.txt).
    #[arg(long, value_name = "FILE")]
    pub actors: Vec<PathBuf>,
}

/// The flags of `tally kwic`.
#[derive(Debug, Args)]
pub struct KwicArgs {
    /// The terms or phrases to look for, then the documents or folders to read (the arguments at
    /// the end that name existing files or folders; none: seeds/). Matched as terms are counted:
    /// case and a final possessive do not matter.
    #[arg(value_name = "TERM|PATH", required = true)]
    pub args: Vec<String>,

    /// Characters of context on each side.
    #[arg(long, value_name = "N", default_value_t = crate::kwic::DEFAULT_WIDTH)]
    pub width: usize,
}

/// The flags of `tally merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' output folders (each `tally run --shard K/N --out DIR`).
    #[arg(value_name = "PART_DIR", required = true)]
    pub parts: Vec<PathBuf>,

    /// Where the reports go. Default: reports/
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Worker threads. Default: one per core
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// The formats to write the reports in, comma-separated. Default: csv,parquet,xlsx,html
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub format: Vec<ReportFormat>,

    /// Start every CSV report with a UTF-8 byte-order mark.
    #[arg(long)]
    pub csv_bom: bool,

    /// The rows of each report a sheet of tally.xlsx holds, below its header: its first (a ranked
    /// report's strongest); every row is in its CSV and Parquet. Default: 100000
    #[arg(long, value_name = "N")]
    pub sheet_rows: Option<u32>,

    /// A reference corpus (repeatable): adds the keyness report, each term and actor against it.
    #[arg(long, value_name = "PATH")]
    pub reference: Vec<PathBuf>,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The flags of `tally run`, each declared once: a settings file (`tally.toml`, `--config`) holds the
/// same options by the same names, read into this type too.
#[derive(Debug, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunArgs {
    /// Document files, JSON Lines (.jsonl, .ndjson), CSV/TSV with a header, Parquet, `-` for standard
    /// input, or folders walked recursively in sorted order (text formats also as .gz or .zst).
    /// Default: seeds/
    #[arg(value_name = "PATH")]
    #[serde(deserialize_with = "one_or_many")]
    pub paths: Vec<PathBuf>,

    /// Folder the reports are written to; created if missing. Default: reports/
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Worker threads. Default: one per core.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// How standard input and a file named as PATH with an extension tally does not know hold their
    /// documents: text (one document), jsonl, csv, tsv, parquet (not on standard input); standard
    /// input compressed with gzip or zstd is told by its first bytes. Default: text
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<crate::corpus::Format>,

    /// In folders, read only the files matching this glob (repeatable), whatever their extension (a
    /// file tally does not know is read as --input-format says): `*.txt`, `2022/**/*.jsonl`. A glob
    /// without `/` matches a name at any depth. Default: every file of the extensions tally reads
    #[arg(long, value_name = "GLOB")]
    #[serde(deserialize_with = "one_or_many")]
    pub glob: Vec<String>,

    /// In folders, leave out the files and folders matching this glob (repeatable): `README.txt`,
    /// `drafts`.
    #[arg(long, value_name = "GLOB")]
    #[serde(deserialize_with = "one_or_many")]
    pub exclude: Vec<String>,

    /// The JSON field or CSV/TSV column holding a document's text. Default: text
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,

    /// The JSON field or CSV/TSV column holding a document's date (ISO date or timestamp). Default: date
    #[arg(long, value_name = "NAME")]
    pub date_field: Option<String>,

    /// The JSON field or CSV/TSV column holding a document's id (else FILE:LINE). Default: id
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,

    /// The JSON field or CSV/TSV/Parquet column holding a document's title, read before its text
    /// with a blank line between; "" for none. Default: title
    #[arg(long, value_name = "NAME")]
    pub title_field: Option<String>,

    /// Fields or columns carried into the documents report, a column each (comma-separated or
    /// repeated): `--meta source,author`.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    #[serde(deserialize_with = "comma_list")]
    pub meta: Vec<String>,

    /// The field or column whose value is a document's group (a source, a section, an author): adds
    /// the group_terms and group_actors reports, each term's and actor's figures by group.
    #[arg(long, value_name = "NAME")]
    pub group_by: Option<String>,

    /// Settings file (TOML, the options above by their long names with `_`: `out = "r"`,
    /// `text_field = "body"`, `paths = ["corpus"]`). Default: tally.toml when it exists. Flags win.
    #[arg(long, value_name = "FILE")]
    #[serde(skip)]
    pub config: Option<PathBuf>,

    /// A dictionary of your own actors, before the built-in one (repeatable): CSV/TSV with the
    /// columns actor, kind, code, aliases, or PETRARCH/CAMEO (*.actors.txt), dated codes allowed.
    #[arg(long, value_name = "FILE")]
    #[serde(deserialize_with = "one_or_many")]
    pub actors: Vec<PathBuf>,

    /// The formats to write the reports in, comma-separated. Default: csv,parquet,xlsx,html
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    #[serde(deserialize_with = "comma_list")]
    pub format: Vec<ReportFormat>,

    /// Count only the K-th of N parts of the corpus (documents split by a hash of their id) and
    /// write its partial results to --out, for `tally merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::parts::Shard>,

    /// Keep each unit's counts (a file of documents, or a run of document files) in DIR, and count
    /// only what is new or changed since the last run with the same DIR; the reports are those of a
    /// run over the whole corpus (with --shard, the shard's tables; the shards may share DIR). A new
    /// or empty folder, or one an earlier run kept its state in.
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,

    /// The span of time term_timeline and actor_timeline count by. Default: month
    #[arg(long, value_enum, value_name = "SPAN")]
    pub period: Option<crate::corpus::Period>,

    /// How many of the most frequent terms (stopwords and numbers aside) term_timeline follows.
    /// Default: 1000
    #[arg(long, value_name = "N")]
    pub timeline_terms: Option<usize>,

    /// The fewest occurrences an n-gram needs to be in the ngrams and collocations reports. Default: 3
    #[arg(long, value_name = "N")]
    pub min_count: Option<u64>,

    /// The fewest documents a term or actor needs to be in keyness (in the corpus or the reference)
    /// and in period_keyness (in the period): one article's pet word does not lead. Default: 2
    #[arg(long, value_name = "N")]
    pub min_documents: Option<u64>,

    /// The stopword list: a language (en, de, fr, es, ru, hy, zh, ja), none, or a file of one word a line;
    /// several, comma-separated, for a corpus in several languages (en,ru,hy). Default: en
    #[arg(long, value_name = "LANG|FILE")]
    pub stopwords: Option<String>,

    /// Leave stopwords out of the terms and n-grams (by default they are counted and flagged).
    #[arg(long)]
    pub drop_stopwords: bool,

    /// Count no bigrams and trigrams: no ngrams and collocations reports, and none of the time and
    /// memory their tables take (most of what the corpus statistics cost on a large corpus).
    #[arg(long)]
    pub no_ngrams: bool,

    /// The reports to write, comma-separated (csv and parquet files, workbook sheets and the page's
    /// sections); a run then does only the work they need: no actors looked for without a report of
    /// them, no n-grams counted without ngrams or collocations. Default: every report
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    #[serde(deserialize_with = "comma_list")]
    pub reports: Vec<String>,

    /// Stem terms (Snowball, in the --stopwords language, the first of several; English for none or
    /// a file): adds a stem
    /// column to terms and the stems report.
    #[arg(long)]
    pub stem: bool,

    /// Write the kwic report: every place of this term or phrase, in context (repeatable).
    #[arg(long, value_name = "TERM")]
    #[serde(deserialize_with = "one_or_many")]
    pub kwic: Vec<String>,

    /// Characters of context on each side in the kwic report. Default: 40
    #[arg(long, value_name = "N")]
    pub kwic_width: Option<usize>,

    /// A reference corpus (repeatable): adds the keyness report, each term and actor against it.
    /// Not with --shard: give it to `tally merge`.
    #[arg(long, value_name = "PATH", conflicts_with = "shard")]
    #[serde(deserialize_with = "one_or_many")]
    pub reference: Vec<PathBuf>,

    /// Start every CSV report with a UTF-8 byte-order mark, so Excel reads non-ASCII text right.
    #[arg(long)]
    pub csv_bom: bool,

    /// The rows of each report a sheet of tally.xlsx holds, below its header: its first (a ranked
    /// report's strongest); every row is in its CSV and Parquet. Default: 100000
    #[arg(long, value_name = "N")]
    pub sheet_rows: Option<u32>,

    /// The largest document read, in bytes (a file, a JSON Lines line, a CSV record or a Parquet
    /// cell, after decompression); a larger one is skipped. Default: 16777216 (16 MiB)
    #[arg(long, value_name = "N")]
    pub max_document_bytes: Option<usize>,

    /// Print nothing but errors.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also list every file skipped and every warning, with the reason.
    #[arg(long, short)]
    pub verbose: bool,
}

/// A repeatable setting in a settings file, given as a list (`paths = ["a", "b"]`) or, as one flag
/// on the command line gives one, as one string (`paths = "corpus"`, `kwic = "sergei lavrov"`): a
/// path or a phrase may hold a comma.
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged, expecting = "a list such as [\"a\", \"b\"] or one string such as \"a\"")]
    enum Given<T> {
        Many(Vec<T>),
        One(T),
    }
    Ok(match <Given<T> as serde::Deserialize>::deserialize(deserializer)? {
        Given::Many(items) => items,
        Given::One(item) => vec![item],
    })
}

/// A list in a settings file, given as a list (`format = ["csv", "html"]`) or, as on the command
/// line, as one comma-separated string (`format = "csv,html"`).
fn comma_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged, expecting = "a list such as [\"a\", \"b\"] or a comma-separated string such as \"a,b\"")]
    enum Listed {
        Many(Vec<String>),
        Joined(String),
    }
    let items = match <Listed as serde::Deserialize>::deserialize(deserializer)? {
        Listed::Many(items) => items,
        Listed::Joined(joined) => joined.split(',').map(|item| item.trim().to_string()).collect(),
    };
    let items: Vec<&String> = items.iter().filter(|item| !item.is_empty()).collect();
    // As on the command line, where `--format ''` is refused: a list that names nothing is a mistake.
    if items.is_empty() {
        return Err(serde::de::Error::custom("an empty list names nothing: leave the setting out for its default"));
    }
    items.into_iter().map(|item| T::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(item))).collect()
}
