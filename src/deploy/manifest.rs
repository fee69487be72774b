//! The manifest: what a deployed site holds, path by path (SHA-256 and
//! size), kept at the target beside the site as [`MANIFEST_FILE`].
//!
//! It is how a deploy knows what to upload and what to delete without
//! reading the target's files, and how `verify` knows what should be there.
//! It is written in one canonical form (paths sorted, no time stamps), so
//! that the same site always gives the same bytes, and so the same digest.
//!
//! A manifest read from a target is not trusted: every path in it must stay
//! inside the target ([`SitePath`]), or the whole manifest is refused.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use crate::folders::MANIFEST_FILE;

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Sum(pub [u8; 32]);

impl Sha256Sum {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Sha256Sum {
        Sha256Sum(Sha256::digest(bytes).into())
    }

    /// Reads 64 lowercase or uppercase hex digits.
    pub fn parse(hex: &str) -> Option<Sha256Sum> {
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Sha256Sum(out))
    }

    /// The first twelve hex digits, enough for a person to compare.
    pub fn short(&self) -> String {
        self.to_string()[..12].to_string()
    }
}

impl fmt::Display for Sha256Sum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Sha256Sum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", self.short())
    }
}

/// A file's path inside a deployed site: `/`-separated, relative, and
/// unable to leave the site's folder or prefix.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SitePath(String);

impl SitePath {
    /// Accepts a path only if it names a file inside the site: no empty,
    /// `.` or `..` segment, no leading `/`, no `\`, no control character,
    /// no hidden segment (`.git`), and not the manifest itself.
    pub fn parse(path: &str) -> Result<SitePath, String> {
        let bad = |why: &str| Err(format!("“{path}” {why}"));
        if path.is_empty() {
            return bad("是空的");
        }
        if path.starts_with('/') || path.contains('\\') || path.contains(':') {
            return bad("不是发布目录里的相对路径");
        }
        if path.chars().any(char::is_control) {
            return bad("含有控制字符");
        }
        for segment in path.split('/') {
            match segment {
                "" => return bad("含有空的一段（//）"),
                "." | ".." => return bad("跑出了发布目录"),
                s if s.starts_with('.') => return bad("是隐藏文件"),
                _ => {}
            }
        }
        if path == MANIFEST_FILE {
            return bad("是清单文件本身");
        }
        Ok(SitePath(path.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A page (HTML), uploaded after the files pages refer to.
    pub fn is_page(&self) -> bool {
        let lower = self.0.to_ascii_lowercase();
        lower.ends_with(".html") || lower.ends_with(".htm")
    }
}

impl fmt::Display for SitePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SitePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// One file of the site as deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub sha256: Sha256Sum,
    pub size: u64,
}

/// Every file of a deployed site, and the files a deploy still has to
/// delete (when it was cut off before it finished deleting).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeMap<SitePath, Entry>,
    /// Files of an earlier deploy that this one no longer has and that may
    /// still be at the target; the next deploy deletes them.
    pub retired: Vec<SitePath>,
}

/// The manifest as written: JSON, sorted.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    format: u32,
    generator: String,
    files: BTreeMap<String, WrittenEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    retired: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenEntry {
    sha256: String,
    size: u64,
}

const FORMAT: u32 = 1;

impl Manifest {
    /// The canonical bytes: the same manifest always gives the same ones.
    pub fn to_bytes(&self) -> Vec<u8> {
        let written = Written {
            format: FORMAT,
            generator: "gongkai".to_string(),
            files: self
                .files
                .iter()
                .map(|(p, e)| {
                    let entry = WrittenEntry {
                        sha256: e.sha256.to_string(),
                        size: e.size,
                    };
                    (p.0.clone(), entry)
                })
                .collect(),
            retired: self.retired.iter().map(|p| p.0.clone()).collect(),
        };
        let mut bytes = serde_json::to_vec_pretty(&written).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// The digest of the canonical bytes: what the 发布记录 keeps.
    pub fn digest(&self) -> Sha256Sum {
        Sha256Sum::of(&self.to_bytes())
    }

    /// Reads a manifest found at a target. Every path must stay inside the
    /// target; otherwise the whole manifest is refused.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        let written: Written = serde_json::from_slice(bytes)
            .map_err(|e| format!("不是 gongkai 的清单（第 {} 行：{e}）", e.line()))?;
        if written.format != FORMAT {
            return Err(format!(
                "清单格式 {} 不认识（这个版本的 gongkai 写的是 {FORMAT}）",
                written.format
            ));
        }
        let mut files = BTreeMap::new();
        for (path, entry) in written.files {
            let path = SitePath::parse(&path)?;
            let sha256 = Sha256Sum::parse(&entry.sha256)
                .ok_or_else(|| format!("“{path}” 的 sha256 不是 64 位十六进制数"))?;
            files.insert(
                path,
                Entry {
                    sha256,
                    size: entry.size,
                },
            );
        }
        let retired = written
            .retired
            .iter()
            .map(|p| SitePath::parse(p))
            .collect::<Result<_, _>>()?;
        Ok(Manifest { files, retired })
    }

    /// The manifest without its list of files still to delete: what a
    /// finished deploy leaves.
    pub fn settled(&self) -> Manifest {
        Manifest {
            files: self.files.clone(),
            retired: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(files: &[(&str, &[u8])]) -> Manifest {
        Manifest {
            files: files
                .iter()
                .map(|(p, b)| {
                    let entry = Entry {
                        sha256: Sha256Sum::of(b),
                        size: b.len() as u64,
                    };
                    (SitePath::parse(p).unwrap(), entry)
                })
                .collect(),
            retired: Vec::new(),
        }
    }

    #[test]
    fn a_manifest_reads_back_as_written_and_digests_stably() {
        let m = manifest(&[("index.html", b"home"), ("assets/a.css", b"css")]);
        let bytes = m.to_bytes();
        assert_eq!(Manifest::parse(&bytes).unwrap(), m);
        assert_eq!(
            m.digest(),
            manifest(&[("assets/a.css", b"css"), ("index.html", b"home")]).digest()
        );
        assert_ne!(m.digest(), manifest(&[("index.html", b"home!")]).digest());
        assert_eq!(
            Sha256Sum::of(b"abc").to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        for bad in [
            "../etc/passwd",
            "a/../../b",
            "/etc/passwd",
            "a//b",
            "a\\..\\b",
            "C:/x",
            ".git/config",
            "a/./b",
            "",
            "gongkai-manifest.json",
            "a\nb",
        ] {
            assert!(SitePath::parse(bad).is_err(), "{bad:?}");
        }
        for good in ["index.html", "notices/a-b/index.html", "files/通报.pdf"] {
            assert!(SitePath::parse(good).is_ok(), "{good}");
        }
        let hostile =
            br#"{"format":1,"generator":"x","files":{"../../x":{"sha256":"00","size":1}}}"#;
        assert!(Manifest::parse(hostile).unwrap_err().contains("跑出"));
    }
}
