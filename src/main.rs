//! The `tally` binary: parse the command line, run the library, print a summary or the error chain,
//! exit 2 on failure.

use std::process::ExitCode;

use clap::Parser;

use tally::cli::{Cli, Command};
use tally::commands;
use tally::pipeline;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => commands::run(*args),
        Command::Actors(args) => commands::actors(args),
        Command::Kwic(args) => commands::kwic(args),
        Command::Merge(args) => commands::merge(args),
        Command::Completions { shell } => {
            // Made whole first: the generator panics on a write that fails (a full disk).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "tally", &mut script);
            std::io::Write::write_all(&mut std::io::stdout(), &script)
                .and_then(|()| std::io::Write::flush(&mut std::io::stdout()))
                .map_err(|e| anyhow::Error::new(e).context("writing the completions"))
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
