//! Full-text search that finds every notice and problem containing the
//! query, exactly, on any static host and from `file://`.
//!
//! **Index.** Text is folded (full-width ASCII to half-width, `A`–`Z` to
//! lowercase), split into runs of word characters at spaces and
//! punctuation, and every run is indexed by its single characters and its
//! overlapping character pairs: `巡察整改` gives 巡 察 整 改 巡察 察整 整改.
//! Latin words and numbers are indexed the same way, lowercased, so that
//! `7230` finds `7230.3元` and a query may start inside a word. No
//! dictionary decides what can be found. Postings are per notice (a notice
//! with its problems), and a second, smaller set covers only titles.
//!
//! **Query.** The same folding and splitting gives the query's terms; the
//! notices holding all of them are the candidates; a notice or problem is a
//! result only if its stored text really contains every space-separated
//! part of the query. Titles matches come first, then the rest; each group
//! newest first (notices are numbered newest first).
//!
//! **Files.** `search/meta.js` is always loaded. Postings are sharded by a
//! hash of the term; each notice's titles and texts are a file of their
//! own, deflated against a dictionary the site shares (`search/dict.js`),
//! so that a query loads a few small shards and the notices of its first
//! results; a small site gets everything in `search/meta.js` alone. Title
//! postings name each title (not just its notice), numbered densely notice
//! after notice, so that a query finds title matches without reading the
//! notices that have none. Each file is a script calling
//! `gongkaiSearch.load(name, data)`, because `file://` pages may load
//! scripts but not fetch data. `assets/search.js` (in the
//! theme) is the browser side of [`SearchIndex::query`]; the two must agree.

mod files;
mod gather;
mod ids;
mod index;
mod live;
mod pack;
mod passes;
mod query;
mod terms;

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::SiteConfig;
use crate::content::Notice;
use crate::model::{NoticeText, Site, Texts};
use crate::output::{Sink, WriteError};
use crate::routes;

use index::Postings;
use terms::Term;

pub use ids::{decode_ids, encode_ids};
pub use live::LiveIndex;
pub use passes::Passes;
pub use query::Matching;
pub use terms::{fold, fold_char, is_term_char, query_parts};

/// Changes when the file format does, so that old pages fail loudly.
pub const FORMAT: u32 = 2;
/// What is searched of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDoc {
    pub title: String,
    /// Site-relative page path.
    pub path: String,
    pub date: String,
    pub date_zh: String,
    pub year: i16,
    pub organization: String,
    /// Bit `i` set: the notice or one of its problems is in category `i`.
    pub categories: u64,
    /// Its unit, on a county's site (the unit's place in `site.yaml`).
    pub unit: Option<usize>,
    /// Title, organization, date, categories and body, as searched.
    pub text: String,
    pub problems: Vec<ProblemDoc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemDoc {
    pub number: u32,
    pub category: usize,
    pub title: String,
    /// Its status as badges show it: `整改中`, `已完成 立行立改`; empty
    /// without a result.
    pub status: String,
    /// Title, cause, measures and result, as searched.
    pub text: String,
}

/// One result: a notice (`problem: None`) or one of its problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hit {
    pub notice: usize,
    pub problem: Option<usize>,
    pub title_match: bool,
}

/// Narrows a query to a year, a category or a unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub year: Option<i16>,
    pub category: Option<usize>,
    pub unit: Option<usize>,
}

/// The search index of a site.
#[derive(Debug, Default)]
pub struct SearchIndex {
    pub notices: Vec<NoticeDoc>,
    /// Where each notice's titles start among all titles (see
    /// [`index::title_starts`]).
    title_starts: Vec<u32>,
    /// Term → notices with the term anywhere, and with it in a title;
    /// split by [`partition`] so that they can be built in parallel.
    postings: Vec<FxHashMap<Term, Postings>>,
    categories: Vec<(String, String)>,
    /// `[slug, short name]` of each unit, on a county's site.
    units: Vec<(String, String)>,
}

impl SearchIndex {
    /// Stage 3: indexes every published notice of the site, taking the
    /// plain texts that the model stage made for it.
    pub fn build(site: &Site, texts: Texts) -> SearchIndex {
        SearchIndex::from_parts(Parts::of(site, texts))
    }

