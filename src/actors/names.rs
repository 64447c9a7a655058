//! Names in running text: dictionary aliases first, then runs of capitalised words the dictionary does
//! not hold, typed from cues (titles, organization and place words, prepositions) and resolved inside
//! the document (a surname alone -> the full name written elsewhere in it).
//!
//! A run is a stretch of capitalised words joined by spaces, hyphens or an initial's period, with
//! connectors ("of", "for", "de", "van"…) allowed between them ("Bank of England"). Function words,
//! days and months split a run and never become actors; a single capitalised word that opens a
//! sentence is taken only when the dictionary or the document's own full names vouch for it.

use std::cell::Cell;
use std::sync::{Arc, LazyLock};

use super::dictionary::{ActorDictionary, DictionaryMatch};
use super::fold_space;
use super::teams;
use super::{Form, Kind, Mention, Origin};
use crate::corpus::Date;
use crate::hashing::FastMap;
use crate::tokenize::{ends_sentence, is_hard_wrapped, is_soft_wrap, strip_possessive, Stopwords, Token};

/// Capitalised words that are not names: function words that open sentences, days and months, and
/// the abbreviations of a wire's tables and headlines ("N.Z. Dlrs", "Prev Wk", "Mln Stg").
const NOT_NAMES: &[&str] = &[
    "A",
    "About",
    "According",
    "After",
    "Against",
    "Ahead",
    "All",
    "Also",
    "Although",
    "Among",
    "An",
    "And",
    "Another",
    "Any",
    "Are",
    "As",
    "At",
    "Because",
    "Before",
    "Between",
    "Both",
    "But",
    "By",
    "Could",
    "Despite",
    "Did",
    "Do",
    "Does",
    "During",
    "Each",
    "Earlier",
    "Either",
    "Even",
    "Every",
    "For",
    "From",
    "Further",
    "Had",
    "Has",
    "Have",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Instead",
    "Into",
    "Is",
    "It",
    "Its",
    "Last",
    "Later",
    "Like",
    "Many",
    "Meanwhile",
    "Might",
    "More",
    "Most",
    "Must",
    "My",
    "Neither",
    "Next",
    "No",
    "Nor",
    "Not",
    "Now",
    "Of",
    "On",
    "Once",
    "One",
    "Only",
    "Or",
    "Other",
    "Our",
    "Over",
    "She",
    "Should",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Through",
    "Thus",
    "To",
    "Today",
    "Tomorrow",
    "Under",
    "Unlike",
    "Until",
    "Upon",
    "Was",
    "We",
    "Were",
    "What",
    "When",
    "Where",
    "Whether",
    "Which",
    "While",
    "Who",
    "Whose",
    "Why",
    "With",
    "Within",
    "Without",
    "Would",
    "Yesterday",
    "Yet",
    "You",
    "Your",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Mon",
    "Tue",
    "Tues",
    "Wed",
    "Thu",
    "Thur",
    "Thurs",
    "Fri",
    "Sat",
    "Sun",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "I'm",
    "I've",
    "I'll",
    "I'd",
    "I\u{2019}m",
    "I\u{2019}ve",
    "I\u{2019}ll",
    "I\u{2019}d",
    "Well",
    "Yeah",
    "Yes",
    "Oh",
    "Okay",
    "Hello",
    "Thanks",
    "Please",
    // A wire's abbreviations.
    "Bln",
    "Cts",
    "Dlr",
    "Dlrs",
    "Mln",
    "Pct",
    "Prev",
    "Stg",
    "Wk",
];

/// Words that, leading a name, say a person follows ("Prime Minister Nikol Pashinyan").
const PERSON_TITLES: &[&str] = &[
    "President",
    "Premier",
    "Minister",
    "Chancellor",
    "Secretary",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Prof",
    "Professor",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "Sheikh",
    "Senator",
    "Sen",
    "Rep",
    "Representative",
    "Congressman",
    "Congresswoman",
    "Governor",
    "Gov",
    "Mayor",
    "Judge",
    "Justice",
    "General",
    "Gen",
    "Colonel",
    "Col",
    "Lieutenant",
    "Lt",
    "Captain",
    "Capt",
    "Admiral",
    "Commander",
    "Ambassador",
    "Envoy",
    "Chairman",
    "Chairwoman",
    "Director",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Patriarch",
    "Archbishop",
    "Bishop",
    "Cardinal",
    "Rev",
    "Reverend",
    "Emperor",
    "Ayatollah",
    "Coach",
    "Officer",
    "Sergeant",
    "Sgt",
    "Marshal",
    "Chief",
    "Speaker",
    "Leader",
];

/// Words that may stand before a person title as part of it ("Prime", "Foreign", "Deputy").
const TITLE_MODIFIERS: &[&str] = &[
    "Prime",
    "Foreign",
    "Affairs",
    "Defence",
    "Defense",
    "Interior",
    "Finance",
    "Deputy",
    "Vice",
    "Acting",
    "Former",
    "First",
    "Executive",
    "Supreme",
    "Grand",
    "Attorney",
    "Economy",
    "Trade",
    "Energy",
    "Health",
    "Justice",
    "Secretary",
    "General",
    "Chief",
    "Majority",
    "Minority",
];

/// Words that make a name an organization ("Security Council", "Bank of England").
const ORGANIZATION_WORDS: &[&str] = &[
    "Academy",
    "Administration",
    "Agency",
    "Airlines",
    "Airways",
    "Alliance",
    "Army",
    "Assembly",
    "Association",
    "Authority",
    "Bank",
    "Battalion",
    "Board",
    "Brigade",
    "Bureau",
    "Cabinet",
    "Center",
    "Centre",
    "Chamber",
    "Church",
    "Club",
    "Coalition",
    "College",
    "Commission",
    "Committee",
    "Company",
    "Congress",
    "Co",
    "Corp",
    "Corporation",
    "Council",
    "Court",
    "Department",
    "Directorate",
    "Exchange",
    "Federation",
    "Force",
    "Forces",
    "Foundation",
    "Front",
    "Fund",
    "Government",
    "Group",
    "Guard",
    "Holdings",
    "Hospital",
    "Inc",
    "Industries",
    "Institute",
    "Institution",
    "League",
    "Ltd",
    "Ministry",
    "Motors",
    "Movement",
    "Navy",
    "Network",
    "News",
    "Office",
    "Organisation",
    "Organization",
    "Parliament",
    "Partners",
    "Party",
    "Police",
    "Post",
    "Press",
    "Radio",
    "Regiment",
    "School",
    "Secretariat",
    "Senate",
    "Service",
    "Services",
    "Society",
    "Systems",
    "Technologies",
    "Television",
    "Times",
    "Tribunal",
    "Trust",
    "Union",
    "United",
    "University",
    "Plc",
    "PLC",
    "LLC",
    "AG",
    "GmbH",
    "SA",
    "Rangers",
    "Rovers",
    "Athletic",
    "Wanderers",
    "Albion",
    "FC",
    "Thistle",
    "Olympic",
    "Olympique",
    "Sporting",
];

/// Words that end the name of a law or a treaty, which is no actor ("International Coffee
/// Agreement", "Louvre Accord", "Clean Air Act").
const LAW_WORDS: &[&str] =
    &["Act", "Accord", "Accords", "Agreement", "Agreements", "Amendment", "Amendments", "Protocol", "Treaty"];

/// Words that end the name of a public programme, which is no actor, as a law's ("Export Enhancement
/// Program"); a body named so is the dictionary's ("World Food Programme").
const PROGRAMME_WORDS: &[&str] = &["Program", "Programme", "Programmes", "Programs"];

/// Words that end the name of a market's index, which is no actor, as a law's ("Dow Jones Industrial
/// Average", "Baltic Freight Index", "Nikkei Stock Average"): in CoNLL-2003 train every name ending in
/// "Index" is a MISC.
const INDEX_WORDS: &[&str] = &["Average", "Averages", "Index", "Indexes", "Indices"];

/// Words that end the name of a contest, which is no actor, as a law's ("World Cup", "Hong Kong Open",
/// "French Grand Prix", "World Series"), and name none alone ("the Open"): in CoNLL-2003 train every
/// name of two words or more ending in one is an event's (MISC), none an organization's.
const CONTEST_WORDS: &[&str] = &[
    "Championship",
    "Championships",
    "Classic",
    "Cup",
    "Masters",
    "Olympics",
    "Open",
    "Prix",
    "Rally",
    "Series",
    "Tour",
    "Trophy",
];

/// Words that open the name of a storm, no actor ("Hurricane Dorian", "Tropical Storm Humberto").
const STORM_WORDS: &[&str] = &["Cyclone", "Hurricane", "Storm", "Tropical", "Typhoon"];

/// Words that, before a number, name a grade on a scale ("Category 5", "Level 3", "Phase 2").
const SCALE_WORDS: &[&str] = &["Category", "Class", "Grade", "Level", "Phase", "Stage", "Tier", "Type"];

/// Ordinal words and colours: hardly anyone's name begins with one, many a firm's or a thing's does
/// ("First Interstate", "Fifth Third", "Red Hat", "Blue Cross"). Not "Gray", a given name too
/// ("Gray Davis"); a nickname is lost ("Red Cavaney").
const ORDINALS_AND_COLOURS: &[&str] = &[
    "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Red", "Blue",
    "Black", "White", "Green", "Yellow", "Golden", "Silver", "Orange", "Purple", "Pink", "Brown",
];

/// Words that make a name a place ("Sverdlovsk Oblast", "Red Sea").
const PLACE_WORDS: &[&str] = &[
    "Bay",
    "City",
    "Coast",
    "County",
    "District",
    "Gulf",
    "Island",
    "Islands",
    "Lake",
    "Mountains",
    "Ocean",
    "Oblast",
    "Peninsula",
    "Province",
    "Region",
    "River",
    "Sea",
    "Strait",
    "Street",
    "Valley",
    "Village",
    "Krai",
    "Prefecture",
    "Airport",
    "Square",
    "Avenue",
    "Channel",
];

/// Words that are part of names but name no one alone: company suffixes, compass points, and a
/// government, which its country names ("the U.S. Government": in CoNLL-2003 a lone "Government" is
/// never an organization).
const NOT_ALONE: &[&str] = &[
    "Co",
    "Corp",
    "Inc",
    "Ltd",
    "Plc",
    "PLC",
    "LLC",
    "AG",
    "GmbH",
    "SA",
    "NV",
    "Cos",
    "Bhd",
    "West",
    "East",
    "North",
    "South",
    "Western",
    "Eastern",
    "Northern",
    "Southern",
    "Central",
    "Government",
];

/// Faiths, their followers, peoples and languages: capitalised, yet no actor, alone or together
/// ("Muslims", "Hindi", "the Atheist Muslim"), and a name holding one is no person ("Islamic State",
/// "Muslim Brotherhood") unless it opens with a given name ("Christian Keysers").
const FAITHS_AND_LANGUAGES: &[&str] = &[
    "Allah",
    "Arab",
    "Arabic",
    "Arabs",
    "Atheist",
    "Atheists",
    "Bengali",
    "Buddhism",
    "Buddhist",
    "Buddhists",
    "Cantonese",
    "Catholic",
    "Catholicism",
    "Catholics",
    "Christian",
    "Christianity",
    "Christians",
    "Evangelical",
    "Evangelicals",
    "Hebrew",
    "Hindi",
    "Hindu",
    "Hinduism",
    "Hindus",
    "Indigenous",
    "Islam",
    "Islamic",
    "Islamist",
    "Islamists",
    "Jew",
    "Jewish",
    "Jews",
    "Judaism",
    "Latino",
    "Latinos",
    "Mandarin",
    "Mormon",
    "Mormons",
    "Moslem",
    "Moslems",
    "Muslim",
    "Muslims",
    "Native",
    "Orthodox",
    "Protestant",
    "Protestants",
    "Punjabi",
    "Sanskrit",
    "Shia",
    "Shiite",
    "Shiites",
    "Sikh",
    "Sikhs",
    "Sunni",
    "Sunnis",
    "Swahili",
    "Urdu",
    "Yiddish",
];

/// A wire's abbreviations of currencies.
const CURRENCY_ABBREVIATIONS: &[&str] = &["Dlr", "Dlrs", "DLR", "DLRS", "Stg", "STG"];

/// Capital-letter abbreviations that name no actor ("HR" is a bill's, "HR 68", or human resources).
const NOT_ACTOR_ACRONYMS: &[&str] = &[
    "AIDS", "AM", "CEO", "CET", "CFO", "COVID", "DNA", "EDT", "EST", "GDP", "GMT", "HIV", "HR", "ID", "OK", "PM",
    "PDT", "PST", "RNA", "TV", "USD", "UTC", "VAT",
];

/// Lower-case words that may join the parts of one name.
const CONNECTORS: &[&str] = &[
    "of", "for", "de", "del", "della", "di", "da", "do", "dos", "du", "des", "van", "von", "der", "den", "la", "le",
    "bin", "ibn", "al", "el", "the",
];

/// English function words (the stopwords of `--stopwords en`): after a name, they say it stands
/// for itself, not for a noun it modifies.
static ENGLISH: LazyLock<Stopwords> = LazyLock::new(Stopwords::default);

/// Lower-case words after which a lone capitalised word is a place ("in Yerevan").
const PLACE_PREPOSITIONS: &[&str] = &["in", "at", "near", "outside", "across", "via"];

/// Abbreviations whose period does not end a sentence or break a name.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Capt", "Prof", "Jr", "Sr", "Sgt", "Rev",
    "Mt", "Ft", "No", "Co", "Corp", "Inc", "Ltd",
];

/// The lists above, as one table from word to the lists it is on: one hash lookup per question, and
/// none for nearly every word that is on no list, told by its first byte and length.
struct WordClasses {
    classes: FastMap<&'static str, u16>,
    /// By first byte, a bit for each length (below 64) of the words on the lists.
    lengths: [u64; 256],
}

impl WordClasses {
    /// The classes of `word`, 0 when it is on no list.
    fn of(&self, word: &str) -> u16 {
        let (Some(&first), len) = (word.as_bytes().first(), word.len()) else { return 0 };
        if len >= 64 || self.lengths[usize::from(first)] & 1 << len == 0 {
            return 0;
        }
        self.classes.get(word).copied().unwrap_or(0)
    }
}

