//! The files of the index: how the postings are sharded and the texts
//! stored, so that a query loads only a few small files, and the script
//! form that `file://` pages can load.
//!
//! The texts are most of the index: one file per notice, deflated against
//! the site's dictionary (see [`super::pack`]).

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rayon::prelude::*;
use serde::Serialize;

use super::ids::encode_ids;
use super::pack::{deflate, packed_script};
use super::terms::{Term, term_text};
use super::{FORMAT, NoticeDoc, SearchIndex};
use crate::output::{Sink, WriteError};
use crate::routes;

/// A site whose search data is smaller than this gets a single file.
const BUNDLE_BYTES: usize = 256 * 1024;
/// Aimed size of one postings shard: a query loads one for each pair of
/// characters it has, so they are small.
const SHARD_BYTES: usize = 8 * 1024;

/// Which shard holds a term: FNV-1a over its code points (`search.js`
/// hashes the query's terms the same way).
pub(super) fn shard_of_term(t: Term, shards: usize) -> usize {
    let mut h: u32 = 0x811C_9DC5;
    for c in [(t >> 32) as u32, (t & 0xFFFF_FFFF) as u32] {
        if c == 0 {
            break;
        }
        h ^= c;
        h = h.wrapping_mul(0x0100_0193);
    }
    (h as usize) % shards.max(1)
}

/// How the index is split into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    shards: usize,
    bundle: bool,
}

impl Layout {
    pub(super) fn new(index: &SearchIndex) -> Layout {
        let texts = index.notices.iter().map(text_size).sum();
        Layout::sized(postings_size(index), texts)
    }

    /// The layout of an index whose postings and texts take about these
    /// many bytes.
    pub(super) fn sized(postings: usize, texts: usize) -> Layout {
        if postings + texts < BUNDLE_BYTES {
            return Layout {
                shards: 1,
                bundle: true,
            };
        }
        Layout {
            shards: postings.div_ceil(SHARD_BYTES).next_power_of_two(),
            bundle: false,
        }
    }

    /// The postings lists of every term in the shards `wanted` picks,
    /// encoded: each of those shards, with its terms (none, too). Encoded
    /// and sorted in parallel: a large site has millions of terms.
    fn shard_terms(
        &self,
        index: &SearchIndex,
        wanted: &(dyn Fn(usize) -> bool + Sync),
    ) -> Vec<(usize, BTreeMap<String, Vec<String>>)> {
        let count = index.notices.len();
        let titles = titles(index);
        let mut entries: Vec<(usize, String, Vec<String>)> = index
            .postings
            .par_iter()
            .flat_map_iter(|part| part.iter())
            .filter_map(|(t, p)| {
                let shard = shard_of_term(*t, self.shards);
                if !wanted(shard) {
                    return None;
                }
                let mut lists = vec![encode_ids(&p.all.to_vec(), count)];
                if !p.titles.is_empty() {
                    lists.push(encode_ids(&p.titles.to_vec(), titles));
                }
                Some((shard, term_text(*t), lists))
            })
            .collect();
        entries.par_sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut terms = Vec::new();
        let mut entries = entries.into_iter().peekable();
        for shard in (0..self.shards).filter(|&s| wanted(s)) {
            // Built from sorted entries, each map is made in one go.
            let mut mine = Vec::new();
            while let Some((_, text, lists)) = entries.next_if(|e| e.0 == shard) {
                mine.push((text, lists));
            }
            terms.push((shard, mine.into_iter().collect()));
        }
        terms
    }

    /// Writes every file of the index; `dict` is
    /// [`super::pack::dictionary`] of its notices.
    pub(super) fn write(
        &self,
        index: &SearchIndex,
        dict: &[u8],
        out: &dyn Sink,
    ) -> Result<(), WriteError> {
        self.write_meta(index, out)?;
        if self.bundle {
            return Ok(());
        }
        self.write_shards(index, &|_| true, out)?;
        write_dictionary(dict, out)?;
        write_texts(0, &index.notices, dict, &|_| true, out)
    }

    /// Whether a query loads everything from `search/meta.js` alone.
    pub(super) fn is_bundle(&self) -> bool {
        self.bundle
    }

    /// How many shards the postings are split into.
    pub(super) fn shards(&self) -> usize {
        self.shards
    }

    /// `search/meta.js`: with everything, when the index is bundled.
    pub(super) fn write_meta(&self, index: &SearchIndex, out: &dyn Sink) -> Result<(), WriteError> {
        let meta = self.meta(index);
        out.write(
            &routes::search_meta(),
            script("meta", &meta).as_bytes(),
            "search",
        )
    }

