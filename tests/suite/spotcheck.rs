//! `gongkai check` against what the government-website spot checks fail a
//! site on: serious typos (built in and the site's own, at their line and
//! column), stale and empty columns, the page tags of the 政府网站发展指引
//! on every kind of page, and the 自查报告 of `check --report`.

use std::process::Command;

use gongkai::commands::check::{CheckOptions, check_site, report};
use gongkai::content::Day;
use gongkai::diagnostic::{Code, Diagnostic};
use scraper::{Html, Selector};

use crate::support::*;

/// A notice of 2025-10-01 with a problem in each of the three categories.
const NOTICE: &str = "---\ntitle: 关于巡察整改进展情况的通报\ndate: 2025-10-01\norganization: 某区某局\nproblems:\n  - number: 1\n    category: policy\n    title: 针对学习贯彻不深入的问题\n    measures: |\n      深入学习贯彻党的路线方针政策。\n    result: 整改完成\n  - number: 2\n    category: conduct\n    title: 针对公务接待不规范的问题\n    result: 整改完成\n  - number: 3\n    category: team\n    title: 针对组织生活不规范的问题\n    result: 整改完成\ncontact:\n  phone: 0768-1234567\n  address: 某区行政中心\n---\n正文。\n";

const A: &str = "content/notices/a.md";

/// The small site (deployed: base_url, 网站标识码) with only `notice`.
fn site_with(notice: &str) -> SiteTest {
    let site = SiteTest::fixture("small");
    std::fs::remove_dir_all(site.path().join("content")).unwrap();
    site.write(A, notice);
    site.edit("site.yaml", |t| {
        t + "base_url: https://www.example.gov.cn/dwgk/\n"
    });
    site
}

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn check_on(site: &SiteTest, today: &str) -> Vec<Diagnostic> {
    check_site(site.path(), day(today), &CheckOptions::default())
        .found
        .0
}

/// (code, file, line, column) of each finding of `codes`.
fn placed(found: &[Diagnostic], codes: &[Code]) -> Vec<(Code, String, usize, usize)> {
    found
        .iter()
        .filter(|d| codes.contains(&d.code))
        .map(|d| (d.code, d.file.display().to_string(), d.line, d.column))
        .collect()
}

/// Line and column (in characters) of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    let line = text[..at].matches('\n').count() + 1;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..at].chars().count() + 1)
}

#[test]
fn a_deployed_current_site_is_quiet() {
    let site = site_with(NOTICE);
    let found = check_on(&site, "2026-01-01");
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn serious_typos_are_errors_where_they_are_written() {
    let notice = NOTICE
        .replace(
            "关于巡察整改进展情况的通报",
            "关于攻府巡察整改进展情况的通报",
        )
        .replace(
            "深入学习贯彻党的路线方针政策",
            "深入学习中华人民共合国宪法和扫黑险恶部署",
        )
        .replace("address: 某区行政中心", "address: 某区人民检查院旁")
        .replace(
            "正文。",
            "正文。我局（某区某居）对照检查，学习习近平新时期中国特色社会主义思想。",
        );
    let site = site_with(&notice);
    // The site's own list: the unit's name written wrong.
    site.edit("site.yaml", |t| {
        t + "check:\n  typos:\n    某区某居: 某区某局\n"
    });
    let found = check_on(&site, "2026-01-01");
    let mut expected: Vec<(Code, String, usize, usize)> = [
        "攻府",
        "中华人民共合国",
        "扫黑险恶",
        "人民检查院",
        "某区某居",
        "习近平新时期中国特色社会主义思想",
    ]
    .iter()
    .map(|needle| {
        let (line, column) = position(&notice, needle);
        (Code::SeriousTypo, A.to_string(), line, column)
    })
    .collect();
    expected.sort();
    let mut got = placed(&found, &[Code::SeriousTypo]);
    got.sort();
    assert_eq!(got, expected);
    // Errors: check fails. The message names the right form, the hint the
    // list it comes from.
    let typo = found
        .iter()
        .find(|d| d.code == Code::SeriousTypo && d.line == position(&notice, "某区某居").0)
        .unwrap();
    assert!(typo.is_error());
    assert!(typo.message.contains("某区某局"), "{}", typo.message);
    assert!(typo.help.as_deref().unwrap_or("").contains("check.typos"));
    // The site's list in site.yaml is not itself a typo on the site.
    assert!(
        found
            .iter()
            .all(|d| d.file.display().to_string() != "site.yaml")
    );
}

#[test]
fn a_typo_split_across_lines_and_one_in_the_site_settings_are_found() {
    let notice = NOTICE.replace(
        "      深入学习贯彻党的路线方针政策。\n",
        "      深入学习中华人民\n      共合国宪法。\n",
    );
    let site = site_with(&notice);
    site.edit("site.yaml", |t| {
        t.replace(
            "description: 某区某局党务公开。",
            "description: 某区某局党务公开，中国共产常领导。",
        )
    });
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>页面不存在</h1>\n<p>请返回攻府网站首页。</p>\n{% endblock content %}\n",
    );
    let found = check_on(&site, "2026-01-01");
    let config = site.read("site.yaml");
    let (line, column) = position(&config, "中国共产常");
    assert_eq!(
        placed(&found, &[Code::SeriousTypo]),
        [
            (
                Code::SeriousTypo,
                A.to_string(),
                position(&notice, "中华人民").0,
                position(&notice, "中华人民").1
            ),
            (Code::SeriousTypo, "site.yaml".to_string(), line, column),
            (Code::SeriousTypo, "templates/404.html".to_string(), 4, 7),
        ]
    );
}

