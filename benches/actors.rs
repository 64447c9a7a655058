//! Finding actors on one thread, in bytes of document body per second: the work each rayon worker
//! does per document for the `mentions` report, on text already split into UAX #29's words (as a run
//! finds actors). The aim is at least 60 MB/s (2,000 times spaCy's 0.03 MB/s). Splitting the same
//! text into words is measured beside it, as the yardstick of the same run.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tally::actors::ActorFinder;
use tally::tokenize::{words_into, Token};

fn bench_actors(c: &mut Criterion) {
    let (name, docs) = common::english();
    let tokens: Vec<Vec<Token>> = docs
        .iter()
        .map(|d| {
            let mut tokens = Vec::new();
            words_into(d.body(), d.body_start, &mut tokens);
            tokens
        })
        .collect();
    let finder = ActorFinder::default();
    let mut mentions = Vec::new();
    let mut find = || {
        mentions.clear();
        for (d, tokens) in docs.iter().zip(&tokens) {
            finder.find(&d.content, tokens, d.date, &mut mentions);
        }
        mentions.len()
    };
    let expected = find();
    assert!(expected > 0, "the bench text names actors");
    let mut buffer = Vec::new();
    let mut tokenize = || {
        let mut n = 0;
        for d in &docs {
            buffer.clear();
            words_into(d.body(), d.body_start, &mut buffer);
            n += buffer.len();
        }
        n
    };
    let token_count = tokenize();

    let mut group = c.benchmark_group("actors");
    group.throughput(Throughput::Bytes(common::body_bytes(&docs)));
    group.bench_function(BenchmarkId::new("find", name), |b| b.iter(|| assert_eq!(find(), expected)));
    group.bench_function(BenchmarkId::new("tokenize", name), |b| b.iter(|| assert_eq!(tokenize(), token_count)));
    group.finish();
}

criterion_group!(benches, bench_actors);
criterion_main!(benches);
