//! Inspection rounds (巡察轮次) and the 整改台账: the notices that answer
//! one inspection form a series, and each problem is followed from notice
//! to notice, so that it is counted once, at its latest report.
//!
//! Notices belong to one round when they name the same explicit
//! `inspection.id`, or else the same issuing body, kind of inspection,
//! group and start date. In a round, read oldest first, a problem is the
//! same problem as the one with the same number in the round so far
//! (numbers as the latest notice gave them), unless it says otherwise with
//! `follows: <number>` or `follows: <slug>#<number>`.
//!
//! - [`follow`]: the rule itself: which notices form a round, and which
//!   report continues which problem;
//! - [`cache`]: `serve`'s memory of the rounds of the last build, so that
//!   a save follows again only the round it changed.

mod cache;
mod follow;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::content::{
    CategoryId, Day, Deadline, Inspection, InspectionKind, Notice, Problem, State, Tally, Yuan,
};
use crate::diagnostic::Diagnostic;

use super::ids::{NoticeId, RoundId, TiSlice, TiVec};
use super::{NoticeRow, ProblemRef};

pub use cache::RoundCache;
pub use follow::in_round;

/// One inspection and the notices that report its rectification.
#[derive(Debug, Clone)]
pub struct Round {
    pub slug: String,
    pub kind: InspectionKind,
    pub organization: String,
    /// Group and dates, as the round's first notice that names them gives.
    pub inspection: Inspection,
    /// Its notices, oldest first.
    pub notices: Vec<NoticeId>,
    /// Each problem once, in the order first reported.
    pub entries: Vec<Entry>,
    /// Each problem counted once, at its latest report.
    pub tally: Tally,
    /// The same, in the category of each problem's latest report: what
    /// the round adds to each category's counts, made once per round (a
    /// save follows again only the round it changed).
    pub by_category: Vec<(CategoryId, Tally)>,
    /// The day of the round's latest notice: what its figures are as of.
    pub as_of: Day,
    /// Problems past their deadline and not complete, as of that day.
    pub overdue: usize,
}

/// One problem of a round, across the notices that reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Every report, oldest first.
    pub reports: Vec<ProblemRef>,
}

impl Entry {
    /// The newest report.
    pub fn latest(&self) -> ProblemRef {
        self.reports[self.reports.len() - 1]
    }
}

/// The rounds of a site, and where each problem belongs.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Newest round first (by its latest notice). Shared with the cache,
    /// which hands an unchanged round to the next build as it is.
    pub rounds: TiVec<RoundId, Arc<Round>>,
    /// Where each notice's problems start in `problem_entry`, and where
    /// the last one's end.
    first_problem: Vec<usize>,
    /// The round and entry of each problem, notice after notice: one
    /// table, not one per notice, as `serve` makes it on every save.
    problem_entry: Vec<Option<(RoundId, usize)>>,
}

/// The round of each notice, if it is in one.
pub type NoticeRounds = TiVec<NoticeId, Option<RoundId>>;

impl Ledger {
    /// Follows the problems of `notices` (newest first, as the site keeps
    /// them) through their rounds. Returns the ledger, the round of each
    /// notice, and every mistake of `follows`.
    pub fn build(
        notices: &TiSlice<NoticeId, Arc<Notice>>,
    ) -> (Ledger, NoticeRounds, Vec<Diagnostic>) {
        Ledger::build_with(notices, &mut RoundCache::default())
    }

