//! `check --external`: the links out of the site, asked of a real HTTP
//! server this test starts on 127.0.0.1 (never the network): a good page,
//! a redirect to it, a page that is gone, one slower than the time limit,
//! and a redirect loop. One request at a time to a host, with a pause
//! between; good answers remembered in the site's `.gongkai/`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use gongkai::commands::check::{CheckOptions, ExternalOptions, Limits, check_site};
use gongkai::content::Day;
use gongkai::diagnostic::{Code, Diagnostic, Severity};

use crate::support::*;

/// What the server saw: each request's path, when it came and when it
/// was answered, and the most requests it had at once.
#[derive(Default)]
struct Seen {
    requests: Mutex<Vec<(String, Instant, Instant)>>,
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Seen {
    fn count(&self, path: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.0 == path)
            .count()
    }
}

/// The links' server on 127.0.0.1, stopped when dropped.
struct LinkServer {
    port: u16,
    seen: Arc<Seen>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

const SLOW: Duration = Duration::from_secs(3);

async fn answer(seen: Arc<Seen>, path: &'static str) -> axum::response::Response {
    let came = Instant::now();
    // The slow page is still being answered after the checker gave up
    // on it: it is left out of the count of requests at once.
    let counted = path != "/slow";
    if counted {
        let now = seen.now.fetch_add(1, Ordering::SeqCst) + 1;
        seen.most.fetch_max(now, Ordering::SeqCst);
    }
    let response = match path {
        "/good" => (StatusCode::OK, "好").into_response(),
        "/gone" => (StatusCode::NOT_FOUND, "没有").into_response(),
        "/slow" => {
            tokio::time::sleep(SLOW).await;
            (StatusCode::OK, "慢").into_response()
        }
        "/moved" => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/good")]).into_response(),
        "/loop-a" => (StatusCode::FOUND, [(header::LOCATION, "/loop-b")]).into_response(),
        _ => (StatusCode::FOUND, [(header::LOCATION, "loop-a")]).into_response(),
    };
    if counted {
        seen.now.fetch_sub(1, Ordering::SeqCst);
    }
    seen.requests
        .lock()
        .unwrap()
        .push((path.to_string(), came, Instant::now()));
    response
}

impl LinkServer {
    fn start() -> LinkServer {
        let seen = Arc::new(Seen::default());
        let mut app = Router::new();
        for path in ["/good", "/gone", "/slow", "/moved", "/loop-a", "/loop-b"] {
            let seen = seen.clone();
            app = app.route(path, get(move || answer(seen.clone(), path)));
        }
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            });
        });
        LinkServer {
            port,
            seen,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for LinkServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

const PAUSE: Duration = Duration::from_millis(300);
const TIMEOUT: Duration = Duration::from_secs(1);

/// The small site, without its ICP number: the footer's link to the ICP
/// register would be a link out of the site, to the network.
fn small_site() -> SiteTest {
    let site = SiteTest::fixture("small");
    site.edit("site.yaml", |t| t.replace("  icp: 某ICP备12345678号\n", ""));
    assert!(!site.read("site.yaml").contains("icp:"));
    site
}

fn options(site: &SiteTest) -> CheckOptions {
    CheckOptions {
        external: Some(ExternalOptions {
            limits: Limits {
                timeout: TIMEOUT,
                workers: 4,
                pause: PAUSE,
            },
            cache: Some(site.path().to_path_buf()),
        }),
    }
}

fn external(found: &[Diagnostic]) -> Vec<(Code, Severity, usize)> {
    found
        .iter()
        .filter(|d| matches!(d.code, Code::ExternalLink | Code::ExternalUnreachable))
        .map(|d| (d.code, d.severity, d.line))
        .collect()
}

const A: &str = "content/notices/a.md";

#[test]
fn links_out_of_the_site_are_checked_against_a_local_server() {
    let server = LinkServer::start();
    let body = format!(
        "正文。\n\n见[好的]({}).\n\n见[搬走的]({}).\n\n见[没有了]({}).\n\n见[很慢的]({}).\n\n见[绕圈的]({}).\n\n再见[没有了]({}#part).\n",
        server.url("/good"),
        server.url("/moved"),
        server.url("/gone"),
        server.url("/slow"),
        server.url("/loop-a"),
        server.url("/gone"),
    );
    let notice = read(&fixtures(), "sites/small/content/notices/2022-first.md").replace(
        "根据区委统一部署，区委第一巡察组对我局进行了巡察。现将整改进展情况通报如下。\n",
        &body,
    );
    let site = small_site();
    site.write(A, &notice);
    site.remove("content/notices/2022-first.md");
    let line = |text: &str| notice.lines().position(|l| l.contains(text)).unwrap() + 1;

    let today = Day::parse("2022-04-01").unwrap();
    let started = Instant::now();
    let checked = check_site(site.path(), today, &options(&site));
    let took = started.elapsed();
    assert_eq!(
        external(&checked.found.0),
        [
            (Code::ExternalLink, Severity::Error, line("没有了")),
            (Code::ExternalUnreachable, Severity::Warning, line("很慢的")),
            (Code::ExternalLink, Severity::Error, line("绕圈的")),
            (Code::ExternalLink, Severity::Error, line("再见")),
        ],
        "{}",
        checked.found
    );
    assert_eq!(checked.scope.external_links, Some(5));
    let says = |text: &str| {
        checked
            .found
            .0
            .iter()
            .find(|d| d.line == line(text))
            .unwrap()
            .message
            .clone()
    };
    assert!(says("没有了").contains("404"), "{}", says("没有了"));
    assert!(says("绕圈的").contains("loop-b"), "{}", says("绕圈的"));
    assert!(
        says("很慢的").contains("秒内没有回应"),
        "{}",
        says("很慢的")
    );
    // The slow link is given up on at its limit, not waited for.
    assert!(took < SLOW + Duration::from_secs(2), "{took:?}");

    // One request at a time to the host, each a pause after the last
    // (the server's clock: the times of both sides are this process's).
    let seen = &server.seen;
    assert_eq!(seen.most.load(Ordering::SeqCst), 1, "requests at once");
    let mut requests = seen.requests.lock().unwrap().clone();
    requests.sort_by_key(|r| r.1);
    for pair in requests.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        // A redirect is followed at once: it is one link.
        if ["/moved", "/loop-a", "/loop-b"].contains(&before.0.as_str()) {
            continue;
        }
        // The slow one was left by the checker at its time limit.
        let left = if before.0 == "/slow" {
            before.1 + TIMEOUT
        } else {
            before.2
        };
        assert!(
            after.1 + Duration::from_millis(20) >= left + PAUSE,
            "{} came {:?} after {}",
            after.0,
            after.1.saturating_duration_since(left),
            before.0
        );
    }
    // Each link once, however often it is written.
    assert_eq!(seen.count("/gone"), 1);
    // The loop is followed until it comes back, once round.
    assert_eq!(seen.count("/loop-a"), 1);
    assert_eq!(seen.count("/loop-b"), 1);

    // Again: the good links come from the cache, the broken are asked again.
    let again = check_site(site.path(), today, &options(&site));
    assert_eq!(external(&again.found.0), external(&checked.found.0));
    assert_eq!(seen.count("/good"), 2, "once alone, once after /moved");
    assert_eq!(seen.count("/moved"), 1);
    assert_eq!(seen.count("/gone"), 2);
    assert!(site.path().join(".gongkai/external-links.json").is_file());

    // Without --external nothing is asked.
    let before = seen.requests.lock().unwrap().len();
    let plain = check_site(site.path(), today, &CheckOptions::default());
    assert_eq!(external(&plain.found.0), []);
    assert_eq!(plain.scope.external_links, None);
    assert_eq!(seen.requests.lock().unwrap().len(), before);
}

#[cfg(unix)]
#[test]
fn the_cache_is_not_written_through_a_link() {
    let server = LinkServer::start();
    let site = small_site();
    site.edit("content/notices/2022-first.md", |t| {
        t.replace(
            "现将整改进展情况通报如下。",
            &format!("现将[整改进展]({})通报如下。", server.url("/good")),
        )
    });
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join(".gongkai")).unwrap();
    let today = Day::parse("2022-04-01").unwrap();
    let checked = check_site(site.path(), today, &options(&site));
    assert_eq!(external(&checked.found.0), []);
    assert_eq!(server.seen.count("/good"), 1);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}
