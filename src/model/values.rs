//! Small value types with exact, stable encodings.
//!
//! Each type serialises as readable text in JSON (`2016-05-18`, `1151955.30`, `83.67`) and as a
//! plain integer in the binary store, so the stored bytes never depend on float formatting.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A date as precise as what is known: a day, a month, a year, or a span between two of them
/// ("the minutes say spring 2018"). Kept as the first and the last day it may be, so that an
/// exact day is a span of one day. Days count from 1970-01-01 (proleptic Gregorian).
///
/// There is deliberately no `Ord`: whether "Dec 2016" is before 5 Dec 2016 has no single answer,
/// so each caller says which it means — [`Date::before`]/[`Date::after`] (certainly, for rules
/// and overdue checks) or [`Date::chrono`] (an order for sorting lists and timelines).
///
/// The default (1970-01-01) is only what a new, blank record holds until its form sets the
/// date; a form never shows it (a required date starts empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Date {
    first: i32,
    /// Days after `first` that the date may still be; 0 for an exact day.
    span: u32,
}

/// How precisely a [`Date`] is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Day,
    Month,
    Year,
    /// Between two days, months or years ("2018-03/2018-05").
    Range,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Date {
    /// An exact day.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1000..=9999).contains(&year) {
            return None;
        }
        Some(Date::from_days(days_from_civil(year, month, day)))
    }

    /// A whole month ("2016-12").
    pub fn month(year: i32, month: u32) -> Option<Date> {
        let first = Date::from_ymd(year, month, 1)?;
        let last = Date::from_ymd(year, month, days_in_month(year, month))?;
        Date::between(first, last)
    }

    /// A whole year ("2018").
    pub fn year_only(year: i32) -> Option<Date> {
        Date::between(Date::from_ymd(year, 1, 1)?, Date::from_ymd(year, 12, 31)?)
    }

    /// From the first day `from` may be to the last day `to` may be; `None` if `to` is before `from`.
    pub fn between(from: Date, to: Date) -> Option<Date> {
        let span = to.last().first.checked_sub(from.first)?;
        Some(Date {
            first: from.first,
            span: u32::try_from(span).ok()?,
        })
    }

    /// An exact day, counted from 1970-01-01.
    pub fn from_days(days: i32) -> Date {
        Date {
            first: days,
            span: 0,
        }
    }

    /// The first day it may be, counted from 1970-01-01.
    pub fn days(self) -> i32 {
        self.first
    }

    /// The first day it may be.
    pub fn first(self) -> Date {
        Date::from_days(self.first)
    }

    /// The last day it may be.
    pub fn last(self) -> Date {
        Date::from_days(self.first + self.span as i32)
    }

    pub fn is_exact(self) -> bool {
        self.span == 0
    }

    pub fn precision(self) -> Precision {
        if self.span == 0 {
            return Precision::Day;
        }
        let (fy, fm, fd) = civil_from_days(self.first);
        let (ly, lm, ld) = self.last().ymd();
        let month_aligned = fd == 1 && ld == days_in_month(ly, lm);
        if month_aligned && fy == ly && fm == lm {
            Precision::Month
        } else if month_aligned && fy == ly && fm == 1 && lm == 12 {
            Precision::Year
        } else {
            Precision::Range
        }
    }

    /// Year, month and day of the first day it may be.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.first)
    }

    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// Certainly before `other`: its last possible day comes before `other`'s first.
    pub fn before(self, other: Date) -> bool {
        self.first + (self.span as i32) < other.first
    }

    /// Certainly after `other`: its first possible day comes after `other`'s last.
    pub fn after(self, other: Date) -> bool {
        other.before(self)
    }

    /// The order of lists and timelines: by first possible day, the more precise first.
    pub fn chrono(&self, other: &Date) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }

    /// A key in the order of [`Date::chrono`], for `sort_by_key`.
    pub fn sort_key(self) -> (i32, u32) {
        (self.first, self.span)
    }

    /// Parses a day `YYYY-MM-DD`, a month `YYYY-MM`, a year `YYYY`, or a span `FROM/TO` of two of
    /// them (ISO 8601's reduced precision and intervals).
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let bad = || {
            format!(
                "'{text}' is not a date: write a day YYYY-MM-DD (2016-05-18), a month YYYY-MM \
                 (2016-12), a year YYYY (2018) or a span FROM/TO (2018-03/2018-05)"
            )
        };
        if let Some((from, to)) = text.split_once('/') {
            let (from, to) = (Date::parse_one(from, &bad)?, Date::parse_one(to, &bad)?);
            return Date::between(from, to)
                .ok_or_else(|| format!("'{text}' ends before it begins"));
        }
        Date::parse_one(text, &bad)
    }

    /// Parses an exact day `YYYY-MM-DD` only.
    pub fn parse_day(text: &str) -> Result<Date, String> {
        let date = Date::parse(text)?;
        if date.is_exact() && !text.contains('/') {
            Ok(date)
        } else {
            Err(format!(
                "'{}' is not a day: write it as YYYY-MM-DD",
                text.trim()
            ))
        }
    }

    fn parse_one(text: &str, bad: &dyn Fn() -> String) -> Result<Date, String> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let num = |s: &str, len: usize| -> Result<u32, String> {
            if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse::<u32>().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let not_calendar = || format!("'{}' is not a day of the calendar", text.trim());
        match parts.as_slice() {
            [y] => Date::year_only(num(y, 4)? as i32).ok_or_else(not_calendar),
            [y, m] => Date::month(num(y, 4)? as i32, num(m, 2)?).ok_or_else(not_calendar),
            [y, m, d] => {
                Date::from_ymd(num(y, 4)? as i32, num(m, 2)?, num(d, 2)?).ok_or_else(not_calendar)
            }
            _ => Err(bad()),
        }
    }

    /// Today, exactly.
    pub fn today() -> Date {
        Timestamp::now().date()
    }

    /// Moved by `days`, keeping its precision.
    pub fn add_days(self, days: i32) -> Date {
        Date {
            first: self.first + days,
            span: self.span,
        }
    }

    /// Moved by `months`, each end to the same day `months` later, clamped to the month's last
    /// day (so a month stays a month).
    pub fn add_months(self, months: i32) -> Date {
        let shift = |days: i32| {
            let (y, m, d) = civil_from_days(days);
            let total = y * 12 + (m as i32 - 1) + months;
            let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
            let end_of_month = d == days_in_month(y, m);
            let nd = if end_of_month {
                days_in_month(ny, nm)
            } else {
                d.min(days_in_month(ny, nm))
            };
            days_from_civil(ny, nm, nd)
        };
        if self.span == 0 {
            // An exact day keeps its day of the month where it can (31 Aug + 6 months = 29 Feb).
            let (y, m, d) = self.ymd();
            let total = y * 12 + (m as i32 - 1) + months;
            let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
            return Date::from_days(days_from_civil(ny, nm, d.min(days_in_month(ny, nm))));
        }
        let (first, last) = (shift(self.first), shift(self.first + self.span as i32));
        Date {
            first,
            span: (last - first).max(0) as u32,
        }
    }

    /// As people read it: an exact day as `2016-05-18`, a month as `Dec 2016`, a year as `2018`,
    /// a span as `Mar–May 2018` or `Nov 2019 – Mar 2020`.
    pub fn human(self) -> String {
        match self.precision() {
            Precision::Day => self.to_string(),
            _ => self.spelled(&MONTHS),
        }
    }

    /// A month, a year or a span in words with the given month names ("December 2016",
    /// "March–May 2018"); an exact day as `2016-05-18` (callers with a style of their own for
    /// days format those themselves).
    pub fn spelled(self, months: &[&str; 12]) -> String {
        let month = |days: i32| {
            let (y, m, _) = civil_from_days(days);
            (months[m as usize - 1], y)
        };
        match self.precision() {
            Precision::Day => self.to_string(),
            Precision::Month => {
                let (m, y) = month(self.first);
                format!("{m} {y}")
            }
            Precision::Year => self.year().to_string(),
            Precision::Range => {
                let (first, last) = (self.first(), self.last());
                let (fy, _, fd) = first.ymd();
                let (ly, lm, ld) = last.ymd();
                let months = fd == 1 && ld == days_in_month(ly, lm);
                let years = months && first.ymd().1 == 1 && lm == 12;
                if years {
                    format!("{fy}–{ly}")
                } else if months && fy == ly {
                    format!("{}–{} {ly}", month(self.first).0, month(last.first).0)
                } else if months {
                    let ((fm, fy), (lm, ly)) = (month(self.first), month(last.first));
                    format!("{fm} {fy} – {lm} {ly}")
                } else {
                    format!("{first} – {last}")
                }
            }
        }
    }
}

