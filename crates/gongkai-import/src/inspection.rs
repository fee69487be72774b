//! The inspection an opening formula speaks of: its kind (巡察, 巡视,
//! 督察), group, period and feedback, with years filled in where the text
//! leaves them out.

use std::sync::LazyLock;

use regex::Regex;

use super::dates;
use gongkai_content::{Day, Inspection, InspectionKind};

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
}

static GROUP: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(巡察|巡视|督察)(第?[一二三四五六七八九十\d]*)组"));

/// Words after which the name of an inspection group starts.
const BEFORE_GROUP: &[&str] = &[
    "部署", "安排", "要求", "根据", "按照", "日", "于", "由", "经", "对", "期间", "前", "后", "的",
];

/// The inspection an opening formula speaks of: `2021年4月28日至2021年8月26日，
/// 区委第一巡察组对政协机关进行了巡察。2021年8月26日，……反馈了巡察意见。`,
/// or a 督察: `中央第三生态环境保护督察组于2021年4月6日进驻……`. Dates
/// written without a year take it from the text before them; when the
/// text names no year at all, from `published` (the bulletin's date: the
/// inspection was before it).
pub fn inspection(text: &str, published: Option<Day>) -> Option<Inspection> {
    let m = GROUP
        .captures_iter(text)
        .find(|c| c.get(0).is_some_and(|m| !text[m.end()..].starts_with('长')))?;
    let whole = m.get(0)?;
    let kind = match &m[1] {
        "巡视" => InspectionKind::Xunshi,
        "督察" => InspectionKind::Ducha,
        _ => InspectionKind::Xuncha,
    };
    let prefix = group_prefix(&text[..whole.start()]);
    // `区委组建4个巡察组`: several groups, none of them named.
    let several = prefix.strip_suffix('个').is_some_and(|count| {
        count.ends_with(|c: char| c.is_ascii_digit() || "一二两三四五六七八九十".contains(c))
    });
    let group = (!several).then(|| format!("{prefix}{}", whole.as_str()));

    let mentions = dates::mentions(text);
    let days = |first_year: Option<i16>| -> Vec<Option<Day>> {
        let mut year = first_year;
        mentions
            .iter()
            .map(|m| {
                let d = m.day_in(year);
                if let Some(d) = d {
                    year = Some(d.year());
                }
                d
            })
            .collect()
    };
    // `2024年11月，……10月14日……`: the year the text names first; else the
    // bulletin's, or the one before when that puts the dates after it.
    let named = YEAR.captures(text).and_then(|c| c[1].parse::<i16>().ok());
    let mut days = days(named.or(published.map(Day::year)));
    if named.is_none()
        && let Some(p) = published
        && days.first().copied().flatten().is_some_and(|d| d > p)
    {
        days = self::days_before(&mentions, p);
    }
    let range = (1..mentions.len()).find(|&i| {
        let between = text[mentions[i - 1].end..mentions[i].start].trim();
        matches!(
            between,
            "至" | "到" | "—" | "——" | "－" | "-" | "~" | "～" | "至至"
        )
    });
    // `于2021年4月28日进驻`, `于2023年4月28日结束巡察`: a start or an end
    // told by the verb after it.
    let told = |words: &[&str]| {
        mentions.iter().position(|m| {
            let after: String = text[m.end..].chars().take(8).collect();
            words.iter().any(|w| after.contains(w))
        })
    };
    let (start, end, used) = match range {
        Some(i) => (days[i - 1], days[i], vec![i - 1, i]),
        None => {
            let s = told(&["进驻", "开始"]);
            let e = told(&["结束", "离开", "撤离"]).filter(|e| Some(*e) != s);
            let used = s.into_iter().chain(e).collect();
            (s.and_then(|i| days[i]), e.and_then(|i| days[i]), used)
        }
    };
    // `2022年3月至5月`, `2024年11月`: an inspection told by months only.
    let (start, end) = match (start, end) {
        (None, None) => months(text).map_or((None, None), |(s, e)| (Some(s), Some(e))),
        known => known,
    };
    let context = end
        .or(start)
        .or_else(|| named.and_then(|y| jiff::civil::Date::new(y, 1, 1).ok().map(Day)));
    let feedback = feedback(text, &mentions, &used, context);
    Some(Inspection {
        id: None,
        kind,
        group,
        start,
        end,
        feedback,
    })
}

/// `2024年`: the first year a text names.
static YEAR: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d{4})\s*年"));

