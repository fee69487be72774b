//! Links out of the site (`check --external`, opt-in: it asks other
//! servers): every `http`/`https` link a notice writes and every other one
//! a page shows (the theme's, the site's settings'), each checked once
//! however often it is used, and each use reported at its line.
//!
//! The spot checks take points off for links that do not work (链接不可用)
//! and count links to other sites too; a site cannot fix them after the
//! inspector found them, but can before publishing.

mod cache;
mod fetch;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Site;
use crate::render::Theme;

use super::PageIndex;

pub use cache::LinkCache;
pub use fetch::{Limits, Outcome};

/// How `check --external` asks.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    pub limits: Limits,
    /// The site whose `.gongkai/` keeps the links found good; `None`: no
    /// cache.
    pub cache: Option<PathBuf>,
}

impl ExternalOptions {
    /// Ten seconds per link, four hosts at a time, a second between two
    /// requests to one host; the site's cache.
    pub fn new(root: &Path) -> ExternalOptions {
        ExternalOptions {
            limits: Limits {
                timeout: Duration::from_secs(10),
                workers: 4,
                pause: Duration::from_secs(1),
            },
            cache: Some(root.to_path_buf()),
        }
    }
}

/// One place a link is written, as a diagnostic waiting for its message.
struct Use {
    url: String,
    at: Diagnostic,
}

/// The links out of the site: in the notices (`site`, with its drafts, as
/// `check` sees it), each at its line, and the others the rendered pages
/// show (`pages`: of the templates, the site's settings), each at the
/// template that writes it, or at the first page that shows it.
fn uses(site: &Site, theme: &Theme, pages: &PageIndex) -> Vec<Use> {
    let mut found = Vec::new();
    for row in &site.notices {
        for link in &row.html.links {
            if let Some(url) = absolute(&link.target) {
                let at = link.spot.diagnostic(
                    Code::ExternalLink,
                    &row.notice,
                    &link.written,
                    String::new(),
                );
                found.push(Use { url, at });
            }
        }
    }
    let from_notices: HashSet<String> = found.iter().map(|u| u.url.clone()).collect();
    for (url, page) in &pages.external {
        if from_notices.contains(url) {
            continue;
        }
        let in_template = theme.templates.values().find_map(|source| {
            in_template(&source.text)
                .into_iter()
                .find(|(_, u)| u == url)
                .map(|(offset, _)| (source, offset))
        });
        let at = match in_template {
            Some((source, offset)) => {
                Diagnostic::error(Code::ExternalLink, &source.origin, String::new())
                    .at_offset(&source.text, offset)
                    .width(url.chars().count())
            }
            None => Diagnostic::error(Code::ExternalLink, page, String::new()),
        };
        found.push(Use {
            url: url.clone(),
            at,
        });
    }
    found
}

/// The links out of the site in a rendered page's `href` and `src`
/// attributes (escaped as templates escape them).
pub fn in_page(html: &str) -> Vec<String> {
    // Pages hold thousands of links inside the site: only those that may
    // leave are taken apart.
    let leaves = |raw: &str| {
        let b = raw.as_bytes();
        b.get(..4).is_some_and(|p| p.eq_ignore_ascii_case(b"http")) || raw.starts_with("//")
    };
    attributes(html)
        .into_iter()
        .filter(|(_, raw)| leaves(raw))
        .filter_map(|(_, raw)| absolute(&super::unescape(&raw.replace("&#x2F;", "/"))))
        .collect()
}

/// `https://a.gov.cn/x#part` → `https://a.gov.cn/x`; `None` for a link
/// that does not leave by HTTP.
fn absolute(target: &str) -> Option<String> {
    let target = target.trim();
    let target = match target.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => target.to_string(),
    };
    let scheme = |s: &str| {
        target
            .get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    };
    if !(scheme("http://") || scheme("https://")) {
        return None;
    }
    let mut url = url::Url::parse(&target).ok()?;
    url.host_str()?;
    url.set_fragment(None);
    Some(url.to_string())
}

/// The values of `href` and `src` attributes, each with its offset, up to
/// where a template expression starts.
fn attributes(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (i, _) in text.match_indices(attr) {
            let start = i + attr.len();
            let rest = &text[start..];
            let end = rest.find(['"', '{', ' ', '\n']).unwrap_or(rest.len());
            found.push((start, &rest[..end]));
        }
    }
    found.sort();
    found
}

