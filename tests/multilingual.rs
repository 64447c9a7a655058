//! The Universal Dependencies test text in Armenian, Russian and Chinese (`../shared/corpora/
//! multilingual`, skipped when absent): the countries and capitals it names, in the cases it writes
//! them, are places of the actor the dictionary knows, and no person or organization.

use crate::common::*;

/// Names the text writes (a reader's list, looked up in the text, not in tally's output) and the actor
/// each names.
const NAMED: &[(&str, &[(&str, &str)])] = &[
    (
        "hy_armtdp-test.txt",
        &[
            ("Հայաստանի Հանրապետության", "Armenia"),
            ("Ղազախստանի", "Kazakhstan"),
            ("Երևանի", "Yerevan"),
            ("ԵՐԵՎԱՆԻ", "Yerevan"),
        ],
    ),
    (
        "ru_gsd-test.txt",
        &[
            ("Российской Федерации", "Russia"),
            ("России", "Russia"),
            ("США", "United States"),
            ("Москвы", "Moscow"),
            ("Украины", "Ukraine"),
            ("Казахстана", "Kazakhstan"),
            ("Лондон", "London"),
        ],
    ),
    (
        "zh_gsd-test.txt",
        &[
            ("日本", "Japan"),
            ("美國", "United States"),
            ("中國", "China"),
            ("德國", "Germany"),
            ("加拿大", "Canada"),
            ("巴黎", "Paris"),
        ],
    ),
];

#[test]
fn countries_and_capitals_in_armenian_russian_and_chinese_are_places() {
    let Some(corpus) = shared_corpus("multilingual") else { return };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for (file, _) in NAMED {
        std::fs::copy(corpus.join(file), input.join(file)).unwrap();
    }
    let out = dir.path().join("out");
    run_ok(&[&input], &out, &["--format", "csv"]);
    let mentions = read_csv(&out.join("mentions.csv"));
    for (file, named) in NAMED {
        let text = std::fs::read_to_string(input.join(file)).unwrap();
        let of_file: Vec<_> = mentions.iter().filter(|m| m["doc"] == *file).collect();
        for (name, actor) in *named {
            let (mut seen, mut places) = (0, 0);
            for (at, _) in text.match_indices(name) {
                let end = at + name.len();
                let letter = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() && !is_han(c));
                if letter(text[..at].chars().next_back()) || letter(text[end..].chars().next()) {
                    continue;
                }
                seen += 1;
                let span = |m: &&&std::collections::BTreeMap<String, String>| {
                    (m["start"].parse::<usize>().unwrap(), m["end"].parse::<usize>().unwrap())
                };
                let covering = of_file.iter().find(|m| span(m).0 <= at && end <= span(m).1);
                let Some(m) = covering else { panic!("{file}: {name:?} at {at} is no mention") };
                // The name itself is never another actor or kind; a longer name may hold it (a
                // sentence's first word joined to it), rarely.
                if span(&m) == (at, end) {
                    assert_eq!(
                        (m["kind"].as_str(), m["actor"].as_str()),
                        ("place", *actor),
                        "{file}: {name:?} at {at}"
                    );
                }
                places += usize::from(m["kind"] == "place" && m["actor"] == *actor);
            }
            assert!(seen > 0, "{file} no longer writes {name:?}");
            assert!(places * 10 >= seen * 9, "{file}: {name:?} is {actor} {places} times of {seen}");
        }
    }
}

/// Whether `c` is a Han ideograph, which stands next to others with no space between words.
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}
