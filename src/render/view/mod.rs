//! What templates see: plain serializable views of the site model.
//!
//! Every link is a path from the site root naming a file
//! (`notices/slug/index.html`); templates prefix it with `page.root`, the
//! way back to the site root from the current page (`../../`), so that the
//! output works at any sub-path and from `file://`.

//! Views derive `Hash` as well as `Serialize`: `serve` fingerprints a page
//! by hashing exactly the view it renders, so no field can be shown
//! without counting as a change.

mod ledger;

use serde::Serialize;

use crate::config::{Category, SiteConfig};
use crate::content::Tally;
use crate::content::money::display_fen;
use crate::content::{Contact, Inspection, Notice, Problem, Status};
use crate::model::{Group, Html, NoticeHtml, ProblemRef, Site};
use crate::routes;

pub use ledger::{ReportLink, RoundSummary, RoundView, SeriesView, Thread};

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
    pub sections: &'static [&'static str],
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
            sections: &routes::SECTIONS,
        }
    }
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
    pub description: String,
    pub keywords: String,
    /// Set on notice pages: the article meta tags.
    pub article: Option<ArticleMeta>,
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

#[derive(Serialize, Hash)]
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
}

impl<'a> NoticeSummary<'a> {
    pub fn new(site: &'a Site, index: usize) -> NoticeSummary<'a> {
        let n = &site.notices[index];
        let org = &site.organizations[site.notice_org[index]];
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
            summary: &site.html[index].summary,
            tally: (&n.stats().total).into(),
            categories: n
                .all_categories()
                .into_iter()
                .map(|c| CategoryView::new(site.config.category(c)))
                .collect(),
            draft: n.draft,
            unapproved: site.config.require_review && !n.is_approved(),
        }
    }
}

/// Everything about one notice, for its own page.
#[derive(Serialize, Hash)]
pub struct NoticeView<'a> {
    #[serde(flatten)]
    pub summary: NoticeSummary<'a>,
    /// `2021-11-26 09:30` for the PubDate meta tag.
    pub pub_date: String,
    pub inspection: Option<InspectionView>,
    /// The round the notice reports on, with all its notices.
    pub series: Option<SeriesView<'a>>,
    pub body_before: &'a Html,
    pub body_after: &'a Html,
    pub groups: Vec<ProblemGroup<'a>>,
    pub contact: Option<ContactView<'a>>,
    pub review: Option<ReviewView<'a>>,
    pub revisions: Vec<RevisionView<'a>>,
    /// The date of the last revision, when there is one.
    pub updated: Option<String>,
    pub tags: Vec<Link<'a>>,
    pub reading_minutes: usize,
    pub chars: usize,
}

#[derive(Serialize, Hash)]
pub struct InspectionView {
    /// 巡察 or 巡视
    pub kind: &'static str,
    pub group: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub feedback: Option<String>,
}

impl InspectionView {
    pub fn new(i: &Inspection) -> InspectionView {
        InspectionView {
            kind: i.kind.label(),
            group: i.group.clone(),
            start: i.start.map(|d| d.chinese()),
            end: i.end.map(|d| d.chinese()),
            feedback: i.feedback.map(|d| d.chinese()),
        }
    }
}

#[derive(Serialize, Hash)]
pub struct ProblemGroup<'a> {
    pub category: CategoryView<'a>,
    pub tally: TallyView,
    pub problems: Vec<ProblemView<'a>>,
}

#[derive(Serialize, Hash)]
pub struct ProblemView<'a> {
    pub number: u32,
    pub anchor: String,
    pub title: &'a str,
    pub cause: Option<&'a Html>,
    pub measures: Option<&'a Html>,
    pub result: Option<&'a str>,
    pub badges: Vec<BadgeView>,
    pub recovered: Option<String>,
    pub deadline: Option<&'a str>,
    /// Its other reports, when the problem is followed in a round.
    pub thread: Thread,
}

#[derive(Serialize, Hash)]
pub struct ContactView<'a> {
    pub intro: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub email: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl<'a> ContactView<'a> {
    pub fn new(c: &'a Contact) -> ContactView<'a> {
        ContactView {
            intro: c.intro.as_deref(),
            phone: c.phone.as_deref(),
            address: c.address.as_deref(),
            postcode: c.postcode.as_deref(),
            email: c.email.as_deref(),
            note: c.note.as_deref(),
        }
    }
}

#[derive(Serialize, Hash)]
pub struct ReviewView<'a> {
    pub reviewed_by: Option<&'a str>,
    pub secrecy_reviewed: bool,
    pub approved_by: Option<&'a str>,
    pub approved_on: Option<String>,
}

#[derive(Serialize, Hash)]
pub struct RevisionView<'a> {
    pub date: String,
    pub date_iso: String,
    pub note: &'a str,
}

impl<'a> NoticeView<'a> {
    pub fn new(site: &'a Site, index: usize) -> NoticeView<'a> {
        let n: &'a Notice = &site.notices[index];
        let html: &'a NoticeHtml = &site.html[index];
        let groups = site
            .config
            .categories
            .iter()
            .enumerate()
            .filter_map(|(ci, c)| {
                let members: Vec<(usize, &Problem)> = n
                    .problems
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.category.0 == ci)
                    .collect();
                (!members.is_empty()).then(|| ProblemGroup {
                    category: CategoryView::new(c),
                    tally: (&Tally::of(members.iter().map(|(_, p)| *p))).into(),
                    problems: members
                        .into_iter()
                        .map(|(pi, p)| ProblemView {
                            number: p.number,
                            anchor: routes::problem_anchor(p.number),
                            title: &p.title,
                            cause: html.problems.get(pi).and_then(|h| h.cause.as_ref()),
                            measures: html.problems.get(pi).and_then(|h| h.measures.as_ref()),
                            result: p.result.as_deref(),
                            badges: badges(p.status),
                            recovered: p.recovered.as_ref().map(|y| y.display()),
                            deadline: p.deadline.as_ref().map(|d| d.written.as_str()),
                            thread: Thread::new(
                                site,
                                ProblemRef {
                                    notice: index,
                                    problem: pi,
                                },
                            ),
                        })
                        .collect(),
                })
            })
            .collect();
        let updated = n.updated();
        NoticeView {
            summary: NoticeSummary::new(site, index),
            pub_date: n.date.meta(),
            inspection: n.inspection.as_ref().map(InspectionView::new),
            series: SeriesView::of(site, index),
            body_before: &html.body_before,
            body_after: &html.body_after,
            groups,
            contact: n
                .contact
                .as_ref()
                .or(site.config.contact.as_ref())
                .map(ContactView::new),
            review: n.review.as_ref().map(|r| ReviewView {
                reviewed_by: r.reviewed_by.as_deref(),
                secrecy_reviewed: r.secrecy_reviewed,
                approved_by: r.approved_by.as_deref(),
                approved_on: r.approved_on.map(|d| d.chinese()),
            }),
            revisions: n
                .revisions
                .iter()
                .map(|r| RevisionView {
                    date: r.date.chinese(),
                    date_iso: r.date.iso(),
                    note: &r.note,
                })
                .collect(),
            updated: (updated != n.date.day).then(|| updated.chinese()),
            tags: site.notice_tags[index]
                .iter()
                .map(|&t| Link {
                    name: &site.tags[t].name,
                    path: routes::tag(&site.tags[t].slug, 1),
                })
                .collect(),
            reading_minutes: html.reading_minutes,
            chars: html.chars,
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
    pub fn new(site: &'a Site, index: usize) -> NoticeLink<'a> {
        let n = &site.notices[index];
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
        let n = &site.notices[r.notice];
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