impl fmt::Display for Date {
    /// The form files and arguments use: `2016-05-18`, `2016-12`, `2018`, `2018-03/2018-05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = |f: &mut fmt::Formatter<'_>, days: i32| {
            let (y, m, d) = civil_from_days(days);
            write!(f, "{y:04}-{m:02}-{d:02}")
        };
        match self.precision() {
            Precision::Day => day(f, self.first),
            Precision::Month => {
                let (y, m, _) = self.ymd();
                write!(f, "{y:04}-{m:02}")
            }
            Precision::Year => write!(f, "{:04}", self.year()),
            Precision::Range => {
                let (first, last) = (self.first(), self.last());
                let (fy, fm, fd) = first.ymd();
                let (ly, lm, ld) = last.ymd();
                if fd == 1 && ld == days_in_month(ly, lm) {
                    if fm == 1 && lm == 12 {
                        write!(f, "{fy:04}/{ly:04}")
                    } else {
                        write!(f, "{fy:04}-{fm:02}/{ly:04}-{lm:02}")
                    }
                } else {
                    day(f, self.first)?;
                    f.write_str("/")?;
                    day(f, last.first)
                }
            }
        }
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's civil-from-days algorithms.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            (self.first, self.span).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        if d.is_human_readable() {
            let text = String::deserialize(d)?;
            Date::parse(&text).map_err(de::Error::custom)
        } else {
            // Envelope version 1 stored exact days only.
            let (first, span) = if crate::store::codec::decoding_version() < 2 {
                (i32::deserialize(d)?, 0)
            } else {
                <(i32, u32)>::deserialize(d)?
            };
            // Bytes from a file or a socket are hostile: a day outside the years a date may
            // have (1000–9999) would overflow arithmetic or print as something no parser reads.
            let (min, max) = (days_from_civil(1000, 1, 1), days_from_civil(9999, 12, 31));
            match i32::try_from(span).ok().and_then(|s| first.checked_add(s)) {
                Some(last) if first >= min && last <= max => Ok(Date { first, span }),
                _ => Err(de::Error::custom("a date outside the years 1000 to 9999")),
            }
        }
    }
}

