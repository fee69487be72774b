//! The pages of a site: which exist, where they go, what they show.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;
use serde::Serialize;
use tera::Context;

use super::Templates;
use super::view::{
    self, CategoryView, GroupView, NoticeSummary, NoticeView, PageView, Pager, ProblemItem,
    TallyView,
};
use crate::diagnostic::Diagnostic;
use crate::site::{Group, Site};

/// How many notices the home page lists.
pub const HOME_NOTICES: usize = 10;

/// One output page. Numbers are 1-based page numbers of paginated lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Notices { page: usize },
    Notice { index: usize },
    Archive,
    Year { index: usize },
    Categories,
    Category { index: usize, page: usize },
    Organizations,
    Organization { index: usize, page: usize },
    Tags,
    Tag { index: usize, page: usize },
    NotFound,
    Search,
}

/// Every page of the site, in a stable order. Linear in the number of
/// notices and problems: a paginated list is one entry per page.
pub fn all(site: &Site) -> Vec<Page> {
    let per = site.config.notices_per_page;
    let per_problem = site.config.problems_per_page;
    let mut pages = vec![
        Page::Home,
        Page::Archive,
        Page::Categories,
        Page::Organizations,
        Page::Tags,
        Page::NotFound,
    ];
    if site.config.search {
        pages.push(Page::Search);
    }
    pages.extend((1..=page_count(site.notices.len(), per)).map(|page| Page::Notices { page }));
    pages.extend((0..site.notices.len()).map(|index| Page::Notice { index }));
    pages.extend((0..site.years.len()).map(|index| Page::Year { index }));
    for (index, c) in site.categories.iter().enumerate() {
        pages.extend(
            (1..=page_count(c.problems.len(), per_problem))
                .map(|page| Page::Category { index, page }),
        );
    }
    for (index, g) in site.organizations.iter().enumerate() {
        pages.extend(
            (1..=page_count(g.notices.len(), per)).map(|page| Page::Organization { index, page }),
        );
    }
    for (index, g) in site.tags.iter().enumerate() {
        pages.extend((1..=page_count(g.notices.len(), per)).map(|page| Page::Tag { index, page }));
    }
    pages
}

/// Pages needed for `items` at `per` a page; an empty list still has one.
fn page_count(items: usize, per: usize) -> usize {
    items.div_ceil(per.max(1)).max(1)
}

impl Page {
    /// The output file, relative to the output folder.
    pub fn path(&self, site: &Site) -> String {
        match *self {
            Page::Home => "index.html".into(),
            Page::Notices { page } => view::paged("notices", page),
            Page::Notice { index } => view::notice_path(&site.notices[index].slug),
            Page::Archive => "archive/index.html".into(),
            Page::Year { index } => format!("archive/{}/index.html", site.years[index].year),
            Page::Categories => "categories/index.html".into(),
            Page::Category { index, page } => {
                view::category_path(&site.config.categories[index].key, page)
            }
            Page::Organizations => "organizations/index.html".into(),
            Page::Organization { index, page } => view::paged(
                &format!("organizations/{}", site.organizations[index].slug),
                page,
            ),
            Page::Tags => "tags/index.html".into(),
            Page::Tag { index, page } => {
                view::paged(&format!("tags/{}", site.tags[index].slug), page)
            }
            Page::NotFound => "404.html".into(),
            Page::Search => "search/index.html".into(),
        }
    }

