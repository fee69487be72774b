//! Stage 2, the site model: the published notices in order, every index the
//! pages need, the dashboard totals, and each notice's Markdown compiled to
//! HTML with its links resolved.
//!
//! Every index is built in one pass over the notices (sorted newest first),
//! so each is already in page order and costs linear time; pages refer to
//! notices and problems by index instead of copying them.
//!
//! - [`publish`]: which notices are published;
//! - [`links`]: where notices are, for the links between them;
//! - [`compile`]: each notice's Markdown, compiled (and cached for `serve`);
//! - [`rounds`]: the inspection rounds, each problem followed through the
//!   notices of its round, so that every count takes it once.

pub mod compile;
pub mod county;
pub mod ids;
mod indexes;
mod last;
pub mod links;
pub mod publish;
pub mod rounds;
#[cfg(test)]
mod spec_test;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::SiteConfig;
use crate::content::{CategoryId, Notice, Problem, Tally};
use crate::diagnostic::{Code, Diagnostic};
use crate::locate;
use crate::yaml::Seg;

pub use compile::{CompileCache, Html, NoticeHtml, NoticeText};
pub use county::{County, UnitIndex};
pub use ids::{NoticeId, OrgId, RoundId, TagId, TiVec, YearId};
pub use indexes::{CategoryIndex, Group, Year};
use last::LastModel;
use links::LinkTable;
pub use publish::{Publish, Skipped};
pub use rounds::{Entry, Ledger, Round};

/// A problem, by its notice and its place in that notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemRef {
    pub notice: NoticeId,
    pub problem: usize,
}

/// A published notice and what the model made of it: one row of
/// [`Site::notices`].
#[derive(Debug, Clone)]
pub struct NoticeRow {
    pub notice: Arc<Notice>,
    /// Its Markdown, compiled.
    pub html: Arc<NoticeHtml>,
    /// The group of its issuing body.
    pub organization: OrgId,
    pub tags: Arc<[TagId]>,
    /// The inspection round it reports on, if any.
    pub round: Option<RoundId>,
}

/// The whole site, ready to render.
///
/// The indexes are shared, not copied, by a clone: `serve` keeps a clone
/// of its last model, and a save that moved no notice changes only rows
/// (`model/last.rs`).
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// Published notices, newest first, each with what the model made of it.
    pub notices: TiVec<NoticeId, NoticeRow>,
    /// One per configured category, in the configured order.
    pub categories: Arc<TiVec<CategoryId, CategoryIndex>>,
    /// Newest year first.
    pub years: Arc<TiVec<YearId, Year>>,
    /// By pinyin of the name.
    pub organizations: Arc<TiVec<OrgId, Group>>,
    /// By pinyin of the name.
    pub tags: Arc<TiVec<TagId, Group>>,
    /// The inspection rounds and each problem's place in them.
    pub ledger: Arc<Ledger>,
    /// Each unit's column and each county round, when the site has them.
    pub county: Arc<County>,
    /// Every problem counted once, at its latest report.
    pub tally: Tally,
    pub skipped: Vec<Skipped>,
    /// Which model this is, and what it was made from.
    pub lineage: Lineage,
}

/// Which model a [`Site`] is, for what `serve` keeps of the last one.
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    /// Unique among the models of this process.
    pub id: u64,
    /// The model this one was made from (`serve`, after a save that moved
    /// no notice), and the rows that differ from that one's: every other
    /// row, and every index, is that model's.
    pub from: Option<(u64, Vec<NoticeId>)>,
}

impl Lineage {
    /// A model's own: made anew, or from model `from`, whose rows
    /// `edited` it changed.
    fn new(from: Option<(u64, Vec<NoticeId>)>) -> Lineage {
        static MADE: AtomicU64 = AtomicU64::new(0);
        Lineage {
            id: MADE.fetch_add(1, Ordering::Relaxed),
            from,
        }
    }
}

/// Whether a notice was compiled now, with what it found, or taken from
/// the cache.
enum Fresh {
    Compiled(Vec<Diagnostic>),
    Cached,
}

/// Whether the model keeps the notices' sources (their Markdown and file
/// text) once it compiled them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sources {
    /// `serve` compiles again after edits, and keeps the model too, for
    /// the next save to reuse ([`LastModel`]). (A big site's preview has
    /// freed them when it read the notices: it reads again the file of a
    /// notice it must compile.)
    KeepForEdits,
    /// `check` places its findings in them; a build with Word copies
    /// makes the copies from them.
    Keep,
    /// A build needs them no more: free them as soon as each is compiled,
    /// when nothing else holds the notice.
    Drop,
    /// A big site's build: the sources were freed when read, and the
    /// render stage compiles the notices a batch at a time
    /// ([`compile::compile_batch`]). The model holds no compiled HTML and
    /// no texts until then.
    Defer,
}

/// The plain text of each published notice, which the search stage takes.
pub type Texts = TiVec<NoticeId, Arc<NoticeText>>;

