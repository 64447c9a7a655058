//! Integration tests, built as one binary: each runs the real `tally` binary on a temporary folder and
//! reads the reports back.

mod common;
mod corpora;
mod dates;
mod dictionaries;
mod errors;
mod layers;
mod multilingual;
mod newcomers;
mod profiles;
mod promises;
mod readme;
mod score;
mod seeds;
mod shards;
mod spreadsheets;
mod state;
mod tokenize;
