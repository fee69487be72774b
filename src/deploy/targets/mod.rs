//! Where a site is deployed to: one trait, one implementation per kind of
//! place.
//!
//! [`Remote`] is what can be read (a deploy reads the manifest there,
//! `verify` reads and lists everything); [`Target`] adds what a deploy
//! changes: putting and deleting files. A zip ([`zip`]), a folder
//! ([`folder`]) and a bucket ([`bucket`]) are targets; a web site
//! ([`web`]) can only be read. The plan and the order of a sync are
//! written once, in `plan` and `sync`, for all of them.

pub mod bucket;
pub mod credentials;
pub mod folder;
pub mod web;
pub mod zip;

use std::fmt;
use std::path::PathBuf;

use crate::diagnostic::{Code, Diagnostic};

use super::manifest::SitePath;

/// A place a site is deployed to, as written after `--to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// `zip:FILE`: one archive, for a site-cluster platform.
    Zip(PathBuf),
    /// `folder:PATH`: a USB stick, a network share.
    Folder(PathBuf),
    /// `s3://BUCKET/PREFIX`: S3-compatible storage (OSS, COS, OBS, MinIO).
    Bucket { bucket: String, prefix: String },
    /// `https://…/`: a site as its readers see it (only `verify` reads it).
    Web(url::Url),
}

impl Address {
    /// Reads a target as written on the command line or in `site.yaml`.
    pub fn parse(text: &str) -> Result<Address, String> {
        let text = text.trim();
        if let Some(file) = text.strip_prefix("zip:") {
            if file.is_empty() {
                return Err("zip: 后面要写压缩包的文件名，例如 zip:dwgk.zip".into());
            }
            return Ok(Address::Zip(PathBuf::from(file)));
        }
        if let Some(dir) = text.strip_prefix("folder:") {
            if dir.is_empty() {
                return Err("folder: 后面要写文件夹，例如 folder:/media/usb/dwgk".into());
            }
            return Ok(Address::Folder(PathBuf::from(dir)));
        }
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if !is_bucket_name(bucket) {
                return Err(format!(
                    "存储桶名“{bucket}”不对：只能用小写字母、数字、- 和 .，3 到 63 个字符"
                ));
            }
            let prefix = prefix.trim_matches('/');
            if !prefix.is_empty() && SitePath::parse(prefix).is_err() {
                return Err(format!("前缀“{prefix}”不能用作存储桶里的目录"));
            }
            return Ok(Address::Bucket {
                bucket: bucket.to_string(),
                prefix: prefix.to_string(),
            });
        }
        if text.starts_with("http://") || text.starts_with("https://") {
            let mut url = url::Url::parse(text).map_err(|e| format!("网址“{text}”不对：{e}"))?;
            if !url.path().ends_with('/') {
                let path = format!("{}/", url.path());
                url.set_path(&path);
            }
            return Ok(Address::Web(url));
        }
        Err(format!("不认识的发布目标“{text}”"))
    }

    /// The help for a target that cannot be read.
    pub const HELP: &'static str = "发布目标的写法：zip:文件名.zip（集约化平台的压缩包）、folder:文件夹（U 盘、共享文件夹）、s3://存储桶/前缀（OSS、COS、OBS 等对象存储，配合 --endpoint、--region）；gongkai verify 还可以写网站地址 https://……/";
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Zip(file) => write!(f, "zip:{}", file.display()),
            Address::Folder(dir) => write!(f, "folder:{}", dir.display()),
            Address::Bucket { bucket, prefix } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            Address::Bucket { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
            Address::Web(url) => write!(f, "{url}"),
        }
    }
}

/// S3's rules for bucket names, which OSS, COS and OBS share.
fn is_bucket_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !name.starts_with(['-', '.'])
        && !name.ends_with(['-', '.'])
}

/// A file found at a target by listing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The key below the site's folder or prefix, as found (it may be one
    /// no deploy would write).
    pub path: String,
    pub size: u64,
}

/// Where a deployed site can be read.
pub trait Remote: Send + Sync {
    /// The file at `key` (a path below the site's top, or the manifest's
    /// name); `None` when there is none.
    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, TargetError>;
    /// Every file below the site's top; `None` when this kind of place
    /// cannot be listed (a web site).
    fn list(&self) -> Result<Option<Vec<Listed>>, TargetError>;
    /// How many requests may run at once.
    fn parallel(&self) -> usize;
}

/// Where a deploy can put and delete files.
pub trait Target: Remote {
    /// Stores `bytes` at `key`, replacing what was there.
    fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), TargetError>;
    /// Removes the file at `path`; a file already gone is no error.
    fn delete(&self, path: &SitePath) -> Result<(), TargetError>;
    /// The target is made anew each time (a zip): every file is put, none
    /// is deleted, and [`Target::finish`] puts the new one in place.
    fn rewrites_all(&self) -> bool {
        false
    }
    /// Ends a deploy that went through.
    fn finish(&self) -> Result<(), TargetError> {
        Ok(())
    }
    /// What the user should know about this target before deploying (the
    /// known traps of object storage).
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Why a target could not be read or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetError {
    pub failure: Failure,
    /// What went wrong, in Chinese, with the detail the server gave.
    pub message: String,
    pub hint: Option<String>,
}

/// The kinds of [`TargetError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The target cannot be reached (network, endpoint, missing folder).
    Unreachable,
    /// The credentials are wrong, or lack a permission.
    Denied,
    /// Anything else: a full disk, a file in the way, a server error.
    Failed,
}

impl TargetError {
    pub fn new(failure: Failure, message: impl Into<String>) -> TargetError {
        TargetError {
            failure,
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> TargetError {
        self.hint = Some(hint.into());
        self
    }

    /// The diagnostic a user reads, placed at the target.
    pub fn diagnostic(&self, target: &str) -> Diagnostic {
        let code = match self.failure {
            Failure::Unreachable => Code::DeployUnreachable,
            Failure::Denied => Code::DeployDenied,
            Failure::Failed => Code::DeployFailed,
        };
        let d = Diagnostic::error(code, target, self.message.clone());
        match &self.hint {
            Some(h) => d.help(h.clone()),
            None => d,
        }
    }
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_read_as_written() {
        assert_eq!(
            Address::parse("zip:dwgk.zip").unwrap(),
            Address::Zip("dwgk.zip".into())
        );
        assert_eq!(
            Address::parse("s3://dwgk-site/www/dwgk/").unwrap(),
            Address::Bucket {
                bucket: "dwgk-site".into(),
                prefix: "www/dwgk".into()
            }
        );
        assert_eq!(
            Address::parse("s3://dwgk-site").unwrap().to_string(),
            "s3://dwgk-site"
        );
        assert_eq!(
            Address::parse("https://www.example.gov.cn/dwgk")
                .unwrap()
                .to_string(),
            "https://www.example.gov.cn/dwgk/"
        );
        for bad in [
            "s3://Bad_Bucket/x",
            "s3://ok-bucket/../x",
            "ftp://x",
            "zip:",
            "dwgk.zip",
        ] {
            assert!(Address::parse(bad).is_err(), "{bad}");
        }
    }
}