impl Site {
    /// Builds the model from loaded notices. Also returns every mistake found
    /// on the way (duplicate slugs, broken links); the site must not be
    /// written when there are any. `failed` are the sources that did not
    /// load (their errors are reported already): links to them are not
    /// reported again.
    ///
    /// A notice whose sources were freed when it was read is read again
    /// from its file under `root` when it must be compiled.
    pub fn build(
        config: SiteConfig,
        notices: Vec<Arc<Notice>>,
        failed: &[PathBuf],
        publish: Publish,
        cache: &mut CompileCache,
        sources: Sources,
        root: &Path,
    ) -> (Site, Texts, Vec<Diagnostic>) {
        // A save that moved no notice reuses the last model.
        let edits = sources == Sources::KeepForEdits;
        let notices = if edits {
            match last::reuse(&config, notices, failed, publish, cache) {
                Ok(made) => return made,
                Err(notices) => notices,
            }
        } else {
            notices
        };
        let given = edits.then(|| notices.clone());
        let mut errors = duplicate_slugs(&notices);
        let (notices, skipped) = publish.select(notices, &config);
        errors.extend(index_numbers(&notices, &config));
        let mut notices = TiVec::from(notices);
        newest_first(&mut notices.raw);

        // Independent passes over the notices; serve redoes them on every
        // save. The rounds before compiling, which may free the sources
        // their errors quote.
        let ((ledger, rounds, follows), ((organizations, orgs), (tags, tags_of))) = rayon::join(
            || Ledger::build_with(&notices, &mut cache.rounds),
            || {
                rayon::join(
                    || indexes::organizations(&notices),
                    || indexes::tags(&notices),
                )
            },
        );
        errors.extend(follows);
        let compiled = compile_all(
            &config,
            &mut notices,
            &skipped,
            failed,
            cache,
            sources,
            root,
        );
        errors.extend(compiled.errors);
        let rows: TiVec<NoticeId, NoticeRow> = notices
            .into_iter()
            .zip(compiled.html)
            .zip(orgs)
            .zip(tags_of)
            .zip(rounds)
            .map(
                |((((notice, html), organization), tags), round)| NoticeRow {
                    notice,
                    html,
                    organization,
                    tags: tags.into(),
                    round,
                },
            )
            .collect();
        let (categories, years) = rayon::join(
            || indexes::categories(&config, &rows, &ledger),
            || indexes::years(&rows),
        );
        let tally = categories
            .iter()
            .fold(Tally::default(), |sum, c| sum.plus(&c.tally));
        let (county, county_errors) = County::build(&config, &rows, &ledger);
        errors.extend(county_errors);
        let site = Site {
            config,
            notices: rows,
            categories: Arc::new(categories),
            years: Arc::new(years),
            organizations: Arc::new(organizations),
            tags: Arc::new(tags),
            ledger: Arc::new(ledger),
            county: Arc::new(county),
            tally,
            skipped,
            lineage: Lineage::new(None),
        };
        if let Some(given) = given
            && errors.is_empty()
        {
            let made = (&site, &compiled.texts);
            let last = LastModel::new(given, failed, publish, made, compiled.link_key);
            cache.last = Some(Box::new(last));
        }
        (site, compiled.texts, errors)
    }

    /// The notice with id `id`.
    pub fn notice(&self, id: NoticeId) -> &Notice {
        &self.notices[id].notice
    }

    /// The site's figures: every problem once, in all and per category,
    /// and those overdue.
    pub fn county_totals(&self) -> county::Figures {
        county::Figures {
            total: self.tally,
            by_category: self.categories.iter().map(|c| c.tally).collect(),
            overdue: self.ledger.rounds.iter().map(|r| r.overdue).sum(),
        }
    }

    pub fn problem(&self, r: ProblemRef) -> &Problem {
        &self.notice(r.notice).problems[r.problem]
    }
}

/// Compiles one notice, reading its file again under `root` when its
/// sources were freed (a big site's preview reads them lean).
fn compile_from_sources(
    n: &Notice,
    root: &Path,
    config: &SiteConfig,
    links: &LinkTable<'_>,
    keys: &[&str],
) -> (NoticeHtml, NoticeText, Vec<Diagnostic>) {
    match crate::load::with_sources(root, n, config) {
        Ok(n) => compile::compile(&n, links, keys),
        Err(errors) => (NoticeHtml::default(), NoticeText::default(), errors),
    }
}

/// Every notice compiled: HTML and plain text in the notices' order, and
/// the mistakes found on the way.
struct CompiledAll {
    html: TiVec<NoticeId, Arc<NoticeHtml>>,
    texts: Texts,
    errors: Vec<Diagnostic>,
    /// What the links were resolved against.
    link_key: u64,
}

