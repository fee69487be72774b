//! A big build's written files handed to the disk and let go of memory,
//! so that its output does not fill the page cache.
//!
//! A site of 100,000 notices writes about 12 GB. Left to the kernel, all
//! of it stays in memory as cache until the disk has it, and much of it
//! long after: on a virtual machine whose idle memory was given back to
//! the host, every one of those pages is memory the guest touches for
//! the first time, which costs far more than the copy itself. Writing
//! 3 GB in files of 100 MB took 6.8 s of kernel time that way on the
//! benchmark machine, and 0.8 s when each file was written out and
//! dropped from the cache as soon as the next ones came: the kernel then
//! keeps reusing the same pages.
//!
//! So a streamed build hands each file it wrote (and, rebuilding, each
//! file of the old output it read to compare) to a thread of its own.
//! Every [`BATCH`] bytes, that thread has the file system write what it
//! holds to disk (`syncfs`) and then drops those files from the cache
//! (`posix_fadvise(POSIX_FADV_DONTNEED)`). The advice only changes what
//! the kernel caches, and the workers never wait for the disk; what a
//! failed build wrote is removed with the staging folder as before (see
//! `page_cache.rs`).

use std::path::PathBuf;
use std::sync::mpsc;

use crate::page_cache::{dont_need, write_out};

/// Bytes of files written out and dropped together: about one batch of
/// the streamed build, small next to the memory it may use.
const BATCH: u64 = 128 << 20;

/// The thread that writes out and drops files. It ends when this is
/// dropped, leaving the files of its last, unfinished batch in the cache.
#[derive(Debug)]
pub struct Writeback {
    /// `None` when the thread could not be started: then the kernel
    /// writes the files in its own time, as for a small build.
    files: Option<mpsc::Sender<(PathBuf, u64)>>,
}

impl Writeback {
    pub fn start() -> Writeback {
        let (files, done) = mpsc::channel::<(PathBuf, u64)>();
        let started = std::thread::Builder::new()
            .name("writeback".into())
            .spawn(move || drop_behind(done, BATCH));
        Writeback {
            files: started.ok().map(|_| files),
        }
    }

    /// The build is done with `path`, of `len` bytes: it just wrote the
    /// file, or read it to compare.
    pub fn done_with(&self, path: PathBuf, len: usize) {
        if let Some(files) = &self.files {
            // The thread ends only when this is dropped.
            let _ = files.send((path, len as u64));
        }
    }
}

/// Every `batch` bytes of files, has the disk write them (with all else
/// waiting to be written on their file system) and drops them from the
/// cache.
fn drop_behind(done: mpsc::Receiver<(PathBuf, u64)>, batch_bytes: u64) {
    let mut batch: Vec<PathBuf> = Vec::new();
    let mut bytes = 0;
    for (path, len) in done {
        batch.push(path);
        bytes += len;
        if bytes >= batch_bytes {
            write_out(&batch);
            batch.iter().for_each(|p| dont_need(p));
            batch.clear();
            bytes = 0;
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    /// How many of `path`'s pages are in memory, and of how many.
    fn resident(path: &Path) -> (usize, usize) {
        let file = std::fs::File::open(path).unwrap();
        let len = file.metadata().unwrap().len() as usize;
        let pages = len.div_ceil(4096);
        let mut vec = vec![0u8; pages];
        // SAFETY: a shared read-only mapping of `len` bytes of an open
        // file, asked which of its pages are in memory (one byte each in
        // `vec`) and unmapped; nothing reads through it.
        unsafe {
            let at = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                0,
            );
            assert_ne!(at, libc::MAP_FAILED);
            assert_eq!(libc::mincore(at, len, vec.as_mut_ptr()), 0);
            libc::munmap(at, len);
        }
        (vec.iter().filter(|b| *b & 1 == 1).count(), pages)
    }

    /// Whether `dir` is on ext4, whose cache the advice is known to drop
    /// (a folder in memory, `tmpfs`, has no disk to drop its pages for).
    fn on_ext4(dir: &Path) -> bool {
        use std::os::unix::ffi::OsStrExt;
        let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).unwrap();
        // SAFETY: `path` is a C string; `stat` is plain data, all zeros
        // until the call fills it.
        unsafe {
            let mut stat: libc::statfs = std::mem::zeroed();
            libc::statfs(path.as_ptr(), &mut stat) == 0 && stat.f_type == 0xEF53
        }
    }

    #[test]
    fn written_files_stay_whole_and_leave_memory() {
        // On the disk the build writes to, not in a folder in memory.
        let target = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
        let dir = tempfile::tempdir_in(target).unwrap();
        let files: Vec<(PathBuf, Vec<u8>)> = (0..8u8)
            .map(|i| {
                let path = dir.path().join(format!("{i}.html"));
                let bytes = vec![b'a' + i; 64 * 1024 + usize::from(i)];
                std::fs::write(&path, &bytes).unwrap();
                (path, bytes)
            })
            .collect();
        let fifo = dir.path().join("pipe.html");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");

        let ext4 = on_ext4(dir.path());
        for (path, _) in &files {
            // Just written, not yet on disk: every page is in memory.
            let (kept, pages) = resident(path);
            assert!(!ext4 || kept == pages, "{kept} of {pages} pages");
        }

        // A batch for every byte: each file is written out and dropped
        // as it comes; the pipe among them must not be waited on.
        let (done, handed) = mpsc::channel();
        for (path, bytes) in &files {
            done.send((path.clone(), bytes.len() as u64)).unwrap();
        }
        done.send((fifo, 1)).unwrap();
        drop(done);
        let (finished, finishing) = mpsc::channel();
        std::thread::spawn(move || {
            drop_behind(handed, 1);
            let _ = finished.send(());
        });
        let waited = finishing.recv_timeout(std::time::Duration::from_secs(30));
        assert!(waited.is_ok(), "the writeback waited on a pipe");

        for (path, bytes) in &files {
            if ext4 {
                let (kept, pages) = resident(path);
                assert_eq!(
                    kept,
                    0,
                    "{} of {pages} pages still in memory",
                    path.display()
                );
            }
            assert!(std::fs::read(path).unwrap() == *bytes, "{}", path.display());
        }
    }
}
