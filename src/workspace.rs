//! A site kept in memory between builds, for `gongkai serve`.
//!
//! It runs the same stages as `build`, but remembers what it can: every
//! notice as last read, its compiled Markdown, the theme, and a fingerprint
//! of each page it wrote. A change then costs only what it touches:
//!
//! - a notice edited: that file is read again and compiled again; the site
//!   model (indexes, totals) is rebuilt, which is quick; and only the pages
//!   whose fingerprint changed are rendered (that notice's page, its
//!   neighbours, the lists, categories, organization and tags that show
//!   it, the dashboard);
//! - a template: every page is rendered, nothing is read again;
//! - `site.yaml`: everything is loaded again;
//! - a static file: the static files are copied again (only changed ones
//!   are written).
//!
//! Open data, feed, sitemap and the search index depend on every notice;
//! they are written by [`Workspace::finish`], which `serve` calls right
//! after it told the browser to reload. What the workspace writes is what
//! `build` writes: both use the same stages and the same inputs.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::content::Notice;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{self, CONTENT_DIR};
use crate::output::{FolderPass, Sink, remove_file};
use crate::render::{self, Page, Templates, Theme, pages};
use crate::search::SearchIndex;
use crate::site::{CompileCache, Publish, Site};

/// What changed on disk, sorted by what it means for the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub config: bool,
    pub templates: bool,
    /// Static files (of the site or the theme) that changed.
    pub statics: Vec<PathBuf>,
    /// Paths under `content/` that changed: files or whole folders.
    pub content: Vec<PathBuf>,
}

impl Changes {
    /// Sorts changed paths (absolute, or relative to `root`).
    pub fn of(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if load::is_ignored(&name) {
                continue;
            }
            let first = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            match first.as_deref() {
                Some(CONFIG_FILE) => changes.config = true,
                Some(CONTENT_DIR) => changes.content.push(rel),
                Some("templates") => changes.templates = true,
                Some("static") => changes.statics.push(rel),
                Some("themes")
                    if rel
                        .components()
                        .nth(2)
                        .is_some_and(|c| c.as_os_str() == "static") =>
                {
                    changes.statics.push(rel)
                }
                Some("themes") => changes.templates = true,
                _ => {}
            }
        }
        changes.content.sort();
        changes.content.dedup();
        changes
    }

    pub fn is_empty(&self) -> bool {
        self == &Changes::default()
    }
}

/// What a browser showing the site should do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing it shows changed.
    Unchanged,
    /// Pages changed (this many were written): reload.
    Reload { pages: usize },
    /// Only these stylesheets (output paths) changed.
    Stylesheets(Vec<String>),
    /// The site has errors; the last good pages stay.
    Failed(Diagnostics),
}

/// How the workspace builds.
#[derive(Debug, Clone)]
pub struct WorkspaceOptions {
    pub root: PathBuf,
    /// Where the site is written (a folder of the workspace's own).
    pub output: PathBuf,
    pub drafts: bool,
}

/// A notice file as last read: the notice, or its errors.
type FileState = Result<Arc<Notice>, Vec<Diagnostic>>;

/// The loaded site and what was written of it.
pub struct Workspace {
    options: WorkspaceOptions,
    config: Option<SiteConfig>,
    theme: Option<Theme>,
    templates: Option<Templates>,
    /// Every notice file, as last read: the notice, or its errors.
    files: BTreeMap<PathBuf, FileState>,
    cache: CompileCache,
    site: Option<Site>,
    /// The fingerprint of each page in the output.
    pages: FxHashMap<String, u64>,
    /// The other files in the output: open data, search, static files.
    others: HashSet<String>,
    /// Errors of configuration and templates (notices keep their own).
    setup_errors: Vec<Diagnostic>,
    /// Whether the files that depend on every notice are out of date.
    stale: bool,
}

impl Workspace {
    /// Loads the site and writes it all.
    pub fn open(options: WorkspaceOptions) -> (Workspace, Outcome) {
        let mut ws = Workspace {
            options,
            config: None,
            theme: None,
            templates: None,
            files: BTreeMap::new(),
            cache: CompileCache::default(),
            site: None,
            pages: FxHashMap::default(),
            others: HashSet::new(),
            setup_errors: Vec::new(),
            stale: true,
        };
        let outcome = ws.reload();
        if !matches!(outcome, Outcome::Failed(_)) {
            ws.finish();
        }
        (ws, outcome)
    }

    /// The folder the site is written to.
    pub fn output(&self) -> &Path {
        &self.options.output
    }