static WORD_CLASSES: LazyLock<WordClasses> = LazyLock::new(|| {
    let mut table = WordClasses { classes: FastMap::default(), lengths: [0; 256] };
    // Given names: leading a name they say a person, and alone they name one. Those written for
    // tally, and those of the SSA's data (scripts/build_given_names.py).
    let given_names: Vec<&'static str> =
        [include_str!("data/given_names.txt"), include_str!("data/given_names_ssa.txt")]
            .into_iter()
            .flat_map(str::lines)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
    let lists: [(&[&'static str], u16); 16] = [
        (NOT_NAMES, NOT_NAME),
        (PERSON_TITLES, PERSON_TITLE),
        (TITLE_MODIFIERS, TITLE_MODIFIER),
        (ORGANIZATION_WORDS, ORGANIZATION_WORD),
        (PLACE_WORDS, PLACE_WORD),
        (CONNECTORS, CONNECTOR),
        (PLACE_PREPOSITIONS, PLACE_PREPOSITION),
        (ABBREVIATIONS, ABBREVIATION),
        (NOT_ACTOR_ACRONYMS, NOT_ACTOR_ACRONYM),
        (NOT_ALONE, NOT_ACTOR_ACRONYM),
        (FAITHS_AND_LANGUAGES, FAITH_OR_LANGUAGE),
        (&given_names, GIVEN_NAME),
        (LAW_WORDS, LAW_WORD),
        (CONTEST_WORDS, CONTEST_WORD),
        (INDEX_WORDS, LAW_WORD),
        (PROGRAMME_WORDS, LAW_WORD),
    ];
    for (list, class) in lists {
        for &word in list {
            assert!(!word.is_empty() && word.len() < 64, "{word:?} is too long for WordClasses::lengths");
            *table.classes.entry(word).or_insert(0) |= class;
            table.lengths[usize::from(word.as_bytes()[0])] |= 1 << word.len();
        }
    }
    table
});

const NOT_NAME: u16 = 1;
const PERSON_TITLE: u16 = 1 << 1;
const TITLE_MODIFIER: u16 = 1 << 2;
const ORGANIZATION_WORD: u16 = 1 << 3;
const PLACE_WORD: u16 = 1 << 4;
const CONNECTOR: u16 = 1 << 5;
const PLACE_PREPOSITION: u16 = 1 << 6;
const ABBREVIATION: u16 = 1 << 7;
const NOT_ACTOR_ACRONYM: u16 = 1 << 8;
const GIVEN_NAME: u16 = 1 << 9;
const FAITH_OR_LANGUAGE: u16 = 1 << 10;
const LAW_WORD: u16 = 1 << 11;
const CONTEST_WORD: u16 = 1 << 12;

/// Whether `acronym`'s letters are the initials of `words` ("Eurasian Economic Union", "EAEU"): of
/// the capitalised words, or of all of them ("Bank of England", "BOE").
fn initials_match(words: &[&str], acronym: &str) -> bool {
    let letters = || acronym.chars().filter(|c| c.is_alphabetic());
    let initials = |all: bool| {
        words
            .iter()
            .filter(move |w| all || is_capitalised(w))
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
    };
    letters().eq(initials(false)) || letters().eq(initials(true))
}

/// Whether `word` is on any of the lists `classes` names.
fn is_in(classes: u16, word: &str) -> bool {
    WORD_CLASSES.of(word) & classes != 0
}

/// Whether `word` is on the list of given names.
pub(crate) fn is_given_name(word: &str) -> bool {
    is_in(GIVEN_NAME, word)
}

/// The words that end a company's name ("Co", "Inc", "Ltd"…).
const SUFFIXES: &[&str] = &[
    "Co",
    "Company",
    "Corp",
    "Corporation",
    "Inc",
    "Ltd",
    "Plc",
    "PLC",
    "LLC",
    "LP",
    "L.P",
    "L.P.",
    "AG",
    "GmbH",
    "NV",
    "SA",
];

/// Whether `word` ends a company's name ("Co", "Inc", "Ltd"…).
pub(super) fn is_company_suffix(word: &str) -> bool {
    SUFFIXES.contains(&word)
}

/// `name` without the suffix that makes it a company's ("and Co Inc", "Corp", "Ltd"…), when it has
/// one and a word is left.
pub(super) fn without_company_suffix(name: &str) -> Option<&str> {
    let mut base = name;
    while let Some((rest, last)) = base.rsplit_once(' ') {
        match is_company_suffix(last) {
            true => base = rest.strip_suffix(" and").unwrap_or(rest),
            false => break,
        }
    }
    (base.len() < name.len() && base.contains(|c: char| c.is_alphabetic())).then_some(base)
}

/// Whether a word of `name` marks an organization (Ministry, Party, Council, Bank, Inc…).
pub(super) fn has_organization_word(name: &str) -> bool {
    name.split([' ', '-']).any(|w| is_in(ORGANIZATION_WORD, w))
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether `word` is one character.
fn is_one_char(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some() && chars.next().is_none()
}

/// Whether `word` is a number below 40 in Roman numerals, of two letters or more, as they are
/// written ("XIX", "XVIII"; not "IIII" or "VX"): a century's or a monarch's number, no name alone.
/// Numerals of L, C, D and M are left to be acronyms ("DC", "MD", "CD").
fn is_roman_numeral(word: &str) -> bool {
    word.len() >= 2 && word.bytes().all(|b| matches!(b, b'I' | b'V' | b'X')) && (1..40).any(|n| to_roman(n) == word)
}

/// `n` (1 to 3999) in Roman numerals.
fn to_roman(mut n: u32) -> String {
    const DIGITS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// Every letter a capital (and at least one letter): an acronym, or headline text.
fn is_all_caps(word: &str) -> bool {
    match word.is_ascii() {
        true => word.bytes().any(|b| b.is_ascii_alphabetic()) && !word.bytes().any(|b| b.is_ascii_lowercase()),
        false => word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_lowercase),
    }
}

fn is_acronym(word: &str) -> bool {
    if word.is_ascii() {
        let letters = word.bytes().filter(u8::is_ascii_alphabetic).count();
        return (2..=6).contains(&letters) && !word.bytes().any(|b| b.is_ascii_lowercase());
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    (2..=6).contains(&letters) && word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
}

/// A word that may be someone's given or family name: a capital, then lower-case letters.
fn is_name_shaped(word: &str) -> bool {
    match word.as_bytes() {
        [first @ 0..0x80, rest @ ..] if word.is_ascii() => {
            first.is_ascii_uppercase() && rest.iter().any(u8::is_ascii_lowercase)
        }
        _ => {
            let mut chars = word.chars();
            chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
        }
    }
}

/// A word is an abbreviation or an initial ("J", "Mr", "U.S"): its period ends neither a name nor a sentence.
pub(crate) fn is_abbreviation(word: &str) -> bool {
    (is_one_char(word) && is_capitalised(word))
        || is_in(ABBREVIATION, word)
        || (word.contains('.') && word.chars().any(char::is_uppercase))
}

/// Whether `gap` is a hyphen joining two words ("Biden-Harris", "MiG-29").
fn is_hyphen(gap: &str) -> bool {
    matches!(gap, "-" | "\u{2010}" | "\u{2011}")
}

/// The text between two words of one name: spaces (no line break, unless `soft_wrap` says the gap's
/// line break is a space: [`is_soft_wrap`]), a hyphen, or an initial's period.
fn joins_name(gap: &str, before: &str, soft_wrap: bool) -> bool {
    match gap {
        " " => true,
        gap if is_hyphen(gap) => true,
        _ if gap.is_empty() => false,
        _ => {
            let rest = match gap.strip_prefix('.') {
                Some(rest) if is_abbreviation(before) => rest,
                _ => gap,
            };
            let space = |c: char| matches!(c, ' ' | '\t' | '\u{a0}') || (soft_wrap && matches!(c, '\n' | '\r'));
            !rest.is_empty() && rest.chars().all(space)
        }
    }
}

/// Whether the word after `gap` opens a sentence: the gap holds a line break, or a sentence's final
/// punctuation that does not belong to an abbreviation before it.
fn opens_sentence(gap: &str, before: &str) -> bool {
    // One pass over the bytes: this runs for nearly every word of a document.
    let (mut period, mut other, mut closing) = (false, false, false);
    for &b in gap.as_bytes() {
        match b {
            b'\n' | b'!' | b'?' | b';' | b':' => return true,
            b'.' => period = true,
            b')' | b']' => closing = true,
            b if b >= 0x80 => other = true,
            _ => {}
        }
    }
    if other && gap.contains('…') {
        return true;
    }
    // A bracket closed, then two spaces: a tag before what someone says ("((Akram Pasha))  Regarding
    // Ashodaya?"), a caption's end.
    if closing && gap.ends_with("  ") {
        return true;
    }
    period && !(gap.starts_with('.') && is_abbreviation(before))
}

/// A document's words, with the text between them, whether each is capitalised and opens a sentence
/// (found for all in one pass), and the lists each is on ([`WORD_CLASSES`], looked up once, when
/// first asked).
struct Words<'a> {
    content: &'a str,
    tokens: &'a [Token],
    /// Per word, its [`Words::CAPITALISED`], [`Words::OPENS_SENTENCE`] and [`Words::ENDS_BEFORE`] bits.
    shapes: &'a [u8],
    /// The classes of each word, or [`Words::UNKNOWN`] until asked.
    classes: &'a [Cell<u16>],
    /// The text is hard-wrapped ([`is_hard_wrapped`]): a line break inside a paragraph is a space.
    wrapped: bool,
}

impl<'a> Words<'a> {
    /// Bits no class uses.
    const UNKNOWN: u16 = u16::MAX;
    const CAPITALISED: u8 = 1;
    /// Opens a sentence as capitals go: a word after a line break, `;` or `:` may be capitalised
    /// for its place alone.
    const OPENS_SENTENCE: u8 = 2;
    /// The word is in a script without case (Chinese, Arabic): it may start a name of the dictionary.
    const UNCASED: u8 = 4;
    /// A sentence ends before it, as [`ends_sentence`] says: the sentences mentions are numbered by.
    const ENDS_BEFORE: u8 = 8;

    /// The words `tokens` of `content`, their shapes and classes kept in `shapes` and `classes`.
    fn new(content: &'a str, tokens: &'a [Token], shapes: &'a mut Vec<u8>, classes: &'a mut Vec<Cell<u16>>) -> Self {
        let bytes = content.as_bytes();
        let wrapped = is_hard_wrapped(&content[tokens.first().map_or(content.len(), |t| t.start)..]);
        shapes.clear();
        shapes.extend(tokens.iter().enumerate().map(|(i, token)| {
            let (capitalised, uncased) = match bytes[token.start] {
                b @ 0..0x80 => (b.is_ascii_uppercase(), false),
                _ => match token.text(content).chars().next() {
                    Some(c) => (c.is_uppercase(), c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase()),
                    None => (false, false),
                },
            };
            let opens = match i.checked_sub(1).map(|b| &tokens[b]) {
                None => true,
                // Most words follow one space.
                Some(before) if token.start == before.end + 1 && bytes[before.end] == b' ' => false,
                Some(before) => {
                    let gap = &content[before.end..token.start];
                    match wrapped && is_soft_wrap(gap) {
                        true => opens_sentence(gap.trim_end_matches(['\n', '\r']), before.text(content)),
                        false => opens_sentence(gap, before.text(content)),
                    }
                }
            };
            let ends_before = i.checked_sub(1).is_some_and(|b| {
                let before = &tokens[b];
                let gap = &content[before.end..token.start];
                ends_sentence(gap, before.text(content), is_abbreviation, wrapped)
            });
            (u8::from(capitalised) * Self::CAPITALISED)
                | (u8::from(opens) * Self::OPENS_SENTENCE)
                | (u8::from(uncased) * Self::UNCASED)
                | (u8::from(ends_before) * Self::ENDS_BEFORE)
        }));
        classes.clear();
        classes.resize(tokens.len(), Cell::new(Self::UNKNOWN));
        Words { content, tokens, shapes, classes, wrapped }
    }

    /// Whether words `i - 1` and `i` may be two words of one name: [`joins_name`], and in
    /// hard-wrapped text across the end of a line too ("Kiichi\nMiyazawa").
    fn join(&self, i: usize) -> bool {
        let gap = self.gap(i);
        joins_name(gap, self.word(i - 1), self.wrapped && is_soft_wrap(gap))
    }

    /// Whether word `i` is on any of the lists `classes` names.
    fn is(&self, i: usize, classes: u16) -> bool {
        let mut known = self.classes[i].get();
        if known == Self::UNKNOWN {
            known = WORD_CLASSES.of(self.word(i));
            self.classes[i].set(known);
        }
        known & classes != 0
    }

    /// Whether word `i`, a final possessive left out, is on any of the lists `classes` names.
    fn stem_is(&self, i: usize, classes: u16) -> bool {
        let word = self.word(i);
        let stem = strip_possessive(word);
        match stem.len() == word.len() {
            true => self.is(i, classes),
            false => is_in(classes, stem),
        }
    }

    /// The text between word `i - 1` and word `i`.
    fn gap(&self, i: usize) -> &'a str {
        &self.content[self.tokens[i - 1].end..self.tokens[i].start]
    }

    /// Whether word `i` opens a sentence.
    fn opens_sentence(&self, i: usize) -> bool {
        self.shapes[i] & Self::OPENS_SENTENCE != 0
    }

    /// How many sentences open at words `from..to`.
    fn sentences_opening(&self, from: usize, to: usize) -> u32 {
        self.shapes[from..to].iter().map(|&s| u32::from(s & Self::ENDS_BEFORE != 0)).sum()
    }

    /// How many words there are.
    fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Word `i`.
    fn word(&self, i: usize) -> &'a str {
        self.tokens[i].text(self.content)
    }

    /// Words `first` to `last`.
    fn span(&self, first: usize, last: usize) -> impl Iterator<Item = &'a str> + Clone + '_ {
        (first..=last).map(|i| self.word(i))
    }

    /// Whether word `i` starts with a capital letter.
    fn is_capitalised(&self, i: usize) -> bool {
        self.shapes[i] & Self::CAPITALISED != 0
    }

    /// The first capitalised or uncased word from word `i` on, or [`Words::len`].
    fn next_capitalised(&self, i: usize) -> usize {
        let starts = Self::CAPITALISED | Self::UNCASED;
        self.shapes[i..].iter().position(|&s| s & starts != 0).map_or(self.len(), |k| i + k)
    }
}

/// A word or a dictionary match, as the unit runs are built from.
#[derive(Debug, Clone, Copy)]
struct Unit {
    first: usize,
    last: usize,
    dict: Option<DictionaryMatch>,
}

/// A candidate name inside a run, before resolution.
#[derive(Debug)]
struct Piece {
    first: usize,
    last: usize,
    dict: Option<DictionaryMatch>,
    /// Led by a person title.
    titled: bool,
    /// Its first word opens a sentence.
    opens_sentence: bool,
    /// An inferred name that holds a place of the dictionary ("Manchester United", "Bayern Munich").
    holds_place: bool,
}

/// An actor as a mention names it: name, kind, origin and code.
type Named = (Arc<str>, Kind, Origin, Option<Arc<str>>);

/// Finds the mentions in `content` among `tokens` and appends them to `out`.
pub(super) fn find_mentions(
    dict: &ActorDictionary,
    content: &str,
    tokens: &[Token],
    date: Option<Date>,
    out: &mut Vec<Mention>,
) {
    SCRATCH.with_borrow_mut(|scratch| find_in(dict, content, tokens, date, scratch, out));
}

/// Buffers for one document's search, kept between documents so that finding allocates only the
/// names it reports.
#[derive(Default)]
struct Scratch {
    shapes: Vec<u8>,
    classes: Vec<Cell<u16>>,
    run: Vec<Unit>,
    segment: Vec<usize>,
    pieces: Vec<Piece>,
    kinds: Vec<Option<Kind>>,
    capital_lines: Vec<(usize, usize)>,
    lower_case_slots: Vec<Option<(u64, usize, bool)>>,
    lower_case_slot_of: Vec<u32>,
    lone: Vec<usize>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

fn find_in(
    dict: &ActorDictionary,
    content: &str,
    tokens: &[Token],
    date: Option<Date>,
    scratch: &mut Scratch,
    out: &mut Vec<Mention>,
) {
    let Scratch {
        shapes,
        classes,
        run,
        segment,
        pieces,
        kinds,
        capital_lines,
        lower_case_slots,
        lower_case_slot_of,
        lone,
    } = scratch;
    let words = Words::new(content, tokens, shapes, classes);

    // The words as units: a dictionary alias starting at a capitalised word is one unit (the longest
    // there), any other word a unit of its own. Units are made only where a name may be, as runs of
    // them are built; `ahead` keeps the one a run looked at last and did not take.
    let unit_at = |i: usize| {
        let found = if words.is_capitalised(i) { dict.longest_match(content, tokens, i) } else { None };
        Unit { first: i, last: found.map_or(i, |m| m.last), dict: found }
    };
    let mut ahead: Option<Unit> = None;
    // The words the document writes right after a given name, found when first asked.
    let surnames_written = std::cell::OnceCell::new();
    pieces.clear();
    let mut i = 0;
    loop {
        i = words.next_capitalised(i);
        if i == words.len() {
            break;
        }
        if !words.is_capitalised(i) {
            // A word of a script without case starts no run of capitalised words, only a name of the
            // dictionary ("俄罗斯", "روسيا").
            match dict.longest_match(content, tokens, i) {
                Some(m) => {
                    let opens_sentence = words.opens_sentence(i);
                    pieces.push(Piece {
                        first: i,
                        last: m.last,
                        dict: Some(m),
                        titled: false,
                        opens_sentence,
                        holds_place: false,
                    });
                    i = m.last + 1;
                }
                None => i += 1,
            }
            continue;
        }
        run.clear();
        run.push(ahead.take().filter(|u| u.first == i).unwrap_or_else(|| unit_at(i)));
        // Extend the run while the next unit joins it, directly or through up to two connectors.
        loop {
            let end = run[run.len() - 1].last;
            let last_word = words.word(end);
            if strip_possessive(last_word).len() != last_word.len() {
                break;
            }
            let mut next = end + 1;
            while next < words.len()
                && next - end <= 2
                && (words.is(next, CONNECTOR)
                    || hyphened_particle(&words, next)
                    || on_after_body(&words, end, next)
                    || ands_a_company(&words, next)
                    || (ands_an_institution(&words, run, next, &surnames_written) && unit_at(next + 1).dict.is_none()))
                && !(words.is_capitalised(next) && unit_at(next).dict.is_some())
            {
                next += 1;
            }
            if next == words.len() {
                break;
            }
            let mut unit = unit_at(next);
            // A given name right before a person's surname in the dictionary, that person's own
            // given name aside, names someone else of that name: "Melania Trump" beside the
            // dictionary's "Trump" for Donald Trump is a name of its own.
            // A given name of the lists, or a word shaped as a name on no list and no adjective of a
            // people or a party ("Republican", "Democratic"), inside a sentence.
            let given = |i: usize| {
                let word = words.word(i);
                let adjective = ["an", "ic", "ish", "ese"].iter().any(|e| word.ends_with(e));
                words.is(i, GIVEN_NAME)
                    || (is_name_shaped(word) && !adjective && !words.is(i, u16::MAX) && !words.opens_sentence(i))
            };
            let after_given = || next == end + 1 && run[run.len() - 1].dict.is_none() && given(end);
            if let Some(m) = unit.dict.filter(|m| m.first == m.last && after_given()) {
                let entry = dict.entry(m.entry);
                // The person's own given names, however spelt or shortened ("Sergei" for "Sergey",
                // "Joe" for "Joseph"), a middle name between ("Hillary Rodham Clinton"), or a
                // dictionary that names the person by the surname alone ("Putin") keep the actor.
                let names: Vec<&str> = entry.name.split(' ').collect();
                let same = |word: &str| {
                    names.iter().any(|n| {
                        *n == word
                            || super::resolve::is_nickname(n, word)
                            || (n.len() >= 4 && word.len() >= 4 && n.get(..4) == word.get(..4))
                    })
                };
                let own = names.len() < 2
                    || same(words.word(end))
                    || (end > 0 && words.join(end) && same(words.word(end - 1)));
                if entry.kind == Kind::Person && !own {
                    unit.dict = None;
                }
            }
            let joined = (unit.dict.is_some()
                || (words.is_capitalised(next)
                    && (!words.stem_is(next, NOT_NAME) || surname_after_given(&words, next)))
                || is_hyphened_place(&words, end, next))
                && (end + 1..=next).all(|k| words.join(k))
                && (next == end + 1 || words.word(end + 1) != "the");
            if !joined {
                ahead = Some(unit);
                break;
            }
            run.extend((end + 1..next).map(|k| Unit { first: k, last: k, dict: None }));
            run.push(unit);
        }
        split_run(run, &words, segment, pieces);
        i = run[run.len() - 1].last + 1;
    }

    // A name that begins a longer one that is no actor is part of that one: the "Swiss" of "Swiss
    // francs" is a currency's, not Switzerland's.
    pieces.retain(|p| !dict.begins_no_actor(content, tokens, p.first, p.last));
    // So does one before a wire's abbreviation of a currency ("N.Z. Dlrs", "Aust Dlr", "Mln Stg").
    let before_currency = |p: &Piece| {
        p.last + 1 < words.len()
            && matches!(words.gap(p.last + 1), " " | ". ")
            && CURRENCY_ABBREVIATIONS.contains(&words.word(p.last + 1))
    };
    pieces.retain(|p| !before_currency(p));

    // The words that may turn out ordinary: those opening a sentence and a name, lone words (but not
    // those opening a sentence, which are no actors alone whatever else the document writes), the
    // words of a name no given name leads, and lone words opening a sentence before a name of the
    // dictionary, which may join it.
    let candidates =
        pieces.iter().enumerate().filter(|(_, p)| p.dict.is_none()).filter_map(|(i, p)| match p.opens_sentence {
            true if p.first < p.last => Some(p.first..=p.last),
            false if p.first == p.last && !p.titled => Some(p.first..=p.first),
            // A name of a few words that no given name leads and no word makes an organization's or
            // a place's, which may be a person's by its shape alone: its words may all be ordinary.
            false
                if p.first < p.last
                    && p.last - p.first < 4
                    && !p.titled
                    && !words.is(p.first, GIVEN_NAME)
                    && !words.stem_is(p.last, PLACE_WORD)
                    && !(p.first..=p.last).any(|i| words.stem_is(i, ORGANIZATION_WORD)) =>
            {
                Some(p.first..=p.last)
            }
            true if pieces.get(i + 1).is_some_and(|q| is_dict_place(q, dict) && q.first == p.last + 1) => {
                Some(p.first..=p.first)
            }
            _ => None,
        });
    let lower_case = LowerCaseUse::new(&words, candidates.flatten(), lower_case_slots, lower_case_slot_of);
    drop_common_openers(pieces, &words, &lower_case);
    join_places_to_names(pieces, dict, &words, &lower_case);
    // A lone name right after a role in lower case ("governor Rosselló", "striker Ronaldo") is a
    // person's, as after a title.
    for p in pieces.iter_mut().filter(|p| p.first == p.last && p.first > 0 && p.dict.is_none() && !p.opens_sentence) {
        if words.gap(p.first) == " " && is_role(words.word(p.first - 1)) {
            p.titled = true;
        }
    }

    let capitals = CapitalLines::of(content, tokens.first().map_or(content.len(), |t| t.start), capital_lines);
    // The kinds of the inferred names of several words, and of titled ones, judged once: the surnames
    // below need them.
    // A name that is no actor: of the dictionary's ("Red Hat Enterprise Linux"), software's by its
    // last word ("Rocky Linux"), a law's or a treaty's.
    let names_no_actor = |p: &Piece| {
        dict.names_no_actor(content, tokens, p.first, p.last)
            || (p.last > p.first && dict.names_software(content, tokens, p.last))
            || names_law(p, &words)
    };
    kinds.clear();
    kinds.extend(pieces.iter().map(|p| {
        match p.dict.is_none() && (p.last > p.first || p.titled) {
            // Currencies, ratings, indicators, laws, planets and software are no actors ("Red Hat
            // Enterprise Linux"), nor full names that a lone word could stand for.
            true => classify(p, &words, tokens, &capitals, &lower_case).filter(|_| !names_no_actor(p)),
            false => None,
        }
    }));
    // What the words around an inferred name say it names, anywhere the document writes it: a thing
    // is no actor ("Minecraft is a multi-player game"), a body an organization.
    // A storm is a thing, and so is its name alone ("Tropical Storm Humberto", then "Humberto").
    let storms = pieces.iter().filter(|p| p.dict.is_none()).filter_map(|p| {
        let name = (p.first..=p.last).find(|&i| !STORM_WORDS.contains(&words.word(i)))?;
        (name > p.first).then_some([(p.first, p.last, Cue::Thing), (name, p.last, Cue::Thing)])
    });
    modifiers(pieces, &words, lone);
    let cued: Vec<(usize, usize, Cue)> = pieces
        .iter()
        .filter(|p| p.dict.is_none() && !p.titled)
        .filter_map(|p| cue(p, &words).map(|c| (p.first, p.last, c)))
        .chain(storms.flatten())
        .chain(lone.iter().map(|&at| (pieces[at].first, pieces[at].last, Cue::Thing)))
        // A given name leads a person's name, whatever the words around it ("In the game Michael
        // Jordan scored"); an organization's word or a company's suffix makes a body's ("a drug
        // Upjohn Co has sold", "Hurricane Energy plc").
        .filter(|&(first, last, c)| {
            !words.is(first, GIVEN_NAME)
                && (c == Cue::Body
                    || !(first..=last).any(|i| words.stem_is(i, ORGANIZATION_WORD) || is_company_suffix(words.word(i))))
        })
        .collect();
    // Each piece's cue, by piece (empty when the document has none): an inferred name's words as a
    // cued name's.
    let cue_of = |p: &Piece| -> Option<Cue> {
        let same = |&&(first, last, _): &&(usize, usize, Cue)| {
            last - first == p.last - p.first
                && (0..=last - first)
                    .all(|k| strip_possessive(words.word(first + k)) == strip_possessive(words.word(p.first + k)))
        };
        cued.iter().find(same).map(|c| c.2).filter(|_| p.dict.is_none())
    };
    let cues: Vec<Option<Cue>> = match cued.is_empty() {
        true => Vec::new(),
        false => pieces.iter().map(cue_of).collect(),
    };
    // The kinds as the cues say, before surnames, short forms and acronyms are made of them: "Citizen
    // Kane", a film, gives "Kane" no person.
    for ((p, kind), cue) in pieces.iter().zip(kinds.iter_mut()).zip(&cues) {
        match cue {
            Some(Cue::Thing) => *kind = None,
            Some(Cue::Body) if !p.titled && kind.is_some() => *kind = Some(Kind::Organization),
            _ => {}
        }
    }
    // An acronym the text defines, "Eurasian Economic Union (EAEU)", names the actor its expansion
    // names, there and wherever else the document writes it alone.
    let mut acronyms: FastMap<&str, Named> = FastMap::default();
    // Acronyms of names that are no actor ("Red Hat Enterprise Linux (RHEL)"): no actor either.
    let mut not_actor_acronyms: Vec<&str> = Vec::new();
    for (i, q) in pieces.iter().enumerate().skip(1) {
        let p = &pieces[i - 1];
        let acronym = words.word(q.first);
        let defined = q.first == q.last
            && q.dict.is_none()
            && q.first == p.last + 1
            && p.last > p.first
            && is_acronym(acronym)
            && content[tokens[p.last].end..tokens[q.first].start].trim() == "("
            && content[tokens[q.first].end..].starts_with(')')
            && initials_match(&words.span(p.first, p.last).collect::<Vec<_>>(), acronym);
        if !defined {
            continue;
        }
        // Of a name that is no actor, by a list or by the rules ("End of Life (EOL)"; not a line in
        // capitals, where no name is inferred): no actor either.
        if p.dict.is_none() && (names_no_actor(p) || (kinds[i - 1].is_none() && !capitals.holds(tokens[p.first].start)))
        {
            not_actor_acronyms.push(acronym);
            continue;
        }
        let actor = match p.dict {
            Some(m) => {
                let e = dict.entry(m.entry);
                (e.name.clone(), e.kind, Origin::Dictionary, e.codes.on(date).cloned())
            }
            None => {
                let kind = kinds[i - 1].unwrap_or(Kind::Organization);
                (name_text(content, tokens, p.first, p.last), kind, Origin::Inferred, None)
            }
        };
        acronyms.entry(acronym).or_insert(actor);
    }
    // An acronym the text defines for words in lower case, "the anterior cingulate cortex (ACC)",
    // names a thing, no actor, there and wherever else the document writes it.
    // In parentheses first: most names are not.
    let parenthesised = |q: &&Piece| {
        q.first == q.last
            && q.first > 0
            && content[tokens[q.first].end..].starts_with(')')
            && content[tokens[q.first - 1].end..tokens[q.first].start].trim() == "("
            && q.dict.is_none()
    };
    for q in pieces.iter().filter(parenthesised) {
        let acronym = words.word(q.first);
        let letters = acronym.chars().filter(|c| c.is_alphabetic()).count();
        let defined = is_acronym(acronym)
            && q.first >= letters
            && (q.first - letters..q.first)
                .all(|k| !words.is_capitalised(k) && (k == q.first - letters || words.join(k)))
            && initials_match(&words.span(q.first - letters, q.first - 1).collect::<Vec<_>>(), acronym);
        if defined {
            not_actor_acronyms.push(acronym);
        }
    }

    // Full names written in this document, by surname, so "Lavrov" finds "Sergei Lavrov": inferred
    // ones, and persons of the dictionary (which then gives the actor and its code).
    let mut surnames: FastMap<&str, (usize, usize, Option<usize>)> = FastMap::default();
    // The persons' full names of several words, each with its dictionary entry if it has one.
    let full_names = || {
        pieces.iter().zip(kinds.iter()).filter_map(|(p, kind)| {
            let entry = p.dict.map(|m| m.entry).filter(|&e| dict.entry(e).kind == Kind::Person);
            ((*kind == Some(Kind::Person) || entry.is_some()) && p.last > p.first).then_some((p, entry))
        })
    };
    // A name's last word before a qualifier ("Michael Mangan of GMAC": "Mangan", not "GMAC").
    let name_end =
        |p: &Piece| (p.first + 1..p.last).find(|&i| matches!(words.word(i), "of" | "for")).map_or(p.last, |i| i - 1);
    for (p, entry) in full_names() {
        let last = name_end(p);
        // Not the tail of a hyphenated pair ("Biden-Harris"): "Harris" alone is someone else's.
        if last > p.first && !content[tokens[last - 1].end..tokens[last].start].contains('-') {
            surnames.entry(strip_possessive(words.word(last))).or_insert((p.first, p.last, entry));
        }
    }
    // And by the first of two surnames ("Rosselló" of "Ricardo Rosselló Nevares", "Gerstner" of
    // "Louis Gerstner Jr"): the word before the last of a person's name of three words or more that
    // a given name leads, when it is no given name or initial, and no other full name ends in it.
    for (p, entry) in full_names() {
        let last = name_end(p);
        if last >= p.first + 2
            && words.is(p.first, GIVEN_NAME)
            && words.gap(last) == " "
            && is_name_shaped(words.word(last - 1))
            && !words.is(last - 1, GIVEN_NAME | CONNECTOR | FAITH_OR_LANGUAGE)
            && !words.is(last, ORGANIZATION_WORD | PLACE_WORD)
            && !is_company_suffix(words.word(last))
        {
            surnames.entry(words.word(last - 1)).or_insert((p.first, p.last, entry));
        }
    }
    // A surname a title gave a person ("President Reagan") is that person wherever the document
    // writes it alone, unless a full name of the document ends in it.
    for (p, kind) in pieces.iter().zip(kinds.iter()) {
        if p.titled && p.first == p.last && *kind == Some(Kind::Person) {
            surnames.entry(strip_possessive(words.word(p.first))).or_insert((p.first, p.last, None));
        }
    }

    // Organizations of several words, by their head (the last word that makes a name an
    // organization's: "Bank" of "Bank of Japan", "Committee" of "Senate Finance Committee") and by
    // their first word when that is no such word (a firm by its first name: "Goldman" of "Goldman
    // Sachs", "Sprint" of "Sprint Communications Co"), so that the word alone ("the Bank said",
    // "Sprint said") names the one the document named in full. `None` when two organizations of the
    // document share the word, or the document writes it alone before it names the organization
    // ("GitHub" before "GitHub Trust", told as the pieces are read below): alone, it is then left as
    // it is. With each, whether it is a head (a head is a common noun too, so it stands for the
    // organization only where it opens no sentence: "Times are hard" is no "New York Times"), and
    // the piece that first names the organization.
    let mut short_forms: FastMap<&str, Option<(Named, bool, usize)>> = FastMap::default();
    for (at, (p, kind)) in pieces.iter().zip(kinds.iter()).enumerate() {
        let organization = match p.dict {
            Some(m) => dict.entry(m.entry).kind == Kind::Organization,
            None => *kind == Some(Kind::Organization),
        };
        // No title makes the name a person's ("Member of Parliament").
        if p.first == p.last || !organization || (p.first..=p.last).any(|i| words.is(i, PERSON_TITLE)) {
            continue;
        }
        // The head ends the name or comes before "of", "for"… ("Senate Republicans" has none), and
        // is no company's suffix.
        let is_suffix = |i: usize| is_company_suffix(words.word(i));
        let head = (p.first..=p.last).rev().find(|&i| words.stem_is(i, ORGANIZATION_WORD) && !is_suffix(i));
        let head = head.filter(|&i| i == p.last || words.is(i + 1, CONNECTOR) || words.word(i + 1) == "on");
        // A chamber named with "of" ("House of Representatives", "House of Commons") is "the House"
        // too; "House" ending a name ("White House", "Random House") is no head.
        let head = head.or_else(|| (p.first..p.last).find(|&i| words.word(i) == "House" && words.is(i + 1, CONNECTOR)));
        // The first word, of a name a head or a company's suffix ends ("Dome Petroleum Ltd", not
        // "Twitter CEO Jack Dorsey"), with more than the suffix after it ("GAF Corp" is the firm
        // "GAF" as it is): the name's words without its suffixes (and an "and" before one).
        let mut base_last = p.last;
        while base_last > p.first && is_suffix(base_last) {
            base_last -= 1;
            if base_last > p.first && words.word(base_last) == "and" {
                base_last -= 1;
            }
        }
        let firm = base_last < p.last && base_last > p.first;
        let first = Some(p.first).filter(|&i| {
            (head.is_some() || firm)
                && !is_suffix(i)
                && !words.is(i, ORGANIZATION_WORD | NOT_ACTOR_ACRONYM | CONNECTOR | FAITH_OR_LANGUAGE)
        });
        if head.is_none() && first.is_none() {
            continue;
        }
        let named = match p.dict.map(|m| dict.entry(m.entry)) {
            Some(e) => (e.name.clone(), Kind::Organization, Origin::Dictionary, e.codes.on(date).cloned()),
            None => (name_text(content, tokens, p.first, p.last), Kind::Organization, Origin::Inferred, None),
        };
        for (word, is_head) in [(head, true), (first, false)] {
            let Some(word) = word else { continue };
            short_forms
                .entry(strip_possessive(words.word(word)))
                .and_modify(|held| match held {
                    Some((h, head, _)) if h.0 == named.0 => *head |= is_head,
                    _ => *held = None,
                })
                .or_insert_with(|| Some((named.clone(), is_head, at)));
        }
    }

    // The names the document uses as sports teams ("Cleveland 5 Texas 3", "Surrey v Kent"), in
    // capitals: a city or state of the dictionary written so anywhere in the document is the club
    // named for it throughout (but after a place preposition).
    // A name no dictionary holds is a club's only in a row of standings, laid out as nothing else is
    // ("St Johnstone 2 1 1 0 3 0 4"): a fixture's "v" may be a lawsuit's, a result's score a version.
    // Each team's name in capitals, and whether it is one even where no dictionary holds it.
    let mut teams: Vec<(String, bool)> = Vec::new();
    for i in 0..pieces.len() {
        if let Some(evidence) = teams::team_evidence(content, tokens, pieces, |p| (p.first, p.last), i) {
            let name = name_text(content, tokens, pieces[i].first, pieces[i].last);
            let laid_out = evidence == teams::Evidence::Standings
                || (evidence == teams::Evidence::Result && name.chars().any(char::is_lowercase));
            teams.push((name.to_uppercase(), laid_out));
        }
    }

    // Whether `p` names a club of those, and whether it does where no dictionary holds the name: not
    // where a place is named ("in Surrey", "AT TORONTO", a dateline).
    let club = |p: &Piece| -> Option<bool> {
        if teams.is_empty()
            || after_place_preposition(&words, p)
            || (p.first > 0 && matches!(words.word(p.first - 1), "AT" | "IN"))
            || teams::opens_dateline(content, tokens, p.first, p.last)
        {
            return None;
        }
        let name = name_text(content, tokens, p.first, p.last).to_uppercase();
        teams.iter().filter(|t| t.0 == name).map(|t| t.1).reduce(|a, b| a || b)
    };
    let is_club = |p: &Piece| club(p).is_some();

    // Sentences counted as the pieces come, in document order.
    let (mut sentence, mut counted_to) = (0u32, 0usize);
    for (at, (p, &kind)) in pieces.iter().zip(kinds.iter()).enumerate() {
        if counted_to < p.first {
            sentence += words.sentences_opening(counted_to + 1, p.first + 1);
            counted_to = p.first;
        }
        let cued_as = cues.get(at).copied().flatten();
        if cued_as == Some(Cue::Thing) {
            continue;
        }
        let start = tokens[p.first].start;
        let period = p.dict.is_some_and(|m| m.period);
        let end = tokens[p.last].start + strip_possessive(words.word(p.last)).len() + usize::from(period);
        let mention = |actor: Arc<str>, kind, form, origin, code: Option<Arc<str>>| Mention {
            start,
            end,
            actor,
            kind,
            form,
            origin,
            code,
            sentence,
        };
        // A city of the many few stories name is the surname of a person the document names in full.
        let surname = p.dict.is_some_and(|m| m.weak && m.first == m.last)
            && surnames.contains_key(strip_possessive(words.word(p.first)));
        if let Some(m) = p.dict.filter(|_| !surname) {
            let entry = dict.entry(m.entry);
            if entry.locality && m.form == Form::Name && is_club(p) {
                out.push(mention(entry.name.clone(), Kind::Organization, m.form, Origin::Dictionary, None));
                continue;
            }
            out.push(mention(
                entry.name.clone(),
                entry.kind,
                m.form,
                Origin::Dictionary,
                entry.codes.on(date).cloned(),
            ));
            continue;
        }
        // A city a rule of context kept from the dictionary, used as a team: the club named for it.
        if p.dict.is_none() && is_club(p) {
            if let Some(entry) = dict.locality_named(content, tokens, p.first, p.last).map(|e| dict.entry(e)) {
                out.push(mention(entry.name.clone(), Kind::Organization, Form::Name, Origin::Dictionary, None));
                continue;
            }
        }
        // A name whose possessive "Day" follows names a day with it ("International Women's Day",
        // "Mother's Day"): neither is an actor.
        let possessive_day = |at: usize| {
            at > 0
                && at < words.len()
                && words.word(at) == "Day"
                && words.gap(at) == " "
                && words.is_capitalised(at - 1)
                && strip_possessive(words.word(at - 1)).len() < words.word(at - 1).len()
        };
        if possessive_day(p.last + 1) || (p.first == p.last && possessive_day(p.first)) {
            continue;
        }
        if p.first == p.last {
            if not_actor_acronyms.contains(&strip_possessive(words.word(p.first))) {
                continue;
            }
            if let Some((actor, kind, origin, code)) = acronyms.get(strip_possessive(words.word(p.first))) {
                out.push(mention(actor.clone(), *kind, Form::Acronym, *origin, code.clone()));
                continue;
            }
            if let Some(&(first, last, entry)) = surnames.get(strip_possessive(words.word(p.first))) {
                if (first, last) != (p.first, p.last) {
                    out.push(match entry.map(|e| dict.entry(e)) {
                        Some(e) => mention(
                            e.name.clone(),
                            Kind::Person,
                            Form::Surname,
                            Origin::Dictionary,
                            e.codes.on(date).cloned(),
                        ),
                        None => {
                            let full = name_text(content, tokens, first, last);
                            mention(full, Kind::Person, Form::Surname, Origin::Inferred, None)
                        }
                    });
                    continue;
                }
            }
            // Standing for an organization the document names in full (a head, which is a common
            // noun too, only where it opens no sentence; capitalised inside one, it is the name
            // however often the document writes it in lower case: "the Bank", "the central bank").
            let word = strip_possessive(words.word(p.first));
            let held = match short_forms.is_empty() || p.dict.is_some() {
                true => None,
                false => short_forms.get_mut(word),
            };
            let short = held.and_then(|held| {
                // Written alone before the organization is named (a headline's words aside: "CPC
                // INTERNATIONAL <CPC> 1ST QTR"), the word is itself in this document.
                if held.as_ref().is_some_and(|h| h.2 > at) && !capitals.holds(tokens[p.first].start) {
                    *held = None;
                }
                held.as_ref()
            });
            let short = short.filter(|(_, head, _)| !head || !p.opens_sentence);
            if let Some(((actor, kind, origin, code), ..)) = short.filter(|_| {
                p.dict.is_none() && !p.titled && !is_company_suffix(word) && !words.stem_is(p.first, NOT_ACTOR_ACRONYM)
            }) {
                out.push(mention(actor.clone(), *kind, Form::Short, *origin, code.clone()));
                continue;
            }
        }
        // A lone word also written in lower case in the document is an ordinary word ("Well, …"),
        // one that names a day with a day's name is an event's ("Super Tuesday", "Black Friday"), and
        // one before a colon and a capitalised word is a label ("Image: US Congress").
        if p.first == p.last
            && !p.titled
            && (lower_case.contains(p.first) || names_a_day(&words, p.last) || labels(&words, p.last))
        {
            continue;
        }
        // A people named for a place the document names ("Melbournians" beside "Melbourne") is
        // that place, as the dictionary's peoples are ("Londoners", "Americans").
        if p.first == p.last && p.dict.is_none() && !p.titled {
            let word = strip_possessive(words.word(p.first));
            let place = demonym_stem(word).and_then(|stem| {
                pieces
                    .iter()
                    .filter(|q| {
                        let place = words.word(q.first);
                        is_dict_place(q, dict)
                            && q.first == q.last
                            && place.starts_with(stem)
                            && place.len() <= stem.len() + 2
                    })
                    .find_map(|q| q.dict)
            });
            if let Some(m) = place {
                let e = dict.entry(m.entry);
                out.push(mention(
                    e.name.clone(),
                    e.kind,
                    Form::Adjective,
                    Origin::Dictionary,
                    e.codes.on(date).cloned(),
                ));
                continue;
            }
        }
        let kind = match p.dict.is_none() && club(p) == Some(true) {
            // A name the document has in its standings is the club's.
            true => Some(Kind::Organization),
            false if p.first == p.last && !p.titled => classify(p, &words, tokens, &capitals, &lower_case),
            false => kind,
        };
        let kind = kind.map(|kind| match cued_as == Some(Cue::Body) && !p.titled {
            true => Kind::Organization,
            false => kind,
        });
        // Nor a lone word that is one ("Jupiter", "GNP").
        if let Some(kind) = kind.filter(|_| !dict.names_no_actor(content, tokens, p.first, p.last)) {
            out.push(mention(name_text(content, tokens, p.first, p.last), kind, Form::Name, Origin::Inferred, None));
        }
    }
}

/// A capitalised word that opens a sentence and is written in lower case elsewhere in the document is
/// an ordinary word ("Make Melbourne…"), and so is one shaped as a participle that is no given name,
/// unless an organization word says the whole is a name ("Enrolling Minetest…", "Regarding
/// Ashodaya…", not "Racing Club" or "Faulding Inc"): it leaves the name it would open.
fn drop_common_openers(pieces: &mut [Piece], words: &Words<'_>, lower_case: &LowerCaseUse<'_, '_>) {
    for p in pieces.iter_mut().filter(|p| p.opens_sentence && p.dict.is_none() && p.first < p.last) {
        let organization = (p.first..=p.last).any(|i| words.stem_is(i, ORGANIZATION_WORD));
        while p.first < p.last
            && (lower_case.contains(p.first)
                || (has_participle_shape(words.word(p.first)) && !organization && !words.is(p.first, GIVEN_NAME)))
        {
            p.first += 1;
            p.opens_sentence = false;
        }
    }
}

/// Whether `word` ends as a participle or gerund does ("Following", "Enrolling"), being longer than
/// the names that end alike ("Ding", "Ming").
fn has_participle_shape(word: &str) -> bool {
    word.len() >= 5 && word.ends_with("ing")
}

/// Whether `p` is a place of the dictionary in the form of a name ("Russia", not "Russian"), not
/// ending in a period.
fn is_dict_place(p: &Piece, dict: &ActorDictionary) -> bool {
    p.dict.is_some_and(|m| m.form == Form::Name && dict.entry(m.entry).kind == Kind::Place && !m.period)
}

/// Whether `p` is a place of the dictionary as its adjective ("American", "British").
fn is_dict_adjective(p: &Piece, dict: &ActorDictionary) -> bool {
    p.dict.is_some_and(|m| m.form == Form::Adjective && dict.entry(m.entry).kind == Kind::Place && !m.period)
}

/// A place of the dictionary written straight before or after an inferred name is part of that name,
/// which is then no person and no place of its own: "Manchester United", "Sudan Airways", "Seattle
/// Mariners", "Kurdistan Democratic Party", "Bayern Munich"; after a given name the place is a
/// surname and the whole a person ("George Washington"). Titles and capitals keep the place apart
/// ("Moscow Mayor Yuri Luzhkov" has a title; "RUSSIA WINS" is a headline), and so does a word opening
/// the sentence that the document also writes in lower case ("Meanwhile Munich…").
fn join_places_to_names(
    pieces: &mut Vec<Piece>,
    dict: &ActorDictionary,
    words: &Words<'_>,
    lower_case: &LowerCaseUse<'_, '_>,
) {
    let is_place = |p: &Piece| is_dict_place(p, dict);
    // A name of words, with no title; alone, no acronym that names no actor ("HR") or word that
    // names no one alone ("Government"); several may open with one ("Central Bank", "Alberta
    // Government Telephones").
    let is_name = |p: &Piece| {
        p.dict.is_none()
            && !p.titled
            && (p.first..=p.last).all(|i| !words.is(i, PERSON_TITLE | TITLE_MODIFIER))
            && words.span(p.first, p.last).any(is_name_shaped)
            && !(p.first == p.last && words.is(p.first, NOT_ACTOR_ACRONYM))
    };
    // "Vermont Bernie Sanders" ("Senator from Vermont Bernie Sanders") is a place and a person.
    let is_full_name = |p: &Piece| p.last > p.first && !(p.first..=p.last).any(|i| words.stem_is(i, ORGANIZATION_WORD));
    // A word opening a sentence may lead the place when the document never writes it in lower case
    // ("Bayern Munich beat…", not "Meanwhile Munich…") and it has no shape of a participle or an adverb
    // ("Following South Carolina…", "Locally Paris…").
    let may_open = |p: &Piece| {
        let word = words.word(p.first);
        !p.opens_sentence
            || (p.first == p.last
                && !lower_case.contains(p.first)
                && !has_participle_shape(word)
                && !word.ends_with("ly"))
    };
    let mut kept = 0;
    // Whether the last piece kept is a name ending in a place, which a name may go on: "Air India"
    // and "Express", "Facebook Ireland" and "Limited".
    let mut ends_in_place = false;
    for i in 0..pieces.len() {
        if kept > 0 {
            let (before, this) = (&pieces[kept - 1], &pieces[i]);
            let adjacent = this.first == before.last + 1
                && strip_possessive(words.word(before.last)).len() == words.word(before.last).len()
                && words.join(this.first);
            // A place's adjective before one word that makes no organization or place of it and is
            // no given name: a firm named so ("American Express", "British Petroleum"), where
            // "Japanese Government" is Japan's and "English Channel" a place.
            let adjective_first = is_dict_adjective(before, dict)
                && this.first == this.last
                && is_name(this)
                && !words.stem_is(this.first, ORGANIZATION_WORD | PLACE_WORD | GIVEN_NAME);
            // A place's adjective before a name of words ending in an organization's: the body's
            // own name ("Swiss National Bank", "Iranian Chess Federation", "British Broadcasting
            // Corporation"), where two rows, the place and "National Bank", would put every
            // country's bank in one.
            let adjective_of_body = is_dict_adjective(before, dict)
                && this.last > this.first
                && is_name(this)
                && words.stem_is(this.last, ORGANIZATION_WORD)
                && !words.stem_is(this.first, GIVEN_NAME);
            let place_first = ((is_place(before) || ends_in_place) && is_name(this) && !is_full_name(this))
                || adjective_first
                || adjective_of_body;
            let place_last = is_name(before) && may_open(before) && is_place(this);
            if adjacent && (place_first || place_last) {
                // After a given name the place is a surname: "George Washington", "Michael Jordan".
                let holds_place = place_first || !words.is(before.last, GIVEN_NAME);
                ends_in_place = !place_first && holds_place;
                let last = this.last;
                let before = &mut pieces[kept - 1];
                before.last = last;
                before.dict = None;
                before.holds_place = holds_place;
                continue;
            }
        }
        ends_in_place = false;
        pieces.swap(kept, i);
        kept += 1;
    }
    pieces.truncate(kept);
}

/// Which of a document's capitalised words it also writes starting with a lower-case letter
/// ("Make" and "make"), for the words that may be asked about: found in one pass over the document,
/// where a table of first bytes and lengths skips nearly every word without looking at the rest.
/// Words are compared with their case folded, without making folded copies.
struct LowerCaseUse<'w, 'a> {
    words: &'w Words<'a>,
    /// Open addressing by [`folded_hash`], linear probing: the candidates' words (by index; a final
    /// possessive left out), each with its hash and whether it was seen in lower case. A power of two
    /// long, or empty when there are no candidates.
    slots: &'w mut Vec<Option<(u64, usize, bool)>>,
    /// By word index, the slot of each candidate, [`LowerCaseUse::NO_SLOT`] for other words.
    slot_of: &'w mut Vec<u32>,
}

impl<'w, 'a> LowerCaseUse<'w, 'a> {
    const NO_SLOT: u32 = u32::MAX;

    /// The table for the `candidates` (word indices) among `words`, kept in `slots` and `slot_of`.
    fn new(
        words: &'w Words<'a>,
        candidates: impl Iterator<Item = usize> + Clone,
        slots: &'w mut Vec<Option<(u64, usize, bool)>>,
        slot_of: &'w mut Vec<u32>,
    ) -> Self {
        slots.clear();
        slot_of.clear();
        slot_of.resize(words.len(), Self::NO_SLOT);
        let table = LowerCaseUse { words, slots, slot_of };
        let count = candidates.clone().count();
        if count == 0 {
            return table;
        }
        table.slots.resize((count * 2).next_power_of_two(), None);
        // The lengths (mod 64) of the candidates in lower case, with a possessive too (`'s`, `’s`),
        // by first byte; every length where folding the case may change it.
        let mut lengths = [0u64; 256];
        for candidate in candidates {
            let word = strip_possessive(words.word(candidate));
            let first = word.chars().next().and_then(|c| c.to_lowercase().next()).unwrap_or_default();
            let mut first_byte = [0; 4];
            first.encode_utf8(&mut first_byte);
            lengths[usize::from(first_byte[0])] |= match word.is_ascii() {
                true => [0, 2, 4].iter().fold(0, |bits, extra| bits | 1 << ((word.len() + extra) % 64)),
                false => u64::MAX,
            };
            let hash = folded_hash(word);
            let i = table.find(hash, word);
            table.slots[i].get_or_insert((hash, candidate, false));
            table.slot_of[candidate] = i as u32;
        }
        for (i, token) in words.tokens.iter().enumerate() {
            // Nearly every word fails on its first byte and length, before the possessive is stripped.
            let of_first = lengths[usize::from(words.content.as_bytes()[token.start])];
            if of_first & (1 << ((token.end - token.start) % 64)) == 0 {
                continue;
            }
            let w = strip_possessive(words.word(i));
            if of_first & (1 << (w.len() % 64)) == 0 || !w.chars().next().is_some_and(char::is_lowercase) {
                continue;
            }
            let i = table.find(folded_hash(w), w);
            if let Some((_, _, seen)) = &mut table.slots[i] {
                *seen = true;
            }
        }
        table
    }

    /// The slot of `word` (whose [`folded_hash`] is `hash`), or the empty one where it goes.
    fn find(&self, hash: u64, word: &str) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = (hash as usize) & mask;
        while let Some((h, w, _)) = self.slots[i] {
            if h == hash && folded_eq(strip_possessive(self.words.word(w)), word) {
                break;
            }
            i = (i + 1) & mask;
        }
        i
    }

    /// Whether word `i`, a candidate, is also written starting with a lower-case letter (false for
    /// any other word).
    fn contains(&self, i: usize) -> bool {
        match self.slot_of[i] {
            Self::NO_SLOT => false,
            slot => matches!(self.slots[slot as usize], Some((_, _, true))),
        }
    }
}

/// The characters of `word` with their case folded: lower-cased, a final sigma as any other.
fn folded(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars().flat_map(char::to_lowercase).map(|c| if c == 'ς' { 'σ' } else { c })
}

/// A hash of `word` with its case folded ([`folded`]), equal for words [`folded_eq`] calls equal:
/// a hash of the folded text's UTF-8 bytes, eight at a time (ASCII text is lower-cased eight bytes
/// at a time; other text is folded a character at a time into the same bytes).
fn folded_hash(word: &str) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |h: u64, chunk: u64| (h ^ chunk).wrapping_mul(K).rotate_left(31);
    let mut h = 0;
    if word.is_ascii() {
        for chunk in word.as_bytes().chunks(8) {
            let mut bytes = [0; 8];
            bytes[..chunk.len()].copy_from_slice(chunk);
            h = mix(h, ascii_lower_case(u64::from_le_bytes(bytes)));
        }
    } else {
        let (mut bytes, mut filled) = ([0; 8], 0);
        for c in folded(word) {
            for &byte in c.encode_utf8(&mut [0; 4]).as_bytes() {
                bytes[filled] = byte;
                filled += 1;
                if filled == 8 {
                    h = mix(h, u64::from_le_bytes(bytes));
                    (bytes, filled) = ([0; 8], 0);
                }
            }
        }
        if filled > 0 {
            h = mix(h, u64::from_le_bytes(bytes));
        }
    }
    let h = h.wrapping_mul(K);
    h ^ (h >> 32)
}

