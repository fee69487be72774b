//! The link table: where every notice is, so that a link written in
//! Markdown (`2021-xiangqiao.md#problem-7`, `/notices/slug/`) becomes a
//! relative link that names the file, or an error when it points nowhere.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::content::Notice;
use crate::folders::CONTENT;
use crate::routes;

use super::publish::Skipped;

/// A fingerprint of where the notices are. Paths as their bytes: hashing
/// a path goes through its components, ten thousand times on a save.
fn key(published: &[Arc<Notice>], skipped: &[Skipped], failed: &[PathBuf]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for n in published {
        (bytes(&n.source), &n.slug).hash(&mut h);
    }
    for s in skipped {
        (bytes(&s.source), &s.slug, &s.reason).hash(&mut h);
    }
    for p in failed {
        bytes(p).hash(&mut h);
    }
    h.finish()
}

fn bytes(p: &Path) -> &[u8] {
    p.as_os_str().as_encoded_bytes()
}

/// Why a link points nowhere: the message and a hint.
pub type LinkProblem = (String, Option<String>);

/// Where notices are. The lookup tables are made when a link is first
/// resolved: `serve`, which compiles one notice after an edit, often
/// needs none, and when it does, takes those of the last save if the
/// notices are where they were ([`LinkMaps`]).
pub struct LinkTable<'a> {
    /// Source path and slug of each published notice, for the lookup
    /// tables; none when they are those of the last table. Copied, so
    /// that a build may free each notice's sources as it compiles it.
    published: Vec<(PathBuf, String)>,
    skipped: &'a [Skipped],
    failed: &'a [PathBuf],
    /// A fingerprint of all three.
    key: u64,
    maps: OnceLock<Arc<Maps>>,
}

/// The lookup tables of a link table, kept for the next one: the same
/// notices in the same places make the same tables.
#[derive(Clone)]
pub struct LinkMaps {
    key: u64,
    maps: Arc<Maps>,
}

impl std::fmt::Debug for LinkMaps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LinkMaps({:x})", self.key)
    }
}

struct Maps {
    /// Source path relative to `content/` → slug of a published notice.
    by_source: HashMap<PathBuf, String>,
    published: HashSet<String>,
    /// Notices that exist but are not published, with the reason.
    unpublished_sources: HashMap<PathBuf, String>,
    unpublished_slugs: HashMap<String, String>,
    /// Files that failed to load: their errors are reported already.
    failed: HashSet<PathBuf>,
}

impl<'a> LinkTable<'a> {
    /// The table of `published`, `skipped` and `failed`; with the lookup
    /// tables of `last` when they are of the same notices.
    pub fn new(
        published: &[Arc<Notice>],
        skipped: &'a [Skipped],
        failed: &'a [PathBuf],
        last: Option<&LinkMaps>,
    ) -> LinkTable<'a> {
        let key = key(published, skipped, failed);
        LinkTable::known(published, skipped, failed, key, last)
    }

    /// As [`LinkTable::new`], for notices known to be those whose key is
    /// `key` (a save that moved no notice: hashing every notice's place
    /// again would cost more than the save).
    pub fn known(
        published: &[Arc<Notice>],
        skipped: &'a [Skipped],
        failed: &'a [PathBuf],
        key: u64,
        last: Option<&LinkMaps>,
    ) -> LinkTable<'a> {
        let maps = OnceLock::new();
        let published = match last.filter(|l| l.key == key) {
            Some(last) => {
                let _ = maps.set(last.maps.clone());
                Vec::new()
            }
            None => published
                .iter()
                .map(|n| (n.source.clone(), n.slug.clone()))
                .collect(),
        };
        LinkTable {
            published,
            skipped,
            failed,
            key,
            maps,
        }
    }

    /// Its lookup tables, if a link needed them.
    pub fn made(&self) -> Option<LinkMaps> {
        self.maps.get().map(|maps| LinkMaps {
            key: self.key,
            maps: maps.clone(),
        })
    }

    fn maps(&self) -> &Maps {
        self.maps.get_or_init(|| Arc::new(self.make_maps()))
    }

    fn make_maps(&self) -> Maps {
        Maps {
            by_source: self
                .published
                .iter()
                .map(|(source, slug)| (content_relative(source), slug.clone()))
                .collect(),
            published: self
                .published
                .iter()
                .map(|(_, slug)| slug.clone())
                .collect(),
            unpublished_sources: self
                .skipped
                .iter()
                .map(|s| (content_relative(&s.source), s.reason.clone()))
                .collect(),
            unpublished_slugs: self
                .skipped
                .iter()
                .map(|s| (s.slug.clone(), s.reason.clone()))
                .collect(),
            failed: self.failed.iter().map(|p| content_relative(p)).collect(),
        }
    }

    /// A fingerprint of everything links resolve against: a notice whose
    /// links were resolved under another key must be compiled again.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// Resolves a link written in the notice `from` (a source path) on a
    /// page `root` away from the site root: `Ok(Some(new))` rewrites it,
    /// `Ok(None)` keeps it as written.
    pub fn resolve(
        &self,
        from: &Path,
        root: &str,
        dest: &str,
    ) -> Result<Option<String>, LinkProblem> {
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
            return Ok(None);
        }
        let (path, fragment) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        if path.ends_with(".md") {
            return self.resolve_source(from, root, path, fragment).map(Some);
        }
        let Some(file) = routes::file_of_site_path(path) else {
            return Ok(None);
        };
        if let Some(slug) = routes::notice_slug_of_site_path(path) {
            if let Some(reason) = self.maps().unpublished_slugs.get(slug) {
                return Err((
                    format!("链接指向的通报 /notices/{slug}/ 不会发布"),
                    Some(format!("它是{reason}")),
                ));
            }
            if !self.maps().published.contains(slug) {
                return Err((
                    format!("链接指向的通报 /notices/{slug}/ 不存在"),
                    Some("请检查网址里的 slug 是否与那篇通报的 slug（默认是文件名）一致。".into()),
                ));
            }
        }
        Ok(Some(format!("{root}{file}{fragment}")))
    }

    /// A link to a notice's source file: `a.md`, `../2020/b.md`, `/2020/b.md`.
    fn resolve_source(
        &self,
        from: &Path,
        root: &str,
        path: &str,
        fragment: &str,
    ) -> Result<String, LinkProblem> {
        let target = match path.strip_prefix('/') {
            Some(abs) => normalize(Path::new(abs)),
            None => normalize(
                &content_relative(from)
                    .parent()
                    .unwrap_or(Path::new(""))
                    .join(path),
            ),
        };
        if let Some(slug) = self.maps().by_source.get(&target) {
            return Ok(format!("{root}{}{fragment}", routes::notice(slug)));
        }
        if self.maps().failed.contains(&target) {
            // Its own errors say what is wrong; the link is kept as written.
            return Ok(path.to_string() + fragment);
        }
        if let Some(reason) = self.maps().unpublished_sources.get(&target) {
            return Err((
                format!("链接指向的通报 {path} 不会发布"),
                Some(format!("它是{reason}")),
            ));
        }
        Err((
            format!("链接指向的通报 {path} 不存在"),
            Some(format!(
                "找的是 {CONTENT}/{}。链接里的 .md 文件名相对于本文件所在的文件夹，例如同一文件夹里的 2021-xiangqiao.md。",
                target.display()
            )),
        ))
    }
}

