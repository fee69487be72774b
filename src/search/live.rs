//! The search index that `serve` keeps between saves, so that after an
//! edit only what the edit changed is done again: the documents of the
//! notices the model read or compiled again, the postings of the terms
//! that came or went in those that changed, the shards that hold those
//! terms, and those notices' texts. The other files of the index
//! stay in the preview folder as they are ([`Sink::keep`]).
//!
//! What it writes is byte for byte what [`SearchIndex::write`] writes for
//! the same site: the patched postings are those a build makes, lists and
//! bitmaps alike. Notices are patched by their place in the index, so a
//! notice that moves is two notices changed. Whatever renumbers the
//! titles or changes the layout makes it write everything: a notice added
//! or removed, a problem added or removed, other categories or units,
//! another number of shards, a small site's single file. A new dictionary
//! (one of the notices it is sampled from changed its common sentences)
//! rewrites every text.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::files::{Layout, shard_of_term, write_dictionary, write_texts};
use super::index::title_starts;
use super::{NoticeDoc, Parts, SearchIndex, categories, dictionary_of, notice_doc, units};
use crate::content::Notice;
use crate::model::{NoticeText, Site, Texts};
use crate::output::{Sink, WriteError};
use crate::routes;

/// The index last written into a folder, or nothing yet.
#[derive(Debug, Default)]
pub struct LiveIndex {
    last: Option<Written>,
}

/// An index as it is in the folder.
#[derive(Debug)]
struct Written {
    index: SearchIndex,
    layout: Layout,
    dict: Vec<u8>,
    /// What each notice's document was made from, by its place.
    made_from: Vec<MadeFrom>,
}

/// A notice and its plain texts, as the model held them when its document
/// was made. The model's notice and texts are shared, not copied, and a
/// notice read or compiled again is a new one: the same two make the same
/// document, and the others are the only ones made again on a save.
/// (Kept, not their addresses, so that neither is freed and its address
/// taken by another.)
#[derive(Debug)]
struct MadeFrom(Arc<Notice>, Arc<NoticeText>);

impl MadeFrom {
    fn is(&self, notice: &Arc<Notice>, text: &Arc<NoticeText>) -> bool {
        Arc::ptr_eq(&self.0, notice) && Arc::ptr_eq(&self.1, text)
    }
}

/// How an index numbers notices and titles, and names its filters: what
/// must not change for it to be patched.
struct Frame {
    notices: usize,
    title_starts: Vec<u32>,
    categories: Vec<(String, String)>,
    units: Vec<(String, String)>,
}

impl Frame {
    /// The frame of notices with `problems` problems each.
    fn new(
        problems: impl ExactSizeIterator<Item = usize>,
        categories: Vec<(String, String)>,
        units: Vec<(String, String)>,
    ) -> Frame {
        Frame {
            notices: problems.len(),
            title_starts: title_starts(problems),
            categories,
            units,
        }
    }
}

impl LiveIndex {
    /// Brings the index in `out` up to date with `site`. `out` must write
    /// into the folder this index was written into before, if it was; on
    /// a failure, the next call writes everything again.
    ///
    /// Only the documents of notices that are not the ones of last time
    /// are made again, and compared with theirs.
    pub fn write(&mut self, site: &Site, texts: Texts, out: &dyn Sink) -> Result<(), WriteError> {
        let made_from: Vec<MadeFrom> = site
            .notices
            .iter()
            .zip(&texts)
            .map(|(row, text)| MadeFrom(row.notice.clone(), text.clone()))
            .collect();
        let problems = site.notices.iter().map(|r| r.notice.problems.len());
        let frame = Frame::new(problems, categories(&site.config), units(&site.config));
        let written = match self.last.take() {
            Some(last) if last.fits(&frame) => {
                let remade: Vec<usize> = (0..frame.notices)
                    .filter(|&i| {
                        let (row, text) = (&site.notices.raw[i], &texts.raw[i]);
                        last.made_from
                            .get(i)
                            .is_none_or(|m| !m.is(&row.notice, text))
                    })
                    .collect();
                let docs = remade
                    .into_par_iter()
                    .map(|i| {
                        let doc = notice_doc(
                            &site.config,
                            &site.notices.raw[i].notice,
                            texts.raw[i].clone(),
                        );
                        (i, doc)
                    })
                    .collect();
                last.patch(docs, out)?
            }
            _ => Written::whole(SearchIndex::from_parts(Parts::of(site, texts)), out)?,
        };
        self.last = Some(Written {
            made_from,
            ..written
        });
        Ok(())
    }

