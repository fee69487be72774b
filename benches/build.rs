//! Build speed and memory on synthetic sites.
//!
//!     cargo bench --bench build                    # 1,000 and 10,000 notices
//!     cargo bench --bench build -- 10000 100000    # other sizes
//!
//! (100,000 notices need about 2.3 GB of disk for the input and 13 GB for
//! each run's output, all kept until the end; a site of 20,000 notices or
//! more is built streamed, see `pipeline::STREAM_FROM`.)
//!
//! For each size it generates a site (once; kept in target/bench-sites),
//! then, `BENCH_RUNS` times (3 unless set), runs the release `gongkai
//! build` as a child process: into a new, empty output folder, and again
//! over that output after one notice was changed, as after an edit. It
//! prints the median wall time, notices per second and peak resident
//! memory of each, and puts the changed notice back, and how many times
//! the first size's time each size took. Then it times the
//! serious-typo pass of `gongkai check` alone over each site's notices,
//! against the build.
//!
//! The outputs are removed only when everything is measured: on ext4
//! without a journal (as on the benchmark machine) a new file is not given
//! the number of one deleted in the last minute or so, and the search for
//! a free one made a build of 10,000 notices right after 100,000 were
//! deleted take 20-31 s instead of 7.7 s, nearly all of it in the kernel.

#[path = "support/measure.rs"]
mod measure;
#[path = "support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
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
        "| notices | input | output | build (empty output) | × first size | notices/s | peak memory | rebuild, one notice changed | peak memory |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    let mut typo_rows = Vec::new();
    let mut outputs = Vec::new();
    let mut first: Option<Duration> = None;
    for n in sizes {
        let site = synth::ensure(&base, n);
        let input = dir_size(&site.join("content"));
        let (mut cold, mut warm, mut files) = (Vec::new(), Vec::new(), 0);
        for _ in 0..runs {
            let output = measure::fresh_output(&site);
            cold.push(measure::build(&site, &output));
            let edit = Edit::new(&site);
            warm.push(measure::build(&site, &output));
            drop(edit);
            files = dir_size(&output);
            outputs.push(output);
        }
        let (cold, warm) = (measure::median(&cold), measure::median(&warm));
        let first = *first.get_or_insert(cold.wall);
        println!(
            "| {n} | {:.0} MB | {:.0} MB | {:.2} s | {:.1}× | {:.0} | {:.0} MiB | {:.2} s | {:.0} MiB |",
            input as f64 / 1e6,
            files as f64 / 1e6,
            cold.wall.as_secs_f64(),
            cold.wall.as_secs_f64() / first.as_secs_f64(),
            n as f64 / cold.wall.as_secs_f64(),
            cold.peak_kib as f64 / 1024.0,
            warm.wall.as_secs_f64(),
            warm.peak_kib as f64 / 1024.0,
        );
        typo_rows.push(typo_pass(&site, n, cold.wall));
    }
    println!();
    println!("| notices | serious-typo pass of check | of the build |");
    println!("|---:|---:|---:|");
    for row in typo_rows {
        println!("{row}");
    }
    for output in outputs {
        std::fs::remove_dir_all(&output).expect("remove the output");
    }
}

/// The serious-typo pass of `gongkai check` alone, in this process, over
/// the site's notices (read once, as `check` has them): its median time
/// and its share of the build's.
fn typo_pass(site: &Path, n: usize, build: Duration) -> String {
    let config = gongkai::SiteConfig::load(site).expect("the site's configuration");
    let notices = gongkai::load::Notices::read_all(site, Some(&config)).valid();
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let started = Instant::now();
        found = gongkai::commands::check::serious_typos(&config, &notices).len();
        times.push(started.elapsed());
    }
    times.sort_unstable();
    let median = times[times.len() / 2];
    assert_eq!(found, 0, "the synthetic notices are written right");
    format!(
        "| {n} | {:.3} s | {:.1} % |",
        median.as_secs_f64(),
        100.0 * median.as_secs_f64() / build.as_secs_f64()
    )
}

/// One notice with a sentence added to its body, as an author's save
/// leaves it; put back as it was when dropped.
struct Edit {
    path: PathBuf,
    original: String,
}

impl Edit {
    fn new(site: &Path) -> Self {
        let path = site.join("content/notices/n000001.md");
        let original = std::fs::read_to_string(&path).expect("read a notice");
        std::fs::write(&path, format!("{original}\n基准测试改动的一句话。\n"))
            .expect("change a notice");
        Edit { path, original }
    }
}

impl Drop for Edit {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.path, &self.original);
    }
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
