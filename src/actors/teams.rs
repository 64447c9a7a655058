//! Names used as sports teams: a document's words and the names found in them in, whether the
//! document uses a name as a team out, told by the layout of results and fixtures, not by a list of
//! clubs. A name is a team's
//! - in a result: it and its score, then straight after them (a comma or a dash between at most)
//!   another name and its score, closing the line or before a bracket or punctuation ("Cleveland 5
//!   Texas 3", "Grimsby 0 Portsmouth 1", "Warwickshire 195 , Surrey 429-7 ( C. Lewis 80 )"; not
//!   "TOLEDO 5 UND MAY UNC 1 UND" nor "Chicago 362 unch , Balt 12 unch" in tables of grain prices);
//! - either side of "v" or "vs" ("Surrey v Kent", "May 17 v Northampton");
//! - first on a line of two names joined by "at", a schedule ("CHICAGO AT TORONTO": Toronto is
//!   where they play);
//! - first on a row of standings: a line of the name and then only figures, five or more ("Stoke 4 3
//!   1 0 7 4 10") or three or more with a share of games won ("BALTIMORE 70 63 .526 4"), each of one
//!   to three digits, a share (".526"), a half ("1/2") or a dash. A row of the weather ("Moscow 23
//!   15") has fewer, a table of prices decimals and thousands.
//!
//! A score is a number of one to three digits written straight after the name on its line: a year,
//! a date, a decimal or a figure with thousands is none. The finder makes a city or state a
//! document uses so the club named for it wherever that document writes it, but where a place is
//! named (after "in" or "at", in a dateline: [`opens_dateline`]).

use crate::tokenize::Token;

/// What says a name is a team's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Evidence {
    /// Either side of "v", or first in a schedule.
    Fixture,
    /// A result: the name and its score beside another and its.
    Result,
    /// First on a row of standings, a table nothing else is laid out as.
    Standings,
}

/// Whether the document uses `names[i]` as a team, and what says so; `span` gives a name's first and
/// last words (indices into `tokens`), and `names` are in document order, apart.
pub(super) fn team_evidence<N>(
    content: &str,
    tokens: &[Token],
    names: &[N],
    span: impl Fn(&N) -> (usize, usize),
    i: usize,
) -> Option<Evidence> {
    let (first, last) = span(&names[i]);
    let gap = |k: usize| &content[tokens[k - 1].end..tokens[k].start];
    let word = |k: usize| tokens[k].text(content);
    // A result: names `a` and `b`, `a` before.
    let result = |a_last: usize, (b_first, b_last): (usize, usize)| {
        score_after(content, tokens, a_last)
            && b_first == a_last + 2
            && matches!(gap(b_first).trim_matches([' ', '\t']), "" | "," | "-")
            && score_after(content, tokens, b_last)
            && (b_last + 2 == tokens.len() || {
                let after = gap(b_last + 2).trim_start_matches([' ', '\t']);
                after.starts_with(['\n', '\r', '(', ',', ';', '.', '-'])
            })
    };
    let neighbours = [i.checked_sub(1), Some(i + 1).filter(|&j| j < names.len())];
    let in_result = neighbours.into_iter().flatten().any(|j| match j < i {
        true => result(span(&names[j]).1, (first, last)),
        false => result(last, span(&names[j])),
    });
    if in_result {
        return Some(Evidence::Result);
    }
    // Either side of "v" or "vs".
    let is_versus = |k: usize| matches!(word(k), "v" | "vs" | "VS");
    let versus_before = first > 0 && is_versus(first - 1) && matches!(gap(first), " " | ". ");
    let versus_after = last + 1 < tokens.len() && is_versus(last + 1) && gap(last + 1) == " ";
    if versus_before || versus_after {
        return Some(Evidence::Fixture);
    }
    // The first of a row of standings.
    let opens_line = |k: usize| k == 0 || gap(k).contains('\n');
    if opens_line(first) && is_standings_row(line_after(content, tokens[last].end)) {
        return Some(Evidence::Standings);
    }
    // The first of a line of two names joined by "at" (a schedule: the second is where they play).
    let closes_line = |k: usize| k + 1 == tokens.len() || gap(k + 1).contains('\n');
    let is_at = |k: usize| matches!(word(k), "at" | "AT");
    let name_word = |k: usize| word(k).starts_with(char::is_uppercase) && !is_at(k);
    let schedule = opens_line(first) && last + 2 < tokens.len() && is_at(last + 1) && gap(last + 1) == " " && {
        let mut k = last + 2;
        while name_word(k) && gap(k) == " " && !closes_line(k) {
            k += 1;
        }
        name_word(k) && gap(k) == " " && closes_line(k)
    };
    schedule.then_some(Evidence::Fixture)
}