/// The days of `mentions` with the year of `published` for those without
/// one, a year earlier where that would put them after it.
fn days_before(mentions: &[dates::Mention], published: Day) -> Vec<Option<Day>> {
    mentions
        .iter()
        .map(|m| {
            let d = m.day_in(Some(published.year()))?;
            if d > published {
                m.day_in(Some(published.year() - 1))
            } else {
                Some(d)
            }
        })
        .collect()
}

/// The date of the feedback in a paragraph after the opening
/// (`12月30日，县委第二巡察组向县文旅局党组反馈了巡察意见。`), its year
/// taken from the inspection's period.
pub fn feedback_after(text: &str, inspection: &Inspection) -> Option<Day> {
    let mentions = dates::mentions(text);
    feedback(text, &mentions, &[], inspection.end.or(inspection.start))
}

/// An inspection's months without days: `2022年3月至5月`, `2022年11月至
/// 2023年1月`, or one month, `2024年11月`: its first and last days, for
/// the reviewer to correct.
pub fn months(text: &str) -> Option<(Day, Day)> {
    static MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?(上旬|中旬|下旬|初|底|末)?(?:[^日号\d至到—－\-~～]|$)")
            .unwrap_or_else(|e| panic!("month: {e}"))
    });
    if let Some(range) = month_range(text) {
        return Some(range);
    }
    // One month, before the group is named: the inspection's.
    let c = MONTH.captures(text)?;
    let before_group = GROUP
        .find(text)
        .is_none_or(|g| c.get(0).is_some_and(|m| m.start() < g.start()));
    if !before_group || !dates::mentions(&text[..c.get(0)?.start()]).is_empty() {
        return None;
    }
    let (y, m) = (c[1].parse::<i16>().ok()?, c[2].parse::<i8>().ok()?);
    let month = jiff::civil::Date::new(y, m, 1).ok()?;
    let (first, last) = part_of(month, c.get(3).map(|p| p.as_str()));
    Some((Day(first), Day(last)))
}

/// An inspection's months without days, `2022年3月至5月` or `2022年11月至
/// 2023年1月`: its first and last days, for the reviewer to correct.
fn month_range(text: &str) -> Option<(Day, Day)> {
    static MONTHS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?(上旬|中旬|下旬|初|底|末)?\s*(?:至|到|—|——|－|-|~|～)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:份)?(上旬|中旬|下旬|初|底|末)?(?:[^日号\d]|$)")
            .unwrap_or_else(|e| panic!("month range: {e}"))
    });
    let c = MONTHS.captures(text)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i16>().ok());
    let part = |i: usize| c.get(i).map(|m| m.as_str());
    let (y1, m1, m2) = (num(1)?, num(2)?, num(5)?);
    let y2 = num(4).unwrap_or(if m2 < m1 { y1 + 1 } else { y1 });
    let first = jiff::civil::Date::new(y1, i8::try_from(m1).ok()?, 1).ok()?;
    let last = jiff::civil::Date::new(y2, i8::try_from(m2).ok()?, 1).ok()?;
    Some((
        Day(part_of(first, part(3)).0),
        Day(part_of(last, part(6)).1),
    ))
}

/// The first and last days of the part of `month` (its first day) that
/// `part` names: `上旬` the 1st to the 10th, `中旬` the 11th to the 20th,
/// `下旬` the 21st to the end, `初` as `上旬`, `底` and `末` as `下旬`; the
/// whole month without one.
fn part_of(month: jiff::civil::Date, part: Option<&str>) -> (jiff::civil::Date, jiff::civil::Date) {
    let day = |d: i8| month.with().day(d).build().unwrap_or(month);
    let end = month.last_of_month();
    match part {
        Some("上旬" | "初") => (month, day(10)),
        Some("中旬") => (day(11), day(20)),
        Some("下旬" | "底" | "末") => (day(21), end),
        _ => (month, end),
    }
}

