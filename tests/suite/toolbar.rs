//! The accessibility toolbar (无障碍) of the default theme in a real
//! browser, on every page kind, in the standard mode and in 关怀版: page
//! zoom to 200 % without sideways scrolling, high-contrast schemes that
//! axe-core's AAA contrast rule passes, everything by keyboard alone,
//! settings kept across pages (also where the browser refuses the page its
//! storage), and reading aloud in Chinese.
//!
//! With `GONGKAI_SCREENSHOTS=<folder>`, the zoom and contrast tests save a
//! PNG of every page they look at.

use std::path::{Path, PathBuf};

use fantoccini::key::Key;
use serde_json::{Value, json};

use crate::support::browser::Browser;
use crate::support::*;
use crate::theme::{MODES, PAGES, axe_run, axe_source, built, open_with, url};

/// The settings code with 关怀版 added in that mode.
fn code(care: bool, rest: &str) -> String {
    match (care, rest.is_empty()) {
        (true, true) => "care".into(),
        (true, false) => format!("care.{rest}"),
        (false, _) => rest.into(),
    }
}

fn shot(browser: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("GONGKAI_SCREENSHOTS").map(PathBuf::from) {
        std::fs::create_dir_all(&dir).unwrap();
        let name = name.replace(['/', '?', '='], "_");
        std::fs::write(dir.join(format!("{name}.png")), browser.screenshot()).unwrap();
    }
}

/// How far the page sticks out past the right edge, and the elements that
/// do, outside the tables that scroll in their own box.
pub(crate) fn overflow(browser: &Browser) -> (i64, Value) {
    let found = browser.eval(
        "var w = document.documentElement.clientWidth, out = []; \
         function wide(e) { var r = e.getBoundingClientRect(); \
           return r.width && r.right > w + 1 && !e.closest('.table-scroll'); } \
         document.querySelectorAll('body *').forEach(function (e) { \
           if (wide(e) && !Array.from(e.children).some(wide)) { \
             out.push(Math.round(e.getBoundingClientRect().right) + 'px ' + e.outerHTML.slice(0, 120)); } }); \
         return [document.documentElement.scrollWidth - w, out.slice(0, 3)]",
    );
    (found[0].as_i64().unwrap_or(0), found[1].clone())
}

