//! Text in, actor mentions out: the people, organizations and places a document names, each mention
//! with its byte offsets, the canonical actor it refers to and the actor's kind.
//!
//! Two sources feed it: the [`ActorDictionary`] (states, regions, organizations and their aliases),
//! and names no dictionary holds, found as runs of capitalised words (see `names`). Inside one
//! document a surname alone resolves to the full name written elsewhere in it ("Lavrov" ->
//! "Sergei Lavrov"); across the corpus, after counting, [`resolve`] makes the names of one actor
//! one. Invariant: `content[m.start..m.end] == m.text` for every mention, mentions come
//! in document order and never overlap.

mod dictionary;
mod names;
pub mod resolve;
mod teams;
pub mod user;

pub use dictionary::{ActorDictionary, DictionaryMatch, Entry};
pub(crate) use names::{is_abbreviation, is_given_name};
pub use user::DictionaryError;

use std::sync::Arc;

use serde::Serialize;

use crate::corpus::Date;
use crate::tokenize::Token;

/// What sort of actor a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A person.
    Person,
    /// A company, government body, party, international organization…
    Organization,
    /// A state, territory, region or city.
    Place,
}

impl Kind {
    /// The name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organization => "organization",
            Kind::Place => "place",
        }
    }

    /// The kind [`Kind::as_str`] names.
    pub fn parse(name: &str) -> Option<Kind> {
        [Kind::Person, Kind::Organization, Kind::Place].into_iter().find(|k| k.as_str() == name)
    }
}

/// How a mention writes its actor's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// The name or one of its variants ("Armenia", "Republic of Armenia").
    Name,
    /// An acronym or abbreviation ("CSTO", "U.S.").
    Acronym,
    /// An adjective or demonym ("Armenian", "Russians").
    Adjective,
    /// A surname standing for a full name given elsewhere in the document ("Lavrov").
    Surname,
    /// A word of an organization's name alone, standing for the one organization of that word the
    /// document names in full: the word that makes it an organization's ("the Bank" for "Bank of
    /// Japan") or a firm's first word ("Dome" for "Dome Petroleum Ltd").
    Short,
}

impl Form {
    /// The name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Name => "name",
            Form::Acronym => "acronym",
            Form::Adjective => "adjective",
            Form::Surname => "surname",
            Form::Short => "short",
        }
    }

    /// The form [`Form::as_str`] names.
    pub fn parse(name: &str) -> Option<Form> {
        [Form::Name, Form::Acronym, Form::Adjective, Form::Surname, Form::Short]
            .into_iter()
            .find(|f| f.as_str() == name)
    }
}

/// Where an actor comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The actor dictionary.
    Dictionary,
    /// Inferred from capitalised names in the text.
    Inferred,
}

impl Origin {
    /// The name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Dictionary => "dictionary",
            Origin::Inferred => "inferred",
        }
    }

    /// The origin [`Origin::as_str`] names.
    pub fn parse(name: &str) -> Option<Origin> {
        [Origin::Dictionary, Origin::Inferred].into_iter().find(|o| o.as_str() == name)
    }
}

/// One place in a document that names an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Offset of the mention's first byte in the document's content.
    pub start: usize,
    /// Offset one past its last byte (a possessive `'s` is left outside).
    pub end: usize,
    /// The canonical actor.
    pub actor: Arc<str>,
    /// The actor's kind.
    pub kind: Kind,
    /// How the text writes the actor.
    pub form: Form,
    /// Where the actor comes from.
    pub origin: Origin,
    /// The actor's code on the document's date (ISO 3166 alpha-3 for states; a user's CAMEO code).
    pub code: Option<Arc<str>>,
    /// The sentence it stands in, counted from 0 in the document.
    pub sentence: u32,
}

/// `text` with each run of white space as one space ("United\n  States" -> "United States"), as
/// names and aliases are compared and reported.
pub fn fold_space(text: &str) -> std::borrow::Cow<'_, str> {
    // Most names are written with single spaces: nothing to fold, nothing to copy. One pass over the
    // bytes tells, but for text beyond ASCII, which may hold other spaces.
    let bytes = text.as_bytes();
    let single_spaces = match text.is_ascii() {
        true => !bytes.windows(2).any(|w| w == b"  ") && !bytes.iter().any(|b| matches!(b, b'\t'..=b'\r')),
        false => !text.contains("  ") && !text.chars().any(|c| c.is_whitespace() && c != ' '),
    };
    if single_spaces {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out.into()
}

/// Finds actor mentions in documents; shared by all threads (it holds no per-document state).
#[derive(Debug)]
pub struct ActorFinder {
    dictionary: ActorDictionary,
}

impl Default for ActorFinder {
    fn default() -> Self {
        ActorFinder::new(ActorDictionary::builtin())
    }
}

impl ActorFinder {
    /// A finder over `dictionary`.
    pub fn new(dictionary: ActorDictionary) -> ActorFinder {
        ActorFinder { dictionary }
    }

    /// A finder over the built-in dictionary and the users' dictionary `files` (see [`user`]),
    /// theirs first.
    pub fn with_files(files: &[std::path::PathBuf]) -> Result<ActorFinder, DictionaryError> {
        let mut actors = Vec::new();
        for file in files {
            actors.extend(user::read(file)?);
        }
        Ok(ActorFinder::new(ActorDictionary::with_user(&actors)))
    }

    /// Appends the mentions in `content` to `out`; `tokens` are the words of the part of `content` to
    /// search (a document's body), as [`crate::tokenize`] gives them; `date`, the document's, picks
    /// dated codes.
    pub fn find(&self, content: &str, tokens: &[Token], date: Option<Date>, out: &mut Vec<Mention>) {
        names::find_mentions(&self.dictionary, content, tokens, date, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn fold_space_makes_each_run_of_white_space_one_space(text in "([ \t\n\r\u{b}\u{c}\u{a0}\u{2009}\u{3000}]|[aZ.]|é){0,12}") {
            let mut expected = String::new();
            for c in text.chars() {
                match c.is_whitespace() {
                    true if expected.ends_with(' ') => {}
                    true => expected.push(' '),
                    false => expected.push(c),
                }
            }
            proptest::prop_assert_eq!(fold_space(&text), expected.as_str());
        }
    }
}
