//! `gongkai check`: each lint fires on a notice written to trigger it, and
//! the example site is quiet.

use std::process::Command;

use crate::support::*;
use gongkai::diagnostic::Code;

const NOTICE: &str = "---\ntitle: 测试通报\ndate: 2022-03-01\ninspection:\n  kind: 巡察\n  start: 2022-01-01\n  end: 2022-02-01\n  feedback: 2022-02-10\nproblems:\n  - number: 1\n    category: policy\n    title: 第一个问题\n    result: 整改完成\n  - number: 2\n    category: team\n    title: 第二个问题\n    result: 正在整改\n---\n正文。\n";

/// Where [`single`] writes its notice.
const A: &str = "content/notices/a.md";

/// The basic site's configuration with `notice`, as [`A`], beside a
/// notice of every category, made quiet for the spot checks (their own
/// stories are in `spotcheck.rs`).
fn single(notice: &str) -> SiteTest {
    let site = SiteTest::with_notices(&[("a.md", notice), ("b.md", OTHER)]);
    ready(&site);
    site
}

/// A published notice with a problem of each category, its own issuing
/// body and contacts, approved: no column is empty when [`A`] is not
/// published.
const OTHER: &str = "---\ntitle: 其他事项的通报\ndate: 2022-01-10\norganization: 某单位\ncontact:\n  phone: 0768-2100022\nreview:\n  secrecy_reviewed: true\n  approved_by: 党组会议\n  approved_on: 2022-01-09\nproblems:\n  - number: 1\n    category: policy\n    title: 学习制度执行不严\n    result: 整改完成\n  - number: 2\n    category: conduct\n    title: 公务接待不规范\n    result: 整改完成\n  - number: 3\n    category: team\n    title: 组织生活不规范\n    result: 整改完成\n---\n正文。\n";

/// Makes the basic site's configuration what the spot checks ask of a
/// site about to be deployed (its address and 网站标识码), with columns
/// not measured against today: the notices are of 2022.
fn ready(site: &SiteTest) {
    site.edit("site.yaml", |t| {
        t.replace("footer:\n", "footer:\n  site_id_code: \"4451020001\"\n")
            + "base_url: https://www.example.gov.cn/dwgk/\ncheck:\n  stale_after: 不检查\n"
    });
}

#[test]
fn the_example_site_is_quiet_but_for_what_a_deployment_adds() {
    // Its address and 网站标识码 are left for the deployment to add, and
    // its notices are of 2022: as of 2026 every column is stale.
    let site = SiteTest::basic();
    let config = site.read("site.yaml");
    let line = |needle: &str| config.lines().position(|l| l.contains(needle)).unwrap() + 1;
    site.check_finds(&[
        warning(Code::MissingMeta, "site.yaml", 0),
        warning(Code::StaleColumn, "site.yaml", line("column:")),
        // At the footer's first field.
        warning(Code::MissingMeta, "site.yaml", line("note: 本站")),
        warning(Code::StaleColumn, "site.yaml", line("key: policy")),
        warning(Code::StaleColumn, "site.yaml", line("key: conduct")),
        warning(Code::StaleColumn, "site.yaml", line("key: team")),
    ]);
    single(NOTICE).check_finds(&[]);
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
    single(&notice).check_finds(&[
        error(Code::PrivacyMobile, A, 12),
        error(Code::PrivacyIdNumber, A, 19),
        error(Code::PrivacyBankCard, A, 19),
    ]);
}

#[test]
fn completeness() {
    let site = single(
        &NOTICE
            .replace("    result: 正在整改\n", "")
            .replace("number: 2", "number: 4"),
    );
    let config = site.read("site.yaml");
    let start = config.find("contact:").unwrap();
    let end = config.find("footer:").unwrap();
    site.write(
        "site.yaml",
        &format!("{}{}", &config[..start], &config[end..]),
    );
    site.check_finds(&[
        warning(Code::MissingContact, A, 2),
        warning(Code::ProblemNumbers, A, 14),
        warning(Code::MissingResult, A, 16),
    ]);
}

#[test]
fn missing_issuing_body_and_date_are_errors() {
    let site = single(&NOTICE.replace("date: 2022-03-01\n", ""));
    let config = site
        .read("site.yaml")
        .replace("organization: 潮州市湘桥区政协机关\n", "");
    site.write("site.yaml", &config);
    site.check_finds(&[
        error(Code::MissingOrganization, A, 1),
        error(Code::MissingDate, A, 2),
    ]);
    site.write(A, NOTICE)
        .check_finds(&[error(Code::MissingOrganization, A, 1)]);
    // A notice that names its body is fine without a site default.
    site.write(A, &NOTICE.replace("date:", "organization: 某单位\ndate:"))
        .check_finds(&[]);
}

