//! What a Word copy is made of before it is XML: paragraphs of a style,
//! runs of text with a look, and tables; and Markdown read into them.
//!
//! Markdown is read with the site's own rules (`markdown::events`: bold
//! next to Chinese punctuation, no space where a line breaks between Han
//! characters), so that the document says what the page says. What a page
//! can do and a 公文 does not (links, images) is kept as its text.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::gbt9704::Twips;
use crate::markdown;

/// A paragraph style of the document; `styles.xml` defines each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// 正文: 3号仿宋, the first line indented two characters.
    Body,
    /// 标题: 2号小标宋, centred.
    Title,
    /// 发文机关标志: red 小标宋, centred.
    OrgMark,
    /// 发文字号, centred, with the red 分隔线 under it.
    DocNumber,
    /// 一级标题 (`一、`): 黑体.
    Heading1,
    /// 二级标题 (`（一）`): 楷体.
    Heading2,
    /// 三级标题 (`1．`): 仿宋, bold.
    Heading3,
    /// 发文机关署名 and 成文日期: right-aligned.
    Signature,
    /// The text of a table's cells.
    TableText,
}

impl Style {
    /// Its `w:styleId`.
    pub fn id(self) -> &'static str {
        match self {
            Style::Body => "Body",
            Style::Title => "Title",
            Style::OrgMark => "OrgMark",
            Style::DocNumber => "DocNumber",
            Style::Heading1 => "Heading1",
            Style::Heading2 => "Heading2",
            Style::Heading3 => "Heading3",
            Style::Signature => "Signature",
            Style::TableText => "TableText",
        }
    }
}

/// How a run looks besides its paragraph's style.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Look {
    pub bold: bool,
    /// Emphasis, set in 楷体 as Chinese text sets it (not slanted).
    pub kai: bool,
    pub strike: bool,
    /// The label of a problem's field (`原因分析：`), in 黑体.
    pub label: bool,
    /// A size of its own, in half-points.
    pub size: Option<u32>,
}

/// Text in one look; a `\n` in it is a line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub look: Look,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            look: Look::default(),
        }
    }

    pub fn label(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            look: Look {
                label: true,
                ..Look::default()
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub style: Style,
    pub runs: Vec<Run>,
    /// An indent from the right edge of the type area (the signature's).
    pub right_indent: Option<Twips>,
}

impl Para {
    pub fn new(style: Style, runs: Vec<Run>) -> Para {
        Para {
            style,
            runs,
            right_indent: None,
        }
    }

    /// Its text, as a reader reads it.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// A table: rows of cells, each cell one paragraph; the first row is the
/// header when `header` says so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Vec<Vec<Run>>>,
    pub header: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Para(Para),
    Table(Table),
}

/// Markdown as blocks of the document.
pub fn markdown(src: &str) -> Vec<Block> {
    let mut reader = Reader::default();
    for event in markdown::events(src) {
        reader.event(event);
    }
    reader.flush();
    reader.blocks
}

/// The style of a Markdown heading: `##` is the first level of a notice's
/// text (`#` is its title's).
fn heading_style(level: HeadingLevel) -> Style {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => Style::Heading1,
        HeadingLevel::H3 => Style::Heading2,
        _ => Style::Heading3,
    }
}

/// The Markdown reader's state.
#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    para: Option<Para>,
    /// The style the next paragraph opened takes.
    heading: Option<Style>,
    /// What the next paragraph starts with: a list item's number.
    prefix: Option<String>,
    /// For each list open, the number of its next item (`None`: bullets).
    lists: Vec<Option<u64>>,
    bold: usize,
    kai: usize,
    strike: usize,
    table: Option<Table>,
    row: Vec<Vec<Run>>,
    cell: Option<Vec<Run>>,
    /// The text of an HTML block, collected to the block's end.
    html: Option<String>,
}

