//! Actors counted over a whole corpus in, the actor each of them is out: the names one real actor
//! goes by, found by comparing the names the corpus uses, after counting (so a run, its shards
//! merged and every number of threads resolve alike).
//!
//! Input is every distinct (name, kind) counted with its mentions; output, for each, the name and
//! kind reports use. The rules, in order:
//! 1. a name has one kind: the dictionary's if it holds the name (but a place whose mentions name an
//!    organization more often than the dictionary's place is one: a club named for its city), else
//!    the kind its mentions vote for, a place's mention weighing 4, a person's 2 and an
//!    organization's 1 (an organization is what a name nothing else describes is taken for). The
//!    one other actor a name may be is the sports club named for a city or state of the
//!    dictionary, where the documents used it as a team (the finder gives those mentions as
//!    organizations of the dictionary: "Cleveland 5 Texas 3"): the club, beside the place;
//! 2. a person's name loses leading words the corpus also writes as ordinary words ("Investor
//!    Martin T. Sosnoff", "House Speaker Jim Wright", "Senators Kamala Harris"), and a party's word
//!    before a given name ("Democrat Richard Gephardt"), while two words are left, but for a
//!    surname's particle ("De La Fuente"), and a trailing qualifier ("Kamala Harris of California");
//! 3. names alike but for middle initials or a particle's case are one ("Martin T. Sosnoff",
//!    "Martin Sosnoff"; "Richard Von Weizsaecker", "Richard von Weizsaecker"), unless two different
//!    initials compete ("George H. Bush", "George W. Bush" leave "George Bush" alone); so are names
//!    alike but for a given name and its nickname ("Jim Wright", "James Wright"), unless a third
//!    given name of that surname is either's nickname;
//!    and names in Armenian or Cyrillic letters alike but for their words' case endings are one, the
//!    form written most ("Էդուարդ Աղաջանյանի", "Էդուարդ Աղաջանյանին"; "Дункан Смит", "Дункана Смита");
//! 4. a short form ("Trump", "La Riva") becomes the longer person name ending in it that has at least
//!    twice the mentions of all the others together; with no such name it stays as it is. A short
//!    form of two words or more that is written at least as often as its only longer name is the
//!    name, the longer one a variant ("Senators Kamala Harris" -> "Kamala Harris"), unless it is a
//!    surname and a given name leads the longer one ("La Riva" -> "Gloria La Riva"). A lone word
//!    taken for an organization for want of a cue (no dictionary entry, no company's suffix, no
//!    ordinary word) is such a short form too when written less often than that person's name
//!    ("Poindexter" beside "John Poindexter"), and else, when it is no person's surname (a given
//!    name leading a name ending in it), the party the corpus names by it, "WORD Party"
//!    ("Democratic" -> "Democratic Party"), or by the word for its members ("Democrats", "Democrat" ->
//!    "Democratic Party", "Greens" -> "Green Party");
//! 5. a name with a company's suffix ("Goldman Sachs and Co Inc", "General Motors Corp") is the
//!    name without it where the corpus writes that too, and an organization, as is that name (the
//!    dictionary's kind first): "Merrill Lynch", "Morgan Stanley" are firms, not persons. But a
//!    name written with a suffix in fewer than one mention in ten, or a person's full name with a
//!    middle initial, stays as it is: the firm is named for its founder ("Ivan Boesky and Co L.P",
//!    "Ivan F. Boesky and Co"). A name that begins with a firm's name of two words or more is a
//!    firm too ("Merrill Lynch Capital Markets");
//! 6. an actor's kind is the vote of all the names resolved to it (the dictionary's kind first).
//!
//! Invariant: the result depends only on the set of actors given, not on their order.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, LazyLock};

use super::names::without_company_suffix;
use super::{is_given_name, Kind};

/// An actor as counted: its name, kind, mentions, and whether the dictionary gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted<'a> {
    /// The name counts give it.
    pub name: &'a str,
    /// The kind its mentions had.
    pub kind: Kind,
    /// Its mentions over the corpus.
    pub mentions: u64,
    /// Whether it comes from the dictionary.
    pub dictionary: bool,
}

/// The actor a counted one resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The name reports use.
    pub name: Arc<str>,
    /// Its kind.
    pub kind: Kind,
}

/// A name is a company's when the corpus writes it with a company's suffix in at least one mention
/// in this many of those it writes it without.
const COMPANY_SHARE: u64 = 10;

/// How many times the mentions of all other longer names a short form's best name must have.
const DOMINANCE: u64 = 2;

/// Mentions per kind, all of them and those the dictionary gave.
#[derive(Debug, Default, Clone, Copy)]
struct Votes {
    by_kind: [u64; 3],
    dictionary: [u64; 3],
    /// The corpus writes the name with a company's suffix.
    company: bool,
}

impl Votes {
    fn add(&mut self, a: &Counted<'_>) {
        self.by_kind[kind_index(a.kind)] += a.mentions;
        if a.dictionary {
            self.dictionary[kind_index(a.kind)] += a.mentions;
        }
    }

    fn merge(&mut self, other: &Votes) {
        for (mine, theirs) in self.by_kind.iter_mut().zip(other.by_kind) {
            *mine += theirs;
        }
        for (mine, theirs) in self.dictionary.iter_mut().zip(other.dictionary) {
            *mine += theirs;
        }
        self.company |= other.company;
    }

    /// The kind the dictionary gives the name: a person's first, then a place's (an organization of
    /// a place's name is the club the text named for it: [`Votes::names_clubs`]), then an
    /// organization's.
    fn dictionary_kind(&self) -> Option<Kind> {
        [Kind::Person, Kind::Place, Kind::Organization].into_iter().find(|&k| self.dictionary[kind_index(k)] > 0)
    }

