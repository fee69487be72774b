//! Search finds every notice and problem that contains the query, exactly,
//! and the browser script gives the same answers as the Rust side.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use gongkai::config::SiteConfig;
use gongkai::load::load_content;
use gongkai::search::{Filter, Hit, SearchIndex};
use gongkai::site::{CompileCache, Publish, Site};
use proptest::prelude::*;

/// The search index of the site at `root`, as `build` makes it.
fn index_of(root: &Path) -> SearchIndex {
    let config = SiteConfig::load(root).unwrap();
    let loaded = load_content(root, &config);
    let (mut site, errors) = Site::build(
        root,
        config,
        loaded.notices,
        &loaded.failed,
        Publish::default(),
        &mut CompileCache::default(),
    );
    assert!(errors.is_empty());
    SearchIndex::build(&mut site)
}

/// The example site's index, built once for all the cases of a test.
fn example_index() -> &'static SearchIndex {
    static INDEX: std::sync::OnceLock<SearchIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| index_of(&repo()))
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

#[test]
fn full_width_and_case_are_folded() {
    let notice = "---\ntitle: 测试\ndate: 2022-01-01\n---\n正文提到 abc 系统和 (一) 项。\n";
    let site = site_with(&[("a.md", notice)]);
    let index = index_of(site.path());
    for query in ["ＡＢＣ", "abc", "ABC", "（一）", "(一)"] {
        assert_eq!(index.query(query, Filter::default()).len(), 1, "{query}");
    }
    build_ok(site.path());
    let out = site.path().join("public");
    for query in ["ＡＢＣ", "（一）"] {
        assert_eq!(
            browser_hits(&out, query, ""),
            [(0, None, false)],
            "{query} in the browser"
        );
    }
}

#[test]
fn search_can_be_turned_off() {
    let site = example_site();
    let config = read(site.path(), "site.yaml") + "search: false\n";
    write(site.path(), "site.yaml", &config);
    build_ok(site.path());
    assert!(!site.path().join("public/search").exists());
    assert!(!read(site.path(), "public/index.html").contains("header-search"));
    assert!(broken_links(&site.path().join("public")).is_empty());
}

#[test]
fn the_example_site_loads_one_small_file() {
    let site = example_site();
    build_ok(site.path());
    let files: Vec<String> = tree(&site.path().join("public/search"))
        .into_keys()
        .collect();
    assert_eq!(files, ["index.html", "meta.js"]);
    let size = std::fs::metadata(site.path().join("public/search/meta.js"))
        .unwrap()
        .len();
    assert!(size < 300_000, "{size}");
}

#[test]
fn large_sites_are_sharded_and_a_query_loads_little() {
    // Many notices with varied text: the index no longer fits one file.
    let mut notices = Vec::new();
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
    let refs: Vec<(&str, &str)> = notices
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = site_with(&refs);
    build_ok(site.path());
    let out = site.path().join("public");
    let files: Vec<String> = tree(&out.join("search")).into_keys().collect();
    assert!(
        files.iter().filter(|f| f.starts_with("t/")).count() > 1,
        "{files:?}"
    );
    assert!(
        files.iter().filter(|f| f.starts_with("x/")).count() > 1,
        "{files:?}"
    );
    let index = index_of(site.path());
    let expected = index.query("核酸检测", Filter::default());
    assert_eq!(expected.len(), 300);
    let browser = browser_hits(&out, "核酸检测", "");
    assert_eq!(browser, triples(&expected));
}

fn triples(hits: &[Hit]) -> Vec<(usize, Option<usize>, bool)> {
    hits.iter()
        .map(|h| (h.notice, h.problem, h.title_match))
        .collect()
}

#[test]
fn the_browser_gives_the_same_answers_as_rust() {
    let site = example_site();
    build_ok(site.path());
    let out = site.path().join("public");
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
    std::thread::scope(|scope| {
        let handles: Vec<_> = queries
            .iter()
            .map(|(q, extra)| {
                let out = &out;
                scope.spawn(move || (q, extra, browser_hits(out, q, extra)))
            })
            .collect();
        for h in handles {
            let (q, extra, browser) = h.join().unwrap();
            let filter = match *extra {
                "&category=conduct" => Filter {
                    category: Some(1),
                    year: None,
                },
                "&year=2022" => Filter {
                    category: None,
                    year: Some(2022),
                },
                _ => Filter::default(),
            };
            let rust = triples(&index.query(q, filter));
            assert_eq!(browser, rust, "{q}{extra}");
        }
    });
}

/// Runs the search page in headless Chromium from `file://` and reads the
/// results it rendered.
fn browser_hits(out: &Path, query: &str, extra: &str) -> Vec<(usize, Option<usize>, bool)> {
    let page = out.join("search/index.html");
    let url = format!(
        "file://{}?q={}{extra}&all=1",
        page.display(),
        common::http::encode_path(query)
            .replace('#', "%23")
            .replace('&', "%26")
            .replace('?', "%3F")
    );
    let dom = chromium_dom(&url);
    let list = dom
        .split("data-search-results")
        .nth(1)
        .unwrap_or_else(|| panic!("no results list for {query}: {dom}"));
    assert!(
        list.contains("data-state=\"done\""),
        "{query}: the search did not finish: {dom}"
    );
    list.split("<li class=\"search-result\"")
        .skip(1)
        .map(|li| {
            let attr = |name: &str| {
                li.split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .unwrap_or("")
                    .to_string()
            };
            let problem = attr("data-problem");
            (
                attr("data-notice").parse().unwrap(),
                (!problem.is_empty()).then(|| problem.parse().unwrap()),
                attr("data-title-match") == "1",
            )
        })
        .collect()
}

fn chromium() -> PathBuf {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
        .expect("Chromium is needed for the browser tests: apt-get install chromium (.ci/run does)")
}

/// The DOM of `url` after its scripts ran, from headless Chromium.
pub fn chromium_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