    fn from_parts(parts: Parts) -> SearchIndex {
        let mut index = SearchIndex::from_docs(parts.notices, parts.categories);
        index.units = parts.units;
        index
    }

    /// Writes the files of the index.
    pub fn write(&self, out: &dyn Sink) -> Result<(), WriteError> {
        let layout = files::Layout::new(self);
        layout.write(self, &dictionary_of(self, layout), out)
    }
}

/// The dictionary the texts of `index` are deflated against: none when
/// they are bundled.
fn dictionary_of(index: &SearchIndex, layout: files::Layout) -> Vec<u8> {
    if layout.is_bundle() {
        Vec::new()
    } else {
        pack::dictionary(pack::sample(index.notices.len()).map(|i| &index.notices[i]))
    }
}

/// What the index is made of: the documents of the notices (newest first)
/// and the names a filter shows.
#[derive(Debug, Clone)]
struct Parts {
    notices: Vec<NoticeDoc>,
    categories: Vec<(String, String)>,
    /// `[slug, short name]` of each unit, on a county's site.
    units: Vec<(String, String)>,
}

impl Parts {
    fn of(site: &Site, texts: Texts) -> Parts {
        let config = &site.config;
        let notices = site
            .notices
            .raw
            .par_iter()
            .zip(texts.raw.into_par_iter())
            .map(|(row, text)| notice_doc(config, &row.notice, text))
            .collect();
        Parts {
            notices,
            categories: categories(config),
            units: units(config),
        }
    }
}

/// `[key, name]` of each category, in order.
fn categories(config: &SiteConfig) -> Vec<(String, String)> {
    config
        .categories
        .iter()
        .map(|c| (c.key.clone(), c.name.clone()))
        .collect()
}

/// `[slug, short name]` of each unit, on a county's site (else none).
fn units(config: &SiteConfig) -> Vec<(String, String)> {
    if !config.is_county() {
        return Vec::new();
    }
    config
        .units
        .iter()
        .map(|u| (u.slug.clone(), u.short.clone()))
        .collect()
}

/// The plain texts of a notice: taken when nothing else holds them (a
/// build), copied when `serve` keeps them for the next time.
fn take_text(text: Arc<NoticeText>) -> NoticeText {
    Arc::try_unwrap(text).unwrap_or_else(|shared| (*shared).clone())
}

fn notice_doc(config: &SiteConfig, n: &Notice, text: Arc<NoticeText>) -> NoticeDoc {
    doc_of(config, n, take_text(text))
}