/// `区委第一`, `十二届市委第一`, `专项`: the words of the group's name before
/// `巡察组`, back to the punctuation or verb that precedes it.
fn group_prefix(before: &str) -> String {
    let run: String = before
        .chars()
        .rev()
        .take_while(|c| gongkai_content::text::is_han(*c) || c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let mut start = 0;
    for word in BEFORE_GROUP {
        if let Some(i) = run.rfind(word) {
            start = start.max(i + word.len());
        }
    }
    let prefix = &run[start..];
    // A run of digits is a date's, not a name's.
    let prefix = prefix.trim_start_matches(|c: char| c.is_ascii_digit());
    prefix
        .chars()
        .rev()
        .take(14)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// The date of the feedback: in the sentence that speaks of 反馈, the last
/// date before the word (`2021年8月26日，……反馈了`, `并于7月8日反馈`), else the
/// first after it; never one of the inspection's own dates.
fn feedback(
    text: &str,
    mentions: &[dates::Mention],
    used: &[usize],
    context: Option<Day>,
) -> Option<Day> {
    let year = context;
    let mut offset = 0;
    for sentence in text.split_inclusive(['。', '；', ';']) {
        let range = offset..offset + sentence.len();
        offset += sentence.len();
        let Some(at) = sentence.find("反馈").map(|i| range.start + i) else {
            continue;
        };
        let candidates: Vec<&dates::Mention> = mentions
            .iter()
            .enumerate()
            .filter(|(i, m)| range.contains(&m.start) && !used.contains(i))
            .map(|(_, m)| m)
            .collect();
        let Some(m) = candidates
            .iter()
            .rev()
            .find(|m| m.end <= at)
            .or_else(|| candidates.iter().find(|m| m.start >= at))
        else {
            continue;
        };
        let day = m.day_in(year.map(Day::year))?;
        // `12月……反馈` after an inspection ending in a later month is next year's.
        return match (m.year, year) {
            (None, Some(end)) if day < end => m.day_in(Some(end.year() + 1)),
            _ => Some(day),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(d: Option<Day>) -> Option<String> {
        d.map(Day::iso)
    }

    #[test]
    fn periods_of_months_and_their_parts() {
        let period = |text: &str| months(text).map(|(a, b)| (a.iso(), b.iso()));
        let days = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(
            period("2022年3月至5月，县委第一巡察组"),
            days("2022-03-01", "2022-05-31")
        );
        assert_eq!(
            period("2024年4月上旬至7月上旬，县委第二巡察组"),
            days("2024-04-01", "2024-07-10")
        );
        assert_eq!(
            period("2023年2月中旬至4月下旬，县委巡察组"),
            days("2023-02-11", "2023-04-30")
        );
        assert_eq!(
            period("2022年11月底至2023年1月初，县委巡察组"),
            days("2022-11-21", "2023-01-10")
        );
        assert_eq!(
            period("2024年11月下旬，县委第二巡察组"),
            days("2024-11-21", "2024-11-30")
        );
        // `月中` is no part: `3月中央……` is a month, then a word.
        assert_eq!(
            period("2022年3月中央巡视组"),
            days("2022-03-01", "2022-03-31")
        );
    }

    #[test]
    fn the_seeds_opening_formula() {
        let text = "根据区委统一部署，2021年4月28日至2021年8月26日，区委第一巡察组对政协机关进行了巡察。2021年8月26日，区委巡察组向政协机关反馈了巡察意见。按照党务公开原则和巡察工作有关要求，现将巡察整改阶段性进展情况予以公布。";
        let i = inspection(text, None).unwrap();
        assert_eq!(i.kind, InspectionKind::Xuncha);
        assert_eq!(i.group.as_deref().unwrap(), "区委第一巡察组");
        assert_eq!(iso(i.start).as_deref(), Some("2021-04-28"));
        assert_eq!(iso(i.end).as_deref(), Some("2021-08-26"));
        assert_eq!(iso(i.feedback).as_deref(), Some("2021-08-26"));
    }

    #[test]
    fn other_opening_formulas() {
        let i = inspection("根据市委统一部署，十二届市委第一巡察组于2022年3月10日至5月10日对市档案馆党组开展了常规巡察，并于7月8日反馈了巡察意见。", None).unwrap();
        assert_eq!(i.group.as_deref().unwrap(), "十二届市委第一巡察组");
        // A cross inspection's group is numbered after its kind.
        let cross = inspection(
            "2024年3月11日至5月10日，市委交叉巡察第五组对县财政局党组进行了交叉巡察。",
            None,
        )
        .unwrap();
        assert_eq!(cross.group.as_deref(), Some("市委交叉巡察第五组"));
        assert_eq!(iso(cross.start).as_deref(), Some("2024-03-11"));
        assert_eq!(iso(i.end).as_deref(), Some("2022-05-10"));
        assert_eq!(iso(i.feedback).as_deref(), Some("2022-07-08"));
        let i = inspection(
            "按照县委部署，县委巡察二组于二〇二三年三月一日进驻县林业局开展巡察。",
            None,
        )
        .unwrap();
        assert_eq!(i.group.as_deref().unwrap(), "县委巡察二组");
        assert_eq!(iso(i.start).as_deref(), Some("2023-03-01"));
        assert_eq!(i.end, None);
        let i = inspection("县委巡察二组于2023年3月1日进驻县供销社开展巡察，于2023年4月28日结束巡察，2023年5月20日反馈了巡察意见。", None).unwrap();
        assert_eq!(iso(i.start).as_deref(), Some("2023-03-01"));
        assert_eq!(iso(i.end).as_deref(), Some("2023-04-28"));
        assert_eq!(iso(i.feedback).as_deref(), Some("2023-05-20"));
        let i = inspection("2019年10月8日至12月20日，省委第三巡视组对我厅开展了专项巡视。2020年1月6日，巡视组反馈了意见。", None).unwrap();
        assert_eq!(i.kind, InspectionKind::Xunshi);
        assert_eq!(i.group.as_deref().unwrap(), "省委第三巡视组");
        let i = inspection("区委专项巡察组对区卫健局开展了专项巡察。", None).unwrap();
        assert_eq!(i.group.as_deref().unwrap(), "区委专项巡察组");
        // Several groups at once name none.
        let i = inspection(
            "2021年11月8日至12月20日，区委组建4个巡察组对区民政局等4家单位开展常规巡察。",
            None,
        )
        .unwrap();
        assert_eq!((i.group, i.kind), (None, InspectionKind::Xuncha));
        assert!(i.start.is_some() && i.end.is_some());
        let i = inspection("省委派出十个巡视组进驻。", None).unwrap();
        assert_eq!(i.group, None);
    }

    #[test]
    fn ducha_openings() {
        let i = inspection("2022年4月至5月，中央第三生态环境保护督察组对我省开展了第二轮督察，并于7月反馈了督察意见。", None).unwrap();
        assert_eq!(i.kind, InspectionKind::Ducha);
        assert_eq!(i.group.as_deref(), Some("中央第三生态环境保护督察组"));
        assert_eq!(iso(i.start).as_deref(), Some("2022-04-01"));
        assert_eq!(iso(i.end).as_deref(), Some("2022-05-31"));
        let i = inspection("2023年11月22日至12月22日，省第二生态环境保护督察组对我县开展了例行督察，并于2024年3月15日向我县反馈了督察意见。", None).unwrap();
        assert_eq!(i.kind, InspectionKind::Ducha);
        assert_eq!(i.group.as_deref(), Some("省第二生态环境保护督察组"));
        assert_eq!(iso(i.end).as_deref(), Some("2023-12-22"));
        assert_eq!(iso(i.feedback).as_deref(), Some("2024-03-15"));
    }

    #[test]
    fn feedback_without_a_year_takes_the_periods() {
        // One month only: its days, and its year for the feedback.
        let i = inspection(
            "2024年11月，县委第二巡察组对县文旅局党组开展了常规巡察，12月30日反馈了巡察意见。",
            None,
        )
        .unwrap();
        assert_eq!(iso(i.start).as_deref(), Some("2024-11-01"));
        assert_eq!(iso(i.end).as_deref(), Some("2024-11-30"));
        assert_eq!(iso(i.feedback).as_deref(), Some("2024-12-30"));
        // No year in the opening at all: the bulletin's, or the one before.
        let text = "县委第二巡察组于11月4日至12月20日对县文旅局党组开展了常规巡察，1月15日反馈了巡察意见。";
        let published = Day::parse("2025-03-10").ok();
        let i = inspection(text, published).unwrap();
        assert_eq!(iso(i.start).as_deref(), Some("2024-11-04"));
        assert_eq!(iso(i.end).as_deref(), Some("2024-12-20"));
        assert_eq!(iso(i.feedback).as_deref(), Some("2025-01-15"));
        assert_eq!(inspection(text, None).unwrap().start, None);
        // Told in the next paragraph.
        let i = inspection(
            "2024年10月14日至11月29日，县委第二巡察组对县文旅局党组开展了常规巡察。",
            None,
        )
        .unwrap();
        assert_eq!(i.feedback, None);
        let later = feedback_after("12月30日，县委第二巡察组向县文旅局党组反馈了巡察意见。", &i);
        assert_eq!(iso(later).as_deref(), Some("2024-12-30"));
        assert_eq!(feedback_after("现将整改情况公布如下。", &i), None);
    }
}
