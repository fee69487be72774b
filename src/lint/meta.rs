//! The page tags (元数据) of the 政府网站发展指引 (国办发〔2017〕47号): every
//! page a site publishes names the site, its column and the article in
//! `<meta>` tags that the site-cluster platforms and the inspectors' tools
//! read. This lint reads them back from every rendered page and says why
//! one is empty: a setting `site.yaml` leaves out (the 网站标识码, the
//! address), or a template of the site's own that dropped it.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Site;
use crate::render::Theme;
use crate::render::pages::{self, Page};
use crate::yaml::Seg;

use super::site_yaml::SiteYaml;

/// The page tags every page carries.
pub const REQUIRED: [&str; 12] = [
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ColumnType",
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Author",
    "Description",
    "Url",
];

/// `<meta name="X" content="Y">`, in either order of the two attributes.
static META: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?is)<meta\s[^>]*?(?:name\s*=\s*["']([A-Za-z]+)["'][^>]*?content\s*=\s*["']([^"']*)["']|content\s*=\s*["']([^"']*)["'][^>]*?name\s*=\s*["']([A-Za-z]+)["'])"#,
    )
    .expect("a valid pattern")
});

/// The required tags that `html` leaves out or empty, in [`REQUIRED`]'s
/// order.
pub fn missing(html: &str) -> Vec<&'static str> {
    let head = html.find("</head>").map_or(html, |end| &html[..end]);
    let mut present = Vec::new();
    for c in META.captures_iter(head) {
        let (name, content) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(n), Some(v), _, _) | (_, _, Some(v), Some(n)) => (n.as_str(), v.as_str()),
            _ => continue,
        };
        if !content.trim().is_empty() {
            present.push(name);
        }
    }
    REQUIRED
        .iter()
        .copied()
        .filter(|t| !present.iter().any(|p| p.eq_ignore_ascii_case(t)))
        .collect()
}

const HELP: &str = "《政府网站发展指引》要求每个页面带上 SiteName、SiteDomain、SiteIDCode、ColumnName、ColumnType、ArticleTitle、PubDate、ContentSource、Keywords、Author、Description、Url 页面标签（元数据）。";

/// Why pages lack tags: one finding per setting of `site.yaml` and per
/// template of the site's own, each with how many pages it leaves short.
/// `missing` maps a page's path to the tags it lacks.
pub fn lint(
    site: &Site,
    theme: &Theme,
    file: &SiteYaml,
    missing: &HashMap<String, Vec<&'static str>>,
) -> Vec<Diagnostic> {
    let config = &site.config;
    let mut found = Vec::new();
    // The template that writes the <head> of each page (the base a page
    // template extends) → the tags its pages lack, and the pages.
    let mut by_head: BTreeMap<String, (Vec<&'static str>, Vec<String>)> = BTreeMap::new();
    let (mut without_domain, mut without_code) = (0, 0);
    for page in pages::all(site) {
        let path = page.path(site);
        let Some(tags) = missing.get(&path) else {
            continue;
        };
        for &tag in tags {
            match tag {
                "SiteDomain" | "Url" if config.base_url.is_none() => without_domain += 1,
                "SiteIDCode" if config.footer.site_id_code.is_none() => without_code += 1,
                // A page that lists no notice has no date to give: its
                // empty column is what to fix.
                "PubDate" if lists_nothing(site, &page) => {}
                _ => {
                    let head = head_of(theme, page.kind().template);
                    let (tags, pages) = by_head.entry(head.to_string()).or_default();
                    if !tags.contains(&tag) {
                        tags.push(tag);
                    }
                    if pages.last() != Some(&path) {
                        pages.push(path.clone());
                    }
                }
            }
        }
    }
    if without_domain > 0 {
        found.push(
            file.warning(
                Code::MissingMeta,
                &[&[Seg::Key("base_url")]],
                "没有写 base_url（网站部署后的地址）：每个页面的 SiteDomain 和 Url 页面标签都是空的"
                    .into(),
            )
            .help(format!(
                "{HELP}在 site.yaml 写上 base_url，例如 base_url: https://www.example.gov.cn/dwgk/（也可以生成时加 --base-url）。"
            )),
        );
    }
    if without_code > 0 {
        found.push(
            file.warning(
                Code::MissingMeta,
                &[&[Seg::Key("footer")]],
                "没有写网站标识码（footer.site_id_code）：每个页面的 SiteIDCode 页面标签都是空的，页脚也没有网站标识码"
                    .into(),
            )
            .help(format!(
                "{HELP}在 site.yaml 的 footer 里写上 site_id_code: \"4451020001\"（全国政府网站基本数据库分配的 10 位标识码）。"
            )),
        );
    }
    for (head, (tags, pages)) in by_head {
        found.push(at_template(theme, &head, &tags, &pages));
    }
    found
}

/// Whether `page` is a column page without a notice (空白栏目).
fn lists_nothing(site: &Site, page: &Page) -> bool {
    match *page {
        Page::Category { id, .. } => {
            let c = &site.categories[id];
            c.problems.is_empty() && c.notices.is_empty()
        }
        Page::Unit { id, .. } => site.county.units[id].notices.is_empty(),
        _ => site.notices.is_empty(),
    }
}

/// The template that writes the `<head>` of the pages of `template`:
/// itself, or the `base.html` it extends.
fn head_of<'a>(theme: &Theme, template: &'a str) -> &'a str {
    match theme.templates.get(template) {
        Some(t) if !t.text.contains("</head>") && theme.templates.contains_key("base.html") => {
            "base.html"
        }
        _ => template,
    }
}

/// Tags that the pages whose `<head>` the template `head` writes lack, at
/// its `</head>`.
fn at_template(theme: &Theme, head: &str, tags: &[&str], pages: &[String]) -> Diagnostic {
    let message = format!(
        "{} 个页面缺少页面标签 {}（或内容为空），例如 {}",
        pages.len(),
        tags.join("、"),
        pages.first().map_or("", String::as_str)
    );
    let help = format!(
        "{HELP}在模板的 <head> 里写上 <meta name=\"{}\" content=\"…\">，写法可参照内置主题的 templates/base.html。",
        tags.first().copied().unwrap_or("")
    );
    let Some(source) = theme.templates.get(head) else {
        return Diagnostic::warning(Code::MissingMeta, head, message).help(help);
    };
    let d = Diagnostic::warning(Code::MissingMeta, &source.origin, message).help(help);
    match source.text.find("</head>") {
        Some(offset) => d.at_offset(&source.text, offset),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_in_either_attribute_order_and_empty_ones_count_as_missing() {
        let all: String = REQUIRED
            .iter()
            .map(|t| format!("<meta name=\"{t}\" content=\"x\">\n"))
            .collect();
        assert!(missing(&format!("<head>{all}</head>")).is_empty());
        let html = all
            .replace(
                "<meta name=\"Url\" content=\"x\">",
                "<meta content='x' name='Url'>",
            )
            .replace(
                "name=\"Author\" content=\"x\"",
                "name=\"Author\" content=\" \"",
            )
            .replace("<meta name=\"PubDate\" content=\"x\">", "");
        assert_eq!(
            missing(&format!(
                "<head>{html}</head><body><meta name=\"PubDate\" content=\"x\">"
            )),
            ["PubDate", "Author"]
        );
    }
}
