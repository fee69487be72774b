//! 栏目不更新 and 空白栏目: each column of the site (the site itself, each
//! problem category, each unit of a county's site) with no
//! published notice for longer than `check.stale_after`, or with none at
//! all.
//!
//! A unit's column counts its own notices (a county's site holds one per
//! unit, see `site.yaml`'s `units:`).
//!
//! The spot checks (国办秘函〔2019〕19号) fail a site outright when, before
//! the monitoring date, five 通知公告 columns went six months without an
//! update, or five columns are empty; the date is the inspector's today.
//! An archive no longer added to may measure from its newest notice
//! instead (`check.stale_as_of: newest`); the message says which.

use crate::config::{Period, SiteConfig, StaleAsOf};
use crate::content::{CategoryId, Day, Notice, UnitId};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Publish, Site};
use crate::routes;
use crate::yaml::Seg;

use super::site_yaml::SiteYaml;

/// What a column is a column of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// The whole site: the column (栏目) it is on a government site.
    Site,
    /// One problem category's page.
    Category(CategoryId),
    /// One unit's column of a county's site.
    Unit(UnitId),
}

impl ColumnKind {
    /// Where `site.yaml` declares the column, most precise first.
    fn setting(self) -> Vec<Vec<Seg<'static>>> {
        match self {
            ColumnKind::Site => vec![vec![Seg::Key("column")], vec![Seg::Key("title")]],
            ColumnKind::Category(c) => vec![
                vec![Seg::Key("categories"), Seg::Index(c.0), Seg::Key("key")],
                vec![Seg::Key("categories")],
            ],
            ColumnKind::Unit(u) => vec![
                vec![Seg::Key("units"), Seg::Index(u.0), Seg::Key("slug")],
                vec![Seg::Key("units")],
            ],
        }
    }
}

/// One column: its name, its page, and its newest published notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub kind: ColumnKind,
    pub name: String,
    /// Its page, from the site root.
    pub path: String,
    pub latest: Option<Day>,
}

/// Every column of `site`, counting only the notices `build` publishes
/// (`site` may be the preview, with drafts).
pub fn columns(site: &Site) -> Vec<Column> {
    let published = |n: &Notice| Publish::default().withheld(n, &site.config).is_none();
    let newest = |days: &mut dyn Iterator<Item = &Notice>| {
        days.filter(|n| published(n)).map(|n| n.date.day).max()
    };
    let mut columns = vec![Column {
        kind: ColumnKind::Site,
        name: site.config.column.clone(),
        path: routes::home(),
        latest: newest(&mut site.notices.iter().map(|r| &*r.notice)),
    }];
    for (id, index) in site.categories.iter_enumerated() {
        let config = site.config.category(id);
        let mut notices = index
            .problems
            .iter()
            .map(|p| p.notice)
            .chain(index.notices.iter().copied())
            .map(|i| site.notice(i));
        columns.push(Column {
            kind: ColumnKind::Category(id),
            name: config.short.clone(),
            path: routes::category(&config.key, 1),
            latest: newest(&mut notices),
        });
    }
    for (id, index) in site.county.units.iter_enumerated() {
        let unit = site.config.unit(id);
        columns.push(Column {
            kind: ColumnKind::Unit(id),
            name: unit.short.clone(),
            path: routes::unit(&unit.slug, 1),
            latest: newest(&mut index.notices.iter().map(|&i| site.notice(i))),
        });
    }
    columns
}

/// The day columns are measured against, and how the message names it.
fn as_of(config: &SiteConfig, site_latest: Option<Day>, today: Day) -> (Day, String) {
    match (config.check.stale_as_of, site_latest) {
        (StaleAsOf::Newest, Some(newest)) => (
            newest,
            format!("截至本站最新一篇通报的日期（{}）", newest.chinese()),
        ),
        _ => (today, format!("截至今天（{}）", today.chinese())),
    }
}

/// `6 个月`, `90 天`.
fn period_text(p: Period) -> String {
    match p {
        Period::Months(m) if m % 12 == 0 => format!("{} 年", m / 12),
        Period::Months(m) => format!("{m} 个月"),
        Period::Days(d) => format!("{d} 天"),
    }
}

/// The first day a column updated on `latest` counts as stale.
fn deadline(latest: Day, p: Period) -> Option<Day> {
    let span = match p {
        Period::Months(m) => jiff::Span::new().try_months(m).ok()?,
        Period::Days(d) => jiff::Span::new().try_days(d).ok()?,
    };
    latest.0.checked_add(span).ok().map(Day)
}

/// Stale and empty columns of `site`, as of `today` (or of the newest
/// notice, as `site.yaml` says).
pub fn lint(site: &Site, file: &SiteYaml, today: Day) -> Vec<Diagnostic> {
    let columns = columns(site);
    let site_latest = columns.first().and_then(|c| c.latest);
    let (day, said) = as_of(&site.config, site_latest, today);
    let mut found = Vec::new();
    for column in &columns {
        let paths: Vec<Vec<Seg<'_>>> = column.kind.setting();
        let paths: Vec<&[Seg<'_>]> = paths.iter().map(Vec::as_slice).collect();
        match column.latest {
            None => found.push(
                file.warning(
                    Code::EmptyColumn,
                    &paths,
                    format!(
                        "空白栏目：栏目“{}”（{}）还没有一篇已发布的通报",
                        column.name, column.path
                    ),
                )
                .help(match column.kind {
                    ColumnKind::Site => {
                        "《政府网站与政务新媒体检查指标》：空白栏目（有栏目无内容）累计 5 个即单项否决。\
                         发布第一篇通报（草稿和未审批的通报不算）。"
                    }
                    ColumnKind::Unit(_) => {
                        "《政府网站与政务新媒体检查指标》：空白栏目（有栏目无内容）累计 5 个即单项否决。\
                         发布这个单位的通报；没有通报要发的单位可以先不写进 site.yaml 的 units。"
                    }
                    ColumnKind::Category(_) => {
                        "《政府网站与政务新媒体检查指标》：空白栏目（有栏目无内容）累计 5 个即单项否决。\
                         发布这一类问题的通报；不用的问题类别可以从 site.yaml 的 categories 中删掉。"
                    }
                }),
            ),
            Some(latest) => {
                let Some(period) = site.config.check.stale_after else {
                    continue;
                };
                if deadline(latest, period).is_some_and(|d| d <= day) {
                    found.push(
                        file.warning(
                            Code::StaleColumn,
                            &paths,
                            format!(
                                "栏目不更新：栏目“{}”（{}）{said}已超过 {}没有新的通报，最近一篇发布于 {}",
                                column.name,
                                column.path,
                                period_text(period),
                                latest.chinese()
                            ),
                        )
                        .help(
                            "《政府网站与政务新媒体检查指标》：监测时间点前 6 个月内未更新的通知公告类栏目累计 5 个即单项否决。\
                             有新的整改进展请及时发布通报；site.yaml 的 check.stale_after 可以改检查的期限。",
                        ),
                    );
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_is_stale_from_its_period_on() {
        let day = |s: &str| Day::parse(s).unwrap();
        assert_eq!(
            deadline(day("2025-01-31"), Period::Months(1)),
            Some(day("2025-02-28"))
        );
        assert_eq!(
            deadline(day("2025-01-01"), Period::Days(90)),
            Some(day("2025-04-01"))
        );
        assert_eq!(period_text(Period::Months(12)), "1 年");
        assert_eq!(period_text(Period::Months(6)), "6 个月");
    }
}