    /// The base URL of the site, if it has one.
    pub fn base_url(&self) -> Option<String> {
        self.config.as_ref().and_then(|c| c.base_url())
    }

    /// The errors of configuration, templates and notice files.
    fn errors(&self) -> Diagnostics {
        let mut all = Diagnostics(self.setup_errors.clone());
        for result in self.files.values() {
            if let Err(ds) = result {
                all.extend(ds.iter().cloned());
            }
        }
        all.0.retain(Diagnostic::is_error);
        all.sort();
        all
    }

    /// Brings the site up to date with `changes`.
    pub fn update(&mut self, changes: &Changes) -> Outcome {
        if changes.config || self.config.is_none() {
            return self.reload();
        }
        let mut reread_theme = changes.templates || !changes.statics.is_empty();
        if !changes.content.is_empty() {
            self.reread_content(&changes.content);
        }
        if reread_theme {
            reread_theme = self.load_theme(changes.templates);
        }
        let rendered_all = changes.templates;
        let outcome = self.rebuild(rendered_all);
        if !changes.statics.is_empty() && !matches!(outcome, Outcome::Failed(_)) {
            let copied = self.copy_statics();
            if outcome == Outcome::Unchanged {
                return match copied {
                    Ok(changed)
                        if !changed.is_empty() && changed.iter().all(|f| f.ends_with(".css")) =>
                    {
                        Outcome::Stylesheets(changed)
                    }
                    Ok(changed) if changed.is_empty() && !reread_theme => Outcome::Unchanged,
                    Ok(_) => Outcome::Reload { pages: 0 },
                    Err(ds) => Outcome::Failed(Diagnostics(ds)),
                };
            }
        }
        outcome
    }

    /// Writes what depends on every notice (open data, feed, sitemap,
    /// search index) and the static files, if they are out of date.
    pub fn finish(&mut self) {
        if !self.stale {
            return;
        }
        let (Some(site), Some(config), Some(theme)) = (&mut self.site, &self.config, &self.theme)
        else {
            return;
        };
        let pass = FolderPass::new(&self.options.output);
        let search = config.search.then(|| SearchIndex::build(site));
        let written = search
            .map_or(Ok(()), |index| {
                index.write(&pass).map_err(|e| {
                    vec![Diagnostic::error(
                        self.options.output.clone(),
                        e.to_string(),
                    )]
                })
            })
            .and_then(|()| render::write_exports(site, &pass))
            .and_then(|()| {
                // Pages are in the output already: a static file may not take their place.
                let pages = &self.pages;
                let guard = Guard {
                    inner: &pass,
                    pages,
                };
                render::copy_statics(theme, &guard)
            });
        let (produced, _) = pass.finish();
        if let Err(ds) = written {
            self.setup_errors.extend(ds);
            return;
        }
        for gone in self.others.difference(&produced) {
            if !self.pages.contains_key(gone) {
                remove_file(&self.options.output, gone);
            }
        }
        self.others = produced;
        self.stale = false;
    }

    /// Loads everything again: configuration, theme, every notice.
    fn reload(&mut self) -> Outcome {
        let root = self.options.root.clone();
        self.setup_errors.clear();
        self.config = match SiteConfig::load(&root) {
            Ok(c) => Some(c),
            Err(ds) => {
                self.setup_errors = ds;
                self.site = None;
                return Outcome::Failed(self.errors());
            }
        };
        self.load_theme(true);
        self.cache = CompileCache::default();
        self.files.clear();
        if let Err(d) = load::discover(&root) {
            self.setup_errors.push(d);
        }
        self.reread_content(&[PathBuf::from(CONTENT_DIR)]);
        self.rebuild(true)
    }

    /// Reads the theme again; with `templates`, compiles them again.
    /// Returns whether it worked.
    fn load_theme(&mut self, templates: bool) -> bool {
        let Some(config) = &self.config else {
            return false;
        };
        self.setup_errors
            .retain(|d| !matches!(d.code, "theme" | "template"));
        match Theme::load(&self.options.root, &config.theme) {
            Ok(theme) => {
                if templates || self.templates.is_none() {
                    match Templates::compile(&theme) {
                        Ok(mut t) => {
                            if let Some(site) = &self.site {
                                t.set_site(site);
                            }
                            self.templates = Some(t);
                            self.pages.clear();
                        }
                        Err(ds) => {
                            self.setup_errors.extend(ds);
                            self.templates = None;
                        }
                    }
                }
                self.theme = Some(theme);
                self.templates.is_some()
            }
            Err(d) => {
                self.setup_errors.push(d);
                self.theme = None;
                false
            }
        }
    }

