//! Calendar dates as documents carry them: parsed from ISO `YYYY-MM-DD`, printed back the same way,
//! and counted in days since 1970-01-01 (the physical value of a Parquet/polars `Date`).
//!
//! Invariant: `Date::parse(&d.to_string()) == Ok(d)` for every date this module builds.

use std::fmt;
use std::num::NonZeroU8;

/// A proleptic Gregorian calendar date, of a year from -32768 to 32767. Its day is never 0, so an
/// `Option<Date>` takes no more room than a date (4 bytes; every term holds two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i16,
    month: u8,
    day: NonZeroU8,
}

/// Why a date string is not a valid ISO date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text is not shaped `YYYY-MM-DD`, nor a timestamp that starts so.
    #[error("`{0}` is not an ISO date (YYYY-MM-DD) or timestamp (YYYY-MM-DDTHH:MM:SSZ)")]
    Shape(String),
    /// The shape is right but the day does not exist.
    #[error("`{0}` is not a day of the calendar")]
    NoSuchDay(String),
    /// A real day, but not one a document is dated: a slip such as `0019-01-04` for `2019-01-04`.
    #[error("date `{0}` is outside the plausible range {first}-01-01 to {last}-12-31", first = PLAUSIBLE_YEARS.start(), last = PLAUSIBLE_YEARS.end())]
    Implausible(String),
}

/// The years a document's date may fall in. Printed news begins with the first newspapers
/// (Strasbourg's *Relation*, 1605), so archives of the 17th and 18th centuries keep their dates; a
/// date outside is a slip, and one such date would stretch every timeline over centuries.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1600..=2200;

impl Date {
    /// Parses exactly `YYYY-MM-DD` (four, two and two ASCII digits) naming a real day.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let b = text.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shaped {
            return Err(DateError::Shape(text.to_string()));
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<i32>().expect("digits checked above");
        let (year, month, day) = (num(0..4), num(5..7), num(8..10));
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month as u8) as i32 {
            return Err(DateError::NoSuchDay(text.to_string()));
        }
        let year = i16::try_from(year).expect("four digits");
        Ok(Date { year, month: month as u8, day: day_of_month(day as u8) })
    }

    /// A document's date: an ISO date, or the date of a timestamp that starts with one
    /// (`2022-10-27T08:00:00Z`, `2022-10-27 08:00`), in [`PLAUSIBLE_YEARS`].
    pub fn parse_date_or_timestamp(text: &str) -> Result<Date, DateError> {
        let b = text.as_bytes();
        let date = if b.len() > 10 && matches!(b[10], b'T' | b't' | b' ') && text.is_char_boundary(10) {
            if !is_time_of_day(&b[11..]) {
                return Err(DateError::Shape(text.to_string()));
            }
            Date::parse(&text[..10]).map_err(|_| DateError::Shape(text.to_string()))?
        } else {
            Date::parse(text)?
        };
        match PLAUSIBLE_YEARS.contains(&i32::from(date.year)) {
            true => Ok(date),
            false => Err(DateError::Implausible(text.to_string())),
        }
    }

    /// Days since 1970-01-01 (negative before it), as Arrow and Parquet store a date.
    pub fn days_since_epoch(self) -> i32 {
        // Howard Hinnant's days_from_civil.
        let year = i32::from(self.year);
        let y = if self.month <= 2 { year - 1 } else { year };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i32::from(self.day.get()) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of [`Date::days_since_epoch`]); a day past the
    /// years a date holds is taken as the nearest day it holds (dates tally reads are of years 1600 to
    /// 2200: see [`PLAUSIBLE_YEARS`]).
    pub fn from_days_since_epoch(days: i32) -> Date {
        let days = days.clamp(FIRST_DAY, LAST_DAY);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = i16::try_from(yoe + era * 400 + i32::from(month <= 2)).expect("days clamped to the years held");
        Date { year, month, day: day_of_month(day) }
    }
}

/// Days since 1970-01-01 of the first and the last day a [`Date`] holds: -32768-01-01 and
/// 32767-12-31.
const FIRST_DAY: i32 = -12_687_794;
const LAST_DAY: i32 = 11_248_737;

