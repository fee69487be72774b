//! `gongkai serve`: the live preview over real HTTP, with real file changes.

use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::support::http::{self, get};
use crate::support::*;
use gongkai::commands::build::build;
use gongkai::pipeline::Options;
use gongkai::serve::live::SCRIPT_TAG;
use gongkai::serve::{ServeOptions, Server};

fn start(root: &Path) -> Server {
    Server::start(ServeOptions::local(root, 0)).expect("start the preview")
}

/// The live events of the preview, as `(event, data)`.
fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    http::events(port, "/__gongkai/events")
}

/// Waits for the event `name`; returns its data.
fn wait_for(rx: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    loop {
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok((event, data)) if event == name => return data,
            Ok(_) => continue,
            Err(_) => panic!("no {name} event"),
        }
    }
}

const PAGE: &str = "/notices/2022-zuzhi-shenghuohui/index.html";
const SOURCE: &str = "content/notices/2022-zuzhi-shenghuohui.md";

#[test]
fn edits_reload_the_page_and_errors_show_over_it() {
    let site = SiteTest::basic();
    let server = start(site.path());
    let port = server.port();
    let page = get(port, PAGE);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("民主评议党员情况的公示"));
    assert!(page.text().contains(SCRIPT_TAG), "the live script is added");
    let rx = events(port);
    assert_eq!(wait_for(&rx, "fine"), "fine");

    let good = site.read(SOURCE);
    site.write(
        SOURCE,
        &good.replace("民主评议党员情况的公示", "民主评议党员情况的公告"),
    );
    wait_for(&rx, "reload");
    assert!(get(port, PAGE).text().contains("民主评议党员情况的公告"));

    site.write(SOURCE, &good.replace("date: 2022-02-18", "date: [2022"));
    let errors: serde_json::Value = serde_json::from_str(&wait_for(&rx, "errors")).unwrap();
    assert_eq!(errors[0]["file"], SOURCE);
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[0]["column"], 7, "at the bracket left open");
    assert!(errors[0]["hint"].as_str().unwrap().contains("方括号"));
    // The last good page is still served.
    assert!(get(port, PAGE).text().contains("民主评议党员情况的公告"));
    // A page opened now learns about the errors at once.
    let late = events(port);
    assert!(wait_for(&late, "errors").contains(SOURCE));

    site.write(SOURCE, &good);
    wait_for(&rx, "fine");
    wait_for(&rx, "reload");
    assert!(get(port, PAGE).text().contains("民主评议党员情况的公示"));
    server.stop();
}

#[test]
fn deleting_and_renaming_notices_updates_the_category_pages() {
    // Without the notice that links to the one deleted below.
    let site = SiteTest::basic();
    site.remove(SECOND_NOTICE);
    let server = start(site.path());
    let port = server.port();
    let rx = events(port);
    wait_for(&rx, "fine");
    let team = || get(port, "/categories/team/index.html").text();
    assert!(team().contains("2022-zuzhi-shenghuohui"));

    fs::rename(
        site.path().join(SOURCE),
        site.path().join("content/notices/2022-zuzhi.md"),
    )
    .unwrap();
    wait_for(&rx, "reload");
    assert!(team().contains("notices/2022-zuzhi/index.html"));
    assert!(!team().contains("2022-zuzhi-shenghuohui"));
    assert_eq!(get(port, PAGE).status, 404);

    let conduct = || get(port, "/categories/conduct/index.html").text();
    assert!(conduct().contains("2022-shifan-jiedao"));
    fs::remove_file(site.path().join("content/notices/2022-shifan-jiedao.md")).unwrap();
    wait_for(&rx, "reload");
    assert!(!conduct().contains("2022-shifan-jiedao"));

    // A whole folder moved in.
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "more/2023-new.md",
        "---\ntitle: 新来的通报\ndate: 2023-01-05\nproblems:\n  - category: team\n    title: 新问题\n    result: 正在整改\n---\n正文\n",
    );
    fs::rename(
        outside.path().join("more"),
        site.path().join("content/more"),
    )
    .unwrap();
    wait_for(&rx, "reload");
    assert!(team().contains("新问题"));
    server.stop();
}