impl Reader {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::Html(h) => {
                if let Some(html) = &mut self.html {
                    html.push_str(&h);
                }
            }
            Event::InlineHtml(h) => {
                if is_line_break(&h) {
                    self.text("\n");
                }
            }
            Event::FootnoteReference(label) => self.text(&format!("[{label}]")),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.text("\n"),
            Event::Rule => self.flush(),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::CodeBlock(_) => self.flush(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(heading_style(level));
            }
            Tag::List(first) => {
                self.flush();
                self.lists.push(first);
            }
            Tag::Item => {
                self.flush();
                let next = self.lists.last_mut().and_then(Option::as_mut);
                self.prefix = Some(match next {
                    // `（1）`: the level of a list inside a notice's text
                    // (GB/T 9704's fourth).
                    Some(n) => {
                        *n += 1;
                        format!("（{}）", *n - 1)
                    }
                    None => "• ".to_string(),
                });
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                self.prefix = Some(format!("[{label}] "));
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Table::default());
            }
            Tag::TableHead => {
                self.row.clear();
                if let Some(t) = &mut self.table {
                    t.header = true;
                }
            }
            Tag::TableRow => self.row.clear(),
            Tag::TableCell => self.cell = Some(Vec::new()),
            Tag::HtmlBlock => self.html = Some(String::new()),
            Tag::Emphasis => self.kai += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Image { .. } => self.text("（图："),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Item => {
                self.flush();
                self.heading = None;
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::TableCell => {
                let cell = self.cell.take().unwrap_or_default();
                self.row.push(cell);
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                let row = std::mem::take(&mut self.row);
                if let Some(t) = &mut self.table {
                    t.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.blocks.push(Block::Table(t));
                }
            }
            TagEnd::HtmlBlock => {
                let text = self.html.take().map(|h| strip_tags(&h)).unwrap_or_default();
                if !text.trim().is_empty() {
                    self.text(text.trim());
                    self.flush();
                }
            }
            TagEnd::Emphasis => self.kai = self.kai.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Image => self.text("）"),
            _ => {}
        }
    }

    fn look(&self) -> Look {
        Look {
            bold: self.bold > 0,
            kai: self.kai > 0,
            strike: self.strike > 0,
            ..Look::default()
        }
    }

    /// Text in the current look, into the open cell or paragraph (opened
    /// when none is).
    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let look = self.look();
        let runs = match &mut self.cell {
            Some(cell) => cell,
            None => {
                let style = self.heading.unwrap_or(Style::Body);
                let prefix = self.prefix.take();
                let para = self.para.get_or_insert_with(|| {
                    let runs = prefix.map(Run::plain).into_iter().collect();
                    Para::new(style, runs)
                });
                &mut para.runs
            }
        };
        push(runs, text, look);
    }

    /// Ends the open paragraph.
    fn flush(&mut self) {
        if let Some(para) = self.para.take()
            && !para.text().trim().is_empty()
        {
            self.blocks.push(Block::Para(para));
        }
    }
}

/// Appends text to runs, joining the last run when it looks the same.
fn push(runs: &mut Vec<Run>, text: &str, look: Look) {
    match runs.last_mut() {
        Some(last) if last.look == look => last.text.push_str(text),
        _ => runs.push(Run {
            text: text.to_string(),
            look,
        }),
    }
}

/// `<br>`, `<br/>`, `<br />`.
fn is_line_break(html: &str) -> bool {
    let inner = html.trim().trim_start_matches('<').trim_end_matches('>');
    inner
        .trim_end_matches('/')
        .trim()
        .eq_ignore_ascii_case("br")
}

/// The text of raw HTML: its tags and comments left out.
fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let after = &rest[open..];
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|e| e + 3)
        } else {
            after.find('>').map(|e| e + 1)
        };
        match end {
            Some(e) => rest = &after[e..],
            None => {
                rest = "";
                break;
            }
        }
    }
    text.push_str(rest);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(src: &str) -> Vec<(Style, String)> {
        markdown(src)
            .into_iter()
            .filter_map(|b| match b {
                Block::Para(p) => Some((p.style, p.text())),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn headings_paragraphs_and_chinese_bold() {
        let blocks = markdown("## 一、总体情况\n\n**（一）增强自觉。**区政协机关\n组织学习。\n");
        let Block::Para(p) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert!(p.runs[0].look.bold, "{:?}", p.runs);
        assert_eq!(p.runs[0].text, "（一）增强自觉。");
        assert_eq!(
            paras("## 一、总体情况\n\n**（一）增强自觉。**区政协机关\n组织学习。\n"),
            [
                (Style::Heading1, "一、总体情况".to_string()),
                (
                    Style::Body,
                    "（一）增强自觉。区政协机关组织学习。".to_string()
                ),
            ]
        );
        assert_eq!(paras("### 甲\n\n#### 乙")[0].0, Style::Heading2);
        assert_eq!(paras("### 甲\n\n#### 乙")[1].0, Style::Heading3);
    }

    #[test]
    fn lists_links_html_and_breaks() {
        assert_eq!(
            paras("1. 甲\n2. 乙\n\n- 丙\n"),
            [
                (Style::Body, "（1）甲".to_string()),
                (Style::Body, "（2）乙".to_string()),
                (Style::Body, "• 丙".to_string()),
            ]
        );
        assert_eq!(
            paras("见[第7项](a.md#problem-7)。<br>下一行\n\n<!-- problems -->\n\n<div>块</div>\n"),
            [
                (Style::Body, "见第7项。\n下一行".to_string()),
                (Style::Body, "块".to_string()),
            ]
        );
    }

    #[test]
    fn tables_keep_their_rows() {
        let blocks = markdown("| 等次 | 人数 |\n| --- | ---: |\n| 优秀 | 6 |\n| 合格 | 21 |\n");
        let [Block::Table(t)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert!(t.header);
        let text: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| c.iter().map(|x| x.text.clone()).collect())
                    .collect()
            })
            .collect();
        assert_eq!(text, [["等次", "人数"], ["优秀", "6"], ["合格", "21"]]);
    }
}
