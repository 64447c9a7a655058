//! The actor dictionary: canonical actors and the aliases they are written as, embedded in the binary
//! (`data/*.tsv`, written for tally), matched at the token level so word boundaries are right by
//! construction.
//!
//! Invariant: an alias matches a stretch of a document only when the document's words equal the
//! alias's words one for one (case-sensitively, a final possessive aside) and the text between them
//! equals the alias's, white space folded. The longest alias starting at a word wins.

use std::sync::Arc;

use crate::count::FastMap;

use super::{fold_space, Form, Kind};
use crate::tokenize::{strip_possessive, tokenize_into, Token};

const COUNTRIES: &str = include_str!("data/countries.tsv");
const REGIONS: &str = include_str!("data/regions.tsv");
const ORGANIZATIONS: &str = include_str!("data/organizations.tsv");

/// One actor the dictionary knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The canonical name reports use.
    pub name: Arc<str>,
    /// What sort of actor it is.
    pub kind: Kind,
    /// A code such as ISO 3166 alpha-3 (`ARM`).
    pub code: Option<Arc<str>>,
}

/// One way of writing an entry, split into words and the gaps between them.
#[derive(Debug)]
struct Alias {
    words: Vec<String>,
    /// `gaps[i]` lies between `words[i]` and `words[i + 1]`, white space folded to one space.
    gaps: Vec<String>,
    entry: usize,
    form: Form,
}

/// A dictionary hit: words `first..last` (inclusive) of a document name `entry` in `form`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DictionaryMatch {
    /// Index of the first matched token.
    pub first: usize,
    /// Index of the last matched token.
    pub last: usize,
    /// Index of the entry in [`ActorDictionary::entry`].
    pub entry: usize,
    /// How the alias names the actor.
    pub form: Form,
}

/// Actors and their aliases, indexed by each alias's first word.
#[derive(Debug, Default)]
pub struct ActorDictionary {
    entries: Vec<Entry>,
    aliases: Vec<Alias>,
    by_first_word: FastMap<String, Vec<usize>>,
}

impl ActorDictionary {
    /// The dictionary built into tally: the world's states and territories with their names and
    /// adjectives, world regions, and international organizations with their acronyms.
    pub fn builtin() -> ActorDictionary {
        let mut dict = ActorDictionary::default();
        dict.load_table(COUNTRIES, Kind::Place, Form::Adjective);
        dict.load_table(REGIONS, Kind::Place, Form::Adjective);
        dict.load_table(ORGANIZATIONS, Kind::Organization, Form::Acronym);
        dict
    }

    /// Reads a built-in table: `actor TAB code TAB names TAB extra`, `|` between names; `extra` are
    /// aliases of `extra_form`. Lines starting with `#` are comments.
    fn load_table(&mut self, table: &str, kind: Kind, extra_form: Form) {
        for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let mut fields = line.split('\t');
            let mut field = || fields.next().unwrap_or("").trim();
            let (name, code, names, extra) = (field(), field(), field(), field());
            let code = (!code.is_empty()).then(|| Arc::from(code));
            let entry = self.add_entry(Entry { name: Arc::from(name), kind, code });
            self.add_alias(name, entry, Form::Name);
            for alias in names.split('|').filter(|a| !a.is_empty()) {
                self.add_alias(alias, entry, Form::Name);
            }
            for alias in extra.split('|').filter(|a| !a.is_empty()) {
                self.add_alias(alias, entry, extra_form);
            }
        }
    }

    /// Adds an actor; returns its index.
    pub fn add_entry(&mut self, entry: Entry) -> usize {
        self.entries.push(entry);
        self.entries.len() - 1
    }

    /// Adds a way of writing entry `entry`. An alias that is all capitals and has no space is an
    /// acronym whatever `form` says.
    pub fn add_alias(&mut self, alias: &str, entry: usize, form: Form) {
        let mut tokens = Vec::new();
        tokenize_into(alias, 0, &mut tokens);
        let Some(first) = tokens.first() else { return };
        let words: Vec<String> = tokens.iter().map(|t| t.text(alias).to_string()).collect();
        let gaps = tokens.windows(2).map(|w| fold_space(&alias[w[0].end..w[1].start])).collect();
        let is_acronym = words.len() == 1 && alias.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
        let form = if is_acronym && form == Form::Name { Form::Acronym } else { form };
        self.by_first_word.entry(first.text(alias).to_string()).or_default().push(self.aliases.len());
        self.aliases.push(Alias { words, gaps, entry, form });
    }

    /// The entry at `index`.
    pub fn entry(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    /// Every entry, in the order added.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The longest alias starting at token `at`, if any.
    pub fn longest_match(&self, content: &str, tokens: &[Token], at: usize) -> Option<DictionaryMatch> {
        let first = strip_possessive(tokens[at].text(content));
        let candidates = self.by_first_word.get(first).or_else(|| self.by_first_word.get(tokens[at].text(content)))?;
        let mut best: Option<&Alias> = None;
        for alias in candidates.iter().map(|&i| &self.aliases[i]) {
            let fits = best.is_none_or(|b| alias.words.len() > b.words.len());
            if fits && alias_matches(alias, content, tokens, at) {
                best = Some(alias);
            }
        }
        best.map(|alias| DictionaryMatch { first: at, last: at + alias.words.len() - 1, entry: alias.entry, form: alias.form })
    }
}

