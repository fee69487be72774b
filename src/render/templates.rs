//! The theme's templates, compiled by tera, and their mistakes placed in
//! the template file and line where they are.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;

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
        tera.register_filter("safe", safe);
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

/// tera's `safe`, without copying the string it marks: a notice's body
/// and each problem's cause and measures pass through it, megabytes per
/// thousand pages. What it returns is the same as tera's.
fn safe(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if value.as_str().is_some() {
        value.mark_safe()
    } else {
        tera::Value::safe_string(&value.to_string())
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
                format!("模板错误：{}", translate(r.message())),
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
    vec![
        Diagnostic::error(
            Code::Template,
            file,
            format!("模板错误：{}", translate(&message)),
        )
        .help(HELP),
    ]
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

/// Tera's messages that a theme's author meets most, in Chinese; each
/// pattern's `$1`, `$2` are the names it quotes.
const MESSAGES: &[(&str, &str)] = &[
    (
        r"^Variable `(.+?)` is not defined\.\s*Available variables: (.*)$",
        "变量 `$1` 没有定义。可用的变量：$2",
    ),
    (
        r"^Variable `(.+?)` is not defined\.?$",
        "变量 `$1` 没有定义",
    ),
    (
        r"^Variable `(.+?)` exists but its value is undefined$",
        "变量 `$1` 存在，但没有值",
    ),
    (
        r"^Field `(.+?)` is not defined\.\s*Available fields: (.*)$",
        "字段 `$1` 没有定义。可用的字段：$2",
    ),
    (r"^Field `(.+?)` is not defined\.?$", "字段 `$1` 没有定义"),
    (
        r"^Tried to render a variable that is undefined$",
        "要显示的变量没有值",
    ),
    (
        r"^Found (.+) but (?:expected|was expecting) (.+?)\.?$",
        "这里是 $1，应为 $2",
    ),
    (
        r"^Unexpected end of input$",
        "模板没写完就结束了（少了 {% end… %}、%} 或 }}？）",
    ),
    (r"^Unexpected character$", "这里有一个不该出现的字符"),
    (r"^Unclosed component '(.+)'$", "组件 $1 没有结束标签"),
    (
        r"^Closing tag '(.+)' doesn't match opening tag '(.+)'$",
        "结束标签 $1 与开始标签 $2 不配对",
    ),
    (
        r"^Closing comment tag `(.+)` not found$",
        "注释没有结束的 $1",
    ),
    (
        r"^Block `(.+)` not found in template `(.+)`$",
        "模板 $2 里没有块 $1",
    ),
    (
        r"^Iteration not possible on type `(.+)`$",
        "$1 类型的值不能用 for 循环",
    ),
    (r"^Cannot compare `(.+)` with `(.+)`$", "$1 和 $2 不能比较"),
    (
        r"^Math operations can only be done on numbers, found `(.+)`$",
        "只有数字能做算术，这里是 $1",
    ),
    (r"^Argument `(.+)`(.*) missing\.$", "缺少参数 $1$2"),
    (
        r"^Unknown tag(.*)$",
        "没有这个标签$1（或是前面少了结束标签，如 {% endif %}、{% endfor %}）",
    ),
    (r"^Unknown filter(.*)$", "没有这个过滤器$1"),
    (r"^Unknown test(.*)$", "没有这个测试$1"),
    (r"^Unknown function(.*)$", "没有这个函数$1"),
    (r"^Unknown component(.*)$", "没有这个组件$1"),
    (r"^Unknown template(.*)$", "找不到模板$1"),
    (r"^Template '(.+)' not found$", "找不到模板 $1"),
];

/// A message of tera's in Chinese, with tera's own words beside it (the
/// theme's author may search for them); one not in [`MESSAGES`] as tera
/// wrote it.
fn translate(message: &str) -> String {
    static PATTERNS: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        MESSAGES
            .iter()
            .map(|(english, chinese)| {
                let pattern =
                    Regex::new(english).unwrap_or_else(|e| panic!("tera message {english}: {e}"));
                (pattern, *chinese)
            })
            .collect()
    });
    let message = message.trim();
    PATTERNS
        .iter()
        .find(|(pattern, _)| pattern.is_match(message))
        .map_or_else(
            || message.to_string(),
            |(pattern, chinese)| {
                let chinese = pattern.replace(message, *chinese);
                // Tera's first sentence is enough to search for; its list
                // of names is already in the Chinese.
                let english = message.split(". ").next().unwrap_or(message);
                format!("{chinese}（{english}）")
            },
        )
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

#[cfg(test)]
mod tests {
    use super::{safe, translate};

    #[test]
    fn teras_messages_in_chinese_with_teras_words_beside() {
        assert_eq!(
            translate("Variable `notic` is not defined. Available variables: notice, site"),
            "变量 `notic` 没有定义。可用的变量：notice, site（Variable `notic` is not defined）"
        );
        assert_eq!(
            translate("Found `}}` but expected `%}`."),
            "这里是 `}}`，应为 `%}`（Found `}}` but expected `%}`.）"
        );
        assert!(translate("Unknown filter `shout`").starts_with("没有这个过滤器 `shout`（"));
        // A message not in the table is tera's own.
        assert_eq!(translate("Something new"), "Something new");
    }

    #[test]
    fn safe_marks_what_teras_own_marks() {
        let render = |register: bool, value: serde_json::Value| {
            let mut tera = tera::Tera::new();
            tera.autoescape_on([".html"]);
            if register {
                tera.register_filter("safe", safe);
            }
            tera.add_raw_template("t.html", "{{ v | safe }}|{{ v }}")
                .unwrap();
            let mut context = tera::Context::new();
            context.insert("v", &value);
            tera.render("t.html", &context).unwrap()
        };
        let long = "<p>一段比二十一个字节长得多的正文 & 引号\"</p>";
        for value in [
            serde_json::json!(long),
            serde_json::json!("<b>"),
            serde_json::json!(7230),
            serde_json::json!(["<a>", 1]),
            serde_json::json!({"k": "<v>"}),
            serde_json::Value::Null,
        ] {
            let ours = render(true, value.clone());
            assert_eq!(ours, render(false, value.clone()), "{value}");
        }
        assert_eq!(
            render(true, serde_json::json!(long)).split('|').next(),
            Some(long)
        );
    }
}
