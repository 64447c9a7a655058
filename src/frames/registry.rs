//! Every report tally writes, declared once: its name, what its table is made from, when a run
//! writes it and how the workbook shows it. The writers, the workbook, the page, the manifest and
//! `tally merge` read these declarations; a report's name is written nowhere else.
//!
//! A new report is one declaration here, placed where its sheet goes in the workbook, and the
//! function that makes its table.

use polars::prelude::{DataFrame, PolarsResult};

use super::FrameOptions;
use crate::count::{Counts, DocumentRow, KwicRow};

/// Makes a report's table from the counts of the whole corpus.
pub type Builder = fn(&Counts, &FrameOptions) -> PolarsResult<DataFrame>;

/// A report: `NAME.csv`, `NAME.parquet` and the workbook's sheet `NAME`.
#[derive(Debug)]
pub struct Report {
    /// Its name: of its files without their extension, and of its sheet.
    pub name: &'static str,
    /// Its columns, in order (README.md says what each holds).
    pub columns: &'static [Column],
    /// Makes its table from the counts of the whole corpus; `None` for the reports made otherwise
    /// (see [`Report::streamed`] and [`When::Reference`]).
    pub build: Option<Builder>,
    /// Whether a run writes its rows a batch of documents at a time, as they are counted, rather
    /// than from the whole corpus' counts (which `tally merge` uses when it has them).
    pub streamed: bool,
    /// Whether a run makes its table from the whole corpus's counts a slice of rows at a time and
    /// writes each slice before it makes the next (millions of rows on a large corpus).
    pub sliced: bool,
    /// When it is written.
    pub when: When,
    /// Whether it is made from the actors found, which a run looks for only when a report asked
    /// for is.
    pub actors: bool,
}

/// A column of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Its name.
    pub name: &'static str,
    /// When it is written (most columns always are).
    pub when: When,
}

/// A column every run writes.
const fn col(name: &'static str) -> Column {
    Column { name, when: When::Always }
}

/// The columns of the actor reports.
const ACTOR_COLUMNS: &[Column] = &[
    col("actor"),
    col("kind"),
    col("code"),
    col("source"),
    col("mentions"),
    col("documents"),
    col("first_date"),
    col("last_date"),
    col("aliases"),
    col("alias_mentions"),
];

/// When a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// By every run.
    Always,
    /// When n-grams are counted (not `--no-ngrams`).
    Ngrams,
    /// When terms are asked for in context (`--kwic`).
    Kwic,
    /// When terms are stemmed (`--stem`).
    Stem,
    /// When there is a reference corpus (`--reference`).
    Reference,
    /// When documents are grouped (`--group-by`).
    Group,
}

/// The reports, in the order of their sheets in the workbook.
pub static REPORTS: [Report; 16] = [
    TERMS,
    ACTORS,
    ACTOR_PAIRS,
    CANDIDATES,
    DOCUMENTS,
    ACTOR_TIMELINE,
    TERM_TIMELINE,
    GROUP_TERMS,
    GROUP_ACTORS,
    NGRAMS,
    COLLOCATIONS,
    PERIOD_KEYNESS,
    KWIC,
    STEMS,
    KEYNESS,
    MENTIONS,
];

/// The fields most reports share.
const SHARED: Report =
    Report { name: "", columns: &[], build: None, streamed: false, sliced: false, when: When::Always, actors: false };

/// `terms`: a row per term.
pub const TERMS: Report = Report {
    name: "terms",
    columns: &[
        col("term"),
        Column { name: "stem", when: When::Stem },
        col("count"),
        col("documents"),
        col("per_million"),
        col("documents_share"),
        col("idf"),
        col("juilland_d"),
        col("dp"),
        col("first_date"),
        col("last_date"),
        col("is_stopword"),
        col("is_number"),
    ],
    build: Some(super::terms_with),
    sliced: true,
    ..SHARED
};
/// `actors`: a row per actor.
pub const ACTORS: Report =
    Report { name: "actors", columns: ACTOR_COLUMNS, build: Some(|c, _| super::actors(c)), actors: true, ..SHARED };