/// A moment, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Timestamp {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(since.as_millis() as i64)
    }

    pub fn date(self) -> Date {
        Date::from_days(self.0.div_euclid(86_400_000) as i32)
    }

    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let bad = || format!("'{text}' is not a time: write it as YYYY-MM-DDTHH:MM:SSZ");
        let t = text.trim();
        let t = t.strip_suffix('Z').ok_or_else(bad)?;
        let (date, time) = t.split_once('T').ok_or_else(bad)?;
        let date = Date::parse_day(date).map_err(|_| bad())?;
        let (hms, millis) = match time.split_once('.') {
            Some((hms, frac)) if frac.len() == 3 => (hms, frac.parse::<i64>().map_err(|_| bad())?),
            Some(_) => return Err(bad()),
            None => (time, 0),
        };
        let f: Vec<&str> = hms.split(':').collect();
        if f.len() != 3 {
            return Err(bad());
        }
        let n = |s: &str, max: i64| -> Result<i64, String> {
            let v = s.parse::<i64>().map_err(|_| bad())?;
            if s.len() == 2 && (0..=max).contains(&v) {
                Ok(v)
            } else {
                Err(bad())
            }
        };
        let secs = n(f[0], 23)? * 3600 + n(f[1], 59)? * 60 + n(f[2], 59)?;
        Ok(Timestamp(
            date.days() as i64 * 86_400_000 + secs * 1000 + millis,
        ))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.rem_euclid(86_400_000);
        let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        write!(f, "{}T{h:02}:{m:02}:{s:02}", self.date())?;
        if milli != 0 {
            write!(f, ".{milli:03}")?;
        }
        write!(f, "Z")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_i64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        if d.is_human_readable() {
            let text = String::deserialize(d)?;
            Timestamp::parse(&text).map_err(de::Error::custom)
        } else {
            i64::deserialize(d).map(Timestamp)
        }
    }
}