#[test]
fn the_built_in_list_finds_nothing_in_correct_text() {
    // The example site and every fixture site: real bulletins and their
    // names, written right.
    for name in ["basic", "small", "series"] {
        let site = SiteTest::fixture(name);
        let found = site.check();
        let typos: Vec<_> = found
            .0
            .iter()
            .filter(|d| d.code == Code::SeriousTypo)
            .collect();
        assert!(typos.is_empty(), "{name}: {typos:?}");
    }
}

#[test]
fn columns_without_a_new_notice_for_six_months_are_stale() {
    let site = site_with(NOTICE);
    let config = site.read("site.yaml");
    // Six months after the notice, to the day: every column is stale.
    let found = check_on(&site, "2026-04-01");
    assert_eq!(check_on(&site, "2026-03-31"), []);
    // At the value of `column:`.
    let (column_line, column) = position(&config, "党务公开\ncontact");
    let stale = placed(&found, &[Code::StaleColumn]);
    assert_eq!(stale.len(), 4, "{found:?}");
    // The site's column at `column:`; the default categories, which
    // site.yaml does not list, on the file as a whole.
    assert!(
        stale.contains(&(Code::StaleColumn, "site.yaml".into(), column_line, column)),
        "{stale:?}"
    );
    assert_eq!(stale.iter().filter(|s| s.2 == 0).count(), 3, "{stale:?}");
    let message = &found
        .iter()
        .find(|d| d.line == column_line)
        .unwrap()
        .message;
    assert!(message.contains("截至今天（2026年4月1日）"), "{message}");
    assert!(message.contains("2025年10月1日"), "{message}");
    assert!(found.iter().all(|d| !d.is_error()));
}

