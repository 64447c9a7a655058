//! The subcommands, one a file: each takes its parsed arguments, runs the library and prints what
//! the user reads on the terminal. The binary dispatches to them and turns their errors into exit
//! statuses.

mod actors;
mod kwic;
mod merge;
mod run;

pub use actors::actors;
pub use kwic::kwic;
pub use merge::merge;
pub use run::run;

use crate::pipeline::Summary;

/// Prints what a run or a merge did, its top terms and actors, and where its reports are; `listed`:
/// the skipped files and warnings were printed above (`--verbose`).
fn print_summary(summary: &Summary, listed: bool) {
    let m = &summary.manifest;
    let actors = match (m.actors, m.mentions) {
        (Some(actors), Some(mentions)) => format!("{} ({})", counted(actors, "actor"), counted(mentions, "mention")),
        _ => "no actors looked for".to_string(),
    };
    eprintln!(
        "tally: {}, {:.1} MB, {}, {}, {actors} in {:.2} s: {:.1} MB/s, {:.0} documents/s",
        counted(m.documents, "document"),
        m.bytes as f64 / 1e6,
        counted(m.tokens, "word"),
        counted(m.terms, "term"),
        m.stages.total_s,
        m.throughput.mb_per_s,
        m.throughput.documents_per_s
    );
    if m.undated > 0 {
        let (has, them) = if m.undated == 1 { ("has", "it") } else { ("have", "them") };
        eprintln!(
            "tally: {} of {} {has} no date: the timelines and the reports by period leave {them} out",
            m.undated,
            counted(m.documents, "document")
        );
    }
    if let Some(r) = &m.reference {
        eprintln!(
            "tally: reference: {}, {:.1} MB, read and counted in the same time (the MB/s above counts them)",
            counted(r.documents, "document"),
            r.bytes as f64 / 1e6
        );
    }
    if !summary.top_terms.is_empty() {
        let top: Vec<String> = summary.top_terms.iter().map(|(term, n)| format!("{} ({n})", shown(term))).collect();
        eprintln!("tally: top terms: {}", top.join(", "));
    }
    if !summary.top_actors.is_empty() {
        let top: Vec<String> =
            summary.top_actors.iter().map(|(name, kind, n)| format!("{} ({kind}, {n})", shown(name))).collect();
        eprintln!("tally: most mentioned: {}", top.join(", "));
    }
    if !m.skipped.is_empty() || !m.warnings.is_empty() {
        let more =
            if listed { "listed above and in manifest.json" } else { "listed in manifest.json; --verbose prints them" };
        eprintln!("tally: {} skipped, {} ({more})", m.skipped.len(), counted(m.warnings.len() as u64, "warning"));
    }
    if let Some(state) = &m.state {
        let over = state.started_over.as_ref().map_or_else(String::new, |why| format!(", started over: {why}"));
        let summed = match state.summed {
            0 => String::new(),
            n => format!(" ({n} read as their sum)"),
        };
        eprintln!(
            "tally: state {}: {} kept{summed}, {} counted, {} dropped{over}",
            state.path,
            counted(state.reused, "unit"),
            state.counted,
            state.dropped
        );
    }
    match &m.shard {
        Some(shard) => eprintln!(
            "tally: shard {}/{}: partial tables written to {}, for `tally merge` with the other shards",
            shard.part, shard.parts, m.settings.out
        ),
        None => eprintln!("tally: reports written to {}", m.settings.out),
    }
}

/// `text` as the terminal may show it: a control character, or one that turns the direction of the
/// text after it (U+202E, the right-to-left override), as its escape (`\u{202e}`), so a name in a
/// document cannot garble the lines around it.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    match text.contains(hidden) {
        false => text.into(),
        true => text.chars().map(|c| if hidden(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect(),
    }
}

/// `n` and the noun, plural unless `n` is 1: "1 document", "2 documents".
fn counted(n: u64, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_that_would_garble_the_terminal_are_shown_escaped() {
        assert_eq!(super::shown("Olaf\u{202e}Scholz"), "Olaf\\u{202e}Scholz");
        assert_eq!(super::shown("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(super::shown("Հայաստան"), "Հայաստան");
        assert!(matches!(super::shown("CSTO"), std::borrow::Cow::Borrowed(_)));
    }
}
