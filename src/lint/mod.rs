//! The lints of `gongkai check`: what a build accepts but a disclosure
//! should not publish as it is. (Personal numbers are found while loading,
//! see [`crate::privacy`], because `build` refuses them too.)
//!
//! Severity: mistakes that make a notice wrong are errors; what may be
//! intended (a missing contact, a gap in the numbering, a date in the
//! future) is a warning.

pub mod columns;
pub mod external;
mod ledger;
pub mod meta;
pub mod report;
mod site_yaml;
pub mod typos;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path};

use crate::config::SiteConfig;
use crate::content::{Day, Notice};
use crate::diagnostic::{Code, Diagnostic};
use crate::locate;
use crate::model::Site;
use crate::model::links::has_scheme;
use crate::routes;
use crate::yaml::Seg;

pub use columns::{Column, columns};
pub use ledger::ledger;
pub use site_yaml::SiteYaml;

/// What `gongkai check` does beyond the build's own checks.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Check the links out of the site too (`--external`).
    pub external: Option<external::ExternalOptions>,
}

/// What a check looked at, for the report.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Notice files read (drafts included).
    pub notices: usize,
    /// Pages rendered.
    pub pages: usize,
    /// Links out of the site checked; `None` without `--external`.
    pub external_links: Option<usize>,
    /// The site's columns, with their newest notices.
    pub columns: Vec<Column>,
}

/// The spot-check lints of the whole site: serious typos in every notice
/// and in the site's own files, stale and empty columns, missing page
/// tags. `pages` is what the probe saw of the rendered site.
pub fn spot_checks(
    site: &Site,
    notices: &[std::sync::Arc<Notice>],
    theme: &crate::render::Theme,
    root: &Path,
    today: Day,
    pages: &PageIndex,
) -> Vec<Diagnostic> {
    let file = SiteYaml::read(root);
    let mut found = Vec::new();
    match typos::Typos::new(&site.config) {
        Ok(typos) => {
            found.extend(typos.in_notices(notices));
            found.extend(typos_in_site_files(&typos, &file, theme));
        }
        Err(d) => found.push(d),
    }
    found.extend(columns::lint(site, &file, today));
    found.extend(meta::lint(site, theme, &file, &pages.meta_missing));
    found
}

/// Serious typos in what every page shows besides the notices: the
/// settings of `site.yaml` (but its `check:` section, which lists them) and
/// the site's own templates.
fn typos_in_site_files(
    typos: &typos::Typos,
    file: &SiteYaml,
    theme: &crate::render::Theme,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let skipped = typos::check_section(&file.text);
    for f in typos.find(&file.text) {
        if !skipped.contains(&f.offset) {
            found.push(typos.diagnostic(Path::new(crate::folders::CONFIG_FILE), &file.text, f));
        }
    }
    for source in theme.templates.values() {
        if source.origin.starts_with(crate::render::theme::BUILTIN) {
            continue;
        }
        for f in typos.find(&source.text) {
            found.push(typos.diagnostic(&source.origin, &source.text, f));
        }
    }
    found
}

/// What a notice's lints need to know of the other notices.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    /// A later notice of an inspection round: it reports only the problems
    /// still open, under their first numbers, so its numbers may skip.
    pub continues_round: bool,
}

