//! A file's bytes as UTF-8 text, read within bounds: the file (or standard input) decompressed,
//! a leading byte-order mark passed over, UTF-16 (with its BOM) transcoded to UTF-8, and every read
//! capped by [`crate::corpus::DEFAULT_MAX_DOCUMENT_BYTES`] or `--max-document-bytes`.
//!
//! Invariant: what these readers hand on never starts with a BOM, and no reader holds more than
//! the limit (plus one block) of a document in memory, whatever the input's shape: a document is
//! read with [`Read::take`], a line with [`read_line`], which keeps at most `max` bytes of it.

use std::fs::File;
use std::io::{self, BufRead, Read};

use super::{Compression, Source, STDIN};

/// How much of a file is looked at for NUL bytes before the rest is read.
pub const FIRST_BLOCK: usize = 64 << 10;

/// Opens `source` (standard input for `-`), decompressed and decoded: no BOM, UTF-8.
pub fn open(source: &Source) -> io::Result<Box<dyn Read + Send>> {
    let raw: Box<dyn Read + Send> = if source.path.as_os_str() == STDIN {
        // Compressed or not, told by its first bytes: standard input has no extension.
        // Its first four bytes (fewer if it ends sooner), however the pipe hands them over.
        let mut head = Vec::with_capacity(4);
        io::stdin().lock().take(4).read_to_end(&mut head)?;
        let compression = super::Compression::of_magic(&head);
        compression.reader(io::Cursor::new(head).chain(io::stdin()))?
    } else {
        source.compression.reader(File::open(&source.path)?)?
    };
    decode(raw)
}

/// The text of the file at `path` (a dictionary, a word list): UTF-8, or UTF-16 with its BOM, a
/// leading BOM left out.
pub fn read_to_string(path: &std::path::Path) -> io::Result<String> {
    let mut text = String::new();
    decode(Compression::None.reader(File::open(path)?)?)?.read_to_string(&mut text)?;
    Ok(text)
}

/// `reader` without a leading UTF-8 BOM, and UTF-16 (LE or BE, told by its BOM) as UTF-8. Other
/// bytes pass through unchanged, so text that is not UTF-8 is still found out (with its offset)
/// by whoever checks.
pub fn decode(mut reader: Box<dyn Read + Send>) -> io::Result<Box<dyn Read + Send>> {
    let mut head = [0u8; 3];
    let mut len = 0;
    while len < head.len() {
        match reader.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    let head = &head[..len];
    Ok(match encoding_rs::Encoding::for_bom(head) {
        Some((encoding, bom)) if encoding == encoding_rs::UTF_8 => {
            Box::new(io::Cursor::new(head[bom..].to_vec()).chain(reader))
        }
        Some((encoding, bom)) => {
            let rest = io::Cursor::new(head[bom..].to_vec()).chain(reader);
            Box::new(Utf16::new(rest, encoding.new_decoder_without_bom_handling()))
        }
        None => Box::new(io::Cursor::new(head.to_vec()).chain(reader)),
    })
}

/// UTF-16 bytes read as UTF-8 text; a lone surrogate or an odd last byte is an error
/// ([`io::ErrorKind::InvalidData`]).
struct Utf16<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    /// Decoded bytes not handed out yet: `output[at..]`.
    output: Vec<u8>,
    at: usize,
    /// Bytes of `inner` decoded so far, for the offset of a bad one.
    consumed: u64,
    done: bool,
}

impl<R: Read> Utf16<R> {
    fn new(inner: R, decoder: encoding_rs::Decoder) -> Self {
        Utf16 { inner, decoder, input: vec![0; 16 << 10], output: Vec::new(), at: 0, consumed: 0, done: false }
    }

