//! Text in, tokens out: the words of UAX #29 (those holding a letter or a digit), each with its byte
//! offsets into the document, and the term each word is counted as.
//!
//! Invariant: `text[token.start..token.end]` is exactly the word `unicode-segmentation`'s
//! `unicode_word_indices` yields at that place, in the same order. Offsets are into the text given
//! plus `base`, so tokens of a document body carry offsets into the whole file.

mod stopwords;

pub use stopwords::{Stopwords, LANGUAGES as STOPWORD_LANGUAGES};
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
///
/// ASCII stretches are split by a byte scanner that applies the UAX #29 rules as they fall on ASCII
/// (the rules `unicode-segmentation` itself uses for an all-ASCII string); a stretch holding any other
/// character goes to `unicode-segmentation` whole. Stretches are cut only after ASCII white space
/// followed by an ASCII byte other than a second space: no UAX #29 rule joins across such a place,
/// so both paths see the same boundaries as the whole text would give.
pub fn tokenize_into(text: &str, base: usize, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let len = bytes.len();
    // Everything before `settled` is final: the text's start, or the end of a Unicode stretch.
    let mut settled = 0;
    let mut i = 0;
    while i < len {
        while i < len && CLASSES[bytes[i] as usize] & (WORD | HIGH) == 0 {
            i += 1;
        }
        if i == len {
            break;
        }
        if bytes[i] >= 0x80 {
            i = unicode_stretch(text, base, settled, i, out);
            settled = i;
            continue;
        }
        let start = i;
        loop {
            while i < len && CLASSES[bytes[i] as usize] & WORD != 0 {
                i += 1;
            }
            if i + 1 < len && is_infix(bytes[i], bytes[i - 1], bytes[i + 1]) {
                i += 2;
            } else {
                break;
            }
        }
        // A non-ASCII byte right after the word, or after one infix byte, may change its end.
        if (i < len && bytes[i] >= 0x80)
            || (i + 1 < len && bytes[i + 1] >= 0x80 && CLASSES[bytes[i] as usize] & INFIX != 0)
        {
            i = unicode_stretch(text, base, settled, i, out);
            settled = i;
            continue;
        }
        // A run of underscores alone holds no letter or digit: no word.
        if bytes[start] != b'_' || bytes[start..i].iter().any(|&b| b != b'_') {
            out.push(Token { start: base + start, end: base + i });
        }
    }
}

/// Splits the stretch around `at` with `unicode-segmentation`, replacing the tokens the scanner gave
/// in it; returns where the stretch ends. A stretch runs from the last safe cut at or before `at`
/// (never before `settled`) to the first safe cut after it, and takes in the stretches that follow
/// while they hold non-ASCII bytes too, so non-Latin text costs one call, not one per word.
fn unicode_stretch(text: &str, base: usize, settled: usize, at: usize, out: &mut Vec<Token>) -> usize {
    let bytes = text.as_bytes();
    let mut start = at;
    while start > settled && !is_safe_cut(bytes, start) {
        start -= 1;
    }
    while out.last().is_some_and(|t| t.start >= base + start) {
        out.pop();
    }
    let mut end = next_safe_cut(bytes, at + 1);
    while end < bytes.len() {
        let next = next_safe_cut(bytes, end + 1);
        if bytes[end..next].is_ascii() {
            break;
        }
        end = next;
    }
    let offset = base + start;
    out.extend(
        text[start..end]
            .unicode_word_indices()
            .map(|(at, word)| Token { start: offset + at, end: offset + at + word.len() }),
    );
    end
}

/// Whether the text can be cut before byte `at`: it follows ASCII white space and is ASCII itself,
/// but not a space after a space, which UAX #29 keeps together (WB3d) with any mark after them (WB4).
#[inline]
fn is_safe_cut(bytes: &[u8], at: usize) -> bool {
    at > 0
        && CLASSES[bytes[at - 1] as usize] & SPACE != 0
        && bytes[at] < 0x80
        && !(bytes[at - 1] == b' ' && bytes[at] == b' ')
}

/// The first safe cut at or after `from`, or the text's end.
fn next_safe_cut(bytes: &[u8], from: usize) -> usize {
    (from..bytes.len()).find(|&at| is_safe_cut(bytes, at)).unwrap_or(bytes.len())
}

/// Byte classes, as bits of [`CLASSES`].
const WORD: u8 = 1;
const SPACE: u8 = 2;
const INFIX: u8 = 4;
const HIGH: u8 = 8;

/// The class of every byte value: letters, digits and `_` are WORD (ALetter, Numeric,
/// ExtendNumLet), ASCII white space SPACE, `. , ; ' :` INFIX, bytes of non-ASCII characters HIGH.
static CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() || c == b'_' {
            WORD
        } else if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c') {
            SPACE
        } else if matches!(c, b'.' | b',' | b';' | b'\'' | b':') {
            INFIX
        } else if c >= 0x80 {
            HIGH
        } else {
            0
        };
        b += 1;
    }
    table
};

