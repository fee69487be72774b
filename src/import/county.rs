//! An imported bulletin placed in a county's site: in its unit (by the
//! issuing body's name, short name or alias, exactly after normalisation;
//! a body no unit is called by is proposed as a new unit, never guessed),
//! and in a county round (the one the opening names, else the one whose
//! period holds the inspection's start).

use std::path::{Path, PathBuf};

use gongkai_import::draft::Draft;
use gongkai_import::round_name::RoundName;

use crate::config::county::{closest_unit, normalized_name, round_of_day};
use crate::config::{SiteConfig, Unit};
use crate::content::{CountyRoundId, Day, InspectionKind, Notice, UnitId};
use crate::folders::CONTENT;
use crate::slug;

/// Where a bulletin's issuing body puts it among the site's units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitFit {
    /// The site declares no units: one implicit unit, as before.
    NoUnits,
    /// The unit of this name, short name or alias (`by`, as the bulletin
    /// writes it).
    Unit { id: UnitId, by: String },
    /// No unit is called so: a unit to add to `site.yaml`.
    Unknown(Proposal),
    /// The bulletin names no issuing body, and the site's own is no unit.
    Unnamed,
}

/// A unit to add to `site.yaml`, for a body that no unit is called by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The name as the bulletin writes it.
    pub name: String,
    /// A slug for it: the pinyin of the name without the county's.
    pub slug: String,
    /// The unit whose names are closest, which it may be another name of.
    pub closest: Option<(String, String)>,
}

impl Proposal {
    /// The lines to paste under `units:` in `site.yaml`.
    pub fn yaml(&self, with_code: bool) -> String {
        let mut y = format!(
            "  - slug: {}\n    name: {}\n    # short: 简称\n    # aliases: [通报里的其他写法]\n",
            self.slug,
            crate::yaml::scalar(&self.name)
        );
        if with_code {
            y.push_str("    # code: \"组织机构代码\"   # 编索引号要用\n");
        }
        y
    }
}

/// The unit `organization` names; `None` for the site's default body.
pub fn unit_of(config: &SiteConfig, organization: Option<&str>) -> UnitFit {
    if config.units.is_empty() {
        return UnitFit::NoUnits;
    }
    let Some(name) = organization.or(config.organization.as_deref()) else {
        return UnitFit::Unnamed;
    };
    if let Some(id) = config.unit_names.find(name) {
        return UnitFit::Unit {
            id,
            by: name.to_string(),
        };
    }
    if organization.is_none() {
        return UnitFit::Unnamed;
    }
    UnitFit::Unknown(Proposal {
        name: name.to_string(),
        slug: suggested_slug(name, &config.units),
        closest: near_unit(&config.units, name).map(|u| (u.slug.clone(), u.name.clone())),
    })
}

/// The unit `name` may be another spelling of: the closest unit, when
/// the names are alike once the words all units' names share (中共,
/// the county, 党组) are left out. A proposal for the report only: a
/// notice is never placed by likeness.
fn near_unit<'u>(units: &'u [Unit], name: &str) -> Option<&'u Unit> {
    let unit = closest_unit(units, name)?;
    let core = core_name(name);
    std::iter::once(&unit.name)
        .chain(std::iter::once(&unit.short))
        .chain(&unit.aliases)
        .any(|n| strsim::normalized_levenshtein(&core_name(n), &core) >= NEAR)
        .then_some(unit)
}

/// How alike two core names must be for one to be proposed as the other.
const NEAR: f64 = 0.6;

/// The unit an existing notice of the site belongs to: by its folder
/// (`content/<slug>/…`), else by its `organization`.
pub fn unit_of_notice(config: &SiteConfig, n: &Notice) -> Option<UnitId> {
    n.unit.or_else(|| {
        folder_unit(config, &n.source).or_else(|| config.unit_names.find(&n.organization))
    })
}

/// The unit whose folder `source` (relative to the site) is in.
fn folder_unit(config: &SiteConfig, source: &Path) -> Option<UnitId> {
    let mut parts = source.components().map(|c| c.as_os_str().to_str());
    (parts.next()? == Some(CONTENT))
        .then(|| parts.next().flatten())
        .flatten()
        .and_then(|folder| config.unit_by_slug(folder))
}

/// The folder a notice of `unit` goes to.
pub fn folder(config: &SiteConfig, unit: Option<UnitId>) -> PathBuf {
    let name = unit.map_or("notices", |u| config.unit(u).slug.as_str());
    PathBuf::from(CONTENT).join(name)
}

/// `中共某某县自然资源局党组` → `zi-ran-zi-yuan-ju`: the pinyin of its
/// [`core_name`], distinct from the site's units' slugs.
fn suggested_slug(name: &str, units: &[Unit]) -> String {
    let base = slug::short(&core_name(name), "unit");
    let mut slug = base.clone();
    let mut n = 2;
    while units.iter().any(|u| u.slug == slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// `中共某某县自然资源局党组` → `自然资源局`: a unit's name without the
/// Party prefix, the county's name and the committee's suffix.
fn core_name(name: &str) -> String {
    let name = normalized_name(name);
    let mut core = name.as_str();
    core = core.strip_prefix("中共").unwrap_or(core);
    for suffix in [
        "党组",
        "党委",
        "党工委",
        "工作委员会",
        "委员会",
        "党总支",
        "总支部委员会",
        "支部委员会",
    ] {
        if let Some(rest) = core.strip_suffix(suffix)
            && !rest.is_empty()
        {
            core = rest;
            break;
        }
    }
    // `某某县` before the department's name.
    let county_end = core
        .char_indices()
        .take(6)
        .find(|(_, c)| "县区市旗州".contains(*c))
        .map(|(i, c)| i + c.len_utf8());
    if let Some(end) = county_end
        && end < core.len()
    {
        core = &core[end..];
    }
    core.to_string()
}

/// A bulletin's county round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundFit {
    pub id: CountyRoundId,
    pub how: RoundHow,
}

/// How the round was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoundHow {
    /// The bulletin names it, as written.
    Read(String),
    /// The round's period holds the inspection's start.
    Inferred(Day),
}

