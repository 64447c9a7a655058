//! Where a term's occurrences are: in which dispersion parts, in which periods, and how many in each.
//!
//! Most of a large vocabulary's terms are rare, and a rare term's occurrences are all in one part
//! and one period: its figures there are the term's own (its count and documents), so all it holds
//! is which part and which period, inline in 16 bytes. A term spread over several parts or periods
//! holds their figures on the heap. Every term's record holds one, so its size is that of a
//! vocabulary of millions of terms.

use super::{PartCounts, PeriodStat, TermStat};
use crate::corpus::Date;

/// A term's occurrences by dispersion part and by period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TermSpread {
    /// No occurrence yet.
    #[default]
    None,
    /// Every occurrence in one part and, when `period` is given, in one period (none: in no
    /// period, as in undated documents); the figures there are the term's.
    One {
        /// The part.
        part: u8,
        /// The first day of the period.
        period: Option<Date>,
    },
    /// Occurrences in several parts or periods.
    Several(Box<Several>),
}

/// The figures of a term spread over several parts or periods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Several {
    /// Occurrences by part.
    parts: PartCounts,
    /// Occurrences and documents by period (first day), in period order. An occurrence in an
    /// undated document is in no period.
    periods: Vec<(Date, PeriodStat)>,
}

impl TermSpread {
    /// Adds a document's `occurrences` in `part` and `period`; `stat` are the figures of the
    /// occurrences added before (of this one spread, not of the term after this document).
    pub fn add(&mut self, stat: &TermStat, part: u8, period: Option<Date>, occurrences: u64) {
        match self {
            TermSpread::None if stat.count == 0 => *self = TermSpread::One { part, period },
            TermSpread::One { part: p, period: q } if *p == part && *q == period => {}
            _ => self.several(stat).add(part, period, occurrences, 1),
        }
    }

    /// Adds `n` occurrences in `part`, as a shard's table gives them; `stat` as in
    /// [`TermSpread::add`] (the term's figures before the shard's, which its parts and periods
    /// follow).
    pub fn add_part(&mut self, stat: &TermStat, part: u8, n: u64) {
        self.several(stat).parts.add(part, n);
    }

    /// Adds the figures of one period, as a shard's table gives them; `stat` as in
    /// [`TermSpread::add_part`].
    pub fn add_period(&mut self, stat: &TermStat, period: Date, figures: PeriodStat) {
        self.several(stat).add_period(period, figures);
    }

    /// Adds `other`, the spread of figures `other_stat`, to this one, of figures `stat`.
    pub fn merge(&mut self, stat: &TermStat, other: TermSpread, other_stat: &TermStat) {
        match (&*self, &other) {
            (_, TermSpread::None) => return,
            (TermSpread::None, _) if stat.count == 0 => {
                *self = other;
                return;
            }
            (TermSpread::One { part, period }, TermSpread::One { part: p, period: q }) if part == p && period == q => {
                return
            }
            _ => {}
        }
        let theirs = other.into_several(other_stat);
        let ours = self.several(stat);
        ours.parts.merge(&theirs.parts);
        for (period, figures) in theirs.periods {
            ours.add_period(period, figures);
        }
    }

    /// Holds its figures inline if it can (see [`TermSpread::One`]); `stat` are the term's.
    pub fn compact(&mut self, stat: &TermStat) {
        let TermSpread::Several(several) = self else {
            return;
        };
        let parts = several.parts.iter();
        let [(part, n)] = parts[..] else {
            return;
        };
        if n != stat.count {
            return;
        }
        let whole = PeriodStat { count: stat.count, documents: u64::from(stat.documents) };
        match several.periods[..] {
            [] => *self = TermSpread::One { part, period: None },
            [(period, figures)] if figures == whole => *self = TermSpread::One { part, period: Some(period) },
            _ => {}
        }
    }

    /// The parts the term occurs in, with its occurrences in each, by part; `stat` are the term's.
    pub fn parts(&self, stat: &TermStat) -> Vec<(u8, u64)> {
        match self {
            TermSpread::None => Vec::new(),
            TermSpread::One { part, .. } => vec![(*part, stat.count)],
            TermSpread::Several(several) => several.parts.iter(),
        }
    }

    /// The periods the term occurs in, with its figures in each, by period; `stat` are the term's.
    pub fn periods(&self, stat: &TermStat) -> Vec<(Date, PeriodStat)> {
        match self {
            TermSpread::One { period: Some(period), .. } => {
                vec![(*period, PeriodStat { count: stat.count, documents: u64::from(stat.documents) })]
            }
            TermSpread::None | TermSpread::One { period: None, .. } => Vec::new(),
            TermSpread::Several(several) => several.periods.clone(),
        }
    }

    /// Writes its figures out, so that the term's own may change without them (as a shard's are
    /// added, apart from its parts and periods); `stat` are the term's.
    pub fn write_out(&mut self, stat: &TermStat) {
        if matches!(self, TermSpread::One { .. }) {
            self.several(stat);
        }
    }

    /// Its figures on the heap, made so if they are not; `stat` as in [`TermSpread::add`].
    fn several(&mut self, stat: &TermStat) -> &mut Several {
        if !matches!(self, TermSpread::Several(_)) {
            *self = TermSpread::Several(Box::new(std::mem::take(self).into_several(stat)));
        }
        match self {
            TermSpread::Several(several) => several,
            _ => unreachable!("made so above"),
        }
    }

    /// Its figures, written out; `stat` as in [`TermSpread::add`].
    fn into_several(self, stat: &TermStat) -> Several {
        match self {
            TermSpread::None => Several::default(),
            TermSpread::One { part, period } => {
                let mut several = Several::default();
                several.add(part, period, stat.count, u64::from(stat.documents));
                several
            }
            TermSpread::Several(several) => *several,
        }
    }
}

