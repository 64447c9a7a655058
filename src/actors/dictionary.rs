//! The actor dictionary: canonical actors and the aliases they are written as, embedded in the binary
//! (`data/*.tsv`: countries, regions, provinces and organizations written for tally; cities from
//! GeoNames, names in other languages from CLDR, names that are no actor, all made by
//! `scripts/build_dictionaries.py`), matched at the token level so word boundaries are right by
//! construction.
//!
//! Invariant: an alias matches a stretch of a document only when the document's words equal the
//! alias's words one for one (case-sensitively, a final possessive aside; in text written all in
//! capitals, equal to the alias's words in capitals) and the text between them equals the alias's,
//! white space folded. The longest alias starting at a word wins. An alias that ends in a period
//! ("U.S.") takes the period that follows its last word in the text. An alias may need context
//! ([`Context`]): a city named as a common word (Reading, Mobile, Nice) matches only after a place
//! preposition ("in Reading") or before a comma and a place ("Reading, Pennsylvania"), and one of the
//! many cities few news stories name only where it stands alone.

use std::hash::BuildHasher;
use std::sync::Arc;

use crate::hashing::FastMap;

use super::user::{Codes, UserActor};
use super::{fold_space, Form, Kind};
use crate::tokenize::{strip_possessive, words_into, Token};

const COUNTRIES: &str = include_str!("data/countries.tsv");
const REGIONS: &str = include_str!("data/regions.tsv");
const CITIES: &str = include_str!("data/cities.tsv");
const PROVINCES: &str = include_str!("data/provinces.tsv");
const ORGANIZATIONS: &str = include_str!("data/organizations.tsv");
const NAMES_CLDR: &str = include_str!("data/names_cldr.tsv");
const ABBREVIATIONS: &str = include_str!("data/abbreviations.tsv");
const NOT_ACTORS: &str = include_str!("data/not_actors.tsv");

/// Lower-case words after which an alias that needs context is a place ("in Reading").
const PLACE_PREPOSITIONS: &[&str] = &["in", "at", "near", "outside", "from", "to", "via", "across"];

/// Capitalised words that open sentences and leave the city after them standing alone ("In Torrance").
const OPENERS: &[&str] =
    &["In", "At", "Near", "From", "To", "Via", "The", "And", "But", "Of", "For", "On", "By", "With", "As", "After"];

/// Capitalised words that open a sentence and no name: after an abbreviation's period, the
/// abbreviation ends the sentence before them ("Washington, D.C. It is…", not "the D.C. Circuit").
const SENTENCE_OPENERS: &[&str] = &["It", "He", "She", "They", "We", "I", "This", "That", "There", "These", "Those"];

/// What context an alias needs to match (the last column of `cities.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// None: it names its actor wherever it stands.
    Any,
    /// It stands alone: no capitalised word joined to it ("Torrance Zellner", "San Diego Padres") and no
    /// number after it, a dateline's date aside (a team in a results table: "Wigan 4 Chester 2").
    Alone,
    /// It is also a common word or a person's name (Reading, Mobile, Nice): it stands alone and
    /// follows a place preposition ("in Reading") or comes before a comma and a place ("Reading,
    /// Pennsylvania").
    Place,
}

/// Which aliases' context a match checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Every alias's.
    All,
    /// Every alias's, those that need a place's context left out (which is how that context is
    /// looked for: "Reading, Pennsylvania").
    AllButPlace,
    /// None: every alias matches where its words do.
    None,
}

/// One actor the dictionary knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The canonical name reports use.
    pub name: Arc<str>,
    /// What sort of actor it is.
    pub kind: Kind,
    /// Codes such as ISO 3166 alpha-3 (`ARM`), or a user's dated CAMEO codes.
    pub codes: Codes,
    /// A city, state or province of the built-in tables: a place a sports club may be named for
    /// ("Cleveland 5 Texas 3"), where a state of the world's team is that state.
    pub locality: bool,
}