/// Checks one notice for completeness, its review record and its dates.
pub fn notice(n: &Notice, config: &SiteConfig, today: Day, context: Context) -> Vec<Diagnostic> {
    let at = |path: &[Seg<'_>], code: Code, message: String, help: &str| {
        locate::field(code, n, path, None, message).help(help)
    };
    let mut found = Vec::new();

    if n.contact.is_none() && config.contact.is_none() {
        found.push(
            at(&[Seg::Key("title")], Code::MissingContact, "通报没有监督方式（联系电话、信箱等）".into(),
               "在 front matter 里写 contact（phone、address、postcode、email），或在 site.yaml 里写全站默认的 contact。")
            .as_warning(),
        );
    }
    for (i, p) in n.problems.iter().enumerate() {
        if p.result.is_none() && p.status.is_none() {
            found.push(
                at(&[Seg::Key("problems"), Seg::Index(i), Seg::Key("title")], Code::MissingResult,
                   format!("第 {} 项问题没有写整改结果", p.number),
                   "写上 result: 整改完成（或 阶段性完成、正在整改……），让群众知道整改到了哪一步。")
                .as_warning(),
            );
        }
    }
    if !context.continues_round {
        found.extend(numbering(n));
    }
    found.extend(unbalanced_html(n));

    if let Some(review) = &n.review
        && let Some(approved) = review.approved_on
        && approved > n.date.day
    {
        found.push(at(
            &[Seg::Key("review"), Seg::Key("approved_on")],
            Code::ReviewAfterPublication,
            format!(
                "审批日期 {} 晚于发布日期 {}",
                approved.chinese(),
                n.date.day.chinese()
            ),
            "党务公开事项要先审批后发布：请核对 approved_on 和 date。",
        ));
    }
    if config.requires_review(n.unit) && !n.is_approved() {
        let missing = n.review.clone().unwrap_or_default().missing().join("、");
        found.push(
            at(&[Seg::Key("title")], Code::ReviewMissing, format!("还没有完成审核审批，不会发布：缺少{missing}"),
               "site.yaml 要求审批后发布：在 front matter 的 review 里写明保密审查、审批人和审批日期。")
            .as_warning(),
        );
    }

    if n.date.day > today {
        found.push(
            at(
                &[Seg::Key("date")],
                Code::FutureDate,
                format!("发布日期 {} 还没到", n.date.day.chinese()),
                "如果不是有意提前写好，请检查年份和月份。",
            )
            .as_warning(),
        );
    }
    if let Some(i) = &n.inspection {
        if let (Some(start), Some(end)) = (i.start, i.end)
            && end < start
        {
            found.push(at(
                &[Seg::Key("inspection"), Seg::Key("end")],
                Code::InspectionDates,
                format!(
                    "{}结束日期 {} 早于开始日期 {}",
                    i.kind.label(),
                    end.chinese(),
                    start.chinese()
                ),
                "请核对 inspection 的 start 和 end。",
            ));
        }
        if let (Some(end), Some(feedback)) = (i.end, i.feedback)
            && feedback < end
        {
            found.push(at(
                &[Seg::Key("inspection"), Seg::Key("feedback")],
                Code::FeedbackDate,
                format!(
                    "反馈意见日期 {} 早于{}结束日期 {}",
                    feedback.chinese(),
                    i.kind.label(),
                    end.chinese()
                ),
                "反馈意见在巡察（巡视）结束之后：请核对 inspection 的 end 和 feedback。",
            ));
        }
    }
    found
}

/// Raw HTML of the body that does not pair, in each part of it (before
/// and after the problems): the page has it paired (see
/// `markdown::balance`), the author should too.
fn unbalanced_html(n: &Notice) -> Vec<Diagnostic> {
    let body = n.text.body();
    let (before, after) = match crate::model::compile::find_marker(body) {
        Some((start, end)) => ((&body[..start], 0), (&body[end..], end)),
        None => ((body, 0), ("", body.len())),
    };
    let mut found = Vec::new();
    for (part, offset) in [before, after] {
        for u in crate::markdown::unbalanced(part) {
            let (line, column) = n
                .text
                .lines()
                .line_col(n.text.body_start + offset + u.offset);
            let (message, help) = if u.stray_end {
                (
                    format!("多出来一个 </{}>：前面没有对应的 <{}>", u.tag, u.tag),
                    "它会关掉页面自己的版面，生成时已经去掉：请删掉它，或补上前面的开始标签。",
                )
            } else {
                (
                    format!("<{}> 没有结束：后面没有对应的 </{}>", u.tag, u.tag),
                    "它会把后面的内容都包进去，生成时在这部分正文的末尾替它结束：请在该结束的地方写上结束标签。",
                )
            };
            let width = u.tag.chars().count() + 2 + usize::from(u.stray_end);
            found.push(
                locate::line(Code::UnbalancedHtml, n, line, column, message)
                    .help(help)
                    .width(width)
                    .as_warning(),
            );
        }
    }
    found
}