/// A fixed-point decimal with `SCALE` decimal places, stored as an integer.
/// Readable forms accept a JSON number or a string ("1,151,955.30", "83.67").
macro_rules! fixed_point {
    ($(#[$doc:meta])* $name:ident, $scale:expr, $places:expr, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl $name {
            pub const SCALE: i64 = $scale;

            pub fn from_units(units: i64) -> Self {
                $name(units * $scale)
            }

            pub fn as_f64(self) -> f64 {
                self.0 as f64 / $scale as f64
            }

            pub fn from_f64(value: f64) -> Option<Self> {
                let scaled = (value * $scale as f64).round();
                (value.is_finite() && scaled.abs() < 9.0e15).then_some($name(scaled as i64))
            }

            /// Parses "1234.5", "1,234.50" or "1 234.50"; at most the type's decimal places.
            pub fn parse(text: &str) -> Result<Self, String> {
                let cleaned: String =
                    text.trim().chars().filter(|c| *c != ',' && *c != ' ' && *c != '_').collect();
                let bad = || format!(concat!("'{}' is not ", $what), text.trim());
                let (neg, digits) = match cleaned.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, cleaned.as_str()),
                };
                let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
                if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit())
                    || !frac.bytes().all(|b| b.is_ascii_digit()) || int.len() > 13 {
                    return Err(bad());
                }
                if frac.len() > $places {
                    return Err(format!(
                        concat!("'{}' has more than {} decimal places for ", $what),
                        text.trim(), $places
                    ));
                }
                let mut value: i64 = int.parse().map_err(|_| bad())?;
                let mut frac_value: i64 = 0;
                for i in 0..$places {
                    let digit = frac.as_bytes().get(i).map_or(0, |b| (b - b'0') as i64);
                    frac_value = frac_value * 10 + digit;
                }
                value = value * $scale + frac_value;
                Ok($name(if neg { -value } else { value }))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let sign = if self.0 < 0 { "-" } else { "" };
                let abs = self.0.unsigned_abs();
                let (int, frac) = (abs / $scale as u64, abs % $scale as u64);
                if $places == 0 || ($places == 1 && frac == 0) {
                    write!(f, "{sign}{int}")
                } else {
                    write!(f, "{sign}{int}.{frac:0width$}", width = $places)
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if s.is_human_readable() {
                    s.serialize_f64(self.as_f64())
                } else {
                    s.serialize_i64(self.0)
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a number (", $what, ")"))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        v.checked_mul($scale).map($name).ok_or_else(|| E::custom("number too large"))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        i64::try_from(v).map_err(|_| E::custom("number too large"))
                            .and_then(|v| self.visit_i64(v))
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$name, E> {
                        let scaled = v * $scale as f64;
                        if (scaled - scaled.round()).abs() > 1e-6 * scaled.abs().max(1.0) {
                            return Err(E::custom(format!(
                                concat!("{} has more than {} decimal places for ", $what), v, $places)));
                        }
                        $name::from_f64(v).ok_or_else(|| E::custom("number out of range"))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::parse(v).map_err(E::custom)
                    }
                }
                if d.is_human_readable() {
                    d.deserialize_any(V)
                } else {
                    i64::deserialize(d).map($name)
                }
            }
        }
    };
}

