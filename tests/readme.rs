//! README.md quotes rows of the seed reports; they must be rows the committed reports really hold.

use crate::common::repo;

#[test]
fn rows_quoted_in_the_readme_are_in_the_reports() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut checked = 0;
    let mut report: Option<String> = None;
    let mut in_block = false;
    for line in readme.lines() {
        if let Some(rest) = line.strip_prefix("### `") {
            report = rest.strip_suffix(".json`").map_or_else(|| rest.split('`').next().map(String::from), |_| None);
        } else if line.starts_with("## ") {
            report = None;
        } else if line.starts_with("```") {
            in_block = !in_block;
        } else if in_block {
            let Some(name) = &report else { continue };
            let csv = std::fs::read_to_string(repo().join("reports").join(format!("{name}.csv"))).unwrap();
            assert!(csv.lines().any(|l| l == line), "README's {name} row {line:?} is not in reports/{name}.csv");
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} README rows found");
}

/// Whether `text` holds `word` as a whole word (letters, digits and `_` around it are not).
fn has_word(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[test]
fn the_design_notes_list_every_partial_table_with_its_columns() {
    let design = std::fs::read_to_string(repo().join("docs/design.md")).unwrap();
    let declared = tally::parts::tables::declared();
    assert!(declared.len() >= 12, "only {} partial tables declared", declared.len());
    for (file, columns) in declared {
        let quoted = format!("`{file}.parquet`");
        let row = design
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&quoted))
            .unwrap_or_else(|| panic!("docs/design.md has no row for {quoted}"));
        let cell = row.split('|').nth(2).unwrap_or("");
        for column in columns {
            assert!(has_word(cell, column), "docs/design.md's row for {quoted} does not name its column `{column}`");
        }
    }
}

/// The text of README.md's section `### \`name\``, up to the next heading.
fn section<'a>(readme: &'a str, name: &str) -> Option<&'a str> {
    let start = readme.find(&format!("\n### `{name}`"))? + 1;
    let rest = &readme[start..];
    let end = rest[1..].find("\n#").map_or(rest.len(), |at| at + 1);
    Some(&rest[..end])
}

#[test]
fn the_readme_says_what_every_column_of_every_report_holds() {
    use tally::frames::registry::{find, REPORTS};
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    for report in &REPORTS {
        let text =
            section(&readme, report.name).unwrap_or_else(|| panic!("README.md has no section for {}", report.name));
        // A report that shares another's columns says so: "The columns of `actors`".
        let shared = text.split("The columns of `").nth(1).and_then(|rest| rest.split('`').next()).and_then(find);
        for column in report.columns {
            let quoted = format!("`{}`", column.name);
            let in_shared = shared.is_some_and(|other| other.columns.iter().any(|c| c.name == column.name));
            assert!(
                text.contains(&quoted) || in_shared,
                "README.md's section on {} does not say what its column {quoted} holds",
                report.name
            );
        }
    }
}
