//! The texts of the notices as the search page loads them: one file per
//! notice, deflated against a dictionary that the site shares, so that a
//! query loads the few notices its first results come from and each is
//! small though it is compressed alone.
//!
//! The dictionary is made of the sentences that recur across the notices
//! (a notice's own sentences gain nothing from it). Each notice is raw
//! deflate with the dictionary preset: `search.js` puts the dictionary in
//! front of it as a stored block, inflates the two with the browser's
//! `DecompressionStream("deflate-raw")` (or its own small inflater), and
//! drops the dictionary's bytes from the front of what comes out.

use std::cell::RefCell;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use flate2::{Compress, Compression, FlushCompress};
use rustc_hash::{FxHashMap, FxHashSet};

use super::NoticeDoc;

/// At most this many bytes of dictionary: deflate looks back 32 KiB, and
/// the last 262 bytes of its window are kept for lookahead.
const DICT_BYTES: usize = 32 * 1024 - 262;
/// Notices whose sentences are counted to make the dictionary.
const SAMPLE: usize = 256;

/// Which of `count` notices are counted to make the dictionary: at most
/// [`SAMPLE`], evenly spread, in order.
pub(super) fn sample(count: usize) -> impl Iterator<Item = usize> {
    (0..count).step_by(count.div_ceil(SAMPLE).max(1))
}

/// The sentences found in more than one of the [`sample`] of notices, the
/// most common last (closest to the text, so cheapest to refer to), up to
/// [`DICT_BYTES`].
pub(super) fn dictionary<'a>(sample: impl IntoIterator<Item = &'a NoticeDoc>) -> Vec<u8> {
    // Sentence → (notices it is in, when it was first seen).
    let mut counts: FxHashMap<&str, (u32, u32)> = FxHashMap::default();
    let mut mine: FxHashSet<&str> = FxHashSet::default();
    for n in sample {
        mine.clear();
        let texts = std::iter::once(&n.text).chain(n.problems.iter().map(|p| &p.text));
        for sentence in texts.flat_map(|t| t.split_inclusive(['。', '\n'])) {
            let sentence = sentence.trim_end_matches('\n');
            if sentence.len() >= 12 && mine.insert(sentence) {
                let next = counts.len() as u32;
                counts.entry(sentence).or_insert((0, next)).0 += 1;
            }
        }
    }
    let mut common: Vec<(&str, (u32, u32))> =
        counts.into_iter().filter(|(_, (c, _))| *c > 1).collect();
    // Most common first, ties in the order met: deterministic.
    common.sort_unstable_by_key(|&(_, (count, first))| (std::cmp::Reverse(count), first));
    let mut chosen = Vec::new();
    let mut size = 0;
    for (sentence, _) in common {
        if size + sentence.len() > DICT_BYTES {
            continue;
        }
        size += sentence.len();
        chosen.push(sentence);
    }
    chosen.iter().rev().flat_map(|s| s.bytes()).collect()
}

/// Raw deflate of `bytes` with `dict` preset (none when empty).
pub(super) fn deflate(bytes: &[u8], dict: &[u8]) -> Vec<u8> {
    COMPRESS.with_borrow_mut(|z| {
        let z = z.get_or_insert_with(|| Compress::new(Compression::new(LEVEL), false));
        // As a new stream: the same bytes out, without allocating and
        // zeroing the compressor's tables again.
        z.reset();
        if !dict.is_empty() {
            // Cannot fail right after a reset.
            let _ = z.set_dictionary(dict);
        }
        let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
        loop {
            let before = z.total_in() as usize;
            let status = z.compress_vec(&bytes[before..], &mut out, FlushCompress::Finish);
            match status {
                Ok(flate2::Status::StreamEnd) | Err(_) => return out,
                Ok(_) => out.reserve(out.capacity().max(1024)),
            }
        }
    })
}

thread_local! {
    /// Each thread's compressor, reset for every text: a new one costs
    /// more than many a small text does to deflate.
    static COMPRESS: RefCell<Option<Compress>> = const { RefCell::new(None) };
}

/// Deflate level: past 4, sizes hardly shrink and times grow.
const LEVEL: u32 = 4;

/// A script that hands `json` to the search page deflated against
/// `dict`, in standard base64 with padding, which the page decodes with
/// `atob`.
pub(super) fn packed_script(name: &str, json: &[u8], dict: &[u8]) -> String {
    format!(
        "gongkaiSearch.load({name:?},\"{}\");\n",
        BASE64.encode(deflate(json, dict))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Decompress, FlushDecompress};

    fn inflate(packed: &[u8], dict: &[u8]) -> Vec<u8> {
        let mut z = Decompress::new(false);
        if !dict.is_empty() {
            z.set_dictionary(dict).unwrap();
        }
        let mut out = Vec::with_capacity(1 << 16);
        z.decompress_vec(packed, &mut out, FlushDecompress::Finish)
            .unwrap();
        out
    }

    #[test]
    fn texts_inflate_against_the_dictionary() {
        let dict = "巡察整改工作领导小组认真研究整改工作。".repeat(3);
        let text = format!("[\"{dict}\",\"第一项\"]");
        let packed = deflate(text.as_bytes(), dict.as_bytes());
        assert!(packed.len() < deflate(text.as_bytes(), b"").len());
        assert_eq!(inflate(&packed, dict.as_bytes()), text.as_bytes());
        assert_eq!(inflate(&deflate(b"[]", b""), b""), b"[]");
    }
}
