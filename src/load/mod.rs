//! Stage 1, load: find the notices under `content/`, split and parse their
//! front matter, and validate them into [`Notice`]s, in parallel.
//!
//! [`Notices`] is the content folder as last read, file by file: a build
//! reads it once, `serve` reads again only the files that changed.

mod front_matter;
pub mod notice;
mod raw;
mod validate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::content::Notice;
use crate::diagnostic::{Code, Diagnostic};
use crate::folders::{CONTENT, is_ignored};
use crate::yaml::Seg;

pub use notice::parse_notice;

/// A notice with its warnings, or every error of its file.
pub type Parsed = Result<(Notice, Vec<Diagnostic>), Vec<Diagnostic>>;

/// A notice file as last read.
type FileState = Result<(Arc<Notice>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// The notice files of a site, as last read, in source-path order.
#[derive(Debug, Default)]
pub struct Notices {
    files: BTreeMap<PathBuf, FileState>,
    /// Why the content folder itself could not be read.
    folder: Option<Diagnostic>,
}

impl Notices {
    /// Reads every notice under `root/content`.
    pub fn read_all(root: &Path, config: &SiteConfig) -> Notices {
        let mut notices = Notices::default();
        notices.reread(root, config, &[PathBuf::from(CONTENT)]);
        notices
    }

    /// Reads again the notice files under `paths` (relative to `root`):
    /// files that are gone are forgotten, folders are read whole.
    pub fn reread(&mut self, root: &Path, config: &SiteConfig, paths: &[PathBuf]) {
        let mut read: Vec<PathBuf> = Vec::new();
        for path in paths {
            let full = root.join(path);
            if full.is_dir() || !full.exists() {
                // A folder moved in or out, or removed: forget what was under
                // it and read what is there now.
                self.files.retain(|source, _| !source.starts_with(path));
                if full.is_dir() {
                    match discover(root) {
                        Ok(all) => {
                            self.folder = None;
                            read.extend(all.into_iter().filter(|f| f.starts_with(path)));
                        }
                        Err(d) => self.folder = Some(d),
                    }
                }
            } else if path.extension().is_some_and(|e| e == "md") {
                read.push(path.clone());
            }
        }
        if !root.join(CONTENT).is_dir() {
            self.files.clear();
            self.folder = discover(root).err();
        }
        let loaded: Vec<(PathBuf, FileState)> = read
            .into_par_iter()
            .map(|rel| {
                let state = load_file(root, &rel, config).map(|(n, w)| (Arc::new(n), w));
                (rel, state)
            })
            .collect();
        self.files.extend(loaded);
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
        let mut all: Vec<Diagnostic> = self.folder.iter().cloned().collect();
        for state in self.files.values() {
            match state {
                Ok((_, warnings)) => all.extend(warnings.iter().cloned()),
                Err(errors) => all.extend(errors.iter().cloned()),
            }
        }
        all
    }

    /// Whether any file (or the folder) could not be loaded.
    pub fn has_errors(&self) -> bool {
        self.folder.is_some() || self.files.values().any(Result::is_err)
    }
}

/// Reads and parses one notice file; returns it with its warnings.
pub fn load_file(root: &Path, rel: &Path, config: &SiteConfig) -> Parsed {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        vec![Diagnostic::error(
            Code::Io,
            rel,
            format!("无法读取文件：{e}"),
        )]
    })?;
    let text = crate::files::decode(rel, bytes).map_err(|d| vec![d])?;
    parse_notice(rel, &text, config)
}

/// The Markdown files under `content/`, relative to `root`, sorted.
///
/// Hidden files and folders and editors' backup files are skipped.
pub fn discover(root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let dir = root.join(CONTENT);
    if !dir.is_dir() {
        return Err(Diagnostic::error(
            Code::Content,
            CONTENT,
            format!("找不到通报目录 {}", dir.display()),
        )
        .help("通报放在站点根目录下的 content/ 文件夹里，每篇一个 .md 文件。"));
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map(|p| p.to_path_buf())
                .unwrap_or_else(|| dir.clone());
            Diagnostic::error(
                Code::Io,
                crate::diagnostic::display_path(root, &path),
                format!("无法读取：{e}"),
            )
        })?;
        let path = entry.path();
        if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "md") {
            files.push(crate::diagnostic::display_path(root, path));
        }
    }
    Ok(files)
}

/// A mistake about the front-matter field at `path` of a notice, found
/// after loading (a duplicate slug, a broken link in a problem's text): it
/// is placed with the text kept at load time. `needle`, if given and found
/// after the field, refines the position.
pub fn at_field(
    code: Code,
    notice: &Notice,
    path: &[Seg<'_>],
    needle: Option<&str>,
    message: impl Into<String>,
) -> Diagnostic {
    let d = Diagnostic::error(code, &notice.source, message);
    let source = &notice.text;
    let text: &str = &source.text;
    let Some((line, column)) = crate::yaml::locate(source.yaml(), path) else {
        return if text.is_empty() {
            d
        } else {
            d.at(1, 1).with_source(text)
        };
    };
    let line = line + source.yaml_line - 1;
    let d = d.at(line, column).with_source(text);
    let field_start = crate::diagnostic::offset_of(text, line, column).unwrap_or(0);
    match needle.and_then(|n| text[field_start..].find(n).map(|i| (i, n))) {
        Some((i, n)) => Diagnostic {
            source_line: None,
            ..d
        }
        .at_offset(text, field_start + i)
        .width(n.chars().count()),
        None => d,
    }
}

/// A mistake at a line and column of a notice's file.
pub fn at_line(
    code: Code,
    notice: &Notice,
    line: usize,
    column: usize,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::error(code, &notice.source, message)
        .at(line, column)
        .with_source(&notice.text.text)
}
