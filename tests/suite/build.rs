//! Building real example sites into temp folders.

use std::collections::BTreeSet;
use std::fs;

use crate::support::*;
use gongkai::commands::build::build;
use gongkai::config::SiteConfig;
use gongkai::diagnostic::Code;
use gongkai::load::Notices;
use gongkai::pipeline::Options;

#[test]
fn the_seed_notice_shows_17_problems_grouped_4_5_8() {
    let site = SiteTest::basic();
    site.build();
    let html = site.page("notices/xiangqiao-zhengxie-2021/index.html");
    let groups: Vec<&str> = html
        .split("<section class=\"problem-group\"")
        .skip(1)
        .collect();
    let counts: Vec<usize> = groups
        .iter()
        .map(|g| count(g, "<article class=\"problem\""))
        .collect();
    assert_eq!(counts, [4, 5, 8]);
    let names = [
        "贯彻落实党的路线方针政策和党中央决策部署存在的问题",
        "群众身边腐败问题和不正之风方面",
        "党组织领导班子和干部队伍建设方面",
    ];
    for (group, name) in groups.iter().zip(names) {
        let title = group.split("</h3>").next().unwrap();
        assert!(title.contains(name), "{name} not in {title}");
    }
    for n in 1..=17 {
        assert!(
            html.contains(&format!("id=\"problem-{n}\"")),
            "anchor problem-{n}"
        );
    }
    // The results as written, the amounts recovered, the inspection.
    assert_eq!(count(&html, "<p>整改完成，长期推进。</p>"), 5);
    assert_eq!(count(&html, "<p>整改完成，长期推进</p>"), 9);
    assert!(html.contains("<p>立行立改，整改完成，长期推进。</p>"));
    // Amounts as written, grouped in thousands for reading.
    for amount in ["7,230.3", "10,200", "31,626"] {
        assert!(
            html.contains(&format!("<strong>{amount}</strong>元")),
            "{amount}"
        );
    }
    assert!(html.contains("2021年4月28日至2021年8月26日"));
    assert!(html.contains("区委第一巡察组"));
    assert!(html.contains("xiangqiaozhengxie@126.com") && html.contains("0768-2100022"));
    assert!(!html.contains("bookmark"), "the Word artifact is gone");
}

#[test]
fn each_category_page_lists_exactly_its_problems_newest_first() {
    let site = SiteTest::basic();
    site.build();
    let config = SiteConfig::load(site.path()).unwrap();
    let loaded = Notices::read_all(site.path(), Some(&config));
    assert!(loaded.diagnostics().is_empty());
    let notices = loaded.valid();
    let mut published: Vec<_> = notices.iter().filter(|n| !n.draft).collect();
    published.sort_by_key(|n| std::cmp::Reverse(n.date.instant));
    for (ci, category) in config.categories.iter().enumerate() {
        let expected: Vec<String> = published
            .iter()
            .flat_map(|n| {
                n.problems
                    .iter()
                    .filter(|p| p.category.0 == ci)
                    .map(|p| format!("../../notices/{}/index.html#problem-{}", n.slug, p.number))
            })
            .collect();
        let html = site.page(&format!("categories/{}/index.html", category.key));
        // Each item's own link (its title), not the link to a later report.
        let listed: Vec<String> = html
            .split("<p class=\"problem-item-title\">")
            .skip(1)
            .filter_map(|item| attr_values(item, "href").into_iter().next())
            .collect();
        assert_eq!(listed, expected, "category {}", category.key);
        // Each problem counts once: the reports the round's second notice
        // took up again are listed, marked, and not counted.
        let superseded: Vec<&String> = expected
            .iter()
            .filter(|h| SUPERSEDED.iter().any(|s| h.ends_with(s)))
            .collect();
        let problems = expected.len() - superseded.len();
        assert!(html.contains(&format!("共<strong>{problems}</strong>个问题")));
        assert_eq!(count(&html, "problem-item superseded"), superseded.len());
        assert_eq!(count(&html, "最新进展："), superseded.len());
    }
}

