//! The two date types of the models: [`Timestamp`] (`format: date-time`)
//! and [`Date`] (`format: date`). Small on purpose: they parse what HubSpot
//! sends (RFC 3339, any offset; timestamps also as Unix milliseconds),
//! print RFC 3339 in UTC, and convert to
//! `SystemTime`, Unix seconds and milliseconds, and, with the `jiff`
//! feature, to jiff's types. A date library would be a quarter of the
//! crate's cold build (see BENCHMARKS.md).

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

/// Seconds from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z, relative to
/// the Unix epoch: the range RFC 3339 can write.
const MIN_SECOND: i64 = -62_167_219_200;
const MAX_SECOND: i64 = 253_402_300_799;

/// A text that is not a valid RFC 3339 timestamp or date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    message: String,
}

impl DateError {
    fn new(text: &str, why: &str) -> Self {
        DateError {
            message: format!("{text:?} is not {why}"),
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

/// An instant, with nanosecond precision, between years 0000 and 9999 (UTC).
///
/// Parses any RFC 3339 offset (`2026-03-04T10:15:30.120Z`,
/// `2026-03-04T11:15:30+01:00`) and prints UTC with as many fraction digits
/// as needed (`2026-03-04T10:15:30.12Z`). From JSON it also decodes Unix
/// milliseconds, as a number (`1772619330120`) or a string of digits, as
/// HubSpot sends some dates; it always encodes RFC 3339.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    second: i64,
    nanosecond: u32,
}

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp {
        second: 0,
        nanosecond: 0,
    };

    /// Unix seconds plus nanoseconds; `None` outside years 0000–9999 or
    /// for a nanosecond part of a second or more.
    pub fn new(second: i64, nanosecond: u32) -> Option<Self> {
        ((MIN_SECOND..=MAX_SECOND).contains(&second) && nanosecond < 1_000_000_000)
            .then_some(Timestamp { second, nanosecond })
    }

    /// From Unix seconds.
    pub fn from_second(second: i64) -> Option<Self> {
        Self::new(second, 0)
    }

    /// From Unix milliseconds (HubSpot's other timestamp spelling).
    pub fn from_millisecond(millisecond: i64) -> Option<Self> {
        let nanosecond = u32::try_from(millisecond.rem_euclid(1000)).ok()? * 1_000_000;
        Self::new(millisecond.div_euclid(1000), nanosecond)
    }

    /// The current time.
    pub fn now() -> Self {
        Self::try_from(SystemTime::now()).unwrap_or(Self::UNIX_EPOCH)
    }

    /// Unix seconds (rounded down).
    pub fn as_second(&self) -> i64 {
        self.second
    }

    /// Unix milliseconds (rounded down).
    pub fn as_millisecond(&self) -> i64 {
        self.second * 1000 + i64::from(self.nanosecond / 1_000_000)
    }

    /// Nanoseconds past [`as_second`](Self::as_second).
    pub fn subsec_nanosecond(&self) -> u32 {
        self.nanosecond
    }

    /// The UTC calendar date.
    pub fn date(&self) -> Date {
        let (year, month, day) = civil_from_days(self.second.div_euclid(86_400));
        Date { year, month, day }
    }

    /// Parses an RFC 3339 timestamp.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let bad = |why| DateError::new(text, why);
        let b = text.as_bytes();
        if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') {
            return Err(bad("an RFC 3339 timestamp"));
        }
        let date = text
            .get(..10)
            .and_then(|date| Date::parse(date).ok())
            .ok_or_else(|| bad("an RFC 3339 timestamp"))?;
        let hour = digits(b, 11, 2).filter(|h| *h < 24);
        let minute = digits(b, 14, 2).filter(|m| *m < 60);
        // A leap second (:60, only ever at minute 59) is read as :59, as
        // most systems do.
        let second = digits(b, 17, 2)
            .filter(|s| *s < 60 || (*s == 60 && minute == Some(59)))
            .map(|s| s.min(59));
        let (Some(hour), Some(minute), Some(second)) = (hour, minute, second) else {
            return Err(bad("an RFC 3339 timestamp (bad time)"));
        };
        if b[13] != b':' || b[16] != b':' {
            return Err(bad("an RFC 3339 timestamp"));
        }
        let mut at = 19;
        let mut nanosecond = 0u32;
        if b[at] == b'.' {
            let start = at + 1;
            at = start;
            while at < b.len() && b[at].is_ascii_digit() {
                at += 1;
            }
            let count = at - start;
            if count == 0 {
                return Err(bad("an RFC 3339 timestamp (no fraction digits)"));
            }
            // Digits past the ninth are below a nanosecond: dropped.
            let kept = count.min(9);
            let fraction = digits(b, start, kept).unwrap_or(0);
            nanosecond = fraction * 10u32.pow(9 - kept as u32);
        }
        let offset = match &b[at..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let hours = digits(b, at + 1, 2).filter(|h| *h < 24);
                let minutes = digits(b, at + 4, 2).filter(|m| *m < 60);
                let (Some(hours), Some(minutes)) = (hours, minutes) else {
                    return Err(bad("an RFC 3339 timestamp (bad offset)"));
                };
                let offset = i64::from(hours * 3600 + minutes * 60);
                if *sign == b'-' { -offset } else { offset }
            }
            _ => return Err(bad("an RFC 3339 timestamp (bad offset)")),
        };
        let local = days_from_civil(date.year, date.month, date.day) * 86_400
            + i64::from(hour * 3600 + minute * 60 + second);
        Timestamp::new(local - offset, nanosecond)
            .ok_or_else(|| bad("a timestamp between years 0000 and 9999"))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Date { year, month, day } = self.date();
        let seconds = self.second.rem_euclid(86_400);
        let (hour, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"
        )?;
        if self.nanosecond > 0 {
            let fraction = format!("{:09}", self.nanosecond);
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl FromStr for Timestamp {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, DateError> {
        Timestamp::parse(text)
    }
}

impl From<Timestamp> for SystemTime {
    fn from(at: Timestamp) -> SystemTime {
        let since = Duration::new(at.second.unsigned_abs(), 0);
        let whole = if at.second >= 0 {
            SystemTime::UNIX_EPOCH + since
        } else {
            SystemTime::UNIX_EPOCH - since
        };
        whole + Duration::from_nanos(u64::from(at.nanosecond))
    }
}

impl TryFrom<SystemTime> for Timestamp {
    type Error = DateError;

    fn try_from(time: SystemTime) -> Result<Self, DateError> {
        let out_of_range = || DateError::new("system time", "between years 0000 and 9999");
        match time.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => {
                let second = i64::try_from(after.as_secs()).map_err(|_| out_of_range())?;
                Timestamp::new(second, after.subsec_nanos())
            }
            Err(before) => {
                let before = before.duration();
                let second = i64::try_from(before.as_secs()).map_err(|_| out_of_range())?;
                match before.subsec_nanos() {
                    0 => Timestamp::new(-second, 0),
                    n => Timestamp::new(-second - 1, 1_000_000_000 - n),
                }
            }
        }
        .ok_or_else(out_of_range)
    }
}

