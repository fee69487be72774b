//! `gongkai check`: each lint fires on a notice written to trigger it, and
//! the example site is quiet.

use std::process::Command;

use crate::support::*;
use gongkai::diagnostic::Severity;

const NOTICE: &str = "---\ntitle: 测试通报\ndate: 2022-03-01\ninspection:\n  kind: 巡察\n  start: 2022-01-01\n  end: 2022-02-01\n  feedback: 2022-02-10\nproblems:\n  - number: 1\n    category: policy\n    title: 第一个问题\n    result: 整改完成\n  - number: 2\n    category: team\n    title: 第二个问题\n    result: 正在整改\n---\n正文。\n";

/// (code, severity, line) of every finding for the site.
fn findings(site: &SiteTest) -> Vec<(&'static str, Severity, usize)> {
    site.check()
        .0
        .iter()
        .map(|d| (d.code.as_str(), d.severity, d.line))
        .collect()
}

fn single(notice: &str) -> Vec<(&'static str, Severity, usize)> {
    findings(&SiteTest::with_notices(&[("a.md", notice)]))
}

#[test]
fn the_example_site_is_quiet() {
    let site = SiteTest::basic();
    let found = site.check();
    assert!(found.is_empty(), "{found}");
    assert!(single(NOTICE).is_empty());
}

#[test]
fn personal_numbers_are_errors_anywhere_in_the_notice() {
    let notice = NOTICE
        .replace(
            "title: 第一个问题",
            "title: 第一个问题（联系人13800138000）",
        )
        .replace(
            "正文。",
            "正文。身份证号11010519491231002X，卡号6222021234567890128。办公电话0768-2100022。",
        );
    assert_eq!(
        single(&notice),
        [
            ("privacy-mobile", Severity::Error, 12),
            ("privacy-id-number", Severity::Error, 19),
            ("privacy-bank-card", Severity::Error, 19),
        ]
    );
}

#[test]
fn completeness() {
    let site = SiteTest::with_notices(&[(
        "a.md",
        &NOTICE
            .replace("    result: 正在整改\n", "")
            .replace("number: 2", "number: 4"),
    )]);
    let config = site.read("site.yaml");
    let start = config.find("contact:").unwrap();
    let end = config.find("footer:").unwrap();
    site.write(
        "site.yaml",
        &format!("{}{}", &config[..start], &config[end..]),
    );
    assert_eq!(
        findings(&site),
        [
            ("missing-contact", Severity::Warning, 2),
            ("problem-numbers", Severity::Warning, 14),
            ("missing-result", Severity::Warning, 16),
        ]
    );
}

#[test]
fn missing_issuing_body_and_date_are_errors() {
    let site = SiteTest::with_notices(&[("a.md", &NOTICE.replace("date: 2022-03-01\n", ""))]);
    let config = site
        .read("site.yaml")
        .replace("organization: 潮州市湘桥区政协机关\n", "");
    site.write("site.yaml", &config);
    let found: Vec<&str> = findings(&site).into_iter().map(|f| f.0).collect();
    assert_eq!(found, ["missing-organization", "missing-date"]);
    site.write("content/notices/a.md", NOTICE);
    assert_eq!(
        findings(&site),
        [("missing-organization", Severity::Error, 1)]
    );
    // A notice that names its body is fine without a site default.
    site.write(
        "content/notices/a.md",
        &NOTICE.replace("date:", "organization: 某单位\ndate:"),
    );
    assert!(findings(&site).is_empty());
}

#[test]
fn repeated_problem_numbers_are_errors() {
    assert_eq!(
        single(&NOTICE.replace("number: 2", "number: 1")),
        [("duplicate-number", Severity::Error, 14)]
    );
}

#[test]
fn review_record() {
    let approved_late = NOTICE.replace(
        "date: 2022-03-01\n",
        "date: 2022-03-01\nreview:\n  secrecy_reviewed: true\n  approved_by: 党组会议\n  approved_on: 2022-03-05\n",
    );
    assert_eq!(
        single(&approved_late),
        [("review-after-publication", Severity::Error, 7)]
    );

    let site = SiteTest::with_notices(&[("a.md", NOTICE)]);
    let config = site
        .read("site.yaml")
        .replace("require_review: false", "require_review: true");
    site.write("site.yaml", &config);
    assert_eq!(findings(&site), [("review-missing", Severity::Warning, 2)]);
}

