//! The fast reader reads as the full reader does: examples, and random
//! and edited documents compared with it.

use super::*;
use crate::yaml::path::{Step, segs};
use proptest::prelude::*;
use serde_yaml::Value;

/// The fast reading of `text`, which must be the full reader's when
/// there is one.
fn agreed(text: &str) -> Option<Value> {
    let fast = read::<Value>(text);
    if let Some(value) = &fast {
        let full = serde_yaml::from_str::<Value>(text).ok();
        assert_eq!(Some(value), full.as_ref(), "read differently: {text:?}");
        placed_alike(text, value, &mut Vec::new());
    }
    fast
}

/// Every plain value under `path` that the fast reader places is where the
/// full reader places it.
fn placed_alike(text: &str, value: &Value, path: &mut Vec<Step>) {
    let at = segs(path);
    if let Some(offset) = plain_offset(text, &at) {
        let fast = crate::diagnostic::line_col(text, offset);
        let full = crate::yaml::locate::full(text, &at);
        assert_eq!(Some(fast), full, "placed differently: {path:?} in {text:?}");
    }
    match value {
        Value::Mapping(m) => {
            for (k, v) in m {
                if let Some(k) = k.as_str() {
                    path.push(Step::Key(k.to_string()));
                    placed_alike(text, v, path);
                    path.pop();
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Index(i));
                placed_alike(text, v, path);
                path.pop();
            }
        }
        _ => {}
    }
}