fixed_point!(
    /// An amount of money in euros, kept in cents.
    Money, 100, 2, "an amount in euros"
);
fixed_point!(
    /// A percentage with two decimals (83.67 % is stored as 8367).
    Percent, 100, 2, "a percentage"
);
fixed_point!(
    /// A score or weight with one decimal (3.5 is stored as 35).
    Decimal1, 10, 1, "a number with at most one decimal"
);

impl Money {
    /// `self × rate`, rounded down to the cent (a grant never exceeds the rate).
    pub fn times_percent_floor(self, rate: Percent) -> Money {
        Money(((self.0 as i128 * rate.0 as i128) / 10_000) as i64)
    }

    /// Formats as `EUR 1,151,955.30`.
    pub fn eur(self) -> String {
        format!("EUR {}", group_thousands(&self.to_string()))
    }
}

/// Inserts thousands separators into the integer part of a formatted number.
pub fn group_thousands(number: &str) -> String {
    let (sign, rest) = number.strip_prefix('-').map_or(("", number), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_days() {
        for days in -800_000..800_000 {
            if days % 997 != 0 {
                continue;
            }
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
        assert_eq!(Date::parse("2016-05-18").unwrap().to_string(), "2016-05-18");
        assert!(Date::parse("2019-02-29").is_err());
        assert!(Date::parse("2020-02-29").is_ok());
        assert!(Date::parse("18.5.2016").is_err());
    }

    #[test]
    fn approximate_dates_parse_print_and_round_trip() {
        for (text, human, precision) in [
            ("2016-05-18", "2016-05-18", Precision::Day),
            ("2016-12", "Dec 2016", Precision::Month),
            ("2018", "2018", Precision::Year),
            ("2018-03/2018-05", "Mar–May 2018", Precision::Range),
            ("2019-11/2020-03", "Nov 2019 – Mar 2020", Precision::Range),
            ("2018/2019", "2018–2019", Precision::Range),
            (
                "2018-03-04/2018-03-09",
                "2018-03-04 – 2018-03-09",
                Precision::Range,
            ),
        ] {
            let d = Date::parse(text).unwrap();
            assert_eq!(d.to_string(), text);
            assert_eq!(d.human(), human, "{text}");
            assert_eq!(d.precision(), precision, "{text}");
            assert_eq!(Date::parse(&d.to_string()), Ok(d));
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), d);
            let bytes = crate::store::codec::encode(&d);
            assert_eq!(crate::store::codec::decode::<Date>(&bytes), Ok(d));
        }
        // Spans written with days that cover whole months read as the months.
        assert_eq!(
            Date::parse("2018-03-01/2018-05-31").unwrap().to_string(),
            "2018-03/2018-05"
        );
        assert_eq!(
            Date::parse("2018-01-01/2018-12-31").unwrap().to_string(),
            "2018"
        );
        assert!(
            Date::parse("2018-05/2018-03")
                .unwrap_err()
                .contains("ends before")
        );
        assert!(
            Date::parse("2018-13")
                .unwrap_err()
                .contains("not a day of the calendar")
        );
        assert!(Date::parse("18").is_err());
        assert!(Date::parse("2018-1").is_err());
        assert!(Date::parse_day("2018-05").is_err());
        assert!(Timestamp::parse("2018-05T10:00:00Z").is_err());
    }

    #[test]
    fn approximate_dates_are_only_certainly_before_or_after() {
        let dec = Date::parse("2016-12").unwrap();
        let day = |t: &str| Date::parse(t).unwrap();
        assert!(!dec.before(day("2016-12-31")) && !dec.after(day("2016-12-01")));
        assert!(dec.before(day("2017-01-01")) && dec.after(day("2016-11-30")));
        assert_eq!(dec.first(), day("2016-12-01"));
        assert_eq!(dec.last(), day("2016-12-31"));
        // Sorted by first day, the more precise first.
        let mut dates = [
            day("2016-12-05"),
            Date::parse("2016").unwrap(),
            dec,
            day("2016-12-01"),
        ];
        dates.sort_by(Date::chrono);
        let shown: Vec<String> = dates.iter().map(Date::to_string).collect();
        assert_eq!(shown, ["2016", "2016-12-01", "2016-12", "2016-12-05"]);
        // A month three months on is a month.
        assert_eq!(dec.add_months(3).to_string(), "2017-03");
        assert_eq!(
            Date::parse("2019-02").unwrap().add_months(1).to_string(),
            "2019-03"
        );
    }

    #[test]
    fn hostile_bytes_make_no_date_outside_the_years_1000_to_9999() {
        use crate::store::codec::{decode, encode};
        for (first, span) in [
            (i32::MAX - 5, 100u32),
            (days_from_civil(999, 12, 31), 0),
            (days_from_civil(9999, 12, 1), 31),
            (0, u32::MAX),
        ] {
            let bytes = encode(&(first, span));
            let err = decode::<Date>(&bytes).unwrap_err();
            assert!(err.contains("outside the years 1000 to 9999"), "{err}");
        }
        let edge = Date::parse("9999-12").unwrap();
        assert_eq!(decode::<Date>(&encode(&edge)), Ok(edge));
        // A span written to look like a day is not a day.
        assert!(Date::parse_day("2018-03-01/2018-03-01").is_err());
        assert!(Timestamp::parse("2018/2018-01-01T10:00:00Z").is_err());
    }

    #[test]
    fn a_date_stored_by_version_1_reads_as_the_exact_day() {
        let day = Date::parse("2016-05-18").unwrap();
        let old = crate::store::codec::encode_v1(&day.days());
        assert_eq!(crate::store::codec::decode::<Date>(&old), Ok(day));
        // Inside a record too: every date of a version-1 record is read, then the next field.
        let old = crate::store::codec::encode_v1(&(day.days(), 7u8, day.days() + 1));
        assert_eq!(
            crate::store::codec::decode::<(Date, u8, Date)>(&old),
            Ok((day, 7, day.add_days(1)))
        );
    }

    #[test]
    fn months_are_added_with_clamping() {
        let d = Date::parse("2019-08-31").unwrap();
        assert_eq!(d.add_months(6).to_string(), "2020-02-29");
        assert_eq!(d.add_months(-8).to_string(), "2018-12-31");
    }

    #[test]
    fn timestamps_format_and_parse() {
        let t = Timestamp::parse("2026-11-22T19:01:06Z").unwrap();
        assert_eq!(t.to_string(), "2026-11-22T19:01:06Z");
        let t = Timestamp::parse("2026-11-22T19:01:06.120Z").unwrap();
        assert_eq!(t.to_string(), "2026-11-22T19:01:06.120Z");
        assert!(Timestamp::parse("2026-11-22 19:01").is_err());
    }

    #[test]
    fn money_parses_and_formats_exactly() {
        assert_eq!(Money::parse("1,151,955.30").unwrap(), Money(115_195_530));
        assert_eq!(Money(115_195_530).eur(), "EUR 1,151,955.30");
        assert_eq!(Money::parse("9999.99").unwrap().to_string(), "9999.99");
        assert!(Money::parse("1.234").is_err());
        assert!(Money::parse("ten").is_err());
        assert_eq!(Percent::parse("83.67").unwrap(), Percent(8367));
        assert_eq!(
            Money(1_000_000).times_percent_floor(Percent(6000)),
            Money(600_000)
        );
        let m: Money = serde_json::from_str("1151955.3").unwrap();
        assert_eq!(m, Money(115_195_530));
        assert!(serde_json::from_str::<Money>("1.005").is_err());
        assert_eq!(
            serde_json::to_string(&Money(115_195_530)).unwrap(),
            "1151955.3"
        );
    }
}
