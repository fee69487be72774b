//! `gongkai verify`: the tamper check (网页防篡改). Reads the manifest at
//! the target, checks it against the digest the 发布记录 kept for the last
//! deploy there, then reads every file it lists: a file whose bytes differ
//! is 改动 (changed), one not there is 缺少 (missing), and (where the target
//! can be listed: a bucket, a folder, a zip) a file no deploy put there is
//! 多出 (extra).
//!
//! The report is made for cron: its first line alone says whether the site
//! is as deployed, fit for a log line or a mail subject; the lines after it
//! name each difference.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use super::manifest::{MANIFEST_FILE, Manifest, Sha256Sum, SitePath};
use super::record::Record;
use super::sync::{Halt, each};
use super::targets::{Failure, Remote, TargetError};

/// What a verification found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verified {
    /// The target as written.
    pub target: String,
    /// Files the manifest lists.
    pub files: usize,
    /// The digest of the manifest found at the target.
    pub digest: Option<Sha256Sum>,
    /// The deploy the manifest was compared with, if the log has one.
    pub record: Option<Record>,
    /// The manifest is not the one the record names.
    pub manifest_differs: bool,
    pub changed: Vec<SitePath>,
    pub missing: Vec<SitePath>,
    pub extra: Vec<String>,
    /// Files that could not be read, with why.
    pub unreadable: Vec<(SitePath, String)>,
    /// The target could be listed (so `extra` means something).
    pub listed: bool,
}

impl Verified {
    /// Whether the target is exactly as deployed.
    pub fn is_intact(&self) -> bool {
        !self.manifest_differs
            && self.changed.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.unreadable.is_empty()
    }
}

/// Compares `remote` with its manifest, and the manifest with `record`.
pub fn verify(
    remote: &dyn Remote,
    target: &str,
    record: Option<Record>,
) -> Result<Verified, TargetError> {
    let bytes = remote.read(MANIFEST_FILE)?.ok_or_else(|| {
        TargetError::new(
            Failure::Failed,
            format!("{target} 上没有清单 {MANIFEST_FILE}"),
        )
        .hint(
            "这里还没有用 gongkai deploy 发布过，或者清单被删掉了：请用 gongkai deploy 重新发布。",
        )
    })?;
    let manifest = Manifest::parse(&bytes).map_err(|why| {
        TargetError::new(Failure::Failed, format!("{target} 上的清单不能用：{why}"))
            .hint("清单可能被改动过：请用 gongkai deploy 重新发布。")
    })?;
    let digest = Sha256Sum::of(&bytes);
    let manifest_differs = record.as_ref().is_some_and(|r| r.digest() != Some(digest));
    let mut found = Verified {
        target: target.to_string(),
        files: manifest.files.len(),
        digest: Some(digest),
        record,
        manifest_differs,
        ..Verified::default()
    };
    let entries: Vec<_> = manifest.files.iter().collect();
    let results = Mutex::new(Vec::new());
    let never = AtomicBool::new(false);
    let check = |(path, entry): &(&SitePath, &super::manifest::Entry)| {
        let outcome = match remote.read(path.as_str()) {
            Ok(None) => Outcome::Missing,
            Ok(Some(b)) if b.len() as u64 == entry.size && Sha256Sum::of(&b) == entry.sha256 => {
                Outcome::Same
            }
            Ok(Some(_)) => Outcome::Changed,
            // A site that cannot be reached at all stops the check.
            Err(e) if e.failure == Failure::Unreachable => return Err(e),
            Err(e) => Outcome::Unreadable(e.message),
        };
        results
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(((*path).clone(), outcome));
        Ok(())
    };
    if let Err(Halt::Failed(e)) = each(&entries, remote.parallel(), &never, &check) {
        return Err(e);
    }
    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, outcome) in results {
        match outcome {
            Outcome::Same => {}
            Outcome::Missing => found.missing.push(path),
            Outcome::Changed => found.changed.push(path),
            Outcome::Unreadable(why) => found.unreadable.push((path, why)),
        }
    }
    if let Some(listed) = remote.list()? {
        found.listed = true;
        let known: BTreeSet<&str> = manifest.files.keys().map(SitePath::as_str).collect();
        found.extra = listed
            .into_iter()
            .map(|l| l.path)
            .filter(|p| p != MANIFEST_FILE && !known.contains(p.as_str()))
            .collect();
        found.extra.sort();
    }
    Ok(found)
}

enum Outcome {
    Same,
    Missing,
    Changed,
    Unreadable(String),
}

