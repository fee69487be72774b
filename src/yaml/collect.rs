//! Every mistake of a document that did not read into its type, found on
//! its value tree (parsed once).
//!
//! serde cannot go on past a field it failed to make: a derived structure
//! gives up at its first wrong field. So the tree is read into `T` again,
//! each reading leaving out the fields found wrong so far (a wrong field
//! of a mapping is left out, as if not written; a wrong item of a list
//! reads as an empty mapping, so that the items keep their numbers), until
//! a reading succeeds. That is one reading per wrong field, on the tree in
//! memory, a few microseconds each (`cargo bench --bench yaml`). Fields of
//! a structure that it does not have are set aside in every reading, all
//! at once.
//!
//! The tree is read the way the YAML reader reads text, so that a field
//! that is right is not reported (a number where text is wanted is its
//! text, as it would be from the document), and serde's errors arrive
//! typed ([`Mistake`]), not as English text.

mod tree;

pub(super) use tree::key_text;

use rustc_hash::FxHashSet;
use serde::de::DeserializeOwned;
use serde_yaml::Value;

use super::path::Step;

/// Readings of one document at most, each finding a mistake or leaving
/// out one more part; a safeguard, far above any real document's count
/// (past it, the mistakes are counted "at least").
const MAX_READINGS: usize = 200;

/// What is wrong with a field, as serde says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mistake {
    /// A required field is not there.
    Missing(&'static str),
    /// A field the structure does not have (the path ends with it).
    Unknown {
        field: String,
        known: &'static [&'static str],
    },
    /// A value that is not one of a fixed set.
    UnknownVariant {
        variant: String,
        known: &'static [&'static str],
    },
    /// A value of the wrong type: serde's descriptions of both.
    Type { found: String, expected: String },
    /// A value of the right type that is not allowed.
    Value { found: String, expected: String },
    /// Anything else, in serde's words.
    Other(String),
}

/// A mistake and the path of the field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: Vec<Step>,
    pub mistake: Mistake,
}

/// What the readings of a document gave.
#[derive(Debug)]
pub struct Collected<T> {
    /// `T` without the fields left out; `None` when the document as a
    /// whole is wrong or there were too many mistakes to read past.
    pub value: Option<T>,
    /// The first mistakes found (as many as asked for), in that order.
    pub found: Vec<Found>,
    /// The mistakes found past those.
    pub more: More,
    /// The parts of the document left out of `value`.
    pub left_out: Vec<Vec<Step>>,
}

/// The mistakes of a document past those asked for.
#[derive(Debug, Default)]
pub struct More {
    /// How many.
    pub count: usize,
    /// Whether that is all of them, or the readings stopped at
    /// [`MAX_READINGS`] with more to find.
    pub exact: bool,
    /// The first of them.
    pub next: Option<Found>,
}

/// Reads `tree` into `T`, finding every mistake: the first `max` listed,
/// the others counted.
pub fn every_mistake<T: DeserializeOwned>(tree: &Value, max: usize) -> Collected<T> {
    let mut aside = Aside::default();
    let mut found = Findings::default();
    for _ in 0..MAX_READINGS {
        let (result, unknown) = tree::read::<T>(tree, &aside);
        found.unknown(unknown);
        let failure = match result {
            Ok(value) => return aside.collected(Some(value), found, max, true),
            Err(failure) => failure,
        };
        let path = failure.path.clone();
        let new = !aside.left_out.contains(&path) && !follows(&failure, &aside, &found.all);
        if new {
            found.all.push(failure);
        }
        if path.is_empty() {
            return aside.collected(None, found, max, true);
        }
        aside.set_aside(path);
    }
    aside.collected(None, found, max, false)
}

/// The mistakes found so far, in the order found. Every reading finds
/// the same fields a structure does not have: each is kept once, looked
/// up in a set (a list took minutes for 200,000 unknown fields).
#[derive(Debug, Default)]
struct Findings {
    all: Vec<Found>,
    unknown: FxHashSet<Vec<Step>>,
}

impl Findings {
    fn unknown(&mut self, unknown: Vec<Found>) {
        for unknown in unknown {
            if self.unknown.insert(unknown.path.clone()) {
                self.all.push(unknown);
            }
        }
    }
}

/// Whether a missing field follows from a mistake already found: it was
/// written wrongly (and so left out), or misspelt.
fn follows(failure: &Found, aside: &Aside, found: &[Found]) -> bool {
    let (path, Mistake::Missing(field)) = (&failure.path, &failure.mistake) else {
        return false;
    };
    let at = child(path, Step::Key(field.to_string()));
    let misspelt = found.iter().any(|f| match &f.mistake {
        Mistake::Unknown { field: written, .. } => {
            f.path.len() == at.len()
                && f.path[..path.len()] == *path
                && super::wording::closest(written, &[field]).is_some()
        }
        _ => false,
    });
    misspelt || aside.left_out.contains(&at)
}

/// Paths in the order added, each once, looked up in a set: every node
/// of every reading asks whether it is left out.
#[derive(Debug, Default)]
struct Parts {
    order: Vec<Vec<Step>>,
    set: FxHashSet<Vec<Step>>,
}

impl Parts {
    fn contains(&self, path: &[Step]) -> bool {
        self.set.contains(path)
    }

    fn push(&mut self, path: Vec<Step>) {
        if self.set.insert(path.clone()) {
            self.order.push(path);
        }
    }
}

/// The parts of the tree that readings leave out.
#[derive(Debug, Default)]
struct Aside {
    /// Wrong fields, read as not written; wrong list items, read as an
    /// empty mapping.
    left_out: Parts,
    /// List items that not even an empty mapping can stand in for: not
    /// read, so that the other items still are.
    dropped: Parts,
}

impl Aside {
    /// Sets aside the part at `path`, where a reading failed.
    fn set_aside(&mut self, path: Vec<Step>) {
        if !self.left_out.contains(&path) {
            self.left_out.push(path);
        } else if matches!(path.last(), Some(Step::Index(_))) {
            self.dropped.push(path);
        } else {
            self.left_out.push(path[..path.len() - 1].to_vec());
        }
    }

    /// What the readings gave (`exact`: all of the mistakes). A list
    /// that lost items is left out as a whole, for checks: its items no
    /// longer have their numbers.
    fn collected<T>(
        self,
        value: Option<T>,
        found: Findings,
        max: usize,
        exact: bool,
    ) -> Collected<T> {
        let mut found = found.all;
        let past = found.split_off(max.min(found.len()));
        let more = More {
            count: past.len(),
            exact,
            next: past.into_iter().next(),
        };
        let mut left_out = self.left_out.order;
        for item in self.dropped.order {
            left_out.push(item[..item.len() - 1].to_vec());
        }
        Collected {
            value,
            found,
            more,
            left_out,
        }
    }
}

fn child(path: &[Step], step: Step) -> Vec<Step> {
    let mut child = path.to_vec();
    child.push(step);
    child
}

#[cfg(test)]
mod tests;
