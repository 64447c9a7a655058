//! Users' own actor dictionaries (`--actors FILE`), in two formats, told apart by the file name:
//!
//! - **CSV or TSV** (`.csv`, `.tsv`; any other name but `.actors.txt`/`.actors`): a header row naming
//!   the columns `actor`, `kind` (`person`, `organization` or `place`), `code` and `aliases`
//!   (`|`-separated), in any order; only `actor` is required. A code may be dated:
//!   `RUSGOV >2004-03-09; RUSELI <2004-03-08` (see [`Codes`]).
//! - **PETRARCH / CAMEO** (`*.actors.txt`, `*.actors`): a record is a primary phrase
//!   (`SERGEY_LAVROV_`, words joined by `_` or blanks, an optional `[CODE]` after it), `+` lines of
//!   synonyms, and tab- or space-indented `[CODE restriction]` lines; `#` and `;` start comments and
//!   `<!-- … -->` blocks are skipped. Phrases are upper case there, so tally matches them written
//!   with capital initials ("Sergey Lavrov") and all in capitals. PETRARCH gives no kind: an actor
//!   whose codes are all three letters (`[RUS]`) is a place, one whose name holds an organization word
//!   (Ministry, Party, Council…) an organization, any other a person.
//!
//! A restriction is `<DATE` (up to and including the date), `>DATE` (from the date on) or
//! `DATE-DATE`, a date `YYYYMMDD`, `YYMMDD` (years 00–29 are 20xx, 30–99 19xx) or `YYYY-MM-DD`. A
//! wrong date, kind or line stops the run with the file, the line and what is wrong; so does a quote
//! (CSV/TSV) or a `<!--` (PETRARCH) that never closes, which would otherwise swallow the rest of the
//! file. Files are UTF-8 or UTF-16 with a byte-order mark; a leading BOM is not part of the text.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Kind;
use crate::corpus::{Date, Record, RecordError, RecordReader};

/// Why a dictionary file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DictionaryError {
    /// The file cannot be read.
    #[error("actors file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A line is wrong.
    #[error("actors file {path}, line {line}: {message}")]
    Line {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// A code that applies from `from` to `until` (both included; `None` is open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCode {
    /// The code.
    pub code: Arc<str>,
    /// First day it applies.
    pub from: Option<Date>,
    /// Last day it applies.
    pub until: Option<Date>,
}

/// An actor's codes: dated ones, tried in order, and a default for any other date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Codes {
    /// The code when no dated code applies (or the document has no date).
    pub default: Option<Arc<str>>,
    /// Codes that apply between dates.
    pub dated: Vec<DatedCode>,
}

impl Codes {
    /// One code, whatever the date.
    pub fn fixed(code: Option<Arc<str>>) -> Codes {
        Codes { default: code, dated: Vec::new() }
    }

    /// The code on `date`: the first dated code whose span holds it, else the default. A document
    /// without a date gets the default.
    pub fn on(&self, date: Option<Date>) -> Option<&Arc<str>> {
        date.and_then(|d| self.dated.iter().find(|c| c.from.is_none_or(|f| f <= d) && c.until.is_none_or(|u| d <= u)))
            .map(|c| &c.code)
            .or(self.default.as_ref())
    }

    /// Every code, the default first.
    pub fn all(&self) -> impl Iterator<Item = &Arc<str>> {
        self.default.iter().chain(self.dated.iter().map(|c| &c.code))
    }
}

/// One actor from a user's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserActor {
    /// The canonical name.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    /// Its codes.
    pub codes: Codes,
    /// Other ways of writing it.
    pub aliases: Vec<String>,
}

