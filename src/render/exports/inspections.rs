//! `inspections.json`: each inspection round, with its totals, each
//! problem once at its latest status, and the history of its reports.

use rayon::prelude::*;
use serde::Serialize;

use super::problems::{StateData, yuan};
use super::{Pieces, json_parts, page_url, parts};
use crate::content::{Tally, Yuan};
use crate::model::rounds::Standing;
use crate::model::{Round, Site};
use crate::routes;

/// `inspections.json`: each inspection round, its figures (each problem
/// once) and each problem's history across the round's notices.
pub(super) fn inspections_json<'a>(
    site: &'a Site,
    pieces: &'a Pieces,
) -> Box<dyn Iterator<Item = Vec<u8>> + 'a> {
    #[derive(Serialize)]
    struct Export<'a> {
        site: &'a str,
        generator: String,
        /// Empty: [`json_parts`] adds the rounds.
        inspections: [(); 0],
    }
    let export = Export {
        site: &site.config.title,
        generator: format!("gongkai {}", env!("CARGO_PKG_VERSION")),
        inspections: [],
    };
    let rounds = &site.ledger.rounds.raw;
    json_parts(&export, parts(rounds.len(), pieces), move |range| {
        let data: Vec<RoundData> = rounds[range]
            .par_iter()
            .map(|r| RoundData::new(site, r))
            .collect();
        pieces.rounds(&data)
    })
}

#[derive(Serialize, Hash)]
struct RoundData<'a> {
    id: &'a str,
    /// The round's ledger page.
    url: String,
    organization: &'a str,
    /// 巡察 or 巡视
    kind: &'static str,
    group: Option<&'a str>,
    start: Option<String>,
    end: Option<String>,
    feedback: Option<String>,
    /// The date of its newest notice: what the figures are as of.
    as_of: String,
    /// Its notices' slugs, oldest first.
    notices: Vec<&'a str>,
    /// Each problem once, at its latest report.
    tally: &'a Tally,
    /// Past deadline and not complete, as of `as_of`.
    overdue: usize,
    problems: Vec<EntryData<'a>>,
}

/// One problem of a round: where it stands, and every report of it.
#[derive(Serialize, Hash)]
struct EntryData<'a> {
    /// As `id` in `problems.json`.
    id: String,
    title: &'a str,
    category: &'a str,
    #[serde(flatten)]
    state: StateData,
    deadline: Option<&'a str>,
    deadline_date: Option<String>,
    overdue: bool,
    /// As last stated.
    #[serde(serialize_with = "yuan")]
    recovered_yuan: Option<&'a Yuan>,
    history: Vec<ReportData<'a>>,
}

#[derive(Serialize, Hash)]
struct ReportData<'a> {
    notice: &'a str,
    date: String,
    number: u32,
    /// Only when this report words the title otherwise than the latest.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    result: Option<&'a str>,
    #[serde(flatten)]
    state: StateData,
    /// The problem on its notice's page.
    url: String,
}

impl<'a> RoundData<'a> {
    fn new(site: &'a Site, round: &'a Round) -> RoundData<'a> {
        let base = site.config.base_url.as_ref();
        let i = &round.inspection;
        RoundData {
            id: &round.slug,
            url: page_url(base, &routes::inspection(&round.slug)),
            organization: &round.organization,
            kind: round.kind.label(),
            group: i.group.as_deref(),
            start: i.start.map(|d| d.iso()),
            end: i.end.map(|d| d.iso()),
            feedback: i.feedback.map(|d| d.iso()),
            as_of: round.as_of.iso(),
            notices: round
                .notices
                .iter()
                .map(|&n| site.notice(n).slug.as_str())
                .collect(),
            tally: &round.tally,
            overdue: round.overdue,
            problems: round
                .entries
                .iter()
                .enumerate()
                .map(|(row, e)| {
                    let s = Standing::of(&site.notices, e);
                    EntryData {
                        id: format!("{}/{}", round.slug, row + 1),
                        title: &s.problem.title,
                        category: &site.config.category(s.problem.category).key,
                        state: StateData::of(s.problem),
                        deadline: s.deadline.map(|d| d.written.as_str()),
                        deadline_date: s.deadline.and_then(|d| d.day()).map(|d| d.iso()),
                        overdue: s.is_overdue(round.as_of),
                        recovered_yuan: s.recovered,
                        history: e
                            .reports
                            .iter()
                            .map(|&r| {
                                let n = site.notice(r.notice);
                                let p = site.problem(r);
                                ReportData {
                                    notice: &n.slug,
                                    date: n.date.day.iso(),
                                    number: p.number,
                                    title: (p.title != s.problem.title).then_some(p.title.as_str()),
                                    result: p.result.as_deref(),
                                    state: StateData::of(p),
                                    url: format!(
                                        "{}#{}",
                                        page_url(base, &routes::notice(&n.slug)),
                                        routes::problem_anchor(p.number)
                                    ),
                                }
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}
