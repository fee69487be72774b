//! Timing a release `gongkai` (or another program) as a child process:
//! wall time, processor time and peak resident memory, and medians of
//! runs.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of the program took.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub wall: Duration,
    /// User and system time: the work, less sensitive than the wall time
    /// to other processes on a shared machine.
    pub cpu: Duration,
    /// Peak resident memory, in KiB.
    pub peak_kib: i64,
}

/// Runs `gongkai build` of `site` into `output`.
pub fn build(site: &Path, output: &Path) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    command
        .arg("build")
        .arg("--root")
        .arg(site)
        .arg("--output")
        .arg(output);
    run(command)
}

/// Runs `command` (a build, of gongkai or another program), which must
/// succeed.
// The child is reaped by `wait4`, which also reports its memory.
#[allow(clippy::zombie_processes)]
pub fn run(mut command: Command) -> Run {
    let started = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
    let (status, usage) = wait_with_rusage(child.id() as libc::pid_t);
    let wall = started.elapsed();
    assert!(status == 0, "{command:?} failed with status {status}");
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        peak_kib: usage.ru_maxrss,
    }
}

/// Waits for a child and reads its own resource usage.
fn wait_with_rusage(pid: libc::pid_t) -> (i32, libc::rusage) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet waited for; the pointers are valid.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert!(r == pid, "wait4 failed");
    (status, usage)
}

/// The median of each figure of `runs` (not all from the same run).
pub fn median(runs: &[Run]) -> Run {
    fn mid<T: Ord + Copy>(mut v: Vec<T>) -> T {
        v.sort_unstable();
        v[v.len() / 2]
    }
    Run {
        wall: mid(runs.iter().map(|r| r.wall).collect()),
        cpu: mid(runs.iter().map(|r| r.cpu).collect()),
        peak_kib: mid(runs.iter().map(|r| r.peak_kib).collect()),
    }
}

/// A new output folder name under `site`, unique to this moment.
pub fn fresh_output(site: &Path) -> std::path::PathBuf {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    site.join(format!("public-{stamp}"))
}
