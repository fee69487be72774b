//! Advice to the kernel about what of a file to keep in memory: read
//! before its turn ([`will_need`], for `read_ahead.rs`), or written to
//! disk and let go ([`write_out`] and [`dont_need`], for
//! `output/writeback.rs`).
//!
//! Only the kernel's cache changes: nothing is read into this process
//! and no file's content changes. A file is opened without following a
//! link (which might lead out of the site) and without waiting on a
//! pipe's other end; one that cannot be opened is skipped, since reading
//! or writing it reports the error. On systems other than Linux nothing
//! is done.

use std::path::{Path, PathBuf};

/// Asks the kernel to read `path` into memory soon, without waiting.
pub fn will_need(path: &Path) {
    #[cfg(target_os = "linux")]
    advise(path, libc::POSIX_FADV_WILLNEED);
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

/// Drops `path`'s pages that are on disk from memory: after
/// [`write_out`], all of them.
pub fn dont_need(path: &Path) {
    #[cfg(target_os = "linux")]
    advise(path, libc::POSIX_FADV_DONTNEED);
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

/// Has the file system of `files` write everything it holds in memory
/// to disk, and waits for it. One call for many files: the disk gets
/// them in large requests, in the order they were made, where asking for
/// each file alone costs a request (and, on a virtual machine, an exit
/// to the host) for every page.
pub fn write_out(files: &[PathBuf]) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let Some(file) = files.iter().find_map(|p| open(p)) else {
            return;
        };
        // SAFETY: the descriptor is open for the whole call, which takes
        // no pointers.
        unsafe {
            libc::syncfs(file.as_raw_fd());
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = files;
}

#[cfg(target_os = "linux")]
fn advise(path: &Path, advice: libc::c_int) {
    use std::os::fd::AsRawFd;
    let Some(file) = open(path) else {
        return;
    };
    // SAFETY: the descriptor is open for the whole call; the advice takes
    // no pointers and only changes what the kernel caches. A file it does
    // not apply to (a pipe, a device) gets an error, which changes
    // nothing.
    unsafe {
        libc::posix_fadvise(file.as_raw_fd(), 0, 0, advice);
    }
}

/// `path`, opened to be advised: not through a link, never waiting.
#[cfg(target_os = "linux")]
fn open(path: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .ok()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn advice_never_waits_on_a_pipe() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("p.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        // Opened for reading without O_NONBLOCK, a pipe waits for a
        // writer: forever.
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            will_need(&fifo);
            dont_need(&fifo);
            write_out(&[fifo]);
            let _ = done.send(());
        });
        let waited = finished.recv_timeout(std::time::Duration::from_secs(10));
        assert!(waited.is_ok(), "the advice waited on a pipe");
    }
}
