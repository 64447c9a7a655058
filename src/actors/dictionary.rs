//! The actor dictionary: canonical actors and the aliases they are written as, embedded in the binary
//! (`data/*.tsv`, written for tally), matched at the token level so word boundaries are right by
//! construction.
//!
//! Invariant: an alias matches a stretch of a document only when the document's words equal the
//! alias's words one for one (case-sensitively, a final possessive aside; in text written all in
//! capitals, equal to the alias's words in capitals) and the text between them equals the alias's,
//! white space folded. The longest alias starting at a word wins. An alias that ends in a period
//! ("U.S.") takes the period that follows its last word in the text.

use std::hash::BuildHasher;
use std::sync::Arc;

use crate::hashing::FastMap;

use super::user::{Codes, UserActor};
use super::{fold_space, Form, Kind};
use crate::tokenize::{strip_possessive, tokenize_into, Token};

const COUNTRIES: &str = include_str!("data/countries.tsv");
const REGIONS: &str = include_str!("data/regions.tsv");
const CITIES: &str = include_str!("data/cities.tsv");
const PROVINCES: &str = include_str!("data/provinces.tsv");
const ORGANIZATIONS: &str = include_str!("data/organizations.tsv");

/// One actor the dictionary knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The canonical name reports use.
    pub name: Arc<str>,
    /// What sort of actor it is.
    pub kind: Kind,
    /// Codes such as ISO 3166 alpha-3 (`ARM`), or a user's dated CAMEO codes.
    pub codes: Codes,
}

/// One way of writing an entry, split into words and the gaps between them.
#[derive(Debug)]
struct Alias {
    words: Vec<String>,
    /// `words` in capitals, to match headlines ("ARMENIA").
    upper: Vec<String>,
    /// The alias ends in a period after its last word ("U.S.").
    period: bool,
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
    /// The match takes the period after its last token (an abbreviation such as "U.S.").
    pub period: bool,
}

/// Actors and their aliases, indexed by each alias's first word.
#[derive(Debug, Default)]
pub struct ActorDictionary {
    entries: Vec<Entry>,
    aliases: Vec<Alias>,
    by_first_word: FastMap<String, Vec<usize>>,
    /// Aliases by their first word in capitals.
    by_upper_first_word: FastMap<String, Vec<usize>>,
    /// A bit for each alias's first word, as written and in capitals, at [`filter_bit`]: a word
    /// whose bit is clear starts no alias, as most capitalised words of a text do not. Empty until
    /// an alias is added.
    first_words: Vec<u64>,
}

/// How many bits [`ActorDictionary::first_words`] has, as a power of two: 8 KB, at most a few
/// percent of them set by the built-in dictionary.
const FILTER_BITS: u32 = 16;

/// The bit of `word` in [`ActorDictionary::first_words`].
fn filter_bit(word: &str) -> usize {
    (foldhash::fast::FixedState::with_seed(0x7a11_7a11).hash_one(word) >> (64 - FILTER_BITS)) as usize
}

impl ActorDictionary {
    /// The dictionary built into tally: the world's states and territories with their names and
    /// adjectives, world regions, capitals and cities often in the news, states and provinces, and international
    /// organizations with their acronyms.
    pub fn builtin() -> ActorDictionary {
        ActorDictionary::with_user(&[])
    }

