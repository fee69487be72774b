//! The reference query: what `assets/search.js` must answer for a query,
//! written in Rust so that tests can compare the two.

use super::index::{Postings, partition, title_slot};
use super::terms::{Term, fold, query_parts, query_terms};
use super::{Filter, Hit, NoticeDoc, SearchIndex};

impl SearchIndex {
    /// Every result for `query`, in rank order.
    pub fn query(&self, query: &str, filter: Filter) -> Vec<Hit> {
        let parts = query_parts(query);
        let Some((all, titles)) = self.candidates(&parts) else {
            return Vec::new();
        };
        let contains = |text: &str| {
            let folded = fold(text);
            parts.iter().all(|p| folded.contains(p.as_str()))
        };
        let mut hits: Vec<Hit> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for id in titles {
            let (notice, slot) = title_slot(&self.title_starts, id);
            if !self.admits(notice, filter) {
                continue;
            }
            let n = &self.notices[notice];
            if slot == 0 {
                if self.notice_in(n, filter) && contains(&n.title) {
                    hits.push(Hit {
                        notice,
                        problem: None,
                        title_match: true,
                    });
                }
            } else if let Some(p) = n.problems.get(slot - 1)
                && filter.category.is_none_or(|c| p.category == c)
                && contains(&p.title)
            {
                hits.push(Hit {
                    notice,
                    problem: Some(slot - 1),
                    title_match: true,
                });
            }
        }
        seen.extend(hits.iter().map(|h| (h.notice, h.problem)));
        for notice in all.into_iter().map(|id| id as usize) {
            if !self.admits(notice, filter) {
                continue;
            }
            let n = &self.notices[notice];
            let mut found = Vec::new();
            if self.notice_in(n, filter) && contains(&n.text) {
                found.push(None);
            }
            for (pi, p) in n.problems.iter().enumerate() {
                if filter.category.is_none_or(|c| p.category == c) && contains(&p.text) {
                    found.push(Some(pi));
                }
            }
            for problem in found.into_iter().filter(|p| !seen.contains(&(notice, *p))) {
                hits.push(Hit {
                    notice,
                    problem,
                    title_match: false,
                });
            }
        }
        hits
    }

    /// How many notices match `query`, as the search page's status says
    /// it before every candidate is checked: exactly when the postings
    /// alone decide it (one part of one or two indexed characters, no
    /// category), otherwise the number of candidates, at least as many.
    pub fn matching(&self, query: &str, filter: Filter) -> Matching {
        let parts = query_parts(query);
        let Some((all, _)) = self.candidates(&parts) else {
            return Matching::default();
        };
        let exact = filter.category.is_none()
            && match parts.as_slice() {
                [part] => {
                    let chars = part.chars().count();
                    chars <= 2 && part.chars().all(super::is_term_char)
                }
                _ => false,
            };
        Matching {
            notices: all
                .iter()
                .filter(|&&id| self.admits(id as usize, filter))
                .count(),
            exact,
        }
    }

    /// Notices holding every term of the query anywhere, and the titles
    /// holding every term (as title ids, see [`super::index::title_starts`]).
    fn candidates(&self, parts: &[String]) -> Option<(Vec<u32>, Vec<u32>)> {
        let terms: Vec<Term> = parts.iter().flat_map(|p| query_terms(p)).collect();
        if terms.is_empty() {
            return None;
        }
        let lists: Vec<&Postings> = terms
            .iter()
            .map(|t| self.postings[partition(*t)].get(t))
            .collect::<Option<_>>()?;
        let all: Vec<Vec<u32>> = lists.iter().map(|p| p.all.to_vec()).collect();
        let titles: Vec<Vec<u32>> = lists.iter().map(|p| p.titles.to_vec()).collect();
        let all = intersect(all.iter().map(Vec::as_slice));
        let titles = intersect(titles.iter().map(Vec::as_slice));
        Some((all, titles))
    }

    /// Whether a notice's year and unit pass the filter.
    fn admits(&self, notice: usize, filter: Filter) -> bool {
        let n = &self.notices[notice];
        filter.year.is_none_or(|y| n.year == y) && filter.unit.is_none_or(|u| n.unit == Some(u))
    }

    /// Whether the notice itself (not a problem) passes the category filter.
    fn notice_in(&self, n: &NoticeDoc, filter: Filter) -> bool {
        filter.category.is_none_or(|c| n.categories & (1 << c) != 0)
    }
}

/// How many notices a query matches, and whether that is exact or an
/// upper bound (shown as 约).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matching {
    pub notices: usize,
    pub exact: bool,
}

/// Intersects sorted lists.
fn intersect<'a>(lists: impl Iterator<Item = &'a [u32]>) -> Vec<u32> {
    let mut lists: Vec<&[u32]> = lists.collect();
    lists.sort_by_key(|l| l.len());
    let Some((first, rest)) = lists.split_first() else {
        return Vec::new();
    };
    first
        .iter()
        .copied()
        .filter(|id| rest.iter().all(|l| l.binary_search(id).is_ok()))
        .collect()
}
