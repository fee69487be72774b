//! Bad input is normal input: every mistake is reported with its file, line
//! and column, all of them together, and the previous output stays intact.

use std::fs;
use std::path::PathBuf;

use crate::support::*;
use gongkai::commands::build::build;
use gongkai::diagnostic::Code;
use gongkai::pipeline::Options;

const GOOD: &str = "---\ntitle: 测试通报\ndate: 2022-03-01\nproblems:\n  - number: 1\n    category: policy\n    title: 第一个问题\n    result: 整改完成\n  - number: 2\n    category: team\n    title: 第二个问题\n    result: 正在整改\n---\n正文。\n";

struct Case {
    name: &'static str,
    /// File to write under content/notices/, and its bytes.
    file: &'static str,
    bytes: Vec<u8>,
    code: Code,
    line: usize,
    column: usize,
    /// Words the message or help must contain.
    words: &'static [&'static str],
}

fn case(
    name: &'static str,
    text: String,
    code: Code,
    line: usize,
    column: usize,
    words: &'static [&'static str],
) -> Case {
    Case {
        name,
        file: "bad.md",
        bytes: text.into_bytes(),
        code,
        line,
        column,
        words,
    }
}

fn cases() -> Vec<Case> {
    let mut gbk = b"---\ntitle: ".to_vec();
    gbk.extend_from_slice(&[0xB2, 0xE2, 0xCA, 0xD4]); // 测试 in GBK
    gbk.extend_from_slice(b"\ndate: 2022-03-01\n---\n");
    vec![
        Case {
            name: "not UTF-8",
            file: "bad.md",
            bytes: gbk,
            code: Code::Encoding,
            line: 2,
            column: 8,
            words: &["UTF-8"],
        },
        case(
            "unclosed front matter",
            "---\ntitle: 测试\ndate: 2022-03-01\n正文\n".into(),
            Code::FrontMatter,
            1,
            1,
            &["没有结束"],
        ),
        case(
            "broken YAML",
            GOOD.replace("title: 测试通报", "title: 测试: 通报"),
            Code::Yaml,
            2,
            10,
            &["YAML", "引号"],
        ),
        case(
            "wrong type",
            GOOD.replace("number: 2", "number: 二"),
            Code::Yaml,
            9,
            13,
            &["number", "整数"],
        ),
        case(
            "unknown category",
            GOOD.replace("category: team", "category: taem"),
            Code::UnknownCategory,
            10,
            15,
            &["taem", "team", "policy", "conduct"],
        ),
        case(
            "unknown result phrase",
            GOOD.replace("result: 正在整改", "result: 快改完了"),
            Code::UnknownResult,
            12,
            13,
            &["快改完了", "立行立改"],
        ),
        case(
            "bad date",
            GOOD.replace("date: 2022-03-01", "date: 2022-02-30"),
            Code::InvalidDate,
            3,
            7,
            &["2022-02-30", "2021-11-26"],
        ),
        case(
            "duplicate problem number",
            GOOD.replace("number: 2", "number: 1"),
            Code::DuplicateNumber,
            9,
            13,
            &["问题编号 1 重复"],
        ),
        case(
            "unknown field",
            GOOD.replace("    result: 正在整改", "    reslut: 正在整改"),
            Code::Yaml,
            12,
            5,
            &["reslut", "result"],
        ),
        case(
            "missing title",
            GOOD.replace("title: 测试通报\n", ""),
            Code::MissingTitle,
            2,
            1,
            &["title"],
        ),
        case(
            "link to a missing notice",
            GOOD.replace("正文。", "见[另一篇](nope.md)。"),
            Code::BrokenLink,
            14,
            8,
            &["nope.md", "不存在"],
        ),
        case(
            "link to a missing notice in a problem",
            GOOD.replace(
                "    result: 整改完成\n",
                "    measures: |\n      参见[通报](/notices/nope/)。\n    result: 整改完成\n",
            ),
            Code::BrokenLink,
            9,
            14,
            &["/notices/nope/", "不存在"],
        ),
        Case {
            name: "duplicate slug",
            file: "other.md",
            bytes: GOOD
                .replace("date:", "slug: xiangqiao-zhengxie-2021\ndate:")
                .into_bytes(),
            code: Code::DuplicateSlug,
            line: 3,
            column: 7,
            words: &["xiangqiao-zhengxie-2021", "重复"],
        },
    ]
}

