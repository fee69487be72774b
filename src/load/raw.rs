//! Front matter exactly as YAML gives it, before validation.
//!
//! Fields that need checking against the site (category keys) or careful
//! reading (dates, result phrases, amounts) are kept as text here; the
//! loader turns them into domain types and reports mistakes with positions.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::content::{Contact, InspectionKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotice {
    pub title: String,
    #[serde(deserialize_with = "required_text")]
    pub date: String,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub doc_number: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub slug: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default, deserialize_with = "one_or_many")]
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
pub struct Scalar(#[serde(deserialize_with = "required_text")] pub String);

impl RawNotice {
    pub const FIELDS: &'static [&'static str] = &[
        "title",
        "date",
        "organization",
        "doc_number",
        "slug",
        "summary",
        "tags",
        "draft",
        "categories",
        "inspection",
        "problems",
        "contact",
        "review",
        "revisions",
        "privacy_reviewed",
    ];
}

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
    #[serde(default, deserialize_with = "text")]
    pub result: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub recovered_yuan: Option<String>,
}

impl RawProblem {
    pub const FIELDS: &'static [&'static str] = &[
        "number",
        "category",
        "title",
        "cause",
        "measures",
        "result",
        "status",
        "recovered_yuan",
    ];
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInspection {
    pub kind: InspectionKind,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub start: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub end: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub feedback: Option<String>,
}

impl RawInspection {
    pub const FIELDS: &'static [&'static str] = &["kind", "group", "start", "end", "feedback"];
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
    #[serde(default, deserialize_with = "text")]
    pub approved_on: Option<String>,
}

impl RawReview {
    pub const FIELDS: &'static [&'static str] = &[
        "reviewed_by",
        "secrecy_reviewed",
        "approved_by",
        "approved_on",
    ];
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRevision {
    #[serde(deserialize_with = "required_text")]
    pub date: String,
    pub note: String,
}

/// Any scalar as text: dates, numbers and amounts are read by the loader,
/// which gives better messages than a type error would.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(TextVisitor)
}

fn required_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    text(d)?.ok_or_else(|| de::Error::custom("invalid type: null, expected 文本"))
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("文本或数字")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// `tags: 巡察整改` means the same as `tags: [巡察整改]`.
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
        Nothing(()),
    }
    match OneOrMany::deserialize(d) {
        Ok(OneOrMany::One(s)) => Ok(vec![s]),
        Ok(OneOrMany::Many(v)) => Ok(v),
        Ok(OneOrMany::Nothing(())) => Ok(Vec::new()),
        Err(_) => Err(de::Error::custom(
            "invalid type: 其他内容, expected 一个文本或文本列表，例如 [巡察整改, 党风廉政]",
        )),
    }
}
