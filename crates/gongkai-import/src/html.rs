//! A web page saved from an existing government site ("网页，全部" or
//! "仅 HTML"): its article body as paragraphs, without the navigation
//! around it, and what its meta tags (政府网站发展指引: `ArticleTitle`,
//! `PubDate`, `ContentSource`) and metadata table say. Parsed with
//! html5ever (through `scraper`), as browsers parse, whatever the markup.

use encoding_rs::{Encoding, GB18030, UTF_8};
use std::collections::HashMap;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

use super::document::{PageFacts, Para};
use super::{chrome, dates, table};

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
    pub charset: Charset,
    pub facts: PageFacts,
}

/// Where a page nests its elements too deep to be read, by line and
/// column (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub column: usize,
}

/// Deeper than any page a browser shows as it was written (Chrome stops
/// nesting elements at 512), and shallow enough to parse quickly: the
/// HTML parsing algorithm looks through the open elements at most tags,
/// so time grows with the square of the depth (80,000 levels took 12 s).
pub const MAX_NESTING: usize = 2_000;

/// Decodes and reads a saved page.
pub fn read(bytes: &[u8]) -> Result<Page, TooDeep> {
    let (text, charset) = decode(bytes);
    if let Some(at) = too_deep(&text) {
        let before = &text[..at];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        return Err(TooDeep {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        });
    }
    let doc = Html::parse_document(&text);
    let facts = meta(&doc);
    let body = article(&doc);
    let mut paras = body.map(lines_of).unwrap_or_default();
    // The title above the body, when the body does not start with it.
    if let Some(title) = &facts.title
        && !paras
            .iter()
            .take(3)
            .any(|b| b.text.contains(title.as_str()))
    {
        paras.insert(0, paragraph(title.clone(), false));
    }
    // Numbered as they are read.
    paras.retain(|p| !p.text.trim().is_empty());
    for (i, p) in paras.iter_mut().enumerate() {
        p.no = i + 1;
    }
    Ok(Page {
        paras,
        charset,
        facts,
    })
}

/// Where the page's elements first nest deeper than [`MAX_NESTING`], as a
/// byte offset, estimated from its tags alone: elements that need no end
/// tag (`<p>`, `<li>`, `<br>`…) are not counted, comments and the text of
/// scripts are skipped.
fn too_deep(text: &str) -> Option<usize> {
    // ASCII lowercase keeps every byte where it was.
    let lower = text.to_ascii_lowercase();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(found) = lower[at..].find('<') {
        let start = at + found;
        let rest = &lower[start + 1..];
        if rest.starts_with("!--") {
            at = rest
                .find("-->")
                .map_or(lower.len(), |end| start + 1 + end + 3);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_at = start + 1 + usize::from(closing);
        let name_len = lower[name_at..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        let name = &lower[name_at..name_at + name_len];
        if name.is_empty() {
            // `1 < 2`: text, whose `<` may not hide the tags after it.
            at = start + 1;
            continue;
        }
        let Some(end) = lower[name_at..].find('>').map(|e| name_at + e) else {
            break;
        };
        at = end + 1;
        if !closing && lower[..end].ends_with('/') {
            continue;
        }
        if !closing && RAW_TEXT.contains(&name) {
            at = lower[at..]
                .find(&format!("</{name}"))
                .map_or(lower.len(), |e| at + e);
            continue;
        }
        // Elements that pair by themselves, and the page's own frame, do
        // not nest what follows them.
        if gongkai_content::html::pairs_by_itself(name) || ["html", "head", "body"].contains(&name)
        {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if depth > MAX_NESTING {
                return Some(start);
            }
        }
    }
    None
}

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// The charset a page was read in, and the one it declared when that
/// one could not be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charset {
    pub used: &'static str,
    /// The page's `<meta charset>`, when its bytes are not in it.
    pub declared: Option<&'static str>,
}

/// The page's charset, by its BOM, its `<meta charset>`, or its bytes.
/// A declared charset is trusted only when the bytes fit it: a page saved
/// again by another program often keeps a `<meta charset>` that no longer
/// says how it is written, and reading it so gives nothing but garbage.
fn decode(bytes: &[u8]) -> (String, Charset) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let charset = Charset {
            used: encoding.name(),
            declared: None,
        };
        return (text.into_owned(), charset);
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
    let sniffed = if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        GB18030
    };
    let encoding = match declared.map(as_browsers_read) {
        Some(e) if fits(e, bytes, sniffed) => e,
        _ => sniffed,
    };
    let (text, _, _) = encoding.decode(bytes);
    let charset = Charset {
        used: encoding.name(),
        // A GBK page read as GB18030, its superset, is read as declared.
        declared: declared
            .filter(|&d| d != encoding && !(d == encoding_rs::GBK && encoding == GB18030))
            .map(Encoding::name),
    };
    (text.into_owned(), charset)
}