/// The problems of the example's first 示范街道 notice that its second
/// notice reports again.
const SUPERSEDED: [&str; 4] = [
    "2022-shifan-jiedao/index.html#problem-1",
    "2022-shifan-jiedao/index.html#problem-3",
    "2022-shifan-jiedao/index.html#problem-4",
    "2022-shifan-jiedao/index.html#problem-5",
];

#[test]
fn dashboard_totals_match_the_content() {
    SiteTest::with_notices(&[("2021-xiangqiao-zhengxie.md", &seed_notice())])
        .built()
        .page_has(
            "index.html",
            &[
                // The seed recovered 49056.3 yuan.
                "<span class=\"stat-number\">49,056.3</span>",
                "<span class=\"stat-number\">17</span><span class=\"stat-label\">个问题</span>",
                "<span class=\"stat-number\">17</span><span class=\"stat-label\">已完成（100%）</span>",
                // The markers apart from the four states.
                "另有标记：立行立改<strong>3</strong>个，长期推进<strong>15</strong>个",
                "数据截至<time datetime=\"2021-11-26\">2021年11月26日</time>",
            ],
        );

    // The whole example site: 26 reports of 22 problems, counted once at
    // their latest report. The 示范街道 round recovered 50227 once.
    SiteTest::basic().built().page_has(
        "index.html",
        &[
            // 49056.3 + 50227.
            "<span class=\"stat-number\">99,283.3</span>",
            "<span class=\"stat-number\">22</span><span class=\"stat-label\">个问题</span>",
            // 17 of the seed and 3 of the round: 20 of 22 is 90.9%, rounded.
            "<span class=\"stat-number\">20</span><span class=\"stat-label\">已完成（91%）</span>",
            "<span class=\"stat-number\">2</span><span class=\"stat-label\">阶段性完成</span>",
            "数据截至<time datetime=\"2022-12-30\">2022年12月30日</time>",
        ],
    );
}

#[test]
fn every_internal_link_resolves_without_a_base_url() {
    let site = SiteTest::basic();
    site.build();
    let broken = broken_links(&site.path().join("public"));
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(!site.path().join("public/feed.xml").exists());
    assert!(!site.path().join("public/sitemap.xml").exists());
}

#[test]
fn every_internal_link_resolves_with_a_sub_path_base_url() {
    let site = SiteTest::basic();
    let mut options = Options::new(site.path());
    options.base_url = Some("https://www.example.gov.cn/dwgk".into());
    options.drafts = true;
    build(&options).unwrap();
    let out = site.path().join("public");
    let broken = broken_links_at(&out, "/dwgk/");
    assert!(broken.is_empty(), "{broken:#?}");
    let notice = read(&out, "notices/xiangqiao-zhengxie-2021/index.html");
    assert!(notice.contains(
        "<link rel=\"canonical\" href=\"https://www.example.gov.cn/dwgk/notices/xiangqiao-zhengxie-2021/\">"
    ));
    let feed = read(&out, "feed.xml");
    assert!(feed.contains(
        "<link href=\"https://www.example.gov.cn/dwgk/notices/xiangqiao-zhengxie-2021/\""
    ));
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://www.example.gov.cn/dwgk/categories/policy/</loc>"));
    assert!(!sitemap.contains("404"));
    // 404.html is served at any depth, so its links start at the sub-path.
    let not_found = read(&out, "404.html");
    assert!(
        not_found.contains("href=\"/dwgk/assets/gongkai.css\""),
        "{not_found}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = SiteTest::basic();
    let first = site.path().join("first");
    let second = site.path().join("second");
    for out in [&first, &second] {
        let mut options = Options::new(site.path());
        options.output = Some(out.clone());
        options.base_url = Some("https://example.gov.cn/".into());
        build(&options).unwrap();
    }
    let (a, b) = (tree(&first), tree(&second));
    assert!(a.len() > 20);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs");
    }
}

#[test]
fn the_theme_folder_and_the_built_in_theme_give_the_same_site() {
    let site = SiteTest::basic();
    site.build();
    let builtin = tree(&site.path().join("public"));
    copy_dir(&repo().join("themes"), &site.path().join("themes"));
    site.build();
    let from_disk = tree(&site.path().join("public"));
    assert_eq!(builtin, from_disk);
}

