//! The outbox of a deploy: every file of the build is hashed, and only
//! those the target does not have yet are kept, in a temporary folder,
//! until they are sent.
//!
//! A redeploy after one edit so writes a few files, not the whole site,
//! and the target is not touched before the build succeeded, the gate
//! passed and the plan was confirmed.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::{Sink, WriteError, claim, io_error, lock};

/// A file the build produced: its digest and size, and whether its bytes
/// wait in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Produced {
    pub path: String,
    pub sha256: [u8; 32],
    pub size: u64,
    /// Kept in the outbox's folder (the target lacks these bytes).
    pub kept: bool,
}

/// Hashes what the build writes; keeps the files whose digest is not the
/// one the target already has.
#[derive(Debug)]
pub struct Outbox {
    dir: tempfile::TempDir,
    /// What the target has: path → SHA-256.
    known: HashMap<String, [u8; 32]>,
    produced: Mutex<HashSet<String>>,
    files: Mutex<Vec<Produced>>,
}

impl Outbox {
    /// An empty outbox in the system's temporary folder; `known` is what
    /// the target holds (empty to keep every file).
    pub fn create(known: HashMap<String, [u8; 32]>) -> Result<Outbox, WriteError> {
        let dir = tempfile::Builder::new()
            .prefix("gongkai-deploy-")
            .tempdir()
            .map_err(io_error(&std::env::temp_dir()))?;
        Ok(Outbox {
            dir,
            known,
            produced: Mutex::new(HashSet::new()),
            files: Mutex::new(Vec::new()),
        })
    }

    /// Where a kept file's bytes are.
    pub fn file(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The folder of kept files (removed with the outbox).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Every file produced, sorted by path.
    pub fn produced(&self) -> Vec<Produced> {
        let mut files = lock(&self.files).clone();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Outbox {
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError> {
        claim(&self.produced, rel, what)?;
        let sha256: [u8; 32] = Sha256::digest(bytes).into();
        let kept = self.known.get(rel) != Some(&sha256);
        if kept {
            let target = self.file(rel);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io_error(parent))?;
            }
            fs::write(&target, bytes).map_err(io_error(&target))?;
        }
        lock(&self.files).push(Produced {
            path: rel.to_string(),
            sha256,
            size: bytes.len() as u64,
            kept,
        });
        Ok(())
    }

    fn contains(&self, rel: &str) -> bool {
        lock(&self.produced).contains(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_the_target_lacks_are_kept() {
        let same: [u8; 32] = Sha256::digest(b"same").into();
        let known = HashMap::from([
            ("a.html".to_string(), same),
            ("b.html".to_string(), [0; 32]),
        ]);
        let outbox = Outbox::create(known).unwrap();
        outbox.write("a.html", b"same", "page").unwrap();
        outbox.write("b.html", b"changed", "page").unwrap();
        outbox.write("c/d.css", b"new", "style").unwrap();
        let kept: Vec<_> = outbox
            .produced()
            .into_iter()
            .map(|p| (p.path, p.kept))
            .collect();
        assert_eq!(
            kept,
            [
                ("a.html".to_string(), false),
                ("b.html".to_string(), true),
                ("c/d.css".to_string(), true)
            ]
        );
        assert!(!outbox.file("a.html").exists());
        assert_eq!(fs::read(outbox.file("c/d.css")).unwrap(), b"new");
        let dir = outbox.dir().to_path_buf();
        drop(outbox);
        assert!(!dir.exists(), "the outbox leaves nothing behind");
    }
}