/// A declared charset as the HTML standard reads it: a page whose
/// `<meta>` could be read as ASCII is no UTF-16, and `x-user-defined` is
/// windows-1252; GB2312 and GBK pages often hold characters only GB18030
/// has.
fn as_browsers_read(declared: &'static Encoding) -> &'static Encoding {
    if declared == encoding_rs::UTF_16LE || declared == encoding_rs::UTF_16BE {
        UTF_8
    } else if declared == encoding_rs::X_USER_DEFINED {
        encoding_rs::WINDOWS_1252
    } else if declared == encoding_rs::GBK {
        GB18030
    } else {
        declared
    }
}

/// Whether `bytes` are written in `declared`: it decodes them without a
/// mistake, and, for a charset of one byte per character (Latin, Cyrillic),
/// they are not Chinese text plainly written in UTF-8 or GB18030, which
/// such a charset decodes without a mistake but as garbage.
fn fits(declared: &'static Encoding, bytes: &[u8], sniffed: &'static Encoding) -> bool {
    let (_, _, mistakes) = declared.decode(bytes);
    if mistakes {
        return false;
    }
    let multibyte = [
        UTF_8,
        GB18030,
        encoding_rs::BIG5,
        encoding_rs::EUC_JP,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_KR,
        encoding_rs::ISO_2022_JP,
    ];
    if multibyte.contains(&declared) || bytes.is_ascii() {
        return true;
    }
    let (text, _, mistakes) = sniffed.decode(bytes);
    mistakes || !text.chars().any(gongkai_content::text::is_cjk)
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
    facts.published =
        tag("PubDate").and_then(|d| dates::mentions(&d).first().and_then(|m| m.day()));
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
        facts.published = facts.published.or(table.published);
        facts.written = table.written;
        facts.title = facts.title.or(table.title);
        facts.doc_number = table.doc_number;
        facts.index_number = table.index_number;
    }
    facts
}

/// The element that holds the article: the candidate of the known site
/// layouts with most text, else the element with most paragraph text.
fn article(doc: &Html) -> Option<ElementRef<'_>> {
    let texts = TextLengths::of_page(doc);
    if let Ok(known) = Selector::parse(BODY_SELECTORS)
        && let Some(best) = doc
            .select(&known)
            .filter(|e| texts.of(e) >= 50)
            .max_by_key(|e| texts.in_paragraphs(e) * 2 + texts.of(e))
    {
        return Some(best);
    }
    let blocks = Selector::parse("div, td, section, article, main").ok()?;
    doc.select(&blocks)
        .max_by_key(|e| texts.in_paragraphs(e))
        .filter(|e| texts.in_paragraphs(e) > 0)
        .or_else(|| doc.select(&Selector::parse("body").ok()?).next())
}

/// How many characters of text (each text node trimmed) every node of a
/// page holds, counted in one pass: asking each candidate element for its
/// own text would read a page nested thousands deep once per level.
struct TextLengths(HashMap<NodeId, usize>);

impl TextLengths {
    fn of_page(doc: &Html) -> TextLengths {
        let mut lengths = HashMap::new();
        for edge in doc.tree.root().traverse() {
            // Children close before their parent: theirs are known.
            if let Edge::Close(node) = edge {
                let own = match node.value() {
                    Node::Text(t) => t.trim().chars().count(),
                    _ => 0,
                };
                let children: usize = node.children().map(|c| lengths[&c.id()]).sum();
                lengths.insert(node.id(), own + children);
            }
        }
        TextLengths(lengths)
    }

