//! Stage 4 for a big site, streamed: the notices are compiled, indexed for
//! search and their pages rendered a batch at a time, so that the compiled
//! HTML and the texts of the whole site are never in memory at once.
//!
//! A batch's notices are read again and compiled ([`compile_batch`]),
//! their texts handed to the search index ([`Passes`]), and their pages
//! written, with the ledger of each round whose last notice was in the
//! batch. Then their HTML is let go, but for the summary and counts that
//! lists show, and the measures a ledger still to come shows. The other
//! pages, which show no notice's HTML, come after the last batch.

use std::path::Path;
use std::sync::Arc;

use crate::content::Notice;
use crate::diagnostic::Diagnostic;
use crate::model::compile::ProblemHtml;
use crate::model::compile::{BatchItem, compile_batch};
use crate::model::links::LinkTable;
use crate::model::{NoticeHtml, NoticeId, RoundId, Site, TiVec};
use crate::output::Sink;
use crate::search::Passes;

use super::{
    Page, Templates, Theme, copy_statics, pages, render_pages, write_error, write_exports,
};

/// The whole render stage of a big site: the notices a batch at a time
/// ([`notices`]), then the search index, the other pages, the open data
/// and feeds, and the static files. Returns how many pages it wrote.
pub fn site(
    site: &mut Site,
    root: &Path,
    theme: &Theme,
    templates: &Templates,
    out: &dyn Sink,
    batch: usize,
) -> Result<usize, Vec<Diagnostic>> {
    let mut search = match site.config.search {
        true => Some(Passes::new(site).map_err(|e| vec![write_error(e)])?),
        false => None,
    };
    let mut pages = notices(site, root, templates, out, batch, search.as_mut())?;
    if let Some(search) = search {
        search.write(out).map_err(|e| vec![write_error(e)])?;
    }
    let site = &*site;
    let rest = other_pages(site);
    pages += rest.len();
    let (rendered, exported) = rayon::join(
        || render_pages(site, templates, &rest, out),
        || write_exports(site, theme, templates, out),
    );
    rendered?;
    exported?;
    copy_statics(theme, out)?;
    Ok(pages)
}

/// How many notices are compiled and rendered together: enough to keep
/// both cores busy, few enough that a batch's HTML and texts stay small.
pub const BATCH: usize = 1024;

/// Compiles and renders the notices' pages and the ledgers, `batch`
/// notices at a time, feeding `search` on the way; returns how many pages
/// it wrote.
/// Stops at the first batch with mistakes, which it returns.
fn notices(
    site: &mut Site,
    root: &Path,
    templates: &Templates,
    out: &dyn Sink,
    batch: usize,
    mut search: Option<&mut Passes>,
) -> Result<usize, Vec<Diagnostic>> {
    let notices: Vec<Arc<Notice>> = site.notices.iter().map(|r| r.notice.clone()).collect();
    let skipped = site.skipped.clone();
    let links = LinkTable::new(&notices, &skipped, &[]);
    // Notices of each round still to be compiled: its ledger waits for them.
    let mut waiting: TiVec<RoundId, usize> =
        site.ledger.rounds.iter().map(|r| r.notices.len()).collect();
    let mut written = 0;
    let size = batch.max(1);
    for (b, batch) in notices.chunks(size).enumerate() {
        let first = b * size;
        let ids: Vec<NoticeId> = (first..first + batch.len()).map(NoticeId::from).collect();
        let compiled = compile_batch(root, &site.config, batch, &links);
        let texts = take_html(site, &ids, compiled)?;
        if let Some(search) = search.as_deref_mut() {
            search
                .add(site, ids[0], texts)
                .map_err(|e| vec![write_error(e)])?;
        }
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
        render_pages(site, templates, &pages, out)?;
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

/// The pages [`notices`] does not render, to render after it.
fn other_pages(site: &Site) -> Vec<Page> {
    pages::all(site)
        .into_iter()
        .filter(|p| !matches!(p, Page::Notice { .. } | Page::Inspection { .. }))
        .collect()
}

/// Puts each compiled notice's HTML into the model; returns their texts,
/// or every mistake of the batch.
fn take_html(
    site: &mut Site,
    ids: &[NoticeId],
    compiled: Vec<BatchItem>,
) -> Result<Vec<crate::model::NoticeText>, Vec<Diagnostic>> {
    let mut texts = Vec::with_capacity(ids.len());
    let mut errors = Vec::new();
    for (&id, item) in ids.iter().zip(compiled) {
        match item {
            Ok((html, text)) => {
                site.notices[id].html = Arc::new(html);
                texts.push(text);
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(texts)
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
    let slim = NoticeHtml {
        problems,
        summary: html.summary.clone(),
        reading_minutes: html.reading_minutes,
        chars: html.chars,
        ..NoticeHtml::default()
    };
    site.notices[id].html = Arc::new(slim);
}
