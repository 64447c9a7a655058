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