/// The county round of the bulletin's inspection, with notes on what did
/// not agree (line number and message).
pub fn round_of(config: &SiteConfig, draft: &Draft) -> (Option<RoundFit>, Vec<(usize, String)>) {
    let mut notes = Vec::new();
    if config.rounds.is_empty() {
        return (None, notes);
    }
    let Some(inspection) = &draft.inspection else {
        if let Some(named) = &draft.round {
            notes.push((named.no, format!("原文写了“{}”，但没有识别出巡察情况，没有写 inspection.round：请补写 inspection", named.value.text)));
        }
        return (None, notes);
    };
    // A county's rounds are its 巡察 (or what their names say): a 督察
    // in the same months is none of them.
    let inferred = inspection.start.and_then(|start| {
        let id = round_of_day(&config.rounds, start)?;
        let kind = RoundName::find(&config.county_round(id).name)
            .map_or(InspectionKind::Xuncha, |n| n.kind);
        (kind == inspection.kind).then_some(RoundFit {
            id,
            how: RoundHow::Inferred(start),
        })
    });
    let Some(named) = &draft.round else {
        return (inferred, notes);
    };
    let fitting: Vec<CountyRoundId> = config
        .rounds
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            RoundName::find(&r.name).is_some_and(|name| named.value.fits(&name))
                || normalized_name(&r.name) == normalized_name(&named.value.text)
        })
        .map(|(i, _)| CountyRoundId(i))
        .collect();
    let ids = || {
        config
            .rounds
            .iter()
            .map(|r| format!("{}（{}）", r.id, r.name))
            .collect::<Vec<_>>()
            .join("、")
    };
    match fitting.as_slice() {
        [id] => {
            let round = config.county_round(*id);
            if let Some(start) = inspection.start
                && !round.contains(start)
            {
                notes.push((
                    named.no,
                    format!(
                        "巡察开始日期 {} 不在{}的时间（{} 至 {}）里，轮次按原文写，请核对",
                        start.iso(),
                        round.name,
                        round.start.iso(),
                        round.end.iso()
                    ),
                ));
            }
            let how = RoundHow::Read(named.value.text.clone());
            (Some(RoundFit { id: *id, how }), notes)
        }
        [] => {
            notes.push((
                named.no,
                format!(
                    "原文写的“{}”不是 site.yaml 里的巡察轮次（有：{}）{}",
                    named.value.text,
                    ids(),
                    if inferred.is_some() {
                        "，轮次按巡察开始日期推断"
                    } else {
                        ""
                    }
                ),
            ));
            (inferred, notes)
        }
        _ => {
            notes.push((named.no, format!("原文写的“{}”可以是 site.yaml 里的几轮巡察（有：{}），请在 site.yaml 的轮次名称里写明第几届{}", named.value.text, ids(),
                if inferred.is_some() { "；轮次暂按巡察开始日期推断" } else { "" })));
            (inferred, notes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> SiteConfig {
        let text = "title: 县\nunits:\n  - {slug: wenlv, name: 中共某某县文化和旅游局党组, short: 县文旅局, aliases: [某某县文化和旅游局]}\n  - {slug: weijian, name: 中共某某县卫生健康局党组, short: 县卫健局}\n";
        SiteConfig::parse(text, Path::new("site.yaml")).expect("a config")
    }

    #[test]
    fn a_body_is_its_unit_only_by_one_of_its_names() {
        let c = config();
        let fit = |name: &str| match unit_of(&c, Some(name)) {
            UnitFit::Unit { id, .. } => Some(c.unit(id).slug.clone()),
            _ => None,
        };
        assert_eq!(fit("县文旅局").as_deref(), Some("wenlv"));
        assert_eq!(fit("某某县文化和旅游局").as_deref(), Some("wenlv"));
        assert_eq!(
            fit("中国共产党某某县卫生健康局党组").as_deref(),
            Some("weijian")
        );
        // One word apart is another body, proposed and never placed.
        let UnitFit::Unknown(p) = unit_of(&c, Some("中共某某县卫生健康局党委")) else {
            panic!("a near name is placed");
        };
        assert_eq!(p.slug, "wei-sheng-jian-kang-ju");
        assert_eq!(p.closest.map(|(slug, _)| slug).as_deref(), Some("weijian"));
        let UnitFit::Unknown(p) = unit_of(&c, Some("中共某某县自然资源局党组")) else {
            panic!("an unknown body is placed");
        };
        assert_eq!(p.slug, "zi-ran-zi-yuan-ju");
        assert_eq!(p.closest, None, "alike only in the county's words");
        assert!(
            p.yaml(true)
                .contains("  - slug: zi-ran-zi-yuan-ju\n    name: 中共某某县自然资源局党组\n")
        );
    }

    #[test]
    fn the_folder_of_a_notice_names_its_unit() {
        let c = config();
        assert_eq!(
            folder_unit(&c, Path::new("content/weijian/a.md")),
            Some(UnitId(1))
        );
        assert_eq!(folder_unit(&c, Path::new("content/notices/a.md")), None);
        assert_eq!(folder(&c, Some(UnitId(0))), Path::new("content/wenlv"));
        assert_eq!(folder(&c, None), Path::new("content/notices"));
    }
}
