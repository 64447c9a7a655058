//! `tally merge`: the shards' partial results into the reports of the whole corpus.

use super::print_summary;
use crate::cli::MergeArgs;
use crate::{config, pipeline, report};

/// `tally merge`.
pub fn merge(args: MergeArgs) -> anyhow::Result<()> {
    let (threads, threads_warning) = config::threads(args.threads)?;
    if let Some(warning) = threads_warning.filter(|_| !args.quiet) {
        eprintln!("tally: warning: {warning}");
    }
    let settings = pipeline::MergeSettings {
        parts: args.parts,
        out: args.out.unwrap_or_else(|| config::DEFAULT_OUT.into()),
        threads,
        formats: config::formats_of(&args.format),
        csv: report::CsvOptions { bom: args.csv_bom },
        sheet_rows: args.sheet_rows.map(|rows| config::sheet_rows(Some(rows))).transpose()?,
        reference: args.reference,
    };
    let summary = pipeline::merge(&settings)?;
    if !args.quiet {
        print_summary(&summary, false);
    }
    Ok(())
}
