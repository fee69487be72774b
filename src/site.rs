//! Stage 2, the site model: the published notices in order, every index the
//! pages need, the dashboard totals, and each notice's Markdown compiled to
//! HTML with its links resolved.
//!
//! Every index is built in one pass over the notices (sorted newest first),
//! so each is already in page order and costs linear time; pages refer to
//! notices and problems by index instead of copying them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::SiteConfig;
use crate::content::{CategoryId, Notice, Problem, Tally};
use crate::diagnostic::Diagnostic;
use crate::load::{CONTENT_DIR, locate_in_file};
use crate::markdown::{self, Anchors, LinkError};
use crate::slug;
use crate::text;
use crate::yaml::Seg;

/// How long a derived summary may be, in characters.
pub const SUMMARY_CHARS: usize = 120;

/// The line that places the itemised problems inside the body.
pub const PROBLEMS_MARKER: &str = "<!-- problems -->";

/// Choices that change which notices are published.
#[derive(Debug, Clone, Copy, Default)]
pub struct Publish {
    /// Include drafts (and, with them, notices not yet approved).
    pub drafts: bool,
}

/// A problem, by its notice and its place in that notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemRef {
    pub notice: usize,
    pub problem: usize,
}

/// Everything shown about one category.
#[derive(Debug, Clone)]
pub struct CategoryIndex {
    pub id: CategoryId,
    /// Its problems from every notice, newest notice first, in document order.
    pub problems: Vec<ProblemRef>,
    /// Notices that name the category but itemise no problem in it.
    pub notices: Vec<usize>,
    /// Notices with problems in the category or naming it.
    pub notice_count: usize,
    pub tally: Tally,
}

/// Notices grouped under a name: an organization or a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub slug: String,
    pub notices: Vec<usize>,
}

/// One year of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    pub year: i16,
    pub notices: Vec<usize>,
}

/// A notice left out of the site, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub source: PathBuf,
    pub slug: String,
    pub reason: String,
}

/// A notice's Markdown, compiled.
#[derive(Debug, Clone, Default)]
pub struct NoticeHtml {
    /// The body before the `<!-- problems -->` marker (all of it without one).
    pub body_before: String,
    /// The body after the marker.
    pub body_after: String,
    /// Cause and measures of each problem, in the notice's order.
    pub problems: Vec<ProblemHtml>,
    /// Plain text of the body, for search.
    pub text: String,
    /// The given summary, or one derived from the body.
    pub summary: String,
    pub reading_minutes: usize,
    /// Characters of text, for the page header.
    pub chars: usize,
    /// Its links, for `gongkai check`.
    pub links: Vec<LinkUse>,
    /// Unique to this compilation: pages showing it can tell it changed.
    pub stamp: u64,
}

#[derive(Debug, Clone, Default)]
pub struct ProblemHtml {
    pub cause: Option<String>,
    pub measures: Option<String>,
    /// Plain text of cause and measures, for search.
    pub text: String,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    /// Published notices, newest first.
    pub notices: Vec<Arc<Notice>>,
    /// Compiled Markdown of `notices`, same order.
    pub html: Vec<Arc<NoticeHtml>>,
    /// One per configured category, in the configured order.
    pub categories: Vec<CategoryIndex>,
    /// Newest year first.
    pub years: Vec<Year>,
    /// By pinyin of the name.
    pub organizations: Vec<Group>,
    /// By pinyin of the name.
    pub tags: Vec<Group>,
    /// The organization and tag of each notice, as indexes into the groups.
    pub notice_org: Vec<usize>,
    pub notice_tags: Vec<Vec<usize>>,
    pub tally: Tally,
    pub skipped: Vec<Skipped>,
}

