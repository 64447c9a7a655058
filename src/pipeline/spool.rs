//! A run's mention rows, kept on disk from the batch that found them until the actors are resolved
//! across the corpus and the `mentions` report is written from them.
//!
//! The spool is read in the order it was written, by the run that wrote it or, for a unit of an
//! incremental run's state, by a later run of the same build (a state written by another build is
//! started over, so the format needs no version of its own). Its rows need no table: each is a
//! byte of flags (kind, form, what it repeats of the row before, what it holds) and its fields as
//! variable-length numbers and length-prefixed text, compressed as one zstd stream and closed by an
//! end mark, so a cut spool is an error, not fewer rows. That costs a fraction of making a table of
//! the rows and encoding it as Parquet and back, and takes about as much disk. It holds what a shard's `part_mentions` holds, so a run and its shards merged read the
//! same rows.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::actors::{Form, Kind, Mention, Origin};
use crate::count::{Context, MentionRow};

/// Bytes buffered on each side of the file.
const BUFFER: usize = 1 << 20;
/// Bytes of rows buffered on each side of the compression: zstd takes and gives them in blocks,
/// not a field at a time.
const ROWS_BUFFER: usize = 1 << 16;

/// zstd's level: its fastest that still finds the repeats of document ids, names and contexts.
const LEVEL: i32 = 1;

/// The flags byte: the four lowest bits the kind and the form, as the kind's place in `KINDS` times
/// the number of forms plus the form's place in `FORMS` (or [`END`]); the other four what the row
/// repeats and holds.
const KINDS: [Kind; 3] = [Kind::Person, Kind::Organization, Kind::Place];
const FORMS: [Form; 5] = [Form::Name, Form::Acronym, Form::Adjective, Form::Surname, Form::Short];
/// The bits of the kind and the form.
const KIND_AND_FORM: u8 = 0xf;
/// In the kind and form's place: no row follows.
const END: u8 = KIND_AND_FORM;
const _: () = assert!(KINDS.len() * FORMS.len() <= END as usize, "every kind and form has a code below END");
/// The row's document is the previous row's: its id is not written again, its start is written
/// after the previous row's.
const SAME_DOC: u8 = 1 << 4;
/// The row's text is its actor's name, written once.
const TEXT_IS_ACTOR: u8 = 1 << 5;
const HAS_CODE: u8 = 1 << 6;
const HAS_CONTEXT: u8 = 1 << 7;

/// Writes mention rows to a spool.
pub struct Writer {
    file: BufWriter<zstd::stream::write::Encoder<'static, BufWriter<File>>>,
    path: PathBuf,
    /// The previous row's document index and start.
    last: Option<(usize, usize)>,
}

impl Writer {
    /// A new spool at `path`, replacing any file there.
    pub fn create(path: &Path) -> io::Result<Writer> {
        let file = BufWriter::with_capacity(BUFFER, File::create(path)?);
        let file = BufWriter::with_capacity(ROWS_BUFFER, zstd::stream::write::Encoder::new(file, LEVEL)?);
        Ok(Writer { file, path: path.to_path_buf(), last: None })
    }

    /// Where the spool is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds `rows` after those written before.
    pub fn write(&mut self, rows: &[MentionRow]) -> io::Result<()> {
        for row in rows {
            let m = &row.mention;
            // Their places in `KINDS` and `FORMS`: a new kind or form has no code until given one here.
            let kind = match m.kind {
                Kind::Person => 0,
                Kind::Organization => 1,
                Kind::Place => 2,
            };
            let form = match m.form {
                Form::Name => 0,
                Form::Acronym => 1,
                Form::Adjective => 2,
                Form::Surname => 3,
                Form::Short => 4,
            };
            let context = row.context.as_deref().filter(|c| !c.left.is_empty() || !c.right.is_empty());
            let previous = self.last.take();
            let (last_index, last_start) = match &previous {
                // One place in reading order is one document, and its id.
                Some((index, start)) if *index == row.index => (*index, Some(*start)),
                Some((index, _)) => (*index, None),
                None => (0, None),
            };
            let text_is_actor = row.text == *m.actor;
            let mut flags = kind * FORMS.len() as u8 + form;
            flags |= if last_start.is_some() { SAME_DOC } else { 0 };
            flags |= if text_is_actor { TEXT_IS_ACTOR } else { 0 };
            flags |= if m.code.is_some() { HAS_CODE } else { 0 };
            flags |= if context.is_some() { HAS_CONTEXT } else { 0 };
            self.file.write_all(&[flags])?;
            self.signed(row.index as i64 - last_index as i64)?;
            if last_start.is_none() {
                self.text(&row.doc)?;
            }
            self.signed(m.start as i64 - last_start.unwrap_or(0) as i64)?;
            self.signed(m.end as i64 - m.start as i64)?;
            self.text(&m.actor)?;
            if !text_is_actor {
                self.text(&row.text)?;
            }
            if let Some(code) = &m.code {
                self.text(code)?;
            }
            self.number(u64::from(m.sentence))?;
            if let Some(context) = context {
                self.text(&context.left)?;
                self.text(&context.right)?;
            }
            self.last = Some((row.index, m.start));
        }
        Ok(())
    }