#[test]
fn a_category_without_notices_is_an_empty_column_and_the_measure_can_change() {
    let notice = NOTICE.replace("category: conduct", "category: policy");
    let site = site_with(&notice);
    site.edit("site.yaml", |t| {
        t + "categories:\n  - {key: policy, name: 政策落实方面, short: 政策落实}\n  - key: conduct\n    name: 作风纪律方面\n    short: 作风纪律\n  - {key: team, name: 班子队伍方面, short: 班子队伍}\n"
    });
    let config = site.read("site.yaml");
    let found = check_on(&site, "2026-01-01");
    assert_eq!(
        placed(&found, &[Code::EmptyColumn, Code::StaleColumn]),
        [(
            Code::EmptyColumn,
            "site.yaml".into(),
            position(&config, "key: conduct").0,
            position(&config, "key: conduct").1 + 5
        )]
    );
    // As of the newest notice (an archive): nothing stale years later.
    site.edit("site.yaml", |t| {
        t + "check:\n  stale_after: 90天\n  stale_as_of: newest\n"
    });
    let found = check_on(&site, "2030-01-01");
    assert_eq!(placed(&found, &[Code::StaleColumn]), []);
    // A notice of the site's older than 90 days before the newest: its
    // column, and only it, is stale, measured from the newest notice.
    site.write(
        "content/notices/b.md",
        &NOTICE
            .replace("date: 2025-10-01", "date: 2026-02-01")
            .replace("category: team", "category: policy"),
    );
    let found = check_on(&site, "2030-01-01");
    let stale: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.code == Code::StaleColumn)
        .collect();
    assert_eq!(stale.len(), 1, "{found:?}");
    assert!(stale[0].message.contains("班子队伍"));
    assert!(
        stale[0]
            .message
            .contains("截至本站最新一篇通报的日期（2026年2月1日）"),
        "{}",
        stale[0].message
    );
    // Turned off.
    site.edit("site.yaml", |t| {
        t.replace("stale_after: 90天", "stale_after: 不检查")
    });
    assert_eq!(
        placed(&check_on(&site, "2030-01-01"), &[Code::StaleColumn]),
        []
    );
    // A period that is none: a config error at its line.
    site.edit("site.yaml", |t| {
        t.replace("stale_after: 不检查", "stale_after: 半年左右")
    });
    let config = site.read("site.yaml");
    let found = check_on(&site, "2030-01-01");
    assert_eq!(
        placed(&found, &[Code::Config]),
        [(
            Code::Config,
            "site.yaml".into(),
            position(&config, "半年左右").0,
            position(&config, "半年左右").1
        )]
    );
}

#[test]
fn each_unit_of_a_county_site_is_a_column() {
    // Three units, two of which have published no notice: two empty
    // columns, each at its unit's slug, beside the site's own column.
    let site = site_with(NOTICE);
    site.edit("site.yaml", |t| {
        t + "units:\n  - slug: mouju\n    name: 某区某局\n  - slug: wenlv\n    name: 某区文化和旅游局\n    short: 某区文旅局\n  - slug: jiaoyu\n    name: 某区教育局\n"
    });
    let config = site.read("site.yaml");
    let found = check_on(&site, "2026-01-01");
    let at = |slug: &str| {
        let (line, column) = position(&config, slug);
        (Code::EmptyColumn, "site.yaml".to_string(), line, column)
    };
    assert_eq!(
        placed(
            &found,
            &[Code::EmptyColumn, Code::StaleColumn, Code::MissingMeta]
        ),
        [at("wenlv"), at("jiaoyu")],
        "{found:#?}"
    );
    assert!(
        found[0].message.contains("某区文旅局"),
        "{}",
        found[0].message
    );
    // A unit's page names the unit as its column.
    site.build();
    let tags = page_tags(&site.public());
    let (_, unit) = tags
        .iter()
        .find(|(rel, _)| rel == "units/wenlv/index.html")
        .expect("the unit's page");
    assert!(
        unit.contains(&("ColumnName".into(), "某区文化和旅游局".into())),
        "{unit:?}"
    );
}

/// The page tags of every HTML page of `out`: name → content.
fn page_tags(out: &std::path::Path) -> Vec<(String, Vec<(String, String)>)> {
    let selector = Selector::parse("head meta[name]").unwrap();
    tree(out)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| {
            let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
            let tags = html
                .select(&selector)
                .map(|m| {
                    let v = m.value();
                    (
                        v.attr("name").unwrap_or("").to_string(),
                        v.attr("content").unwrap_or("").to_string(),
                    )
                })
                .collect();
            (rel, tags)
        })
        .collect()
}

const REQUIRED: [&str; 12] = [
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ColumnType",
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Author",
    "Description",
    "Url",
];

