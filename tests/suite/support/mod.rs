//! What the tests share: [`SiteTest`], a fixture site in a temp folder to
//! edit, build, check and read back, with the expectations its stories
//! repeat ([`steps`]); a link checker over built output; small HTML
//! probes; HTTP ([`http`]); a headless browser ([`browser`]).

pub mod browser;
pub mod http;
pub mod steps;

pub use steps::{error, warning};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gongkai::Diagnostics;
use gongkai::commands::build::{BuildReport, build};
use gongkai::commands::check::check;
use gongkai::content::Day;
use gongkai::pipeline::Options;

/// The example's second notice of the 示范街道 round.
pub const SECOND_NOTICE: &str = "content/notices/2022-shifan-jiedao-di-er-ci.md";

/// Runs the `gongkai` program with `args`.
pub fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .expect("run gongkai")
}

/// Runs the `gongkai` program with `args` on the site at `root`.
pub fn gongkai_in(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("run gongkai")
}

/// What a program printed, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The test fixtures.
pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A site in a temp folder, made from a fixture: the story of a test is
/// told with it. `SiteTest::basic().edit(..).build().page(..)`.
pub struct SiteTest {
    dir: tempfile::TempDir,
}

impl SiteTest {
    /// A copy of `tests/fixtures/sites/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join("sites").join(name), dir.path());
        SiteTest { dir }
    }

    /// The basic site: one organisation's, as the example site was before
    /// it became a county's (`county`): the seed bulletin and three
    /// demonstration notices (two of one inspection round), with the
    /// built-in theme.
    pub fn basic() -> SiteTest {
        SiteTest::fixture("basic")
    }

    /// The basic site's `site.yaml` with only these notices under
    /// `content/notices/`.
    pub fn with_notices(notices: &[(&str, &str)]) -> SiteTest {
        let site = SiteTest::basic();
        fs::remove_dir_all(site.path().join("content")).unwrap();
        fs::create_dir_all(site.path().join("content/notices")).unwrap();
        for (name, text) in notices {
            site.write(&format!("content/notices/{name}"), text);
        }
        site
    }

    /// Like [`SiteTest::with_notices`], for generated notices.
    pub fn with_generated(notices: &[(String, String)]) -> SiteTest {
        let pairs: Vec<(&str, &str)> = notices
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        SiteTest::with_notices(&pairs)
    }

    /// Makes the second notice of the example's round a draft again.
    pub fn with_draft(self) -> SiteTest {
        self.edit(SECOND_NOTICE, |t| {
            t.replacen("date:", "draft: true\ndate:", 1)
        });
        self
    }

    /// The site folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file of the site (its folders are made).
    pub fn write(&self, rel: &str, text: &str) -> &SiteTest {
        write(self.path(), rel, text);
        self
    }

    /// Changes a file of the site.
    pub fn edit(&self, rel: &str, change: impl FnOnce(String) -> String) -> &SiteTest {
        let text = self.read(rel);
        self.write(rel, &change(text))
    }

    /// Removes a file of the site.
    pub fn remove(&self, rel: &str) -> &SiteTest {
        fs::remove_file(self.path().join(rel)).unwrap();
        self
    }

    /// A file of the site.
    pub fn read(&self, rel: &str) -> String {
        read(self.path(), rel)
    }

    /// Builds into `public/`; panics with the diagnostics if it fails.
    #[track_caller]
    pub fn build(&self) -> BuildReport {
        match self.try_build(|_| {}) {
            Ok(r) => r,
            Err(e) => panic!("build failed:\n{e}"),
        }
    }

    /// Builds with changed options.
    pub fn try_build(
        &self,
        options: impl FnOnce(&mut Options),
    ) -> Result<BuildReport, Diagnostics> {
        let mut o = Options::new(self.path());
        options(&mut o);
        build(&o)
    }

    /// Builds, expecting errors; returns them.
    #[track_caller]
    pub fn build_errors(&self) -> Diagnostics {
        match self.try_build(|_| {}) {
            Ok(_) => panic!("the build should have failed"),
            Err(e) => e,
        }
    }

    /// What `gongkai check` finds, on 2026-01-01.
    pub fn check(&self) -> Diagnostics {
        check(self.path(), Day::parse("2026-01-01").unwrap())
    }

    /// A file of the output: `page("notices/a/index.html")`.
    pub fn page(&self, rel: &str) -> String {
        read(&self.public(), rel)
    }

    /// The output folder.
    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }
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

/// Builds the site at `root` into its `public/`; panics if it fails.
pub fn build_ok(root: &Path) -> BuildReport {
    match build(&Options::new(root)) {
        Ok(r) => r,
        Err(e) => panic!("build failed:\n{e}"),
    }
}

/// The seed bulletin, as a notice of the basic site.
pub fn seed_notice() -> String {
    fs::read_to_string(fixtures().join("sites/basic/content/notices/2021-xiangqiao-zhengxie.md"))
        .unwrap()
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
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
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
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

/// A folder (`serve`'s output) equals a fresh build of the same site.
pub fn assert_same_as_build(root: &Path, out: &Path) {
    let built = tempfile::tempdir().unwrap();
    let mut options = Options::new(root);
    options.output = Some(built.path().join("public"));
    build(&options).unwrap();
    assert_same_files(&built.path().join("public"), out);
}

/// Two folders hold the same files with the same bytes.
pub fn assert_same_files(expected: &Path, actual: &Path) {
    let expected = tree(expected);
    let actual = tree(actual);
    let missing: Vec<_> = expected
        .keys()
        .filter(|k| !actual.contains_key(*k))
        .collect();
    let extra: Vec<_> = actual
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
    for (path, bytes) in &expected {
        assert!(
            bytes == &actual[path],
            "{path} differs:\n{}\n-----\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&actual[path])
        );
    }
}