#[test]
fn each_mistake_is_reported_at_its_place_and_the_output_is_untouched() {
    let site = SiteTest::with_notices(&[
        ("2021-xiangqiao-zhengxie.md", &seed_notice()),
        ("good.md", GOOD),
    ]);
    site.build();
    let before = tree(&site.path().join("public"));
    for case in cases() {
        let path = site.path().join("content/notices").join(case.file);
        fs::write(&path, &case.bytes).unwrap();
        let errors = site.try_build(|_| {}).expect_err(case.name);
        let shown = errors.to_string();
        let errors: Vec<_> = errors.errors().collect();
        assert_eq!(errors.len(), 1, "{}: {shown}", case.name);
        let d = errors[0];
        assert_eq!(d.code, case.code, "{}: {shown}", case.name);
        assert_eq!(
            d.file,
            PathBuf::from("content/notices").join(case.file),
            "{}",
            case.name
        );
        assert_eq!(
            (d.line, d.column),
            (case.line, case.column),
            "{}: {shown}",
            case.name
        );
        assert!(d.source_line.is_some(), "{}: the line is shown", case.name);
        for word in case.words {
            assert!(
                shown.contains(word),
                "{}: {word:?} not in\n{shown}",
                case.name
            );
        }
        assert!(
            shown.contains(&format!(
                "--> content/notices/{}:{}:{}",
                case.file, case.line, case.column
            )),
            "{shown}"
        );
        fs::remove_file(&path).unwrap();
        assert_eq!(
            tree(&site.path().join("public")),
            before,
            "{}: the output changed",
            case.name
        );
    }
    // Nothing is left beside the output either.
    let beside: Vec<String> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let site = SiteTest::with_notices(&[
        ("a.md", &GOOD.replace("category: team", "category: taem")),
        ("b.md", &GOOD.replace("date: 2022-03-01", "date: 昨天")),
        ("c.md", &GOOD.replace("正文。", "[链接](missing.md)")),
        ("d.md", "没有 front matter\n"),
    ]);
    site.write("templates/notice.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ notice.title }\n{% endblock content %}\n",
    );
    site.build_fails_with(&[
        error(Code::UnknownCategory, "content/notices/a.md", 10),
        error(Code::InvalidDate, "content/notices/b.md", 3),
        error(Code::BrokenLink, "content/notices/c.md", 14),
        error(Code::FrontMatter, "content/notices/d.md", 1),
        error(Code::Template, "templates/notice.html", 3),
    ]);
    assert!(!site.public().exists());
}

#[test]
fn several_mistakes_in_one_file_are_all_reported() {
    let text = GOOD
        .replace("date: 2022-03-01", "date: 2022-13-01")
        .replace("category: team", "category: x")
        .replace("result: 整改完成", "result: 完成了");
    let a = "content/notices/a.md";
    SiteTest::with_notices(&[("a.md", &text)]).build_fails_with(&[
        error(Code::InvalidDate, a, 3),
        error(Code::UnknownResult, a, 8),
        error(Code::UnknownCategory, a, 10),
    ]);
}

#[test]
fn mistakes_of_the_yaml_and_of_the_fields_are_all_reported_at_once() {
    // A list for the title and a map for the problems are mistakes of the
    // YAML; the number for the date between them is one of the fields.
    let text = "---\ntitle: [测试, 通报]\ndate: 20220301\nproblems:\n  number: 1\n  category: policy\n---\n正文。\n";
    let site = SiteTest::with_notices(&[("a.md", text)]);
    let errors = site.build_errors();
    let found: Vec<(usize, &str)> = errors.errors().map(|d| (d.line, d.code.as_str())).collect();
    assert_eq!(
        found,
        [(2, "yaml"), (3, "invalid-date"), (5, "yaml")],
        "{text}\n{errors}"
    );
}