    /// Whether the dictionary gives the name as a place and as an organization: the place, and the
    /// sports club named for it where the text used it as a team ("Cleveland 5 Texas 3").
    fn names_clubs(&self) -> bool {
        self.dictionary[kind_index(Kind::Place)] > 0 && self.dictionary[kind_index(Kind::Organization)] > 0
    }

    fn kind(&self) -> Kind {
        // Named an organization by the text, not as a club of the dictionary's place.
        let organization =
            self.by_kind[kind_index(Kind::Organization)] - self.dictionary[kind_index(Kind::Organization)];
        match self.dictionary_kind() {
            // A place that mostly names an organization in the text: a club or a firm named for its
            // city ("Surrey beat Durham", "First Boston"), which the context told, not the name.
            Some(Kind::Place) if organization > self.dictionary[kind_index(Kind::Place)] => Kind::Organization,
            Some(kind) => kind,
            None if self.company => Kind::Organization,
            None => self.voted(),
        }
    }

    /// The kind the mentions vote for, each weighed by its kind.
    fn voted(&self) -> Kind {
        // The most weighted, a place, then a person first on a tie.
        let weighed = |i: usize| self.by_kind[i] * WEIGHTS[i];
        let best = [1, 0, 2].into_iter().max_by_key(|&i| weighed(i)).unwrap_or(0);
        KINDS[best]
    }

    fn mentions(&self) -> u64 {
        self.by_kind.iter().sum()
    }
}

const KINDS: [Kind; 3] = [Kind::Person, Kind::Organization, Kind::Place];

/// What a mention of each kind weighs in the vote. A name nothing else describes is taken for an
/// organization, while a place needs a dictionary entry or a place cue ("in …") and a person a given
/// name, a title or a full name: a mention found a place or a person says more.
const WEIGHTS: [u64; 3] = [2, 1, 4];

fn kind_index(kind: Kind) -> usize {
    KINDS.iter().position(|&k| k == kind).expect("every kind is listed")
}

