//! A web page saved from an existing government site ("网页，全部" or
//! "仅 HTML"): its article body as paragraphs, without the navigation
//! around it, and what its meta tags (政府网站发展指引: `ArticleTitle`,
//! `PubDate`, `ContentSource`) and metadata table say. Parsed with
//! html5ever (through `scraper`), as browsers parse, whatever the markup.

use encoding_rs::{Encoding, GB18030, UTF_8};
use scraper::{ElementRef, Html, Node, Selector};

use super::document::{PageFacts, Para};
use super::{chrome, dates};

/// Where sites put the article body: tried in order, the one with most
/// text wins.
const BODY_SELECTORS: &str = "#zoom, #Zoom, .TRS_Editor, #UCAP-CONTENT, .article-content, .article_content, \
    .articleContent, .news_content, .news-content, .pages_content, .content-text, .main-text, .detail-content, \
    .detail, .article, article, #content, .content, .text, .con, .wz_content";

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "blockquote",
    "dd",
    "dt",
    "center",
    "table",
    "ul",
    "ol",
    "pre",
    "address",
];

/// Elements whose text is never the bulletin's.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "form", "button", "select", "option",
    "iframe", "object", "svg", "template", "head",
];

/// The page, read: its text as paragraphs, the charset it was in, and
/// what the page says about the bulletin.
pub struct Page {
    pub paras: Vec<Para>,
    pub charset: &'static str,
    pub facts: PageFacts,
}

/// Decodes and reads a saved page.
pub fn read(bytes: &[u8]) -> Page {
    let (text, charset) = decode(bytes);
    let doc = Html::parse_document(&text);
    let facts = meta(&doc);
    let body = article(&doc);
    let mut lines = Vec::new();
    if let Some(body) = body {
        walk(body, &mut lines, &mut String::new());
    }
    // The title above the body, when the body does not start with it.
    if let Some(title) = &facts.title
        && !lines.iter().take(3).any(|l| l.contains(title.as_str()))
    {
        lines.insert(0, title.clone());
    }
    let paras = lines
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, text)| Para {
            no: i + 1,
            text,
            table: false,
        })
        .collect();
    Page {
        paras,
        charset,
        facts,
    }
}

/// The page's charset, by its BOM, its `<meta charset>`, or its bytes.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding.name());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    let declared = head.find("charset").and_then(|at| {
        let rest = head[at + 7..].trim_start_matches([' ', '=', '"', '\'']);
        let label: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        Encoding::for_label(label.as_bytes())
    });
    let encoding = match declared {
        // GB2312 and GBK pages often hold characters only GB18030 has.
        Some(e) if e == encoding_rs::GBK => GB18030,
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => GB18030,
    };
    let (text, _, _) = encoding.decode(bytes);
    (text.into_owned(), encoding.name())
}

/// The meta tags and the metadata table.
fn meta(doc: &Html) -> PageFacts {
    let mut facts = PageFacts::default();
    let tag = |name: &str| {
        let selector = Selector::parse(&format!("meta[name=\"{name}\" i]")).ok()?;
        let content = doc
            .select(&selector)
            .next()?
            .value()
            .attr("content")?
            .trim();
        (!content.is_empty()).then(|| content.to_string())
    };
    facts.title = tag("ArticleTitle").or_else(|| {
        let h1 = Selector::parse("h1").ok()?;
        let text = doc.select(&h1).next()?.text().collect::<String>();
        let text = text.trim().to_string();
        (text.chars().count() >= 6).then_some(text)
    });
    facts.organization = tag("ContentSource");
    facts.date = tag("PubDate").and_then(|d| dates::mentions(&d).first().and_then(|m| m.day()));
    // The metadata table: its cells, read as `label：value` lines.
    if let Ok(cells) = Selector::parse("td, th") {
        let texts: Vec<String> = doc
            .select(&cells)
            .map(|c| c.text().collect::<String>().trim().to_string())
            .collect();
        let lines: Vec<Para> = texts
            .windows(2)
            .enumerate()
            .map(|(i, pair)| Para {
                no: i + 1,
                text: format!("{}：{}", pair[0].trim_end_matches([':', '：']), pair[1]),
                table: false,
            })
            .collect();
        let mut lines = lines;
        let (_, table) = chrome::strip(&mut lines);
        facts.organization = facts.organization.or(table.organization);
        facts.date = facts.date.or(table.date);
        facts.title = facts.title.or(table.title);
        facts.doc_number = table.doc_number;
    }
    facts
}

