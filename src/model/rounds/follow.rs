//! The rule of a round: which notices answer the same inspection, and
//! which report of a later notice continues which problem of an earlier
//! one.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::content::{CategoryId, Day, Follows, Inspection, InspectionKind, Notice, Tally};
use crate::diagnostic::{Code, Diagnostic};
use crate::locate;
use crate::slug;
use crate::yaml::Seg;

use super::super::ProblemRef;
use super::super::ids::{NoticeId, TiSlice};
use super::{Entry, NoticeRounds, Round, Standing};

/// What makes notices one round.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key<'n> {
    /// An `inspection.id`: within one issuing body, as every round is
    /// (two units may both number their rounds `2024-1`).
    Id { organization: &'n str, id: &'n str },
    Inspection {
        organization: &'n str,
        kind: InspectionKind,
        group: Option<&'n str>,
        start: Day,
    },
}

fn key(n: &Notice) -> Option<Key<'_>> {
    key_of(&n.organization, n.inspection.as_ref()?)
}

fn key_of<'n>(organization: &'n str, i: &'n Inspection) -> Option<Key<'n>> {
    if let Some(id) = &i.id {
        return Some(Key::Id { organization, id });
    }
    Some(Key::Inspection {
        organization,
        kind: i.kind,
        group: i.group.as_deref(),
        start: i.start?,
    })
}

/// Whether `n` reports on the inspection of `organization` that `i` names.
pub fn in_round(n: &Notice, organization: &str, i: &Inspection) -> bool {
    key(n).is_some_and(|k| Some(k) == key_of(organization, i))
}

/// The notices of each round, oldest first; rounds newest first.
pub(super) fn group(notices: &TiSlice<NoticeId, Arc<Notice>>) -> Vec<Vec<NoticeId>> {
    let mut rounds: Vec<Vec<NoticeId>> = Vec::new();
    let mut of_key: FxHashMap<Key, usize> =
        FxHashMap::with_capacity_and_hasher(notices.len(), Default::default());
    // The site's notices come newest first: so do the rounds.
    for (i, n) in notices.iter_enumerated() {
        let Some(k) = key(n) else { continue };
        let r = *of_key.entry(k).or_insert_with(|| {
            rounds.push(Vec::new());
            rounds.len() - 1
        });
        rounds[r].push(i);
    }
    for r in &mut rounds {
        r.reverse();
    }
    rounds
}

/// Follows each problem through `members`, the notices of one round,
/// oldest first. The round's address is the one it would have alone.
pub(super) fn follow(
    notices: &TiSlice<NoticeId, Arc<Notice>>,
    members: &[NoticeId],
    errors: &mut Vec<Diagnostic>,
) -> Round {
    let mut entries: Vec<Entry> = Vec::new();
    // The entry of each problem number, as the latest notice numbered them.
    let mut by_number: FxHashMap<u32, usize> = FxHashMap::default();
    // The entry of each problem of each notice so far, by slug and number.
    let mut by_notice: FxHashMap<(&str, u32), usize> = FxHashMap::default();
    for &ni in members {
        let n = &notices[ni];
        let continues = continued_entries(n, &by_number, &by_notice, errors);
        for (pi, (p, slot)) in n.problems.iter().zip(continues).enumerate() {
            let entry = slot.unwrap_or_else(|| {
                entries.push(Entry {
                    reports: Vec::new(),
                });
                entries.len() - 1
            });
            entries[entry].reports.push(ProblemRef {
                notice: ni,
                problem: pi,
            });
            by_number.insert(p.number, entry);
            by_notice.insert((n.slug.as_str(), p.number), entry);
        }
    }
    summed(notices, members, entries)
}

