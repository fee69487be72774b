//! Mistakes the YAML reader finds in the text itself: syntax, a key
//! written twice, aliases that repeat too much, nesting too deep.
//!
//! The reader (`yaml_serde`, over `libyaml-rs`) reports these as English
//! text; [`error`] is the one place that reads that text, to say in
//! Chinese what is wrong and where. Its wording is pinned: `Cargo.toml`
//! names the exact version, and the test below holds every message this
//! file reads, produced from a real bad document, word for word, so that
//! an update that changes them fails here instead of silently.

use super::locate::locate_key;
use super::path::{self, segs};
use super::{YamlError, YamlErrorKind, depth};

/// The error for a text the YAML reader could not read.
pub fn error(text: &str, e: &serde_yaml::Error) -> YamlError {
    let full = e.to_string();
    let raw = full.split(" at line ").next().unwrap_or(&full);
    // An unclosed quote or bracket is found where the text ends or the next
    // key begins; the mistake is where it was opened, which the reader
    // names after "while scanning/parsing ... at".
    let (line, column) = full
        .split_once(", while ")
        .filter(|(_, opened)| opened.contains("flow") || opened.contains("quoted"))
        .and_then(|(_, opened)| line_column(opened))
        .or_else(|| e.location().map(|l| (l.line(), l.column())))
        .unwrap_or((1, 1));
    if let Some(key) = between(raw, "duplicate entry with key \"", "\"") {
        return duplicate(text, raw, key, (line, column));
    }
    // A number past what the reader holds (2^64): more digits than any
    // count or amount has.
    if let Some(number) = between(raw, "invalid type: integer `", "`") {
        return YamlError {
            line,
            column,
            kind: YamlErrorKind::InvalidValue,
            unlisted: 0,
            path: raw.split_once(": invalid type").map(|(p, _)| p.to_string()),
            message: format!("数字 {number} 太大了，读不了"),
            help: Some(
                "请检查是不是多写了数字：金额以元为单位，例如 recovered_yuan: 7230.5。要原样保留一长串数字，请用引号括起来。"
                    .into(),
            ),
        };
    }
    // Nesting the guard let through (deeper than the reader's own limit
    // of 128, which the guard's 64 is below): where the reader stopped.
    if raw.contains("recursion limit exceeded") {
        return too_deep(line, column);
    }
    if raw.contains("repetition limit exceeded") {
        let (line, column) = first_alias(text).unwrap_or((line, column));
        return YamlError::syntax(
            line,
            column,
            "YAML 的引用（&锚点 和 *引用）展开后太大",
            "front matter 里不需要 & 和 * 引用：请把内容直接写出来。",
        );
    }
    // A quote left open swallows the lines after it: the reader stumbles
    // far below, but the mistake is where the quote was opened.
    if let Some((line, column)) = open_quote(text, line) {
        return YamlError::syntax(
            line,
            column,
            "YAML 格式错误：引号没有成对",
            "这一行的值以引号开头，但同一行里没有结束的引号：请补上结束的引号，或去掉开头的引号。",
        );
    }
    let tab = text.lines().nth(line.saturating_sub(1)).and_then(|l| {
        let at = l.chars().nth(column.saturating_sub(1));
        (at == Some('\t')).then_some(())
    });
    YamlError::syntax(
        line,
        column,
        format!("YAML 格式错误（{raw}）"),
        hint(raw, tab.is_some()),
    )
}

/// Whether the reader refused a text for a key written twice (and so
/// [`super::twice`] can read it).
pub fn is_duplicate(e: &serde_yaml::Error) -> bool {
    e.to_string().contains("duplicate entry with key \"")
}

/// A key written twice: the reader names the mapping; the place is the
/// second key.
fn duplicate(text: &str, raw: &str, key: &str, at: (usize, usize)) -> YamlError {
    let inside = raw
        .split_once(": duplicate")
        .map(|(p, _)| path::parse(p))
        .unwrap_or_default();
    let mut error = twice_at(&inside, key);
    (error.line, error.column) = locate_key(text, &segs(&inside), key, 2).unwrap_or(at);
    error
}

/// The error for a key written again, at its place.
pub fn twice(text: &str, twice: &super::twice::Twice) -> YamlError {
    let mut error = twice_at(&twice.inside, &twice.key);
    if let Some((line, column)) = locate_key(text, &segs(&twice.inside), &twice.key, twice.nth) {
        (error.line, error.column) = (line, column);
    }
    error
}

fn twice_at(inside: &[path::Step], key: &str) -> YamlError {
    YamlError {
        line: 1,
        column: 1,
        kind: YamlErrorKind::DuplicateField(key.to_string()),
        unlisted: 0,
        path: Some(path::shown(inside)).filter(|p| !p.is_empty()),
        message: format!("字段 {key} 写了两次"),
        help: Some("每个字段只能出现一次：请删掉其中一个，或把它们合在一起。".into()),
    }
}

