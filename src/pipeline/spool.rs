//! A run's mention rows, kept on disk from the batch that found them until the actors are resolved
//! across the corpus and the `mentions` report is written from them.
//!
//! The spool is read once, in the order it was written, by the run that wrote it: its rows are
//! written one after another, each field as its bytes (numbers little-endian, text after its length),
//! which costs a fraction of making a table of them and encoding it as Parquet and back. It holds
//! what a shard's `part_mentions` holds, so a run and its shards merged read the same rows.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::actors::{Form, Kind, Mention, Origin};
use crate::count::{Context, MentionRow};

/// Bytes buffered on each side of the file.
const BUFFER: usize = 1 << 20;

/// Writes mention rows to a spool.
pub struct Writer {
    file: BufWriter<File>,
    path: PathBuf,
}

impl Writer {
    /// A new spool at `path`, replacing any file there.
    pub fn create(path: &Path) -> io::Result<Writer> {
        Ok(Writer { file: BufWriter::with_capacity(BUFFER, File::create(path)?), path: path.to_path_buf() })
    }

    /// Where the spool is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds `rows` after those written before.
    pub fn write(&mut self, rows: &[MentionRow]) -> io::Result<()> {
        for row in rows {
            let m = &row.mention;
            self.number(row.index as u64)?;
            self.text(&row.doc)?;
            self.number(m.start as u64)?;
            self.number(m.end as u64)?;
            self.text(&row.text)?;
            self.text(&m.actor)?;
            self.text(m.kind.as_str())?;
            self.text(m.form.as_str())?;
            self.text(m.code.as_deref().unwrap_or(""))?;
            self.number(u64::from(m.sentence))?;
            let (left, right) = row.context.as_deref().map_or(("", ""), |c| (c.left.as_str(), c.right.as_str()));
            self.text(left)?;
            self.text(right)?;
        }
        Ok(())
    }

    /// Writes what is buffered and closes the file.
    pub fn finish(mut self) -> io::Result<()> {
        self.file.flush()
    }

    fn number(&mut self, n: u64) -> io::Result<()> {
        self.file.write_all(&n.to_le_bytes())
    }

    fn text(&mut self, text: &str) -> io::Result<()> {
        self.number(text.len() as u64)?;
        self.file.write_all(text.as_bytes())
    }
}

/// Reads the rows of a spool back, in the order they were written.
pub struct Reader {
    file: BufReader<File>,
    next: Option<MentionRow>,
    /// The id of the document of the row read last: the rows of one document share it.
    last_doc: Option<Arc<str>>,
}

impl Reader {
    /// The spool at `path`.
    pub fn open(path: &Path) -> io::Result<Reader> {
        let file = BufReader::with_capacity(BUFFER, File::open(path)?);
        Ok(Reader { file, next: None, last_doc: None })
    }

    /// The next row, without taking it; none at the end.
    pub fn peek(&mut self) -> io::Result<Option<&MentionRow>> {
        if self.next.is_none() {
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
        let mut first = [0u8; 8];
        match self.file.read_exact(&mut first) {
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            result => result?,
        }
        let index = to_usize(u64::from_le_bytes(first))?;
        let doc = self.text()?;
        let doc: Arc<str> = match self.last_doc.take() {
            Some(last) if *last == *doc => last,
            _ => Arc::from(doc),
        };
        self.last_doc = Some(Arc::clone(&doc));
        let start = to_usize(self.number()?)?;
        let end = to_usize(self.number()?)?;
        let text = self.text()?;
        let actor = Arc::from(self.text()?);
        let kind = Kind::parse(&self.text()?).ok_or_else(|| damaged("a kind it does not know"))?;
        let form = Form::parse(&self.text()?).ok_or_else(|| damaged("a form it does not know"))?;
        let code = Some(self.text()?).filter(|c| !c.is_empty()).map(Arc::from);
        let sentence = u32::try_from(self.number()?).map_err(|_| damaged("a sentence out of range"))?;
        let (left, right) = (self.text()?, self.text()?);
        Ok(Some(MentionRow {
            index,
            doc,
            // As a shard's table: the actors table, not the mention, carries where an actor comes
            // from.
            mention: Mention { start, end, actor, kind, form, origin: Origin::Inferred, code, sentence },
            text,
            // As a shard's table: no text either side is no context.
            context: (!left.is_empty() || !right.is_empty()).then(|| Box::new(Context { left, right })),
        }))
    }

    fn number(&mut self) -> io::Result<u64> {
        let mut bytes = [0u8; 8];
        self.file.read_exact(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn text(&mut self) -> io::Result<String> {
        let len = to_usize(self.number()?)?;
        // A length past what is left of the file is damage, not an allocation to make.
        if len > self.file.buffer().len() && len as u64 > self.left()? {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let mut bytes = vec![0; len];
        self.file.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(|_| damaged("text that is not UTF-8"))
    }

    /// Bytes of the file not yet read.
    fn left(&mut self) -> io::Result<u64> {
        let len = self.file.get_ref().metadata()?.len();
        Ok(len.saturating_sub(self.file.stream_position()?))
    }
}

fn to_usize(n: u64) -> io::Result<usize> {
    usize::try_from(n).map_err(|_| damaged("a number out of range"))
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
                code: (index % 2 == 0).then(|| Arc::from("ARM")),
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
        let mut reader = Reader::open(&path).unwrap();
        let mut read = Vec::new();
        assert_eq!(reader.peek().unwrap(), Some(&rows[0]), "peeking takes nothing");
        while let Some(row) = reader.take().unwrap() {
            read.push(row);
        }
        assert_eq!(read, rows);
        assert!(Arc::ptr_eq(&read[0].doc, &read[1].doc), "rows of one document share its id");
        assert_eq!(reader.take().unwrap(), None);
    }

    #[test]
    fn a_cut_spool_is_an_error_not_fewer_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool");
        let mut writer = Writer::create(&path).unwrap();
        writer.write(&[row(3, "c.txt", "Sergei Lavrov", None)]).unwrap();
        writer.finish().unwrap();
        let len = std::fs::metadata(&path).unwrap().len();
        File::options().write(true).open(&path).unwrap().set_len(len - 3).unwrap();
        assert!(Reader::open(&path).unwrap().take().is_err());
        // A length far past the file's end (a damaged spool) is an error, not an allocation.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&path, bytes).unwrap();
        assert!(Reader::open(&path).unwrap().take().is_err());
    }
}
