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
pub mod links;
pub mod publish;
pub mod rounds;
#[cfg(test)]
mod spec_test;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::SiteConfig;
use crate::content::{CategoryId, Notice, Problem, Tally};
use crate::diagnostic::{Code, Diagnostic};
use crate::locate;
use crate::slug;
use crate::yaml::Seg;

pub use compile::{CompileCache, Html, NoticeHtml, NoticeText};
use links::LinkTable;
pub use publish::{Publish, Skipped};
pub use rounds::{Entry, Ledger, Round};

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
    /// Its problems from every notice, newest notice first, in document
    /// order: every report, also of a problem reported again later.
    pub problems: Vec<ProblemRef>,
    /// Notices that name the category but itemise no problem in it.
    pub notices: Vec<usize>,
    /// Notices with problems in the category or naming it.
    pub notice_count: usize,
    /// Each problem whose latest report is in this category, counted once.
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
    /// The inspection rounds and each problem's place in them.
    pub ledger: Ledger,
    /// Every problem counted once, at its latest report.
    pub tally: Tally,
    pub skipped: Vec<Skipped>,
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
    /// `serve` compiles again after edits, `check` places its findings.
    Keep,
    /// A build needs them no more: free them as soon as each is compiled,
    /// when nothing else holds the notice.
    Drop,
}

/// The plain text of each published notice (same order as
/// [`Site::notices`]), which the search stage takes.
pub type Texts = Vec<Arc<NoticeText>>;

impl Site {
    /// Builds the model from loaded notices. Also returns every mistake found
    /// on the way (duplicate slugs, broken links); the site must not be
    /// written when there are any. `failed` are the sources that did not
    /// load (their errors are reported already): links to them are not
    /// reported again.
    pub fn build(
        config: SiteConfig,
        notices: Vec<Arc<Notice>>,
        failed: &[PathBuf],
        publish: Publish,
        cache: &mut CompileCache,
        sources: Sources,
    ) -> (Site, Texts, Vec<Diagnostic>) {
        let mut errors = duplicate_slugs(&notices);
        let (mut notices, skipped) = publish.select(notices, &config);
        newest_first(&mut notices);

        // Before compiling, which may free the sources its errors quote.
        let (ledger, follows) = Ledger::build_with(&notices, &mut cache.rounds);
        errors.extend(follows);
        let links = LinkTable::new(&notices, &skipped, failed);
        let link_key = links.key();
        // Each notice compiled (with its mistakes), or taken from the cache.
        let keys: Vec<&str> = config.categories.iter().map(|c| c.key.as_str()).collect();
        let cached = &*cache;
        let compiled: Vec<(compile::Compiled, Fresh)> = notices
            .par_iter_mut()
            .map(|n| {
                let compiled = match cached.get(n, link_key) {
                    Some(c) => (c, Fresh::Cached),
                    None => {
                        let (html, text, errors) = compile::compile(n, &links, &keys);
                        ((Arc::new(html), Arc::new(text)), Fresh::Compiled(errors))
                    }
                };
                if sources == Sources::Drop
                    && let Some(n) = Arc::get_mut(n)
                {
                    n.release_sources();
                }
                compiled
            })
            .collect();
        let mut html = Vec::with_capacity(compiled.len());
        let mut texts = Vec::with_capacity(compiled.len());
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
        cache.forget_others(&notices);
        // Independent passes over the notices; serve redoes them on every save.
        let ((categories, years), ((organizations, notice_org), (tags, notice_tags))) = rayon::join(
            || {
                (
                    category_indexes(&config, &notices, &ledger),
                    years(&notices),
                )
            },
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
            ledger,
            tally,
            skipped,
        };
        (site, texts, errors)
    }

    pub fn problem(&self, r: ProblemRef) -> &Problem {
        &self.notices[r.notice].problems[r.problem]
    }
}

/// Sorts notices as the site lists them: newest first, then by slug.
pub fn newest_first(notices: &mut [Arc<Notice>]) {
    notices.sort_by(|a, b| {
        b.date
            .instant
            .cmp(&a.date.instant)
            .then_with(|| a.slug.cmp(&b.slug))
    });
}

/// Two notices with one slug would share a page. `notices` are in source
/// order, so the error goes to the later file and names the earlier one.
fn duplicate_slugs(notices: &[Arc<Notice>]) -> Vec<Diagnostic> {
    let mut first: FxHashMap<&str, &Notice> = FxHashMap::default();
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

/// The problems of each category, and its counts: a problem counts in the
/// category of its latest report, once.
fn category_indexes(
    config: &SiteConfig,
    notices: &[Arc<Notice>],
    ledger: &Ledger,
) -> Vec<CategoryIndex> {
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
        if ledger.notice_round[ni].is_none() {
            // Reported once: the notice's own counts are the problems'.
            for (c, tally) in &stats.by_category {
                let index = &mut indexes[c.0];
                index.tally = index.tally.plus(tally);
            }
        } else {
            for (pi, p) in n.problems.iter().enumerate() {
                let r = ProblemRef {
                    notice: ni,
                    problem: pi,
                };
                if let Some((_, entry)) = ledger.entry(r).filter(|(_, e)| e.latest() == r) {
                    let standing = rounds::Standing::of(notices, entry);
                    indexes[p.category.0].tally.count(p, standing.recovered);
                }
            }
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
