//! Building the index: each notice's terms, gathered in parallel, into
//! postings per term (all text, and titles).

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::gather::Gather;
use super::terms::{Term, index_terms};
use super::{NoticeDoc, SearchIndex};

#[derive(Debug, Default, Clone)]
pub(super) struct Postings {
    pub(super) all: Ids,
    pub(super) titles: Ids,
}

/// Sorted notice ids: a list while few, a bitmap once that is smaller.
#[derive(Debug, Clone)]
pub(super) enum Ids {
    List(Vec<u32>),
    Bits(Vec<u64>),
}

impl Default for Ids {
    fn default() -> Ids {
        Ids::List(Vec::new())
    }
}

impl Ids {
    /// Adds an id larger than every id so far (of `count` ids in all).
    fn push(&mut self, id: u32, count: usize) {
        match self {
            Ids::List(list) => {
                if list.last() == Some(&id) {
                    return;
                }
                list.push(id);
                if list.len() * 32 > count {
                    *self = Ids::Bits(bitmap(list, count));
                }
            }
            Ids::Bits(bits) => bits[id as usize / 64] |= 1 << (id % 64),
        }
    }

    /// Sorted `ids` of `count` in the form that pushing them one by one
    /// leaves: a bitmap once a list would be larger.
    fn of(ids: Vec<u32>, count: usize) -> Ids {
        if ids.len() * 32 > count {
            Ids::Bits(bitmap(&ids, count))
        } else {
            Ids::List(ids)
        }
    }

    /// Adds `id` (`present`) or takes it out, in the form [`Ids::push`]
    /// would have made, so that an index patched is the index built.
    fn set(&mut self, id: u32, present: bool, count: usize) {
        let mut ids = self.to_vec();
        match (ids.binary_search(&id), present) {
            (Err(at), true) => ids.insert(at, id),
            (Ok(at), false) => {
                ids.remove(at);
            }
            _ => return,
        }
        *self = Ids::of(ids, count);
    }

