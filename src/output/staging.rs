//! The staging folder of a build: written beside the output while the
//! build runs, committed into it only when everything succeeded.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;

use walkdir::WalkDir;

use super::writeback::Writeback;
use super::{Sink, WriteError, claim, io_error, lock, make_dir, same_content, same_files};

/// Where a build writes until [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// The output folder does not exist yet: commit renames the staging
    /// folder into place.
    fresh: bool,
    /// Every path this build produced.
    produced: Mutex<HashSet<String>>,
    /// Paths written to the staging folder (new or changed).
    changed: Mutex<Vec<String>>,
    /// Folders of the staging folder made so far: most pages share their
    /// folder with another file, and asking the system to make a folder
    /// that exists costs two calls.
    folders: Mutex<HashSet<PathBuf>>,
    /// The files now in the output, being listed while the build runs.
    listing: Mutex<Option<JoinHandle<Listing>>>,
    /// That list, once a write or the commit needed it.
    existing: OnceLock<Listing>,
    /// A big build's files, handed to the disk as they are written (see
    /// [`Staging::write_back`]).
    writeback: Option<Writeback>,
    committed: bool,
}

/// What the output holds now (hidden top-level entries aside).
#[derive(Debug, Default)]
struct Listing {
    /// Every entry that is not a folder: files, and links of any kind.
    files: Vec<String>,
    /// The links among them. Nothing is read or written through one: a
    /// link in the output (`archive` made to point elsewhere) would
    /// otherwise take the pages written under it out of the output.
    links: HashSet<String>,
}

/// What a commit did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files the site has.
    pub files: usize,
    /// Files that were new or changed, and written.
    pub written: usize,
    /// Files that were already right and left alone.
    pub unchanged: usize,
    /// Files of the previous build that the site no longer has.
    pub removed: usize,
}

impl Staging {
    /// Prepares an empty staging folder beside `output`.
    pub fn create(output: &Path) -> Result<Staging, WriteError> {
        if output.exists() && !output.is_dir() {
            return Err(io_error(output)(io::Error::other(
                "它是一个文件，不是文件夹",
            )));
        }
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let dir = staging_dir(output);
        remove_leftover(&dir)?;
        fs::create_dir(&dir).map_err(io_error(&dir))?;
        let fresh = !output.exists();
        let listing = (!fresh).then(|| {
            let output = output.to_path_buf();
            std::thread::spawn(move || list_files(&output))
        });
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            fresh,
            produced: Mutex::new(HashSet::new()),
            changed: Mutex::new(Vec::new()),
            folders: Mutex::new(HashSet::new()),
            listing: Mutex::new(listing),
            existing: OnceLock::new(),
            writeback: None,
            committed: false,
        })
    }

    /// Has every file written from now on handed to the disk and dropped
    /// from memory soon after, for a build whose output would otherwise
    /// fill the system's cache (see `writeback.rs`).
    pub fn write_back(&mut self) {
        self.writeback = Some(Writeback::start());
    }

    /// `target` was written with `len` bytes.
    fn written(&self, rel: &str, target: PathBuf, len: usize) {
        lock(&self.changed).push(rel.to_string());
        self.let_go(target, len);
    }

    /// The build is done with the file at `path`, of `len` bytes: one it
    /// wrote, or one of the output it read to compare.
    fn let_go(&self, path: PathBuf, len: usize) {
        if let Some(w) = &self.writeback {
            w.done_with(path, len);
        }
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError> {
        claim(&self.produced, rel, what)?;
        let old = self.output.join(rel);
        if !self.fresh && !self.through_link(rel) && same_content(&old, bytes) {
            self.let_go(old, bytes.len());
            return Ok(());
        }
        let target = self.dir.join(rel);
        self.make_parent(&target)?;
        fs::write(&target, bytes).map_err(io_error(&target))?;
        self.written(rel, target, bytes.len());
        Ok(())
    }

    fn write_parts(
        &self,
        rel: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
        what: &str,
    ) -> Result<(), WriteError> {
        use std::io::Write;
        claim(&self.produced, rel, what)?;
        let target = self.dir.join(rel);
        self.make_parent(&target)?;
        let mut file = fs::File::create(&target).map_err(io_error(&target))?;
        let mut len = 0;
        for part in parts {
            file.write_all(&part).map_err(io_error(&target))?;
            len += part.len();
        }
        drop(file);
        // Compared once written: a file left as it was is not replaced.
        let old = self.output.join(rel);
        if !self.fresh && !self.through_link(rel) && same_files(&old, &target) {
            self.let_go(old, len);
            return fs::remove_file(&target).map_err(io_error(&target));
        }
        self.written(rel, target, len);
        Ok(())
    }

    fn contains(&self, rel: &str) -> bool {
        lock(&self.produced).contains(rel)
    }
}