    fn of(&self, e: &ElementRef<'_>) -> usize {
        self.0.get(&e.id()).copied().unwrap_or(0)
    }

    /// The text of an element's own paragraphs (`<p>` children and lines
    /// broken by `<br>`): high for a bulletin's body, low for a menu.
    fn in_paragraphs(&self, e: &ElementRef<'_>) -> usize {
        e.children()
            .filter_map(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "p" | "br" | "span" | "font"))
            .map(|c| self.of(&c))
            .sum()
    }
}

/// A line of the body's text, or a table of it (as Markdown), numbered
/// once the body is read.
fn paragraph(text: String, table: bool) -> Para {
    Para { no: 0, text, table }
}

/// The text of `body`, a line per block and per `<br>`, and its tables.
/// Walked edge by edge rather than by recursion, which a page nested
/// thousands deep would overflow the stack with.
fn lines_of(body: ElementRef<'_>) -> Vec<Para> {
    let mut out = Text::default();
    // The element whose text is being skipped, until it closes.
    let mut skipping: Option<NodeId> = None;
    for edge in body.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => {
                        // Source line breaks are spaces, not paragraph ends.
                        let text = t.replace(['\u{a0}', '\t'], " ").replace(['\r', '\n'], "");
                        out.push_str(&text);
                    }
                    Node::Element(el) if node.id() != body.id() => match el.name() {
                        name if SKIPPED.contains(&name) => skipping = Some(node.id()),
                        "table" => out.tables.push(TableText::default()),
                        "tr" => out.end_row(),
                        "td" | "th" => out.open_cell(),
                        name if name == "br" || BLOCKS.contains(&name) => out.end_line(),
                        _ => {}
                    },
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                } else if skipping.is_none()
                    && let Node::Element(el) = node.value()
                {
                    match el.name() {
                        "table" => out.close_table(),
                        "tr" => out.end_row(),
                        "td" | "th" => {
                            let span = |name: &str| {
                                el.attr(name)
                                    .and_then(|v| v.trim().parse::<usize>().ok())
                                    .map_or(1, |n| n.clamp(1, table::MAX_SPAN))
                            };
                            out.close_cell(span("colspan"), span("rowspan"));
                        }
                        name if BLOCKS.contains(&name) => out.end_line(),
                        _ => {}
                    }
                }
            }
        }
    }
    // The body's last line, after its last `<br>`.
    while !out.tables.is_empty() {
        out.close_table();
    }
    out.end_line();
    out.blocks
}

/// The body's text as it is read: the blocks so far, the line being
/// written, and the tables open around it.
#[derive(Default)]
struct Text {
    blocks: Vec<Para>,
    line: String,
    tables: Vec<TableText>,
}

/// A table being read: its rows of cells, the row and the cell open, and
/// per column the rows a cell above still spans.
#[derive(Default)]
struct TableText {
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    cell: Option<Cell>,
    spanned: Vec<usize>,
}

/// A cell's content: its lines and tables, and the line being written.
#[derive(Default)]
struct Cell {
    blocks: Vec<Para>,
    line: String,
}

impl Cell {
    fn end_line(&mut self) {
        let text = self.line.trim();
        if !text.is_empty() {
            self.blocks.push(paragraph(text.to_string(), false));
        }
        self.line.clear();
    }

    /// Its text as one cell of a table: its lines, a table in it as the
    /// lines of its cells.
    fn text(&self) -> String {
        let mut lines = Vec::new();
        for b in &self.blocks {
            if b.table {
                lines.extend(table::cells(&b.text).into_iter().flatten());
            } else {
                lines.push(b.text.clone());
            }
        }
        lines.join("\n")
    }
}

impl TableText {
    /// Empty cells where cells of the rows above reach down into this one.
    fn skip_spanned(&mut self) {
        while let Some(left) = self
            .spanned
            .get_mut(self.row.len())
            .filter(|n| **n > 0 && self.row.len() < table::MAX_COLUMNS)
        {
            *left -= 1;
            self.row.push(Cell::default());
        }
    }

