//! What a web page said about the bulletin (its meta tags, its metadata
//! table, the lines of chrome around the text), used where the bulletin
//! itself does not say it.

use crate::document::PageFacts;
use crate::draft::{Draft, Found, OrgSource};

/// The page's own meta tags and table first, then what its chrome lines
/// said.
pub(crate) fn merge(meta: PageFacts, chrome: PageFacts) -> PageFacts {
    PageFacts {
        organization: meta.organization.or(chrome.organization),
        date: meta.date.or(chrome.date),
        title: meta.title.or(chrome.title),
        doc_number: meta.doc_number.or(chrome.doc_number),
    }
}

/// What the web page said, where the bulletin itself does not say it.
pub(crate) fn fill(draft: &mut Draft, page: PageFacts) {
    let no = 1;
    if draft.organization.is_none()
        && let Some(org) = page.organization
    {
        draft.note(
            no,
            format!("发布单位取自网页的“发布机构”或“来源”：{org}，请核对"),
        );
        draft.organization = Some((Found { value: org, no }, OrgSource::Page));
    }
    if draft.date.is_none()
        && let Some(day) = page.date
    {
        draft.note(
            no,
            format!(
                "发布日期取自网页的“成文日期”或“发布时间”：{}，请核对",
                day.iso()
            ),
        );
        draft.date = Some(Found { value: day, no });
    }
    if draft.title.is_none()
        && let Some(title) = page.title
    {
        draft.title = Some(Found { value: title, no });
    }
    if draft.doc_number.is_none() {
        draft.doc_number = page.doc_number;
    }
}