/// Compiles each notice (with its mistakes), or takes it from the cache.
fn compile_all(
    config: &SiteConfig,
    notices: &mut TiVec<NoticeId, Arc<Notice>>,
    skipped: &[Skipped],
    failed: &[PathBuf],
    cache: &mut CompileCache,
    sources: Sources,
    root: &Path,
) -> CompiledAll {
    if sources == Sources::Defer {
        // Summaries and counts come with the HTML, in the render stage.
        let none = Arc::new(NoticeHtml::default());
        return CompiledAll {
            html: notices.iter().map(|_| none.clone()).collect(),
            texts: TiVec::default(),
            errors: Vec::new(),
            link_key: 0,
        };
    }
    let links = LinkTable::new(&notices.raw, skipped, failed, cache.links.as_ref());
    let link_key = links.key();
    let keys: Vec<&str> = config.categories.iter().map(|c| c.key.as_str()).collect();
    let cached = &*cache;
    let compiled: Vec<(compile::Compiled, Fresh)> = notices
        .raw
        .par_iter_mut()
        .map(|n| {
            let compiled = match cached.get(n, link_key) {
                Some(c) => (c, Fresh::Cached),
                None => {
                    let (html, text, errors) = compile_from_sources(n, root, config, &links, &keys);
                    ((Arc::new(html), Arc::new(text)), Fresh::Compiled(errors))
                }
            };
            // At once, so that a build never holds every notice's sources
            // and every compiled notice together.
            if sources == Sources::Drop
                && let Some(n) = Arc::get_mut(n)
            {
                n.release_sources();
            }
            compiled
        })
        .collect();
    cache.links = links.made().or(cache.links.take());
    let mut html = TiVec::with_capacity(compiled.len());
    let mut texts = TiVec::with_capacity(compiled.len());
    let mut errors = Vec::new();
    for (n, (c, fresh)) in notices.iter().zip(compiled) {
        match fresh {
            // A notice with mistakes is compiled again next time, so
            // that they are reported again until they are mended.
            Fresh::Compiled(e) if e.is_empty() => cache.put(n, link_key, &c),
            Fresh::Compiled(e) => errors.extend(e),
            Fresh::Cached => {}
        }
        html.push(c.0);
        texts.push(c.1);
    }
    cache.forget_others(&notices.raw);
    CompiledAll {
        html,
        texts,
        errors,
        link_key,
    }
}

/// Sorts notices as the site lists them: newest first, then by slug.
pub fn newest_first(notices: &mut [Arc<Notice>]) {
    // Sorted by keys side by side, not through each notice: `serve` sorts
    // every notice on every save, and the notices are far apart in memory.
    let mut keys: Vec<(Timestamp, &str, usize)> = notices
        .iter()
        .enumerate()
        .map(|(i, n)| (n.date.instant, n.slug.as_str(), i))
        .collect();
    keys.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let sorted: Vec<Arc<Notice>> = keys.iter().map(|k| notices[k.2].clone()).collect();
    drop(keys);
    for (slot, n) in notices.iter_mut().zip(sorted) {
        *slot = n;
    }
}

/// Two notices with one slug would share a page. `notices` are in source
/// order, so the error goes to the later file and names the earlier one.
fn duplicate_slugs(notices: &[Arc<Notice>]) -> Vec<Diagnostic> {
    let mut first: FxHashMap<&str, &Notice> =
        FxHashMap::with_capacity_and_hasher(notices.len(), Default::default());
    let mut errors = Vec::new();
    for n in notices.iter().filter(|n| !n.slug.is_empty()) {
        let Some(earlier) = first.get(n.slug.as_str()) else {
            first.insert(&n.slug, n);
            continue;
        };
        let message = format!("网址 slug“{}”与 {} 重复", n.slug, earlier.source.display());
        let d = locate::field(Code::DuplicateSlug, n, &[Seg::Key("slug")], None, message)
            .help("两篇通报的网址不能相同：请给其中一篇写一个不同的 slug，或改文件名。");
        errors.push(d);
    }
    errors
}

/// 索引号: no two published notices share one; where the site gives a
/// pattern, every published notice has one (a warning: `gongkai new` and
/// `import` write it, a hand-made notice may lack it).
fn index_numbers(notices: &[Arc<Notice>], config: &SiteConfig) -> Vec<Diagnostic> {
    let mut first: FxHashMap<&str, &Notice> =
        FxHashMap::with_capacity_and_hasher(notices.len(), Default::default());
    let mut found = Vec::new();
    for n in notices {
        let Some(number) = n.index_number.as_deref() else {
            if let Some(pattern) = &config.index_number {
                let message = "这篇通报没有索引号（index_number）".to_string();
                let d = locate::field(Code::MissingIndexNumber, n, &[Seg::Key("title")], None, message)
                    .help(format!("site.yaml 要求按“{pattern}”编索引号：gongkai new 和 gongkai import 会自动写上；手写的通报请按这个格式补上 index_number，已发布的编号不要改。"))
                    .as_warning();
                found.push(d);
            }
            continue;
        };
        let Some(earlier) = first.get(number) else {
            first.insert(number, n);
            continue;
        };
        let message = format!("索引号“{number}”与 {} 重复", earlier.source.display());
        let d = locate::field(Code::DuplicateIndexNumber, n, &[Seg::Key("index_number")], None, message)
            .help("每篇通报的索引号必须不同：已经发布的通报保留原来的索引号，给后来的这篇换一个（流水号加一）。");
        found.push(d);
    }
    found
}
