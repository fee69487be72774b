//! Stage 1, load: find the notices under `content/`, split and parse their
//! front matter, and validate them into [`Notice`]s, in parallel.

pub mod front_matter;
pub mod notice;
pub mod raw;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::content::Notice;
use crate::diagnostic::{Diagnostic, line_col};

pub use notice::parse_notice;

pub const CONTENT_DIR: &str = "content";

/// A notice with its warnings, or every error of its file.
pub type Parsed = Result<(Notice, Vec<Diagnostic>), Vec<Diagnostic>>;

/// What loading the content folder produced.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Notices that are valid, in source-path order.
    pub notices: Vec<Arc<Notice>>,
    /// Source files (relative to the root) that could not be loaded.
    pub failed: Vec<PathBuf>,
    /// The errors of the files that failed, and the warnings of all.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads every notice under `root/content`.
pub fn load_content(root: &Path, config: &SiteConfig) -> Loaded {
    let files = match discover(root) {
        Ok(files) => files,
        Err(d) => {
            return Loaded {
                diagnostics: vec![d],
                ..Loaded::default()
            };
        }
    };
    let results: Vec<(PathBuf, Parsed)> = files
        .into_par_iter()
        .map(|rel| {
            let result = load_file(root, &rel, config);
            (rel, result)
        })
        .collect();
    let mut loaded = Loaded::default();
    for (rel, result) in results {
        match result {
            Ok((notice, warnings)) => {
                loaded.notices.push(Arc::new(notice));
                loaded.diagnostics.extend(warnings);
            }
            Err(ds) => {
                loaded.failed.push(rel);
                loaded.diagnostics.extend(ds);
            }
        }
    }
    loaded
}

/// Reads and parses one notice file; returns it with its warnings.
pub fn load_file(root: &Path, rel: &Path, config: &SiteConfig) -> Parsed {
    let bytes = std::fs::read(root.join(rel))
        .map_err(|e| vec![Diagnostic::error(rel, format!("无法读取文件：{e}")).code("io")])?;
    let text = decode(rel, bytes).map_err(|d| vec![d])?;
    parse_notice(rel, &text, config)
}

/// The Markdown files under `content/`, relative to `root`, sorted.
///
/// Hidden files and folders and editors' backup files are skipped.
pub fn discover(root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        return Err(
            Diagnostic::error(CONTENT_DIR, format!("找不到通报目录 {}", dir.display()))
                .code("content")
                .help("通报放在站点根目录下的 content/ 文件夹里，每篇一个 .md 文件。"),
        );
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

/// Hidden files and the temporary files editors leave beside the real ones.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.contains("___jb_")
        || name == "4913"
}

/// Reads bytes as UTF-8 text without a byte-order mark, or says where the
/// first byte that is not UTF-8 is.
pub fn decode(file: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let good = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            let (line, column) = line_col(&prefix, prefix.len());
            let line_text: String = String::from_utf8_lossy(bytes)
                .lines()
                .nth(line - 1)
                .unwrap_or("")
                .to_string();
            let mut d = Diagnostic::error(file, "文件不是 UTF-8 编码，无法读取")
                .code("encoding")
                .at(line, column)
                .help("请在编辑器里把文件另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8）。Word 导出的 GBK 文本可用 gongkai import 转换。");
            d.source_line = Some(line_text);
            Err(d)
        }
    }
}

/// Finds the position of a front-matter field in a notice file, for errors
/// found after loading (duplicate slugs, broken links in problem text).
/// `needle`, if given and found after the field, refines the position.
pub fn locate_in_file(
    root: &Path,
    rel: &Path,
    path: &[crate::yaml::Seg<'_>],
    needle: Option<&str>,
    message: impl Into<String>,
) -> Diagnostic {
    let fallback = Diagnostic::error(rel, message);
    let Ok(bytes) = std::fs::read(root.join(rel)) else {
        return fallback;
    };
    let Ok(text) = decode(rel, bytes) else {
        return fallback;
    };
    let Ok(split) = front_matter::split(&text) else {
        return fallback;
    };
    let Some((line, column)) = crate::yaml::locate(split.yaml, path) else {
        return fallback.at(1, 1).with_source(&text);
    };
    let line = line + split.yaml_line - 1;
    let d = fallback.at(line, column).with_source(&text);
    let field_start = crate::diagnostic::offset_of(&text, line, column).unwrap_or(0);
    match needle.and_then(|n| text[field_start..].find(n).map(|i| (i, n))) {
        Some((i, n)) => Diagnostic {
            source_line: None,
            ..d
        }
        .at_offset(&text, field_start + i)
        .width(n.chars().count()),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_bom_and_points_at_bad_bytes() {
        let t = decode(Path::new("a.md"), b"\xEF\xBB\xBF---\n".to_vec()).unwrap();
        assert_eq!(t, "---\n");
        // 政 in GBK is 0xD5 0xFE, which is not UTF-8.
        let d = decode(Path::new("a.md"), b"---\ntitle: \xD5\xFE\n".to_vec()).unwrap_err();
        assert_eq!((d.line, d.column), (2, 8));
        assert!(d.message.contains("UTF-8"));
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".a.md.swp",
            "a.md~",
            ".#a.md",
            "4913",
            "a.md___jb_tmp___",
            "~$通报.md",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("2021-通报.md"));
    }
}