/// `actor_pairs`: actors named in one document.
pub const ACTOR_PAIRS: Report = Report {
    name: "actor_pairs",
    columns: &[
        col("actor_a"),
        col("kind_a"),
        col("actor_b"),
        col("kind_b"),
        col("documents"),
        col("sentences"),
        col("pmi"),
        col("log_dice"),
    ],
    build: Some(|c, _| super::actor_pairs(c)),
    actors: true,
    ..SHARED
};
/// `candidates`: names no dictionary holds.
pub const CANDIDATES: Report = Report {
    name: "candidates",
    columns: ACTOR_COLUMNS,
    build: Some(|c, _| super::candidates(c)),
    actors: true,
    ..SHARED
};
/// `documents`: a row per document.
pub const DOCUMENTS: Report = Report {
    name: "documents",
    columns: &[col("doc"), col("date"), col("bytes"), col("tokens"), col("terms"), col("mentions")],
    build: Some(|c, o| super::documents(&super::in_reading_order(c.documents(), DocumentRow::place), &o.meta)),
    streamed: true,
    actors: true,
    ..SHARED
};
/// `actor_timeline`: actors by date.
pub const ACTOR_TIMELINE: Report = Report {
    name: "actor_timeline",
    columns: &[
        col("period"),
        col("actor"),
        col("kind"),
        col("mentions"),
        col("documents"),
        col("per_million"),
        col("documents_share"),
    ],
    build: Some(super::actor_timeline),
    actors: true,
    ..SHARED
};
/// `term_timeline`: the most frequent terms by period.
pub const TERM_TIMELINE: Report = Report {
    name: "term_timeline",
    columns: &[col("period"), col("term"), col("count"), col("documents"), col("per_million"), col("documents_share")],
    build: Some(super::term_timeline),
    ..SHARED
};
/// `group_terms`: terms by group (`--group-by`).
pub const GROUP_TERMS: Report = Report {
    name: "group_terms",
    columns: &[
        col("group"),
        col("term"),
        col("count"),
        col("documents"),
        col("per_million"),
        col("documents_share"),
        col("is_stopword"),
    ],
    build: Some(|c, _| super::group_terms(c)),
    when: When::Group,
    ..SHARED
};
/// `group_actors`: actors by group (`--group-by`).
pub const GROUP_ACTORS: Report = Report {
    name: "group_actors",
    columns: &[
        col("group"),
        col("actor"),
        col("kind"),
        col("mentions"),
        col("documents"),
        col("per_million"),
        col("documents_share"),
    ],
    build: Some(|c, _| super::group_actors(c)),
    when: When::Group,
    actors: true,
    ..SHARED
};
/// `ngrams`: bigrams and trigrams.
pub const NGRAMS: Report = Report {
    name: "ngrams",
    columns: &[col("n"), col("ngram"), col("count"), col("documents")],
    build: Some(super::ngrams),
    sliced: true,
    when: When::Ngrams,
    ..SHARED
};
/// `collocations`: bigrams scored.
pub const COLLOCATIONS: Report = Report {
    name: "collocations",
    columns: &[
        col("term_a"),
        col("term_b"),
        col("count"),
        col("count_a"),
        col("count_b"),
        col("pmi"),
        col("log_likelihood"),
        col("t_score"),
        col("log_dice"),
    ],
    build: Some(super::collocations),
    when: When::Ngrams,
    ..SHARED
};
/// `period_keyness`: the terms of each period against the rest.
pub const PERIOD_KEYNESS: Report = Report {
    name: "period_keyness",
    columns: &[
        col("period"),
        col("item"),
        col("type"),
        col("kind"),
        col("count"),
        col("rest_count"),
        col("per_million"),
        col("rest_per_million"),
        col("log_likelihood"),
        col("log_ratio"),
        col("documents"),
        col("is_stopword"),
    ],
    build: Some(super::period_keyness),
    actors: true,
    ..SHARED
};
/// `kwic`: the places of the `--kwic` terms in context.
pub const KWIC: Report = Report {
    name: "kwic",
    columns: &[col("doc"), col("start"), col("end"), col("left"), col("match"), col("right"), col("term")],
    build: Some(|c, _| super::kwic(&super::in_reading_order(c.kwic(), KwicRow::place))),
    streamed: true,
    when: When::Kwic,
    ..SHARED
};
/// `stems`: the terms of each stem.
pub const STEMS: Report = Report {
    name: "stems",
    columns: &[col("stem"), col("count"), col("documents"), col("terms"), col("forms")],
    build: Some(|c, o| super::stems(c, o.stem.expect("stems only when stemming"))),
    when: When::Stem,
    ..SHARED
};
/// `keyness`: the corpus against a reference corpus, made from the counts of both.
pub const KEYNESS: Report = Report {
    name: "keyness",
    columns: &[
        col("item"),
        col("type"),
        col("kind"),
        col("count"),
        col("reference_count"),
        col("per_million"),
        col("reference_per_million"),
        col("log_likelihood"),
        col("log_ratio"),
        col("documents"),
        col("is_stopword"),
    ],
    when: When::Reference,
    actors: true,
    ..SHARED
};
/// `mentions`: a row per mention, written as documents are counted (and as `tally merge` reads the
/// shards' rows), so last in the workbook.
pub const MENTIONS: Report = Report {
    name: "mentions",
    columns: &[
        col("doc"),
        col("start"),
        col("end"),
        col("text"),
        col("actor"),
        col("kind"),
        col("form"),
        col("code"),
        col("sentence"),
    ],
    streamed: true,
    actors: true,
    ..SHARED
};

