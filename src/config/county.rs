//! One site for a whole county: the units that publish on it (县直部门、
//! 乡镇（街道）…), the county's inspection rounds (十四届县委第六轮巡察)
//! that each inspect several units, and the pattern of the 索引号.
//!
//! Most county departments and townships have no website of their own:
//! their disclosures are columns of the county's site. A unit is declared
//! once, with the names bulletins call it by; a notice belongs to the unit
//! whose folder it is in (`content/<slug>/…`) or whose name its
//! `organization` is. A site that declares no units is one implicit unit.

use std::path::Path;

use serde::Deserialize;

use super::{IndexPattern, SiteConfig};
use crate::content::{Contact, CountyRoundId, Day, Notice, UnitId};
use crate::diagnostic::{Code, Diagnostic};
use crate::yaml::{self, Seg};

/// A unit of the county: a department, a township, a school.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Its address (`units/<slug>/`) and its folder (`content/<slug>/`):
    /// ASCII letters, digits and `-`.
    #[serde(deserialize_with = "yaml::required")]
    pub slug: String,
    /// Full name: 中共某某县文化和旅游局党组.
    #[serde(deserialize_with = "yaml::required")]
    pub name: String,
    /// Short name: 县文旅局; the full name when not given.
    #[serde(default)]
    pub short: String,
    /// Other spellings bulletins use for it.
    #[serde(default, deserialize_with = "yaml::one_or_many")]
    pub aliases: Vec<String>,
    /// The organisation code its 索引号 start with.
    #[serde(default, deserialize_with = "yaml::text")]
    pub code: Option<String>,
    /// Its supervision contact, for its notices that give none.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Its review policy; the site's `require_review` when not given.
    #[serde(default)]
    pub review: UnitReview,
}

/// How a unit's notices are reviewed before publication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitReview {
    /// Notices without an approval record are not published.
    #[serde(default)]
    pub required: Option<bool>,
}

/// A county round as `site.yaml` writes it; [`CountyRound`] once its dates
/// are read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCountyRound {
    #[serde(deserialize_with = "yaml::required")]
    pub id: String,
    #[serde(deserialize_with = "yaml::required")]
    pub name: String,
    #[serde(default, deserialize_with = "yaml::text")]
    pub start: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub end: Option<String>,
}

/// One round of the county's inspections, covering several units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyRound {
    /// Its address (`rounds/<id>/`) and what `inspection.round` names.
    pub id: String,
    /// 十四届县委第六轮巡察
    pub name: String,
    pub start: Day,
    pub end: Day,
}

impl CountyRound {
    /// Whether `day` is in the round's period.
    pub fn contains(&self, day: Day) -> bool {
        self.start <= day && day <= self.end
    }
}

/// A name as bulletins are compared by: full-width letters and digits as
/// ASCII, without spaces or the dots and brackets that vary, and
/// 中国共产党 as 中共.
pub fn normalized_name(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && !"·•．.()（）".contains(*c))
        .collect();
    folded.replace("中国共产党", "中共")
}

/// The units of a site, with what they are called, for finding a
/// notice's unit by the name it gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitNames {
    /// Each normalized name, short name and alias, with its unit, sorted.
    names: Vec<(String, UnitId)>,
}

impl UnitNames {
    pub fn new(units: &[Unit]) -> UnitNames {
        let mut names: Vec<(String, UnitId)> = units
            .iter()
            .enumerate()
            .flat_map(|(i, u)| {
                let id = UnitId(i);
                std::iter::once(&u.name)
                    .chain(std::iter::once(&u.short))
                    .chain(&u.aliases)
                    .map(move |n| (normalized_name(n), id))
            })
            .filter(|(n, _)| !n.is_empty())
            .collect();
        names.sort();
        names.dedup();
        UnitNames { names }
    }

    /// The unit called `name`, if exactly one is.
    pub fn find(&self, name: &str) -> Option<UnitId> {
        let key = normalized_name(name);
        let at = self.names.partition_point(|(n, _)| *n < key);
        let mut found = self.names[at..].iter().take_while(|(n, _)| *n == key);
        let first = found.next()?.1;
        found.all(|(_, u)| *u == first).then_some(first)
    }

    /// Names that two units share: a bulletin using one could be either's.
    pub fn shared(&self) -> Vec<(&str, UnitId, UnitId)> {
        self.names
            .windows(2)
            .filter(|w| w[0].0 == w[1].0 && w[0].1 != w[1].1)
            .map(|w| (w[0].0.as_str(), w[0].1, w[1].1))
            .collect()
    }
}

impl SiteConfig {
    /// The supervision contacts a notice shows (its page, its Word copy):
    /// its own, else its unit's, else the site's.
    pub fn contact_of<'a>(&'a self, n: &'a Notice) -> Option<&'a Contact> {
        n.contact
            .as_ref()
            .or(n.unit.and_then(|u| self.unit(u).contact.as_ref()))
            .or(self.contact.as_ref())
    }
}

