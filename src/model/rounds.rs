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

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};

use crate::content::{
    Day, Deadline, Follows, Inspection, InspectionKind, Notice, Problem, State, Tally, Yuan,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::locate;
use crate::slug;
use crate::yaml::Seg;

use super::ProblemRef;

/// One inspection and the notices that report its rectification.
#[derive(Debug, Clone)]
pub struct Round {
    pub slug: String,
    pub kind: InspectionKind,
    pub organization: String,
    /// Group and dates, as the round's first notice that names them gives.
    pub inspection: Inspection,
    /// Its notices, oldest first (indexes into the site's notices).
    pub notices: Vec<usize>,
    /// Each problem once, in the order first reported.
    pub entries: Vec<Entry>,
    /// Each problem counted once, at its latest report.
    pub tally: Tally,
    /// The day of the round's latest notice: what its figures are as of.
    pub as_of: Day,
    /// Problems past their deadline and not complete, as of that day.
    pub overdue: usize,
}

impl Round {
    /// The round with its indexes into the site's notices (`members[i]` is
    /// where its `i`-th notice is) and its final address.
    fn placed(&self, members: &[usize], slug: String) -> Round {
        let mut round = self.clone();
        round.slug = slug;
        for n in &mut round.notices {
            *n = members[*n];
        }
        for r in round.entries.iter_mut().flat_map(|e| &mut e.reports) {
            r.notice = members[r.notice];
        }
        round
    }
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

/// The rounds of a site, and where each notice and problem belongs.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Newest round first (by its latest notice). Shared with the cache,
    /// which hands an unchanged round to the next build as it is.
    pub rounds: Vec<Arc<Round>>,
    /// The round of each notice.
    pub notice_round: Vec<Option<usize>>,
    /// Where each notice's problems start in `problem_entry`, and where
    /// the last one's end.
    first_problem: Vec<usize>,
    /// The round and entry of each problem, notice after notice: one
    /// table, not one per notice, as `serve` makes it on every save.
    problem_entry: Vec<Option<(usize, usize)>>,
}

/// The rounds of the last build, each by the notices it was made of (file
/// and text), so that `serve` follows again only the rounds a save changed
/// and takes the others as they were.
#[derive(Debug, Default)]
pub struct RoundCache {
    rounds: FxHashMap<Vec<u64>, Followed>,
    /// The addresses of the last build's rounds, and what they were made
    /// from: a save rarely changes the one or the other.
    slugs: (Vec<String>, Vec<String>),
}

/// A round as followed, with its mistakes.
#[derive(Debug)]
struct Followed {
    /// Its indexes count from the round's first notice, and its address
    /// is the one it would have alone.
    relative: Round,
    /// As the last build placed it among the site's notices.
    placed: Arc<Round>,
    mistakes: Vec<Diagnostic>,
}

/// What a notice is, for the cache: its file and its text.
fn identity(n: &Notice) -> u64 {
    let mut h = FxHasher::default();
    // The bytes: hashing a path goes through its components.
    n.source.as_os_str().as_encoded_bytes().hash(&mut h);
    n.digest.hash(&mut h);
    h.finish()
}

impl Ledger {
    /// Follows the problems of `notices` (newest first, as the site keeps
    /// them) through their rounds; also returns every mistake of `follows`.
    pub fn build(notices: &[Arc<Notice>]) -> (Ledger, Vec<Diagnostic>) {
        Ledger::build_with(notices, &mut RoundCache::default())
    }

    /// As [`Ledger::build`], taking the rounds whose notices are unchanged
    /// from `cache`, which then holds this build's rounds.
    pub fn build_with(
        notices: &[Arc<Notice>],
        cache: &mut RoundCache,
    ) -> (Ledger, Vec<Diagnostic>) {
        let groups = group(notices);
        // Each round, from the cache when its notices are unchanged.
        let found: Vec<Found> = groups
            .iter()
            .map(|members| Found::new(notices, members, cache))
            .collect();
        let slugs = cache.slugs(found.iter().map(|f| f.relative.slug.as_str()));
        let mut first_problem = Vec::with_capacity(notices.len() + 1);
        let mut problems = 0;
        for n in notices {
            first_problem.push(problems);
            problems += n.problems.len();
        }
        first_problem.push(problems);
        let mut ledger = Ledger {
            rounds: Vec::with_capacity(groups.len()),
            notice_round: vec![None; notices.len()],
            first_problem,
            problem_entry: vec![None; problems],
        };
        let mut errors = Vec::new();
        let mut kept = FxHashMap::default();
        for ((members, found), slug) in groups.iter().zip(found).zip(slugs) {
            let Found {
                key,
                before,
                relative,
                mistakes,
            } = found;
            let index = ledger.rounds.len();
            // A save moves no notice of the other rounds, and renames none.
            let round = match before {
                Some(r) if r.notices == *members && r.slug == slug => r,
                _ => Arc::new(relative.placed(members, slug)),
            };
            for (e, entry) in round.entries.iter().enumerate() {
                for r in &entry.reports {
                    let at = ledger.first_problem[r.notice] + r.problem;
                    ledger.problem_entry[at] = Some((index, e));
                }
            }
            for &n in &round.notices {
                ledger.notice_round[n] = Some(index);
            }
            errors.extend(mistakes.iter().cloned());
            kept.insert(
                key,
                Followed {
                    relative,
                    placed: round.clone(),
                    mistakes,
                },
            );
            ledger.rounds.push(round);
        }
        cache.rounds = kept;
        errors.extend(stray_follows(notices, &ledger));
        (ledger, errors)
    }

    /// The entry a problem belongs to, if its notice is in a round.
    pub fn entry(&self, r: ProblemRef) -> Option<(&Round, &Entry)> {
        let (round, entry) = self.place(r)?;
        let round = &self.rounds[round];
        Some((round, &round.entries[entry]))
    }

    /// The indexes of a problem's round and entry.
    pub fn place(&self, r: ProblemRef) -> Option<(usize, usize)> {
        let first = *self.first_problem.get(r.notice)?;
        let end = *self.first_problem.get(r.notice + 1)?;
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

impl RoundCache {
    /// A distinct address for each round, from the one each would have
    /// alone (`bases`, in the ledger's order).
    fn slugs<'a>(&mut self, bases: impl Iterator<Item = &'a str> + Clone) -> Vec<String> {
        if !bases.clone().eq(self.slugs.0.iter().map(String::as_str)) {
            let slugs = slug::unique_slugs(bases.clone(), "round");
            self.slugs = (bases.map(str::to_string).collect(), slugs);
        }
        self.slugs.1.clone()
    }
}

/// A round of this build, followed now or taken from the cache.
struct Found {
    /// The identities of its notices.
    key: Vec<u64>,
    /// As the last build placed it, when it comes from the cache.
    before: Option<Arc<Round>>,
    relative: Round,
    mistakes: Vec<Diagnostic>,
}

impl Found {
    fn new(notices: &[Arc<Notice>], members: &[usize], cache: &mut RoundCache) -> Found {
        let key: Vec<u64> = members.iter().map(|&i| identity(&notices[i])).collect();
        if let Some(f) = cache.rounds.remove(&key) {
            return Found {
                key,
                before: Some(f.placed),
                relative: f.relative,
                mistakes: f.mistakes,
            };
        }
        let own: Vec<Arc<Notice>> = members.iter().map(|&i| notices[i].clone()).collect();
        let mut mistakes = Vec::new();
        let relative = follow(&own, &mut mistakes);
        Found {
            key,
            before: None,
            relative,
            mistakes,
        }
    }
}

/// Problems that follow another, in notices of no round.
fn stray_follows(notices: &[Arc<Notice>], ledger: &Ledger) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (ni, n) in notices.iter().enumerate() {
        if ledger.notice_round[ni].is_some() {
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

/// What makes notices one round.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key<'n> {
    Id(&'n str),
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
        return Some(Key::Id(id));
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
fn group(notices: &[Arc<Notice>]) -> Vec<Vec<usize>> {
    let mut rounds: Vec<Vec<usize>> = Vec::new();
    let mut of_key: FxHashMap<Key, usize> = FxHashMap::default();
    // The site's notices come newest first: so do the rounds.
    for (i, n) in notices.iter().enumerate() {
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

/// Follows each problem through the notices of one round, oldest first;
/// the round's indexes count from its first notice.
fn follow(notices: &[Arc<Notice>], errors: &mut Vec<Diagnostic>) -> Round {
    let members: Vec<usize> = (0..notices.len()).collect();
    let mut entries: Vec<Entry> = Vec::new();
    // The entry of each problem number, as the latest notice numbered them.
    let mut by_number: FxHashMap<u32, usize> = FxHashMap::default();
    // The entry of each problem of each notice so far, by slug and number.
    let mut by_notice: FxHashMap<(&str, u32), usize> = FxHashMap::default();
    for &ni in &members {
        let n = &notices[ni];
        // The entry each problem continues: first those that say which
        // (`follows`), then the rest by number, so that an explicit
        // reference wins over a number that happens to match.
        let mut continues: Vec<Option<usize>> = vec![None; n.problems.len()];
        let mut claimed: FxHashMap<usize, usize> = FxHashMap::default();
        for (pi, p) in n.problems.iter().enumerate() {
            let Some(Follows::Problem { notice, number }) = &p.follows else {
                continue;
            };
            match follows_entry(notice.as_deref(), *number, &by_number, &by_notice, n) {
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
        for (pi, slot) in continues.iter_mut().enumerate() {
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
            *slot = Some(entry);
        }
        for (p, entry) in n.problems.iter().zip(continues) {
            let Some(entry) = entry else { continue };
            by_number.insert(p.number, entry);
            by_notice.insert((n.slug.as_str(), p.number), entry);
        }
    }
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
    for &m in &members {
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
    let mut overdue = 0;
    for e in &entries {
        let s = Standing::of(notices, e);
        tally.count(s.problem, s.recovered);
        overdue += usize::from(s.is_overdue(as_of));
    }
    Round {
        slug,
        kind: inspection.kind,
        organization: first.organization.clone(),
        inspection,
        as_of,
        overdue,
        notices: members,
        entries,
        tally,
    }
}

/// An issuing body without the places it is in, for a short address:
/// `潮州市湘桥区示范街道党工委` → `示范街道党工委`.
fn without_places(organization: &str) -> &str {
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

/// Where a problem stands: its latest report, with the money recovered and
/// the deadline as last stated (a later report often leaves them out).
#[derive(Debug, Clone, Copy)]
pub struct Standing<'n> {
    pub problem: &'n Problem,
    pub recovered: Option<&'n Yuan>,
    pub deadline: Option<&'n Deadline>,
}

impl<'n> Standing<'n> {
    pub fn of(notices: &'n [Arc<Notice>], entry: &Entry) -> Standing<'n> {
        let at = |r: &ProblemRef| &notices[r.notice].problems[r.problem];
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

fn follows_error(n: &Notice, problem: usize, message: String, help: &str) -> Diagnostic {
    let field = if n.problems[problem].follows.is_some() {
        "follows"
    } else {
        "number"
    };
    let path = [Seg::Key("problems"), Seg::Index(problem), Seg::Key(field)];
    locate::field(Code::Follows, n, &path, None, message).help(help)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::config::SiteConfig;
    use crate::load::notice::parse_notice;

    /// A notice of one of two rounds (or of none): its day, and per
    /// problem its number and what it says it follows.
    type Spec = (u8, Option<bool>, Vec<(u8, Option<(Option<u8>, u8)>)>);

    fn notice_of(
        i: usize,
        (day, round, problems): &Spec,
        config: &SiteConfig,
    ) -> Option<Arc<Notice>> {
        let mut text = format!("---\ntitle: 通报{i}\ndate: 2023-01-{:02}\n", day % 28 + 1);
        if let Some(first) = round {
            let start = if *first { "2022-01-01" } else { "2022-06-01" };
            text += &format!("inspection:\n  kind: 巡察\n  start: {start}\n");
        }
        text += "problems:\n";
        let mut seen = Vec::new();
        for (number, follows) in problems {
            let number = number % 6 + 1;
            if seen.contains(&number) {
                continue;
            }
            seen.push(number);
            text += &format!(
                "  - number: {number}\n    category: policy\n    title: 问题{number}\n    result: 正在整改\n"
            );
            match follows {
                Some((Some(n), f)) => text += &format!("    follows: n{}#{}\n", n % 4, f % 7),
                Some((None, 0)) => text += "    follows: 无\n",
                Some((None, f)) => text += &format!("    follows: {}\n", f % 7),
                None => {}
            }
        }
        text += "---\n正文\n";
        let file = format!("content/notices/n{i}.md");
        parse_notice(Path::new(&file), &text, Some(config))
            .ok()
            .map(|(n, _)| Arc::new(n))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::testing::fuzz_cases(300)))]

        /// Whatever the notices say they follow, every problem of a round
        /// is in exactly one entry, an entry has at most one report per
        /// notice, oldest first, and the round counts each entry once.
        #[test]
        fn every_report_is_in_one_entry(specs in proptest::collection::vec(
            (any::<u8>(), proptest::option::of(any::<bool>()), proptest::collection::vec(
                (any::<u8>(), proptest::option::of((proptest::option::of(any::<u8>()), any::<u8>()))), 0..6)),
            0..8)) {
            let config = SiteConfig::parse("title: t\norganization: 某局\n", Path::new("site.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
            let mut notices: Vec<Arc<Notice>> = specs.iter().enumerate()
                .filter_map(|(i, s)| notice_of(i, s, &config)).collect();
            crate::model::newest_first(&mut notices);
            let (ledger, _) = Ledger::build(&notices);
            for (ni, n) in notices.iter().enumerate() {
                for pi in 0..n.problems.len() {
                    let r = ProblemRef { notice: ni, problem: pi };
                    match ledger.entry(r) {
                        Some((_, e)) => prop_assert_eq!(e.reports.iter().filter(|x| **x == r).count(), 1),
                        None => prop_assert!(n.inspection.is_none()),
                    }
                }
            }
            for round in &ledger.rounds {
                prop_assert_eq!(round.tally.problems, round.entries.len());
                for e in &round.entries {
                    let days: Vec<_> = e.reports.iter().map(|r| (notices[r.notice].date.instant, r.notice)).collect();
                    let mut sorted = days.clone();
                    sorted.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
                    sorted.dedup_by_key(|d| d.1);
                    prop_assert_eq!(&days, &sorted, "oldest first, one report per notice");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::testing::fuzz_cases(200)))]

        /// A ledger built with the rounds of an earlier site in its cache is
        /// the ledger built afresh, whatever changed in between.
        #[test]
        fn cached_rounds_are_the_rounds_built_afresh(
            before in proptest::collection::vec(spec(), 0..6),
            after in proptest::collection::vec(spec(), 0..6),
        ) {
            let config = SiteConfig::parse("title: t\norganization: 某局\n", Path::new("site.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
            let site = |specs: &[Spec]| {
                let mut notices: Vec<Arc<Notice>> = specs.iter().enumerate()
                    .filter_map(|(i, s)| notice_of(i, s, &config)).collect();
                crate::model::newest_first(&mut notices);
                notices
            };
            let (before, after) = (site(&before), site(&after));
            let mut cache = RoundCache::default();
            Ledger::build_with(&before, &mut cache);
            let (cached, cached_errors) = Ledger::build_with(&after, &mut cache);
            let (fresh, fresh_errors) = Ledger::build(&after);
            prop_assert_eq!(format!("{cached:?}"), format!("{fresh:?}"));
            prop_assert_eq!(format!("{cached_errors:?}"), format!("{fresh_errors:?}"));
        }
    }

    fn spec() -> impl Strategy<Value = Spec> {
        (
            0..4u8,
            proptest::option::of(any::<bool>()),
            proptest::collection::vec(
                (
                    0..5u8,
                    proptest::option::of((proptest::option::of(0..4u8), 0..5u8)),
                ),
                0..4,
            ),
        )
    }

    #[test]
    fn round_addresses_leave_out_the_places() {
        assert_eq!(
            without_places("潮州市湘桥区示范街道党工委"),
            "示范街道党工委"
        );
        assert_eq!(without_places("湘桥区政协机关"), "政协机关");
        assert_eq!(without_places("广东省生态环境厅"), "生态环境厅");
        assert_eq!(without_places("区委组织部"), "区委组织部");
        assert_eq!(without_places("市人民医院"), "市人民医院");
        assert_eq!(without_places("某某县"), "某某县");
    }
}
