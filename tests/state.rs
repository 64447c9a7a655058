//! Incremental runs (`tally run --state DIR`): after files are added, changed and removed, the
//! reports are those of a fresh run over the corpus as it is, byte for byte; only what changed is
//! counted; a state made otherwise, or damaged, is never trusted.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;

/// The flags of every run here: reports that show the corpus-level steps (actors resolved across
/// documents, keyness aside), the page with the actors' first mentions in context.
const FLAGS: [&str; 6] = ["--format", "csv,html", "--kwic", "armenia", "--quiet", "--threads"];

fn s(path: &Path) -> String {
    path.display().to_string()
}

/// Document files and three JSON Lines files (each a unit of its own), with a binary file and a bad
/// line that are skipped.
fn corpus(dir: &Path) {
    let people = ["Sergei Lavrov", "Ararat Mirzoyan", "Nikol Pashinyan", "Stanislav Zas", "Josep Borrell"];
    for i in 0..30 {
        let (a, b) = (people[i % 5], people[(i * 3 + 1) % 5]);
        let text = format!(
            " date 2022-{:02}-{:02} \n{a} met {b} in Yerevan. Armenia and the CSTO talked.\n",
            1 + i % 12,
            1 + i % 28
        );
        fs::write(dir.join(format!("doc{i:02}.txt")), text).unwrap();
    }
    fs::write(dir.join("doc15b.txt"), b"\x00\x01\x02").unwrap();
    for k in 0..3 {
        let lines: Vec<String> = (0..10)
            .map(|i| {
                format!(
                    "{{\"id\": \"j{k}-{i}\", \"date\": \"2023-0{}-{:02}\", \"text\": \"{} visited Moscow. Armenia answered.\"}}",
                    k + 1,
                    i + 1,
                    people[(i + k) % 5]
                )
            })
            .chain(["not json".to_string()])
            .collect();
        fs::write(dir.join(format!("feed{k}.jsonl")), lines.join("\n")).unwrap();
    }
}

/// A scratch folder holding the corpus of [`corpus`] in `corpus/`, and where its state goes.
fn with_corpus() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (root, state) = (dir.path().join("corpus"), dir.path().join("state"));
    fs::create_dir(&root).unwrap();
    corpus(&root);
    (dir, root, state)
}

/// Runs tally over `corpus` with the state in `state`, then a fresh run, and checks that their
/// reports are the same; returns the state run's manifest.
fn same_as_fresh(corpus: &Path, state: &Path, extra: &[&str]) -> serde_json::Value {
    let (incremental, fresh) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut flags: Vec<&str> = FLAGS.to_vec();
    flags.push("2");
    flags.extend_from_slice(extra);
    let fresh_flags = flags.clone();
    let state_arg = s(state);
    flags.extend(["--state", &state_arg]);
    run_ok(&[corpus], incremental.path(), &flags);
    run_ok(&[corpus], fresh.path(), &fresh_flags);
    assert_same_csvs(fresh.path(), incremental.path());
    let (a, b) = (read_manifest(fresh.path()), read_manifest(incremental.path()));
    for key in ["documents", "bytes", "tokens", "terms", "mentions", "actors", "skipped", "warnings"] {
        assert_eq!(a[key], b[key], "manifest {key}");
    }
    b
}

/// The manifest's `state`: units reused, counted and dropped.
fn units(manifest: &serde_json::Value) -> (u64, u64, u64) {
    let state = &manifest["state"];
    (state["reused"].as_u64().unwrap(), state["counted"].as_u64().unwrap(), state["dropped"].as_u64().unwrap())
}

/// The manifest's `state`: units whose tables were read as the state's sum of units.
fn summed(manifest: &serde_json::Value) -> u64 {
    manifest["state"]["summed"].as_u64().unwrap()
}

/// The folder of the state's sum of units, and the units it adds up, as `state.json` names them.
fn sum_of(state: &Path) -> (PathBuf, usize) {
    let file: serde_json::Value = serde_json::from_str(&fs::read_to_string(state.join("state.json")).unwrap()).unwrap();
    let sum = &file["sum"];
    (state.join("units").join(sum["folder"].as_str().unwrap()), sum["units"].as_array().unwrap().len())
}

/// The folder of the state's first unit, as `state.json` names it.
fn first_unit(state: &Path) -> PathBuf {
    let file: serde_json::Value = serde_json::from_str(&fs::read_to_string(state.join("state.json")).unwrap()).unwrap();
    state.join("units").join(file["units"][0]["folder"].as_str().unwrap())
}

