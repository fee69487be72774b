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
mod written;

use rayon::prelude::*;

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
use written::Known;
pub use written::{Written, page_paths};

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
            context::render_into(site, templates, page, &context, out)
        })
        .collect();
    collect_errors(results)
}

/// Renders the pages of `site` whose fingerprint is not the one in
/// `known` (what the last call returned, for the last site); returns
/// every page's fingerprint, in the site's order. The fingerprint is made
/// from the very context the page is rendered from, or from what it is
/// made of (`listed` keeps what the last call learnt of the notices).
pub fn render_changed(
    site: &Site,
    templates: &Templates,
    known: &[(Page, u64)],
    listed: &mut ListedKeys,
    out: &dyn Sink,
) -> Result<Vec<(Page, u64)>, Vec<Diagnostic>> {
    let keys = inputs::Keys::new(site, listed);
    let all = pages::all(site);
    let known = Known::new(known, all.iter());
    let results: Vec<Result<(Page, u64), Diagnostic>> = all
        .into_par_iter()
        .enumerate()
        .map(|(i, page)| {
            // What most pages are made from tells whether they changed
            // without making their context (or their path).
            let last = known.get(i, &page);
            let inputs = inputs::inputs(site, &page, &keys);
            if let Some(inputs) = inputs
                && last == Some(inputs)
            {
                return Ok((page, inputs));
            }
            let context = PageContext::new(site, &page);
            let fingerprint = inputs.unwrap_or_else(|| context.fingerprint());
            if last != Some(fingerprint) {
                context::render_into(site, templates, &page, &context, out)?;
            }
            Ok((page, fingerprint))
        })
        .collect();
    listed.keep(keys);
    collect_errors_of(results)
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
                    Err(e) => return Some(Diagnostic::io(Code::Static, path, "读取静态文件", &e)),
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
    collect_errors_of(results).map(drop)
}

/// The values of `results`, or every error among them, sorted.
fn collect_errors_of<T>(results: Vec<Result<T, Diagnostic>>) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut values = Vec::with_capacity(results.len());
    let mut errors = Diagnostics::default();
    for r in results {
        match r {
            Ok(v) => values.push(v),
            Err(d) => errors.0.push(d),
        }
    }
    if errors.0.is_empty() {
        Ok(values)
    } else {
        errors.sort();
        Err(errors.0)
    }
}