/// Resolves `actors` (each (name, kind) once); `is_common` says whether the corpus mostly writes a
/// capitalised word as an ordinary word (a title or role, not a name). The result is in the order of
/// `actors`.
pub fn resolve(actors: &[Counted<'_>], is_common: impl Fn(&str) -> bool) -> Vec<Resolved> {
    // 1. Each name's kind, by all its mentions.
    let mut names: BTreeMap<&str, Votes> = BTreeMap::new();
    for a in actors {
        names.entry(a.name).or_default().add(a);
    }
    // 5, before the persons' names are looked at: a company's names, with its suffix, and without
    // where the corpus writes that too.
    let mut company_base: BTreeMap<&str, &str> = BTreeMap::new();
    for (&name, votes) in names.iter_mut() {
        if let Some(base) = without_company_suffix(name) {
            votes.company = true;
            company_base.insert(name, base);
        }
    }
    let mut suffixed: BTreeMap<&str, u64> = BTreeMap::new();
    for (name, base) in &company_base {
        *suffixed.entry(base).or_default() += names[name].mentions();
    }
    let is_company = |base: &str| {
        names.get(base).is_some_and(|v| COMPANY_SHARE * suffixed[base] >= v.mentions()) && !has_middle_initial(base)
    };
    company_base.retain(|_, base| is_company(base));
    for base in company_base.values() {
        names.get_mut(base).expect("kept only when counted").company = true;
    }
    // A name that begins with a firm's name of two words or more is one of its units, a firm too
    // ("Merrill Lynch Capital Markets"), but for a generation's suffix: "Robert Halmi Sr" is the
    // founder of "Robert Halmi Inc".
    let firms: BTreeSet<&str> = names.iter().filter(|(n, v)| v.company && n.contains(' ')).map(|(n, _)| *n).collect();
    for (name, votes) in names.iter_mut().filter(|(_, v)| !v.company) {
        // Each beginning of the name that ends before a space, and what follows it.
        let unit = name.match_indices(' ').any(|(at, _)| {
            let rest = &name[at + 1..];
            firms.contains(&name[..at]) && !matches!(rest.trim_end_matches('.'), "Sr" | "Jr" | "II" | "III" | "IV")
        });
        if unit {
            votes.company = true;
        }
    }
    // 2. The persons' names without titles and qualifiers, with their mentions.
    let mut core_of: BTreeMap<&str, String> = BTreeMap::new();
    let mut cores: BTreeMap<String, u64> = BTreeMap::new();
    // A party's word (the corpus names "WORD Party" or "WORDic Party"), no given name itself, before a
    // given name is a label, as a title is ("Democrat Rod Blagojevich", "Republican Cory Gardner").
    let is_party = |word: &str| {
        [format!("{word} Party"), format!("{word}ic Party")]
            .iter()
            .any(|party| names.get(party.as_str()).is_some_and(|v| v.kind() == Kind::Organization))
    };
    for (&name, votes) in names.iter().filter(|(_, v)| v.kind() == Kind::Person) {
        let core = core_name(name, &is_common, is_party);
        *cores.entry(core.clone()).or_default() += votes.mentions();
        core_of.insert(name, core);
    }
    // 3. Names alike but for middle initials, by their words without them.
    let mut by_bare: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for core in cores.keys() {
        if let Some(bare) = without_initials(core) {
            by_bare.entry(bare).or_default().push(core);
        }
    }
    let mut unified: BTreeMap<&str, &str> = BTreeMap::new();
    for (bare, group) in &by_bare {
        // Two different sets of initials compete ("George H. Bush", "George W. Bush"); the same
        // initials written with or without periods do not.
        let initials = |c: &str| -> String {
            c.split(' ').filter(|w| is_initial(w)).map(|w| w.trim_end_matches('.')).collect::<Vec<_>>().join(" ")
        };
        let initialled = group.iter().map(|c| initials(c)).filter(|i| !i.is_empty()).collect::<BTreeSet<_>>().len();
        let bare_too = cores.contains_key(bare.as_str());
        if initialled > 1 || group.len() + usize::from(bare_too) < 2 {
            continue;
        }
        let mut members: Vec<&str> = group.clone();
        if bare_too {
            members.push(cores.get_key_value(bare.as_str()).expect("checked").0);
        }
        let best = most_mentioned(&members, |c| cores[c]);
        for m in members {
            unified.insert(m, best);
        }
    }
    // 3, for nicknames: a person named by a given name and by its nickname, the rest of the name
    // alike ("Jim Wright", "James Wright"), is one, the form written most; not where a third given
    // name of that surname is either's nickname or has either for its own ("Pat Carney" beside both
    // "Patricia Carney" and "Patrick Carney").
    let mut by_surname: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for core in cores.keys() {
        if let Some((_, rest)) = core.split_once(' ').filter(|(_, rest)| is_capitalised(rest)) {
            by_surname.entry(rest).or_default().push(core);
        }
    }
    for group in by_surname.values().filter(|g| g.len() > 1) {
        let related = |a: &str, b: &str| is_nickname(first_word(a), first_word(b));
        for (i, &a) in group.iter().enumerate() {
            for &b in group[i + 1..].iter().filter(|&&b| related(a, b)) {
                let third = group.iter().any(|&c| c != a && c != b && (related(c, a) || related(c, b)));
                // Nor a name already made another's (by its middle initials).
                let moved = |n: &str| unified.get(n).is_some_and(|&u| u != n);
                if third || moved(a) || moved(b) {
                    continue;
                }
                let best = most_mentioned(&[a, b], |c| cores[c]);
                // With the names unified into either by their initials ("James C. Wright").
                for target in unified.values_mut().filter(|t| **t == a || **t == b) {
                    *target = best;
                }
                unified.insert(a, best);
                unified.insert(b, best);
            }
        }
    }
    // 3, for names in Armenian and Cyrillic letters: names alike but for their words' case endings
    // ("Էդուարդ Աղաջանյանի", "Էդուարդ Աղաջանյանին"; "Дункан Смит", "Дункана Смита") are one, the
    // form written most.
    let mut unified_names: BTreeMap<&str, u64> = BTreeMap::new();
    for (core, &n) in &cores {
        *unified_names.entry(unified.get(core.as_str()).copied().unwrap_or(core)).or_default() += n;
    }
    let case_forms = case_forms_of(&unified_names);
    let full_of = |core: &str| -> String {
        let name = unified.get(core).copied().unwrap_or(core);
        case_forms.get(name).copied().unwrap_or(name).to_string()
    };
    let mut fulls: BTreeMap<String, u64> = BTreeMap::new();
    for (core, &n) in &cores {
        *fulls.entry(full_of(core)).or_default() += n;
    }
    // 4. Short forms: each longer name ending in a name, by that ending.
    // (Endings and names compared as written alike: "De Mel" ends "Ronnie de Mel".)
    let mut longer: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for full in fulls.keys() {
        for (at, _) in full.match_indices(' ') {
            longer.entry(written_alike(&full[at + 1..])).or_default().push(full);
        }
    }
    // The longer name ending in `ending` that dominates the others, and the others' mentions.
    let dominant = |ending: &str| -> Option<(&str, u64)> {
        let candidates = longer.get(&written_alike(ending))?;
        let best = most_mentioned(candidates, |c| fulls[c]);
        let others: u64 = candidates.iter().filter(|&&c| c != best).map(|c| fulls[*c]).sum();
        (fulls[best] >= DOMINANCE * others.max(1)).then_some((best, others))
    };
    let mut short: BTreeMap<&str, &str> = BTreeMap::new();
    for (full, &n) in &fulls {
        let Some((best, others)) = dominant(full).filter(|_| n > 0) else { continue };
        // A name of two words or more written more often than the longer one is the name, the
        // longer one a variant with a title no rule took off; but a surname (no given name leads
        // it) is the full name a given name leads ("La Riva" is "Gloria La Riva", while "Mercedes
        // Lewis Hamilton" is a variant of "Lewis Hamilton").
        let variant = led_by_given_name(full) || !led_by_given_name(best);
        match full.contains(' ') && n >= fulls[best] && others == 0 && variant {
            true => short.entry(best).or_insert(full),
            false => short.entry(full).or_insert(best),
        };
    }
    // Steps go to names of more words but for the one back from a variant: a few at most.
    let follow_short = |mut full: String| -> String {
        for _ in 0..8 {
            match short.get(full.as_str()) {
                Some(&next) => full = next.to_string(),
                None => break,
            }
        }
        full
    };
    let resolve_person = |name: &str| -> String { follow_short(full_of(&core_of[name])) };
    // A lone word the text gave no kind of its own: an organization, as a name nothing describes is
    // taken for.
    let lone_unknown = |name: &str| {
        let votes = &names[name];
        !name.contains(' ') && votes.kind() == Kind::Organization && !votes.company && votes.dictionary_kind().is_none()
    };
    // Such a word, no ordinary word, written less often than the one person name ending in it that
    // dominates: that person's surname ("Poindexter" beside "John Poindexter"), not a firm's name.
    let taken_for_organization = |name: &str| lone_unknown(name) && !is_common(name);
    let surname_of = |name: &str| -> Option<String> {
        if !taken_for_organization(name) {
            return None;
        }
        let (best, _) = dominant(name)?;
        (names[name].mentions() <= fulls[best]).then(|| follow_short(best.to_string()))
    };
    // 4, for parties: such a lone word is the party the corpus names by it ("Democratic" is the
    // "Democratic Party"), and so is a word for its members ("Democrats", "Republicans", "Greens").
    let party_of = |name: &str| -> Option<String> {
        let member = name.strip_suffix('s').filter(|m| !m.contains(' ') && !m.is_empty());
        // The word itself ("Democratic"), then a member's word: plural ("Democrats", "Greens") or
        // singular ("Democrat").
        let parties = [
            Some(format!("{name} Party")),
            member.map(|m| format!("{m} Party")),
            member.map(|m| format!("{m}ic Party")),
            Some(format!("{name}ic Party")),
        ];
        let named = |party: &String| names.get(party.as_str()).is_some_and(|v| v.kind() == Kind::Organization);
        let (at, party) =
            parties.into_iter().enumerate().find_map(|(at, party)| party.filter(named).map(|p| (at, p)))?;
        // Not the surname of persons of the corpus ("Green" beside "Michael Green" and "Philip Green").
        // The word for its members (a party found by it, not by the word itself) is the party's
        // however often it opens a sentence, where it is counted as an ordinary word ("Republicans
        // voted…"); the adjective must be no ordinary word.
        let members_word = at > 0;
        ((taken_for_organization(name) || (members_word && lone_unknown(name)))
            && !longer.get(&written_alike(name)).is_some_and(|names| names.iter().any(|n| led_by_given_name(n))))
        .then_some(party)
    };
    // 4, for bodies named with "of", "for" or "on": a lone word that heads such names of the corpus
    // stands for the one that dominates them, written in full at least as often as the word alone
    // ("House" where a document says only "the House", for the "House of Representatives" the corpus
    // names far more than the "House of Commons"), as a document's own head stands for the body it
    // names; not where two are named alike ("Bank", for the "Bank of England" and the "Bank of Japan").
    let mut headed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (&name, votes) in &names {
        let Some((head, rest)) = name.split_once(' ') else { continue };
        if votes.kind() == Kind::Organization && ["of ", "for ", "on "].iter().any(|c| rest.starts_with(c)) {
            headed.entry(head).or_default().push(name);
        }
    }
    let body_of = |name: &str| -> Option<String> {
        if !lone_unknown(name) {
            return None;
        }
        let candidates = headed.get(name)?;
        let best = most_mentioned(candidates, |c| names[c].mentions());
        let others: u64 = candidates.iter().filter(|&&c| c != best).map(|c| names[c].mentions()).sum();
        // Written alone more often than in full, the word is a body of its own ("Congress", beside
        // one "Congress of the Philippines").
        let dominates =
            names[best].mentions() >= DOMINANCE * others.max(1) && names[name].mentions() <= names[best].mentions();
        dominates.then(|| best.to_string())
    };
    // 6. Each actor's name, then the kind all its names vote for.
    let mut target: BTreeMap<&str, Arc<str>> = BTreeMap::new();
    let mut votes: BTreeMap<Arc<str>, Votes> = BTreeMap::new();
    let resolve_name = |name: &str| -> Arc<str> {
        match core_of.contains_key(name) {
            true => {
                let full = resolve_person(name);
                match full == name {
                    true => Arc::from(name),
                    false => Arc::from(full),
                }
            }
            false => surname_of(name)
                .or_else(|| party_of(name))
                .or_else(|| body_of(name))
                .map_or_else(|| Arc::from(name), Arc::from),
        }
    };
    for (&name, v) in &names {
        let to = resolve_name(company_base.get(name).copied().unwrap_or(name));
        votes.entry(Arc::clone(&to)).or_default().merge(v);
        target.insert(name, to);
    }
    actors
        .iter()
        .map(|a| {
            let name = Arc::clone(&target[a.name]);
            let votes = &votes[&name];
            // The club named for a place: an actor of its own beside the place.
            let kind = match a.kind == Kind::Organization && a.dictionary && votes.names_clubs() {
                true => Kind::Organization,
                false => votes.kind(),
            };
            Resolved { name, kind }
        })
        .collect()
}

/// Endings of the cases of Armenian nouns a name may take ("Աղաջանյանի", "Աղաջանյանին"), and of
/// the definite article.
const ARMENIAN_ENDINGS: &[&str] = &["ին", "ից", "ով", "ում", "ուն", "ու", "ը", "ն", "ի"];

/// Endings of the cases of Russian nouns and adjectives a name may take ("Смита", "Смиту",
/// "Смитом"; "Ивановой").
const RUSSIAN_ENDINGS: &[&str] =
    &["ого", "его", "ому", "ему", "ой", "ей", "ом", "ем", "ым", "им", "ою", "ею", "а", "я", "у", "ю", "е", "ы", "и"];

/// Each name of `names` (persons' names, with their mentions) that has other case forms, to the
/// form of them written most: names of as many words, all in Armenian or all in Cyrillic letters,
/// whose words at each place share a stem, the word itself or it less one case ending (a stem of
/// three letters at least). Forms are joined through shared stems, transitively.
fn case_forms_of<'a>(names: &BTreeMap<&'a str, u64>) -> BTreeMap<&'a str, &'a str> {
    let script = |name: &str| -> Option<&'static [&'static str]> {
        let letters = || name.chars().filter(|c| c.is_alphabetic());
        if letters().all(|c| ('\u{531}'..='\u{58f}').contains(&c)) {
            Some(ARMENIAN_ENDINGS)
        } else if letters().all(|c| ('\u{400}'..='\u{4ff}').contains(&c)) {
            Some(RUSSIAN_ENDINGS)
        } else {
            None
        }
    };
    // Each name by each of its keys: one stem per word, every combination.
    let mut by_key: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for &name in names.keys() {
        let Some(endings) = script(name).filter(|_| name.chars().any(char::is_alphabetic)) else { continue };
        let mut keys = vec![String::new()];
        for word in name.split(' ') {
            let mut stems = vec![word];
            let lower = word.to_lowercase();
            for ending in endings {
                if lower.ends_with(ending) && lower.chars().count() >= ending.chars().count() + 3 {
                    stems.push(&word[..word.len() - ending.len()]);
                }
            }
            keys = keys
                .iter()
                .flat_map(|k| stems.iter().map(move |s| if k.is_empty() { s.to_string() } else { format!("{k} {s}") }))
                .collect();
        }
        for key in keys {
            by_key.entry(key).or_default().push(name);
        }
    }
    // Names sharing a key are one: a union of sets, each name to its set's first name.
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    fn root<'a>(parent: &BTreeMap<&'a str, &'a str>, mut name: &'a str) -> &'a str {
        while let Some(&p) = parent.get(name).filter(|&&p| p != name) {
            name = p;
        }
        name
    }
    for group in by_key.values().filter(|g| g.len() > 1) {
        let first = root(&parent, group[0]);
        for &name in &group[1..] {
            let other = root(&parent, name);
            if other != first {
                let (keep, join) = if first < other { (first, other) } else { (other, first) };
                parent.insert(join, keep);
                parent.entry(keep).or_insert(keep);
            }
        }
    }
    let mut sets: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for &name in parent.keys() {
        sets.entry(root(&parent, name)).or_default().push(name);
    }
    let mut best_of = BTreeMap::new();
    for members in sets.values().filter(|m| m.len() > 1) {
        let best = most_mentioned(members, |n| names[n]);
        for &m in members {
            best_of.insert(m, best);
        }
    }
    best_of
}

