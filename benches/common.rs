//! Corpora the benches share: real text from `../shared` when present, else the seed corpus.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use tally::corpus::{read_document, Compression, Document, Format, Source};

fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora").join(rel);
    path.exists().then_some(path)
}

/// Up to `limit` bytes of documents from the `.txt` files under `dir`, sorted by path.
pub fn load(dir: &Path, limit: usize) -> Vec<Document> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if d.is_file() {
            paths.push(d);
            continue;
        }
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
        let source = Source {
            id: path.display().to_string(),
            path,
            format: Format::Text,
            compression: Compression::None,
            bytes: None,
            modified: None,
        };
        if let Ok((doc, _)) = read_document(&source, tally::corpus::DEFAULT_MAX_DOCUMENT_BYTES) {
            bytes += doc.content.len();
            docs.push(doc);
            if bytes >= limit {
                break;
            }
        }
    }
    docs
}

/// English news: 4 MB of Reuters, or the seed corpus when `../shared` is absent.
pub fn english() -> (&'static str, Vec<Document>) {
    match shared("reuters21578") {
        Some(dir) => ("reuters-4MB", load(&dir, 4_000_000)),
        None => {
            eprintln!("../shared is absent: English news is seeds/");
            ("seeds", load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"), usize::MAX))
        }
    }
}

/// Armenian, Russian and Chinese text (Universal Dependencies test sets), when `../shared` is there.
pub fn multilingual() -> Vec<(&'static str, Vec<Document>)> {
    [
        ("armenian", "multilingual/hy_armtdp-test.txt"),
        ("russian", "multilingual/ru_gsd-test.txt"),
        ("chinese", "multilingual/zh_gsd-test.txt"),
    ]
    .into_iter()
    .filter_map(|(name, rel)| shared(rel).map(|p| (name, load(&p, usize::MAX))))
    .collect()
}

/// Bytes of document bodies.
pub fn body_bytes(docs: &[Document]) -> u64 {
    docs.iter().map(|d| d.body().len() as u64).sum()
}
