//! The JSON Lines reader on any bytes, through the same path a run takes (a file, read in batches):
//! no panic, every non-blank line is one item, and a line that reads gives its `text` field (bad
//! UTF-8 in a field tally does not read does not stop a line).
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use tally::corpus::{batches, discover, Fields, Item};

fuzz_target!(|bytes: &[u8]| {
    let mut file = tempfile_in_tmp();
    file.1.write_all(bytes).unwrap();
    drop(file.1);
    let discovery = discover(&[file.0.clone()], &[]).unwrap();
    let fields = Fields::default();
    let lines = bytes.split(|&b| b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace)).count();
    let mut items = 0;
    for batch in batches(discovery.sources, fields.clone(), usize::MAX, 7, 1 << 10) {
        for item in &batch.items {
            items += 1;
            if let (Item::JsonLine { bytes, .. }, Ok((doc, _))) = (item, item.read(&fields)) {
                // A line may read with bad UTF-8 in a field tally skips, which serde_json's own
                // reading of the whole line refuses: compare where both read it.
                if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
                    assert_eq!(value["text"].as_str(), Some(doc.content.as_str()));
                }
            }
        }
    }
    assert_eq!(items, lines);
    let _ = std::fs::remove_file(&file.0);
});

/// A fresh `.jsonl` file in the temporary folder.
fn tempfile_in_tmp() -> (std::path::PathBuf, std::fs::File) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir()
        .join(format!("tally-fuzz-{}-{}.jsonl", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    let file = std::fs::File::create(&path).unwrap();
    (path, file)
}
