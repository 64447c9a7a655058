//! The reports in one page: `report.html`, a self-contained overview (inline CSS, SVG and a little
//! script, nothing fetched) with the corpus in numbers, charts of the top terms, the top actors of
//! each kind, the busiest actors over time, which actors are named together and the documents by
//! date, and the top terms and actors as tables a reader sorts (a click on a column) and filters.
//! Without script the tables are still there, in the reports' order.
//!
//! The charts are drawn here as SVG: horizontal bars for rankings, lines for timelines, columns for
//! the corpus by date and a shaded matrix for co-occurrence, every axis labelled. The timelines span
//! the bulk of the dated documents, leaving out at most one in a hundred far from the rest and saying
//! so (see `Drawn`), so that one stray date does not draw centuries.

use std::fmt::Write as _;
use std::io::Write;

use polars::prelude::*;

use super::manifest::Manifest;
use super::{actor_rows, thousands, top_terms, ReportError};
use crate::corpus::{Date, Period};
use crate::count::{ActorKey, DocumentTotals, MentionRow};
use crate::frames::{registry, Report};
use crate::hashing::FastMap;

/// Terms in the top-terms chart.
const TOP_TERMS: usize = 25;
/// Actors in each kind's chart.
const TOP_ACTORS: usize = 12;
/// Actors drawn over time.
const TIMELINE_ACTORS: usize = 6;
/// Rows of the sortable tables of terms and of actors.
pub const TABLE_ROWS: usize = 500;
/// Actors in the co-occurrence matrix.
const MATRIX_ACTORS: usize = 15;
/// Longest span, in days, drawn day by day; longer spans are drawn by month.
const DAILY_SPAN_DAYS: i32 = 92;

/// Line colours, told apart by people with the common colour-vision deficiencies (Okabe and Ito).
const PALETTE: [&str; 8] = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];
/// The bar colour of each actor kind.
const KIND_COLOURS: [(&str, &str); 3] = [("person", "#0072B2"), ("organization", "#E69F00"), ("place", "#009E73")];

/// An actor's first mentions in context, by the actor as resolved.
pub type Contexts = FastMap<ActorKey, Vec<MentionRow>>;

/// Writes the overview of `manifest`, `frames` (by report name), the `documents` and the actors'
/// first mentions in `contexts` as one HTML page.
pub fn write<W: Write>(
    mut w: W,
    manifest: &Manifest,
    frames: &[(&str, DataFrame)],
    documents: &DocumentTotals,
    contexts: &Contexts,
) -> Result<(), ReportError> {
    let page = page(manifest, frames, documents, contexts)?;
    w.write_all(page.as_bytes())?;
    Ok(())
}

fn page(
    manifest: &Manifest,
    frames: &[(&str, DataFrame)],
    documents: &DocumentTotals,
    contexts: &Contexts,
) -> PolarsResult<String> {
    let frame = |report: &Report| frames.iter().find(|(n, _)| *n == report.name).map(|(_, df)| df);
    // Where every row of a report is: its files, or what writes them (the reports asked for, none
    // named: every one).
    let asked = registry::Selection::of(&manifest.settings.analysis.reports);
    let files = |report: &Report| {
        let name = report.name;
        match (asked.holds(report), manifest.settings.formats.every_row_in(name)) {
            (true, Some(files)) => files,
            (true, None) => format!("{name}.csv with --format csv"),
            (false, _) => format!("{name}.csv with --reports {name} --format csv"),
        }
    };
    let mut html = String::with_capacity(64 << 10);
    html.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>tally report</title>\n<style>\n",
    );
    html.push_str(STYLE);
    html.push_str("</style>\n</head>\n<body>\n<h1>tally report</h1>\n");
    let dates = documents.by_date();
    let span = match (dates.first().map(|d| d.0), dates.last().map(|d| d.0)) {
        (Some(a), Some(b)) if a == b => format!("documents of {a}"),
        (Some(a), Some(b)) => format!("documents of {a} to {b}"),
        _ => "documents without dates".to_string(),
    };
    let _ = writeln!(html, "<p class=\"sub\">{}: {span}</p>", escape(&manifest.inputs.join(", ")));
    let drawn = Drawn::of(&dates);
    html.push_str(&numbers(manifest));

    // A section shows a report a run wrote (`--reports`); the actors' charts pick their actors from
    // the `actors` report.
    if let Some(df) = frame(&registry::TERMS) {
        html.push_str("<h2>Top terms</h2>\n");
        let bars: Vec<Bar> = top_terms(df, TOP_TERMS)?
            .into_iter()
            .map(|(t, n)| Bar { label: t, value: n as f64, colour: PALETTE[0] })
            .collect();
        html.push_str(&figure(
            &bar_chart(&bars, "occurrences"),
            &format!(
                "The most frequent terms, stopwords and numbers left out (all terms: {}).",
                files(&registry::TERMS)
            ),
        ));
        html.push_str(&terms_table(df, &files(&registry::TERMS))?);
    }

    let actors = match frame(&registry::ACTORS) {
        Some(df) => actor_rows(df)?,
        None => Vec::new(),
    };
    let actor_frame = |report: &Report| frame(&registry::ACTORS).and(frame(report));
    if frame(&registry::ACTORS).is_some() {
        html.push_str("<h2>Top actors by kind</h2>\n<div class=\"row\">\n");
    }
    for (kind, colour) in KIND_COLOURS.iter().copied().filter(|_| frame(&registry::ACTORS).is_some()) {
        let bars: Vec<Bar> = actors
            .iter()
            .filter(|a| a.1 == kind)
            .take(TOP_ACTORS)
            .map(|a| Bar { label: a.0.clone(), value: a.2 as f64, colour })
            .collect();
        let _ = write!(html, "<div><h3>{kind}s</h3>");
        html.push_str(&figure(&bar_chart(&bars, "mentions"), ""));
        html.push_str("</div>\n");
    }
    if let Some(df) = frame(&registry::ACTORS) {
        html.push_str("</div>\n");
        html.push_str(&actors_table(df, contexts, &files(&registry::ACTORS), &files(&registry::MENTIONS))?);
    }

    if let Some(df) = actor_frame(&registry::ACTOR_TIMELINE) {
        html.push_str("<h2>The busiest actors over time</h2>\n");
        html.push_str(&figure(
            &actor_lines(df, &actors, manifest.settings.analysis.period, drawn.as_ref())?,
            &format!(
                "The most mentioned actors over time, per million words of each period where the chart goes by \
                 the report's periods (every actor, by period, with both figures, is in {}.csv).",
                registry::ACTOR_TIMELINE.name
            ),
        ));
    }

    if let Some(df) = frame(&registry::PERIOD_KEYNESS) {
        html.push_str("<h2>What surged</h2>\n");
        html.push_str(&surges(df)?);
    }

    if let Some(df) = actor_frame(&registry::ACTOR_PAIRS) {
        html.push_str("<h2>Who is named with whom</h2>\n");
        html.push_str(&figure(
            &matrix(df, &actors)?,
            &format!(
                "Sentences naming both actors, for the most mentioned actors; darker is more (all pairs, with PMI and \
                 log-Dice, are in {}.csv).",
                registry::ACTOR_PAIRS.name
            ),
        ));
    }

    if let (Some(collocations), Some(terms)) = (frame(&registry::COLLOCATIONS), frame(&registry::TERMS)) {
        html.push_str("<h2>Words that go together</h2>\n");
        html.push_str(&strongest_collocations(collocations, terms)?);
    }

    html.push_str("<h2>Documents by date</h2>\n");
    let chart = documents_by_date(&dates, documents.undated(), drawn.as_ref());
    html.push_str(&figure(&chart, "Documents per period, by the date in each document."));
    let _ = writeln!(
        html,
        "<p class=\"foot\">Written by {} {}. The tables behind every chart are in the CSV and Parquet reports \
         and in tally.xlsx beside this page.</p>",
        escape(&manifest.program),
        escape(&manifest.version)
    );
    html.push_str("<script>\n");
    html.push_str(SCRIPT);
    html.push_str("</script>\n</body>\n</html>\n");
    Ok(html)
}