fn alias_matches(alias: &Alias, content: &str, tokens: &[Token], at: usize) -> bool {
    let Some(window) = tokens.get(at..at + alias.words.len()) else { return false };
    let last = window.len() - 1;
    window.iter().zip(&alias.words).enumerate().all(|(i, (token, word))| {
        let text = token.text(content);
        // Only the final word may carry a possessive ("Armenia's"), and it still names the actor.
        let text_ok = text == word || (i == last && strip_possessive(text) == word);
        text_ok && (i == last || gap_equals(&content[token.end..window[i + 1].start], &alias.gaps[i]))
    })
}

/// `gap` with its white space folded equals `folded` (which [`fold_space`] made).
fn gap_equals(gap: &str, folded: &str) -> bool {
    if gap.len() < folded.len() {
        return false;
    }
    fold_space(gap) == folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(dict: &ActorDictionary, text: &str) -> Vec<(String, String, Form)> {
        let mut tokens = Vec::new();
        tokenize_into(text, 0, &mut tokens);
        let mut out = Vec::new();
        let mut at = 0;
        while at < tokens.len() {
            match dict.longest_match(text, &tokens, at) {
                Some(m) => {
                    let span = &text[tokens[m.first].start..tokens[m.last].end];
                    out.push((span.to_string(), dict.entry(m.entry).name.to_string(), m.form));
                    at = m.last + 1;
                }
                None => at += 1,
            }
        }
        out
    }

    #[test]
    fn builtin_tables_parse() {
        let dict = ActorDictionary::builtin();
        let armenia = dict.entries().iter().find(|e| &*e.name == "Armenia").unwrap();
        assert_eq!((armenia.kind, armenia.code.as_deref()), (Kind::Place, Some("ARM")));
        assert!(dict.entries().len() > 250, "{} entries", dict.entries().len());
        assert!(dict.entries().iter().all(|e| !e.name.is_empty()));
        assert!(dict.entries().iter().filter_map(|e| e.code.as_deref()).all(|c| !c.is_empty()));
    }

    #[test]
    fn longest_alias_wins_with_whole_words() {
        let dict = ActorDictionary::builtin();
        let got = matches(&dict, "the Collective Security Treaty Organization (CSTO) and the Republic of Armenia's envoy");
        let want = [
            ("Collective Security Treaty Organization", "CSTO", Form::Name),
            ("CSTO", "CSTO", Form::Acronym),
            ("Republic of Armenia's", "Armenia", Form::Name),
        ];
        let want: Vec<_> = want.iter().map(|(a, b, f)| (a.to_string(), b.to_string(), *f)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn forms_and_case() {
        let dict = ActorDictionary::builtin();
        let got = matches(&dict, "Armenian-Russian relations; the U.S. and the us; Armenians");
        let names: Vec<_> = got.iter().map(|(s, a, f)| format!("{s}={a}/{f:?}")).collect();
        assert_eq!(names, ["Armenian=Armenia/Adjective", "Russian=Russia/Adjective", "U.S=United States/Acronym", "Armenians=Armenia/Adjective"]);
    }

    #[test]
    fn gaps_must_agree() {
        let dict = ActorDictionary::builtin();
        assert_eq!(matches(&dict, "European\n  Union")[0].1, "European Union");
        let split = matches(&dict, "European. Union");
        assert!(split.iter().all(|(_, a, _)| a != "European Union"), "{split:?}");
    }
}
