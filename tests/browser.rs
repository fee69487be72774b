//! The live preview in a real browser: headless Chromium driven through
//! ChromeDriver (Debian's chromium and chromium-driver; .ci/run installs
//! them). A page changes when its file does, without a manual reload.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::http::request;
use common::*;
use gongkai::serve::{ServeOptions, Server};
use serde_json::{Value, json};

/// A browser session through ChromeDriver; closed when dropped.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is needed for the browser tests: apt-get install chromium chromium-driver (.ci/run does)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let r = request(port, "POST", "/session", Some(&capabilities.to_string()));
        let value: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        let session = value["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {}", r.text()))
            .to_string();
        Browser {
            driver,
            port,
            session,
            _profile: profile,
        }
    }

    fn command(&self, path: &str, body: Value) -> Value {
        let r = request(
            self.port,
            "POST",
            &format!("/session/{}/{path}", self.session),
            Some(&body.to_string()),
        );
        let value: Value = serde_json::from_slice(&r.body).unwrap();
        value["value"].clone()
    }

    fn open(&self, url: &str) {
        self.command("url", json!({ "url": url }));
    }

    fn eval(&self, script: &str) -> Value {
        self.command("execute/sync", json!({ "script": script, "args": [] }))
    }

    /// Evaluates `script` until it returns `want`.
    fn wait_for(&self, script: &str, want: Value) {
        let started = Instant::now();
        loop {
            let got = self.eval(script);
            if got == want {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{script} stayed {got}, wanted {want}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = request(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn chromium() -> String {
    for name in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if Path::new(name).exists() {
            return name.to_string();
        }
    }
    "chromium".to_string()
}

#[test]
fn the_page_follows_its_file_without_a_manual_reload() {
    let site = example_site();
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
    // The live script is connected once the page knows the site is fine.
    std::thread::sleep(Duration::from_millis(300));
    browser.eval("window.scrollTo({ top: 600, behavior: 'instant' });");
    browser.wait_for("return Math.round(window.scrollY)", json!(600));

    let good = read(site.path(), source);
    write(
        site.path(),
        source,
        &good.replace("民主评议党员情况的公示", "民主评议党员情况的公告"),
    );
    browser.wait_for(
        title,
        json!("关于2021年度党支部组织生活会和民主评议党员情况的公告"),
    );
    browser.wait_for("return Math.round(window.scrollY)", json!(600));

    // A broken notice: an overlay names the file and the line.
    write(
        site.path(),
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
    write(site.path(), source, &good);
    browser.wait_for(
        "return !!document.getElementById('gongkai-errors')",
        json!(false),
    );
    browser.wait_for(
        title,
        json!("关于2021年度党支部组织生活会和民主评议党员情况的公示"),
    );

    // A stylesheet change swaps the stylesheet without reloading the page.
    browser.eval("window.gongkaiMarker = 1;");
    let css = "themes/default/static/assets/gongkai.css";
    write(
        site.path(),
        css,
        &(read(site.path(), css) + "\nh1 { color: rgb(1, 2, 3); }\n"),
    );
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
