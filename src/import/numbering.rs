//! The 索引号 of imported notices, from the site's `index_number` pattern:
//! each the next of its unit and year after those the site's notices have
//! and those given earlier in the same import, in order of publication.
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
    let mut given: Vec<String> = Vec::new();
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
        let taken = existing.values().chain(&given).map(String::as_str);
        out[i] = match pattern.next(of, taken) {
            Some(number) => {
                given.push(number.clone());
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
