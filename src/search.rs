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
//! hash of the term, and the titles and texts of notices are stored in
//! chunks of consecutive notices, so that a query loads only a few small
//! files; a small site gets everything in `search/meta.js` alone. Title
//! postings name each title (not just its notice), so that a query finds
//! title matches without reading the titles of notices that have none. Each file
//! is a script calling `gongkaiSearch.load(name, data)`, because `file://`
//! pages may load scripts but not fetch data. `assets/search.js` (in the
//! theme) is the browser side of [`SearchIndex::query`]; the two must agree.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::Notice;
use crate::output::{Sink, WriteError};
use crate::render::view::notice_path;
use crate::site::{NoticeHtml, Site};
use std::sync::Arc;

/// Changes when the file format does, so that old pages fail loudly.
pub const FORMAT: u32 = 1;

/// A site whose search data is smaller than this gets a single file.
const BUNDLE_BYTES: usize = 256 * 1024;
/// Aimed size of one postings shard.
const SHARD_BYTES: usize = 24 * 1024;
/// Aimed size of a chunk of notice texts, and of notice titles.
const CHUNK_BYTES: usize = 32 * 1024;

/// Folds a character for matching: full-width ASCII and the ideographic
/// space to half-width, then ASCII letters to lowercase.
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Characters that are indexed (after folding): letters, digits, Han,
/// kana; not spaces, punctuation or symbols.
pub fn is_term_char(c: char) -> bool {
    match c as u32 {
        0x30..=0x39 | 0x61..=0x7A => true,
        0..=0x7F => false,
        0x80..=0xBF | 0xD7 | 0xF7 => false,
        0x2000..=0x2BFF => false,
        0x3005 | 0x3007 => true,
        0x3000..=0x303F => false,
        0xFE30..=0xFE6F => false,
        0xFF00..=0xFFEF => false,
        _ => !c.is_whitespace(),
    }
}

/// A term: one character, or two in a row, packed into a number.
pub type Term = u64;

fn term(a: char, b: Option<char>) -> Term {
    ((a as u64) << 32) | b.map_or(0, |b| b as u64)
}

fn term_text(t: Term) -> String {
    let a = char::from_u32((t >> 32) as u32).unwrap_or('\u{FFFD}');
    match char::from_u32((t & 0xFFFF_FFFF) as u32) {
        Some(b) if t & 0xFFFF_FFFF != 0 => format!("{a}{b}"),
        _ => a.to_string(),
    }
}

/// The runs of term characters of folded text.
fn runs(folded: &str) -> impl Iterator<Item = Vec<char>> + '_ {
    folded
        .split(|c: char| !is_term_char(c))
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().collect())
}

/// Adds every term of a text to `out`: its characters and its pairs.
fn index_terms(text: &str, out: &mut FxHashSet<Term>) {
    let mut previous: Option<char> = None;
    for c in text.chars().map(fold_char) {
        if !is_term_char(c) {
            previous = None;
            continue;
        }
        out.insert(term(c, None));
        if let Some(p) = previous {
            out.insert(term(p, Some(c)));
        }
        previous = Some(c);
    }
}

/// The terms a query part needs: pairs, or the single character of a run
/// of one.
fn query_terms(folded_part: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    for run in runs(folded_part) {
        if run.len() == 1 {
            terms.push(term(run[0], None));
        }
        terms.extend(run.windows(2).map(|w| term(w[0], Some(w[1]))));
    }
    terms
}

/// Splits a query into its folded, space-separated parts.
pub fn query_parts(query: &str) -> Vec<String> {
    fold(query).split_whitespace().map(str::to_string).collect()
}

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
    /// Title, organization, date, categories and body, as searched.
    pub text: String,
    pub problems: Vec<ProblemDoc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemDoc {
    pub number: u32,
    pub category: usize,
    pub title: String,
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

/// Narrows a query to a year or a category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub year: Option<i16>,
    pub category: Option<usize>,
}

/// The search index of a site.
#[derive(Debug, Default)]
pub struct SearchIndex {
    pub notices: Vec<NoticeDoc>,
    /// Term → notices with the term anywhere, and with it in a title;
    /// split by [`partition`] so that they can be built in parallel.
    postings: Vec<FxHashMap<Term, Postings>>,
    categories: Vec<(String, String)>,
}

