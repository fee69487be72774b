//! `folder:PATH`: a USB stick or a network share, kept a mirror of the
//! site. Each file is written beside its place and renamed over it, so a
//! reader never sees half of one; nothing is read or written through a
//! symbolic link inside the folder.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use super::{Failure, Listed, Remote, Target, TargetError};
use crate::deploy::manifest::SitePath;
use crate::folders::{CONFIG_FILE, CONTENT, STATIC, TEMPLATES, THEMES};

/// A folder that holds a deployed site.
#[derive(Debug)]
pub struct FolderTarget {
    dir: PathBuf,
}

impl FolderTarget {
    /// Opens `dir`, which a deploy may create when its parent exists.
    /// `site` is the site's root: the folder must not hold the site's own
    /// files, nor lie inside them.
    pub fn open(dir: &Path, site: Option<&Path>) -> Result<FolderTarget, TargetError> {
        if let Some(site) = site {
            refuse_site_folders(dir, site)?;
        }
        match fs::symlink_metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(m) if m.file_type().is_symlink() && dir.is_dir() => {}
            Ok(_) => {
                return Err(TargetError::new(
                    Failure::Failed,
                    format!("{} 不是文件夹", dir.display()),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
                if parent.is_some_and(|p| !p.is_dir()) {
                    return Err(TargetError::new(
                        Failure::Unreachable,
                        format!("找不到文件夹 {}", parent.unwrap_or(dir).display()),
                    )
                    .hint("U 盘或共享文件夹插好、连上了吗？请检查路径。"));
                }
            }
            Err(e) => return Err(io_failure(dir, &e)),
        }
        Ok(FolderTarget {
            dir: dir.to_path_buf(),
        })
    }

    /// The path of `key`, refusing one that passes through a symbolic link
    /// inside the folder.
    fn place(&self, key: &str) -> Result<PathBuf, TargetError> {
        let mut path = self.dir.clone();
        for part in key.split('/') {
            path.push(part);
            if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(TargetError::new(
                    Failure::Failed,
                    format!("{} 是符号链接，gongkai 不经符号链接读写", path.display()),
                )
                .hint("请删掉这个符号链接，再运行一次。"));
            }
        }
        Ok(path)
    }
}

impl Remote for FolderTarget {
    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, TargetError> {
        let path = self.place(key)?;
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(_) if path.is_dir() => Ok(None),
            Err(e) => Err(io_failure(&path, &e)),
        }
    }

    fn list(&self) -> Result<Option<Vec<Listed>>, TargetError> {
        if !self.dir.exists() {
            return Ok(Some(Vec::new()));
        }
        let mut found = Vec::new();
        for entry in WalkDir::new(&self.dir).follow_links(false) {
            let entry = entry.map_err(|e| {
                let io = e
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("文件夹成环"));
                io_failure(&self.dir, &io)
            })?;
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&self.dir) else {
                continue;
            };
            let path: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            let size = entry.metadata().map_or(0, |m| m.len());
            found.push(Listed {
                path: path.join("/"),
                size,
            });
        }
        Ok(Some(found))
    }

    fn parallel(&self) -> usize {
        4
    }
}

impl Target for FolderTarget {
    fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), TargetError> {
        let path = self.place(key)?;
        if let Some(parent) = path.parent() {
            make_dir(parent)?;
        }
        if path.is_dir() {
            fs::remove_dir_all(&path).map_err(|e| io_failure(&path, &e))?;
        }
        let mut temp = path.clone().into_os_string();
        temp.push(".gongkai-new");
        let temp = PathBuf::from(temp);
        fs::write(&temp, &bytes).map_err(|e| io_failure(&temp, &e))?;
        fs::rename(&temp, &path).map_err(|e| {
            let _ = fs::remove_file(&temp);
            io_failure(&path, &e)
        })
    }

    fn delete(&self, path: &SitePath) -> Result<(), TargetError> {
        let file = self.place(path.as_str())?;
        match fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(_) if file.is_dir() => return Ok(()),
            Err(e) => return Err(io_failure(&file, &e)),
        }
        // Folders the delete left empty go too.
        let mut up = file.parent();
        while let Some(dir) = up {
            if dir == self.dir || fs::remove_dir(dir).is_err() {
                break;
            }
            up = dir.parent();
        }
        Ok(())
    }
}

/// Creates a folder (and those above it), replacing a file in its way.
fn make_dir(dir: &Path) -> Result<(), TargetError> {
    if dir.is_file() {
        fs::remove_file(dir).map_err(|e| io_failure(dir, &e))?;
    }
    fs::create_dir_all(dir).map_err(|e| io_failure(dir, &e))
}

/// A file-system error, in words a user can act on.
fn io_failure(path: &Path, e: &io::Error) -> TargetError {
    match e.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => TargetError::new(
            Failure::Denied,
            format!("没有权限写入 {}：{e}", path.display()),
        )
        .hint("请检查这个文件夹的权限，U 盘是否处于写保护状态。"),
        io::ErrorKind::StorageFull => TargetError::new(
            Failure::Failed,
            format!("{} 所在的磁盘满了", path.display()),
        )
        .hint("请腾出空间后再运行一次，没有写完的部分会接着写。"),
        _ => TargetError::new(Failure::Failed, format!("无法写入 {}：{e}", path.display())),
    }
}

/// A deploy must not write into the site's own files, nor replace the
/// folder that holds them.
pub fn refuse_site_folders(target: &Path, site: &Path) -> Result<(), TargetError> {
    let target = absolute(target);
    let site = absolute(site);
    let inside = [CONTENT, TEMPLATES, STATIC, THEMES]
        .iter()
        .any(|d| target.starts_with(site.join(d)));
    if site.starts_with(&target) || inside || target.join(CONFIG_FILE).exists() {
        return Err(TargetError::new(
            Failure::Failed,
            format!("不能发布到 {}：那里是站点自己的文件", target.display()),
        )
        .hint("发布目标不能是站点根目录或其上级目录，也不能在 content/、templates/、static/、themes/ 里面。"));
    }
    Ok(())
}

/// `path` made absolute, without `..`, following the links of what exists.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        match Path::new(&part).components().next() {
            Some(Component::ParentDir) => {
                resolved.pop();
            }
            _ => resolved.push(part),
        }
    }
    resolved
}