/// Eight ASCII bytes with their capitals lower-cased (each byte below 0x80, so no sum carries into
/// the next).
fn ascii_lower_case(bytes: u64) -> u64 {
    const EACH: u64 = 0x0101_0101_0101_0101;
    let from_a = bytes + (0x80 - u64::from(b'A')) * EACH;
    let past_z = bytes + (0x80 - u64::from(b'Z') - 1) * EACH;
    let capitals = from_a & !past_z & (0x80 * EACH);
    bytes | (capitals >> 2)
}

/// Whether `a` and `b` are the same word but for case.
fn folded_eq(a: &str, b: &str) -> bool {
    match a.is_ascii() && b.is_ascii() {
        true => a.eq_ignore_ascii_case(b),
        false => folded(a).eq(folded(b)),
    }
}

/// Splits one run into candidate names: dictionary matches stand alone unless a connector ties them
/// to the name before ("Bank of England"); function words, days and months cut; leading titles go.
fn split_run(run: &[Unit], words: &Words<'_>, segment: &mut Vec<usize>, pieces: &mut Vec<Piece>) {
    segment.clear();
    for unit in run {
        match unit.dict {
            Some(m) => {
                // After a connector, or the "on" of a body's name ("Group on Indonesia").
                let tied = segment.last().is_some_and(|&t| words.is(t, CONNECTOR) || words.word(t) == "on")
                    && segment
                        .iter()
                        .any(|&t| words.is_capitalised(t) && !words.is(t, NOT_NAME | PERSON_TITLE | TITLE_MODIFIER));
                if tied {
                    segment.extend(m.first..=m.last);
                } else {
                    push_segment(segment, words, pieces);
                    segment.clear();
                    pieces.push(Piece {
                        first: m.first,
                        last: m.last,
                        dict: Some(m),
                        titled: false,
                        opens_sentence: words.opens_sentence(m.first),
                        holds_place: false,
                    });
                }
            }
            None if words.stem_is(unit.first, NOT_NAME) && !surname_after_given(words, unit.first) => {
                push_segment(segment, words, pieces);
                segment.clear();
            }
            None => segment.push(unit.first),
        }
    }
    push_segment(segment, words, pieces);
}

