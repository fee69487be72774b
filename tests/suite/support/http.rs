//! HTTP for the tests, on well-kept crates: `ureq` as the client (also for
//! the live events of the preview), and axum with `tower-http`'s
//! `ServeDir` as a static file server that mounts a folder at a sub-path,
//! as a web server of a government site cluster would.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_status::SetStatus;
use ureq::Agent;

/// A response: status, headers and body.
pub struct Response {
    pub status: u16,
    headers: ureq::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    /// A header's value, by its name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A client that shows every answer as it is: error statuses are
/// responses, redirects are not followed, and no connection is kept.
fn agent(timeout: Option<Duration>) -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(0)
        .timeout_global(timeout)
        .build()
        .new_agent()
}

/// GETs `path` (already percent-encoded, sent as it is) from
/// `127.0.0.1:port`.
pub fn get(port: u16, path: &str) -> Response {
    request(port, "GET", path, &[], None)
}

/// Sends `method` to `path` on `127.0.0.1:port` with `headers` and a
/// body, if given.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Response {
    let url = format!("http://127.0.0.1:{port}{path}");
    let mut builder = ureq::http::Request::builder().method(method).uri(&url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder
        .body(body.unwrap_or("").to_string())
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let mut response = agent(Some(Duration::from_secs(60)))
        .run(request)
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let body = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    Response {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body,
    }
}

/// The server-sent events at `path`, as `(event, data)`, read on a thread
/// of their own until the server closes the stream. Returns once the
/// server has answered, so no event sent after it is missed.
pub fn events(port: u16, path: &str) -> mpsc::Receiver<(String, String)> {
    let url = format!("http://127.0.0.1:{port}{path}");
    let response = agent(None)
        .get(&url)
        .header("Accept", "text/event-stream")
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    assert_eq!(response.status(), 200, "{url}");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(response.into_body().into_reader());
        let mut event = String::new();
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ")
                && tx.send((event.clone(), d.to_string())).is_err()
            {
                break;
            }
        }
    });
    rx
}

/// What a path or a query keeps as it is: the unreserved characters, the
/// separators, and escapes already made.
const KEPT_IN_PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'#')
    .remove(b'?')
    .remove(b'=')
    .remove(b'&')
    .remove(b'%');

/// What one value of a query keeps as it is: the unreserved characters.
const KEPT_IN_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes the bytes a request line cannot carry.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, KEPT_IN_PATH).to_string()
}

/// Percent-encodes one value of a query (`?q=<value>`).
pub fn encode_value(value: &str) -> String {
    utf8_percent_encode(value, KEPT_IN_VALUE).to_string()
}

/// Serves `dir` at `http://127.0.0.1:port{mount}`, with the site's
/// `404.html` (status 404) for everything else, folders included; stops
/// when dropped.
pub struct StaticServer {
    pub port: u16,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(dir: &Path, mount: &str) -> StaticServer {
        let not_found =
            || SetStatus::new(ServeFile::new(dir.join("404.html")), StatusCode::NOT_FOUND);
        let files = ServeDir::new(dir)
            .append_index_html_on_directories(false)
            .not_found_service(not_found());
        let app = match mount.trim_end_matches('/') {
            "" => Router::new().fallback_service(files),
            prefix => Router::new()
                .nest_service(prefix, files)
                .fallback_service(not_found()),
        };
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
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
        StaticServer {
            port,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