#[test]
fn every_page_kind_carries_every_page_tag() {
    let site = SiteTest::fixture("small");
    site.edit("site.yaml", |t| {
        t + "base_url: https://www.example.gov.cn/dwgk/\n"
    });
    site.build();
    let pages = page_tags(&site.public());
    // Every kind of page is there.
    for kind in [
        "index.html",
        "notices/index.html",
        "archive/index.html",
        "categories/policy/index.html",
        "organizations/index.html",
        "tags/index.html",
        "inspections/index.html",
        "404.html",
        "search/index.html",
    ] {
        assert!(pages.iter().any(|(rel, _)| rel == kind), "no {kind}");
    }
    for (rel, tags) in &pages {
        for name in REQUIRED {
            let value = tags
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str());
            assert!(
                value.is_some_and(|v| !v.trim().is_empty()),
                "{rel}: {name} is {value:?}"
            );
        }
    }
    // What they say, on a notice and on a column page.
    let tag = |rel: &str, name: &str| -> String {
        let (_, tags) = pages.iter().find(|(r, _)| r == rel).unwrap();
        tags.iter().find(|(n, _)| n == name).unwrap().1.clone()
    };
    let notice = "notices/2022-first/index.html";
    assert_eq!(tag(notice, "ArticleTitle"), "关于巡察整改进展情况的通报");
    assert_eq!(tag(notice, "PubDate"), "2022-03-01 00:00");
    assert_eq!(tag(notice, "ContentSource"), "某区某局");
    assert_eq!(tag(notice, "SiteIDCode"), "1234567890");
    assert_eq!(tag(notice, "SiteDomain"), "www.example.gov.cn");
    assert_eq!(
        tag(notice, "Url"),
        "https://www.example.gov.cn/dwgk/notices/2022-first/"
    );
    assert_eq!(
        tag("categories/policy/index.html", "ColumnName"),
        "政策落实"
    );
    assert_eq!(tag("index.html", "ColumnName"), "党务公开");
    // And check finds none missing.
    let found = check_on(&site, "2022-04-01");
    assert_eq!(placed(&found, &[Code::MissingMeta]), []);
}

#[test]
fn empty_page_tags_are_traced_to_the_setting_or_the_template() {
    let site = SiteTest::fixture("small");
    site.edit("site.yaml", |t| {
        t.replace("  site_id_code: \"1234567890\"\n", "")
    });
    let config = site.read("site.yaml");
    let found = check_on(&site, "2022-04-01");
    assert_eq!(
        placed(&found, &[Code::MissingMeta]),
        [
            (Code::MissingMeta, "site.yaml".into(), 0, 0),
            // At the footer's fields.
            (
                Code::MissingMeta,
                "site.yaml".into(),
                position(&config, "icp:").0,
                position(&config, "icp:").1
            ),
        ]
    );
    assert!(found.iter().any(|d| d.message.contains("base_url")));
    assert!(found.iter().any(|d| d.message.contains("site_id_code")));
    // A base.html of the site's own that drops two tags: at its </head>.
    site.edit("site.yaml", |t| {
        t.replace("footer:\n", "footer:\n  site_id_code: \"1234567890\"\n")
            + "base_url: https://www.example.gov.cn/\n"
    });
    let base = read(&repo(), "themes/default/templates/base.html")
        .replace("<meta name=\"Author\" content=\"{{ m.author }}\">\n", "")
        .replace("{{ m.column_type }}", "");
    site.write("templates/base.html", &base);
    let found = check_on(&site, "2022-04-01");
    let (line, column) = position(&base, "</head>");
    assert_eq!(
        placed(&found, &[Code::MissingMeta]),
        [(
            Code::MissingMeta,
            "templates/base.html".into(),
            line,
            column
        )]
    );
    let message = &found
        .iter()
        .find(|d| d.code == Code::MissingMeta)
        .unwrap()
        .message;
    assert!(
        message.contains("ColumnType") && message.contains("Author"),
        "{message}"
    );
}

#[test]
fn a_missing_attachment_is_not_downloadable() {
    let site = site_with(&NOTICE.replace("正文。", "正文。附件：[整改台账](/files/台账.xlsx)"));
    let found = check_on(&site, "2026-01-01");
    let (line, _) = position(&site.read(A), "[整改台账]");
    assert_eq!(
        placed(&found, &[Code::MissingAttachment, Code::BrokenLink])
            .into_iter()
            .map(|(c, f, l, _)| (c, f, l))
            .collect::<Vec<_>>(),
        [(Code::MissingAttachment, A.to_string(), line)]
    );
    site.write("static/files/台账.xlsx", "xlsx");
    assert_eq!(check_on(&site, "2026-01-01"), []);
}

