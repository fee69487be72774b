//! Stage 4, write: files go to a staging folder beside the output folder,
//! which replaces the output only when the whole build succeeded.
//!
//! A failed build leaves the previous output exactly as it was. A rebuild
//! does not rewrite what did not change: a file whose bytes equal the
//! previous output's is hard-linked from it, which costs a directory entry
//! instead of a write. The replaced tree is deleted in the background, off
//! the critical path, and any leftover is cleared by the next build.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where a build writes, until [`Staging::commit`] swaps it in.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// The output of the previous build, to link unchanged files from.
    previous: Option<PathBuf>,
    files: Mutex<HashSet<String>>,
    written: AtomicUsize,
    linked: AtomicUsize,
    committed: bool,
}

/// What a commit did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    /// Files whose bytes changed (or were new) and were written.
    pub written: usize,
    /// Files that were unchanged and linked from the previous output.
    pub unchanged: usize,
}

/// An output file written twice in one build.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path} 被生成了两次（{what}）")]
    Duplicate { path: String, what: String },
    #[error("无法写入 {}：{source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Staging {
    /// Prepares an empty staging folder beside `output`.
    pub fn create(output: &Path) -> Result<Staging, WriteError> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let dir = sibling(output, "gongkai-staging");
        if dir.exists() {
            // Left by a build that was interrupted.
            fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
        }
        // A tree a previous build could not finish deleting.
        remove_in_background(sibling(output, "gongkai-old"));
        fs::create_dir(&dir).map_err(io_error(&dir))?;
        Ok(Staging {
            previous: output.is_dir().then(|| output.to_path_buf()),
            output: output.to_path_buf(),
            dir,
            files: Mutex::new(HashSet::new()),
            written: AtomicUsize::new(0),
            linked: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the output).
    pub fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError> {
        self.claim(rel, what)?;
        let target = self.dir.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        if let Some(previous) = &self.previous {
            let old = previous.join(rel);
            if same_content(&old, bytes) && fs::hard_link(&old, &target).is_ok() {
                self.linked.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        fs::write(&target, bytes).map_err(io_error(&target))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Whether a file was already written at `rel` by this build.
    pub fn contains(&self, rel: &str) -> bool {
        self.files.lock().is_ok_and(|f| f.contains(rel))
    }

    fn claim(&self, rel: &str, what: &str) -> Result<(), WriteError> {
        let mut files = self.files.lock().map_err(|_| WriteError::Io {
            path: self.dir.join(rel),
            source: io::Error::other("another writer panicked"),
        })?;
        if files.insert(rel.to_string()) {
            Ok(())
        } else {
            Err(WriteError::Duplicate {
                path: rel.to_string(),
                what: what.to_string(),
            })
        }
    }

    /// Swaps the staging folder in as the output folder.
    ///
    /// Hidden entries at the top of the previous output that this build did
    /// not produce (`.git` of a Pages checkout, `.gitkeep`) are moved along.
    pub fn commit(mut self) -> Result<WriteStats, WriteError> {
        if let Some(previous) = &self.previous {
            for entry in fs::read_dir(previous).map_err(io_error(previous))? {
                let entry = entry.map_err(io_error(previous))?;
                let name = entry.file_name();
                let target = self.dir.join(&name);
                if name.to_string_lossy().starts_with('.') && !target.exists() {
                    fs::rename(entry.path(), &target).map_err(io_error(&target))?;
                }
            }
        }
        let old = sibling(&self.output, "gongkai-old");
        if self.previous.is_some() {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(io_error(&old))?;
            }
            fs::rename(&self.output, &old).map_err(io_error(&self.output))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if self.previous.is_some() {
                // Put the previous output back where it was.
                let _ = fs::rename(&old, &self.output);
            }
            return Err(io_error(&self.output)(e));
        }
        self.committed = true;
        if self.previous.is_some() {
            remove_in_background(old);
        }
        let written = self.written.load(Ordering::Relaxed);
        let unchanged = self.linked.load(Ordering::Relaxed);
        Ok(WriteStats {
            files: written + unchanged,
            written,
            unchanged,
        })
    }

    /// The folder being written, for tests and diagnostics.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Staging {
    /// A build that did not commit leaves no trace.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `.public.gongkai-staging` beside `public`.
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| OsString::from("public"));
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(".");
    hidden.push(suffix);
    output.with_file_name(hidden)
}

fn same_content(old: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(old) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(old).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Threads deleting replaced trees; [`finish_background_work`] waits for them.
static CLEANERS: Mutex<Vec<std::thread::JoinHandle<()>>> = Mutex::new(Vec::new());

/// Deletes a tree on another thread, so that the build need not wait.
fn remove_in_background(dir: PathBuf) {
    if !dir.exists() {
        return;
    }
    let handle = std::thread::spawn(move || {
        let _ = fs::remove_dir_all(&dir);
    });
    if let Ok(mut cleaners) = CLEANERS.lock() {
        cleaners.push(handle);
    }
}

/// Waits for background deletions; call before the process exits so that
/// no half-deleted tree is left (the next build would clear it anyway).
pub fn finish_background_work() {
    let handles = CLEANERS
        .lock()
        .map(|mut c| std::mem::take(&mut *c))
        .unwrap_or_default();
    for h in handles {
        let _ = h.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"one", "home").unwrap();
        s.write("a/b/index.html", b"two", "page").unwrap();
        let stats = s.commit().unwrap();
        assert_eq!((stats.files, stats.written, stats.unchanged), (2, 2, 0));
        fs::write(out.join(".gitkeep"), "").unwrap();

        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"one", "home").unwrap();
        s.write("a/b/index.html", b"changed", "page").unwrap();
        let stats = s.commit().unwrap();
        finish_background_work();
        assert_eq!((stats.written, stats.unchanged), (1, 1));
        assert_eq!(fs::read(out.join("a/b/index.html")).unwrap(), b"changed");
        assert!(
            out.join(".gitkeep").exists(),
            "hidden files are carried over"
        );
        assert!(!sibling(&out, "gongkai-old").exists());
        assert!(!sibling(&out, "gongkai-staging").exists());
    }

    #[test]
    fn an_abandoned_build_leaves_the_output_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"one", "home").unwrap();
        s.commit().unwrap();
        {
            let s = Staging::create(&out).unwrap();
            s.write("index.html", b"two", "home").unwrap();
        }
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");
        assert!(!sibling(&out, "gongkai-staging").exists());
    }

    #[test]
    fn writing_a_path_twice_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::create(&tmp.path().join("public")).unwrap();
        s.write("x.html", b"1", "a").unwrap();
        assert!(matches!(
            s.write("x.html", b"2", "b"),
            Err(WriteError::Duplicate { .. })
        ));
    }
}