#[derive(Debug, Default, Clone)]
struct Postings {
    all: Ids,
    titles: Ids,
}

/// Sorted notice ids: a list while few, a bitmap once that is smaller.
#[derive(Debug, Clone)]
enum Ids {
    List(Vec<u32>),
    Bits(Vec<u64>),
}

impl Default for Ids {
    fn default() -> Ids {
        Ids::List(Vec::new())
    }
}

impl Ids {
    /// Adds an id larger than every id so far (of `count` ids in all).
    fn push(&mut self, id: u32, count: usize) {
        match self {
            Ids::List(list) => {
                if list.last() == Some(&id) {
                    return;
                }
                list.push(id);
                if list.len() * 32 > count {
                    let mut bits = vec![0u64; count.div_ceil(64)];
                    for &i in list.iter() {
                        bits[i as usize / 64] |= 1 << (i % 64);
                    }
                    *self = Ids::Bits(bits);
                }
            }
            Ids::Bits(bits) => bits[id as usize / 64] |= 1 << (id % 64),
        }
    }

    fn to_vec(&self) -> Vec<u32> {
        match self {
            Ids::List(list) => list.clone(),
            Ids::Bits(bits) => bits
                .iter()
                .enumerate()
                .flat_map(|(w, word)| {
                    (0..64)
                        .filter(move |b| word & (1 << b) != 0)
                        .map(move |b| (w * 64 + b) as u32)
                })
                .collect(),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Ids::List(list) => list.is_empty(),
            Ids::Bits(bits) => bits.iter().all(|w| *w == 0),
        }
    }

    /// About how many bytes its encoding takes.
    fn size(&self) -> usize {
        match self {
            Ids::List(list) => 2 * list.len(),
            Ids::Bits(bits) => bits.len() * 11,
        }
    }
}

/// Titles are numbered notice × `TITLE_SLOTS` + slot: slot 0 is the
/// notice's title, slot `k` its `k`-th problem's. The last slot is shared
/// by every problem past it (a notice rarely has more than a hundred).
pub const TITLE_SLOTS: u32 = 128;

fn title_id(notice: usize, slot: usize) -> u32 {
    notice as u32 * TITLE_SLOTS + (slot as u32).min(TITLE_SLOTS - 1)
}

/// The problems a title slot stands for.
fn slot_problems(slot: u32, problems: usize) -> std::ops::Range<usize> {
    let first = slot as usize - 1;
    if slot == TITLE_SLOTS - 1 {
        first.min(problems)..problems
    } else {
        first.min(problems)..(first + 1).min(problems)
    }
}

/// How many parts the postings are split into, to be built in parallel.
const PARTS: usize = 16;

/// Which part of the postings holds a term.
fn partition(t: Term) -> usize {
    (t.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60) as usize % PARTS
}

/// How many notices' terms are gathered before they are merged.
const BATCH: usize = 512;

impl SearchIndex {
    /// Indexes every published notice of the site. The plain texts are
    /// moved out of the site model (pages need only its HTML).
    pub fn build(site: &mut Site) -> SearchIndex {
        let config = &site.config;
        let notices: Vec<NoticeDoc> = site
            .notices
            .par_iter()
            .zip(site.html.par_iter_mut())
            .map(|(n, html)| notice_doc(config, n, html))
            .collect();
        let categories = site
            .config
            .categories
            .iter()
            .map(|c| (c.key.clone(), c.name.clone()))
            .collect();
        SearchIndex::from_docs(notices, categories)
    }

    /// Indexes documents (in rank order: newest notice first).
    pub fn from_docs(notices: Vec<NoticeDoc>, categories: Vec<(String, String)>) -> SearchIndex {
        let count = notices.len();
        let mut postings: Vec<FxHashMap<Term, Postings>> = vec![FxHashMap::default(); PARTS];
        // The terms of a batch of notices are found in parallel, then each
        // part of the postings takes its own terms, also in parallel; ids
        // are added in order, so every list stays sorted.
        for (b, batch) in notices.chunks(BATCH).enumerate() {
            let terms: Vec<(ByPart, Vec<ByPart>)> = batch
                .par_iter()
                .map_init(FxHashSet::default, doc_terms)
                .collect();
            let title_count = count * TITLE_SLOTS as usize;
            postings.par_iter_mut().enumerate().for_each(|(part, map)| {
                for (k, (all, titles)) in terms.iter().enumerate() {
                    let notice = b * BATCH + k;
                    for t in all.part(part) {
                        map.entry(*t).or_default().all.push(notice as u32, count);
                    }
                    for (slot, terms) in titles.iter().enumerate() {
                        let id = title_id(notice, slot);
                        for t in terms.part(part) {
                            map.entry(*t).or_default().titles.push(id, title_count);
                        }
                    }
                }
            });
        }
        SearchIndex {
            notices,
            postings,
            categories,
        }
    }