    /// The built-in dictionary with a user's actors before it: where an alias of theirs is also a
    /// built-in one, theirs wins.
    pub fn with_user(user: &[UserActor]) -> ActorDictionary {
        let mut dict = ActorDictionary::default();
        for actor in user {
            let name: Arc<str> = Arc::from(actor.name.as_str());
            let entry = dict.add_entry(Entry { name, kind: actor.kind, codes: actor.codes.clone() });
            dict.add_alias(&actor.name, entry, Form::Name);
            for alias in &actor.aliases {
                dict.add_alias(alias, entry, Form::Name);
            }
        }
        dict.load_table(COUNTRIES, Kind::Place, Form::Adjective);
        dict.load_table(REGIONS, Kind::Place, Form::Adjective);
        dict.load_table(CITIES, Kind::Place, Form::Adjective);
        dict.load_table(PROVINCES, Kind::Place, Form::Adjective);
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
            let entry = self.add_entry(Entry { name: Arc::from(name), kind, codes: Codes::fixed(code) });
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
        if tokens.is_empty() {
            return;
        }
        let words: Vec<String> = tokens.iter().map(|t| t.text(alias).to_string()).collect();
        let gaps = tokens.windows(2).map(|w| fold_space(&alias[w[0].end..w[1].start]).into_owned()).collect();
        let is_acronym = words.len() == 1 && alias.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
        let form = if is_acronym && form == Form::Name { Form::Acronym } else { form };
        let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
        let period = alias[tokens[tokens.len() - 1].end..].starts_with('.');
        if self.first_words.is_empty() {
            self.first_words = vec![0; 1 << (FILTER_BITS - 6)];
        }
        for first in [&words[0], &upper[0]] {
            let bit = filter_bit(first);
            self.first_words[bit / 64] |= 1 << (bit % 64);
        }
        let (first, first_upper) = (words[0].clone(), upper[0].clone());
        self.aliases.push(Alias { words, upper, gaps, entry, form, period });
        // Each list runs from the longest alias to the shortest, earlier ones first among equals:
        // the first that matches is the one to take.
        let aliases = &self.aliases;
        for list in
            [self.by_first_word.entry(first).or_default(), self.by_upper_first_word.entry(first_upper).or_default()]
        {
            list.push(aliases.len() - 1);
            list.sort_by_key(|&a| std::cmp::Reverse(aliases[a].words.len()));
        }
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
        let word = tokens[at].text(content);
        let stem = strip_possessive(word);
        if !self.may_start_alias(stem) && (stem.len() == word.len() || !self.may_start_alias(word)) {
            return None;
        }
        let best = self.longest_in(&self.by_first_word, false, content, tokens, at).or_else(|| {
            // Text in capitals ("ARMENIA", "LONDON 1996-08-30") is matched in capitals; one letter is
            // too little to tell a headline from an initial.
            let in_capitals =
                word.chars().filter(|c| c.is_alphabetic()).nth(1).is_some() && !word.chars().any(char::is_lowercase);
            if in_capitals {
                self.longest_in(&self.by_upper_first_word, true, content, tokens, at)
            } else {
                None
            }
        })?;
        let last = at + best.words.len() - 1;
        let period = best.period
            && content[tokens[last].end..].starts_with('.')
            && strip_possessive(tokens[last].text(content)).len() == tokens[last].end - tokens[last].start;
        Some(DictionaryMatch { first: at, last, entry: best.entry, form: best.form, period })
    }

    /// Whether `word` may be the first word of an alias, as written or in capitals: false for
    /// nearly every word that is not.
    fn may_start_alias(&self, word: &str) -> bool {
        let bit = filter_bit(word);
        self.first_words.get(bit / 64).is_some_and(|w| w >> (bit % 64) & 1 != 0)
    }

    fn longest_in(
        &self,
        index: &FastMap<String, Vec<usize>>,
        capitals: bool,
        content: &str,
        tokens: &[Token],
        at: usize,
    ) -> Option<&Alias> {
        let word = tokens[at].text(content);
        let stem = strip_possessive(word);
        let candidates = match index.get(stem) {
            None if stem.len() != word.len() => index.get(word),
            found => found,
        }?;
        candidates.iter().map(|&i| &self.aliases[i]).find(|alias| alias_matches(alias, capitals, content, tokens, at))
    }
}

fn alias_matches(alias: &Alias, capitals: bool, content: &str, tokens: &[Token], at: usize) -> bool {
    let Some(window) = tokens.get(at..at + alias.words.len()) else { return false };
    let words = if capitals { &alias.upper } else { &alias.words };
    let last = window.len() - 1;
    window.iter().zip(words).enumerate().all(|(i, (token, word))| {
        let text = token.text(content);
        // Only the final word may carry a possessive ("Armenia's"), and it still names the actor.
        let text_ok = text == word || (i == last && strip_possessive(text) == word);
        text_ok && (i == last || gap_equals(&content[token.end..window[i + 1].start], &alias.gaps[i]))
    })
}

