//! The links found good lately, kept in the site's `.gongkai/` folder so
//! that a second `check --external` does not ask every server again. Only
//! good answers are kept, for [`KEEP`]: a broken link is asked about each
//! time, since it is what the author is fixing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::folders::{LINK_CACHE, STATE};

/// How long a good answer is trusted.
pub const KEEP: Duration = Duration::from_secs(24 * 60 * 60);

/// URL → when it was last found good (seconds since 1970).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct LinkCache {
    good: BTreeMap<String, u64>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The cache file of the site at `root`, unless its folder is a link (the
/// cache is never read or written through one).
fn file(root: &Path) -> Option<PathBuf> {
    let dir = root.join(STATE);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if !m.is_dir() => None,
        _ => Some(dir.join(LINK_CACHE)),
    }
}

impl LinkCache {
    /// The site's cache; empty when there is none or it cannot be read.
    pub fn read(root: &Path) -> LinkCache {
        let Some(path) = file(root) else {
            return LinkCache::default();
        };
        let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        let text = if is_file {
            std::fs::read_to_string(&path).unwrap_or_default()
        } else {
            String::new()
        };
        serde_json::from_str(&text).unwrap_or_default()
    }

    /// Whether `url` was found good less than [`KEEP`] ago.
    pub fn is_fresh(&self, url: &str) -> bool {
        self.good
            .get(url)
            .is_some_and(|&at| now().saturating_sub(at) < KEEP.as_secs())
    }

    /// Remembers that `url` is good, now.
    pub fn remember(&mut self, url: &str) {
        self.good.insert(url.to_string(), now());
    }

    /// Forgets what is too old to trust.
    fn prune(&mut self) {
        let now = now();
        self.good
            .retain(|_, at| now.saturating_sub(*at) < KEEP.as_secs());
    }

    /// Writes the cache back. It only saves time, so a site where it
    /// cannot be written is checked in full again next time.
    pub fn write(mut self, root: &Path) {
        self.prune();
        let Some(path) = file(root) else {
            return;
        };
        if path
            .parent()
            .is_some_and(|dir| std::fs::create_dir_all(dir).is_err())
        {
            return;
        }
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            return;
        }
        let Ok(text) = serde_json::to_string_pretty(&self) else {
            return;
        };
        let temp = path.with_extension("json.tmp");
        // A link left at the temporary name is removed, not written through.
        let _ = std::fs::remove_file(&temp);
        if std::fs::write(&temp, text).is_ok() {
            let _ = std::fs::rename(&temp, &path);
        }
    }
}
