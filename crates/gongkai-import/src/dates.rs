//! Dates inside prose: `2021年11月26日`, `二〇二一年十一月二十六日`,
//! `2021-11-26`, `2021.11.26`, and `8月26日` without a year.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

use super::numerals;
use gongkai_content::Day;

/// A date written in the text, at `start..end` (bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// `None` for `8月26日`: the year comes from the context.
    pub year: Option<i16>,
    pub month: u32,
    pub day: u32,
}

impl Mention {
    /// The day, taking the year from `year` when the text has none.
    pub fn day_in(&self, year: Option<i16>) -> Option<Day> {
        let y = self.year.or(year)?;
        Date::new(
            y,
            i8::try_from(self.month).ok()?,
            i8::try_from(self.day).ok()?,
        )
        .ok()
        .map(Day)
    }

    pub fn day(&self) -> Option<Day> {
        self.day_in(None)
    }
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let han = "[〇零○Ｏ一二三四五六七八九]";
    let small = "[一二三四五六七八九十]";
    Regex::new(&format!(
        r"(?x)
        (?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]
      | (?P<ys>\d{{4}})(?P<sep>[-./／])(?P<ms>\d{{1,2}})[-./／](?P<ds>\d{{1,2}})
      | (?P<yh>{han}{{4}})\s*年\s*(?P<mh>{small}{{1,2}})\s*月\s*(?P<dh>{small}{{1,3}})\s*日
      | (?P<m2>\d{{1,2}})\s*月\s*(?P<d2>\d{{1,2}})\s*[日号]
      | (?P<mh2>{small}{{1,2}})\s*月\s*(?P<dh2>{small}{{1,3}})\s*日
        "
    ))
    .unwrap_or_else(|e| panic!("date pattern: {e}"))
});

/// Every date in `text`, in order. Numbers that only look like dates
/// (`12.5.3`, a 5-digit run) are skipped.
pub fn mentions(text: &str) -> Vec<Mention> {
    let mut found = Vec::new();
    for c in DATE.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let han = |name: &str| c.name(name).and_then(|m| numerals::parse(m.as_str()));
        let mention = if let Some(y) = c.name("y") {
            (y.as_str().parse().ok(), num("m"), num("d"))
        } else if let Some(y) = c.name("ys") {
            // 2021.11.26 must stand alone: not inside 12021.11.265 or 2021.11.26.1.
            let before = text[..whole.start()].chars().next_back();
            let after = text[whole.end()..].chars().next();
            let sep = c.name("sep").map_or("", |m| m.as_str());
            let glued =
                |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || sep.starts_with(c));
            if glued(before) || glued(after) {
                continue;
            }
            (y.as_str().parse().ok(), num("ms"), num("ds"))
        } else if let Some(y) = c.name("yh") {
            (numerals::year(y.as_str()), han("mh"), han("dh"))
        } else if c.name("m2").is_some() {
            let before = text[..whole.start()].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_digit()) {
                continue;
            }
            (None, num("m2"), num("d2"))
        } else {
            (None, han("mh2"), han("dh2"))
        };
        let (year, Some(month), Some(day)) = mention else {
            continue;
        };
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            continue;
        }
        found.push(Mention {
            start: whole.start(),
            end: whole.end(),
            year,
            month,
            day,
        });
    }
    found
}

/// Dates whose `年` and `月` a copy lost (`2024717日至830日`, as a site's
/// template drops them), written again where only one reading is a date:
/// `2024年7月17日至8月30日`. `112日` (1月12日 or 11月2日) stays as it is.
/// `None` when there is none.
pub fn unsqueezed(text: &str) -> Option<String> {
    static SQUEEZED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(^|[^\d年月.．/-])(\d{3,8})日").unwrap_or_else(|e| panic!("squeezed: {e}"))
    });
    let mut any = false;
    let out = SQUEEZED.replace_all(text, |c: &regex::Captures<'_>| {
        let digits = &c[2];
        let (year, md) = match digits.len() {
            7 | 8 => (Some(&digits[..4]), &digits[4..]),
            3 | 4 => (None, digits),
            _ => return c[0].to_string(),
        };
        let readings: Vec<(u32, u32)> = (1..md.len())
            .filter_map(|cut| Some((md[..cut].parse().ok()?, md[cut..].parse().ok()?)))
            .filter(|(m, d): &(u32, u32)| (1..=12).contains(m) && (1..=31).contains(d))
            .collect();
        match readings.as_slice() {
            [(m, d)] => {
                any = true;
                let year = year.map_or(String::new(), |y| format!("{y}年"));
                format!("{}{year}{m}月{d}日", &c[1])
            }
            _ => c[0].to_string(),
        }
    });
    any.then(|| out.into_owned())
}