    /// Every result for `query`, in rank order.
    pub fn query(&self, query: &str, filter: Filter) -> Vec<Hit> {
        let parts = query_parts(query);
        let Some((all, titles)) = self.candidates(&parts) else {
            return Vec::new();
        };
        let contains = |text: &str| {
            let folded = fold(text);
            parts.iter().all(|p| folded.contains(p.as_str()))
        };
        let mut hits: Vec<Hit> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for id in titles {
            let (notice, slot) = ((id / TITLE_SLOTS) as usize, id % TITLE_SLOTS);
            if !self.admits(notice, filter) {
                continue;
            }
            let n = &self.notices[notice];
            let problems = if slot == 0 {
                0..0
            } else {
                slot_problems(slot, n.problems.len())
            };
            if slot == 0 && self.notice_in(n, filter) && contains(&n.title) {
                hits.push(Hit {
                    notice,
                    problem: None,
                    title_match: true,
                });
            }
            for pi in problems {
                let p = &n.problems[pi];
                if filter.category.is_none_or(|c| p.category == c) && contains(&p.title) {
                    hits.push(Hit {
                        notice,
                        problem: Some(pi),
                        title_match: true,
                    });
                }
            }
        }
        seen.extend(hits.iter().map(|h| (h.notice, h.problem)));
        for notice in all.into_iter().map(|id| id as usize) {
            if !self.admits(notice, filter) {
                continue;
            }
            let n = &self.notices[notice];
            let mut found = Vec::new();
            if self.notice_in(n, filter) && contains(&n.text) {
                found.push(None);
            }
            for (pi, p) in n.problems.iter().enumerate() {
                if filter.category.is_none_or(|c| p.category == c) && contains(&p.text) {
                    found.push(Some(pi));
                }
            }
            for problem in found.into_iter().filter(|p| !seen.contains(&(notice, *p))) {
                hits.push(Hit {
                    notice,
                    problem,
                    title_match: false,
                });
            }
        }
        hits
    }

    /// Notices holding every term of the query anywhere, and the titles
    /// holding every term (as title ids: notice × [`TITLE_SLOTS`] + slot).
    fn candidates(&self, parts: &[String]) -> Option<(Vec<u32>, Vec<u32>)> {
        let terms: Vec<Term> = parts.iter().flat_map(|p| query_terms(p)).collect();
        if terms.is_empty() {
            return None;
        }
        let lists: Vec<&Postings> = terms
            .iter()
            .map(|t| self.postings[partition(*t)].get(t))
            .collect::<Option<_>>()?;
        let all: Vec<Vec<u32>> = lists.iter().map(|p| p.all.to_vec()).collect();
        let titles: Vec<Vec<u32>> = lists.iter().map(|p| p.titles.to_vec()).collect();
        let all = intersect(all.iter().map(Vec::as_slice));
        let titles = intersect(titles.iter().map(Vec::as_slice));
        Some((all, titles))
    }

    /// Whether a notice's year passes the filter.
    fn admits(&self, notice: usize, filter: Filter) -> bool {
        filter.year.is_none_or(|y| self.notices[notice].year == y)
    }

    /// Whether the notice itself (not a problem) passes the category filter.
    fn notice_in(&self, n: &NoticeDoc, filter: Filter) -> bool {
        filter.category.is_none_or(|c| n.categories & (1 << c) != 0)
    }

    /// Writes the files of the index.
    pub fn write(&self, out: &dyn Sink) -> Result<(), WriteError> {
        Layout::new(self).write(self, out)
    }
}

/// Intersects sorted lists.
fn intersect<'a>(lists: impl Iterator<Item = &'a [u32]>) -> Vec<u32> {
    let mut lists: Vec<&[u32]> = lists.collect();
    lists.sort_by_key(|l| l.len());
    let Some((first, rest)) = lists.split_first() else {
        return Vec::new();
    };
    first
        .iter()
        .copied()
        .filter(|id| rest.iter().all(|l| l.binary_search(id).is_ok()))
        .collect()
}

