//! The lints of the ledger: what a round's notices say about each problem
//! from one notice to the next.

use crate::content::{Notice, Problem, State};
use crate::diagnostic::{Code, Diagnostic};
use crate::locate;
use crate::model::rounds::Standing;
use crate::model::{Entry, ProblemRef, Round, Site};
use crate::text::likeness;
use crate::yaml::Seg;

/// Titles less alike than this, matched by number only, were most likely
/// renumbered (see [`likeness`]).
const UNLIKE_TITLES: f64 = 0.3;

/// Every finding about the rounds of `site`.
pub fn ledger(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for round in &site.ledger.rounds {
        for entry in &round.entries {
            found.extend(backwards(site, entry));
            found.extend(renumbered(site, entry));
            found.extend(overdue(site, round, entry));
        }
        found.extend(unmentioned(site, round));
    }
    found
}

/// How far along a state is: a later report should not go down.
fn rank(state: State) -> u8 {
    match state {
        State::NotDone => 0,
        State::InProgress => 1,
        State::Staged => 2,
        State::Completed => 3,
    }
}

/// `2022年9月30日的通报第 3 项`
fn report_name(site: &Site, r: ProblemRef) -> String {
    format!(
        "{}的通报第 {} 项",
        site.notice(r.notice).date.day.chinese(),
        site.problem(r).number
    )
}

/// A field of a problem's front matter.
fn problem_field(
    code: Code,
    n: &Notice,
    r: ProblemRef,
    field: &'static str,
    message: String,
) -> Diagnostic {
    let path = [Seg::Key("problems"), Seg::Index(r.problem), Seg::Key(field)];
    locate::field(code, n, &path, None, message).as_warning()
}

/// The field that states a problem's status: `status` when written, else
/// `result`.
fn status_field(p: &Problem) -> &'static str {
    if p.result.is_some() {
        "result"
    } else {
        "status"
    }
}

fn backwards(site: &Site, entry: &Entry) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for pair in entry.reports.windows(2) {
        let (before, after) = (site.problem(pair[0]), site.problem(pair[1]));
        let (Some(was), Some(now)) = (before.status, after.status) else {
            continue;
        };
        let n = site.notice(pair[1].notice);
        if rank(now.state) >= rank(was.state) || !n.revisions.is_empty() {
            continue;
        }
        let message = format!(
            "第 {} 项的整改状态从“{}”（{}）倒退为“{}”",
            after.number,
            was.state.label(),
            report_name(site, pair[0]),
            now.state.label()
        );
        found.push(
            problem_field(Code::StatusBackwards, n, pair[1], status_field(after), message).help(
                "如果整改确有反复，请在这篇通报的 revisions 里写一条说明；如果是写错了，请改正整改结果。",
            ),
        );
    }
    found
}

fn renumbered(site: &Site, entry: &Entry) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for pair in entry.reports.windows(2) {
        let (before, after) = (site.problem(pair[0]), site.problem(pair[1]));
        if after.follows.is_some() || likeness(&before.title, &after.title) >= UNLIKE_TITLES {
            continue;
        }
        let n = site.notice(pair[1].notice);
        let message = format!(
            "第 {} 项“{}”按编号接续了{}“{}”，但两者的标题差别很大",
            after.number,
            after.title,
            report_name(site, pair[0]),
            before.title
        );
        found.push(
            problem_field(Code::RenumberedProblem, n, pair[1], "number", message).help(
                "同一轮巡察的后续通报里，编号相同就算同一个问题。如果这次重新编了号，请写 follows: 上一次通报里的编号；如果确是同一个问题，可以不改。",
            ),
        );
    }
    found
}

fn overdue(site: &Site, round: &Round, entry: &Entry) -> Option<Diagnostic> {
    let standing = Standing::of(&site.notices, entry);
    if !standing.is_overdue(round.as_of) {
        return None;
    }
    let deadline = standing.deadline?;
    let latest = entry.latest();
    // The report that states the deadline, or else the latest one.
    let at = entry
        .reports
        .iter()
        .rev()
        .find(|r| site.problem(**r).deadline.is_some())
        .copied()
        .unwrap_or(latest);
    let p = standing.problem;
    let state = p.status.map_or("未注明整改结果", |s| s.state.label());
    let message = format!(
        "第 {} 项“{}”的整改时限是{}，截至{}仍未完成（{}）",
        site.problem(at).number,
        p.title,
        deadline.written,
        round.as_of.chinese(),
        state
    );
    Some(
        problem_field(Code::Overdue, site.notice(at.notice), at, "deadline", message).help(
            "已经完成的，请在下一次通报中写明整改完成；时限调整了的，请写上新的 deadline 并在正文说明原因。",
        ),
    )
}

/// Problems of the round still open at their last report, which its
/// newest notice does not report again.
fn unmentioned(site: &Site, round: &Round) -> Vec<Diagnostic> {
    let Some(&newest) = round.notices.last() else {
        return Vec::new();
    };
    if round.notices.len() < 2 {
        return Vec::new();
    }
    let n = site.notice(newest);
    round
        .entries
        .iter()
        .filter(|e| e.latest().notice != newest)
        .filter(|e| !Standing::of(&site.notices, e).is_complete())
        .map(|e| {
            let last = e.latest();
            let p = site.problem(last);
            let state = p.status.map_or("未注明整改结果", |s| s.state.label());
            let message = format!(
                "{}“{}”（{}）尚未完成，这篇通报没有再提到它",
                report_name(site, last),
                p.title,
                state
            );
            locate::field(
                Code::UnmentionedProblem,
                n,
                &[Seg::Key("problems")],
                None,
                message,
            )
            .help("尚未完成的问题，后续通报应当继续报告进展；已经完成的，请列出并写明整改完成。")
            .as_warning()
        })
        .collect()
}