/// Whether a link names a scheme (`https:`, `mailto:`, `tel:`).
pub fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// `content/notices/a.md` → `notices/a.md`.
fn content_relative(source: &Path) -> PathBuf {
    normalize(source.strip_prefix(CONTENT).unwrap_or(source))
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(part) => out.push(part),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> LinkTable<'static> {
        let mut maps = Maps {
            by_source: HashMap::new(),
            published: HashSet::new(),
            unpublished_sources: HashMap::new(),
            unpublished_slugs: HashMap::new(),
            failed: HashSet::new(),
        };
        maps.by_source
            .insert(PathBuf::from("notices/a.md"), "a".into());
        maps.by_source
            .insert(PathBuf::from("2020/b.md"), "bee".into());
        maps.published.extend(["a".to_string(), "bee".to_string()]);
        maps.unpublished_sources
            .insert(PathBuf::from("notices/draft.md"), "草稿".into());
        LinkTable {
            published: Vec::new(),
            skipped: &[],
            failed: &[],
            key: 0,
            maps: OnceLock::from(Arc::new(maps)),
        }
    }

    #[test]
    fn links_to_source_files_become_relative_page_links() {
        let t = table();
        let from = Path::new("content/notices/x.md");
        assert_eq!(
            t.resolve(from, "../../", "a.md"),
            Ok(Some("../../notices/a/index.html".into()))
        );
        assert_eq!(
            t.resolve(from, "../../", "../2020/b.md#problem-3"),
            Ok(Some("../../notices/bee/index.html#problem-3".into()))
        );
        assert_eq!(
            t.resolve(from, "../../", "/2020/b.md"),
            Ok(Some("../../notices/bee/index.html".into()))
        );
        assert!(
            t.resolve(from, "../../", "missing.md")
                .unwrap_err()
                .0
                .contains("不存在")
        );
        assert!(
            t.resolve(from, "../../", "draft.md")
                .unwrap_err()
                .0
                .contains("不会发布")
        );
    }

    #[test]
    fn site_paths_become_relative_and_name_the_file() {
        let t = table();
        let from = Path::new("content/notices/x.md");
        assert_eq!(
            t.resolve(from, "../../", "/notices/a/"),
            Ok(Some("../../notices/a/index.html".into()))
        );
        assert_eq!(
            t.resolve(from, "../../", "/categories/policy/"),
            Ok(Some("../../categories/policy/index.html".into()))
        );
        assert_eq!(
            t.resolve(from, "../../", "/files/a.pdf"),
            Ok(Some("../../files/a.pdf".into()))
        );
        assert_eq!(
            t.resolve(from, "../../", "/"),
            Ok(Some("../../index.html".into()))
        );
        assert!(t.resolve(from, "../../", "/notices/nope/").is_err());
    }

    #[test]
    fn other_links_are_kept() {
        let t = table();
        let from = Path::new("content/notices/x.md");
        for dest in [
            "https://www.gov.cn/",
            "mailto:a@b.cn",
            "#problem-1",
            "images/a.png",
            "tel:0768-2100022",
            "//cdn/x",
        ] {
            assert_eq!(t.resolve(from, "../../", dest), Ok(None), "{dest}");
        }
    }
}
