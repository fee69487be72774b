//! The content model: what a notice is, once loaded and validated.
//!
//! These types name the domain (Notice, Problem, Status, ...) and hold only
//! valid data: the loader turns front matter into them or reports why not.
//! Beside them, what both the site generator and the importer say in the
//! domain's words: the problem [`category`] list, reading a scalar as text
//! ([`scalar`]), the Chinese [`text`] helpers, and which [`html`] elements
//! pair by themselves.

pub mod attachment;
pub mod category;
pub mod date;
pub mod deadline;
pub mod html;
pub mod money;
pub mod scalar;
pub mod status;
pub mod tally;
pub mod text;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use attachment::{Attachment, FileKind};
pub use category::{Category, default_categories};
pub use date::{Day, PublishDate};
pub use deadline::{Deadline, Due};
pub use money::Yuan;
pub use status::{State, Status};
pub use tally::Tally;

/// Index of a category in the site's ordered category list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CategoryId(pub usize);

impl From<usize> for CategoryId {
    fn from(index: usize) -> CategoryId {
        CategoryId(index)
    }
}

impl From<CategoryId> for usize {
    fn from(id: CategoryId) -> usize {
        id.0
    }
}

/// Index of a unit in the site's `units` (a county's departments,
/// townships, schools).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct UnitId(pub usize);

impl From<usize> for UnitId {
    fn from(index: usize) -> UnitId {
        UnitId(index)
    }
}

impl From<UnitId> for usize {
    fn from(id: UnitId) -> usize {
        id.0
    }
}

/// Index of a county round in the site's `rounds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CountyRoundId(pub usize);

impl From<usize> for CountyRoundId {
    fn from(index: usize) -> CountyRoundId {
        CountyRoundId(index)
    }
}

impl From<CountyRoundId> for usize {
    fn from(id: CountyRoundId) -> usize {
        id.0
    }
}

/// One published (or draft) notice.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The source file, relative to the site root (`content/notices/x.md`).
    pub source: PathBuf,
    pub slug: String,
    pub title: String,
    pub date: PublishDate,
    /// Issuing body; the site's organization when the notice names none.
    pub organization: String,
    /// 文号, e.g. 湘政协〔2021〕12号.
    pub doc_number: Option<String>,
    /// Explicit summary; otherwise derived from the body when rendering.
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    /// The unit it belongs to, when the site declares units: by its folder
    /// (`content/<unit>/`) or by its `organization`.
    pub unit: Option<UnitId>,
    /// 成文日期: the day the document was written, beside `date` (发布日期).
    pub written: Option<Day>,
    /// 索引号, as assigned once by the site's pattern.
    pub index_number: Option<String>,
    /// The county round its inspection is in, as `inspection.round` names it.
    pub county_round: Option<CountyRoundId>,
    /// Categories named by the notice itself (for notices without problems).
    pub categories: Vec<CategoryId>,
    pub inspection: Option<Inspection>,
    pub problems: Vec<Problem>,
    /// Supervision contact; the site's when the notice gives none.
    pub contact: Option<Contact>,
    pub review: Option<Review>,
    pub revisions: Vec<Revision>,
    /// 附件: the files listed under `attachments:`, found in the site.
    pub attachments: Vec<Attachment>,
    /// Personal numbers the notice says were reviewed for publication.
    pub privacy_reviewed: PrivacyReview,
    /// The file's text as read: its body is the notice's Markdown, and its
    /// front matter locates mistakes found after loading.
    pub text: SourceText,
    /// A hash of the file's text: `serve` tells by it what changed.
    pub digest: u64,
    /// Counts made from the problems when first needed.
    pub stats: std::sync::OnceLock<NoticeStats>,
}

/// A notice file's text as it was read, with where its parts are.
#[derive(Debug, Clone, Default)]
pub struct SourceText {
    pub text: Arc<str>,
    /// The YAML between the `---` lines, and the line it starts on.
    pub yaml: Range<usize>,
    pub yaml_line: usize,
    /// Where the Markdown body starts: byte offset and line.
    pub body_start: usize,
    pub body_line: usize,
    /// Where each line starts, made when a mistake is first placed: a
    /// notice with thousands of them would otherwise read its text for
    /// each one.
    pub line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceText {
    /// The text's lines, to place many mistakes in it: the line starts
    /// are found once, when first asked for, and kept.
    pub fn lines(&self) -> gongkai_diagnostic::LineIndex<'_> {
        let starts = self
            .line_starts
            .get_or_init(|| gongkai_diagnostic::LineIndex::starts(&self.text));
        gongkai_diagnostic::LineIndex::with_starts(&self.text, starts)
    }

    pub fn yaml(&self) -> &str {
        self.text.get(self.yaml.clone()).unwrap_or("")
    }

    /// The Markdown body after the front matter.
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }
}

/// What the indexes need of a notice's problems, counted once: the
/// category of each problem, and the counts per category and in all.
#[derive(Debug, Clone, Default)]
pub struct NoticeStats {
    pub problem_categories: Vec<CategoryId>,
    /// Counts per category, in the site's order of categories.
    pub by_category: Vec<(CategoryId, Tally)>,
    pub total: Tally,
}

