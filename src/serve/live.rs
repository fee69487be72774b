//! Live reload: what the browser is told after each update, over
//! Server-Sent Events on the preview's own port, and the small script that
//! listens. The script is added to pages only as they are served; the
//! files on disk are exactly what `build` writes.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;

use crate::diagnostic::Diagnostics;

use super::Outcome;

/// The tag added before `</body>` of every served page.
pub const SCRIPT_TAG: &str = "<script src=\"/__gongkai/live.js\"></script>";

/// What a browser is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// Reload the page (and keep the scroll position).
    Reload,
    /// Load these stylesheets again, without reloading the page.
    Stylesheets(Vec<String>),
    /// Show these errors over the page (JSON).
    Errors(String),
    /// The site is fine: take any error overlay away.
    Fine,
    /// The search index, open data, feed and sitemap are those of the
    /// pages now served (pages ignore it; tools and tests wait for it).
    Indexed,
}

/// Sends events to every open page, and remembers whether the site has
/// errors now, for pages that connect later.
#[derive(Debug)]
pub struct Hub {
    sender: broadcast::Sender<LiveEvent>,
    errors: RwLock<Option<String>>,
}

impl Default for Hub {
    fn default() -> Hub {
        Hub {
            sender: broadcast::channel(64).0,
            errors: RwLock::new(None),
        }
    }
}

impl Hub {
    /// Tells the pages what an update did.
    pub fn publish(&self, outcome: &Outcome) {
        let event = match outcome {
            Outcome::Unchanged => return self.set_errors(None),
            Outcome::Reload { .. } => {
                self.set_errors(None);
                LiveEvent::Reload
            }
            Outcome::Stylesheets(files) => {
                self.set_errors(None);
                LiveEvent::Stylesheets(files.clone())
            }
            Outcome::Failed(errors) => {
                let json = errors_json(errors);
                self.set_errors(Some(json.clone()));
                LiveEvent::Errors(json)
            }
        };
        let _ = self.sender.send(event);
    }

    /// Tells that the site-wide files caught up with the pages.
    pub fn indexed(&self) {
        let _ = self.sender.send(LiveEvent::Indexed);
    }

    fn set_errors(&self, errors: Option<String>) {
        let was = std::mem::replace(
            &mut *self.errors.write().unwrap_or_else(|e| e.into_inner()),
            errors.clone(),
        );
        if was.is_some() && errors.is_none() {
            let _ = self.sender.send(LiveEvent::Fine);
        }
    }

    fn current(&self) -> LiveEvent {
        match &*self.errors.read().unwrap_or_else(|e| e.into_inner()) {
            Some(json) => LiveEvent::Errors(json.clone()),
            None => LiveEvent::Fine,
        }
    }

    /// The event stream of one page: the current state, then every event.
    pub fn stream(self: &Arc<Hub>) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
        let receiver = self.sender.subscribe();
        let first = stream::once(std::future::ready(self.current()));
        let rest = BroadcastStream::new(receiver).filter_map(|e| std::future::ready(e.ok()));
        let events = first.chain(rest).map(|e| Ok(to_sse(&e)));
        Sse::new(events).keep_alive(KeepAlive::default())
    }
}

fn to_sse(event: &LiveEvent) -> Event {
    match event {
        LiveEvent::Reload => Event::default().event("reload").data("reload"),
        LiveEvent::Stylesheets(files) => Event::default()
            .event("css")
            .data(serde_json::to_string(files).unwrap_or_default()),
        LiveEvent::Errors(json) => Event::default().event("errors").data(json.clone()),
        LiveEvent::Fine => Event::default().event("fine").data("fine"),
        LiveEvent::Indexed => Event::default().event("indexed").data("indexed"),
    }
}

/// The errors as the overlay shows them.
pub fn errors_json(errors: &Diagnostics) -> String {
    let shown: Vec<_> = errors.0.iter().map(|d| d.json()).collect();
    serde_json::to_string(&shown).unwrap_or_else(|_| "[]".into())
}

