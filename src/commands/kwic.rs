//! `tally kwic`: the places of terms in documents, in context, one a line.

use std::io::Write;

use crate::cli::KwicArgs;
use crate::{config, kwic, pipeline};

/// `tally kwic`: each place of the terms as `doc start end left match right`, tab-separated, with a
/// header.
pub fn kwic(args: KwicArgs) -> anyhow::Result<()> {
    // The arguments at the end that name existing files or folders are the PATHs.
    let first_path = args.args.iter().rposition(|a| !std::path::Path::new(a).exists()).map_or(0, |i| i + 1);
    let (terms, paths) = args.args.split_at(first_path);
    // The path that names nothing (a PATH before it exists, as "a.txt no/such.txt" has it).
    if let Some(missing) = terms.iter().find(|t| looks_like_a_path(t) && !std::path::Path::new(t).exists()) {
        anyhow::bail!("{missing}: no such file or folder (a TERM is a word or phrase; the PATHs come last)");
    }
    let query = kwic::Query::new(terms, args.width).map_err(anyhow::Error::msg)?;
    if query.is_empty() {
        anyhow::bail!("no TERM to look for (every argument names a file or folder)");
    }
    let paths: Vec<std::path::PathBuf> = match paths.is_empty() {
        true => {
            // Every argument was taken as a term: say where they were looked for.
            let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
            eprintln!(
                "tally: no PATH names a file or folder: looking for {} in {}/",
                terms.join(", "),
                config::DEFAULT_CORPUS
            );
            vec![config::default_corpus()?]
        }
        false => paths.iter().map(Into::into).collect(),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // The header comes with the first document read: a run that reads none prints nothing.
    let mut header = true;
    let mut lines = Vec::new();
    pipeline::for_each_document(&paths, crate::tokenize::tokenize_into, |doc, tokens| {
        if std::mem::take(&mut header) {
            writeln!(out, "doc\tstart\tend\tleft\tmatch\tright")?;
        }
        lines.clear();
        query.find(&doc.content, doc.body_start, tokens, &mut lines);
        for l in &lines {
            let matched = l.matched.replace(['\t', '\n', '\r'], " ");
            writeln!(out, "{}\t{}\t{}\t{}\t{matched}\t{}", doc.id, l.start, l.end, l.left, l.right)?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}

/// Whether `arg`, which names nothing that exists, was meant as a path: it names a folder that exists
/// with a file or folder under it ("corpus/2022"), ends as a document file does (`.txt`, `.jsonl`…),
/// or as a folder (`corpus/`).
/// "9/11" is a term.
fn looks_like_a_path(arg: &str) -> bool {
    let path = std::path::Path::new(arg);
    let parent_exists = path.parent().is_some_and(|p| !p.as_os_str().is_empty() && p.is_dir());
    let document = crate::corpus::Format::of_extension(path).is_some();
    parent_exists || (document && !arg.contains(' ')) || arg.ends_with('/')
}
