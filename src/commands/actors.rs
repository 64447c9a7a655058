//! `tally actors`: the actor mentions of documents, one a line, as a run finds them.

use std::io::Write;

use crate::actors::ActorFinder;
use crate::cli::ActorsArgs;
use crate::{corpus, pipeline};

/// `tally actors`: each mention as `doc start end text actor kind form`, tab-separated, with a header.
pub fn actors(args: ActorsArgs) -> anyhow::Result<()> {
    let paths = if args.paths.is_empty() { vec![corpus::STDIN.into()] } else { args.paths };
    let finder = ActorFinder::with_files(&args.actors)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // The header comes with the first document read: a run that reads none prints nothing.
    let mut header = true;
    let mut mentions = Vec::new();
    pipeline::for_each_document(&paths, crate::tokenize::words_into, |doc, tokens| {
        if std::mem::take(&mut header) {
            writeln!(out, "doc\tstart\tend\ttext\tactor\tkind\tform")?;
        }
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