#[test]
fn what_is_served_is_what_build_writes() {
    let site = SiteTest::basic();
    let server = start(site.path());
    let built = tempfile::tempdir().unwrap();
    let mut options = Options::new(site.path());
    options.output = Some(built.path().join("public"));
    build(&options).unwrap();
    let files = tree(&built.path().join("public"));
    assert!(files.len() > 20);
    for (path, bytes) in files {
        let response = get(server.port(), &format!("/{}", http::encode_path(&path)));
        assert_eq!(response.status, 200, "{path}");
        let served = if path.ends_with(".html") {
            response.text().replacen(SCRIPT_TAG, "", 1).into_bytes()
        } else {
            response.body.clone()
        };
        assert!(served == bytes, "{path} differs");
    }
    server.stop();
}

#[test]
fn requests_cannot_leave_the_site() {
    let site = SiteTest::basic();
    let server = start(site.path());
    let port = server.port();
    let secret = server
        .folder()
        .parent()
        .unwrap()
        .join(format!("gongkai-secret-{port}.txt"));
    fs::write(&secret, "top secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, server.folder().join("link.txt")).unwrap();
    let name = secret.file_name().unwrap().to_str().unwrap().to_string();
    for path in [
        format!("/../{name}"),
        format!("/notices/../../{name}"),
        format!("/%2e%2e/{name}"),
        format!("/%2E%2E%2F{name}"),
        format!("/..%2f{name}"),
        format!("/..%5c{name}"),
        "/../../../../etc/passwd".to_string(),
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "//etc/passwd".to_string(),
        "/link.txt".to_string(),
        "/.hidden".to_string(),
        "/assets/%00.css".to_string(),
    ] {
        let r = get(port, &path);
        assert!(r.status == 403 || r.status == 404, "{path}: {}", r.status);
        assert!(
            !r.text().contains("top secret") && !r.text().contains("root:"),
            "{path}"
        );
    }
    fs::remove_file(&secret).unwrap();
    server.stop();
}

#[test]
fn http_details() {
    let site = SiteTest::basic();
    let server = start(site.path());
    let port = server.port();
    for (path, kind) in [
        ("/index.html", "text/html; charset=utf-8"),
        ("/assets/gongkai.css", "text/css; charset=utf-8"),
        ("/assets/gongkai.js", "text/javascript; charset=utf-8"),
        ("/problems.json", "application/json; charset=utf-8"),
        ("/search/meta.js", "text/javascript; charset=utf-8"),
    ] {
        let r = get(port, path);
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(kind)),
            "{path}"
        );
    }
    let r = get(port, "/notices");
    assert_eq!((r.status, r.header("location")), (301, Some("/notices/")));
    let r = get(port, "/notices/");
    assert_eq!(r.status, 200, "a folder serves its index page");
    let r = get(port, "/no/such/page.html");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("页面不存在"), "the site's own 404 page");
    assert!(r.text().contains(SCRIPT_TAG));
    server.stop();
}

#[test]
fn a_site_with_a_base_url_is_served_at_its_path() {
    let site = SiteTest::basic();
    let config = site.read("site.yaml").replace("# base_url:", "base_url:");
    site.write("site.yaml", &config);
    let server = start(site.path());
    assert!(server.url().ends_with("/dwgk/"), "{}", server.url());
    let r = get(server.port(), "/");
    assert_eq!((r.status, r.header("location")), (301, Some("/dwgk/")));
    assert_eq!(get(server.port(), "/dwgk/index.html").status, 200);
    let missing = get(server.port(), "/dwgk/nope/x.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("href=\"/dwgk/assets/gongkai.css\""));
    server.stop();
}

#[test]
fn a_taken_port_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = SiteTest::basic();
    let error = Server::start(ServeOptions::local(site.path(), port))
        .err()
        .expect("the port is taken");
    assert!(
        error.to_string().contains(&format!("端口 {port} 已被占用")),
        "{error}"
    );
    let server = Server::start(ServeOptions {
        port_given: false,
        ..ServeOptions::local(site.path(), port)
    })
    .unwrap();
    assert_ne!(server.port(), port, "the next free port");
    server.stop();
}

