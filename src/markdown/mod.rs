//! Markdown to HTML with the GitHub extensions, heading anchors, link
//! rewriting and the Chinese rules of [`cjk`].

mod balance;
mod cjk;

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

pub use balance::unbalanced;

/// What rendering a piece of Markdown gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The text a reader reads, for summaries, reading time and search.
    pub text: String,
    /// Every link and image, for `gongkai check`.
    pub links: Vec<Link>,
}

/// A link or image as written in the Markdown and as it ends up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Byte offset of the destination in the Markdown source.
    pub offset: usize,
    pub written: String,
    /// The destination after rewriting (the same when kept).
    pub target: String,
    pub image: bool,
}

/// A link that points nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    /// Byte offset of the link in the Markdown source.
    pub offset: usize,
    /// The destination as written.
    pub dest: String,
    pub message: String,
    pub help: Option<String>,
}

/// Decides what a link destination becomes: `Ok(Some(new))` rewrites it,
/// `Ok(None)` keeps it, `Err((message, help))` reports it as broken.
pub type LinkResolver<'a> =
    dyn Fn(&str) -> Result<Option<String>, (String, Option<String>)> + Sync + 'a;

/// The ids already used on one page, so that heading anchors stay unique.
#[derive(Debug, Clone, Default)]
pub struct Anchors(HashSet<String>);

impl Anchors {
    /// Reserves ids the page uses for other things (e.g. `problem-7`).
    pub fn reserve(&mut self, id: impl Into<String>) {
        self.0.insert(id.into());
    }

    /// `base`, or `base-1`, `base-2`... if taken.
    pub fn unique(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 1;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders `src` to HTML. Every broken link is reported, not only the first.
/// What raw HTML written in the Markdown becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// HTML as written: the body of a notice, whose author is trusted.
    Keep,
    /// Text, escaped: the Markdown of front-matter fields, which imports
    /// fill from sources that are not trusted.
    Escape,
}

/// Renders `src` to HTML. Every broken link is reported, not only the
/// first; a broken link stays as written and the rest is rendered, so that
/// its other mistakes can still be found.
pub fn render(
    src: &str,
    links: &LinkResolver<'_>,
    anchors: &mut Anchors,
    raw_html: RawHtml,
) -> (Rendered, Vec<LinkError>) {
    let events: Vec<_> = Parser::new_ext(src, options()).into_offset_iter().collect();
    let mut events = cjk::apply(events, src);
    if raw_html == RawHtml::Keep {
        // What does not pair is named by `check` (`unbalanced`).
        balance::balance(&mut events);
    }
    if raw_html == RawHtml::Escape {
        for (event, _) in &mut events {
            if let Event::Html(html) | Event::InlineHtml(html) = event {
                *event = Event::Text(std::mem::replace(html, CowStr::Borrowed("")));
            }
        }
        events = without_unsafe_links(events);
    }
    let (links, errors) = rewrite_links(&mut events, src, links);
    name_headings(&mut events, anchors);
    let text = plain_text(&events);
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
    let rendered = Rendered {
        html: out,
        text,
        links,
    };
    (rendered, errors)
}

/// Links and images whose address would run or embed something instead
/// of leading to a page (`javascript:`, `vbscript:`, `data:`, `file:`)
/// become their text: in fields filled from sources that are not trusted,
/// as raw HTML there is.
fn without_unsafe_links(events: Vec<cjk::Spanned<'_>>) -> Vec<cjk::Spanned<'_>> {
    // For each link or image open: whether it was dropped.
    let mut open: Vec<bool> = Vec::new();
    events
        .into_iter()
        .filter(|(event, _)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let unsafe_ = is_unsafe_url(dest_url);
                open.push(unsafe_);
                !unsafe_
            }
            Event::End(TagEnd::Link | TagEnd::Image) => !open.pop().unwrap_or(false),
            _ => true,
        })
        .collect()
}

/// Whether `url` runs or embeds something: its scheme, read as browsers
/// read it (case and the control characters and spaces they skip ignored).
fn is_unsafe_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .take_while(|&c| c != ':')
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    url.contains(':') && ["javascript", "vbscript", "data", "file"].contains(&scheme.as_str())
}

/// The events of `src`, with the Chinese rules of [`cjk`] applied, for a
/// writer other than HTML (the Word copy of `docx`): it reads the same
/// text the page shows.
pub fn events(src: &str) -> Vec<Event<'_>> {
    let events: Vec<_> = Parser::new_ext(src, options()).into_offset_iter().collect();
    cjk::apply(events, src)
        .into_iter()
        .map(|(e, _)| e)
        .collect()
}

fn rewrite_links(
    events: &mut [cjk::Spanned<'_>],
    src: &str,
    resolve: &LinkResolver<'_>,
) -> (Vec<Link>, Vec<LinkError>) {
    let mut links = Vec::new();
    let mut errors = Vec::new();
    for (event, range) in events.iter_mut() {
        let (dest, image) = match event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        // Point at the destination itself when it is written out.
        let offset = src
            .get(range.clone())
            .and_then(|link| link.rfind(dest.as_ref()))
            .map_or(range.start, |i| range.start + i);
        let written = dest.to_string();
        match resolve(dest) {
            Ok(new) => {
                if let Some(new) = new {
                    *dest = CowStr::from(new);
                }
                links.push(Link {
                    offset,
                    written,
                    target: dest.to_string(),
                    image,
                });
            }
            Err((message, help)) => errors.push(LinkError {
                offset,
                dest: written,
                message,
                help,
            }),
        }
    }
    (links, errors)
}

/// Gives every heading an id: its own `{#id}`, or one made from its text.
fn name_headings(events: &mut [cjk::Spanned<'_>], anchors: &mut Anchors) {
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i].0 {
            let given = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let new_id = anchors.unique(&given.unwrap_or_else(|| heading_slug(&text)));
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                *id = Some(CowStr::from(new_id));
            }
            i = j;
        }
        i += 1;
    }
}

/// `一、切实提高政治站位` → `一切实提高政治站位`; `Part 2` → `part-2`.
pub fn heading_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !slug.ends_with('-')
            && !slug.is_empty()
        {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug.to_string()
    }
}

/// The text of the events; blocks are separated by a space. (Soft breaks
/// between CJK characters are already gone.)
fn plain_text(events: &[cjk::Spanned<'_>]) -> String {
    let mut text = String::new();
    let mut space = false;
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if space && !text.is_empty() {
                    text.push(' ');
                }
                let mut words = t.split_whitespace().peekable();
                if t.starts_with(char::is_whitespace) && !text.is_empty() && words.peek().is_some()
                {
                    text.push(' ');
                }
                while let Some(w) = words.next() {
                    text.push_str(w);
                    if words.peek().is_some() {
                        text.push(' ');
                    }
                }
                space = t.ends_with(char::is_whitespace);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => space = true,
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests;