    /// The template that renders it.
    pub fn template(&self) -> &'static str {
        match self {
            Page::Home => "index.html",
            Page::Notices { .. } => "notices.html",
            Page::Notice { .. } => "notice.html",
            Page::Archive => "archive.html",
            Page::Year { .. } => "archive_year.html",
            Page::Categories => "categories.html",
            Page::Category { .. } => "category.html",
            Page::Organizations => "organizations.html",
            Page::Organization { .. } => "organization.html",
            Page::Tags => "tags.html",
            Page::Tag { .. } => "tag.html",
            Page::NotFound => "404.html",
            Page::Search => "search.html",
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Page::Home => "home",
            Page::Notices { .. } => "notices",
            Page::Notice { .. } => "notice",
            Page::Archive => "archive",
            Page::Year { .. } => "year",
            Page::Categories => "categories",
            Page::Category { .. } => "category",
            Page::Organizations => "organizations",
            Page::Organization { .. } => "organization",
            Page::Tags => "tags",
            Page::Tag { .. } => "tag",
            Page::NotFound => "not_found",
            Page::Search => "search",
        }
    }

    /// The navigation section, to mark the current menu item.
    fn section(&self) -> &'static str {
        match self {
            Page::Home => "home",
            Page::Notices { .. } | Page::Notice { .. } => "notices",
            Page::Archive | Page::Year { .. } => "archive",
            Page::Categories | Page::Category { .. } => "categories",
            Page::Organizations | Page::Organization { .. } => "organizations",
            Page::Tags | Page::Tag { .. } => "tags",
            Page::NotFound => "",
            Page::Search => "search",
        }
    }
}

/// A fingerprint of everything a page shows, cheap to compute: `serve`
/// renders a page again only when its fingerprint changed. Templates and
/// configuration are not part of it; a change to them renders every page.
pub fn fingerprint(site: &Site, page: &Page) -> u64 {
    let mut h = FxHasher::default();
    page.path(site).hash(&mut h);
    // What a notice shows in a list: its own data, its compiled summary,
    // and the address of its organization.
    let summary = |h: &mut FxHasher, i: usize| {
        (site.notices[i].version, site.html[i].stamp).hash(h);
        site.organizations[site.notice_org[i]].slug.hash(h);
    };
    let dashboard = |h: &mut FxHasher| {
        (site.tally, site.notices.len()).hash(h);
        for c in &site.categories {
            (c.tally, c.notice_count).hash(h);
        }
    };
    let list = |h: &mut FxHasher, notices: &[usize], page: usize, per: usize| {
        (notices.len(), page).hash(h);
        for &i in notices.iter().skip((page - 1) * per).take(per) {
            summary(h, i);
        }
    };
    let per = site.config.notices_per_page;
    match *page {
        Page::Home => {
            dashboard(&mut h);
            for i in 0..site.notices.len().min(HOME_NOTICES) {
                summary(&mut h, i);
            }
        }
        Page::Notices { page } => {
            let all: Vec<usize> = (0..site.notices.len()).collect();
            list(&mut h, &all, page, per);
        }
        Page::Notice { index } => {
            summary(&mut h, index);
            for &t in &site.notice_tags[index] {
                (&site.tags[t].name, &site.tags[t].slug).hash(&mut h);
            }
            for neighbour in [index.checked_sub(1), Some(index + 1)]
                .into_iter()
                .flatten()
            {
                site.notices.get(neighbour).map(|n| n.version).hash(&mut h);
            }
        }
        Page::Archive => {
            for y in &site.years {
                (y.year, y.notices.len()).hash(&mut h);
            }
        }
        Page::Year { index } => {
            let year = &site.years[index];
            list(&mut h, &year.notices, 1, usize::MAX);
        }
        Page::Categories => dashboard(&mut h),
        Page::Category { index, page } => {
            let c = &site.categories[index];
            let per = site.config.problems_per_page;
            (c.tally, c.problems.len()).hash(&mut h);
            for r in c.problems.iter().skip((page - 1) * per).take(per) {
                (site.notices[r.notice].version, r.problem).hash(&mut h);
            }
            if page == 1 {
                list(&mut h, &c.notices, 1, usize::MAX);
            }
        }
        Page::Organizations => {
            for g in &site.organizations {
                (&g.name, &g.slug, g.notices.len()).hash(&mut h);
            }
        }
        Page::Tags => {
            for g in &site.tags {
                (&g.name, &g.slug, g.notices.len()).hash(&mut h);
            }
        }
        Page::Organization { index, page } => {
            let g = &site.organizations[index];
            (&g.name, &g.slug).hash(&mut h);
            list(&mut h, &g.notices, page, per);
        }
        Page::Tag { index, page } => {
            let g = &site.tags[index];
            (&g.name, &g.slug).hash(&mut h);
            list(&mut h, &g.notices, page, per);
        }
        Page::NotFound => {}
        Page::Search => {
            for y in &site.years {
                y.year.hash(&mut h);
            }
        }
    }
    h.finish()
}

