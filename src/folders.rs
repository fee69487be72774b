//! The files and folders of a site, named once: the loader, the theme,
//! the build and the watcher of `serve` all ask here.
//!
//! ```text
//! site.yaml   content/   templates/   static/   themes/<name>/{templates,static}/   public/
//! 发布记录.csv (the deploy log)
//! .gongkai/ (kept between runs: the link cache of `check --external`)
//! ```
//!
//! A deployed site also holds [`MANIFEST_FILE`] at its top.

use std::path::Path;

/// The site's configuration, at the root.
pub const CONFIG_FILE: &str = "site.yaml";
/// The notices: Markdown files, in any sub-folders.
pub const CONTENT: &str = "content";
/// The site's own templates, which override the theme's.
pub const TEMPLATES: &str = "templates";
/// Files copied to the output as they are (also inside a theme).
pub const STATIC: &str = "static";
/// Themes, one folder each.
pub const THEMES: &str = "themes";
/// The default output folder.
pub const PUBLIC: &str = "public";
/// The deploy log (发布记录): one line per deploy, appended, meant to be
/// kept in git beside the site.
pub const DEPLOY_LOG: &str = "发布记录.csv";
/// The manifest a deploy keeps at its target, at the top of the site.
pub const MANIFEST_FILE: &str = "gongkai-manifest.json";
/// What gongkai keeps between runs for the site (not part of it): the
/// links `check --external` found good lately. Hidden, so that no command
/// reads it as content.
pub const STATE: &str = ".gongkai";
/// The file in [`STATE`] of the links found good lately.
pub const LINK_CACHE: &str = "external-links.json";

/// The folders under the root whose changes `serve` follows.
pub const WATCHED: [&str; 4] = [CONTENT, TEMPLATES, THEMES, STATIC];

/// What part of the site a path (relative to the root) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Config,
    Content,
    /// A template of the site or of a theme.
    Templates,
    /// A static file of the site or of a theme.
    Static,
    /// Anything else: the output, `target/`, a README.
    Other,
}

impl Part {
    /// Sorts a path relative to the site root.
    pub fn of(rel: &Path) -> Part {
        let mut parts = rel.components().map(|c| c.as_os_str());
        let Some(first) = parts.next() else {
            return Part::Other;
        };
        match first.to_str() {
            Some(CONFIG_FILE) => Part::Config,
            Some(CONTENT) => Part::Content,
            Some(TEMPLATES) => Part::Templates,
            Some(STATIC) => Part::Static,
            // themes/<name>/static/... and themes/<name>/templates/...
            Some(THEMES) => match parts.nth(1).and_then(|p| p.to_str()) {
                Some(STATIC) => Part::Static,
                _ => Part::Templates,
            },
            _ => Part::Other,
        }
    }
}

/// Hidden files, and the temporary files that editors and tools leave
/// beside the real ones while they save: none of them is part of the site.
/// (Vim: `.a.swp`, `a~`, `4913`; Emacs: `.#a`, `#a#`; JetBrains:
/// `___jb_`; Office and WPS: `~$a`, `.~lock`; gedit: `.goutputstream-`;
/// Kate: `.kate-swp`; `sed -i`: `sedAbC123`; downloads: `.crdownload`,
/// `.part`; others: `.tmp`, `.bak`, `.orig`.)
pub fn is_ignored(name: &str) -> bool {
    const SUFFIXES: [&str; 10] = [
        "~",
        ".swp",
        ".swx",
        ".swo",
        ".tmp",
        ".bak",
        ".orig",
        ".kate-swp",
        ".crdownload",
        ".part",
    ];
    name.starts_with('.')
        || name.starts_with("~$")
        || (name.starts_with('#') && name.ends_with('#'))
        || SUFFIXES.iter().any(|s| name.ends_with(s))
        || name.contains("___jb_")
        || name == "4913"
        || is_sed_temp(name)
}

/// `sed -i` writes `sed` and six random letters or digits, then renames.
fn is_sed_temp(name: &str) -> bool {
    name.len() == 9
        && name.starts_with("sed")
        && name[3..].bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sorted_by_part() {
        for (path, part) in [
            ("site.yaml", Part::Config),
            ("content/notices/a.md", Part::Content),
            ("templates/notice.html", Part::Templates),
            ("static/files/a.pdf", Part::Static),
            ("themes/default/static/assets/gongkai.css", Part::Static),
            ("themes/default/templates/base.html", Part::Templates),
            ("public/index.html", Part::Other),
            ("", Part::Other),
        ] {
            assert_eq!(Part::of(Path::new(path)), part, "{path}");
        }
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".a.md.swp",
            "a.md~",
            ".#a.md",
            "4913",
            "a.md___jb_tmp___",
            "~$通报.md",
            "sedX4kP9z",
            "#a.md#",
            ".goutputstream-ABC123",
            ".~lock.a.docx#",
            "a.md.kate-swp",
            "a.md.bak",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["2021-通报.md", "sed.md", "sedimentary.md", "a.md"] {
            assert!(!is_ignored(name), "{name}");
        }
    }
}