/// Whether word `i` is the "and" of a company's name, "Goldman Sachs and Co" ("and Company"): one
/// name, an organization's, where "and" otherwise parts two.
fn ands_a_company(words: &Words<'_>, i: usize) -> bool {
    i + 1 < words.len() && words.word(i) == "and" && matches!(words.word(i + 1), "Co" | "Company")
}

/// Words that end the name of a body of a state, of a trade or of a cause, which may join two words
/// with "and" ("Food and Drug Administration", "Ways and Means Committee", "Savings and Loan
/// Association", "Law and Justice Party").
const INSTITUTION_WORDS: &[&str] = &[
    "Administration",
    "Agency",
    "Association",
    "Authority",
    "Board",
    "Bureau",
    "Commission",
    "Committee",
    "Council",
    "Department",
    "Federation",
    "Foundation",
    "Front",
    "Institute",
    "Ministry",
    "Office",
    "Party",
    "Service",
    "Services",
    "Society",
];

/// Whether word `i` is the "and" inside the name of an institution: after at most three capitalised
/// words (the run's last, after any name of the dictionary or word that is no name) that no given
/// name leads and that hold no organization word, and before one capitalised word and the word that ends such a name ("Food and
/// Drug Administration", "House Ways and Means Committee"). "Texaco and Pennzoil Co", "Drexel and
/// Salomon Brothers", "James Baker and Agriculture Department" and "Reagan and the Senate Finance
/// Committee" stay apart.
fn ands_an_institution<'a>(
    words: &Words<'a>,
    run: &[Unit],
    i: usize,
    surnames: &std::cell::OnceCell<std::collections::HashSet<&'a str>>,
) -> bool {
    let institution = |k: usize| INSTITUTION_WORDS.contains(&strip_possessive(words.word(k)));
    if i + 2 >= words.len() || words.word(i) != "and" || !words.is_capitalised(i + 1) || !institution(i + 2) {
        return false;
    }
    // A name of the dictionary or a word that is no name may come before ("The U.S. Food and Drug
    // Administration"): the run is split there anyway.
    let apart = |u: &Unit| u.dict.is_some() || words.stem_is(u.first, NOT_NAME);
    let own = &run[run.iter().rposition(apart).map_or(0, |at| at + 1)..];
    let (Some(first), Some(last)) = (own.first(), own.last()) else { return false };
    last.last + 1 == i
        && own.len() <= 3
        && own.iter().all(|u| u.dict.is_none() && u.first == u.last && words.is_capitalised(u.first))
        && !words.is(first.first, GIVEN_NAME | PERSON_TITLE)
        && !own.iter().any(|u| words.is(u.first, ORGANIZATION_WORD | CONNECTOR))
        && (i..=i + 2).all(|k| words.join(k) && !words.gap(k).contains('-'))
        && !words.is(i + 1, ORGANIZATION_WORD | NOT_NAME | GIVEN_NAME | PERSON_TITLE)
        // Nor a person's surname ("Baldrige and State Department" beside "Malcolm Baldrige").
        && !own.iter().any(|u| surnames.get_or_init(|| surnames_written(words)).contains(words.word(u.first)))
}

