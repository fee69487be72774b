//! `units.json` and `rounds.json`: a county's units and its rounds, with
//! their figures (each problem counted once), for the county's own
//! statistics ("77 units over ten rounds, 93.7 % rectified").

use serde::Serialize;

use super::page_url;
use crate::content::Tally;
use crate::model::Site;
use crate::model::county::Figures;
use crate::routes;

#[derive(Serialize)]
struct UnitData<'a> {
    slug: &'a str,
    name: &'a str,
    short: &'a str,
    aliases: &'a [String],
    code: Option<&'a str>,
    url: String,
    notice_count: usize,
    /// Its inspection rounds, as in `inspections.json`.
    inspections: Vec<&'a str>,
    #[serde(flatten)]
    figures: FiguresData<'a>,
    /// The date of its newest notice.
    latest: Option<String>,
}

#[derive(Serialize)]
struct FiguresData<'a> {
    /// Each problem once, at its latest report.
    tally: &'a Tally,
    /// Completed share in whole percent.
    percent_completed: usize,
    overdue: usize,
}

impl<'a> FiguresData<'a> {
    fn new(f: &'a Figures) -> FiguresData<'a> {
        FiguresData {
            tally: &f.total,
            percent_completed: f.total.percent_completed(),
            overdue: f.overdue,
        }
    }
}

#[derive(Serialize)]
struct RoundData<'a> {
    id: &'a str,
    name: &'a str,
    start: String,
    end: String,
    url: String,
    #[serde(flatten)]
    figures: FiguresData<'a>,
    inspections: Vec<InspectedData<'a>>,
}

/// A unit's inspection in a county round.
#[derive(Serialize)]
struct InspectedData<'a> {
    /// The unit's slug; none for an issuing body that is no unit.
    unit: Option<&'a str>,
    organization: &'a str,
    /// The inspection round, as in `inspections.json`.
    inspection: &'a str,
    /// Placed in the round by its start date, not named by a notice.
    inferred: bool,
    tally: &'a Tally,
    overdue: usize,
}

#[derive(Serialize)]
struct Export<'a, T> {
    site: &'a str,
    generator: String,
    #[serde(flatten)]
    totals: FiguresData<'a>,
    items: Vec<T>,
}

/// `units.json`.
pub(super) fn units_json(site: &Site, totals: &Figures) -> Vec<u8> {
    let base = site.config.base_url.as_ref();
    let items: Vec<UnitData> = site
        .county
        .units
        .iter()
        .map(|u| {
            let unit = site.config.unit(u.id);
            UnitData {
                slug: &unit.slug,
                name: &unit.name,
                short: &unit.short,
                aliases: &unit.aliases,
                code: unit.code.as_deref(),
                url: page_url(base, &routes::unit(&unit.slug, 1)),
                notice_count: u.notices.len(),
                inspections: u
                    .rounds
                    .iter()
                    .map(|&r| site.ledger.rounds[r].slug.as_str())
                    .collect(),
                figures: FiguresData::new(&u.figures),
                latest: u.notices.first().map(|&n| site.notice(n).date.day.iso()),
            }
        })
        .collect();
    export(site, totals, items)
}

/// `rounds.json`.
pub(super) fn rounds_json(site: &Site, totals: &Figures) -> Vec<u8> {
    let base = site.config.base_url.as_ref();
    let items: Vec<RoundData> = site
        .county
        .rounds
        .iter()
        .map(|c| {
            let round = site.config.county_round(c.id);
            RoundData {
                id: &round.id,
                name: &round.name,
                start: round.start.iso(),
                end: round.end.iso(),
                url: page_url(base, &routes::county_round(&round.id)),
                figures: FiguresData::new(&c.figures),
                inspections: c
                    .inspections
                    .iter()
                    .map(|i| {
                        let r = &site.ledger.rounds[i.round];
                        InspectedData {
                            unit: i.unit.map(|u| site.config.unit(u).slug.as_str()),
                            organization: &r.organization,
                            inspection: &r.slug,
                            inferred: i.inferred,
                            tally: &r.tally,
                            overdue: r.overdue,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    export(site, totals, items)
}

fn export<T: Serialize>(site: &Site, totals: &Figures, items: Vec<T>) -> Vec<u8> {
    let export = Export {
        site: &site.config.title,
        generator: format!("gongkai {}", env!("CARGO_PKG_VERSION")),
        totals: FiguresData::new(totals),
        items,
    };
    let mut bytes = serde_json::to_vec(&export).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
