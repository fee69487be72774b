//! Front matter exactly as YAML gives it, before validation.
//!
//! Fields that need checking against the site (category keys) or careful
//! reading (dates, result phrases, amounts) are kept as text here; the
//! loader turns them into domain types and reports mistakes with positions.

use serde::Deserialize;

use crate::content::{Contact, InspectionKind};
use crate::yaml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotice {
    pub title: String,
    #[serde(deserialize_with = "yaml::required_text")]
    pub date: String,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub doc_number: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub slug: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "yaml::one_or_many")]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default, deserialize_with = "yaml::one_or_many")]
    pub categories: Vec<String>,
    #[serde(default)]
    pub inspection: Option<RawInspection>,
    #[serde(default)]
    pub problems: Vec<RawProblem>,
    #[serde(default)]
    pub contact: Option<Contact>,
    #[serde(default)]
    pub review: Option<RawReview>,
    #[serde(default)]
    pub revisions: Vec<RawRevision>,
    #[serde(default)]
    pub privacy_reviewed: Option<RawPrivacyReview>,
}

/// `privacy_reviewed: true`, or a list of the numbers reviewed.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawPrivacyReview {
    All(bool),
    Numbers(Vec<Scalar>),
}

/// A number or a string, as text.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Scalar(#[serde(deserialize_with = "yaml::required_text")] pub String);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProblem {
    #[serde(default)]
    pub number: Option<u32>,
    pub category: String,
    pub title: String,
    #[serde(default)]
    pub cause: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub result: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub recovered_yuan: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInspection {
    pub kind: InspectionKind,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub start: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub end: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub feedback: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReview {
    #[serde(default)]
    pub reviewed_by: Option<String>,
    #[serde(default)]
    pub secrecy_reviewed: bool,
    #[serde(default)]
    pub approved_by: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub approved_on: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRevision {
    #[serde(deserialize_with = "yaml::required_text")]
    pub date: String,
    pub note: String,
}
