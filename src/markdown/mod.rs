//! Markdown to HTML with the GitHub extensions, heading anchors, link
//! rewriting and the Chinese rules of [`cjk`].

mod balance;
mod cjk;

use std::collections::{HashMap, HashSet, VecDeque};

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
pub struct Anchors {
    taken: HashSet<String>,
    /// For each base asked for again, the first suffix not yet tried: ids
    /// are never given back, so the ones below it stay taken, and a page
    /// of 50,000 alike headings takes linear time, not quadratic.
    next: HashMap<String, usize>,
}

impl Anchors {
    /// Reserves ids the page uses for other things (e.g. `problem-7`).
    pub fn reserve(&mut self, id: impl Into<String>) {
        self.taken.insert(id.into());
    }

    /// `base`, or `base-1`, `base-2`... if taken.
    pub fn unique(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
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
    // Every stage takes the events as they come and none holds them all:
    // a notice of millions of short paragraphs costs its HTML, not a
    // hundred bytes per event several times over.
    let events = cjk::Apply::new(Parser::new_ext(src, options()).into_offset_iter(), src);
    let events: Box<dyn Iterator<Item = cjk::Spanned<'_>>> = match raw_html {
        // What does not pair is named by `check` (`unbalanced`).
        RawHtml::Keep => Box::new(balance::Balanced::new(events)),
        RawHtml::Escape => Box::new(without_unsafe_links(events.map(html_as_text))),
    };
    let mut found = Links::default();
    let events = events.map(|mut event| {
        found.rewrite(&mut event, src, links);
        event
    });
    let mut text = PlainText::default();
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    html::push_html(
        &mut out,
        Headings::new(events, anchors).map(|(event, _)| {
            text.add(&event);
            event
        }),
    );
    let rendered = Rendered {
        html: out,
        text: text.text,
        links: found.links,
    };
    (rendered, found.errors)
}

/// Raw HTML as text, escaped when written out.
fn html_as_text<'a>((event, range): cjk::Spanned<'a>) -> cjk::Spanned<'a> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => (Event::Text(html), range),
        event => (event, range),
    }
}

/// Links and images whose address would run or embed something instead
/// of leading to a page (`javascript:`, `vbscript:`, `data:`, `file:`)
/// become their text: in fields filled from sources that are not trusted,
/// as raw HTML there is.
fn without_unsafe_links<'a>(
    events: impl Iterator<Item = cjk::Spanned<'a>>,
) -> impl Iterator<Item = cjk::Spanned<'a>> {
    // For each link or image open: whether it was dropped.
    let mut open: Vec<bool> = Vec::new();
    events.filter(move |(event, _)| match event {
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            let unsafe_ = is_unsafe_url(dest_url);
            open.push(unsafe_);
            !unsafe_
        }
        Event::End(TagEnd::Link | TagEnd::Image) => !open.pop().unwrap_or(false),
        _ => true,
    })
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
    let events = Parser::new_ext(src, options()).into_offset_iter();
    cjk::apply(events, src)
        .into_iter()
        .map(|(e, _)| e)
        .collect()
}

/// The links of a rendering: each kept, rewritten or reported.
#[derive(Default)]
struct Links {
    links: Vec<Link>,
    errors: Vec<LinkError>,
}

impl Links {
    /// Rewrites the destination of `event` if it is a link or an image.
    fn rewrite(
        &mut self,
        (event, range): &mut cjk::Spanned<'_>,
        src: &str,
        resolve: &LinkResolver<'_>,
    ) {
        let (dest, image) = match event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => return,
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
                self.links.push(Link {
                    offset,
                    written,
                    target: dest.to_string(),
                    image,
                });
            }
            Err((message, help)) => self.errors.push(LinkError {
                offset,
                dest: written,
                message,
                help,
            }),
        }
    }
}

/// Gives every heading an id: its own `{#id}`, or one made from its text.
/// A heading's events are held until its end, for its text; the rest pass.
struct Headings<'a, 'b, I> {
    events: I,
    anchors: &'b mut Anchors,
    /// A heading's events, its id given, still to pass.
    ready: VecDeque<cjk::Spanned<'a>>,
}

impl<'a, 'b, I: Iterator<Item = cjk::Spanned<'a>>> Headings<'a, 'b, I> {
    fn new(events: I, anchors: &'b mut Anchors) -> Self {
        Headings {
            events,
            anchors,
            ready: VecDeque::new(),
        }
    }
}

impl<'a, I: Iterator<Item = cjk::Spanned<'a>>> Iterator for Headings<'a, '_, I> {
    type Item = cjk::Spanned<'a>;

    fn next(&mut self) -> Option<cjk::Spanned<'a>> {
        if let Some(held) = self.ready.pop_front() {
            return Some(held);
        }
        let (mut start, range) = self.events.next()?;
        let Event::Start(Tag::Heading { id, .. }) = &mut start else {
            return Some((start, range));
        };
        let given = id.as_ref().map(|s| s.to_string());
        let mut text = String::new();
        for (event, range) in self.events.by_ref() {
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            self.ready.push_back((event, range));
            if end {
                break;
            }
        }
        *id = Some(CowStr::from(
            self.anchors
                .unique(&given.unwrap_or_else(|| heading_slug(&text))),
        ));
        Some((start, range))
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
#[derive(Default)]
struct PlainText {
    text: String,
    /// A space is due before the next text.
    space: bool,
}

impl PlainText {
    fn add(&mut self, event: &Event<'_>) {
        let text = &mut self.text;
        match event {
            Event::Text(t) | Event::Code(t) => {
                if self.space && !text.is_empty() {
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
                self.space = t.ends_with(char::is_whitespace);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => self.space = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