/// Problem numbers that skip one (a repeated number is a build error).
fn numbering(n: &Notice) -> Vec<Diagnostic> {
    let mut numbers: Vec<(u32, usize)> = n
        .problems
        .iter()
        .enumerate()
        .map(|(i, p)| (p.number, i))
        .collect();
    numbers.sort_unstable();
    let mut found = Vec::new();
    let mut expected = 1;
    for (number, i) in numbers {
        if number > expected {
            let missing = if number == expected + 1 {
                format!("第 {expected} 项")
            } else {
                format!("第 {expected}–{} 项", number - 1)
            };
            let path = [Seg::Key("problems"), Seg::Index(i), Seg::Key("number")];
            found.push(
                locate::field(
                    Code::ProblemNumbers,
                    n,
                    &path,
                    None,
                    format!("问题编号不连续：缺少{missing}"),
                )
                .help("问题按原文顺序从 1 开始编号；如果原文就是这样，可以忽略这条提示。")
                .as_warning(),
            );
        }
        expected = number + 1;
    }
    found
}

/// The files of a built site and the ids on each HTML page.
#[derive(Debug, Default)]
pub struct PageIndex {
    /// Output path → ids on the page (`None` for files that are not HTML).
    pub files: HashMap<String, Option<HashSet<String>>>,
    /// Output path → ids a page has more than once.
    pub repeated: HashMap<String, Vec<String>>,
    /// Output path → the page tags of the 政府网站发展指引 it lacks.
    pub meta_missing: HashMap<String, Vec<&'static str>>,
    /// Each link out of the site the pages show → the first page (in
    /// path order) that shows it.
    pub external: std::collections::BTreeMap<String, String>,
}

impl PageIndex {
    /// Records a produced file.
    pub fn add(&mut self, rel: &str, bytes: &[u8]) {
        let ids = rel.ends_with(".html").then(|| {
            let html = String::from_utf8_lossy(bytes);
            let (ids, repeated) = ids_of(&html);
            if !repeated.is_empty() {
                self.repeated.insert(rel.to_string(), repeated);
            }
            for url in external::in_page(&html) {
                match self.external.get_mut(&url) {
                    Some(first) if first.as_str() <= rel => {}
                    Some(first) => *first = rel.to_string(),
                    None => {
                        self.external.insert(url, rel.to_string());
                    }
                }
            }
            let missing = meta::missing(&html);
            if !missing.is_empty() {
                self.meta_missing.insert(rel.to_string(), missing);
            }
            ids
        });
        self.files.insert(rel.to_string(), ids);
    }

    fn page(&self, rel: &str) -> Option<(&str, &Option<HashSet<String>>)> {
        if let Some((k, v)) = self.files.get_key_value(rel) {
            return Some((k.as_str(), v));
        }
        let index = format!("{}/index.html", rel.trim_end_matches('/'));
        self.files
            .get_key_value(index.as_str())
            .map(|(k, v)| (k.as_str(), v))
    }
}

/// The values of `id="..."` attributes, and those that occur twice.
fn ids_of(html: &str) -> (HashSet<String>, Vec<String>) {
    let mut ids = HashSet::new();
    let mut repeated = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            let id = unescape(&rest[..end]);
            if !ids.insert(id.clone()) {
                repeated.push(id);
            }
            rest = &rest[end..];
        }
    }
    (ids, repeated)
}