    pub(super) fn to_vec(&self) -> Vec<u32> {
        match self {
            Ids::List(list) => list.clone(),
            Ids::Bits(bits) => {
                let mut ids =
                    Vec::with_capacity(bits.iter().map(|w| w.count_ones() as usize).sum());
                for (w, &word) in bits.iter().enumerate() {
                    // Each set bit, lowest first, without testing the others.
                    let mut rest = word;
                    while rest != 0 {
                        ids.push((w * 64) as u32 + rest.trailing_zeros());
                        rest &= rest - 1;
                    }
                }
                ids
            }
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        match self {
            Ids::List(list) => list.is_empty(),
            Ids::Bits(bits) => bits.iter().all(|w| *w == 0),
        }
    }

    /// About how many bytes its encoding takes.
    pub(super) fn size(&self) -> usize {
        match self {
            Ids::List(list) => 2 * list.len(),
            Ids::Bits(bits) => bits.len() * 11,
        }
    }
}

/// `ids` of `count` as a bitmap.
fn bitmap(ids: &[u32], count: usize) -> Vec<u64> {
    let mut bits = vec![0u64; count.div_ceil(64)];
    for &i in ids {
        bits[i as usize / 64] |= 1 << (i % 64);
    }
    bits
}

/// Where each notice's titles start in the numbering of all titles: a
/// notice's own title, then its problems', notice after notice, so that
/// title ids are as dense as the titles are. One more entry than notices:
/// the number of titles.
/// Made from each notice's number of problems, which a streamed build
/// knows before it has any notice's text.
pub(super) fn title_starts(problems: impl ExactSizeIterator<Item = usize>) -> Vec<u32> {
    let mut starts = Vec::with_capacity(problems.len() + 1);
    let mut next = 0u32;
    starts.push(next);
    for n in problems {
        next += 1 + n as u32;
        starts.push(next);
    }
    starts
}

/// The notice of title `id` and its slot: 0 for the notice's own title,
/// `k` for its `k`-th problem's.
pub(super) fn title_slot(starts: &[u32], id: u32) -> (usize, usize) {
    let notice = starts.partition_point(|&s| s <= id).saturating_sub(1);
    (notice, (id - starts[notice]) as usize)
}

/// How many parts the postings are split into, to be built in parallel.
const PARTS: usize = 16;

/// Which part of the postings holds a term.
pub(super) fn partition(t: Term) -> usize {
    (t.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60) as usize % PARTS
}

/// How many notices' terms are gathered before they are merged: few
/// enough that their terms stay in the cache for the merge, and that the
/// memory for them is reused rather than asked of the system again.
const BATCH: usize = 64;

impl SearchIndex {
    /// Indexes documents (in rank order: newest notice first).
    pub fn from_docs(notices: Vec<NoticeDoc>, categories: Vec<(String, String)>) -> SearchIndex {
        let starts = title_starts(notices.iter().map(|n| n.problems.len()));
        let mut postings = empty_postings();
        index_batch(&mut postings, &starts, 0, &notices);
        SearchIndex {
            notices,
            title_starts: starts,
            postings,
            categories,
            units: Vec::new(),
        }
    }
}

/// Postings with nothing in them yet.
pub(super) fn empty_postings() -> Vec<FxHashMap<Term, Postings>> {
    vec![FxHashMap::default(); PARTS]
}

/// Adds the terms of `docs`, the notices from `first` on, to `postings`;
/// `starts` are the [`title_starts`] of every notice. Notices must come
/// in order, in as many calls as suit the caller, so that every list
/// stays sorted.
pub(super) fn index_batch(
    postings: &mut [FxHashMap<Term, Postings>],
    starts: &[u32],
    first: usize,
    docs: &[NoticeDoc],
) {
    let count = starts.len().saturating_sub(1);
    let title_count = starts.last().copied().unwrap_or(0) as usize;
    // The terms of a batch of notices are found in parallel, then each
    // part of the postings takes its own terms, also in parallel; ids
    // are added in order, so every list stays sorted.
    for (b, batch) in docs.chunks(BATCH).enumerate() {
        let terms: Vec<(ByPart, Vec<ByPart>)> = batch.par_iter().map(doc_terms).collect();
        let batch_first = first + b * BATCH;
        postings.par_iter_mut().enumerate().for_each(|(part, map)| {
            for (k, (all, titles)) in terms.iter().enumerate() {
                let notice = batch_first + k;
                for t in all.part(part) {
                    map.entry(*t).or_default().all.push(notice as u32, count);
                }
                for (slot, terms) in titles.iter().enumerate() {
                    let id = starts[notice] + slot as u32;
                    for t in terms.part(part) {
                        map.entry(*t).or_default().titles.push(id, title_count);
                    }
                }
            }
        });
    }
}

impl SearchIndex {
    /// Puts `doc` in place of notice `i`'s document, which has as many
    /// titles (so that no title id moves), and patches the postings of the
    /// terms that came or went; adds those terms to `touched`.
    pub(super) fn replace(&mut self, i: usize, doc: NoticeDoc, touched: &mut FxHashSet<Term>) {
        let count = self.notices.len();
        let title_count = self.title_starts.last().map_or(0, |&t| t as usize);
        let (old_all, old_titles) = term_sets(&self.notices[i]);
        let (new_all, new_titles) = term_sets(&doc);
        let mut change = |t: Term, title: bool, id: usize, present: bool| {
            let part = &mut self.postings[partition(t)];
            let postings = part.entry(t).or_default();
            if title {
                postings.titles.set(id as u32, present, title_count);
            } else {
                postings.all.set(id as u32, present, count);
            }
            if postings.all.is_empty() && postings.titles.is_empty() {
                part.remove(&t);
            }
            touched.insert(t);
        };
        for &t in old_all.difference(&new_all) {
            change(t, false, i, false);
        }
        for &t in new_all.difference(&old_all) {
            change(t, false, i, true);
        }
        let first = self.title_starts[i] as usize;
        for (slot, (old, new)) in old_titles.iter().zip(&new_titles).enumerate() {
            for &t in old.difference(new) {
                change(t, true, first + slot, false);
            }
            for &t in new.difference(old) {
                change(t, true, first + slot, true);
            }
        }
        self.notices[i] = doc;
    }
}

/// The distinct terms of a notice anywhere, and of each of its titles, as
/// sets (see [`doc_terms`]).
fn term_sets(n: &NoticeDoc) -> (FxHashSet<Term>, Vec<FxHashSet<Term>>) {
    let mut all = FxHashSet::default();
    index_terms(&n.text, &mut all);
    for p in &n.problems {
        index_terms(&p.text, &mut all);
    }
    let titles = std::iter::once(&n.title)
        .chain(n.problems.iter().map(|p| &p.title))
        .map(|title| {
            let mut set = FxHashSet::default();
            index_terms(title, &mut set);
            set
        })
        .collect();
    (all, titles)
}

/// The distinct terms of a notice anywhere, and of each of its titles
/// (notice title first, then the problems').
fn doc_terms(n: &NoticeDoc) -> (ByPart, Vec<ByPart>) {
    Gather::with(|g| {
        g.start();
        g.add(&n.text);
        for p in &n.problems {
            g.add(&p.text);
        }
        let all = ByPart::new(g.found());
        let titles = std::iter::once(&n.title)
            .chain(n.problems.iter().map(|p| &p.title))
            .map(|title| {
                g.start();
                g.add(title);
                ByPart::new(g.found())
            })
            .collect();
        (all, titles)
    })
}

/// Terms grouped by [`partition`], so that each part of the postings
/// finds its own without looking at the others'.
struct ByPart {
    terms: Vec<Term>,
    starts: [u32; PARTS + 1],
}

impl ByPart {
    fn new(found: &[Term]) -> ByPart {
        let mut starts = [0u32; PARTS + 1];
        for &t in found {
            starts[partition(t) + 1] += 1;
        }
        for p in 0..PARTS {
            starts[p + 1] += starts[p];
        }
        let mut next = starts;
        let mut terms = vec![0; found.len()];
        for &t in found {
            let slot = &mut next[partition(t)];
            terms[*slot as usize] = t;
            *slot += 1;
        }
        ByPart { terms, starts }
    }