/// The script every served page loads: reload on changes, keep the scroll
/// position across reloads, swap stylesheets in place, show errors.
pub const CLIENT: &str = r#"(function () {
  "use strict";
  var KEY = "gongkai-scroll:" + location.pathname;
  try {
    var y = sessionStorage.getItem(KEY);
    if (y !== null) {
      sessionStorage.removeItem(KEY);
      var restore = function () { window.scrollTo({ top: parseFloat(y), behavior: "instant" }); };
      if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
    }
  } catch (e) { /* storage may be off */ }

  var overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function text(tag, content, style) {
    var e = document.createElement(tag);
    e.textContent = content;
    if (style) { e.setAttribute("style", style); }
    return e;
  }
  function show(errors) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "gongkai-errors";
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("style", "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);color:#fff;padding:2rem;font:16px/1.6 system-ui,'Microsoft YaHei',sans-serif");
    var box = document.createElement("div");
    box.setAttribute("style", "max-width:60rem;margin:0 auto");
    // An error can stand for more of its file that are not listed.
    var total = errors.reduce(function (n, e) { return n + 1 + (e.unlisted || 0); }, 0);
    box.appendChild(text("h2", "网站没有更新：请修改下面的 " + total + " 个错误，保存后会自动刷新", "margin:0 0 1rem;color:#ffb3ad;font-size:1.3rem"));
    errors.forEach(function (e) {
      var item = document.createElement("section");
      item.className = "gongkai-error";
      item.setAttribute("data-file", e.file);
      item.setAttribute("data-line", e.line);
      item.setAttribute("style", "margin:0 0 1.25rem;padding:1rem;background:#2b2b2b;border-left:4px solid #ff6b60;border-radius:4px");
      item.appendChild(text("p", e.location + (e.code ? "  [" + e.code + "]" : ""), "margin:0;color:#9fd3ff;font-family:monospace"));
      item.appendChild(text("p", e.message, "margin:.25rem 0;font-weight:700"));
      if (e.source) { item.appendChild(text("pre", e.line + " | " + e.source, "margin:.5rem 0;padding:.5rem;background:#111;white-space:pre-wrap;font-family:monospace")); }
      if (e.hint) { item.appendChild(text("p", "提示：" + e.hint, "margin:.25rem 0;color:#ddd;white-space:pre-wrap")); }
      box.appendChild(item);
    });
    var close = text("button", "暂时隐藏", "font:inherit;padding:.4rem 1rem;cursor:pointer");
    close.addEventListener("click", hide);
    box.appendChild(close);
    overlay.appendChild(box);
    (document.body || document.documentElement).appendChild(overlay);
  }
  function reloadStylesheets(files) {
    var links = document.querySelectorAll("link[rel=stylesheet]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i], url = new URL(link.href, location.href);
      var matches = files.some(function (f) { return url.pathname.slice(-f.length) === f; });
      if (matches) { url.searchParams.set("gongkai", Date.now()); link.href = url.toString(); }
    }
  }
  var source = new EventSource("/__gongkai/events");
  source.addEventListener("reload", function () {
    try { sessionStorage.setItem(KEY, String(window.scrollY)); } catch (e) { /* ignore */ }
    location.reload();
  });
  source.addEventListener("css", function (e) { reloadStylesheets(JSON.parse(e.data)); });
  source.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });
  source.addEventListener("fine", hide);
  // The server answers every new stream with the site's state first: from
  // then on, no change is missed (tools and tests wait for this).
  function listening() { window.gongkaiLive = true; }
  source.addEventListener("fine", listening);
  source.addEventListener("errors", listening);
})();
"#;

/// Adds the live script to a page, before its `</body>`.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let page = inject(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            format!("<html><body><p>x</p>{SCRIPT_TAG}</body></html>")
        );
        assert!(inject(b"no body").ends_with(SCRIPT_TAG.as_bytes()));
    }

    #[test]
    fn errors_are_data_not_markup() {
        let d = crate::Diagnostic::error(
            crate::diagnostic::Code::Yaml,
            "content/a.md",
            "<script>alert(1)</script>",
        )
        .at(3, 5);
        let json = errors_json(&Diagnostics(vec![d]));
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed[0]["message"], "<script>alert(1)</script>");
        assert_eq!(parsed[0]["line"], 3);
        assert_eq!(parsed[0]["location"], "content/a.md:3:5");
    }
}
