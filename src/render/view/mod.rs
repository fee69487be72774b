//! What templates see: plain serializable views of the site model.
//!
//! Every link is a path from the site root naming a file
//! (`notices/slug/index.html`); templates prefix it with `page.root`, the
//! way back to the site root from the current page (`../../`), so that the
//! output works at any sub-path and from `file://`.

//! Views derive `Hash` as well as `Serialize`: `serve` fingerprints a page
//! by hashing exactly the view it renders, so no field can be shown
//! without counting as a change.

mod board;
mod chart;
mod county;
mod dashboard;
mod ledger;
mod meta;
mod notice;

use serde::Serialize;

use crate::config::{Category, SiteConfig};
use crate::content::Status;
use crate::content::Tally;
use crate::content::money::display_fen;
use crate::model::{Group, NoticeId, ProblemRef, Site};
use crate::routes;

pub use board::BoardView;
pub use chart::{BarChart, Breakdown};
pub use county::{CountyRoundSummary, CountyRoundView, UnitLink, UnitSummary, UnitView, YearTally};
pub use dashboard::Dashboard;
pub use ledger::{ReportLink, RoundSummary, RoundView, SeriesView, Thread};
pub use meta::MetaView;
pub use notice::{ContactView, InspectionView, NoticeView};

#[derive(Serialize, Hash)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// The default issuing body, if the site has one.
    pub organization: Option<&'a str>,
    pub language: &'a str,
    pub base_url: Option<&'a str>,
    /// Host of the base URL, for the SiteDomain meta tag.
    pub domain: Option<String>,
    pub column: &'a str,
    pub footer: FooterView<'a>,
    pub contact: Option<ContactView<'a>>,
    pub categories: Vec<CategoryView<'a>>,
    /// Whether the site has full-text search.
    pub search: bool,
    pub generator: String,
    /// The top folders of the output, for the 404 page.
    pub sections: Vec<&'static str>,
    /// The site holds units' columns (a county's site), and county rounds.
    pub has_units: bool,
    pub has_rounds: bool,
    /// In one unit's column (`--unit`): the county's site it belongs to.
    pub county_home: Option<&'a str>,
    /// Where the sections and site-wide files are, from the site root.
    pub paths: routes::SectionPaths,
}

#[derive(Serialize, Hash)]
pub struct FooterView<'a> {
    pub icp: Option<&'a str>,
    pub police: Option<&'a str>,
    /// Digits of 公安备案号, for the link to beian.mps.gov.cn.
    pub police_code: Option<String>,
    pub site_id_code: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl<'a> SiteView<'a> {
    pub fn new(config: &'a SiteConfig) -> SiteView<'a> {
        SiteView {
            title: &config.title,
            description: config.description.as_deref(),
            organization: config.organization.as_deref(),
            language: &config.language,
            base_url: config.base_url.as_ref().map(|u| u.as_str()),
            domain: config.base_url.as_ref().map(|u| u.domain()),
            column: &config.column,
            footer: FooterView {
                icp: config.footer.icp.as_deref(),
                police: config.footer.police.as_deref(),
                police_code: config.footer.police.as_deref().and_then(|p| {
                    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
                    (!digits.is_empty()).then_some(digits)
                }),
                site_id_code: config.footer.site_id_code.as_deref(),
                note: config.footer.note.as_deref(),
            },
            contact: config.contact.as_ref().map(ContactView::new),
            categories: config.categories.iter().map(CategoryView::new).collect(),
            search: config.search,
            generator: format!("gongkai {}", env!("CARGO_PKG_VERSION")),
            sections: sections(config),
            has_units: config.is_county() && !config.units.is_empty(),
            has_rounds: config.is_county() && !config.rounds.is_empty(),
            county_home: config.county_home.as_ref().map(|u| u.as_str()),
            paths: routes::SectionPaths::new(),
        }
    }
}

/// The top folders of the output: a county's has its units and rounds.
fn sections(config: &SiteConfig) -> Vec<&'static str> {
    let mut sections = routes::SECTIONS.to_vec();
    if config.is_county() {
        sections.extend(routes::COUNTY_SECTIONS);
    }
    sections
}