/// The error for a text nested deeper than [`depth::MAX_DEPTH`].
pub fn too_deep(line: usize, column: usize) -> YamlError {
    YamlError::syntax(
        line,
        column,
        format!("YAML 嵌套层次太深（超过 {} 层）", depth::MAX_DEPTH),
        "front matter 只需要两三层：字段、问题列表、问题的字段。请检查方括号、花括号和缩进。",
    )
}

/// Characters YAML 1.1 breaks lines at, though no editor shows a break
/// there: NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR, which come with
/// text copied from web pages and some word processors.
const UNSEEN_BREAKS: [char; 3] = ['\u{85}', '\u{2028}', '\u{2029}'];

/// Characters YAML does not allow anywhere: the control characters other
/// than tab and the line ends, and the two non-characters of the BMP.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'))
        || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Whether YAML cannot hold `c` as written: a character it refuses or
/// reads as a line break where an editor shows none.
pub fn unwritable(c: char) -> bool {
    UNSEEN_BREAKS.contains(&c) || is_forbidden(c)
}

/// An error at each invisible character of `text` that the reader would
/// refuse (at the start of the document, in English) or count as a line
/// break (misplacing every mistake below it).
pub fn unseen_characters(text: &str) -> Vec<YamlError> {
    let mut found = Vec::new();
    for (line_no, line) in text.split('\n').enumerate() {
        for (column, c) in line.chars().enumerate() {
            let (what, why) = if UNSEEN_BREAKS.contains(&c) {
                ("分行符", "YAML 会把它当作换行")
            } else if is_forbidden(c) {
                ("控制字符", "YAML 里不能有")
            } else {
                continue;
            };
            let message = format!("这里有一个看不见的{what}（U+{:04X}），{why}", u32::from(c));
            found.push(YamlError::syntax(
                line_no + 1,
                column + 1,
                message,
                "它常随着从网页、Word 或其他软件复制的文字带进来。把光标放在这个位置，按一次 Delete 删掉它（需要空格就补一个空格）。",
            ));
        }
    }
    found
}

/// An error at each string of `tree` (read from `text`) that holds a
/// character [`unseen_characters`] refuses, written as an escape in
/// quotes (`"\x01"`, `"\u2028"`): as invisible in the page as it is in
/// the editor, and not allowed at all in the XML of the feed, the sitemap
/// and the Word copy.
pub fn escaped_unseen(text: &str, tree: &serde_yaml::Value) -> Vec<YamlError> {
    let mut found = Vec::new();
    let mut path = Vec::new();
    escaped_in(text, tree, &mut path, &mut found);
    found
}

fn escaped_in(
    text: &str,
    value: &serde_yaml::Value,
    path: &mut Vec<path::Step>,
    found: &mut Vec<YamlError>,
) {
    use serde_yaml::Value;
    match value {
        Value::String(s) => {
            if let Some(c) = s.chars().find(|&c| unwritable(c)) {
                let (line, column) = super::locate(text, &segs(path)).unwrap_or((1, 1));
                found.push(YamlError {
                    line,
                    column,
                    kind: YamlErrorKind::InvalidValue,
                    unlisted: 0,
                    path: Some(path::shown(path)),
                    message: format!(
                        "这个值里写了一个看不见的字符（U+{:04X}，用 \\ 转义写的）",
                        u32::from(c)
                    ),
                    help: Some(
                        "通报和配置里都用不到控制字符：删掉引号里的这个转义（\\x.. 或 \\u....）；要换行就直接换行。"
                            .into(),
                    ),
                });
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(path::Step::Index(i));
                escaped_in(text, item, path, found);
                path.pop();
            }
        }
        Value::Mapping(map) => {
            for (key, item) in map {
                let key = match key {
                    Value::String(k) => k.clone(),
                    other => format!("{other:?}"),
                };
                path.push(path::Step::Key(key));
                escaped_in(text, item, path, found);
                path.pop();
            }
        }
        Value::Tagged(tagged) => escaped_in(text, &tagged.value, path, found),
        _ => {}
    }
}

