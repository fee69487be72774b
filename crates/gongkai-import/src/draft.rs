//! What the importer recognised: a notice in the making, with the source
//! line of everything, and the places it was unsure about.

use super::categories::Assignment;
use super::round_name::RoundName;
use gongkai_content::{Contact, Day, Inspection};

/// A value and the source line (or paragraph) it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    pub value: T,
    pub no: usize,
}

/// Where the issuing body was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgSource {
    /// The signature at the end.
    Signature,
    /// A line above the title.
    Header,
    /// The title: `XX关于……的通报`.
    Title,
    /// The web page's `发布机构` or `来源`.
    Page,
    /// The body the opening says was inspected (`对某局党组开展了巡察`):
    /// the one that reports on its rectification, when nothing else names it.
    Opening,
}

#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: Option<Found<String>>,
    pub doc_number: Option<String>,
    pub organization: Option<(Found<String>, OrgSource)>,
    /// 发布日期.
    pub date: Option<Found<Day>>,
    /// 成文日期, when the document states one apart from its 发布日期.
    pub written: Option<Found<Day>>,
    /// The date a list of notices showed after the title (`…的通报
    /// (2024-07-26)`): the day it went on the web, as a page's own
    /// 发布日期 is.
    pub listed: Option<Day>,
    /// The 索引号 the old site gave it.
    pub index_number: Option<String>,
    pub inspection: Option<Inspection>,
    /// The body the opening names as inspected.
    pub inspected: Option<Found<String>>,
    /// The county round the bulletin names (`十四届县委第六轮巡察`).
    pub round: Option<Found<RoundName>>,
    /// Markdown blocks before the problems, and after them.
    pub body_before: Vec<String>,
    pub body_after: Vec<String>,
    /// The bodies that signed after the organization (a joint signature):
    /// kept at the end of the body, before any attachments.
    pub cosigners: Vec<String>,
    pub groups: Vec<Group>,
    pub contact: Option<Contact>,
    /// Places to check, in source order.
    pub notes: Vec<Found<String>>,
    /// Word artifacts removed, such as `[bookmark: _GoBack]`.
    pub artifacts: usize,
}

impl Draft {
    pub fn problems(&self) -> impl Iterator<Item = (&Group, &DraftProblem)> {
        self.groups
            .iter()
            .flat_map(|g| g.problems.iter().map(move |p| (g, p)))
    }

    pub fn note(&mut self, no: usize, message: impl Into<String>) {
        self.notes.push(Found {
            value: message.into(),
            no,
        });
    }
}

/// The problems under one category heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The heading as written, with its source line; `None` when the
    /// problems had no heading above them.
    pub heading: Option<Found<String>>,
    /// The heading this one is nested in (`（一）……方面` above
    /// `1.关于……问题的整改`), which names the category when it does not.
    pub outer: Option<String>,
    pub assignment: Assignment,
    pub problems: Vec<DraftProblem>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftProblem {
    pub number: u32,
    pub no: usize,
    pub title: String,
    /// Markdown.
    pub cause: Option<String>,
    /// Markdown.
    pub measures: Option<String>,
    /// The result phrase as written.
    pub result: Option<String>,
    /// The deadline as written (`2023年12月底前`), when it reads as one.
    pub deadline: Option<String>,
    /// A status stated explicitly, when the result phrase alone does not say it.
    pub status: Option<ExplicitStatus>,
    /// Money recovered or refunded, as a number of yuan.
    pub recovered_yuan: Option<String>,
    /// The earlier report it continues, when the round is in the site.
    pub continues: Option<Continues>,
    /// The site category it goes to, once decided.
    pub placement: Option<Placement>,
}

/// A problem's category, and how it was decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub key: String,
    /// Why, when it is a guess from wording for the reviewer to confirm.
    pub guessed: Option<String>,
}

/// What a problem continues, as the notice file says it.
#[derive(Debug, Clone, PartialEq)]
pub struct Continues {
    /// The `follows:` to write, when the number alone would not say it.
    pub follows: Option<String>,
    /// A comment for the person checking the import.
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExplicitStatus {
    pub value: String,
    /// A comment written beside it, for the person checking the import.
    pub comment: String,
}
