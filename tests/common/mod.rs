//! Helpers for the integration tests: example sites in temp folders, a
//! link checker over built output, small HTML probes.
#![allow(dead_code)]

pub mod http;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use gongkai::Diagnostics;
use gongkai::commands::build::{BuildOptions, BuildReport, build};

/// The repository root: the example site.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the example site (site.yaml and content/, without themes/, so
/// the built-in theme is used) in a fresh temp folder.
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    dir
}

/// A site with the example's site.yaml and only the given notices.
pub fn site_with(notices: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    fs::create_dir_all(dir.path().join("content/notices")).unwrap();
    for (name, text) in notices {
        write(dir.path(), &format!("content/notices/{name}"), text);
    }
    dir
}

pub fn seed_notice() -> String {
    fs::read_to_string(repo().join("content/notices/2021-xiangqiao-zhengxie.md")).unwrap()
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

pub fn build_at(root: &Path) -> Result<BuildReport, Diagnostics> {
    build(&BuildOptions::new(root))
}

pub fn build_ok(root: &Path) -> BuildReport {
    match build_at(root) {
        Ok(r) => r,
        Err(e) => panic!("build failed:\n{e}"),
    }
}

pub fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// Values of `attr="..."` in `html`, in order.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
}

/// Percent-decodes a URL path (links to Chinese anchors are encoded).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks every internal `href` and `src` of every HTML file under `out`:
/// it must name a file that exists (not a folder), and a `#fragment` must
/// be an id on the target page. Returns the broken links.
pub fn broken_links(out: &Path) -> Vec<String> {
    broken_links_at(out, "")
}

/// Like [`broken_links`] for a site deployed at `base_path` (e.g. `/dwgk/`):
/// links starting with it are followed from the output root.
pub fn broken_links_at(out: &Path, base_path: &str) -> Vec<String> {
    let files = tree(out);
    let mut broken = Vec::new();
    for (rel, bytes) in &files {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if link.is_empty()
                || link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
            {
                continue;
            }
            let (link, dir) = match link.strip_prefix(base_path) {
                Some(inside) if !base_path.is_empty() => (inside.to_string(), Path::new("")),
                _ => (link.clone(), dir),
            };
            if link.starts_with('/') {
                broken.push(format!("{rel}: absolute link {link}"));
                continue;
            }
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p, Some(percent_decode(f))),
                None => (link.as_str(), None),
            };
            let path = path.split('?').next().unwrap_or("");
            let target = if path.is_empty() {
                rel.clone()
            } else {
                match normalize(&dir.join(percent_decode(path))) {
                    Some(t) => t,
                    None => {
                        broken.push(format!("{rel}: {link} leaves the site"));
                        continue;
                    }
                }
            };
            let Some(target_bytes) = files.get(&target) else {
                broken.push(format!("{rel}: {link} → {target} does not exist"));
                continue;
            };
            if let Some(f) = fragment {
                if f.is_empty() {
                    continue;
                }
                let target_html = String::from_utf8_lossy(target_bytes);
                if !attr_values(&target_html, "id").contains(&f) {
                    broken.push(format!("{rel}: {link} → no id {f} in {target}"));
                }
            }
        }
    }
    broken
}

fn normalize(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    Some(parts.join("/"))
}

/// How many times `needle` occurs in `haystack`.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}
