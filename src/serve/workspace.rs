//! The preview's site, kept in memory between edits: a [`Pipeline`] and
//! what it last wrote into the preview folder.
//!
//! A change costs only what it touches:
//!
//! - a notice edited: the pipeline reads that file again, compiles it again
//!   (the others come from its cache), and builds the model, or takes the
//!   last one when the edit moved the notice in no index; only the pages
//!   whose content changed are written (that notice's page, its neighbours,
//!   the lists, categories, organization and tags that show it, the
//!   dashboard), told apart by a fingerprint of each page's inputs or
//!   context, kept by page (`render::Written`);
//! - a template: every page is rendered, nothing is read again;
//! - `site.yaml`: everything is read again;
//! - a static file: the static files are copied again (only changed ones
//!   are written).
//!
//! The search index, open data, feed, sitemap and static files depend on
//! every notice. [`Workspace::refresh`] hands them over as a [`Refresh`],
//! which `serve` runs on a thread of its own once it told the browser to
//! reload, while the next edits' pages go on ([`super::refresh`]);
//! [`Workspace::finish`] writes them at once. What the workspace writes is
//! what `build` writes: both run the same pipeline.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashSet;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Site, Texts};
use crate::output::{FolderPass, Sink, WriteError, remove_file};
use crate::pipeline::{Changes, Kept, Options, Pipeline, SiteWide};
use crate::render::{self, Written};

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
    site: Option<Arc<Site>>,
    texts: Option<Texts>,
    /// The fingerprint of each page in the output, of the pages of `site`.
    written: Written,
    /// The files the last update made again (whether their bytes changed
    /// or not).
    rendered: HashSet<String>,
    /// Every page must be rendered again (templates or configuration
    /// changed), whatever its fingerprint.
    render_all: bool,
    /// The other files in the output: open data, search, static files
    /// (kept by the refresh that wrote them last).
    others: Arc<Mutex<HashSet<String>>>,
    /// Held while static files are copied: an update and a refresh may
    /// both copy one, through the same file beside it. Counts the updates
    /// that copied them.
    statics: Arc<Mutex<u64>>,
    /// What the last refresh wrote, which the next one patches.
    kept: Arc<Mutex<Kept>>,
    /// Errors of the site-wide files, shown until the next update.
    finish_errors: Vec<Diagnostic>,
}