impl When {
    /// The condition, as a run's options give it.
    pub fn describe(self) -> &'static str {
        match self {
            When::Always => "always",
            When::Ngrams => "when n-grams are counted (not with --no-ngrams)",
            When::Kwic => "with --kwic TERM",
            When::Stem => "with --stem",
            When::Reference => "with --reference",
            When::Group => "with --group-by",
        }
    }

    /// Whether a run with `options` writes the reports of this condition.
    pub fn holds(self, options: &FrameOptions) -> bool {
        match self {
            When::Always => true,
            When::Ngrams => !options.no_ngrams,
            When::Kwic => options.kwic,
            When::Stem => options.stem.is_some(),
            When::Reference => options.reference,
            When::Group => options.groups,
        }
    }
}

impl Report {
    /// Whether a run with `options` writes it: asked for (`--reports`), and its condition holds.
    pub fn is_written(&self, options: &FrameOptions) -> bool {
        self.when.holds(options) && options.reports.holds(self)
    }

    /// The names of its columns in a run with `options`.
    pub fn columns_with(&self, options: &FrameOptions) -> Vec<&'static str> {
        self.columns.iter().filter(|c| c.when.holds(options)).map(|c| c.name).collect()
    }
}

/// The reports a run is asked for (`--reports`): a bit per report of [`REPORTS`], by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection(u32);

const _: () = assert!(REPORTS.len() <= 32, "a report is a bit of a u32");

impl Selection {
    /// Every report (the default).
    pub const ALL: Selection = Selection(u32::MAX);

    /// The reports named in `names`; every report when there are none. Names that are no report's
    /// are left out (see [`Selection::check`]).
    pub fn of<S: AsRef<str>>(names: &[S]) -> Selection {
        match names.is_empty() {
            true => Selection::ALL,
            false => Selection(
                names
                    .iter()
                    .map(|n| position(n.as_ref()))
                    .filter(|&at| at < REPORTS.len())
                    .fold(0, |bits, at| bits | 1 << at),
            ),
        }
    }

    /// `names` checked and put in the order of [`REPORTS`], each once; or the first name that is no
    /// report's, with the names of the reports.
    pub fn check<S: AsRef<str>>(names: &[S]) -> Result<Vec<String>, String> {
        // As a settings file's lists: spaces around a name and empty names do not count; but a list
        // of empty names alone is a mistake (an unset variable), not every report.
        let given = names.len();
        let names: Vec<&str> = names.iter().map(|n| n.as_ref().trim()).filter(|n| !n.is_empty()).collect();
        if given > 0 && names.is_empty() {
            return Err("names no report (leave it out for every report)".to_string());
        }
        if let Some(unknown) = names.iter().find(|n| find(n).is_none()) {
            let known: Vec<&str> = REPORTS.iter().map(|r| r.name).collect();
            return Err(format!("`{unknown}` is not a report; the reports are {}", known.join(", ")));
        }
        let selection = Selection::of(&names);
        Ok(REPORTS.iter().filter(|r| !names.is_empty() && selection.holds(r)).map(|r| r.name.to_string()).collect())
    }

