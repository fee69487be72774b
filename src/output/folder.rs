//! Writing straight into a folder of its own (the preview of `serve`).

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Sink, WriteError, claim, io_error, lock, make_dir, same_content};

/// Writes straight into a folder (for `serve`, whose folder is its own):
/// a file is written only when its bytes changed, and a file that is
/// replaced is written beside its place and then renamed, so that a request
/// never reads half of it. Each pass of writes
/// is a [`Sink`] of its own, which knows what it produced and changed.
#[derive(Debug)]
pub struct FolderPass<'a> {
    dir: &'a Path,
    produced: Mutex<HashSet<String>>,
    changed: Mutex<Vec<String>>,
}

impl<'a> FolderPass<'a> {
    pub fn new(dir: &'a Path) -> FolderPass<'a> {
        FolderPass {
            dir,
            produced: Mutex::new(HashSet::new()),
            changed: Mutex::new(Vec::new()),
        }
    }

    /// What this pass produced, and which of those files changed.
    pub fn finish(self) -> (HashSet<String>, Vec<String>) {
        let produced = self
            .produced
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let mut changed = self.changed.into_inner().unwrap_or_else(|e| e.into_inner());
        changed.sort();
        (produced, changed)
    }
}

impl Sink for FolderPass<'_> {
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError> {
        claim(&self.produced, rel, what)?;
        let target = self.dir.join(rel);
        if same_content(&target, bytes) {
            return Ok(());
        }
        if let Some(parent) = target.parent() {
            make_dir(parent)?;
        }
        if !target.exists() {
            // Nothing to replace: no reader can see half of an old file.
            fs::write(&target, bytes).map_err(io_error(&target))?;
            lock(&self.changed).push(rel.to_string());
            return Ok(());
        }
        let mut temp = target.clone().into_os_string();
        temp.push(".gongkai-new");
        let temp = PathBuf::from(temp);
        fs::write(&temp, bytes).map_err(io_error(&temp))?;
        if target.is_dir() {
            fs::remove_dir_all(&target).map_err(io_error(&target))?;
        }
        fs::rename(&temp, &target).map_err(io_error(&target))?;
        lock(&self.changed).push(rel.to_string());
        Ok(())
    }

    fn contains(&self, rel: &str) -> bool {
        lock(&self.produced).contains(rel)
    }

    /// The folder is kept between passes: a file an earlier pass wrote
    /// is there, unchanged.
    fn keep(&self, rel: &str) -> Result<(), WriteError> {
        claim(&self.produced, rel, "kept")
    }
}

/// Removes a file a previous pass produced, and folders it leaves empty.
pub fn remove_file(dir: &Path, rel: &str) {
    let path = dir.join(rel);
    if fs::remove_file(&path).is_ok() {
        let mut up = path.parent();
        while let Some(p) = up {
            if p == dir || fs::remove_dir(p).is_err() {
                break;
            }
            up = p.parent();
        }
    }
}