impl Staging {
    /// The output as it was, listed (waiting for the listing if need be).
    fn existing(&self) -> &Listing {
        self.existing.get_or_init(|| {
            let handle = lock(&self.listing).take();
            handle.and_then(|h| h.join().ok()).unwrap_or_default()
        })
    }

    /// Whether `rel` in the output is a link or lies under one.
    fn through_link(&self, rel: &str) -> bool {
        let links = &self.existing().links;
        !links.is_empty()
            && (links.contains(rel)
                || rel
                    .match_indices('/')
                    .any(|(i, _)| links.contains(&rel[..i])))
    }

    /// Makes the folder `target` goes in, unless this build made it.
    fn make_parent(&self, target: &Path) -> Result<(), WriteError> {
        let Some(parent) = target.parent() else {
            return Ok(());
        };
        if lock(&self.folders).contains(parent) {
            return Ok(());
        }
        fs::create_dir_all(parent).map_err(io_error(parent))?;
        lock(&self.folders).insert(parent.to_path_buf());
        Ok(())
    }

    /// Brings the output up to date with what this build produced.
    ///
    /// Hidden entries at the top of the output (`.git` of a Pages checkout,
    /// `.gitkeep`) are not the build's and are left alone.
    pub fn commit(mut self) -> Result<WriteStats, WriteError> {
        let produced = std::mem::take(&mut *lock(&self.produced));
        let mut changed = std::mem::take(&mut *lock(&self.changed));
        changed.sort();
        let (files, written) = (produced.len(), changed.len());
        let stats = |removed| WriteStats {
            files,
            written,
            unchanged: files - written,
            removed,
        };
        if self.fresh {
            fs::rename(&self.dir, &self.output).map_err(io_error(&self.output))?;
            self.committed = true;
            return Ok(stats(0));
        }
        self.existing();
        let existing = self.existing.take().unwrap_or_default();
        // Links go first, so that nothing is moved through one.
        for link in &existing.links {
            let path = self.output.join(link);
            fs::remove_file(&path).or_else(|e| match e.kind() {
                io::ErrorKind::NotFound => Ok(()),
                _ => Err(io_error(&path)(e)),
            })?;
        }
        for rel in &changed {
            let target = self.output.join(rel);
            if target.is_dir() {
                fs::remove_dir_all(&target).map_err(io_error(&target))?;
            }
            if let Some(parent) = target.parent() {
                make_dir(parent)?;
            }
            move_file(&self.dir.join(rel), &target)?;
        }
        let mut emptied: Vec<PathBuf> = Vec::new();
        let mut removed = 0;
        for rel in existing.files.iter().filter(|rel| !produced.contains(*rel)) {
            let path = self.output.join(rel);
            match fs::remove_file(&path) {
                Ok(()) => removed += 1,
                // Already replaced by a folder of this build, or removed with one.
                Err(_) if path.is_dir() || !path.exists() => continue,
                Err(e) => return Err(io_error(&path)(e)),
            }
            emptied.extend(path.parent().map(Path::to_path_buf));
        }
        // Deepest first, so that a folder emptied by its children goes too.
        emptied.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
        emptied.dedup();
        for mut dir in emptied {
            while dir != self.output && fs::remove_dir(&dir).is_ok() {
                match dir.parent() {
                    Some(p) => dir = p.to_path_buf(),
                    None => break,
                }
            }
        }
        fs::remove_dir_all(&self.dir).map_err(io_error(&self.dir))?;
        self.committed = true;
        Ok(stats(removed))
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

/// Removes what an interrupted build left in the staging folder's place:
/// the folder, or a file or link of that name (only the link, never what
/// it points to).
fn remove_leftover(dir: &Path) -> Result<(), WriteError> {
    let removed = match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => Err(e),
        Ok(m) if m.is_dir() => fs::remove_dir_all(dir),
        Ok(_) => fs::remove_file(dir),
    };
    removed.map_err(io_error(dir))
}

/// `.public.gongkai-staging` beside `public`.
fn staging_dir(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| OsString::from("public"));
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(".gongkai-staging");
    output.with_file_name(hidden)
}

