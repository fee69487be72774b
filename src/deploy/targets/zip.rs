//! `zip:FILE`: the package a site-cluster platform (集约化平台) takes.
//!
//! Flat (`index.html` at the top, no folder around the site), without
//! hidden files, with the manifest inside, and the same bytes for the same
//! site: entries in the order of the sync (sorted), every time stamp
//! 1980-01-01, the same permissions. The archive is written beside its
//! place and renamed over the old one only when it is complete.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::{Failure, Listed, Remote, Target, TargetError, folder};
use crate::deploy::manifest::SitePath;

/// A zip archive that holds a deployed site.
pub struct ZipTarget {
    file: PathBuf,
    /// The archive being written, beside `file`.
    temp: PathBuf,
    writer: Mutex<Option<ZipWriter<File>>>,
    /// The existing archive, opened once for reading.
    reader: Mutex<Option<ZipArchive<File>>>,
}

impl ZipTarget {
    /// Opens the archive at `file` (which need not exist yet).
    pub fn open(file: &Path, site: Option<&Path>) -> Result<ZipTarget, TargetError> {
        if let Some(site) = site {
            folder::refuse_site_folders(file, site)?;
        }
        let parent = file.parent().filter(|p| !p.as_os_str().is_empty());
        if parent.is_some_and(|p| !p.is_dir()) {
            return Err(TargetError::new(
                Failure::Unreachable,
                format!("找不到文件夹 {}", parent.unwrap_or(file).display()),
            )
            .hint("压缩包所在的文件夹要先建好。"));
        }
        if file.is_dir() {
            return Err(TargetError::new(
                Failure::Failed,
                format!("{} 是文件夹，不是压缩包", file.display()),
            )
            .hint("发布到文件夹请写 folder:路径。"));
        }
        let mut temp = file.as_os_str().to_owned();
        temp.push(".gongkai-new");
        Ok(ZipTarget {
            file: file.to_path_buf(),
            temp: PathBuf::from(temp),
            writer: Mutex::new(None),
            reader: Mutex::new(None),
        })
    }

    /// Runs `f` on the existing archive; `None` when there is none.
    fn with_archive<T>(
        &self,
        f: impl FnOnce(&mut ZipArchive<File>) -> Result<T, TargetError>,
    ) -> Result<Option<T>, TargetError> {
        let mut reader = self.reader.lock().unwrap_or_else(|e| e.into_inner());
        if reader.is_none() {
            let file = match File::open(&self.file) {
                Ok(f) => f,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(failed(&self.file, &e.to_string())),
            };
            let archive = ZipArchive::new(file)
                .map_err(|e| failed(&self.file, &format!("不是完好的 zip 压缩包（{e}）")))?;
            *reader = Some(archive);
        }
        match reader.as_mut() {
            Some(archive) => f(archive).map(Some),
            None => Ok(None),
        }
    }
}

impl Remote for ZipTarget {
    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, TargetError> {
        let found = self.with_archive(|archive| {
            let Ok(mut entry) = archive.by_name(key) else {
                return Ok(None);
            };
            let mut bytes = Vec::with_capacity(entry.size() as usize);
            io::copy(&mut entry, &mut bytes)
                .map_err(|e| failed(&self.file, &format!("{key} 读不出来（{e}）")))?;
            Ok(Some(bytes))
        })?;
        Ok(found.flatten())
    }

    fn list(&self) -> Result<Option<Vec<Listed>>, TargetError> {
        let found = self.with_archive(|archive| {
            let mut files = Vec::new();
            for i in 0..archive.len() {
                let entry = archive
                    .by_index_raw(i)
                    .map_err(|e| failed(&self.file, &e.to_string()))?;
                if !entry.is_dir() {
                    files.push(Listed {
                        path: entry.name().to_string(),
                        size: entry.size(),
                    });
                }
            }
            Ok(files)
        })?;
        Ok(Some(found.unwrap_or_default()))
    }

    fn parallel(&self) -> usize {
        1
    }
}

impl Target for ZipTarget {
    fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), TargetError> {
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if writer.is_none() {
            let file = File::create(&self.temp).map_err(|e| failed(&self.temp, &e.to_string()))?;
            *writer = Some(ZipWriter::new(file));
        }
        let Some(zip) = writer.as_mut() else {
            return Ok(());
        };
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644)
            .large_file(bytes.len() as u64 >= u32::MAX as u64);
        zip.start_file(key, options)
            .map_err(|e| failed(&self.temp, &e.to_string()))?;
        zip.write_all(&bytes)
            .map_err(|e| failed(&self.temp, &e.to_string()))
    }

    fn delete(&self, _path: &SitePath) -> Result<(), TargetError> {
        // The new archive simply does not hold it.
        Ok(())
    }

    fn rewrites_all(&self) -> bool {
        true
    }

    fn finish(&self) -> Result<(), TargetError> {
        let writer = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(zip) = writer {
            let file = zip
                .finish()
                .map_err(|e| failed(&self.temp, &e.to_string()))?;
            file.sync_all()
                .map_err(|e| failed(&self.temp, &e.to_string()))?;
        }
        // The old archive is closed before it is replaced.
        self.reader.lock().unwrap_or_else(|e| e.into_inner()).take();
        fs::rename(&self.temp, &self.file).map_err(|e| failed(&self.file, &e.to_string()))
    }
}

impl Drop for ZipTarget {
    /// An archive not finished leaves no trace; the old one stays.
    fn drop(&mut self) {
        let writer = self.writer.get_mut().unwrap_or_else(|e| e.into_inner());
        if writer.take().is_some() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

fn failed(path: &Path, why: &str) -> TargetError {
    TargetError::new(
        Failure::Failed,
        format!("无法写入压缩包 {}：{why}", path.display()),
    )
}