    /// As [`LiveIndex::write`], for the documents of `parts`, each
    /// compared with the last.
    #[cfg(test)]
    fn write_parts(&mut self, parts: Parts, out: &dyn Sink) -> Result<(), WriteError> {
        let problems = parts.notices.iter().map(|n| n.problems.len());
        let frame = Frame::new(problems, parts.categories.clone(), parts.units.clone());
        let written = match self.last.take() {
            Some(last) if last.fits(&frame) => {
                last.patch(parts.notices.into_iter().enumerate().collect(), out)?
            }
            _ => Written::whole(SearchIndex::from_parts(parts), out)?,
        };
        self.last = Some(written);
        Ok(())
    }

    /// Forgets the index written: the next call writes all of it (the
    /// folder was emptied, or written by something else).
    pub fn forget(&mut self) {
        self.last = None;
    }
}

impl Written {
    /// Writes every file of `index`.
    fn whole(index: SearchIndex, out: &dyn Sink) -> Result<Written, WriteError> {
        let layout = Layout::new(&index);
        let dict = dictionary_of(&index, layout);
        layout.write(&index, &dict, out)?;
        Ok(Written {
            index,
            layout,
            dict,
            made_from: Vec::new(),
        })
    }

    /// Whether `frame` numbers notices and titles as this index does.
    fn fits(&self, frame: &Frame) -> bool {
        let index = &self.index;
        index.notices.len() == frame.notices
            && index.categories == frame.categories
            && index.units == frame.units
            && index.title_starts == frame.title_starts
    }

    /// Patches the index with `docs` (documents made again, by their
    /// place) where they differ from its own, and writes the files they
    /// touch.
    fn patch(
        mut self,
        docs: Vec<(usize, NoticeDoc)>,
        out: &dyn Sink,
    ) -> Result<Written, WriteError> {
        let mut changed = vec![false; self.index.notices.len()];
        let mut touched = FxHashSet::default();
        for (i, doc) in docs {
            if self.index.notices[i] != doc {
                changed[i] = true;
                self.index.replace(i, doc, &mut touched);
            }
        }
        let layout = Layout::new(&self.index);
        let dict = dictionary_of(&self.index, layout);
        if layout != self.layout || layout.is_bundle() {
            return Written::whole(self.index, out);
        }
        let index = &self.index;
        layout.write_meta(index, out)?;
        let shards = layout.shards();
        let mut dirty = vec![false; shards];
        for &t in &touched {
            dirty[shard_of_term(t, shards)] = true;
        }
        layout.write_shards(index, &|s| dirty[s], out)?;
        keep(
            out,
            (0..shards).filter(|&s| !dirty[s]),
            routes::search_terms,
        )?;
        if dict == self.dict {
            out.keep(&routes::search_dictionary())?;
            write_texts(0, &index.notices, &dict, &|i| changed[i], out)?;
            let same = (0..index.notices.len()).filter(|&i| !changed[i]);
            keep(out, same, routes::search_texts)?;
        } else {
            write_dictionary(&dict, out)?;
            write_texts(0, &index.notices, &dict, &|_| true, out)?;
        }
        Ok(Written {
            layout,
            dict,
            ..self
        })
    }
}