fn map(pairs: &[(&str, Value)]) -> Value {
    Value::Mapping(
        pairs
            .iter()
            .map(|(k, v)| (Value::String(k.to_string()), v.clone()))
            .collect(),
    )
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

#[test]
fn reads_front_matter_as_the_full_reader_does() {
    let doc = "\
# 通报标题
title: 关于巡察整改进展情况的通报   # 标题
date: 2021-11-26
tags: [作风建设, 巡察整改]
draft: false
inspection:
  kind: 巡察
  start: 2021-05-01
problems:
  - number: 1
    category: policy
    title: '针对''学习''不深入的问题'
    measures: |
      一是加强学习。

      二是建立台账。
    result: 整改完成
    recovered_yuan: 10200.5
  -   number: 2
      title: \"一个问题\"
      cause: |-
        原因
          缩进的一行
revisions:
- date: 2022-01-01
  note: 更正
";
    let value = agreed(doc).expect("the usual front matter is read fast");
    let problems = &value["problems"];
    assert_eq!(problems[0]["title"], text("针对'学习'不深入的问题"));
    assert_eq!(
        problems[0]["measures"],
        text("一是加强学习。\n\n二是建立台账。\n")
    );
    assert_eq!(problems[1]["cause"], text("原因\n  缩进的一行"));
    assert_eq!(value["revisions"][0]["note"], text("更正"));
}

#[test]
fn reads_crlf_line_ends() {
    let doc = "title: 标题\r\nbody: |\r\n  第一行\r\n  第二行\r\n";
    let value = agreed(doc).expect("CRLF is read fast");
    assert_eq!(
        value,
        map(&[("title", text("标题")), ("body", text("第一行\n第二行\n"))])
    );
}

#[test]
fn literal_blocks_end_as_their_header_says() {
    let body = "  a\n\n  b\n\n\nnext: 1\n";
    for (header, expected) in [("|", "a\n\nb\n"), ("|-", "a\n\nb"), ("|+", "a\n\nb\n\n\n")] {
        let doc = format!("k: {header}\n{body}");
        let value = agreed(&doc).expect("a literal block is read fast");
        assert_eq!(value["k"], text(expected), "{header}");
    }
    let leading = agreed("k: |\n\n  a\n").expect("leading empty lines");
    assert_eq!(leading["k"], text("\na\n"));
}

#[test]
fn scalars_resolve_as_the_full_reader_resolves_them() {
    let cases = [
        ("~", Value::Null),
        ("", Value::Null),
        ("True", Value::Bool(true)),
        ("12", Value::Number(12.into())),
        ("12.5", Value::Number(12.5.into())),
        ("007", text("007")),
        ("2023-01-05", text("2023-01-05")),
        (
            "2022-09-30T10:00:00+08:00",
            text("2022-09-30T10:00:00+08:00"),
        ),
        ("10:30", text("10:30")),
        ("2023年12月底前", text("2023年12月底前")),
        ("a#b", text("a#b")),
        ("a # comment", text("a")),
        ("'~'", text("~")),
    ];
    for (written, expected) in cases {
        let value = agreed(&format!("k: {written}\n"));
        assert_eq!(value, Some(map(&[("k", expected)])), "{written:?}");
    }
}

#[test]
fn declines_what_it_does_not_read() {
    let declined = [
        "k: &a x\nj: *a\n",
        "k: !tag x\n",
        "k: >\n  folded\n",
        "k: |2\n   x\n",
        "k: a\n  continued\n",
        "k: \"esc\\n\"\n",
        "k: 'open\n  close'\n",
        "k: {a: 1}\n",
        "k: [a,\n  b]\n",
        "k:\tx\n",
        "k: x\ny",
        "k: a: b\n",
        "k: yes\n",
        "k: 0x1F\n",
        "k: -5\n",
        "k: 1\nk: 2\n",
        "? k\n: v\n",
        "- - x\n",
        "%YAML 1.2\n---\nk: x\n",
        "k: |\n   \n  x\n",
        "k: x\u{2028}y\n",
        "\u{feff}k: x\n",
        "  k: x\n",
    ];
    for doc in declined {
        assert_eq!(read::<Value>(doc), None, "{doc:?}");
    }
}

#[test]
fn a_typed_reading_that_fails_is_declined() {
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Typed {
        #[allow(dead_code)]
        n: Option<u32>,
    }
    assert!(read::<Typed>("n: 3\n").is_some());
    assert!(read::<Typed>("n: 三\n").is_none());
    assert!(read::<Typed>("m: 3\n").is_none());
    assert!(read::<Typed>("n: 4294967296\n").is_none());
}

proptest! {
    /// Testing eight bytes at once finds what testing each finds.
    #[test]
    fn eight_bytes_at_once(eight in prop::array::uniform8(any::<u8>())) {
        let look = |b: &u8| *b < 0x20 || [0x7f, 0xc2, 0xe2, 0xef].contains(b);
        prop_assert_eq!(needs_a_look(&eight), eight.iter().any(look));
    }
}

/// The shape of a random document, written out by [`render`].
#[derive(Debug, Clone)]
enum Shape {
    Scalar(String),
    Block(String, Vec<String>),
    List(Vec<Shape>),
    Map(Vec<(String, Shape)>),
}

/// Scalars read fast, and scalars that test where it declines.
const SCALARS: &[&str] = &[
    "巡察整改",
    "2023-01-05",
    "2023年12月底前",
    "007",
    "0",
    "12",
    "12.5",
    "true",
    "True",
    "null",
    "~",
    "",
    "a # c",
    "a#b",
    "'q'",
    "'it''s'",
    "''",
    "\"dq\"",
    "[a, b]",
    "[]",
    "[ ]",
    "[a, 12, ~]",
    "2022-09-30T10:00:00+08:00",
    "10:30",
    "x ]",
    "a  b",
    "中文：冒号",
    "http://x.y/z",
    "x  ",
    "(一)",
    "# c",
    "e5",
];
const TRICKY: &[&str] = &[
    "0.5",
    "-5",
    "+5",
    "1e3",
    "0x1F",
    "yes",
    "no",
    "a: b",
    "a:",
    "\"a\\nb\"",
    "[a, [b]]",
    "[a,]",
    "{a: 1}",
    "&x a",
    "*x",
    "!t a",
    "- x",
    "-x",
    ":x",
    "?x",
    "%x",
    "@x",
    ".inf",
    "inf",
    "NaN",
    "a\tb",
    "'open",
    "\"open",
    "100000000000000000000",
    "1_000",
    "1e-5",
    "1E+5",
    "_x",
    ">",
    "|",
];

const BLOCK_LINES: &[&str] = &[
    "文本",
    "  多缩进",
    "",
    "   ",
    "       ",
    "# 不是注释",
    "k: v",
    "- x",
    "尾随空格  ",
];

/// A random shape; `tricky` mixes in what the reader must decline.
fn shape(tricky: bool) -> impl Strategy<Value = Shape> {
    let scalars = if tricky { TRICKY } else { SCALARS };
    let scalar =
        prop_oneof![6 => prop::sample::select(SCALARS), 1 => prop::sample::select(scalars)]
            .prop_map(|s| Shape::Scalar(s.to_string()));
    let headers: &[&str] = if tricky {
        &["|", "|-", "|+", "| # c", "|2"]
    } else {
        &["|", "|-", "|+", "| # c"]
    };
    let block = (
        prop::sample::select(headers),
        prop::collection::vec(prop::sample::select(BLOCK_LINES), 0..5),
    )
        .prop_map(|(h, lines)| {
            Shape::Block(h.to_string(), lines.iter().map(|l| l.to_string()).collect())
        });
    let leaf = prop_oneof![4 => scalar, 1 => block];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(Shape::List),
            (
                prop::collection::vec(inner, 1..4),
                prop::bool::weighted(0.03)
            )
                .prop_map(keyed),
        ]
    })
}

