//! Stage 4, the Word copies (`exports: [docx]`): each published notice's
//! `.docx` beside its page, made by [`word_copy`](crate::docx::word_copy).

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{collect_errors_of, write_error};
use crate::config::SiteConfig;
use crate::content::Notice;
use crate::diagnostic::{Code, Diagnostic};
use crate::docx;
use crate::model::Site;
use crate::output::Sink;
use crate::routes;

/// Writes the Word copy of every notice whose fingerprint is not the one
/// in `known` (all of them when `known` is empty); returns each copy's
/// path and fingerprint. Nothing when the site does not ask for them. A
/// notice whose sources were freed when read (a big site's preview) is
/// read again from its file under `root`.
///
/// A copy is made from its notice's file and the site's configuration
/// alone, so the file's digest is its fingerprint: `serve` makes again
/// only the copies of the notices that changed (and all of them when
/// `site.yaml` did, by passing no `known`).
pub fn word_copies(
    site: &Site,
    root: &Path,
    known: &FxHashMap<String, u64>,
    out: &dyn Sink,
) -> Result<FxHashMap<String, u64>, Vec<Diagnostic>> {
    if !site.config.word_copies() {
        return Ok(FxHashMap::default());
    }
    let results: Vec<Result<(String, u64), Diagnostic>> = site
        .notices
        .raw
        .par_iter()
        .flat_map_iter(|row| {
            let n = &row.notice;
            let path = routes::notice_word(&n.slug);
            let made = match known.get(&path) == Some(&n.digest) {
                true => Ok(()),
                false => copy_of(n, root, &site.config, out),
            };
            match made {
                Ok(()) => vec![Ok((path, n.digest))],
                Err(errors) => errors.into_iter().map(Err).collect(),
            }
        })
        .collect();
    collect_errors_of(results).map(|copies| copies.into_iter().collect())
}

/// Writes the Word copy of `n`, read again under `root` when its sources
/// were freed.
fn copy_of(
    n: &Notice,
    root: &Path,
    config: &SiteConfig,
    out: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let n = crate::load::with_sources(root, n, config)?;
    write_copy(&n, config, out).map_err(|d| vec![d])
}

/// Writes the Word copy of `n`, a notice with its sources.
pub(super) fn write_copy(
    n: &Notice,
    config: &SiteConfig,
    out: &dyn Sink,
) -> Result<(), Diagnostic> {
    let bytes = docx::word_copy(n, config).map_err(|e| {
        Diagnostic::error(Code::Output, &n.source, format!("无法生成 Word 版：{e}"))
            .help("这是 gongkai 的问题，不是通报写错了：请把这条信息报告给维护网站的人；先从 site.yaml 的 exports 里去掉 docx，网站就能照常生成。")
    })?;
    out.write(&routes::notice_word(&n.slug), &bytes, "Word 版")
        .map_err(write_error)
}
