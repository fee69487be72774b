//! The YAML itself: its syntax, expansion bombs, encodings and sizes.

use super::*;

pub(super) fn yaml_syntax_and_bombs() -> Vec<Case> {
    let deep_flow = format!("tags: {}", "[".repeat(250_000));
    let deep_block: String = (0..2000)
        .map(|i| format!("{}k{i}:", "  ".repeat(i)))
        .collect::<Vec<_>>()
        .join("\n");
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ntags: [*f, *f, *f, *f, *f, *f, *f, *f, *f]";
    vec![
        notice(
            "a tab before a key",
            with_line(12, "\tkind: 巡察"),
            error_at(FILE, 12),
        ),
        // Breaks only YAML 1.1 sees: each at its own place, not lines
        // below where the reader lost count.
        notice(
            "a line separator in a title",
            with_line(2, "title: 测试\u{2028}通报"),
            error_at(FILE, 2),
        ),
        notice(
            "a paragraph separator in a quoted title",
            with_line(2, "title: \"测试\u{2029}通报\""),
            error_at(FILE, 2),
        ),
        notice(
            "a control character in a title",
            with_line(2, "title: 测试\u{1}通报"),
            error_at(FILE, 2),
        ),
        notice(
            "a control character written as an escape",
            with_line(2, "title: \"测试\\x01通报\""),
            error_at(FILE, 2),
        ),
        notice(
            "a line separator written as an escape",
            with_line(20, "    title: \"第一个\\u2028问题\""),
            error_at(FILE, 20),
        ),
        notice(
            "a title of zero-width spaces",
            with_line(2, "title: \"\\u200b\u{200b}\""),
            coded(FILE, 2, Code::MissingTitle),
        ),
        notice(
            "a next-line character in a comment",
            with_line(9, "draft: false # 草稿\u{85}title: 又一个"),
            error_at(FILE, 9),
        ),
        notice(
            "an unclosed quote",
            with_line(2, "title: \"测试通报"),
            error_at(FILE, 2),
        ),
        notice(
            "an unclosed bracket",
            with_line(8, "tags: [巡察整改"),
            error_at(FILE, 8),
        ),
        notice(
            "an unclosed brace",
            with_line(8, "tags: {a: 1"),
            error_at(FILE, 8),
        ),
        notice(
            "a colon in a plain value",
            with_line(2, "title: 关于: 通报"),
            error_at(FILE, 2),
        ),
        notice(
            "a key indented too far",
            with_line(3, "   date: 2022-03-01"),
            error_at(FILE, 3),
        ),
        notice(
            "a key written twice",
            with_line(4, "title: 又一个标题"),
            error_at(FILE, 4),
        ),
        notice(
            "a problem field written twice",
            with_line(24, "    title: 又一个"),
            error_at(FILE, 24),
        ),
        notice(
            "a contact field written twice",
            with_line(30, "  phone: 1"),
            error_at(FILE, 30),
        ),
        notice(
            "250,000 nested brackets",
            with_line(8, &deep_flow),
            error_at(FILE, 8),
        ),
        // Quotes the nesting guard once followed wrongly, so that it
        // stopped counting: `'\'` is a whole string, `x:'` plain text.
        notice(
            "200,000 brackets after a single-quoted backslash",
            with_line(8, &format!("tags: ['\\', {}", "[".repeat(200_000))),
            error_at(FILE, 8),
        ),
        notice(
            "100,000 brackets after a quote inside a plain value",
            with_line(2, "title: 测试通报\n  x:'").replace(
                "tags: [巡察整改]",
                &format!("tags: {}", "[".repeat(100_000)),
            ),
            error_at(FILE, 9),
        ),
        notice(
            "2,000 nested mappings",
            format!("---\ntitle: a\ndate: 2022-01-01\ndeep:\n{deep_block}\n---\n"),
            error_at(FILE, 5 + 64),
        ),
        notice(
            "an alias bomb under tags",
            with_line(8, bomb),
            error_at(FILE, 9),
        ),
        notice(
            "anchors and aliases that are harmless",
            with_line(8, "tags: &t [巡察整改]\nx_unused: *t"),
            error_at(FILE, 9),
        ),
        notice(
            "an unknown field",
            with_line(7, "summery: 摘要"),
            coded(FILE, 7, Code::Yaml),
        ),
        notice(
            "an unknown problem field",
            with_line(21, "    couse: 原因"),
            coded(FILE, 21, Code::Yaml),
        ),
        notice(
            "three wrong types in one front matter",
            with_line(9, "draft: 是的").replace("  - number: 1", "  - number: 一"),
            error_at(FILE, 9),
        ),
        // Typing mistakes, each at its own line, not where the reader
        // stumbled.
        notice(
            "a full-width colon after a key",
            with_line(3, "date：2022-03-01"),
            coded(FILE, 3, Code::Yaml),
        ),
        notice(
            "a full-width colon in a problem",
            with_line(18, "  - number：1"),
            coded(FILE, 18, Code::Yaml),
        ),
        notice(
            "an indentation of no-break spaces",
            with_line(12, "\u{a0}\u{a0}kind: 巡察"),
            coded(FILE, 12, Code::Yaml),
        ),
        notice(
            "an indentation of an ideographic space",
            with_line(12, "\u{3000}kind: 巡察"),
            coded(FILE, 12, Code::Yaml),
        ),
        notice(
            "a BOM inside the front matter",
            with_line(8, "\u{feff}tags: [巡察整改]"),
            coded(FILE, 8, Code::Yaml),
        ),
        notice(
            "a Windows path in double quotes",
            with_line(7, "summary: \"材料见 C:\\Users\\dangban\\整改\""),
            coded(FILE, 7, Code::Yaml),
        ),
        notice(
            "a directive",
            format!("%YAML 1.2\n{NOTICE}"),
            coded(FILE, 1, Code::FrontMatter),
        ),
        // `...` ends a front matter as `---` does: the rest is the body.
        notice(
            "a second document inside",
            with_line(7, "...\n---\nsummary: x"),
            Expect::Ok,
        ),
        notice(
            "a bad escape",
            with_line(2, "title: \"a\\q\""),
            error_at(FILE, 2),
        ),
        notice(
            "an empty front matter",
            "---\n---\n正文\n",
            coded(FILE, 1, Code::FrontMatter),
        ),
        notice(
            "no front matter",
            "正文\n",
            coded(FILE, 1, Code::FrontMatter),
        ),
        notice(
            "an unclosed front matter",
            "---\ntitle: a\n",
            coded(FILE, 1, Code::FrontMatter),
        ),
        notice(
            "a front matter that is a list",
            "---\n- a\n- b\n---\n",
            error_at(FILE, 2),
        ),
        notice(
            "a front matter that is a word",
            "---\n通报\n---\n",
            error_at(FILE, 2),
        ),
        notice(
            "a control character",
            with_line(2, "title: 测试\u{7}通报"),
            error_at(FILE, 2),
        ),
    ]
}

