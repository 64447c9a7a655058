//! The date header parser on any text: no panic, the body starts on a character boundary inside the
//! text, and a date it gives prints back as the ISO date it read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally::corpus::{parse_header, Date};

fuzz_target!(|text: &str| {
    let header = parse_header(text);
    assert!(header.body_start <= text.len() && text.is_char_boundary(header.body_start));
    if let Some(Ok(date)) = header.date {
        let iso = date.to_string();
        assert_eq!(Date::parse(&iso), Ok(date), "{iso}");
        assert!(text[..header.body_start].contains(&iso[..4]), "the year comes from the header");
    } else if header.date.is_none() {
        assert_eq!(header.body_start, 0);
    }
});
