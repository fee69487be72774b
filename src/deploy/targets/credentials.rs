//! Access keys for object storage: from the environment
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, which OSS, COS and OBS
//! keys go into too) or from a profile in a credentials file outside the
//! site (`~/.aws/credentials`). Never from `site.yaml`, never printed,
//! never written.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{Failure, TargetError};

/// An access key pair. Its `Debug` shows no secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Keys {
    pub id: String,
    pub secret: String,
    pub token: Option<String>,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keys(***)")
    }
}

/// Where the keys came from, to say so without showing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Environment,
    Profile { name: String, file: PathBuf },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Environment => f.write_str("环境变量 AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY"),
            Source::Profile { name, file } => write!(f, "{} 的 [{name}]", file.display()),
        }
    }
}

/// The help shown wherever keys are missing or wrong.
pub const HELP: &str = "访问密钥只从环境变量读取：AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY（阿里云 OSS、腾讯云 COS、华为云 OBS 的 AccessKey 也放在这两个变量里），或者用 --profile 名称 读取站点文件夹以外的 ~/.aws/credentials 中的那一节；不要写进 site.yaml。";

/// Finds the keys: a named profile (`--profile`, `deploy.profile` or
/// `AWS_PROFILE`) if one is given, else the environment. `None` when there
/// are none; a profile that is named but cannot be read is an error.
pub fn find(
    profile: Option<&str>,
    site: Option<&Path>,
) -> Result<Option<(Keys, Source)>, TargetError> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let profile = profile.map(str::to_string).or_else(|| env("AWS_PROFILE"));
    if let Some(name) = profile {
        let file = env("AWS_SHARED_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .or_else(|| home().map(|h| h.join(".aws").join("credentials")))
            .ok_or_else(|| {
                TargetError::new(
                    Failure::Denied,
                    "找不到用户主目录，读不了 ~/.aws/credentials",
                )
                .hint(HELP)
            })?;
        return from_profile(&name, &file, site).map(Some);
    }
    match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => Ok(Some((
            Keys {
                id,
                secret,
                token: env("AWS_SESSION_TOKEN"),
            },
            Source::Environment,
        ))),
        (Some(_), None) | (None, Some(_)) => Err(TargetError::new(
            Failure::Denied,
            "AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 只设置了一个",
        )
        .hint(HELP)),
        (None, None) => Ok(None),
    }
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}

/// Reads `[name]` of an INI credentials file, which must lie outside the
/// site (a key in the site's folder ends up in git and on the server).
fn from_profile(
    name: &str,
    file: &Path,
    site: Option<&Path>,
) -> Result<(Keys, Source), TargetError> {
    if let (Some(site), Ok(file_abs)) = (site, file.canonicalize())
        && let Ok(site_abs) = site.canonicalize()
        && file_abs.starts_with(&site_abs)
    {
        return Err(TargetError::new(
            Failure::Denied,
            format!("密钥文件 {} 在站点文件夹里", file.display()),
        )
        .hint(
            "密钥文件会随站点进入 git 和服务器：请把它移到站点以外（默认 ~/.aws/credentials）。",
        ));
    }
    let text = std::fs::read_to_string(file).map_err(|e| {
        TargetError::new(
            Failure::Denied,
            format!("读不了密钥文件 {}：{e}", file.display()),
        )
        .hint(HELP)
    })?;
    let (mut id, mut secret, mut token) = (None, None, None);
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let section = section.trim();
            inside = section == name || section.strip_prefix("profile ") == Some(name);
            continue;
        }
        if !inside {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            let value = Some(value.trim().to_string());
            match key.trim() {
                "aws_access_key_id" => id = value,
                "aws_secret_access_key" => secret = value,
                "aws_session_token" => token = value,
                _ => {}
            }
        }
    }
    match (id, secret) {
        (Some(id), Some(secret)) => Ok((
            Keys { id, secret, token },
            Source::Profile {
                name: name.to_string(),
                file: file.to_path_buf(),
            },
        )),
        _ => Err(TargetError::new(
            Failure::Denied,
            format!(
                "密钥文件 {} 里没有 [{name}] 一节，或缺少 aws_access_key_id、aws_secret_access_key",
                file.display()
            ),
        )
        .hint(HELP)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_is_read_and_never_shown() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("credentials");
        std::fs::write(
            &file,
            "[default]\naws_access_key_id = A\naws_secret_access_key = B\n\n[profile oss]\n# 阿里云\naws_access_key_id=LTAI\naws_secret_access_key = s3cr3t\n",
        )
        .unwrap();
        let (keys, source) = from_profile("oss", &file, None).unwrap();
        assert_eq!((keys.id.as_str(), keys.secret.as_str()), ("LTAI", "s3cr3t"));
        assert!(!format!("{keys:?}{source}").contains("s3cr3t"));
        assert!(from_profile("cos", &file, None).is_err());
    }

    #[test]
    fn a_profile_inside_the_site_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("credentials");
        std::fs::write(&file, "[x]\naws_access_key_id=a\naws_secret_access_key=b\n").unwrap();
        let e = from_profile("x", &file, Some(tmp.path())).unwrap_err();
        assert_eq!(e.failure, Failure::Denied);
    }
}