impl Notice {
    /// Every category the notice touches: its own, then its problems', in
    /// the site's order.
    pub fn all_categories(&self) -> Vec<CategoryId> {
        let mut all: Vec<CategoryId> = self
            .categories
            .iter()
            .copied()
            .chain(self.problems.iter().map(|p| p.category))
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The counts of the problems (made once, then kept).
    pub fn stats(&self) -> &NoticeStats {
        self.stats.get_or_init(|| {
            let mut stats = NoticeStats::default();
            for p in &self.problems {
                stats.problem_categories.push(p.category);
                stats.total.add(p);
                match stats.by_category.iter_mut().find(|(c, _)| *c == p.category) {
                    Some((_, t)) => t.add(p),
                    None => stats.by_category.push((p.category, Tally::of([p]))),
                }
            }
            stats.by_category.sort_by_key(|(c, _)| *c);
            stats
        })
    }

    /// Frees the Markdown and the file's text, once compiled (a build
    /// needs them no more), or as soon as read (a big site's build or
    /// preview reads the file again when it needs them).
    pub fn release_sources(&mut self) {
        self.text = SourceText::default();
        for p in &mut self.problems {
            p.cause = None;
            p.measures = None;
        }
    }

    /// Whether it still has the file's text and Markdown
    /// ([`Notice::release_sources`] frees them). A notice file is never
    /// empty: it has its front matter.
    pub fn has_sources(&self) -> bool {
        !self.text.text.is_empty()
    }

    /// Whether the review record shows approval (and the secrecy review).
    pub fn is_approved(&self) -> bool {
        self.review.as_ref().is_some_and(Review::is_complete)
    }

    /// The date of the newest revision, or the publication day.
    pub fn updated(&self) -> Day {
        self.revisions
            .iter()
            .map(|r| r.date)
            .max()
            .map_or(self.date.day, |d| d.max(self.date.day))
    }
}

/// Which personal numbers a notice may publish after review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PrivacyReview {
    #[default]
    None,
    /// `privacy_reviewed: true`: every number in the notice was reviewed.
    All,
    /// The numbers reviewed, as digits.
    Numbers(Vec<String>),
}

impl PrivacyReview {
    pub fn covers(&self, digits: &str) -> bool {
        match self {
            PrivacyReview::None => false,
            PrivacyReview::All => true,
            PrivacyReview::Numbers(numbers) => {
                numbers.iter().any(|n| n.eq_ignore_ascii_case(digits))
            }
        }
    }
}

/// One itemised problem of a notice.
#[derive(Debug, Clone)]
pub struct Problem {
    pub number: u32,
    pub category: CategoryId,
    pub title: String,
    /// 原因分析 (Markdown).
    pub cause: Option<String>,
    /// 整改情况 (Markdown).
    pub measures: Option<String>,
    /// 整改结果 exactly as written.
    pub result: Option<String>,
    /// Derived from `result`, or stated by a `status:` field.
    pub status: Option<Status>,
    /// Money recovered or refunded, when stated.
    pub recovered: Option<Yuan>,
    /// 整改时限, when stated.
    pub deadline: Option<Deadline>,
    /// The earlier report of the same problem, when the numbers changed.
    pub follows: Option<Follows>,
}

/// Which earlier report a problem continues, when its number does not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Follows {
    /// `follows: 3`: problem 3 as the round last numbered it; `follows:
    /// slug#3`: problem 3 of that notice.
    Problem { notice: Option<String>, number: u32 },
    /// `follows: 无`: first reported here, whatever its number.
    Nothing,
}

/// 巡察 (by a county/city Party committee), 巡视 (by a province or the
/// centre), or 督察 (an ecological or other supervision: 中央生态环境保护督察组).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InspectionKind {
    #[serde(rename = "巡察")]
    Xuncha,
    #[serde(rename = "巡视")]
    Xunshi,
    #[serde(rename = "督察")]
    Ducha,
}

impl InspectionKind {
    pub fn label(self) -> &'static str {
        match self {
            InspectionKind::Xuncha => "巡察",
            InspectionKind::Xunshi => "巡视",
            InspectionKind::Ducha => "督察",
        }
    }
}

/// The inspection a notice answers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Inspection {
    /// Names the round explicitly; else group, start and body tell it.
    pub id: Option<String>,
    pub kind: InspectionKind,
    pub group: Option<String>,
    pub start: Option<Day>,
    pub end: Option<Day>,
    pub feedback: Option<Day>,
}

/// Where the public can send opinions (监督方式).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The invitation before the contacts, as the notice words it
    /// (`欢迎广大干部群众对巡察整改落实进行监督。`); the theme has a default.
    #[serde(default)]
    pub intro: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// 邮政信箱 or postal address.
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "crate::scalar::text")]
    pub postcode: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Anything else, e.g. another body to write to (Markdown, one paragraph).
    #[serde(default)]
    pub note: Option<String>,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self == &Contact::default()
    }
}

/// The review record required by 党务公开条例 Art. 15.
#[derive(Debug, Clone, Default)]
pub struct Review {
    pub reviewed_by: Option<String>,
    pub secrecy_reviewed: bool,
    pub approved_by: Option<String>,
    pub approved_on: Option<Day>,
}

impl Review {
    /// Reviewed for secrecy and approved by someone on a day.
    pub fn is_complete(&self) -> bool {
        self.secrecy_reviewed && self.approved_by.is_some() && self.approved_on.is_some()
    }

    /// What is missing for publication, in words.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if !self.secrecy_reviewed {
            missing.push("保密审查（secrecy_reviewed: true）");
        }
        if self.approved_by.is_none() {
            missing.push("审批人（approved_by）");
        }
        if self.approved_on.is_none() {
            missing.push("审批日期（approved_on）");
        }
        missing
    }
}

/// A correction after publication: shown on the page, never a silent edit.
#[derive(Debug, Clone)]
pub struct Revision {
    pub date: Day,
    pub note: String,
}
