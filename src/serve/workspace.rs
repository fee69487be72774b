//! The preview's site, kept in memory between edits: a [`Pipeline`] and
//! what it last wrote into the preview folder.
//!
//! A change costs only what it touches:
//!
//! - a notice edited: the pipeline reads that file again, compiles it again
//!   (the others come from its cache), and builds the model; only the pages
//!   whose content changed are written (that notice's page, its neighbours,
//!   the lists, categories, organization and tags that show it, the
//!   dashboard), told apart by a fingerprint of each page's context;
//! - a template: every page is rendered, nothing is read again;
//! - `site.yaml`: everything is read again;
//! - a static file: the static files are copied again (only changed ones
//!   are written).
//!
//! The search index, open data, feed, sitemap and static files depend on
//! every notice; [`Workspace::finish`] writes them, which `serve` calls
//! right after it told the browser to reload. What the workspace writes is
//! what `build` writes: both run the same pipeline.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Site, Texts};
use crate::output::{FolderPass, Sink, WriteError, remove_file};
use crate::pipeline::{Changes, Options, Pipeline};

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

/// The loaded site and what was written of it.
pub struct Workspace {
    pipeline: Pipeline,
    /// The preview folder (the workspace's own).
    output: PathBuf,
    /// The last good site, and its texts until the search stage takes them.
    site: Option<Site>,
    texts: Option<Texts>,
    /// The fingerprint of each page in the output.
    pages: FxHashMap<String, u64>,
    /// Every page must be rendered again (templates or configuration
    /// changed), whatever its fingerprint.
    render_all: bool,
    /// The other files in the output: open data, search, static files.
    others: HashSet<String>,
    /// Errors of the site-wide files, shown until the next update.
    finish_errors: Vec<Diagnostic>,
}

impl Workspace {
    /// Loads the site and writes it all into `output`.
    pub fn open(options: Options, output: PathBuf) -> (Workspace, Outcome) {
        let mut ws = Workspace {
            pipeline: Pipeline::open(options),
            output,
            site: None,
            texts: None,
            pages: FxHashMap::default(),
            render_all: true,
            others: HashSet::new(),
            finish_errors: Vec::new(),
        };
        let outcome = ws.rebuild();
        if !matches!(outcome, Outcome::Failed(_)) {
            ws.finish();
        }
        (ws, outcome)
    }

    /// The folder the site is written to.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// The path the site is mounted at: `/`, or that of its base URL.
    pub fn mount(&self) -> String {
        self.pipeline
            .config()
            .and_then(|c| c.base_url.as_ref())
            .map_or_else(|| "/".to_string(), |u| u.path().to_string())
    }

    /// Brings the site up to date with `changes`.
    pub fn update(&mut self, changes: &Changes) -> Outcome {
        self.finish_errors.clear();
        let reread = self.pipeline.reread(changes);
        // Kept until a build succeeds: a failed one renders nothing.
        self.render_all |= reread.everything;
        let outcome = self.rebuild();
        if !reread.statics || matches!(outcome, Outcome::Failed(_)) {
            return outcome;
        }
        let copied = self.copy_statics();
        match (outcome, copied) {
            (_, Err(ds)) => Outcome::Failed(Diagnostics(ds)),
            (Outcome::Unchanged, Ok(changed))
                if !changed.is_empty() && changed.iter().all(|f| f.ends_with(".css")) =>
            {
                Outcome::Stylesheets(changed)
            }
            (Outcome::Unchanged, Ok(changed)) if changed.is_empty() => Outcome::Unchanged,
            (Outcome::Unchanged, Ok(_)) => Outcome::Reload { pages: 0 },
            (outcome, Ok(_)) => outcome,
        }
    }

    /// Builds the model and writes the pages whose content changed.
    fn rebuild(&mut self) -> Outcome {
        let pass = FolderPass::new(&self.output);
        let nothing_known = FxHashMap::default();
        let known = if self.render_all {
            &nothing_known
        } else {
            &self.pages
        };
        let rendered = match self.pipeline.run_pages(known, &pass) {
            Ok(rendered) => rendered,
            Err(errors) => return Outcome::Failed(errors),
        };
        self.render_all = false;
        let (_, written) = pass.finish();
        let mut removed = false;
        for gone in self
            .pages
            .keys()
            .filter(|p| !rendered.pages.contains_key(*p))
        {
            remove_file(&self.output, gone);
            removed = true;
        }
        self.pages = rendered.pages;
        self.site = Some(rendered.site);
        self.texts = Some(rendered.texts);
        if written.is_empty() && !removed {
            Outcome::Unchanged
        } else {
            Outcome::Reload {
                pages: written.len(),
            }
        }
    }

    /// Writes what depends on every notice (search index, open data, feed,
    /// sitemap) and the static files, if they are out of date.
    pub fn finish(&mut self) {
        let (Some(site), Some(texts)) = (&self.site, self.texts.take()) else {
            return;
        };
        let pass = FolderPass::new(&self.output);
        // Pages are in the output already: a static file may not take their place.
        let guard = Guard {
            inner: &pass,
            pages: &self.pages,
        };
        let written = self.pipeline.finish(site, texts, &guard);
        let (produced, _) = pass.finish();
        if let Err(ds) = written {
            self.finish_errors = ds;
            return;
        }
        for gone in self.others.difference(&produced) {
            if !self.pages.contains_key(gone) {
                remove_file(&self.output, gone);
            }
        }
        self.others = produced;
    }

    /// Errors of the last [`Workspace::finish`].
    pub fn finish_errors(&self) -> &[Diagnostic] {
        &self.finish_errors
    }

    /// Copies the static files; returns the ones that changed.
    fn copy_statics(&mut self) -> Result<Vec<String>, Vec<Diagnostic>> {
        let pass = FolderPass::new(&self.output);
        let guard = Guard {
            inner: &pass,
            pages: &self.pages,
        };
        self.pipeline.copy_statics(&guard)?;
        let (_, changed) = pass.finish();
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
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError> {
        self.inner.write(rel, bytes, what)
    }

    fn contains(&self, rel: &str) -> bool {
        self.pages.contains_key(rel) || self.inner.contains(rel)
    }
}
