//! Reading the site's own files: configuration, notices, templates and
//! static files.
//!
//! Nothing outside the site is read: a symbolic link is followed only when
//! it leads to a place inside the site folder, and one that leads out,
//! points nowhere or loops is an error that names it. Every file a user
//! writes is UTF-8 text; a file that is not gets an error at its first byte
//! that is not, with a way out.

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, display_path, line_col};
use crate::folders::is_ignored;

/// Reads the file at `rel` (relative to the site `root`), when it is
/// inside the site.
pub fn read(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    inside(root, rel)?;
    if std::fs::metadata(root.join(rel)).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Err(Diagnostic::error(
            Code::Io,
            rel,
            "这不是普通文件（可能是管道或设备），不会读取",
        )
        .help("请把它换成普通文件，或移出站点文件夹。"));
    }
    std::fs::read(root.join(rel)).map_err(|e| Diagnostic::io(Code::Io, rel, "读取文件", &e))
}

/// Checks that `rel` (relative to `root`), with every link on its way
/// followed, is still inside the site.
pub fn inside(root: &Path, rel: &Path) -> Result<(), Diagnostic> {
    if plainly_inside(root, rel) {
        return Ok(());
    }
    let path = root.join(rel);
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match path.canonicalize() {
        Ok(real) if real.starts_with(&real_root) => Ok(()),
        Ok(real) => Err(outside(rel, &real)),
        // A link that points nowhere: the file itself is missing otherwise,
        // which the caller reports in its own words.
        Err(e) if path.is_symlink() => Err(broken_link(rel, &e)),
        Err(_) => Ok(()),
    }
}

/// Whether `rel` goes down from `root` by names alone, through no link:
/// then it is inside without resolving the path. A build reads every
/// notice through [`inside`], and resolving costs a system call for each
/// folder of the path and of the root.
fn plainly_inside(root: &Path, rel: &Path) -> bool {
    let mut path = root.to_path_buf();
    rel.components().all(|c| match c {
        Component::Normal(name) => {
            path.push(name);
            // What is missing is no link: the caller reports it.
            !path
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
        }
        _ => false,
    })
}

/// The files under `dir` (a folder of the site at `root`, which need not
/// exist), sorted, relative to `root`; hidden files and the temporary files
/// of editors are skipped. Links are followed while they stay inside the
/// site; each one that does not is an error.
pub fn walk(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let full = root.join(dir);
    if !full.is_dir() {
        // The folder a link that leads nowhere (a USB stick not mounted):
        // silence would build the site without its files.
        if let Err(e) = std::fs::metadata(&full)
            && full.is_symlink()
        {
            errors.push(broken_link(dir, &e));
        }
        return (files, errors);
    }
    // The folder itself may be reached through a link on its way
    // (`themes/` linked elsewhere): then nothing under it is the site's.
    if let Err(outside) = inside(root, dir) {
        errors.push(outside);
        return (files, errors);
    }
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let walker = WalkDir::new(&full)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    let mut walker = walker;
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(walk_error(root, &full, &e));
                continue;
            }
        };
        let rel = display_path(root, entry.path());
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(real) if real.starts_with(&real_root) => {}
                Ok(real) => {
                    errors.push(outside(&rel, &real));
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
                Err(e) => {
                    errors.push(broken_link(&rel, &e));
                    continue;
                }
            }
        }
        let kind = entry.file_type();
        if kind.is_file() {
            files.push(rel);
        } else if !kind.is_dir() {
            // A pipe, a socket or a device: reading it could wait forever.
            errors.push(
                Diagnostic::error(
                    Code::Io,
                    &rel,
                    "这不是普通文件（可能是管道或设备），不会读取",
                )
                .help("请把它移出站点文件夹。"),
            );
        }
    }
    (files, errors)
}

fn walk_error(root: &Path, dir: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
    let rel = display_path(root, &path);
    if e.loop_ancestor().is_some() {
        return Diagnostic::error(
            Code::Symlink,
            &rel,
            "符号链接绕成了一个圈（指向它自己所在的文件夹）",
        )
        .help("请删除这个符号链接，或让它指向站点里的另一个文件夹。");
    }
    match e.io_error() {
        Some(io) if path.is_symlink() => broken_link(&rel, io),
        Some(io) => Diagnostic::io(Code::Io, &rel, "读取", io),
        None => Diagnostic::error(Code::Io, &rel, format!("无法读取：{e}"))
            .help("请检查这个文件或文件夹的权限。"),
    }
}