impl Workspace {
    /// Loads the site and writes it all into `output`.
    pub fn open(options: Options, output: PathBuf) -> (Workspace, Outcome) {
        let mut ws = Workspace {
            pipeline: Pipeline::open_for_serve(options),
            output,
            site: None,
            texts: None,
            written: Written::default(),
            rendered: HashSet::new(),
            render_all: true,
            others: Arc::default(),
            statics: Arc::default(),
            kept: Arc::default(),
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

    /// The files (output paths) the last update made again: those whose
    /// content may have changed, a superset of those written.
    pub fn rendered(&self) -> &HashSet<String> {
        &self.rendered
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
        let copied = self.copy_statics().map(|mut changed| {
            // The last update's refresh copies the static files too, and
            // may have copied this save already: what was saved changed
            // whatever the output holds now.
            changed.extend(self.pipeline.statics_read_from(&changes.statics));
            changed.sort();
            changed.dedup();
            changed
        });
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
        let nothing_known = Written::default();
        let known = if self.render_all {
            &nothing_known
        } else {
            &self.written
        };
        let rendered = match self.pipeline.run_pages(known, &pass) {
            Ok(rendered) => rendered,
            Err(errors) => return Outcome::Failed(errors),
        };
        self.render_all = false;
        let (made, written) = pass.finish();
        self.rendered = made;
        let stale = match &self.site {
            Some(old) => self.written.stale(old, &rendered.written, &rendered.site),
            None => Vec::new(),
        };
        for gone in &stale {
            remove_file(&self.output, gone);
        }
        let last = (
            std::mem::replace(&mut self.written, rendered.written),
            self.site.replace(Arc::new(rendered.site)),
            self.texts.replace(rendered.texts),
        );
        // Freeing the last site (a hundred thousand notices' rows, a
        // quarter of a million pages' fingerprints) is no reason for the
        // browser to wait. (Were no thread to be had, it is freed here.)
        let _ = std::thread::Builder::new().spawn(move || drop(last));
        if written.is_empty() && stale.is_empty() {
            Outcome::Unchanged
        } else {
            Outcome::Reload {
                pages: written.len(),
            }
        }
    }

    /// Writes what depends on every notice (search index, open data, feed,
    /// sitemap) and the static files, if they are out of date, now.
    pub fn finish(&mut self) {
        let Some(refresh) = self.refresh() else {
            return;
        };
        if let Refreshed::Failed(ds) = refresh.run(&AtomicBool::new(false)) {
            self.finish_errors = ds;
        }
    }

    /// What [`Workspace::finish`] would write, to run on another thread:
    /// `None` when the last good site has been handed over already.
    pub fn refresh(&mut self) -> Option<Refresh> {
        let site = self.site.clone()?;
        let texts = self.texts.take()?;
        let site_wide = match self.pipeline.site_wide() {
            Ok(site_wide) => site_wide,
            Err(ds) => {
                self.finish_errors = ds;
                return None;
            }
        };
        let statics_seen = *self.statics.lock().unwrap_or_else(|e| e.into_inner());
        Some(Refresh {
            site_wide,
            site,
            texts,
            output: self.output.clone(),
            others: self.others.clone(),
            statics: self.statics.clone(),
            statics_seen,
            kept: self.kept.clone(),
        })
    }

    /// Errors of the last [`Workspace::finish`].
    pub fn finish_errors(&self) -> &[Diagnostic] {
        &self.finish_errors
    }

    /// Copies the static files; returns the ones that changed.
    fn copy_statics(&mut self) -> Result<Vec<String>, Vec<Diagnostic>> {
        let pass = FolderPass::new(&self.output);
        let pages = PagePaths::of(self.site.as_deref());
        let guard = Guard {
            inner: &pass,
            pages: &pages,
        };
        let mut copying = self.statics.lock().unwrap_or_else(|e| e.into_inner());
        *copying += 1;
        self.pipeline.copy_statics(&guard)?;
        drop(copying);
        let (_, changed) = pass.finish();
        Ok(changed)
    }
}

/// The site-wide files of one good site, to be written.
pub struct Refresh {
    site_wide: SiteWide,
    site: Arc<Site>,
    texts: Texts,
    output: PathBuf,
    others: Arc<Mutex<HashSet<String>>>,
    statics: Arc<Mutex<u64>>,
    /// The updates that had copied the static files when it was made.
    statics_seen: u64,
    kept: Arc<Mutex<Kept>>,
}

/// How a [`Refresh`] ended.
#[derive(Debug)]
pub enum Refreshed {
    /// Every file is that of its site.
    Done,
    /// Stopped when asked, between files.
    Cancelled,
    Failed(Vec<Diagnostic>),
}

impl Refresh {
    /// Writes the files whose bytes changed, and removes those the site no
    /// longer has; stops between files once `cancelled` is set.
    pub fn run(self, cancelled: &AtomicBool) -> Refreshed {
        let pass = FolderPass::new(&self.output);
        // Pages are in the output already: a static file may not take their place.
        let pages = PagePaths::of(Some(&self.site));
        let guard = Guard {
            inner: &pass,
            pages: &pages,
        };
        let refusing = Refusing {
            inner: &guard,
            cancelled,
            site_wide: &self.site_wide,
            statics: &self.statics,
            statics_seen: self.statics_seen,
        };
        let go_on = || !cancelled.load(Ordering::Relaxed);
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let written = self
            .site_wide
            .write(&self.site, self.texts, &mut kept, &guard, &refusing, &go_on);
        drop(kept);
        let (produced, _) = pass.finish();
        let mut others = self.others.lock().unwrap_or_else(|e| e.into_inner());
        match written {
            Ok(true) => {
                for gone in others.difference(&produced) {
                    if !pages.contains(gone) {
                        remove_file(&self.output, gone);
                    }
                }
                *others = produced;
                Refreshed::Done
            }
            // What it wrote is in the output: the next refresh removes it
            // if its site has it no more.
            _ if !go_on() => {
                others.extend(produced);
                Refreshed::Cancelled
            }
            Ok(false) => Refreshed::Cancelled,
            Err(ds) => Refreshed::Failed(ds),
        }
    }
}

/// Refuses every write once the refresh is cancelled: the files already
/// written stay, each whole. Copies a static file only while no update
/// copies one, and keeps the one in the output when an update copied the
/// static files after the refresh was made (its theme is older).
struct Refusing<'a> {
    inner: &'a dyn Sink,
    cancelled: &'a AtomicBool,
    site_wide: &'a SiteWide,
    statics: &'a Mutex<u64>,
    statics_seen: u64,
}

impl Refusing<'_> {
    fn refuse_once_cancelled(&self, rel: &str) -> Result<(), WriteError> {
        match self.cancelled.load(Ordering::Relaxed) {
            true => Err(WriteError::Io {
                path: PathBuf::from(rel),
                source: io::Error::from(io::ErrorKind::Interrupted),
            }),
            false => Ok(()),
        }
    }
}

