//! Markdown to HTML with the GitHub extensions, heading anchors, link
//! rewriting and the Chinese rules of [`cjk`].

mod cjk;

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// What rendering a piece of Markdown gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The text a reader reads, for summaries, reading time and search.
    pub text: String,
    /// Every link and image, for `gongkai check`.
    pub links: Vec<Link>,
}

/// A link or image as written in the Markdown and as it ends up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Byte offset of the destination in the Markdown source.
    pub offset: usize,
    pub written: String,
    /// The destination after rewriting (the same when kept).
    pub target: String,
    pub image: bool,
}

/// A link that points nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    /// Byte offset of the link in the Markdown source.
    pub offset: usize,
    /// The destination as written.
    pub dest: String,
    pub message: String,
    pub help: Option<String>,
}

/// Decides what a link destination becomes: `Ok(Some(new))` rewrites it,
/// `Ok(None)` keeps it, `Err((message, help))` reports it as broken.
pub type LinkResolver<'a> =
    dyn Fn(&str) -> Result<Option<String>, (String, Option<String>)> + Sync + 'a;

/// The ids already used on one page, so that heading anchors stay unique.
#[derive(Debug, Clone, Default)]
pub struct Anchors(HashSet<String>);

impl Anchors {
    /// Reserves ids the page uses for other things (e.g. `problem-7`).
    pub fn reserve(&mut self, id: impl Into<String>) {
        self.0.insert(id.into());
    }

    /// `base`, or `base-1`, `base-2`... if taken.
    pub fn unique(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 1;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders `src` to HTML. Every broken link is reported, not only the first.
/// What raw HTML written in the Markdown becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// HTML as written: the body of a notice, whose author is trusted.
    Keep,
    /// Text, escaped: the Markdown of front-matter fields, which imports
    /// fill from sources that are not trusted.
    Escape,
}

/// Renders `src` to HTML. Every broken link is reported, not only the
/// first; a broken link stays as written and the rest is rendered, so that
/// its other mistakes can still be found.
pub fn render(
    src: &str,
    links: &LinkResolver<'_>,
    anchors: &mut Anchors,
    raw_html: RawHtml,
) -> (Rendered, Vec<LinkError>) {
    let events: Vec<_> = Parser::new_ext(src, options()).into_offset_iter().collect();
    let mut events = cjk::apply(events, src);
    if raw_html == RawHtml::Escape {
        for (event, _) in &mut events {
            if let Event::Html(html) | Event::InlineHtml(html) = event {
                *event = Event::Text(std::mem::replace(html, CowStr::Borrowed("")));
            }
        }
    }
    let (links, errors) = rewrite_links(&mut events, src, links);
    name_headings(&mut events, anchors);
    let text = plain_text(&events);
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
    let rendered = Rendered {
        html: out,
        text,
        links,
    };
    (rendered, errors)
}

fn rewrite_links(
    events: &mut [cjk::Spanned<'_>],
    src: &str,
    resolve: &LinkResolver<'_>,
) -> (Vec<Link>, Vec<LinkError>) {
    let mut links = Vec::new();
    let mut errors = Vec::new();
    for (event, range) in events.iter_mut() {
        let (dest, image) = match event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        // Point at the destination itself when it is written out.
        let offset = src
            .get(range.clone())
            .and_then(|link| link.rfind(dest.as_ref()))
            .map_or(range.start, |i| range.start + i);
        let written = dest.to_string();
        match resolve(dest) {
            Ok(new) => {
                if let Some(new) = new {
                    *dest = CowStr::from(new);
                }
                links.push(Link {
                    offset,
                    written,
                    target: dest.to_string(),
                    image,
                });
            }
            Err((message, help)) => errors.push(LinkError {
                offset,
                dest: written,
                message,
                help,
            }),
        }
    }
    (links, errors)
}

/// Gives every heading an id: its own `{#id}`, or one made from its text.
fn name_headings(events: &mut [cjk::Spanned<'_>], anchors: &mut Anchors) {
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i].0 {
            let given = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let new_id = anchors.unique(&given.unwrap_or_else(|| heading_slug(&text)));
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                *id = Some(CowStr::from(new_id));
            }
            i = j;
        }
        i += 1;
    }
}

/// `一、切实提高政治站位` → `一切实提高政治站位`; `Part 2` → `part-2`.
pub fn heading_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !slug.ends_with('-')
            && !slug.is_empty()
        {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug.to_string()
    }
}

