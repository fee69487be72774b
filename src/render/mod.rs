//! Stage 4, render: one tera context per page, rendered in parallel and
//! handed to the output [`Sink`] as soon as it is ready, so that the HTML of
//! the whole site is never in memory at once; then the files that are not
//! pages (open data, feed, sitemap; each notice's Word copy, [`word`]) and
//! the static files.

pub mod context;
mod exports;
mod inputs;
pub mod pages;
pub mod stream;
mod templates;
pub mod theme;
pub mod view;
mod word;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::{Sink, WriteError};
use crate::routes;

pub use context::PageContext;
pub use inputs::ListedKeys;
pub use pages::Page;
pub use templates::Templates;
pub use theme::{StaticSource, Theme};
pub use word::word_copies;

/// Renders `pages` in parallel into `out`; reports every error (each
/// once).
pub fn render_pages(
    site: &Site,
    templates: &Templates,
    pages: &[Page],
    out: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let results: Vec<Result<(), Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            let context = PageContext::new(site, page);
            let bytes = context::render(templates, page, &context)?;
            out.write(&page.path(site), &bytes, page.kind().name)
                .map_err(write_error)
        })
        .collect();
    collect_errors(results)
}

/// What `serve` wrote of a site: each page's fingerprint, by the page
/// of that site, and each Word copy's, by its path.
///
/// Pages are known by their [`Page`], not their path: a save checks every
/// page of the site, and making ten thousand paths to look up costs more
/// than the check. A page's fingerprint covers what its path is made of
/// (its notice's slug, its group's slug; the configuration renders every
/// page again when it changes), so a page whose fingerprint is unchanged
/// is still at its path.
#[derive(Debug, Default)]
pub struct Written {
    pub pages: FxHashMap<Page, u64>,
    pub copies: FxHashMap<String, u64>,
}

impl Written {
    /// The paths of the pages of `old` (which wrote `self`) that `new`
    /// (which wrote `now`) has no more: those of the pages that changed or
    /// are gone, less those a changed page of `new` was written to.
    pub fn stale(&self, old: &Site, now: &Written, new: &Site) -> Vec<String> {
        let changed = |a: &Written, b: &Written, site: &Site| -> Vec<String> {
            let pages = a.pages.iter().filter(|(p, f)| b.pages.get(*p) != Some(*f));
            let copies = a
                .copies
                .iter()
                .filter(|(p, f)| b.copies.get(*p) != Some(*f));
            pages
                .map(|(p, _)| p.path(site))
                .chain(copies.map(|(p, _)| p.clone()))
                .collect()
        };
        let written: FxHashSet<String> = changed(now, self, new).into_iter().collect();
        let mut stale = changed(self, now, old);
        stale.retain(|p| !written.contains(p));
        stale
    }
}

/// Every path `render_changed` and `word_copies` write for `site`: what no
/// other file (a static file of the same name) may replace.
pub fn page_paths(site: &Site) -> FxHashSet<String> {
    let pages = pages::all(site).into_iter().map(|p| p.path(site));
    let copies = site.config.word_copies().then(|| {
        site.notices
            .iter()
            .map(|r| routes::notice_word(&r.notice.slug))
    });
    pages.chain(copies.into_iter().flatten()).collect()
}

/// Renders the pages of `site` whose fingerprint is not the one in
/// `known`; returns every page's fingerprint. The fingerprint is made
/// from the very context the page is rendered from, or from what it is
/// made of (`listed` keeps what the last call learnt of the notices).
pub fn render_changed(
    site: &Site,
    templates: &Templates,
    known: &FxHashMap<Page, u64>,
    listed: &mut ListedKeys,
    out: &dyn Sink,
) -> Result<FxHashMap<Page, u64>, Vec<Diagnostic>> {
    let keys = inputs::Keys::new(site, listed);
    let results: Vec<Result<(Page, u64), Diagnostic>> = pages::all(site)
        .into_par_iter()
        .map(|page| {
            // What most pages are made from tells whether they changed
            // without making their context (or their path).
            let inputs = inputs::inputs(site, &page, &keys);
            if let Some(inputs) = inputs
                && known.get(&page) == Some(&inputs)
            {
                return Ok((page, inputs));
            }
            let context = PageContext::new(site, &page);
            let fingerprint = inputs.unwrap_or_else(|| context.fingerprint());
            if known.get(&page) != Some(&fingerprint) {
                let bytes = context::render(templates, &page, &context)?;
                out.write(&page.path(site), &bytes, page.kind().name)
                    .map_err(write_error)?;
            }
            Ok((page, fingerprint))
        })
        .collect();
    let mut now = FxHashMap::with_capacity_and_hasher(results.len(), Default::default());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((page, fingerprint)) => {
                now.insert(page, fingerprint);
            }
            Err(d) => errors.push(Err(d)),
        }
    }
    collect_errors(errors).map(|()| now)
}