#[test]
fn template_errors_name_the_template_and_line() {
    let site = SiteTest::with_notices(&[("good.md", GOOD)]);
    site.write("templates/notice.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ notice.titel }}</h1>\n{% endblock content %}\n",
    );
    site.build_fails_with(&[error(Code::Template, "templates/notice.html", 3)]);
    let errors = site.build_errors();
    let message = &errors.0[0].message;
    assert!(message.contains("titel"), "{errors}");
    // In Chinese, with tera's words beside for a search.
    assert!(message.contains("字段 `titel` 没有定义"), "{errors}");
    assert!(message.contains("Field `titel` is not defined"), "{errors}");
    assert!(!site.public().exists());
}

#[test]
fn config_mistakes_are_located() {
    let site = SiteTest::with_notices(&[("good.md", GOOD)]);
    let config = site
        .read("site.yaml")
        .replace("notices_per_page: 20", "notices_per_page: 二十");
    site.write("site.yaml", &config);
    let line = config
        .lines()
        .position(|l| l.starts_with("notices_per_page"))
        .unwrap()
        + 1;
    site.build_fails_with(&[error(Code::Config, "site.yaml", line)]);
}

#[test]
fn a_missing_site_yaml_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let errors = build(&Options::new(dir.path())).unwrap_err();
    assert!(errors.errors().any(|d| d.code == Code::Config), "{errors}");
    // The hint names the file and the option that points at a site.
    assert!(errors.to_string().contains("site.yaml"), "{errors}");
    assert!(errors.to_string().contains("--root"), "{errors}");
}

#[test]
fn the_output_may_not_be_the_site_itself() {
    let site = SiteTest::with_notices(&[("good.md", GOOD)]);
    for output in [
        site.path().to_path_buf(),
        site.path().join("content"),
        site.path().join(".."),
        // A file, which it would not replace either.
        site.path().join("site.yaml"),
    ] {
        let errors = site
            .try_build(|o| o.output = Some(output.clone()))
            .unwrap_err();
        let codes: Vec<Code> = errors.errors().map(|d| d.code).collect();
        assert_eq!(codes, [Code::Output], "{}: {errors}", output.display());
        assert!(
            !errors.0[0].help.as_deref().unwrap_or("").contains("权限"),
            "{errors}"
        );
    }
    assert!(site.path().join("content/notices/good.md").exists());
    assert!(site.path().join("site.yaml").is_file());
}

#[test]
fn bom_crlf_and_trailing_spaces_are_accepted() {
    let text = format!(
        "\u{feff}{}",
        GOOD.replacen("---\n", "---   \n", 1).replace('\n', "\r\n")
    );
    SiteTest::with_notices(&[("crlf.md", &text)])
        .built()
        .page_has("notices/crlf/index.html", &["第二个问题"]);
}

#[test]
fn a_stray_dash_line_that_ends_the_front_matter_early_is_named() {
    // A `---` typed between the fields: the problems under it would be
    // published as the body's text.
    let stray = GOOD.replacen("problems:", "---\nproblems:", 1);
    let site = SiteTest::with_notices(&[("a.md", &stray)]);
    let found = site.check();
    let warning = found
        .warnings()
        .find(|d| d.code == Code::FrontMatter)
        .unwrap_or_else(|| panic!("no warning:\n{found}"));
    assert_eq!((warning.line, warning.column), (5, 1), "{warning}");
    assert!(warning.message.contains("第 4 行的 ---"), "{warning}");

    // Above the date, the same line makes the date missing: said beside
    // the error it causes.
    let early = GOOD.replacen("date:", "---\ndate:", 1);
    let site = SiteTest::with_notices(&[("a.md", &early)]);
    let errors = site.build_errors();
    assert!(
        errors.errors().any(|d| d.code == Code::MissingDate),
        "{errors}"
    );
    assert!(
        errors
            .warnings()
            .any(|d| d.code == Code::FrontMatter && d.line == 4),
        "{errors}"
    );

    // A body that starts with words and a colon is a body.
    let body = GOOD.replace("正文。", "说明: 以下为整改情况。");
    let found = SiteTest::with_notices(&[("a.md", &body)]).check();
    assert!(
        !found.0.iter().any(|d| d.code == Code::FrontMatter),
        "{found}"
    );
}
