//! Search finds every notice and problem that contains the query, exactly,
//! and the browser script gives the same answers as the Rust side.

use std::path::Path;

use crate::support::browser::Browser;
use crate::support::*;
use gongkai::pipeline::{Changes, Options, Pipeline};
use gongkai::search::{Filter, Hit, SearchIndex};
use gongkai::serve::Workspace;
use proptest::prelude::*;
use serde_json::{Value, json};

/// The search index of the site at `root`, as `build` makes it.
fn index_of(root: &Path) -> SearchIndex {
    let mut pipeline = Pipeline::open(Options::new(root));
    let (model, errors) = pipeline.model(pipeline.publish()).unwrap();
    assert!(errors.is_empty());
    SearchIndex::build(&model.site, model.texts)
}

/// The basic site's index, built once for all the cases of a test.
fn example_index() -> &'static SearchIndex {
    static INDEX: std::sync::OnceLock<SearchIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| index_of(&fixtures().join("sites/basic")))
}

/// Every document text of the index: (notice, problem, text).
fn documents(index: &SearchIndex) -> Vec<(usize, Option<usize>, Vec<char>)> {
    let mut docs = Vec::new();
    for (i, n) in index.notices.iter().enumerate() {
        docs.push((i, None, n.text.chars().collect()));
        for (p, problem) in n.problems.iter().enumerate() {
            docs.push((i, Some(p), problem.text.chars().collect()));
        }
    }
    docs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_substring_finds_its_document(doc in any::<prop::sample::Index>(), start in any::<prop::sample::Index>(), len in 2usize..=8) {
        let index = example_index();
        let docs = documents(index);
        let (notice, problem, text) = &docs[doc.index(docs.len())];
        prop_assume!(text.len() > len);
        let start = start.index(text.len() - len);
        let query: String = text[start..start + len].iter().collect();
        prop_assume!(query.chars().any(gongkai::search::is_term_char));
        let hits = index.query(&query, Filter::default());
        prop_assert!(
            hits.iter().any(|h| h.notice == *notice && h.problem == *problem),
            "{query:?} did not find notice {notice} problem {problem:?}: {hits:?}"
        );
    }

    #[test]
    fn text_that_appears_nowhere_finds_nothing(codes in prop::collection::vec(0x9F80u32..0x9FA5, 2..6)) {
        let query: String = codes.iter().filter_map(|c| char::from_u32(*c)).collect();
        let index = example_index();
        prop_assume!(documents(index).iter().all(|(_, _, t)| !t.iter().collect::<String>().contains(&query)));
        prop_assert!(index.query(&query, Filter::default()).is_empty());
    }
}

#[test]
fn results_contain_the_query_and_titles_come_first() {
    let index = example_index();
    for query in ["整改", "考勤", "八项规定", "2021", "立行立改"] {
        let hits = index.query(query, Filter::default());
        assert!(!hits.is_empty(), "{query}");
        let first_body = hits
            .iter()
            .position(|h| !h.title_match)
            .unwrap_or(hits.len());
        assert!(
            hits[first_body..].iter().all(|h| !h.title_match),
            "{query}: titles first"
        );
        for group in [&hits[..first_body], &hits[first_body..]] {
            assert!(
                group.windows(2).all(|w| w[0].notice <= w[1].notice),
                "{query}: newest first"
            );
        }
    }
}