    /// Decodes the next block of input into `output`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        while !self.done {
            let n = loop {
                match self.inner.read(&mut self.input) {
                    Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            let last = n == 0;
            let need = self.decoder.max_utf8_buffer_length_without_replacement(n).unwrap_or(3 * n + 16);
            self.output.clear();
            self.output.resize(need, 0);
            self.at = 0;
            let (result, read, written) =
                self.decoder.decode_to_utf8_without_replacement(&self.input[..n], &mut self.output, last);
            if let encoding_rs::DecoderResult::Malformed(bad, _) = result {
                let at = self.consumed + read as u64 - u64::from(bad);
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("not valid UTF-16 (a lone surrogate or an odd last byte, at byte {at} after the BOM)"),
                ));
            }
            debug_assert_eq!(read, n, "the output was sized for the whole input");
            self.consumed += read as u64;
            self.output.truncate(written);
            self.done = last;
            if written > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl<R: Read> Read for Utf16<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == self.output.len() && !self.refill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.output.len() - self.at);
        buf[..n].copy_from_slice(&self.output[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Why [`read_bounded`] gave no document.
#[derive(Debug)]
pub enum BoundedError {
    /// The input could not be read.
    Io(io::Error),
    /// A NUL byte at this offset, in the first block: the rest was not read.
    Binary(usize),
    /// More than the limit: reading stopped there.
    TooLarge,
}

/// The whole of `reader` when it holds at most `max` bytes and no NUL byte. The first
/// [`FIRST_BLOCK`] is checked for NUL bytes before more is read, and no more than `max + 1` bytes
/// are ever read.
pub fn read_bounded(reader: impl Read, max: usize, size_hint: Option<u64>) -> Result<Vec<u8>, BoundedError> {
    let mut reader = reader.take(max as u64 + 1);
    let first = FIRST_BLOCK.min(max + 1);
    let capacity = size_hint.map_or(first, |s| (s as usize).min(max + 1).max(first));
    let mut bytes = Vec::with_capacity(capacity);
    (&mut reader).take(first as u64).read_to_end(&mut bytes).map_err(BoundedError::Io)?;
    if let Some(at) = memchr::memchr(0, &bytes) {
        return Err(BoundedError::Binary(at));
    }
    if bytes.len() == first {
        reader.read_to_end(&mut bytes).map_err(BoundedError::Io)?;
        if let Some(at) = memchr::memchr(0, &bytes[first..]) {
            return Err(BoundedError::Binary(first + at));
        }
    }
    if bytes.len() > max {
        return Err(BoundedError::TooLarge);
    }
    Ok(bytes)
}

/// What [`read_line`] read.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// No more input.
    End,
    /// A line, kept in the buffer (without its `\n`), with the bytes it took (its `\n` included).
    Kept(usize),
    /// A line longer than the limit, read through to its end but not kept, with the bytes it took.
    TooLong(usize),
}

/// Reads one line into `buf` (cleared first), keeping at most `max` bytes of it: a longer line is
/// read to its end and dropped, so no line costs more memory than the limit.
pub fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let (mut taken, mut too_long) = (0usize, false);
    loop {
        let block = match reader.fill_buf() {
            Ok(block) => block,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if block.is_empty() {
            return Ok(match (taken, too_long) {
                (0, _) => Line::End,
                (n, true) => Line::TooLong(n),
                (n, false) => Line::Kept(n),
            });
        }
        let (end, found) = match memchr::memchr(b'\n', block) {
            Some(at) => (at, true),
            None => (block.len(), false),
        };
        if !too_long && buf.len() + end <= max {
            buf.extend_from_slice(&block[..end]);
        } else if !too_long {
            too_long = true;
            buf.clear();
            buf.shrink_to(max.min(FIRST_BLOCK));
        }
        let used = end + usize::from(found);
        reader.consume(used);
        taken += used;
        if found {
            return Ok(if too_long { Line::TooLong(taken) } else { Line::Kept(taken) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        decode(Box::new(io::Cursor::new(bytes.to_vec())))?.read_to_end(&mut out)?;
        Ok(out)
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        bytes
    }

    #[test]
    fn a_bom_is_passed_over_and_utf16_becomes_utf8() {
        assert_eq!(decoded(b"\xEF\xBB\xBFdate 2022").unwrap(), b"date 2022");
        assert_eq!(decoded(b"\xEF\xBB\xBF").unwrap(), b"");
        assert_eq!(decoded(b"ab").unwrap(), b"ab", "short input without a BOM is kept");
        assert_eq!(decoded(b"caf\xe9").unwrap(), b"caf\xe9", "bytes that are not UTF-8 pass through");
        // Long enough to cross the decoder's blocks, with a surrogate pair (U+1F600) and Armenian.
        let text = "Երևան 😀 Armenia. ".repeat(5000);
        assert_eq!(String::from_utf8(decoded(&utf16(&text, false)).unwrap()).unwrap(), text);
        assert_eq!(String::from_utf8(decoded(&utf16(&text, true)).unwrap()).unwrap(), text);
        let lone = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
        assert_eq!(decoded(&lone).unwrap_err().kind(), io::ErrorKind::InvalidData);
        let odd = [0xFE, 0xFF, 0, b'a', 0];
        assert_eq!(decoded(&odd).unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    /// Hands out `block`, then fails: reading past it is a test failure.
    struct OneBlock(Vec<u8>, usize);

    impl Read for OneBlock {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.1 == self.0.len() {
                return Err(io::Error::other("read past the first block"));
            }
            let n = buf.len().min(self.0.len() - self.1);
            buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
            self.1 += n;
            Ok(n)
        }
    }

    #[test]
    fn binary_is_told_by_the_first_block_and_reading_stops_at_the_limit() {
        let mut block = vec![b'a'; FIRST_BLOCK];
        block[10] = 0;
        assert!(matches!(read_bounded(OneBlock(block, 0), usize::MAX - 1, None), Err(BoundedError::Binary(10))));
        // An endless input is cut at the limit, not read to its end.
        assert!(matches!(read_bounded(io::repeat(b'a'), 1 << 20, None), Err(BoundedError::TooLarge)));
        assert_eq!(read_bounded(io::repeat(b'a').take(1 << 20), 1 << 20, None).unwrap().len(), 1 << 20);
        let late_nul = [vec![b'a'; FIRST_BLOCK + 5], vec![0]].concat();
        assert!(
            matches!(read_bounded(&late_nul[..], 1 << 20, None), Err(BoundedError::Binary(n)) if n == FIRST_BLOCK + 5)
        );
        assert_eq!(read_bounded(&b"short"[..], 3, None).map_err(|e| format!("{e:?}")), Err("TooLarge".into()));
    }

    #[test]
    fn a_line_over_the_limit_is_read_through_and_not_kept() {
        let long = 10 << 20;
        let input = io::repeat(b'x').take(long).chain(&b"\n{\"text\":\"a\"}\r\n\nlast"[..]);
        let mut reader = io::BufReader::with_capacity(1 << 16, input);
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut reader, &mut buf, 1000).unwrap(), Line::TooLong(long as usize + 1));
        assert!(buf.capacity() <= 1 << 16, "the long line was kept: {} bytes", buf.capacity());
        assert_eq!(read_line(&mut reader, &mut buf, 1000).unwrap(), Line::Kept(14));
        assert_eq!(buf, b"{\"text\":\"a\"}\r");
        assert_eq!(read_line(&mut reader, &mut buf, 1000).unwrap(), Line::Kept(1));
        assert_eq!(read_line(&mut reader, &mut buf, 4).unwrap(), Line::Kept(4));
        assert_eq!(buf, b"last");
        assert_eq!(read_line(&mut reader, &mut buf, 4).unwrap(), Line::End);
        let mut reader = &b"12345"[..];
        assert_eq!(read_line(&mut reader, &mut buf, 4).unwrap(), Line::TooLong(5));
    }
}