/// The text of the events; blocks are separated by a space. (Soft breaks
/// between CJK characters are already gone.)
fn plain_text(events: &[cjk::Spanned<'_>]) -> String {
    let mut text = String::new();
    let mut space = false;
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if space && !text.is_empty() {
                    text.push(' ');
                }
                let mut words = t.split_whitespace().peekable();
                if t.starts_with(char::is_whitespace) && !text.is_empty() && words.peek().is_some()
                {
                    text.push(' ');
                }
                while let Some(w) = words.next() {
                    text.push_str(w);
                    if words.peek().is_some() {
                        text.push(' ');
                    }
                }
                space = t.ends_with(char::is_whitespace);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => space = true,
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(src: &str) -> String {
        render(src, &|_| Ok(None), &mut Anchors::default(), RawHtml::Keep)
            .0
            .html
    }

    #[test]
    fn bold_label_before_han_text() {
        assert_eq!(
            md("**原因分析：**政协机关能够始终牢固树立"),
            "<p><strong>原因分析：</strong>政协机关能够始终牢固树立</p>\n"
        );
    }

    #[test]
    fn bold_quoted_phrase_inside_a_sentence() {
        assert_eq!(
            md("做到**“两个维护”**的实际行动"),
            "<p>做到<strong>“两个维护”</strong>的实际行动</p>\n"
        );
    }

    #[test]
    fn several_bold_spans_pair_correctly() {
        // CommonMark alone pairs the `。**` with the `**“` and bolds the
        // wrong words.
        assert_eq!(
            md("**（一）增强巡察整改的自觉。**区政协机关做到**“两个维护”**的行动"),
            "<p><strong>（一）增强巡察整改的自觉。</strong>区政协机关做到<strong>“两个维护”</strong>的行动</p>\n"
        );
        assert_eq!(
            md("**原因分析：**政协机关的**重点**工作"),
            "<p><strong>原因分析：</strong>政协机关的<strong>重点</strong>工作</p>\n"
        );
    }

    #[test]
    fn latin_emphasis_is_unchanged() {
        assert_eq!(
            md("a **b** *c* ***d***"),
            "<p>a <strong>b</strong> <em>c</em> <em><strong>d</strong></em></p>\n"
        );
        assert_eq!(md("2*3*4 = 24, a * b"), "<p>2<em>3</em>4 = 24, a * b</p>\n");
        assert_eq!(md("**foo\"**bar"), "<p>**foo\"**bar</p>\n");
    }

    #[test]
    fn nested_and_uneven_runs() {
        assert_eq!(
            md("***强调**加粗*"),
            "<p><em><strong>强调</strong>加粗</em></p>\n"
        );
        assert_eq!(
            md("*斜体**加粗**斜体*"),
            "<p><em>斜体<strong>加粗</strong>斜体</em></p>\n"
        );
    }

    #[test]
    fn code_and_escapes_stay_literal() {
        assert_eq!(
            md("`**不是：**加粗` 和 \\*\\*字面\\*\\*"),
            "<p><code>**不是：**加粗</code> 和 **字面**</p>\n"
        );
        assert_eq!(md("\\*\\*原因：**政协"), "<p>**原因：**政协</p>\n");
    }

    #[test]
    fn emphasis_does_not_cross_links() {
        assert_eq!(
            md("**[见：**第7项](#problem-7)**"),
            "<p><strong><a href=\"#problem-7\">见：**第7项</a></strong></p>\n"
        );
    }

    #[test]
    fn soft_breaks_between_han_vanish() {
        assert_eq!(md("政协机关\n深入学习"), "<p>政协机关深入学习</p>\n");
        assert_eq!(
            md("政协机关，\n“四个意识”"),
            "<p>政协机关，“四个意识”</p>\n"
        );
        assert_eq!(
            md("Latin words\nstay apart"),
            "<p>Latin words\nstay apart</p>\n"
        );
        assert_eq!(md("中文\nEnglish"), "<p>中文\nEnglish</p>\n");
        assert_eq!(
            md("**加粗：**\n正文"),
            "<p><strong>加粗：</strong>正文</p>\n"
        );
    }

    #[test]
    fn gfm_extensions() {
        let html = md(
            "| 项目 | 金额 |\n|---|---|\n| 追回 | 7230.3元 |\n\n~~删除~~ 和 7~9月\n\n- [x] 已完成\n\n脚注[^1]\n\n[^1]: 说明",
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>删除</del> 和 7~9月"), "{html}");
        assert!(html.contains("checkbox"), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }

    #[test]
    fn headings_get_unique_anchors() {
        let mut anchors = Anchors::default();
        anchors.reserve("problem-1");
        let src = "## 一、切实提高政治站位\n\n## 一、切实提高政治站位\n\n## 自定义 {#custom}\n\n## problem 1\n";
        let html = render(src, &|_| Ok(None), &mut anchors, RawHtml::Keep)
            .0
            .html;
        assert!(html.contains("<h2 id=\"一切实提高政治站位\">"), "{html}");
        assert!(html.contains("<h2 id=\"一切实提高政治站位-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"custom\">"), "{html}");
        assert!(html.contains("<h2 id=\"problem-1-1\">"), "{html}");
    }

    #[test]
    fn links_are_rewritten_or_reported() {
        let resolve = |dest: &str| match dest {
            "a.md" => Ok(Some("../a/index.html".to_string())),
            "missing.md" => Err(("没有这篇通报".to_string(), None)),
            _ => Ok(None),
        };
        let html = render(
            "[甲](a.md) [乙](https://x.cn/)",
            &resolve,
            &mut Anchors::default(),
            RawHtml::Keep,
        )
        .0
        .html;
        assert!(html.contains("href=\"../a/index.html\""));
        assert!(html.contains("href=\"https://x.cn/\""));
        let (rendered, errors) = render(
            "第一行\n\n[丙](missing.md) ![图](missing.md) [丁](#here)",
            &resolve,
            &mut Anchors::default(),
            RawHtml::Keep,
        );
        assert_eq!(rendered.links.len(), 1, "the good link is kept for checks");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].offset, "第一行\n\n[丙](".len());
        assert_eq!(errors[0].dest, "missing.md");
    }

    #[test]
    fn raw_html_passes_through_in_the_body_only() {
        assert!(md("<div class=\"note\">说明</div>").contains("<div class=\"note\">"));
        let field = |src: &str| {
            render(src, &|_| Ok(None), &mut Anchors::default(), RawHtml::Escape)
                .0
                .html
        };
        assert_eq!(
            field("**加粗**<script>alert(1)</script>"),
            "<p><strong>加粗</strong>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        );
        assert_eq!(
            field("<img src=x onerror=alert(1)>\n\n正文"),
            "&lt;img src=x onerror=alert(1)&gt;\n<p>正文</p>\n"
        );
    }

    #[test]
    fn plain_text_for_summaries() {
        let (r, _) = render(
            "# 标题\n\n**原因分析：**政协\n机关。",
            &|_| Ok(None),
            &mut Anchors::default(),
            RawHtml::Keep,
        );
        assert_eq!(r.text, "标题 原因分析：政协机关。");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::fuzz_cases(300)))]

        /// Any mix of Markdown's special characters and Chinese text: HTML
        /// in time, never a panic, and no raw HTML where it is escaped.
        #[test]
        fn any_markdown_renders(pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..200)) {
            let src: String = pieces.concat();
            let started = std::time::Instant::now();
            let anchors = &mut Anchors::default();
            let _ = render(&src, &|_| Ok(None), anchors, RawHtml::Keep);
            let (escaped, _) = render(&src, &|_| Ok(None), &mut Anchors::default(), RawHtml::Escape);
            proptest::prop_assert!(!escaped.html.contains("<script"));
            proptest::prop_assert!(started.elapsed() < std::time::Duration::from_secs(2));
        }
    }

    const PIECES: &[&str] = &[
        "*",
        "**",
        "***",
        "_",
        "__",
        "~~",
        "`",
        "``",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "!",
        "#",
        "# ",
        "\n",
        "\n\n",
        " ",
        "    ",
        "\t",
        "a",
        "b",
        "中",
        "文",
        "：",
        "。",
        "“",
        "”",
        "（",
        "）",
        "|",
        "-",
        "- ",
        "1. ",
        "> ",
        "\\",
        "&",
        "&amp;",
        "http://x.cn/",
        "<script>",
        "</script>",
        "<b>",
        "{#id}",
        "[^1]",
        "[^1]: 注",
        "---",
        "```",
        "~~~",
        "$",
        "<!-- problems -->",
        "3**2",
        "€",
    ];

    /// Chinese writing, each case with the HTML it must give.
    #[test]
    fn chinese_cases() {
        let cases: &[(&str, &str)] = &[
            // Labels ending in full-width punctuation, then Han text.
            (
                "**原因分析：**政协机关",
                "<p><strong>原因分析：</strong>政协机关</p>\n",
            ),
            (
                "*原因分析：*政协机关",
                "<p><em>原因分析：</em>政协机关</p>\n",
            ),
            (
                "__原因分析：__正文",
                "<p><strong>原因分析：</strong>正文</p>\n",
            ),
            ("_原因分析：_正文", "<p><em>原因分析：</em>正文</p>\n"),
            ("~~删除：~~正文", "<p><del>删除：</del>正文</p>\n"),
            ("正文~~删除。~~后文", "<p>正文<del>删除。</del>后文</p>\n"),
            // Quotes and brackets at the edges.
            (
                "做到**“两个维护”**的实际行动",
                "<p>做到<strong>“两个维护”</strong>的实际行动</p>\n",
            ),
            (
                "**（一）**加强学习",
                "<p><strong>（一）</strong>加强学习</p>\n",
            ),
            (
                "见**《条例》**第十五条",
                "<p>见<strong>《条例》</strong>第十五条</p>\n",
            ),
            (
                "**〔2021〕12号**文件",
                "<p><strong>〔2021〕12号</strong>文件</p>\n",
            ),
            // Nested emphasis.
            (
                "***强调：**加粗*后文",
                "<p><em><strong>强调：</strong>加粗</em>后文</p>\n",
            ),
            (
                "**加粗*斜体：*加粗**正文",
                "<p><strong>加粗<em>斜体：</em>加粗</strong>正文</p>\n",
            ),
            // Soft breaks between Han characters vanish; next to Latin they stay.
            ("整改\n完成", "<p>整改完成</p>\n"),
            ("整改，\n“完成”", "<p>整改，“完成”</p>\n"),
            ("整改\nOK", "<p>整改\nOK</p>\n"),
            // Code next to Han text, and code that holds delimiters.
            ("见`a*b*c`中文", "<p>见<code>a*b*c</code>中文</p>\n"),
            ("`**“x”**中文`", "<p><code>**“x”**中文</code></p>\n"),
            (
                "```\na*b*c 和 **“x”**中文\n```",
                "<pre><code>a*b*c 和 **“x”**中文\n</code></pre>\n",
            ),
            (
                "    a*b + c*d 中文",
                "<pre><code>a*b + c*d 中文</code></pre>\n",
            ),
            // A literal product, escapes and an autolink stay as written.
            ("3**2等于9", "<p>3**2等于9</p>\n"),
            ("\\*\\*不是加粗：\\*\\*正文", "<p>**不是加粗：**正文</p>\n"),
            (
                "<https://a.cn/a*b*c>中文",
                "<p><a href=\"https://a.cn/a*b*c\">https://a.cn/a*b*c</a>中文</p>\n",
            ),
            // Emphasis never pairs across a link's boundary.
            (
                "**[见：**第7项](#problem-7)**",
                "<p><strong><a href=\"#problem-7\">见：**第7项</a></strong></p>\n",
            ),
            // In a block quote and a table cell, the line starts after the marker.
            (
                ">**要求：**整改",
                "<blockquote>\n<p><strong>要求：</strong>整改</p>\n</blockquote>\n",
            ),
            (
                "| 项 |\n|---|\n|**完成：**是|",
                "<table><thead><tr><th>项</th></tr></thead><tbody>\n<tr><td><strong>完成：</strong>是</td></tr>\n</tbody></table>\n",
            ),
        ];
        for (markdown, html) in cases {
            assert_eq!(md(markdown), *html, "{markdown}");
        }
    }

    /// pulldown-cmark alone, with the same options.
    fn plain(src: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, Parser::new_ext(src, options()));
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::fuzz_cases(500)))]

        /// Outside Chinese text, the Chinese rules change nothing: gongkai
        /// renders exactly what pulldown-cmark renders.
        #[test]
        fn outside_chinese_text_it_is_pulldown_cmark(
            pieces in proptest::collection::vec(proptest::sample::select(LATIN), 0..80)
        ) {
            let src: String = pieces.concat();
            proptest::prop_assert_eq!(crate::testing::without_heading_ids(&md(&src)), crate::testing::without_heading_ids(&plain(&src)), "{:?}", src);
        }

        /// With Chinese text, emphasis always nests properly.
        #[test]
        fn with_chinese_text_tags_stay_balanced(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..80)
        ) {
            let src: String = pieces.concat();
            let html = md(&src);
            for tag in ["em", "strong", "del"] {
                proptest::prop_assert_eq!(
                    html.matches(&format!("<{tag}>")).count(),
                    html.matches(&format!("</{tag}>")).count(),
                    "{} in {:?}", tag, src
                );
            }
        }
    }

    const LATIN: &[&str] = &[
        "*",
        "**",
        "***",
        "_",
        "__",
        "~",
        "~~",
        "~~~",
        "`",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "!",
        "# ",
        "\n",
        "\n\n",
        " ",
        "    ",
        "a",
        "b",
        "foo",
        ".",
        ",",
        ";",
        "'",
        "\"",
        "|",
        "-",
        "- ",
        "1. ",
        "> ",
        "\\",
        "&",
        "http://x.cn/",
        "<b>",
        "</b>",
        "{#id}",
        "€",
        "$",
        "+",
        "=",
        "é",
        "ς",
    ];
}
