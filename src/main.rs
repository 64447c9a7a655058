//! The `tally` binary: parse the command line, run the library, print a summary or the error chain,
//! exit 2 on failure.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use tally::cli::{Cli, Command, RunArgs};
use tally::config::Config;
use tally::pipeline::{self, Summary};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tally: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn run(args: RunArgs) -> anyhow::Result<()> {
    let quiet = args.quiet;
    let config = Config::try_from(args)?;
    let summary = pipeline::run(&config).context("run failed")?;
    if !quiet {
        print_summary(&summary);
    }
    Ok(())
}

fn print_summary(summary: &Summary) {
    let m = &summary.manifest;
    eprintln!(
        "tally: {} documents, {:.1} MB, {} words, {} terms, {} actors ({} mentions) in {:.2} s: {:.1} MB/s, {:.0} documents/s",
        m.documents,
        m.bytes as f64 / 1e6,
        m.tokens,
        m.terms,
        m.actors,
        m.mentions,
        m.stages.total_s,
        m.throughput.mb_per_s,
        m.throughput.documents_per_s
    );
    if !m.skipped.is_empty() || !m.warnings.is_empty() {
        eprintln!("tally: {} files skipped, {} warnings (listed in manifest.json)", m.skipped.len(), m.warnings.len());
    }
    eprintln!("tally: reports written to {}", m.settings.out);
}
