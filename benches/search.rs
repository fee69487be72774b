//! What a search costs in the browser on the synthetic 10,000-notice site.
//!
//!     cargo bench --bench build -- 10000   # makes the site, if not yet there
//!     cargo bench --bench search           # needs Chromium
//!
//! Builds the site into target/bench-sites/10000/public-search, opens a page
//! beside the search page (from file://) in headless Chromium, once for
//! each typical query, as a visitor arriving with a query would, and
//! prints for each the number of matching notices the status line gives,
//! the index files it loaded to have its first page of results (ten, and
//! one more to know whether there are more) with their size, without and
//! with `meta.js` (which the search page loads with itself), then the
//! median and the largest, and the size of the whole store. (Chromium runs
//! it in virtual time, so that the streams that inflate the texts finish
//! before the page is read: its clock says nothing of real speed, and no
//! time is printed.)

use std::process::Command;

const QUERIES: &[&str] = &[
    "八项规定",
    "考勤",
    "核酸检测",
    "整改",
    "公务接待",
    "财务",
    "党风廉政建设",
    "7230",
    "三会一课",
];

const HARNESS: &str = r#"<!DOCTYPE html><meta charset="utf-8">
<script src="../assets/search.js" data-index="" data-root="../"></script>
<script src="meta.js"></script>
<script>
document.addEventListener("DOMContentLoaded", async function () {
  var out = [];
  for (var q of QUERIES) {
    var before = gongkaiSearch.requested.length;
    var search = await gongkaiSearch.search(q, { category: null, year: null, unit: null });
    // As the search page asks: a page of ten, and one more to know
    // whether there are more.
    var hits = await search.next(11);
    var count = search.matching ? search.matching() : null;
    var status = count ? (count.exact ? "" : "约") + count.notices + "篇" : "";
    out.push([q, Math.min(hits.length, 10), status, gongkaiSearch.requested.slice(before)]);
  }
  document.body.setAttribute("data-out", JSON.stringify(out));
});
</script><body></body>"#;

#[path = "support/site.rs"]
mod bench_site;

fn main() {
    let (_, site) = bench_site::existing();
    let out = site.join("public-search");
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run gongkai");
    assert!(status.success());
    let harness = out.join("search/bench.html");
    let profile = std::env::temp_dir().join(format!("gongkai-bench-{}", std::process::id()));
    // Each query on a page of its own, as a visitor arriving from another
    // page would run it: nothing loaded by an earlier query is reused.
    let results: Vec<Outcome> = QUERIES
        .iter()
        .map(|q| {
            let queries = serde_json::to_string(&[q]).unwrap_or_default();
            std::fs::write(&harness, HARNESS.replace("QUERIES", &queries))
                .expect("write the harness");
            run(&harness, &profile)
        })
        .collect();
    let _ = std::fs::remove_dir_all(&profile);
    let _ = std::fs::remove_file(&harness);
    let size = |name: &str| {
        std::fs::metadata(out.join("search").join(format!("{name}.js"))).map_or(0, |m| m.len())
    };
    let meta = size("meta");
    println!("| query | results | status | files loaded | bytes loaded | with meta.js |");
    println!("|---|---:|---|---:|---:|---:|");
    let mut loaded = Vec::new();
    for Outcome(q, hits, count, files) in results {
        let bytes: u64 = files.iter().map(|f| size(f)).sum::<u64>();
        loaded.push(bytes);
        println!(
            "| {q} | {hits} | {count} | {} | {:.0} KB | {:.0} KB |",
            files.len(),
            bytes as f64 / 1000.0,
            (bytes + meta) as f64 / 1000.0
        );
    }
    loaded.sort_unstable();
    let median = loaded[loaded.len() / 2];
    let max = loaded.last().copied().unwrap_or(0);
    println!();
    println!(
        "per query, beyond the page and its meta.js ({:.0} KB): median {:.0} KB, max {:.0} KB",
        meta as f64 / 1000.0,
        median as f64 / 1000.0,
        max as f64 / 1000.0
    );
    let store: u64 = walk(&out.join("search"));
    println!("search store: {store} bytes");
}

/// What the harness saw of one query: the query, its results on the
/// first page, the status line's count, and the index files it loaded.
#[derive(serde::Deserialize)]
struct Outcome(String, usize, String, Vec<String>);

/// Runs the harness in headless Chromium and reads what it reported.
fn run(harness: &std::path::Path, profile: &std::path::Path) -> Outcome {
    let dom = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // The texts are inflated by streams, after the load event:
            // wait for the queries to finish before the DOM is dumped.
            "--virtual-time-budget=120000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", harness.display()))
        .output()
        .expect("run chromium (apt-get install chromium)");
    let dom = String::from_utf8_lossy(&dom.stdout);
    let json = dom
        .split("data-out=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(|j| j.replace("&quot;", "\""))
        .expect("the harness reported its results");
    let mut out: Vec<Outcome> = serde_json::from_str(&json).expect("results");
    out.pop().expect("one query")
}

/// Bytes of the files under `dir`.
fn walk(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                walk(&path)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}