#[test]
fn the_report_groups_findings_under_the_official_indicators() {
    let notice = NOTICE
        .replace(
            "关于巡察整改进展情况的通报",
            "关于攻府巡察整改进展情况的通报",
        )
        .replace("category: conduct", "category: policy")
        .replace(
            "正文。",
            "正文。见[附件](/files/无.pdf)，[旧页面](/notices/nope/)。",
        );
    let site = site_with(&notice);
    let today = day("2026-06-01");
    let checked = check_site(site.path(), today, &CheckOptions::default());
    let html = report(site.path(), today, &checked).unwrap();
    let doc = Html::parse_document(&html);
    let text: String = doc.root_element().text().collect();
    for part in [
        "党务公开",
        "网站自查报告",
        "2026年6月1日",
        "国办秘函〔2019〕19号",
        "单项否决指标",
        "扣分指标",
        "严重错误",
        "栏目不更新",
        "链接不可用",
        "附件无法下载",
        "网站标识与页面标签",
        "单项否决指标中有 1 项存在问题",
    ] {
        assert!(text.contains(part), "the report lacks {part}");
    }
    // The summary table: each indicator with its count.
    let rows = Selector::parse("table tbody tr").unwrap();
    let cells = Selector::parse("td").unwrap();
    let counts: Vec<(String, String)> = doc
        .select(&rows)
        .map(|r| {
            let c: Vec<String> = r.select(&cells).map(|c| c.text().collect()).collect();
            (c[0].clone(), c[1].clone())
        })
        .collect();
    let count = |name: &str| {
        counts
            .iter()
            .find(|(n, _)| n.starts_with(name))
            .map(|(_, c)| c.as_str())
            .unwrap_or_else(|| panic!("no row {name}: {counts:?}"))
    };
    assert_eq!(count("严重错误"), "1");
    // Three columns stale (the site, policy, team), conduct empty.
    assert_eq!(count("栏目不更新"), "4");
    assert_eq!(count("链接不可用"), "1");
    assert_eq!(count("附件无法下载"), "1");
    assert_eq!(count("网站标识与页面标签"), "0");
    // Each finding with its place and its hint.
    let (line, column) = position(&notice, "攻府");
    assert!(text.contains(&format!("{A}:{line}:{column}")), "{text}");
    assert!(text.contains("修改建议"));
    // Self-contained and printable.
    for outside in ["http://", "https://", "<link", "<script", "@import"] {
        assert!(!html.contains(outside), "the report holds {outside}");
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("lang=\"zh-CN\""));

    // The same from the command line.
    let file = site.path().join("自查报告.html");
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--root"])
        .arg(site.path())
        .arg("--report")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!status.status.success(), "a serious typo fails the check");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("严重错误"));

    // A folder (or a pipe) in its place is refused, not waited on.
    let folder = site.path().join("报告");
    std::fs::create_dir(&folder).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--root"])
        .arg(site.path())
        .arg("--report")
        .arg(&folder)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(said.contains("错误[io]") && said.contains("提示"), "{said}");
}

#[test]
fn advice_about_the_whole_site_is_shown_but_does_not_fail_strict() {
    // A notice of long ago: its column is stale as of any today.
    let site = site_with(&NOTICE.replace("date: 2025-10-01", "date: 2000-10-01"));
    let strict = || {
        Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["check", "--strict", "--root"])
            .arg(site.path())
            .output()
            .unwrap()
    };
    let out = strict();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("警告[stale-column]"), "{text}");
    assert_eq!(out.status.code(), Some(0), "{text}");
    // A warning about what was written still fails it.
    site.edit(A, |t| t.replace("0768-1234567", "0000-0000000"));
    let out = strict();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("警告[placeholder]"), "{text}");
    assert_eq!(out.status.code(), Some(1), "{text}");
}