    /// The shards `wanted` picks.
    pub(super) fn write_shards(
        &self,
        index: &SearchIndex,
        wanted: &(dyn Fn(usize) -> bool + Sync),
        out: &dyn Sink,
    ) -> Result<(), WriteError> {
        self.shard_terms(index, wanted)
            .par_iter()
            .try_for_each(|(i, shard)| {
                out.write(
                    &routes::search_terms(*i),
                    script(&format!("t/{i}"), shard).as_bytes(),
                    "search",
                )
            })
    }

    fn meta<'a>(&self, index: &'a SearchIndex) -> Meta<'a> {
        Meta {
            format: FORMAT,
            notices: index.notices.len(),
            shards: self.shards,
            title_starts: encode_ids(&index.title_starts, titles(index) + 1),
            categories: &index.categories,
            years: years(&index.notices),
            masks: index.notices.iter().map(|n| n.categories).collect(),
            units: &index.units,
            unit_of: if index.units.is_empty() {
                Vec::new()
            } else {
                // Past the last unit: a notice of none.
                let none = index.units.len();
                index
                    .notices
                    .iter()
                    .map(|n| n.unit.unwrap_or(none))
                    .collect()
            },
            bundle: self.bundle.then(|| Bundle {
                terms: self
                    .shard_terms(index, &|_| true)
                    .into_iter()
                    .map(|(_, terms)| terms)
                    .collect(),
                texts: index.notices.iter().map(TextRecord::new).collect(),
            }),
        }
    }
}

/// About how many bytes the postings of `index` take in the files.
pub(super) fn postings_size(index: &SearchIndex) -> usize {
    index
        .postings
        .iter()
        .flat_map(|part| part.values())
        .map(|p| 16 + p.all.size() + p.titles.size())
        .sum()
}

/// About how many bytes a notice's texts take in the files.
pub(super) fn text_size(d: &NoticeDoc) -> usize {
    let titles: usize = d.problems.iter().map(|p| 16 + p.title.len()).sum();
    let texts: usize = d.problems.iter().map(|p| p.text.len()).sum();
    80 + d.title.len() + d.text.len() + titles + texts
}

/// Whether texts of this size may yet be bundled with everything else in
/// one file (if the postings are small too).
pub(super) fn may_bundle(texts: usize) -> bool {
    texts < BUNDLE_BYTES
}

/// `search/dict.js`: the dictionary, itself deflated.
pub(super) fn write_dictionary(dict: &[u8], out: &dyn Sink) -> Result<(), WriteError> {
    out.write(
        &routes::search_dictionary(),
        format!(
            "gongkaiSearch.load(\"dict\",\"{}\");\n",
            BASE64.encode(deflate(dict, b""))
        )
        .as_bytes(),
        "search",
    )
}

/// The texts of `docs`, the notices from `first` on, that `wanted` picks
/// (by notice id), each deflated against `dict`.
pub(super) fn write_texts(
    first: usize,
    docs: &[NoticeDoc],
    dict: &[u8],
    wanted: &(dyn Fn(usize) -> bool + Sync),
    out: &dyn Sink,
) -> Result<(), WriteError> {
    docs.par_iter()
        .enumerate()
        .map(|(k, doc)| (first + k, doc))
        .filter(|(i, _)| wanted(*i))
        .try_for_each(|(i, doc)| write_text(i, doc, dict, out))
}

/// Notice `i`'s texts, deflated against `dict`.
fn write_text(i: usize, notice: &NoticeDoc, dict: &[u8], out: &dyn Sink) -> Result<(), WriteError> {
    let json = TextRecord::new(notice).to_json();
    out.write(
        &routes::search_texts(i),
        packed_script(&format!("x/{i}"), &json, dict).as_bytes(),
        "search",
    )
}

/// How many titles the notices have (their own and their problems').
fn titles(index: &SearchIndex) -> usize {
    index.title_starts.last().map_or(0, |&t| t as usize)
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
    /// Where each notice's titles start among all titles (its own title,
    /// then its problems'), and the number of titles, as a list of ids.
    title_starts: String,
    /// `[key, name]` of each category, in order.
    categories: &'a [(String, String)],
    years: Vec<(i16, usize, usize)>,
    /// Category bits of each notice.
    masks: Vec<u64>,
    /// `[slug, short name]` of each unit, on a county's site.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    units: &'a [(String, String)],
    /// The unit of each notice (its index in `units`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unit_of: Vec<usize>,
    /// Everything, for a small site.
    #[serde(skip_serializing_if = "Option::is_none")]
    bundle: Option<Bundle<'a>>,
}

#[derive(Serialize)]
struct Bundle<'a> {
    terms: Vec<BTreeMap<String, Vec<String>>>,
    texts: Vec<TextRecord<'a>>,
}

/// All a notice's results need: `[title, path, date, date_zh,
/// organization, [[number, category, title, status]...], text, [problem
/// text...]]`.
#[derive(Serialize)]
struct TextRecord<'a>(
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Vec<(u32, usize, &'a str, &'a str)>,
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
                .map(|p| (p.number, p.category, p.title.as_str(), p.status.as_str()))
                .collect(),
            &n.text,
            n.problems.iter().map(|p| p.text.as_str()).collect(),
        )
    }
}