/// The span of time a timeline counts by (`--period`). A period is reported as the date of its first
/// day: the day itself, the Monday of its ISO week, the first of its month or of its year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// One calendar day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    #[default]
    Month,
    /// A calendar year.
    Year,
}

impl Period {
    /// The first day of the period holding `date`.
    pub fn start(self, date: Date) -> Date {
        match self {
            Period::Day => date,
            // 1970-01-01 was a Thursday: days since the epoch plus 3 is 0 on a Monday, mod 7.
            Period::Week => {
                let days = date.days_since_epoch();
                Date::from_days_since_epoch(days - (days + 3).rem_euclid(7))
            }
            Period::Month => Date { day: NonZeroU8::MIN, ..date },
            Period::Year => Date { month: 1, day: NonZeroU8::MIN, ..date },
        }
    }

    /// The period's name as `--period` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}

/// `day`, a day of a month: from 1 to 31.
fn day_of_month(day: u8) -> NonZeroU8 {
    NonZeroU8::new(day).expect("a day of a month is never 0")
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Whether `t` is a time of day as ISO 8601 and RFC 3339 write it after a date: `HH:MM`, then
/// optionally `:SS` and a fraction, then optionally `Z` or an offset (`+05:30`, `-0800`).
fn is_time_of_day(t: &[u8]) -> bool {
    let two = |at: usize, max: u8| two_digits(t.get(at..).unwrap_or_default(), max);
    if !(two(0, 23) && t.get(2) == Some(&b':') && two(3, 59)) {
        return false;
    }
    let mut at = 5;
    if t.get(at) == Some(&b':') {
        if !two(at + 1, 60) {
            return false;
        }
        at += 3;
        if matches!(t.get(at), Some(b'.' | b',')) {
            let digits = t[at + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return false;
            }
            at += 1 + digits;
        }
    }
    match &t[at..] {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', zone @ ..] => {
            two_digits(zone, 23)
                && match zone.len() {
                    2 => true,
                    4 => two_digits(&zone[2..], 59),
                    5 => zone[2] == b':' && two_digits(&zone[3..], 59),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// Whether `t` starts with two digits making a number of at most `max`.
fn two_digits(t: &[u8], max: u8) -> bool {
    matches!(t, [a, b, ..] if a.is_ascii_digit() && b.is_ascii_digit() && (a - b'0') * 10 + (b - b'0') <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_date_takes_no_more_room_than_a_date() {
        assert_eq!(std::mem::size_of::<Option<Date>>(), std::mem::size_of::<Date>());
        assert_eq!(std::mem::size_of::<Date>(), 4);
    }

    #[test]
    fn days_past_the_years_a_date_holds_are_the_nearest_day_it_holds() {
        assert_eq!(Date::from_days_since_epoch(i32::MAX).to_string(), "32767-12-31");
        assert_eq!(Date::from_days_since_epoch(LAST_DAY + 1).to_string(), "32767-12-31");
        assert_eq!(Date::from_days_since_epoch(LAST_DAY).days_since_epoch(), LAST_DAY);
        assert_eq!(Date::from_days_since_epoch(i32::MIN), Date::from_days_since_epoch(FIRST_DAY));
        assert_eq!(Date::from_days_since_epoch(FIRST_DAY).days_since_epoch(), FIRST_DAY);
    }

    #[test]
    fn parses_and_prints_iso() {
        let d = Date::parse("2022-10-27").unwrap();
        assert_eq!(d.to_string(), "2022-10-27");
    }

    #[test]
    fn rejects_bad_shapes_and_days() {
        assert!(matches!(Date::parse("2022-13-01"), Err(DateError::NoSuchDay(_))));
        assert!(matches!(Date::parse("2023-02-29"), Err(DateError::NoSuchDay(_))));
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(matches!(Date::parse("2022/10/27"), Err(DateError::Shape(_))));
        assert!(matches!(Date::parse("22-10-27"), Err(DateError::Shape(_))));
        assert!(matches!(Date::parse("２022-10-27"), Err(DateError::Shape(_))));
    }

    #[test]
    fn timestamps_give_their_date() {
        assert_eq!(Date::parse_date_or_timestamp("2022-10-27T08:00:00Z").unwrap().to_string(), "2022-10-27");
        assert_eq!(Date::parse_date_or_timestamp("2022-10-27 08:00").unwrap().to_string(), "2022-10-27");
        assert!(matches!(Date::parse_date_or_timestamp("2022-13-27T08:00:00Z"), Err(DateError::Shape(_))));
        assert!(Date::parse_date_or_timestamp("2022-10-27x").is_err());
        for good in [
            "2022-10-27T08:00:00.123456+05:30",
            "2022-10-27 23:59:60-0800",
            "2022-10-27t08:00z",
            "2022-10-27 08:00:00.000000",
        ] {
            assert!(Date::parse_date_or_timestamp(good).is_ok(), "{good}");
        }
        for bad in [
            "2022-10-27T99:99:99Z",
            "2022-10-27Tgarbage",
            "2022-10-27 garbage",
            "2022-10-27T08",
            "2022-10-27T08:00+25:00",
            "2022-10-27 08:00:00 and more",
        ] {
            assert!(matches!(Date::parse_date_or_timestamp(bad), Err(DateError::Shape(_))), "{bad}");
        }
    }

    #[test]
    fn dates_outside_the_plausible_years_are_refused() {
        for text in ["0019-01-04", "0000-01-02", "1599-12-31T23:59:59Z", "2201-01-01", "9999-12-31"] {
            assert_eq!(Date::parse_date_or_timestamp(text), Err(DateError::Implausible(text.to_string())));
        }
        for text in ["1600-01-01", "1850-06-01 12:00", "2200-12-31"] {
            assert!(Date::parse_date_or_timestamp(text).is_ok(), "{text}");
        }
        let message = DateError::Implausible("0019-01-04".into()).to_string();
        assert_eq!(message, "date `0019-01-04` is outside the plausible range 1600-01-01 to 2200-12-31");
        // The calendar itself has those days.
        assert!(Date::parse("0019-01-04").is_ok());
    }

    #[test]
    fn counts_days_from_the_epoch() {
        // Known values: the epoch itself, the day before, 2000-03-01 (after a 400-year leap day),
        // and 2022-10-27 = 19,292 days (52 years of 365 days + 13 leap days + 299 days of 2022).
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(Date::parse("1969-12-31").unwrap().days_since_epoch(), -1);
        assert_eq!(Date::parse("2000-03-01").unwrap().days_since_epoch(), 11_017);
        assert_eq!(Date::parse("2022-10-27").unwrap().days_since_epoch(), 52 * 365 + 13 + 299);
    }

    #[test]
    fn periods_start_on_their_first_day() {
        let d = |s: &str| Date::parse(s).unwrap();
        // 2022-10-27 was a Thursday; its ISO week began on Monday 2022-10-24.
        assert_eq!(Period::Day.start(d("2022-10-27")), d("2022-10-27"));
        assert_eq!(Period::Week.start(d("2022-10-27")), d("2022-10-24"));
        assert_eq!(Period::Week.start(d("2022-10-24")), d("2022-10-24"));
        assert_eq!(Period::Week.start(d("2022-10-30")), d("2022-10-24"), "a Sunday ends the week");
        // A week across a year's end; and one before the epoch (1969-12-31 was a Wednesday).
        assert_eq!(Period::Week.start(d("2021-01-01")), d("2020-12-28"));
        assert_eq!(Period::Week.start(d("1969-12-31")), d("1969-12-29"));
        assert_eq!(Period::Year.start(d("2022-10-27")), d("2022-01-01"));
        assert_eq!(Period::Year.start(d("2022-01-01")), d("2022-01-01"));
        assert_eq!(Period::Month.start(d("2024-02-29")), d("2024-02-01"));
    }

    #[test]
    fn days_round_trip() {
        for days in (-800_000..800_000).step_by(997).chain([-1, 0, 1, 11_016, 11_017, 19_292]) {
            let date = Date::from_days_since_epoch(days);
            assert_eq!(date.days_since_epoch(), days, "{date}");
            if (1..=9999).contains(&date.year) {
                assert_eq!(Date::parse(&date.to_string()), Ok(date));
            }
        }
    }
}