/// Sorts a `sortable` table by the column whose header is clicked (numbers most first, text from A;
/// a second click reverses), and shows only the rows of a `filter` input's table holding its text.
const SCRIPT: &str = r#"document.querySelectorAll('table.sortable').forEach(function (table) {
  var heads = table.querySelectorAll('th');
  heads.forEach(function (th, col) {
    th.addEventListener('click', function () {
      var numeric = th.classList.contains('n');
      var usual = numeric ? 'descending' : 'ascending';
      var order = th.getAttribute('aria-sort') === usual ? (numeric ? 'ascending' : 'descending') : usual;
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', order);
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var key = function (row) { return row.cells[col].getAttribute('data-v') || row.cells[col].textContent; };
      rows.sort(function (a, b) {
        var c = numeric ? parseFloat(key(a)) - parseFloat(key(b)) : key(a).localeCompare(key(b));
        return order === 'descending' ? -c : c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
document.querySelectorAll('input.filter').forEach(function (input) {
  var table = document.getElementById(input.getAttribute('data-table'));
  input.addEventListener('input', function () {
    var q = input.value.toLowerCase();
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var text = Array.prototype.map.call(row.cells, function (c) {
        return c.querySelector('details') ? c.getAttribute('data-v') : c.textContent;
      }).join(' ');
      row.hidden = q !== '' && text.toLowerCase().indexOf(q) < 0;
    });
  });
});
"#;

/// A sortable, filterable table: `id`, what its filter box says, its columns (name, whether a
/// number) and its rows (each cell's text; a number's own value sorts it). A row's `details`, when
/// there are any, open under its first cell's text.
fn sortable(id: &str, what: &str, columns: &[(&str, bool)], rows: &[Vec<String>], details: &[String]) -> String {
    let mut html = format!(
        "<p class=\"tools\"><input class=\"filter\" type=\"search\" data-table=\"{id}\" \
         placeholder=\"Filter the {what}\" aria-label=\"Filter the {what}\"> Click a column's name to sort \
         by it.</p>\n<div class=\"scroll\"><table class=\"sortable\" id=\"{id}\">\n<thead><tr>"
    );
    for (name, number) in columns {
        let class = if *number { " class=\"n\"" } else { "" };
        let _ = write!(html, "<th{class}>{}</th>", escape(name));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for (i, row) in rows.iter().enumerate() {
        html.push_str("<tr>");
        for (col, (cell, (_, number))) in row.iter().zip(columns).enumerate() {
            let details = details.get(i).filter(|d| col == 0 && !d.is_empty());
            match (number, details) {
                (true, _) => {
                    let shown = cell.parse::<u64>().map_or_else(|_| cell.clone(), thousands);
                    let _ = write!(html, "<td class=\"n\" data-v=\"{}\">{}</td>", escape(cell), escape(&shown));
                }
                (false, Some(details)) => {
                    let cell = escape(cell);
                    let _ = write!(
                        html,
                        "<td data-v=\"{cell}\"><details><summary>{cell}</summary>{details}</details></td>"
                    );
                }
                (false, None) => {
                    let _ = write!(html, "<td>{}</td>", escape(cell));
                }
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table></div>\n");
    html
}

/// The text of row `i` of `column` (empty when missing).
fn cell(column: &Column, i: usize) -> String {
    match column.get(i) {
        Ok(AnyValue::Null) | Err(_) => String::new(),
        Ok(AnyValue::String(s)) => s.to_string(),
        Ok(value) => value.to_string(),
    }
}

/// The top [`TABLE_ROWS`] terms, stopwords and numbers left out, as a sortable table; `files` says
/// where every term is.
fn terms_table(terms: &DataFrame, files: &str) -> PolarsResult<String> {
    let (stop, number) = (terms.column("is_stopword")?.bool()?, terms.column("is_number")?.bool()?);
    let names = ["term", "count", "documents", "per_million", "dp"];
    let columns: Vec<&Column> = names.iter().map(|n| terms.column(n)).collect::<PolarsResult<_>>()?;
    let rows: Vec<Vec<String>> = (0..terms.height())
        .filter(|&i| stop.get(i) == Some(false) && number.get(i) == Some(false))
        .take(TABLE_ROWS)
        .map(|i| columns.iter().map(|c| cell(c, i)).collect())
        .collect();
    let headers =
        [("term", false), ("count", true), ("documents", true), ("per million words", true), ("dispersion (DP)", true)];
    Ok(format!(
        "<h3 class=\"as-written\">The top {} terms</h3>\n{}<p class=\"foot-note\">Stopwords and numbers left out; \
         every term is in {}.</p>\n",
        rows.len(),
        sortable("terms-table", "terms", &headers, &rows, &[]),
        escape(files)
    ))
}

/// The [`TABLE_ROWS`] most mentioned actors, as a sortable table, each with its first mentions in
/// context from `contexts` under its name; `actor_files` and `mention_files` say where every actor
/// and every mention is.
fn actors_table(
    actors: &DataFrame,
    contexts: &Contexts,
    actor_files: &str,
    mention_files: &str,
) -> PolarsResult<String> {
    let names = ["actor", "kind", "mentions", "documents"];
    let columns: Vec<&Column> = names.iter().map(|n| actors.column(n)).collect::<PolarsResult<_>>()?;
    let rows: Vec<Vec<String>> =
        (0..actors.height().min(TABLE_ROWS)).map(|i| columns.iter().map(|c| cell(c, i)).collect()).collect();
    let details: Vec<String> = rows
        .iter()
        .map(|row| {
            let key = crate::actors::Kind::parse(&row[1]).map(|kind| ActorKey { name: row[0].as_str().into(), kind });
            key.and_then(|key| contexts.get(&key)).map_or_else(String::new, |lines| in_context(lines))
        })
        .collect();
    let headers = [("actor", false), ("kind", false), ("mentions", true), ("documents", true)];
    Ok(format!(
        "<h3 class=\"as-written\">The {} most mentioned actors</h3>\n{}<p class=\"foot-note\">Click an actor for its \
         first mentions in context. Every actor, with its aliases, is in {}; every mention in {}.</p>\n",
        rows.len(),
        sortable("actors-table", "actors", &headers, &rows, &details),
        escape(actor_files),
        escape(mention_files)
    ))
}

/// "…" where a side of a mention's context was cut (it holds as many characters as were kept), else
/// nothing: the document starts or ends there.
fn cut(side: &str) -> &'static str {
    match side.chars().count() >= crate::count::CONTEXT_WIDTH {
        true => "…",
        false => "",
    }
}

/// `text` with each run of white space one space.
fn squeezed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c.is_whitespace() {
            true if out.ends_with(' ') => {}
            true => out.push(' '),
            false => out.push(c),
        }
    }
    out
}

/// Mentions as lines in context: the text before, the mention, the text after, and the document.
fn in_context(lines: &[MentionRow]) -> String {
    let mut html = String::from("<ol class=\"ctx\">");
    for row in lines {
        let Some(context) = &row.context else { continue };
        let _ = write!(
            html,
            "<li>{}{}<b>{}</b>{}{} <span class=\"doc\">{}</span></li>",
            cut(&context.left),
            escape(&squeezed(&context.left)),
            escape(&row.text),
            escape(&squeezed(&context.right)),
            cut(&context.right),
            escape(&row.doc)
        );
    }
    html.push_str("</ol>");
    html
}

const STYLE: &str = "body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', \
'Noto Sans CJK SC', 'Noto Sans CJK JP', 'Microsoft YaHei', 'Hiragino Sans', 'Noto Sans Armenian', \
'Noto Sans Devanagari', sans-serif; margin: 2em auto; \
max-width: 1100px; color: #222; padding: 0 1em; }
h1 { margin-bottom: 0; } .sub { color: #555; margin-top: 0.2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
h3 { margin: 0.5em 0 0 0; text-transform: capitalize; }
.numbers { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 0.8em; }
.numbers div { background: #f3f5f8; border-radius: 6px; padding: 0.6em 0.8em; }
.numbers b { display: block; font-size: 1.3em; white-space: nowrap; }
.row { display: flex; flex-wrap: wrap; gap: 1.5em; } .row > div { flex: 1 1 520px; }
figure { margin: 0.5em 0; } figcaption { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.5em 0; } th, td { padding: 0.25em 0.8em; text-align: left; \
border-bottom: 1px solid #e3e6ea; vertical-align: top; } th { background: #f3f5f8; } td.n { text-align: right; } td.d { white-space: nowrap; }
svg { max-width: 100%; height: auto; } svg text { font-family: inherit; fill: #222; }
.empty { color: #777; font-style: italic; }
.foot { color: #777; font-size: 0.85em; margin-top: 3em; }
.foot-note { color: #555; font-size: 0.9em; margin-top: 0.3em; } h3.as-written { text-transform: none; }
.scroll { max-height: 26em; overflow-y: auto; display: inline-block; border: 1px solid #e3e6ea; }
.scroll thead th { position: sticky; top: 0; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort=descending]::after { content: ' \\25BE'; }
table.sortable th[aria-sort=ascending]::after { content: ' \\25B4'; }
.tools { margin: 0.5em 0 0.3em; color: #555; font-size: 0.9em; } .tools input { font: inherit; padding: 0.2em 0.4em; }
summary { cursor: pointer; } ol.ctx { margin: 0.3em 0; padding-left: 1.5em; font-size: 0.9em; max-width: 60em; }
ol.ctx .doc { color: #777; font-size: 0.85em; }
";

/// The corpus in numbers: documents, words, terms, actors, mentions, skipped files.
fn numbers(manifest: &Manifest) -> String {
    let mut html = String::from("<div class=\"numbers\">\n");
    let items = [
        ("documents", thousands(manifest.documents)),
        ("words", thousands(manifest.tokens)),
        ("distinct terms", thousands(manifest.terms)),
        ("actors", manifest.actors.map_or_else(|| "not looked for".to_string(), thousands)),
        ("actor mentions", manifest.mentions.map_or_else(|| "not looked for".to_string(), thousands)),
        ("megabytes", format!("{:.1}", manifest.bytes as f64 / 1e6)),
        ("files and documents skipped", thousands(manifest.skipped.len() as u64)),
        ("warnings", thousands(manifest.warnings.len() as u64)),
    ];
    for (label, value) in items {
        let _ = writeln!(html, "<div><b>{}</b>{label}</div>", escape(&value));
    }
    html.push_str("</div>\n");
    html
}

/// Periods shown in "What surged", the latest.
const SURGE_PERIODS: usize = 6;
/// Terms and actors shown per period there.
const SURGE_ITEMS: usize = 5;
/// Collocations shown.
const TOP_COLLOCATIONS: usize = 15;

/// A table of the latest periods' strongest terms and actors against the rest of the corpus.
fn surges(keyness: &DataFrame) -> PolarsResult<String> {
    let periods = keyness.column("period")?.date()?.physical().clone();
    let (item, kind) = (keyness.column("item")?.str()?, keyness.column("type")?.str()?);
    // Rows come by period, then strength: the first rows of each period are its strongest.
    let mut rows: Vec<(i32, Vec<String>, Vec<String>)> = Vec::new();
    for i in 0..keyness.height() {
        let (Some(day), Some(name), Some(kind)) = (periods.get(i), item.get(i), kind.get(i)) else { continue };
        if rows.last().is_none_or(|r| r.0 != day) {
            rows.push((day, Vec::new(), Vec::new()));
        }
        let row = rows.last_mut().expect("pushed above");
        let list = if kind == "actor" { &mut row.2 } else { &mut row.1 };
        if list.len() < SURGE_ITEMS {
            list.push(escape(name));
        }
    }
    if rows.is_empty() {
        return Ok(empty("Nothing surged: the dated documents fall in one period, or no term or actor stands out."));
    }
    let mut table = String::from("<table>\n<tr><th>period</th><th>terms</th><th>actors</th></tr>\n");
    for (day, terms, actors) in rows.iter().rev().take(SURGE_PERIODS).rev() {
        let _ = writeln!(
            table,
            "<tr><td class=\"d\">{}</td><td>{}</td><td>{}</td></tr>",
            Date::from_days_since_epoch(*day),
            terms.join(", "),
            actors.join(", ")
        );
    }
    table.push_str("</table>\n");
    Ok(format!(
        "<figure>\n{table}<figcaption>The strongest terms and actors of the latest periods against the rest of the \
         corpus, by log-likelihood (every period is in period_keyness.csv).</figcaption>\n</figure>\n"
    ))
}

/// A table of the strongest collocations of two words that are not both stopwords.
fn strongest_collocations(collocations: &DataFrame, terms: &DataFrame) -> PolarsResult<String> {
    let (term, stop) = (terms.column("term")?.str()?, terms.column("is_stopword")?.bool()?);
    let stopwords: std::collections::HashSet<&str> =
        (0..terms.height()).filter(|&i| stop.get(i) == Some(true)).filter_map(|i| term.get(i)).collect();
    let (a, b) = (collocations.column("term_a")?.str()?, collocations.column("term_b")?.str()?);
    let count = collocations.column("count")?.i64()?;
    let (g2, dice) = (collocations.column("log_likelihood")?.f64()?, collocations.column("log_dice")?.f64()?);
    let mut table =
        String::from("<table>\n<tr><th>words</th><th>together</th><th>log-likelihood</th><th>log-Dice</th></tr>\n");
    let mut shown = 0;
    for i in 0..collocations.height() {
        let (Some(x), Some(y)) = (a.get(i), b.get(i)) else { continue };
        if shown == TOP_COLLOCATIONS || g2.get(i).unwrap_or(0.0) <= 0.0 {
            break;
        }
        if stopwords.contains(x) && stopwords.contains(y) {
            continue;
        }
        let _ = writeln!(
            table,
            "<tr><td>{} {}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.2}</td></tr>",
            escape(x),
            escape(y),
            thousands(count.get(i).unwrap_or(0).max(0) as u64),
            g2.get(i).unwrap_or(0.0),
            dice.get(i).unwrap_or(0.0)
        );
        shown += 1;
    }
    if shown == 0 {
        return Ok(empty("No two words occur together often enough (see --min-count)."));
    }
    table.push_str("</table>\n");
    Ok(format!(
        "<figure>\n{table}<figcaption>Bigrams by log-likelihood, pairs of two stopwords left out (all are in \
         collocations.csv, with PMI and t-score).</figcaption>\n</figure>\n"
    ))
}

/// Escapes text for HTML and SVG. The characters HTML calls a parse error (controls but white space,
/// noncharacters) become U+FFFD, as a reference to them is one too: the page only shows text, and
/// the reports beside it keep it whole.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || is_noncharacter(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` is one of Unicode's 66 noncharacters: U+FDD0 to U+FDEF, and the last two of each plane.
fn is_noncharacter(c: char) -> bool {
    ('\u{fdd0}'..='\u{fdef}').contains(&c) || (c as u32) & 0xFFFE == 0xFFFE
}

fn figure(svg: &str, caption: &str) -> String {
    match caption.is_empty() {
        true => format!("<figure>\n{svg}</figure>\n"),
        false => format!("<figure>\n{svg}<figcaption>{}</figcaption>\n</figure>\n", escape(caption)),
    }
}

fn empty(message: &str) -> String {
    format!("<p class=\"empty\">{}</p>\n", escape(message))
}

/// A chart's periods: the finest the data has (days, or the run's `--period`) when the dates span at
/// most [`DAILY_SPAN_DAYS`], months otherwise.
struct Periods {
    period: Period,
    /// Every period from the first date's to the last's, as labels (`YYYY-MM-DD` of its first day,
    /// or `YYYY-MM`).
    labels: Vec<String>,
}

impl Periods {
    fn spanning(dates: impl Iterator<Item = Date> + Clone, finest: Period) -> Option<Periods> {
        let first = dates.clone().min()?;
        let last = dates.max()?;
        let (a, b) = (first.days_since_epoch(), last.days_since_epoch());
        let period = match finest {
            Period::Year => Period::Year,
            _ if b - a > DAILY_SPAN_DAYS => Period::Month,
            _ => finest,
        };
        let mut labels: Vec<String> = Vec::new();
        for day in a..=b {
            let label = Periods::label_of(period, Date::from_days_since_epoch(day));
            if labels.last() != Some(&label) {
                labels.push(label);
            }
        }
        Some(Periods { period, labels })
    }

    fn label_of(period: Period, date: Date) -> String {
        let iso = period.start(date).to_string();
        match period {
            Period::Month => iso[..iso.len() - 3].to_string(),
            Period::Year => iso[..iso.len() - 6].to_string(),
            Period::Day | Period::Week => iso,
        }
    }

    fn index(&self, date: Date) -> Option<usize> {
        self.labels.binary_search(&Periods::label_of(self.period, date)).ok()
    }

    fn unit(&self) -> &'static str {
        self.period.as_str()
    }
}

/// Dated documents the timelines leave out at most: one in so many.
const LEAVE_OUT_ONE_IN: u64 = 100;

/// The dates the timelines draw. A few documents far from the rest would stretch every timeline over
/// the years between (one dated 0019 among articles of 2019-2021 drew 24,000 months and made the
/// page 4 MB), so the timelines leave out sparse tails, and say so under the chart; the reports keep
/// every date.
///
/// Precisely, of N dated documents at most k = N / [`LEAVE_OUT_ONE_IN`] are left out. The core is
/// the shortest span of dates that leaves out at most k; the limit is twice the longer of the core's
/// span and [`DAILY_SPAN_DAYS`]. Dates spanning no more than the limit are drawn whole. Otherwise
/// the span drawn is, of the spans within the limit, the one leaving out the fewest documents (the
/// core is one such, so at most k), then the longest, then the earliest; widened to whole months,
/// so that no month or day drawn holds a document left out (a week across a month's end may).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Drawn {
    first: Date,
    last: Date,
    /// Dated documents before `first`, not drawn.
    before: u64,
    /// Dated documents after `last`, not drawn.
    after: u64,
}

impl Drawn {
    /// The span to draw of `dates` (the documents of each date, by date); `None` when there are none.
    fn of(dates: &[(Date, u64)]) -> Option<Drawn> {
        let n = dates.len();
        let (first, last) = (dates.first()?.0, dates.last()?.0);
        let whole = Drawn { first, last, before: 0, after: 0 };
        let total: u64 = dates.iter().map(|d| d.1).sum();
        let allowed = total / LEAVE_OUT_ONE_IN;
        if allowed == 0 {
            return Some(whole);
        }
        // before[i]: the documents dated before dates[i]; so after dates[j] are total - before[j + 1].
        let before: Vec<u64> = std::iter::once(0)
            .chain(dates.iter().scan(0, |sum, d| {
                *sum += d.1;
                Some(*sum)
            }))
            .collect();
        let after = |j: usize| total - before[j + 1];
        let day = |i: usize| i64::from(dates[i].0.days_since_epoch());
        let mut core = i64::MAX;
        for i in (0..n).take_while(|&i| before[i] <= allowed) {
            // The first last date that leaves out no more than the allowance's rest.
            let keep = total - (allowed - before[i]);
            let j = i + before[i + 1..].partition_point(|&b| b < keep);
            core = core.min(day(j) - day(i));
        }
        let limit = 2 * core.max(i64::from(DAILY_SPAN_DAYS));
        if day(n - 1) - day(0) <= limit {
            return Some(whole);
        }
        // (left out, -span, i, j) is least for the span drawn.
        let mut best = (u64::MAX, 0, 0, 0);
        let mut j = 0;
        for (i, &earlier) in before[..n].iter().enumerate() {
            j = j.max(i);
            while j + 1 < n && day(j + 1) - day(i) <= limit {
                j += 1;
            }
            let candidate = (earlier + after(j), day(i) - day(j), i, j);
            if (candidate.0, candidate.1) < (best.0, best.1) {
                best = candidate;
            }
        }
        let (mut i, mut j) = (best.2, best.3);
        let month = |k: usize| Period::Month.start(dates[k].0);
        while i > 0 && month(i - 1) == month(i) {
            i -= 1;
        }
        while j + 1 < n && month(j + 1) == month(j) {
            j += 1;
        }
        Some(Drawn { first: dates[i].0, last: dates[j].0, before: before[i], after: after(j) })
    }

    /// What the timelines leave out, as a sentence; `None` when they leave nothing out.
    fn left_out(&self) -> Option<String> {
        let documents = |n: u64| match n {
            1 => "1 document".to_string(),
            n => format!("{} documents", thousands(n)),
        };
        let are = |n: u64| if n == 1 { "is" } else { "are" };
        let (first, last) = (self.first, self.last);
        Some(match (self.before, self.after) {
            (0, 0) => return None,
            (b, 0) => format!("{} dated before {first} {} not drawn, far from the rest.", documents(b), are(b)),
            (0, a) => format!("{} dated after {last} {} not drawn, far from the rest.", documents(a), are(a)),
            (b, a) => format!(
                "{} dated before {first} and {} dated after {last} are not drawn, far from the rest.",
                documents(b),
                documents(a)
            ),
        })
    }
}

/// Mentions per period of the [`TIMELINE_ACTORS`] most mentioned actors, over the `drawn` dates.
fn actor_lines(
    timeline: &DataFrame,
    actors: &[(String, String, i64)],
    period: Period,
    drawn: Option<&Drawn>,
) -> PolarsResult<String> {
    let note = drawn.and_then(Drawn::left_out).map(|note| empty(&note)).unwrap_or_default();
    let dates = timeline.column("period")?.date()?.physical().clone();
    let (actor, kind) = (timeline.column("actor")?.str()?, timeline.column("kind")?.str()?);
    let (mentions, per_million) = (timeline.column("mentions")?.i64()?, timeline.column("per_million")?.f64()?);
    // A period is drawn when it starts no earlier than the first drawn date's.
    let shown = |day: i32| {
        drawn.is_none_or(|d| (period.start(d.first).days_since_epoch()..=d.last.days_since_epoch()).contains(&day))
    };
    let all: Vec<Date> = dates.iter().flatten().filter(|&d| shown(d)).map(Date::from_days_since_epoch).collect();
    let Some(periods) = Periods::spanning(all.iter().copied(), period) else {
        return Ok(empty("No document has a date, so there is no timeline to draw."));
    };
    if periods.labels.len() < 2 {
        let who = if note.is_empty() { "Every dated document" } else { "Every document drawn" };
        return Ok(empty(&format!("{who} is from {}: no timeline to draw.", periods.labels[0])) + &note);
    }
    // Drawn by the report's own periods, the lines are mentions per million words of each period, so
    // a busier month of the corpus does not look like more attention; regrouped (a long span of
    // days drawn by month), they are mentions, which add up where rates would not.
    let rates = periods.period == period;
    let busiest: Vec<&(String, String, i64)> = actors.iter().take(TIMELINE_ACTORS).collect();
    let mut series: Vec<(String, Vec<f64>)> =
        busiest.iter().map(|a| (a.0.clone(), vec![0.0; periods.labels.len()])).collect();
    for i in 0..timeline.height() {
        let (Some(day), Some(name), Some(k)) = (dates.get(i), actor.get(i), kind.get(i)) else { continue };
        let Some(s) = busiest.iter().position(|a| a.0 == name && a.1 == k) else { continue };
        if let Some(p) = periods.index(Date::from_days_since_epoch(day)).filter(|_| shown(day)) {
            series[s].1[p] += match rates {
                true => per_million.get(i).unwrap_or(0.0),
                false => mentions.get(i).unwrap_or(0) as f64,
            };
        }
    }
    let y_label = match rates {
        true => format!("mentions per million words, by {}", periods.unit()),
        false => format!("mentions per {}", periods.unit()),
    };
    Ok(line_chart(&periods, &series, &y_label) + &note)
}

/// Documents per period, of `dates` (the documents of each date, by date) and the `undated` ones,
/// over the `drawn` dates.
fn documents_by_date(dates: &[(Date, u64)], undated: u64, drawn: Option<&Drawn>) -> String {
    let dates: Vec<(Date, u64)> =
        dates.iter().copied().filter(|(date, _)| drawn.is_none_or(|d| (d.first..=d.last).contains(date))).collect();
    let Some(periods) = Periods::spanning(dates.iter().map(|d| d.0), Period::Day) else {
        return empty("No document has a date.");
    };
    let mut counts = vec![0.0; periods.labels.len()];
    for &(date, n) in &dates {
        if let Some(p) = periods.index(date) {
            counts[p] += n as f64;
        }
    }
    let mut svg = column_chart(&periods, &counts, &format!("documents per {}", periods.unit()));
    if let Some(note) = drawn.and_then(Drawn::left_out) {
        svg.push_str(&empty(&note));
    }
    if undated > 0 {
        svg.push_str(&empty(&format!("{} documents have no date and are not drawn.", thousands(undated))));
    }
    svg
}

/// Sentences shared by each pair of the [`MATRIX_ACTORS`] most mentioned actors, as a shaded matrix.
fn matrix(pairs: &DataFrame, actors: &[(String, String, i64)]) -> PolarsResult<String> {
    let top: Vec<&(String, String, i64)> = actors.iter().take(MATRIX_ACTORS).collect();
    if top.len() < 2 {
        return Ok(empty("Fewer than two actors: no pairs to draw."));
    }
    let col = |name: &str| pairs.column(name).and_then(|c| c.str().cloned());
    let (a, ka, b, kb) = (col("actor_a")?, col("kind_a")?, col("actor_b")?, col("kind_b")?);
    let sentences = pairs.column("sentences")?.i64()?;
    let n = top.len();
    let mut cells = vec![0i64; n * n];
    for i in 0..pairs.height() {
        let find = |name: Option<&str>, kind: Option<&str>| {
            top.iter().position(|t| Some(t.0.as_str()) == name && Some(t.1.as_str()) == kind)
        };
        if let (Some(x), Some(y)) = (find(a.get(i), ka.get(i)), find(b.get(i), kb.get(i))) {
            let v = sentences.get(i).unwrap_or(0);
            cells[x * n + y] = v;
            cells[y * n + x] = v;
        }
    }
    let max = cells.iter().copied().max().unwrap_or(0).max(1) as f64;
    let (label_w, cell, top_h) = (190.0, 30.0, 190.0);
    let (width, height) = (label_w + cell * n as f64 + 20.0, top_h + cell * n as f64 + 10.0);
    let mut svg = svg_open(width, height, "Actor co-occurrence matrix");
    for (i, t) in top.iter().enumerate() {
        let y = top_h + cell * i as f64 + cell / 2.0 + 4.0;
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{y}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
            label_w - 6.0,
            escape(&fit(&t.0, 12.0, label_w - 10.0))
        );
        let x = label_w + cell * i as f64 + cell / 2.0 + 4.0;
        let _ = writeln!(
            svg,
            "<text x=\"{x}\" y=\"{}\" font-size=\"12\" transform=\"rotate(-60 {x} {})\">{}</text>",
            top_h - 6.0,
            top_h - 6.0,
            escape(&fit(&t.0, 12.0, label_w - 10.0))
        );
    }
    for x in 0..n {
        for y in 0..n {
            let v = cells[x * n + y];
            let (px, py) = (label_w + cell * y as f64, top_h + cell * x as f64);
            let fill = match (x == y, v) {
                (true, _) => "#eeeeee".to_string(),
                (false, 0) => "#ffffff".to_string(),
                (false, v) => shade(v as f64 / max),
            };
            let _ = write!(
                svg,
                "<rect x=\"{px}\" y=\"{py}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#ddd\">\
                 <title>{} and {}: {v} sentences</title></rect>",
                escape(&top[x].0),
                escape(&top[y].0)
            );
            if v > 0 && x != y {
                let colour = if v as f64 / max > 0.5 { "#fff" } else { "#222" };
                let _ = write!(
                    svg,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" style=\"fill:{colour}\">{v}</text>",
                    px + cell / 2.0,
                    py + cell / 2.0 + 3.5
                );
            }
            svg.push('\n');
        }
    }
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// A blue of strength `t` in 0..=1.
fn shade(t: f64) -> String {
    let t = t.clamp(0.0, 1.0).sqrt();
    let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(222.0, 8.0), mix(235.0, 69.0), mix(247.0, 148.0))
}

/// `text` as it fits in `max_px` at `font_px`, cut with "…" when it would not: by the widths of its
/// characters in a wide sans-serif (DejaVu Sans, Chromium's on Linux), so that no label runs past
/// the edge of its chart where a narrower font would have fitted it.
fn fit(text: &str, font_px: f64, max_px: f64) -> String {
    let width = |c: char| -> f64 {
        let em = match c {
            ' ' | '.' | ',' | ':' | ';' | '\'' | '’' | '|' | '!' => 0.32,
            'i' | 'j' | 'l' | 'I' => 0.3,
            'f' | 't' | 'r' | '(' | ')' | '-' => 0.4,
            'm' => 0.97,
            'w' => 0.82,
            'M' => 0.86,
            'W' => 0.99,
            'a'..='z' => 0.62,
            'A'..='Z' => 0.74,
            '0'..='9' => 0.64,
            c if c.is_ascii() => 0.6,
            // Han, kana, Hangul and full-width forms.
            '\u{1100}'..='\u{115f}'
            | '\u{2e80}'..='\u{a4cf}'
            | '\u{ac00}'..='\u{d7a3}'
            | '\u{f900}'..='\u{faff}'
            | '\u{ff00}'..='\u{ff60}'
            | '\u{20000}'.. => 1.0,
            _ => 0.68,
        };
        em * font_px
    };
    if text.chars().map(width).sum::<f64>() <= max_px {
        return text.to_string();
    }
    let room = max_px - width('…');
    let mut used = 0.0;
    let kept: String = text
        .chars()
        .take_while(|&c| {
            used += width(c);
            used <= room
        })
        .collect();
    format!("{}…", kept.trim_end())
}

fn svg_open(width: f64, height: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"{0}\"><title>{0}</title>\n",
        escape(title)
    )
}

/// Round tick values from 0 past `max`: steps of 1, 2 or 5 times a power of ten, about five of them.
fn ticks(max: f64) -> Vec<f64> {
    let max = max.max(1.0);
    let raw = max / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power).max(1.0);
    let mut out = vec![0.0];
    while *out.last().expect("not empty") < max {
        out.push(out.last().expect("not empty") + step);
    }
    out
}

/// A number as a tick label: whole numbers without decimals, thousands as k, millions as M.
fn tick_label(v: f64) -> String {
    match v {
        v if v >= 1e6 => format!("{}M", trim(v / 1e6)),
        v if v >= 1e4 => format!("{}k", trim(v / 1e3)),
        v => trim(v),
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

struct Bar {
    label: String,
    value: f64,
    colour: &'static str,
}

/// Horizontal bars, largest first, with the value at each bar's end and a labelled value axis.
fn bar_chart(bars: &[Bar], axis: &str) -> String {
    if bars.is_empty() {
        return empty("Nothing to draw.");
    }
    let (label_w, plot_w, row_h, top, bottom) = (190.0, 310.0, 20.0, 10.0, 44.0);
    let height = top + row_h * bars.len() as f64 + bottom;
    let width = label_w + plot_w + 60.0;
    let ticks = ticks(bars.iter().map(|b| b.value).fold(0.0, f64::max));
    let scale = plot_w / ticks.last().copied().unwrap_or(1.0);
    let mut svg = svg_open(width, height, axis);
    let axis_y = top + row_h * bars.len() as f64;
    for t in &ticks {
        let x = label_w + t * scale;
        let _ = writeln!(
            svg,
            "<line x1=\"{x}\" y1=\"{top}\" x2=\"{x}\" y2=\"{axis_y}\" stroke=\"#e3e3e3\"/>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{}</text>",
            axis_y + 14.0,
            tick_label(*t)
        );
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let w = (bar.value * scale).max(1.0);
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>\
             <rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{}</text>",
            label_w - 6.0,
            y + 14.0,
            escape(&fit(&bar.label, 12.0, label_w - 10.0)),
            y + 3.0,
            row_h - 6.0,
            bar.colour,
            escape(&bar.label),
            bar.value,
            label_w + w + 4.0,
            y + 14.0,
            thousands(bar.value as u64)
        );
    }
    let _ = writeln!(
        svg,
        "<line x1=\"{label_w}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\" stroke=\"#888\"/>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{}</text>\n</svg>",
        label_w + plot_w,
        label_w + plot_w / 2.0,
        axis_y + 34.0,
        escape(axis)
    );
    svg
}

/// The frame of a chart over periods: the plot area's geometry, its y axis and its x labels.
struct TimeAxes {
    left: f64,
    top: f64,
    plot_h: f64,
    scale: f64,
    step: f64,
}

fn time_axes(svg: &mut String, periods: &Periods, max: f64, y_label: &str, plot_w: f64) -> TimeAxes {
    let (left, top, plot_h) = (70.0, 14.0, 240.0);
    let ticks = ticks(max);
    let scale = plot_h / ticks.last().copied().unwrap_or(1.0);
    let step = plot_w / periods.labels.len() as f64;
    let bottom = top + plot_h;
    for t in &ticks {
        let y = bottom - t * scale;
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#e3e3e3\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">{}</text>",
            left + plot_w,
            left - 6.0,
            y + 4.0,
            tick_label(*t)
        );
    }
    // About twelve period labels, evenly spread.
    let every = periods.labels.len().div_ceil(12);
    for (i, label) in periods.labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let x = left + step * (i as f64 + 0.5);
        let _ = writeln!(
            svg,
            "<text x=\"{x}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" transform=\"rotate(-35 {x} {})\">{label}</text>",
            bottom + 14.0,
            bottom + 14.0
        );
    }
    let _ = writeln!(
        svg,
        "<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{}\" y2=\"{bottom}\" stroke=\"#888\"/>\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{bottom}\" stroke=\"#888\"/>\
         <text x=\"16\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 {})\">{}</text>\
         <text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{}</text>",
        left + plot_w,
        top + plot_h / 2.0,
        top + plot_h / 2.0,
        escape(y_label),
        left + plot_w / 2.0,
        bottom + 70.0,
        periods.unit()
    );
    TimeAxes { left, top, plot_h, scale, step }
}

/// Lines over periods, one per series, with a legend.
fn line_chart(periods: &Periods, series: &[(String, Vec<f64>)], y_label: &str) -> String {
    let max = series.iter().flat_map(|s| s.1.iter().copied()).fold(0.0, f64::max);
    let plot_w = 760.0;
    let legend_h = 20.0 * series.len().div_ceil(3) as f64;
    let mut svg = svg_open(70.0 + plot_w + 20.0, 14.0 + 240.0 + 84.0 + legend_h, y_label);
    let axes = time_axes(&mut svg, periods, max, y_label, plot_w);
    for (k, (name, values)) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let x = axes.left + axes.step * (i as f64 + 0.5);
                format!("{x:.1},{:.1}", axes.top + axes.plot_h - v * axes.scale)
            })
            .collect();
        let _ = writeln!(
            svg,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"><title>{}</title></polyline>",
            points.join(" "),
            escape(name)
        );
        let (lx, ly) = (axes.left + 250.0 * (k % 3) as f64, axes.top + axes.plot_h + 90.0 + 20.0 * (k / 3) as f64);
        let _ = writeln!(
            svg,
            "<rect x=\"{lx}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"{colour}\"/>\
             <text x=\"{}\" y=\"{ly}\" font-size=\"12\">{}</text>",
            ly - 5.0,
            lx + 20.0,
            escape(&fit(name, 12.0, 220.0))
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// Columns over periods.
fn column_chart(periods: &Periods, values: &[f64], y_label: &str) -> String {
    let max = values.iter().copied().fold(0.0, f64::max);
    let plot_w = 760.0;
    let mut svg = svg_open(70.0 + plot_w + 20.0, 14.0 + 240.0 + 84.0, y_label);
    let axes = time_axes(&mut svg, periods, max, y_label, plot_w);
    for (i, v) in values.iter().enumerate() {
        let h = v * axes.scale;
        let _ = writeln!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}: {}</title></rect>",
            axes.left + axes.step * i as f64 + axes.step * 0.1,
            axes.top + axes.plot_h - h,
            axes.step * 0.8,
            PALETTE[0],
            periods.labels[i],
            *v as u64
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// Counts per period, for tests.
#[cfg(test)]
fn bucket(periods: &Periods, dates: &[Date]) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    for d in dates {
        if let Some(i) = periods.index(*d) {
            *out.entry(periods.labels[i].clone()).or_default() += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(34.0), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(ticks(9.0), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(1.0), vec![0.0, 1.0]);
        assert_eq!(ticks(1200.0), vec![0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(tick_label(25_000.0), "25k");
        assert_eq!(tick_label(1_500_000.0), "1.5M");
    }

    #[test]
    fn labels_are_cut_to_the_room_their_letters_take() {
        assert_eq!(fit("Federal Reserve", 12.0, 180.0), "Federal Reserve");
        let cut = fit("Securities and Exchange Commission", 12.0, 180.0);
        assert!(cut.starts_with("Securities and") && cut.ends_with('…') && !cut.contains(" …"), "{cut}");
        // Capitals take more room than small letters; Han characters more still.
        let (capitals, small) = (fit(&"M".repeat(40), 12.0, 180.0), fit(&"a".repeat(40), 12.0, 180.0));
        assert!(capitals.chars().count() < small.chars().count(), "{capitals} {small}");
        assert!(fit(&"中".repeat(20), 12.0, 180.0).chars().count() < fit(&"Ա".repeat(20), 12.0, 180.0).chars().count());
    }

    #[test]
    fn short_spans_go_by_day_and_long_ones_by_month_with_no_gaps() {
        let days = [date("2022-10-27"), date("2022-10-30")];
        let p = Periods::spanning(days.iter().copied(), Period::Day).unwrap();
        assert_eq!(p.labels, ["2022-10-27", "2022-10-28", "2022-10-29", "2022-10-30"]);
        // By week, each labelled with its Monday; by month as asked even over a short span.
        let p = Periods::spanning(days.iter().copied(), Period::Week).unwrap();
        assert_eq!(p.labels, ["2022-10-24"]);
        let weeks = [date("2022-10-27"), date("2022-11-01")];
        assert_eq!(
            Periods::spanning(weeks.iter().copied(), Period::Week).unwrap().labels,
            ["2022-10-24", "2022-10-31"]
        );
        assert_eq!(Periods::spanning(days.iter().copied(), Period::Month).unwrap().labels, ["2022-10"]);
        let months = [date("2022-11-15"), date("2022-10-27"), date("2023-02-01")];
        let p = Periods::spanning(months.iter().copied(), Period::Day).unwrap();
        assert_eq!(p.labels, ["2022-10", "2022-11", "2022-12", "2023-01", "2023-02"]);
        let counts = bucket(&p, &months);
        assert_eq!(counts.get("2022-12"), None);
        assert_eq!(counts["2023-02"], 1);
    }

    /// `n` documents a day for `days` days from `from`.
    fn daily(from: &str, days: i32, n: u64) -> Vec<(Date, u64)> {
        (0..days).map(|k| (Date::from_days_since_epoch(date(from).days_since_epoch() + k), n)).collect()
    }

    /// The span `Drawn::of` gives for `dates`, sorted, as (first, last, before, after).
    fn drawn(mut dates: Vec<(Date, u64)>) -> (String, String, u64, u64) {
        dates.sort_unstable();
        let d = Drawn::of(&dates).unwrap();
        (d.first.to_string(), d.last.to_string(), d.before, d.after)
    }

    #[test]
    fn timelines_leave_out_at_most_one_dated_document_in_a_hundred_far_from_the_rest() {
        let span = |a: &str, b: &str, before, after| (a.to_string(), b.to_string(), before, after);
        // Three years, one document a day, and one of 1850: only that one is left out.
        let mut dates = daily("2019-01-01", 1096, 1);
        dates.push((date("1850-06-01"), 1));
        assert_eq!(drawn(dates.clone()), span("2019-01-01", "2021-12-31", 1, 0));
        // Three before and two after, of 1,101: within the 11 that may be left out.
        dates.extend([(date("1851-01-01"), 2), (date("2150-01-01"), 2)]);
        assert_eq!(drawn(dates), span("2019-01-01", "2021-12-31", 3, 2));
        // More than 1% far away (20 of 1,116): everything is drawn.
        let mut many = daily("2019-01-01", 1096, 1);
        many.push((date("1850-06-01"), 20));
        assert_eq!(drawn(many), span("1850-06-01", "2021-12-31", 0, 0));
        // Under a hundred documents, none may be left out.
        let mut few = daily("2019-01-01", 90, 1);
        few.push((date("1850-06-01"), 1));
        assert_eq!(drawn(few), span("1850-06-01", "2019-03-31", 0, 0));
        // A tail within twice the bulk's span, or within twice the span drawn by day, is not far.
        let mut near = daily("2019-01-01", 365, 1);
        near.push((date("2020-06-01"), 1));
        assert_eq!(drawn(near), span("2019-01-01", "2020-06-01", 0, 0));
        let mut one_day = vec![(date("2022-10-27"), 200), (date("2023-01-15"), 1)];
        assert_eq!(drawn(one_day.clone()), span("2022-10-27", "2023-01-15", 0, 0));
        // A year before, past twice the 92 days drawn by day: left out.
        one_day.push((date("2021-10-01"), 1));
        assert_eq!(drawn(one_day), span("2022-10-27", "2023-01-15", 1, 0));
    }

    #[test]
    fn the_span_drawn_takes_in_whole_months() {
        // 1,000 days to 2021-11-24 and three documents before: the core leaves out those three and
        // 7 days, 992 days long, so a span drawn may start on 2016-06-19 (1,984 days before the end).
        // 2016-06-25 is within, 2016-06-10 of the same month is not, but comes in with its month.
        let mut dates = daily("2019-03-01", 1000, 1);
        dates.extend([(date("2010-01-01"), 1), (date("2016-06-10"), 1), (date("2016-06-25"), 1)]);
        assert_eq!(drawn(dates), ("2016-06-10".into(), "2021-11-24".into(), 1, 0));
        let note = Drawn { first: date("2016-06-10"), last: date("2021-11-24"), before: 1, after: 1200 };
        assert_eq!(
            note.left_out().unwrap(),
            "1 document dated before 2016-06-10 and 1,200 documents dated after 2021-11-24 are not drawn, far \
             from the rest."
        );
    }

    #[test]
    fn text_is_escaped_and_numbers_grouped() {
        assert_eq!(escape("<a href=\"x\">R&D's</a>"), "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn characters_html_forbids_are_replaced() {
        // C0 controls but white space, DEL and C1 controls, and noncharacters (U+FDD0, U+FFFF, U+1FFFE):
        // each a parse error in HTML (and the C0 ones not XML, for the SVG).
        let text = "a\u{0}\u{8}\u{b}\u{e}\u{1f}\u{7f}\u{85}\u{fdd0}\u{fffe}\u{ffff}\u{1fffe}b\tc\nd\u{fffd}";
        assert_eq!(escape(text), format!("a{}b\tc\nd\u{fffd}", "\u{fffd}".repeat(11)));
    }
}
