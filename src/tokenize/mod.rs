//! Text in, tokens out: the words of UAX #29 (those holding a letter or a digit), runs of Chinese
//! and Japanese split again into words by a dictionary ([`cjk`]), each word with its byte offsets
//! into the document, and the term each word is counted as.
//!
//! Invariant: `text[token.start..token.end]` of [`words_into`] is exactly the word
//! `unicode-segmentation`'s `unicode_word_indices` yields at that place, in the same order. Offsets
//! are into the text given plus `base`, so tokens of a document body carry offsets into the whole
//! file.

mod cjk;
mod classes;
mod sentences;
mod stopwords;

pub use sentences::{ends_sentence, is_hard_wrapped, is_soft_wrap};
use std::mem::MaybeUninit;
pub use stopwords::{Stopwords, LANGUAGES as STOPWORD_LANGUAGES};

use unicode_segmentation::UnicodeSegmentation;

/// One word of the text, by its byte offsets. Laid out as C lays out two integers, start first: the
/// AVX-512 path writes a block's words as the run of their offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C)]
pub struct Token {
    /// Offset of the word's first byte.
    pub start: usize,
    /// Offset one past the word's last byte.
    pub end: usize,
}

impl Token {
    /// The word's text in `content`, the string the offsets point into.
    pub fn text<'a>(&self, content: &'a str) -> &'a str {
        &content[self.start..self.end]
    }
}

/// Appends the words of `text` to `out`, with offsets shifted by `base`: those of UAX #29
/// ([`words_into`]), with runs of Chinese and Japanese split into words. What `out` held stays: a
/// caller can keep the words of many documents in one buffer, or clear it to reuse it.
pub fn tokenize_into(text: &str, base: usize, out: &mut Vec<Token>) {
    let from = out.len();
    words_into(text, base, out);
    split_unspaced_runs(text, base, out, from);
}

/// Splits the runs of Chinese and Japanese among the words `out` holds from `from` on, words of
/// `text` found by [`words_into`] with offsets shifted by `base`: [`words_into`] then this is
/// [`tokenize_into`]. Finding actors goes by [`words_into`]'s words, in which a dictionary's 日本
/// is found inside 日本人, and counting by [`tokenize_into`]'s.
pub fn split_unspaced_runs(text: &str, base: usize, out: &mut Vec<Token>, from: usize) {
    cjk::segment(text, base, out, from);
}

/// Appends the words UAX #29 finds in `text` to `out`, with offsets shifted by `base`.
///
/// ASCII text is split 64 bytes at a time (`scan_ascii`) by the UAX #29 rules as they fall on ASCII
/// (the rules `unicode-segmentation` itself uses for an all-ASCII string); a stretch holding other
/// characters is mapped to ASCII, a byte a character, when each behaves as an ASCII byte does, and
/// split the same way (`classes`); the rest goes to `unicode-segmentation`. Stretches are cut only
/// after ASCII white space followed by an ASCII byte other than a second space: no UAX #29 rule joins
/// across such a place, so every path sees the same boundaries as the whole text would give.
pub fn words_into(text: &str, base: usize, out: &mut Vec<Token>) {
    #[cfg(target_arch = "x86_64")]
    if has_avx512() {
        // SAFETY: the CPU has every feature `tokenize_avx512` is compiled for, checked just above.
        unsafe { tokenize_avx512(text, base, out) };
        return;
    }
    tokenize_with(text, base, out, scan_ascii);
}

/// [`words_into`] with `scan` for the ASCII stretches.
#[inline(always)]
fn tokenize_with(
    text: &str,
    base: usize,
    out: &mut Vec<Token>,
    scan: impl Fn(&[u8], usize, usize, &mut Vec<Token>) -> Option<usize>,
) {
    let (mut from, held) = (0, out.len());
    while let Some(high) = scan(text.as_bytes(), from, base, out) {
        from = non_ascii_stretch(text, base, from, high, held, out);
    }
}

/// Whether the CPU has what [`tokenize_avx512`] is compiled for (the check is a cached flag).
#[cfg(target_arch = "x86_64")]
fn has_avx512() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512bw")
        && std::arch::is_x86_feature_detected!("avx512vbmi2")
        && std::arch::is_x86_feature_detected!("bmi1")
        && std::arch::is_x86_feature_detected!("popcnt")
}

