//! What each page shows: its context, made from the site model. The same
//! value is rendered by the page's template and, in `serve`, hashed into
//! its fingerprint.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;
use serde::Serialize;

use super::Templates;
use super::pages::{HOME_NOTICES, Page, page_count};
use super::view::{
    self, BarChart, BoardView, Breakdown, CategoryView, CountyRoundSummary, CountyRoundView,
    Dashboard, GroupView, Link, NoticeSummary, NoticeView, PageView, Pager, ProblemItem,
    RoundSummary, RoundView, TallyView, UnitLink, UnitSummary, UnitView,
};
use crate::diagnostic::Diagnostic;
use crate::model::{Group, NoticeId, Site};
use crate::output::Sink;
use crate::routes;

/// Everything a page's template sees besides `site`: the page's own facts
/// and its data. The same value is rendered and, in `serve`, hashed into
/// the page's [`fingerprint`](PageContext::fingerprint).
#[derive(Serialize, Hash)]
pub struct PageContext<'a> {
    page: PageView,
    #[serde(flatten)]
    data: PageData<'a>,
}

/// What each kind of page shows, by the names its template uses.
#[derive(Serialize, Hash)]
#[serde(untagged)]
enum PageData<'a> {
    Home {
        latest: Vec<NoticeSummary<'a>>,
        notice_count: usize,
        dashboard: Dashboard<'a>,
    },
    Notices {
        notices: Vec<NoticeSummary<'a>>,
        pager: Pager,
        notice_count: usize,
    },
    Notice {
        notice: Box<NoticeView<'a>>,
        newer: Option<Link<'a>>,
        older: Option<Link<'a>>,
    },
    Board {
        board: Box<BoardView<'a>>,
    },
    Archive {
        years: Vec<YearView>,
        notice_count: usize,
    },
    Year {
        year: i16,
        count: usize,
        months: Vec<Month<'a>>,
    },
    Categories {
        dashboard: Dashboard<'a>,
    },
    Category {
        category: CategoryView<'a>,
        tally: TallyView,
        /// Every report listed, also of problems reported again later.
        reports: usize,
        items: Vec<ProblemItem<'a>>,
        notices: Vec<NoticeSummary<'a>>,
        pager: Pager,
    },
    Groups {
        groups: Vec<GroupView<'a>>,
    },
    Group {
        group: GroupView<'a>,
        notices: Vec<NoticeSummary<'a>>,
        pager: Pager,
    },
    Search {
        years: Vec<i16>,
        /// A county's units, to search one unit's notices.
        units: Vec<UnitLink<'a>>,
    },
    Inspections {
        rounds: Vec<RoundSummary<'a>>,
    },
    Inspection {
        round: Box<RoundView<'a>>,
    },
    Units {
        units: Vec<UnitSummary<'a>>,
        dashboard: Dashboard<'a>,
        /// Each unit's problems, completed and not.
        chart: BarChart<'a>,
    },
    Unit {
        unit: Box<UnitView<'a>>,
        dashboard: Dashboard<'a>,
        notices: Vec<NoticeSummary<'a>>,
        pager: Pager,
    },
    CountyRounds {
        rounds: Vec<CountyRoundSummary<'a>>,
    },
    CountyRound {
        round: Box<CountyRoundView<'a>>,
        /// Each inspected unit's problems, completed and not.
        chart: BarChart<'a>,
    },
    Empty {},
}

#[derive(Serialize, Hash)]
struct YearView {
    year: i16,
    count: usize,
    path: String,
}

#[derive(Serialize, Hash)]
struct Month<'a> {
    month: i8,
    notices: Vec<NoticeSummary<'a>>,
}

