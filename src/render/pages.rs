//! The pages of a site: which exist, where they go, which template
//! renders them. What each shows is in [`context`](super::context).
//!
//! Each kind of page is described once, in [`Kind`]: its name (what
//! templates see as `page.kind`), its template and its navigation
//! section. A [`Page`] is one page of a kind, with the row of the model it
//! shows; its output path comes from `routes`.

use crate::content::{CategoryId, CountyRoundId, UnitId};
use crate::model::{NoticeId, OrgId, RoundId, Site, TagId, YearId};
use crate::routes;

/// How many notices the home page lists.
pub const HOME_NOTICES: usize = 10;

/// A kind of page, described once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// What templates see as `page.kind`: `home`, `notice`, …
    pub name: &'static str,
    /// The template that renders it.
    pub template: &'static str,
    /// The navigation section it belongs to, to mark the current menu
    /// item (empty for none).
    pub section: &'static str,
}

impl Kind {
    const fn new(name: &'static str, template: &'static str, section: &'static str) -> Kind {
        Kind {
            name,
            template,
            section,
        }
    }

    pub const HOME: Kind = Kind::new("home", "index.html", "home");
    pub const NOTICES: Kind = Kind::new("notices", "notices.html", "notices");
    pub const NOTICE: Kind = Kind::new("notice", "notice.html", "notices");
    pub const BOARD: Kind = Kind::new("board", "board.html", "notices");
    pub const ARCHIVE: Kind = Kind::new("archive", "archive.html", "archive");
    pub const YEAR: Kind = Kind::new("year", "archive_year.html", "archive");
    pub const CATEGORIES: Kind = Kind::new("categories", "categories.html", "categories");
    pub const CATEGORY: Kind = Kind::new("category", "category.html", "categories");
    pub const ORGANIZATIONS: Kind =
        Kind::new("organizations", "organizations.html", "organizations");
    pub const ORGANIZATION: Kind = Kind::new("organization", "organization.html", "organizations");
    pub const TAGS: Kind = Kind::new("tags", "tags.html", "tags");
    pub const TAG: Kind = Kind::new("tag", "tag.html", "tags");
    pub const INSPECTIONS: Kind = Kind::new("inspections", "inspections.html", "inspections");
    pub const INSPECTION: Kind = Kind::new("inspection", "inspection.html", "inspections");
    pub const UNITS: Kind = Kind::new("units", "units.html", "units");
    pub const UNIT: Kind = Kind::new("unit", "unit.html", "units");
    pub const COUNTY_ROUNDS: Kind = Kind::new("county_rounds", "county_rounds.html", "rounds");
    pub const COUNTY_ROUND: Kind = Kind::new("county_round", "county_round.html", "rounds");
    pub const NOT_FOUND: Kind = Kind::new("not_found", "404.html", "");
    pub const SEARCH: Kind = Kind::new("search", "search.html", "search");

    /// Every kind, in the order the README's table lists them.
    #[cfg(test)]
    pub const ALL: [Kind; 20] = [
        Kind::HOME,
        Kind::NOTICES,
        Kind::NOTICE,
        Kind::BOARD,
        Kind::ARCHIVE,
        Kind::YEAR,
        Kind::CATEGORIES,
        Kind::CATEGORY,
        Kind::ORGANIZATIONS,
        Kind::ORGANIZATION,
        Kind::TAGS,
        Kind::TAG,
        Kind::INSPECTIONS,
        Kind::INSPECTION,
        Kind::UNITS,
        Kind::UNIT,
        Kind::COUNTY_ROUNDS,
        Kind::COUNTY_ROUND,
        Kind::NOT_FOUND,
        Kind::SEARCH,
    ];
}

/// One output page. Numbers are 1-based page numbers of paginated lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Home,
    Notices {
        page: usize,
    },
    Notice {
        id: NoticeId,
    },
    /// A notice's sheet for the notice board (公开栏版).
    Board {
        id: NoticeId,
    },
    Archive,
    Year {
        id: YearId,
    },
    Categories,
    Category {
        id: CategoryId,
        page: usize,
    },
    Organizations,
    Organization {
        id: OrgId,
        page: usize,
    },
    Tags,
    Tag {
        id: TagId,
        page: usize,
    },
    /// The list of inspection rounds' ledgers.
    Inspections,
    /// The ledger (整改台账) of one round.
    Inspection {
        id: RoundId,
    },
    /// The county's units.
    Units,
    /// A unit's column.
    Unit {
        id: UnitId,
        page: usize,
    },
    /// The county's inspection rounds.
    CountyRounds,
    /// One county round, across its units.
    CountyRound {
        id: CountyRoundId,
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
    pages.extend(site.notices.keys().map(|id| Page::Notice { id }));
    pages.extend(site.notices.keys().map(|id| Page::Board { id }));
    pages.extend(site.years.keys().map(|id| Page::Year { id }));
    pages.extend(site.ledger.rounds.keys().map(|id| Page::Inspection { id }));
    for (id, c) in site.categories.iter_enumerated() {
        let count = page_count(c.problems.len(), per_problem);
        pages.extend((1..=count).map(|page| Page::Category { id, page }));
    }
    for (id, g) in site.organizations.iter_enumerated() {
        let count = page_count(g.notices.len(), per);
        pages.extend((1..=count).map(|page| Page::Organization { id, page }));
    }
    for (id, g) in site.tags.iter_enumerated() {
        let count = page_count(g.notices.len(), per);
        pages.extend((1..=count).map(|page| Page::Tag { id, page }));
    }
    if site.config.is_county() && !site.config.units.is_empty() {
        pages.push(Page::Units);
        for (id, u) in site.county.units.iter_enumerated() {
            let count = page_count(u.notices.len(), per);
            pages.extend((1..=count).map(|page| Page::Unit { id, page }));
        }
    }
    if site.config.is_county() && !site.config.rounds.is_empty() {
        pages.push(Page::CountyRounds);
        pages.extend(site.county.rounds.keys().map(|id| Page::CountyRound { id }));
    }
    pages
}

