//! Dates as notices write them, shown as 2021年11月26日.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

/// A calendar date, with the moment it stands for when a time was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub Date);

/// The years a notice's dates may fall in: a typo such as `0000` or `20221`
/// is caught instead of published.
const YEARS: std::ops::RangeInclusive<i16> = 1900..=2100;

/// China Standard Time: date-only values are read as midnight here.
const CST_OFFSET: &str = "+08:00";

impl Day {
    /// Reads `2021-11-26`, `2021年11月26日`, `2021/11/26` or `2021.11.26`.
    pub fn parse(text: &str) -> Result<Day, String> {
        let t = text.trim();
        let iso = normalize_date(t).ok_or_else(|| bad_date(t))?;
        let day = iso.parse::<Date>().map(Day).map_err(|_| bad_date(t))?;
        if !YEARS.contains(&day.year()) {
            return Err(format!(
                "“{t}”的年份 {} 不对：应在 {} 到 {} 年之间",
                day.year(),
                YEARS.start(),
                YEARS.end()
            ));
        }
        Ok(day)
    }

    /// Today in China.
    pub fn today() -> Day {
        Day(china().to_datetime(Timestamp::now()).date())
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    pub fn month(self) -> i8 {
        self.0.month()
    }

    /// `2021-11-26`
    pub fn iso(self) -> String {
        self.0.to_string()
    }

    /// `2021年11月26日`, the form official documents use.
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.chinese())
    }
}

/// A publication date: a day, or a full RFC 3339 date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublishDate {
    /// The day as written (in the offset that was written).
    pub day: Day,
    /// The instant, for ordering and feeds; midnight in China for a bare day.
    pub instant: Timestamp,
}

impl PublishDate {
    pub fn parse(text: &str) -> Result<PublishDate, String> {
        let t = text.trim();
        if t.len() > 10
            && t.is_char_boundary(10)
            && t.as_bytes()
                .get(10)
                .is_some_and(|b| *b == b'T' || *b == b't' || *b == b' ')
        {
            let instant: Timestamp = t.parse().map_err(|_| bad_datetime(t))?;
            let day = Day::parse(&t[..10])?;
            if !offset_is_real(&t[10..]) {
                return Err(format!(
                    "“{t}”的时区不对：时区应在 -12:00 到 +14:00 之间，中国是 +08:00"
                ));
            }
            return Ok(PublishDate { day, instant });
        }
        let day = Day::parse(t)?;
        Ok(PublishDate::from_day(day))
    }

    pub fn from_day(day: Day) -> PublishDate {
        let instant = format!("{}T00:00:00{CST_OFFSET}", day.iso())
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        PublishDate { day, instant }
    }

    /// RFC 3339, for Atom feeds and sitemaps: `2021-11-26T00:00:00+08:00`.
    pub fn rfc3339(&self) -> String {
        let dt = china().to_datetime(self.instant);
        format!("{}{CST_OFFSET}", dt.strftime("%Y-%m-%dT%H:%M:%S"))
    }

    /// `2021-11-26 09:30`, as 政府网站发展指引 asks for the PubDate meta tag.
    pub fn meta(&self) -> String {
        china()
            .to_datetime(self.instant)
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    }
}

/// Whether the offset at the end of a time (`Z`, `+08:00`) is one that
/// a place on Earth uses: from -12:00 to +14:00.
fn offset_is_real(time: &str) -> bool {
    if time.ends_with(['Z', 'z']) {
        return true;
    }
    let Some(at) = time.rfind(['+', '-']) else {
        return false;
    };
    let sign = if time[at..].starts_with('-') { -1 } else { 1 };
    let digits: String = time[at + 1..]
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let (hours, minutes) = digits.split_at(digits.len().min(2));
    let minutes = hours.parse::<i32>().unwrap_or(99) * 60 + minutes.parse::<i32>().unwrap_or(0);
    (-12 * 60..=14 * 60).contains(&(sign * minutes))
}

/// China Standard Time, which has no daylight saving.
fn china() -> jiff::tz::Offset {
    jiff::tz::Offset::from_seconds(8 * 3600).unwrap_or(jiff::tz::Offset::UTC)
}

/// Turns the accepted date forms into `YYYY-MM-DD`.
fn normalize_date(t: &str) -> Option<String> {
    let t = t.strip_suffix('日').unwrap_or(t);
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月'])
        .map(str::trim)
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4
        || !all_digits(y)
        || !all_digits(m)
        || !all_digits(d)
        || m.len() > 2
        || d.len() > 2
    {
        return None;
    }
    Some(format!("{y}-{m:0>2}-{d:0>2}"))
}

fn bad_date(t: &str) -> String {
    format!("“{t}”不是有效的日期：应写成 2021-11-26 或 2021年11月26日")
}

fn bad_datetime(t: &str) -> String {
    format!("“{t}”不是有效的日期时间：应写成 2021-11-26 或 2021-11-26T09:30:00+08:00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        for t in [
            "2021-11-26",
            "2021年11月26日",
            "2021/11/26",
            "2021.11.26",
            " 2021-11-26 ",
        ] {
            assert_eq!(Day::parse(t).unwrap().iso(), "2021-11-26", "{t}");
        }
        assert_eq!(Day::parse("2021-4-8").unwrap().chinese(), "2021年4月8日");
    }

    #[test]
    fn impossible_dates_are_refused() {
        for t in [
            "2021-02-30",
            "2021-13-01",
            "21-11-26",
            "昨天",
            "2021-11",
            "",
        ] {
            assert!(Day::parse(t).is_err(), "{t}");
        }
    }

    #[test]
    fn date_times_keep_their_day_and_instant() {
        let d = PublishDate::parse("2021-11-26T09:30:00+08:00").unwrap();
        assert_eq!(d.day.iso(), "2021-11-26");
        assert_eq!(d.rfc3339(), "2021-11-26T09:30:00+08:00");
        assert_eq!(d.meta(), "2021-11-26 09:30");
        let bare = PublishDate::parse("2021-11-26").unwrap();
        assert_eq!(bare.rfc3339(), "2021-11-26T00:00:00+08:00");
        assert!(bare.instant < d.instant);
        assert!(PublishDate::parse("2021-11-26T25:00:00+08:00").is_err());
        assert!(PublishDate::parse("2021-11-26T09:30:00").is_err());
        assert!(PublishDate::parse("2021-11-26T09:30:00+25:00").is_err());
        assert!(PublishDate::parse("2021-11-26T09:30:00-12:30").is_err());
        assert!(PublishDate::parse("2021-11-26T09:30:00-05:00").is_ok());
        assert!(PublishDate::parse("2021-11-26T01:30:00Z").is_ok());
    }

    #[test]
    fn years_out_of_any_notice_are_refused() {
        for t in ["0000-01-01", "0001-01-01", "1899-12-31", "2101-01-01"] {
            let e = Day::parse(t).unwrap_err();
            assert!(e.contains("年份"), "{t}: {e}");
        }
        assert!(Day::parse("1900-01-01").is_ok());
    }
}
