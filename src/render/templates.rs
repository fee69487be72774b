//! The theme's templates, compiled by tera, and their mistakes placed in
//! the template file and line where they are.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;
use tera::{Context, Tera};

use super::theme::{TemplateSource, Theme};
use super::view;
use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic};

/// The templates, compiled, with where each came from.
pub struct Templates {
    tera: Tera,
    origins: HashMap<String, TemplateSource>,
}

/// Bytes set aside for a rendered page: notice and ledger pages are
/// mostly 20–100 KB.
const PAGE_CAPACITY: usize = 128 * 1024;
/// The most a thread's buffer keeps between pages.
const PAGE_KEPT: usize = 4 * 1024 * 1024;

thread_local! {
    /// Each thread's page being rendered.
    static PAGE: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(PAGE_CAPACITY));
}

const HELP: &str =
    "模板语法见 https://keats.github.io/tera/ ；把出错的模板与内置默认主题的同名模板对照。";

impl Templates {
    /// Compiles the theme's templates for the site `config` describes: every
    /// template sees it as `site`.
    pub fn compile(theme: &Theme, config: &SiteConfig) -> Result<Templates, Vec<Diagnostic>> {
        let origins: HashMap<String, TemplateSource> =
            theme.templates.clone().into_iter().collect();
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.register_filter("json_encode", tera_contrib::json::json_encode);
        tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
        let sources = origins
            .iter()
            .map(|(name, src)| (name.as_str(), src.text.as_str()));
        if let Err(e) = tera.add_raw_templates(sources) {
            return Err(errors(&e, &origins, None));
        }
        tera.global_context()
            .insert("site", &view::SiteView::new(config));
        Ok(Templates { tera, origins })
    }

    /// Renders `template` with `data` (a structure whose fields become the
    /// template's variables) to bytes.
    pub fn render<T: Serialize>(&self, template: &str, data: &T) -> Result<Vec<u8>, Diagnostic> {
        self.render_with(template, data, |bytes| Ok(bytes.to_vec()))
    }

    /// Renders `template` with `data` and hands the bytes to `use_bytes`.
    ///
    /// Rendered into this thread's buffer, which keeps its size from page
    /// to page: a buffer of its own for every page costs the allocator
    /// more, and a page written out as it is needs no copy at all. So
    /// `use_bytes` must not render, nor wait for other rayon work (which
    /// could render another page on this thread): it writes.
    pub fn render_with<T: Serialize, R>(
        &self,
        template: &str,
        data: &T,
        use_bytes: impl FnOnce(&[u8]) -> Result<R, Diagnostic>,
    ) -> Result<R, Diagnostic> {
        let first = |e: &tera::Error| {
            let mut all = errors(e, &self.origins, Some(template));
            all.remove(0)
        };
        let context = Context::from_serialize(data).map_err(|e| first(&e))?;
        PAGE.with_borrow_mut(|page| {
            page.clear();
            self.tera
                .render_to(template, &context, &mut *page)
                .map_err(|e| first(&e))?;
            let result = use_bytes(page);
            // A page of megabytes (a year's list) leaves the buffer at
            // its usual size: `serve` keeps its threads.
            if page.capacity() > PAGE_KEPT {
                *page = Vec::with_capacity(PAGE_CAPACITY);
            }
            result
        })
    }
}

/// Where a template came from, as the user knows it.
fn origin(origins: &HashMap<String, TemplateSource>, name: &str) -> PathBuf {
    origins.get(name).map_or_else(
        || PathBuf::from(format!("templates/{name}")),
        |s| s.origin.clone(),
    )
}

