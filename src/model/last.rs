//! The last model `serve` made, kept for the next save: an edit that
//! leaves every index as it was (a notice's text, its titles, its
//! measures) compiles that notice again and takes everything else from
//! the last model, instead of selecting, sorting, following and indexing
//! every notice of the site again. The model says which rows it changed
//! ([`Lineage`]), so that `serve` patches its pages' keys the same way. A
//! save then costs what it changed.
//!
//! Whether an edit leaves the indexes as they were is [`same_place`]: it
//! names every field of a notice and of its problems, so that a field
//! added later must be placed on one side or the other. The property test
//! of `serve` (its output byte-equal to a fresh build after random edits)
//! checks the division.

use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::config::SiteConfig;
use crate::content::{Notice, Problem};
use crate::diagnostic::Diagnostic;

use super::compile::{self, CompileCache};
use super::links::LinkTable;
use super::{Lineage, NoticeId, Publish, Site, Texts};

/// A model that had no mistake, and what it was made from.
#[derive(Debug)]
pub struct LastModel {
    /// The notices as given to the model (read, in the files' order).
    notices: Vec<Arc<Notice>>,
    failed: Vec<PathBuf>,
    publish: Publish,
    site: Site,
    texts: Texts,
    /// What the notices' links were resolved against.
    link_key: u64,
}

impl LastModel {
    pub fn new(
        notices: Vec<Arc<Notice>>,
        failed: &[PathBuf],
        publish: Publish,
        made: (&Site, &Texts),
        link_key: u64,
    ) -> LastModel {
        LastModel {
            notices,
            failed: failed.to_vec(),
            publish,
            site: made.0.clone(),
            texts: made.1.clone(),
            link_key,
        }
    }
}

/// The model of `notices`, made from the last one when every notice that
/// changed is [in the same place](same_place); the notices given back
/// (and the last model forgotten) when one is not, or when the files, the
/// configuration or what is published changed. Keeps the result for the
/// next save when it has no mistake.
pub fn reuse(
    config: &SiteConfig,
    notices: Vec<Arc<Notice>>,
    failed: &[PathBuf],
    publish: Publish,
    cache: &mut CompileCache,
) -> Result<(Site, Texts, Vec<Diagnostic>), Vec<Arc<Notice>>> {
    let Some(last) = cache.last.take() else {
        return Err(notices);
    };
    let same_site = last.publish == publish
        && last.failed == failed
        && last.notices.len() == notices.len()
        && last.site.config == *config;
    if !same_site {
        return Err(notices);
    }
    // A notice that did not change is the very one read last time.
    let mut edits: FxHashMap<*const Notice, &Arc<Notice>> = FxHashMap::default();
    for (old, new) in last.notices.iter().zip(&notices) {
        if !Arc::ptr_eq(old, new) {
            if !same_place(old, new, publish, config) {
                return Err(notices);
            }
            edits.insert(Arc::as_ptr(old), new);
        }
    }
    let LastModel {
        mut site,
        mut texts,
        link_key,
        ..
    } = *last;
    let mut edited = Vec::with_capacity(edits.len());
    for (id, row) in site.notices.iter_mut_enumerated() {
        if let Some(&new) = edits.get(&Arc::as_ptr(&row.notice)) {
            row.notice = new.clone();
            edited.push(id);
        }
    }
    drop(edits);
    let errors = compile_edited(&mut site, &mut texts, &edited, failed, link_key, cache);
    site.lineage = Lineage::new(Some((site.lineage.id, edited)));
    if errors.is_empty() {
        let made = (&site, &texts);
        let last = LastModel::new(notices, failed, publish, made, link_key);
        cache.last = Some(Box::new(last));
    }
    Ok((site, texts, errors))
}

/// Compiles the notices `edited` of `site` again (or takes them from the
/// cache), against the links of the last model: the notices are where
/// they were.
fn compile_edited(
    site: &mut Site,
    texts: &mut Texts,
    edited: &[NoticeId],
    failed: &[PathBuf],
    link_key: u64,
    cache: &mut CompileCache,
) -> Vec<Diagnostic> {
    let published: Vec<Arc<Notice>> = site.notices.iter().map(|r| r.notice.clone()).collect();
    let links = LinkTable::known(
        &published,
        &site.skipped,
        failed,
        link_key,
        cache.links.as_ref(),
    );
    let keys: Vec<&str> = site
        .config
        .categories
        .iter()
        .map(|c| c.key.as_str())
        .collect();
    let mut errors = Vec::new();
    let mut compiled = Vec::with_capacity(edited.len());
    for &id in edited {
        let n = &site.notices[id].notice;
        let c = match cache.get(n, link_key) {
            Some(c) => c,
            None => {
                let (html, text, found) = compile::compile(n, &links, &keys);
                let c = (Arc::new(html), Arc::new(text));
                if found.is_empty() {
                    cache.put(n, link_key, &c);
                }
                errors.extend(found);
                c
            }
        };
        compiled.push((id, c));
    }
    cache.links = links.made().or(cache.links.take());
    for (id, (html, text)) in compiled {
        site.notices[id].html = html;
        texts[id] = text;
    }
    errors
}

