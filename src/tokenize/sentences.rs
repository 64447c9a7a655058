//! Where sentences end: the one rule the n-gram windows and the sentences of actor mentions (and so
//! the pairs of actors named in one sentence) both follow.
//!
//! A sentence ends at final punctuation (`.`, `!`, `?`, `…` and their CJK forms; a period only when
//! the word before it is no abbreviation or initial, as in "U.S." or "J."), and at a line break,
//! but for a line break inside a paragraph of hard-wrapped text (Reuters-21578's fixed-width lines),
//! which is a space.

/// Whether a sentence ends in `gap`, the text between the word `before` and the next one.
/// `is_abbreviation` says whether `before` is an abbreviation or an initial (asked only for a gap
/// that starts with a period); `wrapped` whether the text is hard-wrapped ([`is_hard_wrapped`]).
pub fn ends_sentence(gap: &str, before: &str, is_abbreviation: impl FnOnce(&str) -> bool, wrapped: bool) -> bool {
    if gap == " " {
        return false; // nearly every gap, settled at once
    }
    // One pass over the bytes: this runs for nearly every word of a document.
    let (mut period, mut breaks, mut other) = (false, 0usize, false);
    for &b in gap.as_bytes() {
        match b {
            b'!' | b'?' => return true,
            b'.' => period = true,
            b'\n' => breaks += 1,
            b if b >= 0x80 => other = true,
            _ => {}
        }
    }
    if breaks > 0 && !(wrapped && is_soft_wrap(gap)) {
        return true;
    }
    if other && gap.contains(['…', '。', '！', '？']) {
        return true;
    }
    period && !(gap.starts_with('.') && is_abbreviation(before))
}

/// Whether `text` is hard-wrapped: its paragraphs broken into lines of a set width (Reuters-21578),
/// not written a line each or a sentence a line (CoNLL-2003). Told by the lines that go on in lower
/// case: at least two, and at least half of the lines that follow another line directly (no blank
/// line and no indentation between them).
pub fn is_hard_wrapped(text: &str) -> bool {
    let (mut following, mut lower) = (0usize, 0usize);
    let mut line_start = 0;
    for (at, _) in text.match_indices('\n') {
        let previous = &text[line_start..at];
        line_start = at + 1;
        let Some(first) = text[line_start..].chars().next() else { break };
        if first.is_whitespace() || previous.trim().is_empty() {
            continue;
        }
        following += 1;
        lower += usize::from(first.is_lowercase());
    }
    lower >= 2 && 2 * lower >= following
}

/// Whether `gap`, the text between two words, ends a line and the second word starts the next one
/// (one line break, no blank line, no indentation): in hard-wrapped text, a space.
pub fn is_soft_wrap(gap: &str) -> bool {
    gap.ends_with('\n') && gap.bytes().filter(|&b| b == b'\n').count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(gap: &str, before: &str, wrapped: bool) -> bool {
        ends_sentence(gap, before, |w| w == "Mr" || w.len() == 1, wrapped)
    }

    #[test]
    fn punctuation_and_line_breaks_end_sentences() {
        assert!(!ends(" ", "said", false));
        assert!(ends(". ", "said", false));
        assert!(!ends(". ", "Mr", false), "an abbreviation's period");
        assert!(ends("? ", "why", false) && ends("! ", "no", false) && ends("… ", "so", false));
        assert!(ends("。", "字", false), "a CJK full stop");
        assert!(!ends(", ", "Moscow", false) && !ends("; ", "Moscow", false) && !ends(": ", "said", false));
    }

    #[test]
    fn a_line_break_ends_a_sentence_but_in_a_hard_wrapped_paragraph() {
        assert!(ends("\n", "Armenia", false), "a line each");
        assert!(!ends("\n", "Armenia", true), "a wrapped line");
        assert!(ends("\n\n", "Armenia", true), "a blank line ends a paragraph");
        assert!(ends("\n    ", "Armenia", true), "an indented line starts one");
        let wrapped = "The council met on Friday and\nagreed to send a mission to\nthe region next week.\n";
        assert!(is_hard_wrapped(wrapped));
        assert!(!is_hard_wrapped("One sentence a line.\nAnother one here.\nA third.\n"));
    }
}