#[test]
fn a_corpus_that_changes_is_counted_again_only_where_it_changed() {
    let (dir, root, state) = with_corpus();
    // The first run counts every unit: the documents files, then each JSON Lines file.
    let first = same_as_fresh(&root, &state, &[]);
    assert_eq!(units(&first), (0, 4, 0));
    assert_eq!(summed(&first), 0);
    assert_eq!(first["documents"], 60, "30 files and 30 lines, the binary file and bad lines skipped");
    // Every unit but the last (which files added at the end join) is added up into a sum.
    assert_eq!(sum_of(&state).1, 3);
    // Nothing changed: nothing is counted, and the units' tables are read as that sum and the last.
    let again = same_as_fresh(&root, &state, &[]);
    assert_eq!(units(&again), (4, 0, 0));
    assert_eq!(summed(&again), 3);
    assert!(again["state"]["saved_s"].as_f64().unwrap() > 0.0);
    let out = dir.path().join("said");
    let said = run_ok(&[&root], &out, &["--state", &s(&state), "--format", "csv", "--kwic", "armenia"]);
    let said = String::from_utf8_lossy(&said.stderr);
    assert!(said.contains("4 units kept (3 read as their sum), 0 counted, 0 dropped"), "{said}");

    // A file added at the end: counted, and added to the sum kept; the next run reads the new sum.
    let late = root.join("zz.jsonl");
    fs::write(&late, "{\"id\": \"zz\", \"date\": \"2024-02-01\", \"text\": \"Nikol Pashinyan visited Moscow.\"}")
        .unwrap();
    let grown = same_as_fresh(&root, &state, &[]);
    assert_eq!((units(&grown), summed(&grown)), ((4, 1, 0), 3));
    assert_eq!(sum_of(&state).1, 4);
    let again = same_as_fresh(&root, &state, &[]);
    assert_eq!((units(&again), summed(&again)), ((5, 0, 0), 4));
    fs::remove_file(&late).unwrap();
    // The last unit gone: the sum of the others is all there is to read.
    let shrunk = same_as_fresh(&root, &state, &[]);
    assert_eq!((units(&shrunk), summed(&shrunk)), ((4, 0, 1), 4));

    // A JSON Lines file changed, one removed, one added; the document files as they were.
    let mut feed = fs::read_to_string(root.join("feed1.jsonl")).unwrap();
    feed.push_str(
        "\n{\"id\": \"late\", \"date\": \"2023-05-01\", \"text\": \"Sergei Lavrov spoke of Armenia again.\"}",
    );
    fs::write(root.join("feed1.jsonl"), feed).unwrap();
    fs::remove_file(root.join("feed2.jsonl")).unwrap();
    fs::copy(root.join("feed0.jsonl"), root.join("feed0b.jsonl")).unwrap();
    let changed = same_as_fresh(&root, &state, &[]);
    // feed0 and the document files kept; feed1 counted again and feed0b counted; feed1's and
    // feed2's old tables dropped. The sum added up feed1 and feed2 as they were: it is not read.
    assert_eq!(units(&changed), (2, 2, 2));
    assert_eq!(summed(&changed), 0);
    assert_eq!(changed["documents"], 61);

    // A document file removed and one added: the unit of document files is counted again.
    fs::remove_file(root.join("doc03.txt")).unwrap();
    fs::write(root.join("doc99.txt"), " date 2024-01-01 \nThe CSTO met in Yerevan without Armenia.\n").unwrap();
    assert_eq!(units(&same_as_fresh(&root, &state, &[])), (3, 1, 1));

    // Only the times changed (a copy, a checkout): the content says it is the same unit.
    let feed0 = root.join("feed0.jsonl");
    fs::write(&feed0, fs::read(&feed0).unwrap()).unwrap();
    let file = fs::File::options().write(true).open(&feed0).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60)).unwrap();
    assert_eq!(units(&same_as_fresh(&root, &state, &[])), (4, 0, 0));
}

