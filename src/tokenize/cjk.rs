//! Chinese and Japanese words. UAX #29 makes each Han ideograph and each hiragana a word of its own
//! (Chinese and Japanese put no space between words), so 北京大学 would count as four terms. A run
//! of such words, one right after another, is split again by ICU4X's dictionary word segmenter
//! (the segmenter ICU-based tools such as quanteda use): 我们/在/北京/大学, アメリカ/合衆国/の/大統領.
//! Every other word, and every text holding no character of these scripts, is left as it was: the
//! check that a text holds none is one pass over its bytes.
//!
//! Invariant: the words of a run cover it exactly, in order: offsets stay exact.

use std::sync::LazyLock;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};

use super::Token;

/// ICU's word segmenter with its built-in data: a dictionary for Chinese and Japanese.
static SEGMENTER: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_auto(WordBreakInvariantOptions::default()));

/// Whether `c` belongs to a script written without spaces between words: Han ideographs (the
/// unified blocks, their extensions and the compatibility ones), hiragana and katakana (full and
/// half width).
fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FF66}'..='\u{FF9F}' | '\u{20000}'..='\u{3FFFF}')
}

/// Whether `text` may hold such a character: the lead bytes of their UTF-8 (E3 to E9: U+3000 to
/// U+9FFF; EF: U+F000 to U+FFFF; F0: U+10000 to U+3FFFF). Most text holds none, and is passed over.
fn may_hold_unspaced(text: &str) -> bool {
    // In blocks, each block's largest byte first (one vector instruction for many bytes): below E3,
    // as in all text of Latin, Cyrillic, Armenian or Arabic letters and common punctuation, the
    // block holds none; else its bytes are looked at one by one.
    text.as_bytes().chunks(64).any(|block| {
        block.iter().fold(0u8, |most, &b| most.max(b)) >= 0xE3
            && block.iter().any(|&b| b.wrapping_sub(0xE3) < 7 || b == 0xEF || b == 0xF0)
    })
}

/// Splits again, with ICU's dictionary, each run of words of `out` from `from` on that are wholly
/// Han, hiragana or katakana and follow one another with nothing between them. The words are of
/// `text`, with offsets shifted by `base`.
pub(super) fn segment(text: &str, base: usize, out: &mut Vec<Token>, from: usize) {
    if !may_hold_unspaced(text) {
        return;
    }
    let unspaced = |t: &Token| text[t.start - base..t.end - base].chars().all(is_unspaced);
    if !out[from..].iter().any(unspaced) {
        return;
    }
    let words: Vec<Token> = out.drain(from..).collect();
    let mut i = 0;
    while i < words.len() {
        if !unspaced(&words[i]) {
            out.push(words[i]);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < words.len() && words[j].start == words[j - 1].end && unspaced(&words[j]) {
            j += 1;
        }
        let (start, end) = (words[i].start, words[j - 1].end);
        let run = &text[start - base..end - base];
        let breaks = SEGMENTER.segment_str(run);
        let mut at = 0;
        for next in breaks {
            // A run holds only letters of these scripts: every segment of it is a word.
            if next > at {
                out.push(Token { start: start + at, end: start + next });
            }
            at = next;
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        super::super::tokenize_into(text, 3, &mut out);
        out.iter().map(|t| &text[t.start - 3..t.end - 3]).collect()
    }

    #[test]
    fn chinese_and_japanese_runs_are_split_into_words_and_the_rest_is_left_alone() {
        assert_eq!(words("我们在北京大学学习中文。"), ["我们", "在", "北京", "大学", "学习", "中文"]);
        assert_eq!(words("アメリカ合衆国の大統領"), ["アメリカ", "合衆国", "の", "大統領"]);
        // Words of other scripts, numbers and punctuation between runs stay as UAX #29 gives them.
        assert_eq!(
            words("2022年，中国在Moscow会见了Путин。"),
            ["2022", "年", "中国", "在", "Moscow", "会见", "了", "Путин"]
        );
        assert_eq!(words("Sergei Lavrov met Ararat Mirzoyan."), ["Sergei", "Lavrov", "met", "Ararat", "Mirzoyan"]);
    }

    #[test]
    fn only_text_holding_such_scripts_is_looked_at() {
        assert!(!may_hold_unspaced("plain English, “quoted” – with dashes… and €"));
        assert!(!may_hold_unspaced("Հայաստան Россия"));
        assert!(may_hold_unspaced(&format!("{}北京", "x".repeat(200))));
        assert!(may_hold_unspaced("ｶﾀｶﾅ"));
    }

    proptest::proptest! {
        #[test]
        fn the_words_of_a_run_cover_it_exactly(text in "[a-z 。、北京大学我们在学习中文日本語のにはアメリカ0-9]{0,60}") {
            let (mut uax29, mut out) = (Vec::new(), Vec::new());
            super::super::words_into(&text, 5, &mut uax29);
            super::super::tokenize_into(&text, 5, &mut out);
            // Both cover the same characters, and every word of `out` lies within one of UAX #29's
            // runs or is one of its words.
            let covered = |v: &[Token]| v.iter().map(|t| &text[t.start - 5..t.end - 5]).collect::<String>();
            proptest::prop_assert_eq!(covered(&out), covered(&uax29));
            for t in &out {
                proptest::prop_assert!(t.start < t.end && text.is_char_boundary(t.start - 5) && text.is_char_boundary(t.end - 5));
            }
        }
    }
}