/// `b` between `prev` and `next` keeps a word together: "3.14", "1,000" (WB11/12), "e.g", "can't",
/// "a:b" (WB6/7).
#[inline]
fn is_infix(b: u8, prev: u8, next: u8) -> bool {
    match b {
        b'.' | b'\'' => {
            (prev.is_ascii_digit() && next.is_ascii_digit())
                || (prev.is_ascii_alphabetic() && next.is_ascii_alphabetic())
        }
        b',' | b';' => prev.is_ascii_digit() && next.is_ascii_digit(),
        b':' => prev.is_ascii_alphabetic() && next.is_ascii_alphabetic(),
        _ => false,
    }
}

/// The reference: `unicode-segmentation`'s `unicode_word_indices`, which [`tokenize_into`] equals.
pub fn tokenize_reference_into(text: &str, base: usize, out: &mut Vec<Token>) {
    out.extend(text.unicode_word_indices().map(|(at, word)| Token { start: base + at, end: base + at + word.len() }));
}

/// `word` without a final possessive `'s` or `’s` (any case: `CSTO’S` -> `CSTO`); the word itself
/// otherwise, and never the empty string.
#[inline]
pub fn strip_possessive(word: &str) -> &str {
    let b = word.as_bytes();
    // Most words do not end in "s": one byte test settles them.
    if b.len() < 3 || !matches!(b[b.len() - 1], b's' | b'S') {
        return word;
    }
    let stem = &b[..b.len() - 1];
    let cut = if stem.ends_with(b"'") {
        1
    } else if stem.ends_with("\u{2019}".as_bytes()) {
        3
    } else {
        return word;
    };
    if stem.len() > cut {
        &word[..stem.len() - cut]
    } else {
        word
    }
}

/// The term a word counts as: lower-cased (full Unicode lower-casing) without a final possessive.
/// Writes into `buf` only when the word is not already a term, so most words cost no copy.
pub fn term_of<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    // One pass settles the common case, a word already in lower-case ASCII.
    let (mut upper, mut non_ascii) = (false, false);
    for b in word.bytes() {
        upper |= b.is_ascii_uppercase();
        non_ascii |= !b.is_ascii();
    }
    if !upper && !non_ascii {
        return strip_possessive(word);
    }
    buf.clear();
    if non_ascii {
        buf.push_str(&word.to_lowercase());
    } else {
        buf.push_str(word);
        buf.make_ascii_lowercase();
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

    fn assert_same_as_reference(text: &str) {
        let (mut fast, mut reference) = (Vec::new(), Vec::new());
        tokenize_into(text, 7, &mut fast);
        tokenize_reference_into(text, 7, &mut reference);
        let show = |v: &[Token]| v.iter().map(|t| &text[t.start - 7..t.end - 7]).collect::<Vec<_>>();
        assert_eq!(show(&fast), show(&reference), "text {text:?}");
        assert_eq!(fast, reference, "offsets for {text:?}");
    }

    #[test]
    fn fast_path_equals_the_reference_on_tricky_text() {
        for text in [
            "",
            " ",
            "a",
            "_",
            "__a_",
            "a_b 1_2",
            "e.g. U.S. 3.14 1,000 1;2 a:b a::b a..b can't 'quoted' rock'n'roll",
            "Lavrov’s remarks",
            "CSTO’s mission",
            "café au lait",
            "naïve",
            "a\u{301}b",
            " \u{301}x",
            "x \u{301}",
            // Found by the fuzzer: spaces stay together (WB3d) and a mark joins them (WB4), so
            // "  \u{650}" is one segment, and a word since the mark is alphabetic.
            " i\x0b is plat1e r\x0f\0\0\0\x0b is  \u{650}",
            "a   \u{301}",
            "日本語のテキスト and English",
            "Армения и Россия",
            "Հայաստան, 2022",
            "a.\u{e9}",
            "1.\u{663}",
            "a'\u{e9}",
            "\r\n\r\nA\r\nB",
            "tab\tsep\x0bvt\x0cff",
            "emoji 👍🏽 and 🇦🇲🇷🇺 flags",
            "zwj a\u{200d}b",
            "end.",
            ".start",
            "3.",
            "a.",
            "x'",
            "'x",
            "1,",
            ",1",
            "word\u{a0}nbsp",
            "ｆｕｌｌ width",
            "a\u{2019}s \u{2019}s",
        ] {
            assert_same_as_reference(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_equals_the_reference_on_arbitrary_strings(text in "\\PC*") {
            assert_same_as_reference(&text);
        }

        #[test]
        fn fast_path_equals_the_reference_on_mostly_ascii(text in "([a-zA-Z0-9_.,;:'\" \t\n\r-]|[\u{e9}\u{2019}\u{301}\u{200d}\u{5d0}\u{3042}\u{1f1e6}])*") {
            assert_same_as_reference(&text);
        }
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

    proptest::proptest! {
        #[test]
        fn strip_possessive_removes_exactly_one_final_possessive(word in "[a-zA-Z’']{0,6}") {
            let expected = ["'s", "'S", "\u{2019}s", "\u{2019}S"]
                .iter()
                .find_map(|suffix| word.strip_suffix(suffix).filter(|stem| !stem.is_empty()))
                .unwrap_or(&word);
            proptest::prop_assert_eq!(strip_possessive(&word), expected);
        }
    }
}
