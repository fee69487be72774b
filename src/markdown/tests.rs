//! The Markdown rules, example by example: CommonMark and GFM as they
//! are, and the Chinese rules where they apply.

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

/// Alike headings get the next free suffix each, a suffix some heading
/// wrote as its own id skipped; 50,000 of them are no slower than others.
#[test]
fn many_alike_headings_get_their_suffixes_in_order() {
    let mut anchors = Anchors::default();
    anchors.reserve("a-2");
    let ids: Vec<String> = (0..4).map(|_| anchors.unique("a")).collect();
    assert_eq!(ids, ["a", "a-1", "a-3", "a-4"]);
    assert_eq!(anchors.unique("a-1"), "a-1-1");
    let src = "## a\n\n".repeat(50_000);
    let html = render(&src, &|_| Ok(None), &mut Anchors::default(), RawHtml::Keep)
        .0
        .html;
    assert!(
        html.ends_with("<h2 id=\"a-49999\">a</h2>\n"),
        "{}",
        &html[html.len() - 60..]
    );
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
fn links_that_run_something_become_text_in_fields() {
    let field = |src: &str| {
        render(src, &|_| Ok(None), &mut Anchors::default(), RawHtml::Escape)
            .0
            .html
    };
    assert_eq!(
        field("[点](javascript:alert(1)) ![图](file:///etc/passwd) <JavaScript:alert(3)>"),
        "<p>点 图 JavaScript:alert(3)</p>\n"
    );
    assert_eq!(field("[d](data:text/html,x)"), "<p>d</p>\n");
    assert_eq!(field("[v]( VBScript:x)"), "<p>v</p>\n");
    // Addresses that lead to pages stay links.
    assert!(field("[网站](https://www.gov.cn/)").contains("<a href=\"https://www.gov.cn/\">"));
    assert!(field("[附件](附件/清单.xlsx)").contains("<a href="));
    // The body, whose author is trusted, is as written.
    assert!(md("[点](javascript:void(0))").contains("href=\"javascript:void(0)\""));
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

/// pulldown-cmark alone, with the same options, its raw HTML paired as
/// the body's is (`balance`).
fn plain(src: &str) -> String {
    let mut events: Vec<_> = Parser::new_ext(src, options()).into_offset_iter().collect();
    super::balance::balance(&mut events);
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
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
