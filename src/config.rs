//! The settings a run uses, resolved from the command line once and checked before any work starts.
//! No stage reads [`crate::cli`]'s raw flags.

use std::path::PathBuf;

use crate::cli::RunArgs;
use crate::corpus::Fields;
use crate::report::CsvOptions;

/// The corpus read when no PATH is given.
pub const DEFAULT_CORPUS: &str = "seeds";

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
    /// The fields of JSON Lines and CSV/TSV documents.
    pub fields: Fields,
    /// Draw a progress bar on standard error (the binary turns it on for a terminal).
    pub progress: bool,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// `--threads 0`.
    #[error("--threads must be at least 1")]
    NoThreads,
}

impl TryFrom<RunArgs> for Config {
    type Error = ConfigError;

    fn try_from(args: RunArgs) -> Result<Config, ConfigError> {
        let threads = match args.threads {
            Some(0) => return Err(ConfigError::NoThreads),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let paths = if args.paths.is_empty() { vec![PathBuf::from(DEFAULT_CORPUS)] } else { args.paths };
        let fields = Fields { text: args.text_field, date: args.date_field, id: args.id_field };
        Ok(Config { paths, out: args.out, threads, csv: CsvOptions { bom: args.csv_bom }, fields, progress: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(threads: Option<usize>, paths: &[&str]) -> RunArgs {
        RunArgs {
            paths: paths.iter().map(PathBuf::from).collect(),
            out: "reports".into(),
            threads,
            quiet: false,
            verbose: false,
            csv_bom: false,
            text_field: "text".into(),
            date_field: "date".into(),
            id_field: "id".into(),
        }
    }

    #[test]
    fn defaults_and_checks() {
        let config = Config::try_from(args(None, &[])).unwrap();
        assert_eq!(config.paths, [PathBuf::from("seeds")]);
        assert!(config.threads >= 1);
        assert_eq!(Config::try_from(args(Some(3), &["a", "b"])).unwrap().paths.len(), 2);
        assert_eq!(Config::try_from(args(Some(0), &[])), Err(ConfigError::NoThreads));
    }
}
