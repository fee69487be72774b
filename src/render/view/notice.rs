//! What a notice's own page shows: its header, its problems grouped by
//! category with each one's thread through its round, its contacts, its
//! review record and revisions.

use serde::Serialize;

use super::{BadgeView, CategoryView, Link, NoticeSummary, SeriesView, TallyView, Thread, badges};
use crate::content::attachment::{Attachment, display_size};
use crate::content::{Contact, Inspection, Notice, Problem, Tally};
use crate::model::{Html, NoticeHtml, NoticeId, ProblemRef, Site};
use crate::routes;

/// Everything about one notice, for its own page.
#[derive(Serialize, Hash)]
pub struct NoticeView<'a> {
    #[serde(flatten)]
    pub summary: NoticeSummary<'a>,
    /// `2021-11-26 09:30` for the PubDate meta tag.
    pub pub_date: String,
    /// 索引号.
    pub index_number: Option<&'a str>,
    /// 成文日期, when it is given.
    pub written: Option<String>,
    pub written_iso: Option<String>,
    pub inspection: Option<InspectionView>,
    /// The round the notice reports on, with all its notices.
    pub series: Option<SeriesView<'a>>,
    pub body_before: &'a Html,
    pub body_after: &'a Html,
    pub groups: Vec<ProblemGroup<'a>>,
    pub contact: Option<ContactView<'a>>,
    pub review: Option<ReviewView<'a>>,
    pub revisions: Vec<RevisionView<'a>>,
    /// 附件, as the front matter lists them.
    pub attachments: Vec<AttachmentView<'a>>,
    /// The notice-board sheet to print (公开栏版).
    pub board: String,
    /// The date of the last revision, when there is one.
    pub updated: Option<String>,
    pub tags: Vec<Link<'a>>,
    /// Its Word copy, when the site publishes them (`exports: [docx]`).
    pub word: Option<String>,
    pub reading_minutes: usize,
    pub chars: usize,
}

#[derive(Serialize, Hash)]
pub struct InspectionView {
    /// 巡察 or 巡视
    pub kind: &'static str,
    pub group: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub feedback: Option<String>,
}

impl InspectionView {
    pub fn new(i: &Inspection) -> InspectionView {
        InspectionView {
            kind: i.kind.label(),
            group: i.group.clone(),
            start: i.start.map(|d| d.chinese()),
            end: i.end.map(|d| d.chinese()),
            feedback: i.feedback.map(|d| d.chinese()),
        }
    }
}

#[derive(Serialize, Hash)]
pub struct ProblemGroup<'a> {
    pub category: CategoryView<'a>,
    pub tally: TallyView,
    pub problems: Vec<ProblemView<'a>>,
}

#[derive(Serialize, Hash)]
pub struct ProblemView<'a> {
    pub number: u32,
    pub anchor: String,
    pub title: &'a str,
    pub cause: Option<&'a Html>,
    pub measures: Option<&'a Html>,
    pub result: Option<&'a str>,
    pub badges: Vec<BadgeView>,
    pub recovered: Option<String>,
    pub deadline: Option<&'a str>,
    /// Its other reports, when the problem is followed in a round.
    pub thread: Thread,
}

#[derive(Serialize, Hash)]
pub struct ContactView<'a> {
    pub intro: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub email: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl<'a> ContactView<'a> {
    pub fn new(c: &'a Contact) -> ContactView<'a> {
        ContactView {
            intro: c.intro.as_deref(),
            phone: c.phone.as_deref(),
            address: c.address.as_deref(),
            postcode: c.postcode.as_deref(),
            email: c.email.as_deref(),
            note: c.note.as_deref(),
        }
    }
}

/// An attachment as its notice's page lists it.
#[derive(Serialize, Hash)]
pub struct AttachmentView<'a> {
    pub title: &'a str,
    /// The file, from the site root, percent-encoded as a link.
    pub path: String,
    /// The name it downloads under.
    pub file_name: &'a str,
    /// `PDF`, `Excel`, `图片`…, and a key for styles: `pdf`, `excel`…
    pub kind: &'static str,
    pub kind_key: &'static str,
    /// `35.2 KB`.
    pub size: String,
    pub scan_only: bool,
}