#[test]
fn dates() {
    assert_eq!(
        single(&NOTICE.replace("date: 2022-03-01", "date: 2099-03-01")),
        [("future-date", Severity::Warning, 3)]
    );
    assert_eq!(
        single(&NOTICE.replace("end: 2022-02-01", "end: 2021-12-01")),
        [("inspection-dates", Severity::Error, 7)]
    );
    assert_eq!(
        single(&NOTICE.replace("feedback: 2022-02-10", "feedback: 2022-01-20")),
        [("feedback-date", Severity::Error, 8)]
    );
}

#[test]
fn links_and_images_that_point_nowhere() {
    let body = "见[第7项](../other/#problem-7)，[第1项](#problem-1)，[第9项](#problem-9)，\
                [种子](../xiangqiao-zhengxie-2021/index.html#problem-17)，[其他](/notices/xiangqiao-zhengxie-2021/#problem-18)。\n\n\
                ![图](/images/none.png) ![有的图](/files/a.png)\n";
    let site = SiteTest::with_notices(&[
        ("2021-xiangqiao-zhengxie.md", &seed_notice()),
        ("a.md", &NOTICE.replace("正文。\n", body)),
    ]);
    site.write("static/files/a.png", "png");
    let found: Vec<(&str, usize)> = site
        .check()
        .0
        .iter()
        .map(|d| (d.code.as_str(), d.column))
        .collect();
    assert_eq!(
        found,
        [
            ("broken-link", 8),
            ("broken-anchor", 53),
            ("broken-anchor", 125),
            ("missing-image", 6)
        ],
        "{}",
        site.check()
    );
}

#[test]
fn drafts_are_checked_too() {
    let draft = NOTICE
        .replace("date:", "draft: true\ndate:")
        .replace("正文。", "[失效](../nope/index.html)");
    assert_eq!(single(&draft), [("broken-link", Severity::Error, 20)]);
}

#[test]
fn template_mistakes_are_found_without_writing() {
    let site = SiteTest::with_notices(&[("a.md", NOTICE)]);
    site.write(
        "templates/notice.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ notice.nope }}{% endblock content %}\n",
    );
    assert_eq!(findings(&site), [("template", Severity::Error, 2)]);
    assert!(!site.path().join("public").exists());
}

#[test]
fn json_output_and_exit_codes() {
    let site = SiteTest::with_notices(&[(
        "a.md",
        &NOTICE.replace("date: 2022-03-01", "date: 2099-03-01"),
    )]);
    let root = site.path().to_str().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["check", "--root", root, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "warnings do not fail");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["warnings"], 1);
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "future-date");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "content/notices/a.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(7))
    );
    assert!(d["message"].as_str().unwrap().contains("2099"));
    assert!(d["hint"].is_string());

    assert_eq!(
        run(&["check", "--root", root, "--strict"]).status.code(),
        Some(1)
    );
    let text = run(&["check", "--root", root]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("警告[future-date]"));
    site.write(
        "content/notices/b.md",
        &NOTICE.replace("category: team", "category: nope"),
    );
    assert_eq!(run(&["check", "--root", root]).status.code(), Some(1));
}

#[test]
fn build_refuses_personal_numbers_unless_reviewed() {
    let notice = NOTICE.replace("正文。", "联系人手机13800138000。");
    let site = SiteTest::with_notices(&[("a.md", &notice)]);
    let errors = site.build_errors();
    assert!(errors.to_string().contains("privacy-mobile"), "{errors}");
    site.write(
        "content/notices/a.md",
        &notice.replace("date:", "privacy_reviewed: [\"13800138000\"]\ndate:"),
    );
    let report = site.build();
    assert_eq!(report.warnings.len(), 1);
    assert_eq!(findings(&site), [("privacy-mobile", Severity::Warning, 20)]);
}

#[test]
fn ids_on_a_notice_page_are_unique() {
    // Headings of the text that read like the page's own parts get other ids.
    let body = "## Problems\n\n## Notice title\n\n## Problem 1\n\n## category-team\n";
    let site = SiteTest::with_notices(&[("a.md", &NOTICE.replace("正文。\n", body))]);
    site.build();
    let page = site.page("notices/a/index.html");
    let ids = attr_values(&page, "id");
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(ids.contains(&"problems-1".to_string()), "{ids:?}");
    assert!(findings(&site).is_empty());
    // A theme that repeats an id is told so.
    site.write(
        "templates/notice.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"x\"></p><p id=\"x\"></p>{% endblock content %}",
    );
    assert_eq!(findings(&site), [("broken-anchor", Severity::Warning, 0)]);
}
