//! Characters outside ASCII that the fast path splits without `unicode-segmentation`: letters of
//! Latin, Greek, Cyrillic, Armenian… scripts, digits, the joining marks (’, ·, ٫…), spaces and
//! punctuation each behave, for UAX #29, exactly as one ASCII byte does ("д" as "a", "’" as "."),
//! and ideographs (Han, Hiragana) are words of one character. A stretch of such characters is
//! mapped to ASCII, one byte a character, split by the ASCII scanner, and its words mapped back.
//!
//! Which character behaves as what is learnt from `unicode-segmentation` itself, the first time the
//! character is met: its words in a set of short contexts ("aX", "X.a", "1,X"…) are compared with
//! those of each ASCII stand-in. The contexts tell every UAX #29 word-break class from every other,
//! so a character takes a stand-in only when its class is the stand-in's; any other character (marks
//! that attach, Hebrew letters, Katakana, emoji…) sends the stretch to `unicode-segmentation`, as
//! before. The table is that crate's Unicode version, whatever it is.
//!
//! Invariant: a character is given a stand-in only when its words equal the stand-in's in every
//! context of [`CONTEXTS`].

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::LazyLock;

use unicode_segmentation::UnicodeSegmentation;

use super::Token;

/// What a character may be, as stored in [`BEHAVIOUR`]: not yet learnt; a word alone; a mark that
/// joins as a letter does but is no letter (Armenian ՛ ՜ ՞: a word of them alone is none); a mark
/// that is passed over, belonging to the character before it (a combining accent, a soft hyphen:
/// Extend and Format, neither a letter nor a digit); or none of the kinds the fast path knows. Any
/// other value is the ASCII byte it behaves as.
const UNKNOWN: u8 = 0;
const ALONE: u8 = 1;
const LETTER_MARK: u8 = 2;
const PASSED_OVER: u8 = 3;
const OTHER: u8 = 4;

/// The ASCII stand-ins: a letter (ALetter), a digit (Numeric), `.` (MidNumLet), `:` (MidLetter), `,`
/// (MidNum), `_` (ExtendNumLet) and a space (no word, joining nothing).
const STAND_INS: [char; 7] = ['a', '1', '.', ':', ',', '_', ' '];

/// Short texts, `X` standing for the character, whose words tell the word-break classes apart:
/// which neighbours a character joins, directly or across a joining mark, and whether it is a word
/// alone.
const CONTEXTS: [&str; 46] = [
    "X",
    "XX",
    "aX",
    "Xa",
    "1X",
    "X1",
    "_X",
    "X_",
    "Xa_",
    "a_X",
    "X_a",
    "1_X",
    "X_1",
    "a.X",
    "X.a",
    "1.X",
    "X.1",
    "a:X",
    "X:a",
    "1,X",
    "X,1",
    "X'a",
    "a'X",
    "X'",
    "X\"a",
    "a\"X",
    "X\"X",
    "aXa",
    "1X1",
    "aX1",
    "1Xa",
    "X.X",
    "X,X",
    "X:X",
    "X X",
    "a X",
    "X a",
    "\u{30ab}X",
    "X\u{30ab}",
    "X\u{301}",
    "\u{301}X",
    "X\u{200d}",
    "\u{200d}X",
    "X\u{a9}",
    "aX\u{a9}",
    "\u{3000}X",
];

/// What each character of the Basic Multilingual Plane behaves as, learnt when first met.
static BEHAVIOUR: [AtomicU8; 0x10000] = [const { AtomicU8::new(UNKNOWN) }; 0x10000];

/// The words of each of [`CONTEXTS`], as ranges of characters.
type ContextWords = Vec<Vec<(usize, usize)>>;

/// The words of each context with the character a stand-in, one list for each of [`STAND_INS`].
static STAND_IN_WORDS: LazyLock<Vec<ContextWords>> =
    LazyLock::new(|| STAND_INS.iter().map(|&c| words_in_contexts(c)).collect());

/// The words of `text` as character ranges (so characters of any length compare).
fn char_words(text: &str) -> Vec<(usize, usize)> {
    let chars = |to: usize| text[..to].chars().count();
    text.unicode_word_indices().map(|(at, word)| (chars(at), chars(at + word.len()))).collect()
}

/// The words of every context with `c` for `X`.
fn words_in_contexts(c: char) -> ContextWords {
    CONTEXTS.iter().map(|context| char_words(&context.replace('X', c.encode_utf8(&mut [0; 4])))).collect()
}

/// What `c`, a character outside ASCII, behaves as: learnt from `unicode-segmentation` once, then
/// looked up.
fn behaviour(c: char) -> u8 {
    let Some(slot) = BEHAVIOUR.get(c as usize) else { return OTHER };
    match slot.load(Ordering::Relaxed) {
        UNKNOWN => {
            let learnt = learn(c);
            // Threads learning the same character learn the same.
            slot.store(learnt, Ordering::Relaxed);
            learnt
        }
        known => known,
    }
}

