//! Where the time of reading front matter goes, mechanism by mechanism.
//!
//!     cargo bench --bench yaml              # the synthetic 10,000-notice site
//!     cargo bench --bench yaml -- 1000      # another size
//!     BENCH_RUNS=9 cargo bench --bench yaml # runs per figure (5 unless set)
//!
//! It generates the site as `cargo bench --bench build` does (once; kept
//! in target/bench-sites), reads every notice's front matter into memory,
//! and then times each mechanism of `gongkai::load::probe` over all of
//! them, on one thread, several times, printing the median processor
//! time of the thread (so that other programs on the machine count little). The same
//! front matters with three mistakes each (a list for `title`, a word for
//! a problem's `number`, a misspelt field name) time the error path.
//! Loading itself runs on every core; these figures are the work it shares
//! out.

#[path = "support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::time::Duration;

use gongkai::load::probe::{self, Document, Mechanism};

// As the `gongkai` program allocates.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-sites");
    let site = synth::ensure(&base, n);
    let texts = notice_texts(&site);
    let good: Vec<&str> = texts
        .iter()
        .filter_map(|t| probe::front_matter(t))
        .collect();
    let bad: Vec<String> = good.iter().map(|y| with_mistakes(y)).collect();
    let good: Vec<Document<'_>> = good.into_iter().map(Document::new).collect();
    let bad: Vec<Document<'_>> = bad.iter().map(|y| Document::new(y)).collect();
    let kb = texts
        .iter()
        .filter_map(|t| probe::front_matter(t))
        .map(str::len)
        .sum::<usize>() as f64
        / 1e3;
    println!(
        "{} front matters, {kb:.0} KB; median of {runs} runs, one thread\n",
        good.len()
    );
    println!(
        "| mechanism | good documents | µs each | errors found | with 3 mistakes each | µs each | errors found |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for mechanism in Mechanism::ALL {
        let on_good = time(mechanism, &good, runs);
        let on_bad = time(mechanism, &bad, runs);
        println!(
            "| {mechanism:?} | {} | {} |",
            cells(on_good, good.len()),
            cells(on_bad, bad.len())
        );
    }
    let config = gongkai::SiteConfig::parse(
        &std::fs::read_to_string(site.join("site.yaml")).expect("read site.yaml"),
        Path::new("site.yaml"),
    )
    .expect("the synthetic site.yaml is valid");
    let mut all = Vec::new();
    for _ in 0..runs {
        let started = cpu_time();
        for text in &texts {
            let parsed = gongkai::load::parse_notice(Path::new("n.md"), text, Some(&config));
            std::hint::black_box(parsed.is_ok());
        }
        all.push(cpu_time() - started);
    }
    all.sort_unstable();
    let load = all[all.len() / 2];
    println!(
        "\nLoading (front matter, validation, privacy scan), whole files: {:.0} ms, {:.1} µs each",
        load.as_secs_f64() * 1e3,
        load.as_secs_f64() * 1e6 / texts.len() as f64
    );
}

/// The text of every notice of the site, in file-name order.
fn notice_texts(site: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(site.join("content/notices"))
        .expect("the notices folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read a notice"))
        .collect()
}

/// A front matter with three mistakes: a list for `title`, a word for the
/// first problem's `number`, and the last problem's `category` misspelt.
fn with_mistakes(yaml: &str) -> String {
    let mut text = yaml.to_string();
    for (start, new) in [
        ("title: ", "title: [甲, 乙]"),
        ("  - number: ", "  - number: 十二"),
    ] {
        if let Some(i) = text.find(start) {
            let end = i + text[i..].find('\n').unwrap_or(text.len() - i);
            text.replace_range(i..end, new);
        }
    }
    if let Some(i) = text.rfind("    category: ") {
        text.replace_range(i..i + "    category".len(), "    categroy");
    }
    text
}

/// The median time of `mechanism` over all `docs`, and the errors found.
fn time(mechanism: Mechanism, docs: &[Document<'_>], runs: usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut errors = 0;
    for _ in 0..runs {
        let started = cpu_time();
        errors = docs
            .iter()
            .map(|d| probe::run(mechanism, std::hint::black_box(d)))
            .sum();
        times.push(cpu_time() - started);
    }
    times.sort_unstable();
    (times[times.len() / 2], errors)
}

fn cells((time, errors): (Duration, usize), docs: usize) -> String {
    format!(
        "{:.0} ms | {:.1} | {errors}",
        time.as_secs_f64() * 1e3,
        time.as_secs_f64() * 1e6 / docs as f64
    )
}

/// The processor time this thread has used: other programs running on
/// the machine lengthen the wall time of a run, not this.
fn cpu_time() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill in.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}
