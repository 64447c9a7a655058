//! Users' own actor dictionaries (`--actors FILE`): a PETRARCH/CAMEO file and a CSV file written
//! here, codes that switch at their date, and wrong files that stop the run naming the line.

use std::fs;
use std::path::Path;

use crate::common::*;

/// Two documents a day either side of Lavrov's switch from RUSELI to RUSGOV (2004-03-09).
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let docs = [
        ("a.txt", "2004-03-08", "Sergei Lavrov met the Grand Duchy Council in Yerevan. Lavrov smiled."),
        ("b.txt", "2004-03-09", "Sergei Lavrov spoke again. Later Lavrov met Zorb Quux of the Grand Duchy Council."),
        ("c.txt", "2004-03-10", "Quux and @SUM(A1) signed."),
    ];
    for (name, date, text) in docs {
        fs::write(dir.path().join(name), format!(" date {date} \n{text}\n")).unwrap();
    }
    dir
}

const PETRARCH: &str = "# people, written for this test\n\
SERGEY_LAVROV_  ; foreign minister\n\
+SERGEI_LAVROV\n\
\t[RUSELI <20040308]\n\
\t[RUSGOV >20040309]\n\
\n\
GRAND_DUCHY_COUNCIL_ [GDCGOV]\n";

const CSV: &str = "actor,kind,code,aliases\n\
Zorb Quux,person,QUXGOV <2004-03-08; QUXOPP >2004-03-10,Quux\n\
@SUM(A1),organization,,\n";

#[test]
fn petrarch_and_csv_dictionaries_with_a_code_switching_at_its_date() {
    let docs = corpus();
    let dicts = tempfile::tempdir().unwrap();
    let petrarch = dicts.path().join("people.actors.txt");
    let table = dicts.path().join("mine.csv");
    fs::write(&petrarch, PETRARCH).unwrap();
    fs::write(&table, CSV).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (p, t) = (petrarch.display().to_string(), table.display().to_string());
    run_ok(&[docs.path()], out.path(), &["--actors", &p, "--actors", &t]);

    let mentions = read_csv(&out.path().join("mentions.csv"));
    let of = |doc: &str, actor: &str| -> Vec<(String, String, String)> {
        mentions
            .iter()
            .filter(|m| m["doc"] == doc && m["actor"] == actor)
            .map(|m| (m["text"].clone(), m["form"].clone(), m["code"].clone()))
            .collect()
    };
    let row = |text: &str, form: &str, code: &str| (text.to_string(), form.to_string(), code.to_string());
    // The day before the switch: RUSELI; "Lavrov" alone resolves to the dictionary's actor.
    assert_eq!(
        of("a.txt", "Sergey Lavrov"),
        [row("Sergei Lavrov", "name", "RUSELI"), row("Lavrov", "surname", "RUSELI")]
    );
    // The day of the switch: RUSGOV.
    assert_eq!(
        of("b.txt", "Sergey Lavrov"),
        [row("Sergei Lavrov", "name", "RUSGOV"), row("Lavrov", "surname", "RUSGOV")]
    );
    // A phrase in capitals matches the text with capital initials, its undated code always applies.
    assert_eq!(of("a.txt", "Grand Duchy Council"), [row("Grand Duchy Council", "name", "GDCGOV")]);
    // CSV: a code up to a date, none on the day between, another from the next day.
    assert_eq!(of("b.txt", "Zorb Quux"), [row("Zorb Quux", "name", "")]);
    assert_eq!(of("c.txt", "Zorb Quux"), [row("Quux", "name", "QUXOPP")]);

    let actors = read_csv(&out.path().join("actors.csv"));
    let actor = |name: &str| actors.iter().find(|a| a["actor"] == name).unwrap_or_else(|| panic!("no {name}"));
    let lavrov = actor("Sergey Lavrov");
    assert_eq!((lavrov["kind"].as_str(), lavrov["source"].as_str()), ("person", "dictionary"));
    assert_eq!(lavrov["mentions"], "4");
    // Two mentions each: the code reported is the first in byte order.
    assert_eq!(lavrov["code"], "RUSELI");
    assert_eq!(actor("Grand Duchy Council")["kind"], "organization");
    // An actor named like a formula is text in the CSV.
    assert_eq!(actor("'@SUM(A1)")["kind"], "organization");
    let manifest = read_manifest(out.path());
    assert_eq!(manifest["settings"]["actors"], serde_json::json!([p, t]));
}

#[test]
fn an_actor_named_like_a_formula_stays_text_in_the_workbook() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let docs = corpus();
    let dicts = tempfile::tempdir().unwrap();
    let table = dicts.path().join("mine.csv");
    fs::write(&table, CSV).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&[docs.path()], out.path(), &["--actors", &table.display().to_string()]);
    let mut book: Xlsx<_> = open_workbook(out.path().join("tally.xlsx")).unwrap();
    let actors = book.worksheet_range("actors").unwrap();
    assert!(actors.rows().any(|r| r[0] == Data::String("@SUM(A1)".into())), "no @SUM(A1) actor");
    let formulas = book.worksheet_formula("actors").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "a formula in the actors sheet");
}