/// The rest of the line from byte `at` of `content`.
fn line_after(content: &str, at: usize) -> &str {
    let rest = &content[at..];
    &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())]
}

/// Whether `figures`, what follows a name on its line, make it a row of standings (see the module's
/// notes): five figures or more, or three with a share of games won, and nothing else.
fn is_standings_row(figures: &str) -> bool {
    let (mut n, mut share) = (0, false);
    for figure in figures.split_ascii_whitespace() {
        let digits = |s: &str, most: usize| (1..=most).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        match figure.split_once('/') {
            _ if figure == "-" => {}
            Some((a, b)) if digits(a, 1) && digits(b, 1) => {}
            None if figure.starts_with('.') && digits(&figure[1..], 3) && figure.len() == 4 => share = true,
            None if digits(figure, 3) => {}
            _ => return false,
        }
        n += 1;
    }
    n >= 5 || (share && n >= 3)
}

/// Whether words `first..=last` open a line that goes on to a year ("NEW YORK 1996-08-30",
/// "BIRMINGHAM , England 1996-08-31"): a dateline, which names where a story was written.
pub(super) fn opens_dateline(content: &str, tokens: &[Token], first: usize, last: usize) -> bool {
    let opens = first == 0 || content[tokens[first - 1].end..tokens[first].start].contains('\n');
    opens
        && tokens[last + 1..]
            .iter()
            .scan(tokens[last].end, |end, t| {
                let on_line = !content[*end..t.start].contains('\n');
                *end = t.end;
                on_line.then_some(t.text(content))
            })
            .any(|w| {
                w.len() == 4 && (w.starts_with("19") || w.starts_with("20")) && w.bytes().all(|b| b.is_ascii_digit())
            })
}