/// Renders one page.
pub fn render(site: &Site, templates: &Templates, page: &Page) -> Result<Vec<u8>, Diagnostic> {
    let mut context = Context::new();
    let (title, description) = fill(site, page, &mut context);
    let path = page.path(site);
    let root = match page {
        // 404.html is served at any depth: use absolute links when possible.
        Page::NotFound => site
            .config
            .base_url()
            .and_then(|u| u.split_once("://").map(|(_, rest)| rest.to_string()))
            .map(|rest| {
                rest.find('/')
                    .map_or("/".to_string(), |i| rest[i..].to_string())
            })
            .unwrap_or_default(),
        _ => "../".repeat(path.matches('/').count()),
    };
    let canonical = site
        .config
        .base_url()
        .filter(|_| *page != Page::NotFound)
        .map(|base| format!("{base}{}", path.strip_suffix("index.html").unwrap_or(&path)));
    let article = match *page {
        Page::Notice { index } => {
            let n = &site.notices[index];
            Some(view::ArticleMeta {
                title: n.title.clone(),
                pub_date: n.date.meta(),
                source: n.organization.clone(),
            })
        }
        _ => None,
    };
    let keywords = match *page {
        Page::Notice { index } => {
            let n = &site.notices[index];
            let mut words: Vec<&str> = n.tags.iter().map(String::as_str).collect();
            words.extend(
                n.all_categories()
                    .iter()
                    .map(|c| site.config.category(*c).short.as_str()),
            );
            words.join(",")
        }
        _ => site.config.column.clone(),
    };
    context.insert(
        "page",
        &PageView {
            kind: page.kind(),
            title,
            path,
            root,
            canonical,
            section: page.section(),
            description,
            keywords,
            article,
        },
    );
    templates.render(page.template(), &context)
}