/// Facts about the page being rendered.
#[derive(Serialize, Hash)]
pub struct PageView {
    /// Which kind of page: `home`, `notice`, `category`, ...
    pub kind: &'static str,
    pub title: String,
    /// Path of this page from the site root.
    pub path: String,
    /// From this page back to the site root: `""`, `../`, `../../`.
    pub root: String,
    /// Absolute pretty URL, only when the site has a base URL.
    pub canonical: Option<String>,
    /// The navigation section the page belongs to.
    pub section: &'static str,
    /// The column it is in (ColumnName): the site's, or its unit's.
    pub column: String,
    pub description: String,
    pub keywords: String,
    /// Set on notice pages: the article meta tags.
    pub article: Option<ArticleMeta>,
    /// The page tags (元数据) of the 政府网站发展指引, every one of them.
    pub meta: MetaView,
}

#[derive(Serialize, Hash)]
pub struct ArticleMeta {
    pub title: String,
    pub pub_date: String,
    pub source: String,
}

#[derive(Serialize, Hash)]
pub struct CategoryView<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub short: &'a str,
    pub path: String,
}

impl<'a> CategoryView<'a> {
    pub fn new(c: &'a Category) -> CategoryView<'a> {
        CategoryView {
            key: &c.key,
            name: &c.name,
            short: &c.short,
            path: routes::category(&c.key, 1),
        }
    }
}

#[derive(Default, Serialize, Hash)]
pub struct TallyView {
    pub problems: usize,
    pub completed: usize,
    pub staged: usize,
    pub in_progress: usize,
    pub not_done: usize,
    pub unstated: usize,
    pub immediate: usize,
    pub long_term: usize,
    /// Money recovered, with thousands separators: `49,056.30`.
    pub recovered: String,
    pub recovered_fen: i64,
    pub percent_completed: usize,
    /// Everything not completed yet (staged, in progress, not done).
    pub open: usize,
}

impl From<&Tally> for TallyView {
    fn from(t: &Tally) -> TallyView {
        TallyView {
            problems: t.problems,
            completed: t.completed,
            staged: t.staged,
            in_progress: t.in_progress,
            not_done: t.not_done,
            unstated: t.unstated,
            immediate: t.immediate,
            long_term: t.long_term,
            recovered: display_fen(t.recovered_fen),
            recovered_fen: t.recovered_fen,
            percent_completed: t.percent_completed(),
            open: t.staged + t.in_progress + t.not_done,
        }
    }
}

#[derive(Serialize, Hash)]
pub struct Link<'a> {
    pub name: &'a str,
    pub path: String,
}

#[derive(Serialize, Hash)]
pub struct BadgeView {
    /// `completed`, `staged`, `in_progress`, `not_done`, `immediate`, `long_term`.
    pub key: &'static str,
    pub label: &'static str,
}

pub fn badges(status: Option<Status>) -> Vec<BadgeView> {
    match status {
        Some(s) => s
            .labels()
            .into_iter()
            .map(|(key, label)| BadgeView { key, label })
            .collect(),
        None => vec![BadgeView {
            key: "unstated",
            label: "未注明",
        }],
    }
}

/// A notice in a list.
#[derive(Serialize, Hash)]
pub struct NoticeSummary<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub path: String,
    /// 2021年11月26日
    pub date: String,
    /// 2021-11-26
    pub date_iso: String,
    pub organization: Link<'a>,
    pub doc_number: Option<&'a str>,
    pub summary: &'a str,
    pub tally: TallyView,
    pub categories: Vec<CategoryView<'a>>,
    pub draft: bool,
    /// Shown only in previews: not approved for publication yet.
    pub unapproved: bool,
    /// Its unit, on a county's site.
    pub unit: Option<UnitLink<'a>>,
}

