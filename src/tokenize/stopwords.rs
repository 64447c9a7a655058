//! Stopwords: the function words corpus tools flag. English by default: the 179 words of NLTK's
//! classic English list, written out for tally, and 25 that news writes as often ("would", "could",
//! "also", "however", "mr"...). Deliberately short: words such as "us", "un" or "new" are not in it,
//! since in news they often stand for actors, nor "may" (a month) or "said" (how much a corpus quotes
//! is worth seeing; a file list adds it). Short lists of our own for German, French, Spanish,
//! Russian, Armenian, Chinese and Japanese, none, or a file of the user's (`--stopwords LANG|FILE`).

use std::collections::HashSet;
use std::path::Path;

/// NLTK's classic English list, lower-case, sorted.
const ENGLISH: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "ain",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "couldn",
    "couldn't",
    "d",
    "did",
    "didn",
    "didn't",
    "do",
    "does",
    "doesn",
    "doesn't",
    "doing",
    "don",
    "don't",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn",
    "hadn't",
    "has",
    "hasn",
    "hasn't",
    "have",
    "haven",
    "haven't",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "ll",
    "m",
    "ma",
    "me",
    "mightn",
    "mightn't",
    "more",
    "most",
    "mustn",
    "mustn't",
    "my",
    "myself",
    "needn",
    "needn't",
    "no",
    "nor",
    "not",
    "now",
    "o",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "s",
    "same",
    "shan",
    "shan't",
    "she",
    "she's",
    "should",
    "should've",
    "shouldn",
    "shouldn't",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "that'll",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "ve",
    "very",
    "was",
    "wasn",
    "wasn't",
    "we",
    "were",
    "weren",
    "weren't",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "won't",
    "wouldn",
    "wouldn't",
    "y",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Function words of news prose NLTK's list leaves out, lower-case, sorted: with [`ENGLISH`], the list
/// `en`.
const NEWS_ENGLISH: &[&str] = &[
    "also", "although", "among", "cannot", "could", "however", "might", "mr", "mrs", "ms", "must", "onto", "per",
    "shall", "since", "though", "unless", "upon", "via", "whether", "whose", "within", "without", "would", "yet",
];

/// German: articles, pronouns, prepositions, conjunctions, auxiliaries.
const GERMAN: &str = "aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis bist da damit dann \
    das dass daß dein deine dem den denn der des dich die dies diese diesem diesen dieser dieses dir doch dort du durch \
    ein eine einem einen einer eines er es etwa euch euer für gegen hat haben hatte hatten hier ich ihm ihn ihnen ihr \
    ihre im in ins ist jede jedem jeden jeder jedes jener kann kein keine können man mein meine mich mir mit muss \
    müssen nach nicht noch nur ob oder ohne seid sein seine seit sich sie sind so soll sollen sondern sehr über um und \
    uns unser unsere unter vom von vor war waren was weil welche welcher welches wenn wer werden wie wir will wird \
    wo wollen wurde wurden zu zum zur zwischen während";

/// French: articles, pronouns, prepositions, conjunctions, forms of être and avoir.
const FRENCH: &str = "a ai au aux avec avait avoir c ce ces cet cette d dans de des donc dont du elle elles en entre \
    est et était été être eu fait il ils j je l la le les leur leurs lui m ma mais me mes moi mon même n ne ni nos \
    notre nous on ont ou où par pas pour qu que qui s sa sans se ses si son sont sous sur t ta te tes toi ton tous \
    tout toute toutes tu un une vos votre vous y à ça";

/// Spanish: articles, pronouns, prepositions, conjunctions, forms of ser, estar and haber.
const SPANISH: &str = "a al algo como con contra cual cuando de del desde donde e el ella ellas ellos en entre era \
    es esa esas ese eso esos esta estaba estado estas este esto estos está están fue fueron ha había han hasta hay la \
    las le les lo los me mi mis muy más mí nada ni no nos nosotros o os otra otro para pero por porque que quien se \
    ser si sin sino sobre son su sus también tan te tiene todo todos tu tus u un una unas uno unos y ya yo él";

/// Russian: pronouns, prepositions, conjunctions, particles, forms of быть.
const RUSSIAN: &str = "а без бы был была были было быть в вам вас весь во вот все всё всех вы где да даже для до \
    его ее её ей ему если есть ещё еще ж же за и из или им их к как ко когда кто ли либо мне мы на над нас не него \
    нее неё ней нет ни них но ну о об однако он она они оно от по под при про с со так также то тоже только у уже \
    чем что чтобы эта эти это этот я";