/// `tally run DOCS --out OUT --actors DICTIONARY`, succeeding or not.
fn run_with_dictionary(docs: &Path, out: &Path, dictionary: &Path) -> std::process::Output {
    let [docs, out, dictionary] = [docs, out, dictionary].map(|p| p.display().to_string());
    tally(&["run", &docs, "--out", &out, "--actors", &dictionary])
}

#[test]
fn a_wrong_dictionary_stops_the_run_naming_the_file_and_line() {
    let docs = corpus();
    let dicts = tempfile::tempdir().unwrap();
    let bad = dicts.path().join("bad.actors.txt");
    fs::write(&bad, "SERGEY_LAVROV_\n+SERGEI_LAVROV\n\t[RUSGOV >20041332]\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = run_with_dictionary(docs.path(), out.path(), &bad);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.actors.txt, line 3") && stderr.contains("20041332"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "reports written after a bad dictionary");

    // A PETRARCH file named otherwise is read as CSV: the error says how to name it.
    let misnamed = dicts.path().join("people.txt");
    fs::write(&misnamed, "SERGEY_LAVROV_\n+SERGEI_LAVROV\n").unwrap();
    let output = run_with_dictionary(docs.path(), out.path(), &misnamed);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("*.actors.txt"), "{output:?}");

    let missing = tally(&["actors", "--actors", "no-such.csv", "seeds"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such.csv"));
}

#[test]
fn a_quote_or_comment_that_never_closes_stops_the_run_at_its_line() {
    let docs = corpus();
    let dicts = tempfile::tempdir().unwrap();
    // Read on, the rest of the CSV would be one actor, and the rest of the PETRARCH file a comment.
    let table = dicts.path().join("open.csv");
    fs::write(&table, "actor,kind\nZorb Quux,person\n\"Grand Duchy Council,organization\nArmenia,place\n").unwrap();
    let petrarch = dicts.path().join("open.actors.txt");
    fs::write(&petrarch, "SERGEY_LAVROV_\n<!-- people to add\nGRAND_DUCHY_COUNCIL_ [GDCGOV]\n").unwrap();
    for (file, line, what) in [(&table, 3, "quoted field"), (&petrarch, 2, "`<!--`")] {
        let out = tempfile::tempdir().unwrap();
        let output = run_with_dictionary(docs.path(), out.path(), file);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{}: {stderr}", file.display());
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(stderr.contains(&format!("{name}, line {line}: ")), "{stderr}");
        assert!(stderr.contains(what) && stderr.contains("never closed"), "{stderr}");
        assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "reports written after a bad dictionary");
    }
}

#[test]
fn a_dictionary_with_a_byte_order_mark_or_in_utf16_reads_its_first_line() {
    let docs = corpus();
    let dicts = tempfile::tempdir().unwrap();
    // With the BOM read as text, the header's first column is "\u{feff}actor" and no `actor` is found.
    let bom = dicts.path().join("bom.csv");
    fs::write(&bom, format!("\u{feff}{CSV}")).unwrap();
    let utf16 = dicts.path().join("utf16.actors.txt");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(PETRARCH.encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(&utf16, bytes).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (b, u) = (bom.display().to_string(), utf16.display().to_string());
    run_ok(&[docs.path()], out.path(), &["--actors", &b, "--actors", &u]);
    let actors = read_csv(&out.path().join("actors.csv"));
    for name in ["Zorb Quux", "Sergey Lavrov", "Grand Duchy Council"] {
        assert!(actors.iter().any(|a| a["actor"] == name && a["source"] == "dictionary"), "no {name}: {actors:?}");
    }
}

#[test]
fn a_surname_in_a_dictionary_leaves_others_of_that_name_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    // The person's own given name however spelt, or a middle name between, keep the actor.
    let text = "On Friday Ivanka Trump and Mary Trump met Zorb Quux. President Quux spoke, and Quux left with \
                Zorb Quux. Then Zorba Quux and Zorb Rodham Quux waved.";
    fs::write(docs.join("a.txt"), text).unwrap();
    let dictionary = dir.path().join("mine.csv");
    fs::write(&dictionary, "actor,kind,code,aliases\nZorb Quux,person,QUX,Quux|Trump\n").unwrap();
    let out = dir.path().join("out");
    let output = run_with_dictionary(&docs, &out, &dictionary);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mentions: Vec<(String, String)> =
        read_csv(&out.join("mentions.csv")).iter().map(|m| (m["text"].clone(), m["actor"].clone())).collect();
    let named = |text: &str| mentions.iter().filter(|m| m.0 == text).map(|m| m.1.as_str()).collect::<Vec<_>>();
    // Another given name before the dictionary's surname is someone else; a title or the actor's
    // own given name leaves it the actor's.
    assert_eq!(named("Ivanka Trump"), ["Ivanka Trump"], "{mentions:?}");
    assert_eq!(named("Mary Trump"), ["Mary Trump"], "{mentions:?}");
    assert_eq!(named("Zorb Quux"), ["Zorb Quux", "Zorb Quux"], "{mentions:?}");
    assert_eq!(named("President Quux").len() + named("Quux").len(), 4, "{mentions:?}");
    assert!(mentions.iter().filter(|m| m.0.contains("Quux")).all(|m| m.1 == "Zorb Quux"), "{mentions:?}");
}