/// Turns a tera error into diagnostics on the template files: never fewer
/// than one. `rendering` is the template being rendered, if any.
fn errors(
    e: &tera::Error,
    origins: &HashMap<String, TemplateSource>,
    rendering: Option<&str>,
) -> Vec<Diagnostic> {
    let at_statement = |name: &str, needle: &str, message: String| {
        let d = Diagnostic::error(Code::Template, origin(origins, name), message).help(HELP);
        match origins.get(name) {
            Some(src) => match line_of(&src.text, needle) {
                Some((line, column)) => d.at(line, column).with_source(&src.text),
                None => d,
            },
            None => d,
        }
    };
    let found = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let mut d = Diagnostic::error(
                Code::Template,
                origin(origins, r.filename()),
                format!("模板错误：{}", r.message()),
            )
            .at(span.start_line, span.start_col + 1)
            .help(HELP);
            if let Some(src) = origins.get(r.filename()) {
                d = d.with_source(&src.text);
                if span.start_line == span.end_line {
                    d = d.width(span.end_col.saturating_sub(span.start_col));
                }
            }
            vec![d]
        }
        tera::ErrorKind::CircularExtend { tpl, .. } => vec![at_statement(
            tpl,
            "extends",
            format!("模板错误：{tpl} 继承了它自己（extends 绕成了一个圈）"),
        )],
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            let next = include_chain.get(1).map_or(tpl.as_str(), String::as_str);
            vec![at_statement(
                tpl,
                &format!("\"{next}\""),
                format!(
                    "模板错误：include 绕成了一个圈：{}",
                    include_chain.join(" → ")
                ),
            )]
        }
        tera::ErrorKind::MissingParent { current, parent } => vec![at_statement(
            current,
            &format!("\"{parent}\""),
            format!("模板错误：继承的模板 {parent} 不存在"),
        )],
        tera::ErrorKind::TemplateNotFound(name) => {
            let from = rendering.unwrap_or(name);
            vec![at_statement(
                from,
                &format!("\"{name}\""),
                format!("模板错误：找不到模板 {name}"),
            )]
        }
        _ => reports(&e.to_string(), origins),
    };
    if !found.is_empty() {
        return found;
    }
    let message = e.to_string();
    if message.contains("recursion depth")
        && let Some((name, line)) = self_calling_component(origins)
    {
        let src = &origins[&name];
        return vec![
            Diagnostic::error(
                Code::Template,
                origin(origins, &name),
                "模板错误：组件调用它自己，没有尽头",
            )
            .at(line, 1)
            .with_source(&src.text)
            .help("组件里调用自己时要有结束的条件（例如 {% if … %}），否则会无限展开。"),
        ];
    }
    let file = rendering.map_or_else(|| PathBuf::from("templates"), |t| origin(origins, t));
    vec![Diagnostic::error(Code::Template, file, format!("模板错误：{message}")).help(HELP)]
}

/// The reports tera writes for mistakes found while checking templates
/// ("error: Unknown filter `x`\n --> notice.html:5:19 ..."), one each.
fn reports(text: &str, origins: &HashMap<String, TemplateSource>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.trim_start().strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let Some(place) = line.trim_start().strip_prefix("--> ") {
            let mut parts = place.rsplitn(3, ':');
            let (Some(column), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let (Ok(line), Ok(column)) = (line.parse::<usize>(), column.parse::<usize>()) else {
                continue;
            };
            let text = message.take().unwrap_or_default();
            let mut d = Diagnostic::error(
                Code::Template,
                origin(origins, name),
                format!("模板错误：{}", translate(&text)),
            )
            .at(line, column)
            .help(HELP);
            if let Some(src) = origins.get(name) {
                d = d.with_source(&src.text);
            }
            found.push(d);
        }
    }
    found
}

/// Tera's words for an unknown name, in Chinese.
fn translate(message: &str) -> String {
    for (english, chinese) in [
        ("Unknown filter", "没有这个过滤器"),
        ("Unknown test", "没有这个测试"),
        ("Unknown function", "没有这个函数"),
        ("Unknown component", "没有这个组件"),
        ("Unknown template", "找不到模板"),
    ] {
        if let Some(rest) = message.strip_prefix(english) {
            return format!("{chinese}{rest}");
        }
    }
    message.to_string()
}

/// Line and column of the first statement in `text` holding `needle`.
fn line_of(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let at = line.find(needle)?;
        Some((i + 1, line[..at].chars().count() + 1))
    })
}

/// A component that calls itself, and the line where it is defined.
fn self_calling_component(origins: &HashMap<String, TemplateSource>) -> Option<(String, usize)> {
    let mut names: Vec<&String> = origins.keys().collect();
    names.sort();
    for name in names {
        let text = &origins[name].text;
        for (i, part) in text.split("{% component ").enumerate().skip(1) {
            let component: String = part
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body = part.split("{% endcomponent").next().unwrap_or("");
            if !component.is_empty() && body.contains(&format!("<{component}")) {
                let start: usize = text
                    .split("{% component ")
                    .take(i)
                    .map(str::len)
                    .sum::<usize>()
                    + (i - 1) * "{% component ".len();
                return Some((name.clone(), text[..start].matches('\n').count() + 1));
            }
        }
    }
    None
}