/// The last words of the names of two words a given name leads ("Baldrige" of "Malcolm Baldrige",
/// not "Barbara" of "Santa Barbara" nor "Federal" of "Victor Federal Savings"): the document's
/// persons' surnames. Made once a document, when first asked.
fn surnames_written<'a>(words: &Words<'a>) -> std::collections::HashSet<&'a str> {
    let capitalised = |k: usize| k < words.len() && words.is_capitalised(k);
    (1..words.len())
        .filter(|&k| {
            capitalised(k)
                && surname_after_given(words, k)
                && (k == 1 || !capitalised(k - 2) || words.opens_sentence(k - 1))
                && !(capitalised(k + 1) && words.join(k + 1))
        })
        .map(|k| strip_possessive(words.word(k)))
        .collect()
}

/// Whether word `i`, a word that is otherwise no name ("May", "June"), is a surname: straight after a
/// given name, a space between ("Theresa May", "Brian May").
fn surname_after_given(words: &Words<'_>, i: usize) -> bool {
    i > 0 && words.is(i - 1, GIVEN_NAME) && words.gap(i) == " "
}

/// Turns a segment of consecutive token indices into a piece: leading titles and connectors dropped,
/// trailing connectors dropped.
fn push_segment(segment: &[usize], words: &Words<'_>, pieces: &mut Vec<Piece>) {
    const TITLE_WORD: u16 = PERSON_TITLE | TITLE_MODIFIER;
    // A person title inside the segment ("Treasury Secretary James Baker") starts the person's name;
    // what stands before it is a name of its own.
    let inner_title = (1..segment.len()).rev().find(|&k| {
        words.is(segment[k], PERSON_TITLE)
            && k + 1 < segment.len()
            && segment[k + 1..].iter().all(|&t| is_name_shaped(words.word(t)) && !words.is(t, TITLE_WORD))
    });
    if let Some(k) = inner_title {
        let title_start = (0..k).rev().take_while(|&j| words.is(segment[j], TITLE_WORD)).last().unwrap_or(k);
        if title_start > 0 {
            push_segment(&segment[..title_start], words, pieces);
            push_segment(&segment[title_start..], words, pieces);
            return;
        }
    }
    let mut seg = segment;
    // Titles lead a name only when the run of title words ends in a person title.
    let title_len = seg.iter().take_while(|&&t| words.is(t, TITLE_WORD)).count();
    let mut titled = title_len > 0 && words.is(seg[title_len - 1], PERSON_TITLE);
    if titled {
        let after = &seg[title_len..];
        let connectors = after.iter().take_while(|&&t| words.is(t, CONNECTOR)).count();
        let named = &after[connectors..];
        let holds_connector = named.iter().any(|&t| words.is(t, CONNECTOR));
        // "of" or "for" after a title says what the office is of; "de", "van"… belong to a name.
        let office = connectors > 0 && matches!(words.word(after[0]), "of" | "for");
        // What the office is of, a body named with "of" or "for" ("House of Representatives", "Bank
        // of England"), and no room for a person's name after it (one word after its last "of" or
        // "for", or a body's or a place's word last) nor a given name: no one is named ("Speaker of
        // the House of Representatives"; not "Minister of State for Trade Alick Buchanan-Smith").
        let of = |t: usize| matches!(words.word(t), "of" | "for");
        let body_or_place = |t: usize| words.stem_is(t, ORGANIZATION_WORD | PLACE_WORD);
        let ends_in_body_or_place = named.last().is_some_and(|&t| body_or_place(t));
        let after_last_of = named.iter().rev().take_while(|&&t| !of(t)).count();
        let body = named.iter().any(|&t| body_or_place(t) || words.word(t) == "House");
        let office_alone = office
            && (named.len() == 1
                || (body
                    && named.iter().any(|&t| of(t))
                    && !named.iter().any(|&t| words.is(t, GIVEN_NAME))
                    && (after_last_of <= 1 || ends_in_body_or_place)));
        if office_alone || (!holds_connector && ends_in_body_or_place) {
            // What follows is an organization or a place, and no one is named: the title is part of
            // its name ("General Assembly", "Prince Edward Island"), or it names what an office is
            // of ("Governor of Tyumen Oblast", "Chairman of the House", "Mayor of Gdańsk"). Not "Dr
            // Jane Smith of University College".
            titled = false;
            seg = if connectors > 0 { named } else { segment };
        } else if office && named.len() > 1 {
            // A title and a connector name what the office is of, then the person ("Secretary of
            // State James Baker", "Chancellor of the Exchequer Nigel Lawson", "Minister of Foreign
            // Affairs Zohrab Mnatsakanyan"): from a given name on, or else after the word after the
            // last "of" or "for" ("Speaker of the House of Representatives Pelosi"), or else after the
            // words that may qualify a title ("Defense", "Foreign Affairs"), or else after one word.
            let before_last = &named[..named.len() - 1];
            let last_of = before_last.iter().rposition(|&t| of(t)).map(|k| k + 2).filter(|&k| k < named.len());
            let from = match before_last.iter().position(|&t| words.is(t, GIVEN_NAME)) {
                Some(given) => given,
                None => match (last_of, before_last.iter().take_while(|&&t| words.is(t, TITLE_MODIFIER)).count()) {
                    (Some(after_body), _) => after_body,
                    (None, 0) => 1,
                    (None, modifiers) => modifiers,
                },
            };
            seg = &named[from..];
        } else {
            seg = after;
        }
    }
    while seg.first().is_some_and(|&t| words.is(t, CONNECTOR)) {
        seg = &seg[1..];
    }
    while seg.last().is_some_and(|&t| words.is(t, CONNECTOR)) {
        seg = &seg[..seg.len() - 1];
    }
    let (Some(&first), Some(&last)) = (seg.first(), seg.last()) else { return };
    // A lone title ("President", "Minister") names no one.
    if first == last && words.is(first, TITLE_WORD) {
        return;
    }
    let opens = words.opens_sentence(first) && !titled && (segment.first() == Some(&first));
    pieces.push(Piece { first, last, dict: None, titled, opens_sentence: opens, holds_place: false });
}