/// [`words_into`] compiled for AVX-512 (a block's masks in a few instructions, its words'
/// offsets packed by one compress) and for the bit instructions that count and take edges.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi2,bmi1,popcnt")]
fn tokenize_avx512(text: &str, base: usize, out: &mut Vec<Token>) {
    tokenize_with(text, base, out, |bytes, from, base, out| {
        scan_blocks(
            bytes,
            from,
            base,
            out,
            |b| masks_avx512(b),
            |edges, offset, room| words_avx512(edges, offset, room),
        )
    });
}

/// The bytes of a block, as bits (bit i for byte i): letters, digits and `_` (ALetter, Numeric,
/// ExtendNumLet); `_` alone; bytes that join no words here (white space and other control
/// characters, up to 0x20, and non-ASCII bytes); non-ASCII bytes alone.
struct Masks {
    word: u64,
    underscore: u64,
    apart: u64,
    high: u64,
}

/// Splits `bytes[from..]` into words while it is ASCII, a block of 64 bytes at a time: the block's
/// word bytes become a bit mask, the `. , ; ' :` that join two words (`is_infix`, looked at only
/// where word bytes stand on both sides of a printable byte) are added to it, and each change of bit
/// starts or ends a word. `from` is 0 or a safe cut. Returns the first non-ASCII byte, if any: the
/// words from the last safe cut before it are then left to [`non_ascii_stretch`], which replaces the
/// ones given here.
fn scan_ascii(bytes: &[u8], from: usize, base: usize, out: &mut Vec<Token>) -> Option<usize> {
    scan_blocks(bytes, from, base, out, masks, words_by_bits)
}

/// [`scan_ascii`] with `masks` for a block's masks and `words` to write a block's words: given edges
/// (an even number of them) and the offset of the block's first byte, it must write the words into
/// the first slots of the room it is given, one slot a word.
#[inline(always)]
fn scan_blocks(
    bytes: &[u8],
    from: usize,
    base: usize,
    out: &mut Vec<Token>,
    masks: impl Fn(&[u8; 64]) -> Masks,
    words: impl Fn(u64, usize, &mut [MaybeUninit<Token>]),
) -> Option<usize> {
    let len = bytes.len();
    // The last byte of the block before is a word byte / is in a word (bit 0).
    let (mut word_before, mut joined_before) = (0u64, 0u64);
    // Where the word still open at the block's end starts.
    let mut open: Option<usize> = None;
    let mut tail = [0u8; 64];
    let mut at = from;
    while at < len {
        let block: &[u8; 64] = match bytes.get(at..at + 64) {
            Some(block) => block.try_into().expect("64 bytes"),
            None => {
                // Zeros after the text (once, the last block): no word byte, so a word running to
                // the end ends there.
                tail[..len - at].copy_from_slice(&bytes[at..]);
                &tail
            }
        };
        let m = masks(block);
        let word_after = bytes.get(at + 64).map_or(0, |&b| u64::from(CLASSES[b as usize] & WORD != 0));
        let mut joined = m.word;
        let mut between_words = !(m.word | m.apart) & (m.word << 1 | word_before) & (m.word >> 1 | word_after << 63);
        while between_words != 0 {
            let i = at + between_words.trailing_zeros() as usize;
            if i + 1 < len && is_infix(bytes[i], bytes[i - 1], bytes[i + 1]) {
                joined |= 1 << (i - at);
            }
            between_words &= between_words - 1;
        }
        // A bit for every byte where a word starts or one ends.
        let mut edges = joined ^ (joined << 1 | joined_before);
        if m.high != 0 {
            // Only what lies before the non-ASCII byte; an open word there is left to the caller.
            edges &= (1 << m.high.trailing_zeros()) - 1;
        }
        (word_before, joined_before) = (m.word >> 63, joined >> 63);
        // The block's words go straight into `out`'s spare room: 33 at most, and `words` may
        // write 3 slots past them.
        out.reserve(36);
        let first = out.len();
        let room = out.spare_capacity_mut();
        let mut n = 0;
        if edges != 0 {
            if let Some(start) = open.take() {
                let end = take_edge(&mut edges, at);
                // The check below sees only the words that start in this block.
                if holds_letter_or_digit(&bytes[start..end]) {
                    room[0].write(Token { start: base + start, end: base + end });
                    n = 1;
                }
            }
        }
        // The word left open at the block's end starts at its last edge, when there is an odd one.
        let mut opens = None;
        if edges.count_ones() % 2 == 1 {
            let last = 63 - edges.leading_zeros();
            opens = Some(at + last as usize);
            edges &= !(1 << last);
        }
        let pairs = edges.count_ones() as usize / 2;
        words(edges, base + at, &mut room[n..]);
        // SAFETY: `words` wrote the `pairs` slots after the `n` ones written above, past the length.
        unsafe { out.set_len(first + n + pairs) };
        if m.underscore != 0 {
            let mut kept = first;
            for i in first..out.len() {
                let word = out[i];
                if holds_letter_or_digit(&bytes[word.start - base..word.end - base]) {
                    out[kept] = word;
                    kept += 1;
                }
            }
            out.truncate(kept);
        }
        if m.high != 0 {
            return Some(at + m.high.trailing_zeros() as usize);
        }
        // A block with no edge leaves the word open.
        open = opens.or(open);
        at += 64;
    }
    if let Some(start) = open {
        if holds_letter_or_digit(&bytes[start..]) {
            out.push(Token { start: base + start, end: base + len });
        }
    }
    None
}

