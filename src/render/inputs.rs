//! What the pages of the numerous kinds (notices, their lists, category
//! pages, ledgers) are made from, hashed without making their contexts:
//! `serve` fingerprints every page on every save, and building ten
//! thousand contexts to find the six that changed costs more than the
//! edit is worth waiting for.
//!
//! The hash covers every notice a page shows something of, by that
//! notice's [`key`](Keys): its file's digest, its compiled HTML, its
//! address and its groups. Pages of other kinds, and anything that
//! depends on the whole site (the dashboard's figures), are fingerprinted
//! from their context as before. Configuration and templates are not
//! covered: a change to them renders every page. The property test of
//! `serve` (its output byte-equal to a fresh build after random edits)
//! is what keeps this list honest.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHasher;

use super::pages::{Page, page_count};
use crate::model::{NoticeId, ProblemRef, Site, TiVec};

/// A key per notice of the site: what any page shows of that notice.
pub struct Keys(TiVec<NoticeId, u64>);

impl Keys {
    pub fn new(site: &Site) -> Keys {
        let keys: Vec<u64> = site
            .notices
            .raw
            .par_iter()
            .map(|row| {
                let n = &row.notice;
                let mut h = FxHasher::default();
                // The path as its bytes: hashing a path goes through its
                // components.
                (n.digest, &n.slug, n.source.as_os_str().as_encoded_bytes()).hash(&mut h);
                // An attachment's file may change beside an unchanged notice.
                n.attachments.hash(&mut h);
                row.html.hash(&mut h);
                let org = &site.organizations[row.organization];
                (&org.name, &org.slug).hash(&mut h);
                for &t in &row.tags {
                    (&site.tags[t].name, &site.tags[t].slug).hash(&mut h);
                }
                if let Some(r) = row.round {
                    site.ledger.rounds[r].slug.hash(&mut h);
                }
                h.finish()
            })
            .collect();
        Keys(keys.into())
    }

    /// The key of notice `i`, and where it is in the site's order.
    fn of(&self, i: NoticeId, h: &mut FxHasher) {
        (i, self.0[i]).hash(h);
    }
}

/// The hash of what `page` is made from, for the kinds that have one.
pub fn inputs(site: &Site, page: &Page, keys: &Keys) -> Option<u64> {
    let mut h = FxHasher::default();
    page.kind().name.hash(&mut h);
    match *page {
        Page::Notice { id } => {
            // Itself, the neighbours it links to, and its round: the other
            // reports of its problems and the list of the round's notices.
            let i = id.index();
            for n in i.saturating_sub(1)..(i + 2).min(site.notices.len()) {
                keys.of(NoticeId::from(n), &mut h);
            }
            if let Some(r) = site.notices[id].round {
                for &m in &site.ledger.rounds[r].notices {
                    keys.of(m, &mut h);
                }
            }
        }
        // Its notice alone (the contacts it shows besides are the
        // configuration's).
        Page::Board { id } => keys.of(id, &mut h),
        Page::Category { id, page } => {
            let cat = &site.categories[id];
            let per = site.config.problems_per_page;
            (
                page,
                page_count(cat.problems.len(), per),
                cat.tally,
                cat.problems.len(),
            )
                .hash(&mut h);
            for &r in cat.problems.iter().skip((page - 1) * per).take(per) {
                report(site, keys, r, &mut h);
            }
            if page == 1 {
                for &i in &cat.notices {
                    keys.of(i, &mut h);
                }
            }
        }
        // Every notice, newest first: the list of ids would be made again
        // for each of its pages.
        Page::Notices { page } => {
            list(site, keys, site.notices.len(), NoticeId::from, page, &mut h)
        }
        Page::Organization { id, page } => {
            let g = &site.organizations[id];
            (&g.name, &g.slug).hash(&mut h);
            list(site, keys, g.notices.len(), |i| g.notices[i], page, &mut h);
        }
        Page::Tag { id, page } => {
            let g = &site.tags[id];
            (&g.name, &g.slug).hash(&mut h);
            list(site, keys, g.notices.len(), |i| g.notices[i], page, &mut h);
        }
        Page::Year { id } => {
            let year = &site.years[id];
            year.year.hash(&mut h);
            for &i in &year.notices {
                keys.of(i, &mut h);
            }
        }
        Page::Inspection { id } => {
            let round = &site.ledger.rounds[id];
            (&round.slug, round.tally, round.overdue, round.as_of).hash(&mut h);
            for &m in &round.notices {
                keys.of(m, &mut h);
            }
        }
        _ => return None,
    }
    Some(h.finish())
}

/// One page of a paginated list of `len` notices, the `i`-th of which is
/// `notice(i)`, and how many there are.
fn list(
    site: &Site,
    keys: &Keys,
    len: usize,
    notice: impl Fn(usize) -> NoticeId,
    page: usize,
    h: &mut FxHasher,
) {
    let per = site.config.notices_per_page;
    (page, len, page_count(len, per)).hash(h);
    let first = ((page - 1) * per).min(len);
    for i in first..(first + per).min(len) {
        keys.of(notice(i), h);
    }
}

/// A report of a problem, and the newest report of the same problem.
fn report(site: &Site, keys: &Keys, r: ProblemRef, h: &mut FxHasher) {
    keys.of(r.notice, h);
    r.problem.hash(h);
    if let Some((_, entry)) = site.ledger.entry(r) {
        let latest = entry.latest();
        keys.of(latest.notice, h);
        latest.problem.hash(h);
    }
}