impl<'a> PageContext<'a> {
    /// What `page` of `site` shows.
    pub fn new(site: &'a Site, page: &Page) -> PageContext<'a> {
        let (title, description, data) = data(site, page);
        let path = page.path(site);
        let base_url = site.config.base_url.as_ref();
        let root = match page {
            // 404.html is served at any depth: use absolute links when possible.
            Page::NotFound => base_url.map(|u| u.path().to_string()).unwrap_or_default(),
            _ => routes::root_of(&path),
        };
        let canonical = base_url
            .filter(|_| *page != Page::NotFound)
            .map(|base| base.url_of(&path));
        let (article, keywords) = match *page {
            Page::Notice { id } => {
                let n = site.notice(id);
                let article = view::ArticleMeta {
                    title: n.title.clone(),
                    pub_date: n.date.meta(),
                    source: n.organization.clone(),
                };
                let mut words: Vec<&str> = std::iter::once(site.config.column.as_str())
                    .chain(n.tags.iter().map(String::as_str))
                    .collect();
                words.extend(
                    n.all_categories()
                        .iter()
                        .map(|c| site.config.category(*c).short.as_str()),
                );
                (Some(article), words.join(","))
            }
            // A column page: the column and what it is about.
            _ => {
                let words: Vec<&str> = std::iter::once(site.config.column.as_str())
                    .chain(site.config.categories.iter().map(|c| c.short.as_str()))
                    .collect();
                (None, words.join(","))
            }
        };
        // The 404 page has no canonical address, but a Url tag all the same.
        let url = base_url.map(|base| base.url_of(&path));
        let meta = view::MetaView::new(site, page, &title, &description, &keywords, url);
        PageContext {
            page: PageView {
                kind: page.kind().name,
                title,
                path,
                root,
                canonical,
                section: page.kind().section,
                column: meta.column_name.clone(),
                description,
                keywords,
                article,
                meta,
            },
            data,
        }
    }

    /// A hash of everything the page shows: `serve` renders a page again
    /// only when its fingerprint changed. Templates and configuration are
    /// not part of it; a change to them renders every page.
    pub fn fingerprint(&self) -> u64 {
        let mut h = FxHasher::default();
        self.hash(&mut h);
        h.finish()
    }
}

/// Renders one page and writes it to `out` at its path.
pub fn render_into(
    site: &Site,
    templates: &Templates,
    page: &Page,
    context: &PageContext<'_>,
    out: &dyn Sink,
) -> Result<(), Diagnostic> {
    templates.render_with(page.kind().template, context, |bytes| {
        out.write(&page.path(site), bytes, page.kind().name)
            .map_err(super::write_error)
    })
}

/// The page's title, description and data.
fn data<'a>(site: &'a Site, page: &Page) -> (String, String, PageData<'a>) {
    let site_description = site
        .config
        .description
        .clone()
        .unwrap_or_else(|| site.config.title.clone());
    let per = site.config.notices_per_page;
    let all = || site.notices.keys().collect::<Vec<NoticeId>>();
    match *page {
        Page::Home => {
            let latest: Vec<NoticeSummary> = site
                .notices
                .keys()
                .take(HOME_NOTICES)
                .map(|i| NoticeSummary::new(site, i))
                .collect();
            let data = PageData::Home {
                latest,
                notice_count: site.notices.len(),
                dashboard: Dashboard::of_site(site),
            };
            (site.config.title.clone(), site_description, data)
        }
        Page::Notices { page } => {
            let (notices, pager) = list(site, &all(), page, per, routes::notices);
            let data = PageData::Notices {
                notices,
                pager,
                notice_count: site.notices.len(),
            };
            (numbered("全部通报", page), site_description, data)
        }
        Page::Notice { id } => {
            let notice = NoticeView::new(site, id);
            let neighbour = |i: Option<usize>| {
                let n = &site.notices.get(NoticeId::from(i?))?.notice;
                Some(Link {
                    name: &n.title,
                    path: routes::notice(&n.slug),
                })
            };
            let description = notice.summary.summary.to_string();
            let title = notice.summary.title.to_string();
            let data = PageData::Notice {
                notice: Box::new(notice),
                newer: neighbour(id.index().checked_sub(1)),
                older: neighbour(Some(id.index() + 1)),
            };
            (title, description, data)
        }
        Page::Board { id } => {
            let board = BoardView::new(site, id);
            let title = format!("{}（公开栏版）", board.summary.title);
            let description = board.summary.summary.to_string();
            let data = PageData::Board {
                board: Box::new(board),
            };
            (title, description, data)
        }
        Page::Archive => {
            let years = site
                .years
                .iter()
                .map(|y| YearView {
                    year: y.year,
                    count: y.notices.len(),
                    path: routes::year(y.year),
                })
                .collect();
            let data = PageData::Archive {
                years,
                notice_count: site.notices.len(),
            };
            ("通报归档".into(), site_description, data)
        }
        Page::Year { id } => {
            let year = &site.years[id];
            let mut months: Vec<Month> = Vec::new();
            for &i in &year.notices {
                let m = site.notice(i).date.day.month();
                if months.last().is_none_or(|last| last.month != m) {
                    months.push(Month {
                        month: m,
                        notices: Vec::new(),
                    });
                }
                if let Some(last) = months.last_mut() {
                    last.notices.push(NoticeSummary::new(site, i));
                }
            }
            let data = PageData::Year {
                year: year.year,
                count: year.notices.len(),
                months,
            };
            (format!("{}年通报", year.year), site_description, data)
        }
        Page::Categories => {
            let data = PageData::Categories {
                dashboard: Dashboard::of_site(site),
            };
            ("问题分类".into(), site_description, data)
        }
        Page::Category { id, page } => {
            let config = site.config.category(id);
            let cat = &site.categories[id];
            let per_problem = site.config.problems_per_page;
            let start = (page - 1) * per_problem;
            let items = cat
                .problems
                .iter()
                .skip(start)
                .take(per_problem)
                .map(|r| ProblemItem::new(site, *r))
                .collect();
            let notices = if page == 1 {
                cat.notices
                    .iter()
                    .map(|&i| NoticeSummary::new(site, i))
                    .collect()
            } else {
                Vec::new()
            };
            let pages = page_count(cat.problems.len(), per_problem);
            let data = PageData::Category {
                category: CategoryView::new(config),
                tally: TallyView::from(&cat.tally),
                reports: cat.problems.len(),
                items,
                notices,
                pager: Pager::new(page, pages, |n| routes::category(&config.key, n)),
            };
            let title = numbered(&config.name, page);
            let description = format!("{}：共{}个问题", config.name, cat.tally.problems);
            (title, description, data)
        }
        Page::Organizations => {
            let groups = site
                .organizations
                .iter()
                .map(|g| GroupView::new(g, routes::organization(&g.slug, 1)))
                .collect();
            (
                "发布单位".into(),
                site_description,
                PageData::Groups { groups },
            )
        }
        Page::Organization { id, page } => {
            let g = &site.organizations[id];
            let data = group_page(site, g, page, |n| routes::organization(&g.slug, n));
            let description = format!("{}发布的通报", g.name);
            (numbered(&g.name, page), description, data)
        }
        Page::Tags => {
            let groups = site
                .tags
                .iter()
                .map(|g| GroupView::new(g, routes::tag(&g.slug, 1)))
                .collect();
            ("标签".into(), site_description, PageData::Groups { groups })
        }
        Page::Tag { id, page } => {
            let g = &site.tags[id];
            let data = group_page(site, g, page, |n| routes::tag(&g.slug, n));
            let title = numbered(&format!("标签：{}", g.name), page);
            (title, format!("标签“{}”下的通报", g.name), data)
        }
        Page::Inspections => {
            let rounds = site
                .ledger
                .rounds
                .iter()
                .map(|r| RoundSummary::new(r))
                .collect();
            let description = format!("{}：各轮巡察（巡视）整改台账", site.config.title);
            (
                "整改台账".into(),
                description,
                PageData::Inspections { rounds },
            )
        }
        Page::Inspection { id } => {
            let round = RoundView::new(site, &site.ledger.rounds[id]);
            let title = round.summary.title.clone();
            let description = format!(
                "{}：共{}个问题，截至{}",
                title, round.summary.tally.problems, round.summary.as_of
            );
            let data = PageData::Inspection {
                round: Box::new(round),
            };
            (title, description, data)
        }
        Page::Units => {
            let units: Vec<UnitSummary> = site
                .county
                .units
                .iter()
                .map(|u| UnitSummary::new(site, u))
                .collect();
            let chart = BarChart::new(
                Breakdown::Completed,
                units.iter().map(|u| (u.link.short, &u.tally)),
            );
            let data = PageData::Units {
                units,
                dashboard: Dashboard::of_site(site),
                chart,
            };
            let description = format!("{}：各单位的通报和整改进展", site.config.title);
            ("各单位".into(), description, data)
        }
        Page::Unit { id, page } => {
            let index = &site.county.units[id];
            let unit = UnitView::new(site, index);
            let name = unit.summary.link.name;
            let path_of = |n| routes::unit(unit.summary.link.slug, n);
            let (notices, pager) = list(site, &index.notices, page, per, path_of);
            let description = format!(
                "{name}：{}篇通报，{}个问题，已完成{}%",
                index.notices.len(),
                index.figures.total.problems,
                index.figures.total.percent_completed()
            );
            let data = PageData::Unit {
                dashboard: Dashboard::of_unit(site, index),
                unit: Box::new(unit),
                notices,
                pager,
            };
            (numbered(name, page), description, data)
        }
        Page::CountyRounds => {
            let rounds = site
                .county
                .rounds
                .iter()
                .map(|r| CountyRoundSummary::new(site, r))
                .collect();
            let description = format!("{}：各轮巡察和被巡察单位的整改进展", site.config.title);
            (
                "巡察轮次".into(),
                description,
                PageData::CountyRounds { rounds },
            )
        }
        Page::CountyRound { id } => {
            let round = CountyRoundView::new(site, &site.county.rounds[id]);
            let title = round.summary.name.to_string();
            let description = format!(
                "{title}：{}个单位，{}个问题，已完成{}%",
                round.summary.unit_count,
                round.summary.tally.problems,
                round.summary.tally.percent_completed
            );
            let chart = BarChart::new(
                Breakdown::Completed,
                round.inspections.iter().map(|i| {
                    let name = i.unit.as_ref().map_or(i.organization, |u| u.short);
                    (name, &i.tally)
                }),
            );
            let data = PageData::CountyRound {
                round: Box::new(round),
                chart,
            };
            (title, description, data)
        }
        Page::NotFound => ("页面不存在".into(), site_description, PageData::Empty {}),
        Page::Search => {
            let years = site.years.iter().map(|y| y.year).collect();
            let units = if site.config.is_county() {
                site.config.units.iter().map(UnitLink::new).collect()
            } else {
                Vec::new()
            };
            let data = PageData::Search { years, units };
            ("搜索".into(), site_description, data)
        }
    }
}

/// `全部通报（第2页）`
fn numbered(title: &str, page: usize) -> String {
    if page > 1 {
        format!("{title}（第{page}页）")
    } else {
        title.to_string()
    }
}

fn group_page<'a>(
    site: &'a Site,
    g: &'a Group,
    page: usize,
    path_of: impl Fn(usize) -> String,
) -> PageData<'a> {
    let first = path_of(1);
    let (notices, pager) = list(
        site,
        &g.notices,
        page,
        site.config.notices_per_page,
        path_of,
    );
    PageData::Group {
        group: GroupView::new(g, first),
        notices,
        pager,
    }
}

/// One page of `notices`, and its pager.
fn list<'a>(
    site: &'a Site,
    notices: &[NoticeId],
    page: usize,
    per: usize,
    path_of: impl Fn(usize) -> String,
) -> (Vec<NoticeSummary<'a>>, Pager) {
    let shown = notices
        .iter()
        .skip((page - 1) * per)
        .take(per)
        .map(|&i| NoticeSummary::new(site, i))
        .collect();
    let pager = Pager::new(page, page_count(notices.len(), per), path_of);
    (shown, pager)
}