/// Whether word `last` is followed on its line, after spaces, by a score: one to three digits.
fn score_after(content: &str, tokens: &[Token], last: usize) -> bool {
    let Some(next) = tokens.get(last + 1) else { return false };
    let gap = &content[tokens[last].end..next.start];
    let word = next.text(content);
    !gap.is_empty()
        && gap.bytes().all(|b| b == b' ' || b == b'\t')
        && (1..=3).contains(&word.len())
        && word.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::words_into;

    /// The names of `text` (runs of capitalised words but "AT", one space apart), and whether each
    /// is a team's.
    fn teams(text: &str) -> Vec<(String, bool)> {
        let mut tokens = Vec::new();
        words_into(text, 0, &mut tokens);
        let word = |k: usize| tokens[k].text(text);
        let name_word = |k: usize| word(k).starts_with(char::is_uppercase) && word(k) != "AT";
        let mut names: Vec<(usize, usize)> = Vec::new();
        for k in (0..tokens.len()).filter(|&k| name_word(k)) {
            match names.last_mut() {
                Some((_, last)) if *last + 1 == k && &text[tokens[k - 1].end..tokens[k].start] == " " => *last = k,
                _ => names.push((k, k)),
            }
        }
        (0..names.len())
            .map(|i| {
                let (first, last) = names[i];
                let team = team_evidence(text, &tokens, &names, |n| *n, i).is_some();
                (text[tokens[first].start..tokens[last].end].to_string(), team)
            })
            .collect()
    }

    fn assert_teams(text: &str, expected: &[&str]) {
        let found: Vec<String> = teams(text).into_iter().filter(|(_, team)| *team).map(|(name, _)| name).collect();
        assert_eq!(found, expected, "{text:?}");
    }

    #[test]
    fn names_beside_scores_on_one_line_are_teams() {
        assert_teams("Cleveland 5 Texas 3\nGrimsby 0 Portsmouth 1", &["Cleveland", "Texas", "Grimsby", "Portsmouth"]);
        assert_teams("Warwickshire 195 , Surrey 429-7 ( Lewis 80 not out )", &["Warwickshire", "Surrey"]);
        assert_teams(
            "MILWAUKEE 5 Minnesota 4 ( in 12 )\nWigan 42 Bradford Bulls 36",
            &["MILWAUKEE", "Minnesota", "Wigan", "Bradford Bulls"],
        );
        // Tables of prices and figures in prose are no results.
        assert_teams("TOLEDO 5 UND MAY UNC 1 UND MAY UNC\nChicago 362 unch , Balt 12 unch", &[]);
        assert_teams("units Chesterfield 7 and 8 . Chesterfield 7 , Durham 8 megawatt", &[]);
        // One name a line beside a few numbers: a table of the weather, or of prices.
        assert_teams("Moscow 23 15\nAmsterdam 12 17 11\nWheat 3.45 3.50 3.48 3.47 3.46", &[]);
        // Years, dates, decimals and thousands are no scores.
        assert_teams("Paris 2024 and Los 1996-08-30", &[]);
        assert_teams("Tokyo 5.2 Osaka 4.8 Kobe 1,200 Nara 1,300", &[]);
        // Nor is a number on the next line.
        assert_teams("Leeds\n3 Hull 2", &[]);
    }

    #[test]
    fn the_first_name_of_a_row_of_standings_is_a_team() {
        assert_teams(
            "Stoke 4 3 1 0 7 4 10\nQueens Park Rangers 3 2 1 0 5 3 7\nBALTIMORE 70 63 .526 4\nBOSTON 69 65 .515 5 1/2",
            &["Stoke", "Queens Park Rangers", "BALTIMORE", "BOSTON"],
        );
        assert_teams("NEW YORK 74 59 .556 -\nLG 46 5 59 .441 17", &["NEW YORK", "LG"]);
        let mut tokens = Vec::new();
        words_into("Stoke 4 3 1 0 7 4 10", 0, &mut tokens);
        assert_eq!(team_evidence("Stoke 4 3 1 0 7 4 10", &tokens, &[(0, 0)], |n| *n, 0), Some(Evidence::Standings));
        // Not a figure of four digits, nor words among the figures, nor a row that a name does not open.
        assert_teams("Chicago 1996 64 1 2 3\nDundee 3 1 2 draw 0 3 2\nthen Hull 3 1 2 0 3 2 5", &[]);
    }

    #[test]
    fn names_either_side_of_versus_are_teams() {
        assert_teams("Postponed : Walsall v Wrexham , Hull vs. Leeds", &["Walsall", "Wrexham", "Hull", "Leeds"]);
        assert_teams("May 17 v Northampton", &["Northampton"]);
        assert_teams("Surrey beat Kent in Surrey", &[]);
    }

    #[test]
    fn a_line_opening_with_a_name_and_going_on_to_a_year_is_a_dateline() {
        let dateline = |text: &str, first: usize, last: usize| {
            let mut tokens = Vec::new();
            words_into(text, 0, &mut tokens);
            opens_dateline(text, &tokens, first, last)
        };
        assert!(dateline("NEW YORK 1996-08-30", 0, 1));
        assert!(dateline("Story\nBIRMINGHAM , England 1996-08-31", 1, 1));
        assert!(!dateline("NEW YORK 74 59 .556", 0, 1));
        assert!(!dateline("Story in\nBIRMINGHAM\n1996", 2, 2));
        assert!(!dateline("Off to BIRMINGHAM in 1996", 2, 2));
    }

    #[test]
    fn the_first_of_a_line_of_two_names_joined_by_at_is_a_team() {
        assert_teams("CHICAGO AT TORONTO\nMINNESOTA AT MILWAUKEE", &["CHICAGO", "MINNESOTA"]);
        assert_teams("SAN FRANCISCO AT NEW YORK", &["SAN FRANCISCO"]);
        assert_teams("Officials met Kohl at Bonn\nLee at Seoul today", &[]);
    }
}