/// A link's path or fragment as text (links to Chinese anchors are encoded).
fn decoded(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Links and images in the notices that point at no file or no anchor,
/// and notice pages that give one id to two places (a link to it could not
/// say which).
pub fn links(site: &Site, pages: &PageIndex) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for row in &site.notices {
        let (n, html) = (&row.notice, &row.html);
        let page = routes::notice(&n.slug);
        if let Some(ids) = pages.repeated.get(&page) {
            found.push(
                Diagnostic::warning(
                    Code::BrokenAnchor,
                    &n.source,
                    format!("这篇通报的页面上，锚点 {} 出现了不止一次", ids.join("、")),
                )
                .help("链接到这个锚点时不知道指的是哪一处：请检查模板，或给正文的标题换一个写法。"),
            );
        }
        for link in &html.links {
            let Some(problem) = check_link(&page, &link.target, pages) else {
                continue;
            };
            let (code, message) = match problem {
                LinkProblem::NoFile if link.image => {
                    (Code::MissingImage, format!("图片 {} 不存在", link.written))
                }
                LinkProblem::NoFile if is_attachment(&link.target) => (
                    Code::MissingAttachment,
                    format!("附件 {} 不存在，读者无法下载", link.written),
                ),
                LinkProblem::NoFile => (
                    Code::BrokenLink,
                    format!("链接 {} 指向的页面或文件不存在", link.written),
                ),
                LinkProblem::NoAnchor(a) => (
                    Code::BrokenAnchor,
                    format!("链接 {} 指向的页面上没有“#{a}”这个位置", link.written),
                ),
            };
            let help = "站内链接可以写成 /notices/网址/#problem-7，或写通报的源文件名 2021-xiangqiao.md#problem-7；图片和附件放在 static/ 里，用 /files/名称 引用。";
            found.push(
                link.spot
                    .diagnostic(code, n, &link.written, message)
                    .help(help),
            );
        }
    }
    found
}

/// Whether a link names a document to download (检查指标: 附件无法下载)
/// rather than a page or an image: the kinds of file `attachments:` lists
/// too, named in one place.
fn is_attachment(target: &str) -> bool {
    crate::content::FileKind::of(target).is_document()
}

enum LinkProblem {
    NoFile,
    NoAnchor(String),
}

/// Follows `target` from the page `page`; `None` when it arrives.
fn check_link(page: &str, target: &str, pages: &PageIndex) -> Option<LinkProblem> {
    if target.starts_with("//") || has_scheme(target) || target.is_empty() {
        return None;
    }
    let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
    let path = path.split('?').next().unwrap_or("");
    let file = if path.is_empty() {
        page.to_string()
    } else {
        let dir = Path::new(page).parent().unwrap_or(Path::new(""));
        match normalize(&dir.join(decoded(path))) {
            Some(file) => file,
            None => return Some(LinkProblem::NoFile),
        }
    };
    let Some((_, ids)) = pages.page(&file) else {
        return Some(LinkProblem::NoFile);
    };
    let fragment = decoded(fragment);
    match ids {
        Some(ids) if !fragment.is_empty() && !ids.contains(&fragment) => {
            Some(LinkProblem::NoAnchor(fragment))
        }
        _ => None,
    }
}

/// `notices/a/../b/index.html` → `notices/b/index.html`; `None` when the
/// path leaves the site.
fn normalize(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> PageIndex {
        let mut p = PageIndex::default();
        p.add(
            "notices/a/index.html",
            b"<h2 id=\"problem-7\">x</h2><h2 id=\"\xE4\xB8\x80\">y</h2>",
        );
        p.add("files/x.pdf", b"%PDF");
        p
    }

    #[test]
    fn links_are_followed_to_files_and_anchors() {
        let p = index();
        let from = "notices/b/index.html";
        assert!(check_link(from, "../a/index.html#problem-7", &p).is_none());
        assert!(
            check_link(from, "../a/#problem-7", &p).is_none(),
            "a folder with an index page"
        );
        assert!(check_link(from, "../a/index.html#%E4%B8%80", &p).is_none());
        assert!(check_link(from, "../../files/x.pdf", &p).is_none());
        assert!(check_link(from, "https://www.gov.cn/", &p).is_none());
        assert!(check_link(from, "mailto:a@b.cn", &p).is_none());
        assert!(matches!(
            check_link(from, "../a/index.html#problem-8", &p),
            Some(LinkProblem::NoAnchor(_))
        ));
        assert!(matches!(
            check_link(from, "../other/#problem-7", &p),
            Some(LinkProblem::NoFile)
        ));
        assert!(matches!(
            check_link(from, "../../../../x.html", &p),
            Some(LinkProblem::NoFile)
        ));
        assert!(matches!(
            check_link("notices/a/index.html", "#nope", &p),
            Some(LinkProblem::NoAnchor(_))
        ));
    }
}
