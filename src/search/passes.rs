//! The search index built in passes, for a big site's build: the texts of
//! each batch of notices are indexed as they are compiled, and their
//! records spilled to a temporary file until the files are written, so
//! that neither the texts nor the records of the whole site are ever in
//! memory at once. The files are the same as [`SearchIndex`]'s.
//!
//! [`SearchIndex`]: super::SearchIndex

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::index::{Postings, empty_postings, index_batch};
use super::terms::Term;
use super::{NoticeDoc, Shelf, doc_of, files};
use crate::model::{NoticeId, NoticeText, Site};
use crate::output::{Sink, WriteError, io_error};

/// The index of a site whose notices arrive a batch at a time, in order.
pub struct Passes {
    postings: Vec<FxHashMap<Term, Postings>>,
    count: usize,
    shelves: Vec<Shelf>,
    /// The JSON text record of each notice so far, one after another.
    spill: BufWriter<File>,
    /// Where each notice's record ends in the spill.
    ends: Vec<u64>,
    categories: Vec<(String, String)>,
    units: Vec<(String, String)>,
}

/// What the spill is called in errors: it has no name on disk.
fn spill_name() -> PathBuf {
    std::env::temp_dir().join("gongkai-search")
}

impl Passes {
    /// An empty index for the notices of `site`.
    pub fn new(site: &Site) -> Result<Passes, WriteError> {
        let spill = tempfile::tempfile().map_err(io_error(&spill_name()))?;
        let config = &site.config;
        Ok(Passes {
            postings: empty_postings(),
            count: site.notices.len(),
            shelves: Vec::with_capacity(site.notices.len()),
            spill: BufWriter::new(spill),
            ends: Vec::with_capacity(site.notices.len()),
            categories: config
                .categories
                .iter()
                .map(|c| (c.key.clone(), c.name.clone()))
                .collect(),
            units: if config.is_county() {
                config
                    .units
                    .iter()
                    .map(|u| (u.slug.clone(), u.short.clone()))
                    .collect()
            } else {
                Vec::new()
            },
        })
    }

    /// Indexes the next notices, from `first` on, with their texts.
    pub fn add(
        &mut self,
        site: &Site,
        first: NoticeId,
        texts: Vec<NoticeText>,
    ) -> Result<(), WriteError> {
        let start = usize::from(first);
        debug_assert_eq!(start, self.shelves.len(), "notices come in order");
        let docs: Vec<NoticeDoc> = texts
            .into_par_iter()
            .enumerate()
            .map(|(k, text)| {
                let notice = &site.notices[NoticeId::from(start + k)].notice;
                doc_of(&site.config, notice, text)
            })
            .collect();
        index_batch(&mut self.postings, self.count, start, &docs);
        let records: Vec<Vec<u8>> = docs.par_iter().map(files::text_json).collect();
        let mut end = self.ends.last().copied().unwrap_or(0);
        for (doc, record) in docs.iter().zip(records) {
            self.spill
                .write_all(&record)
                .map_err(io_error(&spill_name()))?;
            end += record.len() as u64;
            self.ends.push(end);
            self.shelves.push(Shelf::of(doc));
        }
        Ok(())
    }

    /// Writes the files of the index.
    pub fn write(self, out: &dyn Sink) -> Result<(), WriteError> {
        let spill = self
            .spill
            .into_inner()
            .map_err(|e| io_error(&spill_name())(e.into_error()))?;
        let spill = Mutex::new(spill);
        let ends = &self.ends;
        let texts = |range: Range<usize>| read_records(&spill, ends, range);
        let stored = files::Stored {
            postings: &self.postings,
            categories: &self.categories,
            units: &self.units,
            shelves: &self.shelves,
            texts: &texts,
        };
        files::Layout::new(&stored).write(&stored, out)
    }
}

/// The records of `range` read back from the spill, as one JSON array.
fn read_records(
    spill: &Mutex<File>,
    ends: &[u64],
    range: Range<usize>,
) -> Result<Vec<u8>, WriteError> {
    let offset = |i: usize| if i == 0 { 0 } else { ends[i - 1] };
    let (start, end) = (offset(range.start), offset(range.end));
    let mut bytes = vec![0; (end - start) as usize];
    {
        let mut file = crate::output::lock(spill);
        file.seek(SeekFrom::Start(start))
            .and_then(|_| file.read_exact(&mut bytes))
            .map_err(io_error(&spill_name()))?;
    }
    let mut json = Vec::with_capacity(bytes.len() + range.len() + 2);
    json.push(b'[');
    for (k, i) in range.enumerate() {
        if k > 0 {
            json.push(b',');
        }
        let record = (offset(i) - start) as usize..(ends[i] - start) as usize;
        json.extend_from_slice(&bytes[record]);
    }
    json.push(b']');
    Ok(json)
}
