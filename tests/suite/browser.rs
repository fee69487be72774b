//! The live preview in a real browser: a page changes when its file does,
//! without a manual reload.

use crate::support::browser::Browser;
use crate::support::*;
use gongkai::serve::{ServeOptions, Server};
use serde_json::json;

/// Waits until the page's live script listens: it says so once the
/// server answered its event stream with the site's state, after which no
/// change is missed. Without this, a change made right after a reload can
/// come before the page listens, and its event is lost.
fn wait_until_live(browser: &Browser) {
    browser.wait_for("return window.gongkaiLive === true", json!(true));
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver"]
fn the_page_follows_its_file_without_a_manual_reload() {
    let site = SiteTest::basic();
    copy_dir(&repo().join("themes"), &site.path().join("themes"));
    let server = Server::start(ServeOptions::local(site.path(), 0)).unwrap();
    let browser = Browser::start();
    let source = "content/notices/2022-zuzhi-shenghuohui.md";
    browser.open(&format!(
        "{}notices/2022-zuzhi-shenghuohui/index.html",
        server.url()
    ));
    let title = "return document.querySelector('h1').textContent";
    browser.wait_for(
        title,
        json!("关于2021年度党支部组织生活会和民主评议党员情况的公示"),
    );
    wait_until_live(&browser);
    browser.eval("window.scrollTo({ top: 600, behavior: 'instant' });");
    browser.wait_for("return Math.round(window.scrollY)", json!(600));

    let good = site.read(source);
    site.write(
        source,
        &good.replace("民主评议党员情况的公示", "民主评议党员情况的公告"),
    );
    browser.wait_for(
        title,
        json!("关于2021年度党支部组织生活会和民主评议党员情况的公告"),
    );
    browser.wait_for("return Math.round(window.scrollY)", json!(600));

    // A broken notice: an overlay names the file and the line.
    site.write(
        source,
        &good.replace("date: 2022-02-18", "date: 2022-02-31"),
    );
    browser.wait_for(
        "return !!document.getElementById('gongkai-errors')",
        json!(true),
    );
    let shown = browser.eval(
        "var e = document.querySelector('.gongkai-error'); return [e.dataset.file, e.dataset.line]",
    );
    assert_eq!(shown, json!([source, "3"]));
    site.write(source, &good);
    browser.wait_for(
        "return !!document.getElementById('gongkai-errors')",
        json!(false),
    );
    browser.wait_for(
        title,
        json!("关于2021年度党支部组织生活会和民主评议党员情况的公示"),
    );
    // The page reloaded: its live script connects anew.
    wait_until_live(&browser);

    // A stylesheet change swaps the stylesheet without reloading the page.
    browser.eval("window.gongkaiMarker = 1;");
    let css = "themes/default/static/assets/gongkai.css";
    site.write(css, &(site.read(css) + "\nh1 { color: rgb(1, 2, 3); }\n"));
    browser.wait_for(
        "return getComputedStyle(document.querySelector('h1')).color",
        json!("rgb(1, 2, 3)"),
    );
    assert_eq!(
        browser.eval("return window.gongkaiMarker"),
        json!(1),
        "no reload"
    );
    drop(browser);
    server.stop();
}
