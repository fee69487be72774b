//! Stage 1, load: find the notices under `content/`, split and parse their
//! front matter, and validate them into [`Notice`]s, in parallel.
//!
//! [`Notices`] is the content folder as last read, file by file: a build
//! reads it once, `serve` reads again only the files that changed.

mod attachments;
mod county;
mod front_matter;
pub mod notice;
#[doc(hidden)]
pub mod probe;
mod raw;
mod validate;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::Notice;
use crate::diagnostic::{Code, Diagnostic};
use crate::folders::CONTENT;

pub use notice::parse_notice;

/// A notice with its warnings, or every error of its file.
pub type Parsed = Result<(Notice, Vec<Diagnostic>), Vec<Diagnostic>>;

/// A notice file as last read.
type FileState = Result<(Arc<Notice>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// The notice files of a site, as last read, in source-path order.
#[derive(Debug, Default)]
pub struct Notices {
    files: BTreeMap<PathBuf, FileState>,
    /// What is wrong with the content folder itself: missing, or links in
    /// it that lead nowhere or out of the site.
    folder: Vec<Diagnostic>,
}

impl Notices {
    /// Reads every notice under `root/content`.
    /// Without `config` (when `site.yaml` has errors), the notices are read
    /// for their own mistakes only.
    pub fn read_all(root: &Path, config: Option<&SiteConfig>) -> Notices {
        let mut notices = Notices::default();
        notices.read(root, config, &[PathBuf::from(CONTENT)], usize::MAX);
        notices
    }

    /// As [`Notices::read_all`], for a build: when the site has at least
    /// `lean_from` notice files, each notice's sources (its text and
    /// Markdown) are freed as soon as it is read and checked, so that the
    /// sources of a big site are never in memory at once; the build reads
    /// them again a batch at a time. Returns whether they were freed.
    pub fn read_for_build(
        root: &Path,
        config: Option<&SiteConfig>,
        lean_from: usize,
    ) -> (Notices, bool) {
        let mut notices = Notices::default();
        let lean = notices.read(root, config, &[PathBuf::from(CONTENT)], lean_from);
        (notices, lean)
    }

    /// Reads again the notice files under `paths` (relative to `root`):
    /// files that are gone are forgotten, folders are read whole.
    pub fn reread(&mut self, root: &Path, config: Option<&SiteConfig>, paths: &[PathBuf]) {
        self.read(root, config, paths, usize::MAX);
    }

    /// Reads the notice files under `paths`, freeing their sources when
    /// there are `lean_from` of them or more (and saying so).
    fn read(
        &mut self,
        root: &Path,
        config: Option<&SiteConfig>,
        paths: &[PathBuf],
        lean_from: usize,
    ) -> bool {
        let mut read: Vec<PathBuf> = Vec::new();
        for path in paths {
            let full = root.join(path);
            let gone = !full.exists() && !full.is_symlink();
            if full.is_dir() || gone {
                // A folder moved in or out, or removed: forget what was under
                // it and read what is there now.
                self.files.retain(|source, _| !source.starts_with(path));
                if full.is_dir() {
                    match discover(root) {
                        Ok((all, errors)) => {
                            self.folder = errors;
                            read.extend(all.into_iter().filter(|f| f.starts_with(path)));
                        }
                        Err(d) => self.folder = vec![d],
                    }
                }
            } else if path.extension().is_some_and(|e| e == "md") {
                read.push(path.clone());
            }
            if path.extension().is_none_or(|e| e != "md") && !full.is_dir() {
                read.extend(self.listing(path));
            }
        }
        read.sort();
        read.dedup();
        if !root.join(CONTENT).is_dir() {
            self.files.clear();
            self.folder = discover(root).err().into_iter().collect();
        }
        let lean = read.len() >= lean_from;
        let loaded: Vec<(PathBuf, FileState)> =
            crate::read_ahead::in_chunks(root, &read, |chunk| {
                chunk
                    .par_iter()
                    .map(|rel| {
                        let state = load_file(root, rel, config).map(|(mut n, w)| {
                            if lean {
                                n.release_sources();
                            }
                            // Counted here, in parallel, rather than by the
                            // model's category index, on one thread.
                            n.stats();
                            (Arc::new(n), w)
                        });
                        (rel.clone(), state)
                    })
                    .collect()
            });
        self.files.extend(loaded);
        lean
    }

    /// The notice files that list `file` (relative to the root) as an
    /// attachment, and those that failed (perhaps for want of it): a
    /// change to it is a change to them.
    fn listing(&self, file: &Path) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|(_, state)| match state {
                Ok((n, _)) => n.attachments.iter().any(|a| a.source == file),
                Err(_) => true,
            })
            .map(|(source, _)| source.clone())
            .collect()
    }

    /// The notices that are valid, in source-path order.
    pub fn valid(&self) -> Vec<Arc<Notice>> {
        self.files
            .values()
            .filter_map(|s| s.as_ref().ok().map(|(n, _)| n.clone()))
            .collect()
    }

    /// The notices that are valid, given up by the reader.
    pub fn into_valid(self) -> Vec<Arc<Notice>> {
        self.files
            .into_values()
            .filter_map(|s| s.ok().map(|(n, _)| n))
            .collect()
    }

    /// Source files (relative to the root) that could not be loaded.
    pub fn failed(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|(_, s)| s.is_err())
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// The errors of the files that failed, and the warnings of all.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.folder.clone();
        for state in self.files.values() {
            match state {
                Ok((_, warnings)) => all.extend(warnings.iter().cloned()),
                Err(errors) => all.extend(errors.iter().cloned()),
            }
        }
        all
    }

    /// Of `files` (relative to the root), those read lean: their notices'
    /// sources were freed when read.
    pub fn lean_of<'a>(&self, files: impl IntoIterator<Item = &'a Path>) -> Vec<PathBuf> {
        let mut lean: Vec<PathBuf> = files
            .into_iter()
            .filter(|f| matches!(self.files.get(*f), Some(Ok((n, _))) if !n.has_sources()))
            .map(Path::to_path_buf)
            .collect();
        lean.sort();
        lean.dedup();
        lean
    }

    /// Whether any file (or the folder) could not be loaded.
    pub fn has_errors(&self) -> bool {
        !self.folder.is_empty() || self.files.values().any(Result::is_err)
    }
}

