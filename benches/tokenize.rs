//! The tokenizer: tally's fast UAX #29 path (`words_into`) against `unicode-segmentation`'s
//! `unicode_word_indices` (the definition it equals) on the same text, and the words terms are
//! counted in (`tokenize_into`: the same, Chinese and Japanese split by a dictionary), in bytes of
//! document body per second. The token count is checked inside every iteration so the work cannot
//! be skipped.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tally::corpus::Document;
use tally::tokenize::{tokenize_into, tokenize_reference_into, words_into, Token};

fn count_tokens(docs: &[Document], f: fn(&str, usize, &mut Vec<Token>), buf: &mut Vec<Token>) -> usize {
    docs.iter()
        .map(|d| {
            buf.clear();
            f(d.body(), d.body_start, buf);
            buf.len()
        })
        .sum()
}

fn bench_tokenize(c: &mut Criterion) {
    let (english_name, english) = common::english();
    let ascii: Vec<Document> = english
        .iter()
        .map(|d| {
            let content: String = d.content.chars().map(|ch| if ch.is_ascii() { ch } else { ' ' }).collect();
            Document { content, ..d.clone() }
        })
        .collect();
    let mut corpora = vec![(english_name, english), ("ascii", ascii)];
    corpora.extend(common::multilingual());

    let mut group = c.benchmark_group("tokenize");
    let mut buf = Vec::new();
    for (name, docs) in &corpora {
        let expected = count_tokens(docs, tokenize_reference_into, &mut buf);
        assert_eq!(count_tokens(docs, words_into, &mut buf), expected, "{name}: the paths disagree");
        let split = count_tokens(docs, tokenize_into, &mut buf);
        group.throughput(Throughput::Bytes(common::body_bytes(docs)));
        for (path, f, expected) in [
            ("fast", words_into as fn(&str, usize, &mut Vec<Token>), expected),
            ("unicode_word_indices", tokenize_reference_into, expected),
            ("terms' words", tokenize_into, split),
        ] {
            group.bench_with_input(BenchmarkId::new(path, name), docs, |b, docs| {
                b.iter(|| assert_eq!(count_tokens(docs, f, &mut buf), expected))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_tokenize);
criterion_main!(benches);