/// The kind of an inferred name, or `None` when the cues say it is no actor.
fn classify(
    p: &Piece,
    words: &Words<'_>,
    tokens: &[Token],
    capitals: &CapitalLines<'_>,
    lower_case: &LowerCaseUse<'_, '_>,
) -> Option<Kind> {
    let span = words.span(p.first, p.last);
    let lone = p.first == p.last;
    let last = strip_possessive(words.word(p.last));
    let after_place_preposition = || after_place_preposition(words, p);
    // Capitals all round, with capitals around: a headline or a table, not a name.
    let caps_around = || {
        (p.first == 0 || is_all_caps(words.word(p.first - 1)))
            && (p.last + 1 == words.len() || is_all_caps(words.word(p.last + 1)))
    };
    if span.clone().all(is_all_caps) && (!lone || caps_around()) {
        return None;
    }
    // Faiths and languages, alone or together ("Muslims", "Atheist Muslim"), are no actors.
    if (p.first..=p.last).all(|i| words.stem_is(i, FAITH_OR_LANGUAGE)) {
        return None;
    }
    // A designation a hyphen joins to a number is a model's or a strain's ("SARS-CoV-2", "MiG-29").
    let numbered = p.last + 1 < words.len()
        && is_hyphen(words.gap(p.last + 1))
        && words.word(p.last + 1).starts_with(|c: char| c.is_ascii_digit());
    // A scale's word and its number is a grade, not a name ("a Category 5 hurricane", "Phase 3").
    let graded = lone
        && SCALE_WORDS.contains(&last)
        && p.last + 1 < words.len()
        && words.gap(p.last + 1) == " "
        && words.word(p.last + 1).starts_with(|c: char| c.is_ascii_digit());
    if numbered || graded {
        return None;
    }
    // An initial, a suffix or a contest alone ("P", "Corp", "the Open"), or a name on a line in
    // capitals (a headline), is no actor the text names.
    if lone && (words.stem_is(p.last, NOT_ACTOR_ACRONYM | CONTEST_WORD) || is_one_char(last) || is_roman_numeral(last))
    {
        return None;
    }
    if capitals.holds(tokens[p.first].start) {
        return None;
    }
    if lone {
        return if p.titled {
            Some(Kind::Person)
        } else if p.opens_sentence {
            None
        } else if is_acronym(last) {
            Some(Kind::Organization)
        } else if after_place_preposition() {
            Some(Kind::Place)
        } else if words.stem_is(p.first, GIVEN_NAME) {
            Some(Kind::Person)
        } else {
            Some(Kind::Organization)
        };
    }
    if (p.first..=p.last).any(|i| words.stem_is(i, ORGANIZATION_WORD)) {
        Some(Kind::Organization)
    } else if words.stem_is(p.last, PLACE_WORD) || (p.first + 1..p.last).any(|i| is_hyphened_place(words, i - 1, i + 1))
    {
        Some(Kind::Place)
    } else if p.holds_place {
        Some(Kind::Organization)
    } else if p.titled || words.is(p.first, GIVEN_NAME) {
        Some(Kind::Person)
    } else if after_place_preposition() {
        Some(Kind::Place)
    } else if (p.first..=p.last).any(|i| words.stem_is(i, FAITH_OR_LANGUAGE)) {
        Some(Kind::Organization)
    } else if (p.first..=p.last).filter(|&i| words.is_capitalised(i)).all(|i| lower_case.contains(i)) {
        // A phrase in capitals, as below, joined by a connector ("End of Life", "Game of Life").
        None
    } else if p.last - p.first < 4 && span.clone().all(|w| is_name_shaped(w) || is_abbreviation(w)) {
        // Words the document also writes as ordinary words, every one of them, capitalised together
        // ("First Half", "Federal Savings"): a phrase, not someone's name; and no one's name ends
        // in a letter standing alone ("Class B", "Plan B"), which a given name would lead ("Malcolm
        // X"), or begins with an ordinal or a colour, as many a firm's does ("First Interstate", "Red
        // Hat").
        // (Every capitalised word written in lower case too was told above.)
        match is_one_char(last) {
            true => None,
            // Looked up here only, not among the lists every word is looked up in.
            false if ORDINALS_AND_COLOURS.contains(&words.word(p.first)) => Some(Kind::Organization),
            false => Some(Kind::Person),
        }
    } else {
        Some(Kind::Organization)
    }
}

/// What the words around a name say it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// A thing, no actor: "the game Minecraft", "the EastMed pipeline", "AB Aurigae is a star".
    Thing,
    /// A body: "the organisation Faithless Hijabi", "Faithless Hijabi is a global movement".
    Body,
}

/// The nouns that say a name is a thing's, no actor's, right before it ("the game Minecraft", "the
/// planet Jupiter"; not "star": "pop star Madonna" is a person) or after "is a" ("AB Aurigae is a
/// young star"), and those that say it is a body's ("the non-profit organisation Faithless
/// Hijabi", "Faithless Hijabi is a global movement"). A `match`, not a list every word is looked
/// up in: asked only of the words around names.
fn noun_cue(word: &str) -> Option<Cue> {
    match word {
        "album" | "app" | "asteroid" | "comet" | "constellation" | "drug" | "exoplanet" | "film" | "galaxy"
        | "game" | "malware" | "movie" | "novel" | "planet" | "software" | "song" | "spacecraft" | "star"
        | "tanker" | "telescope" | "vaccine" | "vessel" | "videogame" | "virus" => Some(Cue::Thing),
        "charity" | "company" | "firm" | "group" | "movement" | "nonprofit" | "organisation" | "organization"
        | "startup" => Some(Cue::Body),
        _ => None,
    }
}

/// Whether `word`, right after a name, says the name is a thing's ("the ZooMS procedure", "the
/// Ebola virus"): not a noun a maker's or an owner's name stands before ("IBM software", "the
/// NeoRx method", "Coastal's Colorado Interstate pipeline", "the Pfizer vaccine").
fn is_thing_after(word: &str) -> bool {
    matches!(word, "malware" | "procedure" | "technique" | "virus")
}

