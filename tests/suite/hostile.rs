//! Malformed and hostile input, case by case: each states what it expects
//! (an error at an exact file and line, or success), and every case must
//! end in time, without a panic, and without changing `public/` when it
//! fails. `check` and the preview of `serve` must agree with `build`.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::*;
use gongkai::Diagnostics;
use gongkai::diagnostic::Code;
use gongkai::pipeline::{Changes, Options};
use gongkai::serve::{Outcome, Workspace};

/// A notice with every field, each on a line of its own.
const NOTICE: &str = "---
title: 测试通报
date: 2022-03-01
organization: 某单位
doc_number: 某〔2022〕1号
slug: test-notice
summary: 摘要
tags: [巡察整改]
draft: false
categories: [team]
inspection:
  kind: 巡察
  group: 第一巡察组
  start: 2022-01-01
  end: 2022-01-31
  feedback: 2022-02-10
problems:
  - number: 1
    category: policy
    title: 第一个问题
    cause: 原因
    measures: 措施
    result: 整改完成
    status: completed
    recovered_yuan: 100
contact:
  phone: 0768-2100022
  address: 某地
  postcode: \"521000\"
  email: a@b.cn
review:
  reviewed_by: 办公室
  secrecy_reviewed: true
  approved_by: 党组
  approved_on: 2022-02-28
revisions:
  - date: 2022-03-05
    note: 更正
privacy_reviewed: false
---
正文。
";

/// Where the case's notice is written.
const FILE: &str = "content/notices/case.md";

/// What a case expects.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    /// The build succeeds.
    Ok,
    /// The build fails with an error in `file` at `line` (0: the file as a
    /// whole), of `code` when given.
    Error {
        file: String,
        line: usize,
        code: Option<Code>,
    },
    /// The build succeeds, and `check` finds what it should not publish:
    /// an error at `line` of the case's notice.
    Checked { line: usize, code: Code },
}

fn error_at(file: &str, line: usize) -> Expect {
    Expect::Error {
        file: file.into(),
        line,
        code: None,
    }
}

fn coded(file: &str, line: usize, code: Code) -> Expect {
    Expect::Error {
        file: file.into(),
        line,
        code: Some(code),
    }
}

/// One malformed input: what to do to the site, and what to expect.
struct Case {
    name: String,
    apply: Box<dyn Fn(&SiteTest) + Send + Sync>,
    expect: Expect,
}

fn case(
    name: impl Into<String>,
    expect: Expect,
    apply: impl Fn(&SiteTest) + Send + Sync + 'static,
) -> Case {
    Case {
        name: name.into(),
        apply: Box::new(apply),
        expect,
    }
}

/// A case that writes the notice `text` (bytes) to [`FILE`].
fn notice(name: impl Into<String>, text: impl Into<Vec<u8>>, expect: Expect) -> Case {
    let bytes = text.into();
    case(name, expect, move |site| {
        fs::write(site.path().join(FILE), &bytes).unwrap();
    })
}