/// Distinct notices among the hits: what "how many notices match" means.
fn notices_of(hits: &[Hit]) -> usize {
    hits.iter()
        .map(|h| h.notice)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

#[test]
fn the_count_of_notices_is_exact_where_the_index_knows_it() {
    let index = example_index();
    for query in [
        "整改",
        "考勤",
        "勤",
        "八项规定",
        "政协 考勤",
        "30.3",
        "不存在",
    ] {
        let found = notices_of(&index.query(query, Filter::default()));
        let m = index.matching(query, Filter::default());
        // One part of one or two indexed characters: the postings decide.
        let short = !query.contains(' ') && query.chars().count() <= 2;
        assert_eq!(m.exact, short, "{query}");
        if m.exact {
            assert_eq!(m.notices, found, "{query}");
        } else {
            assert!(m.notices >= found, "{query}: {} < {found}", m.notices);
        }
    }
    // A category makes it an upper bound: a notice may match outside it.
    let conduct = Filter {
        category: Some(1),
        ..Filter::default()
    };
    let m = index.matching("整改", conduct);
    assert!(!m.exact);
    assert!(m.notices >= notices_of(&index.query("整改", conduct)));
}

const FOLDED: &str = "---\ntitle: 测试\ndate: 2022-01-01\n---\n正文提到 abc 系统和 (一) 项。\n";

#[test]
fn full_width_and_case_are_folded() {
    let site = SiteTest::with_notices(&[("a.md", FOLDED)]);
    let index = index_of(site.path());
    for query in ["ＡＢＣ", "abc", "ABC", "（一）", "(一)"] {
        assert_eq!(index.query(query, Filter::default()).len(), 1, "{query}");
    }
}

#[test]
fn search_can_be_turned_off() {
    let site = SiteTest::basic();
    let config = site.read("site.yaml") + "search: false\n";
    site.write("site.yaml", &config);
    site.built().page_lacks("index.html", &["header-search"]);
    assert!(!site.path().join("public/search").exists());
    assert!(broken_links(&site.path().join("public")).is_empty());
}

#[test]
fn the_example_site_loads_one_small_file() {
    let site = SiteTest::basic();
    site.build();
    let files: Vec<String> = tree(&site.path().join("public/search"))
        .into_keys()
        .collect();
    assert_eq!(files, ["index.html", "meta.js"]);
    let size = std::fs::metadata(site.path().join("public/search/meta.js"))
        .unwrap()
        .len();
    assert!(size < 300_000, "{size}");
}

/// A site of 300 notices with varied text, too large for one index file.
fn large_site() -> SiteTest {
    let words = [
        "八项规定",
        "考勤",
        "核酸检测",
        "公务接待",
        "财务管理",
        "意识形态",
        "三会一课",
        "民主评议",
        "干部选拔",
        "廉政风险",
    ];
    let mut notices = Vec::new();
    for i in 0..300 {
        let mut body = String::new();
        for k in 0..40 {
            let c = char::from_u32(0x4E00 + ((i * 131 + k * 17) % 6000) as u32).unwrap();
            let d = char::from_u32(0x4E00 + ((i * 71 + k * 29) % 6000) as u32).unwrap();
            body.push_str(&format!("{}{c}{d}。", words[(i + k) % words.len()]));
        }
        notices.push((
            format!("n{i:03}.md"),
            format!(
                "---\ntitle: 第{i}号通报\ndate: 2022-01-{:02}\n---\n{body}\n",
                i % 28 + 1
            ),
        ));
    }
    let site = SiteTest::with_generated(&notices);
    site.build();
    site
}

#[test]
fn large_sites_are_sharded() {
    let site = large_site();
    let files: Vec<String> = tree(&site.public().join("search")).into_keys().collect();
    assert!(
        files.iter().filter(|f| f.starts_with("t/")).count() > 1,
        "{files:?}"
    );
    assert!(
        files.iter().filter(|f| f.starts_with("x/")).count() > 1,
        "{files:?}"
    );
    let index = index_of(site.path());
    assert_eq!(index.query("核酸检测", Filter::default()).len(), 300);
}

/// `serve` patches a sharded index after each save, and what it shows is
/// what `build` writes: an edit of a body, a problem added, a notice gone.
#[test]
fn the_preview_patches_a_large_index_as_a_build_writes_it() {
    let site = large_site();
    let out = site.path().join("serve");
    let (mut ws, _) = Workspace::open(Options::new(site.path()), out.clone());
    let rel = "content/notices/n150.md";
    let save = |ws: &mut Workspace, rel: &str| {
        ws.update(&Changes::of(site.path(), [site.path().join(rel)]));
        ws.finish();
        assert_same_as_build(site.path(), &out);
    };
    site.edit(rel, |t| t.replace("考勤", "考核"));
    save(&mut ws, rel);
    site.edit(rel, |t| {
        let problem = "\nproblems:\n  - category: policy\n    title: 考勤管理不严格\n---\n";
        t.replacen("\n---\n", problem, 1)
    });
    save(&mut ws, rel);
    site.remove("content/notices/n010.md");
    save(&mut ws, "content/notices/n010.md");
    let index = index_of(site.path());
    assert_eq!(index.query("考核", Filter::default()).len(), 1);
    assert_eq!(index.query("核酸检测", Filter::default()).len(), 299);
}

fn triples(hits: &[Hit]) -> Vec<(usize, Option<usize>, bool)> {
    hits.iter()
        .map(|h| (h.notice, h.problem, h.title_match))
        .collect()
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver"]
fn the_browser_gives_the_same_answers_as_rust() {
    let browser = Browser::start();
    let site = SiteTest::basic();
    site.build();
    let index = index_of(site.path());
    let queries = [
        ("八项规定", ""),
        ("考勤", ""),
        ("整改完成", ""),
        ("整改", ""),
        ("7230", ""),
        ("30.3", ""),
        ("政协 考勤", ""),
        ("湘桥区", ""),
        ("〔2022〕", ""),
        ("勤", ""),
        ("立行立改", "&category=conduct"),
        ("整改", "&year=2022"),
        ("不存在的内容", ""),
        ("规定八项", ""),
    ];
    for (q, extra) in queries {
        let filter = match extra {
            "&category=conduct" => Filter {
                category: Some(1),
                ..Filter::default()
            },
            "&year=2022" => Filter {
                year: Some(2022),
                ..Filter::default()
            },
            _ => Filter::default(),
        };
        let rust = triples(&index.query(q, filter));
        assert_eq!(
            browser_hits(&browser, &site.public(), q, extra),
            rust,
            "{q}{extra}"
        );
    }
    // A site whose index is sharded: the page loads the shards it needs.
    let large = large_site();
    let expected = index_of(large.path()).query("核酸检测", Filter::default());
    let got = browser_hits(&browser, &large.public(), "核酸检测", "");
    assert_eq!(got, triples(&expected));
    // The status says how many notices match: exactly for a short query,
    // "约" (an upper bound) while a longer one is not checked through.
    let large_index = index_of(large.path());
    for (query, all) in [("核酸检测", false), ("核酸", false), ("核酸检测", true)] {
        let m = large_index.matching(query, Filter::default());
        let found = notices_of(&large_index.query(query, Filter::default()));
        let status = browser_status(&browser, &large.public(), query, all);
        let expected = if all || m.exact {
            format!("共{found}篇通报")
        } else {
            format!("共约{}篇通报", m.notices)
        };
        assert!(
            status.contains(&expected),
            "{query}: {status} lacks {expected}"
        );
    }
    // Without DecompressionStream, the page inflates the texts itself.
    let page = large.public().join("search/index.html");
    browser.open(&format!("file://{}", page.display()));
    browser.eval(
        "window.DecompressionStream = undefined; window.fallbackHits = null; \
         gongkaiSearch.search('核酸检测', {category: null, year: null}) \
           .then(s => s.next(100000)) \
           .then(hits => { window.fallbackHits = hits.map(h => \
              [h.notice.id, h.problem ? h.problem.index : null, h.titleMatch]); });",
    );
    browser.wait_for("return window.fallbackHits !== null", json!(true));
    let inflated = browser.eval("return window.fallbackHits");
    let expected: Vec<Value> = triples(&expected)
        .into_iter()
        .map(|(n, p, t)| json!([n, p, t]))
        .collect();
    assert_eq!(inflated, json!(expected));
    // Full width and case are folded the same way.
    let folded = SiteTest::with_notices(&[("a.md", FOLDED)]);
    folded.build();
    for query in ["ＡＢＣ", "（一）"] {
        let got = browser_hits(&browser, &folded.public(), query, "");
        assert_eq!(got, [(0, None, false)], "{query} in the browser");
    }
}

/// Runs the search page from `file://` (with all results, or the first
/// page) and reads its status line.
fn browser_status(browser: &Browser, out: &Path, query: &str, all: bool) -> String {
    let page = out.join("search/index.html");
    let url = format!(
        "file://{}?q={}{}",
        page.display(),
        crate::support::http::encode_value(query),
        if all { "&all=1" } else { "" }
    );
    browser.open(&url);
    let state = "var l = document.querySelector('[data-search-results]'); \
                 return l ? l.getAttribute('data-state') : null";
    browser.wait_for(state, json!(if all { "done" } else { "more" }));
    let status = browser.eval("return document.querySelector('[data-search-status]').textContent");
    status.as_str().unwrap_or("").to_string()
}

/// Runs the search page from `file://` and reads the results it rendered.
fn browser_hits(
    browser: &Browser,
    out: &Path,
    query: &str,
    extra: &str,
) -> Vec<(usize, Option<usize>, bool)> {
    let page = out.join("search/index.html");
    let url = format!(
        "file://{}?q={}{extra}&all=1",
        page.display(),
        crate::support::http::encode_value(query)
    );
    browser.open(&url);
    let state = "var l = document.querySelector('[data-search-results]'); \
                 return l ? l.getAttribute('data-state') : null";
    browser.wait_for(state, json!("done"));
    let rows = browser.eval(
        "return Array.from(document.querySelectorAll('[data-search-results] li.search-result'))\
         .map(li => [li.dataset.notice, li.dataset.problem, li.dataset.titleMatch])",
    );
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    rows.as_array()
        .unwrap_or_else(|| panic!("no results for {query}: {rows}"))
        .iter()
        .map(|row| {
            let problem = text(&row[1]);
            (
                text(&row[0]).parse().unwrap(),
                (!problem.is_empty()).then(|| problem.parse().unwrap()),
                text(&row[2]) == "1",
            )
        })
        .collect()
}