fn learn(c: char) -> u8 {
    let words = words_in_contexts(c);
    if let Some(k) = STAND_IN_WORDS.iter().position(|w| *w == words) {
        return STAND_INS[k] as u8;
    }
    let behaves = |expected: &dyn Fn(&str) -> Vec<(usize, usize)>| {
        CONTEXTS.iter().zip(&words).all(|(context, words)| expected(context) == *words)
    };
    // A word alone: each X is a word of its own, and the rest splits as if X were a space (in the
    // contexts without a mark that attaches, which sends its stretch to `unicode-segmentation`).
    let marked = |context: &str| context.contains(['\u{301}', '\u{200d}']);
    let alone = CONTEXTS.iter().zip(&words).filter(|(context, _)| !marked(context)).all(|(context, words)| {
        let mut expected = char_words(&context.replace('X', " "));
        expected.extend(context.chars().enumerate().filter(|&(_, ch)| ch == 'X').map(|(i, _)| (i, i + 1)));
        expected.sort_unstable();
        expected == *words
    });
    // A letter mark: the words of a letter, but for those with no letter or digit but X.
    let letter_mark = |context: &str| {
        let chars: Vec<char> = context.chars().collect();
        let mut words = char_words(&context.replace('X', "a"));
        words.retain(|&(start, end)| chars[start..end].iter().any(|&ch| ch != 'X' && ch.is_alphanumeric()));
        words
    };
    // Passed over: the words of the text without X, each taking in the Xs right after it.
    let passed_over = |context: &str| {
        let kept: Vec<usize> = context.chars().enumerate().filter(|&(_, ch)| ch != 'X').map(|(i, _)| i).collect();
        let next_kept = |i: usize| kept.get(i).copied().unwrap_or(context.chars().count());
        char_words(&context.replace('X', "")).into_iter().map(|(start, end)| (kept[start], next_kept(end))).collect()
    };
    if alone {
        ALONE
    } else if behaves(&letter_mark) {
        LETTER_MARK
    } else if behaves(&passed_over) {
        PASSED_OVER
    } else {
        OTHER
    }
}

/// Appends the words of `stretch`, a text starting at byte `offset` of the document, when the fast
/// path knows every character in it; else appends nothing and returns where the first one it does
/// not know starts.
pub(super) fn mapped_stretch(stretch: &str, offset: usize, out: &mut Vec<Token>) -> Result<(), usize> {
    if u32::try_from(stretch.len()).is_err() {
        return Err(0);
    }
    // One ASCII byte a character, and where each character starts in the stretch.
    let mut mapped = Vec::with_capacity(stretch.len());
    let mut starts: Vec<u32> = Vec::with_capacity(stretch.len() + 1);
    let mut alone = Vec::new();
    // The letter marks, by their place in `mapped`.
    let mut marks = Vec::new();
    for (at, c) in stretch.char_indices() {
        let byte = match c {
            '\0'..='\x7f' => c as u8,
            _ => match behaviour(c) {
                OTHER => return Err(at),
                ALONE => {
                    alone.push(Token { start: offset + at, end: offset + at + c.len_utf8() });
                    b' '
                }
                LETTER_MARK => {
                    marks.push(mapped.len());
                    b'a'
                }
                // It belongs to the character before: the next one's start says where that ends.
                PASSED_OVER => {
                    if let Some(last) = alone.last_mut().filter(|t| t.end == offset + at) {
                        last.end += c.len_utf8();
                    }
                    continue;
                }
                stand_in => stand_in,
            },
        };
        mapped.push(byte);
        starts.push(at as u32);
    }
    starts.push(stretch.len() as u32);
    let mut words = Vec::new();
    super::tokenize_into(std::str::from_utf8(&mapped).expect("ASCII bytes only"), 0, &mut words);
    if !marks.is_empty() {
        // A word of letter marks (and joiners) alone is none.
        for &k in &marks {
            mapped[k] = b'.';
        }
        words.retain(|w| mapped[w.start..w.end].iter().any(u8::is_ascii_alphanumeric));
    }
    let mut alone = alone.into_iter().peekable();
    for word in words {
        let start = offset + starts[word.start] as usize;
        while let Some(first) = alone.next_if(|a| a.start < start) {
            out.push(first);
        }
        out.push(Token { start, end: offset + starts[word.end] as usize });
    }
    out.extend(alone);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_letters_and_marks_behave_as_their_stand_ins() {
        for c in ['é', 'д', 'Ж', 'ա', 'Ա', 'λ', 'ß'] {
            assert_eq!(behaviour(c), b'a', "{c}");
        }
        assert_eq!(behaviour('٣'), b'1', "an Arabic-Indic digit");
        assert_eq!(behaviour('’'), b'.', "a right single quote joins as a period does");
        assert_eq!(behaviour('·'), b':', "a middle dot joins letters only");
        assert_eq!(behaviour('«'), b' ');
        assert_eq!(behaviour('—'), b' ');
        for c in ['中', '国', 'の'] {
            assert_eq!(behaviour(c), ALONE, "{c}");
        }
        for c in ['\u{55b}', '\u{55e}'] {
            assert_eq!(behaviour(c), LETTER_MARK, "{c:?}");
        }
        for c in ['\u{301}', '\u{ad}'] {
            assert_eq!(behaviour(c), PASSED_OVER, "{c:?}");
        }
        // A joiner of emoji, a mark that is a letter, Hebrew letters (their own quote rules),
        // Katakana (joins Katakana only).
        for c in ['\u{200d}', '\u{345}', 'א', 'カ'] {
            assert_eq!(behaviour(c), OTHER, "{c:?}");
        }
    }
}