impl Sink for Refusing<'_> {
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError> {
        self.refuse_once_cancelled(rel)?;
        if !self.site_wide.is_static(rel) {
            return self.inner.write(rel, bytes, what);
        }
        let copied = self.statics.lock().unwrap_or_else(|e| e.into_inner());
        if *copied == self.statics_seen {
            self.inner.write(rel, bytes, what)
        } else {
            self.inner.keep(rel)
        }
    }

    /// Open data, streamed (a static file is never one).
    fn write_parts(
        &self,
        rel: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
        what: &str,
    ) -> Result<(), WriteError> {
        self.refuse_once_cancelled(rel)?;
        self.inner.write_parts(rel, parts, what)
    }

    fn contains(&self, rel: &str) -> bool {
        self.inner.contains(rel)
    }

    fn keep(&self, rel: &str) -> Result<(), WriteError> {
        self.inner.keep(rel)
    }
}

/// The paths of a site's pages (and Word copies), made when first asked:
/// most updates copy no static file, and most refreshes remove none.
struct PagePaths<'a> {
    site: Option<&'a Site>,
    paths: OnceLock<FxHashSet<String>>,
}

impl<'a> PagePaths<'a> {
    fn of(site: Option<&'a Site>) -> PagePaths<'a> {
        PagePaths {
            site,
            paths: OnceLock::new(),
        }
    }

    fn contains(&self, rel: &str) -> bool {
        self.site.is_some_and(|site| {
            self.paths
                .get_or_init(|| render::page_paths(site))
                .contains(rel)
        })
    }
}

/// Passes writes on, but knows the pages already in the output, so that a
/// static file of the same name is refused as `build` refuses it.
struct Guard<'a> {
    inner: &'a dyn Sink,
    pages: &'a PagePaths<'a>,
}

impl Sink for Guard<'_> {
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError> {
        self.inner.write(rel, bytes, what)
    }

    fn write_parts(
        &self,
        rel: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
        what: &str,
    ) -> Result<(), WriteError> {
        self.inner.write_parts(rel, parts, what)
    }

    fn contains(&self, rel: &str) -> bool {
        self.inner.contains(rel) || self.pages.contains(rel)
    }

    fn keep(&self, rel: &str) -> Result<(), WriteError> {
        self.inner.keep(rel)
    }
}