impl Several {
    /// Adds `occurrences` in `documents` documents of `part` and `period`.
    fn add(&mut self, part: u8, period: Option<Date>, occurrences: u64, documents: u64) {
        if occurrences > 0 {
            self.parts.add(part, occurrences);
        }
        if let Some(period) = period {
            self.add_period(period, PeriodStat { count: occurrences, documents });
        }
    }

    /// Adds the figures of one period.
    fn add_period(&mut self, period: Date, figures: PeriodStat) {
        let at = self.period(period);
        at.count += figures.count;
        at.documents += figures.documents;
    }

    /// The figures of `period`, added as none if missing. Documents mostly come in date order: the
    /// last period is tried first.
    fn period(&mut self, period: Date) -> &mut PeriodStat {
        let at = match self.periods.last() {
            Some((last, _)) if *last == period => self.periods.len() - 1,
            _ => match self.periods.binary_search_by(|e| e.0.cmp(&period)) {
                Ok(at) => at,
                Err(at) => {
                    self.periods.insert(at, (period, PeriodStat::default()));
                    at
                }
            },
        };
        &mut self.periods[at].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// A term's figures after `documents` documents of `count` occurrences in all.
    fn stat(count: u64, documents: u32) -> TermStat {
        TermStat { count, documents, ..TermStat::default() }
    }

    /// Adds each document (part, period, occurrences) to a spread as counting does, and also sums
    /// its figures by hand: the spread must give those sums.
    fn spread_of(documents: &[(u8, Option<&str>, u64)]) -> (TermSpread, TermStat) {
        let (mut spread, mut figures) = (TermSpread::default(), stat(0, 0));
        for &(part, period, n) in documents {
            spread.add(&figures, part, period.map(d), n);
            figures.count += n;
            figures.documents += 1;
        }
        (spread, figures)
    }

    #[test]
    fn a_term_in_one_part_and_period_holds_its_figures_inline() {
        assert_eq!(std::mem::size_of::<TermSpread>(), 16);
        let (spread, figures) = spread_of(&[(7, Some("2024-03-01"), 2), (7, Some("2024-03-01"), 5)]);
        assert_eq!(spread, TermSpread::One { part: 7, period: Some(d("2024-03-01")) });
        assert_eq!(spread.parts(&figures), vec![(7, 7)]);
        assert_eq!(spread.periods(&figures), vec![(d("2024-03-01"), PeriodStat { count: 7, documents: 2 })]);
        let (undated, figures) = spread_of(&[(3, None, 4)]);
        assert_eq!(undated.parts(&figures), vec![(3, 4)]);
        assert!(undated.periods(&figures).is_empty());
    }

    #[test]
    fn a_term_spread_out_keeps_every_part_and_period_apart() {
        let documents = [
            (7, Some("2024-03-01"), 2),
            (7, Some("2024-03-01"), 5),
            (9, Some("2024-03-01"), 1),
            (7, None, 10),
            (7, Some("2024-01-01"), 3),
        ];
        let (spread, figures) = spread_of(&documents);
        assert!(matches!(spread, TermSpread::Several(_)));
        assert_eq!(spread.parts(&figures), vec![(7, 20), (9, 1)]);
        assert_eq!(
            spread.periods(&figures),
            vec![
                (d("2024-01-01"), PeriodStat { count: 3, documents: 1 }),
                (d("2024-03-01"), PeriodStat { count: 8, documents: 3 }),
            ]
        );
    }

    #[test]
    fn spreads_merged_give_the_spread_of_all_their_documents() {
        let first = [(7, Some("2024-03-01"), 2), (7, Some("2024-03-01"), 5)];
        let cases: [&[(u8, Option<&str>, u64)]; 4] = [
            &[(7, Some("2024-03-01"), 1)],
            &[(8, Some("2024-03-01"), 1)],
            &[(7, None, 4), (7, Some("2023-03-01"), 1)],
            &[],
        ];
        for second in cases {
            let (mut ours, ours_stat) = spread_of(&first);
            let (theirs, theirs_stat) = spread_of(second);
            let (whole, whole_stat) = spread_of(&[&first[..], second].concat());
            ours.merge(&ours_stat, theirs, &theirs_stat);
            ours.compact(&whole_stat);
            assert_eq!(ours.parts(&whole_stat), whole.parts(&whole_stat), "{second:?}");
            assert_eq!(ours.periods(&whole_stat), whole.periods(&whole_stat), "{second:?}");
            assert_eq!(ours, whole, "compacted as counted: {second:?}");
        }
    }

    #[test]
    fn a_shards_parts_and_periods_are_added_as_its_tables_give_them() {
        let mut spread = TermSpread::default();
        let none = stat(0, 0);
        spread.add_part(&none, 4, 6);
        spread.add_period(&none, d("2024-02-01"), PeriodStat { count: 6, documents: 2 });
        let figures = stat(6, 2);
        spread.compact(&figures);
        assert_eq!(spread, TermSpread::One { part: 4, period: Some(d("2024-02-01")) });
        // A period holding some of the occurrences only stays written out.
        let mut partly = TermSpread::default();
        partly.add_part(&none, 4, 6);
        partly.add_period(&none, d("2024-02-01"), PeriodStat { count: 5, documents: 1 });
        partly.compact(&figures);
        assert!(matches!(partly, TermSpread::Several(_)));
        assert_eq!(partly.periods(&figures), vec![(d("2024-02-01"), PeriodStat { count: 5, documents: 1 })]);
    }
}
