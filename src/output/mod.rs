//! Stage 4, write: the output folder changes only when the whole build
//! succeeded, and then only where it has to.
//!
//! Every page is compared with the file already in the output folder. Files
//! that differ (or are new) are written to a staging folder beside the
//! output; nothing touches the output while the build runs, so a failed
//! build leaves it exactly as it was. When everything succeeded, the commit
//! moves each staged file over its old version (a rename: readers see the
//! old file or the new one, never half of one), deletes files this build no
//! longer produces, and removes the staging folder. A first build simply
//! renames the staging folder into place.
//!
//! So a rebuild costs writes only for what changed: no tree of thousands of
//! folders is created and deleted each time, which on a slow disk costs more
//! than the build itself.
//!
//! [`Staging`] is that folder for `build`; [`FolderPass`] writes straight
//! into the preview folder of `serve`; the [`Probe`] of `check` only looks
//! at what is written; [`Outbox`] hashes every file of a deploy and keeps
//! only those its target lacks.

mod folder;
mod outbox;
mod probe;
mod staging;
mod writeback;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostic::{Code, Diagnostic};
use crate::folders::{CONFIG_FILE, CONTENT, STATIC, TEMPLATES, THEMES};

pub use folder::{FolderPass, remove_file};
pub use outbox::Outbox;
pub use probe::Probe;
pub use staging::{Staging, WriteStats};

/// Where rendered files go: the staging folder of a build, or, for
/// `gongkai check`, a probe that only looks at them.
pub trait Sink: Sync {
    /// Produces `bytes` at `rel` (a `/`-separated path inside the output);
    /// `what` names the kind of file for error messages.
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError>;
    /// Produces a large file at `rel` from `parts`, one after another, so
    /// that a sink that can (a build's staging folder) never holds the
    /// whole file; the others are handed it whole.
    fn write_parts(
        &self,
        rel: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
        what: &str,
    ) -> Result<(), WriteError> {
        let bytes = parts.fold(Vec::new(), |mut all, part| {
            all.extend_from_slice(&part);
            all
        });
        self.write(rel, &bytes, what)
    }
    /// Whether a file was produced at `rel` already.
    fn contains(&self, rel: &str) -> bool;
    /// Produces `rel` as an earlier pass wrote it, without its bytes: only
    /// a sink that writes into a folder kept between passes (`serve`'s)
    /// has one; the others refuse, so a caller that keeps must have
    /// written everything once into the same sink's folder.
    fn keep(&self, rel: &str) -> Result<(), WriteError> {
        Err(WriteError::NotKept {
            path: rel.to_string(),
        })
    }
}

/// Writes into two sinks: what one refuses is refused.
pub struct Tee<'a>(pub &'a dyn Sink, pub &'a dyn Sink);

impl Sink for Tee<'_> {
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError> {
        self.0.write(rel, bytes, what)?;
        self.1.write(rel, bytes, what)
    }

    fn contains(&self, rel: &str) -> bool {
        self.0.contains(rel) || self.1.contains(rel)
    }

    fn keep(&self, rel: &str) -> Result<(), WriteError> {
        self.0.keep(rel)?;
        self.1.keep(rel)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path} 被生成了两次（{what}）")]
    Duplicate { path: String, what: String },
    #[error("{path} 没有上一次生成的版本可以保留（程序错误，请报告）")]
    NotKept { path: String },
    #[error("无法写入 {}：{source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Records that `rel` is produced; a second time is an error.