/// The plain texts of a notice and of its problems: taken when nothing else
/// holds them (a build), copied when they are kept for the next (serve).
fn take_texts(html: &mut Arc<NoticeHtml>) -> (String, Vec<String>) {
    match Arc::get_mut(html) {
        Some(h) => (
            std::mem::take(&mut h.text),
            h.problems
                .iter_mut()
                .map(|p| std::mem::take(&mut p.text))
                .collect(),
        ),
        None => (
            html.text.clone(),
            html.problems.iter().map(|p| p.text.clone()).collect(),
        ),
    }
}

fn notice_doc(config: &SiteConfig, n: &Notice, html: &mut Arc<NoticeHtml>) -> NoticeDoc {
    let (body, problem_texts) = take_texts(html);
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
    let text = [
        n.title.as_str(),
        &n.organization,
        n.doc_number.as_deref().unwrap_or(""),
        &date_zh,
        &category_names.join(" "),
        &body,
    ]
    .join("\n");
    NoticeDoc {
        title: n.title.clone(),
        path: notice_path(&n.slug),
        date: n.date.day.iso(),
        date_zh,
        year: n.date.day.year(),
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
                text: [p.title.as_str(), &text, p.result.as_deref().unwrap_or("")].join("\n"),
            })
            .collect(),
    }
}

/// The distinct terms of a notice anywhere, and of each of its titles
/// (notice title first, then the problems').
fn doc_terms(set: &mut FxHashSet<Term>, n: &NoticeDoc) -> (ByPart, Vec<ByPart>) {
    set.clear();
    index_terms(&n.text, set);
    for p in &n.problems {
        index_terms(&p.text, set);
    }
    let all = ByPart::new(set);
    let titles = std::iter::once(&n.title)
        .chain(n.problems.iter().map(|p| &p.title))
        .map(|title| {
            set.clear();
            index_terms(title, set);
            ByPart::new(set)
        })
        .collect();
    (all, titles)
}

/// Terms grouped by [`partition`], so that each part of the postings
/// finds its own without looking at the others'.
struct ByPart {
    terms: Vec<Term>,
    starts: [u32; PARTS + 1],
}

impl ByPart {
    fn new(set: &FxHashSet<Term>) -> ByPart {
        let mut starts = [0u32; PARTS + 1];
        for &t in set {
            starts[partition(t) + 1] += 1;
        }
        for p in 0..PARTS {
            starts[p + 1] += starts[p];
        }
        let mut next = starts;
        let mut terms = vec![0; set.len()];
        for &t in set {
            let slot = &mut next[partition(t)];
            terms[*slot as usize] = t;
            *slot += 1;
        }
        ByPart { terms, starts }
    }

    fn part(&self, p: usize) -> &[Term] {
        &self.terms[self.starts[p] as usize..self.starts[p + 1] as usize]
    }
}

/// The 64 characters of the encodings; all are safe in JSON and URLs.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";

/// Encodes sorted ids as the shorter of two forms: `d` + gaps in base 32
/// (a digit of 32–63 means more digits follow), or `b` + a bitmap of
/// `count` bits, six to a character.
pub fn encode_ids(ids: &[u32], count: usize) -> String {
    let mut gaps = String::from("d");
    let mut last = 0u32;
    for (i, &id) in ids.iter().enumerate() {
        let mut n = if i == 0 { id } else { id - last };
        last = id;
        while n >= 32 {
            gaps.push(DIGITS[32 + (n & 31) as usize] as char);
            n >>= 5;
        }
        gaps.push(DIGITS[n as usize] as char);
    }
    let bitmap_len = count.div_ceil(6) + 1;
    if gaps.len() <= bitmap_len {
        return gaps;
    }
    let mut bits = vec![0u8; count.div_ceil(6)];
    for &id in ids {
        bits[id as usize / 6] |= 1 << (id % 6);
    }
    std::iter::once('b')
        .chain(bits.into_iter().map(|b| DIGITS[b as usize] as char))
        .collect()
}

