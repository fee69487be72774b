//! An imported bulletin that continues an inspection round already in the
//! site: its problems matched to the round's, by number and by wording,
//! so that the ledger follows them without the author writing `follows`.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::content::{Day, Inspection, Notice};
use crate::model::rounds::{self, Ledger};
use crate::model::{NoticeId, ProblemRef, TiVec};
use crate::text::likeness;
use gongkai_import::draft::{Continues, Draft};

/// A number match needs titles at least this alike: below it the number
/// was most likely given to another problem.
const SAME_NUMBER: f64 = 0.3;
/// A match by wording alone needs titles this alike.
const SAME_WORDING: f64 = 0.5;

/// The round an imported bulletin continues, and how its problems match.
#[derive(Debug, Clone, PartialEq)]
pub struct Continuation {
    /// The round's earlier notices.
    pub notices: usize,
    /// Per problem of the bulletin: its number, and what it continues.
    pub matches: Vec<(u32, Match)>,
}

/// What a problem of an imported bulletin continues.
#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    /// The problem of the same number, of a like title.
    Number(Earlier),
    /// A problem of another number but the same wording.
    Wording(Earlier),
    /// None: a problem the round has not reported.
    New,
}

/// The latest earlier report of a problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    pub slug: String,
    pub date: Day,
    pub number: u32,
    pub title: String,
}

impl Earlier {
    /// `2022年9月30日通报第3项“……”`
    pub fn describe(&self) -> String {
        format!(
            "{}通报第{}项“{}”",
            self.date.chinese(),
            self.number,
            self.title
        )
    }
}

/// Matches the problems of `draft` (of `organization`, dated `date`) to the
/// round's earlier notices among `notices`, and records on each problem
/// what it continues. `None` when no earlier notice is of its round.
pub fn continue_round(
    draft: &mut Draft,
    notices: Vec<Arc<Notice>>,
    organization: &str,
    date: Day,
) -> Option<Continuation> {
    let inspection: &Inspection = draft.inspection.as_ref()?;
    let mut earlier: TiVec<NoticeId, Arc<Notice>> = notices
        .into_iter()
        .filter(|n| n.date.day <= date && rounds::in_round(n, organization, inspection))
        .collect();
    if earlier.is_empty() {
        return None;
    }
    crate::model::newest_first(&mut earlier.raw);
    let (ledger, _, _) = Ledger::build(&earlier);
    let round = ledger.rounds.first()?;

    // Each entry's latest report, and the entry each number names now.
    let latest: Vec<Earlier> = round
        .entries
        .iter()
        .map(|e| {
            let r = e.latest();
            let n = &earlier[r.notice];
            let p = &n.problems[r.problem];
            Earlier {
                slug: n.slug.clone(),
                date: n.date.day,
                number: p.number,
                title: p.title.clone(),
            }
        })
        .collect();
    let mut by_number: FxHashMap<u32, usize> = FxHashMap::default();
    for &ni in &round.notices {
        for (pi, p) in earlier[ni].problems.iter().enumerate() {
            if let Some((_, e)) = ledger.place(ProblemRef {
                notice: ni,
                problem: pi,
            }) {
                by_number.insert(p.number, e);
            }
        }
    }

    let mut taken = vec![false; latest.len()];
    let mut matches = Vec::new();
    for group in &mut draft.groups {
        for p in &mut group.problems {
            let numbered = by_number.get(&p.number).copied();
            let by_num = numbered.filter(|&e| !taken[e]);
            let alike = |e: usize| likeness(&p.title, &latest[e].title);
            let best = (0..latest.len())
                .filter(|&e| !taken[e])
                .map(|e| (e, alike(e)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let m = match (by_num, best) {
                (Some(e), best)
                    if alike(e) >= SAME_NUMBER && best.is_none_or(|(_, b)| alike(e) + 0.1 >= b) =>
                {
                    taken[e] = true;
                    Match::Number(latest[e].clone())
                }
                (_, Some((e, score))) if score >= SAME_WORDING => {
                    taken[e] = true;
                    Match::Wording(latest[e].clone())
                }
                _ => Match::New,
            };
            p.continues = continues(&m, numbered.is_some());
            matches.push((p.number, m));
        }
    }
    Some(Continuation {
        notices: round.notices.len(),
        matches,
    })
}

/// What the notice file says of a match: a `follows` where the number
/// alone would not say it (`无` for a new problem whose number the round
/// has used), and a comment to check it by.
fn continues(m: &Match, number_taken: bool) -> Option<Continues> {
    match m {
        Match::Number(e) => Some(Continues {
            follows: None,
            comment: format!("与{}是同一问题（编号相同），请核对", e.describe()),
        }),
        Match::Wording(e) => Some(Continues {
            follows: Some(format!("{}#{}", e.slug, e.number)),
            comment: format!("接续{}（按内容对应），请核对", e.describe()),
        }),
        Match::New if number_taken => Some(Continues {
            follows: Some("无".into()),
            comment: "本轮前面的通报里没有对应的问题，请核对".into(),
        }),
        Match::New => None,
    }
}
