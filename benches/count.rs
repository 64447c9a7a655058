//! Tokenizing and counting terms on one thread, in bytes of document body per second: the work each
//! rayon worker does per document, actors aside. Two sets of counters: the default run's (terms with
//! their dispersion parts and periods, n-grams) and `--reports terms`'s (terms and their parts, no
//! n-grams and no periods). Each prints its words, to read criterion's time as nanoseconds a word.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tally::count::{CountOptions, Counts};
use tally::tokenize::tokenize_into;

fn bench_count(c: &mut Criterion) {
    let (name, docs) = common::english();
    let profiles = [
        ("tokenize+terms+ngrams", CountOptions::default()),
        (
            "tokenize+terms",
            CountOptions { no_ngrams: true, no_actors: true, no_term_periods: true, ..Default::default() },
        ),
    ];
    let mut group = c.benchmark_group("count");
    group.throughput(Throughput::Bytes(common::body_bytes(&docs)));
    for (profile, options) in profiles {
        let (mut tokens, mut buf) = (Vec::new(), String::new());
        let mut run = || {
            let mut counts = Counts::default();
            for (i, d) in docs.iter().enumerate() {
                tokens.clear();
                tokenize_into(d.body(), d.body_start, &mut tokens);
                let _ = counts.add_document(i, d, &tokens, &mut Vec::new(), &mut buf, &options);
            }
            // What counting left waiting (n-grams, part and period figures) is part of the work.
            counts.settle();
            (counts.tokens(), counts.terms().iter().map(|t| t.stat.count).sum::<u64>())
        };
        let expected = run();
        eprintln!("count/{profile}/{name}: {} words", expected.0);
        group.bench_function(BenchmarkId::new(profile, name), |b| b.iter(|| assert_eq!(run(), expected)));
    }
    group.finish();
}

criterion_group!(benches, bench_count);
criterion_main!(benches);
