//! The county's view: each unit's column (its notices, its inspection
//! rounds' ledgers, its figures) and each county round (县委第六轮巡察)
//! across the units it inspected.
//!
//! A unit's own ledgers stay per inspection, as for any site. A county
//! round is made of the inspection rounds of its units: an inspection is in
//! the county round that one of its notices names (`inspection.round`), or
//! else in the one whose period contains the inspection's start (then the
//! placement is *inferred*, and said so). Each problem is counted once: by
//! unit, inspection and number, at its latest report, as everywhere else.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::{SiteConfig, county};
use crate::content::{CountyRoundId, Day, Notice, Tally, UnitId};
use crate::diagnostic::{Code, Diagnostic};
use crate::locate;
use crate::yaml::Seg;

use super::NoticeRow;
use super::ids::{NoticeId, RoundId, TiSlice, TiVec};
use super::rounds::{Ledger, Round, Standing};

/// The figures of a set of notices and inspection rounds: each problem
/// counted once, at its latest report, in all and per category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Figures {
    pub total: Tally,
    /// In the site's order of categories.
    pub by_category: Vec<Tally>,
    /// Problems past their deadline and not complete, in the rounds.
    pub overdue: usize,
}

impl Figures {
    fn new(categories: usize) -> Figures {
        Figures {
            total: Tally::default(),
            by_category: vec![Tally::default(); categories],
            overdue: 0,
        }
    }

    /// Counts the problems of a notice of no round: each once.
    fn add_notice(&mut self, n: &Notice) {
        for p in &n.problems {
            self.total.add(p);
            self.by_category[p.category.0].add(p);
        }
    }

    /// Counts each problem of an inspection round once, at its latest
    /// report.
    fn add_round(&mut self, rows: &TiSlice<NoticeId, NoticeRow>, round: &Round) {
        for e in &round.entries {
            let s = Standing::of(rows, e);
            self.by_category[s.problem.category.0].count(s.problem, s.recovered);
        }
        self.total = self.total.plus(&round.tally);
        self.overdue += round.overdue;
    }
}

/// One unit's column.
#[derive(Debug, Clone)]
pub struct UnitIndex {
    pub id: UnitId,
    /// Its notices, newest first.
    pub notices: Vec<NoticeId>,
    /// Its inspection rounds (ledgers), newest first.
    pub rounds: Vec<RoundId>,
    pub figures: Figures,
}

/// One county round, across the units it inspected.
#[derive(Debug, Clone)]
pub struct CountyRoundIndex {
    pub id: CountyRoundId,
    /// The inspection rounds in it, each with its unit, in the order of
    /// the units in `site.yaml`.
    pub inspections: Vec<Inspected>,
    /// Each problem counted once, by unit, inspection and number.
    pub figures: Figures,
}

/// The problems first reported in one year, counted once at their latest
/// report.
#[derive(Debug, Clone)]
pub struct YearFigures {
    pub year: i16,
    pub figures: Figures,
}

/// An inspection round of a unit, in a county round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspected {
    pub unit: Option<UnitId>,
    pub round: RoundId,
    /// Placed by the inspection's start date, not named by a notice.
    pub inferred: bool,
}

/// The county's indexes, and every mistake found making them.
#[derive(Debug, Clone, Default)]
pub struct County {
    pub units: TiVec<UnitId, UnitIndex>,
    pub rounds: TiVec<CountyRoundId, CountyRoundIndex>,
    /// The county round of each inspection round, if it is in one.
    pub round_of: TiVec<RoundId, Option<(CountyRoundId, bool)>>,
    /// The county's figures by the year problems were first reported,
    /// newest first (only for a site with units or rounds).
    pub years: Vec<YearFigures>,
}

impl County {
    /// Places every notice in its unit and every inspection round in its
    /// county round. `rows` are the site's notices, newest first.
    pub fn build(
        config: &SiteConfig,
        rows: &TiSlice<NoticeId, NoticeRow>,
        ledger: &Ledger,
    ) -> (County, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let round_of: TiVec<RoundId, Option<(CountyRoundId, bool)>> = ledger
            .rounds
            .iter()
            .map(|r| county_round(config, rows, r, &mut errors))
            .collect();
        let is_county = config.is_county();
        let county = County {
            units: units(config, rows, ledger),
            rounds: rounds(config, rows, ledger, &round_of),
            years: if is_county {
                years(config, rows, ledger)
            } else {
                Vec::new()
            },
            round_of,
        };
        (county, errors)
    }
}

/// The unit of an inspection round: the unit of its first notice.
pub fn unit_of_round(rows: &TiSlice<NoticeId, NoticeRow>, round: &Round) -> Option<UnitId> {
    round.notices.first().and_then(|&n| rows[n].notice.unit)
}