#[test]
fn a_rebuild_links_unchanged_files_and_rewrites_changed_ones() {
    let site = SiteTest::basic();
    let first = site.build();
    assert_eq!(first.write.unchanged, 0);
    let again = site.build();
    assert_eq!(again.write.written, 0, "nothing changed");
    assert_eq!(again.write.removed, 0);
    assert_eq!(again.write.unchanged, first.write.files);

    let path = site
        .path()
        .join("content/notices/2022-zuzhi-shenghuohui.md");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("优秀 | 6", "优秀 | 7");
    fs::write(&path, text).unwrap();
    let third = site.build();
    // The notice's page and the search index, which holds its text.
    assert_eq!(third.write.written, 2, "only that notice's page changed");
    assert!(
        site.page("notices/2022-zuzhi-shenghuohui/index.html")
            .contains(">7</td>")
    );
}

#[test]
fn hidden_files_of_the_previous_output_survive_a_rebuild() {
    let site = SiteTest::basic();
    site.build();
    site.write("public/.gitkeep", "");
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.write("public/stale.html", "old");
    site.build();
    assert!(site.path().join("public/.gitkeep").exists());
    assert_eq!(site.page(".git/HEAD"), "ref: refs/heads/gh-pages\n");
    assert!(
        !site.path().join("public/stale.html").exists(),
        "the output is replaced as a whole"
    );
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gongkai"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A build replaces its output as a whole, so it writes only where no
/// file of anyone else's would go with it.
#[test]
#[cfg(unix)]
fn the_output_never_takes_files_that_are_not_the_sites() {
    let site = SiteTest::basic();
    let elsewhere = tempfile::tempdir().unwrap();
    let keep = elsewhere.path().join("重要文件.docx");
    fs::write(&keep, "keep").unwrap();

    // `public` made a link to a folder outside the site.
    std::os::unix::fs::symlink(elsewhere.path(), site.public()).unwrap();
    let errors = site.build_errors();
    assert_eq!(errors.0[0].code, Code::Output, "{errors}");
    assert!(errors.0[0].message.contains("符号链接"), "{errors}");
    assert!(keep.exists());

    // `--output` at a folder of other files, in the site or out of it.
    fs::remove_file(site.public()).unwrap();
    site.write("docs/说明.txt", "keep");
    for folder in [elsewhere.path().to_path_buf(), site.path().join("docs")] {
        let errors = site
            .try_build(|o| o.output = Some(folder.clone()))
            .unwrap_err();
        assert!(
            errors.0[0].message.contains("不是 gongkai 生成的网站"),
            "{errors}"
        );
    }
    assert!(keep.exists() && site.path().join("docs/说明.txt").exists());

    // An empty folder, and then the same folder built again, are fine.
    let empty = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        site.try_build(|o| o.output = Some(empty.path().to_path_buf()))
            .unwrap();
    }
    assert!(empty.path().join("index.html").exists());
}

#[test]
fn front_matter_strings_are_escaped() {
    let notice = "---\ntitle: <script>alert(1)</script>通报\ndate: 2022-01-01\norganization: <b>单位</b>\ntags: [\"<img src=x onerror=alert(1)>\"]\nproblems:\n  - category: policy\n    title: <script>x()</script>\n    result: 整改完成 <i>x</i>\n    status: completed\n---\n正文里的 <span class=\"ok\">HTML</span> 照常输出。\n";
    let site = SiteTest::with_notices(&[("xss.md", notice)]);
    site.build();
    let out = site.path().join("public");
    for (rel, bytes) in tree(&out) {
        if !(rel.ends_with(".html") || rel.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert") && !text.contains("<script>x()"),
            "{rel} has a raw <script>"
        );
        assert!(!text.contains("<img src=x"), "{rel} has a raw <img>");
        assert!(!text.contains("<b>单位</b>"), "{rel} has raw <b>");
    }
    let page = read(&out, "notices/xss/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;通报")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;通报"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"ok\">HTML</span>"),
        "Markdown may carry raw HTML"
    );
}

