//! The `tally` binary: parse the command line, run the library, print a summary or the error chain,
//! exit 2 on failure.

use std::process::ExitCode;

use clap::Parser;
use std::io::Write;

use tally::actors::ActorFinder;
use tally::cli::{ActorsArgs, Cli, Command, KwicArgs, MergeArgs, RunArgs};
use tally::config::Config;
use tally::corpus;
use tally::pipeline::{self, Summary};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(*args),
        Command::Actors(args) => actors(args),
        Command::Kwic(args) => kwic(args),
        Command::Merge(args) => merge(args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "tally",
                &mut std::io::stdout(),
            );
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tally: {}", error_line(&err));
            let code = err.downcast_ref::<pipeline::PipelineError>().map_or(2, pipeline::PipelineError::exit_code);
            ExitCode::from(code)
        }
    }
}

/// The error and its causes on one line, each cause once: a message that already quotes its cause
/// ("input path x: No such file…") is not followed by it again.
fn error_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain().map(|c| c.to_string()) {
        if !line.contains(&cause) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&cause);
        }
    }
    line
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn run(args: RunArgs) -> anyhow::Result<()> {
    let mut config = Config::try_from(args)?;
    let (quiet, verbose) = (config.quiet, config.verbose);
    config.progress = !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
    if !quiet {
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
        print_summary(&summary);
    }
    Ok(())
}

fn merge(args: MergeArgs) -> anyhow::Result<()> {
    let (threads, threads_warning) = tally::config::threads(args.threads)?;
    if let Some(warning) = threads_warning.filter(|_| !args.quiet) {
        eprintln!("tally: warning: {warning}");
    }
    let settings = pipeline::MergeSettings {
        parts: args.parts,
        out: args.out.unwrap_or_else(|| tally::config::DEFAULT_OUT.into()),
        threads,
        formats: tally::config::formats_of(&args.format),
        csv: tally::report::CsvOptions { bom: args.csv_bom },
        reference: args.reference,
    };
    let summary = pipeline::merge(&settings)?;
    if !args.quiet {
        print_summary(&summary);
    }
    Ok(())
}

/// `tally actors`: each mention as `doc start end text actor kind form`, tab-separated, with a header.
fn actors(args: ActorsArgs) -> anyhow::Result<()> {
    let paths = if args.paths.is_empty() { vec![corpus::STDIN.into()] } else { args.paths };
    let finder = ActorFinder::with_files(&args.actors)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "doc\tstart\tend\ttext\tactor\tkind\tform")?;
    let mut mentions = Vec::new();
    for_each_document(&paths, |doc, tokens| {
        mentions.clear();
        finder.find(&doc.content, tokens, doc.date, &mut mentions);
        for m in &mentions {
            let text = doc.content[m.start..m.end].replace(['\t', '\n', '\r'], " ");
            let (actor, kind, form) = (&m.actor, m.kind.as_str(), m.form.as_str());
            writeln!(out, "{}\t{}\t{}\t{text}\t{actor}\t{kind}\t{form}", doc.id, m.start, m.end)?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}

/// `tally kwic`: each place of the terms as `doc start end left match right`, tab-separated, with a
/// header.
fn kwic(args: KwicArgs) -> anyhow::Result<()> {
    // The arguments at the end that name existing files or folders are the PATHs.
    let first_path = args.args.iter().rposition(|a| !std::path::Path::new(a).exists()).map_or(0, |i| i + 1);
    let (terms, paths) = args.args.split_at(first_path);
    let query = tally::kwic::Query::new(terms, args.width).map_err(anyhow::Error::msg)?;
    if query.is_empty() {
        anyhow::bail!("no TERM to look for (every argument names a file or folder)");
    }
    let paths: Vec<std::path::PathBuf> = if paths.is_empty() {
        vec![tally::config::DEFAULT_CORPUS.into()]
    } else {
        paths.iter().map(Into::into).collect()
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "doc\tstart\tend\tleft\tmatch\tright")?;
    let mut lines = Vec::new();
    for_each_document(&paths, |doc, tokens| {
        lines.clear();
        query.find(&doc.content, tokens, &mut lines);
        for l in &lines {
            let matched = l.matched.replace(['\t', '\n', '\r'], " ");
            writeln!(out, "{}\t{}\t{}\t{}\t{matched}\t{}", doc.id, l.start, l.end, l.left, l.right)?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}

/// Reads every document under `paths` as `tally run` does (folders, text, JSON Lines, CSV, Parquet,
/// compressed files, standard input) and hands each, with its words, to `each`. A file or document
/// that cannot be read is reported on standard error and skipped.
fn for_each_document(
    paths: &[std::path::PathBuf],
    mut each: impl FnMut(&corpus::Document, &[tally::tokenize::Token]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let discovery = corpus::discover(paths, &[])?;
    for s in &discovery.skipped {
        eprintln!("tally: skipped {}: {}", s.path, s.reason);
    }
    let fields = corpus::Fields::default();
    let mut tokens = Vec::new();
    let max = corpus::DEFAULT_MAX_DOCUMENT_BYTES;
    for batch in corpus::batches(discovery.sources, fields.clone(), max, 4096, 16 << 20) {
        for item in &batch.items {
            let doc = match item.read(&fields) {
                Ok((doc, _)) => doc,
                Err(err) => {
                    eprintln!("tally: skipped {}: {err}", item.location());
                    continue;
                }
            };
            tokens.clear();
            tally::tokenize::tokenize_into(doc.body(), doc.body_start, &mut tokens);
            each(&doc, &tokens)?;
        }
    }
    Ok(())
}

fn print_summary(summary: &Summary) {
    let m = &summary.manifest;
    eprintln!(
        "tally: {}, {:.1} MB, {}, {}, {} ({}) in {:.2} s: {:.1} MB/s, {:.0} documents/s",
        counted(m.documents, "document"),
        m.bytes as f64 / 1e6,
        counted(m.tokens, "word"),
        counted(m.terms, "term"),
        counted(m.actors, "actor"),
        counted(m.mentions, "mention"),
        m.stages.total_s,
        m.throughput.mb_per_s,
        m.throughput.documents_per_s
    );
    if !summary.top_terms.is_empty() {
        let top: Vec<String> = summary.top_terms.iter().map(|(term, n)| format!("{term} ({n})")).collect();
        eprintln!("tally: top terms: {}", top.join(", "));
    }
    if !summary.top_actors.is_empty() {
        let top: Vec<String> =
            summary.top_actors.iter().map(|(name, kind, n)| format!("{name} ({kind}, {n})")).collect();
        eprintln!("tally: most mentioned: {}", top.join(", "));
    }
    if !m.skipped.is_empty() || !m.warnings.is_empty() {
        eprintln!(
            "tally: {} skipped, {} (listed in manifest.json; --verbose prints them)",
            m.skipped.len(),
            counted(m.warnings.len() as u64, "warning")
        );
    }
    eprintln!("tally: reports written to {}", m.settings.out);
}

/// `n` and the noun, plural unless `n` is 1: "1 document", "2 documents".
fn counted(n: u64, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}