/// A calendar date (`YYYY-MM-DD`), years 0000 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// The date, if it exists.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let valid = (0..=9999).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u32 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u32 {
        self.day
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let b = text.as_bytes();
        let parts = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
            .then(|| Some((digits(b, 0, 4)?, digits(b, 5, 2)?, digits(b, 8, 2)?)))
            .flatten();
        parts
            .and_then(|(year, month, day)| Date::new(year as i32, month, day))
            .ok_or_else(|| DateError::new(text, "a date (YYYY-MM-DD)"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, DateError> {
        Date::parse(text)
    }
}

macro_rules! serde_as_text {
    ($($t:ident),*) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Text;

                impl serde::de::Visitor<'_> for Text {
                    type Value = $t;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("an RFC 3339 ", stringify!($t)))
                    }

                    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$t, E> {
                        $t::parse(text).map_err(E::custom)
                    }
                }

                deserializer.deserialize_str(Text)
            }
        }
    )*};
}

serde_as_text!(Date);

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// HubSpot sends `date-time` fields as RFC 3339 text or as Unix
/// milliseconds (a number, or a string of digits); both decode. Encoding
/// always writes RFC 3339.
impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextOrMillis;

        impl serde::de::Visitor<'_> for TextOrMillis {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 Timestamp or Unix milliseconds")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
                let digits = text.strip_prefix('-').unwrap_or(text);
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    let millis = text.parse::<i64>().map_err(E::custom)?;
                    return self.visit_i64(millis);
                }
                Timestamp::parse(text).map_err(E::custom)
            }

            fn visit_i64<E: serde::de::Error>(self, millis: i64) -> Result<Timestamp, E> {
                Timestamp::from_millisecond(millis).ok_or_else(|| {
                    E::custom(format_args!("{millis} ms is outside years 0000-9999"))
                })
            }

            fn visit_u64<E: serde::de::Error>(self, millis: u64) -> Result<Timestamp, E> {
                let millis = i64::try_from(millis).map_err(|_| {
                    E::custom(format_args!("{millis} ms is outside years 0000-9999"))
                })?;
                self.visit_i64(millis)
            }
        }

        deserializer.deserialize_any(TextOrMillis)
    }
}