    /// Whether `report` is asked for.
    pub fn holds(self, report: &Report) -> bool {
        self.0 >> position(report.name) & 1 == 1
    }

    /// Whether any report asked for is made from the actors found.
    pub fn needs_actors(self) -> bool {
        REPORTS.iter().any(|r| r.actors && self.holds(r))
    }

    /// Whether any report asked for is made from the terms' figures by period.
    pub fn needs_term_periods(self) -> bool {
        self.holds(&TERM_TIMELINE) || self.holds(&PERIOD_KEYNESS)
    }

    /// Which of the actors' figures across documents the reports asked for are made from, counted
    /// once the actors are resolved.
    pub fn resolved_figures(self) -> crate::count::ResolvedFigures {
        crate::count::ResolvedFigures {
            timeline: self.holds(&ACTOR_TIMELINE) || self.holds(&PERIOD_KEYNESS),
            pairs: self.holds(&ACTOR_PAIRS),
        }
    }

    /// Whether any report asked for is made from the figures by group (`--group-by`).
    pub fn needs_groups(self) -> bool {
        REPORTS.iter().any(|r| r.when == When::Group && self.holds(r))
    }

    /// Whether any report asked for is made from the n-grams counted.
    pub fn needs_ngrams(self) -> bool {
        REPORTS.iter().any(|r| r.when == When::Ngrams && self.holds(r))
    }
}

/// The report named `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Report> {
    REPORTS.iter().find(|r| r.name == name)
}

/// The position of the report `name` in [`REPORTS`] (the workbook's order); after them all for a
/// name that is not a report's.
pub fn position(name: &str) -> usize {
    REPORTS.iter().position(|r| r.name == name).unwrap_or(REPORTS.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_made_some_way() {
        for (i, report) in REPORTS.iter().enumerate() {
            assert!(!report.name.is_empty(), "report {i} has a name");
            assert_eq!(position(report.name), i, "{} is declared once", report.name);
            let made_otherwise = report.streamed || report.when == When::Reference;
            assert!(report.build.is_some() || made_otherwise, "{} is made some way", report.name);
            assert!(!report.columns.is_empty(), "{} declares its columns", report.name);
            assert_eq!(
                report.actors,
                report.columns.iter().any(|c| c.name == "mentions" || c.name.starts_with("kind")),
                "{} says whether it is made from actors",
                report.name
            );
            for (j, column) in report.columns.iter().enumerate() {
                let first = report.columns.iter().position(|c| c.name == column.name);
                assert_eq!(first, Some(j), "{}.{} is declared once", report.name, column.name);
            }
        }
    }
}

#[cfg(test)]
mod selection {
    use super::*;

    #[test]
    fn a_selection_holds_the_reports_named_and_says_what_they_need() {
        let terms = Selection::of(&["terms"]);
        assert!(terms.holds(&TERMS) && !terms.holds(&ACTORS));
        assert!(!terms.needs_actors() && !terms.needs_ngrams() && !terms.needs_term_periods());
        assert!(Selection::of(&["period_keyness"]).needs_term_periods());
        let core = Selection::of(&["documents", "terms"]);
        assert!(core.needs_actors(), "documents counts each document's mentions");
        assert!(Selection::of(&["collocations"]).needs_ngrams());
        let none: [&str; 0] = [];
        assert_eq!(Selection::of(&none), Selection::ALL);
        assert!(REPORTS.iter().all(|r| Selection::ALL.holds(r)));
    }

    #[test]
    fn names_are_checked_and_put_in_the_workbook_order() {
        assert_eq!(Selection::check(&["mentions", "terms", "terms"]).unwrap(), ["terms", "mentions"]);
        // No list is every report; a list of empty names alone is a mistake.
        assert!(Selection::check::<&str>(&[]).unwrap().is_empty());
        assert!(Selection::check(&["", " "]).unwrap_err().contains("names no report"));
        let err = Selection::check(&["terms", "actor"]).unwrap_err();
        assert!(err.contains("`actor`") && err.contains("actors, actor_pairs"), "{err}");
    }
}
