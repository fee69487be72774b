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

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use super::path::Step;

/// Readings of one document at most, each finding a mistake or leaving
/// out one more part; a safeguard, far above any real document's count.
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
    /// whole is wrong or there were too many mistakes.
    pub value: Option<T>,
    /// In the order found.
    pub found: Vec<Found>,
    /// The parts of the document left out of `value`.
    pub left_out: Vec<Vec<Step>>,
}

/// Reads `tree` into `T`, finding up to `max` mistakes.
pub fn every_mistake<T: DeserializeOwned>(tree: &Value, max: usize) -> Collected<T> {
    let mut aside = Aside::default();
    let mut found: Vec<Found> = Vec::new();
    for _ in 0..MAX_READINGS {
        let (result, unknown) = tree::read::<T>(tree, &aside);
        for unknown in unknown {
            if !found.contains(&unknown) {
                found.push(unknown);
            }
        }
        let failure = match result {
            Ok(value) => return aside.collected(Some(value), found, max),
            Err(failure) => failure,
        };
        let path = failure.path.clone();
        let new = !aside.left_out.contains(&path) && !follows(&failure, &aside, &found);
        if new {
            found.push(failure);
        }
        if path.is_empty() || found.len() >= max {
            break;
        }
        aside.set_aside(path);
    }
    aside.collected(None, found, max)
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

/// The parts of the tree that readings leave out.
#[derive(Debug, Default)]
struct Aside {
    /// Wrong fields, read as not written; wrong list items, read as an
    /// empty mapping.
    left_out: Vec<Vec<Step>>,
    /// List items that not even an empty mapping can stand in for: not
    /// read, so that the other items still are.
    dropped: Vec<Vec<Step>>,
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

    /// What the readings gave. A list that lost items is left out as a
    /// whole, for checks: its items no longer have their numbers.
    fn collected<T>(self, value: Option<T>, mut found: Vec<Found>, max: usize) -> Collected<T> {
        found.truncate(max);
        let mut left_out = self.left_out;
        for item in self.dropped {
            left_out.push(item[..item.len() - 1].to_vec());
        }
        Collected {
            value,
            found,
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
