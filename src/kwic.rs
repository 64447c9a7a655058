//! Keyword in context: every place a document holds one of the asked terms or phrases, with the
//! text on either side. `tally kwic` prints them; `tally run --kwic TERM` writes them as a report.
//!
//! A TERM is matched as terms are counted: word by word (UAX #29), lower-cased, a final possessive
//! left out, so `lavrov` finds "Lavrov" and "Lavrov's", and `sergei lavrov` the two words in a row.
//! Invariant: `content[start..end]` of a line is exactly the text matched.

use std::sync::Arc;

use crate::tokenize::{term_of, tokenize_into, Token};

/// Characters of context on each side when none is asked for.
pub const DEFAULT_WIDTH: usize = 40;

/// The terms and phrases asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Each as given, and as the terms of its words.
    phrases: Vec<(Arc<str>, Vec<String>)>,
    /// Characters of context on each side.
    pub width: usize,
}

/// One match in context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KwicLine {
    /// Offset of the match's first byte in the document.
    pub start: usize,
    /// Offset one past its last byte.
    pub end: usize,
    /// Up to `width` characters before it, white space shown as spaces.
    pub left: String,
    /// The text matched.
    pub matched: String,
    /// Up to `width` characters after it.
    pub right: String,
    /// The TERM it matches, as given.
    pub query: Arc<str>,
}

impl Query {
    /// The query for `terms` (each a word or a phrase) with `width` characters of context; an error
    /// naming a term that holds no word. A term whose words are an earlier one's as terms are
    /// counted ("trump's" after "Trump") is that one: its matches are labelled as first given.
    pub fn new(terms: &[String], width: usize) -> Result<Query, String> {
        let mut phrases = Vec::new();
        let (mut tokens, mut buf) = (Vec::new(), String::new());
        for term in terms {
            tokens.clear();
            tokenize_into(term, 0, &mut tokens);
            if tokens.is_empty() {
                return Err(format!("`{term}` holds no word to look for"));
            }
            let words: Vec<String> = tokens.iter().map(|t| term_of(t.text(term), &mut buf).to_string()).collect();
            if !phrases.iter().any(|(_, earlier)| *earlier == words) {
                phrases.push((Arc::from(term.as_str()), words));
            }
        }
        Ok(Query { phrases, width })
    }

    /// The terms and phrases, as given.
    pub fn terms(&self) -> Vec<String> {
        self.phrases.iter().map(|(term, _)| term.to_string()).collect()
    }

    /// Whether nothing is asked for.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Appends to `out` every match in `content`, whose words are `tokens`, in text order (at one
    /// place, the longest phrase); the context is of the text from `body_start` (a document's date
    /// header is no context).
    pub fn find(&self, content: &str, body_start: usize, tokens: &[Token], out: &mut Vec<KwicLine>) {
        if self.phrases.is_empty() {
            return;
        }
        let (mut buf, mut next_buf) = (String::new(), String::new());
        let mut i = 0;
        while i < tokens.len() {
            let first = term_of(tokens[i].text(content), &mut buf);
            // Each phrase whose first word this is, checked word by word after it.
            let best = self
                .phrases
                .iter()
                .filter(|(_, words)| {
                    words[0] == first
                        && words.len() <= tokens.len() - i
                        && words[1..]
                            .iter()
                            .zip(&tokens[i + 1..])
                            .all(|(w, t)| *w == term_of(t.text(content), &mut next_buf))
                })
                .max_by_key(|(_, words)| words.len());
            let Some((query, words)) = best else {
                i += 1;
                continue;
            };
            let (start, end) = (tokens[i].start, tokens[i + words.len() - 1].end);
            let (left, right) = around(&content[body_start..], start - body_start, end - body_start, self.width);
            out.push(KwicLine {
                start,
                end,
                left,
                matched: content[start..end].to_string(),
                right,
                query: Arc::clone(query),
            });
            i += words.len();
        }
    }
}

/// Up to `width` characters of `content` before `start` and after `end`, each on one line.
pub fn around(content: &str, start: usize, end: usize, width: usize) -> (String, String) {
    let left = context(content[..start].chars().rev().take(width).collect::<Vec<_>>().into_iter().rev());
    (left, context(content[end..].chars().take(width)))
}

/// Context text on one line: line breaks and tabs as spaces.
fn context(chars: impl Iterator<Item = char>) -> String {
    chars.map(|c| if c.is_whitespace() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(terms: &[&str], width: usize, text: &str) -> Vec<KwicLine> {
        let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        let query = Query::new(&terms, width).unwrap();
        let body_start = crate::corpus::parse_header(text).body_start;
        let mut tokens = Vec::new();
        tokenize_into(&text[body_start..], body_start, &mut tokens);
        let mut out = Vec::new();
        query.find(text, body_start, &tokens, &mut out);
        out
    }

    #[test]
    fn words_and_phrases_in_context_as_terms_are_counted() {
        let text = "Sergei Lavrov met Mirzoyan.\nLavrov's words: LAVROV spoke.";
        let found = lines(&["lavrov", "Sergei Lavrov"], 10, text);
        let matched: Vec<&str> = found.iter().map(|l| l.matched.as_str()).collect();
        // The phrase wins where it starts; the possessive and the capitals are the same term.
        assert_eq!(matched, ["Sergei Lavrov", "Lavrov's", "LAVROV"]);
        for line in &found {
            assert_eq!(&text[line.start..line.end], line.matched);
        }
        assert_eq!(&*found[0].query, "Sergei Lavrov");
        assert_eq!((found[0].left.as_str(), found[0].right.as_str()), ("", " met Mirzo"));
        // Ten characters before "Lavrov's", the line break shown as a space.
        assert_eq!(found[1].left, "Mirzoyan. ");
        assert_eq!(found[2].left, "'s words: ");
        assert!(Query::new(&["--".to_string()], 5).is_err(), "no word to look for");
        assert!(lines(&["lavrov"], 5, "Lavrova is another name.").is_empty(), "whole words only");
        let after_header = lines(&["lavrov"], 20, " date 2022-10-27 Lavrov met Mirzoyan.");
        assert_eq!(after_header[0].left, "", "a date header is no context");
        // The same term asked for twice is labelled as first given.
        let twice = lines(&["Lavrov", "lavrov's"], 5, text);
        assert_eq!(twice.len(), 3);
        assert!(twice.iter().all(|l| &*l.query == "Lavrov"), "{twice:?}");
    }
}
