//! The fast tokenizer against unicode-segmentation's word iterator on any text: the same words at
//! the same offsets, always.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally::tokenize::{tokenize_reference_into, words_into};

fuzz_target!(|text: &str| {
    let (mut fast, mut reference) = (Vec::new(), Vec::new());
    words_into(text, 7, &mut fast);
    tokenize_reference_into(text, 7, &mut reference);
    assert_eq!(fast, reference, "{text:?}");
});