/// The one date a line consists of (a signature's date, or a page's date
/// and time under the title: `2020-08-10 11:36:38`), if it is nothing else.
pub fn whole_line(text: &str) -> Option<Day> {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?$").unwrap_or_else(|e| panic!("time: {e}"))
    });
    let t = text.trim_matches(|c: char| c.is_whitespace() || "（）()".contains(c));
    let t = TIME.find(t).map_or(t, |m| &t[..m.start()]);
    let m = mentions(t);
    match m.as_slice() {
        [only] if only.start == 0 && only.end == t.len() => only.day(),
        _ => None,
    }
}

/// A line that ends with a date after other words, as a signature on one
/// line (`中共某某县委办公室 2024年5月6日`): the words, and the day.
pub fn after_words(text: &str) -> Option<(&str, Day)> {
    let t = text.trim_end_matches(|c: char| c.is_whitespace() || "）)".contains(c));
    let m = mentions(t);
    let [only] = m.as_slice() else {
        return None;
    };
    let words = t[..only.start].trim_end_matches(|c: char| c.is_whitespace() || "（(".contains(c));
    (only.end == t.len() && !words.trim().is_empty()).then_some((words.trim(), only.day()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(text: &str) -> Vec<String> {
        let mut year = None;
        mentions(text)
            .iter()
            .filter_map(|m| {
                let d = m.day_in(year)?;
                year = Some(d.year());
                Some(d.iso())
            })
            .collect()
    }

    #[test]
    fn reads_every_written_form() {
        assert_eq!(days("2021年11月26日"), ["2021-11-26"]);
        assert_eq!(days("二〇二一年十一月二十六日"), ["2021-11-26"]);
        assert_eq!(days("2021-11-26"), ["2021-11-26"]);
        assert_eq!(days("2021.11.26"), ["2021-11-26"]);
        assert_eq!(days("2021/8/6"), ["2021-08-06"]);
        assert_eq!(days("2021 年 4 月 28 日"), ["2021-04-28"]);
    }

    #[test]
    fn a_date_without_year_takes_the_one_before() {
        assert_eq!(
            days("2022年3月10日至5月10日，市委巡察组进驻"),
            ["2022-03-10", "2022-05-10"]
        );
        assert_eq!(mentions("于9月5日反馈")[0].year, None);
    }

    #[test]
    fn numbers_that_are_not_dates_are_skipped() {
        assert!(days("版本 12021.11.26.1").is_empty());
        assert!(days("第13月32日").is_empty());
        assert!(days("金额7230.3元").is_empty());
        assert!(days("2021年2月30日").is_empty());
    }

    #[test]
    fn dates_that_lost_their_year_and_month_words() {
        assert_eq!(
            unsqueezed("2024717日至830日，市委第六巡察组进行了巡察。914日反馈").as_deref(),
            Some("2024年7月17日至8月30日，市委第六巡察组进行了巡察。9月14日反馈")
        );
        assert_eq!(
            unsqueezed("20241211日至20250110日").as_deref(),
            Some("2024年12月11日至2025年1月10日")
        );
        // Two readings: left alone; ordinary dates are not touched.
        assert_eq!(unsqueezed("112日"), None);
        assert_eq!(unsqueezed("2024年7月17日至8月30日"), None);
        assert_eq!(unsqueezed("共计300日"), None);
    }

    #[test]
    fn whole_line_dates_are_signatures() {
        assert_eq!(
            whole_line("  2021年11月26日 ").map(Day::iso),
            Some("2021-11-26".into())
        );
        assert_eq!(
            whole_line("（2021年11月26日）").map(Day::iso),
            Some("2021-11-26".into())
        );
        assert_eq!(whole_line("2021年11月26日，区委巡察组反馈"), None);
        // A page's date and time under the title.
        assert_eq!(
            whole_line("2020-08-10 11:36:38").map(Day::iso).as_deref(),
            Some("2020-08-10")
        );
    }

    #[test]
    fn a_date_after_words_ends_a_one_line_signature() {
        let (words, day) = after_words("中共某某县委办公室  2024年5月6日 ").unwrap();
        assert_eq!(
            (words, day.iso().as_str()),
            ("中共某某县委办公室", "2024-05-06")
        );
        let (words, _) = after_words("某镇党委（2024年5月6日）").unwrap();
        assert_eq!(words, "某镇党委");
        assert_eq!(after_words("2024年5月6日"), None);
        assert_eq!(after_words("2024年5月6日前完成整改"), None);
    }
}
