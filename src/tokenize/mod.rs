//! Text in, tokens out: the words of UAX #29 (those holding a letter or a digit), each with its byte
//! offsets into the document, and the term each word is counted as.
//!
//! Invariant: `text[token.start..token.end]` is exactly the word `unicode-segmentation`'s
//! `unicode_word_indices` yields at that place, in the same order. Offsets are into the text given
//! plus `base`, so tokens of a document body carry offsets into the whole file.

use unicode_segmentation::UnicodeSegmentation;

/// One word of the text, by its byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Offset of the word's first byte.
    pub start: usize,
    /// Offset one past the word's last byte.
    pub end: usize,
}

impl Token {
    /// The word's text in `content`, the string the offsets point into.
    pub fn text<'a>(&self, content: &'a str) -> &'a str {
        &content[self.start..self.end]
    }
}

/// Appends the words of `text` to `out`, with offsets shifted by `base`. `out` is not cleared, so a
/// caller can reuse one buffer for many documents.
pub fn tokenize_into(text: &str, base: usize, out: &mut Vec<Token>) {
    out.extend(text.unicode_word_indices().map(|(at, word)| Token { start: base + at, end: base + at + word.len() }));
}

/// The possessive endings removed from the end of a term (and of a name in actor matching).
const POSSESSIVES: [&str; 2] = ["'s", "\u{2019}s"];

/// `word` without a final possessive `'s` or `’s` (`CSTO’s` -> `CSTO`); the word itself otherwise,
/// and never the empty string.
pub fn strip_possessive(word: &str) -> &str {
    for suffix in POSSESSIVES.iter().chain(&["'S", "\u{2019}S"]) {
        if let Some(stem) = word.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem;
            }
        }
    }
    word
}

/// The term a word counts as: lower-cased (full Unicode lower-casing) without a final possessive.
/// Writes into `buf` only when the word is not already a term, so most words cost no copy.
pub fn term_of<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    let needs_lowering = if word.is_ascii() { word.bytes().any(|b| b.is_ascii_uppercase()) } else { true };
    if !needs_lowering {
        return strip_possessive(word);
    }
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        buf.push_str(&word.to_lowercase());
    }
    strip_possessive(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_token(content: &str, token: &Token, word: &str, start: usize, end: usize) {
        assert_eq!((token.text(content), token.start, token.end), (word, start, end));
    }

    fn words(text: &str) -> Vec<&str> {
        let mut tokens = Vec::new();
        tokenize_into(text, 0, &mut tokens);
        tokens.iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn words_with_offsets_shifted_by_base() {
        let content = "xx Lavrov’s remarks, 2022.";
        let mut tokens = Vec::new();
        tokenize_into(&content[3..], 3, &mut tokens);
        assert_eq!(tokens.len(), 3);
        assert_token(content, &tokens[0], "Lavrov’s", 3, 13); // ’ is three bytes
        assert_token(content, &tokens[1], "remarks", 14, 21);
        assert_token(content, &tokens[2], "2022", 23, 27);
    }

    #[test]
    fn punctuation_is_not_a_word() {
        assert_eq!(words("“Hello”, she said — U.S. co-op 3.5%"), ["Hello", "she", "said", "U.S", "co", "op", "3.5"]);
    }

    #[test]
    fn terms_are_lowercase_without_possessive() {
        let mut buf = String::new();
        assert_eq!(term_of("CSTO’s", &mut buf), "csto");
        assert_eq!(term_of("Armenia's", &mut buf), "armenia");
        assert_eq!(term_of("the", &mut buf), "the");
        assert_eq!(term_of("ÉTAT", &mut buf), "état");
        assert_eq!(term_of("ΟΔΟΣ", &mut buf), "οδος");
        assert_eq!(term_of("'s", &mut buf), "'s");
        assert_eq!(term_of("IT'S", &mut buf), "it");
    }
}
