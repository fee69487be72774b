//! Stage 4 for a big site, streamed: the notices are compiled, indexed for
//! search and their pages rendered a batch at a time, so that the compiled
//! HTML and the texts of the whole site are never in memory at once.
//!
//! The search index's sample of notices is compiled first, for the
//! dictionary its texts are deflated against ([`Passes`]). Then a batch's
//! notices are read again and compiled ([`compile_batch`]), their texts
//! indexed and written, their pages and Word copies written, with the
//! ledger of each round whose last notice was in the batch. Then their
//! HTML is let go, but for the summary and counts that lists show, and
//! the measures a ledger still to come shows. The other pages, which show
//! no notice's HTML, come after the last batch.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Notice;
use crate::diagnostic::Diagnostic;
use crate::model::compile::ProblemHtml;
use crate::model::compile::{BatchItem, compile_batch};
use crate::model::links::LinkTable;
use crate::model::{NoticeHtml, NoticeId, NoticeText, RoundId, Site, TiVec};
use crate::output::Sink;
use crate::read_ahead::ReadAhead;
use crate::search::Passes;

use super::{
    Page, Pieces, Templates, Theme, collect_errors, copy_attachments, copy_statics, pages,
    render_pages, word, write_error, write_exports,
};

/// What compiles a batch: the site's folder, and every notice for links.
struct Compiler<'a> {
    root: &'a Path,
    notices: &'a [Arc<Notice>],
    links: LinkTable<'a>,
}

impl Compiler<'_> {
    fn compile(&self, site: &Site, ids: &[NoticeId]) -> Vec<BatchItem> {
        let batch: Vec<Arc<Notice>> = ids
            .iter()
            .map(|&id| self.notices[usize::from(id)].clone())
            .collect();
        compile_batch(self.root, &site.config, &batch, &self.links)
    }
}

/// The whole render stage of a big site: the notices a batch at a time
/// ([`notices`]), then the search index, the other pages, the open data
/// and feeds, the attachments and the static files. Returns how many
/// pages it wrote.
pub fn site(
    site: &mut Site,
    root: &Path,
    theme: &Theme,
    templates: &Templates,
    out: &dyn Sink,
    batch: usize,
) -> Result<usize, Vec<Diagnostic>> {
    let notices: Vec<Arc<Notice>> = site.notices.iter().map(|r| r.notice.clone()).collect();
    let skipped = site.skipped.clone();
    let compiler = Compiler {
        root,
        notices: &notices,
        links: LinkTable::new(&notices, &skipped, &[], None),
    };
    let mut search = match site.config.search {
        true => Some(search_passes(site, &compiler)?),
        false => None,
    };
    let mut pages = self::notices(site, &compiler, templates, out, batch, search.as_mut())?;
    if let Some(search) = search {
        search.write(out).map_err(|e| vec![write_error(e)])?;
    }
    let site = &*site;
    let rest = other_pages(site);
    pages += rest.len();
    let (rendered, (exported, attached)) = rayon::join(
        || render_pages(site, templates, &rest, out),
        || {
            rayon::join(
                || write_exports(site, theme, templates, out, &Pieces::default()),
                || copy_attachments(site, root, out),
            )
        },
    );
    rendered?;
    exported?;
    attached?;
    copy_statics(theme, out)?;
    Ok(pages)
}