pub use exports::Pieces;

/// Open data, and the feed and sitemap when the site has a base URL;
/// `pieces` of open data made before are used again.
pub fn write_exports(
    site: &Site,
    theme: &Theme,
    templates: &Templates,
    out: &dyn Sink,
    pieces: &Pieces,
) -> Result<(), Vec<Diagnostic>> {
    // A `robots.txt` of the site's own replaces the one made here.
    let own_robots = theme.statics.contains_key(routes::ROBOTS);
    exports::write_all(site, templates, out, own_robots, pieces)
}

/// Copies the attachments of every notice beside its page (those of
/// `static/` are published with the static files). Read through the same
/// guard as every file of the site: nothing outside it.
pub fn copy_attachments(
    site: &Site,
    root: &std::path::Path,
    out: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    use crate::content::attachment::AttachmentHome;
    let results: Vec<Result<(), Diagnostic>> = site
        .notices
        .raw
        .par_iter()
        .flat_map_iter(|row| {
            let n = &row.notice;
            n.attachments
                .iter()
                .filter(|a| matches!(a.home, AttachmentHome::Notice(_)))
                .map(move |a| {
                    let bytes = crate::files::read(root, &a.source)?;
                    out.write(&routes::attachment(&n.slug, &a.home), &bytes, "attachment")
                        .map_err(write_error)
                })
        })
        .collect();
    collect_errors(results)
}

/// Copies the theme's and the site's static files (after the pages, so
/// that a static file cannot take a page's place).
pub fn copy_statics(theme: &Theme, out: &dyn Sink) -> Result<(), Vec<Diagnostic>> {
    let errors = static_files(theme, out);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn static_files(theme: &Theme, out: &dyn Sink) -> Vec<Diagnostic> {
    theme
        .statics
        .par_iter()
        .filter_map(|(rel, source)| {
            if out.contains(rel) {
                return Some(
                    Diagnostic::error(
                        Code::Static,
                        format!("static/{rel}"),
                        format!("静态文件 {rel} 与生成的页面同名"),
                    )
                    .help("请给这个文件换个名字或换个文件夹：生成的页面不能被覆盖。"),
                );
            }
            let bytes = match source {
                StaticSource::Builtin(b) => std::borrow::Cow::Borrowed(*b),
                StaticSource::File(path) => match std::fs::read(path) {
                    Ok(b) => std::borrow::Cow::Owned(b),
                    Err(e) => {
                        return Some(Diagnostic::error(
                            Code::Static,
                            path,
                            format!("无法读取静态文件：{e}"),
                        ));
                    }
                },
            };
            out.write(rel, &bytes, "static").err().map(write_error)
        })
        .collect()
}

/// A failure to write, as a diagnostic.
pub fn write_error(e: WriteError) -> Diagnostic {
    match &e {
        WriteError::Io { path, .. } => Diagnostic::error(Code::Output, path, e.to_string())
            .help("请检查输出目录的权限和磁盘空间。"),
        WriteError::NotKept { path } => {
            Diagnostic::error(Code::Output, path, e.to_string()).help("重新运行一次即可完整生成。")
        }
        WriteError::Duplicate { path, .. } => {
            Diagnostic::error(Code::DuplicatePage, path, e.to_string())
                .help("两个页面的网址相同：请检查通报的 slug、标签和发布单位名称。")
        }
    }
}

/// Every error of a parallel pass, sorted.
fn collect_errors(results: Vec<Result<(), Diagnostic>>) -> Result<(), Vec<Diagnostic>> {
    let errors: Vec<Diagnostic> = results.into_iter().filter_map(Result::err).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        let mut ds = Diagnostics(errors);
        ds.sort();
        Err(ds.0)
    }
}
