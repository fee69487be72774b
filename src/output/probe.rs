//! The sink of `check`: it writes nothing, and remembers each file it is
//! given and the ids on each page, for the link lints.

use std::collections::HashSet;
use std::sync::Mutex;

use super::{Sink, WriteError, claim, lock};
use crate::lint::PageIndex;

/// A sink that writes nothing and remembers each file and its anchors.
#[derive(Default)]
pub struct Probe {
    produced: Mutex<HashSet<String>>,
    pages: Mutex<PageIndex>,
}

impl Probe {
    /// Every file produced, with the ids of each page.
    pub fn into_pages(self) -> PageIndex {
        self.pages.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Probe {
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError> {
        claim(&self.produced, rel, what)?;
        lock(&self.pages).add(rel, bytes);
        Ok(())
    }

    fn contains(&self, rel: &str) -> bool {
        lock(&self.produced).contains(rel)
    }
}