    /// Reads the notice files under the given paths again (files that are
    /// gone are forgotten; folders are read whole).
    fn reread_content(&mut self, paths: &[PathBuf]) {
        let Some(config) = &self.config else { return };
        let root = &self.options.root;
        let mut read: Vec<PathBuf> = Vec::new();
        for path in paths {
            let full = root.join(path);
            if full.is_dir() || !full.exists() {
                // A folder moved in or out, or removed: forget what was under
                // it and read what is there now.
                self.files.retain(|source, _| !source.starts_with(path));
                if full.is_dir() {
                    let all = load::discover(root).unwrap_or_default();
                    read.extend(all.into_iter().filter(|f| f.starts_with(path)));
                }
            } else if path.extension().is_some_and(|e| e == "md") {
                read.push(path.clone());
            }
        }
        use rayon::prelude::*;
        let loaded: Vec<(PathBuf, FileState)> = read
            .into_par_iter()
            .map(|rel| {
                let result = load::load_file(root, &rel, config).map(|(n, _)| Arc::new(n));
                (rel, result)
            })
            .collect();
        self.files.extend(loaded);
    }

    /// Builds the model and renders the pages that changed (all of them
    /// with `everything`).
    fn rebuild(&mut self, everything: bool) -> Outcome {
        let (Some(config), Some(templates)) = (&self.config, &mut self.templates) else {
            return Outcome::Failed(self.errors());
        };
        if !self.setup_errors.is_empty() || self.files.values().any(Result::is_err) {
            return Outcome::Failed(self.errors());
        }
        let notices: Vec<Arc<Notice>> = self
            .files
            .values()
            .filter_map(|r| r.as_ref().ok().cloned())
            .collect();
        let publish = Publish {
            drafts: self.options.drafts,
        };
        let (site, errors) = Site::build(
            &self.options.root,
            config.clone(),
            notices,
            &[],
            publish,
            &mut self.cache,
        );
        if !errors.is_empty() {
            let mut all = Diagnostics(errors);
            all.sort();
            return Outcome::Failed(all);
        }
        templates.set_site(&site);
        if everything {
            self.pages.clear();
        }
        let all = pages::all(&site);
        let keys: Vec<(Page, String, u64)> = {
            use rayon::prelude::*;
            all.par_iter()
                .map(|p| (*p, p.path(&site), pages::fingerprint(&site, p)))
                .collect()
        };
        let changed: Vec<Page> = keys
            .iter()
            .filter(|(_, path, key)| self.pages.get(path) != Some(key))
            .map(|(p, _, _)| *p)
            .collect();
        let pass = FolderPass::new(&self.options.output);
        if let Err(ds) = render::render_pages(&site, templates, &changed, &pass) {
            return Outcome::Failed(Diagnostics(ds));
        }
        let (_, written) = pass.finish();
        let now: FxHashMap<String, u64> =
            keys.into_iter().map(|(_, path, key)| (path, key)).collect();
        let mut removed = false;
        for gone in self.pages.keys().filter(|p| !now.contains_key(*p)) {
            remove_file(&self.options.output, gone);
            removed = true;
        }
        self.pages = now;
        self.site = Some(site);
        self.stale = true;
        if written.is_empty() && !removed {
            Outcome::Unchanged
        } else {
            Outcome::Reload {
                pages: written.len(),
            }
        }
    }

    /// Copies the static files; returns the ones that changed.
    fn copy_statics(&mut self) -> Result<Vec<String>, Vec<Diagnostic>> {
        let Some(theme) = &self.theme else {
            return Ok(Vec::new());
        };
        let pass = FolderPass::new(&self.options.output);
        let guard = Guard {
            inner: &pass,
            pages: &self.pages,
        };
        render::copy_statics(theme, &guard)?;
        let (_, changed) = pass.finish();
        self.stale = true;
        Ok(changed)
    }
}

/// Passes writes on, but knows the pages already in the output, so that a
/// static file of the same name is refused as `build` refuses it.
struct Guard<'a> {
    inner: &'a FolderPass<'a>,
    pages: &'a FxHashMap<String, u64>,
}

impl Sink for Guard<'_> {
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), crate::output::WriteError> {
        self.inner.write(rel, bytes, what)
    }

    fn contains(&self, rel: &str) -> bool {
        self.pages.contains_key(rel) || self.inner.contains(rel)
    }
}