impl<'a> AttachmentView<'a> {
    pub fn new(slug: &str, a: &'a Attachment) -> AttachmentView<'a> {
        AttachmentView {
            title: &a.title,
            path: routes::link_of(&routes::attachment(slug, &a.home)),
            file_name: a.home.file_name(),
            kind: a.kind.label(),
            kind_key: a.kind.key(),
            size: display_size(a.bytes),
            scan_only: a.scan_only,
        }
    }
}

#[derive(Serialize, Hash)]
pub struct ReviewView<'a> {
    pub reviewed_by: Option<&'a str>,
    pub secrecy_reviewed: bool,
    pub approved_by: Option<&'a str>,
    pub approved_on: Option<String>,
}

#[derive(Serialize, Hash)]
pub struct RevisionView<'a> {
    pub date: String,
    pub date_iso: String,
    pub note: &'a str,
}

impl<'a> NoticeView<'a> {
    pub fn new(site: &'a Site, id: NoticeId) -> NoticeView<'a> {
        let row = &site.notices[id];
        let n: &'a Notice = &row.notice;
        let html: &'a NoticeHtml = &row.html;
        let groups = site
            .config
            .categories
            .iter()
            .enumerate()
            .filter_map(|(ci, c)| {
                let members: Vec<(usize, &Problem)> = n
                    .problems
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.category.0 == ci)
                    .collect();
                (!members.is_empty()).then(|| ProblemGroup {
                    category: CategoryView::new(c),
                    tally: (&Tally::of(members.iter().map(|(_, p)| *p))).into(),
                    problems: members
                        .into_iter()
                        .map(|(pi, p)| ProblemView {
                            number: p.number,
                            anchor: routes::problem_anchor(p.number),
                            title: &p.title,
                            cause: html.problems.get(pi).and_then(|h| h.cause.as_ref()),
                            measures: html.problems.get(pi).and_then(|h| h.measures.as_ref()),
                            result: p.result.as_deref(),
                            badges: badges(p.status),
                            recovered: p.recovered.as_ref().map(|y| y.display()),
                            deadline: p.deadline.as_ref().map(|d| d.written.as_str()),
                            thread: Thread::new(
                                site,
                                ProblemRef {
                                    notice: id,
                                    problem: pi,
                                },
                            ),
                        })
                        .collect(),
                })
            })
            .collect();
        let updated = n.updated();
        NoticeView {
            summary: NoticeSummary::new(site, id),
            pub_date: n.date.meta(),
            index_number: n.index_number.as_deref(),
            written: n.written.map(|d| d.chinese()),
            written_iso: n.written.map(|d| d.iso()),
            inspection: n.inspection.as_ref().map(InspectionView::new),
            series: SeriesView::of(site, id),
            body_before: &html.body_before,
            body_after: &html.body_after,
            groups,
            contact: site.config.contact_of(n).map(ContactView::new),
            review: n.review.as_ref().map(|r| ReviewView {
                reviewed_by: r.reviewed_by.as_deref(),
                secrecy_reviewed: r.secrecy_reviewed,
                approved_by: r.approved_by.as_deref(),
                approved_on: r.approved_on.map(|d| d.chinese()),
            }),
            revisions: n
                .revisions
                .iter()
                .map(|r| RevisionView {
                    date: r.date.chinese(),
                    date_iso: r.date.iso(),
                    note: &r.note,
                })
                .collect(),
            attachments: n
                .attachments
                .iter()
                .map(|a| AttachmentView::new(&n.slug, a))
                .collect(),
            board: routes::board(&n.slug),
            updated: (updated != n.date.day).then(|| updated.chinese()),
            tags: row
                .tags
                .iter()
                .map(|&t| Link {
                    name: &site.tags[t].name,
                    path: routes::tag(&site.tags[t].slug, 1),
                })
                .collect(),
            word: site
                .config
                .word_copies()
                .then(|| routes::notice_word(&n.slug)),
            reading_minutes: html.reading_minutes,
            chars: html.chars,
        }
    }
}