    /// Writes the end mark and what is buffered, and closes the file.
    pub fn finish(mut self) -> io::Result<()> {
        self.file.write_all(&[END])?;
        self.file.into_inner().map_err(|e| e.into_error())?.finish()?.flush()
    }

    /// `n` in 7-bit groups, the lowest first, each but the last with its high bit set.
    fn number(&mut self, mut n: u64) -> io::Result<()> {
        let mut bytes = [0u8; 10];
        let mut len = 0;
        while n >= 0x80 {
            bytes[len] = n as u8 | 0x80;
            n >>= 7;
            len += 1;
        }
        bytes[len] = n as u8;
        self.file.write_all(&bytes[..=len])
    }

    /// `n` as a number, its sign in the lowest bit.
    fn signed(&mut self, n: i64) -> io::Result<()> {
        self.number(((n << 1) ^ (n >> 63)) as u64)
    }

    fn text(&mut self, text: &str) -> io::Result<()> {
        self.number(text.len() as u64)?;
        self.file.write_all(text.as_bytes())
    }
}

/// Reads the rows of a spool back, in the order they were written.
pub struct Reader {
    file: BufReader<zstd::stream::read::Decoder<'static, BufReader<File>>>,
    next: Option<MentionRow>,
    /// The previous row's document index, id and start: the rows of one document share the id.
    last: Option<(usize, Arc<str>, usize)>,
    /// The end mark was read.
    ended: bool,
    /// Every actor name and code read, once: the rows of an actor share its name.
    names: std::collections::HashSet<Arc<str>, foldhash::fast::RandomState>,
    /// The bytes of the text read last.
    scratch: Vec<u8>,
    /// Added to each row's place in reading order.
    offset: usize,
}

impl Reader {
    /// The spool at `path`, its rows' places in reading order moved on by `offset` (the places
    /// before it, for a unit of an incremental run's state).
    pub fn open(path: &Path, offset: usize) -> io::Result<Reader> {
        let file = BufReader::with_capacity(BUFFER, File::open(path)?);
        let file = BufReader::with_capacity(ROWS_BUFFER, zstd::stream::read::Decoder::with_buffer(file)?);
        let (next, last, ended, names, scratch) = (None, None, false, Default::default(), Vec::new());
        Ok(Reader { file, next, last, ended, names, scratch, offset })
    }

    /// The next row, without taking it; none at the end.
    pub fn peek(&mut self) -> io::Result<Option<&MentionRow>> {
        if self.next.is_none() && !self.ended {
            self.next = self.read_row()?;
        }
        Ok(self.next.as_ref())
    }

    /// Takes the next row.
    pub fn take(&mut self) -> io::Result<Option<MentionRow>> {
        self.peek()?;
        Ok(self.next.take())
    }

    fn read_row(&mut self) -> io::Result<Option<MentionRow>> {
        let flags = self.byte()?;
        let kind_and_form = usize::from(flags & KIND_AND_FORM);
        if kind_and_form == usize::from(END) {
            self.ended = true;
            return Ok(None);
        }
        let kind = *KINDS.get(kind_and_form / FORMS.len()).ok_or_else(|| damaged("a kind it does not know"))?;
        let form = FORMS[kind_and_form % FORMS.len()];
        let previous = self.last.take();
        let index = offset(previous.as_ref().map_or(0, |(index, ..)| *index), self.signed()?)?;
        let (doc, start) = match previous {
            Some((_, doc, start)) if flags & SAME_DOC != 0 => (doc, offset(start, self.signed()?)?),
            None if flags & SAME_DOC != 0 => return Err(damaged("a first row with no document")),
            _ => (Arc::from(self.text()?), offset(0, self.signed()?)?),
        };
        let end = offset(start, self.signed()?)?;
        let actor = self.name()?;
        let text = if flags & TEXT_IS_ACTOR != 0 { actor.to_string() } else { self.text()? };
        let code = if flags & HAS_CODE != 0 { Some(self.name()?) } else { None };
        let sentence = u32::try_from(self.number()?).map_err(|_| damaged("a sentence out of range"))?;
        let context = match flags & HAS_CONTEXT != 0 {
            true => Some(Box::new(Context { left: self.text()?, right: self.text()? })),
            false => None,
        };
        self.last = Some((index, Arc::clone(&doc), start));
        Ok(Some(MentionRow {
            index: index + self.offset,
            doc,
            // As a shard's table: the actors table, not the mention, carries where an actor comes
            // from.
            mention: Mention { start, end, actor, kind, form, origin: Origin::Inferred, code, sentence },
            text,
            context,
        }))
    }