/// One way of writing an entry, split into words and the gaps between them.
#[derive(Debug)]
struct Alias {
    /// Boxed, not `String`s: the built-in dictionary holds tens of thousands of aliases.
    words: Box<[Box<str>]>,
    /// The alias ends in a period after its last word ("U.S.").
    period: bool,
    /// `gaps[i]` lies between `words[i]` and `words[i + 1]`, white space folded to one space.
    gaps: Box<[Box<str>]>,
    entry: usize,
    form: Form,
    /// The context it needs to match.
    context: Context,
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
    /// The alias needs context (one of the many cities few stories name): a surname of a person the
    /// document names in full comes before it ("Charles Blackburn … Blackburn said").
    pub weak: bool,
}

/// The words British and American spelling write apart in the names of organizations.
const SPELLINGS: &[(&str, &str)] = &[
    ("Organization", "Organisation"),
    ("Co-operation", "Cooperation"),
    ("Defense", "Defence"),
    ("Center", "Centre"),
    ("Program", "Programme"),
];

/// `name` in the other spelling of [`SPELLINGS`], when it holds one of its words.
fn spelling_twin(name: &str) -> Option<String> {
    let mut changed = false;
    let twin: Vec<&str> = name
        .split(' ')
        .map(|word| {
            let other = SPELLINGS.iter().find_map(|&(a, b)| (word == a).then_some(b).or((word == b).then_some(a)));
            changed |= other.is_some();
            other.unwrap_or(word)
        })
        .collect();
    changed.then(|| twin.join(" "))
}

/// The aliases one word starts, each list from the longest alias to the shortest, earlier ones
/// first among equals (the first that matches is the one to take): those of several words by their
/// second word, so that a word starting many ("New", "San") is looked up only in those the next
/// word goes on with.
#[derive(Debug, Default)]
struct Starts {
    by_second_word: FastMap<Box<str>, Vec<usize>>,
    one_word: Vec<usize>,
}

/// Actors and their aliases, indexed by each alias's first word (and second: [`Starts`]).
#[derive(Debug, Default)]
pub struct ActorDictionary {
    entries: Vec<Entry>,
    aliases: Vec<Alias>,
    by_first_word: FastMap<String, Starts>,
    /// Aliases by their first word in capitals.
    by_upper_first_word: FastMap<String, Starts>,
    /// A bit for each alias's first word, as written and in capitals, at [`filter_bit`]: a word
    /// whose bit is clear starts no alias, as most capitalised words of a text do not. Empty until
    /// an alias is added.
    first_words: Vec<u64>,
    /// How many bits `first_words` has, as a power of two: [`FILTER_BITS`] unless set before the
    /// first alias.
    filter_bits: u32,
    /// Capitalised names that are no actor (currencies, ratings, indicators, laws, planets, software),
    /// as aliases of one entry each: `None` until loaded.
    not_actors: Option<Box<ActorDictionary>>,
}

/// How many bits [`ActorDictionary::first_words`] has, as a power of two: 128 KB, at most a few
/// percent of them set by the built-in dictionary.
const FILTER_BITS: u32 = 20;

/// The bit of `word` in a filter of `2^bits` bits ([`ActorDictionary::first_words`]).
fn filter_bit(word: &str, bits: u32) -> usize {
    (foldhash::fast::FixedState::with_seed(0x7a11_7a11).hash_one(word) >> (64 - bits)) as usize
}

impl ActorDictionary {
    /// The dictionary built into tally: the world's states and territories with their names and
    /// adjectives, world regions, capitals and cities of 100,000 people or more, states and provinces,
    /// and international organizations with their acronyms; the names of states, regions and cities
    /// in Russian, Armenian, Chinese, Arabic, French, Spanish and German with their case forms.
    pub fn builtin() -> ActorDictionary {
        ActorDictionary::with_user(&[])
    }