/// Pages needed for `items` at `per` a page; an empty list still has one.
pub(crate) fn page_count(items: usize, per: usize) -> usize {
    items.div_ceil(per.max(1)).max(1)
}

impl Page {
    /// The kind of page it is.
    pub fn kind(&self) -> &'static Kind {
        match self {
            Page::Home => &Kind::HOME,
            Page::Notices { .. } => &Kind::NOTICES,
            Page::Notice { .. } => &Kind::NOTICE,
            Page::Board { .. } => &Kind::BOARD,
            Page::Archive => &Kind::ARCHIVE,
            Page::Year { .. } => &Kind::YEAR,
            Page::Categories => &Kind::CATEGORIES,
            Page::Category { .. } => &Kind::CATEGORY,
            Page::Organizations => &Kind::ORGANIZATIONS,
            Page::Organization { .. } => &Kind::ORGANIZATION,
            Page::Tags => &Kind::TAGS,
            Page::Tag { .. } => &Kind::TAG,
            Page::Inspections => &Kind::INSPECTIONS,
            Page::Inspection { .. } => &Kind::INSPECTION,
            Page::Units => &Kind::UNITS,
            Page::Unit { .. } => &Kind::UNIT,
            Page::CountyRounds => &Kind::COUNTY_ROUNDS,
            Page::CountyRound { .. } => &Kind::COUNTY_ROUND,
            Page::NotFound => &Kind::NOT_FOUND,
            Page::Search => &Kind::SEARCH,
        }
    }

    /// The output file, relative to the output folder.
    pub fn path(&self, site: &Site) -> String {
        match *self {
            Page::Home => routes::home(),
            Page::Notices { page } => routes::notices(page),
            Page::Notice { id } => routes::notice(&site.notice(id).slug),
            Page::Board { id } => routes::board(&site.notice(id).slug),
            Page::Archive => routes::archive(),
            Page::Year { id } => routes::year(site.years[id].year),
            Page::Categories => routes::categories(),
            Page::Category { id, page } => routes::category(&site.config.category(id).key, page),
            Page::Organizations => routes::organizations(),
            Page::Organization { id, page } => {
                routes::organization(&site.organizations[id].slug, page)
            }
            Page::Tags => routes::tags(),
            Page::Tag { id, page } => routes::tag(&site.tags[id].slug, page),
            Page::Inspections => routes::inspections(),
            Page::Inspection { id } => routes::inspection(&site.ledger.rounds[id].slug),
            Page::Units => routes::units(),
            Page::Unit { id, page } => routes::unit(&site.config.unit(id).slug, page),
            Page::CountyRounds => routes::county_rounds(),
            Page::CountyRound { id } => routes::county_round(&site.config.county_round(id).id),
            Page::NotFound => routes::not_found(),
            Page::Search => routes::search(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    /// The README's table of page kinds: (kind, template) of each row.
    fn readme_kinds() -> Vec<(String, String)> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(path).unwrap_or_default();
        let Some(table) = readme.split("| kind | 模板 template |").nth(1) else {
            return Vec::new();
        };
        table
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|row| {
                let cell = |i: usize| row.split('|').nth(i).unwrap_or("").trim().trim_matches('`');
                (cell(1).to_string(), cell(2).to_string())
            })
            .collect()
    }

    #[test]
    fn the_built_in_theme_has_every_kind_s_template() {
        let theme = crate::render::Theme::load(std::path::Path::new("/nonexistent"), "default");
        let theme = theme.unwrap_or_else(|e| panic!("{e:?}"));
        for k in Kind::ALL {
            assert!(
                theme.templates.iter().any(|(name, _)| name == k.template),
                "{} has no template {}",
                k.name,
                k.template
            );
        }
    }

    #[test]
    fn the_readme_lists_every_kind_of_page_with_its_template() {
        let in_code: Vec<(String, String)> = Kind::ALL
            .iter()
            .map(|k| (k.name.to_string(), k.template.to_string()))
            .collect();
        assert_eq!(readme_kinds(), in_code);
    }
}
