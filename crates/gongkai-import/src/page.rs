//! What a web page said about the bulletin (its meta tags, its metadata
//! table, the lines of chrome around the text), used where the bulletin
//! itself does not say it; and its two dates told apart: the 发布日期 (the
//! day it went on the web, the notice's `date`) and the 成文日期 (the day
//! it was signed, `written`).

use crate::document::PageFacts;
use crate::draft::{Draft, Found, OrgSource};

/// The page's own meta tags and table first, then what its chrome lines
/// said.
pub(crate) fn merge(meta: PageFacts, chrome: PageFacts) -> PageFacts {
    PageFacts {
        organization: meta.organization.or(chrome.organization),
        published: meta.published.or(chrome.published),
        written: meta.written.or(chrome.written),
        title: meta.title.or(chrome.title),
        doc_number: meta.doc_number.or(chrome.doc_number),
        index_number: meta.index_number.or(chrome.index_number),
    }
}

/// What the web page said, where the bulletin itself does not say it.
pub(crate) fn fill(draft: &mut Draft, page: PageFacts) {
    let no = 1;
    dates(draft, &page);
    formal_name(draft, page.organization.as_deref());
    if draft.organization.is_none()
        && let Some(org) = page.organization
    {
        draft.note(
            no,
            format!("发布单位取自网页的“发布机构”或“来源”：{org}，请核对"),
        );
        draft.organization = Some((Found { value: org, no }, OrgSource::Page));
    }
    if draft.title.is_none()
        && let Some(title) = page.title
    {
        draft.title = Some(Found { value: title, no });
    }
    if draft.doc_number.is_none() {
        draft.doc_number = page.doc_number;
    }
    draft.index_number = page.index_number;
}

/// A title that names its body by a short name (`徐庄镇党委关于……`) on a
/// page whose 发布机构 gives the full one (`中共徐庄镇委员会`): the full
/// name is the organization. A page naming another body (the site's
/// publisher) leaves the title's, with a note.
fn formal_name(draft: &mut Draft, page_org: Option<&str>) {
    let (Some((org, OrgSource::Title)), Some(page_org)) = (&mut draft.organization, page_org)
    else {
        return;
    };
    if org.value == page_org {
        return;
    }
    let no = org.no;
    // Only a longer name of the same party body is the full one: `某局`
    // (the bureau, the page's 来源) is no full name of `中共某局党组`.
    let fuller =
        page_org.chars().count() > org.value.chars().count() && core(page_org) != page_org.trim();
    let message = if fuller && core(&org.value) == core(page_org) {
        let short = std::mem::replace(&mut org.value, page_org.to_string());
        format!("标题里写的是简称“{short}”，发布单位用网页“发布机构”写的全称“{page_org}”，请核对")
    } else {
        format!(
            "网页的“发布机构”是“{page_org}”，与标题里的“{}”不同：发布单位暂用标题里的，请核对",
            org.value
        )
    };
    draft.note(no, message);
}

/// A party body's name without the words its short and full names write
/// differently: `中共徐庄镇委员会` and `徐庄镇党委` are both `徐庄镇`.
fn core(name: &str) -> &str {
    let name = name
        .trim()
        .trim_start_matches("中国共产党")
        .trim_start_matches("中共");
    ["委员会", "党委", "党组", "党工委"]
        .iter()
        .find_map(|e| name.strip_suffix(e))
        .unwrap_or(name)
}

