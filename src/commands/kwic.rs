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
    let query = kwic::Query::new(terms, args.width).map_err(anyhow::Error::msg)?;
    if query.is_empty() {
        anyhow::bail!("no TERM to look for (every argument names a file or folder)");
    }
    let paths: Vec<std::path::PathBuf> =
        if paths.is_empty() { vec![config::DEFAULT_CORPUS.into()] } else { paths.iter().map(Into::into).collect() };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "doc\tstart\tend\tleft\tmatch\tright")?;
    let mut lines = Vec::new();
    pipeline::for_each_document(&paths, |doc, tokens| {
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