fn root_font_px(browser: &Browser) -> f64 {
    browser
        .eval("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
        .as_f64()
        .unwrap_or(0.0)
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver fonts-noto-cjk"]
fn zoom_to_200_percent_scrolls_no_page_sideways() {
    let site = built();
    let out = site.public();
    let browser = Browser::start();
    let mut wide = Vec::new();
    for width in [390, 1280] {
        browser.resize(width, 900);
        for (care, mode) in MODES {
            for page in PAGES {
                open_with(&browser, &out, page, &code(care, ""));
                let normal = root_font_px(&browser);
                open_with(&browser, &out, page, &code(care, "z200.open"));
                // The text really is twice as large.
                let zoomed = root_font_px(&browser);
                assert!(
                    (zoomed - 2.0 * normal).abs() < 0.5,
                    "{page} ({mode}): {normal}px → {zoomed}px"
                );
                let (past, elements) = overflow(&browser);
                if past > 0 {
                    wide.push(format!("{page} at {width}px, {mode}, 200%: {elements}"));
                }
                shot(&browser, &format!("zoom200-{page}-{width}-{mode}"));
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
#[ignore = "needs Chromium, ChromeDriver and axe-core: see .ci/run"]
fn high_contrast_passes_axe_at_aaa_on_every_page() {
    let site = built();
    let out = site.public();
    let axe = axe_source();
    let browser = Browser::start();
    let enhanced = "{ type: 'rule', values: ['color-contrast-enhanced'] }";
    // The rule tells: grey on white, 4.6:1, passes AA but not AAA.
    write(
        &out,
        "aaa-check.html",
        "<!DOCTYPE html><html lang=zh-CN><title>t</title><p style='color:#767676'>灰色的字</p>",
    );
    browser.open(&url(&out, "aaa-check.html"));
    let (known, _, _) = axe_run(&browser, &axe, enhanced);
    assert!(
        known
            .iter()
            .any(|v| v.starts_with("color-contrast-enhanced")),
        "{known:?}"
    );
    let mut found = Vec::new();
    for width in [390, 1280] {
        browser.resize(width, 900);
        for (care, mode) in MODES {
            for scheme in ["bw", "yb"] {
                for page in PAGES {
                    open_with(&browser, &out, page, &code(care, &format!("{scheme}.open")));
                    let (violations, passed, undecided) = axe_run(&browser, &axe, enhanced);
                    assert!(passed > 20, "{page}: axe looked at {passed} nodes only");
                    // Nothing left undecided either: every text's colours are known.
                    for v in violations.into_iter().chain(undecided) {
                        found.push(format!("{page} ({mode}, {scheme}, {width}px): {v}"));
                    }
                    if width == 390 {
                        shot(&browser, &format!("contrast-{scheme}-{page}-{mode}"));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "contrast below 7:1:\n{}",
        found.join("\n")
    );
}

/// What has the keyboard's focus: its text or label, and whether its focus
/// ring shows.
fn focused(browser: &Browser) -> (String, bool) {
    let v = browser.eval(
        "var e = document.activeElement, s = getComputedStyle(e); \
         return [(e.getAttribute('aria-label') || e.textContent || '').trim(), \
                 s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2];",
    );
    (
        v[0].as_str().unwrap_or("").to_string(),
        v[1].as_bool().unwrap_or(false),
    )
}

/// Presses Tab until the focus is on the control named `name`.
fn tab_to(browser: &Browser, page: &str, name: &str) {
    for _ in 0..40 {
        browser.press(Key::Tab);
        let (label, visible) = focused(browser);
        if label.trim_start_matches("✓ ") == name {
            assert!(visible, "{page}: the focus on {name} does not show");
            return;
        }
    }
    panic!("{page}: Tab never reaches {name}");
}

fn html_attr(browser: &Browser, attr: &str) -> Value {
    browser.eval(&format!(
        "return document.documentElement.getAttribute('{attr}')"
    ))
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver"]
fn the_toolbar_works_by_keyboard_alone() {
    let site = built();
    let out = site.public();
    let browser = Browser::start();
    browser.resize(1280, 900);
    for (care, mode) in MODES {
        for page in PAGES {
            let at = format!("{page} ({mode})");
            open_with(&browser, &out, page, &code(care, ""));
            tab_to(&browser, &at, "无障碍");
            browser.press(Key::Enter);
            assert_eq!(
                browser.eval("return document.getElementById('a11y-bar').hidden"),
                json!(false),
                "{at}: Enter does not open the toolbar"
            );
            tab_to(&browser, &at, "放大");
            browser.press(Key::Enter);
            browser.press(' ');
            assert_eq!(html_attr(&browser, "data-zoom"), json!("150"), "{at}");
            tab_to(&browser, &at, "黄黑高对比");
            browser.press(Key::Enter);
            assert_eq!(html_attr(&browser, "data-contrast"), json!("yb"), "{at}");
            tab_to(&browser, &at, "大鼠标");
            browser.press(' ');
            assert_eq!(
                browser.eval("return document.documentElement.classList.contains('big-cursor')"),
                json!(true),
                "{at}"
            );
            // Every control of the bar has a name a screen reader says.
            let unnamed = browser.eval(
                "return Array.from(document.querySelectorAll('#a11y-bar button')) \
                   .filter(function (b) { return !b.textContent.trim(); }).length",
            );
            assert_eq!(unnamed, json!(0), "{at}");
            // Escape closes the bar and gives the focus back to its button.
            browser.press(Key::Escape);
            assert_eq!(
                browser.eval("return document.getElementById('a11y-bar').hidden"),
                json!(true),
                "{at}"
            );
            assert_eq!(focused(&browser).0, "无障碍", "{at}");
            // 全部恢复, by keyboard again.
            browser.press(Key::Enter);
            tab_to(&browser, &at, "全部恢复");
            browser.press(Key::Enter);
            assert_eq!(html_attr(&browser, "data-zoom"), Value::Null, "{at}");
            assert_eq!(html_attr(&browser, "data-contrast"), Value::Null, "{at}");
        }
    }
}

/// What the page shows of the settings: 关怀版, zoom, contrast, cursor,
/// guide and whether the bar is open.
fn shown(browser: &Browser) -> Value {
    browser.eval(
        "var h = document.documentElement; \
         return [h.classList.contains('care'), h.getAttribute('data-zoom'), h.getAttribute('data-contrast'), \
                 h.classList.contains('big-cursor'), h.classList.contains('reading-guide-on'), \
                 !document.getElementById('a11y-bar').hidden];",
    )
}

/// Chooses 放大 ×2, 黄黑高对比, 大鼠标 and 阅读线 with the mouse.
fn choose_settings(browser: &Browser) {
    browser.click("[data-a11y-open]");
    browser.click("[data-a11y=zoom-in]");
    browser.click("[data-a11y=zoom-in]");
    browser.click("[data-a11y=contrast][data-value=yb]");
    browser.click("[data-a11y=cursor]");
    browser.click("[data-a11y=guide]");
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver"]
fn settings_are_kept_across_pages() {
    let site = built();
    let out = site.public();
    let browser = Browser::start();
    // Tall enough that the menu stays in sight at 150 % with the bar open.
    browser.resize(1280, 1600);
    for (care, mode) in MODES {
        open_with(&browser, &out, "index.html", &code(care, ""));
        choose_settings(&browser);
        let chosen = json!([care, "150", "yb", true, true, true]);
        assert_eq!(shown(&browser), chosen, "{mode}");
        // The large cursor and the reading guide do what they say.
        let cursor = browser.eval("return getComputedStyle(document.body).cursor");
        assert!(cursor.to_string().contains("url("), "{cursor}");
        browser.eval(
            "document.dispatchEvent(new MouseEvent('mousemove', { clientX: 10, clientY: 300 }));",
        );
        let guide = browser.eval(
            "var g = document.querySelector('.reading-guide').getBoundingClientRect(); \
             return Math.round(g.top + g.height / 2)",
        );
        assert!((guide.as_i64().unwrap_or(0) - 300).abs() <= 2, "{guide}");
        // Followed by a link, and on every other page kind.
        browser.click(".site-nav a[href$='notices/index.html']");
        browser.wait_for(
            "return location.pathname.endsWith('notices/index.html')",
            json!(true),
        );
        assert_eq!(shown(&browser), chosen, "notices ({mode})");
        for page in PAGES {
            browser.open(&url(&out, page));
            assert_eq!(shown(&browser), chosen, "{page} ({mode})");
        }
        browser.eval("localStorage.clear(); window.name = '';");
    }
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver"]
fn settings_are_kept_where_the_browser_refuses_storage() {
    let site = built();
    let out = site.public();
    // Site data blocked, as some browsers block it for file://.
    let browser =
        Browser::start_with(json!({ "profile.default_content_setting_values.cookies": 2 }));
    browser.resize(1280, 900);
    browser.open(&url(&out, "index.html"));
    let refused = browser
        .eval("try { localStorage.setItem('x', '1'); return false; } catch (e) { return true; }");
    assert_eq!(refused, json!(true), "storage is not blocked");
    choose_settings(&browser);
    let chosen = json!([false, "150", "yb", true, true, true]);
    assert_eq!(shown(&browser), chosen);
    for link in [
        ".site-nav a[href$='notices/index.html']",
        ".notice-item-title a",
        ".breadcrumb a",
    ] {
        browser.click(link);
        browser.wait_for("return document.readyState", json!("complete"));
        assert_eq!(shown(&browser), chosen, "after {link}");
    }
}

/// The spoken pieces a stub of `speechSynthesis` was handed.
fn spoken(browser: &Browser) -> Vec<(String, String)> {
    browser
        .eval("return window.spoken")
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap_or("").to_string(),
                p[1].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver"]
fn reading_aloud_hands_the_article_in_chinese_to_speech() {
    let site = built();
    let out = site.public();
    let browser = Browser::start();
    let notice = "notices/xiangqiao-zhengxie-2021/index.html";
    for (care, mode) in MODES {
        open_with(&browser, &out, notice, &code(care, "open"));
        // The voices the browser has, once it has listed them.
        browser.eval(
            "window.voices = null; var s = speechSynthesis; \
             function list() { window.voices = s.getVoices().map(function (v) { return v.lang; }); } \
             if (s.getVoices().length) { list(); } else { s.onvoiceschanged = list; setTimeout(list, 1500); }",
        );
        browser.wait_for("return window.voices !== null", json!(true));
        let voices = browser.eval("return window.voices");
        let chinese = voices
            .as_array()
            .is_some_and(|v| v.iter().any(|l| l.as_str().unwrap_or("").starts_with("zh")));
        if chinese {
            browser.click("[data-a11y=speak]");
            browser.wait_for("return speechSynthesis.speaking", json!(true));
            browser.click("[data-a11y=speak]");
            continue;
        }
        // No Chinese voice here: the reader is told so, and nothing is read.
        browser.click("[data-a11y=speak]");
        browser.wait_for(
            "return document.querySelector('[data-a11y-status]').textContent.indexOf('没有中文语音') >= 0",
            json!(true),
        );
        assert_eq!(
            browser.eval(
                "return document.querySelector('[data-a11y=speak]').getAttribute('aria-pressed')"
            ),
            json!("false"),
            "{mode}"
        );
        // A stub in the place of the missing voice: what it is handed.
        browser.eval(
            "window.spoken = []; Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: { \
               speaking: false, \
               getVoices: function () { return [{ lang: 'zh-CN', name: 'stub' }]; }, \
               addEventListener: function () {}, cancel: function () {}, \
               speak: function (u) { window.spoken.push([u.text, u.lang]); } } });",
        );
        browser.click("[data-a11y=speak]");
        browser.wait_for("return window.spoken.length > 0", json!(true));
        let pieces = spoken(&browser);
        assert!(pieces.iter().all(|(_, lang)| lang == "zh-CN"), "{pieces:?}");
        let text: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
        for part in [
            "关于巡察整改阶段性进展情况的通报",
            "根据区委统一部署",
            "针对学习贯彻习近平新时代中国特色社会主义思想",
        ] {
            assert!(text.contains(part), "{mode}: not read: {part}\n{text}");
        }
        // Not the page's frame, nor the hidden table of contents.
        for frame in ["跳到正文", "全部通报", "问题目录", "无障碍"] {
            assert!(!text.contains(frame), "{mode}: read {frame}");
        }
        // Stopped, then a selection: only it is read.
        browser.click("[data-a11y=speak]");
        browser.eval(
            "window.spoken = []; getSelection().selectAllChildren(document.querySelector('h1'));",
        );
        browser.click("[data-a11y=speak]");
        browser.wait_for("return window.spoken.length > 0", json!(true));
        assert_eq!(
            spoken(&browser),
            [(
                "关于巡察整改阶段性进展情况的通报".to_string(),
                "zh-CN".to_string()
            )],
            "{mode}"
        );
        browser.click("[data-a11y=speak]");
    }
}

/// The toolbar's own page as a reader saves it: it keeps working from
/// disk with nothing asked of another host.
#[test]
fn the_toolbar_asks_nothing_of_other_hosts() {
    let site = built();
    let out: &Path = &site.public();
    for rel in ["assets/gongkai.js", "assets/gongkai.css", "index.html"] {
        let text = read(out, rel);
        for host in ["http://", "https://"] {
            let outside: Vec<&str> = text
                .match_indices(host)
                .map(|(i, _)| &text[i..(i + 40).min(text.len())])
                .filter(|u| !u.starts_with("http://www.w3.org/2000/svg"))
                .filter(|u| !u.contains("beian."))
                .collect();
            assert!(outside.is_empty(), "{rel} names {outside:?}");
        }
    }
    let page = read(out, "index.html");
    for control in [
        "data-a11y=\"zoom-in\"",
        "data-a11y=\"contrast\" data-value=\"yb\"",
        "data-a11y=\"speak\"",
        "data-a11y=\"cursor\"",
        "data-a11y=\"guide\"",
    ] {
        assert!(page.contains(control), "no {control}");
    }
}
