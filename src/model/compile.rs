//! Each notice's Markdown compiled to HTML, with its links resolved, and
//! its plain text for the search stage; kept between builds of `serve` in
//! a [`CompileCache`].

use std::ffi::{OsStr, OsString};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::Serialize;

use crate::content::Notice;
use crate::diagnostic::{Code, Diagnostic, LineIndex};
use crate::locate;
use crate::markdown::{self, Anchors, LinkError, RawHtml};
use crate::routes;
use crate::text;
use crate::yaml::Seg;

use super::last::LastModel;
use super::links::{LinkMaps, LinkTable};
use super::rounds::RoundCache;

/// How long a derived summary may be, in characters.
pub const SUMMARY_CHARS: usize = 120;

/// The line that places the itemised problems inside the body.
pub const PROBLEMS_MARKER: &str = "<!-- problems -->";

/// HTML made from Markdown, with a digest of its bytes: a page that shows
/// it can tell it changed without comparing the whole text. Templates see
/// the text; hashing a view that holds it hashes the digest.
///
/// The text is held as the template engine's own string, marked safe:
/// every page that shows it (its notice, the ledger, a category page)
/// then takes it by reference instead of copying it into its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Html {
    text: tera::Value,
    digest: u64,
}

impl Html {
    pub fn new(text: String) -> Html {
        let mut h = rustc_hash::FxHasher::default();
        text.hash(&mut h);
        Html {
            digest: h.finish(),
            text: tera::Value::safe_string(&text),
        }
    }

    pub fn as_str(&self) -> &str {
        self.text.as_str().unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.as_str().is_empty()
    }
}

impl Default for Html {
    fn default() -> Html {
        Html::new(String::new())
    }
}

impl Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Into a page context, tera clones its own value (a reference
        // count); into anything else, this is the text.
        self.text.serialize(s)
    }
}

impl Hash for Html {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.digest, self.as_str().len()).hash(state);
    }
}

/// A notice's Markdown, compiled.
#[derive(Debug, Clone, Default)]
pub struct NoticeHtml {
    /// The body before the `<!-- problems -->` marker (all of it without one).
    pub body_before: Html,
    /// The body after the marker.
    pub body_after: Html,
    /// Cause and measures of each problem, in the notice's order.
    pub problems: Vec<ProblemHtml>,
    /// The given summary, or one derived from the body.
    pub summary: String,
    pub reading_minutes: usize,
    /// Characters of text, for the page header.
    pub chars: usize,
    /// Its links, for `gongkai check`.
    pub links: Vec<LinkUse>,
    /// [`NoticeHtml::fingerprint`], once made.
    fingerprint: OnceLock<u64>,
}

impl NoticeHtml {
    /// A hash of what a page shows of it (its links are for `check`),
    /// made once: `serve` tells pages apart by what they show on every
    /// save, and a notice's HTML does not change once compiled (a changed
    /// notice is compiled anew).
    pub fn fingerprint(&self) -> u64 {
        *self.fingerprint.get_or_init(|| {
            let mut h = FxHasher::default();
            (&self.body_before, &self.body_after, &self.problems).hash(&mut h);
            (&self.summary, self.reading_minutes, self.chars).hash(&mut h);
            h.finish()
        })
    }
}

/// What a page shows of it, by its fingerprint.
impl Hash for NoticeHtml {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.fingerprint().hash(state);
    }
}

#[derive(Debug, Clone, Default, Hash)]
pub struct ProblemHtml {
    pub cause: Option<Html>,
    pub measures: Option<Html>,
}

/// The plain text of a notice, for the search stage.
#[derive(Debug, Clone, Default)]
pub struct NoticeText {
    pub body: String,
    /// Cause and measures of each problem, in the notice's order.
    pub problems: Vec<String>,
}

/// Where in a notice file a piece of its Markdown is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    /// A line and column of the file (in the body).
    At { line: usize, column: usize },
    /// A Markdown field of a problem; found in the file's text when needed.
    Field { problem: usize, field: &'static str },
}

impl Spot {
    /// An error about the link `dest` written at this spot of `notice`.
    pub fn diagnostic(
        self,
        code: Code,
        notice: &Notice,
        dest: &str,
        message: String,
    ) -> Diagnostic {
        match self {
            Spot::At { line, column } => {
                locate::line(code, notice, line, column, message).width(dest.chars().count())
            }
            Spot::Field { problem, field } => {
                let path = [Seg::Key("problems"), Seg::Index(problem), Seg::Key(field)];
                locate::field(code, notice, &path, Some(dest), message)
            }
        }
    }
}

/// A link written in a notice, kept for `gongkai check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkUse {
    pub spot: Spot,
    /// As written in the Markdown.
    pub written: String,
    /// As it is in the page, relative to the notice page.
    pub target: String,
    pub image: bool,
}

/// A notice's HTML and text, shared by the model and the cache.
pub type Compiled = (Arc<NoticeHtml>, Arc<NoticeText>);

