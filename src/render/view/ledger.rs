//! Views of the inspection rounds: the ledger (整改台账) pages, and what a
//! notice page and a category page show of a problem's other reports.

use serde::Serialize;

use super::{BadgeView, CategoryView, InspectionView, NoticeLink, TallyView, badges};
use crate::content::{Deadline, Due};
use crate::model::rounds::Standing;
use crate::model::{Entry, NoticeId, ProblemRef, Round, Site};
use crate::routes;

/// Another report of the same problem, for one line such as
/// `上次通报：阶段性完成（2022年9月30日）`.
#[derive(Serialize, Hash)]
pub struct ReportLink {
    /// The state that report gave: 阶段性完成, or 未注明.
    pub state: &'static str,
    pub date: String,
    /// The problem on that notice's page.
    pub path: String,
}

impl ReportLink {
    pub fn new(site: &Site, r: ProblemRef) -> ReportLink {
        let n = site.notice(r.notice);
        let p = site.problem(r);
        ReportLink {
            state: p.status.map_or("未注明", |s| s.state.label()),
            date: n.date.day.chinese(),
            path: routes::problem(&n.slug, p.number),
        }
    }

    /// The newest report of the problem `r`, when a later notice made one.
    pub fn latest(site: &Site, r: ProblemRef) -> Option<ReportLink> {
        let (_, entry) = site.ledger.entry(r)?;
        let latest = entry.latest();
        (latest != r).then(|| ReportLink::new(site, latest))
    }
}

/// Where a report of a problem sits among the others: the report before
/// it, the newest one when it is not, and the problem in its ledger.
#[derive(Serialize, Hash, Default)]
pub struct Thread {
    pub previous: Option<ReportLink>,
    /// Set when a later notice reported the problem again.
    pub latest: Option<ReportLink>,
    /// The problem's row in its round's ledger.
    pub ledger: Option<String>,
}

impl Thread {
    pub fn new(site: &Site, r: ProblemRef) -> Thread {
        let Some((round, row)) = site.ledger.place(r) else {
            return Thread::default();
        };
        Thread {
            previous: site.ledger.previous(r).map(|p| ReportLink::new(site, p)),
            latest: ReportLink::latest(site, r),
            ledger: Some(routes::ledger_entry(
                &site.ledger.rounds[round].slug,
                row + 1,
            )),
        }
    }
}

/// The round a notice belongs to, shown on the notice's page: every notice
/// of the round, so that an earlier one links forward to the later ones.
#[derive(Serialize, Hash)]
pub struct SeriesView<'a> {
    pub title: String,
    /// The round's ledger.
    pub path: String,
    /// Oldest first.
    pub notices: Vec<SeriesNotice<'a>>,
    /// The round's newest notice, when it is not this one.
    pub latest: Option<NoticeLink<'a>>,
}

#[derive(Serialize, Hash)]
pub struct SeriesNotice<'a> {
    #[serde(flatten)]
    pub link: NoticeLink<'a>,
    /// The notice whose page this is.
    pub current: bool,
}

impl<'a> SeriesView<'a> {
    /// The series of the notice at `index`, if it is in a round.
    pub fn of(site: &'a Site, id: NoticeId) -> Option<SeriesView<'a>> {
        let round = &site.ledger.rounds[site.notices[id].round?];
        let newest = *round.notices.last()?;
        Some(SeriesView {
            title: title(round),
            path: routes::inspection(&round.slug),
            notices: round
                .notices
                .iter()
                .map(|&i| SeriesNotice {
                    link: NoticeLink::new(site, i),
                    current: i == id,
                })
                .collect(),
            latest: (newest != id).then(|| NoticeLink::new(site, newest)),
        })
    }
}

/// `示范街道党工委巡察整改台账`
fn title(round: &Round) -> String {
    format!("{}{}整改台账", round.organization, round.kind.label())
}

/// A round in the list of ledgers, and at the head of its own.
#[derive(Serialize, Hash)]
pub struct RoundSummary<'a> {
    pub slug: &'a str,
    pub path: String,
    pub title: String,
    pub organization: &'a str,
    pub inspection: InspectionView,
    pub notice_count: usize,
    /// Each problem once, at its latest report.
    pub tally: TallyView,
    /// The date of the round's newest notice: what the figures are as of.
    pub as_of: String,
    pub as_of_iso: String,
    pub overdue: usize,
}

impl<'a> RoundSummary<'a> {
    pub fn new(round: &'a Round) -> RoundSummary<'a> {
        RoundSummary {
            slug: &round.slug,
            path: routes::inspection(&round.slug),
            title: title(round),
            organization: &round.organization,
            inspection: InspectionView::new(&round.inspection),
            notice_count: round.notices.len(),
            tally: (&round.tally).into(),
            as_of: round.as_of.chinese(),
            as_of_iso: round.as_of.iso(),
            overdue: round.overdue,
        }
    }
}

/// The ledger of one round.
#[derive(Serialize, Hash)]
pub struct RoundView<'a> {
    #[serde(flatten)]
    pub summary: RoundSummary<'a>,
    /// Its notices, oldest first.
    pub notices: Vec<NoticeLink<'a>>,
    pub entries: Vec<EntryView<'a>>,
    /// Entries not complete at their latest report.
    pub open: usize,
}

