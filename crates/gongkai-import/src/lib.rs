//! gongkai-import: an existing bulletin, as a Word document (`.docx`, or
//! Word 97–2003's `.doc`), as
//! text copied out of one (`.txt`, in whatever encoding Windows saved it)
//! or as a saved web page (`.html`), recognised into a [`Draft`] of a
//! notice, with notes for the person who imports.
//!
//! This crate only recognises: it knows the site only as the categories
//! it is given ([`Placing`]). Reading the site's notices, following a round
//! against its ledger, writing the notice and checking it are the
//! `gongkai import` command's, in the main crate.
//!
//! The stages, in order:
//! 1. `source` reads the file into numbered paragraphs ([`Para`]):
//!    text in any encoding Windows saves, `.docx` with its automatic
//!    numbering (`docx`), `.doc` (`doc`), a saved web page's article body
//!    and meta tags (`html`);
//! 2. `chrome` takes out what a web page put around the bulletin
//!    (navigation, `来源：… 浏览量：…`, the metadata table, read by
//!    `metadata` in any of its shapes), keeping the facts it states
//!    ([`PageFacts`]);
//! 3. `recognise` finds the layout (title, signature, opening formula,
//!    numbered problems under category headings, contacts), reading dates
//!    (`dates`), Chinese numerals (`numerals`), field labels
//!    (`classify`), problems (`problems`), the inspection (`inspection`)
//!    and the county round ([`round_name`]) the opening speaks of, and
//!    facts (`facts`: contacts, amounts), and writing the rest as Markdown
//!    (`markdown`);
//! 4. `page` fills in from the page's facts what the bulletin did not say,
//!    and tells the 发布日期 from the 成文日期;
//! 5. `place` puts every problem in a category: by its heading
//!    (`categories`), else by the vocabulary of the categories (`lexicon`).
//!
//! Whatever is not recognised stays in the body, in order: nothing of the
//! source is lost.

mod categories;
mod chrome;
mod classify;
mod dates;
mod doc;
mod document;
mod docx;
pub mod draft;
mod facts;
mod html;
mod inspection;
mod lexicon;
mod markdown;
mod metadata;
mod numerals;
mod page;
mod place;
mod problems;
mod recognise;
pub mod round_name;
mod source;
mod table;
mod words;

use std::path::Path;

use gongkai_content::Category;
use gongkai_diagnostic::{Code, Diagnostic};

pub use categories::Assignment;
pub use document::{PageFacts, Para};
pub use draft::Draft;
pub use place::UNHEADED;
pub use source::{Format, Source};

/// What a bulletin's problems are placed among: the site's categories, and
/// the `--category-map` pairs `(key, text)` (a heading containing `text`
/// belongs to `key`; the text [`UNHEADED`] takes the problems under no
/// heading).
#[derive(Debug, Clone, Copy)]
pub struct Placing<'a> {
    pub categories: &'a [Category],
    pub map: &'a [(String, String)],
}

/// A bulletin, recognised.
#[derive(Debug)]
pub struct Recognised {
    pub draft: Draft,
    /// How the file was stored.
    pub format: Format,
    /// Lines of web page chrome taken out of the text: number and text.
    pub chrome: Vec<(usize, String)>,
    /// The number of the source's last line (or paragraph), where notes
    /// about the whole bulletin go.
    pub last_no: usize,
}

/// Reads `file` and recognises the bulletin in it. Fails when the file
/// cannot be read (a format not supported, an encoding not known) or has
/// no text.
pub fn recognise_file(file: &Path, placing: &Placing<'_>) -> Result<Recognised, Diagnostic> {
    let mut source = source::read(file)?;
    // NUL and the other control characters are no text a reader sees (a
    // damaged or wrongly encoded file has them), and a notice cannot hold them.
    for p in &mut source.paras {
        p.text
            .retain(|c| !c.is_control() || matches!(c, '\t' | '\n'));
    }
    let (chrome, stated) = chrome::strip(&mut source.paras);
    let page = page::merge(std::mem::take(&mut source.page), stated);
    if source.paras.iter().all(|p| p.text.trim().is_empty()) {
        return Err(Diagnostic::error(Code::ImportEmpty, file, "文件里没有文字")
            .help("请确认选对了文件：Word 文档要存成 .docx，文本文件要有内容。"));
    }
    let mut draft = recognise_source(&source, page, placing);
    put_asides(&mut draft, &source);
    Ok(Recognised {
        draft,
        format: source.format,
        chrome,
        last_no: source.paras.last().map_or(1, |p| p.no),
    })
}

/// Nothing named the issuing body (no signature, title or page's 发布
///机构), but the opening names the body inspected: a rectification
/// bulletin is that body's, so it is proposed, to be checked.
fn organization_from_opening(draft: &mut Draft) {
    if draft.organization.is_some() {
        return;
    }
    let Some(found) = draft.inspected.clone() else {
        return;
    };
    draft.note(
        found.no,
        format!(
            "没有落款，也没有写在标题里的发布单位：暂用开头写的被巡察单位“{}”，请核对",
            found.value
        ),
    );
    draft.organization = Some((found, draft::OrgSource::Opening));
}

/// A `.doc`'s footnotes and text boxes at the end of the body, each part
/// under a comment, with a note: none of their words is lost, and where
/// they belong is for the person who imports to say.
fn put_asides(draft: &mut Draft, source: &Source) {
    for (part, paras) in &source.asides {
        draft
            .body_after
            .push(format!("<!-- 原文{part}里的文字，请移到原来的位置 -->"));
        draft.body_after.extend(
            paras
                .iter()
                .map(|p| markdown::body_paragraph(&p.text, p.table)),
        );
    }
    if !source.asides.is_empty() {
        let parts: Vec<&str> = source.asides.iter().map(|(part, _)| *part).collect();
        let last = source.paras.last().map_or(1, |p| p.no);
        draft.note(
            last,
            format!(
                "原文{}里的文字放在了正文最后，前面有注释标明：请移到原来的位置",
                parts.join("、")
            ),
        );
    }
}

/// Recognises the bulletin in `source`, as read, with what its web page
/// said (`page`) where the bulletin does not say it.
pub fn recognise_source(source: &Source, page: PageFacts, placing: &Placing<'_>) -> Draft {
    let matcher = categories::Matcher::new(placing.categories, placing.map);
    let mut draft = recognise::recognise(source, &matcher);
    let page = PageFacts {
        published: page.published.or(draft.listed.take()),
        ..page
    };
    page::fill(&mut draft, page);
    organization_from_opening(&mut draft);
    place::place(&mut draft, placing);
    draft
}
