//! `serve`'s second half, as a value of its own: what depends on every
//! notice (stage 3, the search index; stage 4's open data, feed and
//! sitemap), the notices' attachments and the static files, which `serve` writes on a thread of its
//! own while the pipeline goes on with the next edits' pages.

use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::model::{Site, Texts};
use crate::output::Sink;
use crate::render::{self, Pieces, Templates, Theme};
use crate::search::{LiveIndex, SearchIndex};

/// The search index of `site`, when it has search.
pub(super) fn search_index(site: &Site, texts: Texts) -> Option<SearchIndex> {
    site.config.search.then(|| SearchIndex::build(site, texts))
}

pub(super) fn write_search_index(
    index: &SearchIndex,
    out: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    index.write(out).map_err(|e| vec![render::write_error(e)])
}

/// What `serve` keeps of the site-wide files it wrote last, so that the
/// next refresh does again only what the edits since changed: the search
/// index, patched, and the pieces of the large open data files.
#[derive(Debug)]
pub struct Kept {
    search: LiveIndex,
    pieces: Pieces,
}

impl Default for Kept {
    fn default() -> Kept {
        Kept {
            search: LiveIndex::default(),
            pieces: Pieces::kept(),
        }
    }
}

/// What depends on every notice (the search index, open data, feed,
/// sitemap), the attachments and the static files: `serve`'s second
/// half, which it runs beside the next edits' pages.
pub struct SiteWide {
    theme: Arc<(Theme, Templates)>,
    /// The site's folder, where the attachments are read.
    root: PathBuf,
}

impl SiteWide {
    pub(super) fn new(theme: Arc<(Theme, Templates)>, root: PathBuf) -> SiteWide {
        SiteWide { theme, root }
    }

    /// Writes the files of `site`, asking `go_on` between them whether they
    /// are still wanted; returns whether it wrote them all. The search
    /// index goes whole into `whole`, so that no query mixes two versions
    /// of it; the other files, each whole in itself, into `files`, which
    /// may refuse them once they are no longer wanted. What was written
    /// there last is `kept`, and is done again only where it changed.
    pub fn write(
        &self,
        site: &Site,
        texts: Texts,
        kept: &mut Kept,
        whole: &dyn Sink,
        files: &dyn Sink,
        go_on: &dyn Fn() -> bool,
    ) -> Result<bool, Vec<Diagnostic>> {
        let (theme, templates) = &*self.theme;
        if !go_on() {
            return Ok(false);
        }
        if site.config.search {
            kept.search
                .write(site, texts, whole)
                .map_err(|e| vec![render::write_error(e)])?;
        } else {
            kept.search.forget();
        }
        if !go_on() {
            return Ok(false);
        }
        render::write_exports(site, theme, templates, files, &kept.pieces)?;
        render::copy_attachments(site, &self.root, files)?;
        if !go_on() {
            return Ok(false);
        }
        render::copy_statics(theme, files)?;
        Ok(go_on())
    }

    /// Whether `rel` is one of the static files it copies.
    pub fn is_static(&self, rel: &str) -> bool {
        self.theme.0.statics.contains_key(rel)
    }
}