    /// The built-in dictionary with a user's actors before it: where an alias of theirs is also a
    /// built-in one, theirs wins.
    pub fn with_user(user: &[UserActor]) -> ActorDictionary {
        let mut dict = ActorDictionary::default();
        for actor in user {
            let name: Arc<str> = Arc::from(actor.name.as_str());
            let entry = dict.add_entry(Entry { name, kind: actor.kind, codes: actor.codes.clone(), locality: false });
            dict.add_alias(&actor.name, entry, Form::Name);
            for alias in &actor.aliases {
                dict.add_alias(alias, entry, Form::Name);
            }
        }
        let builtin = dict.entries.len();
        dict.load_table(COUNTRIES, Kind::Place, Form::Adjective, false);
        dict.load_table(REGIONS, Kind::Place, Form::Adjective, false);
        dict.load_table(CITIES, Kind::Place, Form::Adjective, true);
        dict.load_table(PROVINCES, Kind::Place, Form::Adjective, true);
        dict.load_table(ORGANIZATIONS, Kind::Organization, Form::Acronym, false);
        dict.load_other_names(NAMES_CLDR, builtin);
        dict.load_other_names(ABBREVIATIONS, builtin);
        // A few thousand first words: a filter of 8 KB, which stays in cache beside the other.
        let mut not_actors = ActorDictionary { filter_bits: 16, ..ActorDictionary::default() };
        for line in table_lines(NOT_ACTORS) {
            let (name, class) = line.split_once('\t').unwrap_or((line, ""));
            let entry = not_actors.add_entry(Entry {
                name: Arc::from(name.trim()),
                kind: Kind::Organization,
                codes: Codes::fixed(Some(Arc::from(class.trim()))),
                locality: false,
            });
            not_actors.add_alias(name.trim(), entry, Form::Name);
        }
        dict.not_actors = Some(Box::new(not_actors));
        dict
    }

