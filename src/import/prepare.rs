//! One file of an import, into a notice in memory: recognised (by the
//! `gongkai-import` crate), resolved with the site's defaults (the date,
//! the issuing body, the file's name), placed in its unit and county
//! round, continued from the site's round ([`prepare`]); then, once the
//! import has numbered it, written and checked as `build` checks notices
//! ([`finish`]).

use std::path::{Path, PathBuf};

use gongkai_import::draft::Draft;
use gongkai_import::{Placing, Recognised};

use super::county::{self, RoundFit, RoundHow, UnitFit};
use super::county_report::UnitReport;
use super::numbering::Number;
use super::{Context, Imported, Report, series, shown, write};
use crate::config::SiteConfig;
use crate::config::county::normalized_name;
use crate::content::{Day, Notice, UnitId};
use crate::diagnostic::Diagnostic;
use crate::load;
use crate::slug;

/// A bulletin recognised and placed, waiting for its 索引号.
pub(super) struct Prepared {
    pub draft: Draft,
    pub date: Day,
    /// The issuing body to write; `None`: the site's default.
    pub organization: Option<String>,
    /// Said beside it: the bulletin's own name for the unit.
    pub organization_note: Option<String>,
    pub unit: UnitFit,
    pub round: Option<RoundFit>,
    /// Where the notice goes.
    pub path: PathBuf,
    pub renamed_from: Option<PathBuf>,
    pub number: Option<Number>,
    pub report: Report,
    pub file_name: String,
}

impl Prepared {
    /// The unit it is written in.
    pub fn unit_id(&self) -> Option<UnitId> {
        match self.unit {
            UnitFit::Unit { id, .. } => Some(id),
            _ => None,
        }
    }
}

/// Reads and recognises one file, and places it in the site.
pub(super) fn prepare(file: &Path, ctx: &Context<'_>) -> Result<Prepared, Vec<Diagnostic>> {
    let (options, config) = (ctx.options, &ctx.config);
    let placing = Placing {
        categories: &config.categories,
        map: &ctx.map,
    };
    let Recognised {
        mut draft,
        format,
        chrome,
        last_no,
    } = gongkai_import::recognise_file(file, &placing).map_err(|d| vec![d])?;
    let date = date_or_today(&mut draft, options.today, last_no);
    let found = organization_or_site(&mut draft, config.organization.as_deref(), last_no);
    let unit = county::unit_of(config, found.as_deref());
    let (organization, organization_note) = named_as_unit(config, &unit, found);
    let (round, notes) = county::round_of(config, &draft);
    for (no, message) in notes {
        draft.note(no, message);
    }

    let issuer = organization.as_deref().or(config.organization.as_deref());
    let unit_id = match unit {
        UnitFit::Unit { id, .. } => Some(id),
        _ => None,
    };
    let rel = file_for(config, file, &draft, date, issuer, unit_id);
    // The site's notices (of its unit), to continue the round this
    // bulletin reports on.
    let series = issuer.and_then(|org| {
        let others: Vec<_> = ctx
            .notices
            .iter()
            .zip(&ctx.units)
            .filter(|(n, u)| n.source != rel && unit_id.is_none_or(|id| **u == Some(id)))
            .map(|(n, _)| n.clone())
            .collect();
        let same_body = |n: &Notice| unit_id.is_some() || n.organization == org;
        series::continue_round(&mut draft, others, same_body, date)
    });
    draft.notes.sort_by_key(|n| n.no);
    let path = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join(&rel));
    let file_name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut report = Report::new(&draft, &config.categories, format, file, date);
    report.chrome = chrome;
    report.series = series;
    report.county.unit = unit_report(config, &unit, &rel);
    report.county.round = round.as_ref().map(|r| {
        let of = config.county_round(r.id);
        (of.id.clone(), of.name.clone(), r.how.clone())
    });
    Ok(Prepared {
        draft,
        date,
        organization,
        organization_note,
        unit,
        round,
        path,
        renamed_from: None,
        number: None,
        report,
        file_name,
    })
}