/// `gap` with its white space folded equals `folded` (which [`fold_space`] made).
fn gap_equals(gap: &str, folded: &str) -> bool {
    gap == folded || (gap.len() >= folded.len() && fold_space(gap) == folded)
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
        assert_eq!((armenia.kind, armenia.codes.on(None).map(|c| &**c)), (Kind::Place, Some("ARM")));
        assert!(dict.entries().len() > 250, "{} entries", dict.entries().len());
        assert!(dict.entries().iter().all(|e| !e.name.is_empty()));
        assert!(dict.entries().iter().flat_map(|e| e.codes.all()).all(|c| !c.is_empty()));
    }

    #[test]
    fn the_first_word_filter_is_mostly_clear() {
        // A fuller filter would let through more of the capitalised words that start no alias.
        let dict = ActorDictionary::builtin();
        let set: u32 = dict.first_words.iter().map(|w| w.count_ones()).sum();
        assert!(set <= (1 << FILTER_BITS) / 20, "{set} of {} bits set", 1 << FILTER_BITS);
        for alias in &dict.aliases {
            assert!(dict.may_start_alias(&alias.words[0]) && dict.may_start_alias(&alias.upper[0]));
        }
    }

    #[test]
    fn a_users_alias_wins_over_the_built_in_one_of_the_same_length_only() {
        let ours = |name: &str, aliases: &[&str]| UserActor {
            name: name.to_string(),
            kind: Kind::Organization,
            codes: Codes::fixed(None),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        let dict =
            ActorDictionary::with_user(&[ours("Armenian Desk", &["Armenia"]), ours("Our Republic", &["Republic"])]);
        let got = matches(&dict, "Armenia and the Republic of Armenia");
        let names: Vec<_> = got.iter().map(|(text, actor, _)| (text.as_str(), actor.as_str())).collect();
        assert_eq!(names, [("Armenia", "Armenian Desk"), ("Republic of Armenia", "Armenia")]);
    }

    #[test]
    fn longest_alias_wins_with_whole_words() {
        let dict = ActorDictionary::builtin();
        let got =
            matches(&dict, "the Collective Security Treaty Organization (CSTO) and the Republic of Armenia's envoy");
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
        assert_eq!(
            names,
            [
                "Armenian=Armenia/Adjective",
                "Russian=Russia/Adjective",
                "U.S=United States/Acronym",
                "Armenians=Armenia/Adjective"
            ]
        );
    }

    #[test]
    fn capitals_match_in_capitals_and_abbreviations_take_their_period() {
        let dict = ActorDictionary::builtin();
        let got = matches(&dict, "ARMENIA AND REPUBLIC OF ARMENIA; EUROPEAN Union; the U.S. and the U.S");
        let names: Vec<_> = got.iter().map(|(s, a, _)| format!("{s}={a}")).collect();
        assert_eq!(
            names,
            [
                "ARMENIA=Armenia",
                "REPUBLIC OF ARMENIA=Armenia",
                "EUROPEAN=Europe",
                "U.S=United States",
                "U.S=United States"
            ]
        );
        let text = "the U.S. and the U.S";
        let mut tokens = Vec::new();
        tokenize_into(text, 0, &mut tokens);
        assert!(dict.longest_match(text, &tokens, 1).unwrap().period);
        assert!(!dict.longest_match(text, &tokens, 4).unwrap().period);
    }

    #[test]
    fn gaps_must_agree() {
        let dict = ActorDictionary::builtin();
        assert_eq!(matches(&dict, "European\n  Union")[0].1, "European Union");
        // A gap as long as the alias's, but another white space.
        assert_eq!(matches(&dict, "European\nUnion")[0].1, "European Union");
        let split = matches(&dict, "European. Union");
        assert!(split.iter().all(|(_, a, _)| a != "European Union"), "{split:?}");
    }
}