/// `count` ASCII digits at `at`, as a number.
fn digits(b: &[u8], at: usize, count: usize) -> Option<u32> {
    let slice = b.get(at..at + count)?;
    slice.iter().try_fold(0u32, |n, d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year as i32, month, day)
}

/// An HTTP date (`Retry-After`): IMF-fixdate, or the obsolete RFC 850 and
/// asctime forms, which RFC 9110 says recipients must also accept.
pub(crate) fn parse_http_date(text: &str) -> Option<Timestamp> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = |name: &str| MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1);
    let number = |text: &str, width: usize| {
        (text.len() == width && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let (year, month, day, time) = match words.as_slice() {
        // Sun, 06 Nov 1994 08:49:37 GMT
        [_, day, month_name, year, time, "GMT"] => (
            number(year, 4)? as i32,
            month(month_name)?,
            number(day, 2)?,
            *time,
        ),
        // Sunday, 06-Nov-94 08:49:37 GMT
        [_, date, time, "GMT"] => {
            let parts: Vec<&str> = date.split('-').collect();
            let [day, month_name, year] = parts.as_slice() else {
                return None;
            };
            // A two-digit year is the one not more than 50 years ahead.
            let this_year = Timestamp::now().date().year();
            let mut year = this_year - this_year % 100 + number(year, 2)? as i32;
            if year > this_year + 50 {
                year -= 100;
            }
            (year, month(month_name)?, number(day, 2)?, *time)
        }
        // Sun Nov  6 08:49:37 1994
        [_, month_name, day, time, year] => (
            number(year, 4)? as i32,
            month(month_name)?,
            number(day, 1).or_else(|| number(day, 2))?,
            *time,
        ),
        _ => return None,
    };
    // `HH:MM:SS` exactly: no fraction, no offset.
    if time.len() != 8 {
        return None;
    }
    let date = Date::new(year, month, day)?;
    Timestamp::parse(&format!("{date}T{time}Z")).ok()
}

#[cfg(feature = "jiff")]
mod jiff_conversions {
    use super::{Date, Timestamp};

    /// Fails only for the last hours of year 9999, past jiff's range.
    impl TryFrom<Timestamp> for jiff::Timestamp {
        type Error = super::DateError;

        fn try_from(at: Timestamp) -> Result<Self, Self::Error> {
            jiff::Timestamp::new(at.as_second(), at.subsec_nanosecond() as i32)
                .map_err(|_| super::DateError::new(&at.to_string(), "within jiff's range"))
        }
    }

    impl TryFrom<jiff::Timestamp> for Timestamp {
        type Error = super::DateError;

        fn try_from(at: jiff::Timestamp) -> Result<Self, Self::Error> {
            Timestamp::new(at.as_second(), at.subsec_nanosecond().unsigned_abs())
                .filter(|_| at.subsec_nanosecond() >= 0)
                .or_else(|| {
                    Timestamp::new(
                        at.as_second() - 1,
                        (1_000_000_000 + at.subsec_nanosecond()) as u32,
                    )
                })
                .ok_or_else(|| {
                    super::DateError::new(&at.to_string(), "between years 0000 and 9999")
                })
        }
    }

    impl From<Date> for jiff::civil::Date {
        fn from(date: Date) -> Self {
            jiff::civil::date(date.year() as i16, date.month() as i8, date.day() as i8)
        }
    }

    impl TryFrom<jiff::civil::Date> for Date {
        type Error = super::DateError;

        fn try_from(date: jiff::civil::Date) -> Result<Self, Self::Error> {
            Date::new(
                i32::from(date.year()),
                date.month() as u32,
                date.day() as u32,
            )
            .ok_or_else(|| super::DateError::new(&date.to_string(), "between years 0000 and 9999"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn decodes_epoch_milliseconds_as_number_or_digits_and_encodes_rfc_3339() {
        let hubspot = at("2026-03-04T10:15:30.120Z");
        for json in [
            "1772619330120",
            "\"1772619330120\"",
            "\"2026-03-04T10:15:30.120Z\"",
        ] {
            let decoded: Timestamp = serde_json::from_str(json).unwrap();
            assert_eq!(decoded, hubspot, "{json}");
            assert_eq!(
                serde_json::to_string(&decoded).unwrap(),
                "\"2026-03-04T10:15:30.12Z\""
            );
        }
        let before: Timestamp = serde_json::from_str("\"-1000\"").unwrap();
        assert_eq!(before.as_second(), -1);
        for bad in [
            "1.5",
            "\"\"",
            "\"-\"",
            "\"12a\"",
            "true",
            "18446744073709551615",
        ] {
            assert!(serde_json::from_str::<Timestamp>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_rfc_3339_in_any_offset() {
        assert_eq!(at("1970-01-01T00:00:00Z"), Timestamp::UNIX_EPOCH);
        let hubspot = at("2026-03-04T10:15:30.120Z");
        assert_eq!(hubspot.as_second(), 1_772_619_330);
        assert_eq!(hubspot.as_millisecond(), 1_772_619_330_120);
        assert_eq!(at("2026-03-04T11:15:30.12+01:00"), hubspot);
        assert_eq!(at("2026-03-04t04:45:30.120000000-05:30"), hubspot);
        assert_eq!(at("2026-03-04 10:15:30.12z"), hubspot);
        assert_eq!(at("1969-12-31T23:59:59.5Z").as_second(), -1);
        assert_eq!(at("0000-01-01T00:00:00Z").as_second(), MIN_SECOND);
        assert_eq!(at("9999-12-31T23:59:59.999999999Z").as_second(), MAX_SECOND);
        assert_eq!(at("2016-12-31T23:59:60Z"), at("2016-12-31T23:59:59Z"));
        // More than nine fraction digits are valid; the extra ones are dropped.
        assert_eq!(
            at("2026-03-04T10:15:30.1200000009Z"),
            at("2026-03-04T10:15:30.12Z")
        );
        for bad in [
            "",
            "2026-03-04",
            "2026-03-04T10:15:30",
            "2026-02-30T10:15:30Z",
            "2026-13-01T10:15:30Z",
            "2026-03-04T24:00:00Z",
            "2026-03-04T10:60:00Z",
            "2026-03-04T10:15:30.Z",
            "2026-03-04T10:15:60Z",
            "2026-03-04T10:15:30+0100",
            "2026-03-04T10:15:30+24:00",
            "2026-03-04T10:15:30Z ",
            "+2026-03-04T10:15:30Z",
            "0000-01-01T00:00:00+00:01",
            "2026-03-04T1:15:30Z",
            "2026-03-0éT10:15:30Z",
            "2026-03-04T10:15:ééZ",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prints_utc_with_the_fraction_it_needs() {
        assert_eq!(
            at("2026-03-04T11:15:30.120+01:00").to_string(),
            "2026-03-04T10:15:30.12Z"
        );
        assert_eq!(
            at("2026-03-04T10:15:30Z").to_string(),
            "2026-03-04T10:15:30Z"
        );
        assert_eq!(
            at("1900-02-28T23:59:59.000000001Z").to_string(),
            "1900-02-28T23:59:59.000000001Z"
        );
        assert_eq!(
            Timestamp::from_millisecond(-1).unwrap().to_string(),
            "1969-12-31T23:59:59.999Z"
        );
        // Every day of four centuries round-trips through the calendar math.
        for day in (days_from_civil(1900, 1, 1)..days_from_civil(2300, 1, 1)).step_by(1) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
            assert!(Date::new(y, m, d).is_some());
        }
    }

    #[test]
    fn converts_to_and_from_system_time() {
        let hubspot = at("2026-03-04T10:15:30.120Z");
        let system = SystemTime::from(hubspot);
        assert_eq!(Timestamp::try_from(system).unwrap(), hubspot);
        let before = at("1969-12-31T23:59:59.25Z");
        assert_eq!(
            Timestamp::try_from(SystemTime::from(before)).unwrap(),
            before
        );
        assert!(Timestamp::now() > hubspot);
    }

    #[test]
    fn dates_and_serde() {
        let date = Date::parse("2024-02-29").unwrap();
        assert_eq!((date.year(), date.month(), date.day()), (2024, 2, 29));
        assert!(Date::parse("2023-02-29").is_err() && Date::parse("2024-2-29").is_err());
        assert_eq!(
            at("2024-02-29T23:00:00-02:00").date().to_string(),
            "2024-03-01"
        );
        let json = serde_json::to_string(&(at("2026-03-04T10:15:30Z"), date)).unwrap();
        assert_eq!(json, r#"["2026-03-04T10:15:30Z","2024-02-29"]"#);
        let back: (Timestamp, Date) = serde_json::from_str(&json).unwrap();
        assert_eq!(back, (at("2026-03-04T10:15:30Z"), date));
        let err = serde_json::from_str::<Timestamp>(r#""yesterday""#).unwrap_err();
        assert!(
            err.to_string()
                .contains("\"yesterday\" is not an RFC 3339 timestamp"),
            "{err}"
        );
    }

    #[test]
    fn http_dates_in_all_three_forms() {
        let expected = at("1994-11-06T08:49:37Z");
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(expected)
        );
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(expected)
        );
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(expected));
        assert_eq!(
            parse_http_date("Sun Nov 16 08:49:37 1994"),
            Some(at("1994-11-16T08:49:37Z"))
        );
        // Two-digit years land within 50 years from now.
        let this_year = Timestamp::now().date().year();
        let soon = format!("Sunday, 06-Nov-{:02} 08:49:37 GMT", (this_year + 1) % 100);
        assert_eq!(
            parse_http_date(&soon).map(|t| t.date().year()),
            Some(this_year + 1)
        );
        for bad in [
            "",
            "Sunday, 06-Nov-2147483647 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sunday, 06-Nov-94-x 08:49:37 GMT",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37.5 GMT",
            "06 Nov 1994",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 31 Feb 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }
}