impl fmt::Display for Verified {
    /// One summary line, then one line per difference.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digest = self.digest.map(|d| d.short()).unwrap_or_default();
        let since = self
            .record
            .as_ref()
            .map(|r| format!("，{} 发布", r.time))
            .unwrap_or_default();
        if self.is_intact() {
            write!(
                f,
                "核对一致：{} 的 {} 个文件与清单 sha256:{digest} 相同{since}",
                self.target, self.files
            )?;
            if !self.listed {
                write!(f, "（网址无法列出多出的文件）")?;
            }
            return writeln!(f);
        }
        let mut counts = Vec::new();
        for (label, n) in [
            ("改动", self.changed.len()),
            ("缺少", self.missing.len()),
            ("多出", self.extra.len()),
            ("读取失败", self.unreadable.len()),
        ] {
            if n > 0 {
                counts.push(format!("{label} {n} 个"));
            }
        }
        if self.manifest_differs {
            counts.push("清单与发布记录不符".to_string());
        }
        writeln!(
            f,
            "核对不一致：{}（{}）清单 sha256:{digest}{since}",
            self.target,
            counts.join("，")
        )?;
        if let (true, Some(r)) = (self.manifest_differs, &self.record) {
            writeln!(
                f,
                "清单  {MANIFEST_FILE} 不是 {} 发布的那一份（{}）",
                r.time, r.digest
            )?;
        }
        for path in &self.changed {
            writeln!(f, "改动  {path}")?;
        }
        for path in &self.missing {
            writeln!(f, "缺少  {path}")?;
        }
        for path in &self.extra {
            writeln!(f, "多出  {path}")?;
        }
        for (path, why) in &self.unreadable {
            writeln!(f, "读取失败  {path}：{why}")?;
        }
        Ok(())
    }
}

/// What `gongkai verify` was asked to check.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// The site folder, whose 发布记录 and `site.yaml` are read if there.
    pub root: std::path::PathBuf,
    /// A target or a URL; `deploy.to`, else `base_url` of `site.yaml`.
    pub target: Option<String>,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
}

/// What was verified, and warnings about the place (a default domain).
pub struct Checked {
    pub verified: Verified,
    pub warnings: Vec<String>,
}

/// Verifies the target of `options` against its manifest and the last
/// deploy to it in the 发布记录 (for a URL not deployed to by name, the
/// last deploy of all).
pub fn verify_site(options: &VerifyOptions) -> Result<Checked, crate::diagnostic::Diagnostics> {
    use crate::diagnostic::{Code, Diagnostic, Diagnostics};
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let config = crate::config::SiteConfig::load(&options.root).ok();
    let deploy = config
        .as_ref()
        .map(|c| c.deploy.clone())
        .unwrap_or_default();
    let text = options
        .target
        .clone()
        .or_else(|| deploy.to.clone())
        .or_else(|| config.as_ref()?.base_url.as_ref().map(|u| u.as_str().to_string()))
        .ok_or_else(|| {
            one(Diagnostic::error(Code::DeployTarget, crate::folders::CONFIG_FILE, "没有指定要核对的地方")
                .help(format!("写在命令后面，如 gongkai verify https://www.example.gov.cn/dwgk/；或在 site.yaml 里写 deploy: {{ to: … }}。{}", super::targets::Address::HELP)))
        })?;
    let address = super::targets::Address::parse(&text).map_err(|why| {
        one(Diagnostic::error(Code::DeployTarget, &text, why).help(super::targets::Address::HELP))
    })?;
    let shown = address.to_string();
    let settings = super::targets::bucket::Settings {
        endpoint: options.endpoint.clone().or(deploy.endpoint),
        region: options.region.clone().or(deploy.region),
        path_style: deploy.path_style,
        profile: options.profile.clone().or(deploy.profile),
    };
    let remote = super::open_remote(&address, &settings, &options.root)
        .map_err(|e| one(e.diagnostic(&shown)))?;
    let records = super::record::read(&options.root);
    let record = records
        .iter()
        .rev()
        .find(|r| r.target == shown)
        .or_else(|| match address {
            super::targets::Address::Web(_) => records.last(),
            _ => None,
        })
        .cloned();
    let verified =
        verify(remote.as_ref(), &shown, record).map_err(|e| one(e.diagnostic(&shown)))?;
    let mut warnings = Vec::new();
    if let super::targets::Address::Web(url) = &address {
        warnings.extend(super::traps::default_domain(url.as_str()));
    }
    Ok(Checked { verified, warnings })
}
