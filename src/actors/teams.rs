//! Names used as sports teams: a document's words and the names found in them in, whether the
//! document uses a name as a team out, told by the layout of results and fixtures, not by a list of
//! clubs. A name is a team's
//! - in a result: it and its score, then straight after them (a comma or a dash between at most)
//!   another name and its score, closing the line or before a bracket or punctuation ("Cleveland 5
//!   Texas 3", "Grimsby 0 Portsmouth 1", "Warwickshire 195 , Surrey 429-7 ( C. Lewis 80 )"; not
//!   "TOLEDO 5 UND MAY UNC 1 UND" nor "Chicago 362 unch , Balt 12 unch" in tables of grain prices);
//! - either side of "v" or "vs" ("Surrey v Kent", "May 17 v Northampton");
//! - first on a line of two names joined by "at", a schedule ("CHICAGO AT TORONTO": Toronto is
//!   where they play).
//!
//! A score is a number of one to three digits written straight after the name on its line: a year,
//! a date, a decimal or a figure with thousands is none. One name a line beside numbers is a table's
//! row, of standings or of the weather alike, and says nothing. The finder makes a city or state a
//! document uses so the club named for it wherever that document writes it, but where a place is
//! named (after "in" or "at", in a dateline: [`opens_dateline`]).

use crate::tokenize::Token;

/// Whether the document uses `names[i]` as a team; `span` gives a name's first and last words
/// (indices into `tokens`), and `names` are in document order, apart.
pub(super) fn is_team<N>(
    content: &str,
    tokens: &[Token],
    names: &[N],
    span: impl Fn(&N) -> (usize, usize),
    i: usize,
) -> bool {
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
        return true;
    }
    // Either side of "v" or "vs".
    let is_versus = |k: usize| matches!(word(k), "v" | "vs" | "VS");
    let versus_before = first > 0 && is_versus(first - 1) && matches!(gap(first), " " | ". ");
    let versus_after = last + 1 < tokens.len() && is_versus(last + 1) && gap(last + 1) == " ";
    if versus_before || versus_after {
        return true;
    }
    // The first of a line of two names joined by "at" (a schedule: the second is where they play).
    let opens_line = |k: usize| k == 0 || gap(k).contains('\n');
    let closes_line = |k: usize| k + 1 == tokens.len() || gap(k + 1).contains('\n');
    let is_at = |k: usize| matches!(word(k), "at" | "AT");
    let name_word = |k: usize| word(k).starts_with(char::is_uppercase) && !is_at(k);
    opens_line(first) && last + 2 < tokens.len() && is_at(last + 1) && gap(last + 1) == " " && {
        let mut k = last + 2;
        while name_word(k) && gap(k) == " " && !closes_line(k) {
            k += 1;
        }
        name_word(k) && gap(k) == " " && closes_line(k)
    }
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
                (text[tokens[first].start..tokens[last].end].to_string(), is_team(text, &tokens, &names, |n| *n, i))
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
        // One name a line beside numbers: a table (of standings, or of the weather), not told apart.
        assert_teams("Chicago 71 64 .526\nMoscow 23 15", &[]);
        // Years, dates, decimals and thousands are no scores.
        assert_teams("Paris 2024 and Los 1996-08-30", &[]);
        assert_teams("Tokyo 5.2 Osaka 4.8 Kobe 1,200 Nara 1,300", &[]);
        // Nor is a number on the next line.
        assert_teams("Leeds\n3 Hull 2", &[]);
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
