//! The part of an import's report about a county's site: the unit a
//! bulletin went to (or the unit to add for it), its county round and how
//! it was decided, its 索引号 and its 成文日期; and, once for the whole
//! import, the `units:` lines to paste into `site.yaml`.

use std::fmt;
use std::path::PathBuf;

use super::county::{Proposal, RoundHow};
use super::numbering::Number;
use crate::config::county::normalized_name;
use crate::content::Day;

/// Where the bulletin stands in the site, for the person who imports.
#[derive(Debug, Clone, Default)]
pub struct CountyReport {
    pub unit: Option<UnitReport>,
    /// The county round: id, name, and how it was decided.
    pub round: Option<(String, String, RoundHow)>,
    pub index_number: Option<Number>,
    /// The number the old site gave it.
    pub stated_index_number: Option<String>,
    /// 成文日期.
    pub written: Option<Day>,
}

/// The unit of the bulletin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitReport {
    /// Its unit; `by` the bulletin's own name for it, when that is another
    /// of the unit's names.
    Unit {
        slug: String,
        name: String,
        by: Option<String>,
    },
    /// A body that no unit is called by: where the notice went meanwhile.
    Unknown {
        proposal: Proposal,
        folder: PathBuf,
        /// Whether the site's 索引号 needs the unit's code.
        with_code: bool,
    },
    /// No issuing body found, and the site's own is no unit.
    Unnamed { folder: PathBuf },
}

impl fmt::Display for CountyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.unit {
            Some(UnitReport::Unit { slug, name, by }) => {
                write!(f, "  单位：{slug}（{name}）")?;
                match by {
                    Some(by) => writeln!(f, "，原文写作“{by}”（这个单位的简称或别名）")?,
                    None => writeln!(f)?,
                }
            }
            Some(UnitReport::Unknown {
                proposal, folder, ..
            }) => {
                writeln!(
                    f,
                    "  单位：“{}”不是 site.yaml 里任何单位的名称、简称或别名，通报暂时写在 {}/（仍是草稿），建议新增单位 {}（见最后）",
                    proposal.name,
                    folder.display(),
                    proposal.slug
                )?;
                if let Some((slug, name)) = &proposal.closest {
                    writeln!(
                        f,
                        "    它也可能是单位 {slug}（{name}）的另一种写法：如果是，请把“{}”加进这个单位的 aliases，再删掉这篇通报重新导入",
                        proposal.name
                    )?;
                }
            }
            Some(UnitReport::Unnamed { folder }) => writeln!(
                f,
                "  单位：没有找到发布单位，对应不上单位，通报暂时写在 {}/，请补写 organization",
                folder.display()
            )?,
            None => {}
        }
        if let Some((id, name, how)) = &self.round {
            match how {
                RoundHow::Read(text) => {
                    writeln!(f, "  巡察轮次：{id}（{name}），原文写明“{text}”")?
                }
                RoundHow::Inferred(start) => writeln!(
                    f,
                    "  巡察轮次：{id}（{name}），按巡察开始日期 {} 推断，请核对",
                    start.iso()
                )?,
            }
        }
        match &self.index_number {
            Some(Number::Assigned(n)) => writeln!(f, "  索引号：{n}（新编）")?,
            Some(Number::Kept(n)) => writeln!(f, "  索引号：{n}（沿用被替换的通报的，不改）")?,
            Some(Number::Missing(why)) => writeln!(f, "  索引号：没有编：{why}")?,
            None => {}
        }
        if let Some(old) = &self.stated_index_number {
            writeln!(f, "  原网页的索引号：{old}（已作为注释写在通报里）")?;
        }
        if let Some(w) = self.written {
            writeln!(f, "  成文日期：{}", w.iso())?;
        }
        Ok(())
    }
}

/// The units to add for the bodies of an import that no unit is called
/// by, each once, with distinct slugs; and the lines to paste under
/// `units:` in `site.yaml`. `None` when every bulletin found its unit.
pub fn proposals<'r>(reports: impl Iterator<Item = &'r CountyReport>) -> Option<String> {
    let mut seen: Vec<(String, Proposal, bool)> = Vec::new();
    for r in reports {
        let Some(UnitReport::Unknown {
            proposal,
            with_code,
            ..
        }) = &r.unit
        else {
            continue;
        };
        let key = normalized_name(&proposal.name);
        if seen.iter().any(|(k, ..)| *k == key) {
            continue;
        }
        let mut p = proposal.clone();
        let base = p.slug.clone();
        let mut n = 2;
        while seen.iter().any(|(_, o, _)| o.slug == p.slug) {
            p.slug = format!("{base}-{n}");
            n += 1;
        }
        seen.push((key, p, *with_code));
    }
    if seen.is_empty() {
        return None;
    }
    let mut out = format!(
        "有 {} 个发布单位不是 site.yaml 里的单位。确认后把下面几行加到 site.yaml 的 units: 下面（slug 可以改短，如 wenlv），再把这些通报移到 content/<slug>/ 文件夹里（或者删掉它们重新导入，这样还会编上索引号）：\n",
        seen.len()
    );
    for (_, p, with_code) in &seen {
        out.push_str(&p.yaml(*with_code));
    }
    Some(out)
}
