//! Stage 3, render: one tera context per page, rendered in parallel and
//! handed to the writer as soon as it is ready, so that the HTML of the
//! whole site is never in memory at once.

mod exports;
pub mod pages;
pub mod theme;
pub mod view;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;
use crate::output::{Sink, WriteError};
use crate::search::SearchIndex;
use crate::site::Site;

pub use pages::Page;
pub use theme::{StaticSource, Theme};

/// The templates, compiled, with where each came from.
pub struct Templates {
    tera: Tera,
    origins: HashMap<String, theme::TemplateSource>,
}

/// Templates every theme must provide (the built-in one does).
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
    /// Compiles the theme's templates.
    pub fn compile(theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let origins: HashMap<String, theme::TemplateSource> =
            theme.templates.clone().into_iter().collect();
        let missing: Vec<Diagnostic> = REQUIRED
            .iter()
            .filter(|name| !origins.contains_key(**name))
            .map(|name| {
                Diagnostic::error(format!("templates/{name}"), format!("主题缺少模板 {name}"))
                    .code("template")
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
        Ok(Templates { tera, origins })
    }

    /// Renders `template` with `context` to bytes.
    pub fn render(&self, template: &str, context: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| template_error(&e, &self.origins))?;
        Ok(out)
    }

    /// Sets what every page sees as `site`.
    pub fn set_site(&mut self, site: &Site) {
        self.tera
            .global_context()
            .insert("site", &view::SiteView::new(&site.config));
    }
}

/// Turns a tera error into a diagnostic on the template file.
fn template_error(e: &tera::Error, origins: &HashMap<String, theme::TemplateSource>) -> Diagnostic {
    tera_diagnostic(e, origins).code("template")
}

fn tera_diagnostic(
    e: &tera::Error,
    origins: &HashMap<String, theme::TemplateSource>,
) -> Diagnostic {
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
            let mut d =
                Diagnostic::error(origin(r.filename()), format!("模板错误：{}", r.message()))
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
            origin(current),
            format!("模板错误：继承的模板 {parent} 不存在"),
        )
        .help(help),
        tera::ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error(origin(name), format!("模板错误：找不到模板 {name}")).help(help)
        }
        _ => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                message.push_str(&format!("：{s}"));
                source = s.source();
            }
            Diagnostic::error("templates", format!("模板错误：{message}")).help(help)
        }
    }
}

/// What rendering produced.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderStats {
    pub pages: usize,
}

/// Writes the search index, renders every page and export, and copies the
/// static files. The index goes first and is dropped at once: its texts
/// need not stay in memory while pages are rendered.
pub fn render_site(
    site: &Site,
    search: Option<SearchIndex>,
    theme: &Theme,
    templates: &Templates,
    out: &dyn Sink,
) -> Result<RenderStats, Vec<Diagnostic>> {
    if let Some(Err(e)) = search.map(|index| index.write(out)) {
        return Err(vec![write_error(e)]);
    }
    let all = pages::all(site);
    render_pages(site, templates, &all, out)?;
    write_exports(site, out)?;
    copy_statics(theme, out)?;
    Ok(RenderStats { pages: all.len() })
}

/// Renders `pages` in parallel; reports every error (each once).
pub fn render_pages(
    site: &Site,
    templates: &Templates,
    pages: &[Page],
    out: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let results: Vec<Result<(), Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            let bytes = pages::render(site, templates, page)?;
            out.write(&page.path(site), &bytes, page.kind())
                .map_err(write_error)
        })
        .collect();
    let errors: Vec<Diagnostic> = results.into_iter().filter_map(Result::err).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        let mut ds = crate::diagnostic::Diagnostics(errors);
        ds.sort();
        Err(ds.0)
    }
}

/// Open data, and the feed and sitemap when the site has a base URL.
pub fn write_exports(site: &Site, out: &dyn Sink) -> Result<(), Vec<Diagnostic>> {
    exports::write_all(site, out).map_err(|e| vec![write_error(e)])
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
                        format!("static/{rel}"),
                        format!("静态文件 {rel} 与生成的页面同名"),
                    )
                    .code("static")
                    .help("请给这个文件换个名字或换个文件夹：生成的页面不能被覆盖。"),
                );
            }
            let bytes = match source {
                StaticSource::Builtin(b) => std::borrow::Cow::Borrowed(*b),
                StaticSource::File(path) => match std::fs::read(path) {
                    Ok(b) => std::borrow::Cow::Owned(b),
                    Err(e) => {
                        return Some(
                            Diagnostic::error(path, format!("无法读取静态文件：{e}"))
                                .code("static"),
                        );
                    }
                },
            };
            out.write(rel, &bytes, "static").err().map(write_error)
        })
        .collect()
}

fn write_error(e: WriteError) -> Diagnostic {
    match &e {
        WriteError::Io { path, .. } => Diagnostic::error(path, e.to_string())
            .code("output")
            .help("请检查输出目录的权限和磁盘空间。"),
        WriteError::Duplicate { path, .. } => Diagnostic::error(path, e.to_string())
            .code("duplicate-page")
            .help("两个页面的网址相同：请检查通报的 slug、标签和发布单位名称。"),
    }
}
