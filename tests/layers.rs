//! Modules import one way: from the base up to the commands. A module may name (`crate::NAME`,
//! `use crate::NAME`) only modules of its layer or below; its tests (`#[cfg(test)]` and after) may
//! use anything.

use std::path::Path;

use crate::common::repo;

/// The layers, base first; a module's layer is its place here.
const LAYERS: &[&[&str]] = &[
    &["hashing"],
    &["corpus", "tokenize"],
    &["actors", "kwic"],
    &["count"],
    &["frames"],
    &["report"],
    &["parts"],
    &["cli", "config"],
    &["pipeline"],
    &["commands"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Each import of `source` (the code of the module `module`, its tests left out) that reaches a
/// layer above the module's: (line, the module imported).
fn upward_imports(module: &str, source: &str) -> Vec<(usize, String)> {
    let own = layer(module).unwrap_or_else(|| panic!("module {module} is in no layer of tests/layers.rs"));
    let code = source.split("#[cfg(test)]").next().unwrap_or("");
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        for (at, _) in line.match_indices("crate::") {
            let name: String =
                line[at + "crate::".len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if layer(&name).is_some_and(|theirs| theirs > own) {
                found.push((number + 1, name));
            }
        }
    }
    found
}

/// The top module a source file belongs to: `src/count/ngrams.rs` is in `count`.
fn module_of(path: &Path, src: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

fn sources(dir: &Path, into: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

#[test]
fn modules_import_only_their_layer_and_below() {
    let src = repo().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let module = module_of(file, &src);
        if ["lib", "main"].contains(&module.as_str()) {
            continue;
        }
        let source = std::fs::read_to_string(file).unwrap();
        for (line, name) in upward_imports(&module, &source) {
            wrong.push(format!("{}:{line}: {module} imports {name}, a layer above it", file.display()));
        }
    }
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
    assert!(files.len() > 20, "only {} source files found", files.len());
}

#[test]
fn an_import_against_the_layers_is_found() {
    let source = "use crate::hashing::FastMap;\nuse crate::count::Counts;\n#[cfg(test)]\nuse crate::pipeline;\n";
    assert_eq!(upward_imports("actors", source), [(2, "count".to_string())]);
    assert!(upward_imports("count", source).is_empty());
}