impl TextRecord<'_> {
    /// The record as JSON: byte for byte what `serde_json` writes of it,
    /// faster, as these texts are most of what the index writes.
    fn to_json(&self) -> Vec<u8> {
        use std::io::Write as _;
        let TextRecord(title, path, date, date_zh, organization, problems, text, texts) = self;
        let size: usize = texts.iter().map(|t| t.len() + 3).sum();
        let mut out = Vec::with_capacity(text.len() + size + 64 * (problems.len() + 1));
        out.push(b'[');
        for s in [title, path, date, date_zh, organization] {
            push_json_str(&mut out, s);
            out.push(b',');
        }
        out.push(b'[');
        for (k, (number, category, title, status)) in problems.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            // Writing to a vector cannot fail.
            let _ = write!(out, "[{number},{category},");
            push_json_str(&mut out, title);
            out.push(b',');
            push_json_str(&mut out, status);
            out.push(b']');
        }
        out.extend_from_slice(b"],");
        push_json_str(&mut out, text);
        out.extend_from_slice(b",[");
        for (k, t) in texts.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            push_json_str(&mut out, t);
        }
        out.extend_from_slice(b"]]");
        out
    }
}

/// `s` as a JSON string, escaped as `serde_json` escapes it: quote,
/// backslash and control characters; the rest as it is. Looked at eight
/// bytes at a time, as nearly all of a Chinese text needs no escape.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.push(b'"');
    // `bytes[copied..at]` need no escape and are not yet in `out`.
    let mut copied = 0;
    let escape_from = |out: &mut Vec<u8>, from: usize, to: usize, copied: &mut usize| {
        for at in from..to {
            if let Some(escaped) = json_escape(bytes[at]) {
                out.extend_from_slice(&bytes[*copied..at]);
                out.extend_from_slice(escaped.as_bytes());
                *copied = at + 1;
            }
        }
    };
    let words = bytes.chunks_exact(8);
    let tail = words.remainder().len();
    for (k, word) in words.enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        if may_need_escape(u64::from_le_bytes(w)) {
            escape_from(out, k * 8, k * 8 + 8, &mut copied);
        }
    }
    escape_from(out, bytes.len() - tail, bytes.len(), &mut copied);
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// Whether any byte of `w` is below a space, a quote or a backslash (a
/// word of which none is, surely needs no escape).
fn may_need_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |v: u64, n: u64| v.wrapping_sub(ONES * n) & !v & HIGH != 0;
    below(w, 0x20)
        || below(w ^ (ONES * u64::from(b'"')), 1)
        || below(w ^ (ONES * u64::from(b'\\')), 1)
}

/// How `serde_json` escapes byte `b` of a string, if it does.
fn json_escape(b: u8) -> Option<std::borrow::Cow<'static, str>> {
    let short = match b {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        0x08 => "\\b",
        0x0C => "\\f",
        0..=0x1F => return Some(format!("\\u{b:04x}").into()),
        _ => return None,
    };
    Some(short.into())
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
    use crate::search::terms::term;

    #[test]
    fn texts_are_the_json_serde_writes() {
        // Every ASCII character, in and out of eight-byte words, among
        // Chinese text; empty strings; no problems and several.
        let ascii: String = (0u8..0x80).map(char::from).collect();
        let mixed = format!("整改\"{ascii}\\\u{2028}完成\n\t{ascii}a");
        let strings = [
            "",
            "a",
            "整改",
            "\"",
            &ascii,
            &mixed,
            "12345678\u{1}",
            "1234567\\",
        ];
        for s in strings {
            for problems in [vec![], vec![(1, 0, s, "整改中"), (2, 3, "题", s)]] {
                let texts = vec![s; problems.len()];
                let record =
                    TextRecord(s, "notices/a/", "2021-01-01", s, "机关", problems, s, texts);
                let serde = serde_json::to_vec(&record).unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&record.to_json()),
                    String::from_utf8_lossy(&serde),
                    "{s:?}"
                );
            }
        }
    }

    #[test]
    fn terms_survive_the_file_format() {
        assert_eq!(term_text(term('整', Some('改'))), "整改");
        assert_eq!(term_text(term('a', None)), "a");
        // FNV-1a over the code points of the text, as search.js hashes.
        let fnv = |text: &str| {
            text.chars().fold(0x811C_9DC5u32, |h, c| {
                (h ^ c as u32).wrapping_mul(0x0100_0193)
            }) as usize
        };
        for t in [
            term('整', Some('改')),
            term('a', None),
            term('7', Some('2')),
        ] {
            for shards in [1, 64, 4096] {
                assert_eq!(shard_of_term(t, shards), fnv(&term_text(t)) % shards);
            }
        }
    }
}