pub(super) fn encodings() -> Vec<Case> {
    let utf16 = |big: bool, bom: bool| {
        let mut bytes: Vec<u8> = Vec::new();
        if bom {
            bytes.extend(if big { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
        }
        for unit in NOTICE.encode_utf16() {
            bytes.extend(if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    let (gbk, _, _) = encoding_rs::GBK.encode(NOTICE);
    let mut invalid = NOTICE.as_bytes().to_vec();
    invalid.extend(b"\xFF\xFE\xFD\n");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend([0u8; 64]);
    vec![
        notice(
            "UTF-16 LE with a BOM",
            utf16(false, true),
            coded(FILE, 1, Code::Encoding),
        ),
        notice(
            "UTF-16 BE with a BOM",
            utf16(true, true),
            coded(FILE, 1, Code::Encoding),
        ),
        notice(
            "UTF-16 LE without a BOM",
            utf16(false, false),
            coded(FILE, 1, Code::Encoding),
        ),
        notice("GBK", gbk.into_owned(), coded(FILE, 2, Code::Encoding)),
        notice(
            "invalid UTF-8 at the end",
            invalid,
            coded(FILE, 42, Code::Encoding),
        ),
        notice(
            "a NUL byte",
            with_line(2, "title: 测试\0通报"),
            error_at(FILE, 2),
        ),
        notice("a PNG named .md", png, coded(FILE, 1, Code::Encoding)),
        notice("an empty file", "", coded(FILE, 1, Code::FrontMatter)),
        notice("only a BOM", "\u{feff}", coded(FILE, 1, Code::FrontMatter)),
        notice(
            "a BOM and CRLF",
            format!("\u{feff}{}", NOTICE.replace('\n', "\r\n")),
            Expect::Ok,
        ),
        notice("old Mac line ends", NOTICE.replace('\n', "\r"), Expect::Ok),
        notice(
            "old Mac line ends with a mistake",
            with_line(3, "date: 2022-02-30").replace('\n', "\r"),
            error_at(FILE, 3),
        ),
    ]
}

pub(super) fn sizes() -> Vec<Case> {
    let mut big_body = NOTICE.to_string();
    let paragraph = "党的建设巡察整改工作持续推进，各项措施落实到位。".repeat(40) + "\n\n";
    while big_body.len() < 20 * 1024 * 1024 {
        big_body.push_str(&paragraph);
    }
    let many = insert_problems(NOTICE, 5000);
    let long_line = "长".repeat(1024 * 1024 / 3);
    // Many of one thing whose placing or naming once read the whole text
    // again for each: alike headings, broken links, wrong results.
    let headings = format!("{NOTICE}{}", "## 一、整改情况\n\n".repeat(50_000));
    let first_line_after = NOTICE.lines().count() + 1;
    let links: String = (0..20_000)
        .map(|i| format!("[通报{i}](gone-{i}.md)\n\n"))
        .collect();
    let wrong = insert_problems(NOTICE, 20_000).replace("result: 正在整改", "result: 完成了吧");
    let wrong_line = wrong
        .lines()
        .position(|l| l.contains("完成了吧"))
        .map_or(0, |i| i + 1);
    vec![
        notice("50,000 alike headings", headings, Expect::Ok),
        notice(
            "20,000 broken links",
            format!("{NOTICE}{links}"),
            coded(FILE, first_line_after, Code::BrokenLink),
        ),
        notice(
            "20,000 results not recognised",
            wrong,
            coded(FILE, wrong_line, Code::UnknownResult),
        ),
        notice(
            "20,000 serious typos",
            format!("{NOTICE}{}", "中华人民共合国\n\n".repeat(20_000)),
            Expect::Checked {
                line: first_line_after,
                code: Code::SeriousTypo,
            },
        ),
        notice("a 20 MB notice", big_body, Expect::Ok),
        notice("5,000 problems", many, Expect::Ok),
        notice(
            "a 1 MB line in the body",
            format!("{NOTICE}{long_line}\n"),
            Expect::Ok,
        ),
        notice(
            "a 1 MB title",
            with_line(2, &format!("title: {long_line}")),
            Expect::Ok,
        ),
    ]
}