/// Whether `new`, an edit of `old`, leaves the notice where every index
/// has it: published or withheld alike, at the same address, date and
/// place in the lists, in the same groups, round and unit, with problems
/// of the same numbers, categories, states, amounts, deadlines and
/// follow-ups. Only what its own pages show may differ: its title, text,
/// summary, problems' titles, causes, measures and results, contacts,
/// review record, revisions and attachments.
fn same_place(old: &Notice, new: &Notice, publish: Publish, config: &SiteConfig) -> bool {
    // Every field named, none with `..`: a new field must be placed here.
    let Notice {
        source,
        slug,
        title: _,
        date,
        organization,
        doc_number: _,
        summary: _,
        tags,
        draft,
        unit,
        written: _,
        index_number,
        county_round,
        categories,
        inspection,
        problems,
        contact: _,
        // Only through whether it is published, below.
        review: _,
        revisions: _,
        attachments: _,
        privacy_reviewed: _,
        text: _,
        digest: _,
        stats: _,
    } = old;
    *source == new.source
        && *slug == new.slug
        && *date == new.date
        && *organization == new.organization
        && *tags == new.tags
        && *draft == new.draft
        && *unit == new.unit
        && *index_number == new.index_number
        && *county_round == new.county_round
        && *categories == new.categories
        && *inspection == new.inspection
        && publish.withheld(old, config) == publish.withheld(new, config)
        && problems.len() == new.problems.len()
        && problems
            .iter()
            .zip(&new.problems)
            .all(|(a, b)| same_counts(a, b))
}

/// Whether two reports of a problem count and follow alike.
fn same_counts(old: &Problem, new: &Problem) -> bool {
    let Problem {
        number,
        category,
        title: _,
        cause: _,
        measures: _,
        result: _,
        status,
        recovered,
        deadline,
        follows,
    } = old;
    *number == new.number
        && *category == new.category
        && *status == new.status
        && *recovered == new.recovered
        && *deadline == new.deadline
        && *follows == new.follows
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::notice::parse_notice;
    use crate::model::Sources;

    fn config() -> SiteConfig {
        SiteConfig::parse("title: t\norganization: 某局\n", Path::new("site.yaml"))
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// Notice `i` of a round: its publication day, its problem's result
    /// and status, and a line of its text.
    fn notice(i: usize, day: u8, result: &str, line: &str) -> Arc<Notice> {
        let text = format!(
            "---\ntitle: 通报{i}\ndate: 2023-01-{day:02}\ninspection:\n  kind: 巡察\n  start: 2022-06-01\n\
             problems:\n  - number: 1\n    category: policy\n    title: 问题{i}\n    result: {result}\n---\n{line}\n"
        );
        let file = format!("content/notices/n{i}.md");
        let (n, _) = parse_notice(Path::new(&file), &text, Some(&config()))
            .unwrap_or_else(|e| panic!("{e:?}"));
        Arc::new(n)
    }

    fn notices() -> Vec<Arc<Notice>> {
        vec![
            notice(0, 3, "正在整改", "正文"),
            notice(1, 5, "正在整改", "正文"),
            notice(2, 9, "已完成整改", "正文"),
        ]
    }

    /// The model of `notices` with `cache`, which then holds it.
    fn build(notices: &[Arc<Notice>], cache: &mut CompileCache) -> Site {
        let publish = Publish::default();
        let (site, _, errors) = Site::build(
            config(),
            notices.to_vec(),
            &[],
            publish,
            cache,
            Sources::KeepForEdits,
            Path::new("."),
        );
        assert!(errors.is_empty(), "{errors:?}");
        site
    }

    #[test]
    fn an_edit_of_a_notices_text_reuses_the_last_model() {
        let mut cache = CompileCache::default();
        let mut given = notices();
        let before = build(&given, &mut cache);
        given[1] = notice(1, 5, "正在整改", "改过的正文");
        let made = reuse(
            &config(),
            given.clone(),
            &[],
            Publish::default(),
            &mut cache,
        );
        let (site, texts, errors) = made.unwrap_or_else(|_| panic!("not reused"));
        assert!(errors.is_empty());
        // The rounds and the other notices' HTML are the last model's.
        assert!(Arc::ptr_eq(
            &site.ledger.rounds.raw[0],
            &before.ledger.rounds.raw[0]
        ));
        let edited = site
            .notices
            .iter()
            .position(|r| Arc::ptr_eq(&r.notice, &given[1]));
        let edited = edited.unwrap_or_else(|| panic!("the edit is not in the model"));
        for (i, row) in site.notices.iter().enumerate() {
            let same = Arc::ptr_eq(&row.html, &before.notices.raw[i].html);
            assert_eq!(same, i != edited, "notice {i}");
        }
        assert!(texts.raw[edited].body.contains("改过的正文"));
        // And kept again for the next save.
        assert!(cache.last.is_some());
    }

    #[test]
    fn an_edit_that_moves_a_notice_builds_the_model_again() {
        let edits = [
            ("a later date", notice(1, 7, "正在整改", "正文")),
            ("another state", notice(1, 5, "已完成整改", "正文")),
        ];
        for (what, edit) in edits {
            let mut cache = CompileCache::default();
            let mut given = notices();
            build(&given, &mut cache);
            given[1] = edit;
            let made = reuse(&config(), given, &[], Publish::default(), &mut cache);
            assert!(made.is_err(), "{what}: reused");
            assert!(cache.last.is_none(), "{what}: the last model is kept");
        }
    }

    #[test]
    fn a_model_with_mistakes_is_not_kept() {
        let mut cache = CompileCache::default();
        let mut given = notices();
        given.push(notice(0, 4, "正在整改", "同名"));
        let publish = Publish::default();
        let (_, _, errors) = Site::build(
            config(),
            given.clone(),
            &[],
            publish,
            &mut cache,
            Sources::KeepForEdits,
            Path::new("."),
        );
        assert!(!errors.is_empty(), "two notices with one slug");
        assert!(cache.last.is_none());
    }
}
