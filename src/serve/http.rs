//! Serving the preview folder over HTTP, safely.
//!
//! Only files inside the folder are served: requests with `..`, encoded
//! slashes or backslashes, NUL, drive letters or dot-files are refused, and
//! a file whose real path (symbolic links resolved) is outside the folder is
//! refused too. Pages get the live-reload script as they are sent.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::live::{self, Hub};

/// What the HTTP side needs.
#[derive(Debug)]
pub struct App {
    /// The preview folder, with symbolic links resolved.
    pub dir: PathBuf,
    /// Where the site is mounted: `/`, or the path of its base URL.
    pub mount: String,
    pub hub: Arc<Hub>,
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/__gongkai/events", get(events))
        .route("/__gongkai/live.js", get(client))
        .fallback(get(file))
        .with_state(app)
}

async fn events(State(app): State<Arc<App>>) -> impl IntoResponse {
    app.hub.stream()
}

async fn client() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        live::CLIENT.as_bytes().to_vec(),
    )
}

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file (or a folder's `index.html`) inside the site.
    File(PathBuf),
    /// The same path with a trailing slash, or the mount point.
    Redirect(String),
    /// Not allowed: leaves the folder, or names a hidden file.
    Forbidden,
    NotFound,
}

/// Maps the raw (still percent-encoded) request path to a file of `dir`.
pub fn resolve(dir: &Path, mount: &str, raw: &str, query: Option<&str>) -> Target {
    let lower = raw.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"].iter().any(|bad| lower.contains(bad)) {
        return Target::Forbidden;
    }
    let Ok(path) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Target::Forbidden;
    };
    if path.contains(['\\', '\0']) || !path.starts_with('/') {
        return Target::Forbidden;
    }
    let Some(rest) = path.strip_prefix(mount) else {
        return if path == "/" || format!("{path}/") == mount {
            Target::Redirect(mount.to_string())
        } else {
            Target::NotFound
        };
    };
    let mut full = dir.to_path_buf();
    for segment in rest.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains(':') {
            return Target::Forbidden;
        }
        full.push(segment);
    }
    if full.is_dir() {
        if !path.ends_with('/') {
            let query = query.map(|q| format!("?{q}")).unwrap_or_default();
            return Target::Redirect(format!("{raw}/{query}"));
        }
        full.push("index.html");
    }
    match full.canonicalize() {
        Ok(real) if !real.starts_with(dir) => Target::Forbidden,
        Ok(real) if real.is_file() => Target::File(real),
        _ => Target::NotFound,
    }
}

async fn file(State(app): State<Arc<App>>, uri: Uri) -> Response {
    match resolve(&app.dir, &app.mount, uri.path(), uri.query()) {
        Target::File(path) => match tokio_read(&path).await {
            Some(bytes) => respond(StatusCode::OK, &content_type(&path), bytes),
            None => not_found(&app).await,
        },
        Target::Redirect(to) => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Target::Forbidden => respond(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            "403 禁止访问".as_bytes().to_vec(),
        ),
        Target::NotFound => not_found(&app).await,
    }
}

/// The site's own 404 page, with status 404. The preview is served at
/// `/`: its links resolve from there at whatever address it answers.
async fn not_found(app: &App) -> Response {
    match tokio_read(&app.dir.join("404.html")).await {
        Some(bytes) => respond(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            at_root(&bytes),
        ),
        None => {
            // No site yet (its first build failed): a page that shows why.
            let page = format!(
                "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>gongkai</title></head><body><p>网站还没有生成成功。</p>{}</body></html>",
                live::SCRIPT_TAG
            );
            respond(
                StatusCode::NOT_FOUND,
                "text/html; charset=utf-8",
                page.into_bytes(),
            )
        }
    }
}

/// `<base href="/">` first in the head, before anything it resolves.
fn at_root(html: &[u8]) -> Vec<u8> {
    let tag = b"<base href=\"/\">";
    match html
        .windows(6)
        .position(|w| w.eq_ignore_ascii_case(b"<head>"))
    {
        Some(at) => [&html[..at + 6], tag, &html[at + 6..]].concat(),
        None => [tag, html].concat(),
    }
}

async fn tokio_read(path: &Path) -> Option<Vec<u8>> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || std::fs::read(path).ok())
        .await
        .ok()
        .flatten()
}

fn respond(status: StatusCode, kind: &str, bytes: Vec<u8>) -> Response {
    let bytes = if kind.starts_with("text/html") {
        live::inject(&bytes)
    } else {
        bytes
    };
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = status;
    let headers = r.headers_mut();
    if let Ok(kind) = HeaderValue::from_str(kind) {
        headers.insert(header::CONTENT_TYPE, kind);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// The media type of a file, by its extension; text of every kind is
/// UTF-8, as gongkai writes it.
pub fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || mime.suffix() == Some(mime_guess::mime::XML)
        || matches!(mime.subtype().as_str(), "json" | "javascript" | "xml");
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_stay_inside_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("site/notices/a")).unwrap();
        let dir = tmp.path().join("site").canonicalize().unwrap();
        std::fs::write(dir.join("notices/a/index.html"), "a").unwrap();
        std::fs::write(dir.join(".secret"), "x").unwrap();
        std::fs::write(tmp.path().join("outside.txt"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(tmp.path().join("outside.txt"), dir.join("link.txt")).unwrap();

        let r = |raw: &str| resolve(&dir, "/", raw, None);
        assert_eq!(
            r("/notices/a/"),
            Target::File(dir.join("notices/a/index.html"))
        );
        assert_eq!(r("/notices/a"), Target::Redirect("/notices/a/".into()));
        assert_eq!(
            resolve(&dir, "/", "/notices/a", Some("q=1")),
            Target::Redirect("/notices/a/?q=1".into())
        );
        for bad in [
            "/../outside.txt",
            "/notices/../../outside.txt",
            "/%2e%2e/outside.txt",
            "/..%2foutside.txt",
            "/notices%2F..%2F..%2Foutside.txt",
            "/.secret",
            "/%2esecret",
            "/notices\\..\\x",
            "/a%00b",
            "/C:/x",
        ] {
            assert_eq!(r(bad), Target::Forbidden, "{bad}");
        }
        #[cfg(unix)]
        assert_eq!(r("/link.txt"), Target::Forbidden);
        assert_eq!(r("/nope.html"), Target::NotFound);
    }

    #[test]
    fn a_site_under_a_sub_path() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("index.html"), "x").unwrap();
        let dir = tmp.path().canonicalize().unwrap();
        assert_eq!(
            resolve(&dir, "/dwgk/", "/dwgk/", None),
            Target::File(dir.join("index.html"))
        );
        assert_eq!(
            resolve(&dir, "/dwgk/", "/", None),
            Target::Redirect("/dwgk/".into())
        );
        assert_eq!(
            resolve(&dir, "/dwgk/", "/dwgk", None),
            Target::Redirect("/dwgk/".into())
        );
        assert_eq!(resolve(&dir, "/dwgk/", "/other/", None), Target::NotFound);
    }

    #[test]
    fn media_types_carry_the_charset() {
        for (name, kind) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.json", "application/json; charset=utf-8"),
            ("a.xml", "text/xml; charset=utf-8"),
            ("a.csv", "text/csv; charset=utf-8"),
            ("a.pdf", "application/pdf"),
            ("a.unknown", "application/octet-stream"),
            ("a.svg", "image/svg+xml; charset=utf-8"),
            ("a.woff2", "font/woff2"),
        ] {
            assert_eq!(content_type(Path::new(name)), kind);
        }
    }
}