/// The notice with line `line` (1-based) replaced.
fn with_line(line: usize, new: &str) -> String {
    NOTICE
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { new } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The line of `prefix` in [`NOTICE`].
fn line_of(prefix: &str) -> usize {
    NOTICE
        .lines()
        .position(|l| l.trim_start().starts_with(prefix))
        .unwrap_or_else(|| panic!("{prefix}"))
        + 1
}

/// How a field reads its value, which decides what a wrong one does.
#[derive(Clone, Copy)]
enum Kind {
    /// Any scalar, as text; must not be empty.
    RequiredText,
    /// Any scalar, as text; may be empty.
    Text,
    /// A date, as text.
    Date,
    /// Text checked against a fixed vocabulary (category, result, amount).
    Checked,
    /// true or false.
    Bool,
    /// A text or a list of texts.
    Words,
    /// A whole number.
    Number,
    /// A structure of fields.
    Struct,
    /// A list of structures.
    Structs,
    /// One of a few words.
    Variant,
    /// true, false, or a list of numbers.
    Reviewed,
}

/// Every field of the notice, with how it reads its value.
const FIELDS: &[(&str, Kind)] = &[
    ("title:", Kind::RequiredText),
    ("date:", Kind::Date),
    ("organization:", Kind::Text),
    ("doc_number:", Kind::Text),
    ("slug:", Kind::Text),
    ("summary:", Kind::Text),
    ("tags:", Kind::Words),
    ("draft:", Kind::Bool),
    ("categories:", Kind::Words),
    ("kind:", Kind::Variant),
    ("group:", Kind::Text),
    ("start:", Kind::Date),
    ("end:", Kind::Date),
    ("feedback:", Kind::Date),
    ("- number:", Kind::Number),
    ("category:", Kind::Checked),
    ("title: 第一个问题", Kind::RequiredText),
    ("cause:", Kind::Text),
    ("measures:", Kind::Text),
    ("result:", Kind::Checked),
    ("status:", Kind::Checked),
    ("recovered_yuan:", Kind::Checked),
    ("phone:", Kind::Text),
    ("address:", Kind::Text),
    ("postcode:", Kind::Text),
    ("email:", Kind::Text),
    ("reviewed_by:", Kind::Text),
    ("secrecy_reviewed:", Kind::Bool),
    ("approved_by:", Kind::Text),
    ("approved_on:", Kind::Date),
    ("- date:", Kind::Date),
    ("note:", Kind::RequiredText),
    ("privacy_reviewed:", Kind::Reviewed),
    ("inspection:", Kind::Struct),
    ("problems:", Kind::Structs),
    ("contact:", Kind::Struct),
    ("review:", Kind::Struct),
    ("revisions:", Kind::Structs),
];

/// A wrong value of every kind for every field.
fn every_field_with_every_type() -> Vec<Case> {
    let values = [
        ("a mapping", "{a: 1}"),
        ("a list", "[1, 2]"),
        ("a number", "12345"),
        ("a boolean", "true"),
        ("null", "~"),
        ("a word", "某个词"),
    ];
    let mut cases = Vec::new();
    for (prefix, kind) in FIELDS {
        let line = line_of(prefix);
        let original = NOTICE.lines().nth(line - 1).unwrap();
        let key = original.split(':').next().unwrap();
        for (what, value) in values {
            let text = match kind {
                // A structure's own lines go; the value takes its place.
                Kind::Struct | Kind::Structs => replace_block(line, &format!("{key}: {value}")),
                _ => with_line(line, &format!("{key}: {value}")),
            };
            let expect = match (kind, what) {
                (Kind::RequiredText, "a mapping" | "a list" | "null") => error_at(FILE, line),
                (Kind::RequiredText, _) => Expect::Ok,
                (Kind::Text, "a mapping" | "a list") => error_at(FILE, line),
                (Kind::Text, _) if *prefix == "slug:" && what == "a word" => error_at(FILE, line),
                (Kind::Text, _) => Expect::Ok,
                (Kind::Date, "null") if *prefix == "date:" || *prefix == "- date:" => {
                    error_at(FILE, line)
                }
                (Kind::Date, "null") => Expect::Ok,
                (Kind::Date, _) => error_at(FILE, line),
                (Kind::Checked, "null") if *prefix == "category:" => error_at(FILE, line),
                (Kind::Checked, "null") => Expect::Ok,
                (Kind::Checked, "a number") if *prefix == "recovered_yuan:" => Expect::Ok,
                // With a `status:`, the result is the words shown, as written.
                (Kind::Checked, "a number" | "a boolean" | "a word") if *prefix == "result:" => {
                    Expect::Ok
                }
                (Kind::Checked, _) => error_at(FILE, line),
                (Kind::Bool, "a boolean") => Expect::Ok,
                (Kind::Bool, _) => error_at(FILE, line),
                (Kind::Words, "a mapping" | "a list" | "a number" | "a boolean") => {
                    error_at(FILE, line)
                }
                (Kind::Words, "a word") if *prefix == "categories:" => error_at(FILE, line),
                (Kind::Words, _) => Expect::Ok,
                (Kind::Number, "a number" | "null") => Expect::Ok,
                (Kind::Number, _) => error_at(FILE, line),
                (Kind::Variant, _) => error_at(FILE, line),
                (Kind::Reviewed, "a boolean") => Expect::Ok,
                (Kind::Reviewed, "a list") => Expect::Ok,
                (Kind::Reviewed, "null") => Expect::Ok,
                (Kind::Reviewed, _) => error_at(FILE, line),
                (Kind::Struct | Kind::Structs, "null") => Expect::Ok,
                (Kind::Struct | Kind::Structs, _) => error_at(FILE, line),
            };
            cases.push(notice(format!("{prefix} {what}"), text, expect));
        }
    }
    cases
}

/// The notice with the block starting at `line` (the line and the more
/// indented ones after it) replaced by `new`.
fn replace_block(line: usize, new: &str) -> String {
    let lines: Vec<&str> = NOTICE.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let start = line - 1;
    let mut end = start + 1;
    while end < lines.len() && indent(lines[end]) > indent(lines[start]) && lines[end] != "---" {
        end += 1;
    }
    let mut out: Vec<&str> = lines[..start].to_vec();
    out.push(new);
    out.extend(&lines[end..]);
    out.join("\n") + "\n"
}

fn yaml_syntax_and_bombs() -> Vec<Case> {
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

fn dates() -> Vec<Case> {
    let date = line_of("date:");
    let bad = [
        "2021-02-30",
        "2021-13-01",
        "0000-01-01",
        "20210-01-01",
        "2101-01-01",
        "明天",
        "2021年13月1日",
        "2021-11-26T09:30:00+25:00",
        "2021-11-26T24:30:00+08:00",
        "2021-11-26T09:30:00",
        "2021-11",
        "\"\"",
    ];
    let mut cases: Vec<Case> = bad
        .iter()
        .map(|d| {
            notice(
                format!("date {d}"),
                with_line(date, &format!("date: {d}")),
                error_at(FILE, date),
            )
        })
        .collect();
    for good in [
        "2022年3月1日",
        "2022/3/1",
        "2022.03.01",
        "2022-03-01T09:30:00+08:00",
        "2022-03-01T01:30:00Z",
    ] {
        cases.push(notice(
            format!("date {good}"),
            with_line(date, &format!("date: {good}")),
            Expect::Ok,
        ));
    }
    cases.push(notice(
        "inspection ends before it starts",
        with_line(line_of("end:"), "  end: 2021-12-01"),
        Expect::Checked {
            line: line_of("end:"),
            code: Code::InspectionDates,
        },
    ));
    cases.push(notice(
        "a revision without a date",
        with_line(line_of("- date:"), "  - note: 更正\n    date: ~")
            .replace("    note: 更正\nprivacy", "privacy"),
        error_at(FILE, line_of("- date:") + 1),
    ));
    cases
}

fn encodings() -> Vec<Case> {
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

fn sizes() -> Vec<Case> {
    let mut big_body = NOTICE.to_string();
    let paragraph = "党的建设巡察整改工作持续推进，各项措施落实到位。".repeat(40) + "\n\n";
    while big_body.len() < 20 * 1024 * 1024 {
        big_body.push_str(&paragraph);
    }
    let many = insert_problems(NOTICE, 5000);
    let long_line = "长".repeat(1024 * 1024 / 3);
    vec![
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

/// The notice with `n` problems in all.
fn insert_problems(text: &str, n: usize) -> String {
    let mut more = String::new();
    for i in 2..=n {
        more.push_str(&format!(
            "  - number: {i}\n    category: team\n    title: 第{i}个问题\n    result: 正在整改\n"
        ));
    }
    text.replacen("contact:\n", &format!("{more}contact:\n"), 1)
}

fn file_system() -> Vec<Case> {
    #[cfg(unix)]
    use std::os::unix::fs::symlink;
    let mut cases = vec![
        case("a file name with spaces", Expect::Ok, |site| {
            site.write(
                "content/notices/a b c.md",
                &NOTICE.replace("slug: test-notice\n", ""),
            );
        }),
        case(
            "a file name with a mobile number",
            coded("content/notices/13800138000.md", 0, Code::PrivacyMobile),
            |site| {
                site.write(
                    "content/notices/13800138000.md",
                    &NOTICE.replace("slug: test-notice\n", ""),
                );
            },
        ),
        case(
            "a file name with an ID number",
            coded(
                "content/notices/11010519491231002X-通报.md",
                0,
                Code::PrivacyIdNumber,
            ),
            |site| {
                site.write(
                    "content/notices/11010519491231002X-通报.md",
                    &NOTICE.replace("slug: test-notice\n", ""),
                );
            },
        ),
        case(
            "a file name of symbols only",
            coded("content/notices/！！.md", 0, Code::InvalidSlug),
            |site| {
                site.write(
                    "content/notices/！！.md",
                    &NOTICE.replace("slug: test-notice\n", ""),
                );
            },
        ),
        case("odd file names", Expect::Ok, |site| {
            for (i, name) in [
                "a b.md",
                "#1.md",
                "100%.md",
                "a?b.md",
                "-x.md",
                "通报（一）.md",
                "😀.md",
                "UPPER.MD",
            ]
            .iter()
            .enumerate()
            {
                site.write(
                    &format!("content/notices/{name}"),
                    &NOTICE.replace("test-notice", &format!("odd-{i}")),
                );
            }
        }),
        case("a very long file name", Expect::Ok, |site| {
            site.write(&format!("content/notices/{}.md", "长".repeat(80)), NOTICE);
        }),
        case("a notice in a deep folder", Expect::Ok, |site| {
            let deep = (0..30)
                .map(|i| format!("d{i}"))
                .collect::<Vec<_>>()
                .join("/");
            site.write(&format!("content/{deep}/x.md"), NOTICE);
        }),
        case(
            "content is a file",
            coded("content", 0, Code::Content),
            |site| {
                fs::remove_dir_all(site.path().join("content")).unwrap();
                fs::write(site.path().join("content"), "x").unwrap();
            },
        ),
        case(
            "no content folder",
            coded("content", 0, Code::Content),
            |site| {
                fs::remove_dir_all(site.path().join("content")).unwrap();
            },
        ),
        case("a notice that is a folder", Expect::Ok, |site| {
            fs::create_dir_all(site.path().join("content/notices/folder.md")).unwrap();
        }),
    ];
    #[cfg(unix)]
    cases.extend([
        case(
            "a link out of static",
            coded("static/etcdir", 0, Code::Symlink),
            |site| {
                fs::create_dir_all(site.path().join("static")).unwrap();
                symlink("/etc", site.path().join("static/etcdir")).unwrap();
            },
        ),
        case(
            "a file link out of static",
            coded("static/hosts", 0, Code::Symlink),
            |site| {
                fs::create_dir_all(site.path().join("static")).unwrap();
                symlink("/etc/hosts", site.path().join("static/hosts")).unwrap();
            },
        ),
        case(
            "a notice linked from outside",
            coded("content/notices/passwd.md", 0, Code::Symlink),
            |site| {
                symlink("/etc/passwd", site.path().join("content/notices/passwd.md")).unwrap();
            },
        ),
        case(
            "a folder of notices linked from outside",
            coded("content/etc", 0, Code::Symlink),
            |site| {
                symlink("/etc", site.path().join("content/etc")).unwrap();
            },
        ),
        case(
            "a template linked from outside",
            coded("templates/notice.html", 0, Code::Symlink),
            |site| {
                fs::create_dir_all(site.path().join("templates")).unwrap();
                symlink("/etc/passwd", site.path().join("templates/notice.html")).unwrap();
            },
        ),
        case(
            "site.yaml linked from outside",
            coded("site.yaml", 0, Code::Symlink),
            |site| {
                fs::remove_file(site.path().join("site.yaml")).unwrap();
                symlink("/etc/passwd", site.path().join("site.yaml")).unwrap();
            },
        ),
        case(
            "a dangling link",
            coded("content/notices/gone.md", 0, Code::Symlink),
            |site| {
                symlink(
                    "/nonexistent/x.md",
                    site.path().join("content/notices/gone.md"),
                )
                .unwrap();
            },
        ),
        case(
            "a link loop",
            coded("content/loop", 0, Code::Symlink),
            |site| {
                symlink("..", site.path().join("content/loop")).unwrap();
            },
        ),
        case("links inside the site", Expect::Ok, |site| {
            site.write("static/files/a.pdf", "%PDF");
            symlink("a.pdf", site.path().join("static/files/b.pdf")).unwrap();
            site.write("drafts/linked.md", NOTICE);
            symlink(
                "../../drafts/linked.md",
                site.path().join("content/notices/linked.md"),
            )
            .unwrap();
        }),
        case(
            "a pipe among the notices",
            coded("content/notices/pipe.md", 0, Code::Io),
            |site| {
                let path = site.path().join("content/notices/pipe.md");
                let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
                // SAFETY: a valid, NUL-terminated path.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            },
        ),
    ]);
    cases
}

fn config() -> Vec<Case> {
    let yaml = |name: &str, text: &str, expect: Expect| {
        let text = text.to_string();
        case(name, expect, move |site| {
            site.write("site.yaml", &text);
        })
    };
    let base = "title: 党务公开\norganization: 某单位\n";
    vec![
        yaml(
            "an empty site.yaml",
            "",
            coded("site.yaml", 1, Code::Config),
        ),
        yaml(
            "site.yaml is a list",
            "- a\n",
            coded("site.yaml", 1, Code::Config),
        ),
        yaml(
            "an unknown field",
            &format!("{base}titel: x\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "a field twice",
            &format!("{base}title: x\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "no categories",
            &format!("{base}categories: []\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "a category key twice",
            &format!("{base}categories:\n  - {{key: a, name: 甲}}\n  - {{key: a, name: 乙}}\n"),
            coded("site.yaml", 5, Code::Config),
        ),
        yaml(
            "a category key that is not a slug",
            &format!("{base}categories:\n  - {{key: 政策, name: 甲}}\n"),
            coded("site.yaml", 4, Code::Config),
        ),
        yaml(
            "base_url with a query",
            &format!("{base}base_url: https://a.cn/?from=rss\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "base_url with a fragment",
            &format!("{base}base_url: https://a.cn/#top\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "base_url without a scheme",
            &format!("{base}base_url: a.cn/dwgk\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "base_url with three slashes",
            &format!("{base}base_url: https:///dwgk/\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "notices_per_page 0",
            &format!("{base}notices_per_page: 0\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "notices_per_page -1",
            &format!("{base}notices_per_page: -1\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "a theme that leaves the themes folder",
            &format!("{base}theme: ../../../../etc\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "a theme that does not exist",
            &format!("{base}theme: no-such-theme\n"),
            coded("site.yaml", 3, Code::Theme),
        ),
        yaml(
            "search: yes",
            &format!("{base}search: 是\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "a title that is null",
            "title: ~\norganization: 某单位\n",
            coded("site.yaml", 1, Code::Config),
        ),
        yaml(
            "250,000 nested brackets",
            &format!("{base}footer: {}\n", "[".repeat(250_000)),
            coded("site.yaml", 3, Code::Config),
        ),
        case(
            "no site.yaml",
            coded("site.yaml", 0, Code::Config),
            |site| {
                fs::remove_file(site.path().join("site.yaml")).unwrap();
            },
        ),
        case(
            "an error in site.yaml and in a notice",
            coded(FILE, 3, Code::InvalidDate),
            |site| {
                site.write("site.yaml", "title: 党务公开\ntitel: x\n");
                site.write(FILE, &with_line(3, "date: 2022-02-30"));
            },
        ),
    ]
}

fn escaping() -> Vec<Case> {
    let script = "<script>alert(1)</script>";
    let mut cases = Vec::new();
    for prefix in [
        "title:",
        "organization:",
        "doc_number:",
        "summary:",
        "group:",
        "title: 第一个问题",
        "cause:",
        "measures:",
        "address:",
        "email:",
        "reviewed_by:",
        "approved_by:",
        "note:",
    ] {
        let line = line_of(prefix);
        let key = NOTICE
            .lines()
            .nth(line - 1)
            .unwrap()
            .split(':')
            .next()
            .unwrap();
        cases.push(notice(
            format!("{script} in {prefix}"),
            with_line(
                line,
                &format!("{key}: \"{script}\\\"><img src=x onerror=alert(2)>\""),
            ),
            Expect::Ok,
        ));
    }
    cases.push(notice(
        "raw HTML in a problem's Markdown",
        with_line(line_of("cause:"), "    cause: |\n      **原因：**<script>alert(1)</script>\n      <img src=x onerror=alert(2)>"),
        Expect::Ok,
    ));
    cases.push(notice(
        "a script in a tag",
        with_line(8, &format!("tags: [\"{script}\"]")),
        Expect::Ok,
    ));
    cases.push(case("a script in site.yaml", Expect::Ok, move |site| {
        site.write(
            "site.yaml",
            &format!("title: \"{script}\"\ndescription: \"{script}\"\norganization: \"{script}\"\ncolumn: \"{script}\"\nbase_url: https://a.cn/dwgk/\nfooter:\n  icp: \"{script}\"\n  note: \"{script}\"\ncategories:\n  - {{key: policy, name: \"{script}\", short: \"{script}\"}}\n  - {{key: conduct, name: 乙}}\n  - {{key: team, name: 丙}}\n"),
        );
    }));
    cases.push(notice(
        "CDATA end in a title",
        with_line(2, "title: \"]]> & <\""),
        Expect::Ok,
    ));
    cases
}

fn templates_and_links() -> Vec<Case> {
    let template = |name: &str, text: &str, line: usize| {
        let text = text.to_string();
        case(
            name,
            coded("templates/notice.html", line, Code::Template),
            move |site| {
                site.write("templates/notice.html", &text);
            },
        )
    };
    let link = |name: &str, body: &str, line: usize, code: Code| {
        notice(
            name,
            NOTICE.replace("正文。", body),
            coded(FILE, line, code),
        )
    };
    let checked = |name: &str, body: &str, line: usize, code: Code| {
        notice(
            name,
            NOTICE.replace("正文。", body),
            Expect::Checked { line, code },
        )
    };
    let body = line_of("正文。");
    vec![
        template(
            "a template syntax error",
            "{% extends \"base.html\" %}\n{% block content %}{{ notice.title }{% endblock content %}",
            2,
        ),
        template(
            "a template that extends itself",
            "\n{% extends \"notice.html\" %}",
            2,
        ),
        template(
            "a template that includes itself",
            "{% extends \"base.html\" %}{% block content %}\n{% include \"notice.html\" %}{% endblock content %}",
            2,
        ),
        template(
            "an unknown filter",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ notice.title | nope }}{% endblock content %}",
            3,
        ),
        template(
            "a missing include",
            "{% extends \"base.html\" %}\n{% block content %}\n{% include \"nope.html\" %}{% endblock content %}",
            3,
        ),
        template(
            "an unknown variable",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ notice.nope.deeper }}{% endblock content %}",
            3,
        ),
        template(
            "an endless component",
            "{% extends \"base.html\" %}\n{% block content %}{{ <rec /> }}{% endblock content %}\n{% component rec() %}{{ <rec /> }}{% endcomponent rec %}",
            3,
        ),
        template("a missing parent", "\n\n{% extends \"nope.html\" %}", 3),
        case(
            "a template that is not UTF-8",
            coded("templates/notice.html", 1, Code::Encoding),
            |site| {
                fs::create_dir_all(site.path().join("templates")).unwrap();
                fs::write(site.path().join("templates/notice.html"), b"\xD5\xFE").unwrap();
            },
        ),
        case(
            "a static file named like a page",
            coded("static/index.html", 0, Code::Static),
            |site| {
                site.write("static/index.html", "x");
            },
        ),
        link(
            "a link to a missing notice",
            "见[通报](missing.md)。",
            body,
            Code::BrokenLink,
        ),
        link(
            "a link to a missing page",
            "见[通报](/notices/nope/)。",
            body,
            Code::BrokenLink,
        ),
        checked(
            "a link that leaves the site",
            "见[密码](../../../../etc/passwd)。",
            body,
            Code::BrokenLink,
        ),
        checked(
            "a link to a missing anchor",
            "见[第9项](#problem-9)。",
            body,
            Code::BrokenAnchor,
        ),
        checked(
            "a missing image",
            "![图](/images/none.png)",
            body,
            Code::MissingImage,
        ),
        link(
            "a broken link and a broken anchor",
            "[甲](missing.md)\n\n[乙](#problem-9)",
            body,
            Code::BrokenLink,
        ),
        notice(
            "a broken link in a problem's cause",
            with_line(line_of("cause:"), "    cause: 见[上一期](missing.md)"),
            coded(FILE, line_of("cause:"), Code::BrokenLink),
        ),
        case(
            "a link to a draft",
            coded(FILE, body, Code::BrokenLink),
            |site| {
                site.write(FILE, &NOTICE.replace("正文。", "见[草稿](draft.md)。"));
                site.write(
                    "content/notices/draft.md",
                    &NOTICE
                        .replace("test-notice", "draft")
                        .replace("draft: false", "draft: true"),
                );
            },
        ),
        case(
            "two notices with one slug",
            coded("content/notices/z.md", 6, Code::DuplicateSlug),
            |site| {
                site.write(FILE, NOTICE);
                site.write("content/notices/z.md", NOTICE);
            },
        ),
        notice(
            "two problems with one number",
            insert_problems(NOTICE, 2).replace("number: 2", "number: 1"),
            coded(FILE, 26, Code::DuplicateNumber),
        ),
    ]
}

fn privacy() -> Vec<Case> {
    vec![
        notice(
            "a mobile number in the body",
            NOTICE.replace("正文。", "联系人手机13800138000。"),
            coded(FILE, 41, Code::PrivacyMobile),
        ),
        notice(
            "an ID number in the title",
            with_line(2, "title: 通报11010519491231002X"),
            coded(FILE, 2, Code::PrivacyIdNumber),
        ),
        notice(
            "a bank card in a cause",
            with_line(21, "    cause: 卡号6222020200112233446"),
            coded(FILE, 21, Code::PrivacyBankCard),
        ),
        notice(
            "a mobile number in a slug",
            with_line(6, "slug: a-13800138000"),
            coded(FILE, 6, Code::PrivacyMobile),
        ),
        notice(
            "a reviewed mobile number",
            NOTICE.replace("正文。", "热线13800138000。").replace(
                "privacy_reviewed: false",
                "privacy_reviewed: [\"13800138000\"]",
            ),
            Expect::Ok,
        ),
        notice(
            "every number reviewed",
            NOTICE
                .replace("正文。", "热线13800138000。")
                .replace("privacy_reviewed: false", "privacy_reviewed: true"),
            Expect::Ok,
        ),
        notice(
            "an office landline",
            NOTICE.replace("正文。", "电话0768-2100022。"),
            Expect::Ok,
        ),
        notice(
            "a date that looks like a number",
            NOTICE.replace("正文。", "编号20210101202112。"),
            Expect::Ok,
        ),
    ]
}

/// Every case of the suite.
fn all_cases() -> Vec<Case> {
    let mut all = Vec::new();
    all.extend(every_field_with_every_type());
    all.extend(yaml_syntax_and_bombs());
    all.extend(dates());
    all.extend(encodings());
    all.extend(sizes());
    all.extend(file_system());
    all.extend(config());
    all.extend(escaping());
    all.extend(templates_and_links());
    all.extend(privacy());
    all
}

/// What a build did, as a case compares it.
fn outcome(
    result: &Result<gongkai::commands::build::BuildReport, Diagnostics>,
) -> Option<&Diagnostics> {
    result.as_ref().err()
}

/// Whether `errors` hold the one the case expects.
fn holds(errors: &Diagnostics, file: &str, line: usize, code: Option<Code>) -> bool {
    errors
        .errors()
        .any(|d| d.file == Path::new(file) && d.line == line && code.is_none_or(|c| d.code == c))
}

/// Nothing of front matter may reach a page unescaped.
fn assert_escaped(site: &SiteTest, name: &str) {
    for (rel, bytes) in tree(&site.public()) {
        if !(rel.ends_with(".html") || rel.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        for raw in ["<script>alert", "<img src=x", "onerror=alert(2)>"] {
            assert!(!text.contains(raw), "{name}: {rel} holds {raw}");
        }
    }
}

#[test]
fn every_malformed_case_is_reported_or_accepted_as_stated() {
    let cases = all_cases();
    assert!(cases.len() >= 200, "only {} cases", cases.len());
    use rayon::prelude::*;
    let wrong: Vec<String> = cases.par_iter().flat_map(run_case).collect();
    assert!(
        wrong.is_empty(),
        "{} cases went wrong:\n\n{}",
        wrong.len(),
        wrong.join("\n\n")
    );
}

/// How long a case may take before it counts as a hang: ten seconds,
/// and two more per megabyte of content. The cases run side by side in an
/// unoptimized build, so a 20 MB notice takes seconds of its own.
fn time_budget(site: &SiteTest) -> Duration {
    let bytes: u64 = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    Duration::from_secs(10 + 2 * bytes / (1024 * 1024))
}

/// Runs one case; returns what went wrong.
fn run_case(case: &Case) -> Vec<String> {
    let mut wrong = Vec::new();

    let site = SiteTest::fixture("small");
    site.build();
    let before = tree(&site.public());
    (case.apply)(&site);
    let budget = time_budget(&site);
    let started = Instant::now();
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| site.try_build(|_| {})));
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| site.check()));
    let elapsed = started.elapsed();
    let (Ok(built), Ok(checked)) = (built, checked) else {
        wrong.push(format!("{}: panicked", case.name));
        return wrong;
    };
    if std::env::var("GONGKAI_TIMES").is_ok() {
        eprintln!("{:>6} ms  {}", elapsed.as_millis(), case.name);
    }
    if elapsed > budget {
        wrong.push(format!(
            "{}: took {elapsed:?}, more than {budget:?}",
            case.name
        ));
    }
    match (&case.expect, outcome(&built)) {
        (Expect::Ok, None) => {
            assert_escaped(&site, &case.name);
            if checked.has_errors() {
                wrong.push(format!("{}: built, but check found\n{checked}", case.name));
            }
        }
        (Expect::Checked { line, code }, None) => {
            if !holds(&checked, FILE, *line, Some(*code)) {
                wrong.push(format!(
                    "{}: check did not report {FILE}:{line} {code}\n{checked}",
                    case.name
                ));
            }
        }
        (Expect::Ok | Expect::Checked { .. }, Some(errors)) => {
            wrong.push(format!("{}: expected success, got\n{errors}", case.name))
        }
        (Expect::Error { .. }, None) => wrong.push(format!(
            "{}: expected an error, the build succeeded",
            case.name
        )),
        (Expect::Error { file, line, code }, Some(errors)) => {
            if !holds(errors, file, *line, *code) {
                wrong.push(format!(
                    "{}: expected {file}:{line} {code:?}, got\n{errors}",
                    case.name
                ));
            }
            if !holds(&checked, file, *line, *code) {
                wrong.push(format!(
                    "{}: check did not report {file}:{line}\n{checked}",
                    case.name
                ));
            }
            if tree(&site.public()) != before {
                wrong.push(format!("{}: public/ changed", case.name));
            }
        }
    }
    wrong
}

#[test]
fn serve_reports_what_build_reports() {
    // A sample of the cases through the preview: same place, and the last
    // good site stays.
    let site = SiteTest::fixture("small");
    let out = site.path().join("serve");
    let (mut ws, _) = Workspace::open(Options::new(site.path()), out.clone());
    let good = tree(&out);
    for case in all_cases().into_iter().step_by(7) {
        let Expect::Error { file, line, .. } = &case.expect else {
            continue;
        };
        if file != FILE {
            continue;
        }
        (case.apply)(&site);
        let outcome = ws.update(&Changes::of(site.path(), [site.path().join(FILE)]));
        match outcome {
            Outcome::Failed(errors) => {
                assert!(holds(&errors, file, *line, None), "{}: {errors}", case.name);
            }
            other => panic!("{}: {other:?}", case.name),
        }
        assert_eq!(tree(&out), good, "{}", case.name);
        fs::remove_file(site.path().join(FILE)).unwrap();
        ws.update(&Changes::of(site.path(), [site.path().join(FILE)]));
    }
}
