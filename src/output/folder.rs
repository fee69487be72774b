//! Writing straight into a folder of its own (the preview of `serve`).

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
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
        let temp = beside(&target);
        fs::write(&temp, bytes).map_err(io_error(&temp))?;
        self.replace(rel, &temp, &target)
    }

    /// Streams `parts` into the file, comparing them with the file that is
    /// there as they come: the new file is begun only at the first
    /// difference (with the bytes of the old one that matched up to it),
    /// so that neither file is ever whole in memory. Open data at 100,000
    /// notices is about a gigabyte.
    fn write_parts(
        &self,
        rel: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
        what: &str,
    ) -> Result<(), WriteError> {
        claim(&self.produced, rel, what)?;
        let target = self.dir.join(rel);
        if let Some(parent) = target.parent() {
            make_dir(parent)?;
        }
        let temp = beside(&target);
        let old = fs::File::open(&target)
            .ok()
            .filter(|f| f.metadata().is_ok_and(|m| m.is_file()));
        let mut state = match old {
            Some(old) => Streaming::Comparing(io::BufReader::new(old), 0),
            None => Streaming::Writing(begin(&temp, &target, 0)?),
        };
        let mut scratch = Vec::new();
        for part in parts {
            if let Streaming::Comparing(reader, matched) = &mut state {
                if next_is(reader, &part, &mut scratch) {
                    *matched += part.len() as u64;
                    continue;
                }
                state = Streaming::Writing(begin(&temp, &target, *matched)?);
            }
            if let Streaming::Writing(file) = &mut state {
                file.write_all(&part).map_err(io_error(&temp))?;
            }
        }
        let file = match state {
            Streaming::Comparing(mut reader, matched) => {
                if at_end(&mut reader) {
                    return Ok(());
                }
                // The old file is longer: the new one is what matched of it.
                begin(&temp, &target, matched)?
            }
            Streaming::Writing(file) => file,
        };
        file.into_inner()
            .map_err(|e| io_error(&temp)(e.into_error()))?;
        self.replace(rel, &temp, &target)
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

impl FolderPass<'_> {
    /// Puts `temp` in the place of `target` (a file or a folder).
    fn replace(&self, rel: &str, temp: &Path, target: &Path) -> Result<(), WriteError> {
        if target.is_dir() {
            fs::remove_dir_all(target).map_err(io_error(target))?;
        }
        fs::rename(temp, target).map_err(io_error(target))?;
        lock(&self.changed).push(rel.to_string());
        Ok(())
    }
}

/// A file streamed into the folder ([`FolderPass::write_parts`]).
enum Streaming {
    /// The same as the old file so far, for this many bytes.
    Comparing(io::BufReader<fs::File>, u64),
    /// Different: the new file, beside the old one.
    Writing(io::BufWriter<fs::File>),
}

/// Where a file that replaces `target` is written first.
fn beside(target: &Path) -> PathBuf {
    let mut temp = target.to_path_buf().into_os_string();
    temp.push(".gongkai-new");
    PathBuf::from(temp)
}

/// Creates `temp` with the first `matched` bytes of `target` (which the
/// new file shares with the old).
fn begin(temp: &Path, target: &Path, matched: u64) -> Result<io::BufWriter<fs::File>, WriteError> {
    let mut file = io::BufWriter::new(fs::File::create(temp).map_err(io_error(temp))?);
    if matched > 0 {
        let old = fs::File::open(target).map_err(io_error(target))?;
        let copied = io::copy(&mut old.take(matched), &mut file).map_err(io_error(temp))?;
        if copied != matched {
            let short = io::Error::from(io::ErrorKind::UnexpectedEof);
            return Err(io_error(target)(short));
        }
    }
    Ok(file)
}

/// Whether the next bytes of `reader` are `part`.
fn next_is(reader: &mut impl Read, part: &[u8], scratch: &mut Vec<u8>) -> bool {
    scratch.resize(part.len(), 0);
    reader.read_exact(scratch).is_ok() && scratch.as_slice() == part
}

/// Whether `reader` has nothing more.
fn at_end(reader: &mut impl Read) -> bool {
    matches!(reader.read(&mut [0u8; 1]), Ok(0))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Streams `parts` into `rel` of `dir` in a pass of its own; returns
    /// whether the pass says the file changed.
    fn stream(dir: &Path, rel: &str, parts: &[&str]) -> bool {
        let pass = FolderPass::new(dir);
        let mut parts = parts.iter().map(|p| p.as_bytes().to_vec());
        pass.write_parts(rel, &mut parts, "open data").unwrap();
        let (produced, changed) = pass.finish();
        assert!(produced.contains(rel));
        changed.iter().any(|c| c == rel)
    }

    #[test]
    fn a_streamed_file_is_written_only_from_where_it_differs() {
        let dir = tempfile::tempdir().unwrap();
        let (root, rel) = (dir.path(), "data/problems.json");
        let read = || fs::read_to_string(root.join(rel)).unwrap();
        assert!(stream(root, rel, &["[1,", "2,", "3]"]), "a new file");
        assert_eq!(read(), "[1,2,3]");
        assert!(!stream(root, rel, &["[1,2", ",3]"]), "the same bytes");
        assert!(stream(root, rel, &["[1,", "9,", "3]"]), "a part differs");
        assert_eq!(read(), "[1,9,3]");
        assert!(stream(root, rel, &["[1,", "9,", "3,", "4]"]), "longer");
        assert_eq!(read(), "[1,9,3,4]");
        assert!(stream(root, rel, &["[1,", "9,"]), "shorter");
        assert_eq!(read(), "[1,9,");
        assert!(stream(root, rel, &[]), "empty");
        assert_eq!(read(), "");
        // Nothing is left beside it.
        let names: Vec<_> = fs::read_dir(root.join("data")).unwrap().collect();
        assert_eq!(names.len(), 1);

        // A folder in its place is replaced.
        fs::create_dir_all(root.join("data/csv/x")).unwrap();
        assert!(stream(root, "data/csv", &["a,b\n"]));
        assert_eq!(fs::read_to_string(root.join("data/csv")).unwrap(), "a,b\n");
    }
}