/// Writes the notice in memory and checks it as `build` would.
pub(super) fn finish(p: Prepared, ctx: &Context<'_>) -> Imported {
    let (options, config) = (ctx.options, &ctx.config);
    let round = p.round.as_ref().map(|r| {
        let of = config.county_round(r.id);
        let said = match &r.how {
            RoundHow::Read(text) => format!("原文写明“{text}”"),
            RoundHow::Inferred(start) => {
                format!("按巡察开始日期 {} 归入{}，请核对", start.iso(), of.name)
            }
        };
        (of.id.as_str(), said)
    });
    let text = write::notice(
        &p.draft,
        &write::Resolved {
            date: p.date,
            organization: p.organization.as_deref(),
            organization_note: p.organization_note.clone(),
            index_number: p.number.as_ref(),
            round,
        },
        &write::Origin {
            file_name: &p.file_name,
            today: options.today,
        },
    );
    let diagnostics =
        match load::notice::parse_notice(&shown(options, &p.path), &text, Some(config)) {
            Ok((_, warnings)) => warnings,
            Err(errors) => errors,
        };
    let mut report = p.report;
    report.county.index_number = p.number;
    Imported {
        path: p.path,
        text,
        report,
        diagnostics,
        renamed_from: p.renamed_from,
    }
}

/// The issuing body to write: the unit's full name for a name that is
/// another of the unit's (a short name, an alias), with a note of how the
/// bulletin wrote it.
fn named_as_unit(
    config: &SiteConfig,
    unit: &UnitFit,
    found: Option<String>,
) -> (Option<String>, Option<String>) {
    match (unit, found) {
        (UnitFit::Unit { id, by }, Some(_)) => {
            let name = &config.unit(*id).name;
            let note = (normalized_name(by) != normalized_name(name))
                .then(|| format!("原文写作“{by}”，是这个单位的简称或别名"));
            (Some(name.clone()), note)
        }
        (_, found) => (found, None),
    }
}

/// The unit as the report tells it.
fn unit_report(config: &SiteConfig, unit: &UnitFit, rel: &Path) -> Option<UnitReport> {
    let folder = rel.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    Some(match unit {
        UnitFit::NoUnits => return None,
        UnitFit::Unit { id, by } => {
            let u = config.unit(*id);
            UnitReport::Unit {
                slug: u.slug.clone(),
                name: u.name.clone(),
                by: (normalized_name(by) != normalized_name(&u.name)).then(|| by.clone()),
            }
        }
        UnitFit::Unknown(proposal) => UnitReport::Unknown {
            proposal: proposal.clone(),
            folder,
            with_code: config.index_number.as_ref().is_some_and(|p| p.uses_unit()),
        },
        UnitFit::Unnamed => UnitReport::Unnamed { folder },
    })
}

/// The date found, or today's, with a note to correct it.
fn date_or_today(draft: &mut Draft, today: Day, no: usize) -> Day {
    if let Some(d) = &draft.date {
        return d.value;
    }
    draft.note(
        no,
        format!(
            "没有找到发布日期（落款或标题下面的日期），暂用今天 {}，请改成实际的发布日期",
            today.iso()
        ),
    );
    today
}

/// The issuing body found; else none, when site.yaml has one to fall back
/// on, or a placeholder to fill in.
fn organization_or_site(draft: &mut Draft, site: Option<&str>, no: usize) -> Option<String> {
    if let Some((org, _)) = &draft.organization {
        return Some(org.value.clone());
    }
    match site {
        Some(site) => {
            draft.note(
                no,
                format!("没有找到发布单位（落款），将使用 site.yaml 里的“{site}”"),
            );
            None
        }
        None => {
            draft.note(no, "没有找到发布单位（落款），请填写 organization");
            Some("（请填写发布单位）".to_string())
        }
    }
}

/// `content/<unit slug>/<date>-<unit slug>.md` for a unit's notice;
/// `content/notices/<date>-<pinyin of the issuing body>.md` otherwise.
fn file_for(
    config: &SiteConfig,
    source: &Path,
    draft: &Draft,
    date: Day,
    organization: Option<&str>,
    unit: Option<UnitId>,
) -> PathBuf {
    let name = match unit {
        Some(u) => config.unit(u).slug.clone(),
        None => {
            // Not the placeholder of a site whose `init` is not filled in;
            // the name of the file imported, before a word of no meaning.
            let stem = source.file_stem().map(|s| s.to_string_lossy());
            let name = organization
                .filter(|o| !crate::placeholder::has_any(o))
                .or(draft.title.as_ref().map(|t| t.value.as_str()))
                .or(stem.as_deref())
                .unwrap_or("notice");
            slug::short(name, "notice")
        }
    };
    county::folder(config, unit).join(format!("{}-{name}.md", date.iso()))
}
