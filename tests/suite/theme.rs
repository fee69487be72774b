//! The default theme in a real browser: every page type, in the standard
//! and the 关怀版 (large-text) mode, at phone and desktop widths, has no
//! sideways scrolling and no axe-core violation; a printed notice has page
//! numbers and its problem numbers on the line of their titles.
//!
//! With `GONGKAI_SCREENSHOTS=<folder>`, the layout test also saves a PNG
//! of every page, mode and width there, to look at.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::support::browser::Browser;
use crate::support::*;

/// One page of each type of the example site (and a search with results).
pub(crate) const PAGES: &[&str] = &[
    "index.html",
    "notices/index.html",
    "notices/xiangqiao-zhengxie-2021/index.html",
    "notices/xiangqiao-zhengxie-2021/board.html",
    "notices/2022-shifan-jiedao/index.html",
    "notices/2022-zuzhi-shenghuohui/index.html",
    "archive/index.html",
    "archive/2022/index.html",
    "categories/index.html",
    "categories/conduct/index.html",
    "organizations/index.html",
    "organizations/chao-zhou-shi-xiang-qiao-qu-zheng-xie-ji-guan/index.html",
    "tags/index.html",
    "tags/xun-cha-zheng-gai/index.html",
    "inspections/index.html",
    "inspections/2022-03-01-shi-fan-jie-dao-dang-gong-wei/index.html",
    "search/index.html?q=整改",
    "404.html",
];

const WIDTHS: [u32; 3] = [320, 390, 1280];

pub(crate) fn built() -> SiteTest {
    let site = SiteTest::basic();
    site.build();
    for page in PAGES {
        let file = page.split('?').next().unwrap();
        assert!(site.public().join(file).exists(), "{file} is not built");
    }
    site
}

pub(crate) fn url(out: &Path, page: &str) -> String {
    let (file, query) = page.split_once('?').unwrap_or((page, ""));
    let mut url = format!("file://{}", out.join(file).display());
    if !query.is_empty() {
        url = format!("{url}?{}", crate::support::http::encode_path(query));
    }
    url
}

/// Opens `page` in the standard mode or in 关怀版, as a reader who chose
/// it on an earlier page would see it.
fn open(browser: &Browser, out: &Path, page: &str, care: bool) {
    open_with(browser, out, page, if care { "care" } else { "" });
}

/// Opens `page` with the reader's settings `code` as the toolbar keeps
/// them (`care.z200.yb.open`), chosen on an earlier page.
pub(crate) fn open_with(browser: &Browser, out: &Path, page: &str, code: &str) {
    let url = url(out, page);
    browser.open(&url);
    browser.eval(&format!("localStorage.setItem('gongkai-a11y', '{code}')"));
    browser.open(&url);
    let care = code.split('.').any(|t| t == "care");
    browser.wait_for(
        "return document.documentElement.classList.contains('care')",
        json!(care),
    );
    if page.starts_with("search/") {
        browser.wait_for(
            "var l = document.querySelector('[data-search-results]'); \
             return !!l && l.getAttribute('data-state') !== null",
            json!(true),
        );
    }
}

pub(crate) const MODES: [(bool, &str); 2] = [(false, "standard"), (true, "care")];