/// What is under `output`, except hidden top-level entries.
fn list_files(output: &Path) -> Listing {
    let mut listing = Listing::default();
    let entries = WalkDir::new(output)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.depth() > 0 && !e.file_type().is_dir());
    for e in entries {
        let Ok(rel) = e.path().strip_prefix(output) else {
            continue;
        };
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        let rel = parts.join("/");
        if e.path_is_symlink() {
            listing.links.insert(rel.clone());
        }
        listing.files.push(rel);
    }
    listing
}

/// Renames; copies across file systems (an output folder that is a link to
/// another disk).
fn move_file(from: &Path, to: &Path) -> Result<(), WriteError> {
    match fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(_) => {
            fs::copy(from, to).map_err(io_error(to))?;
            fs::remove_file(from).map_err(io_error(from))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(out: &Path, files: &[(&str, &str)]) -> WriteStats {
        let s = Staging::create(out).unwrap();
        for (rel, text) in files {
            s.write(rel, text.as_bytes(), "test").unwrap();
        }
        s.commit().unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_read_or_written_through_a_link_in_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("index.html"), "same").unwrap();
        fs::write(tmp.path().join("secret"), "same").unwrap();
        build(&out, &[("archive/index.html", "same"), ("a.html", "same")]);
        // The host (or anyone) replaces a folder and a file by links out.
        fs::remove_dir_all(out.join("archive")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("archive")).unwrap();
        fs::remove_file(out.join("a.html")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), out.join("a.html")).unwrap();
        let stats = build(&out, &[("archive/index.html", "same"), ("a.html", "same")]);
        // Both written again as files of the output, though the links led
        // to the same bytes; what they led to is as it was.
        assert_eq!(stats.written, 2);
        for rel in ["archive", "archive/index.html", "a.html"] {
            assert!(!out.join(rel).is_symlink(), "{rel}");
        }
        assert_eq!(
            fs::read_to_string(out.join("archive/index.html")).unwrap(),
            "same"
        );
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 1);
        assert_eq!(
            fs::read_to_string(tmp.path().join("secret")).unwrap(),
            "same"
        );
    }

    #[test]
    fn only_changed_files_are_written_and_stale_ones_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = build(
            &out,
            &[
                ("index.html", "one"),
                ("a/b/index.html", "two"),
                ("old/x.html", "x"),
            ],
        );
        assert_eq!((first.files, first.written, first.unchanged), (3, 3, 0));
        fs::write(out.join(".gitkeep"), "").unwrap();
        fs::create_dir_all(out.join(".git")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();

        let second = build(
            &out,
            &[
                ("index.html", "one"),
                ("a/b/index.html", "changed"),
                ("c.html", "new"),
            ],
        );
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (2, 1, 1)
        );
        assert_eq!(
            fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "changed"
        );
        assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "new");
        assert!(!out.join("old").exists(), "emptied folders go too");
        assert!(out.join(".gitkeep").exists() && out.join(".git/HEAD").exists());
        assert!(!staging_dir(&out).exists());
    }

    #[test]
    fn a_file_or_link_left_in_the_staging_folders_place_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, &[("index.html", "one")]);
        fs::write(staging_dir(&out), "left over").unwrap();
        build(&out, &[("index.html", "two")]);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        // A link is removed, not followed: what it points to stays.
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        fs::write(elsewhere.join("keep.txt"), "keep").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&elsewhere, staging_dir(&out)).unwrap();
            build(&out, &[("index.html", "three")]);
            assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "three");
            assert!(elsewhere.join("keep.txt").exists());
        }
    }

    #[test]
    fn an_abandoned_build_leaves_the_output_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, &[("index.html", "one")]);
        {
            let s = Staging::create(&out).unwrap();
            s.write("index.html", b"two", "home").unwrap();
            s.write("new.html", b"new", "page").unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one");
        assert!(!out.join("new.html").exists());
        assert!(!staging_dir(&out).exists());
    }

    #[test]
    fn a_file_may_become_a_folder_and_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&out, &[("x", "file")]);
        build(&out, &[("x/index.html", "page")]);
        assert_eq!(
            fs::read_to_string(out.join("x/index.html")).unwrap(),
            "page"
        );
        build(&out, &[("x", "file again")]);
        assert_eq!(fs::read_to_string(out.join("x")).unwrap(), "file again");
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

    #[test]
    fn an_output_that_is_a_file_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::write(&out, "not a folder").unwrap();
        assert!(Staging::create(&out).is_err());
    }
}