/// Whether the run of word bytes `word` is a word: a run of underscores alone holds no letter or
/// digit.
fn holds_letter_or_digit(word: &[u8]) -> bool {
    word.iter().any(|&b| b != b'_')
}

/// The offset of the first edge of `edges` (a block's bits from `at`), taken off it.
#[inline(always)]
fn take_edge(edges: &mut u64, at: usize) -> usize {
    let edge = at + edges.trailing_zeros() as usize;
    *edges &= edges.wrapping_sub(1);
    edge
}

/// Writes the words of a block's `edges` (an even number of them, each word's start then its end)
/// into `room`, offsets from `offset`: four words a turn, written whether or not the block has them
/// (past its last word, up to 3 slots are written but not counted), so fewer branches to guess.
#[inline(always)]
fn words_by_bits(mut edges: u64, offset: usize, room: &mut [MaybeUninit<Token>]) {
    let pairs = edges.count_ones() as usize / 2;
    let mut k = 0;
    while k < pairs {
        for slot in &mut room[k..k + 4] {
            let start = take_edge(&mut edges, offset);
            slot.write(Token { start, end: take_edge(&mut edges, offset) });
        }
        k += 4;
    }
}

/// [`words_by_bits`] with AVX-512: the edges' places are packed into bytes by one compress, then
/// written 8 at a time as the offsets `Token`s are made of (up to 3 slots past the last word are
/// written but not counted).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi2")]
fn words_avx512(edges: u64, offset: usize, room: &mut [MaybeUninit<Token>]) {
    use std::arch::x86_64::*;
    static PLACES: [u8; 64] = {
        let mut places = [0u8; 64];
        let mut i = 0;
        while i < 64 {
            places[i] = i as u8;
            i += 1;
        }
        places
    };
    let count = edges.count_ones() as usize;
    // Each store below writes 8 offsets, 4 slots.
    assert!(room.len() * 2 >= count.next_multiple_of(8), "room for the block's words");
    let mut packed = [0u8; 64];
    // SAFETY: the load and the store touch the 64 bytes of `PLACES` and of `packed`.
    unsafe {
        let places = _mm512_loadu_si512(PLACES.as_ptr().cast());
        _mm512_storeu_si512(packed.as_mut_ptr().cast(), _mm512_maskz_compress_epi8(edges, places));
    }
    let offset = _mm512_set1_epi64(offset as i64);
    let out = room.as_mut_ptr().cast::<u64>();
    for i in (0..count).step_by(8) {
        // SAFETY: the load reads 8 of `packed`'s 64 bytes (i <= 56); the store writes the offsets
        // i..i + 8 of `room`, inside it by the assert above, as `Token` (`repr(C)`, two `usize`s,
        // which are `u64`s here) lays them out.
        unsafe {
            let places = _mm512_cvtepu8_epi64(_mm_loadl_epi64(packed.as_ptr().add(i).cast()));
            _mm512_storeu_si512(out.add(i).cast(), _mm512_add_epi64(places, offset));
        }
    }
}