#[test]
#[ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver fonts-noto-cjk"]
fn no_page_scrolls_sideways_at_any_width_in_either_mode() {
    let site = built();
    let out = site.public();
    let browser = Browser::start();
    let shots = std::env::var_os("GONGKAI_SCREENSHOTS").map(PathBuf::from);
    let mut wide = Vec::new();
    for width in WIDTHS {
        browser.resize(width, 900);
        let inner = browser.eval("return window.innerWidth");
        assert_eq!(inner, json!(width), "the viewport is {inner} wide");
        for (care, mode) in MODES {
            for page in PAGES {
                open(&browser, &out, page, care);
                // The elements that stick out past the right edge.
                let found = browser.eval(
                    "var w = document.documentElement.clientWidth, out = []; \
                     function wide(e) { var r = e.getBoundingClientRect(); \
                       return r.width && r.right > w + 1 && !e.closest('.table-scroll'); } \
                     document.querySelectorAll('body *').forEach(function (e) { \
                       if (wide(e) && !Array.from(e.children).some(wide)) { \
                         out.push(Math.round(e.getBoundingClientRect().right) + 'px ' + e.outerHTML.slice(0, 120)); } }); \
                     return [document.documentElement.scrollWidth - w, out.slice(0, 3)]",
                );
                if found[0].as_i64().unwrap_or(0) > 0 {
                    wide.push(format!("{page} at {width}px, {mode}: {}", found[1]));
                }
                if let Some(dir) = &shots {
                    std::fs::create_dir_all(dir).unwrap();
                    let name = format!("{}-{width}-{mode}.png", page.replace(['/', '?', '='], "_"));
                    std::fs::write(dir.join(name), browser.screenshot()).unwrap();
                }
            }
        }
    }
    assert!(
        wide.is_empty(),
        "pages scroll sideways:\n{}",
        wide.join("\n")
    );
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver fonts-noto-cjk"]
fn a_county_s_tables_keep_their_names_readable_on_a_phone() {
    // The units' and a round's tables have more figures than a phone is
    // wide: they scroll sideways, and each row's name keeps the width of
    // four characters at least (it once stood one character a line) and
    // stays in view while the figures scroll.
    let site = SiteTest::fixture("county");
    site.build();
    let out = site.public();
    let browser = Browser::start();
    let mut narrow = Vec::new();
    for width in [320, 390] {
        browser.resize(width, 900);
        for (care, mode) in MODES {
            for page in ["units/index.html", "rounds/2022-1/index.html", "index.html"] {
                open(&browser, &out, page, care);
                let found = browser.eval(
                    "var out = []; \
                     document.querySelectorAll('.table-scroll').forEach(function (box) { \
                       box.scrollLeft = 0; \
                       var heads = Array.from(box.querySelectorAll('tbody th[scope=row]')); \
                       var before = heads.map(function (h) { return h.getBoundingClientRect().left; }); \
                       box.scrollLeft = box.scrollWidth; \
                       heads.forEach(function (h, i) { \
                         var r = h.getBoundingClientRect(), em = parseFloat(getComputedStyle(h).fontSize); \
                         if (r.width < 4 * em) { out.push(h.innerText.trim() + ' is ' + Math.round(r.width / em) + ' characters wide'); } \
                         if (Math.abs(r.left - before[i]) > 1) { out.push(h.innerText.trim() + ' scrolls away'); } \
                       }); }); \
                     return out",
                );
                for problem in found.as_array().into_iter().flatten() {
                    narrow.push(format!("{page} at {width}px, {mode}: {problem}"));
                }
            }
        }
    }
    assert!(narrow.is_empty(), "{}", narrow.join("\n"));
}

/// axe-core, from `AXE_CORE_JS` or as `.ci/run` installs it.
pub(crate) fn axe_source() -> String {
    let path = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/axe/node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "axe-core is needed at {}: npm install --prefix target/axe axe-core@4",
            path.display()
        )
    })
}

#[test]
#[ignore = "needs Chromium, ChromeDriver and axe-core: see .ci/run"]
fn axe_finds_nothing_on_any_page_in_either_mode() {
    let site = built();
    let out = site.public();
    let axe = axe_source();
    let browser = Browser::start();
    browser.resize(390, 900);
    // The rules it runs: WCAG 2.1 A and AA, and best practice.
    let audit = |browser: &Browser| {
        axe_run(
            browser,
            &axe,
            "{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }",
        )
        .0
    };
    // axe itself works: a page without a language or alt text fails.
    write(
        &out,
        "axe-check.html",
        "<!DOCTYPE html><title>t</title><img src=x.png>",
    );
    browser.open(&url(&out, "axe-check.html"));
    let known = audit(&browser);
    assert!(
        known.iter().any(|v| v.starts_with("image-alt")),
        "{known:?}"
    );
    let mut found = Vec::new();
    // With the accessibility toolbar open: it must not fail either.
    for (care, mode) in MODES {
        for page in PAGES {
            open_with(
                &browser,
                &out,
                page,
                if care { "care.open" } else { "open" },
            );
            for v in audit(&browser) {
                found.push(format!("{page} ({mode}): {v}"));
            }
        }
    }
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
}

