//! The search index built in passes, for a big site's build: the notices
//! arrive a batch at a time, in order; each batch is indexed and its texts
//! written to their files at once, so that neither the texts nor the
//! records of the whole site are ever in memory. The files are the same
//! as [`SearchIndex`]'s.
//!
//! What has to be known before the first batch is known early: the title
//! numbering from each notice's number of problems, and the dictionary
//! from the texts of its sample of notices ([`Passes::sample`]), which
//! the caller compiles first. While the texts so far are small enough
//! that the whole index may yet be one file, their records are held.
//!
//! [`SearchIndex`]: super::SearchIndex

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::files::{self, Layout};
use super::index::{Postings, empty_postings, index_batch, title_starts};
use super::terms::Term;
use super::{NoticeDoc, SearchIndex, categories, doc_of, pack, units};
use crate::model::{NoticeId, NoticeText, Site};
use crate::output::{Sink, WriteError};

/// The index of a site whose notices arrive a batch at a time, in order.
pub struct Passes {
    postings: Vec<FxHashMap<Term, Postings>>,
    title_starts: Vec<u32>,
    /// What the files need of each notice so far besides its texts (its
    /// year, categories and unit; no text).
    shelves: Vec<NoticeDoc>,
    /// About how many bytes the texts so far take in the files.
    texts: usize,
    /// What the texts are deflated against.
    dict: Vec<u8>,
    /// The notices so far, whole, while the index may yet be one file;
    /// `None` once their texts went to files of their own.
    held: Option<Vec<NoticeDoc>>,
    categories: Vec<(String, String)>,
    units: Vec<(String, String)>,
}

impl Passes {
    /// The notices whose texts make the dictionary, as they do for
    /// [`SearchIndex::write`]: their texts go to [`Passes::new`], in this
    /// order.
    pub fn sample(site: &Site) -> Vec<NoticeId> {
        pack::sample(site.notices.len())
            .map(NoticeId::from)
            .collect()
    }

    /// An empty index for the notices of `site`, given the texts of its
    /// [`Passes::sample`].
    pub fn new(site: &Site, sample: Vec<NoticeText>) -> Passes {
        let config = &site.config;
        let docs: Vec<NoticeDoc> = Passes::sample(site)
            .into_par_iter()
            .zip(sample)
            .map(|(id, text)| doc_of(config, &site.notices[id].notice, text))
            .collect();
        let problems = site.notices.iter().map(|r| r.notice.problems.len());
        Passes {
            postings: empty_postings(),
            title_starts: title_starts(problems),
            shelves: Vec::with_capacity(site.notices.len()),
            texts: 0,
            dict: pack::dictionary(&docs),
            held: Some(Vec::new()),
            categories: categories(config),
            units: units(config),
        }
    }

    /// Indexes the next notices, from `first` on, with their texts, and
    /// writes their texts into `out` (or holds them, see [`Passes`]).
    pub fn add(
        &mut self,
        site: &Site,
        first: NoticeId,
        texts: Vec<NoticeText>,
        out: &dyn Sink,
    ) -> Result<(), WriteError> {
        let start = usize::from(first);
        debug_assert_eq!(start, self.shelves.len(), "notices come in order");
        let config = &site.config;
        let docs: Vec<NoticeDoc> = texts
            .into_par_iter()
            .enumerate()
            .map(|(k, text)| {
                let notice = &site.notices[NoticeId::from(start + k)].notice;
                doc_of(config, notice, text)
            })
            .collect();
        index_batch(&mut self.postings, &self.title_starts, start, &docs);
        self.shelves.extend(docs.iter().map(shelf));
        self.texts += docs.iter().map(files::text_size).sum::<usize>();
        match &mut self.held {
            None => files::write_texts(start, &docs, &self.dict, &|_| true, out),
            Some(held) => {
                held.extend(docs);
                if files::may_bundle(self.texts) {
                    return Ok(());
                }
                let held = self.held.take().unwrap_or_default();
                files::write_texts(0, &held, &self.dict, &|_| true, out)
            }
        }
    }

    /// Writes the rest of the files of the index: `meta.js`, the
    /// postings' shards, the dictionary and any texts held.
    pub fn write(self, out: &dyn Sink) -> Result<(), WriteError> {
        let held = self.held.is_some();
        let index = SearchIndex {
            // The notices whole while they are held, else without texts,
            // which `meta.js` and the shards do without.
            notices: self.held.unwrap_or(self.shelves),
            title_starts: self.title_starts,
            postings: self.postings,
            categories: self.categories,
            units: self.units,
        };
        let layout = Layout::sized(files::postings_size(&index), self.texts);
        layout.write_meta(&index, out)?;
        if layout.is_bundle() {
            return Ok(());
        }
        layout.write_shards(&index, &|_| true, out)?;
        files::write_dictionary(&self.dict, out)?;
        if held {
            files::write_texts(0, &index.notices, &self.dict, &|_| true, out)?;
        }
        Ok(())
    }
}

/// What [`Passes::write`] needs of a notice once its texts are written.
fn shelf(d: &NoticeDoc) -> NoticeDoc {
    NoticeDoc {
        title: String::new(),
        path: String::new(),
        date: String::new(),
        date_zh: String::new(),
        year: d.year,
        organization: String::new(),
        categories: d.categories,
        unit: d.unit,
        text: String::new(),
        problems: Vec::new(),
    }
}