impl<'a> NoticeSummary<'a> {
    pub fn new(site: &'a Site, id: NoticeId) -> NoticeSummary<'a> {
        let row = &site.notices[id];
        let n = &row.notice;
        let org = &site.organizations[row.organization];
        NoticeSummary {
            title: &n.title,
            slug: &n.slug,
            path: routes::notice(&n.slug),
            date: n.date.day.chinese(),
            date_iso: n.date.day.iso(),
            organization: Link {
                name: &org.name,
                path: routes::organization(&org.slug, 1),
            },
            doc_number: n.doc_number.as_deref(),
            summary: &row.html.summary,
            tally: (&n.stats().total).into(),
            categories: n
                .all_categories()
                .into_iter()
                .map(|c| CategoryView::new(site.config.category(c)))
                .collect(),
            draft: n.draft,
            unapproved: site.config.requires_review(n.unit) && !n.is_approved(),
            unit: n
                .unit
                .filter(|_| site.config.is_county())
                .map(|u| UnitLink::of(site, u)),
        }
    }
}

/// A problem in a category listing, linking to its anchor.
#[derive(Serialize, Hash)]
pub struct ProblemItem<'a> {
    pub notice: NoticeLink<'a>,
    pub number: u32,
    /// `notices/slug/index.html#problem-7`
    pub path: String,
    pub title: &'a str,
    pub result: Option<&'a str>,
    pub badges: Vec<BadgeView>,
    pub recovered: Option<String>,
    /// The problem's newest report, when a later notice made one.
    pub latest: Option<ReportLink>,
}

#[derive(Serialize, Hash)]
pub struct NoticeLink<'a> {
    pub title: &'a str,
    pub path: String,
    pub date: String,
    pub date_iso: String,
    pub organization: &'a str,
}

impl<'a> NoticeLink<'a> {
    pub fn new(site: &'a Site, id: NoticeId) -> NoticeLink<'a> {
        let n = site.notice(id);
        NoticeLink {
            title: &n.title,
            path: routes::notice(&n.slug),
            date: n.date.day.chinese(),
            date_iso: n.date.day.iso(),
            organization: &n.organization,
        }
    }
}

impl<'a> ProblemItem<'a> {
    pub fn new(site: &'a Site, r: ProblemRef) -> ProblemItem<'a> {
        let n = site.notice(r.notice);
        let p = site.problem(r);
        ProblemItem {
            notice: NoticeLink::new(site, r.notice),
            number: p.number,
            path: routes::problem(&n.slug, p.number),
            title: &p.title,
            result: p.result.as_deref(),
            badges: badges(p.status),
            recovered: p.recovered.as_ref().map(|y| y.display()),
            latest: ReportLink::latest(site, r),
        }
    }
}

/// A group (organization or tag) with its size.
#[derive(Serialize, Hash)]
pub struct GroupView<'a> {
    pub name: &'a str,
    pub path: String,
    pub count: usize,
}

impl<'a> GroupView<'a> {
    /// A group, with the path of its first page.
    pub fn new(g: &'a Group, path: String) -> GroupView<'a> {
        GroupView {
            name: &g.name,
            path,
            count: g.notices.len(),
        }
    }
}

/// Pagination for list pages.
#[derive(Serialize, Hash)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Page links to show: the first, the last, and two around the current
    /// one; `None` marks a gap.
    pub links: Vec<Option<PageLink>>,
}

#[derive(Serialize, Hash)]
pub struct PageLink {
    pub number: usize,
    pub path: String,
    pub current: bool,
}

impl Pager {
    pub fn new(current: usize, total: usize, path_of: impl Fn(usize) -> String) -> Pager {
        // Only the numbers shown are visited, so a page costs the same
        // however many pages there are.
        let mut numbers: Vec<usize> = [1, total]
            .into_iter()
            .chain(current.saturating_sub(2)..=current + 2)
            .filter(|n| (1..=total).contains(n))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut links = Vec::new();
        let mut last = 0;
        for n in numbers {
            if n > last + 1 {
                links.push(None);
            }
            links.push(Some(PageLink {
                number: n,
                path: path_of(n),
                current: n == current,
            }));
            last = n;
        }
        Pager {
            current,
            total,
            prev: (current > 1).then(|| path_of(current - 1)),
            next: (current < total).then(|| path_of(current + 1)),
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_shows_ends_and_neighbours() {
        let p = Pager::new(6, 12, routes::notices);
        let shown: Vec<String> = p
            .links
            .iter()
            .map(|l| l.as_ref().map_or("…".to_string(), |l| l.number.to_string()))
            .collect();
        assert_eq!(shown, ["1", "…", "4", "5", "6", "7", "8", "…", "12"]);
        assert_eq!(p.prev.as_deref(), Some("notices/page/5/index.html"));
        assert_eq!(p.next.as_deref(), Some("notices/page/7/index.html"));
        let first = Pager::new(1, 1, routes::notices);
        assert!(first.prev.is_none() && first.next.is_none());
    }
}
