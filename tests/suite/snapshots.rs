//! Snapshots that pin what a reader and a tool see: the main part of one
//! page of each kind, the feed and sitemap, and the diagnostics in text
//! and JSON. Update them with `INSTA_UPDATE=always cargo test` after an
//! intended change, and read the diff.

use crate::support::*;

/// The `<main>` element of a page: what the page is about, without the
/// header and footer every page shares.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    &html[start..end]
}

/// A second notice of the small site's inspection round: problem 1 again,
/// and a problem it finds, past its deadline.
const FOLLOW_UP: &str = "---
title: 关于巡察整改进展情况的通报（第二次）
date: 2022-06-30
inspection:
  kind: 巡察
  group: 区委第一巡察组
  start: 2021-10-08
problems:
  - number: 1
    category: policy
    title: 针对学习贯彻不深入的问题
    measures: |
      学习计划已执行半年。
    result: 整改完成，长期推进
    deadline: 长期坚持
  - number: 2
    follows: 无
    category: team
    title: 针对档案管理不规范的问题
    result: 正在整改
    deadline: 2022年5月底前
---
现将最新进展通报如下。
";

#[test]
fn one_page_of_each_kind() {
    let site = SiteTest::fixture("small");
    site.write("content/notices/2022-follow-up.md", FOLLOW_UP);
    site.build();
    for (name, page) in [
        ("home", "index.html"),
        ("notices", "notices/index.html"),
        ("notice", "notices/2022-first/index.html"),
        ("board", "notices/2022-first/board.html"),
        ("archive", "archive/index.html"),
        ("year", "archive/2022/index.html"),
        ("categories", "categories/index.html"),
        ("category", "categories/policy/index.html"),
        ("organizations", "organizations/index.html"),
        ("organization", "organizations/mou-qu-mou-ju/index.html"),
        ("tags", "tags/index.html"),
        ("tag", "tags/xun-cha-zheng-gai/index.html"),
        ("not_found", "404.html"),
        ("search", "search/index.html"),
        ("inspections", "inspections/index.html"),
        (
            "inspection",
            "inspections/2021-10-08-mou-qu-mou-ju/index.html",
        ),
        ("follow_up", "notices/2022-follow-up/index.html"),
    ] {
        insta::assert_snapshot!(format!("page_{name}"), main_of(&site.page(page)));
    }
}

#[test]
fn the_head_of_a_notice_page() {
    let site = SiteTest::fixture("small");
    site.try_build(|o| o.base_url = Some("https://www.example.gov.cn/dwgk/".into()))
        .unwrap();
    let page = site.page("notices/2022-first/index.html");
    let head = &page[..page.find("</head>").unwrap()];
    insta::assert_snapshot!(head);
}

#[test]
fn feed_and_sitemap() {
    let site = SiteTest::fixture("small");
    site.try_build(|o| o.base_url = Some("https://www.example.gov.cn/dwgk/".into()))
        .unwrap();
    insta::assert_snapshot!("feed", site.page("feed.xml"));
    insta::assert_snapshot!("sitemap", site.page("sitemap.xml"));
}

/// A site with one mistake of several kinds.
fn mistaken() -> SiteTest {
    let site = SiteTest::fixture("small");
    site.edit("content/notices/2022-first.md", |t| {
        t.replace("category: conduct", "category: condcut")
            .replace("result: 整改完成，长期推进", "result: 差不多完成")
    })
    .edit("content/notices/2021-second.md", |t| {
        t.replace("date: 2021-12-15", "date: 2021-12-32")
            .replace("(2022-first.md#problem-1)", "(2022-frist.md)")
    });
    site
}

#[test]
fn diagnostics_as_text() {
    let errors = mistaken().build_errors();
    insta::assert_snapshot!(errors.to_string());
}

#[test]
fn diagnostics_as_json() {
    let found = mistaken().check();
    let json: serde_json::Value = serde_json::from_str(&found.to_json()).unwrap();
    insta::assert_json_snapshot!(json);
}