/// Reads the actors of the dictionary file `path`, in the format its name says.
pub fn read(path: &Path) -> Result<Vec<UserActor>, DictionaryError> {
    let text =
        crate::corpus::read_to_string(path).map_err(|source| DictionaryError::Io { path: path.into(), source })?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let at = |line: usize, message: String| DictionaryError::Line { path: path.into(), line, message };
    if name.ends_with(".actors.txt") || name.ends_with(".actors") {
        parse_petrarch(&text).map_err(|(line, m)| at(line, m))
    } else {
        let delimiter = if name.ends_with(".tsv") || name.ends_with(".tsv.txt") { b'\t' } else { b',' };
        // Read as a table by its name: a PETRARCH file named otherwise is told how to be read.
        let hint = |message: String| match message.contains("no `actor` column") && !name.ends_with(".csv") {
            true => {
                format!("{message}; read as a table by its name: a PETRARCH/CAMEO file is to be named *.actors.txt")
            }
            false => message,
        };
        parse_table(&text, delimiter).map_err(|(line, m)| at(line, hint(m)))
    }
}

/// A line number (from 1) and what is wrong with it.
type LineError = (usize, String);

/// Reads a CSV or TSV dictionary with a header row. A quote that never closes is an error at its
/// line: read on, the rest of the file would be one actor.
pub fn parse_table(text: &str, delimiter: u8) -> Result<Vec<UserActor>, LineError> {
    let mut reader = RecordReader::new(text.as_bytes(), delimiter, usize::MAX);
    let mut record = Record::default();
    let error = |err: RecordError| match err {
        RecordError::UnmatchedQuote { quote_line: line, .. }
        | RecordError::TooLarge { line, .. }
        | RecordError::NotUtf8 { line, .. } => (line as usize, err.to_string()),
        RecordError::Io(_) => (0, err.to_string()),
    };
    reader.read(&mut record).map_err(error)?;
    let header: Vec<String> = record.iter().map(|h| h.trim().to_lowercase()).collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let Some(actor_at) = column("actor") else {
        return Err((1, format!("the header has no `actor` column (it has: {})", header.join(", "))));
    };
    let (kind_at, code_at, aliases_at) = (column("kind"), column("code"), column("aliases"));
    let mut actors = Vec::new();
    while reader.read(&mut record).map_err(error)? {
        let line = record.line() as usize;
        let field = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("").trim();
        let name = field(Some(actor_at));
        if name.is_empty() {
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            return Err((line, "the actor is empty".to_string()));
        }
        let kind = match field(kind_at) {
            "" | "person" => Kind::Person,
            "organization" | "organisation" => Kind::Organization,
            "place" => Kind::Place,
            other => return Err((line, format!("kind `{other}` is none of person, organization, place"))),
        };
        let codes = parse_codes(field(code_at)).map_err(|m| (line, m))?;
        let aliases = field(aliases_at).split('|').map(str::trim).filter(|a| !a.is_empty()).map(String::from).collect();
        actors.push(UserActor { name: name.to_string(), kind, codes, aliases });
    }
    Ok(actors)
}

/// Reads `CODE`, or `;`-separated `CODE RESTRICTION` items, as in a table's `code` column.
fn parse_codes(field: &str) -> Result<Codes, String> {
    let mut codes = Codes::default();
    for item in field.split(';').map(str::trim).filter(|i| !i.is_empty()) {
        add_code(&mut codes, item)?;
    }
    Ok(codes)
}

/// Adds `CODE` or `CODE RESTRICTION` to `codes`.
fn add_code(codes: &mut Codes, item: &str) -> Result<(), String> {
    let mut parts = item.split_whitespace();
    let code: Arc<str> = Arc::from(parts.next().ok_or("an empty code")?);
    let restriction = parts.next();
    if let Some(extra) = parts.next() {
        return Err(format!("`{item}`: one code and one date restriction expected, `{extra}` is more"));
    }
    match restriction {
        None => match &codes.default {
            Some(first) if **first != *code => {
                return Err(format!("two codes without dates, {first} and {code}: date one of them"))
            }
            _ => codes.default = Some(code),
        },
        Some(r) => {
            let (from, until) = parse_restriction(r)?;
            if let (Some(f), Some(u)) = (from, until) {
                if f > u {
                    return Err(format!("`{r}` ends before it starts"));
                }
            }
            codes.dated.push(DatedCode { code, from, until });
        }
    }
    Ok(())
}