#[test]
fn repeated_problem_numbers_are_errors() {
    single(&NOTICE.replace("number: 2", "number: 1")).check_finds(&[error(
        Code::DuplicateNumber,
        A,
        14,
    )]);
}

#[test]
fn review_record() {
    let approved_late = NOTICE.replace(
        "date: 2022-03-01\n",
        "date: 2022-03-01\nreview:\n  secrecy_reviewed: true\n  approved_by: 党组会议\n  approved_on: 2022-03-05\n",
    );
    single(&approved_late).check_finds(&[error(Code::ReviewAfterPublication, A, 7)]);

    single(NOTICE)
        .edit("site.yaml", |t| {
            t.replace("require_review: false", "require_review: true")
        })
        .check_finds(&[warning(Code::ReviewMissing, A, 2)]);
}

#[test]
fn dates() {
    single(&NOTICE.replace("date: 2022-03-01", "date: 2099-03-01")).check_finds(&[warning(
        Code::FutureDate,
        A,
        3,
    )]);
    single(&NOTICE.replace("end: 2022-02-01", "end: 2021-12-01")).check_finds(&[error(
        Code::InspectionDates,
        A,
        7,
    )]);
    single(&NOTICE.replace("feedback: 2022-02-10", "feedback: 2022-01-20")).check_finds(&[error(
        Code::FeedbackDate,
        A,
        8,
    )]);
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
    ready(&site);
    let found = site.check();
    let columns: Vec<(Code, usize)> = found.0.iter().map(|d| (d.code, d.column)).collect();
    assert_eq!(
        columns,
        [
            (Code::BrokenLink, 8),
            (Code::BrokenAnchor, 53),
            (Code::BrokenAnchor, 125),
            (Code::MissingImage, 6)
        ],
        "{found}"
    );
}

#[test]
fn raw_html_that_does_not_pair_is_paired_on_the_page_and_named() {
    // Pasted from a web editor: a `</div>` of the page it came from, and a
    // box left open before the problems.
    let body = "前言。\n\n</div>\n\n<div class=\"box\"><b>注意\n\n<!-- problems -->\n\n结语。\n";
    let site = single(&NOTICE.replace("正文。\n", body));
    let found = site.check();
    let unbalanced: Vec<(usize, usize)> = found
        .warnings()
        .filter(|d| d.code == Code::UnbalancedHtml)
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(unbalanced, [(21, 1), (23, 1), (23, 18)], "{found}");

    site.build();
    let page = site.page("notices/a/index.html");
    assert_eq!(page.matches("<div").count(), page.matches("</div>").count());
    let (body, problems) = page.split_once("<section class=\"problems\"").unwrap();
    assert!(
        body.contains("<b>注意") && body.contains("</b></div>"),
        "{body}"
    );
    assert!(!problems.contains("注意"));
}

#[test]
fn drafts_are_checked_too() {
    let draft = NOTICE
        .replace("date:", "draft: true\ndate:")
        .replace("正文。", "[失效](../nope/index.html)");
    single(&draft).check_finds(&[error(Code::BrokenLink, A, 20)]);
}

#[test]
fn template_mistakes_are_found_without_writing() {
    let site = single(NOTICE);
    site.write(
        "templates/notice.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ notice.nope }}{% endblock content %}\n",
    )
    .check_finds(&[error(Code::Template, "templates/notice.html", 2)]);
    assert!(!site.public().exists());
}

#[test]
fn json_output_and_exit_codes() {
    let site = single(&NOTICE.replace("date: 2022-03-01", "date: 2099-03-01"));
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
    let site = single(&notice);
    site.build_fails_with(&[error(Code::PrivacyMobile, A, 19)]);
    site.write(
        A,
        &notice.replace("date:", "privacy_reviewed: [\"13800138000\"]\ndate:"),
    );
    let report = site.build();
    assert_eq!(report.warnings.len(), 1);
    site.check_finds(&[warning(Code::PrivacyMobile, A, 20)]);
}

#[test]
fn ids_on_a_notice_page_are_unique() {
    // Headings of the text that read like the page's own parts get other ids.
    let body = "## Problems\n\n## Notice title\n\n## Problem 1\n\n## category-team\n";
    let site = single(&NOTICE.replace("正文。\n", body));
    let page = site.built().page("notices/a/index.html");
    let ids = attr_values(&page, "id");
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(ids.contains(&"problems-1".to_string()), "{ids:?}");
    site.check_finds(&[]);
    // A theme that repeats an id is told so.
    site.write(
        "templates/notice.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"x\"></p><p id=\"x\"></p>{% endblock content %}",
    )
    .check_finds(&[
        warning(Code::BrokenAnchor, A, 0),
        warning(Code::BrokenAnchor, "content/notices/b.md", 0),
    ]);
}