/// The entry each problem of `n` continues, if any: first those that say
/// which (`follows`), then the rest by number, so that an explicit
/// reference wins over a number that happens to match.
fn continued_entries(
    n: &Notice,
    by_number: &FxHashMap<u32, usize>,
    by_notice: &FxHashMap<(&str, u32), usize>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Option<usize>> {
    let mut continues: Vec<Option<usize>> = vec![None; n.problems.len()];
    let mut claimed: FxHashMap<usize, usize> = FxHashMap::default();
    for (pi, p) in n.problems.iter().enumerate() {
        let Some(Follows::Problem { notice, number }) = &p.follows else {
            continue;
        };
        match follows_entry(notice.as_deref(), *number, by_number, by_notice, n) {
            Err((message, help)) => errors.push(follows_error(n, pi, message, &help)),
            Ok(e) => match claimed.get(&e) {
                Some(&other) => errors.push(follows_error(
                    n,
                    pi,
                    format!(
                        "第 {} 项和第 {} 项接续的是同一个问题",
                        p.number, n.problems[other].number
                    ),
                    "一篇通报里每个问题只能接续前面通报里的一个问题：请检查两项的 follows。",
                )),
                None => {
                    claimed.insert(e, pi);
                    continues[pi] = Some(e);
                }
            },
        }
    }
    for (pi, p) in n.problems.iter().enumerate() {
        if p.follows.is_none()
            && let Some(&e) = by_number.get(&p.number)
            && !claimed.contains_key(&e)
        {
            claimed.insert(e, pi);
            continues[pi] = Some(e);
        }
    }
    continues
}

/// The round of `members` with its `entries`: its inspection, address and
/// counts.
fn summed(
    notices: &TiSlice<NoticeId, Arc<Notice>>,
    members: &[NoticeId],
    entries: Vec<Entry>,
) -> Round {
    let first = &notices[members[0]];
    let latest = &notices[members[members.len() - 1]];
    // Every notice of a round names its inspection: `key` needs it.
    let mut inspection = first.inspection.clone().unwrap_or(Inspection {
        id: None,
        kind: InspectionKind::Xuncha,
        group: None,
        start: None,
        end: None,
        feedback: None,
    });
    for &m in members {
        if let Some(i) = &notices[m].inspection {
            inspection.group = inspection.group.or_else(|| i.group.clone());
            inspection.start = inspection.start.or(i.start);
            inspection.end = inspection.end.or(i.end);
            inspection.feedback = inspection.feedback.or(i.feedback);
        }
    }
    let slug = match &inspection.id {
        Some(id) => id.clone(),
        None => format!(
            "{}-{}",
            inspection
                .start
                .map_or_else(|| first.date.day.iso(), |d| d.iso()),
            slug::short(without_places(&first.organization), "xuncha")
        ),
    };
    let as_of = latest.date.day;
    let mut tally = Tally::default();
    let mut by_category: Vec<(CategoryId, Tally)> = Vec::new();
    let mut overdue = 0;
    for e in &entries {
        let s = Standing::of(notices, e);
        tally.count(s.problem, s.recovered);
        let category = s.problem.category;
        match by_category.iter_mut().find(|(c, _)| *c == category) {
            Some((_, t)) => t.count(s.problem, s.recovered),
            None => {
                let mut t = Tally::default();
                t.count(s.problem, s.recovered);
                by_category.push((category, t));
            }
        }
        overdue += usize::from(s.is_overdue(as_of));
    }
    Round {
        slug,
        kind: inspection.kind,
        organization: first.organization.clone(),
        inspection,
        as_of,
        overdue,
        notices: members.to_vec(),
        entries,
        tally,
        by_category,
    }
}

/// An issuing body without the places it is in, for a short address:
/// `潮州市湘桥区示范街道党工委` → `示范街道党工委`.
pub(super) fn without_places(organization: &str) -> &str {
    let mut rest = organization;
    for level in ['省', '市', '区', '县'] {
        // A place has a name of two characters or more before its level.
        if let Some((place, after)) = rest.split_once(level)
            && place.chars().count() >= 2
            && !after.is_empty()
        {
            rest = after;
        }
    }
    rest
}

/// The entry a `follows:` names.
fn follows_entry(
    notice: Option<&str>,
    number: u32,
    by_number: &FxHashMap<u32, usize>,
    by_notice: &FxHashMap<(&str, u32), usize>,
    n: &Notice,
) -> Result<usize, (String, String)> {
    match notice {
        None => by_number.get(&number).copied().ok_or_else(|| {
            (
                format!("follows: {} 找不到：这一轮巡察前面的通报里没有第 {} 项问题", number, number),
                "follows 写的是前一次通报里这个问题的编号。".to_string(),
            )
        }),
        Some(slug) if slug == n.slug => Err((
            "follows 指向的是这篇通报自己".into(),
            "follows 写的是前面某一篇通报里的问题。".into(),
        )),
        Some(slug) => by_notice.get(&(slug, number)).copied().ok_or_else(|| {
            (
                format!("follows: {slug}#{} 找不到", number),
                format!(
                    "要接续的通报要在同一轮巡察里、发布得更早，并且有第 {} 项问题；“{slug}”是那篇通报的网址名（slug）。",
                    number
                ),
            )
        }),
    }
}

/// Problems that follow another, in notices of no round.
pub(super) fn stray_follows(
    notices: &TiSlice<NoticeId, Arc<Notice>>,
    rounds: &NoticeRounds,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (ni, n) in notices.iter_enumerated() {
        if rounds[ni].is_some() {
            continue;
        }
        for (pi, p) in n.problems.iter().enumerate() {
            if matches!(p.follows, Some(Follows::Problem { .. })) {
                errors.push(follows_error(
                    n,
                    pi,
                    "这篇通报没有写巡察信息（inspection），follows 无从对应".into(),
                    "follows 用在同一轮巡察的后续通报里：请在 front matter 里写 inspection（巡察组、起止日期），或写 inspection.id。",
                ));
            }
        }
    }
    errors
}

fn follows_error(n: &Notice, problem: usize, message: String, help: &str) -> Diagnostic {
    let field = if n.problems[problem].follows.is_some() {
        "follows"
    } else {
        "number"
    };
    let path = [Seg::Key("problems"), Seg::Index(problem), Seg::Key(field)];
    locate::field(Code::Follows, n, &path, None, message).help(help)
}