impl Site {
    /// Builds the model from loaded notices. Also returns every mistake found
    /// on the way (duplicate slugs, broken links); the site must not be
    /// written when there are any. `failed` are the sources that did not
    /// load (their errors are reported already): links to them are not
    /// reported again.
    pub fn build(
        root: &Path,
        config: SiteConfig,
        notices: Vec<Arc<Notice>>,
        failed: &[PathBuf],
        publish: Publish,
        cache: &mut CompileCache,
    ) -> (Site, Vec<Diagnostic>) {
        let mut errors = duplicate_slugs(root, &notices);
        let (mut notices, skipped) = select(notices, &config, publish);
        notices.sort_by(|a, b| {
            b.date
                .instant
                .cmp(&a.date.instant)
                .then_with(|| a.slug.cmp(&b.slug))
        });

        let links = LinkTable::new(&notices, &skipped, failed);
        let link_key = links.key();
        // Each notice's HTML, and whether it was compiled now (not cached).
        type Compiled = Result<(Arc<NoticeHtml>, bool), Vec<Diagnostic>>;
        let compiled: Vec<Compiled> = notices
            .par_iter()
            .map(|n| match cache.get(n, link_key) {
                Some(html) => Ok((html, false)),
                None => compile(root, n, &links).map(|h| (Arc::new(h), true)),
            })
            .collect();
        let mut html = Vec::with_capacity(compiled.len());
        for (n, c) in notices.iter().zip(compiled) {
            match c {
                Ok((h, fresh)) => {
                    if fresh {
                        cache.put(n, link_key, &h);
                    }
                    html.push(h);
                }
                Err(ds) => {
                    errors.extend(ds);
                    html.push(Arc::default());
                }
            }
        }

        cache.forget_others(&notices);
        // Independent passes over the notices; serve redoes them on every save.
        let ((categories, years), ((organizations, notice_org), (tags, notice_tags))) = rayon::join(
            || (category_indexes(&config, &notices), years(&notices)),
            || rayon::join(|| organizations(&notices), || tags(&notices)),
        );
        let tally = categories
            .iter()
            .fold(Tally::default(), |sum, c| sum.plus(&c.tally));
        let site = Site {
            config,
            notices,
            html,
            categories,
            years,
            organizations,
            tags,
            notice_org,
            notice_tags,
            tally,
            skipped,
        };
        (site, errors)
    }

    pub fn problem(&self, r: ProblemRef) -> &Problem {
        &self.notices[r.notice].problems[r.problem]
    }

    /// Frees the Markdown of the notices, once compiled, when nothing else
    /// holds them (a build; `serve` keeps them to compile again).
    pub fn drop_sources(&mut self) {
        for n in &mut self.notices {
            if let Some(n) = Arc::get_mut(n) {
                n.body = String::new();
                for p in &mut n.problems {
                    p.cause = None;
                    p.measures = None;
                }
            }
        }
    }
}

/// Compiled notices kept between builds of `serve`: a notice is compiled
/// again only when it changed, or when it links to other notices and the
/// set of notices changed.
#[derive(Debug, Default)]
pub struct CompileCache {
    entries: FxHashMap<PathBuf, Cached>,
}

#[derive(Debug)]
struct Cached {
    version: u64,
    /// The links the notice depends on, when it links to other notices.
    link_key: Option<u64>,
    html: Arc<NoticeHtml>,
}

impl CompileCache {
    fn get(&self, n: &Notice, link_key: u64) -> Option<Arc<NoticeHtml>> {
        let c = self.entries.get(&n.source)?;
        (c.version == n.version && c.link_key.is_none_or(|k| k == link_key)).then(|| c.html.clone())
    }

    /// Forgets notices that are gone (renamed, deleted, unpublished).
    fn forget_others(&mut self, notices: &[Arc<Notice>]) {
        if self.entries.len() > notices.len() {
            let keep: FxHashSet<&Path> = notices.iter().map(|n| n.source.as_path()).collect();
            self.entries
                .retain(|source, _| keep.contains(source.as_path()));
        }
    }

    fn put(&mut self, n: &Notice, link_key: u64, html: &Arc<NoticeHtml>) {
        let links_others = html.links.iter().any(|l| {
            let path = l.written.split(['#', '?']).next().unwrap_or("");
            path.ends_with(".md") || path.starts_with("/notices/")
        });
        self.entries.insert(
            n.source.clone(),
            Cached {
                version: n.version,
                link_key: links_others.then_some(link_key),
                html: html.clone(),
            },
        );
    }
}

/// Drafts and (when review is required) unapproved notices stay out.
fn select(
    notices: Vec<Arc<Notice>>,
    config: &SiteConfig,
    publish: Publish,
) -> (Vec<Arc<Notice>>, Vec<Skipped>) {
    let mut kept = Vec::with_capacity(notices.len());
    let mut skipped = Vec::new();
    for n in notices {
        let reason = if n.draft && !publish.drafts {
            Some("草稿（draft: true），未发布；预览草稿请加 --drafts".to_string())
        } else if config.require_review && !n.is_approved() && !publish.drafts {
            let missing = n.review.clone().unwrap_or_default().missing().join("、");
            Some(format!("site.yaml 要求审批后发布，这篇还缺少：{missing}"))
        } else {
            None
        };
        match reason {
            Some(reason) => skipped.push(Skipped {
                source: n.source.clone(),
                slug: n.slug.clone(),
                reason,
            }),
            None => kept.push(n),
        }
    }
    (kept, skipped)
}