/// What the words around `p` say it names ([`Cue`]): a noun of [`noun_cue`] right before it, one of
/// [`is_thing_after`] (or "operating system") right after it, or either after "is a" or "was an"
/// and up to three words more, ending the phrase ("is a star which", not "is a star player" or "is
/// a film and television distributor").
fn cue(p: &Piece, words: &Words<'_>) -> Option<Cue> {
    let spaced = |i: usize| i < words.len() && words.gap(i) == " " && !words.is_capitalised(i);
    let noun = |i: usize| noun_cue(words.word(i));
    // Not where the name goes on past an "and" ("the group Abdulla Fouad and Sons Co"): the noun is
    // the longer name's.
    let goes_on = spaced(p.last + 1) && words.word(p.last + 1) == "and";
    if p.first > 0 && !p.opens_sentence && !goes_on && words.gap(p.first) == " " && !words.is_capitalised(p.first - 1) {
        if let Some(cue) = noun(p.first - 1).filter(|_| words.word(p.first - 1) != "star") {
            return Some(cue);
        }
    }
    let after = p.last + 1;
    // An acronym after "a" or "an" that ends the phrase (punctuation or a function word follows, not
    // the noun the article is for: "an NBA player") is a common noun's: "the instrument is a
    // SPHERE [Spectro-Polarimetric…]", "a DVD of the film".
    let article = p.first > 0 && matches!(words.word(p.first - 1), "a" | "an") && words.gap(p.first) == " ";
    if article && p.first == p.last && is_acronym(words.word(p.first)) {
        // A line break inside a paragraph is a space here ("according to a NYMEX\nspokesman"), a
        // hyphen joins a compound ("an IBM-compatible"); a relative pronoun may say which one of
        // a body ("an SPD that was under the influence of the Greens").
        // Nor where another name joins it ("an NBA or NFL player", "a CNN/ORC poll", "a NASA–ESA
        // mission").
        let gap = if after < words.len() { words.gap(after) } else { "" };
        let next = if after < words.len() { words.word(after) } else { "" };
        let joined = is_hyphen(gap) || matches!(gap, "/" | "\u{2013}") || matches!(next, "or" | "and" | "nor");
        let ends_phrase = after >= words.len()
            || (!joined && !gap.chars().all(char::is_whitespace))
            || gap.matches('\n').count() > 1
            || (ENGLISH.contains(next) && !joined && !matches!(next, "that" | "which" | "who" | "whose" | "whom"));
        if ends_phrase {
            return Some(Cue::Thing);
        }
    }
    if strip_possessive(words.word(p.last)).len() < words.word(p.last).len() || !spaced(after) {
        return None;
    }
    if is_thing_after(words.word(after))
        || (words.word(after) == "operating" && spaced(after + 1) && words.word(after + 1).starts_with("system"))
    {
        return Some(Cue::Thing);
    }
    if !matches!(words.word(after), "is" | "was") || !spaced(after + 1) || !matches!(words.word(after + 1), "a" | "an")
    {
        return None;
    }
    // The phrase ends at its noun: then comes punctuation, a line's end or a word that opens no
    // noun of its own.
    let ends_phrase = |i: usize| {
        i >= words.len()
            || words.gap(i) != " "
            || matches!(words.word(i), "which" | "that" | "who" | "whose" | "with" | "in" | "of" | "from" | "for")
    };
    (after + 2..(after + 6).min(words.len()))
        .take_while(|&i| !words.is_capitalised(i) && matches!(words.gap(i), " " | "-"))
        .find_map(|i| noun(i).filter(|_| ends_phrase(i + 1)))
}

/// Leaves in `lone` the pieces of the lone inferred names the document never writes alone: every
/// mention of the name, three at least, stands right before the same noun in lower case, which it
/// modifies ("Magellanic penguins", "the Mercalli scale", "a Shelf offering"). Such a name is a
/// kind's or an adjective, no actor. A name that stands for itself goes on with a verb, a
/// function word or the word for someone of a body ("Conservative leader", "the Netto chain"):
/// those leave the name as it is.
fn modifiers(pieces: &[Piece], words: &Words<'_>, lone: &mut Vec<usize>) {
    lone.clear();
    lone.extend(
        (0..pieces.len())
            .filter(|&at| pieces[at].first == pieces[at].last && pieces[at].dict.is_none() && !pieces[at].titled),
    );
    if lone.len() < 2 {
        lone.clear();
        return;
    }
    let word = |at: usize| words.word(pieces[at].first);
    // The noun after a piece, its plural's "s" off: none where a possessive, punctuation, a line's
    // end or a capitalised word follows.
    let noun_after = |at: usize| -> Option<&str> {
        let next = pieces[at].last + 1;
        let follows = next < words.len() && words.gap(next) == " " && !words.is_capitalised(next);
        if !follows || strip_possessive(word(at)) != word(at) {
            return None;
        }
        let noun = words.word(next);
        let singular = noun.strip_suffix('s').filter(|s| s.len() >= 3).unwrap_or(noun);
        modified_noun(noun).then_some(singular)
    };
    // Nor a word of a longer name of the document, which may stand for it ("Democratic primary"
    // beside "Democratic Party", "the Gephardt amendment" beside "Richard Gephardt").
    let in_a_name = |w: &str| {
        pieces.iter().any(|q| q.last > q.first && (q.first..=q.last).any(|i| strip_possessive(words.word(i)) == w))
    };
    lone.sort_unstable_by(|&a, &b| word(a).cmp(word(b)).then(a.cmp(&b)));
    let mut kept = 0;
    let mut from = 0;
    while from < lone.len() {
        let to = from + lone[from..].iter().take_while(|&&at| word(at) == word(lone[from])).count();
        let noun = noun_after(lone[from]);
        if to - from >= 3
            && noun.is_some()
            && lone[from + 1..to].iter().all(|&at| noun_after(at) == noun)
            && !in_a_name(word(lone[from]))
        {
            lone.copy_within(from..to, kept);
            kept += to - from;
        }
        from = to;
    }
    lone.truncate(kept);
}

/// Whether `word`, in lower case after a name, may be a noun the name modifies ("penguins",
/// "scale", "offering"): not a function word, a verb's common form ("said", "announced", "wins"),
/// an adverb, nor a word for a body or for someone of one ("chain", "leader", "spokesman").
fn modified_noun(word: &str) -> bool {
    word.len() >= 3
        && word.bytes().all(|b| b.is_ascii_lowercase())
        && !word.ends_with("ed")
        && !word.ends_with("ly")
        && !ENGLISH.contains(word)
        && !is_role(word)
        && noun_cue(word) != Some(Cue::Body)
        && !matches!(
            word,
            "adds"
                | "agrees"
                | "announces"
                | "asks"
                | "became"
                | "becomes"
                | "began"
                | "begins"
                | "bought"
                | "buys"
                | "calls"
                | "came"
                | "chain"
                | "chief"
                | "claims"
                | "comes"
                | "executive"
                | "executives"
                | "fans"
                | "gave"
                | "gives"
                | "got"
                | "gets"
                | "goes"
                | "held"
                | "holds"
                | "head"
                | "knew"
                | "knows"
                | "leader"
                | "leaders"
                | "leads"
                | "left"
                | "made"
                | "makes"
                | "member"
                | "members"
                | "met"
                | "official"
                | "officials"
                | "paid"
                | "pays"
                | "plans"
                | "puts"
                | "ran"
                | "runs"
                | "said"
                | "saw"
                | "says"
                | "sees"
                | "sells"
                | "sold"
                | "staff"
                | "supporters"
                | "takes"
                | "team"
                | "told"
                | "tells"
                | "took"
                | "wants"
                | "went"
                | "wins"
                | "won"
                | "wrote"
                | "writes"
                | "rose"
                | "rises"
                | "fell"
                | "falls"
                | "fighters"
                | "militants"
                | "troops"
                | "forces"
                | "rebels"
                | "soldiers"
                | "government"
                | "administration"
                | "shares"
                | "stock"
                | "founder"
        )
}

/// The beginning of the place `word` would name its people after ("Melbourn" of "Melbournians",
/// "London" of "Londoners"): the word without a people's ending, four letters at least; the place's
/// name is at most two letters longer ("Georgians" are no people of Georgetown).
fn demonym_stem(word: &str) -> Option<&str> {
    ["ians", "ans", "ers", "ites"]
        .iter()
        .find_map(|ending| word.strip_suffix(ending))
        .filter(|stem| stem.len() >= 4 && stem.chars().next().is_some_and(char::is_uppercase))
}

/// Whether `word` is a role written in lower case before a person's name ("governor Rosselló",
/// "striker Ronaldo"): the titles news writes so; not "leader" ("market leader Nokia").
fn is_role(word: &str) -> bool {
    matches!(
        word,
        "actor"
            | "actress"
            | "ambassador"
            | "analyst"
            | "candidate"
            | "chairman"
            | "chairwoman"
            | "chancellor"
            | "coach"
            | "congressman"
            | "congresswoman"
            | "economist"
            | "envoy"
            | "goalkeeper"
            | "governor"
            | "lawmaker"
            | "mayor"
            | "midfielder"
            | "minister"
            | "novelist"
            | "premier"
            | "president"
            | "prosecutor"
            | "rapper"
            | "secretary"
            | "senator"
            | "singer"
            | "spokesman"
            | "spokesperson"
            | "spokeswoman"
            | "striker"
    )
}

/// Whether word `i` is a particle a hyphen joins on both sides inside a name, as in the names of
/// towns and sites: "Stratford-upon-Avon", "Aix-en-Provence", "Pech-de-l’Azé"; not the English
/// "of", "for" and "the" of a compound word ("Time-of-Flight").
fn hyphened_particle(words: &Words<'_>, i: usize) -> bool {
    let hyphen = |k: usize| is_hyphen(words.gap(k));
    i + 1 < words.len()
        && hyphen(i)
        && hyphen(i + 1)
        && (words.is(i, CONNECTOR) && !matches!(words.word(i), "of" | "for" | "the")
            || matches!(
                words.word(i),
                "am" | "an" | "au" | "aux" | "en" | "im" | "lès" | "on" | "sous" | "sur" | "upon"
            ))
}

/// Whether words `end` and `next` are the ends of a town's or site's name joined by hyphens around
/// one particle ([`hyphened_particle`]), the last word capitalised or elided before a capital
/// ("l’Azé", "d'Arc"): such a name is a place's.
fn is_hyphened_place(words: &Words<'_>, end: usize, next: usize) -> bool {
    let last = words.word(next);
    let elided = ["l’", "d’", "l'", "d'"].iter().find_map(|e| last.strip_prefix(e)).unwrap_or(last);
    next == end + 2
        && words.is_capitalised(end)
        && hyphened_particle(words, end + 1)
        && elided.chars().next().is_some_and(char::is_uppercase)
}

/// Whether word `next` is an "on" straight after a body's word, joining the body's name to what it
/// is about: "Commission on Presidential Debates", "Council on Foreign Relations"; not after a
/// company's suffix ("Tyranex Gold Inc on the…"), nor before "the" ("Joint Economic Committee on the
/// Justice Department investigation").
fn on_after_body(words: &Words<'_>, end: usize, next: usize) -> bool {
    next == end + 1
        && next + 1 < words.len()
        && words.word(next) == "on"
        && words.is_capitalised(next + 1)
        && words.stem_is(end, ORGANIZATION_WORD)
        && !is_company_suffix(words.word(end))
}

/// Whether `p` names a law, a treaty, a programme, a contest or an index, no actor, by its last word
/// ("Rubber Agreement", "Louvre Accord", "Clean Air Act", "Export Enhancement Program", "World Cup",
/// "Baltic Freight Index").
fn names_law(p: &Piece, words: &Words<'_>) -> bool {
    p.last > p.first && words.is(p.last, LAW_WORD | CONTEST_WORD)
}

/// Whether word `i` comes right before the name of a day of the week, with a space between:
/// together they name a day ("Super Tuesday", "Black Friday").
fn names_a_day(words: &Words<'_>, i: usize) -> bool {
    i + 1 < words.len() && words.gap(i + 1) == " " && DAYS.contains(&strip_possessive(words.word(i + 1)))
}

/// Whether word `i` is a label: right before a colon, a space and a capitalised word ("Image: US
/// Congress", "Source: Reuters").
fn labels(words: &Words<'_>, i: usize) -> bool {
    i + 1 < words.len() && words.gap(i + 1) == ": " && words.is_capitalised(i + 1)
}

/// The days of the week.
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Whether `p` follows a place preposition ("in Yerevan").
fn after_place_preposition(words: &Words<'_>, p: &Piece) -> bool {
    p.first > 0 && words.is(p.first - 1, PLACE_PREPOSITION) && words.gap(p.first).chars().all(char::is_whitespace)
}

/// The lines of a document with no lower-case letter (headlines, tables), from `body` on (a header
/// is not part of the first line), as byte ranges in order: found in one pass, so a document of one
/// long line costs no more than one of many.
struct CapitalLines<'s>(&'s [(usize, usize)]);

