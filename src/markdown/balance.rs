//! Raw HTML in a notice's body, made to close what it opens. A `</div>`
//! that the body does not open would close the theme's own element around
//! the body, and the page's layout with it; a `<div>` it leaves open would
//! take in everything after it, the problems or the page's footer. So a
//! stray end tag is left out, and what is left open is closed where the
//! part of the body ends. `gongkai check` names each (`unbalanced-html`).

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Parser};
use regex::Regex;

use super::cjk::Spanned;
use gongkai_content::html;

/// A tag of raw HTML that does not pair, at `offset` in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unbalanced {
    pub offset: usize,
    /// The element's name, lowercased.
    pub tag: String,
    /// An end tag without its start (left out), else a start tag without
    /// its end (closed at the end).
    pub stray_end: bool,
}

/// A comment, or a tag: `/` if an end tag, and the element's name.
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^>]*)?>")
        .unwrap_or_else(|e| panic!("tag pattern: {e}"))
});

/// Pairs the raw HTML of `events`: leaves out the end tags that close
/// nothing, and closes, after the last event, what is left open. Returns
/// each tag that did not pair, in the order of the text.
pub(super) fn balance(events: &mut Vec<Spanned<'_>>) -> Vec<Unbalanced> {
    let mut pairs = Pairs::default();
    for event in events.iter_mut() {
        pairs.pair(event);
    }
    let end = events.last().map_or(0, |(_, r)| r.end);
    events.extend(pairs.closing(end));
    pairs.into_found()
}

/// The pairing of [`balance`], an event at a time: what is open so far,
/// and the tags found not to pair.
#[derive(Default)]
pub(super) struct Pairs {
    open: Vec<(String, usize)>,
    found: Vec<Unbalanced>,
}

impl Pairs {
    /// Opens and closes by the tags of one event; leaves out of it the
    /// end tags that close nothing.
    pub(super) fn pair(&mut self, (event, range): &mut Spanned<'_>) {
        let (Event::Html(html) | Event::InlineHtml(html)) = event else {
            return;
        };
        let mut kept = String::new();
        let mut copied = 0;
        for m in TAG.captures_iter(html) {
            let (Some(whole), Some(name)) = (m.get(0), m.get(2)) else {
                continue;
            };
            let name = name.as_str().to_ascii_lowercase();
            if html::pairs_by_itself(&name) || whole.as_str().ends_with("/>") {
                continue;
            }
            let offset = range.start + whole.start();
            if m[1].is_empty() {
                self.open.push((name, offset));
                continue;
            }
            // An end tag closes its element and what is still open in it
            // (as a browser closes a `<span>` left open in a `<div>`).
            match self.open.iter().rposition(|(n, _)| *n == name) {
                Some(i) => self.open.truncate(i),
                None => {
                    kept.push_str(&html[copied..whole.start()]);
                    copied = whole.end();
                    self.found.push(Unbalanced {
                        offset,
                        tag: name,
                        stray_end: true,
                    });
                }
            }
        }
        if copied > 0 {
            kept.push_str(&html[copied..]);
            *html = CowStr::from(kept);
        }
    }

    /// After the last event (which ends at `end`): the end tags of what is
    /// still open, innermost first, as one event; they are found not to
    /// pair.
    pub(super) fn closing<'a>(&mut self, end: usize) -> Option<Spanned<'a>> {
        if self.open.is_empty() {
            return None;
        }
        let open = std::mem::take(&mut self.open);
        let closing: String = open.iter().rev().map(|(n, _)| format!("</{n}>")).collect();
        self.found
            .extend(open.into_iter().map(|(tag, offset)| Unbalanced {
                offset,
                tag,
                stray_end: false,
            }));
        Some((Event::Html(closing.into()), end..end))
    }

    /// The tags that did not pair, in the order of the text.
    pub(super) fn into_found(mut self) -> Vec<Unbalanced> {
        self.found.sort_by_key(|u| u.offset);
        self.found
    }
}

/// [`balance`] as the events come: each event paired as it passes, and
/// what is left open closed after the last.
pub(super) struct Balanced<'a, I> {
    events: I,
    pairs: Pairs,
    /// Where the last event ended.
    end: usize,
    closed: bool,
    _text: std::marker::PhantomData<&'a str>,
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Balanced<'a, I> {
    pub(super) fn new(events: I) -> Self {
        Balanced {
            events,
            pairs: Pairs::default(),
            end: 0,
            closed: false,
            _text: std::marker::PhantomData,
        }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Balanced<'a, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        if let Some(mut event) = self.events.next() {
            self.pairs.pair(&mut event);
            self.end = event.1.end;
            return Some(event);
        }
        if self.closed {
            return None;
        }
        self.closed = true;
        self.pairs.closing(self.end)
    }
}

/// The tags of raw HTML in `src` (a part of a notice's body) that do not
/// pair, for `gongkai check`.
pub fn unbalanced(src: &str) -> Vec<Unbalanced> {
    // Without HTML, nothing to pair: the usual notice.
    if !src.contains('<') {
        return Vec::new();
    }
    let mut events: Vec<Spanned<'_>> = Parser::new_ext(src, super::options())
        .into_offset_iter()
        .collect();
    balance(&mut events)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(src: &str) -> String {
        let (r, _) = super::super::render(
            src,
            &|_| Ok(None),
            &mut super::super::Anchors::default(),
            super::super::RawHtml::Keep,
        );
        r.html
    }

    #[test]
    fn a_stray_end_tag_is_left_out_and_an_open_element_closed() {
        let src = "前言。\n\n</div>\n\n<div class=\"box\">\n\n**重点**\n";
        let found = unbalanced(src);
        let at = |needle: &str| src.find(needle).unwrap();
        assert_eq!(
            found,
            [
                Unbalanced {
                    offset: at("</div>"),
                    tag: "div".into(),
                    stray_end: true
                },
                Unbalanced {
                    offset: at("<div"),
                    tag: "div".into(),
                    stray_end: false
                },
            ]
        );
        let html = rendered(src);
        assert_eq!(
            html.matches("<div").count(),
            html.matches("</div>").count(),
            "{html}"
        );
        assert!(html.trim_end().ends_with("</div>"), "{html}");
    }

    #[test]
    fn html_that_pairs_is_left_as_written() {
        for src in [
            "<div>\n\n段落\n\n</div>\n",
            "文字<span style=\"color:red\">**红色**</span>。\n",
            "<table><tr><td>一<td>二</table>\n",
            "<p>一<p>二<br>三<img src=\"a.png\"><hr/>\n",
            "<!-- <div> -->\n\n`</div>`\n",
            "<div><span>未关闭的 span</div>\n",
        ] {
            assert_eq!(unbalanced(src), [], "{src}");
        }
    }
}