/// One problem of a round, across its reports.
#[derive(Serialize, Hash)]
pub struct EntryView<'a> {
    /// Its row, from 1.
    pub row: usize,
    pub anchor: String,
    /// As the latest report names it.
    pub number: u32,
    pub title: &'a str,
    pub category: CategoryView<'a>,
    pub badges: Vec<BadgeView>,
    pub result: Option<&'a str>,
    pub complete: bool,
    pub deadline: Option<DeadlineView<'a>>,
    /// Money recovered, as last stated.
    pub recovered: Option<String>,
    /// Every report, oldest first.
    pub reports: Vec<ReportView<'a>>,
    /// Whether the round's newest notice reports it.
    pub in_latest_notice: bool,
    /// The date of the notice that reported it last.
    pub last_reported: String,
}

#[derive(Serialize, Hash)]
pub struct DeadlineView<'a> {
    /// As the notice wrote it: 2022年12月底前.
    pub written: &'a str,
    /// The day it means, when it means one.
    pub date_iso: Option<String>,
    /// `date`, `long_term` or `immediate`.
    pub kind: &'static str,
    /// Past, and the problem not complete, as of the round's newest notice.
    pub overdue: bool,
}

/// One report of a problem, in its history.
#[derive(Serialize, Hash)]
pub struct ReportView<'a> {
    /// Its notice, as an index into the round's `notices`.
    pub of: usize,
    pub number: u32,
    pub path: String,
    pub badges: Vec<BadgeView>,
    pub result: Option<&'a str>,
    /// Whether the report says what was done (its 整改情况): the ledger
    /// links to it on the notice's page rather than repeating it.
    pub measures: bool,
    pub recovered: Option<String>,
}

impl<'a> RoundView<'a> {
    pub fn new(site: &'a Site, round: &'a Round) -> RoundView<'a> {
        let entries: Vec<EntryView> = round
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| EntryView::new(site, round, e, i + 1))
            .collect();
        RoundView {
            summary: RoundSummary::new(round),
            notices: round
                .notices
                .iter()
                .map(|&i| NoticeLink::new(site, i))
                .collect(),
            open: entries.iter().filter(|e| !e.complete).count(),
            entries,
        }
    }
}

impl<'a> EntryView<'a> {
    fn new(site: &'a Site, round: &Round, entry: &Entry, row: usize) -> EntryView<'a> {
        let standing = Standing::of(&site.notices, entry);
        let p = standing.problem;
        let latest_notice = round.notices.last().copied();
        EntryView {
            row,
            anchor: routes::ledger_anchor(row),
            number: p.number,
            title: &p.title,
            category: CategoryView::new(site.config.category(p.category)),
            badges: badges(p.status),
            result: p.result.as_deref(),
            complete: standing.is_complete(),
            deadline: standing
                .deadline
                .map(|d| DeadlineView::new(d, &standing, round)),
            recovered: standing.recovered.map(|y| y.display()),
            reports: entry
                .reports
                .iter()
                .map(|&r| ReportView::new(site, round, r))
                .collect(),
            in_latest_notice: Some(entry.latest().notice) == latest_notice,
            last_reported: site.notice(entry.latest().notice).date.day.chinese(),
        }
    }
}

impl<'a> DeadlineView<'a> {
    fn new(d: &'a Deadline, standing: &Standing, round: &Round) -> DeadlineView<'a> {
        DeadlineView {
            written: &d.written,
            date_iso: d.day().map(|day| day.iso()),
            kind: match d.due {
                Due::By(_) => "date",
                Due::LongTerm => "long_term",
                Due::Immediate => "immediate",
            },
            overdue: standing.is_overdue(round.as_of),
        }
    }
}

impl<'a> ReportView<'a> {
    fn new(site: &'a Site, round: &Round, r: ProblemRef) -> ReportView<'a> {
        let n = site.notice(r.notice);
        let p = site.problem(r);
        ReportView {
            // A round's notices are few: finding one is cheaper than a
            // link of its own for each report.
            of: round
                .notices
                .iter()
                .position(|&i| i == r.notice)
                .unwrap_or(0),
            number: p.number,
            path: routes::problem(&n.slug, p.number),
            badges: badges(p.status),
            result: p.result.as_deref(),
            measures: site.notices[r.notice]
                .html
                .problems
                .get(r.problem)
                .is_some_and(|h| h.measures.is_some()),
            recovered: p.recovered.as_ref().map(|y| y.display()),
        }
    }
}
