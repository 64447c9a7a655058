//! The partial tables of a shard, each declared once: its file and its columns with their types.
//! A declaration makes the table's row type, its frame from rows (what a shard writes) and its rows
//! from a frame (what `tally merge` reads), so the two cannot disagree on a column.
//!
//! How each table reduces (by its key, in any Parquet engine) is said on its row type; the
//! table of files and columns in `docs/design.md` is checked against these declarations.

use std::sync::Arc;

use compact_str::CompactString;
use polars::prelude::*;

use crate::corpus::Date;
use crate::frames::{dates, int, text};

/// A value of a column of a partial table.
pub trait Cell: Sized {
    /// The column `name` holding `values`.
    fn column(name: &str, values: Vec<Self>) -> Column;
    /// The values of the column `name` of `df`, one at a time.
    fn read<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Box<dyn Iterator<Item = Self> + 'a>>;
}

impl Cell for Arc<str> {
    fn column(name: &str, values: Vec<Self>) -> Column {
        text(name, values)
    }
    fn read<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Box<dyn Iterator<Item = Self> + 'a>> {
        Ok(Box::new(df.column(name)?.str()?.iter().map(|v| Arc::from(v.unwrap_or("")))))
    }
}

/// A term's name, as counts hold it: a short one is copied, not allocated.
impl Cell for CompactString {
    fn column(name: &str, values: Vec<Self>) -> Column {
        text(name, values)
    }
    fn read<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Box<dyn Iterator<Item = Self> + 'a>> {
        Ok(Box::new(df.column(name)?.str()?.iter().map(|v| CompactString::new(v.unwrap_or("")))))
    }
}

impl Cell for String {
    fn column(name: &str, values: Vec<Self>) -> Column {
        text(name, values)
    }
    fn read<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Box<dyn Iterator<Item = Self> + 'a>> {
        Ok(Box::new(df.column(name)?.str()?.iter().map(|v| v.unwrap_or("").to_string())))
    }
}

/// Counts, offsets and places: whole numbers, written as Parquet's 64-bit integers.
impl Cell for u64 {
    fn column(name: &str, values: Vec<Self>) -> Column {
        int(name, values.into_iter().map(|v| i64::try_from(v).unwrap_or(i64::MAX)).collect())
    }
    fn read<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Box<dyn Iterator<Item = Self> + 'a>> {
        Ok(Box::new(df.column(name)?.i64()?.iter().map(|v| v.unwrap_or(0).max(0) as u64)))
    }
}

impl Cell for Option<Date> {
    fn column(name: &str, values: Vec<Self>) -> Column {
        dates(name, values.into_iter())
    }
    fn read<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Box<dyn Iterator<Item = Self> + 'a>> {
        Ok(Box::new(df.column(name)?.date()?.physical().iter().map(|d| d.map(Date::from_days_since_epoch))))
    }
}

impl Cell for bool {
    fn column(name: &str, values: Vec<Self>) -> Column {
        Column::new(name.into(), values)
    }
    fn read<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Box<dyn Iterator<Item = Self> + 'a>> {
        Ok(Box::new(df.column(name)?.bool()?.iter().map(|v| v.unwrap_or(false))))
    }
}

/// A partial table: its file and columns, and its rows to and from a frame.
pub trait Table: Sized {
    /// Its file's name, without `.parquet`.
    const FILE: &'static str;
    /// Its columns, in order.
    fn columns() -> Vec<&'static str>;
    /// The frame of `rows`.
    fn frame(rows: Vec<Self>) -> PolarsResult<DataFrame>;
    /// The rows of `df`, a frame of this table, one at a time (a table of millions of rows is not
    /// held twice).
    fn rows(df: &DataFrame) -> PolarsResult<impl Iterator<Item = Self> + '_>;
}