/// Checks that a file may be written at `rel` in the site at `root`
/// (`new`, `import`, `init`): no link on its way leads out of the site,
/// points nowhere or loops, and the file itself is no link, since writing
/// it would change whatever the link points at instead.
pub fn writable(root: &Path, rel: &Path) -> Result<(), Diagnostic> {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut path = root.to_path_buf();
    let mut shown = PathBuf::new();
    let mut parts = rel.components().peekable();
    while let Some(part) = parts.next() {
        path.push(part);
        shown.push(part);
        let Ok(meta) = path.symlink_metadata() else {
            // Nothing is there yet, nor under it.
            return Ok(());
        };
        if !meta.file_type().is_symlink() {
            continue;
        }
        if parts.peek().is_none() {
            return Err(Diagnostic::error(
                Code::Symlink,
                &shown,
                "这个位置是一个符号链接，不会通过它写入",
            )
            .help("写入会改掉链接指向的文件：请删除这个链接，再运行一次。"));
        }
        match path.canonicalize() {
            Ok(real) if real.starts_with(&real_root) => {}
            Ok(real) => {
                return Err(Diagnostic::error(
                    Code::Symlink,
                    &shown,
                    format!("符号链接指向站点以外的 {}，不会写入", real.display()),
                )
                .help("站点的文件只写在站点文件夹里：请把这个链接换成真正的文件夹。"));
            }
            Err(e) => return Err(broken_link(&shown, &e)),
        }
    }
    Ok(())
}

fn outside(rel: &Path, real: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::Symlink,
        rel,
        format!("符号链接指向站点以外的 {}，不会读取", real.display()),
    )
    .help("站点只读取站点文件夹里的文件：请把要发布的文件复制进站点，而不是链接到外面。")
}

/// A link that cannot be followed: it points nowhere, or round in a loop.
fn broken_link(rel: &Path, error: &std::io::Error) -> Diagnostic {
    if error.raw_os_error() == Some(libc::ELOOP) {
        return Diagnostic::error(Code::Symlink, rel, "符号链接绕成了一个圈（最后又指回自己）")
            .help("请删除这个符号链接，或让它指向站点里真正的文件或文件夹。");
    }
    dangling(rel)
}

fn dangling(rel: &Path) -> Diagnostic {
    Diagnostic::error(Code::Symlink, rel, "符号链接指向的文件不存在")
        .help("请删除这个符号链接，或让它指向站点里存在的文件。")
}

/// Reads bytes as UTF-8 text without a byte-order mark, or says where the
/// first byte that is not UTF-8 is.
pub fn decode(file: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    // Every notice is checked here: with SIMD first, and by the standard
    // library only when that finds a mistake, for its position.
    let text = if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: the bytes were just found to be UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    };
    match text {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(lone_cr_to_lf(text))
        }
        Err(e) if is_utf16(e.as_bytes()) => Err(Diagnostic::error(
            Code::Encoding,
            file,
            "文件是 UTF-16 编码（记事本的“Unicode”），不是 UTF-8",
        )
        .at(1, 1)
        .help("请在编辑器里把文件另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8）。")),
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
            let mut d = Diagnostic::error(Code::Encoding, file, "文件不是 UTF-8 编码，无法读取")
                .at(line, column)
                .help("请在编辑器里把文件另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8）。Word 导出的 GBK 文本可用 gongkai import 转换。");
            d.source_line = Some(line_text);
            Err(d)
        }
    }
}

/// UTF-16 text, with or without its byte-order mark: in text that is
/// mostly ASCII, every other byte is zero.
fn is_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(64)];
    let zeros = |start: usize| {
        head.iter()
            .skip(start)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    head.len() >= 8 && (zeros(0).max(zeros(1)) * 4 >= head.len() * 3 / 2)
}

/// Old Mac files end lines with a lone CR, which YAML and CommonMark read
/// as a line break too; they become LF, so that every line is counted.
/// (CRLF stays as it is.)
fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
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
        assert_eq!(d.code, Code::Encoding);
    }

    #[test]
    fn a_lone_cr_is_a_line_break() {
        let t = decode(
            Path::new("a.md"),
            b"---\rtitle: a\r\ndate: b\r---\r".to_vec(),
        )
        .unwrap();
        assert_eq!(t, "---\ntitle: a\r\ndate: b\n---\n");
    }
}
