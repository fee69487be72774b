//! The pages of a site: which exist, where they go, which template
//! renders them. What each shows is in [`context`](super::context).

use crate::model::Site;
use crate::routes;

/// How many notices the home page lists.
pub const HOME_NOTICES: usize = 10;

/// One output page. Numbers are 1-based page numbers of paginated lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Notices {
        page: usize,
    },
    Notice {
        index: usize,
    },
    Archive,
    Year {
        index: usize,
    },
    Categories,
    Category {
        index: usize,
        page: usize,
    },
    Organizations,
    Organization {
        index: usize,
        page: usize,
    },
    Tags,
    Tag {
        index: usize,
        page: usize,
    },
    /// The list of inspection rounds' ledgers.
    Inspections,
    /// The ledger (整改台账) of one round.
    Inspection {
        index: usize,
    },
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
        Page::Inspections,
        Page::NotFound,
    ];
    if site.config.search {
        pages.push(Page::Search);
    }
    pages.extend((1..=page_count(site.notices.len(), per)).map(|page| Page::Notices { page }));
    pages.extend((0..site.notices.len()).map(|index| Page::Notice { index }));
    pages.extend((0..site.years.len()).map(|index| Page::Year { index }));
    pages.extend((0..site.ledger.rounds.len()).map(|index| Page::Inspection { index }));
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
pub(crate) fn page_count(items: usize, per: usize) -> usize {
    items.div_ceil(per.max(1)).max(1)
}

impl Page {
    /// The output file, relative to the output folder.
    pub fn path(&self, site: &Site) -> String {
        match *self {
            Page::Home => routes::home(),
            Page::Notices { page } => routes::notices(page),
            Page::Notice { index } => routes::notice(&site.notices[index].slug),
            Page::Archive => routes::archive(),
            Page::Year { index } => routes::year(site.years[index].year),
            Page::Categories => routes::categories(),
            Page::Category { index, page } => {
                routes::category(&site.config.categories[index].key, page)
            }
            Page::Organizations => routes::organizations(),
            Page::Organization { index, page } => {
                routes::organization(&site.organizations[index].slug, page)
            }
            Page::Tags => routes::tags(),
            Page::Tag { index, page } => routes::tag(&site.tags[index].slug, page),
            Page::Inspections => routes::inspections(),
            Page::Inspection { index } => routes::inspection(&site.ledger.rounds[index].slug),
            Page::NotFound => routes::not_found(),
            Page::Search => routes::search(),
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
            Page::Inspections => "inspections.html",
            Page::Inspection { .. } => "inspection.html",
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
            Page::Inspections => "inspections",
            Page::Inspection { .. } => "inspection",
            Page::NotFound => "not_found",
            Page::Search => "search",
        }
    }

    /// The navigation section, to mark the current menu item.
    pub(super) fn section(&self) -> &'static str {
        match self {
            Page::Home => "home",
            Page::Notices { .. } | Page::Notice { .. } => "notices",
            Page::Archive | Page::Year { .. } => "archive",
            Page::Categories | Page::Category { .. } => "categories",
            Page::Organizations | Page::Organization { .. } => "organizations",
            Page::Tags | Page::Tag { .. } => "tags",
            Page::Inspections | Page::Inspection { .. } => "inspections",
            Page::NotFound => "",
            Page::Search => "search",
        }
    }
}