#[test]
fn a_damaged_state_or_one_made_otherwise_is_never_trusted() {
    let (_dir, root, state) = with_corpus();
    same_as_fresh(&root, &state, &[]);

    // A unit's table changed on disk: that unit is counted again, the reports are still right.
    let unit = first_unit(&state);
    let terms = unit.join("part_terms.parquet");
    let mut bytes = fs::read(&terms).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    fs::write(&terms, bytes).unwrap();
    // A unit folder the state does not name (a run stopped before it named it) goes; so does a
    // file where a unit's folder was.
    let stray = state.join("units").join("0123456789abcdef0123456789abcdef");
    fs::create_dir(&stray).unwrap();
    let damaged = same_as_fresh(&root, &state, &[]);
    assert_eq!(units(&damaged), (3, 1, 0));
    assert!(!stray.exists());
    fs::remove_dir_all(&unit).unwrap();
    fs::write(&unit, "not a folder").unwrap();
    assert_eq!(units(&same_as_fresh(&root, &state, &[])), (3, 1, 0));

    // The sum's table changed on disk: it is not read, and made again.
    let (sum, _) = sum_of(&state);
    let terms = sum.join("part_terms.parquet");
    let mut bytes = fs::read(&terms).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    fs::write(&terms, bytes).unwrap();
    let damaged = same_as_fresh(&root, &state, &[]);
    assert_eq!((units(&damaged), summed(&damaged)), ((4, 0, 0), 0));
    assert_eq!(summed(&same_as_fresh(&root, &state, &[])), 3);
    // A unit's spool of mentions changed: that unit is counted again.
    let spool = first_unit(&state).join("part_mentions.spool");
    let mut bytes = fs::read(&spool).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    fs::write(&spool, bytes).unwrap();
    assert_eq!(units(&same_as_fresh(&root, &state, &[])), (3, 1, 0));

    // A unit named in state.json for another's folder is not its own: counted again.
    let listing = state.join("state.json");
    let mut file: serde_json::Value = serde_json::from_str(&fs::read_to_string(&listing).unwrap()).unwrap();
    let second = file["units"][1]["folder"].clone();
    file["units"][0]["folder"] = second;
    fs::write(&listing, file.to_string()).unwrap();
    assert_eq!(units(&same_as_fresh(&root, &state, &[])), (3, 1, 0));

    // Other counting settings: the state starts over, and says why.
    let other = same_as_fresh(&root, &state, &["--min-count", "2"]);
    assert_eq!(units(&other), (0, 4, 4));
    let why = other["state"]["started_over"].as_str().unwrap();
    assert!(why.contains("--min-count"), "{why}");
}

#[test]
fn a_run_stopped_while_the_settings_changed_leaves_a_state_right_for_the_old_ones() {
    let (_dir, root, state) = with_corpus();
    same_as_fresh(&root, &state, &[]);
    let listing = fs::read(state.join("state.json")).unwrap();
    // A run with other settings counts its units, then is stopped before it names them: its
    // state.json is the old one, its units are in the folder.
    same_as_fresh(&root, &state, &["--drop-stopwords"]);
    fs::write(state.join("state.json"), listing).unwrap();
    let back = same_as_fresh(&root, &state, &[]);
    assert_eq!(units(&back).1, 4, "the other settings' units are not the old ones'");
}