/// The masks of a block, 16 bytes at a time with SSE2 (which every x86-64 CPU has).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::*;
    let (mut word, mut underscore, mut apart, mut high) = (0u64, 0u64, 0u64, 0u64);
    for (lane, bytes) in block.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of x86-64 itself, so every x86-64 CPU runs these; the load reads the
        // 16 bytes `bytes` holds, unaligned.
        unsafe {
            let v = _mm_loadu_si128(bytes.as_ptr().cast::<__m128i>());
            // Signed compares: bytes from 0x80 up are negative, so never in a range below.
            let within = |v, low: u8, high: u8| {
                _mm_and_si128(
                    _mm_cmpgt_epi8(v, _mm_set1_epi8(low as i8 - 1)),
                    _mm_cmpgt_epi8(_mm_set1_epi8(high as i8 + 1), v),
                )
            };
            let letter = within(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', b'z');
            let under = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'_' as i8));
            let w = _mm_or_si128(_mm_or_si128(within(v, b'0', b'9'), letter), under);
            let bits = |v| u64::from(_mm_movemask_epi8(v) as u16) << (16 * lane);
            word |= bits(w);
            underscore |= bits(under);
            // Signed, bytes from 0x80 up are below 0x21 too.
            apart |= bits(_mm_cmpgt_epi8(_mm_set1_epi8(0x21), v));
            high |= bits(v);
        }
    }
    Masks { word, underscore, apart, high }
}

/// The masks of a block with AVX-512: one compare gives a mask of all 64 bytes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
fn masks_avx512(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::*;
    // SAFETY: the load reads the 64 bytes `block` holds, unaligned.
    let v = unsafe { _mm512_loadu_si512(block.as_ptr().cast()) };
    // Unsigned: `low..=high` is where `v - low` is below the range's width.
    let within = |v, low: u8, high: u8| {
        _mm512_cmplt_epu8_mask(
            _mm512_sub_epi8(v, _mm512_set1_epi8(low as i8)),
            _mm512_set1_epi8((high - low + 1) as i8),
        )
    };
    let underscore = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b'_' as i8));
    let letter = within(_mm512_or_si512(v, _mm512_set1_epi8(0x20)), b'a', b'z');
    let high = _mm512_movepi8_mask(v);
    Masks {
        word: within(v, b'0', b'9') | letter | underscore,
        underscore,
        apart: _mm512_cmplt_epu8_mask(v, _mm512_set1_epi8(0x21)) | high,
        high,
    }
}

/// The masks of a block, a byte at a time by [`CLASSES`].
#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8; 64]) -> Masks {
    masks_by_table(block)
}

/// The masks of a block by [`CLASSES`]: what the SIMD version must equal.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks_by_table(block: &[u8; 64]) -> Masks {
    let (mut word, mut underscore, mut apart, mut high) = (0u64, 0u64, 0u64, 0u64);
    for (i, &b) in block.iter().enumerate() {
        word |= u64::from(CLASSES[b as usize] & WORD != 0) << i;
        underscore |= u64::from(b == b'_') << i;
        apart |= u64::from(b <= 0x20 || b >= 0x80) << i;
        high |= u64::from(b >= 0x80) << i;
    }
    Masks { word, underscore, apart, high }
}

/// Splits the stretch around `at`, which holds characters outside ASCII, replacing the tokens the
/// scanner gave in it; returns where the stretch ends. A stretch runs from the last safe cut at or before `at`
/// (never before `settled`) to the first safe cut after it, and takes in the stretches that follow
/// while they hold non-ASCII bytes too, so non-Latin text costs one call, not one per word. The
/// first `held` tokens of `out` were there before this text's and stay.
fn non_ascii_stretch(text: &str, base: usize, settled: usize, at: usize, held: usize, out: &mut Vec<Token>) -> usize {
    let bytes = text.as_bytes();
    let mut start = at;
    while start > settled && !is_safe_cut(bytes, start) {
        start -= 1;
    }
    while out.len() > held && out.last().is_some_and(|t| t.start >= base + start) {
        out.pop();
    }
    let mut end = next_safe_cut(bytes, at + 1);
    while end < bytes.len() {
        let next = next_safe_cut(bytes, end + 1);
        if bytes[end..next].is_ascii() {
            break;
        }
        end = next;
    }
    // The characters the fast path knows go through it ([`classes`]); from the safe cut before one it
    // does not know to the safe cut after, `unicode-segmentation` splits the text.
    let mut from = start;
    while let Err(unknown) = classes::mapped_stretch(&text[from..end], base + from, out) {
        let unknown = from + unknown;
        let mut cut = unknown;
        while cut > from && !is_safe_cut(bytes, cut) {
            cut -= 1;
        }
        if cut > from {
            classes::mapped_stretch(&text[from..cut], base + from, out).expect("known up to the unknown one");
        }
        let next = next_safe_cut(bytes, unknown + 1).min(end);
        out.extend(
            text[cut..next]
                .unicode_word_indices()
                .map(|(at, word)| Token { start: base + cut + at, end: base + cut + at + word.len() }),
        );
        from = next;
    }
    end
}

