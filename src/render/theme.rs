//! Themes: templates and static files, from the site, its theme folder, or
//! the default theme compiled into the binary.
//!
//! Lookup order, later wins: the theme's templates (`themes/<name>/` when the
//! site has that folder, else the built-in default), then the site's own
//! `templates/`. Static files: the theme's `static/`, then the site's. A
//! theme of its own is laid over the built-in templates, so that a template
//! it lacks (a page added to gongkai after the theme was written, or the
//! feed) comes from the built-in theme, inside the theme's own `base.html`,
//! with the built-in static files it links (the notice-board sheet's
//! `board.css`) unless the theme has its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::{Code, Diagnostic};
use crate::files;
use crate::folders::{CONFIG_FILE, STATIC, TEMPLATES, THEMES};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// How the built-in theme is named in messages.
pub const BUILTIN: &str = "<内置默认主题>";

/// A template's text and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub text: String,
    /// The file, as shown in error messages.
    pub origin: PathBuf,
}

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Builtin(&'static [u8]),
    File(PathBuf),
}

/// Everything a theme contributes.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`notice.html`) → source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Output path (`assets/style.css`) → source.
    pub statics: BTreeMap<String, StaticSource>,
}

impl Theme {
    /// Collects the templates and static files for the site at `root`;
    /// every file that cannot be used (a link out of the site, a template
    /// that is not UTF-8) is an error.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        let mut errors = Vec::new();
        let dir = Path::new(THEMES).join(name);
        let own = root.join(&dir).is_dir();
        if own {
            theme.add_builtin(Builtin::Templates);
            theme.add_dir(root, &dir, &mut errors);
        } else if name == "default" {
            theme.add_builtin(Builtin::All);
        } else {
            errors.push(
                Diagnostic::error(
                    Code::Theme,
                    CONFIG_FILE,
                    format!("找不到主题“{name}”：没有文件夹 {}", dir.display()),
                )
                .help("删掉 site.yaml 里的 theme 一行即可使用内置的默认主题。"),
            );
        }
        theme.add_dir(root, Path::new(""), &mut errors);
        if own {
            theme.add_linked_statics();
        }
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }

    /// Adds the built-in theme, or the part of it every theme gets.
    fn add_builtin(&mut self, part: Builtin) {
        let all = part == Builtin::All;
        for file in files_of(&DEFAULT_THEME) {
            let path = file.path();
            let Ok(rel) = path
                .strip_prefix(TEMPLATES)
                .or_else(|_| path.strip_prefix(STATIC))
            else {
                continue;
            };
            let key = slash_path(rel);
            if path.starts_with(TEMPLATES) {
                if let Some(text) = file.contents_utf8() {
                    self.templates.insert(
                        key,
                        TemplateSource {
                            text: text.to_string(),
                            origin: Path::new(BUILTIN).join(path),
                        },
                    );
                }
            } else if all {
                self.statics
                    .insert(key, StaticSource::Builtin(file.contents()));
            }
        }
    }

    /// Adds, under a theme of its own, the built-in static files that the
    /// built-in templates it uses link (`board.html` its `board.css`),
    /// where neither the theme nor the site has one: a page the theme
    /// does not make is then styled as the built-in theme styles it.
    fn add_linked_statics(&mut self) {
        let builtin_templates: Vec<&str> = self
            .templates
            .values()
            .filter(|t| t.origin.starts_with(BUILTIN))
            .map(|t| t.text.as_str())
            .collect();
        for file in files_of(&DEFAULT_THEME) {
            let Ok(rel) = file.path().strip_prefix(STATIC) else {
                continue;
            };
            let key = slash_path(rel);
            if !self.statics.contains_key(&key)
                && builtin_templates.iter().any(|t| t.contains(key.as_str()))
            {
                self.statics
                    .insert(key, StaticSource::Builtin(file.contents()));
            }
        }
    }

    /// The output paths of the static files read from `sources` (paths
    /// relative to `root`, as the watcher reports them).
    pub fn statics_read_from<'a>(
        &'a self,
        root: &'a Path,
        sources: &'a [PathBuf],
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.statics
            .iter()
            .filter(move |(_, source)| match source {
                StaticSource::File(path) => sources.iter().any(|s| root.join(s) == *path),
                StaticSource::Builtin(_) => false,
            })
            .map(|(rel, _)| rel.as_str())
    }

    /// Adds the `templates/` and `static/` of the folder `dir` (relative
    /// to `root`: a theme's folder, or the site itself).
    fn add_dir(&mut self, root: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) {
        let templates = dir.join(TEMPLATES);
        let (files, found) = files::walk(root, &templates);
        errors.extend(found);
        for origin in files {
            let key = key_of(&origin, &root.join(&templates), root);
            match files::read(root, &origin).and_then(|bytes| files::decode(&origin, bytes)) {
                Ok(text) => {
                    self.templates.insert(key, TemplateSource { text, origin });
                }
                Err(d) => errors.push(d),
            }
        }
        let statics = dir.join(STATIC);
        let (files, found) = files::walk(root, &statics);
        errors.extend(found);
        for rel in files {
            let key = key_of(&rel, &root.join(&statics), root);
            self.statics.insert(key, StaticSource::File(root.join(rel)));
        }
    }
}

/// How much of the built-in theme a site gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Builtin {
    /// Everything: the site uses the default theme.
    All,
    /// Only the templates, under a theme of its own.
    Templates,
}

fn files_of(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(files_of(sub));
    }
    files
}

/// The key of a file found under `dir`: its path inside it, `a/b.css`.
fn key_of(rel: &Path, dir: &Path, root: &Path) -> String {
    let full = root.join(rel);
    slash_path(full.strip_prefix(dir).unwrap_or(rel))
}

/// A relative path with `/` separators on every platform.
fn slash_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