#[test]
fn chinese_markdown_rules_apply_on_the_page() {
    let seed = "notices/xiangqiao-zhengxie-2021/index.html";
    SiteTest::basic()
        .built()
        .page_has(
            seed,
            &["<strong>（一）增强巡察整改的自觉。</strong>区政协机关组织深入学习"],
        )
        .page_lacks(seed, &["**"]);
    let notice = "---\ntitle: 通报\ndate: 2022-01-01\n---\n**原因分析：**政协机关\n深入学习，\nand some\nLatin words.\n";
    // Between Han characters the break vanishes; next to Latin text it stays.
    SiteTest::with_notices(&[("a.md", notice)])
        .built()
        .page_has(
            "notices/a/index.html",
            &["<p><strong>原因分析：</strong>政协机关深入学习，\nand some\nLatin words.</p>"],
        );
}

#[test]
fn links_between_notices_are_rewritten() {
    SiteTest::basic()
        .built()
        .page_has(
            "notices/2022-zuzhi-shenghuohui/index.html",
            &["href=\"../../notices/xiangqiao-zhengxie-2021/index.html#problem-11\""],
        )
        .page_has(
            "notices/2022-shifan-jiedao/index.html",
            &["href=\"../../categories/index.html\""],
        );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = SiteTest::basic().with_draft();
    let report = site.build();
    assert_eq!(report.notices, 3);
    assert_eq!(report.skipped.len(), 1);
    assert!(
        !site
            .path()
            .join("public/notices/2022-shifan-jiedao-di-er-ci")
            .exists()
    );

    let mut options = Options::new(site.path());
    options.drafts = true;
    let report = build(&options).unwrap();
    assert_eq!(report.notices, 4);
    let draft = site.page("notices/2022-shifan-jiedao-di-er-ci/index.html");
    assert!(draft.contains("这是草稿"));
}

#[test]
fn required_review_keeps_unapproved_notices_out() {
    let site = SiteTest::basic();
    let config = site
        .read("site.yaml")
        .replace("require_review: false", "require_review: true");
    site.write("site.yaml", &config);
    let report = site.build();
    // Only the notices with a complete review record are published.
    assert_eq!(report.notices, 2);
    assert!(
        site.path()
            .join("public/notices/2022-shifan-jiedao/index.html")
            .exists()
    );
    let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert!(
        reasons.iter().any(|r| r.contains("approved_by")),
        "{reasons:?}"
    );
    // The page shows the review record and the revision.
    let page = site.page("notices/2022-shifan-jiedao/index.html");
    assert!(page.contains("街道党工委会议（2022年9月28日）"));
    assert!(page.contains("2022年10月8日</time>：更正第3项"));
    assert!(page.contains("最后修订"));
}

