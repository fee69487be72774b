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
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::value::RawValue;

use super::ids::encode_ids;
use super::index::Postings;
use super::pack::{deflate, packed_script};
use super::terms::{Term, term_text};
use super::{FORMAT, NoticeDoc};
use crate::output::{Sink, WriteError};
use crate::routes;

/// A site whose search data is smaller than this gets a single file.
const BUNDLE_BYTES: usize = 256 * 1024;
/// Aimed size of one postings shard: a query loads one for each pair of
/// characters it has, so they are small.
const SHARD_BYTES: usize = 8 * 1024;

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
    pub(super) bundle: bool,
}

/// What the files of the index are made of, but the notices' texts: a
/// [`SearchIndex`](super::SearchIndex), or one built in passes.
pub(super) struct Stored<'a> {
    pub(super) postings: &'a [FxHashMap<Term, Postings>],
    /// See [`super::index::title_starts`].
    pub(super) title_starts: &'a [u32],
    pub(super) categories: &'a [(String, String)],
    pub(super) units: &'a [(String, String)],
    pub(super) shelves: &'a [Shelf],
}

/// What the files of the index need of a notice besides its texts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shelf {
    year: i16,
    categories: u64,
    unit: Option<usize>,
}

impl Shelf {
    pub(super) fn of(d: &NoticeDoc) -> Shelf {
        Shelf {
            year: d.year,
            categories: d.categories,
            unit: d.unit,
        }
    }
}

/// About how many bytes a notice's texts take in the files.
pub(super) fn text_size(d: &NoticeDoc) -> usize {
    let titles: usize = d.problems.iter().map(|p| 16 + p.title.len()).sum();
    80 + d.title.len()
        + d.text.len()
        + titles
        + d.problems.iter().map(|p| p.text.len()).sum::<usize>()
}

/// Texts below this size may yet be bundled with everything else in one
/// file (when the postings are small too).
pub(super) fn may_bundle(texts: usize) -> bool {
    texts < BUNDLE_BYTES
}

impl Layout {
    /// The layout of `index`, whose texts take about `texts` bytes.
    pub(super) fn new(index: &Stored<'_>, texts: usize) -> Layout {
        let postings: usize = index
            .postings
            .iter()
            .flat_map(|part| part.values())
            .map(|p| 16 + p.all.size() + p.titles.size())
            .sum();
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

    /// The postings lists of every term, encoded, in their shards. Encoded
    /// and sorted in parallel: a large site has millions of terms.
    fn shard_terms(&self, index: &Stored<'_>) -> Vec<BTreeMap<String, Vec<String>>> {
        let count = index.shelves.len();
        let titles = titles(index);
        let mut entries: Vec<(usize, String, Vec<String>)> = index
            .postings
            .par_iter()
            .flat_map_iter(|part| part.iter())
            .map(|(t, p)| {
                let text = term_text(*t);
                let mut lists = vec![encode_ids(&p.all.to_vec(), count)];
                if !p.titles.is_empty() {
                    lists.push(encode_ids(&p.titles.to_vec(), titles));
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

    /// Writes `meta.js` and the postings' shards; a bundle takes the
    /// notices' text records (see [`text_record`]) into `meta.js`, else
    /// each notice's are a file of its own ([`write_text`]).
    pub(super) fn write(
        &self,
        index: &Stored<'_>,
        records: impl FnOnce() -> Vec<Box<RawValue>>,
        out: &dyn Sink,
    ) -> Result<(), WriteError> {
        let terms = self.shard_terms(index);
        let mut meta = Meta {
            format: FORMAT,
            notices: index.shelves.len(),
            shards: self.shards,
            title_starts: encode_ids(index.title_starts, titles(index) + 1),
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
            meta.bundle = Some(Bundle {
                terms,
                texts: records(),
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
        })
    }
}

/// Writes the dictionary the notices' texts are deflated against.
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

/// Writes notice `i`'s text record (see [`text_record`]), deflated
/// against `dict`.
pub(super) fn write_text(
    i: usize,
    record: &RawValue,
    dict: &[u8],
    out: &dyn Sink,
) -> Result<(), WriteError> {
    out.write(
        &routes::search_texts(i),
        packed_script(&format!("x/{i}"), record.get().as_bytes(), dict).as_bytes(),
        "search",
    )
}

/// How many titles the notices have (their own and their problems').
fn titles(index: &Stored<'_>) -> usize {
    index.title_starts.last().map_or(0, |&t| t as usize)
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
    bundle: Option<Bundle>,
}

#[derive(Serialize)]
struct Bundle {
    terms: Vec<BTreeMap<String, Vec<String>>>,
    /// Each notice's [`text_record`].
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

/// A notice's [`TextRecord`], as JSON. (A plain structure cannot fail to
/// serialize; if one did, the record would be `null`, never missing.)
pub(super) fn text_record(n: &NoticeDoc) -> Box<RawValue> {
    serde_json::value::to_raw_value(&TextRecord::new(n)).unwrap_or_default()
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
    fn terms_survive_the_file_format() {
        assert_eq!(term_text(term('整', Some('改'))), "整改");
        assert_eq!(term_text(term('a', None)), "a");
        assert_eq!(shard_of("整改", 1), 0);
        assert!(shard_of("整改", 64) < 64);
    }
}