/// The fix for the syntax errors office users actually make.
fn hint(msg: &str, at_tab: bool) -> &'static str {
    if at_tab || msg.contains("tab character") {
        "YAML 只能用空格缩进，请把这一行开头的 Tab 换成空格。"
    } else if msg.contains("mapping values are not allowed") {
        "如果值里含有“: ”（英文冒号加空格），请把整个值用引号括起来，例如 title: \"……: ……\"；也可能是上一行缩进不对。"
    } else if msg.contains("did not find expected key") || msg.contains("did not find expected '-'")
    {
        "这一行的缩进和上一层不一致：同一层的字段要对齐，下一层要多缩进两个空格。"
    } else if msg.contains("escape") || msg.contains("hexadecimal") {
        "双引号里的 \\ 是转义符号。文件路径请改用单引号括起来，或把每个 \\ 写成 \\\\。"
    } else if msg.contains("cannot start any token") {
        "以 @、` 或 % 开头的值要用引号括起来。"
    } else if msg.contains("end of stream") || msg.contains("did not find expected") {
        "引号、方括号或花括号没有成对闭合。"
    } else {
        "请检查这一行的缩进、冒号和引号。"
    }
}

/// The lines of `text` that are YAML, numbered from 1: the lines of block
/// scalars (`|`, `>`) are text, and left out.
pub(super) fn yaml_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut block_indent: Option<usize> = None;
    text.lines().enumerate().filter_map(move |(i, line)| {
        let indent = line.len() - line.trim_start().len();
        if let Some(b) = block_indent {
            if line.trim().is_empty() || indent > b {
                return None;
            }
            block_indent = None;
        }
        let trimmed = line.trim_end();
        if trimmed.ends_with(['|', '>']) || trimmed.ends_with("|-") || trimmed.ends_with(">-") {
            block_indent = Some(indent);
        }
        Some((i + 1, line))
    })
}

/// The first line before `until` whose value opens a quote that the line
/// does not close (outside block scalars): `title: "测试通报`.
fn open_quote(text: &str, until: usize) -> Option<(usize, usize)> {
    for (n, line) in yaml_lines(text).take_while(|(n, _)| *n < until) {
        let value = line
            .split_once(": ")
            .map(|(_, v)| v)
            .or_else(|| line.trim_start().strip_prefix("- "))
            .unwrap_or("")
            .trim_start();
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let rest = &value[1..];
        let closed = if quote == '"' {
            let mut escaped = false;
            rest.chars().any(|c| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            })
        } else {
            rest.replace("''", "").contains('\'')
        };
        if !closed {
            let column = line[..line.len() - value.len()].chars().count() + 1;
            return Some((n, column));
        }
    }
    None
}

