//! Tokenizing and counting terms (with their n-grams, dispersion parts and periods) on one thread, in
//! bytes of document body per second: the work each rayon worker does per document, actors aside.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tally::count::Counts;
use tally::tokenize::tokenize_into;

fn bench_count(c: &mut Criterion) {
    let (name, docs) = common::english();
    let mut tokens = Vec::new();
    let mut buf = String::new();
    let mut run = || {
        let mut counts = Counts::default();
        for (i, d) in docs.iter().enumerate() {
            tokens.clear();
            tokenize_into(d.body(), d.body_start, &mut tokens);
            let _ =
                counts.add_document(i, d, &tokens, &mut Vec::new(), &mut buf, &tally::count::CountOptions::default());
        }
        // What counting left waiting (n-grams, part and period figures) is part of the work.
        counts.settle();
        counts.tokens()
    };
    let expected = run();
    let mut group = c.benchmark_group("count");
    group.throughput(Throughput::Bytes(common::body_bytes(&docs)));
    group.bench_function(BenchmarkId::new("tokenize+terms", name), |b| b.iter(|| assert_eq!(run(), expected)));
    group.finish();
}

criterion_group!(benches, bench_count);
criterion_main!(benches);