/// The search index to be fed a batch at a time, made with the texts of
/// its sample of notices, which are compiled for it first.
fn search_passes(site: &Site, compiler: &Compiler<'_>) -> Result<Passes, Vec<Diagnostic>> {
    let sample = compiler.compile(site, &Passes::sample(site));
    let mut texts = Vec::with_capacity(sample.len());
    let mut errors = Vec::new();
    for item in sample {
        match item {
            Ok(compiled) => texts.push(compiled.text),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Passes::new(site, texts))
}

/// How many notices are compiled and rendered together: enough to keep
/// both cores busy, few enough that a batch's HTML and texts stay small.
pub const BATCH: usize = 1024;

/// Compiles and renders the notices' pages, their Word copies and the
/// ledgers, `batch` notices at a time, feeding `search` on the way;
/// returns how many pages it wrote.
/// Stops at the first batch with mistakes, which it returns.
fn notices(
    site: &mut Site,
    compiler: &Compiler<'_>,
    templates: &Templates,
    out: &dyn Sink,
    batch: usize,
    mut search: Option<&mut Passes>,
) -> Result<usize, Vec<Diagnostic>> {
    // Notices of each round still to be compiled: its ledger waits for them.
    let mut waiting: TiVec<RoundId, usize> =
        site.ledger.rounds.iter().map(|r| r.notices.len()).collect();
    let mut written = 0;
    let size = batch.max(1);
    let count = site.notices.len();
    // Each batch's files are read again: the next batch's are asked of
    // the disk while this one is compiled and rendered. (Notice ids are
    // the places in the compiler's list.)
    let ahead = ReadAhead::start();
    let advise = |first: usize| {
        let batch = compiler.notices.iter().skip(first).take(size);
        ahead.advise(compiler.root, batch.map(|n| n.source.as_path()));
    };
    advise(0);
    for first in (0..count).step_by(size) {
        advise(first + size);
        let ids: Vec<NoticeId> = (first..(first + size).min(count))
            .map(NoticeId::from)
            .collect();
        let compiled = compiler.compile(site, &ids);
        let (texts, sources) = take_html(site, &ids, compiled)?;
        let mut ready: Vec<RoundId> = Vec::new();
        for &id in &ids {
            if let Some(r) = site.notices[id].round {
                waiting[r] -= 1;
                if waiting[r] == 0 {
                    ready.push(r);
                }
            }
        }
        let pages: Vec<Page> = ids
            .iter()
            .map(|&id| Page::Notice { id })
            .chain(ready.iter().map(|&id| Page::Inspection { id }))
            .collect();
        // The index takes the texts while the pages are rendered: its
        // merging is partly sequential, and the other core renders.
        let site_now = &*site;
        let search = search.as_deref_mut();
        let (indexed, (rendered, copied)) = rayon::join(
            || search.map_or(Ok(()), |s| s.add(site_now, ids[0], texts, out)),
            || {
                rayon::join(
                    || render_pages(site_now, templates, &pages, out),
                    || word_copies(site_now, &sources, out),
                )
            },
        );
        indexed.map_err(|e| vec![write_error(e)])?;
        rendered?;
        copied?;
        written += pages.len();
        for &id in &ids {
            let keep_measures = site.notices[id].round.is_some_and(|r| waiting[r] > 0);
            slim(site, id, keep_measures);
        }
        for r in ready {
            for id in site.ledger.rounds[r].notices.clone() {
                slim(site, id, false);
            }
        }
    }
    Ok(written)
}

/// The Word copies of a batch's notices, read again with their sources
/// (none when the site makes no copies).
fn word_copies(site: &Site, sources: &[Notice], out: &dyn Sink) -> Result<(), Vec<Diagnostic>> {
    let results: Vec<Result<(), Diagnostic>> = sources
        .par_iter()
        .map(|n| word::write_copy(n, &site.config, out))
        .collect();
    collect_errors(results)
}

/// The pages [`notices`] does not render, to render after it.
fn other_pages(site: &Site) -> Vec<Page> {
    pages::all(site)
        .into_iter()
        .filter(|p| !matches!(p, Page::Notice { .. } | Page::Inspection { .. }))
        .collect()
}

/// Puts each compiled notice's HTML into the model; returns their texts
/// and the notices read again with their sources (for the Word copies),
/// or every mistake of the batch.
fn take_html(
    site: &mut Site,
    ids: &[NoticeId],
    compiled: Vec<BatchItem>,
) -> Result<(Vec<NoticeText>, Vec<Notice>), Vec<Diagnostic>> {
    let mut texts = Vec::with_capacity(ids.len());
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for (&id, item) in ids.iter().zip(compiled) {
        match item {
            Ok(compiled) => {
                site.notices[id].html = Arc::new(compiled.html);
                texts.push(compiled.text);
                sources.extend(compiled.notice);
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok((texts, sources))
    } else {
        Err(errors)
    }
}

/// Lets go of a rendered notice's HTML but for what other pages show of
/// it: its summary and counts, and its measures while its round's ledger
/// is still to come.
fn slim(site: &mut Site, id: NoticeId, keep_measures: bool) {
    let html = &site.notices[id].html;
    let problems = if keep_measures {
        html.problems
            .iter()
            .map(|p| ProblemHtml {
                cause: None,
                measures: p.measures.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    // (Field by field: the fingerprint it caches is the model's own.)
    let mut slim = NoticeHtml::default();
    slim.problems = problems;
    slim.summary = html.summary.clone();
    slim.reading_minutes = html.reading_minutes;
    slim.chars = html.chars;
    site.notices[id].html = Arc::new(slim);
}