impl<'s> CapitalLines<'s> {
    /// The lines of `content` from `body` on, kept in `lines`.
    fn of(content: &str, body: usize, lines: &'s mut Vec<(usize, usize)>) -> CapitalLines<'s> {
        let bytes = content.as_bytes();
        lines.clear();
        let mut start = body;
        loop {
            // A line is read up to its first lower-case ASCII letter (nearly always a few bytes in),
            // or to its first other byte that needs a closer look; the rest is skipped to its end.
            let stop = bytes[start..].iter().position(|&b| b == b'\n' || b.is_ascii_lowercase() || b >= 0x80);
            let end = match stop.map(|k| start + k) {
                Some(k) if bytes[k] == b'\n' => {
                    lines.push((start, k));
                    k
                }
                Some(k) => {
                    let end = memchr::memchr(b'\n', &bytes[k..]).map_or(bytes.len(), |e| k + e);
                    if !bytes[k].is_ascii_lowercase() && !content[start..end].chars().any(char::is_lowercase) {
                        lines.push((start, end));
                    }
                    end
                }
                None => {
                    lines.push((start, bytes.len()));
                    bytes.len()
                }
            };
            if end == bytes.len() {
                break;
            }
            start = end + 1;
        }
        CapitalLines(lines)
    }

    /// Whether byte `at` stands on such a line.
    fn holds(&self, at: usize) -> bool {
        let i = self.0.partition_point(|&(start, _)| start <= at);
        i > 0 && at <= self.0[i - 1].1
    }
}

/// The name as reports give it: the words from `first` to `last`, white space folded, without a
/// final possessive.
fn name_text(content: &str, tokens: &[Token], first: usize, last: usize) -> Arc<str> {
    let end = tokens[last].start + strip_possessive(tokens[last].text(content)).len();
    fold_space(&content[tokens[first].start..end]).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::words_into;

    proptest::proptest! {
        #[test]
        fn words_equal_but_for_case_hash_alike(
            word in "([a-zA-Z0-9'.@\\[`{-]|k|\u{212a}|ß|ς|σ|Σ|é|É|İ|ǅ){0,20}",
            swaps in proptest::collection::vec(proptest::bool::ANY, 20),
        ) {
            // The same word with some letters' case swapped: Kelvin sign and k, final sigma and Σ…
            let other: String = word
                .chars()
                .zip(swaps.iter().chain(std::iter::repeat(&false)))
                .flat_map(|(c, &swap)| match (swap, c.is_uppercase()) {
                    (false, _) => vec![c],
                    (true, true) => c.to_lowercase().collect(),
                    (true, false) => c.to_uppercase().collect(),
                })
                .collect();
            if folded_eq(&word, &other) {
                proptest::prop_assert_eq!(folded_hash(&word), folded_hash(&other), "{} {}", word, other);
            }
        }

        #[test]
        fn ascii_is_lower_cased_eight_bytes_at_a_time(bytes in proptest::array::uniform8(0u8..0x80)) {
            let expected = u64::from_le_bytes(bytes.map(|b| b.to_ascii_lowercase()));
            proptest::prop_assert_eq!(ascii_lower_case(u64::from_le_bytes(bytes)), expected);
        }

        #[test]
        fn lines_in_capitals_are_the_lines_with_no_lower_case_letter(text in "([A-Zaéz É1 .\n]|ß|ÉTAT){0,40}", body in 0usize..8) {
            let body = (0..=body.min(text.len())).rev().find(|&b| text.is_char_boundary(b)).unwrap();
            let mut expected = Vec::new();
            let mut start = body;
            for line in text[body..].split('\n') {
                if !line.chars().any(char::is_lowercase) {
                    expected.push((start, start + line.len()));
                }
                start += line.len() + 1;
            }
            let mut lines = Vec::new();
            proptest::prop_assert_eq!(CapitalLines::of(&text, body, &mut lines).0, expected.as_slice());
        }
    }

    fn mentions(text: &str) -> Vec<String> {
        let dict = ActorDictionary::builtin();
        let mut tokens = Vec::new();
        words_into(text, 0, &mut tokens);
        let mut out = Vec::new();
        find_mentions(&dict, text, &tokens, None, &mut out);
        for m in &out {
            assert!(m.end <= text.len() && m.start < m.end, "{m:?}");
        }
        out.iter()
            .map(|m| format!("{}={}/{}/{}", &text[m.start..m.end], m.actor, m.kind.as_str(), m.form.as_str()))
            .collect()
    }

    /// Runs every case of `name_cases.tsv`, and says which failed.
    #[test]
    fn the_case_file_holds() {
        let mut failed = Vec::new();
        let mut cases = 0;
        for line in include_str!("name_cases.tsv").lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (text, expected) = line.split_once('\t').unwrap_or_else(|| panic!("no tab in case {line:?}"));
            let unescape = |s: &str| s.replace("\\n", "\n");
            let text = unescape(text);
            let expected: Vec<String> = expected.split(" | ").filter(|e| !e.is_empty()).map(unescape).collect();
            let found = mentions(&text);
            if found != expected {
                failed.push(format!("{text:?}\n  expected {expected:?}\n  found    {found:?}"));
            }
            cases += 1;
        }
        assert!(cases >= 20, "only {cases} cases read");
        assert!(failed.is_empty(), "{} of {cases} cases failed:\n{}", failed.len(), failed.join("\n"));
    }

    #[test]
    fn function_words_days_and_months_are_not_actors() {
        assert!(mentions("Ahead of talks on Friday, officials met. Instead the group waited. During October nothing.")
            .is_empty());
        assert!(mentions("The Friday meeting. On October 12 they met. He said It was.").is_empty());
    }

    #[test]
    fn lines_in_capitals_are_found_in_one_pass() {
        let text = "date 2020-01-01 ARMENIA WINS\nThe CSTO met.\nTABLE 1\n\nend";
        let body = text.find("ARMENIA").unwrap();
        let mut lines = Vec::new();
        let lines = CapitalLines::of(text, body, &mut lines);
        let at = |word: &str| text.find(word).unwrap();
        assert!(lines.holds(at("ARMENIA")) && lines.holds(at("WINS")) && lines.holds(at("TABLE")));
        assert!(!lines.holds(at("CSTO")) && !lines.holds(at("end")));
    }

    #[test]
    fn an_acronym_defined_in_the_text_names_its_expansion() {
        assert_eq!(
            mentions(
                "The Eurasian Economic Union (EAEU) met. Later the EAEU's chief and the Bank of England (BOE) spoke."
            ),
            [
                "Eurasian Economic Union=Eurasian Economic Union/organization/name",
                "EAEU=Eurasian Economic Union/organization/acronym",
                "EAEU=Eurasian Economic Union/organization/acronym",
                "Bank of England=Bank of England/organization/name",
                "BOE=Bank of England/organization/acronym"
            ]
        );
        // Letters that are not the initials define nothing.
        let loose = mentions("The Eurasian Economic Union (EEC) met.");
        assert!(loose.iter().all(|m| !m.starts_with("EEC=Eurasian")), "{loose:?}");
    }

    #[test]
    fn hard_wrapped_text_is_told_by_its_lines_going_on_in_lower_case() {
        // Reuters-21578: paragraphs broken into lines, indented.
        let reuters = "The world trade body GATT has decided to\nset up a panel by Canada and\nthe European \
                       Community.\n    Canada and the EC told a GATT (General Agreement on Tariffs\nand Trade) council";
        assert!(is_hard_wrapped(reuters));
        // CoNLL-2003: a sentence a line; Wikinews: a paragraph a line, blank lines between.
        let conll = "CRICKET - ENGLISH COUNTY CHAMPIONSHIP SCORES .\nLONDON 1996-08-30\nResult and close of play \
                     .\nLeicester : Leicestershire beat Somerset .\nSomerset 83 and 174 ( P. Simmons 4-38 ) .";
        assert!(!is_hard_wrapped(conll));
        assert!(!is_hard_wrapped("A paragraph.\n\nand one more\n\nand another\n\nand the last"));
        // One line going on in lower case is not enough.
        assert!(!is_hard_wrapped("Title\nthe text goes on"));
        assert!(is_soft_wrap("\n") && is_soft_wrap(",\r\n") && !is_soft_wrap("\n    ") && !is_soft_wrap("\n\n"));
    }

    #[test]
    fn in_hard_wrapped_text_a_line_break_inside_a_paragraph_is_a_space() {
        let wrapped = "talks with Japanese finance minister Kiichi\nMiyazawa after their meeting. He was\n\
                       calm, and later Miyazawa met\nthe Bank of England and\nNigel Lawson.";
        assert_eq!(
            mentions(wrapped),
            [
                "Japanese=Japan/place/adjective",
                "Kiichi\nMiyazawa=Kiichi Miyazawa/person/name",
                "Miyazawa=Kiichi Miyazawa/person/surname",
                "Bank of England=Bank of England/organization/name",
                "Nigel Lawson=Nigel Lawson/person/name"
            ]
        );
        let dict = ActorDictionary::builtin();
        let mut tokens = Vec::new();
        words_into(wrapped, 0, &mut tokens);
        let mut out = Vec::new();
        find_mentions(&dict, wrapped, &tokens, None, &mut out);
        let sentences: Vec<u32> = out.iter().map(|m| m.sentence).collect();
        assert_eq!(sentences, [0, 0, 1, 1, 1], "the line breaks open no sentence");
        // A sentence a line: the line break ends the name and opens a sentence.
        let lines = "SOCCER - JAPAN WIN .\nNadim Ladki\nAL-AIN , United Arab Emirates 1996-12-06\nJapan began well .";
        let found = mentions(lines);
        assert!(found.contains(&"Nadim Ladki=Nadim Ladki/person/name".to_string()), "{found:?}");
        assert!(found.iter().all(|m| !m.contains("Ladki\nAL")), "{found:?}");
    }

    #[test]
    fn a_title_of_an_office_names_the_person_after_it() {
        assert_eq!(
            mentions(
                "with Chancellor of the Exchequer Nigel Lawson, Secretary of Defense Lloyd Austin, the Minister of \
                 Foreign Affairs Zohrab Mnatsakanyan and Secretary of State Baker"
            ),
            [
                "Nigel Lawson=Nigel Lawson/person/name",
                "Lloyd Austin=Lloyd Austin/person/name",
                "Zohrab Mnatsakanyan=Zohrab Mnatsakanyan/person/name",
                "Baker=Baker/person/name"
            ]
        );
        // A title's surname is that person elsewhere in the document, unless a full name ends in it.
        assert_eq!(
            mentions("President Reagan met them. Reagan said no, and Mr Lavrov met Sergei Lavrov's aide."),
            [
                "Reagan=Reagan/person/name",
                "Reagan=Reagan/person/surname",
                "Lavrov=Sergei Lavrov/person/surname",
                "Sergei Lavrov=Sergei Lavrov/person/name"
            ]
        );
        // What an office is of, alone, names no one; "de", "van"… are part of a name.
        assert_eq!(
            mentions("the Chairman of the House spoke, and Mayor de Blasio"),
            ["House=House/organization/name", "Blasio=Blasio/person/name"]
        );
        // An organization or a place after a title names no one.
        assert_eq!(
            mentions("the General Assembly met the Governor of Tyumen Oblast in Prince Edward Island"),
            [
                "General Assembly=General Assembly/organization/name",
                "Tyumen Oblast=Tyumen Oblast/place/name",
                "Prince Edward Island=Prince Edward Island/place/name"
            ]
        );
    }

    #[test]
    fn trade_bodies_and_rating_agencies_of_financial_news_are_in_the_dictionary() {
        assert_eq!(
            mentions(
                "a GATT (General Agreement on Tariffs\nand Trade) council; rated by Standard and Poor's and Moody's"
            ),
            [
                "GATT=General Agreement on Tariffs and Trade/organization/acronym",
                "General Agreement on Tariffs\nand Trade=General Agreement on Tariffs and Trade/organization/name",
                "Standard and Poor=Standard & Poor's/organization/name",
                "Moody=Moody's Investors Service/organization/name"
            ]
        );
    }

    #[test]
    fn roman_numerals_are_told_by_being_written_back_alike() {
        for numeral in ["II", "IV", "IX", "XIX", "XVIII", "XXI", "XXXIX"] {
            assert!(is_roman_numeral(numeral), "{numeral}");
        }
        for word in ["I", "IIII", "VX", "XXXX", "DC", "MD", "XL", "CIA", "Xi", "XIX.", ""] {
            assert!(!is_roman_numeral(word), "{word}");
        }
        assert_eq!((to_roman(1996), to_roman(3999)), ("MCMXCVI".to_string(), "MMMCMXCIX".to_string()));
    }

    #[test]
    fn the_first_words_of_a_currency_or_product_name_no_actor() {
        let found =
            mentions("It rose to 1.52 Swiss francs. Swiss banks and Red Hat Enterprise Linux users met Red Hat.");
        let texts: Vec<&str> = found.iter().map(|m| m.split('=').next().unwrap()).collect();
        assert_eq!(texts, ["Swiss", "Red Hat"], "{found:?}");
        assert!(found[0].starts_with("Swiss=Switzerland/place"), "{found:?}");
    }

    #[test]
    fn faiths_and_languages_are_no_actors_and_make_no_person() {
        assert_eq!(
            mentions("we met Muslims, Jews and Sikhs. He wrote the Atheist Muslim in Hindi, and Muslim spoke."),
            Vec::<String>::new()
        );
        assert_eq!(
            mentions("the Islamic State and the Muslim Brotherhood. Later Christian Keysers spoke."),
            [
                "Islamic State=Islamic State/organization/name",
                "Muslim Brotherhood=Muslim Brotherhood/organization/name",
                "Christian Keysers=Christian Keysers/person/name"
            ]
        );
    }

    #[test]
    fn case_is_folded_beyond_ascii_without_copies() {
        // "Öffnung" stands alone and is also written "öffnung": an ordinary word.
        assert_eq!(mentions("Wir sahen Öffnung, und die tür kam."), ["Öffnung=Öffnung/organization/name"]);
        assert_eq!(mentions("Wir sahen Öffnung, und die öffnung kam."), Vec::<String>::new());
        // A final sigma is a sigma; an accent is no case.
        for (a, b) in [("Σοφός", "σοφός"), ("ΣΟΦΟΣ", "σοφοσ"), ("ΣΟΦΟΣ", "σοφος"), ("Make", "make"), ("Öl", "öl")]
        {
            assert!(folded_eq(a, b), "{a} {b}");
            assert_eq!(folded_hash(a), folded_hash(b), "{a} {b}");
        }
        assert!(!folded_eq("Make", "makes") && !folded_eq("Ol", "öl") && !folded_eq("ΣΟΦΟΣ", "σοφός"));
    }

    #[test]
    fn a_headline_after_the_date_header_is_in_capitals() {
        let text = " date 1987-03-02 ACME INC <ACME> QTR NET\nShr 10 cts vs 8 cts";
        let body = crate::corpus::parse_header(text).body_start;
        let mut tokens = Vec::new();
        words_into(&text[body..], body, &mut tokens);
        let mut out = Vec::new();
        find_mentions(&ActorDictionary::builtin(), text, &tokens, None, &mut out);
        assert_eq!(out, []);
    }

    #[test]
    fn suffixes_initials_and_compass_points_alone_are_no_actors() {
        assert_eq!(mentions("the deal with Co and P and the West"), Vec::<String>::new());
    }

    #[test]
    fn mentions_know_their_sentence() {
        let text = "Armenia met Russia. Then NATO spoke.\nCSTO. U.S. officials and the EU agreed";
        let dict = ActorDictionary::builtin();
        let mut tokens = Vec::new();
        words_into(text, 0, &mut tokens);
        let mut out = Vec::new();
        find_mentions(&dict, text, &tokens, None, &mut out);
        let got: Vec<(&str, u32)> = out.iter().map(|m| (&text[m.start..m.end], m.sentence)).collect();
        assert_eq!(got, [("Armenia", 0), ("Russia", 0), ("NATO", 1), ("CSTO", 2), ("U.S.", 3), ("EU", 3)]);
    }
}