#[test]
fn a_state_folder_is_refused_where_it_would_lose_or_read_the_users_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    fs::create_dir(&root).unwrap();
    corpus(&root);
    let out = s(&dir.path().join("out"));
    let refused = |state: &Path, extra: &[&str]| {
        let mut args = vec!["run", "--out", &out, "--quiet"];
        let state = s(state);
        args.extend(["--state", &state]);
        args.extend_from_slice(extra);
        let corpus = s(&root);
        if !extra.contains(&"-") {
            args.push(&corpus);
        }
        let output = tally(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    // Inside the corpus, its tables would be read as documents.
    assert!(refused(&root.join("state"), &[]).contains("input"));
    // A folder of the user's files: never emptied.
    let theirs = dir.path().join("theirs");
    fs::create_dir(&theirs).unwrap();
    fs::write(theirs.join("thesis.docx"), "chapter one").unwrap();
    assert!(refused(&theirs, &[]).contains("thesis.docx"));
    assert_eq!(fs::read_to_string(theirs.join("thesis.docx")).unwrap(), "chapter one");
    // A state.json or a folder in units/ of the user's: never written over nor emptied.
    let app = dir.path().join("app");
    fs::create_dir_all(app.join("units").join("2023")).unwrap();
    fs::write(app.join("units").join("2023").join("plan.txt"), "notes").unwrap();
    assert!(refused(&app, &[]).contains("units/2023"));
    fs::remove_dir_all(app.join("units")).unwrap();
    fs::write(app.join("state.json"), r#"{"user": "settings"}"#).unwrap();
    assert!(refused(&app, &[]).contains("state.json"));
    assert_eq!(fs::read_to_string(app.join("state.json")).unwrap(), r#"{"user": "settings"}"#);
    // The reports of another run: said as such.
    let reports = dir.path().join("reports");
    run_ok(&[&root], &reports, &["--format", "csv", "--quiet"]);
    assert!(refused(&reports, &[]).contains("holds reports (manifest.json)"));
    // The output folder, standard input.
    assert!(refused(&dir.path().join("out"), &[]).contains("output folder"));
    assert!(refused(&dir.path().join("state"), &["-"]).contains("standard input"));
}

#[test]
fn shards_keep_their_states_apart_in_one_folder_and_merge_into_the_whole() {
    let (dir, root, state) = with_corpus();
    let whole = dir.path().join("whole");
    run_ok(&[&root], &whole, &["--format", "csv", "--quiet"]);
    let shards = |round: &str| -> Vec<serde_json::Value> {
        (1..=3)
            .map(|k| {
                let out = dir.path().join(format!("{round}-part{k}"));
                run_ok(&[&root], &out, &["--shard", &format!("{k}/3"), "--state", &s(&state), "--quiet"]);
                read_manifest(&out)
            })
            .collect()
    };
    let merged = |round: &str| {
        let out = dir.path().join(format!("{round}-merged"));
        let parts: Vec<String> = (1..=3).map(|k| s(&dir.path().join(format!("{round}-part{k}")))).collect();
        let output =
            tally(&["merge", &parts[0], &parts[1], &parts[2], "--out", &s(&out), "--format", "csv", "--quiet"]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_same_csvs(&whole, &out);
    };
    let first = shards("first");
    merged("first");
    for (k, m) in first.iter().enumerate() {
        assert_eq!(units(m), (0, 4, 0), "shard {}", k + 1);
        assert!(state.join(format!("shard-{}-of-3", k + 1)).join("state.json").exists());
    }
    // Again: every shard keeps its own units.
    let again = shards("again");
    merged("again");
    assert!(again.iter().all(|m| units(m) == (4, 0, 0)));
}

#[test]
fn a_sum_of_units_is_trusted_only_for_the_tables_it_added_up() {
    let (_dir, root, state) = with_corpus();
    let feed0 = root.join("feed0.jsonl");
    let at = |file: &Path, secs: u64| {
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        fs::File::options().write(true).open(file).unwrap().set_modified(time).unwrap();
    };
    at(&feed0, 1_700_000_000);
    same_as_fresh(&root, &state, &[]);
    // Only the time changed: the unit is kept by its content, in its folder, under another key.
    at(&feed0, 1_700_000_100);
    assert_eq!(summed(&same_as_fresh(&root, &state, &[])), 3);
    // Its content changed at the same size, with the first time put back: the unit is counted again
    // into the folder the sum names, and the sum, which added up the old content, is not read.
    let text = fs::read_to_string(&feed0).unwrap().replace("Moscow", "Madrid");
    fs::write(&feed0, text).unwrap();
    at(&feed0, 1_700_000_000);
    let changed = same_as_fresh(&root, &state, &[]);
    assert_eq!((units(&changed), summed(&changed)), ((3, 1, 0), 0));
    assert_eq!(summed(&same_as_fresh(&root, &state, &[])), 3);

    // A sum named in state.json outside the state's units, or a unit's places there that are not
    // its tables': neither is trusted.
    let listing = state.join("state.json");
    let edit = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut file: serde_json::Value = serde_json::from_str(&fs::read_to_string(&listing).unwrap()).unwrap();
        change(&mut file);
        fs::write(&listing, file.to_string()).unwrap();
    };
    edit(&|file| file["sum"]["folder"] = "../units".into());
    assert_eq!(summed(&same_as_fresh(&root, &state, &[])), 0);
    edit(&|file| file["units"][0]["items"] = 1.into());
    let misplaced = same_as_fresh(&root, &state, &[]);
    assert_eq!(units(&misplaced), (3, 1, 0));
}

#[cfg(unix)]
#[test]
fn a_state_of_many_units_reads_their_mentions_one_spool_at_a_time() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let (root, state) = (dir.path().join("corpus"), dir.path().join("state"));
    fs::create_dir(&root).unwrap();
    // A unit a file: more units than the files the run may open.
    for i in 0..120 {
        let line =
            format!("{{\"id\": \"d{i}\", \"date\": \"2023-01-01\", \"text\": \"Sergei Lavrov met Nikol Pashinyan.\"}}");
        fs::write(root.join(format!("f{i:03}.jsonl")), line).unwrap();
    }
    let run = |out: &Path, state_arg: Option<&Path>| {
        use assert_cmd::cargo::CommandCargoExt;
        let mut command = std::process::Command::cargo_bin("tally").unwrap();
        command.args(["run", &s(&root), "--out", &s(out), "--quiet", "--threads", "2", "--format", "csv"]);
        if let Some(state) = state_arg {
            command.args(["--state", &s(state)]);
        }
        // SAFETY: setrlimit is async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                let limit = libc::rlimit { rlim_cur: 64, rlim_max: libc::RLIM_INFINITY };
                let mut hard = limit;
                libc::getrlimit(libc::RLIMIT_NOFILE, &mut hard);
                let limit = libc::rlimit { rlim_max: hard.rlim_max, ..limit };
                libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
                Ok(())
            });
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    };
    let (fresh, incremental) = (dir.path().join("fresh"), dir.path().join("incremental"));
    run(&fresh, None);
    for _ in 0..2 {
        run(&incremental, Some(&state));
        assert_same_csvs(&fresh, &incremental);
    }
    assert_eq!(units(&read_manifest(&incremental)), (120, 0, 0));
}