/// A mapping of `values`, under distinct keys, or (`clash`) with the
/// first key written twice.
fn keyed((values, clash): (Vec<Shape>, bool)) -> Shape {
    const KEYS: &[&str] = &["title", "a", "k_3", "1", "k-2"];
    let key = |i: usize| KEYS[if clash { i.saturating_sub(1) } else { i }].to_string();
    Shape::Map(
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| (key(i), v))
            .collect(),
    )
}

/// How a shape is written: indentation step, lists at their key's
/// indentation or deeper, `- key:` on one line.
#[derive(Debug, Clone, Copy)]
struct Style {
    step: usize,
    indentless: bool,
    compact: bool,
}

fn render(shape: &Shape, indent: usize, style: Style, out: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    match shape {
        Shape::Map(entries) => {
            for (key, value) in entries {
                match value {
                    Shape::Scalar(s) => out.push(format!("{pad}{key}: {s}")),
                    Shape::Block(header, lines) => {
                        out.push(format!("{pad}{key}: {header}"));
                        for line in lines {
                            let inner = " ".repeat(indent + style.step);
                            out.push(format!("{inner}{line}").trim_end_matches(' ').to_string());
                        }
                    }
                    Shape::List(_) if style.indentless => {
                        out.push(format!("{pad}{key}:"));
                        render(value, indent, style, out);
                    }
                    _ => {
                        out.push(format!("{pad}{key}:"));
                        render(value, indent + style.step, style, out);
                    }
                }
            }
        }
        Shape::List(items) => {
            for item in items {
                match item {
                    Shape::Scalar(s) => out.push(format!("{pad}- {s}")),
                    Shape::Map(_) if style.compact => {
                        let mut inner = Vec::new();
                        render(item, indent + 2, style, &mut inner);
                        if let Some(first) = inner.first_mut() {
                            first.replace_range(indent..indent + 2, "- ");
                        }
                        out.extend(inner);
                    }
                    _ => {
                        out.push(format!("{pad}-"));
                        render(item, indent + style.step, style, out);
                    }
                }
            }
        }
        Shape::Scalar(s) => out.push(format!("{pad}{s}")),
        Shape::Block(header, _) => out.push(format!("{pad}{header}")),
    }
}

