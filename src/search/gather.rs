//! The distinct terms of a text, found without hashing most of them: the
//! index finds a notice's terms once for every character of its text, so
//! this is where building the index spends most of its time.
//!
//! A character is marked seen in a table by code point, and numbered in
//! the order it is first seen; a pair of characters is a bit in a square
//! of those numbers. The table and the square are not cleared between
//! texts: the table's marks carry the number of the set of terms being
//! gathered, and only the words of the square that were set are cleared.
//! Characters past the table (outside the Basic Multilingual Plane) and
//! pairs past the square go to a hash set. The terms are those
//! [`index_terms`] gives.
//!
//! [`index_terms`]: super::terms::index_terms

use std::cell::RefCell;

use rustc_hash::FxHashSet;

use super::terms::{Term, for_each_term_char, term};

/// Code points the table covers: the Basic Multilingual Plane, where
/// nearly every character of a Chinese text is.
const TABLE: usize = 0x1_0000;
/// Side of the square of pairs: how many distinct characters of one set
/// of terms get a bit for their pairs (a long notice has about a
/// thousand).
const SIDE: usize = 1024;

/// The distinct terms of texts, gathered a set at a time.
pub(super) struct Gather {
    /// For each code point, the set in which it was last seen and its
    /// number in that set (characters are numbered in the order first
    /// seen).
    slots: Vec<(u32, u32)>,
    /// Numbers given in the current set.
    numbered: u32,
    /// The current set (never 0, which marks nothing seen).
    set: u32,
    /// Bit `a * SIDE + b`: the pair of the characters numbered `a`, `b`.
    pairs: Vec<u64>,
    /// The words of `pairs` set in the current set.
    touched: Vec<u32>,
    /// The terms that have no place in the table or the square.
    rest: FxHashSet<Term>,
    /// The distinct terms of the current set, in the order found.
    found: Vec<Term>,
}

impl Default for Gather {
    fn default() -> Gather {
        Gather {
            slots: vec![(0, 0); TABLE],
            numbered: 0,
            set: 0,
            pairs: vec![0; SIDE * SIDE / 64],
            touched: Vec::new(),
            rest: FxHashSet::default(),
            found: Vec::new(),
        }
    }
}

thread_local! {
    /// Each thread's tables, made once: they are larger than a notice.
    static GATHER: RefCell<Gather> = RefCell::new(Gather::default());
}

impl Gather {
    /// Runs `f` with this thread's tables.
    pub(super) fn with<R>(f: impl FnOnce(&mut Gather) -> R) -> R {
        GATHER.with_borrow_mut(f)
    }

    /// Starts a new, empty set of terms.
    pub(super) fn start(&mut self) {
        for &w in &self.touched {
            self.pairs[w as usize] = 0;
        }
        self.touched.clear();
        self.rest.clear();
        self.found.clear();
        self.numbered = 0;
        self.set = self.set.wrapping_add(1);
        if self.set == 0 {
            // Once in four billion sets: the old marks could be mistaken.
            self.slots.fill((0, 0));
            self.set = 1;
        }
    }

    /// Adds the terms of `text` to the current set.
    pub(super) fn add(&mut self, text: &str) {
        let mut previous = usize::MAX;
        for_each_term_char(text, |c, before| {
            let number = self.single(c);
            if let Some(a) = before {
                self.pair(a, c, previous, number);
            }
            previous = number;
        });
    }

    /// The distinct terms of the current set, in the order found.
    pub(super) fn found(&self) -> &[Term] {
        &self.found
    }

    /// Adds character `c`; returns its number, `usize::MAX` if it has none.
    #[inline]
    fn single(&mut self, c: char) -> usize {
        let code = c as usize;
        if code >= TABLE {
            if self.rest.insert(term(c, None)) {
                self.found.push(term(c, None));
            }
            return usize::MAX;
        }
        let slot = &mut self.slots[code];
        if slot.0 != self.set {
            *slot = (self.set, self.numbered);
            self.numbered = self.numbered.saturating_add(1);
            self.found.push(term(c, None));
        }
        slot.1 as usize
    }

    /// Adds the pair of `a`, numbered `na`, and `b`, numbered `nb`.
    #[inline]
    fn pair(&mut self, a: char, b: char, na: usize, nb: usize) {
        let t = term(a, Some(b));
        if na >= SIDE || nb >= SIDE {
            if self.rest.insert(t) {
                self.found.push(t);
            }
            return;
        }
        let bit = na * SIDE + nb;
        let word = &mut self.pairs[bit / 64];
        let mask = 1 << (bit % 64);
        if *word & mask == 0 {
            if *word == 0 {
                self.touched.push((bit / 64) as u32);
            }
            *word |= mask;
            self.found.push(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::terms::index_terms;

    fn gathered(g: &mut Gather, texts: &[&str]) -> Vec<Term> {
        g.start();
        for t in texts {
            g.add(t);
        }
        let mut found = g.found().to_vec();
        let distinct = found.len();
        found.sort_unstable();
        found.dedup();
        assert_eq!(found.len(), distinct, "each term once");
        found
    }

    fn hashed(texts: &[&str]) -> Vec<Term> {
        let mut set = FxHashSet::default();
        for t in texts {
            index_terms(t, &mut set);
        }
        let mut terms: Vec<Term> = set.into_iter().collect();
        terms.sort_unstable();
        terms
    }

    #[test]
    fn the_terms_are_those_of_a_hash_set() {
        // Many distinct characters, so that pairs go past the square;
        // characters past the table; a set after a larger one.
        let wide: String = (0x4E00..0x4E00 + 3 * SIDE as u32)
            .filter_map(char::from_u32)
            .collect();
        let cases: Vec<Vec<&str>> = vec![
            vec!["巡察整改，整改巡察。ＡＢＣ abc 7230.3元"],
            vec![&wide, "一二三一二三"],
            vec!["𠀀𠀁 𠀀字 字𠀀 𠀀𠀁"],
            vec!["整改"],
            vec!["", "。，"],
            vec!["八项规定", "规定八项"],
        ];
        let mut g = Gather::default();
        for texts in cases.iter().chain(cases.iter().rev()) {
            assert_eq!(gathered(&mut g, texts), hashed(texts), "{texts:?}");
        }
    }

    #[test]
    fn marks_survive_the_set_number_wrapping() {
        let mut g = Gather::default();
        assert_eq!(gathered(&mut g, &["巡察"]), hashed(&["巡察"]));
        g.set = u32::MAX;
        assert_eq!(gathered(&mut g, &["巡察"]), hashed(&["巡察"]));
        assert_eq!(gathered(&mut g, &["巡察"]), hashed(&["巡察"]));
    }
}