    /// The table's blocks: itself as a Markdown table when it holds data
    /// (two rows of two cells or more with text), else what its cells
    /// hold, in order (a table that only lays out the page).
    fn blocks(self) -> Vec<Para> {
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(Cell::text).collect())
            .collect();
        let full = |r: &&Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count() >= 2;
        if rows.iter().filter(full).count() >= 2 {
            return vec![paragraph(table::markdown(&rows), true)];
        }
        self.rows
            .into_iter()
            .flatten()
            .flat_map(|c| c.blocks)
            .collect()
    }
}

impl Text {
    fn push_str(&mut self, text: &str) {
        match self.tables.last_mut() {
            Some(t) => {
                if let Some(cell) = t.cell.as_mut() {
                    cell.line.push_str(text);
                }
            }
            None => self.line.push_str(text),
        }
    }

    /// The end of a paragraph: of the line, or of a line of the cell.
    fn end_line(&mut self) {
        match self.tables.last_mut() {
            Some(t) => {
                if let Some(cell) = t.cell.as_mut() {
                    cell.end_line();
                }
            }
            None => {
                let text = self.line.trim().trim_start_matches('\u{3000}').trim();
                if !text.is_empty() {
                    self.blocks.push(paragraph(text.to_string(), false));
                }
                self.line.clear();
            }
        }
    }

    fn open_cell(&mut self) {
        if self.tables.is_empty() {
            return;
        }
        self.close_cell(1, 1);
        if let Some(t) = self.tables.last_mut() {
            t.cell = Some(Cell::default());
        }
    }