/// Compiled notices kept between builds of `serve`: a notice is compiled
/// again only when its text changed, or when it links to other notices and
/// the set of notices changed. The inspection rounds are kept with them,
/// followed again only when one of their notices changed.
#[derive(Debug, Default)]
pub struct CompileCache {
    /// By the notice's file; its bytes as the key, since hashing a path
    /// goes through its components, ten thousand times on every save.
    entries: FxHashMap<OsString, Cached>,
    pub rounds: RoundCache,
    /// The link table's lookups, made when a notice last resolved a link.
    pub links: Option<LinkMaps>,
    /// The last model, when it had no mistake.
    pub last: Option<Box<LastModel>>,
}

#[derive(Debug)]
struct Cached {
    digest: u64,
    /// The links the notice depends on, when it links to other notices.
    link_key: Option<u64>,
    compiled: Compiled,
}

impl CompileCache {
    pub fn get(&self, n: &Notice, link_key: u64) -> Option<Compiled> {
        let c = self.entries.get(n.source.as_os_str())?;
        (c.digest == n.digest && c.link_key.is_none_or(|k| k == link_key))
            .then(|| c.compiled.clone())
    }

    /// Forgets notices that are gone (renamed, deleted, unpublished).
    pub fn forget_others(&mut self, notices: &[Arc<Notice>]) {
        if self.entries.len() > notices.len() {
            let keep: FxHashSet<&OsStr> = notices.iter().map(|n| n.source.as_os_str()).collect();
            self.entries
                .retain(|source, _| keep.contains(source.as_os_str()));
        }
    }

    pub fn put(&mut self, n: &Notice, link_key: u64, compiled: &Compiled) {
        let links_others = compiled.0.links.iter().any(|l| {
            let path = l.written.split(['#', '?']).next().unwrap_or("");
            path.ends_with(".md") || path.starts_with("/notices/")
        });
        self.entries.insert(
            n.source.clone().into_os_string(),
            Cached {
                digest: n.digest,
                link_key: links_others.then_some(link_key),
                compiled: compiled.clone(),
            },
        );
    }
}

/// Compiles one notice's Markdown: body and problem fields. Broken links
/// are reported, and stay in the HTML as written, so that the rest of the
/// notice is still compiled and checked.
pub fn compile(
    notice: &Notice,
    links: &LinkTable<'_>,
    category_keys: &[&str],
) -> (NoticeHtml, NoticeText, Vec<Diagnostic>) {
    let page_root = routes::root_of(&routes::notice(&notice.slug));
    let resolve = |dest: &str| links.resolve(&notice.source, &page_root, dest);
    // Headings of the text get ids of their own, none that the page's other
    // parts have already.
    let mut anchors = Anchors::default();
    let numbers: Vec<u32> = notice.problems.iter().map(|p| p.number).collect();
    for id in routes::notice_page_ids(category_keys, &numbers) {
        anchors.reserve(id);
    }
    let mut errors = Vec::new();
    let mut uses = Vec::new();
    let body = notice.text.body();
    // The file's lines, made when a link or a mistake first needs a place,
    // and not kept with the notice: most notices have links.
    let file_lines = std::cell::OnceCell::new();
    let body_spot = |offset: usize| {
        let index = file_lines.get_or_init(|| LineIndex::new(&notice.text.text));
        let (line, column) = index.line_col(notice.text.body_start + offset);
        Spot::At { line, column }
    };
    let (before, after, after_offset) = match find_marker(body) {
        Some((start, end)) => (&body[..start], &body[end..], end),
        None => (body, "", body.len()),
    };
    let mut rendered = Vec::new();
    for (md, offset) in [(before, 0), (after, after_offset)] {
        let (r, errs) = render_field(md, &resolve, &mut anchors, RawHtml::Keep, |o| {
            body_spot(offset + o)
        });
        uses.extend(r.links.iter().cloned());
        errors.extend(
            errs.into_iter()
                .map(|(spot, e)| link_error(notice, spot, e)),
        );
        rendered.push(r);
    }
    let (before, after) = (rendered.remove(0), rendered.remove(0));

    let mut text_chars = text::count_chars(&before.text) + text::count_chars(&after.text);
    let mut problems = Vec::with_capacity(notice.problems.len());
    let mut problem_texts = Vec::with_capacity(notice.problems.len());
    for (i, p) in notice.problems.iter().enumerate() {
        let mut field = |name: &'static str, md: &Option<String>| {
            let md = md.as_ref()?;
            let spot = |_| Spot::Field {
                problem: i,
                field: name,
            };
            let (r, errs) = render_field(md, &resolve, &mut anchors, RawHtml::Escape, spot);
            text_chars += text::count_chars(&r.text);
            uses.extend(r.links.iter().cloned());
            errors.extend(
                errs.into_iter()
                    .map(|(spot, e)| link_error(notice, spot, e)),
            );
            Some((r.html, r.text))
        };
        let cause = field("cause", &p.cause);
        let measures = field("measures", &p.measures);
        problem_texts.push(
            [&cause, &measures]
                .into_iter()
                .flatten()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        problems.push(ProblemHtml {
            cause: cause.map(|(h, _)| Html::new(h)),
            measures: measures.map(|(h, _)| Html::new(h)),
        });
    }
    let text = [before.text.as_str(), after.text.as_str()]
        .join(" ")
        .trim()
        .to_string();
    let summary = notice.summary.clone().unwrap_or_else(|| {
        if text.is_empty() {
            let titles: Vec<&str> = notice.problems.iter().map(|p| p.title.as_str()).collect();
            text::summarize(&titles.join("；"), SUMMARY_CHARS)
        } else {
            text::summarize(&text, SUMMARY_CHARS)
        }
    });
    let html = NoticeHtml {
        body_before: Html::new(before.html),
        body_after: Html::new(after.html),
        problems,
        summary,
        reading_minutes: text::reading_minutes(text_chars),
        chars: text_chars,
        links: uses,
        fingerprint: OnceLock::new(),
    };
    let text = NoticeText {
        body: text,
        problems: problem_texts,
    };
    (html, text, errors)
}