/// Inserts the page's own data; returns its title and description.
fn fill(site: &Site, page: &Page, c: &mut Context) -> (String, String) {
    let site_description = site
        .config
        .description
        .clone()
        .unwrap_or_else(|| site.config.title.clone());
    let per = site.config.notices_per_page;
    match *page {
        Page::Home => {
            let latest: Vec<NoticeSummary> = (0..site.notices.len().min(HOME_NOTICES))
                .map(|i| NoticeSummary::new(site, i))
                .collect();
            c.insert("latest", &latest);
            c.insert("notice_count", &site.notices.len());
            c.insert("dashboard", &dashboard(site));
            (site.config.title.clone(), site_description)
        }
        Page::Notices { page } => {
            let all: Vec<usize> = (0..site.notices.len()).collect();
            list(site, c, &all, page, per, |n| view::paged("notices", n));
            c.insert("notice_count", &site.notices.len());
            (numbered("全部通报", page), site_description)
        }
        Page::Notice { index } => {
            let n = NoticeView::new(site, index);
            let neighbour = |i: usize| {
                site.notices.get(i).map(|n| view::Link {
                    name: &n.title,
                    path: view::notice_path(&n.slug),
                })
            };
            c.insert("newer", &index.checked_sub(1).and_then(neighbour));
            c.insert("older", &neighbour(index + 1));
            let description = n.summary.summary.to_string();
            let title = n.summary.title.to_string();
            c.insert("notice", &n);
            (title, description)
        }
        Page::Archive => {
            #[derive(Serialize)]
            struct YearView {
                year: i16,
                count: usize,
                path: String,
            }
            let years: Vec<YearView> = site
                .years
                .iter()
                .map(|y| YearView {
                    year: y.year,
                    count: y.notices.len(),
                    path: format!("archive/{}/index.html", y.year),
                })
                .collect();
            c.insert("years", &years);
            c.insert("notice_count", &site.notices.len());
            ("通报归档".into(), site_description)
        }
        Page::Year { index } => {
            #[derive(Serialize)]
            struct Month<'a> {
                month: i8,
                notices: Vec<NoticeSummary<'a>>,
            }
            let year = &site.years[index];
            let mut months: Vec<Month> = Vec::new();
            for &i in &year.notices {
                let m = site.notices[i].date.day.month();
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
            c.insert("year", &year.year);
            c.insert("count", &year.notices.len());
            c.insert("months", &months);
            (format!("{}年通报", year.year), site_description)
        }
        Page::Categories => {
            c.insert("dashboard", &dashboard(site));
            ("问题分类".into(), site_description)
        }
        Page::Category { index, page } => {
            let config = &site.config.categories[index];
            let cat = &site.categories[index];
            let per_problem = site.config.problems_per_page;
            let start = (page - 1) * per_problem;
            let items: Vec<ProblemItem> = cat
                .problems
                .iter()
                .skip(start)
                .take(per_problem)
                .map(|r| ProblemItem::new(site, *r))
                .collect();
            let notices: Vec<NoticeSummary> = if page == 1 {
                cat.notices
                    .iter()
                    .map(|&i| NoticeSummary::new(site, i))
                    .collect()
            } else {
                Vec::new()
            };
            c.insert("category", &CategoryView::new(config));
            c.insert("tally", &TallyView::from(&cat.tally));
            c.insert("items", &items);
            c.insert("first_number", &(start + 1));
            c.insert("notices", &notices);
            let pages = page_count(cat.problems.len(), per_problem);
            c.insert(
                "pager",
                &Pager::new(page, pages, |n| view::category_path(&config.key, n)),
            );
            (
                numbered(&config.name, page),
                format!("{}：共{}个问题", config.name, cat.tally.problems),
            )
        }
        Page::Organizations => {
            let groups: Vec<GroupView> = site
                .organizations
                .iter()
                .map(|g| GroupView::new(g, "organizations"))
                .collect();
            c.insert("groups", &groups);
            ("发布单位".into(), site_description)
        }
        Page::Organization { index, page } => {
            let g = &site.organizations[index];
            group_page(site, c, g, "organizations", page);
            (numbered(&g.name, page), format!("{}发布的通报", g.name))
        }
        Page::Tags => {
            let groups: Vec<GroupView> = site
                .tags
                .iter()
                .map(|g| GroupView::new(g, "tags"))
                .collect();
            c.insert("groups", &groups);
            ("标签".into(), site_description)
        }
        Page::Tag { index, page } => {
            let g = &site.tags[index];
            group_page(site, c, g, "tags", page);
            (
                numbered(&format!("标签：{}", g.name), page),
                format!("标签“{}”下的通报", g.name),
            )
        }
        Page::NotFound => ("页面不存在".into(), site_description),
        Page::Search => {
            let years: Vec<i16> = site.years.iter().map(|y| y.year).collect();
            c.insert("years", &years);
            ("搜索".into(), site_description)
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

fn group_page(site: &Site, c: &mut Context, g: &Group, section: &str, page: usize) {
    c.insert("group", &GroupView::new(g, section));
    let base = format!("{section}/{}", g.slug);
    list(
        site,
        c,
        &g.notices,
        page,
        site.config.notices_per_page,
        |n| view::paged(&base, n),
    );
}

/// Inserts one page of `notices` and its pager.
fn list(
    site: &Site,
    c: &mut Context,
    notices: &[usize],
    page: usize,
    per: usize,
    path_of: impl Fn(usize) -> String,
) {
    let shown: Vec<NoticeSummary> = notices
        .iter()
        .skip((page - 1) * per)
        .take(per)
        .map(|&i| NoticeSummary::new(site, i))
        .collect();
    c.insert("notices", &shown);
    c.insert(
        "pager",
        &Pager::new(page, page_count(notices.len(), per), path_of),
    );
}

#[derive(Serialize)]
struct Dashboard<'a> {
    total: TallyView,
    notices: usize,
    categories: Vec<CategoryTally<'a>>,
}

#[derive(Serialize)]
struct CategoryTally<'a> {
    category: CategoryView<'a>,
    tally: TallyView,
    notices: usize,
}

fn dashboard(site: &Site) -> Dashboard<'_> {
    Dashboard {
        total: (&site.tally).into(),
        notices: site.notices.len(),
        categories: site
            .categories
            .iter()
            .map(|c| CategoryTally {
                category: CategoryView::new(site.config.category(c.id)),
                tally: (&c.tally).into(),
                notices: c.notice_count,
            })
            .collect(),
    }
}