/// `n` with its sources, for what needs them (its Markdown compiled, its
/// Word copy): itself, or, when they were freed as it was read (a big
/// site's build or preview), its file under `root` read again. Refused if
/// the file changed since, which would leave its pages at odds with the
/// rest of the site (a preview is told of the change and reads it again).
pub fn with_sources<'a>(
    root: &Path,
    n: &'a Notice,
    config: &SiteConfig,
) -> Result<Cow<'a, Notice>, Vec<Diagnostic>> {
    if n.has_sources() {
        return Ok(Cow::Borrowed(n));
    }
    let bytes = crate::files::read(root, &n.source).map_err(|d| vec![d])?;
    let text = crate::files::decode(&n.source, bytes).map_err(|d| vec![d])?;
    if notice::digest(&text) != n.digest {
        return Err(vec![
            Diagnostic::error(Code::Content, &n.source, "这篇通报在生成过程中被改动了")
                .help("请等文件保存完毕后重新生成。"),
        ]);
    }
    match notice::with_sources_from(&text, n) {
        Some(fresh) => Ok(Cow::Owned(fresh)),
        None => {
            let (fresh, _) = notice::parse_notice_in(root, &n.source, &text, Some(config))?;
            Ok(Cow::Owned(fresh))
        }
    }
}

/// Reads and parses one notice file; returns it with its warnings.
pub fn load_file(root: &Path, rel: &Path, config: Option<&SiteConfig>) -> Parsed {
    let bytes = crate::files::read(root, rel).map_err(|d| vec![d])?;
    let text = crate::files::decode(rel, bytes).map_err(|d| vec![d])?;
    notice::parse_notice_in(root, rel, &text, config)
}

/// The Markdown files under `content/`, relative to `root`, sorted, and
/// the links among them that lead nowhere or out of the site.
///
/// Hidden files and folders and editors' backup files are skipped.
pub fn discover(root: &Path) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Diagnostic> {
    let dir = root.join(CONTENT);
    if !dir.is_dir() {
        return Err(Diagnostic::error(
            Code::Content,
            CONTENT,
            format!("找不到通报目录 {}", dir.display()),
        )
        .help("通报放在站点根目录下的 content/ 文件夹里，每篇一个 .md 文件。"));
    }
    crate::files::inside(root, Path::new(CONTENT))?;
    let (files, errors) = crate::files::walk(root, Path::new(CONTENT));
    let notices = files
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "md"))
        .collect();
    Ok((notices, errors))
}