/// The unit whose name is closest to `name`, for the hint of an
/// organization that matches none.
pub fn closest_unit<'u>(units: &'u [Unit], name: &str) -> Option<&'u Unit> {
    let key = normalized_name(name);
    let score = |u: &Unit| {
        std::iter::once(&u.name)
            .chain(std::iter::once(&u.short))
            .chain(&u.aliases)
            .map(|n| strsim::normalized_levenshtein(&normalized_name(n), &key))
            .fold(0.0_f64, f64::max)
    };
    units
        .iter()
        .map(|u| (u, score(u)))
        .filter(|(_, s)| *s > 0.3)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(u, _)| u)
}

/// The county round whose period contains `day`.
pub fn round_of_day(rounds: &[CountyRound], day: Day) -> Option<CountyRoundId> {
    rounds
        .iter()
        .position(|r| r.contains(day))
        .map(CountyRoundId)
}

/// Reads what `site.yaml` says of the county: checks the units, reads
/// the rounds' dates and the 索引号 pattern into `config`, and returns
/// every mistake, placed in the file. Warnings go to `config.warnings`.
pub(super) fn read(config: &mut SiteConfig, text: &str, file: &Path) -> Vec<Diagnostic> {
    let at = |path: &[Seg<'_>], message: String, help: &str| {
        let (line, column) = yaml::locate(text, path).unwrap_or((1, 1));
        Diagnostic::error(Code::Config, file, message)
            .at(line, column)
            .with_source(text)
            .help(help)
    };
    let mut errors = check_units(&config.units, &config.unit_names, &at);
    let (rounds, round_errors) = read_rounds(&config.rounds_written, &at);
    config.rounds = rounds;
    errors.extend(round_errors);
    if let Some(written) = config.index_number_text.clone() {
        match IndexPattern::parse(&written) {
            Ok(pattern) => {
                let (pattern, problems) = check_pattern(pattern, &config.units, &at);
                config.index_number = pattern;
                for (d, is_error) in problems {
                    if is_error {
                        errors.push(d);
                    } else {
                        config.warnings.push(d.as_warning());
                    }
                }
            }
            Err(e) => {
                let d = at(
                    &[Seg::Key("index_number")],
                    format!("索引号格式不对：{}", e.message),
                    PATTERN_HELP,
                );
                errors.push(d);
            }
        }
    }
    errors
}

const PATTERN_HELP: &str = "索引号格式可用的占位符：{unit.code}（单位的组织机构代码）、{unit.slug}、{year}（发布年份）、{seq} 或 {seq:05}（本单位本年的流水号，补零到 5 位），例如 index_number: \"{unit.code}/{year}-{seq:05}\"";

type At<'a> = dyn Fn(&[Seg<'_>], String, &str) -> Diagnostic + 'a;

/// Slugs usable as addresses and distinct; no name that two units share.
fn check_units(units: &[Unit], names: &UnitNames, at: &At<'_>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (i, u) in units.iter().enumerate() {
        let slug_at = [Seg::Key("units"), Seg::Index(i), Seg::Key("slug")];
        if !crate::slug::is_valid(&u.slug) {
            errors.push(at(&slug_at, format!("单位的 slug“{}”不能用作网址", u.slug),
                format!("slug 只能用小写英文字母、数字和连字符（-），例如 wenlv、xiangzhen-1{}；它也是这个单位的通报文件夹 content/<slug>/ 的名字。", crate::slug::reserved_hint(&u.slug)).as_str()));
        }
        if units[..i].iter().any(|o| o.slug == u.slug) {
            errors.push(at(
                &slug_at,
                format!("单位的 slug“{}”重复了", u.slug),
                "每个单位的 slug 必须不同。",
            ));
        }
    }
    for (name, a, b) in names.shared() {
        let path = [Seg::Key("units"), Seg::Index(b.0)];
        errors.push(at(
            &path,
            format!(
                "“{name}”同时是 {} 和 {} 的名称（或简称、别名）",
                units[a.0].slug, units[b.0].slug
            ),
            "通报写这个名称时不知道是哪个单位的：请删掉其中一个单位的这个简称或别名。",
        ));
    }
    errors
}