/// Keeps the files `path` names for `which`, as they are.
fn keep(
    out: &dyn Sink,
    which: impl IntoIterator<Item = usize>,
    path: impl Fn(usize) -> String,
) -> Result<(), WriteError> {
    which.into_iter().try_for_each(|i| out.keep(&path(i)))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use super::*;
    use crate::search::NoticeDoc;

    /// A folder in memory that tells what each pass wrote and kept.
    #[derive(Default)]
    struct Folder {
        files: Mutex<BTreeMap<String, Vec<u8>>>,
        written: Mutex<Vec<String>>,
        kept: Mutex<Vec<String>>,
    }

    impl Folder {
        /// What the last pass wrote and kept, sorted; forgets it.
        fn pass(&self) -> (Vec<String>, Vec<String>) {
            let mut written = std::mem::take(&mut *self.written.lock().unwrap());
            let mut kept = std::mem::take(&mut *self.kept.lock().unwrap());
            written.sort();
            kept.sort();
            (written, kept)
        }

        fn files(&self) -> BTreeMap<String, Vec<u8>> {
            self.files.lock().unwrap().clone()
        }
    }

    impl Sink for Folder {
        fn write(&self, rel: &str, bytes: &[u8], _: &str) -> Result<(), WriteError> {
            self.files
                .lock()
                .unwrap()
                .insert(rel.into(), bytes.to_vec());
            self.written.lock().unwrap().push(rel.into());
            Ok(())
        }

        fn contains(&self, rel: &str) -> bool {
            self.files.lock().unwrap().contains_key(rel)
        }

        fn keep(&self, rel: &str) -> Result<(), WriteError> {
            assert!(self.contains(rel), "kept {rel}, which was never written");
            self.kept.lock().unwrap().push(rel.into());
            Ok(())
        }
    }

    /// A site of 300 notices, large enough to be sharded: each has
    /// sentences of its own and one that every notice has.
    fn parts() -> Parts {
        let notices = (0..300u32)
            .map(|i| {
                let mut text = String::from("本通报按照巡察工作条例的要求予以公开。");
                for k in 0..40u32 {
                    let c = char::from_u32(0x4E00 + (i * 131 + k * 17) % 6000).unwrap_or('一');
                    let d = char::from_u32(0x4E00 + (i * 71 + k * 29) % 6000).unwrap_or('二');
                    text.push_str(&format!("整改{c}{d}落实到位。"));
                }
                NoticeDoc {
                    title: format!("第{i}号通报"),
                    path: format!("notices/n{i}/index.html"),
                    date: "2022-01-01".into(),
                    date_zh: "2022年1月1日".into(),
                    year: 2022,
                    organization: "区委巡察办".into(),
                    categories: 1,
                    unit: None,
                    text,
                    problems: Vec::new(),
                }
            })
            .collect();
        Parts {
            notices,
            categories: vec![("policy".into(), "政治建设".into())],
            units: Vec::new(),
        }
    }

    /// The files a build writes for `parts`.
    fn built(parts: Parts) -> BTreeMap<String, Vec<u8>> {
        let folder = Folder::default();
        SearchIndex::from_parts(parts).write(&folder).unwrap();
        folder.files()
    }

    #[test]
    fn an_edit_writes_its_notice_and_the_shards_of_its_terms_only() {
        let folder = Folder::default();
        let mut live = LiveIndex::default();
        live.write_parts(parts(), &folder).unwrap();
        let (first, _) = folder.pass();
        let shards = first.iter().filter(|f| f.starts_with("search/t/")).count();
        assert!(shards > 16, "sharded: {shards}");

        let mut edited = parts();
        edited.notices[7].text.push_str("考勤制度执行不严。");
        live.write_parts(edited.clone(), &folder).unwrap();
        assert_eq!(folder.files(), built(edited));
        let (written, kept) = folder.pass();
        let texts: Vec<&String> = written.iter().filter(|f| f.contains("/x/")).collect();
        assert_eq!(texts, ["search/x/7.js"]);
        let rewritten = written.iter().filter(|f| f.contains("/t/")).count();
        assert!(rewritten > 0 && rewritten < 20, "{rewritten} of {shards}");
        // Everything else was kept as it was, nothing twice.
        assert_eq!(written.len() + kept.len(), first.len());
    }

    #[test]
    fn what_moves_the_numbering_or_the_dictionary_is_written_again() {
        let folder = Folder::default();
        let mut live = LiveIndex::default();
        live.write_parts(parts(), &folder).unwrap();
        folder.pass();

        // Two notices share a new sentence: the dictionary has it.
        let mut shared = parts();
        for i in [4, 8] {
            shared.notices[i]
                .text
                .push_str("巡察反馈的问题已全部整改完毕。");
        }
        live.write_parts(shared.clone(), &folder).unwrap();
        assert_eq!(folder.files(), built(shared.clone()));
        let (written, _) = folder.pass();
        assert_eq!(written.iter().filter(|f| f.contains("/x/")).count(), 300);

        // A problem more, then a notice fewer: title ids, then every id
        // after the notice, move.
        let mut more = shared;
        more.notices[3].problems.push(crate::search::ProblemDoc {
            number: 1,
            category: 0,
            title: "考勤管理不严格".into(),
            status: String::new(),
            text: "考勤管理不严格\n已整改".into(),
        });
        let mut fewer = more.clone();
        fewer.notices.remove(0);
        for parts in [more, fewer] {
            live.write_parts(parts.clone(), &folder).unwrap();
            let expected = built(parts);
            let (written, kept) = folder.pass();
            assert!(kept.is_empty(), "{kept:?}");
            assert_eq!(written, expected.keys().cloned().collect::<Vec<_>>());
            let files = folder.files();
            for (file, bytes) in &expected {
                assert!(&files[file] == bytes, "{file}");
            }
        }
    }
}
