//! The files of the index: how the postings are sharded and the texts
//! chunked, so that a query loads only a few small files, and the script
//! form that `file://` pages can load.
//!
//! The texts are most of the index. Each chunk of them is deflated (zlib
//! format) and handed to the page in base64: about a third of the JSON,
//! which the browser inflates with its `DecompressionStream`, or with the
//! small inflater of `search.js` where it has none.

use std::collections::BTreeMap;
use std::ops::Range;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::value::RawValue;

use super::ids::encode_ids;
use super::index::{Postings, TITLE_SLOTS};
use super::terms::{Term, term_text};
use super::{FORMAT, NoticeDoc, Shelf};
use crate::output::{Sink, WriteError};
use crate::routes;

/// A site whose search data is smaller than this gets a single file.
const BUNDLE_BYTES: usize = 256 * 1024;
/// Aimed size of one postings shard.
const SHARD_BYTES: usize = 24 * 1024;
/// Aimed size of a chunk of notice texts, and of notice titles.
const CHUNK_BYTES: usize = 64 * 1024;

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
pub(super) struct Layout {
    shards: usize,
    /// Notices per chunk of texts.
    text_chunk: usize,
    bundle: bool,
}

/// What the files are made of: the postings, what each notice's entry
/// needs, and its texts, which may be in memory or spilled to a file.
pub(super) struct Stored<'a> {
    pub(super) postings: &'a [FxHashMap<Term, Postings>],
    pub(super) categories: &'a [(String, String)],
    pub(super) units: &'a [(String, String)],
    pub(super) shelves: &'a [Shelf],
    /// The JSON array of the [`TextRecord`]s of a range of notices.
    pub(super) texts: &'a (dyn Fn(Range<usize>) -> Result<Vec<u8>, WriteError> + Sync),
}

