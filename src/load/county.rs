//! A notice's place in a county's site: its unit, by the folder it is in
//! (`content/<unit slug>/…`) or by the name its `organization` gives, and
//! the county round its `inspection.round` names.

use std::path::Component;

use crate::config::county;
use crate::content::{CountyRoundId, UnitId};
use crate::diagnostic::Code;
use crate::folders::CONTENT;
use crate::yaml::Seg;

use super::validate::Checker;

impl Checker<'_> {
    /// The notice's unit, when the site declares units: the unit whose
    /// folder it is in, or else the one its `organization` names. `given`
    /// is the `organization` as written, `organization` what it became.
    pub(super) fn unit(
        &mut self,
        given: Option<&str>,
        folder: Option<UnitId>,
        organization: &str,
    ) -> Option<UnitId> {
        let config = self.config?;
        if config.units.is_empty() {
            return None;
        }
        let given = given.map(str::trim).filter(|o| !o.is_empty());
        let named = given.and_then(|o| config.unit_names.find(o));
        match (folder, named) {
            (Some(f), Some(n)) if f != n => {
                let (folder, named) = (config.unit(f), config.unit(n));
                self.error(
                    Code::UnknownUnit,
                    &[Seg::Key("organization")],
                    format!(
                        "这篇通报在 {} 的文件夹里，发布单位却是 {}",
                        folder.slug, named.name
                    ),
                    format!(
                        "请把它移到 content/{}/ 文件夹，或改正 organization。",
                        named.slug
                    ),
                );
                Some(f)
            }
            (Some(f), _) => Some(f),
            (None, Some(n)) => Some(n),
            (None, None) => {
                // The site's default body may be a unit too.
                let default = config.unit_names.find(organization);
                if default.is_none() && !organization.is_empty() {
                    self.unknown_unit(organization, given.is_some());
                }
                default
            }
        }
    }

    /// The unit whose folder the notice is in: `content/<slug>/…`.
    pub(super) fn folder_unit(&self) -> Option<UnitId> {
        let config = self.config?;
        let mut parts = self.src.file.components();
        let first = parts.next()?;
        if first != Component::Normal(CONTENT.as_ref()) {
            return None;
        }
        let Some(Component::Normal(folder)) = parts.next() else {
            return None;
        };
        // A file directly in content/ has no folder.
        parts.next()?;
        config.unit_by_slug(folder.to_str()?)
    }

    /// An `organization` that is none of the units': the error names the
    /// closest unit, and how to say which one it is.
    fn unknown_unit(&mut self, organization: &str, written: bool) {
        let Some(config) = self.config else { return };
        let slugs: Vec<&str> = config.units.iter().map(|u| u.slug.as_str()).collect();
        let help = match county::closest_unit(&config.units, organization) {
            Some(u) => format!(
                "是不是 {}（{}）？名称不同时，请在 site.yaml 里给这个单位加一个别名（aliases），或把通报放进 content/{}/ 文件夹。",
                u.name, u.slug, u.slug
            ),
            None => format!(
                "site.yaml 声明的单位：{}。请写其中一个单位的名称、简称或别名，把通报放进 content/<单位 slug>/ 文件夹，或在 units 里加上这个单位。",
                slugs.join("、")
            ),
        };
        let message = if written {
            format!("发布单位“{organization}”不是 site.yaml 里任何一个单位")
        } else {
            "这篇通报不属于 site.yaml 里的任何一个单位".to_string()
        };
        let at = [Seg::Key("organization")];
        if written {
            self.error_on_value(Code::UnknownUnit, &at, organization, message, help);
        } else {
            self.error(Code::UnknownUnit, &at, message, help);
        }
    }

    /// The county round `inspection.round` names.
    pub(super) fn county_round(&mut self, id: &str) -> Option<CountyRoundId> {
        let config = self.config?;
        let id = id.trim();
        if let Some(found) = config.county_round_by_id(id) {
            return Some(found);
        }
        let known: Vec<String> = config
            .rounds
            .iter()
            .map(|r| format!("{}（{}）", r.id, r.name))
            .collect();
        let help = if known.is_empty() {
            "site.yaml 没有声明 rounds：先在 site.yaml 里写各轮巡察（id、name、start、end），或删掉 inspection.round。".to_string()
        } else {
            format!("site.yaml 里的巡察轮次：{}", known.join("、"))
        };
        self.error_on_value(
            Code::CountyRound,
            &[Seg::Key("inspection"), Seg::Key("round")],
            id,
            format!("巡察轮次“{id}”不在 site.yaml 的 rounds 里"),
            help,
        );
        None
    }
}