/// Reads what [`encode_ids`] wrote.
pub fn decode_ids(s: &str) -> Vec<u32> {
    let value = |b: u8| DIGITS.iter().position(|d| *d == b).unwrap_or(0) as u32;
    let mut ids = Vec::new();
    match s.as_bytes().split_first() {
        Some((b'b', bits)) => {
            for (i, b) in bits.iter().enumerate() {
                let v = value(*b);
                for bit in 0..6 {
                    if v & (1 << bit) != 0 {
                        ids.push((i * 6 + bit) as u32);
                    }
                }
            }
        }
        Some((b'd', digits)) => {
            let (mut n, mut shift, mut last) = (0u32, 0u32, 0u32);
            for b in digits {
                let v = value(*b);
                n |= (v & 31) << shift;
                shift += 5;
                if v < 32 {
                    last = if ids.is_empty() { n } else { last + n };
                    ids.push(last);
                    n = 0;
                    shift = 0;
                }
            }
        }
        _ => {}
    }
    ids
}

/// FNV-1a over the code points of a term: which shard holds it.
pub fn shard_of(term: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811C_9DC5;
    for c in term.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    (h as usize) % shards.max(1)
}

/// How the index is split into files.
struct Layout {
    shards: usize,
    /// Notices per chunk of texts.
    text_chunk: usize,
    bundle: bool,
}

impl Layout {
    fn new(index: &SearchIndex) -> Layout {
        let postings: usize = index
            .postings
            .iter()
            .flat_map(|part| part.values())
            .map(|p| 16 + p.all.size() + p.titles.size())
            .sum();
        let texts: usize = index
            .notices
            .iter()
            .map(|d| {
                let titles: usize = d.problems.iter().map(|p| 16 + p.title.len()).sum();
                80 + d.title.len()
                    + d.text.len()
                    + titles
                    + d.problems.iter().map(|p| p.text.len()).sum::<usize>()
            })
            .sum();
        let count = index.notices.len().max(1);
        let per_chunk = |total: usize| (CHUNK_BYTES * count / total.max(1)).clamp(1, 256);
        if postings + texts < BUNDLE_BYTES {
            return Layout {
                shards: 1,
                text_chunk: count,
                bundle: true,
            };
        }
        Layout {
            shards: postings.div_ceil(SHARD_BYTES).next_power_of_two(),
            text_chunk: per_chunk(texts),
            bundle: false,
        }
    }

    fn write(&self, index: &SearchIndex, out: &dyn Sink) -> Result<(), WriteError> {
        let count = index.notices.len();
        let mut terms: Vec<BTreeMap<String, Vec<String>>> = vec![BTreeMap::new(); self.shards];
        for (t, p) in index.postings.iter().flat_map(|part| part.iter()) {
            let text = term_text(*t);
            let mut lists = vec![encode_ids(&p.all.to_vec(), count)];
            if !p.titles.is_empty() {
                lists.push(encode_ids(&p.titles.to_vec(), count * TITLE_SLOTS as usize));
            }
            terms[shard_of(&text, self.shards)].insert(text, lists);
        }
        fn texts(chunk: &[NoticeDoc]) -> Vec<TextRecord<'_>> {
            chunk.iter().map(TextRecord::new).collect()
        }
        let mut meta = Meta {
            format: FORMAT,
            notices: count,
            shards: self.shards,
            text_chunk: self.text_chunk,
            title_slots: TITLE_SLOTS,
            categories: &index.categories,
            years: years(&index.notices),
            masks: index.notices.iter().map(|n| n.categories).collect(),
            bundle: None,
        };
        if self.bundle {
            meta.bundle = Some(Bundle {
                terms,
                texts: vec![texts(&index.notices)],
            });
            return out.write("search/meta.js", script("meta", &meta).as_bytes(), "search");
        }
        out.write("search/meta.js", script("meta", &meta).as_bytes(), "search")?;
        terms.par_iter().enumerate().try_for_each(|(i, shard)| {
            out.write(
                &format!("search/t/{i}.js"),
                script(&format!("t/{i}"), shard).as_bytes(),
                "search",
            )
        })?;
        index
            .notices
            .par_chunks(self.text_chunk)
            .enumerate()
            .try_for_each(|(i, chunk)| {
                out.write(
                    &format!("search/x/{i}.js"),
                    script(&format!("x/{i}"), &texts(chunk)).as_bytes(),
                    "search",
                )
            })
    }
}

