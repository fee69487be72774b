//! Stage 4, render: one tera context per page, rendered in parallel and
//! handed to the output [`Sink`] as soon as it is ready, so that the HTML of
//! the whole site is never in memory at once; then the files that are not
//! pages (open data, feed, sitemap) and the static files.

pub mod context;
mod exports;
pub mod pages;
pub mod theme;
pub mod view;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use tera::{Context, Tera};

use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::{Sink, WriteError};

pub use context::PageContext;
pub use pages::Page;
pub use theme::{StaticSource, Theme};

/// The templates, compiled, with where each came from.
pub struct Templates {
    tera: Tera,
    origins: HashMap<String, theme::TemplateSource>,
}

/// Page templates every theme must provide (the built-in one does).
pub const REQUIRED: &[&str] = &[
    "index.html",
    "notices.html",
    "notice.html",
    "archive.html",
    "archive_year.html",
    "categories.html",
    "category.html",
    "organizations.html",
    "organization.html",
    "tags.html",
    "tag.html",
    "404.html",
    "search.html",
];

impl Templates {
    /// Compiles the theme's templates for the site `config` describes: every
    /// template sees it as `site`.
    pub fn compile(theme: &Theme, config: &SiteConfig) -> Result<Templates, Vec<Diagnostic>> {
        let origins: HashMap<String, theme::TemplateSource> =
            theme.templates.clone().into_iter().collect();
        let missing: Vec<Diagnostic> = REQUIRED
            .iter()
            .filter(|name| !origins.contains_key(**name))
            .map(|name| {
                Diagnostic::error(Code::Template, format!("templates/{name}"), format!("主题缺少模板 {name}"))
                    .help("自定义主题要提供所有页面模板；只想改一个页面时，把同名模板放进站点的 templates/ 文件夹即可。")
            })
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.register_filter("json_encode", tera_contrib::json::json_encode);
        tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
        let sources = origins
            .iter()
            .map(|(name, src)| (name.as_str(), src.text.as_str()));
        if let Err(e) = tera.add_raw_templates(sources) {
            return Err(vec![template_error(&e, &origins)]);
        }
        tera.global_context()
            .insert("site", &view::SiteView::new(config));
        Ok(Templates { tera, origins })
    }

    /// Renders `template` with `data` (a structure whose fields become the
    /// template's variables) to bytes.
    pub fn render<T: Serialize>(&self, template: &str, data: &T) -> Result<Vec<u8>, Diagnostic> {
        let context =
            Context::from_serialize(data).map_err(|e| template_error(&e, &self.origins))?;
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, &context, &mut out)
            .map_err(|e| template_error(&e, &self.origins))?;
        Ok(out)
    }
}

/// Turns a tera error into a diagnostic on the template file.
fn template_error(e: &tera::Error, origins: &HashMap<String, theme::TemplateSource>) -> Diagnostic {
    let origin = |name: &str| {
        origins.get(name).map_or_else(
            || PathBuf::from(format!("templates/{name}")),
            |s| s.origin.clone(),
        )
    };
    let help =
        "模板语法见 https://keats.github.io/tera/ ；把出错的模板与内置默认主题的同名模板对照。";
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let mut d = Diagnostic::error(
                Code::Template,
                origin(r.filename()),
                format!("模板错误：{}", r.message()),
            )
            .at(span.start_line, span.start_col + 1)
            .help(help);
            if let Some(src) = origins.get(r.filename()) {
                d = d.with_source(&src.text);
                if span.start_line == span.end_line {
                    d = d.width(span.end_col.saturating_sub(span.start_col));
                }
            }
            d
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            Code::Template,
            origin(current),
            format!("模板错误：继承的模板 {parent} 不存在"),
        )
        .help(help),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            Code::Template,
            origin(name),
            format!("模板错误：找不到模板 {name}"),
        )
        .help(help),
        _ => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                message.push_str(&format!("：{s}"));
                source = s.source();
            }
            Diagnostic::error(Code::Template, "templates", format!("模板错误：{message}"))
                .help(help)
        }
    }
}

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
            out.write(&page.path(site), &bytes, page.kind())
                .map_err(write_error)
        })
        .collect();
    collect_errors(results)
}

/// Renders the pages of `site` whose fingerprint is not the one in
/// `known`; returns every page's path and fingerprint. The fingerprint is
/// made from the very context the page is rendered from.
pub fn render_changed(
    site: &Site,
    templates: &Templates,
    known: &FxHashMap<String, u64>,
    out: &dyn Sink,
) -> Result<FxHashMap<String, u64>, Vec<Diagnostic>> {
    let results: Vec<Result<(String, u64), Diagnostic>> = pages::all(site)
        .par_iter()
        .map(|page| {
            let context = PageContext::new(site, page);
            let fingerprint = context.fingerprint();
            let path = page.path(site);
            if known.get(&path) != Some(&fingerprint) {
                let bytes = context::render(templates, page, &context)?;
                out.write(&path, &bytes, page.kind()).map_err(write_error)?;
            }
            Ok((path, fingerprint))
        })
        .collect();
    let mut now = FxHashMap::default();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((path, fingerprint)) => {
                now.insert(path, fingerprint);
            }
            Err(d) => errors.push(Err(d)),
        }
    }
    collect_errors(errors).map(|()| now)
}

/// Open data, and the feed and sitemap when the site has a base URL.
pub fn write_exports(
    site: &Site,
    templates: &Templates,
    out: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    exports::write_all(site, templates, out)
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
