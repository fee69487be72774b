//! What the pages of the numerous kinds (notices, their lists, category
//! pages, ledgers and their list) are made from, hashed without making
//! their contexts: `serve` fingerprints every page on every save, and
//! building ten thousand contexts to find the six that changed costs more
//! than the edit is worth waiting for.
//!
//! The hash covers every notice a page shows something of, by one of that
//! notice's two [`keys`](Keys): all of it (its file's digest, its compiled
//! HTML, its address and its groups) for the pages that show the notice
//! itself or its problems, and only its entry in a list (the hash of its
//! [`NoticeSummary`]) for the lists. An edit of a notice's text then
//! renders its own pages again, not the year's list of a thousand
//! notices it is one line of. Pages of other kinds, and anything that
//! depends on the whole site (the dashboard's figures), are fingerprinted
//! from their context as before. Configuration and templates are not
//! covered: a change to them renders every page. The property test of
//! `serve` (its output byte-equal to a fresh build after random edits)
//! is what keeps this list honest.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use super::pages::{Page, page_count};
use super::view::NoticeSummary;
use crate::model::{NoticeId, NoticeRow, ProblemRef, Site, TiVec};

/// Two keys per notice of the site: what any page shows of that notice,
/// and what a list shows of it.
pub struct Keys {
    /// The model they are of.
    model: u64,
    whole: TiVec<NoticeId, u64>,
    listed: TiVec<NoticeId, u64>,
}

/// What the last save learnt of the notices' keys: the list key of each
/// notice by its whole key (a notice's list entry is made of what its
/// whole key covers and of the configuration, so only the notices that
/// changed make their summary again: making all ten thousand would cost
/// more than the lists it spares), and the keys of the last model, which
/// a model made from it changes only in its edited rows. Emptied whenever
/// the configuration may have changed.
#[derive(Default)]
pub struct ListedKeys {
    by_whole: FxHashMap<u64, u64>,
    last: Option<Keys>,
}

impl ListedKeys {
    /// Forgets every key: the configuration is read again.
    pub fn clear(&mut self) {
        *self = ListedKeys::default();
    }

    /// Keeps `keys`, those of the last model, for the next.
    pub fn keep(&mut self, keys: Keys) {
        self.last = Some(keys);
    }

    /// The list key of notice `i`, whose whole key is `whole`.
    fn listed(&self, site: &Site, i: NoticeId, whole: u64) -> u64 {
        self.by_whole.get(&whole).copied().unwrap_or_else(|| {
            let mut h = FxHasher::default();
            NoticeSummary::new(site, i).hash(&mut h);
            h.finish()
        })
    }
}

impl Keys {
    /// The keys of every notice of `site`; `known` gives the list keys
    /// of the notices that did not change, and learns the others'.
    pub fn new(site: &Site, known: &mut ListedKeys) -> Keys {
        match (known.last.take(), &site.lineage.from) {
            (Some(last), Some((from, edited)))
                if last.model == *from && last.whole.len() == site.notices.len() =>
            {
                Keys::edited(site, last, edited, known)
            }
            _ => Keys::all(site, known),
        }
    }

    /// The keys of a model made from the one of `last`, which differs
    /// from it in the rows `edited` alone.
    fn edited(site: &Site, mut last: Keys, edited: &[NoticeId], known: &mut ListedKeys) -> Keys {
        for &i in edited {
            let key = whole(site, &site.notices[i]);
            let listed = known.listed(site, i, key);
            known.by_whole.insert(key, listed);
            (last.whole[i], last.listed[i]) = (key, listed);
        }
        last.model = site.lineage.id;
        last
    }

    fn all(site: &Site, known: &mut ListedKeys) -> Keys {
        let whole: Vec<u64> = site
            .notices
            .raw
            .par_iter()
            .map(|row| whole(site, row))
            .collect();
        let listed: Vec<u64> = whole
            .par_iter()
            .enumerate()
            .map(|(i, &key)| known.listed(site, NoticeId::from(i), key))
            .collect();
        known.by_whole = whole.iter().copied().zip(listed.iter().copied()).collect();
        Keys {
            model: site.lineage.id,
            whole: whole.into(),
            listed: listed.into(),
        }
    }

    /// The key of notice `i`, and where it is in the site's order.
    fn of(&self, i: NoticeId, h: &mut FxHasher) {
        (i, self.whole[i]).hash(h);
    }

    /// What a list shows of notice `i` (its [`NoticeSummary`], or a link
    /// to it: its title and address, which the summary holds too), and
    /// where it is in the site's order.
    fn listed(&self, i: NoticeId, h: &mut FxHasher) {
        (i, self.listed[i]).hash(h);
    }
}

/// What any page shows of the notice of `row`.
fn whole(site: &Site, row: &NoticeRow) -> u64 {
    let n = &row.notice;
    let mut h = FxHasher::default();
    // The path as its bytes: hashing a path goes through its components.
    (n.digest, &n.slug, n.source.as_os_str().as_encoded_bytes()).hash(&mut h);
    // An attachment's file may change beside an unchanged notice.
    n.attachments.hash(&mut h);
    row.html.hash(&mut h);
    let org = &site.organizations[row.organization];
    (&org.name, &org.slug).hash(&mut h);
    for &t in row.tags.iter() {
        (&site.tags[t].name, &site.tags[t].slug).hash(&mut h);
    }
    if let Some(r) = row.round {
        site.ledger.rounds[r].slug.hash(&mut h);
    }
    h.finish()
}

/// The hash of what `page` is made from, for the kinds that have one.
pub fn inputs(site: &Site, page: &Page, keys: &Keys) -> Option<u64> {
    let mut h = FxHasher::default();
    page.kind().name.hash(&mut h);
    match *page {
        Page::Notice { id } => {
            // Itself, the neighbours it links to, and its round: the other
            // reports of its problems and the list of the round's notices.
            keys.of(id, &mut h);
            let i = id.index();
            for n in i.saturating_sub(1)..(i + 2).min(site.notices.len()) {
                keys.listed(NoticeId::from(n), &mut h);
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
                    keys.listed(i, &mut h);
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
                keys.listed(i, &mut h);
            }
        }
        // Each round's line, which its `RoundSummary` makes of these: the
        // summaries of three thousand rounds cost milliseconds a save.
        Page::Inspections => {
            // Its date (the `PubDate` tag) is the site's newest notice's.
            site.notices.raw.first().map(|r| r.notice.date).hash(&mut h);
            for r in &site.ledger.rounds {
                let shown = (&r.slug, r.kind, &r.organization, &r.inspection);
                (shown, r.notices.len(), r.tally, r.as_of, r.overdue).hash(&mut h);
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
        keys.listed(notice(i), h);
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