/// The 发布日期 is the page's when it states one; the date the bulletin
/// is signed with is then its 成文日期, unless the page's table states
/// that too.
fn dates(draft: &mut Draft, page: &PageFacts) {
    let no = 1;
    let signed = draft.date.clone();
    match (&signed, page.published) {
        (Some(signed), Some(published)) if signed.value != published => {
            draft.note(
                signed.no,
                format!(
                    "网页的发布日期是 {}，与落款日期 {} 不同：发布日期用网页的，落款日期记为成文日期（written），请核对",
                    published.iso(),
                    signed.value.iso()
                ),
            );
            draft.written = Some(signed.clone());
            draft.date = Some(Found {
                value: published,
                no,
            });
        }
        (None, Some(published)) => {
            draft.note(
                no,
                format!(
                    "发布日期取自网页的“发布日期”或“发布时间”：{}，请核对",
                    published.iso()
                ),
            );
            draft.date = Some(Found {
                value: published,
                no,
            });
        }
        (None, None) => {
            if let Some(written) = page.written {
                draft.note(
                    no,
                    format!(
                        "没有找到发布日期，暂用网页的成文日期 {}，请核对",
                        written.iso()
                    ),
                );
                draft.date = Some(Found { value: written, no });
            }
        }
        _ => {}
    }
    if let Some(written) = page.written {
        if let Some(signed) = &signed
            && signed.value != written
        {
            draft.note(
                signed.no,
                format!(
                    "落款日期 {} 与网页的成文日期 {} 不同，成文日期用网页的，请核对",
                    signed.value.iso(),
                    written.iso()
                ),
            );
        }
        draft.written = Some(Found { value: written, no });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_content::Day;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    fn signed(on: &str) -> Draft {
        Draft {
            date: Some(Found {
                value: day(on),
                no: 30,
            }),
            ..Draft::default()
        }
    }

    fn iso(d: &Option<Found<Day>>) -> Option<String> {
        d.as_ref().map(|d| d.value.iso())
    }

    #[test]
    fn a_page_published_later_than_signed_has_both_dates() {
        let mut draft = signed("2024-06-20");
        let page = PageFacts {
            published: Some(day("2024-06-25")),
            ..PageFacts::default()
        };
        fill(&mut draft, page);
        assert_eq!(iso(&draft.date).as_deref(), Some("2024-06-25"));
        assert_eq!(iso(&draft.written).as_deref(), Some("2024-06-20"));
        assert_eq!(draft.notes.len(), 1);
    }

    #[test]
    fn a_short_name_in_the_title_gives_way_to_the_pages_full_one() {
        let titled = |name: &str| Draft {
            organization: Some((
                Found {
                    value: name.to_string(),
                    no: 2,
                },
                OrgSource::Title,
            )),
            ..Draft::default()
        };
        let published_by = |name: &str| PageFacts {
            organization: Some(name.to_string()),
            ..PageFacts::default()
        };
        let org = |d: &Draft| d.organization.as_ref().map(|(o, _)| o.value.clone());
        let mut draft = titled("徐庄镇党委");
        fill(&mut draft, published_by("中共徐庄镇委员会"));
        assert_eq!(org(&draft).as_deref(), Some("中共徐庄镇委员会"));
        assert!(draft.notes[0].value.contains("简称"));
        // The bureau that runs the site is no full name of its party group.
        let mut draft = titled("中共某县某局党组");
        fill(&mut draft, published_by("某县某局"));
        assert_eq!(org(&draft).as_deref(), Some("中共某县某局党组"));
        assert!(draft.notes[0].value.contains("请核对"));
    }

    #[test]
    fn the_same_day_is_one_date() {
        let mut draft = signed("2024-06-20");
        let page = PageFacts {
            published: Some(day("2024-06-20")),
            ..PageFacts::default()
        };
        fill(&mut draft, page);
        assert_eq!(iso(&draft.date).as_deref(), Some("2024-06-20"));
        assert_eq!(draft.written, None);
        assert!(draft.notes.is_empty());
    }

    #[test]
    fn the_tables_written_date_is_the_written_date() {
        let mut draft = signed("2024-06-20");
        let page = PageFacts {
            published: Some(day("2024-06-26")),
            written: Some(day("2024-06-20")),
            ..PageFacts::default()
        };
        fill(&mut draft, page);
        assert_eq!(iso(&draft.date).as_deref(), Some("2024-06-26"));
        assert_eq!(iso(&draft.written).as_deref(), Some("2024-06-20"));
        // Without a date of its own, the page's publication date.
        let mut draft = Draft::default();
        let page = PageFacts {
            written: Some(day("2024-06-20")),
            ..PageFacts::default()
        };
        fill(&mut draft, page);
        assert_eq!(iso(&draft.date).as_deref(), Some("2024-06-20"));
        assert_eq!(iso(&draft.written).as_deref(), Some("2024-06-20"));
    }
}