    fn part(&self, p: usize) -> &[Term] {
        &self.terms[self.starts[p] as usize..self.starts[p + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_numbered_densely() {
        let starts = [0, 3, 4, 9];
        assert_eq!(title_slot(&starts, 0), (0, 0));
        assert_eq!(title_slot(&starts, 2), (0, 2));
        assert_eq!(title_slot(&starts, 3), (1, 0));
        assert_eq!(title_slot(&starts, 8), (2, 4));
    }

    #[test]
    fn ids_turn_into_bitmaps_when_dense() {
        let mut ids = Ids::default();
        for i in 0..40 {
            ids.push(i * 2, 100);
        }
        assert!(matches!(ids, Ids::Bits(_)));
        assert_eq!(ids.to_vec(), (0..40).map(|i| i * 2).collect::<Vec<u32>>());
    }

    /// A patched index must be sized as a built one, or its shards differ.
    #[test]
    fn ids_set_one_by_one_take_the_form_pushing_makes() {
        let count = 640;
        let form = |ids: &Ids| (matches!(ids, Ids::Bits(_)), ids.to_vec());
        // A list up to 20 ids of 640, a bitmap from 21.
        for n in [3, 20, 21, 22, 40] {
            let ids: Vec<u32> = (0..n).map(|i| i * 7).collect();
            let pushed = |ids: &[u32]| {
                let mut made = Ids::default();
                for &i in ids {
                    made.push(i, count);
                }
                made
            };
            let mut set = Ids::default();
            for &i in ids.iter().rev() {
                set.set(i, true, count);
            }
            assert_eq!(form(&set), form(&pushed(&ids)), "{n} ids");
            set.set(ids[0], false, count);
            assert_eq!(form(&set), form(&pushed(&ids[1..])), "{n} ids, one out");
        }
    }
}