/// What is searched of notice `n`, whose plain texts are `text`.
fn doc_of(config: &SiteConfig, n: &Notice, text: NoticeText) -> NoticeDoc {
    let NoticeText {
        body,
        problems: problem_texts,
    } = text;
    let mut categories = 0u64;
    for c in n.all_categories() {
        categories |= 1 << c.0.min(63);
    }
    let category_names: Vec<&str> = n
        .all_categories()
        .iter()
        .map(|c| config.category(*c).name.as_str())
        .collect();
    let date_zh = n.date.day.chinese();
    // Five header lines, then the body; search.js skips the header in
    // snippets (and the one title line of a problem).
    let mut text = [
        n.title.as_str(),
        &n.organization,
        n.doc_number.as_deref().unwrap_or(""),
        &date_zh,
        &category_names.join(" "),
        &body,
    ]
    .join("\n");
    // The attachments' titles, as the page lists them: found like the body.
    if !n.attachments.is_empty() {
        let titles: Vec<&str> = n.attachments.iter().map(|a| a.title.as_str()).collect();
        text.push_str("\n附件：");
        text.push_str(&titles.join("；"));
    }
    NoticeDoc {
        title: n.title.clone(),
        path: routes::notice(&n.slug),
        date: n.date.day.iso(),
        date_zh,
        year: n.date.day.year(),
        unit: n.unit.filter(|_| config.is_county()).map(|u| u.0),
        organization: n.organization.clone(),
        categories,
        text,
        problems: n
            .problems
            .iter()
            .zip(problem_texts)
            .map(|(p, text)| ProblemDoc {
                number: p.number,
                category: p.category.0,
                title: p.title.clone(),
                status: p.status.map_or_else(String::new, |s| {
                    s.labels()
                        .iter()
                        .map(|(_, l)| *l)
                        .collect::<Vec<_>>()
                        .join(" ")
                }),
                text: [p.title.as_str(), &text, p.result.as_deref().unwrap_or("")].join("\n"),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, text: &str, year: i16) -> NoticeDoc {
        NoticeDoc {
            title: title.into(),
            path: format!("notices/{title}/index.html"),
            date: format!("{year}-01-01"),
            date_zh: format!("{year}年1月1日"),
            year,
            organization: "单位".into(),
            categories: 1,
            unit: Some(usize::from(year == 2021)),
            text: format!("{title}\n{text}"),
            problems: vec![ProblemDoc {
                number: 1,
                category: 0,
                title: "针对考勤管理方面的问题".into(),
                status: "已完成".into(),
                text: "针对考勤管理方面的问题\n退回31626元。".into(),
            }],
        }
    }

    fn index() -> SearchIndex {
        SearchIndex::from_docs(
            vec![
                doc("八项规定专项整治", "正文ABC内容（一）说明", 2022),
                doc("巡察整改通报", "违反中央八项规定精神。7230.3元", 2021),
            ],
            vec![("policy".into(), "政策".into())],
        )
    }

    fn found(q: &str) -> Vec<(usize, Option<usize>, bool)> {
        index()
            .query(q, Filter::default())
            .iter()
            .map(|h| (h.notice, h.problem, h.title_match))
            .collect()
    }

    #[test]
    fn titles_first_then_newer_first() {
        assert_eq!(found("八项规定"), [(0, None, true), (1, None, false)]);
        assert_eq!(found("考勤"), [(0, Some(0), true), (1, Some(0), true)]);
    }

    #[test]
    fn exact_substrings_only() {
        assert!(
            found("规定八项").is_empty(),
            "all pairs present, but not in this order"
        );
        assert_eq!(found("7230"), [(1, None, false)]);
        assert_eq!(found("30.3元"), [(1, None, false)]);
        assert!(found("不存在的话").is_empty());
        assert!(found("，。").is_empty());
    }

    #[test]
    fn width_and_case_fold() {
        assert_eq!(found("ＡＢＣ"), [(0, None, false)]);
        assert_eq!(found("abc"), [(0, None, false)]);
        assert_eq!(found("(一)"), [(0, None, false)]);
        assert_eq!(found("（一）"), [(0, None, false)]);
    }

    #[test]
    fn one_character_and_several_parts() {
        assert_eq!(found("勤").len(), 2);
        assert_eq!(found("八项 7230"), [(1, None, false)]);
    }

    #[test]
    fn filters() {
        let i = index();
        let y = i.query(
            "八项规定",
            Filter {
                year: Some(2021),
                ..Filter::default()
            },
        );
        assert_eq!(y.iter().map(|h| h.notice).collect::<Vec<_>>(), [1]);
        let none = i.query(
            "考勤",
            Filter {
                category: Some(1),
                ..Filter::default()
            },
        );
        assert!(none.is_empty());
        // The unit of the 2021 notice is 1, of the others 0.
        let of_unit = |u| {
            let hits = i.query(
                "八项规定",
                Filter {
                    unit: Some(u),
                    ..Filter::default()
                },
            );
            hits.iter().map(|h| h.notice).collect::<Vec<_>>()
        };
        assert_eq!(of_unit(1), [1]);
        assert!(!of_unit(0).contains(&1));
    }

    /// Keeps what is written, for tests.
    #[derive(Default)]
    struct Files(std::sync::Mutex<Vec<(String, String)>>);

    impl Sink for Files {
        fn write(&self, rel: &str, bytes: &[u8], _: &str) -> Result<(), WriteError> {
            let text = String::from_utf8_lossy(bytes).into_owned();
            self.0.lock().unwrap().push((rel.to_string(), text));
            Ok(())
        }
        fn contains(&self, _: &str) -> bool {
            false
        }
    }

    #[test]
    fn a_small_index_is_one_file() {
        let files = Files::default();
        index().write(&files).unwrap();
        let files = files.0.into_inner().unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "search/meta.js");
        assert!(files[0].1.starts_with("gongkaiSearch.load(\"meta\","));
    }
}