impl Layout {
    pub(super) fn new(index: &Stored<'_>) -> Layout {
        let postings: usize = index
            .postings
            .iter()
            .flat_map(|part| part.values())
            .map(|p| 16 + p.all.size() + p.titles.size())
            .sum();
        let texts: usize = index.shelves.iter().map(|s| s.size).sum();
        let count = index.shelves.len().max(1);
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

    /// The postings lists of every term, encoded, in their shards. Encoded
    /// and sorted in parallel: a large site has millions of terms.
    fn shard_terms(&self, index: &Stored<'_>) -> Vec<BTreeMap<String, Vec<String>>> {
        let count = index.shelves.len();
        let mut entries: Vec<(usize, String, Vec<String>)> = index
            .postings
            .par_iter()
            .flat_map_iter(|part| part.iter())
            .map(|(t, p)| {
                let text = term_text(*t);
                let mut lists = vec![encode_ids(&p.all.to_vec(), count)];
                if !p.titles.is_empty() {
                    lists.push(encode_ids(&p.titles.to_vec(), count * TITLE_SLOTS as usize));
                }
                (shard_of(&text, self.shards), text, lists)
            })
            .collect();
        entries.par_sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut terms: Vec<BTreeMap<String, Vec<String>>> = Vec::with_capacity(self.shards);
        let mut entries = entries.into_iter().peekable();
        for shard in 0..self.shards {
            // Built from sorted entries, each map is made in one go.
            let mut mine = Vec::new();
            while let Some((_, text, lists)) = entries.next_if(|e| e.0 == shard) {
                mine.push((text, lists));
            }
            terms.push(mine.into_iter().collect());
        }
        terms
    }

    pub(super) fn write(&self, index: &Stored<'_>, out: &dyn Sink) -> Result<(), WriteError> {
        let count = index.shelves.len();
        let terms = self.shard_terms(index);
        let mut meta = Meta {
            format: FORMAT,
            notices: count,
            shards: self.shards,
            text_chunk: self.text_chunk,
            title_slots: TITLE_SLOTS,
            categories: index.categories,
            years: years(index.shelves),
            masks: index.shelves.iter().map(|n| n.categories).collect(),
            units: index.units,
            unit_of: if index.units.is_empty() {
                Vec::new()
            } else {
                // Past the last unit: a notice of none.
                let none = index.units.len();
                index
                    .shelves
                    .iter()
                    .map(|n| n.unit.unwrap_or(none))
                    .collect()
            },
            bundle: None,
        };
        if self.bundle {
            let texts = String::from_utf8((index.texts)(0..count)?).unwrap_or_default();
            meta.bundle = Some(Bundle {
                terms,
                texts: vec![RawValue::from_string(texts).unwrap_or_else(|_| empty_list())],
            });
            return out.write(
                &routes::search_meta(),
                script("meta", &meta).as_bytes(),
                "search",
            );
        }
        out.write(
            &routes::search_meta(),
            script("meta", &meta).as_bytes(),
            "search",
        )?;
        terms.par_iter().enumerate().try_for_each(|(i, shard)| {
            out.write(
                &routes::search_terms(i),
                script(&format!("t/{i}"), shard).as_bytes(),
                "search",
            )
        })?;
        let chunks: Vec<Range<usize>> = (0..count)
            .step_by(self.text_chunk)
            .map(|s| s..(s + self.text_chunk).min(count))
            .collect();
        chunks
            .into_par_iter()
            .enumerate()
            .try_for_each(|(i, range)| {
                out.write(
                    &routes::search_texts(i),
                    packed_script(&format!("x/{i}"), &(index.texts)(range)?).as_bytes(),
                    "search",
                )
            })
    }
}

/// `[]`, should texts ever fail to be JSON.
fn empty_list() -> Box<RawValue> {
    RawValue::from_string("[]".to_string()).unwrap_or_default()
}

/// The JSON array of the text records of `docs`.
pub(super) fn texts_json(docs: &[NoticeDoc]) -> Vec<u8> {
    let records: Vec<TextRecord<'_>> = docs.iter().map(TextRecord::new).collect();
    serde_json::to_vec(&records).unwrap_or_else(|_| b"[]".to_vec())
}

/// The JSON of one notice's text record.
pub(super) fn text_json(doc: &NoticeDoc) -> Vec<u8> {
    serde_json::to_vec(&TextRecord::new(doc)).unwrap_or_else(|_| b"null".to_vec())
}

/// Notice ids of each year: `[year, first, end]`, newest first.
fn years(notices: &[Shelf]) -> Vec<(i16, usize, usize)> {
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
    /// `[slug, short name]` of each unit, on a county's site.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    units: &'a [(String, String)],
    /// The unit of each notice (its index in `units`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unit_of: Vec<usize>,
    /// Everything, for a small site.
    #[serde(skip_serializing_if = "Option::is_none")]
    bundle: Option<Bundle>,
}

#[derive(Serialize)]
struct Bundle {
    terms: Vec<BTreeMap<String, Vec<String>>>,
    /// The JSON array of every notice's text record.
    texts: Vec<Box<RawValue>>,
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

/// A script that hands `data` to the search page.
fn script<T: Serialize>(name: &str, data: &T) -> String {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
    // `</script>` cannot occur in JSON text that is escaped like this.
    let json = json.replace("</", "<\\/");
    format!("gongkaiSearch.load({name:?},{json});\n")
}

/// A script that hands `json` to the search page deflated, in standard
/// base64 with padding, which the page decodes with `atob`.
fn packed_script(name: &str, json: &[u8]) -> String {
    format!(
        "gongkaiSearch.load({name:?},\"{}\");\n",
        BASE64.encode(deflate(json))
    )
}

/// zlib-format deflate: the `deflate` of `DecompressionStream`, which
/// browsers have had longer than `deflate-raw`. The fast levels lose
/// little on Chinese text and cost a fraction of the time.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(2),
    );
    // Writing into memory cannot fail.
    let _ = z.write_all(bytes);
    z.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::terms::term;

    #[test]
    fn packed_texts_inflate_to_their_json() {
        use std::io::Read;
        let data = vec![("整改完成", 7), ("长期推进", 8)];
        let script = packed_script("x/0", &serde_json::to_vec(&data).unwrap());
        let b64 = script
            .strip_prefix("gongkaiSearch.load(\"x/0\",\"")
            .and_then(|s| s.strip_suffix("\");\n"))
            .unwrap();
        assert!(
            b64.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        );
        let decoded = BASE64.decode(b64).unwrap();
        let mut json = String::new();
        flate2::read::ZlibDecoder::new(&decoded[..])
            .read_to_string(&mut json)
            .unwrap();
        assert_eq!(json, serde_json::to_string(&data).unwrap());
    }

    #[test]
    fn terms_survive_the_file_format() {
        assert_eq!(term_text(term('整', Some('改'))), "整改");
        assert_eq!(term_text(term('a', None)), "a");
        assert_eq!(shard_of("整改", 1), 0);
        assert!(shard_of("整改", 64) < 64);
    }
}
