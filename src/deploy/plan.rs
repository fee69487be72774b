//! The plan of a deploy: what the target has (its manifest) against what
//! the build made, as 新增 (added), 修改 (changed) and 删除 (removed), shown
//! to the user before anything is changed.

use std::fmt;

use super::manifest::{Manifest, SitePath};

/// What a deploy will do to its target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files the target does not have.
    pub added: Vec<SitePath>,
    /// Files the target has with other bytes.
    pub changed: Vec<SitePath>,
    /// Files the target has (or may still have) that the site no longer has.
    pub removed: Vec<SitePath>,
    /// Files the target already has as they are.
    pub unchanged: usize,
    /// The target had no manifest: nothing was deployed there yet.
    pub first: bool,
}

/// How many paths of each kind the plan shows; the rest are counted.
const SHOWN: usize = 20;

impl Plan {
    /// From the target's manifest (`None` when it has none) to `new`.
    pub fn between(old: Option<&Manifest>, new: &Manifest) -> Plan {
        let empty = Manifest::default();
        let old_manifest = old.unwrap_or(&empty);
        let mut plan = Plan {
            first: old.is_none(),
            ..Plan::default()
        };
        for (path, entry) in &new.files {
            match old_manifest.files.get(path) {
                None => plan.added.push(path.clone()),
                Some(was) if was != entry => plan.changed.push(path.clone()),
                Some(_) => plan.unchanged += 1,
            }
        }
        let gone = old_manifest
            .files
            .keys()
            .chain(&old_manifest.retired)
            .filter(|p| !new.files.contains_key(*p));
        plan.removed = gone.cloned().collect();
        plan.removed.sort();
        plan.removed.dedup();
        plan
    }

    /// Files to upload: the assets first, then the pages that use them.
    pub fn uploads(&self) -> Vec<SitePath> {
        ordered(self.added.iter().chain(&self.changed))
    }

    /// Nothing to upload and nothing to delete.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Assets (what pages refer to) first, then pages; each sorted.
pub fn ordered<'a>(paths: impl Iterator<Item = &'a SitePath>) -> Vec<SitePath> {
    let mut paths: Vec<SitePath> = paths.cloned().collect();
    paths.sort_by(|a, b| (a.is_page(), a).cmp(&(b.is_page(), b)));
    paths
}

impl fmt::Display for Plan {
    /// `新增 3 个文件，修改 1 个，删除 0 个，不变 120 个`, then the paths.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "新增 {} 个文件，修改 {} 个，删除 {} 个，不变 {} 个",
            self.added.len(),
            self.changed.len(),
            self.removed.len(),
            self.unchanged
        )?;
        for (label, paths) in [
            ("新增", &self.added),
            ("修改", &self.changed),
            ("删除", &self.removed),
        ] {
            for path in paths.iter().take(SHOWN) {
                writeln!(f, "  {label}  {path}")?;
            }
            if paths.len() > SHOWN {
                writeln!(f, "  {label}  ……另有 {} 个", paths.len() - SHOWN)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::manifest::{Entry, Sha256Sum};

    fn manifest(files: &[(&str, &str)]) -> Manifest {
        Manifest {
            files: files
                .iter()
                .map(|(p, text)| {
                    let entry = Entry {
                        sha256: Sha256Sum::of(text.as_bytes()),
                        size: text.len() as u64,
                    };
                    (SitePath::parse(p).unwrap(), entry)
                })
                .collect(),
            retired: Vec::new(),
        }
    }

    #[test]
    fn a_plan_sorts_files_into_added_changed_and_removed() {
        let old = manifest(&[("index.html", "a"), ("old.html", "x"), ("s.css", "c")]);
        let new = manifest(&[
            ("index.html", "b"),
            ("n/index.html", "n"),
            ("s.css", "c"),
            ("z.js", "z"),
        ]);
        let plan = Plan::between(Some(&old), &new);
        let names = |v: &[SitePath]| v.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        assert_eq!(names(&plan.added), ["n/index.html", "z.js"]);
        assert_eq!(names(&plan.changed), ["index.html"]);
        assert_eq!(names(&plan.removed), ["old.html"]);
        assert_eq!(plan.unchanged, 1);
        assert_eq!(
            names(&plan.uploads()),
            ["z.js", "index.html", "n/index.html"]
        );
        assert!(!plan.first);
        let text = plan.to_string();
        assert!(
            text.starts_with("新增 2 个文件，修改 1 个，删除 1 个，不变 1 个"),
            "{text}"
        );
        assert!(text.contains("删除  old.html"));
    }

    #[test]
    fn files_left_by_an_unfinished_delete_are_deleted_next_time() {
        let mut old = manifest(&[("index.html", "a")]);
        old.retired = vec![SitePath::parse("gone.html").unwrap()];
        let plan = Plan::between(Some(&old), &manifest(&[("index.html", "a")]));
        assert_eq!(plan.removed, [SitePath::parse("gone.html").unwrap()]);
        assert!(!plan.is_empty());
    }
}
