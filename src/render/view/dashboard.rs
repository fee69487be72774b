//! The dashboards (整改进展) of the home page, the category and unit
//! pages: each problem counted once, at its latest report, by category
//! and status, with the chart of those counts.

use serde::Serialize;

use super::{BarChart, Breakdown, CategoryView, CountyRoundSummary, TallyView, YearTally};
use crate::model::{Site, UnitIndex};
use crate::routes;

/// The site's counts: each problem once, at its latest report.
#[derive(Serialize, Hash)]
pub struct Dashboard<'a> {
    total: TallyView,
    notices: usize,
    categories: Vec<CategoryTally<'a>>,
    /// The date of the newest notice: what the figures are as of.
    as_of: Option<String>,
    as_of_iso: Option<String>,
    /// Inspection rounds, and their problems past deadline and not complete.
    rounds: usize,
    overdue: usize,
    /// Where the ledgers of these rounds are listed.
    ledgers: String,
    /// A county's figures by year and by county round (empty otherwise).
    years: Vec<YearTally>,
    county_rounds: Vec<CountyRoundSummary<'a>>,
    /// The categories' counts by status, drawn.
    chart: BarChart<'a>,
}

#[derive(Serialize, Hash)]
struct CategoryTally<'a> {
    category: CategoryView<'a>,
    tally: TallyView,
    notices: usize,
}

impl<'a> Dashboard<'a> {
    /// The whole site's.
    pub fn of_site(site: &'a Site) -> Dashboard<'a> {
        let newest = site.notices.first().map(|n| n.notice.date.day);
        let categories: Vec<CategoryTally<'a>> = site
            .categories
            .iter()
            .map(|c| CategoryTally {
                category: CategoryView::new(site.config.category(c.id)),
                tally: (&c.tally).into(),
                notices: c.notice_count,
            })
            .collect();
        Dashboard {
            chart: chart(&categories),
            total: (&site.tally).into(),
            notices: site.notices.len(),
            as_of: newest.map(|d| d.chinese()),
            as_of_iso: newest.map(|d| d.iso()),
            rounds: site.ledger.rounds.len(),
            overdue: site.ledger.rounds.iter().map(|r| r.overdue).sum(),
            ledgers: routes::inspections(),
            categories,
            years: site.county.years.iter().map(YearTally::new).collect(),
            county_rounds: site
                .county
                .rounds
                .iter()
                .map(|r| CountyRoundSummary::new(site, r))
                .collect(),
        }
    }

    /// A unit's own: its problems, each counted once.
    pub fn of_unit(site: &'a Site, unit: &UnitIndex) -> Dashboard<'a> {
        let newest = unit.notices.first().map(|&n| site.notice(n).date.day);
        let mut notices_of = vec![0; site.config.categories.len()];
        for &n in &unit.notices {
            for c in site.notice(n).all_categories() {
                notices_of[c.0] += 1;
            }
        }
        let categories: Vec<CategoryTally<'a>> = site
            .config
            .categories
            .iter()
            .zip(&unit.figures.by_category)
            .zip(notices_of)
            .map(|((c, tally), notices)| CategoryTally {
                category: CategoryView::new(c),
                tally: tally.into(),
                notices,
            })
            .collect();
        Dashboard {
            chart: chart(&categories),
            total: (&unit.figures.total).into(),
            notices: unit.notices.len(),
            as_of: newest.map(|d| d.chinese()),
            as_of_iso: newest.map(|d| d.iso()),
            rounds: unit.rounds.len(),
            overdue: unit.figures.overdue,
            ledgers: routes::unit_ledgers(&site.config.unit(unit.id).slug),
            categories,
            years: Vec::new(),
            county_rounds: Vec::new(),
        }
    }
}

/// A bar for each category, by its short name.
fn chart<'a>(categories: &[CategoryTally<'a>]) -> BarChart<'a> {
    BarChart::new(
        Breakdown::States,
        categories.iter().map(|c| (c.category.short, &c.tally)),
    )
}