/// Runs axe-core (its source `axe`) on the page with the rules `run_only`
/// (a JavaScript `runOnly` value); returns the violations, each as
/// `rule: where, …`, how many nodes passed, and what axe could not decide
/// (text over an image, say).
pub(crate) fn axe_run(
    browser: &Browser,
    axe: &str,
    run_only: &str,
) -> (Vec<String>, u64, Vec<String>) {
    browser.eval(axe);
    browser.eval(&format!(
        "window.axeResult = null; \
         axe.run(document, {{ runOnly: {run_only} }}) \
           .then(function (r) {{ window.axeResult = [r.violations.map(function (v) {{ \
             return v.id + ': ' + v.nodes.map(function (n) {{ return n.target.join(' ') + ' ' + \
               (n.any.concat(n.all)[0] || {{ message: '' }}).message; }}).slice(0, 3).join(', '); }}), \
             r.passes.reduce(function (sum, p) {{ return sum + p.nodes.length; }}, 0), \
             r.incomplete.map(function (v) {{ return v.id + ' (undecided): ' + v.nodes.map(function (n) {{ \
               return n.target.join(' ') + ' ' + (n.any.concat(n.all)[0] || {{ message: '' }}).message; }}).slice(0, 3).join(', '); }})]; }});",
    ));
    browser.wait_for("return window.axeResult !== null", json!(true));
    let result = browser.eval("return window.axeResult");
    let violations = result[0]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| v.as_str().unwrap_or("").to_string())
        .collect();
    let undecided: Vec<String> = result[2]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| v.as_str().unwrap_or("").to_string())
        .collect();
    (violations, result[1].as_u64().unwrap_or(0), undecided)
}

#[test]
#[ignore = "needs Chromium and pdftotext: apt-get install chromium poppler-utils"]
fn a_printed_notice_has_page_numbers_and_whole_problem_headings() {
    let site = built();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notice.pdf");
    // Printed as a reader's browser prints: the page's own @page rules.
    let printed = std::process::Command::new(crate::support::browser::chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", file.display()))
        .arg(url(
            &site.public(),
            "notices/xiangqiao-zhengxie-2021/index.html",
        ))
        .output()
        .expect("chromium");
    assert!(
        file.exists(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    // Official-document page numbers, on every page: — 1 —
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() > 1, "{text}");
    for (i, page) in pages.iter().enumerate() {
        let number: String = format!("—{}—", i + 1);
        let squeezed: String = page.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            squeezed.contains(&number),
            "page {} has no number:\n{page}",
            i + 1
        );
    }
    // Each problem heading starts with its number and 、 on one line.
    for n in [1, 5, 17] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{n}、针对"))),
            "no heading {n}、针对… on one line:\n{text}"
        );
    }
    // The web-only parts are left out.
    for web in [
        "跳到正文",
        "关怀版",
        "无障碍",
        "黄黑高对比",
        "问题目录",
        "较早一篇",
        "搜索通报",
        "整改台账",
    ] {
        assert!(!text.contains(web), "{web} is printed");
    }
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver"]
fn the_404_page_works_at_any_depth() {
    let site = SiteTest::basic();
    let server =
        gongkai::serve::Server::start(gongkai::serve::ServeOptions::local(site.path(), 0)).unwrap();
    let browser = Browser::start();
    for missing in [
        "nope.html",
        "notices/nope/",
        "notices/nope/deeper/still/",
        "x/y/z/",
    ] {
        browser.open(&format!("{}{missing}", server.url()));
        browser.wait_for("return document.readyState", json!("complete"));
        let title = browser.eval("return document.querySelector('h1').textContent");
        assert_eq!(title, json!("页面不存在"), "{missing}");
        // Styled, and its links lead back into the site.
        let styled = browser
            .eval("return getComputedStyle(document.querySelector('.site-nav')).backgroundColor");
        assert_eq!(styled, json!("rgb(168, 7, 26)"), "{missing}: unstyled");
        let home = browser.eval("return document.querySelector('.site-title').href");
        assert_eq!(
            home,
            json!(format!("{}index.html", server.url())),
            "{missing}"
        );
    }
    server.stop();

    // Deployed without a base URL, a host answers a missing address under
    // a folder of the site with 404.html: its script finds the root.
    site.build();
    let out = site.public();
    std::fs::create_dir_all(out.join("notices/nope/deeper")).unwrap();
    std::fs::copy(
        out.join("404.html"),
        out.join("notices/nope/deeper/404.html"),
    )
    .unwrap();
    browser.open(&url(&out, "notices/nope/deeper/404.html"));
    let home = browser.eval("return document.querySelector('.site-title').href");
    assert_eq!(
        home,
        json!(format!("file://{}", out.join("index.html").display()))
    );
}
