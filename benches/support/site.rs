//! The synthetic site a benchmark runs on, made by `cargo bench --bench build`.

use std::path::PathBuf;

/// The site of the size given on the command line (10,000 notices by default).
pub fn existing() -> (usize, PathBuf) {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let site = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-sites/{n}"));
    assert!(
        site.join("content").is_dir(),
        "run `cargo bench --bench build -- {n}` first to generate the site"
    );
    (n, site)
}
