//! `gongkai import`: real bulletins of several shapes, as text and as Word
//! documents, imported into fresh sites, checked field by field, built,
//! and checked for lost text. The helpers are here; the cases, by kind, in
//! the modules below.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use gongkai::SiteConfig;
use gongkai::commands::build::build;
use gongkai::content::{InspectionKind, Notice, State};
use gongkai::load;
use gongkai::pipeline::Options;
use regex::Regex;

use crate::support::{gongkai_in, text};

mod inputs;
mod lost;
mod rounds;
mod shapes;

fn fixture(name: &str) -> PathBuf {
    crate::support::repo()
        .join("tests/fixtures/import")
        .join(name)
}

/// A new site with the default categories, or with `site_yaml`.
fn site(site_yaml: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let yaml = site_yaml.unwrap_or("title: 党务公开\n");
    fs::write(dir.path().join("site.yaml"), yaml).unwrap();
    dir
}

/// Imports `file` into `root`; returns the path of the notice written.
fn import_ok(root: &Path, file: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend(extra);
    let out = gongkai_in(root, &args);
    assert!(
        out.status.success(),
        "import failed:\n{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let notices: Vec<PathBuf> = fs::read_dir(root.join("content/notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    notices[0].strip_prefix(root).unwrap().to_path_buf()
}

/// The notice as `build` reads it.
fn load(root: &Path, rel: &Path) -> Notice {
    let config = SiteConfig::load(root).unwrap();
    match load::load_file(root, rel, Some(&config)) {
        Ok((notice, _)) => notice,
        Err(e) => panic!("{}", gongkai::Diagnostics(e)),
    }
}

/// Builds the site with drafts (an imported notice is a draft); returns
/// the HTML of the notice's page.
fn build_page(root: &Path, notice: &Notice) -> String {
    let options = Options {
        drafts: true,
        ..Options::new(root)
    };
    if let Err(e) = build(&options) {
        panic!("build failed:\n{e}");
    }
    let page = crate::support::read(
        &root.join("public"),
        &format!("notices/{}/index.html", notice.slug),
    );
    // And without drafts: the draft stays out, the build still succeeds.
    if let Err(e) = build(&Options::new(root)) {
        panic!("build failed:\n{e}");
    }
    page
}

fn categories(root: &Path, n: &Notice) -> Vec<String> {
    let config = SiteConfig::load(root).unwrap();
    n.problems
        .iter()
        .map(|p| config.category(p.category).key.clone())
        .collect()
}

fn counts(keys: &[String]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for k in keys {
        match out.last_mut() {
            Some((last, n)) if last == k => *n += 1,
            _ => out.push((k.clone(), 1)),
        }
    }
    out
}

fn day(d: Option<gongkai::content::Day>) -> Option<String> {
    d.map(|d| d.iso())
}

fn import_ok_existing(root: &Path) -> PathBuf {
    let notices: Vec<PathBuf> = fs::read_dir(root.join("content/notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    notices[0].strip_prefix(root).unwrap().to_path_buf()
}
