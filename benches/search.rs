//! What a search costs in the browser on the synthetic 10,000-notice site.
//!
//!     cargo bench --bench build -- 10000   # makes the site, if not yet there
//!     cargo bench --bench search           # needs Chromium
//!
//! Builds the site into target/bench-sites/10000/public-search, opens a page
//! beside the search page (from file://) in headless Chromium that runs
//! typical queries one after another, as a visitor would type them into a
//! loaded page, and prints for each the index files it loaded and their
//! size (with meta.js, which the search page loads with itself) to have its
//! first page of results. (Chromium runs it in virtual time, so that the
//! streams that inflate the texts finish before the page is read: its
//! clock says nothing of real speed, and no time is printed.)

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
];

const HARNESS: &str = r#"<!DOCTYPE html><meta charset="utf-8">
<script src="../assets/search.js" data-index="" data-root="../"></script>
<script src="meta.js"></script>
<script>
document.addEventListener("DOMContentLoaded", async function () {
  var out = [];
  for (var q of QUERIES) {
    var before = gongkaiSearch.requested.length;
    var t0 = performance.now();
    var search = await gongkaiSearch.search(q, { category: null, year: null });
    var hits = await search.next(10);
    out.push([q, performance.now() - t0, hits.length, gongkaiSearch.requested.slice(before)]);
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
    let queries = serde_json::to_string(QUERIES).unwrap_or_default();
    std::fs::write(&harness, HARNESS.replace("QUERIES", &queries)).expect("write the harness");
    let profile = std::env::temp_dir().join(format!("gongkai-bench-{}", std::process::id()));
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
    let _ = std::fs::remove_dir_all(&profile);
    let _ = std::fs::remove_file(&harness);
    let dom = String::from_utf8_lossy(&dom.stdout);
    let json = dom
        .split("data-out=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(|j| j.replace("&quot;", "\""))
        .expect("the harness reported its results");
    let results: Vec<(String, f64, usize, Vec<String>)> =
        serde_json::from_str(&json).expect("results");
    let size = |name: &str| {
        std::fs::metadata(out.join("search").join(format!("{name}.js"))).map_or(0, |m| m.len())
    };
    println!("| query | results | files loaded | bytes loaded |");
    println!("|---|---:|---:|---:|");
    for (q, _, hits, files) in results {
        let bytes: u64 = size("meta") + files.iter().map(|f| size(f)).sum::<u64>();
        println!(
            "| {q} | {hits} | {} | {:.0} KB |",
            files.len() + 1,
            bytes as f64 / 1000.0
        );
    }
}
