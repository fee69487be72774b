//! The indexes the list pages need, each made in one pass over the
//! published notices (newest first), so that each is already in page order
//! and costs linear time: the problems and counts of each category, the
//! years of the archive, and the notices of each issuing body and tag.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::config::SiteConfig;
use crate::content::{CategoryId, Notice, Tally};
use crate::slug;

use super::ids::{NoticeId, OrgId, TagId, TiSlice, TiVec, YearId};
use super::rounds::Ledger;
use super::{NoticeRow, ProblemRef};

/// Everything shown about one category.
#[derive(Debug, Clone)]
pub struct CategoryIndex {
    pub id: CategoryId,
    /// Its problems from every notice, newest notice first, in document
    /// order: every report, also of a problem reported again later.
    pub problems: Vec<ProblemRef>,
    /// Notices that name the category but itemise no problem in it.
    pub notices: Vec<NoticeId>,
    /// Notices with problems in the category or naming it.
    pub notice_count: usize,
    /// Each problem whose latest report is in this category, counted once.
    pub tally: Tally,
}

/// Notices grouped under a name: an organization or a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub slug: String,
    pub notices: Vec<NoticeId>,
}

/// One year of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    pub year: i16,
    pub notices: Vec<NoticeId>,
}

/// The problems of each category, and its counts: a problem counts in the
/// category of its latest report, once.
pub fn categories(
    config: &SiteConfig,
    rows: &TiSlice<NoticeId, NoticeRow>,
    ledger: &Ledger,
) -> TiVec<CategoryId, CategoryIndex> {
    let mut indexes: TiVec<CategoryId, CategoryIndex> = (0..config.categories.len())
        .map(|i| CategoryIndex {
            id: CategoryId(i),
            problems: Vec::new(),
            notices: Vec::new(),
            notice_count: 0,
            tally: Tally::default(),
        })
        .collect();
    for (ni, row) in rows.iter_enumerated() {
        let n = &row.notice;
        // The notice's own counts, made once per notice and kept with it.
        let stats = n.stats();
        for (pi, &c) in stats.problem_categories.iter().enumerate() {
            indexes[c].problems.push(ProblemRef {
                notice: ni,
                problem: pi,
            });
        }
        // Reported once: the notice's own counts are the problems'. A
        // round's problems count in its own counts, below.
        if row.round.is_none() {
            for (c, tally) in &stats.by_category {
                let index = &mut indexes[*c];
                index.tally = index.tally.plus(tally);
            }
        }
        for &c in &n.categories {
            if stats.by_category.iter().all(|(pc, _)| *pc != c) {
                indexes[c].notices.push(ni);
            }
        }
        for c in n.all_categories() {
            indexes[c].notice_count += 1;
        }
    }
    for round in &ledger.rounds {
        for (c, tally) in &round.by_category {
            let index = &mut indexes[*c];
            index.tally = index.tally.plus(tally);
        }
    }
    indexes
}

/// The years of the archive, newest first, with their notices.
pub fn years(rows: &TiSlice<NoticeId, NoticeRow>) -> TiVec<YearId, Year> {
    let mut years: TiVec<YearId, Year> = TiVec::new();
    for (i, row) in rows.iter_enumerated() {
        let y = row.notice.date.day.year();
        match years.last_mut() {
            Some(last) if last.year == y => last.notices.push(i),
            _ => years.push(Year {
                year: y,
                notices: vec![i],
            }),
        }
    }
    years
}

/// Groups notices by name; names sort by their pinyin slug. Returns the
/// groups and, for each notice, the groups it is in.
fn group_by<'a, G: From<usize> + Copy>(
    notices: &'a TiSlice<NoticeId, Arc<Notice>>,
    names_of: impl Fn(&'a Notice) -> Vec<&'a str>,
    fallback: &str,
) -> (TiVec<G, Group>, TiVec<NoticeId, Vec<G>>) {
    // Hashed, not a sorted map: `serve` groups every notice on every save,
    // and only the few hundred names need sorting.
    let mut at: FxHashMap<&str, usize> = FxHashMap::default();
    let mut members: Vec<(&str, Vec<NoticeId>)> = Vec::new();
    for (i, n) in notices.iter_enumerated() {
        for name in names_of(n) {
            let k = *at.entry(name).or_insert_with(|| {
                members.push((name, Vec::new()));
                members.len() - 1
            });
            let list = &mut members[k].1;
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    // In the names' order: where two names make one slug, the first keeps it.
    members.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let slugs = slug::unique_slugs(members.iter().map(|(name, _)| *name), fallback);
    let mut groups: Vec<Group> = members
        .into_iter()
        .zip(slugs)
        .map(|((name, notices), slug)| Group {
            name: name.to_string(),
            slug,
            notices,
        })
        .collect();
    groups.sort_by(|a, b| a.slug.cmp(&b.slug));
    let groups: TiVec<G, Group> = groups.into();
    let mut of_notice: TiVec<NoticeId, Vec<G>> = vec![Vec::new(); notices.len()].into();
    for (gi, g) in groups.raw.iter().enumerate() {
        for &n in &g.notices {
            of_notice[n].push(G::from(gi));
        }
    }
    (groups, of_notice)
}

/// The issuing bodies, and each notice's.
pub fn organizations(
    notices: &TiSlice<NoticeId, Arc<Notice>>,
) -> (TiVec<OrgId, Group>, TiVec<NoticeId, OrgId>) {
    let (groups, of_notice) = group_by(notices, |n| vec![n.organization.as_str()], "organization");
    // Every notice has exactly one issuing body, so one group.
    let of_notice = of_notice
        .into_iter()
        .map(|g: Vec<OrgId>| g.first().copied().unwrap_or(OrgId::from(0)))
        .collect();
    (groups, of_notice)
}

/// The tags, and each notice's.
pub fn tags(
    notices: &TiSlice<NoticeId, Arc<Notice>>,
) -> (TiVec<TagId, Group>, TiVec<NoticeId, Vec<TagId>>) {
    group_by(
        notices,
        |n| n.tags.iter().map(String::as_str).collect(),
        "tag",
    )
}