/// Armenian: pronouns, postpositions, conjunctions, forms of լինել.
const ARMENIAN: &str = "այդ այն այս այստեղ այնտեղ ապա արդեն բայց բոլոր դեպի դեռ դուք է եթե եմ են ենք ես եք \
    երբ էին էլ էր ըստ թե ինչ ինչպես իմ իր իրենց համար հենց հետ մասին մեջ մենք մեր մի միայն միջև մինչ նա \
    նաև նույն նույնպես նրա նրանք նրանց շատ ոչ որ որը որի որոնք ու ուր չեն չէ չի պետք վրա և";

/// Chinese function words, simplified and traditional: particles, pronouns, conjunctions,
/// prepositions and auxiliaries, as the dictionary segmenter gives them (see `cjk.rs`).
const CHINESE: &str = "的 了 着 著 过 過 地 得 之 其 是 在 有 和 与 與 及 或 而 并 並 也 就 都 又 还 還 但 却 卻 \
    于 於 以 为 為 对 對 从 從 由 被 把 将 將 向 到 等 这 這 那 此 该 該 个 個 些 各 每 我 你 他 她 它 我们 我們 \
    你们 你們 他们 他們 她们 她們 它们 它們 自己 不 没 沒 没有 沒有 很 更 最 已 已经 已經 会 會 能 可以 要 吗 嗎 \
    呢 吧 啊 所 如果 因为 因為 所以 但是 而且 以及 或者 虽然 雖然 如 即 则 則 乃";

/// Japanese function words: particles, auxiliaries, the forms of する, いる, ある and なる, and
/// demonstratives, as the dictionary segmenter gives them (see `cjk.rs`).
const JAPANESE: &str = "の に は を が で と も へ や か から まで より だ です ます た て い する し して さ \
    いる ある あり あっ ない なる なり なっ れる られる れ られ こと もの この その あの これ それ あれ ため \
    よう など という として について による により において また および しかし ので のみ";

/// A stopword list: the words `is_stopword` flags and `--drop-stopwords` leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopwords {
    /// What `--stopwords` named: a language, `none`, or a file.
    name: String,
    words: WordSet,
}

/// Looked up once per new term, with the fast hasher the term maps use.
type WordSet = HashSet<String, foldhash::fast::RandomState>;

impl Default for Stopwords {
    fn default() -> Self {
        Stopwords::named("en").expect("en is a language")
    }
}

/// The languages `--stopwords` knows by name.
pub const LANGUAGES: &[&str] = &["en", "de", "fr", "es", "ru", "hy", "zh", "ja", "none"];

impl Stopwords {
    /// The list `--stopwords` names: a language of [`LANGUAGES`] (or its English name), a UTF-8 file
    /// of one word a line (`#` starts a comment), lower-cased as terms are, or several of these
    /// separated by commas (`en,ru,hy`), for a corpus in several languages: their words together.
    pub fn named(name: &str) -> Result<Stopwords, String> {
        if name.contains(',') && !Path::new(name).is_file() {
            let mut words = WordSet::default();
            for part in name.split(',').map(str::trim) {
                words.extend(Stopwords::named(part)?.words);
            }
            return Ok(Stopwords { name: name.to_string(), words });
        }
        let words: WordSet = match name.to_lowercase().as_str() {
            "en" | "english" => ENGLISH.iter().chain(NEWS_ENGLISH).map(|w| w.to_string()).collect(),
            "none" => WordSet::default(),
            "de" | "german" => GERMAN.split_whitespace().map(str::to_string).collect(),
            "fr" | "french" => FRENCH.split_whitespace().map(str::to_string).collect(),
            "es" | "spanish" => SPANISH.split_whitespace().map(str::to_string).collect(),
            "ru" | "russian" => RUSSIAN.split_whitespace().map(str::to_string).collect(),
            "hy" | "armenian" => ARMENIAN.split_whitespace().map(str::to_string).collect(),
            "zh" | "chinese" => CHINESE.split_whitespace().map(str::to_string).collect(),
            "ja" | "japanese" => JAPANESE.split_whitespace().map(str::to_string).collect(),
            _ if Path::new(name).is_file() => {
                // As documents are read: a BOM is not a word, UTF-16 with its BOM is text.
                let text =
                    crate::corpus::read_to_string(Path::new(name)).map_err(|e| format!("stopword file {name}: {e}"))?;
                let mut buf = String::new();
                text.lines()
                    .map(|line| line.split('#').next().unwrap_or("").trim())
                    .filter(|w| !w.is_empty())
                    .map(|w| super::term_of(w, &mut buf).to_string())
                    .collect()
            }
            _ => return Err(format!("--stopwords {name}: neither a language ({}) nor a file", LANGUAGES.join(", "))),
        };
        Ok(Stopwords { name: name.to_string(), words })
    }

