//! Views of a county's site: the units' columns, the county rounds across
//! the units they inspected, and the county's figures by year and round.

use serde::Serialize;

use super::{ContactView, Link, NoticeLink, RoundSummary, TallyView};
use crate::config::{CountyRound, Unit};
use crate::content::UnitId;
use crate::model::Site;
use crate::model::county::{CountyRoundIndex, Inspected, UnitIndex, YearFigures};
use crate::routes;

/// A unit, as lists and breadcrumbs name it.
#[derive(Serialize, Hash)]
pub struct UnitLink<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub short: &'a str,
    pub path: String,
}

impl<'a> UnitLink<'a> {
    pub fn new(u: &'a Unit) -> UnitLink<'a> {
        UnitLink {
            slug: &u.slug,
            name: &u.name,
            short: &u.short,
            path: routes::unit(&u.slug, 1),
        }
    }

    /// The link to the unit `id` of `site`.
    pub fn of(site: &'a Site, id: UnitId) -> UnitLink<'a> {
        UnitLink::new(site.config.unit(id))
    }
}

/// A unit in the list of units: its figures and its latest notice.
#[derive(Serialize, Hash)]
pub struct UnitSummary<'a> {
    #[serde(flatten)]
    pub link: UnitLink<'a>,
    pub code: Option<&'a str>,
    pub notice_count: usize,
    pub round_count: usize,
    pub tally: TallyView,
    pub overdue: usize,
    pub latest: Option<NoticeLink<'a>>,
}

impl<'a> UnitSummary<'a> {
    pub fn new(site: &'a Site, unit: &'a UnitIndex) -> UnitSummary<'a> {
        let u = site.config.unit(unit.id);
        UnitSummary {
            link: UnitLink::new(u),
            code: u.code.as_deref(),
            notice_count: unit.notices.len(),
            round_count: unit.rounds.len(),
            tally: (&unit.figures.total).into(),
            overdue: unit.figures.overdue,
            latest: unit.notices.first().map(|&n| NoticeLink::new(site, n)),
        }
    }
}

/// What a unit's column shows besides its dashboard and notices: its
/// ledgers and its contacts.
#[derive(Serialize, Hash)]
pub struct UnitView<'a> {
    #[serde(flatten)]
    pub summary: UnitSummary<'a>,
    /// Its inspection rounds' ledgers, newest first.
    pub rounds: Vec<RoundSummary<'a>>,
    /// Its supervision contact, or the site's.
    pub contact: Option<ContactView<'a>>,
}

impl<'a> UnitView<'a> {
    pub fn new(site: &'a Site, unit: &'a UnitIndex) -> UnitView<'a> {
        let u = site.config.unit(unit.id);
        UnitView {
            summary: UnitSummary::new(site, unit),
            rounds: unit
                .rounds
                .iter()
                .map(|&r| RoundSummary::new(&site.ledger.rounds[r]))
                .collect(),
            contact: u
                .contact
                .as_ref()
                .or(site.config.contact.as_ref())
                .map(ContactView::new),
        }
    }
}

/// A county round in lists: its period and figures.
#[derive(Serialize, Hash)]
pub struct CountyRoundSummary<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub path: String,
    pub start: String,
    pub start_iso: String,
    pub end: String,
    pub end_iso: String,
    /// Units inspected (with a notice on the site).
    pub unit_count: usize,
    pub tally: TallyView,
    pub overdue: usize,
}

impl<'a> CountyRoundSummary<'a> {
    pub fn new(site: &'a Site, index: &CountyRoundIndex) -> CountyRoundSummary<'a> {
        let r: &'a CountyRound = site.config.county_round(index.id);
        let mut units: Vec<Option<UnitId>> = index.inspections.iter().map(|i| i.unit).collect();
        units.dedup();
        CountyRoundSummary {
            id: &r.id,
            name: &r.name,
            path: routes::county_round(&r.id),
            start: r.start.chinese(),
            start_iso: r.start.iso(),
            end: r.end.chinese(),
            end_iso: r.end.iso(),
            unit_count: units.len(),
            tally: (&index.figures.total).into(),
            overdue: index.figures.overdue,
        }
    }
}

/// One county round: a row for each inspection of a unit, and the totals.
#[derive(Serialize, Hash)]
pub struct CountyRoundView<'a> {
    #[serde(flatten)]
    pub summary: CountyRoundSummary<'a>,
    pub inspections: Vec<InspectedView<'a>>,
    /// Inspections placed in the round by their start date.
    pub inferred: usize,
}

/// A unit's inspection in a county round.
#[derive(Serialize, Hash)]
pub struct InspectedView<'a> {
    pub unit: Option<UnitLink<'a>>,
    /// The issuing body, as its notices name it.
    pub organization: &'a str,
    pub ledger: Link<'a>,
    pub tally: TallyView,
    pub overdue: usize,
    pub latest: Option<NoticeLink<'a>>,
    pub inferred: bool,
}

impl<'a> CountyRoundView<'a> {
    pub fn new(site: &'a Site, index: &'a CountyRoundIndex) -> CountyRoundView<'a> {
        CountyRoundView {
            summary: CountyRoundSummary::new(site, index),
            inspections: index
                .inspections
                .iter()
                .map(|i| InspectedView::new(site, i))
                .collect(),
            inferred: index.inspections.iter().filter(|i| i.inferred).count(),
        }
    }
}

impl<'a> InspectedView<'a> {
    fn new(site: &'a Site, i: &Inspected) -> InspectedView<'a> {
        let round = &site.ledger.rounds[i.round];
        InspectedView {
            unit: i.unit.map(|u| UnitLink::of(site, u)),
            organization: &round.organization,
            ledger: Link {
                name: &round.slug,
                path: routes::inspection(&round.slug),
            },
            tally: (&round.tally).into(),
            overdue: round.overdue,
            latest: round.notices.last().map(|&n| NoticeLink::new(site, n)),
            inferred: i.inferred,
        }
    }
}

/// The county's figures for one year.
#[derive(Serialize, Hash)]
pub struct YearTally {
    pub year: i16,
    pub tally: TallyView,
    pub overdue: usize,
}

impl YearTally {
    pub fn new(y: &YearFigures) -> YearTally {
        YearTally {
            year: y.year,
            tally: (&y.figures.total).into(),
            overdue: y.figures.overdue,
        }
    }
}
