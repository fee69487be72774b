//! The pieces of the large open data files that `serve` keeps between
//! saves: each notice's entry of `problems.json` and rows of
//! `problems.csv`, and each round's entry of `inspections.json`, by the
//! fingerprint of the data it was made from. After an edit only the
//! pieces whose data changed are made again; the files are then put
//! together from pieces as a build puts them together, so their bytes are
//! a build's. (Pages are told apart by a fingerprint the same way.)
//!
//! A build makes every piece once and keeps none.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::output::lock;

/// Pieces made before, or nothing kept (a build).
#[derive(Debug, Default)]
pub struct Pieces {
    /// Whether pieces are kept for the next time.
    keep: bool,
    notices: Made<Arc<RawValue>>,
    rounds: Made<Arc<RawValue>>,
    rows: Made<Arc<[u8]>>,
}

/// One kind of piece, by fingerprint: those of the last time only.
#[derive(Debug)]
struct Made<V>(Mutex<FxHashMap<u64, V>>);

impl<V> Default for Made<V> {
    fn default() -> Made<V> {
        Made(Mutex::new(FxHashMap::default()))
    }
}

impl Pieces {
    /// Pieces kept between saves, for `serve`.
    pub fn kept() -> Pieces {
        Pieces {
            keep: true,
            ..Pieces::default()
        }
    }

    /// Whether pieces are kept for the next time (else a build).
    pub(super) fn keeps(&self) -> bool {
        self.keep
    }

    /// Each notice of `problems.json`, as JSON.
    pub(super) fn notices<T: Serialize + Hash + Sync>(&self, items: &[T]) -> Vec<Arc<RawValue>> {
        self.notices.each(self.keep, items, json)
    }

    /// Each round of `inspections.json`, as JSON.
    pub(super) fn rounds<T: Serialize + Hash + Sync>(&self, items: &[T]) -> Vec<Arc<RawValue>> {
        self.rounds.each(self.keep, items, json)
    }

    /// Each notice's rows of `problems.csv`, as `make` writes them.
    pub(super) fn rows<T: Hash + Sync>(
        &self,
        items: &[T],
        make: impl Fn(&T) -> Vec<u8> + Sync,
    ) -> Vec<Arc<[u8]>> {
        self.rows.each(self.keep, items, |item| make(item).into())
    }
}

impl<V: Clone + Send + Sync> Made<V> {
    /// The piece of each of `items`, made by `make` unless the last time
    /// made it from the same data; keeps this time's when `keep`.
    fn each<T: Hash + Sync>(
        &self,
        keep: bool,
        items: &[T],
        make: impl Fn(&T) -> V + Sync,
    ) -> Vec<V> {
        if !keep {
            return items.par_iter().map(&make).collect();
        }
        let last = std::mem::take(&mut *lock(&self.0));
        let pieces: Vec<(u64, V)> = items
            .par_iter()
            .map(|item| {
                let key = fingerprint(item);
                let piece = last.get(&key).cloned().unwrap_or_else(|| make(item));
                (key, piece)
            })
            .collect();
        drop(last);
        *lock(&self.0) = pieces.iter().cloned().collect();
        pieces.into_iter().map(|(_, piece)| piece).collect()
    }
}

/// `item` as JSON. (Plain structures cannot fail to serialize; if one
/// did, it would be `null`, never a file cut short.)
fn json<T: Serialize>(item: &T) -> Arc<RawValue> {
    serde_json::value::to_raw_value(item)
        .map_or_else(|_| Arc::from(RawValue::NULL.to_owned()), Arc::from)
}

fn fingerprint<T: Hash>(item: &T) -> u64 {
    let mut h = FxHasher::default();
    item.hash(&mut h);
    h.finish()
}