/// Notice ids of each year: `[year, first, end]`, newest first.
fn years(notices: &[NoticeDoc]) -> Vec<(i16, usize, usize)> {
    let mut years: Vec<(i16, usize, usize)> = Vec::new();
    for (i, n) in notices.iter().enumerate() {
        match years.last_mut() {
            Some(last) if last.0 == n.year => last.2 = i + 1,
            _ => years.push((n.year, i, i + 1)),
        }
    }
    years
}

#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    notices: usize,
    shards: usize,
    text_chunk: usize,
    /// Titles are numbered notice × this + slot.
    title_slots: u32,
    /// `[key, name]` of each category, in order.
    categories: &'a [(String, String)],
    years: Vec<(i16, usize, usize)>,
    /// Category bits of each notice.
    masks: Vec<u64>,
    /// Everything, for a small site.
    #[serde(skip_serializing_if = "Option::is_none")]
    bundle: Option<Bundle<'a>>,
}

#[derive(Serialize)]
struct Bundle<'a> {
    terms: Vec<BTreeMap<String, Vec<String>>>,
    texts: Vec<Vec<TextRecord<'a>>>,
}

/// All a notice's results need: `[title, path, date, date_zh,
/// organization, [[number, category, title]...], text, [problem text...]]`.
#[derive(Serialize)]
struct TextRecord<'a>(
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Vec<(u32, usize, &'a str)>,
    &'a str,
    Vec<&'a str>,
);

impl<'a> TextRecord<'a> {
    fn new(n: &'a NoticeDoc) -> TextRecord<'a> {
        TextRecord(
            &n.title,
            &n.path,
            &n.date,
            &n.date_zh,
            &n.organization,
            n.problems
                .iter()
                .map(|p| (p.number, p.category, p.title.as_str()))
                .collect(),
            &n.text,
            n.problems.iter().map(|p| p.text.as_str()).collect(),
        )
    }
}

/// A script that hands `data` to the search page.
fn script<T: Serialize>(name: &str, data: &T) -> String {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
    // `</script>` cannot occur in JSON text that is escaped like this.
    let json = json.replace("</", "<\\/");
    format!("gongkaiSearch.load({name:?},{json});\n")
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
            text: format!("{title}\n{text}"),
            problems: vec![ProblemDoc {
                number: 1,
                category: 0,
                title: "针对考勤管理方面的问题".into(),
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
    fn folding() {
        assert_eq!(fold("ＡＢＣ（一）　Ｘｙ"), "abc(一) xy");
        assert!(is_term_char('整') && is_term_char('7') && is_term_char('a'));
        assert!(
            !is_term_char('，') && !is_term_char('(') && !is_term_char('“') && !is_term_char(' ')
        );
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
                category: None,
            },
        );
        assert_eq!(y.iter().map(|h| h.notice).collect::<Vec<_>>(), [1]);
        let none = i.query(
            "考勤",
            Filter {
                year: None,
                category: Some(1),
            },
        );
        assert!(none.is_empty());
    }

    #[test]
    fn ids_round_trip_in_both_encodings() {
        let sparse = vec![3, 40, 1000, 1001, 70_000];
        let e = encode_ids(&sparse, 100_000);
        assert!(e.starts_with('d'));
        assert_eq!(decode_ids(&e), sparse);
        let dense: Vec<u32> = (0..1000).filter(|i| i % 3 != 0).collect();
        let e = encode_ids(&dense, 1000);
        assert!(e.starts_with('b'), "{e}");
        assert_eq!(decode_ids(&e), dense);
        assert_eq!(decode_ids(&encode_ids(&[], 10)), Vec::<u32>::new());
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

    #[test]
    fn ids_turn_into_bitmaps_when_dense() {
        let mut ids = Ids::default();
        for i in 0..40 {
            ids.push(i * 2, 100);
        }
        assert!(matches!(ids, Ids::Bits(_)));
        assert_eq!(ids.to_vec(), (0..40).map(|i| i * 2).collect::<Vec<u32>>());
    }

    #[test]
    fn terms_survive_the_file_format() {
        assert_eq!(term_text(term('整', Some('改'))), "整改");
        assert_eq!(term_text(term('a', None)), "a");
        assert_eq!(shard_of("整改", 1), 0);
        assert!(shard_of("整改", 64) < 64);
    }
}