/// The rounds with their dates read; ids distinct, periods in order and
/// apart, so that a date names at most one round.
fn read_rounds(written: &[RawCountyRound], at: &At<'_>) -> (Vec<CountyRound>, Vec<Diagnostic>) {
    let mut rounds: Vec<CountyRound> = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in written.iter().enumerate() {
        let field = |key: &'static str| [Seg::Key("rounds"), Seg::Index(i), Seg::Key(key)];
        if !crate::slug::is_valid(&r.id) {
            errors.push(at(
                &field("id"),
                format!("巡察轮次的 id“{}”不能用作网址", r.id),
                "id 只能用小写英文字母、数字和连字符（-），例如 14-6 或 2024-1。",
            ));
        }
        if written[..i].iter().any(|o| o.id == r.id) {
            errors.push(at(
                &field("id"),
                format!("巡察轮次的 id“{}”重复了", r.id),
                "每一轮的 id 必须不同。",
            ));
        }
        let mut day = |key: &'static str, value: &Option<String>| -> Option<Day> {
            let Some(text) = value else {
                errors.push(at(
                    &[Seg::Key("rounds"), Seg::Index(i)],
                    format!("巡察轮次“{}”没有写 {key}", r.name),
                    "每一轮都要写起止日期，例如 start: 2024-03-01 和 end: 2024-05-31。",
                ));
                return None;
            };
            Day::parse(text)
                .map_err(|e| {
                    errors.push(at(&field(key), e, "日期写成 2024-03-01 或 2024年3月1日。"))
                })
                .ok()
        };
        let (start, end) = (day("start", &r.start), day("end", &r.end));
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        if end < start {
            errors.push(at(
                &field("end"),
                format!("巡察轮次“{}”的结束日期早于开始日期", r.name),
                "请检查 start 和 end。",
            ));
            continue;
        }
        if let Some(other) = rounds.iter().find(|o| o.start <= end && start <= o.end) {
            errors.push(at(&field("start"), format!("巡察轮次“{}”与“{}”的时间重叠", r.name, other.name),
                "一个日期只能属于一轮巡察：没有写 inspection.round 的通报按巡察开始日期归入轮次。请改正起止日期。"));
            continue;
        }
        rounds.push(CountyRound {
            id: r.id.clone(),
            name: r.name.clone(),
            start,
            end,
        });
    }
    (rounds, errors)
}

/// A pattern that needs units' codes: every unit must have one, and the
/// site must have units at all. Each finding with whether it is an error.
fn check_pattern(
    pattern: IndexPattern,
    units: &[Unit],
    at: &At<'_>,
) -> (Option<IndexPattern>, Vec<(Diagnostic, bool)>) {
    if !pattern.uses_unit() {
        return (Some(pattern), Vec::new());
    }
    if units.is_empty() {
        let d = at(
            &[Seg::Key("index_number")],
            "索引号格式用到了单位（{unit.…}），但 site.yaml 没有 units".into(),
            "没有 units 的站点请把单位的组织机构代码直接写进格式，例如 index_number: \"11441234MB2C12345X/{year}-{seq:05}\"",
        );
        return (None, vec![(d, true)]);
    }
    let missing = units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.code.as_deref().is_none_or(|c| c.trim().is_empty()))
        .map(|(i, u)| {
            let d = at(&[Seg::Key("units"), Seg::Index(i)], format!("单位 {} 没有 code，无法按格式编索引号", u.slug),
                "写上这个单位的组织机构代码（或统一社会信用代码），例如 code: \"11441234MB2C12345X\"");
            (d, false)
        })
        .collect();
    (Some(pattern), missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(slug: &str, name: &str, short: &str, aliases: &[&str]) -> Unit {
        Unit {
            slug: slug.into(),
            name: name.into(),
            short: short.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            code: None,
            contact: None,
            review: UnitReview::default(),
        }
    }

    #[test]
    fn a_unit_is_found_by_any_of_its_names_as_bulletins_write_them() {
        let units = [
            unit(
                "wenlv",
                "中共某某县文化和旅游局党组",
                "县文旅局",
                &["某某县文化和旅游局"],
            ),
            unit("jiaoyu", "中共某某县教育局委员会", "县教育局", &[]),
        ];
        let names = UnitNames::new(&units);
        assert_eq!(names.find("中共某某县文化和旅游局党组"), Some(UnitId(0)));
        assert_eq!(
            names.find("中国共产党某某县文化和旅游局党组"),
            Some(UnitId(0))
        );
        assert_eq!(names.find("县文旅局"), Some(UnitId(0)));
        assert_eq!(names.find(" 某某县文化和旅游局 "), Some(UnitId(0)));
        assert_eq!(names.find("县教育局"), Some(UnitId(1)));
        assert_eq!(names.find("县卫健局"), None);
        assert!(names.shared().is_empty());
    }

    #[test]
    fn a_name_two_units_share_finds_neither() {
        let units = [
            unit("a", "甲局", "县局", &[]),
            unit("b", "乙局", "县局", &[]),
        ];
        let names = UnitNames::new(&units);
        assert_eq!(names.find("县局"), None);
        assert_eq!(names.shared().len(), 1);
    }

    #[test]
    fn the_closest_unit_is_named_in_the_hint() {
        let units = [
            unit("wenlv", "中共某某县文化和旅游局党组", "县文旅局", &[]),
            unit("jiaoyu", "中共某某县教育局委员会", "县教育局", &[]),
        ];
        let close = closest_unit(&units, "中共某某县文化旅游局党组");
        assert_eq!(close.map(|u| u.slug.as_str()), Some("wenlv"));
        assert!(closest_unit(&units, "完全无关").is_none());
    }
}