/// A notice compiled by [`compile_batch`], or every mistake found in it.
pub type BatchItem = Result<Recompiled, Vec<Diagnostic>>;

/// A notice read again and compiled.
pub struct Recompiled {
    pub html: NoticeHtml,
    pub text: NoticeText,
    /// The notice as read again, with its sources, when the site makes
    /// Word copies from them.
    pub notice: Option<Notice>,
}

/// Compiles a batch of notices whose sources were freed when they were
/// read (a big site's build), in parallel: each is read again from its
/// file under `root`, and refused if the file changed since, which would
/// leave its page at odds with the rest of the site.
pub fn compile_batch(
    root: &Path,
    config: &crate::config::SiteConfig,
    notices: &[Arc<Notice>],
    links: &LinkTable<'_>,
) -> Vec<BatchItem> {
    use rayon::prelude::*;
    let keys: Vec<&str> = config.categories.iter().map(|c| c.key.as_str()).collect();
    notices
        .par_iter()
        .map(|n| {
            let fresh = crate::load::with_sources(root, n, config)?.into_owned();
            let (html, text, errors) = compile(&fresh, links, &keys);
            if !errors.is_empty() {
                return Err(errors);
            }
            let notice = config.word_copies().then_some(fresh);
            Ok(Recompiled { html, text, notice })
        })
        .collect()
}

/// Renders one piece of Markdown; its links are placed with `spot_of`
/// (given the offset in `md`).
fn render_field(
    md: &str,
    resolve: &markdown::LinkResolver<'_>,
    anchors: &mut Anchors,
    raw_html: RawHtml,
    spot_of: impl Fn(usize) -> Spot,
) -> (RenderedField, Vec<(Spot, LinkError)>) {
    let (r, errors) = markdown::render(md, resolve, anchors, raw_html);
    let links = r
        .links
        .into_iter()
        .map(|l| LinkUse {
            spot: spot_of(l.offset),
            written: l.written,
            target: l.target,
            image: l.image,
        })
        .collect();
    let field = RenderedField {
        html: r.html,
        text: r.text,
        links,
    };
    let errors = errors.into_iter().map(|e| (spot_of(e.offset), e)).collect();
    (field, errors)
}

#[derive(Default)]
struct RenderedField {
    html: String,
    text: String,
    links: Vec<LinkUse>,
}

fn link_error(notice: &Notice, spot: Spot, e: LinkError) -> Diagnostic {
    let d = spot.diagnostic(Code::BrokenLink, notice, &e.dest, e.message);
    match e.help {
        Some(h) => d.help(h),
        None => d,
    }
}

/// The byte range of the `<!-- problems -->` line, if the body has one.
pub(crate) fn find_marker(body: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if line.trim() == PROBLEMS_MARKER {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_is_found_on_its_own_line() {
        let body = "前言\n\n <!-- problems --> \n\n结语\n";
        let (s, e) = find_marker(body).unwrap();
        assert_eq!(&body[..s], "前言\n\n");
        assert_eq!(&body[e..], "\n结语\n");
        assert_eq!(find_marker("正文 <!-- problems --> 之中"), None);
    }

    #[test]
    fn html_hashes_by_digest_and_serializes_as_text() {
        let a = Html::new("<p>甲</p>".into());
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"<p>甲</p>\"");
        let digest = |h: &Html| {
            let mut s = rustc_hash::FxHasher::default();
            h.hash(&mut s);
            s.finish()
        };
        assert_eq!(digest(&a), digest(&Html::new("<p>甲</p>".into())));
        assert_ne!(digest(&a), digest(&Html::new("<p>乙</p>".into())));
    }
}
