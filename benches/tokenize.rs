//! The tokenizing path, in bytes per second on real text: tally's tokenizer alone, and tokenizing with
//! term counting on one thread. English news is the Reuters corpus from `../shared` when present,
//! else the seed corpus.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tally::corpus::{read_document, Document, Source};
use tally::count::Counts;
use tally::tokenize::tokenize_into;

/// Up to `limit` bytes of document bodies from the `.txt` files under `dir`, sorted by path.
fn load(dir: &Path, limit: usize) -> Vec<Document> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    let mut docs = Vec::new();
    let mut bytes = 0;
    for path in paths {
        if let Ok((doc, _)) = read_document(&Source { id: path.display().to_string(), path }) {
            bytes += doc.content.len();
            docs.push(doc);
            if bytes >= limit {
                break;
            }
        }
    }
    docs
}

fn corpus() -> (&'static str, Vec<Document>) {
    let reuters = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/reuters21578");
    if reuters.exists() {
        ("reuters-4MB", load(&reuters, 4_000_000))
    } else {
        eprintln!("../shared is absent: benchmarking on seeds/");
        ("seeds", load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"), usize::MAX))
    }
}

fn bench_tokenize(c: &mut Criterion) {
    let (name, docs) = corpus();
    let bytes: usize = docs.iter().map(|d| d.body().len()).sum();
    let mut tokens = Vec::new();
    let expected: usize = docs
        .iter()
        .map(|d| {
            tokens.clear();
            tokenize_into(d.body(), d.body_start, &mut tokens);
            tokens.len()
        })
        .sum();

    let mut group = c.benchmark_group("tokenize");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_with_input(BenchmarkId::new("words", name), &docs, |b, docs| {
        b.iter(|| {
            let mut n = 0;
            for d in docs {
                tokens.clear();
                tokenize_into(d.body(), d.body_start, &mut tokens);
                n += tokens.len();
            }
            assert_eq!(n, expected);
        })
    });
    group.bench_with_input(BenchmarkId::new("words+terms", name), &docs, |b, docs| {
        let mut buf = String::new();
        b.iter(|| {
            let mut counts = Counts::default();
            for (i, d) in docs.iter().enumerate() {
                tokens.clear();
                tokenize_into(d.body(), d.body_start, &mut tokens);
                counts.add_document(i, d, &tokens, &[], &mut buf);
            }
            assert_eq!(counts.tokens as usize, expected);
        })
    });
    group.finish();
}

criterion_group!(benches, bench_tokenize);
criterion_main!(benches);
