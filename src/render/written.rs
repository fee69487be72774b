//! What `serve` wrote of a site, for the next save to tell which pages
//! changed.
//!
//! Pages are known by their [`Page`] and their place among the site's
//! pages, not by their path: a save checks every page of the site, and
//! making ten thousand paths to look up costs more than the check. A
//! page's fingerprint covers what its path is made of (its notice's slug,
//! its group's slug; the configuration renders every page again when it
//! changes), so a page whose fingerprint is unchanged is still at its
//! path.

use rustc_hash::{FxHashMap, FxHashSet};

use super::pages::{self, Page};
use crate::model::Site;
use crate::routes;

/// Each page's fingerprint, in the site's order of pages, and each Word
/// copy's, by its path.
#[derive(Debug, Default)]
pub struct Written {
    pub pages: Vec<(Page, u64)>,
    pub copies: FxHashMap<String, u64>,
}

impl Written {
    /// The paths of the pages of `old` (which wrote `self`) that `new`
    /// (which wrote `now`) has no more: those of the pages that changed or
    /// are gone, less those a changed page of `new` was written to.
    pub fn stale(&self, old: &Site, now: &Written, new: &Site) -> Vec<String> {
        let written: FxHashSet<String> = changed(&now.pages, &self.pages)
            .map(|p| p.path(new))
            .chain(changed_copies(&now.copies, &self.copies))
            .collect();
        changed(&self.pages, &now.pages)
            .map(|p| p.path(old))
            .chain(changed_copies(&self.copies, &now.copies))
            .filter(|p| !written.contains(p))
            .collect()
    }
}

/// The pages of `a` that `b` does not have with the same fingerprint.
fn changed<'a>(a: &'a [(Page, u64)], b: &[(Page, u64)]) -> impl Iterator<Item = &'a Page> {
    let known = Known::new(b, a.iter().map(|(p, _)| p));
    a.iter()
        .enumerate()
        .filter(move |(i, (p, f))| known.get(*i, p) != Some(*f))
        .map(|(_, (p, _))| p)
}

/// The Word copies of `a` that `b` does not have with the same fingerprint.
fn changed_copies<'a>(
    a: &'a FxHashMap<String, u64>,
    b: &'a FxHashMap<String, u64>,
) -> impl Iterator<Item = String> + 'a {
    a.iter()
        .filter(|(p, f)| b.get(*p) != Some(*f))
        .map(|(p, _)| p.clone())
}

/// The fingerprints of the pages of the last site, found by place: after
/// a save that added or removed no page, each page is where it was and
/// finding it costs nothing; after one that did, by page.
pub struct Known<'a> {
    pages: &'a [(Page, u64)],
    moved: Option<FxHashMap<Page, u64>>,
}

impl<'a> Known<'a> {
    /// The fingerprints of `known`, to look up the pages `now`.
    pub fn new<'b>(known: &'a [(Page, u64)], now: impl ExactSizeIterator<Item = &'b Page>) -> Self {
        let in_place = known.len() == now.len() && known.iter().zip(now).all(|((k, _), p)| k == p);
        let moved = (!in_place).then(|| known.iter().copied().collect());
        Known {
            pages: known,
            moved,
        }
    }

    /// The fingerprint `page`, the `i`-th page now, had.
    pub fn get(&self, i: usize, page: &Page) -> Option<u64> {
        match &self.moved {
            None => Some(self.pages[i].1),
            Some(by_page) => by_page.get(page).copied(),
        }
    }
}

/// Every path `render_changed` and `word_copies` write for `site`: what no
/// other file (a static file of the same name) may replace.
pub fn page_paths(site: &Site) -> FxHashSet<String> {
    let pages = pages::all(site).into_iter().map(|p| p.path(site));
    let copies = site.config.word_copies().then(|| {
        site.notices
            .iter()
            .map(|r| routes::notice_word(&r.notice.slug))
    });
    pages.chain(copies.into_iter().flatten()).collect()
}
