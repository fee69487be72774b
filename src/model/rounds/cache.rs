//! The rounds of the last build, kept by `serve`: each by the notices it
//! was made of (file and text), so that a save follows again only the
//! round it changed and takes the others as they were.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use crate::content::Notice;
use crate::diagnostic::Diagnostic;
use crate::slug;

use super::super::ids::{NoticeId, RoundId, TiSlice, TiVec};
use super::{Round, follow};

/// The rounds of the last build, by the identities of their notices.
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
    /// The address it would have alone.
    base: String,
    /// As the last build placed it among the site's notices.
    placed: Arc<Round>,
    mistakes: Vec<Diagnostic>,
}

/// The round of `members`, followed now.
fn follow_now(notices: &TiSlice<NoticeId, Arc<Notice>>, members: &[NoticeId]) -> Followed {
    let mut mistakes = Vec::new();
    let round = follow::follow(notices, members, &mut mistakes);
    Followed {
        base: round.slug.clone(),
        placed: Arc::new(round),
        mistakes,
    }
}

/// What a notice is, for the cache: its file and its text.
fn identity(n: &Notice) -> u64 {
    let mut h = FxHasher::default();
    // The bytes: hashing a path goes through its components.
    n.source.as_os_str().as_encoded_bytes().hash(&mut h);
    n.digest.hash(&mut h);
    h.finish()
}

impl RoundCache {
    /// The rounds of `notices` (newest first), each followed now or taken
    /// from the cache when its notices are unchanged, with their mistakes.
    /// The cache then holds these rounds.
    pub(super) fn rounds(
        &mut self,
        notices: &TiSlice<NoticeId, Arc<Notice>>,
    ) -> (TiVec<RoundId, Arc<Round>>, Vec<Diagnostic>) {
        let groups = follow::group(notices);
        // Every notice's identity, side by side: the only pass over them all.
        let keys: Vec<Vec<u64>> = groups
            .par_iter()
            .map(|members| members.iter().map(|&i| identity(&notices[i])).collect())
            .collect();
        // The cached rounds are taken first, so that the others can be
        // followed in parallel: a build follows them all.
        let cached: Vec<Option<Followed>> = keys.iter().map(|k| self.rounds.remove(k)).collect();
        let found: Vec<(Vec<u64>, Followed)> = groups
            .par_iter()
            .zip(keys)
            .zip(cached)
            .map(|((members, key), cached)| {
                (key, cached.unwrap_or_else(|| follow_now(notices, members)))
            })
            .collect();
        let slugs = self.slugs(found.iter().map(|(_, f)| f.base.as_str()));
        let mut rounds = TiVec::with_capacity(groups.len());
        let mut errors = Vec::new();
        let mut kept = FxHashMap::with_capacity_and_hasher(groups.len(), Default::default());
        for ((members, (key, mut followed)), slug) in groups.iter().zip(found).zip(slugs) {
            // A save moves no notice of the other rounds, and renames none.
            if followed.placed.notices != *members || followed.placed.slug != slug {
                followed.placed = Arc::new(followed.placed.moved(members, slug));
            }
            errors.extend(followed.mistakes.iter().cloned());
            rounds.push(followed.placed.clone());
            kept.insert(key, followed);
        }
        self.rounds = kept;
        (rounds, errors)
    }

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

impl Round {
    /// The round with its notices now at `members` (the same notices, in
    /// the same order, at their places in this build) and its address.
    fn moved(&self, members: &[NoticeId], slug: String) -> Round {
        let mut round = self.clone();
        round.slug = slug;
        // A round's notices are few: finding one is cheaper than a map.
        let now = |before: NoticeId| {
            let at = self.notices.iter().position(|&n| n == before);
            members[at.unwrap_or(0)]
        };
        for r in round.entries.iter_mut().flat_map(|e| &mut e.reports) {
            r.notice = now(r.notice);
        }
        round.notices = members.to_vec();
        round
    }
}