/// `<DATE`, `>DATE` or `DATE-DATE` as (from, until).
fn parse_restriction(r: &str) -> Result<(Option<Date>, Option<Date>), String> {
    if let Some(d) = r.strip_prefix('<') {
        return Ok((None, Some(parse_date(d)?)));
    }
    if let Some(d) = r.strip_prefix('>') {
        return Ok((Some(parse_date(d)?), None));
    }
    // DATE-DATE: the dash between two compact dates, or the one after an ISO date's ten characters.
    let split = if r.len() > 10 && r.as_bytes().get(4) == Some(&b'-') { 10 } else { r.find('-').unwrap_or(r.len()) };
    match (r.get(..split), r.get(split + 1..)) {
        (Some(a), Some(b)) if r.as_bytes().get(split) == Some(&b'-') => {
            Ok((Some(parse_date(a)?), Some(parse_date(b)?)))
        }
        _ => Err(format!("`{r}` is no date restriction (<DATE, >DATE or DATE-DATE)")),
    }
}

/// `YYYYMMDD`, `YYMMDD` or `YYYY-MM-DD`.
fn parse_date(text: &str) -> Result<Date, String> {
    let bad = || format!("`{text}` is not a date (YYYYMMDD, YYMMDD or YYYY-MM-DD)");
    let digits = text.bytes().all(|b| b.is_ascii_digit());
    let iso = match text.len() {
        10 => text.to_string(),
        8 if digits => format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..]),
        6 if digits => {
            let yy: u32 = text[..2].parse().map_err(|_| bad())?;
            let century = if yy < 30 { "20" } else { "19" };
            format!("{century}{}-{}-{}", &text[..2], &text[2..4], &text[4..])
        }
        _ => return Err(bad()),
    };
    Date::parse(&iso).map_err(|_| bad())
}

/// Reads a PETRARCH/CAMEO `.actors` dictionary.
pub fn parse_petrarch(text: &str) -> Result<Vec<UserActor>, LineError> {
    let mut actors: Vec<UserActor> = Vec::new();
    let (mut in_block_comment, mut comment_opened) = (false, 0);
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let was_open = in_block_comment;
        let content = strip_block_comments(raw, &mut in_block_comment);
        // A comment open at the end of the line opened on it, unless it was open before and the
        // line opens none.
        if in_block_comment && (!was_open || raw.contains("<!--")) {
            comment_opened = line;
        }
        let without_comment = content.split(['#', ';']).next().unwrap_or("");
        let indented = without_comment.starts_with([' ', '\t']);
        let body = without_comment.trim();
        if body.is_empty() {
            continue;
        }
        if let Some(synonym) = body.strip_prefix('+') {
            let actor = actors.last_mut().ok_or((line, "a synonym (+) before any actor".to_string()))?;
            let (phrase, code) = split_phrase(synonym).map_err(|m| (line, m))?;
            if code.is_some() {
                return Err((line, "a synonym takes no code: put codes on the actor's own lines".to_string()));
            }
            actor.aliases.push(phrase);
            continue;
        }
        if indented {
            let actor = actors.last_mut().ok_or((line, "a date restriction before any actor".to_string()))?;
            let inner = bracketed(body).map_err(|m| (line, m))?;
            add_code(&mut actor.codes, inner).map_err(|m| (line, m))?;
            continue;
        }
        let (phrase, code) = split_phrase(body).map_err(|m| (line, m))?;
        let mut codes = Codes::default();
        if let Some(code) = code {
            add_code(&mut codes, &code).map_err(|m| (line, m))?;
        }
        actors.push(UserActor { name: phrase, kind: Kind::Person, codes, aliases: Vec::new() });
    }
    if in_block_comment {
        let message = "a `<!--` comment opened here is never closed with `-->`: the rest of the file would be ignored";
        return Err((comment_opened, message.to_string()));
    }
    for actor in &mut actors {
        actor.kind = petrarch_kind(actor);
    }
    Ok(actors)
}