    /// As [`Ledger::build`], taking the rounds whose notices are unchanged
    /// from `cache`, which then holds this build's rounds.
    pub fn build_with(
        notices: &TiSlice<NoticeId, Arc<Notice>>,
        cache: &mut RoundCache,
    ) -> (Ledger, NoticeRounds, Vec<Diagnostic>) {
        let (rounds, mut errors) = cache.rounds(notices);
        let mut first_problem = Vec::with_capacity(notices.len() + 1);
        let mut problems = 0;
        for n in notices {
            first_problem.push(problems);
            problems += n.problems.len();
        }
        first_problem.push(problems);
        let mut ledger = Ledger {
            rounds,
            first_problem,
            problem_entry: vec![None; problems],
        };
        let mut of_notice: NoticeRounds = vec![None; notices.len()].into();
        for (id, round) in ledger.rounds.iter_enumerated() {
            for (e, entry) in round.entries.iter().enumerate() {
                for r in &entry.reports {
                    let at = ledger.first_problem[r.notice.index()] + r.problem;
                    ledger.problem_entry[at] = Some((id, e));
                }
            }
            for &n in &round.notices {
                of_notice[n] = Some(id);
            }
        }
        errors.extend(follow::stray_follows(notices, &of_notice));
        (ledger, of_notice, errors)
    }

    /// The entry a problem belongs to, if its notice is in a round.
    pub fn entry(&self, r: ProblemRef) -> Option<(&Round, &Entry)> {
        let (round, entry) = self.place(r)?;
        let round = &self.rounds[round];
        Some((round, &round.entries[entry]))
    }

    /// The round of a problem, and its entry's place in that round.
    pub fn place(&self, r: ProblemRef) -> Option<(RoundId, usize)> {
        let first = *self.first_problem.get(r.notice.index())?;
        let end = *self.first_problem.get(r.notice.index() + 1)?;
        let at = first + r.problem;
        if at < end {
            self.problem_entry[at]
        } else {
            None
        }
    }

    /// Whether a problem's report is its newest (problems of no round
    /// always are).
    pub fn is_latest(&self, r: ProblemRef) -> bool {
        self.entry(r).is_none_or(|(_, e)| e.latest() == r)
    }

    /// The report before this one, if the problem was reported before.
    pub fn previous(&self, r: ProblemRef) -> Option<ProblemRef> {
        let (_, entry) = self.entry(r)?;
        let at = entry.reports.iter().position(|x| *x == r)?;
        at.checked_sub(1).map(|p| entry.reports[p])
    }
}

/// A table of notices by id: the loaded notices while the ledger is
/// built, the site's rows once it is.
pub trait Notices {
    fn notice(&self, id: NoticeId) -> &Notice;
}

impl Notices for TiSlice<NoticeId, Arc<Notice>> {
    fn notice(&self, id: NoticeId) -> &Notice {
        &self[id]
    }
}

impl Notices for TiSlice<NoticeId, NoticeRow> {
    fn notice(&self, id: NoticeId) -> &Notice {
        &self[id].notice
    }
}

impl<T> Notices for TiVec<NoticeId, T>
where
    TiSlice<NoticeId, T>: Notices,
{
    fn notice(&self, id: NoticeId) -> &Notice {
        self.as_slice().notice(id)
    }
}

/// Where a problem stands: its latest report, with the money recovered and
/// the deadline as last stated (a later report often leaves them out).
#[derive(Debug, Clone, Copy)]
pub struct Standing<'n> {
    pub problem: &'n Problem,
    pub recovered: Option<&'n Yuan>,
    pub deadline: Option<&'n Deadline>,
}

impl<'n> Standing<'n> {
    pub fn of<N: Notices + ?Sized>(notices: &'n N, entry: &Entry) -> Standing<'n> {
        let at = |r: &ProblemRef| &notices.notice(r.notice).problems[r.problem];
        let newest_first = || entry.reports.iter().rev().map(at);
        Standing {
            problem: at(&entry.latest()),
            recovered: newest_first().find_map(|p| p.recovered.as_ref()),
            deadline: newest_first().find_map(|p| p.deadline.as_ref()),
        }
    }

    /// Whether the latest report says the rectification is complete.
    pub fn is_complete(&self) -> bool {
        self.problem
            .status
            .is_some_and(|s| s.state == State::Completed)
    }

    /// Past its dated deadline on `day`, and not complete.
    pub fn is_overdue(&self, day: Day) -> bool {
        !self.is_complete()
            && self
                .deadline
                .and_then(Deadline::day)
                .is_some_and(|d| d < day)
    }
}