/// The position in "… at line 2 column 7".
fn line_column(text: &str) -> Option<(usize, usize)> {
    let rest = text.split_once("at line ")?.1;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// Where the first alias (`*name`) of a text is: a `*` where a value
/// starts, outside block scalars, so that Markdown bold (`**一是**`) in
/// `measures: |` is not one.
fn first_alias(text: &str) -> Option<(usize, usize)> {
    for (n, line) in yaml_lines(text) {
        let mut previous = ' ';
        let mut chars = line.chars().enumerate().peekable();
        while let Some((column, c)) = chars.next() {
            if c == '#' && previous == ' ' {
                break;
            }
            let named = chars
                .peek()
                .is_some_and(|(_, next)| !next.is_whitespace() && *next != '*');
            if c == '*' && named && matches!(previous, ' ' | '[' | ',' | '{') {
                return Some((n, column + 1));
            }
            previous = c;
        }
    }
    None
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOMB: &str = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";

    /// Every message of the YAML reader that [`error`] reads, word for
    /// word, with the place the reader gives. When an update of
    /// `yaml_serde` (or of `libyaml-rs` below it) changes one, this fails:
    /// check what [`error`] and [`hint`] look for, then update the pin in
    /// `Cargo.toml` and this table.
    #[test]
    fn the_reader_s_messages_are_pinned() {
        let deep = format!("a: {}\n", "[".repeat(200));
        // A document, the reader's message, and the place it gives.
        type Case<'a> = (&'a str, &'a str, Option<(usize, usize)>);
        let cases: [Case<'_>; 13] = [
            (
                "title: a\n\titems: []\n",
                "found a tab character that violates indentation at line 2 column 1, while scanning a plain scalar at line 1 column 8",
                Some((2, 1)),
            ),
            (
                "a:\n\t- b\n",
                "found character that cannot start any token at line 2 column 1, while scanning for the next token",
                Some((2, 1)),
            ),
            (
                "title: 关于: 通报\n",
                "mapping values are not allowed in this context at line 1 column 10",
                Some((1, 10)),
            ),
            (
                "a:\n  - b\n - c\n",
                "did not find expected key at line 3 column 2, while parsing a block mapping",
                Some((3, 2)),
            ),
            (
                "a:\n  - b\n  c: d\n",
                "did not find expected '-' indicator at line 3 column 3, while parsing a block collection at line 2 column 3",
                Some((3, 3)),
            ),
            (
                "title: \"abc\ndate: 1\n",
                "found unexpected end of stream at line 3 column 1, while scanning a quoted scalar at line 1 column 8",
                Some((3, 1)),
            ),
            (
                "tags: [a, b\ndate: 1\n",
                "did not find expected ',' or ']' at line 2 column 5, while parsing a flow sequence at line 1 column 7",
                Some((2, 5)),
            ),
            (
                "c: {a: 1\ndate: 1\n",
                "did not find expected ',' or '}' at line 2 column 5, while parsing a flow mapping at line 1 column 4",
                Some((2, 5)),
            ),
            (
                "title: a\ntitle: b\n",
                "duplicate entry with key \"title\"",
                Some((1, 1)),
            ),
            (
                "problems:\n  - number: 1\n    number: 2\n",
                "problems[0]: duplicate entry with key \"number\" at line 2 column 5",
                Some((2, 5)),
            ),
            (
                "a:\n  - 99999999999999999999\n",
                "a[0]: invalid type: integer `99999999999999999999` as u128, expected any YAML value at line 2 column 5",
                Some((2, 5)),
            ),
            (BOMB, "repetition limit exceeded", None),
            (
                &deep,
                "recursion limit exceeded at line 1 column 131",
                Some((1, 131)),
            ),
        ];
        for (text, message, place) in cases {
            let e = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
            assert_eq!(e.to_string(), message, "{text:?}");
            let at = e.location().map(|l| (l.line(), l.column()));
            assert_eq!(at, place, "{text:?}");
        }
    }

    fn read(text: &str) -> YamlError {
        error(
            text,
            &serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err(),
        )
    }

    #[test]
    fn each_message_gets_its_place_and_hint() {
        let e = read("title: 关于: 通报\n");
        assert_eq!((e.line, e.column), (1, 10));
        assert!(e.message.starts_with("YAML 格式错误"), "{}", e.message);
        assert!(e.help.unwrap().contains("引号"));
        for tab in ["title: a\n\titems: []\n", "a:\n\t- b\n"] {
            let e = read(tab);
            assert_eq!((e.line, e.column), (2, 1));
            assert!(e.help.unwrap().contains("Tab"), "{tab:?}");
        }
        let e = read("a:\n  - b\n - c\n");
        assert!(e.help.unwrap().contains("缩进"));
        // Unclosed: where it was opened.
        assert_eq!((read("tags: [a, b\ndate: 1\n").line), 1);
        let e = read("title: \"abc\ndate: 1\n");
        assert_eq!((e.line, e.column), (1, 8));
        let e = read("title: @abc\n");
        assert!(e.help.unwrap().contains('@'));
    }

    #[test]
    fn a_key_written_twice_is_found_at_its_second_place() {
        let e = read("title: a\nitems:\n  - number: 1\n    category: x\n    number: 2\n");
        assert_eq!((e.line, e.column), (5, 5), "{e:?}");
        assert_eq!(e.kind, YamlErrorKind::DuplicateField("number".into()));
        assert_eq!(e.path.as_deref(), Some("items[0]"));
        let e = read("title: a\ntitle: b\n");
        assert_eq!((e.line, e.column), (2, 1), "{e:?}");
    }

    #[test]
    fn aliases_that_repeat_too_much_are_placed_at_the_first() {
        let e = read(BOMB);
        assert_eq!((e.line, e.column), (2, 8), "{e:?}");
        assert!(e.message.contains("引用"), "{}", e.message);
    }

    #[test]
    fn nesting_past_the_reader_s_limit_is_called_nesting_where_it_stops() {
        let deep = format!(
            "title: a\nmeasures: |\n  **一是**学习\ntags: {}\n",
            "[".repeat(200)
        );
        let e = read(&deep);
        assert_eq!((e.line, e.column), (4, 134), "{e:?}");
        assert!(e.message.contains("嵌套"), "{}", e.message);
        assert!(!e.message.contains("引用"), "{}", e.message);
    }

    #[test]
    fn markdown_bold_in_a_block_scalar_is_no_alias() {
        let text = format!("measures: |\n  **一是**制定计划\n  - **二是** 学习\n{BOMB}");
        let e = read(&text);
        assert_eq!((e.line, e.column), (5, 8), "{e:?}");
        assert_eq!(first_alias("a: 2 ** 3\nb: *x\n"), Some((2, 4)));
    }

    #[test]
    fn a_quote_left_open_is_found_where_it_opens() {
        let e = read("title: \"测试通报\ndate: 2022-01-01\nsummary: 摘要\"后面\n");
        assert_eq!((e.line, e.column), (1, 8), "{e:?}");
        assert!(e.message.contains("引号"), "{}", e.message);
    }
}