/// `line` without its `<!-- … -->` comments; `open` says whether a comment is open where the line
/// starts, and is left saying whether one is open where it ends.
fn strip_block_comments(line: &str, open: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *open {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *open = false;
                }
                None => return out,
            }
        }
        match rest.find("<!--") {
            Some(start) => {
                out.push_str(&rest[..start]);
                rest = &rest[start + 4..];
                *open = true;
            }
            None => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// The text inside `[…]`, which must be the whole of `body`.
fn bracketed(body: &str) -> Result<&str, String> {
    body.strip_prefix('[')
        .and_then(|b| b.strip_suffix(']'))
        .map(str::trim)
        .ok_or_else(|| format!("`{body}`: a code in brackets expected, as [RUSGOV >20040309]"))
}

/// `PHRASE_ [CODE]` as the phrase with capital initials and the code, if any.
fn split_phrase(body: &str) -> Result<(String, Option<String>), String> {
    let (phrase, code) = match body.find('[') {
        Some(at) => (&body[..at], Some(bracketed(body[at..].trim())?.to_string())),
        None => (body, None),
    };
    let words: Vec<String> = phrase.split(['_', ' ']).filter(|w| !w.is_empty()).map(capital_initials).collect();
    if words.is_empty() {
        return Err(format!("`{body}`: no actor phrase"));
    }
    Ok((words.join(" "), code))
}

/// `LAVROV` -> `Lavrov`; `AL-ASSAD` -> `Al-Assad`.
fn capital_initials(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        match start {
            true => out.extend(c.to_uppercase()),
            false => out.extend(c.to_lowercase()),
        }
        start = !c.is_alphanumeric() && c != '\'';
    }
    out
}

