//! Reading many files with the disk kept busy: while the files of one
//! chunk are read and parsed, a thread of its own asks the kernel to read
//! the next chunks' files into memory, so that the workers seldom wait
//! for the disk.
//!
//! A build reads every notice (a big site's build twice: once to load
//! it, once a batch at a time to compile it). On a machine whose memory
//! is reclaimed when idle (a virtual machine whose host pages out what a
//! guest has not used for a few seconds, as on the benchmark machine), or
//! just after a restart, most of them are not in memory: two workers that
//! each read one small file at a time leave the disk idle between
//! requests. Read cold, the 10,000 notices of `cargo bench --bench build`
//! took 1.40 s to load, and 0.64 s when they were in memory; with the
//! advice, 0.72 s.
//!
//! The kernel is only advised (see `page_cache.rs`): nothing is read into
//! this process, and nothing outside the site is touched.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use crate::page_cache::will_need;

/// Files in a chunk of [`in_chunks`]: enough for both workers to keep
/// busy between chunks (a chunk of notices takes about 15 ms), few enough
/// that the advice stays a little ahead of the reading.
const CHUNK: usize = 256;
/// Chunks advised ahead of the one being worked: the disk gets its
/// requests well before they are needed, and not so early that memory
/// reclaimed when idle takes them back first.
const AHEAD: usize = 2;
/// Below this many files, the work is one chunk and nothing is advised.
const FEW: usize = 2 * CHUNK;

/// A thread that asks the kernel to read files before their turn. It
/// stops when this is dropped, leaving what it was not yet told.
pub struct ReadAhead {
    /// `None` when the thread could not be started: then nothing is
    /// advised, and the files are read as they come.
    files: Option<mpsc::Sender<Vec<PathBuf>>>,
    stop: Arc<AtomicBool>,
}

impl ReadAhead {
    pub fn start() -> ReadAhead {
        let (files, to_advise) = mpsc::channel::<Vec<PathBuf>>();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let started = std::thread::Builder::new()
            .name("read-ahead".into())
            .spawn(move || {
                for batch in to_advise {
                    for path in batch {
                        if stopped.load(Ordering::Relaxed) {
                            return;
                        }
                        will_need(&path);
                    }
                }
            });
        ReadAhead {
            files: started.ok().map(|_| files),
            stop,
        }
    }

    /// Asks for `files` (each `root` joined to a path of `paths`) to be
    /// read soon, after those asked for before.
    pub fn advise<'a>(&self, root: &Path, paths: impl IntoIterator<Item = &'a Path>) {
        if let Some(files) = &self.files {
            // The thread ends only when this is dropped.
            let _ = files.send(paths.into_iter().map(|p| root.join(p)).collect());
        }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Runs `work` on `paths` (relative to `root`) a chunk at a time, in
/// order, advising the kernel to read each chunk's files a little before
/// its turn. Returns what `work` returned for each chunk, concatenated.
pub fn in_chunks<T>(root: &Path, paths: &[PathBuf], work: impl Fn(&[PathBuf]) -> Vec<T>) -> Vec<T> {
    if paths.len() < FEW {
        return work(paths);
    }
    let chunks: Vec<&[PathBuf]> = paths.chunks(CHUNK).collect();
    let ahead = ReadAhead::start();
    let advise = |chunk: &[PathBuf]| ahead.advise(root, chunk.iter().map(PathBuf::as_path));
    chunks.iter().take(AHEAD).for_each(|c| advise(c));
    let mut out = Vec::with_capacity(paths.len());
    for (i, chunk) in chunks.iter().enumerate() {
        if let Some(later) = chunks.get(i + AHEAD) {
            advise(later);
        }
        out.extend(work(chunk));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chunk_is_worked_once_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..3 * CHUNK + 7)
            .map(|i| PathBuf::from(format!("n{i}.md")))
            .collect();
        // Half the files exist; advice for the others is skipped.
        for p in paths.iter().step_by(2) {
            std::fs::write(dir.path().join(p), "x").unwrap();
        }
        let seen = in_chunks(dir.path(), &paths, |chunk| {
            assert!(chunk.len() <= CHUNK);
            chunk.to_vec()
        });
        assert_eq!(seen, paths);
        let few = &paths[..FEW - 1];
        let calls = std::cell::Cell::new(0);
        let seen = in_chunks(dir.path(), few, |chunk| {
            calls.set(calls.get() + 1);
            chunk.to_vec()
        });
        assert_eq!((seen.as_slice(), calls.get()), (few, 1));
    }
}