/// Two notices with one slug would share a page. `notices` are in source
/// order, so the error goes to the later file and names the earlier one.
fn duplicate_slugs(root: &Path, notices: &[Arc<Notice>]) -> Vec<Diagnostic> {
    let mut first: FxHashMap<&str, &Notice> = FxHashMap::default();
    let mut errors = Vec::new();
    for n in notices.iter().filter(|n| !n.slug.is_empty()) {
        let Some(earlier) = first.get(n.slug.as_str()) else {
            first.insert(&n.slug, n);
            continue;
        };
        let d = locate_in_file(
            root,
            &n.source,
            &[Seg::Key("slug")],
            None,
            format!("网址 slug“{}”与 {} 重复", n.slug, earlier.source.display()),
        )
        .help("两篇通报的网址不能相同：请给其中一篇写一个不同的 slug，或改文件名。")
        .code("duplicate-slug");
        errors.push(d);
    }
    errors
}

/// Where notices are, for rewriting and checking links between them. The
/// lookup tables are made when a link is first resolved: `serve`, which
/// compiles one notice after an edit, often needs none.
pub struct LinkTable<'a> {
    published: &'a [Arc<Notice>],
    skipped: &'a [Skipped],
    failed: &'a [PathBuf],
    maps: std::sync::OnceLock<Maps>,
}

struct Maps {
    /// Source path relative to `content/` → slug of a published notice.
    by_source: HashMap<PathBuf, String>,
    published: HashSet<String>,
    /// Notices that exist but are not published, with the reason.
    unpublished_sources: HashMap<PathBuf, String>,
    unpublished_slugs: HashMap<String, String>,
    /// Files that failed to load: their errors are reported already.
    failed: HashSet<PathBuf>,
}

impl<'a> LinkTable<'a> {
    fn new(
        published: &'a [Arc<Notice>],
        skipped: &'a [Skipped],
        failed: &'a [PathBuf],
    ) -> LinkTable<'a> {
        LinkTable {
            published,
            skipped,
            failed,
            maps: std::sync::OnceLock::new(),
        }
    }

    fn maps(&self) -> &Maps {
        self.maps.get_or_init(|| Maps {
            by_source: self
                .published
                .iter()
                .map(|n| (content_relative(&n.source), n.slug.clone()))
                .collect(),
            published: self.published.iter().map(|n| n.slug.clone()).collect(),
            unpublished_sources: self
                .skipped
                .iter()
                .map(|s| (content_relative(&s.source), s.reason.clone()))
                .collect(),
            unpublished_slugs: self
                .skipped
                .iter()
                .map(|s| (s.slug.clone(), s.reason.clone()))
                .collect(),
            failed: self.failed.iter().map(|p| content_relative(p)).collect(),
        })
    }

    /// A fingerprint of everything links resolve against: a notice whose
    /// links were resolved under another key must be compiled again.
    fn key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        for n in self.published {
            (&n.source, &n.slug).hash(&mut h);
        }
        for s in self.skipped {
            (&s.source, &s.slug, &s.reason).hash(&mut h);
        }
        self.failed.hash(&mut h);
        h.finish()
    }

    /// Resolves a link written in the notice `from` (a source path) on a
    /// page `root` away from the site root.
    pub fn resolve(
        &self,
        from: &Path,
        root: &str,
        dest: &str,
    ) -> Result<Option<String>, (String, Option<String>)> {
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
            return Ok(None);
        }
        let (path, fragment) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        if path.ends_with(".md") {
            let target = if let Some(abs) = path.strip_prefix('/') {
                normalize(Path::new(abs))
            } else {
                normalize(
                    &content_relative(from)
                        .parent()
                        .unwrap_or(Path::new(""))
                        .join(path),
                )
            };
            if let Some(slug) = self.maps().by_source.get(&target) {
                return Ok(Some(format!("{root}notices/{slug}/index.html{fragment}")));
            }
            if self.maps().failed.contains(&target) {
                return Ok(None);
            }
            if let Some(reason) = self.maps().unpublished_sources.get(&target) {
                return Err((
                    format!("链接指向的通报 {path} 不会发布"),
                    Some(format!("它是{reason}")),
                ));
            }
            return Err((
                format!("链接指向的通报 {path} 不存在"),
                Some(format!(
                    "找的是 content/{}。链接里的 .md 文件名相对于本文件所在的文件夹，例如同一文件夹里的 2021-xiangqiao.md。",
                    target.display()
                )),
            ));
        }
        if let Some(site_path) = path.strip_prefix('/') {
            if let Some(rest) = site_path.strip_prefix("notices/") {
                let slug = rest.split('/').next().unwrap_or("");
                let is_page = !slug.is_empty() && !slug.contains('.') && slug != "page";
                if let (true, Some(reason)) = (is_page, self.maps().unpublished_slugs.get(slug)) {
                    return Err((
                        format!("链接指向的通报 /notices/{slug}/ 不会发布"),
                        Some(format!("它是{reason}")),
                    ));
                }
                if is_page && !self.maps().published.contains(slug) {
                    return Err((
                        format!("链接指向的通报 /notices/{slug}/ 不存在"),
                        Some(
                            "请检查网址里的 slug 是否与那篇通报的 slug（默认是文件名）一致。"
                                .into(),
                        ),
                    ));
                }
            }
            let file = if site_path.is_empty() || site_path.ends_with('/') {
                format!("{site_path}index.html")
            } else {
                site_path.to_string()
            };
            return Ok(Some(format!("{root}{file}{fragment}")));
        }
        Ok(None)
    }
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// `content/notices/a.md` → `notices/a.md`.
fn content_relative(source: &Path) -> PathBuf {
    normalize(source.strip_prefix(CONTENT_DIR).unwrap_or(source))
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(part) => out.push(part),
            _ => {}
        }
    }
    out
}

