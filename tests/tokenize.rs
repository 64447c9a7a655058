//! The fast UAX #29 words (`words_into`) against their definition, `unicode-segmentation`'s `unicode_word_indices`: on the
//! Unicode word-break conformance cases and on every text file of `../shared/corpora` (skipped when
//! absent). The unit tests in `src/tokenize` add arbitrary strings (proptest).

use std::path::Path;

use tally::tokenize::{tokenize_reference_into, words_into, Token};

use crate::common::shared_corpus;

fn tokens(text: &str, f: fn(&str, usize, &mut Vec<Token>)) -> Vec<Token> {
    let mut out = Vec::new();
    f(text, 0, &mut out);
    out
}

#[test]
fn unicode_conformance_cases_tokenize_as_the_crate_does() {
    let Some(path) = shared_corpus("unicode/WordBreakTest-15.0.0.txt") else { return };
    let (mut cases, mut crate_differs_from_spec) = (0, 0);
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let case = line.split('#').next().unwrap().trim();
        if case.is_empty() {
            continue;
        }
        let mut text = String::new();
        let mut spec_words = Vec::new();
        let mut word_start = 0;
        for part in case.split_whitespace() {
            match part {
                "÷" => {
                    if text[word_start..].chars().any(char::is_alphanumeric) {
                        spec_words.push(Token { start: word_start, end: text.len() });
                    }
                    word_start = text.len();
                }
                "×" => {}
                hex => text.push(char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap()),
            }
        }
        let reference = tokens(&text, tokenize_reference_into);
        assert_eq!(tokens(&text, words_into), reference, "case {case}");
        crate_differs_from_spec += usize::from(reference != spec_words);
        cases += 1;
    }
    assert!(cases > 1800, "{cases} cases read");
    eprintln!("{cases} conformance cases; the crate's words differ from the spec's in {crate_differs_from_spec}");
}

fn compare_files_under(dir: &Path, compared: &mut (usize, usize)) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            compare_files_under(&path, compared);
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let (fast, reference) = (tokens(&text, words_into), tokens(&text, tokenize_reference_into));
        if let Some(i) = (0..fast.len().max(reference.len())).find(|&i| fast.get(i) != reference.get(i)) {
            let at = reference.get(i).or(fast.get(i)).map_or(0, |t| t.start);
            let (mut from, mut to) = (at.saturating_sub(40), (at + 40).min(text.len()));
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            while !text.is_char_boundary(to) {
                to += 1;
            }
            let context = &text[from..to];
            panic!(
                "{} tokenizes differently at token {i}: {:?} where the crate has {:?}, in {context:?}",
                path.display(),
                fast.get(i).map(|t| &text[t.start..t.end]),
                reference.get(i).map(|t| &text[t.start..t.end]),
            );
        }
        compared.0 += 1;
        compared.1 += fast.len();
    }
}

#[test]
fn every_shared_corpus_tokenizes_as_the_crate_does() {
    let Some(corpora) = shared_corpus("") else { return };
    let mut compared = (0, 0);
    compare_files_under(&corpora, &mut compared);
    assert!(compared.0 > 19_000, "{} files", compared.0);
    eprintln!("{} files, {} tokens: identical", compared.0, compared.1);
}