fn document(tricky: bool) -> impl Strategy<Value = String> {
    let extras: &[&str] = if tricky {
        &["", "# c", " x", "- y", "\t"]
    } else {
        &["", "  ", "# c", "   # c"]
    };
    let shape = (
        prop::collection::vec(shape(tricky), 1..5),
        prop::bool::weighted(0.03),
    )
        .prop_map(keyed);
    let style =
        (1usize..4, any::<bool>(), any::<bool>()).prop_map(|(step, indentless, compact)| Style {
            step,
            indentless,
            compact,
        });
    let extra = prop::collection::vec(
        (any::<prop::sample::Index>(), prop::sample::select(extras)),
        0..2,
    );
    (shape, style, extra, any::<bool>()).prop_map(|(shape, style, extra, crlf)| {
        let mut lines = Vec::new();
        render(&shape, 0, style, &mut lines);
        for (at, line) in extra {
            let at = at.index(lines.len() + 1);
            lines.insert(at, line.to_string());
        }
        let end = if crlf { "\r\n" } else { "\n" };
        lines.iter().map(|l| format!("{l}{end}")).collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::testing::fuzz_cases(2000)))]

    /// Whatever the fast reader reads, it reads as the full reader does.
    #[test]
    fn random_documents_read_alike(doc in prop_oneof![document(false), document(true)]) {
        agreed(&doc);
    }
}

/// The example notice's front matter.
fn example_front_matter() -> &'static str {
    const NOTICE: &str = include_str!("../../../content/notices/2021-xiangqiao-zhengxie.md");
    NOTICE.split("---\n").nth(1).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::testing::fuzz_cases(1000)))]

    /// A real notice with a few characters inserted or deleted here and
    /// there, as an editor might leave it, reads alike too.
    #[test]
    fn edited_front_matter_reads_alike(edits in prop::collection::vec(
        (any::<prop::sample::Index>(), prop::sample::select(&[
            "", " ", "  ", "\n", "\n  ", ":", ": ", "#", " #", "-", "- ", "'", "\"", "|", "[", "]",
            "~", "x", "中", "\r\n", "\t", "0", "&a ", "*", "!",
        ][..])),
        1..4,
    )) {
        let mut doc = example_front_matter().to_string();
        for (at, insert) in edits {
            let mut at = at.index(doc.len() + 1);
            while !doc.is_char_boundary(at) {
                at -= 1;
            }
            if insert.is_empty() {
                // Delete the character there instead.
                if let Some(c) = doc[at..].chars().next() {
                    doc.replace_range(at..at + c.len_utf8(), "");
                }
            } else {
                doc.insert_str(at, insert);
            }
        }
        agreed(&doc);
    }
}

#[test]
fn the_example_notice_is_read_fast() {
    assert!(agreed(example_front_matter()).is_some());
}

#[test]
fn random_documents_are_mostly_read_fast() {
    // Guards the property test against passing by declining: most
    // documents of simple shapes must be read here.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    for s in SCALARS {
        assert!(
            agreed(&format!("k: {s}\n")).is_some(),
            "{s:?} is not read fast"
        );
    }
    for s in TRICKY {
        assert!(
            read::<Value>(&format!("k: {s}\n")).is_none(),
            "{s:?} is read fast"
        );
    }
    let mut read_fast = 0;
    for _ in 0..200 {
        let doc = document(false)
            .new_tree(&mut runner)
            .map(|t| t.current())
            .unwrap_or_default();
        read_fast += usize::from(agreed(&doc).is_some());
    }
    assert!(read_fast >= 50, "only {read_fast} of 200 read fast");
}

/// [`plain_characters`] by characters, as its doc comment says.
fn plain_by_characters(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let plain = match c {
            '\r' => chars.peek() == Some(&'\n'),
            '\n' => true,
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => false,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => false,
            _ => true,
        };
        if !plain {
            return false;
        }
    }
    true
}

#[test]
fn plain_characters_are_found_at_any_place_in_a_word() {
    let pieces = [
        "",
        "巡察，整改（一）：",
        "\r\n",
        "\r",
        "\t",
        "\u{85}",
        "\u{a0}",
        "\u{2028}",
        "\u{2029}",
        "\u{2026}",
        "\u{feff}",
        "\u{fffe}",
        "\u{ffff}",
        "\u{ff0c}",
        "\u{7f}",
        "é",
        "𠀀",
    ];
    for shift in 0..9 {
        let pad = "a".repeat(shift);
        for a in pieces {
            for b in pieces {
                let text = format!("{pad}{a}x{b}\n整改");
                assert_eq!(
                    plain_characters(text.as_bytes()),
                    plain_by_characters(&text),
                    "{text:?}"
                );
            }
        }
    }
}