#[test]
fn open_data_exports() {
    let site = SiteTest::basic();
    site.build();
    let csv = fs::read(site.path().join("public/problems.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "Excel needs the BOM");
    let csv = String::from_utf8(csv).unwrap();
    // A row per report: 22 problems, 4 of them reported twice.
    assert_eq!(csv.lines().count(), 1 + 26);
    assert!(csv.contains("2021-04-28-zheng-xie-ji-guan/5,2021-04-28-zheng-xie-ji-guan,是,关于巡察整改阶段性进展情况的通报,2021-11-26,潮州市湘桥区政协机关,,5,群众身边腐败问题和不正之风方面,针对工作作风不严不实的问题,整改完成，长期推进。,已完成,否,是,7230.3,,,"));
    let json: serde_json::Value = serde_json::from_str(&site.page("problems.json")).unwrap();
    assert_eq!(json["problem_count"], 22);
    assert_eq!(json["notice_count"], 4);
    assert_eq!(json["categories"][1]["key"], "conduct");
    let notices = json["notices"].as_array().unwrap();
    let reports: Vec<&serde_json::Value> = notices
        .iter()
        .flat_map(|n| n["problems"].as_array().unwrap())
        .collect();
    assert_eq!(reports.len(), 26);
    // Counting the latest reports counts each problem once; their ids are
    // the problems'.
    let latest: Vec<&str> = reports
        .iter()
        .filter(|p| p["latest"] == true)
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(latest.len(), 22);
    let ids: std::collections::BTreeSet<&str> =
        reports.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 22);
    let seed = notices
        .iter()
        .find(|n| n["slug"] == "xiangqiao-zhengxie-2021")
        .unwrap();
    assert_eq!(seed["url"], "notices/xiangqiao-zhengxie-2021/index.html");
    assert_eq!(seed["date"], "2021-11-26");
    let p9 = seed["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["number"] == 9)
        .unwrap();
    assert_eq!(p9["recovered_yuan"], 31626);
    assert_eq!(p9["state"], "completed");
    assert_eq!(p9["immediate"], true);
    assert_eq!(p9["long_term"], true);
    assert_eq!(p9["category"], "conduct");
    assert_eq!(p9["anchor"], "problem-9");
}

#[test]
fn government_site_metadata_is_on_every_page() {
    let site = SiteTest::basic();
    site.edit("site.yaml", |t| {
        t.replace(
            "  # site_id_code: \"4451020001\"",
            "  site_id_code: \"4451020001\"",
        )
    });
    site.build();
    let out = site.path().join("public");
    for (rel, bytes) in tree(&out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for name in [
            "SiteName",
            "SiteIDCode",
            "ColumnName",
            "Keywords",
            "Description",
        ] {
            assert!(
                html.contains(&format!("<meta name=\"{name}\"")),
                "{rel} lacks {name}"
            );
        }
        assert!(html.contains("<html lang=\"zh-CN\">"), "{rel}");
    }
    let page = read(&out, "notices/xiangqiao-zhengxie-2021/index.html");
    assert!(
        page.contains("<meta name=\"ArticleTitle\" content=\"关于巡察整改阶段性进展情况的通报\">")
    );
    assert!(page.contains("<meta name=\"PubDate\" content=\"2021-11-26 00:00\">"));
    assert!(page.contains("<meta name=\"ContentSource\" content=\"潮州市湘桥区政协机关\">"));
}

#[test]
fn the_theme_is_self_contained() {
    let site = SiteTest::basic();
    site.build();
    for (rel, bytes) in tree(&site.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        if rel.ends_with(".html") || rel.ends_with(".css") || rel.ends_with(".js") {
            for link in attr_values(&text, "src")
                .iter()
                .chain(attr_values(&text, "href").iter())
            {
                let external_asset =
                    link.starts_with("http") && (link.ends_with(".css") || link.ends_with(".js"));
                assert!(!external_asset, "{rel} loads {link}");
            }
            assert!(!text.contains("@import url(http"), "{rel}");
            assert!(!text.contains("fonts.googleapis"), "{rel}");
        }
    }
}

#[test]
fn a_theme_of_its_own_gets_the_files_the_built_in_pages_it_lacks_link() {
    // A theme of its own with only a base page and its own style sheet:
    // the notice-board sheet and the search page come from the built-in
    // theme, and so do their style sheet and script; the built-in
    // theme's own style sheet, which only its base page links, does not.
    let site = SiteTest::basic();
    let base = "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>{{ page.title }}</title>\
        <link rel=\"stylesheet\" href=\"{{ page.root }}assets/mine.css\">{% block head %}{% endblock head %}</head>\
        <body>{% block content %}{% endblock content %}</body></html>";
    site.write("themes/mine/templates/base.html", base);
    site.write("themes/mine/static/assets/mine.css", "body { color: #000 }");
    site.edit("site.yaml", |t| format!("{t}theme: mine\n"));
    site.built().page_has(
        "notices/2022-zuzhi-shenghuohui/board.html",
        &["assets/mine.css", "assets/board.css"],
    );
    let builtin = |rel: &str| fs::read(repo().join("themes/default/static").join(rel)).unwrap();
    for rel in ["assets/board.css", "assets/search.js"] {
        assert_eq!(
            fs::read(site.path().join("public").join(rel)).unwrap(),
            builtin(rel),
            "{rel}"
        );
    }
    assert!(!site.path().join("public/assets/gongkai.css").exists());

    // The theme's own board.css is the one published.
    site.write("themes/mine/static/assets/board.css", "@page { size: A4 }");
    site.build();
    assert_eq!(site.page("assets/board.css"), "@page { size: A4 }");
}

#[test]
fn a_site_template_overrides_the_theme() {
    let site = SiteTest::basic();
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>自定义的404</h1>{% endblock content %}",
    );
    site.built().page_has("404.html", &["<h1>自定义的404</h1>"]);
}

#[test]
fn static_files_are_copied_and_may_not_shadow_pages() {
    let site = SiteTest::basic();
    site.write("static/files/说明.pdf", "%PDF");
    site.write("static/robots.txt", "User-agent: *\n");
    site.build();
    assert_eq!(site.page("robots.txt"), "User-agent: *\n");
    assert!(site.path().join("public/files/说明.pdf").exists());
    assert!(site.path().join("public/assets/gongkai.css").exists());

    site.write("static/index.html", "x")
        .build_fails_with(&[error(Code::Static, "static/index.html", 0)]);
}

#[test]
fn the_listed_pages_exist() {
    let site = SiteTest::basic();
    site.build();
    let out = site.path().join("public");
    let files: BTreeSet<String> = tree(&out).into_keys().collect();
    for page in [
        "index.html",
        "404.html",
        "notices/index.html",
        "archive/index.html",
        "archive/2022/index.html",
        "archive/2021/index.html",
        "categories/index.html",
        "categories/policy/index.html",
        "categories/conduct/index.html",
        "categories/team/index.html",
        "organizations/index.html",
        "organizations/chao-zhou-shi-xiang-qiao-qu-zheng-xie-ji-guan/index.html",
        "organizations/chao-zhou-shi-xiang-qiao-qu-shi-fan-jie-dao-dang-gong-wei/index.html",
        "tags/index.html",
        "tags/xun-cha-zheng-gai/index.html",
        "problems.json",
        "problems.csv",
        "assets/gongkai.css",
        "assets/gongkai.js",
    ] {
        assert!(files.contains(page), "{page} missing; have {files:#?}");
    }
    // A notice assigned to a category without problems is listed there.
    let team = read(&out, "categories/team/index.html");
    assert!(team.contains("关于2021年度党支部组织生活会和民主评议党员情况的公示"));
}

#[test]
fn pagination_splits_long_lists() {
    let mut notices = Vec::new();
    for i in 0..45 {
        notices.push((
            format!("n{i:02}.md"),
            format!(
                "---\ntitle: 第{i}篇\ndate: 2022-01-{:02}\ntags: [甲]\nproblems:\n  - category: policy\n    title: 问题{i}甲\n    result: 整改完成\n  - category: policy\n    title: 问题{i}乙\n    result: 正在整改\n---\n正文{i}\n",
                i % 28 + 1
            ),
        ));
    }
    let site = SiteTest::with_generated(&notices);
    site.build();
    let out = site.path().join("public");
    // 45 notices at 20 a page; 90 problems at 50 a page.
    assert!(out.join("notices/page/3/index.html").exists());
    assert!(!out.join("notices/page/4/index.html").exists());
    assert!(out.join("categories/policy/page/2/index.html").exists());
    assert!(!out.join("categories/policy/page/3/index.html").exists());
    assert!(out.join("tags/jia/page/3/index.html").exists());
    let p2 = read(&out, "categories/policy/page/2/index.html");
    assert_eq!(count(&p2, "class=\"problem-item\""), 40);
    assert!(p2.contains("<span aria-current=\"page\">2</span>"));
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_site_without_notices_still_builds() {
    let site = SiteTest::with_notices(&[]);
    let report = site.build();
    assert_eq!(report.notices, 0);
    let home = site.page("index.html");
    assert!(home.contains("暂无通报"));
    assert!(broken_links(&site.path().join("public")).is_empty());
}

#[test]
fn the_county_fixture_is_the_example_site() {
    // Tests of the example read `county`; it must not drift from what a
    // new user sees in the repository.
    let county = fixtures().join("sites/county");
    assert!(tree(&repo().join("content")) == tree(&county.join("content")));
    assert_eq!(read(&repo(), "site.yaml"), read(&county, "site.yaml"));
}