/// The one of `names` with the most mentions; on a tie the longest, then the first in byte order.
fn most_mentioned<'a>(names: &[&'a str], mentions: impl Fn(&str) -> u64) -> &'a str {
    names
        .iter()
        .copied()
        .max_by(|a, b| mentions(a).cmp(&mentions(b)).then(a.len().cmp(&b.len())).then(b.cmp(a)))
        .expect("a name at least")
}

/// `name` without the leading words `is_common` calls ordinary, or a party's word (`is_party`)
/// before a given name, while two words are left, and without a trailing qualifier ("of
/// California") after two words or more.
fn core_name(name: &str, is_common: impl Fn(&str) -> bool, is_party: impl Fn(&str) -> bool) -> String {
    let mut words: Vec<&str> = name.split(' ').collect();
    if let Some(of) = words.iter().skip(2).position(|w| *w == "of") {
        words.truncate(of + 2);
    }
    let mut first = 0;
    let label = |w: &str, next: &str| is_party(w) && !is_given_name(w) && is_given_name(next);
    while words.len() - first > 2
        && (is_common(words[first]) || label(words[first], words[first + 1]))
        && !is_particle(words[first])
        && is_capitalised(words[first + 1])
    {
        first += 1;
    }
    words[first..].join(" ")
}

/// Whether a given name leads `name` ("Gloria La Riva", not "La Riva").
fn led_by_given_name(name: &str) -> bool {
    is_given_name(first_word(name))
}