    fn close_cell(&mut self, colspan: usize, rowspan: usize) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let Some(mut cell) = t.cell.take() else {
            return;
        };
        cell.end_line();
        t.skip_spanned();
        let at = t.row.len();
        if at >= table::MAX_COLUMNS {
            // Past the last column: its text goes to the last cell.
            if let Some(last) = t.row.last_mut() {
                last.blocks.extend(cell.blocks);
            }
            return;
        }
        t.row.push(cell);
        // The columns a cell spans, as far as a table a reader sees goes.
        let colspan = colspan.min(table::MAX_COLUMNS.saturating_sub(at)).max(1);
        t.row
            .extend(std::iter::repeat_with(Cell::default).take(colspan - 1));
        if t.spanned.len() < at + colspan {
            t.spanned.resize(at + colspan, 0);
        }
        for left in &mut t.spanned[at..at + colspan] {
            *left = rowspan - 1;
        }
    }

    fn end_row(&mut self) {
        self.close_cell(1, 1);
        if let Some(t) = self.tables.last_mut() {
            if t.row.is_empty() {
                return;
            }
            t.skip_spanned();
            let row = std::mem::take(&mut t.row);
            t.rows.push(row);
        }
    }

    /// A table read: its blocks go into the cell of the table around it,
    /// or after the body's lines so far.
    fn close_table(&mut self) {
        self.end_row();
        let Some(table) = self.tables.pop() else {
            return;
        };
        let blocks = table.blocks();
        self.end_line();
        match self.tables.last_mut() {
            Some(outer) => {
                if let Some(cell) = outer.cell.as_mut() {
                    cell.blocks.extend(blocks);
                }
            }
            None => self.blocks.extend(blocks),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_of_the_body_with_paragraphs_in_its_cells() {
        let page = "<html><head><meta charset=\"utf-8\"></head><body><div id=\"zoom\">\
            <p>关于巡察整改进展情况的通报</p>\
            <table><tr><td><p>序号</p></td><td><p>反馈问题</p></td><td><p>整改措施</p></td></tr>\
            <tr><td>1</td><td><p>学习不深入。</p></td><td><p>制定计划。</p><p>开展学习。</p></td></tr></table>\
            <table><tr><td><p>左边</p><p>第二段</p></td><td>右边</td></tr></table>\
            <p>中共某局党组</p></div></body></html>";
        let read = read(page.as_bytes()).unwrap();
        let texts: Vec<(usize, bool, &str)> = read
            .paras
            .iter()
            .map(|p| (p.no, p.table, p.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (1, false, "关于巡察整改进展情况的通报"),
                (
                    2,
                    true,
                    "| 序号 | 反馈问题 | 整改措施 |\n| --- | --- | --- |\n| 1 | 学习不深入。 | 制定计划。<br>开展学习。 |"
                ),
                // A row of two cells is no table: its lines, in order.
                (3, false, "左边"),
                (4, false, "第二段"),
                (5, false, "右边"),
                (6, false, "中共某局党组"),
            ]
        );
    }

    #[test]
    fn a_layout_table_gives_its_text_and_the_data_table_inside_it() {
        let page = "<html><head><meta charset=\"utf-8\"></head><body><div id=\"zoom\">\
            <table><tr><td><p>关于巡察整改进展情况的通报</p><p>根据县委统一部署，县委第二巡察组进行了巡察。</p>\
            <table><tr><th>序号</th><th>问题</th><th>整改情况</th></tr>\
            <tr><td>1</td><td rowspan=\"2\">学习不深入</td><td>制定计划</td></tr>\
            <tr><td>2</td><td>开展学习</td></tr>\
            <tr><td colspan=\"3\">二、作风方面</td></tr></table>\
            <p>中共某局党组</p></td></tr></table></div></body></html>";
        let read = read(page.as_bytes()).unwrap();
        let texts: Vec<(bool, &str)> = read
            .paras
            .iter()
            .map(|p| (p.table, p.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (false, "关于巡察整改进展情况的通报"),
                (false, "根据县委统一部署，县委第二巡察组进行了巡察。"),
                (
                    true,
                    "| 序号 | 问题 | 整改情况 |\n| --- | --- | --- |\n| 1 | 学习不深入 | 制定计划 |\n| 2 |  | 开展学习 |\n| 二、作风方面 |  |  |"
                ),
                (false, "中共某局党组"),
            ]
        );
    }

    #[test]
    fn spans_past_any_real_table_are_cut_and_lose_no_text() {
        let cells = "<td colspan=\"99999\" rowspan=\"99999\">格</td>".repeat(150);
        // Without rowspan, the rows are a table, cut to its columns.
        let wide = "<td colspan=\"99999\">宽</td>".repeat(150);
        let page = format!(
            "<html><body><div id=\"zoom\"><table><tr>{wide}</tr><tr>{wide}</tr></table></div></body></html>"
        );
        let wide_page = read(page.as_bytes()).unwrap();
        let table = wide_page.paras.iter().find(|p| p.table).unwrap();
        let rows = table::cells(&table.text);
        assert!(rows.iter().all(|r| r.len() == table::MAX_COLUMNS));
        assert_eq!(table.text.matches('宽').count(), 300);
        let page = format!(
            "<html><body><div id=\"zoom\"><table><tr>{cells}</tr><tr>{cells}</tr><tr><td>尾</td><td>末</td></tr></table></div></body></html>"
        );
        let read = read(page.as_bytes()).unwrap();
        for p in read.paras.iter().filter(|p| p.table) {
            let rows = table::cells(&p.text);
            assert!(
                rows.iter().all(|r| r.len() <= table::MAX_COLUMNS),
                "{}",
                rows[0].len()
            );
        }
        let all: String = read.paras.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(all.matches('格').count(), 300);
        assert!(all.contains('尾') && all.contains('末'));
    }

    #[test]
    fn the_body_not_the_menu() {
        let page = "<html><head><meta charset=\"utf-8\"><meta name=\"ArticleTitle\" content=\"关于巡察整改进展情况的通报\">\
            <meta name=\"PubDate\" content=\"2023-04-20 09:30\"><meta name=\"ContentSource\" content=\"某区卫健局\"></head><body>\
            <div class=\"nav\"><a>首页</a><a>机构概况</a><a>政务公开</a></div>\
            <table><tr><td>索引号：</td><td>11440500/2023-00123</td><td>发布机构：</td><td>中共某区卫健局党组</td></tr></table>\
            <div id=\"zoom\"><p>根据区委统一部署，区委第一巡察组对我局进行了巡察。</p><p>一、整改情况<br>1.学习不深入的问题。</p>\
            <p>整改结果：已完成整改。</p><script>var x = 1;</script></div><div class=\"footer\">版权所有</div></body></html>";
        let read = read(page.as_bytes()).unwrap();
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
            read.facts.published.map(|d| d.iso()).as_deref(),
            Some("2023-04-20")
        );
    }

    #[test]
    fn the_last_line_after_a_break_is_kept() {
        let page = "<html><body><div id=\"zoom\">根据区委统一部署，区委第一巡察组对我局进行了巡察，现将整改情况通报如下。\
            <br>中共某县委办公室 2024年5月6日</div><div>版权所有</div></body></html>";
        let read = read(page.as_bytes()).unwrap();
        let last = read.paras.last().map(|p| p.text.as_str());
        assert_eq!(last, Some("中共某县委办公室 2024年5月6日"));
    }

    #[test]
    fn nesting_is_counted_by_the_elements_that_need_an_end_tag() {
        // Unclosed paragraphs and items, void elements, comments and
        // scripts do not nest.
        let flat = format!(
            "<body>{}<!-- <div><div> -->{}<script>\"<div>\".repeat(9)</script>",
            "<p>段落<br><img src=a.png>".repeat(3_000),
            "<li>一项".repeat(3_000)
        );
        assert_eq!(too_deep(&flat), None);
        let deep = format!("<body>\n{}", "<span>".repeat(MAX_NESTING + 1));
        let at = too_deep(&deep).unwrap();
        assert_eq!(at, deep.len() - "<span>".len());
        let closed = "<span></span>".repeat(MAX_NESTING + 1);
        assert_eq!(too_deep(&closed), None);
        // A `<` of the text hides no tag.
        let hidden = "< <span>".repeat(MAX_NESTING + 1);
        assert!(too_deep(&hidden).is_some());
    }

    /// A `<meta charset>` the bytes do not fit is not trusted: the page is
    /// read as its bytes are written, and the report says so.
    #[test]
    fn a_charset_the_page_is_not_written_in_is_not_trusted() {
        let page = |charset: &str| {
            format!(
                "<html><head><meta charset=\"{charset}\"></head><body><div class=\"TRS_Editor\">\
                 <p>关于巡察整改进展情况的通报</p><p>2022年9月1日</p></div></body></html>"
            )
        };
        let text = |read: &Page| {
            read.paras
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("|")
        };
        // UTF-8 bytes declared UTF-16 (as browsers read it: UTF-8) or
        // x-user-defined; GBK bytes declared UTF-8 or latin-1.
        let gbk = |s: String| GB18030.encode(&s).0.into_owned();
        let cases: Vec<(Vec<u8>, &str, Option<&str>)> = vec![
            (page("utf-16").into_bytes(), "UTF-8", Some("UTF-16LE")),
            (
                page("x-user-defined").into_bytes(),
                "UTF-8",
                Some("x-user-defined"),
            ),
            (gbk(page("utf-8")), "gb18030", Some("UTF-8")),
            (gbk(page("iso-8859-1")), "gb18030", Some("windows-1252")),
            (page("utf-8").into_bytes(), "UTF-8", None),
        ];
        for (bytes, used, declared) in cases {
            let read = read(&bytes).unwrap();
            assert!(
                text(&read).contains("关于巡察整改进展情况的通报|2022年9月1日"),
                "{used}: {}",
                text(&read)
            );
            assert_eq!(read.charset, Charset { used, declared }, "{}", text(&read));
        }
        // Latin text in latin-1 stays latin-1.
        let latin =
            b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf\xe9</p></body></html>";
        assert_eq!(read(latin).unwrap().charset.used, "windows-1252");
    }

    #[test]
    fn gbk_pages_by_their_charset() {
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>\
            <body><div class=\"TRS_Editor\"><p>关于巡察整改进展情况的通报，镕字在 GBK 里。</p></div></body></html>";
        let (bytes, _, _) = GB18030.encode(html);
        let read = read(&bytes).unwrap();
        assert_eq!(read.charset.used, "gb18030");
        assert_eq!(read.charset.declared, None);
        assert!(
            read.paras.iter().any(|p| p.text.contains("镕字在 GBK 里")),
            "{:?}",
            read.paras
        );
    }
}