/// A PETRARCH actor's kind: see the module documentation.
fn petrarch_kind(actor: &UserActor) -> Kind {
    let mut codes = actor.codes.all().peekable();
    if codes.peek().is_some() && codes.all(|c| c.len() == 3 && c.chars().all(|c| c.is_ascii_uppercase())) {
        return Kind::Place;
    }
    if super::names::has_organization_word(&actor.name) {
        return Kind::Organization;
    }
    Kind::Person
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn petrarch_records_synonyms_comments_and_dated_codes() {
        let text = "# people\n<!-- a block\nstill a comment -->\nSERGEY_LAVROV_  ; CountryInfo.txt\n+SERGEI_LAVROV\n\
                    \t[RUSGOV >20040309]\n\t[RUSELI <20040308]\nARMENIA_ [ARM]\n+REPUBLIC_OF_ARMENIA_\n\
                    MINISTRY_OF_DEFENCE_ <!-- inline --> [RUSMIL]\n";
        let actors = parse_petrarch(text).unwrap();
        assert_eq!(actors.len(), 3);
        let lavrov = &actors[0];
        assert_eq!((lavrov.name.as_str(), lavrov.kind), ("Sergey Lavrov", Kind::Person));
        assert_eq!(lavrov.aliases, ["Sergei Lavrov"]);
        assert_eq!(lavrov.codes.on(Some(date("2004-03-09"))).map(|c| &**c), Some("RUSGOV"));
        assert_eq!(lavrov.codes.on(Some(date("2004-03-08"))).map(|c| &**c), Some("RUSELI"));
        assert_eq!(lavrov.codes.on(None), None, "no default code");
        assert_eq!((actors[1].name.as_str(), actors[1].kind), ("Armenia", Kind::Place));
        assert_eq!(actors[1].aliases, ["Republic Of Armenia"]);
        assert_eq!((actors[2].name.as_str(), actors[2].kind), ("Ministry Of Defence", Kind::Organization));
        assert_eq!(actors[2].codes.on(None).map(|c| &**c), Some("RUSMIL"));
    }

    #[test]
    fn ranges_and_short_years_follow_tabari() {
        let text = "JAMES_BYRNES_\n        [USAELI 18970101-450703]\n        [USAGOV 450703-470121]\n\t[USAELI]\n";
        let byrnes = &parse_petrarch(text).unwrap()[0];
        assert_eq!(byrnes.codes.on(Some(date("1946-01-01"))).map(|c| &**c), Some("USAGOV"));
        assert_eq!(byrnes.codes.on(Some(date("1945-07-03"))).map(|c| &**c), Some("USAELI"), "first span wins");
        assert_eq!(byrnes.codes.on(Some(date("2020-01-01"))).map(|c| &**c), Some("USAELI"), "the default");
        assert_eq!(parse_date("070723").unwrap(), date("2007-07-23"));
        assert_eq!(parse_date("450703").unwrap(), date("1945-07-03"));
    }

    #[test]
    fn wrong_lines_are_named() {
        let bad_date = "SERGEY_LAVROV_\n+SERGEI_LAVROV\n\t[RUSGOV >20041332]\n";
        let (line, message) = parse_petrarch(bad_date).unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("20041332") && message.contains("not a date"), "{message}");
        assert_eq!(parse_petrarch("+ORPHAN\n").unwrap_err().0, 1);
        assert_eq!(parse_petrarch("A_\n\t[X 20050101-20040101]\n").unwrap_err().0, 2);
        assert_eq!(parse_petrarch("A_\n\tRUSGOV\n").unwrap_err().0, 2, "an indented line without brackets");
    }

    #[test]
    fn what_never_closes_is_an_error_at_the_line_it_opens() {
        let (line, message) =
            parse_table("actor,kind\nSergei Lavrov,person\n\"Unterminated,person\nArmenia,place\n", b',').unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("never closed"), "{message}");
        let (line, message) = parse_petrarch("SERGEY_LAVROV_\n<!-- a comment\nARMENIA_ [ARM]\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("<!--") && message.contains("never closed"), "{message}");
        let text = "<!-- one\nstill -->\nA_ <!-- two -->\nB_ <!-- three\n\tmore\n";
        assert_eq!(parse_petrarch(text).unwrap_err().0, 4);
    }

    #[test]
    fn tables_with_dated_codes_and_kinds() {
        let text =
            "actor,kind,code,aliases\nSergei Lavrov,person,RUSGOV >2004-03-09; RUSELI <2004-03-08,Lavrov|S. Lavrov\n\
                    @SUM(A1),organization,,\n\nCSTO,organisation,CST,\n";
        let actors = parse_table(text, b',').unwrap();
        assert_eq!(actors.len(), 3);
        assert_eq!(actors[0].aliases, ["Lavrov", "S. Lavrov"]);
        assert_eq!(actors[0].codes.on(Some(date("2010-01-01"))).map(|c| &**c), Some("RUSGOV"));
        assert_eq!(actors[0].codes.on(Some(date("1999-01-01"))).map(|c| &**c), Some("RUSELI"));
        assert_eq!((actors[1].name.as_str(), actors[1].kind), ("@SUM(A1)", Kind::Organization));
        assert_eq!(actors[2].kind, Kind::Organization);

        let (line, message) = parse_table("actor,kind\nX,country\n", b',').unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("country"), "{message}");
        assert_eq!(parse_table("name,kind\nX,place\n", b',').unwrap_err().0, 1);
        let (line, message) = parse_table("actor\tcode\nX\tXGOV 2004-13-01-2005-01-01\n", b'\t').unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("2004-13-01"), "{message}");
        assert!(parse_table("actor,code\nX,A; B\n", b',').is_err(), "two undated codes");
    }
}