/// A column's name: the field's, without the `r#` of a keyword.
fn column_name(field: &'static str) -> &'static str {
    field.trim_start_matches("r#")
}

/// Declares partial tables: `Row in "file" { column: type, ... }`, each type a [`Cell`].
macro_rules! tables {
    ($($(#[$meta:meta])* $row:ident in $file:literal { $($(#[$field_meta:meta])* $field:ident: $ty:ty),+ $(,)? })+) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, PartialEq)]
            pub struct $row {
                $($(#[$field_meta])* #[doc = concat!("The column `", stringify!($field), "`.")] pub $field: $ty),+
            }

            impl Table for $row {
                const FILE: &'static str = $file;

                fn columns() -> Vec<&'static str> {
                    vec![$(column_name(stringify!($field))),+]
                }

                fn frame(rows: Vec<Self>) -> PolarsResult<DataFrame> {
                    $(let mut $field = Vec::with_capacity(rows.len());)+
                    for row in rows {
                        $($field.push(row.$field);)+
                    }
                    DataFrame::new_infer_height(vec![$(<$ty as Cell>::column(column_name(stringify!($field)), $field)),+])
                }

                fn rows(df: &DataFrame) -> PolarsResult<impl Iterator<Item = Self> + '_> {
                    $(let mut $field = <$ty as Cell>::read(df, column_name(stringify!($field)))?;)+
                    Ok((0..df.height())
                        .map(move |_| $row { $($field: $field.next().expect("a column as long as its frame")),+ }))
                }
            }
        )+

        /// The file of every partial table, in the order a merge reads them.
        pub const FILES: &[&str] = &[$($file),+];

        /// Each table's file and columns.
        pub fn declared() -> Vec<(&'static str, Vec<&'static str>)> {
            vec![$(($file, <$row as Table>::columns())),+]
        }
    };
}

tables! {
    /// A term's figures; summed by term, the earliest first and the latest last date.
    TermPart in "part_terms" {
        term: CompactString,
        count: u64,
        documents: u64,
        first_date: Option<Date>,
        last_date: Option<Date>,
        is_stopword: bool,
    }
    /// A term's occurrences in a dispersion part (0 to 99); summed by term and part.
    TermPartPart in "part_term_parts" {
        term: CompactString,
        part: u64,
        count: u64,
    }
    /// A term's figures in a period (its first day); summed by period and term.
    TermPeriodPart in "part_term_timeline" {
        period: Option<Date>,
        term: CompactString,
        count: u64,
        documents: u64,
    }
    /// A bigram or trigram (its terms joined by a space); summed by n-gram.
    NgramPart in "part_ngrams" {
        ngram: CompactString,
        count: u64,
        documents: u64,
    }
    /// An actor's figures; summed by actor and kind, the earliest first and the latest last date,
    /// the first source in the order `dictionary`, `inferred`.
    ActorPart in "part_actors" {
        actor: Arc<str>,
        kind: Arc<str>,
        mentions: u64,
        documents: u64,
        first_date: Option<Date>,
        last_date: Option<Date>,
        source: Arc<str>,
    }
    /// The mentions of an actor under one surface form; summed by actor, kind and alias.
    AliasPart in "part_actor_aliases" {
        actor: Arc<str>,
        kind: Arc<str>,
        alias: String,
        count: u64,
    }
    /// The mentions of an actor with one code; summed by actor, kind and code.
    CodePart in "part_actor_codes" {
        actor: Arc<str>,
        kind: Arc<str>,
        code: Arc<str>,
        count: u64,
    }
    /// A term's figures in a group (`--group-by`); summed by group and term.
    GroupTermPart in "part_group_terms" {
        group: Arc<str>,
        term: CompactString,
        count: u64,
        documents: u64,
    }
    /// A document's row; the shards' rows together, by `index` (its place in reading order). `meta`
    /// holds the values of the fields carried into `documents` as a JSON array (null for a missing
    /// one); `group` is empty for a document of no group.
    DocumentPart in "part_documents" {
        index: u64,
        doc: Arc<str>,
        date: Option<Date>,
        bytes: u64,
        tokens: u64,
        terms: u64,
        mentions: u64,
        meta: String,
        group: String,
    }
    /// A mention's row, as in `mentions`, with the text around it for the first mentions of each
    /// actor (else empty); the shards' rows together, by `index` and `start`.
    MentionPart in "part_mentions" {
        index: u64,
        doc: Arc<str>,
        start: u64,
        end: u64,
        text: String,
        actor: Arc<str>,
        kind: Arc<str>,
        form: Arc<str>,
        code: Arc<str>,
        sentence: u64,
        left: String,
        right: String,
    }
    /// A place of a `--kwic` term, as in `kwic`; the shards' rows together, by `index` and `start`.
    KwicPart in "part_kwic" {
        index: u64,
        doc: Arc<str>,
        start: u64,
        end: u64,
        left: String,
        r#match: String,
        right: String,
        term: Arc<str>,
    }
    /// The documents holding a stem's terms (`--stem`); summed by stem.
    StemPart in "part_stems" {
        stem: Arc<str>,
        documents: u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_the_rows_it_wrote() {
        let rows = vec![
            TermPart {
                term: CompactString::new("armenia"),
                count: 3,
                documents: 2,
                first_date: Date::parse("2022-10-27").ok(),
                last_date: Date::parse("2022-11-02").ok(),
                is_stopword: false,
            },
            TermPart {
                term: CompactString::new("the"),
                count: 9,
                documents: 2,
                first_date: None,
                last_date: None,
                is_stopword: true,
            },
        ];
        let df = TermPart::frame(rows.clone()).unwrap();
        let names: Vec<&str> = df.get_column_names().into_iter().map(|n| n.as_str()).collect();
        assert_eq!(names, TermPart::columns());
        assert_eq!(TermPart::rows(&df).unwrap().collect::<Vec<_>>(), rows);
        let kwic = KwicPart {
            index: 1,
            doc: Arc::from("a.txt"),
            start: 4,
            end: 9,
            left: "in ".into(),
            r#match: "Yerevan".into(),
            right: " today".into(),
            term: Arc::from("yerevan"),
        };
        let df = KwicPart::frame(vec![kwic.clone()]).unwrap();
        assert!(df.column("match").is_ok(), "a keyword field names its column without r#");
        assert_eq!(KwicPart::rows(&df).unwrap().collect::<Vec<_>>(), vec![kwic]);
    }

    #[test]
    fn a_frame_without_a_declared_column_is_refused() {
        let df = DataFrame::new_infer_height(vec![text("term", vec!["a"])]).unwrap();
        assert!(TermPart::rows(&df).is_err());
    }
}