/// Whether the text can be cut before byte `at`: it follows ASCII white space and is ASCII itself,
/// but not a space after a space, which UAX #29 keeps together (WB3d) with any mark after them (WB4).
#[inline]
fn is_safe_cut(bytes: &[u8], at: usize) -> bool {
    at > 0
        && CLASSES[bytes[at - 1] as usize] & SPACE != 0
        && bytes[at] < 0x80
        && !(bytes[at - 1] == b' ' && bytes[at] == b' ')
}

/// The first safe cut at or after `from`, or the text's end.
fn next_safe_cut(bytes: &[u8], from: usize) -> usize {
    (from..bytes.len()).find(|&at| is_safe_cut(bytes, at)).unwrap_or(bytes.len())
}

/// Byte classes, as bits of [`CLASSES`].
const WORD: u8 = 1;
const SPACE: u8 = 2;

/// The class of every byte value: letters, digits and `_` are WORD (ALetter, Numeric,
/// ExtendNumLet), ASCII white space SPACE.
static CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() || c == b'_' {
            WORD
        } else if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c') {
            SPACE
        } else {
            0
        };
        b += 1;
    }
    table
};

/// `b` between `prev` and `next` keeps a word together: "3.14", "1,000" (WB11/12), "e.g", "can't",
/// "a:b" (WB6/7).
#[inline]
fn is_infix(b: u8, prev: u8, next: u8) -> bool {
    match b {
        b'.' | b'\'' => {
            (prev.is_ascii_digit() && next.is_ascii_digit())
                || (prev.is_ascii_alphabetic() && next.is_ascii_alphabetic())
        }
        b',' | b';' => prev.is_ascii_digit() && next.is_ascii_digit(),
        b':' => prev.is_ascii_alphabetic() && next.is_ascii_alphabetic(),
        _ => false,
    }
}

/// The reference: `unicode-segmentation`'s `unicode_word_indices`, which [`words_into`] equals.
pub fn tokenize_reference_into(text: &str, base: usize, out: &mut Vec<Token>) {
    out.extend(text.unicode_word_indices().map(|(at, word)| Token { start: base + at, end: base + at + word.len() }));
}

/// `word` without a final possessive `'s` or `’s` (any case: `CSTO’S` -> `CSTO`); the word itself
/// otherwise, and never the empty string.
#[inline]
pub fn strip_possessive(word: &str) -> &str {
    let b = word.as_bytes();
    // Most words do not end in "s": one byte test settles them.
    if b.len() < 3 || !matches!(b[b.len() - 1], b's' | b'S') {
        return word;
    }
    let stem = &b[..b.len() - 1];
    let cut = if stem.ends_with(b"'") {
        1
    } else if stem.ends_with("\u{2019}".as_bytes()) {
        3
    } else {
        return word;
    };
    if stem.len() > cut {
        &word[..stem.len() - cut]
    } else {
        word
    }
}