/// Waits until `ready` holds, polling; panics after ten seconds.
fn eventually(what: &str, ready: impl Fn() -> bool) {
    let started = std::time::Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what} did not happen"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_thousand_saves_leave_the_last_one_shown() {
    let site = SiteTest::fixture("small");
    let server = start(site.path());
    let port = server.port();
    let source = "content/notices/2021-second.md";
    let text = site.read(source);
    for i in 0..1000 {
        site.write(
            source,
            &text.replace("召开了组织生活会", &format!("召开了第{i}次组织生活会")),
        );
        if i % 100 == 0 {
            // Requests keep being answered while the saves go on.
            assert_eq!(get(port, "/index.html").status, 200);
        }
        std::thread::sleep(Duration::from_millis(3));
    }
    let page = "/notices/2021-second/index.html";
    eventually("the last save shown", || {
        get(port, page).text().contains("召开了第999次组织生活会")
    });
    server.stop();
}

#[test]
fn the_content_folder_can_go_and_come_back() {
    let site = SiteTest::fixture("small");
    let server = start(site.path());
    let port = server.port();
    let rx = events(port);
    assert_eq!(wait_for(&rx, "fine"), "fine");
    let content = site.path().join("content");
    let aside = site.path().join("content-aside");
    fs::rename(&content, &aside).unwrap();
    let errors = wait_for(&rx, "errors");
    assert!(errors.contains("\"code\":\"content\""), "{errors}");
    // The last good site stays while the folder is gone.
    assert_eq!(get(port, "/notices/2022-first/index.html").status, 200);
    fs::rename(&aside, &content).unwrap();
    wait_for(&rx, "fine");
    assert_eq!(get(port, "/notices/2022-first/index.html").status, 200);

    // Deleted and written again from scratch, as a sync tool does it.
    fs::remove_dir_all(&content).unwrap();
    wait_for(&rx, "errors");
    copy_dir(&fixtures().join("sites/small/content"), &content);
    wait_for(&rx, "fine");
    eventually("the site back", || {
        get(port, "/notices/2021-second/index.html").status == 200
    });
    server.stop();
}

#[test]
fn a_broken_notice_shows_its_error_until_it_is_fixed() {
    let site = SiteTest::fixture("small");
    let server = start(site.path());
    let port = server.port();
    let rx = events(port);
    wait_for(&rx, "fine");
    let source = "content/notices/2022-first.md";
    let good = site.read(source);
    site.write(
        source,
        &good.replace("category: policy", "category: policie"),
    );
    let errors: serde_json::Value = serde_json::from_str(&wait_for(&rx, "errors")).unwrap();
    assert_eq!(errors[0]["file"], source);
    assert_eq!(errors[0]["code"], "unknown-category");
    site.write(source, &good);
    wait_for(&rx, "fine");
    assert!(
        get(port, "/categories/policy/index.html")
            .text()
            .contains("2022-first")
    );
    server.stop();
}

#[test]
fn after_a_burst_of_saves_the_preview_is_a_fresh_build() {
    let site = SiteTest::basic();
    let server = start(site.path());
    let port = server.port();
    let good = site.read(SOURCE);
    // Saves faster than the search index and open data are refreshed.
    for i in 0..30 {
        site.write(
            SOURCE,
            &good.replace(
                "民主评议党员情况的公示",
                &format!("民主评议党员情况的第{i}次公示"),
            ),
        );
        std::thread::sleep(Duration::from_millis(15));
    }
    eventually("the last save served", || {
        get(port, PAGE).text().contains("第29次公示")
    });
    let built = tempfile::tempdir().unwrap();
    let mut options = Options::new(site.path());
    options.output = Some(built.path().join("public"));
    build(&options).unwrap();
    let expected = tree(&built.path().join("public"));
    let has_edit = |file: &str| String::from_utf8_lossy(&expected[file]).contains("第29次公示");
    assert!(has_edit("search/meta.js") && has_edit("problems.json"));
    // Every file, the search index and open data too, and no other.
    eventually("the preview equal to a fresh build", || {
        tree(server.folder()) == expected
    });
    server.stop();
}