    /// Whether `term` (a term: lower-case) is a stopword.
    pub fn contains(&self, term: &str) -> bool {
        self.words.contains(term)
    }

    /// The Snowball stemmer of the list's language (`--stem`), the first one's when it names several:
    /// English for `none` and for a file.
    pub fn stem_language(&self) -> &'static str {
        let first = self.name.split(',').next().unwrap_or_default().trim();
        match first.to_lowercase().as_str() {
            "de" | "german" => "german",
            "fr" | "french" => "french",
            "es" | "spanish" => "spanish",
            "ru" | "russian" => "russian",
            "hy" | "armenian" => "armenian",
            _ => "english",
        }
    }

    /// The stemmer tally has by the name `name` (as [`Stopwords::stem_language`] gives it).
    pub fn stem_language_named(name: &str) -> Option<&'static str> {
        ["english", "german", "french", "spanish", "russian", "armenian"].into_iter().find(|&l| l == name)
    }

    /// What `--stopwords` named.
    pub fn name(&self) -> &str {
        &self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_list_flags_function_words_only() {
        let en = Stopwords::default();
        assert_eq!(en.words.len(), ENGLISH.len() + NEWS_ENGLISH.len(), "no word twice");
        for word in ["the", "of", "and", "won't", "yourselves"] {
            assert!(en.contains(word), "{word}");
        }
        for word in ["would", "could", "also", "however", "mr"] {
            assert!(en.contains(word), "{word}");
        }
        for word in ["us", "un", "new", "state", "armenia", "The", "may", "said"] {
            assert!(!en.contains(word), "{word}");
        }
    }

    #[test]
    fn languages_by_name_and_lists_from_files() {
        assert!(Stopwords::named("ru").unwrap().contains("что"));
        let (zh, ja) = (Stopwords::named("zh").unwrap(), Stopwords::named("japanese").unwrap());
        assert!(zh.contains("的") && zh.contains("我们") && !zh.contains("北京"));
        assert!(ja.contains("の") && ja.contains("について") && !ja.contains("東京"));
        assert!(Stopwords::named("Armenian").unwrap().contains("և"));
        assert!(Stopwords::named("de").unwrap().contains("über"));
        assert!(!Stopwords::named("none").unwrap().contains("the"));
        for lang in LANGUAGES {
            let list = Stopwords::named(lang).unwrap();
            // Written lower-case, as terms are, or no term could ever match.
            assert!(list.words.iter().all(|w| w.to_lowercase() == *w), "{lang}");
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stop.txt");
        std::fs::write(&file, "# ours\nSaid\n  reuters  # the agency\n\n").unwrap();
        let list = Stopwords::named(file.to_str().unwrap()).unwrap();
        assert!(list.contains("said") && list.contains("reuters") && !list.contains("the"));
        std::fs::write(&file, "\u{feff}said\n").unwrap();
        assert!(Stopwords::named(file.to_str().unwrap()).unwrap().contains("said"), "a BOM made part of a word");
        let err = Stopwords::named("klingon").unwrap_err();
        assert!(err.contains("klingon") && err.contains("en, de"), "{err}");
    }

    #[test]
    fn several_lists_by_commas_give_their_words_together() {
        let list = Stopwords::named("en, ru,hy").unwrap();
        for word in ["the", "что", "և"] {
            assert!(list.contains(word), "{word}");
        }
        assert!(!list.contains("armenia"));
        let sizes: usize = ["en", "ru", "hy"].iter().map(|l| Stopwords::named(l).unwrap().words.len()).sum();
        assert!(list.words.len() <= sizes && list.words.len() > Stopwords::default().words.len());
        assert_eq!(list.stem_language(), "english");
        assert_eq!(Stopwords::named("ru,en").unwrap().stem_language(), "russian");
        // A wrong part is named.
        let err = Stopwords::named("en,klingon").unwrap_err();
        assert!(err.contains("--stopwords klingon"), "{err}");
        // A file whose name holds a comma is a file.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stop,words.txt");
        std::fs::write(&file, "reuters\n").unwrap();
        let list = Stopwords::named(file.to_str().unwrap()).unwrap();
        assert!(list.contains("reuters") && !list.contains("the"));
    }
}