/// Whether `word` is one of the particles that begin surnames ("De La Fuente", "Van Gogh", "Al
/// Thani"): written in lower case as often as not, yet part of the name.
fn is_particle(word: &str) -> bool {
    const PARTICLES: &[&str] = &[
        "al", "bin", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du", "el", "ibn",
        "la", "le", "ter", "van", "von",
    ];
    PARTICLES.iter().any(|p| p.eq_ignore_ascii_case(word))
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether `name` is a first name, middle initials and a last name ("Ivan F. Boesky"), as a
/// person's full name is written; not initials first ("J.P. Morgan").
fn has_middle_initial(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    words.len() >= 3
        && !is_initial(words[0])
        && !is_initial(words[words.len() - 1])
        && words[1..words.len() - 1].iter().any(|w| is_initial(w))
}

/// Whether `word` is an initial ("T.", "T", "H.W.").
fn is_initial(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|&c| c != '.').collect();
    (1..=2).contains(&letters.len())
        && letters.iter().all(|c| c.is_uppercase())
        && (letters.len() == 1 || word.contains('.'))
}

/// `name` without its middle initials, if it has a first and last word besides, written as names
/// written alike are ([`written_alike`]).
fn without_initials(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    if words.len() < 2 || is_initial(words[0]) || is_initial(words[words.len() - 1]) {
        return None;
    }
    let bare: Vec<&str> = words.into_iter().filter(|w| !is_initial(w)).collect();
    Some(written_alike(&bare.join(" ")))
}