/// The element that holds the article: the candidate of the known site
/// layouts with most text, else the element with most paragraph text.
fn article(doc: &Html) -> Option<ElementRef<'_>> {
    let text_len = |e: &ElementRef<'_>| e.text().map(|t| t.trim().chars().count()).sum::<usize>();
    if let Ok(known) = Selector::parse(BODY_SELECTORS)
        && let Some(best) = doc
            .select(&known)
            .filter(|e| text_len(e) >= 50)
            .max_by_key(|e| paragraph_text(e) * 2 + text_len(e))
    {
        return Some(best);
    }
    let blocks = Selector::parse("div, td, section, article, main").ok()?;
    doc.select(&blocks)
        .max_by_key(paragraph_text)
        .filter(|e| paragraph_text(e) > 0)
        .or_else(|| doc.select(&Selector::parse("body").ok()?).next())
}

/// The text of an element's own paragraphs (`<p>` children and lines
/// broken by `<br>`): high for a bulletin's body, low for a menu.
fn paragraph_text(e: &ElementRef<'_>) -> usize {
    e.children()
        .filter_map(ElementRef::wrap)
        .filter(|c| matches!(c.value().name(), "p" | "br" | "span" | "font"))
        .map(|c| c.text().map(|t| t.trim().chars().count()).sum::<usize>())
        .sum()
}

/// The text of `e`, a line per block and per `<br>`.
fn walk(e: ElementRef<'_>, lines: &mut Vec<String>, line: &mut String) {
    for child in e.children() {
        match child.value() {
            Node::Text(t) => {
                let text = t.replace(['\u{a0}', '\t'], " ");
                // Source line breaks are spaces, not paragraph ends.
                let text = text.replace(['\r', '\n'], "");
                line.push_str(&text);
            }
            Node::Element(el) => {
                let name = el.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                if name == "br" {
                    flush(lines, line);
                } else if BLOCKS.contains(&name) {
                    flush(lines, line);
                    walk(child, lines, line);
                    flush(lines, line);
                } else if name == "td" || name == "th" {
                    walk(child, lines, line);
                    line.push_str("  ");
                } else {
                    walk(child, lines, line);
                }
            }
            _ => {}
        }
    }
}

fn flush(lines: &mut Vec<String>, line: &mut String) {
    let text = line.trim().trim_start_matches('\u{3000}').trim();
    if !text.is_empty() {
        lines.push(text.to_string());
    }
    line.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_not_the_menu() {
        let page = "<html><head><meta charset=\"utf-8\"><meta name=\"ArticleTitle\" content=\"关于巡察整改进展情况的通报\">\
            <meta name=\"PubDate\" content=\"2023-04-20 09:30\"><meta name=\"ContentSource\" content=\"某区卫健局\"></head><body>\
            <div class=\"nav\"><a>首页</a><a>机构概况</a><a>政务公开</a></div>\
            <table><tr><td>索引号：</td><td>11440500/2023-00123</td><td>发布机构：</td><td>中共某区卫健局党组</td></tr></table>\
            <div id=\"zoom\"><p>根据区委统一部署，区委第一巡察组对我局进行了巡察。</p><p>一、整改情况<br>1.学习不深入的问题。</p>\
            <p>整改结果：已完成整改。</p><script>var x = 1;</script></div><div class=\"footer\">版权所有</div></body></html>";
        let read = read(page.as_bytes());
        let texts: Vec<&str> = read.paras.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "关于巡察整改进展情况的通报",
                "根据区委统一部署，区委第一巡察组对我局进行了巡察。",
                "一、整改情况",
                "1.学习不深入的问题。",
                "整改结果：已完成整改。"
            ]
        );
        assert_eq!(read.facts.organization.as_deref(), Some("某区卫健局"));
        assert_eq!(
            read.facts.date.map(|d| d.iso()).as_deref(),
            Some("2023-04-20")
        );
    }

    #[test]
    fn gbk_pages_by_their_charset() {
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>\
            <body><div class=\"TRS_Editor\"><p>关于巡察整改进展情况的通报，镕字在 GBK 里。</p></div></body></html>";
        let (bytes, _, _) = GB18030.encode(html);
        let read = read(&bytes);
        assert_eq!(read.charset, "gb18030");
        assert!(
            read.paras.iter().any(|p| p.text.contains("镕字在 GBK 里")),
            "{:?}",
            read.paras
        );
    }
}