fn units(
    config: &SiteConfig,
    rows: &TiSlice<NoticeId, NoticeRow>,
    ledger: &Ledger,
) -> TiVec<UnitId, UnitIndex> {
    let mut units: TiVec<UnitId, UnitIndex> = (0..config.units.len())
        .map(|i| UnitIndex {
            id: UnitId(i),
            notices: Vec::new(),
            rounds: Vec::new(),
            figures: Figures::new(config.categories.len()),
        })
        .collect();
    for (id, row) in rows.iter_enumerated() {
        let Some(u) = row.notice.unit else { continue };
        let unit = &mut units[u];
        unit.notices.push(id);
        if row.round.is_none() {
            unit.figures.add_notice(&row.notice);
        }
    }
    for (id, round) in ledger.rounds.iter_enumerated() {
        let Some(u) = unit_of_round(rows, round) else {
            continue;
        };
        let unit = &mut units[u];
        unit.rounds.push(id);
        unit.figures.add_round(rows, round);
    }
    units
}

fn rounds(
    config: &SiteConfig,
    rows: &TiSlice<NoticeId, NoticeRow>,
    ledger: &Ledger,
    round_of: &TiSlice<RoundId, Option<(CountyRoundId, bool)>>,
) -> TiVec<CountyRoundId, CountyRoundIndex> {
    let mut rounds: TiVec<CountyRoundId, CountyRoundIndex> = (0..config.rounds.len())
        .map(|i| CountyRoundIndex {
            id: CountyRoundId(i),
            inspections: Vec::new(),
            figures: Figures::new(config.categories.len()),
        })
        .collect();
    for (id, placed) in round_of.iter_enumerated() {
        let Some((c, inferred)) = *placed else {
            continue;
        };
        let round = &ledger.rounds[id];
        let county = &mut rounds[c];
        county.inspections.push(Inspected {
            unit: unit_of_round(rows, round),
            round: id,
            inferred,
        });
        county.figures.add_round(rows, round);
    }
    for county in rounds.iter_mut() {
        // The order of the units in site.yaml; rounds of no unit last.
        county
            .inspections
            .sort_by_key(|i| (i.unit.map_or(usize::MAX, |u| u.0), i.round));
    }
    rounds
}

/// The figures by the year each problem was first reported: the year of
/// its inspection round's first notice, or of its own notice.
fn years(
    config: &SiteConfig,
    rows: &TiSlice<NoticeId, NoticeRow>,
    ledger: &Ledger,
) -> Vec<YearFigures> {
    let mut years: BTreeMap<i16, Figures> = BTreeMap::new();
    let fresh = || Figures::new(config.categories.len());
    for row in rows.iter().filter(|r| r.round.is_none()) {
        let year = row.notice.date.day.year();
        years
            .entry(year)
            .or_insert_with(fresh)
            .add_notice(&row.notice);
    }
    for round in &ledger.rounds {
        let Some(&first) = round.notices.first() else {
            continue;
        };
        let year = rows[first].notice.date.day.year();
        years
            .entry(year)
            .or_insert_with(fresh)
            .add_round(rows, round);
    }
    years
        .into_iter()
        .rev()
        .map(|(year, figures)| YearFigures { year, figures })
        .collect()
}

/// The county round of an inspection round, and whether it was inferred
/// from the dates. Two notices of one inspection naming different county
/// rounds are a mistake, reported at the later one.
fn county_round(
    config: &SiteConfig,
    rows: &TiSlice<NoticeId, NoticeRow>,
    round: &Arc<Round>,
    errors: &mut Vec<Diagnostic>,
) -> Option<(CountyRoundId, bool)> {
    let mut named: Option<(CountyRoundId, &Notice)> = None;
    for &n in &round.notices {
        let notice = &rows[n].notice;
        let Some(c) = notice.county_round else {
            continue;
        };
        match named {
            None => named = Some((c, notice)),
            Some((first, earlier)) if first != c => {
                errors.push(conflict(config, notice, earlier, first, c))
            }
            Some(_) => {}
        }
    }
    if let Some((c, _)) = named {
        return Some((c, false));
    }
    let start: Day = round.inspection.start?;
    county::round_of_day(&config.rounds, start).map(|c| (c, true))
}

fn conflict(
    config: &SiteConfig,
    notice: &Notice,
    earlier: &Notice,
    first: CountyRoundId,
    now: CountyRoundId,
) -> Diagnostic {
    let message = format!(
        "同一次巡察的通报归入了不同的巡察轮次：这篇写的是“{}”，{} 写的是“{}”",
        config.county_round(now).name,
        earlier.source.display(),
        config.county_round(first).name
    );
    locate::field(
        Code::CountyRound,
        notice,
        &[Seg::Key("inspection"), Seg::Key("round")],
        None,
        message,
    )
    .help("同一次巡察（同一单位、巡察组和开始日期）的各篇通报应当属于同一轮：请改成一样的 inspection.round，或删掉这一行，按巡察开始日期自动归入。")
}