    fn byte(&mut self) -> io::Result<u8> {
        let mut byte = [0u8];
        self.file.read_exact(&mut byte)?;
        Ok(byte[0])
    }

    fn number(&mut self) -> io::Result<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            // The tenth byte holds the last bit: anything more is damage.
            if shift == 63 && byte > 1 {
                break;
            }
            n |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(n);
            }
        }
        Err(damaged("a number out of range"))
    }

    fn signed(&mut self) -> io::Result<i64> {
        let n = self.number()?;
        Ok((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    fn text(&mut self) -> io::Result<String> {
        let mut bytes = Vec::new();
        self.bytes_into(&mut bytes)?;
        String::from_utf8(bytes).map_err(|_| damaged("text that is not UTF-8"))
    }

    /// A text read as the one copy of it the reader holds.
    fn name(&mut self) -> io::Result<Arc<str>> {
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        let read = self.bytes_into(&mut bytes);
        let name = read.and_then(|()| std::str::from_utf8(&bytes).map_err(|_| damaged("text that is not UTF-8")));
        let name = name.map(|name| match self.names.get(name) {
            Some(known) => Arc::clone(known),
            None => {
                let new: Arc<str> = Arc::from(name);
                self.names.insert(Arc::clone(&new));
                new
            }
        });
        self.scratch = bytes;
        name
    }

    /// Appends the bytes of a text to `bytes`.
    fn bytes_into(&mut self, bytes: &mut Vec<u8>) -> io::Result<()> {
        let len = self.number()?;
        // Read as it comes: a damaged length past the end is an early end, not an allocation.
        let start = bytes.len();
        (&mut self.file).take(len).read_to_end(bytes)?;
        match (bytes.len() - start) as u64 == len {
            true => Ok(()),
            false => Err(io::ErrorKind::UnexpectedEof.into()),
        }
    }
}

/// `base` moved by `by`, which must stay a position.
fn offset(base: usize, by: i64) -> io::Result<usize> {
    i64::try_from(base)
        .ok()
        .and_then(|base| base.checked_add(by))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| damaged("a number out of range"))
}

fn damaged(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("the mention spool is damaged: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(index: usize, doc: &str, actor: &str, context: Option<(&str, &str)>) -> MentionRow {
        MentionRow {
            index,
            doc: Arc::from(doc),
            mention: Mention {
                start: index * 10,
                end: index * 10 + actor.len(),
                actor: Arc::from(actor),
                kind: Kind::Person,
                form: Form::Name,
                origin: Origin::Inferred,
                code: index.is_multiple_of(2).then(|| Arc::from("ARM")),
                sentence: index as u32 + 1,
            },
            text: actor.to_uppercase(),
            context: context.map(|(left, right)| Box::new(Context { left: left.into(), right: right.into() })),
        }
    }

    #[test]
    fn rows_come_back_as_written_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool");
        let rows = vec![
            row(0, "a.txt", "Nikol Pashinyan", Some(("said ", " on Tuesday"))),
            row(0, "a.txt", "Armenia", None),
            row(1, "b.txt", "Հայաստան", Some(("", "’s"))),
            row(2, "", "", None),
        ];
        let mut writer = Writer::create(&path).unwrap();
        writer.write(&rows[..1]).unwrap();
        writer.write(&rows[1..]).unwrap();
        writer.finish().unwrap();
        let mut reader = Reader::open(&path, 0).unwrap();
        let mut read = Vec::new();
        assert_eq!(reader.peek().unwrap(), Some(&rows[0]), "peeking takes nothing");
        while let Some(row) = reader.take().unwrap() {
            read.push(row);
        }
        assert_eq!(read, rows);
        assert!(Arc::ptr_eq(&read[0].doc, &read[1].doc), "rows of one document share its id");
        assert!(
            Arc::ptr_eq(read[0].mention.code.as_ref().unwrap(), read[3].mention.code.as_ref().unwrap()),
            "one copy of a code"
        );
        assert_eq!(reader.take().unwrap(), None);
        // Read as a unit after others: the places move on, nothing else changes.
        let mut moved = Reader::open(&path, 7).unwrap();
        for row in &rows {
            let read = moved.take().unwrap().unwrap();
            assert_eq!(read.index, row.index + 7);
            assert_eq!(MentionRow { index: row.index, ..read }, *row);
        }
    }

    #[test]
    fn every_kind_and_form_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool");
        let mut rows = Vec::new();
        for kind in KINDS {
            for form in FORMS {
                let mut r = row(rows.len() / 3, "a.txt", "Armenia", None);
                (r.mention.kind, r.mention.form) = (kind, form);
                rows.push(r);
            }
        }
        let mut writer = Writer::create(&path).unwrap();
        writer.write(&rows).unwrap();
        writer.finish().unwrap();
        let mut reader = Reader::open(&path, 0).unwrap();
        let mut read = Vec::new();
        while let Some(row) = reader.take().unwrap() {
            read.push(row);
        }
        assert_eq!(read, rows);
    }

    #[test]
    fn a_cut_spool_is_an_error_not_fewer_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool");
        let mut writer = Writer::create(&path).unwrap();
        writer.write(&[row(3, "c.txt", "Sergei Lavrov", None), row(4, "d.txt", "CSTO", None)]).unwrap();
        writer.finish().unwrap();
        let whole = std::fs::read(&path).unwrap();
        for cut in 1..whole.len() {
            std::fs::write(&path, &whole[..cut]).unwrap();
            let mut reader = Reader::open(&path, 0).unwrap();
            let read = (0..3).map(|_| reader.take()).find(|row| !matches!(row, Ok(Some(_))));
            assert!(matches!(read, Some(Err(_))), "cut at byte {cut} of {}: {read:?}", whole.len());
        }
    }

    #[test]
    fn rows_without_their_end_mark_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool");
        // Rows written as a spool that was never finished: whole rows, then no end mark.
        let mut writer = Writer::create(&path).unwrap();
        writer.write(&[row(3, "c.txt", "Sergei Lavrov", None)]).unwrap();
        writer.file.into_inner().map_err(|e| e.into_error()).unwrap().finish().unwrap().flush().unwrap();
        let mut reader = Reader::open(&path, 0).unwrap();
        assert!(reader.take().unwrap().is_some());
        assert!(reader.take().is_err());
    }

    #[test]
    fn a_damaged_length_is_an_error_not_an_allocation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool");
        // A row whose document id claims 2^62 bytes.
        let mut writer = Writer::create(&path).unwrap();
        writer.file.write_all(&[0]).unwrap();
        writer.signed(0).unwrap();
        writer.number(1 << 62).unwrap();
        writer.file.write_all(b"c.txt").unwrap();
        writer.finish().unwrap();
        let error = Reader::open(&path, 0).unwrap().take().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof, "{error}");
    }

    #[test]
    fn numbers_keep_every_bit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool");
        let numbers = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX - 1, u64::MAX];
        let signed = [0, -1, 1, -64, 64, i64::MIN, i64::MAX];
        let mut writer = Writer::create(&path).unwrap();
        numbers.iter().try_for_each(|&n| writer.number(n)).unwrap();
        signed.iter().try_for_each(|&n| writer.signed(n)).unwrap();
        writer.finish().unwrap();
        let mut reader = Reader::open(&path, 0).unwrap();
        assert_eq!(numbers.map(|_| reader.number().unwrap()), numbers);
        assert_eq!(signed.map(|_| reader.signed().unwrap()), signed);
        // Ten bytes whose last holds more than the one bit left: damage, not a number cut short.
        let mut writer = Writer::create(&path).unwrap();
        writer.file.write_all(&[0xff; 9]).unwrap();
        writer.file.write_all(&[0x02]).unwrap();
        writer.finish().unwrap();
        assert_eq!(Reader::open(&path, 0).unwrap().number().unwrap_err().kind(), io::ErrorKind::InvalidData);
    }
}
