//! Build speed and memory on synthetic sites.
//!
//!     cargo bench --bench build              # 1,000 and 10,000 notices
//!     cargo bench --bench build -- 500 2000  # other sizes
//!
//! For each size it generates a site (once; kept in target/bench-sites),
//! then runs the release `gongkai build` twice as a child process: into a
//! new, empty output folder, and again over that output. It prints wall
//! time, notices per second and the peak resident memory of the build.
//!
//! The output folder is new rather than emptied: on ext4, creating files in
//! the minutes after deleting many others is much slower (the allocator
//! skips recently freed inodes), which would measure the disk's history
//! rather than the build. Run it twice within five minutes to see that.

#[path = "support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-sites");
    println!(
        "| notices | input | output | build (empty output) | notices/s | peak memory | rebuild (existing output) | peak memory |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let site = synth::ensure(&base, n);
        let input = dir_size(&site.join("content"));
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let output = site.join(format!("public-{stamp}"));
        let cold = run(&site, &output);
        let warm = run(&site, &output);
        let files = dir_size(&output);
        std::fs::remove_dir_all(&output).expect("remove the output");
        println!(
            "| {n} | {:.0} MB | {:.0} MB | {:.2} s | {:.0} | {:.0} MiB | {:.2} s | {:.0} MiB |",
            input as f64 / 1e6,
            files as f64 / 1e6,
            cold.0.as_secs_f64(),
            n as f64 / cold.0.as_secs_f64(),
            cold.1 as f64 / 1024.0,
            warm.0.as_secs_f64(),
            warm.1 as f64 / 1024.0,
        );
    }
}

/// Runs one build; returns its wall time and peak memory in KiB.
// The child is reaped by `wait4`, which also reports its memory.
#[allow(clippy::zombie_processes)]
fn run(site: &Path, output: &Path) -> (Duration, i64) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("build")
        .arg("--root")
        .arg(site)
        .arg("--output")
        .arg(output)
        .stdout(Stdio::null())
        .spawn()
        .expect("start gongkai");
    let (status, max_rss) = wait_with_rusage(child.id() as libc::pid_t);
    let elapsed = started.elapsed();
    assert!(status == 0, "gongkai build failed with status {status}");
    (elapsed, max_rss)
}

/// Waits for a child and reads its own resource usage (peak RSS in KiB).
fn wait_with_rusage(pid: libc::pid_t) -> (i32, i64) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet waited for; the pointers are valid.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert!(r == pid, "wait4 failed");
    (status, usage.ru_maxrss)
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