/// Compiles one notice's Markdown; the raw Markdown is moved out.
/// Where in a notice file a piece of its Markdown is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    /// A line and column of the file (in the body).
    At { line: usize, column: usize },
    /// A Markdown field of a problem; found again in the file when needed.
    Field { problem: usize, field: &'static str },
}

impl Spot {
    /// An error about the link `dest` written at this spot of `source`.
    pub fn diagnostic(self, root: &Path, source: &Path, dest: &str, message: String) -> Diagnostic {
        match self {
            Spot::At { line, column } => {
                let text = std::fs::read_to_string(root.join(source)).unwrap_or_default();
                Diagnostic::error(source, message)
                    .at(line, column)
                    .with_source(&text)
                    .width(dest.chars().count())
            }
            Spot::Field { problem, field } => {
                let path = [Seg::Key("problems"), Seg::Index(problem), Seg::Key(field)];
                locate_in_file(root, source, &path, Some(dest), message)
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

/// Compiles one notice's Markdown.
fn compile(
    root: &Path,
    notice: &Notice,
    links: &LinkTable<'_>,
) -> Result<NoticeHtml, Vec<Diagnostic>> {
    let source = notice.source.clone();
    let resolve = |dest: &str| links.resolve(&source, NOTICE_ROOT, dest);
    let mut anchors = Anchors::default();
    for p in &notice.problems {
        anchors.reserve(p.anchor());
    }
    let mut errors = Vec::new();
    let mut uses = Vec::new();
    let body = &notice.body;
    let body_spot = |offset: usize| {
        let (line, column) = crate::diagnostic::line_col(body, offset);
        Spot::At {
            line: notice.body_line + line - 1,
            column,
        }
    };
    let (before, after, after_offset) = match find_marker(body) {
        Some((start, end)) => (&body[..start], &body[end..], end),
        None => (body.as_str(), "", body.len()),
    };
    let mut rendered = Vec::new();
    for (md, offset) in [(before, 0), (after, after_offset)] {
        let (r, errs) = render_field(md, &resolve, &mut anchors, |o| body_spot(offset + o));
        uses.extend(r.links.iter().cloned());
        errors.extend(
            errs.into_iter()
                .map(|(spot, e)| link_error(root, &source, spot, e)),
        );
        rendered.push(r);
    }
    let (before, after) = (rendered.remove(0), rendered.remove(0));

    let mut text_chars = text::count_chars(&before.text) + text::count_chars(&after.text);
    let mut problems = Vec::with_capacity(notice.problems.len());
    for (i, p) in notice.problems.iter().enumerate() {
        let mut field = |name: &'static str, md: &Option<String>| {
            let md = md.as_ref()?;
            let spot = |_| Spot::Field {
                problem: i,
                field: name,
            };
            let (r, errs) = render_field(md, &resolve, &mut anchors, spot);
            text_chars += text::count_chars(&r.text);
            uses.extend(r.links.iter().cloned());
            errors.extend(
                errs.into_iter()
                    .map(|(spot, e)| link_error(root, &source, spot, e)),
            );
            Some((r.html, r.text))
        };
        let cause = field("cause", &p.cause);
        let measures = field("measures", &p.measures);
        let text = [&cause, &measures]
            .into_iter()
            .flatten()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        problems.push(ProblemHtml {
            cause: cause.map(|(h, _)| h),
            measures: measures.map(|(h, _)| h),
            text,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let text = [before.text.as_str(), after.text.as_str()]
        .join(" ")
        .trim()
        .to_string();
    let summary = notice.summary.clone().unwrap_or_else(|| {
        let text = if text.is_empty() {
            notice
                .problems
                .iter()
                .map(|p| p.title.as_str())
                .collect::<Vec<_>>()
                .join("；")
        } else {
            text.clone()
        };
        text::summarize(&text, SUMMARY_CHARS)
    });
    Ok(NoticeHtml {
        body_before: before.html,
        body_after: after.html,
        problems,
        text,
        summary,
        reading_minutes: text::reading_minutes(text_chars),
        chars: text_chars,
        links: uses,
        stamp: next_stamp(),
    })
}

fn next_stamp() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The way from a notice page back to the site root.
pub const NOTICE_ROOT: &str = "../../";

/// Renders one piece of Markdown; its links are placed with `spot_of`
/// (given the offset in `md`).
fn render_field(
    md: &str,
    resolve: &markdown::LinkResolver<'_>,
    anchors: &mut Anchors,
    spot_of: impl Fn(usize) -> Spot,
) -> (RenderedField, Vec<(Spot, LinkError)>) {
    match markdown::render(md, resolve, anchors) {
        Ok(r) => {
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
            (field, Vec::new())
        }
        Err(es) => {
            let errors = es.into_iter().map(|e| (spot_of(e.offset), e)).collect();
            (RenderedField::default(), errors)
        }
    }
}

#[derive(Default)]
struct RenderedField {
    html: String,
    text: String,
    links: Vec<LinkUse>,
}

fn link_error(root: &Path, source: &Path, spot: Spot, e: LinkError) -> Diagnostic {
    let d = spot
        .diagnostic(root, source, &e.dest, e.message)
        .code("broken-link");
    match e.help {
        Some(h) => d.help(h),
        None => d,
    }
}

/// The byte range of the `<!-- problems -->` line, if the body has one.
fn find_marker(body: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if line.trim() == PROBLEMS_MARKER {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

fn category_indexes(config: &SiteConfig, notices: &[Arc<Notice>]) -> Vec<CategoryIndex> {
    let mut indexes: Vec<CategoryIndex> = (0..config.categories.len())
        .map(|i| CategoryIndex {
            id: CategoryId(i),
            problems: Vec::new(),
            notices: Vec::new(),
            notice_count: 0,
            tally: Tally::default(),
        })
        .collect();
    for (ni, n) in notices.iter().enumerate() {
        // The notice's own counts, made once per notice and kept with it.
        let stats = n.stats();
        for (pi, c) in stats.problem_categories.iter().enumerate() {
            indexes[c.0].problems.push(ProblemRef {
                notice: ni,
                problem: pi,
            });
        }
        for (c, tally) in &stats.by_category {
            let index = &mut indexes[c.0];
            index.tally = index.tally.plus(tally);
        }
        for c in &n.categories {
            if stats.by_category.iter().all(|(pc, _)| pc != c) {
                indexes[c.0].notices.push(ni);
            }
        }
        for c in n.all_categories() {
            indexes[c.0].notice_count += 1;
        }
    }
    indexes
}

fn years(notices: &[Arc<Notice>]) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for (i, n) in notices.iter().enumerate() {
        let y = n.date.day.year();
        match years.last_mut() {
            Some(last) if last.year == y => last.notices.push(i),
            _ => years.push(Year {
                year: y,
                notices: vec![i],
            }),
        }
    }
    years
}

/// Groups notices by name; names sort by their pinyin slug.
fn group_by<'a>(
    notices: &'a [Arc<Notice>],
    names_of: impl Fn(&'a Notice) -> Vec<&'a str>,
    fallback: &str,
) -> (Vec<Group>, Vec<Vec<usize>>) {
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, n) in notices.iter().enumerate() {
        for name in names_of(n) {
            let list = members.entry(name).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let names: Vec<&str> = members.keys().copied().collect();
    let slugs = slug::unique_slugs(names.iter().copied(), fallback);
    let mut groups: Vec<Group> = members
        .into_iter()
        .zip(slugs)
        .map(|((name, notices), slug)| Group {
            name: name.to_string(),
            slug,
            notices,
        })
        .collect();
    groups.sort_by(|a, b| a.slug.cmp(&b.slug));
    let mut of_notice = vec![Vec::new(); notices.len()];
    for (gi, g) in groups.iter().enumerate() {
        for &n in &g.notices {
            of_notice[n].push(gi);
        }
    }
    (groups, of_notice)
}

fn organizations(notices: &[Arc<Notice>]) -> (Vec<Group>, Vec<usize>) {
    let (groups, of_notice) = group_by(notices, |n| vec![n.organization.as_str()], "organization");
    let of_notice = of_notice
        .into_iter()
        .map(|g| g.first().copied().unwrap_or(0))
        .collect();
    (groups, of_notice)
}

fn tags(notices: &[Arc<Notice>]) -> (Vec<Group>, Vec<Vec<usize>>) {
    group_by(
        notices,
        |n| n.tags.iter().map(String::as_str).collect(),
        "tag",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> LinkTable<'static> {
        let mut maps = Maps {
            by_source: HashMap::new(),
            published: HashSet::new(),
            unpublished_sources: HashMap::new(),
            unpublished_slugs: HashMap::new(),
            failed: HashSet::new(),
        };
        maps.by_source
            .insert(PathBuf::from("notices/a.md"), "a".into());
        maps.by_source
            .insert(PathBuf::from("2020/b.md"), "bee".into());
        maps.published.extend(["a".to_string(), "bee".to_string()]);
        maps.unpublished_sources
            .insert(PathBuf::from("notices/draft.md"), "草稿".into());
        LinkTable {
            published: &[],
            skipped: &[],
            failed: &[],
            maps: std::sync::OnceLock::from(maps),
        }
    }

    #[test]
    fn links_to_source_files_become_relative_page_links() {
        let t = table();
        let from = Path::new("content/notices/x.md");
        assert_eq!(
            t.resolve(from, "../../", "a.md"),
            Ok(Some("../../notices/a/index.html".into()))
        );
        assert_eq!(
            t.resolve(from, "../../", "../2020/b.md#problem-3"),
            Ok(Some("../../notices/bee/index.html#problem-3".into()))
        );
        assert_eq!(
            t.resolve(from, "../../", "/2020/b.md"),
            Ok(Some("../../notices/bee/index.html".into()))
        );
        assert!(
            t.resolve(from, "../../", "missing.md")
                .unwrap_err()
                .0
                .contains("不存在")
        );
        assert!(
            t.resolve(from, "../../", "draft.md")
                .unwrap_err()
                .0
                .contains("不会发布")
        );
    }

    #[test]
    fn site_paths_become_relative_and_name_the_file() {
        let t = table();
        let from = Path::new("content/notices/x.md");
        assert_eq!(
            t.resolve(from, "../../", "/notices/a/"),
            Ok(Some("../../notices/a/index.html".into()))
        );
        assert_eq!(
            t.resolve(from, "../../", "/categories/policy/"),
            Ok(Some("../../categories/policy/index.html".into()))
        );
        assert_eq!(
            t.resolve(from, "../../", "/files/a.pdf"),
            Ok(Some("../../files/a.pdf".into()))
        );
        assert_eq!(
            t.resolve(from, "../../", "/"),
            Ok(Some("../../index.html".into()))
        );
        assert!(t.resolve(from, "../../", "/notices/nope/").is_err());
    }

    #[test]
    fn other_links_are_kept() {
        let t = table();
        let from = Path::new("content/notices/x.md");
        for dest in [
            "https://www.gov.cn/",
            "mailto:a@b.cn",
            "#problem-1",
            "images/a.png",
            "tel:0768-2100022",
            "//cdn/x",
        ] {
            assert_eq!(t.resolve(from, "../../", dest), Ok(None), "{dest}");
        }
    }

    #[test]
    fn marker_is_found_on_its_own_line() {
        let body = "前言\n\n <!-- problems --> \n\n结语\n";
        let (s, e) = find_marker(body).unwrap();
        assert_eq!(&body[..s], "前言\n\n");
        assert_eq!(&body[e..], "\n结语\n");
        assert_eq!(find_marker("正文 <!-- problems --> 之中"), None);
    }
}
