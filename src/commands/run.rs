//! `tally run`: the settings from the command line and `tally.toml`, the run, its summary.

use super::print_summary;
use crate::cli::RunArgs;
use crate::config::Config;
use crate::pipeline;

/// `tally run`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let mut config = Config::try_from(args)?;
    let (quiet, verbose) = (config.quiet, config.verbose);
    config.progress = !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
    if !quiet {
        if let Some(file) = &config.settings_file {
            eprintln!("tally: settings read from {} (flags given win)", file.display());
        }
        for warning in &config.warnings {
            eprintln!("tally: warning: {warning}");
        }
    }
    let summary = pipeline::run(&config)?;
    if verbose {
        for s in &summary.manifest.skipped {
            eprintln!("tally: skipped {}: {}", s.path, s.reason);
        }
        for w in &summary.manifest.warnings {
            eprintln!("tally: warning: {}: {}", w.path, w.message);
        }
    }
    if !quiet {
        // What the run found of the settings (a field no document has) is said whatever --verbose.
        let settings = config.warnings.len();
        for w in summary.manifest.warnings.iter().filter(|w| w.path == "settings").skip(settings).filter(|_| !verbose) {
            eprintln!("tally: warning: {}", w.message);
        }
        print_summary(&summary, verbose);
    }
    Ok(())
}