/// The absolute links of a template's `href` and `src` attributes.
fn in_template(text: &str) -> Vec<(usize, String)> {
    attributes(text)
        .into_iter()
        .filter_map(|(offset, raw)| Some((offset, absolute(raw)?)))
        .collect()
}

/// Checks every link out of the site; one finding per use of each link
/// that does not work. Also returns how many links were checked.
pub fn lint(
    site: &Site,
    theme: &Theme,
    pages: &PageIndex,
    options: &ExternalOptions,
) -> (Vec<Diagnostic>, usize) {
    let uses = uses(site, theme, pages);
    let mut cache = options
        .cache
        .as_deref()
        .map(LinkCache::read)
        .unwrap_or_default();
    let mut urls: Vec<String> = uses.iter().map(|u| u.url.clone()).collect();
    urls.sort();
    urls.dedup();
    let links = urls.len();
    urls.retain(|u| !cache.is_fresh(u));
    let outcomes = fetch::check_all(&urls, &options.limits);
    for (url, outcome) in &outcomes {
        if outcome.is_fine() {
            cache.remember(url);
        }
    }
    if let Some(root) = &options.cache {
        cache.write(root);
    }
    let mut found = Vec::new();
    for u in uses {
        let Some(outcome) = outcomes.get(&u.url) else {
            continue;
        };
        if let Some(d) = finding(u, outcome, options.limits.timeout) {
            found.push(d);
        }
    }
    (found, links)
}

/// What a use of a link that does not work says.
fn finding(u: Use, outcome: &Outcome, timeout: Duration) -> Option<Diagnostic> {
    let url = &u.url;
    let (code, message, help) = match outcome {
        Outcome::Fine(_) => return None,
        Outcome::Gone(status) => (
            Code::ExternalLink,
            format!("站外链接失效：{url} 回答 HTTP {status}"),
            "改成现在的地址，或删掉这个链接。检查指标把打不开的链接记为“链接不可用”并扣分。",
        ),
        Outcome::Loop(chain) => (
            Code::ExternalLink,
            format!("站外链接的重定向成环：{}", chain.join(" → ")),
            "读者的浏览器会报“重定向次数过多”：请联系对方网站，或改用能打开的地址。",
        ),
        Outcome::TooManyRedirects => (
            Code::ExternalLink,
            format!("站外链接 {url} 重定向超过 10 次"),
            "读者的浏览器会报“重定向次数过多”：请改用最终的地址。",
        ),
        Outcome::Refused(status) => (
            Code::ExternalUnreachable,
            format!("对方网站拒绝了检查请求：{url} 回答 HTTP {status}"),
            "有的网站只拒绝程序访问：请在浏览器里打开这个链接确认。",
        ),
        Outcome::Timeout => (
            Code::ExternalUnreachable,
            format!("站外链接 {url} 在 {} 秒内没有回应", timeout.as_secs_f64()),
            "可能是对方网站暂时很慢，也可能已经关闭：过一会儿再检查一次，或在浏览器里打开确认。",
        ),
        Outcome::Unreachable(why) => (
            Code::ExternalUnreachable,
            format!("站外链接 {url} 打不开：{why}"),
            "检查网址是否写对；如果本机上不了外网，这条可以忽略。",
        ),
    };
    let d = Diagnostic {
        code,
        message,
        ..u.at
    }
    .help(help);
    Some(if code == Code::ExternalLink {
        d
    } else {
        d.as_warning()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_leave_by_http_or_not_at_all() {
        assert_eq!(
            absolute("https://www.gov.cn/zhengce/#top").as_deref(),
            Some("https://www.gov.cn/zhengce/")
        );
        assert_eq!(
            absolute("//www.gov.cn/").as_deref(),
            Some("https://www.gov.cn/")
        );
        assert_eq!(absolute("../a/index.html"), None);
        assert_eq!(absolute("mailto:a@b.cn"), None);
        assert_eq!(absolute("https://"), None);
    }

    #[test]
    fn template_links_stop_where_an_expression_starts() {
        let text = "<a href=\"https://beian.mps.gov.cn/#/query{% if x %}?c={{ c }}{% endif %}\">x</a><img src=\"{{ page.root }}a.png\">";
        assert_eq!(
            in_template(text),
            [(9, "https://beian.mps.gov.cn/".to_string())]
        );
    }
}