pub fn claim(produced: &Mutex<HashSet<String>>, rel: &str, what: &str) -> Result<(), WriteError> {
    if lock(produced).insert(rel.to_string()) {
        Ok(())
    } else {
        Err(WriteError::Duplicate {
            path: rel.to_string(),
            what: what.to_string(),
        })
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere must not hide the build's own result.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether two files hold the same bytes, read a piece at a time.
pub(crate) fn same_files(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    if !ma.is_file() || !mb.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (Ok(mut fa), Ok(mut fb)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut ba, mut bb) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let n = match fa.read(&mut ba) {
            Ok(0) => return true,
            Ok(n) => n,
            Err(_) => return false,
        };
        if fb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

pub(crate) fn same_content(old: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(old) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(old).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Creates a folder, replacing a file that stands in its way.
pub(crate) fn make_dir(dir: &Path) -> Result<(), WriteError> {
    if dir.is_file() {
        fs::remove_file(dir).map_err(io_error(dir))?;
    }
    match fs::create_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) => {
            // A file may stand higher up: clear the first one found.
            let mut up = dir.parent();
            while let Some(p) = up {
                if p.is_file() {
                    fs::remove_file(p).map_err(io_error(p))?;
                    return fs::create_dir_all(dir).map_err(io_error(dir));
                }
                up = p.parent();
            }
            Err(io_error(dir)(e))
        }
    }
}

/// Refuses an output folder whose replacement would destroy the site: the
/// site folder, a folder above it, or one of its source folders.
pub fn refuse_unsafe(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists; the output itself may not exist yet.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut resolved = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        resolved.extend(rest.into_iter().rev());
        resolved
    };
    let given_root = root;
    let root = absolute(root);
    let out = absolute(output);
    let protected = [CONTENT, THEMES, TEMPLATES, STATIC];
    let dangerous = root.starts_with(&out)
        || protected.iter().any(|d| out.starts_with(root.join(d)))
        || out.join(CONFIG_FILE).exists();
    if dangerous {
        return Err(Diagnostic::error(Code::Output, output, "不能把网站输出到这个文件夹")
            .help("每次生成都会整个替换输出文件夹；它不能是站点根目录、其上级目录，也不能在 content/、themes/、templates/、static/ 里面。默认的 public/ 即可。"));
    }
    if link_out_of_site(given_root, output, &root, &out) {
        return Err(Diagnostic::error(
            Code::Output,
            output,
            format!(
                "输出目录经过一个符号链接，指向站点以外的 {}：不会通过链接写入或删除站点以外的文件",
                out.display()
            ),
        )
        .help(format!(
            "请删除这个链接（生成时会新建文件夹）；要把网站生成到 {} ，请直接写 --output {}",
            out.display(),
            out.display()
        )));
    }
    if holds_files_not_ours(output) {
        return Err(Diagnostic::error(
            Code::Output,
            output,
            "输出目录里已经有别的文件，不是 gongkai 生成的网站：生成会删除它们，所以没有生成",
        )
        .help(format!(
            "请用一个空的或新的文件夹；确实要用这个文件夹，请先把里面的文件移走。gongkai 生成过的输出目录顶层有 {}，可以放心重复生成。",
            crate::routes::PROBLEMS_JSON
        )));
    }
    if output.exists() && !output.is_dir() {
        return Err(Diagnostic::error(
            Code::Output,
            output,
            "输出目录的位置已经有一个文件，不是文件夹",
        )
        .help(
            "--output 写一个文件夹（不存在时会新建），例如 --output public；这个文件不会被改动。",
        ));
    }
    Ok(())
}

/// Whether `output` lies in the site folder by its name (`public`) while
/// a symbolic link on the way takes it to `resolved_out`, outside the site
/// at `resolved_root`: writing there would replace files not the site's.
fn link_out_of_site(root: &Path, output: &Path, resolved_root: &Path, resolved_out: &Path) -> bool {
    let by_name = |p: &Path| -> PathBuf {
        let p = std::env::current_dir().unwrap_or_default().join(p);
        let mut clean = PathBuf::new();
        for part in p.components() {
            match part {
                std::path::Component::ParentDir => {
                    clean.pop();
                }
                std::path::Component::CurDir => {}
                other => clean.push(other),
            }
        }
        clean
    };
    by_name(output).starts_with(by_name(root)) && !resolved_out.starts_with(resolved_root)
}

/// Whether the folder `output` exists and holds entries a gongkai build
/// did not make: it is not empty (hidden entries such as `.git` aside, as
/// the build leaves them alone) and has no open data at its top, which
/// every build writes.
fn holds_files_not_ours(output: &Path) -> bool {
    let Ok(entries) = fs::read_dir(output) else {
        return false;
    };
    let mut visible = entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .peekable();
    visible.peek().is_some() && !output.join(crate::routes::PROBLEMS_JSON).is_file()
}