/// The term a word counts as: lower-cased (full Unicode lower-casing) without a final possessive.
/// Writes into `buf` only when the word is not already a term, so most words cost no copy.
pub fn term_of<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    // One pass settles the common case, a word already in lower-case ASCII.
    let (mut upper, mut non_ascii) = (false, false);
    for b in word.bytes() {
        upper |= b.is_ascii_uppercase();
        non_ascii |= !b.is_ascii();
    }
    if !upper && !non_ascii {
        return strip_possessive(word);
    }
    buf.clear();
    if non_ascii {
        buf.push_str(&word.to_lowercase());
    } else {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    }
    strip_possessive(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_token(content: &str, token: &Token, word: &str, start: usize, end: usize) {
        assert_eq!((token.text(content), token.start, token.end), (word, start, end));
    }

    fn words(text: &str) -> Vec<&str> {
        let mut tokens = Vec::new();
        tokenize_into(text, 0, &mut tokens);
        tokens.iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn words_with_offsets_shifted_by_base() {
        let content = "xx Lavrov’s remarks, 2022.";
        let mut tokens = Vec::new();
        tokenize_into(&content[3..], 3, &mut tokens);
        assert_eq!(tokens.len(), 3);
        assert_token(content, &tokens[0], "Lavrov’s", 3, 13); // ’ is three bytes
        assert_token(content, &tokens[1], "remarks", 14, 21);
        assert_token(content, &tokens[2], "2022", 23, 27);
    }

    #[test]
    fn a_second_text_is_appended_after_the_first_ones_words() {
        // The second text's words have offsets below the first's, and its first word is not
        // ASCII: the stretch it starts must replace none of the first text's words.
        let (first, second) = ("one two three four", "été and «more»");
        let mut tokens = Vec::new();
        tokenize_into(first, 0, &mut tokens);
        tokenize_into(second, 0, &mut tokens);
        let (a, b) = tokens.split_at(4);
        assert_eq!(a.iter().map(|t| t.text(first)).collect::<Vec<_>>(), ["one", "two", "three", "four"]);
        assert_eq!(b.iter().map(|t| t.text(second)).collect::<Vec<_>>(), ["été", "and", "more"]);
    }

    /// Checks the fast path this CPU takes and, where that is AVX-512, the one every x86-64 CPU
    /// can take.
    fn assert_same_as_reference(text: &str) {
        let (mut fast, mut reference, mut baseline) = (Vec::new(), Vec::new(), Vec::new());
        words_into(text, 7, &mut fast);
        tokenize_reference_into(text, 7, &mut reference);
        tokenize_with(text, 7, &mut baseline, scan_ascii);
        let show = |v: &[Token]| v.iter().map(|t| &text[t.start - 7..t.end - 7]).collect::<Vec<_>>();
        assert_eq!(show(&fast), show(&reference), "text {text:?}");
        assert_eq!(fast, reference, "offsets for {text:?}");
        assert_eq!(baseline, reference, "the baseline path, text {text:?}");
    }

    #[test]
    fn fast_path_equals_the_reference_on_tricky_text() {
        for text in [
            "",
            " ",
            "a",
            "_",
            "__a_",
            "a_b 1_2",
            "e.g. U.S. 3.14 1,000 1;2 a:b a::b a..b can't 'quoted' rock'n'roll",
            "Lavrov’s remarks",
            "CSTO’s mission",
            "café au lait",
            "naïve",
            "a\u{301}b",
            " \u{301}x",
            "x \u{301}",
            // Found by the fuzzer: spaces stay together (WB3d) and a mark joins them (WB4), so
            // "  \u{650}" is one segment, and a word since the mark is alphabetic.
            " i\x0b is plat1e r\x0f\0\0\0\x0b is  \u{650}",
            "a   \u{301}",
            "日本語のテキスト and English",
            "Армения и Россия",
            "Հայաստան, 2022",
            "a.\u{e9}",
            "1.\u{663}",
            "a'\u{e9}",
            "\r\n\r\nA\r\nB",
            "tab\tsep\x0bvt\x0cff",
            "emoji 👍🏽 and 🇦🇲🇷🇺 flags",
            "zwj a\u{200d}b",
            "end.",
            ".start",
            "3.",
            "a.",
            "x'",
            "'x",
            "1,",
            ",1",
            "word\u{a0}nbsp",
            "ｆｕｌｌ width",
            "a\u{2019}s \u{2019}s",
            // Stretches of other scripts, with characters the fast path leaves to the crate inside.
            "Россия и Армения. Слово́ уда́рение, ещё «цитата» — и אבג שלום and カタカナ then 中文，好。",
            "Հայաստան՝ Երևան։ Ի՞նչ ես ասում՛ ՞՛ 123٫45 ß\u{ad}x ́a \u{301}b",
            "中\u{301}国 の\u{ad}x",
            // Found by the fuzzer: a circled Katakana joins an underscore (WB13b), so "h_㋗" is a word.
            "h_\u{32d7}~",
        ] {
            assert_same_as_reference(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_equals_the_reference_on_arbitrary_strings(text in "\\PC*") {
            assert_same_as_reference(&text);
        }

        #[test]
        fn fast_path_equals_the_reference_across_blocks(
            text in "(abcdefghij |_{1,80} |x.y, |1,5:|a'b |a_\n|\u{e9}|\u{2019}s ){0,40}"
        ) {
            assert_same_as_reference(&text);
        }

        #[test]
        fn fast_path_equals_the_reference_on_other_scripts(
            text in "([a-z0-9 .,;:'_\n]|[дЖёΩλաԱéßœ中国の٣٫·’‘«»—\u{a0}\u{3000}\u{2028}\u{85}])*"
        ) {
            assert_same_as_reference(&text);
        }

        #[test]
        fn fast_path_equals_the_reference_on_other_scripts_and_marks(
            text in "([a-z0-9 .,;:'_\n]|[дЖΩաé中の٣·’«㋗\u{301}\u{345}\u{200d}\u{5d0}\u{30ab}\u{ad}\u{1f44d}])*"
        ) {
            assert_same_as_reference(&text);
        }

        #[test]
        fn fast_path_equals_the_reference_on_mostly_ascii(text in "([a-zA-Z0-9_.,;:'\" \t\n\r-]|[\u{e9}\u{2019}\u{301}\u{200d}\u{5d0}\u{3042}\u{1f1e6}])*") {
            assert_same_as_reference(&text);
        }
    }

    proptest::proptest! {
        #[test]
        fn block_masks_equal_the_byte_table(block in proptest::array::uniform32(0u8..), more in proptest::array::uniform32(0u8..)) {
            let mut bytes = [0u8; 64];
            bytes[..32].copy_from_slice(&block);
            bytes[32..].copy_from_slice(&more);
            let bits = |m: Masks| (m.word, m.underscore, m.apart, m.high);
            let table = bits(masks_by_table(&bytes));
            proptest::prop_assert_eq!(bits(masks(&bytes)), table);
            #[cfg(target_arch = "x86_64")]
            if has_avx512() {
                // SAFETY: the CPU has AVX-512, checked just above.
                proptest::prop_assert_eq!(bits(unsafe { masks_avx512(&bytes) }), table);
            }
        }
    }

    #[test]
    fn words_across_blocks_and_at_the_text_end() {
        // Words that straddle a 64-byte block edge, fill a block or more, or end the text there.
        for len in [63, 64, 65, 127, 128, 129, 200] {
            for text in [
                "a".repeat(len),
                format!("{} b", "x".repeat(len)),
                format!("{} 3.14 e.g", " ".repeat(len - 2)),
                format!("{}_ __ _a", ".".repeat(len)),
                format!("{}1,000", "y ".repeat(len / 2)),
            ] {
                assert_same_as_reference(&text);
            }
        }
        for len in [62, 63, 64, 65, 127, 128] {
            // Underscores alone are no word, also when they run into the next block.
            assert_eq!(words(&format!("{}, {}", "_".repeat(len), "_".repeat(len))), Vec::<&str>::new());
            assert_eq!(words(&format!("{},_,x", " ".repeat(len))), ["x"]);
        }
    }

    #[test]
    fn punctuation_is_not_a_word() {
        assert_eq!(words("“Hello”, she said — U.S. co-op 3.5%"), ["Hello", "she", "said", "U.S", "co", "op", "3.5"]);
    }

    #[test]
    fn terms_are_lowercase_without_possessive() {
        let mut buf = String::new();
        assert_eq!(term_of("CSTO’s", &mut buf), "csto");
        assert_eq!(term_of("Armenia's", &mut buf), "armenia");
        assert_eq!(term_of("the", &mut buf), "the");
        assert_eq!(term_of("ÉTAT", &mut buf), "état");
        assert_eq!(term_of("ΟΔΟΣ", &mut buf), "οδος");
        assert_eq!(term_of("'s", &mut buf), "'s");
        assert_eq!(term_of("IT'S", &mut buf), "it");
    }

    proptest::proptest! {
        #[test]
        fn strip_possessive_removes_exactly_one_final_possessive(word in "[a-zA-Z’']{0,6}") {
            let expected = ["'s", "'S", "\u{2019}s", "\u{2019}S"]
                .iter()
                .find_map(|suffix| word.strip_suffix(suffix).filter(|stem| !stem.is_empty()))
                .unwrap_or(&word);
            proptest::prop_assert_eq!(strip_possessive(&word), expected);
        }
    }
}