    /// Reads a table of other names of built-in entries, `actor TAB names TAB names_alone` with `|`
    /// between names, those of `names_alone` matching only standing alone ([`Context::Alone`]): the
    /// actor is the first entry from `builtin` on of that name.
    fn load_other_names(&mut self, table: &str, builtin: usize) {
        let mut by_name: FastMap<&str, usize> = FastMap::default();
        for (i, entry) in self.entries.iter().enumerate().skip(builtin) {
            by_name.entry(&*entry.name).or_insert(i);
        }
        let found: Vec<(usize, &str, &str)> = table_lines(table)
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let (actor, names, alone) = (fields.next()?, fields.next().unwrap_or(""), fields.next().unwrap_or(""));
                let entry = by_name.get(actor.trim()).copied();
                debug_assert!(entry.is_some(), "{actor:?} of a table of other names is no built-in actor");
                Some((entry?, names, alone))
            })
            .collect();
        for (entry, names, alone) in found {
            for (names, context) in [(names, Context::Any), (alone, Context::Alone)] {
                for alias in names.split('|').map(str::trim).filter(|a| !a.is_empty()) {
                    self.push_alias(alias, entry, Form::Name, context);
                }
            }
        }
    }

    /// Whether words `first..=last` of `tokens` are exactly a name that is no actor ("GNP", "Jupiter",
    /// "Red Hat Enterprise Linux"): a currency, rating, indicator, law, planet, product or software.
    pub fn names_no_actor(&self, content: &str, tokens: &[Token], first: usize, last: usize) -> bool {
        self.not_actors.as_ref().and_then(|d| d.longest_match(content, tokens, first)).is_some_and(|m| m.last == last)
    }

    /// Whether word `at` of `tokens` is the name of software ("Linux", "Windows"), which ends no
    /// one's name: "Rocky Linux" and "Microsoft Windows" are software too.
    pub fn names_software(&self, content: &str, tokens: &[Token], at: usize) -> bool {
        let Some(not_actors) = self.not_actors.as_ref() else { return false };
        not_actors.longest_match(content, tokens, at).is_some_and(|m| {
            m.last == at && not_actors.entries[m.entry].codes.on(None).is_some_and(|class| &**class == "software")
        })
    }

    /// Whether words `first..=last` of `tokens` begin a longer name that is no actor: "Swiss" of
    /// "Swiss francs", "Red Hat" of "Red Hat Enterprise Linux".
    pub fn begins_no_actor(&self, content: &str, tokens: &[Token], first: usize, last: usize) -> bool {
        self.not_actors.as_ref().and_then(|d| d.longest_match(content, tokens, first)).is_some_and(|m| m.last > last)
    }

    /// Reads a built-in table: `actor TAB code TAB names TAB extra [TAB context]`, `|` between names;
    /// `extra` are aliases of `extra_form`; `context` is empty, `alone` or `place` ([`Context`]). Its
    /// entries are localities ([`Entry::locality`]) when `locality` says so.
    fn load_table(&mut self, table: &str, kind: Kind, extra_form: Form, locality: bool) {
        for line in table_lines(table) {
            let mut fields = line.split('\t');
            let mut field = || fields.next().unwrap_or("").trim();
            let (name, code, names, extra) = (field(), field(), field(), field());
            let context = match field() {
                "alone" => Context::Alone,
                "place" => Context::Place,
                other => {
                    debug_assert!(other.is_empty(), "context {other:?} of {name:?}");
                    Context::Any
                }
            };
            let code = (!code.is_empty()).then(|| Arc::from(code));
            let entry = self.add_entry(Entry { name: Arc::from(name), kind, codes: Codes::fixed(code), locality });
            let mut names: Vec<String> =
                std::iter::once(name).chain(names.split('|')).filter(|a| !a.is_empty()).map(String::from).collect();
            if kind == Kind::Organization {
                // As British and American spelling write it: "World Health Organisation".
                let twins: Vec<String> = names.iter().filter_map(|n| spelling_twin(n)).collect();
                names.extend(twins.into_iter().filter(|t| !names.contains(t)).collect::<Vec<_>>());
            }
            for alias in &names {
                self.push_alias(alias, entry, Form::Name, context);
            }
            for alias in extra.split('|').filter(|a| !a.is_empty()) {
                self.push_alias(alias, entry, extra_form, context);
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
        self.push_alias(alias, entry, form, Context::Any);
    }

    fn push_alias(&mut self, alias: &str, entry: usize, form: Form, context: Context) {
        let mut tokens = Vec::new();
        words_into(alias, 0, &mut tokens);
        if tokens.is_empty() {
            return;
        }
        let words: Box<[Box<str>]> = tokens.iter().map(|t| Box::from(t.text(alias))).collect();
        let gaps = tokens.windows(2).map(|w| Box::from(fold_space(&alias[w[0].end..w[1].start]))).collect();
        let is_acronym = words.len() == 1 && alias.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
        let form = if is_acronym && form == Form::Name { Form::Acronym } else { form };
        let period = alias[tokens[tokens.len() - 1].end..].starts_with('.');
        if self.first_words.is_empty() {
            self.filter_bits = if self.filter_bits == 0 { FILTER_BITS } else { self.filter_bits };
            self.first_words = vec![0; 1 << (self.filter_bits - 6)];
        }
        let (first, first_upper) = (words[0].to_string(), words[0].to_uppercase());
        for first in [&first, &first_upper] {
            let bit = filter_bit(first, self.filter_bits);
            self.first_words[bit / 64] |= 1 << (bit % 64);
        }
        let second: Option<(Box<str>, Box<str>)> = words.get(1).map(|w| (w.clone(), w.to_uppercase().into()));
        self.aliases.push(Alias { words, gaps, entry, form, period, context });
        let aliases = &self.aliases;
        let starts = [
            (self.by_first_word.entry(first).or_default(), second.as_ref().map(|s| s.0.clone())),
            (self.by_upper_first_word.entry(first_upper).or_default(), second.map(|s| s.1)),
        ];
        for (starts, second) in starts {
            let list = match second {
                Some(second) => starts.by_second_word.entry(second).or_default(),
                None => &mut starts.one_word,
            };
            let len = aliases[aliases.len() - 1].words.len();
            let at = list.partition_point(|&a| aliases[a].words.len() >= len);
            list.insert(at, aliases.len() - 1);
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
        self.longest_match_in(content, tokens, at, Check::All)
    }

    /// The locality ([`Entry::locality`]) that words `first..=last` name as written, in whatever
    /// context they stand: a city a text uses as a team's name ("Grimsby 0 Portsmouth 1"), which
    /// is where no place stands.
    pub fn locality_named(&self, content: &str, tokens: &[Token], first: usize, last: usize) -> Option<usize> {
        let m = self.longest_match_in(content, tokens, first, Check::None)?;
        (m.last == last && m.form == Form::Name && self.entries[m.entry].locality).then_some(m.entry)
    }

    /// [`ActorDictionary::longest_match`], the context aliases need checked as `check` says.
    fn longest_match_in(&self, content: &str, tokens: &[Token], at: usize, check: Check) -> Option<DictionaryMatch> {
        let word = tokens[at].text(content);
        let best = self.longest_in(&self.by_first_word, false, content, tokens, at, check).or_else(|| {
            // Text in capitals ("ARMENIA", "LONDON 1996-08-30") is matched in capitals; one letter is
            // too little to tell a headline from an initial.
            let in_capitals =
                word.chars().filter(|c| c.is_alphabetic()).nth(1).is_some() && !word.chars().any(char::is_lowercase);
            if in_capitals {
                self.longest_in(&self.by_upper_first_word, true, content, tokens, at, check)
            } else {
                None
            }
        })?;
        let last = at + best.words.len() - 1;
        let period = best.period
            && content[tokens[last].end..].starts_with('.')
            && strip_possessive(tokens[last].text(content)).len() == tokens[last].end - tokens[last].start;
        let weak = best.context != Context::Any;
        Some(DictionaryMatch { first: at, last, entry: best.entry, form: best.form, period, weak })
    }

    /// Whether `word` may be the first word of an alias, as written or in capitals: false for
    /// nearly every word that is not.
    fn may_start_alias(&self, word: &str) -> bool {
        if self.first_words.is_empty() {
            return false;
        }
        let bit = filter_bit(word, self.filter_bits);
        self.first_words.get(bit / 64).is_some_and(|w| w >> (bit % 64) & 1 != 0)
    }

    fn longest_in(
        &self,
        index: &FastMap<String, Starts>,
        capitals: bool,
        content: &str,
        tokens: &[Token],
        at: usize,
        check: Check,
    ) -> Option<&Alias> {
        let word = tokens[at].text(content);
        let stem = strip_possessive(word);
        let starts = match index.get(stem) {
            None if stem.len() != word.len() => index.get(word),
            found => found,
        }?;
        // Those of several words the next word goes on with (as written, or without the possessive
        // the last word of an alias may carry), then those of one word.
        let next = tokens.get(at + 1).map(|t| t.text(content)).filter(|_| !starts.by_second_word.is_empty());
        let next_stem = next.map(strip_possessive).filter(|&s| Some(s) != next);
        let longer = [next, next_stem].into_iter().flatten().filter_map(|w| starts.by_second_word.get(w)).flatten();
        longer.chain(&starts.one_word).map(|&i| &self.aliases[i]).find(|alias| {
            alias_matches(alias, capitals, content, tokens, at)
                && match alias.context {
                    _ if check == Check::None => true,
                    Context::Any => true,
                    Context::Alone => stands_alone(content, tokens, at, alias.words.len(), alias.period),
                    Context::Place => {
                        check == Check::All
                            && stands_alone(content, tokens, at, alias.words.len(), alias.period)
                            && self.has_place_context(content, tokens, at, alias.words.len())
                    }
                }
        })
    }

    /// Whether words `at..at + len` stand where a place does: after a place preposition ("in
    /// Reading") or before a comma and a place that needs no context ("Reading, Pennsylvania").
    fn has_place_context(&self, content: &str, tokens: &[Token], at: usize, len: usize) -> bool {
        let after_preposition = at > 0
            && PLACE_PREPOSITIONS.contains(&tokens[at - 1].text(content))
            && content[tokens[at - 1].end..tokens[at].start].chars().all(char::is_whitespace);
        let next = at + len;
        after_preposition
            || (next < tokens.len()
                && content[tokens[next - 1].end..tokens[next].start].trim_end() == ","
                && self
                    .longest_match_in(content, tokens, next, Check::AllButPlace)
                    .is_some_and(|m| self.entries[m.entry].kind == Kind::Place))
    }
}

/// Whether words `at..at + len` stand alone ([`Context::Alone`]); an abbreviation (`period`) that a
/// capitalised word follows after its period is a person's initials ("S.C. Johnson").
fn stands_alone(content: &str, tokens: &[Token], at: usize, len: usize, period: bool) -> bool {
    let capitalised = |t: &Token| t.text(content).chars().next().is_some_and(char::is_uppercase);
    let joined_before = at > 0 && capitalised(&tokens[at - 1]) && {
        let (gap, before) = (&content[tokens[at - 1].end..tokens[at].start], tokens[at - 1].text(content));
        // After a word of the name, a hyphen ("Biden-Harris") or an initial ("Robert F. Kennedy").
        ((gap == " " || gap == "-") && !OPENERS.contains(&before)) || (gap == ". " && before.chars().count() == 1)
    };
    let next = at + len;
    let after = &content[tokens[next - 1].end..];
    let joined_after = next < tokens.len()
        && match &content[tokens[next - 1].end..tokens[next].start] {
            " " | "-" => true,
            ". " => {
                let word = tokens[next].text(content);
                period && !OPENERS.contains(&word) && !SENTENCE_OPENERS.contains(&word)
            }
            _ => false,
        }
        && capitalised(&tokens[next]);
    let rest = after.trim_start_matches([' ', '\t']);
    let date = rest.len() >= 10
        && rest.as_bytes()[..10]
            .iter()
            .enumerate()
            .all(|(i, b)| matches!(i, 4 | 7) == (*b == b'-') && (matches!(i, 4 | 7) || b.is_ascii_digit()));
    let number_after = rest.starts_with(|c: char| c.is_ascii_digit()) && !date;
    !joined_before && !joined_after && !number_after
}

/// The lines of a built-in table that are neither comments (`#`) nor blank.
fn table_lines(table: &str) -> impl Iterator<Item = &str> {
    table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}

fn alias_matches(alias: &Alias, capitals: bool, content: &str, tokens: &[Token], at: usize) -> bool {
    let Some(window) = tokens.get(at..at + alias.words.len()) else { return false };
    let last = window.len() - 1;
    // In capitals, `text` is to equal the word in capitals ("ARMENIA"), compared without making it.
    let equals = |text: &str, word: &str| match capitals {
        false => text == word,
        true => word.chars().flat_map(char::to_uppercase).eq(text.chars()),
    };
    window.iter().zip(alias.words.iter()).enumerate().all(|(i, (token, word))| {
        let text = token.text(content);
        // Only the final word may carry a possessive ("Armenia's"), and it still names the actor.
        let text_ok = equals(text, word) || (i == last && equals(strip_possessive(text), word));
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
        words_into(text, 0, &mut tokens);
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
            assert!(dict.may_start_alias(&alias.words[0]) && dict.may_start_alias(&alias.words[0].to_uppercase()));
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
    fn an_organization_is_found_in_british_and_american_spelling() {
        let dict = ActorDictionary::builtin();
        for text in [
            "the Organisation for Security and Cooperation in Europe",
            "the Organization for Security and Co-operation in Europe",
            "the Organisation for Security and Co-operation in Europe",
        ] {
            let got = matches(&dict, text);
            assert_eq!(got.iter().map(|m| m.1.as_str()).collect::<Vec<_>>(), ["OSCE"], "{text}");
        }
        assert_eq!(spelling_twin("World Health Organization").as_deref(), Some("World Health Organisation"));
        assert_eq!(spelling_twin("Centre for Defence Studies").as_deref(), Some("Center for Defense Studies"));
        assert_eq!(spelling_twin("Labour Party"), None);
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
        words_into(text, 0, &mut tokens);
        assert!(dict.longest_match(text, &tokens, 1).unwrap().period);
        assert!(!dict.longest_match(text, &tokens, 4).unwrap().period);
    }

    #[test]
    fn names_in_other_languages_match_in_their_cases() {
        let dict = ActorDictionary::builtin();
        let got = matches(
            &dict,
            "Российской Федерации и России, США; Հայաստանի Հանրապետության և Հայաստանի, ԵՐԵՎԱՆԻ; 俄罗斯和美國; \
             Russland; Arménie; وروسيا",
        );
        let names: Vec<_> = got.iter().map(|(s, a, _)| format!("{s}={a}")).collect();
        assert_eq!(
            names,
            [
                "Российской Федерации=Russia",
                "России=Russia",
                "США=United States",
                "Հայաստանի Հանրապետության=Armenia",
                "Հայաստանի=Armenia",
                "ԵՐԵՎԱՆԻ=Yerevan",
                "俄罗斯=Russia",
                "美國=United States",
                "Russland=Russia",
                "Arménie=Armenia",
                "وروسيا=Russia"
            ]
        );
    }

    #[test]
    fn every_other_name_names_a_built_in_actor() {
        let dict = ActorDictionary::builtin();
        let names: std::collections::HashSet<&str> = dict.entries().iter().map(|e| &*e.name).collect();
        for line in table_lines(NAMES_CLDR) {
            let actor = line.split('\t').next().unwrap();
            assert!(names.contains(actor), "{actor:?} of names_cldr.tsv is no actor of the other tables");
        }
    }

    #[test]
    fn cities_that_are_also_words_or_names_need_context() {
        let dict = ActorDictionary::builtin();
        let actors = |text: &str| -> Vec<String> {
            matches(&dict, text).into_iter().map(|(s, a, _)| format!("{s}={a}")).collect()
        };
        // Also a common word: only after a place preposition or before a comma and a place.
        assert_eq!(
            actors("Reading said. Reading, Pennsylvania and in Reading"),
            ["Reading=Reading", "Pennsylvania=Pennsylvania", "Reading=Reading"]
        );
        // One of the many cities of GeoNames: only standing alone, not in a name nor before a score.
        assert_eq!(
            actors("Torrance Zellner won. Torrance 2 Chester 1. J. Torrance, Torrance-Smith. Off to Torrance."),
            ["Torrance=Torrance"]
        );
        assert_eq!(actors("KHASAVYURT 1996-08-30"), ["KHASAVYURT=Khasavyurt"]);
        // A city often in the news stands anywhere.
        assert_eq!(actors("Moscow Mayor"), ["Moscow=Moscow"]);
    }

    #[test]
    fn names_that_are_no_actor_only_as_a_whole() {
        let dict = ActorDictionary::builtin();
        let no_actor = |text: &str| {
            let mut tokens = Vec::new();
            words_into(text, 0, &mut tokens);
            dict.names_no_actor(text, &tokens, 0, tokens.len() - 1)
        };
        for name in ["GNP", "Jupiter", "Red Hat Enterprise Linux", "European Currency Units", "AA", "Baa2", "Brexit"] {
            assert!(no_actor(name), "{name}");
        }
        for name in ["Venus Williams", "Armenia", "Red Hat", "Reuters"] {
            assert!(!no_actor(name), "{name}");
        }
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