/// Given names and their nicknames (`data/nicknames.tsv`, from open data: scripts/build_nicknames.py),
/// each pair both ways.
static NICKNAMES: LazyLock<BTreeSet<(&'static str, &'static str)>> = LazyLock::new(|| {
    include_str!("data/nicknames.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .flat_map(|(name, nickname)| [(name, nickname), (nickname, name)])
        .collect()
});

/// The first word of `name`.
fn first_word(name: &str) -> &str {
    name.split(' ').next().unwrap_or("")
}

/// Whether given names `a` and `b` are a name and its nickname ("James", "Jim"), either way.
pub(super) fn is_nickname(a: &str, b: &str) -> bool {
    NICKNAMES.contains(&(a, b))
}

/// `name` as names written alike are: a surname's particles in lower case and no abbreviation's
/// period ("Richard Von Weizsaecker" and "Richard von Weizsaecker", "De Mel" and "de Mel",
/// "Fernand St. Germain" and "Fernand St Germain").
fn written_alike(name: &str) -> String {
    let word = |w: &str| {
        let w = w.strip_suffix('.').unwrap_or(w);
        if is_particle(w) {
            w.to_lowercase()
        } else {
            w.to_string()
        }
    };
    name.split(' ').map(word).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, mentions: u64) -> Counted<'_> {
        Counted { name, kind: Kind::Person, mentions, dictionary: false }
    }

    fn org(name: &str, mentions: u64) -> Counted<'_> {
        Counted { name, kind: Kind::Organization, mentions, dictionary: false }
    }

    /// Each actor's resolved name and kind, as `name/kind`.
    fn resolved(actors: &[Counted<'_>], common: &[&str]) -> Vec<String> {
        resolve(actors, |w| common.contains(&w)).iter().map(|r| format!("{}/{}", r.name, r.kind.as_str())).collect()
    }

    #[test]
    fn a_short_form_takes_the_full_name_that_dominates_and_only_one() {
        let actors = [person("Trump", 19), person("Donald Trump", 399), person("Melania Trump", 2)];
        assert_eq!(resolved(&actors, &[]), ["Donald Trump/person", "Donald Trump/person", "Melania Trump/person"]);
        // Two full names near in mentions: the short form is left alone.
        let actors = [person("Bush", 50), person("George Bush", 30), person("Jeb Bush", 20)];
        assert_eq!(resolved(&actors, &[]), ["Bush/person", "George Bush/person", "Jeb Bush/person"]);
    }

    #[test]
    fn a_name_the_corpus_writes_with_a_companys_suffix_is_the_company() {
        let actors = [
            person("Goldman Sachs", 68),
            // One mention in ten at least with the suffix.
            org("Goldman Sachs and Co Inc", 7),
            org("General Motors Corp", 110),
            person("Sachs", 3),
            org("Co Inc", 2),
            person("Boyd Jefferies", 29),
            person("Jefferies", 54),
            person("Ivan F. Boesky", 4),
            org("Ivan F. Boesky and Co", 1),
            person("Ivan Boesky", 18),
            org("Ivan Boesky and Co L.P", 1),
            person("Goldman Sachs International", 5),
            org("Robert Foobar Inc", 3),
            person("Robert Foobar", 2),
            person("Robert Foobar Sr", 4),
        ];
        assert_eq!(
            resolved(&actors, &[]),
            [
                "Goldman Sachs/organization",
                "Goldman Sachs/organization",
                // No "General Motors" counted: the name stays, an organization by its suffix.
                "General Motors Corp/organization",
                // A short form goes to persons only.
                "Sachs/person",
                "Co Inc/organization",
                "Boyd Jefferies/person",
                "Boyd Jefferies/person",
                // A person's full name: the firm named for him is not he (and the name with its
                // middle initial is the one without).
                "Ivan Boesky/person",
                "Ivan F. Boesky and Co/organization",
                // A firm named once beside eighteen mentions of its founder.
                "Ivan Boesky/person",
                "Ivan Boesky and Co L.P/organization",
                // A unit of a firm, but not its founder.
                "Goldman Sachs International/organization",
                "Robert Foobar/organization",
                "Robert Foobar/organization",
                "Robert Foobar Sr/person",
            ]
        );
        assert_eq!(without_company_suffix("Merrill Lynch and Co"), Some("Merrill Lynch"));
        assert_eq!(without_company_suffix("Borg-Warner Corp"), Some("Borg-Warner"));
        assert_eq!(without_company_suffix("Co"), None);
        assert_eq!(without_company_suffix("Corp Inc"), Some("Corp"));
        assert_eq!(without_company_suffix("Sergei Lavrov"), None);
    }

    #[test]
    fn a_lone_word_taken_for_an_organization_is_the_surname_of_the_person_it_ends() {
        let place = |name, mentions| Counted { name, kind: Kind::Place, mentions, dictionary: true };
        let actors = [
            person("John Poindexter", 36),
            org("Poindexter", 7),
            // Written more often than the person: a firm of that name.
            person("Henry Ford", 3),
            org("Ford", 200),
            // An ordinary word the corpus writes in lower case too.
            person("Nippon Life", 27),
            org("Life", 5),
            // The dictionary's.
            person("Paris Hilton", 20),
            place("Paris", 9),
            // A company's.
            person("Boyd Jefferies", 40),
            org("Jefferies", 10),
            org("Jefferies and Co", 5),
        ];
        assert_eq!(
            resolved(&actors, &["Life"]),
            [
                "John Poindexter/person",
                "John Poindexter/person",
                "Henry Ford/person",
                "Ford/organization",
                "Nippon Life/person",
                "Life/organization",
                "Paris Hilton/person",
                "Paris/place",
                "Boyd Jefferies/person",
                "Jefferies/organization",
                "Jefferies/organization",
            ]
        );
    }

    #[test]
    fn a_lone_word_the_corpus_names_a_party_by_is_the_party() {
        let actors = [org("Democratic", 57), org("Democratic Party", 44), org("Republican", 33)];
        assert_eq!(
            resolved(&actors, &[]),
            ["Democratic Party/organization", "Democratic Party/organization", "Republican/organization"]
        );
        // Not a word the corpus writes as an ordinary one.
        assert_eq!(
            resolved(&actors, &["Democratic"]),
            ["Democratic/organization", "Democratic Party/organization", "Republican/organization"]
        );
        // Nor the surname of persons of the corpus, none of whom it stands for.
        let actors = [org("Green", 4), org("Green Party", 9), person("Michael Green", 3), person("Philip Green", 3)];
        assert_eq!(
            resolved(&actors, &[]),
            ["Green/organization", "Green Party/organization", "Michael Green/person", "Philip Green/person"]
        );
        // A word for its members.
        let members = [
            org("Democrat", 5),
            org("Democrats", 17),
            org("Democratic Party", 44),
            org("Greens", 3),
            org("Green Party", 9),
        ];
        assert_eq!(
            resolved(&members, &[]),
            [
                "Democratic Party/organization",
                "Democratic Party/organization",
                "Democratic Party/organization",
                "Green Party/organization",
                "Green Party/organization"
            ]
        );
        // A party's word before a person's given name is a label, as a title is; not before a
        // name no given name leads.
        let labelled = [
            org("Democrat", 2),
            org("Democratic Party", 40),
            person("Democrat Richard Gephardt", 1),
            person("Richard Gephardt", 26),
            person("Democrat Quux Zorb", 1),
        ];
        assert_eq!(
            resolved(&labelled, &[]),
            [
                "Democratic Party/organization",
                "Democratic Party/organization",
                "Richard Gephardt/person",
                "Richard Gephardt/person",
                "Democrat Quux Zorb/person"
            ]
        );
        // However often the word for its members opens a sentence, where it counts as an ordinary word.
        let members = [org("Republicans", 11), org("Republican Party", 53)];
        assert_eq!(
            resolved(&members, &["Republicans"]),
            ["Republican Party/organization", "Republican Party/organization"]
        );
    }

    #[test]
    fn a_lone_head_is_the_body_named_with_of_that_the_corpus_names_most() {
        let actors =
            [org("House", 24), org("House of Representatives", 42), org("House of Commons", 8), org("White House", 31)];
        assert_eq!(
            resolved(&actors, &["House"]),
            [
                "House of Representatives/organization",
                "House of Representatives/organization",
                "House of Commons/organization",
                "White House/organization"
            ]
        );
        // Not where two are named alike, nor where the word alone is written more often.
        let actors = [org("Bank", 5), org("Bank of England", 237), org("Bank of Japan", 236)];
        assert_eq!(
            resolved(&actors, &[]),
            ["Bank/organization", "Bank of England/organization", "Bank of Japan/organization"]
        );
        let actors = [org("Congress", 50), org("Congress of the Philippines", 4)];
        assert_eq!(resolved(&actors, &[]), ["Congress/organization", "Congress of the Philippines/organization"]);
    }

    #[test]
    fn titles_qualifiers_and_middle_initials_leave_the_name() {
        let actors = [
            person("Investor Martin T. Sosnoff", 17),
            person("Martin Sosnoff", 35),
            person("Martin T. Sosnoff", 38),
            person("Kamala Harris of California", 2),
            person("Senators Kamala Harris", 2),
            person("Kamala Harris", 14),
            person("Gloria La Riva", 3),
            person("La Riva", 23),
        ];
        assert_eq!(
            resolved(&actors, &["Investor"]),
            [
                "Martin T. Sosnoff/person",
                "Martin T. Sosnoff/person",
                "Martin T. Sosnoff/person",
                "Kamala Harris/person",
                "Kamala Harris/person",
                "Kamala Harris/person",
                // A longer name a given name leads is the full name, written less often or not.
                "Gloria La Riva/person",
                "Gloria La Riva/person",
            ]
        );
        // Written more often than its only longer name, a name of two words is the name, the longer
        // one a variant, when no given name leads it; a surname's particle is no title, however
        // often the corpus writes it in lower case.
        let actors = [person("Senator Kamala Harris", 2), person("Kamala Harris", 14)];
        assert_eq!(resolved(&actors, &[]), ["Kamala Harris/person", "Kamala Harris/person"]);
        let actors = [person("Rocky De La Fuente", 6), person("De La Fuente", 17)];
        assert_eq!(resolved(&actors, &["De"]), ["De La Fuente/person", "De La Fuente/person"]);
        // A full name already: the longer one, whatever leads it, is a variant.
        let actors = [person("Mercedes Lewis Hamilton", 2), person("Lewis Hamilton", 5)];
        assert_eq!(resolved(&actors, &[]), ["Lewis Hamilton/person", "Lewis Hamilton/person"]);
        // Two different middle initials: the name without one is no one's.
        let actors = [person("George H. Bush", 5), person("George W. Bush", 5), person("George Bush", 5)];
        assert_eq!(resolved(&actors, &[]), ["George H. Bush/person", "George W. Bush/person", "George Bush/person"]);
        // A nickname and its given name, the rest alike, are one person, the form written most; not
        // where a third given name of that surname is either's nickname.
        let nicknamed = [person("Jim Wright", 71), person("James Wright", 17), person("Betty Wright", 9)];
        assert_eq!(resolved(&nicknamed, &[]), ["Jim Wright/person", "Jim Wright/person", "Betty Wright/person"]);
        let ambiguous = [person("Pat Carney", 21), person("Patricia Carney", 5), person("Patrick Carney", 5)];
        assert_eq!(resolved(&ambiguous, &[]), ["Pat Carney/person", "Patricia Carney/person", "Patrick Carney/person"]);
        // A particle's case does not make another person, nor keep a surname from its full name.
        let periods =
            [person("Fernand St Germain", 7), person("Fernand St. Germain", 5), person("Fernand J. St. Germain", 2)];
        assert_eq!(
            resolved(&periods, &[]),
            ["Fernand St Germain/person", "Fernand St Germain/person", "Fernand St Germain/person"]
        );
        let particles = [person("Ronnie de Mel", 8), person("Ronnie De Mel", 2), person("De Mel", 8)];
        assert_eq!(resolved(&particles, &[]), ["Ronnie de Mel/person", "Ronnie de Mel/person", "Ronnie de Mel/person"]);
    }

    #[test]
    fn case_forms_of_a_name_in_armenian_or_russian_are_one() {
        let actors = [
            person("Էդուարդ Աղաջանյանի", 2),
            person("Էդուարդ Աղաջանյանին", 3),
            person("Ֆուադ Լարուիի", 4),
            person("Ֆուադ Լարուին", 4),
            person("Дункан Смит", 2),
            person("Дункана Смита", 1),
            // Other given names: other persons, whatever their surnames share.
            person("Анна Иванова", 2),
            person("Сергей Иванов", 3),
            // Latin letters keep their endings.
            person("Mark Smith", 2),
            person("Marka Smitha", 1),
        ];
        assert_eq!(
            resolved(&actors, &[]),
            [
                "Էդուարդ Աղաջանյանին/person",
                "Էդուարդ Աղաջանյանին/person",
                // Tied: the longer, then the first in byte order.
                "Ֆուադ Լարուիի/person",
                "Ֆուադ Լարուիի/person",
                "Дункан Смит/person",
                "Дункан Смит/person",
                "Анна Иванова/person",
                "Сергей Иванов/person",
                "Mark Smith/person",
                "Marka Smitha/person",
            ]
        );
    }

    #[test]
    fn an_actor_has_one_kind_voted_by_all_its_mentions() {
        let actors =
            [person("Reagan", 837), org("Reagan", 167), person("Ronald Reagan", 52), person("Nancy Reagan", 4)];
        assert_eq!(
            resolved(&actors, &[]),
            ["Ronald Reagan/person", "Ronald Reagan/person", "Ronald Reagan/person", "Nancy Reagan/person"]
        );
        // Mostly an organization: no person's short form.
        let actors = [org("Harris", 18), person("Harris", 2), person("Richard Harris", 3)];
        assert_eq!(resolved(&actors, &[]), ["Harris/organization", "Harris/organization", "Richard Harris/person"]);
        // The dictionary's kind wins the vote of persons.
        let place = Counted { name: "Georgia", kind: Kind::Place, mentions: 1, dictionary: true };
        assert_eq!(resolved(&[person("Georgia", 9), place], &[]), ["Georgia/place", "Georgia/place"]);
        // A place the text names mostly as an organization is one (a county's cricket club).
        let place = Counted { name: "Surrey", kind: Kind::Place, mentions: 2, dictionary: true };
        assert_eq!(resolved(&[org("Surrey", 9), place], &[]), ["Surrey/organization", "Surrey/organization"]);
        let place = Counted { name: "Surrey", kind: Kind::Place, mentions: 9, dictionary: true };
        assert_eq!(resolved(&[org("Surrey", 2), place], &[]), ["Surrey/place", "Surrey/place"]);
    }

    #[test]
    fn a_club_named_for_a_place_of_the_dictionary_is_an_actor_beside_it() {
        let place = |mentions| Counted { name: "Cleveland", kind: Kind::Place, mentions, dictionary: true };
        let club = |mentions| Counted { name: "Cleveland", kind: Kind::Organization, mentions, dictionary: true };
        let named = |mentions| Counted { name: "Cleveland", kind: Kind::Organization, mentions, dictionary: false };
        // However many mentions each has, the club and the place stay apart.
        for (p, c) in [(9, 2), (2, 9)] {
            assert_eq!(resolved(&[place(p), club(c)], &[]), ["Cleveland/place", "Cleveland/organization"]);
        }
        // Other mentions as an organization still join the place when fewer than its own.
        assert_eq!(
            resolved(&[place(9), club(20), named(3)], &[]),
            ["Cleveland/place", "Cleveland/organization", "Cleveland/place"]
        );
        assert_eq!(
            resolved(&[place(2), club(20), named(3)], &[]),
            ["Cleveland/organization", "Cleveland/organization", "Cleveland/organization"]
        );
        // An organization of the dictionary alone is one.
        assert_eq!(resolved(&[club(2)], &[]), ["Cleveland/organization"]);
    }

    proptest::proptest! {
        #[test]
        fn the_order_of_the_actors_changes_nothing(
            names in proptest::collection::btree_map("(A|B|C)( (A|B|T\\.|of|X)){0,3}", (0u8..3, 1u64..50, proptest::bool::ANY), 0..12),
            rotate in 0usize..12,
        ) {
            let actors: Vec<Counted<'_>> =
                names.iter().map(|(n, &(k, m, d))| Counted { name: n, kind: KINDS[k as usize], mentions: m, dictionary: d }).collect();
            let common = |w: &str| w == "X";
            let mut turned = actors.clone();
            turned.rotate_left(rotate.min(actors.len()));
            let once = resolve(&actors, common);
            let again = resolve(&turned, common);
            for (i, a) in actors.iter().enumerate() {
                let j = turned.iter().position(|t| t == a).unwrap();
                proptest::prop_assert_eq!(&once[i], &again[j]);
            }
        }
    }
}
