//! The 索引号 of imported (and new) notices, from the site's
//! `index_number` pattern: each the next of its unit and year after those
//! the site's notices have and those given earlier in the same import, in
//! order of publication.
//! A notice that replaces one (`--force`) keeps that one's number: a
//! published number never changes.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::{IndexPattern, NumberFor, SiteConfig};
use crate::content::{Day, UnitId};

/// What became of a notice's number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Number {
    /// A new number.
    Assigned(String),
    /// The number of the notice it replaces.
    Kept(String),
    /// None could be made: why.
    Missing(String),
}

impl Number {
    /// The number to write, if any.
    pub fn value(&self) -> Option<&str> {
        match self {
            Number::Assigned(n) | Number::Kept(n) => Some(n),
            Number::Missing(_) => None,
        }
    }
}

/// One notice to number.
pub struct Numbering {
    pub path: PathBuf,
    pub date: Day,
    /// `None`: the notice is in no unit (a site without units, or a body
    /// that is no unit yet).
    pub unit: Option<UnitId>,
    /// Whether the site declares units (then a notice in none has none).
    pub has_units: bool,
}

/// Numbers `notices`, in order of date then path. `existing` are the
/// numbers of the site's notices, by their path (relative to the root).
pub fn number(
    pattern: &IndexPattern,
    config: &SiteConfig,
    existing: &HashMap<PathBuf, String>,
    notices: &[Numbering],
) -> Vec<Number> {
    let mut order: Vec<usize> = (0..notices.len()).collect();
    order.sort_by(|&a, &b| {
        (notices[a].date, &notices[a].path).cmp(&(notices[b].date, &notices[b].path))
    });
    // The last number of each sequence (a unit's year, or the site's year
    // when the pattern has no unit): the site's numbers are read once per
    // sequence the import adds to, not once per notice.
    let mut last: HashMap<(Option<UnitId>, i16), String> = HashMap::new();
    let mut out = vec![Number::Missing(String::new()); notices.len()];
    for i in order {
        let n = &notices[i];
        if let Some(kept) = existing.get(&n.path) {
            out[i] = Number::Kept(kept.clone());
            continue;
        }
        let unit = n.unit.map(|u| config.unit(u));
        if pattern.uses_unit() && unit.is_none() {
            let why = if n.has_units {
                "发布单位还不是 site.yaml 里的单位，索引号要用单位的 code：按报告最后的建议加上这个单位后，删掉这篇通报再导入一次即可编号"
            } else {
                "索引号格式用到了单位，但 site.yaml 没有 units"
            };
            out[i] = Number::Missing(why.to_string());
            continue;
        }
        let of = NumberFor {
            unit_code: unit
                .and_then(|u| u.code.as_deref())
                .map(str::trim)
                .filter(|c| !c.is_empty()),
            unit_slug: unit.map(|u| u.slug.as_str()),
            year: n.date.year(),
        };
        let sequence = (n.unit.filter(|_| pattern.uses_unit()), of.year);
        let next = match last.get(&sequence) {
            Some(previous) => pattern.next(of, std::iter::once(previous.as_str())),
            None => pattern.next(of, existing.values().map(String::as_str)),
        };
        out[i] = match next {
            Some(number) => {
                last.insert(sequence, number.clone());
                Number::Assigned(number)
            }
            None => Number::Missing(format!(
                "单位 {} 没有 code，编不了索引号：请在 site.yaml 里给这个单位写上 code（组织机构代码）",
                unit.map_or("", |u| u.slug.as_str())
            )),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config(pattern: &str) -> SiteConfig {
        let text = format!(
            "title: 县\nunits:\n  - {{slug: a, name: 甲局, code: A}}\n  - {{slug: b, name: 乙局, code: B}}\n  - {{slug: c, name: 丙镇}}\nindex_number: \"{pattern}\"\n"
        );
        SiteConfig::parse(&text, Path::new("site.yaml")).expect("a config")
    }

    fn notice(path: &str, date: &str, unit: Option<usize>) -> Numbering {
        Numbering {
            path: PathBuf::from(path),
            date: Day::parse(date).expect("a day"),
            unit: unit.map(UnitId),
            has_units: true,
        }
    }

    fn values(numbers: &[Number]) -> Vec<Option<&str>> {
        numbers.iter().map(Number::value).collect()
    }

    #[test]
    fn each_unit_and_year_counts_on_from_the_sites_numbers() {
        let c = config("{unit.code}-{year}-{seq:3}");
        let pattern = c.index_number.as_ref().expect("a pattern");
        let existing = HashMap::from([
            (PathBuf::from("x.md"), "A-2024-007".to_string()),
            (PathBuf::from("kept.md"), "A-2024-003".to_string()),
        ]);
        let asked = [
            notice("z.md", "2024-12-01", Some(0)),
            notice("y.md", "2024-06-01", Some(0)),
            notice("w.md", "2024-06-01", Some(1)),
            notice("v.md", "2025-01-02", Some(0)),
            notice("kept.md", "2024-01-01", Some(0)),
            notice("u.md", "2024-06-01", Some(2)),
            notice("t.md", "2024-06-01", None),
        ];
        let numbers = number(pattern, &c, &existing, &asked);
        assert_eq!(
            values(&numbers),
            [
                Some("A-2024-009"),
                Some("A-2024-008"),
                Some("B-2024-001"),
                Some("A-2025-001"),
                Some("A-2024-003"),
                None,
                None
            ]
        );
        assert_eq!(numbers[4], Number::Kept("A-2024-003".into()));
        assert!(matches!(&numbers[5], Number::Missing(why) if why.contains("c 没有 code")));
    }

    #[test]
    fn a_pattern_without_units_is_one_sequence_a_year() {
        let c = config("XQ-{year}-{seq}");
        let pattern = c.index_number.as_ref().expect("a pattern");
        let asked = [
            notice("a.md", "2024-01-01", Some(0)),
            notice("b.md", "2024-02-01", Some(1)),
            notice("c.md", "2024-03-01", Some(0)),
        ];
        let numbers = number(pattern, &c, &HashMap::new(), &asked);
        assert_eq!(
            values(&numbers),
            [Some("XQ-2024-1"), Some("XQ-2024-2"), Some("XQ-2024-3")]
        );
    }
}
