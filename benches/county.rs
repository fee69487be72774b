//! What a county costs: the same notices built as a county of 300 units
//! and 20 rounds with 索引号, and as a site without units, in paired runs.
//!
//!     cargo bench --bench county             # 10,000 notices, 3 pairs
//!     cargo bench --bench county -- 1000 5   # other size, other number of pairs
//!
//! Makes both sites once (kept in target/bench-sites: `<n>-county` and
//! `<n>-county-plain`; see `support/county.rs`), then builds them
//! alternately, each into a new, empty output folder, with the release
//! `gongkai build` as a child process. Prints the median wall time and
//! peak memory of each, the pages each wrote, and the county's cost.

#[path = "support/county.rs"]
mod county;
#[path = "support/measure.rs"]
mod measure;
#[path = "support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::time::Duration;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(10_000);
    let pairs = args.get(1).copied().unwrap_or(3).max(1);
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-sites");
    let (county_site, plain_site) = county::ensure(&base, n);
    let (mut with, mut without) = (Vec::new(), Vec::new());
    let (mut with_pages, mut without_pages) = (0, 0);
    for _ in 0..pairs {
        let (run, pages) = build_once(&plain_site);
        without.push(run);
        without_pages = pages;
        let (run, pages) = build_once(&county_site);
        with.push(run);
        with_pages = pages;
    }
    let (with, without) = (measure::median(&with), measure::median(&without));
    println!("| {n} notices | build | CPU time | peak memory | pages |\n|---|---:|---:|---:|---:|");
    let row = |name: &str, r: measure::Run, pages: usize| {
        println!(
            "| {name} | {:.2} s | {:.2} s | {:.0} MiB | {pages} |",
            r.wall.as_secs_f64(),
            r.cpu.as_secs_f64(),
            r.peak_kib as f64 / 1024.0
        );
    };
    row("without units", without, without_pages);
    let county = format!("{} units, {} rounds, 索引号", county::UNITS, county::ROUNDS);
    row(&county, with, with_pages);
    let cost = |a: Duration, b: Duration| 100.0 * (a.as_secs_f64() / b.as_secs_f64() - 1.0);
    println!(
        "\nthe county costs {:+.1} % of the time, {:+.1} % of the CPU time ({:+.1} % more pages)",
        cost(with.wall, without.wall),
        cost(with.cpu, without.cpu),
        100.0 * (with_pages as f64 / without_pages as f64 - 1.0),
    );
}

/// One build into a new folder: its time and memory, and the pages it
/// wrote; the output is removed.
fn build_once(site: &Path) -> (measure::Run, usize) {
    let output = measure::fresh_output(site);
    let run = measure::build(site, &output);
    let pages = walkdir::WalkDir::new(&output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    std::fs::remove_dir_all(&output).expect("remove the output");
    (run, pages)
}
