//! Front matter exactly as YAML gives it, before validation.
//!
//! Fields that need checking against the site (category keys) or careful
//! reading (dates, result phrases, amounts) are kept as text here; the
//! loader turns them into domain types and reports mistakes with positions.

use std::fmt;

use serde::Deserialize;
use serde::de;

use crate::content::{Contact, InspectionKind};
use crate::yaml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotice {
    #[serde(default, deserialize_with = "yaml::text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub date: Option<String>,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub doc_number: Option<String>,
    /// 成文日期.
    #[serde(default, deserialize_with = "yaml::text")]
    pub written: Option<String>,
    /// 索引号.
    #[serde(default, deserialize_with = "yaml::text")]
    pub index_number: Option<String>,
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
    /// 附件.
    #[serde(default)]
    pub attachments: Vec<RawAttachment>,
}

/// An attachment: what the notice calls it, and the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttachment {
    #[serde(default, deserialize_with = "yaml::text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub path: Option<String>,
}

/// `privacy_reviewed: true`, or a list of the numbers reviewed.
#[derive(Debug)]
pub enum RawPrivacyReview {
    All(bool),
    Numbers(Vec<String>),
}

impl<'de> Deserialize<'de> for RawPrivacyReview {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawPrivacyReview;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true、false 或已审查的号码列表，例如 [\"13800138000\"]")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(RawPrivacyReview::All(v))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut numbers = Vec::new();
                while let Some(n) = seq.next_element::<Scalar>()? {
                    numbers.push(n.0);
                }
                Ok(RawPrivacyReview::Numbers(numbers))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A number or a string, as text.
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        yaml::text(d)?
            .map(Scalar)
            .ok_or_else(|| de::Error::invalid_type(de::Unexpected::Unit, &"号码"))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProblem {
    #[serde(default)]
    pub number: Option<u32>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub category: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub title: Option<String>,
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
    /// 整改时限, as written.
    #[serde(default, deserialize_with = "yaml::text")]
    pub deadline: Option<String>,
    /// The number (or `slug#number`) of the earlier report it continues.
    #[serde(default, deserialize_with = "yaml::text")]
    pub follows: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInspection {
    /// Names the round, when its notices do not share group and dates.
    #[serde(default, deserialize_with = "yaml::text")]
    pub id: Option<String>,
    pub kind: InspectionKind,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub start: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub end: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub feedback: Option<String>,
    /// The county round (an id of `rounds` in site.yaml) it is in.
    #[serde(default, deserialize_with = "yaml::text")]
    pub round: Option<String>,
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
    #[serde(default, deserialize_with = "yaml::text")]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "yaml::text")]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::RawNotice;
    use crate::load::front_matter;

    /// The reading of a front matter from its value tree, which finds the
    /// mistakes of a document that does not read: for a document that
    /// does, the full reader's, without a mistake.
    fn assert_tree_reads_alike(yaml: &str, full: &RawNotice) {
        let tree = serde_yaml::from_str(yaml).expect("a notice that reads is a tree");
        let collected = crate::yaml::collect::every_mistake::<RawNotice>(&tree, usize::MAX);
        assert_eq!(collected.found, [], "{yaml}");
        let value = collected.value.map(|n| format!("{n:?}"));
        assert_eq!(value, Some(format!("{full:?}")), "{yaml}");
    }

    /// Every notice of the example site and of the test sites reads the
    /// same through the fast YAML reader as through the full one, and from
    /// its value tree, and the example site's notices are all read fast.
    /// `GONGKAI_YAML_CORPUS` names a further folder of notices to check,
    /// such as a real site.
    #[test]
    fn notices_read_alike_fast_and_in_full() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut folders = vec![root.join("content"), root.join("tests/fixtures")];
        folders.extend(std::env::var_os("GONGKAI_YAML_CORPUS").map(Into::into));
        let mut checked = 0;
        for folder in folders {
            for entry in walkdir::WalkDir::new(&folder) {
                let path = entry.expect("fixture folder").into_path();
                let text = match std::fs::read_to_string(&path) {
                    Ok(text) if path.extension().is_some_and(|e| e == "md") => text,
                    _ => continue,
                };
                let Ok(split) = front_matter::split(text.trim_start_matches('\u{feff}')) else {
                    continue;
                };
                let fast = crate::yaml::fast::read::<RawNotice>(split.yaml);
                let full = serde_yaml::from_str::<RawNotice>(split.yaml).ok();
                if let Some(full) = &full {
                    assert_tree_reads_alike(split.yaml, full);
                }
                if let Some(fast) = &fast {
                    let full = full.map(|n| format!("{n:?}"));
                    assert_eq!(Some(format!("{fast:?}")), full, "{}", path.display());
                }
                if folder == root.join("content") {
                    assert!(fast.is_some(), "{} is not read fast", path.display());
                }
                checked += 1;
            }
        }
        assert!(checked >= 10, "only {checked} notices found");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::fuzz_cases(300)))]

        /// A real notice mangled at random: when the YAML reader reads it,
        /// its value tree reads alike, without a mistake.
        #[test]
        fn mangled_notices_read_alike_from_the_tree(
            changes in proptest::collection::vec(crate::testing::mutate::change(), 1..6)
        ) {
            let seed = include_str!("../../tests/fixtures/sites/small/content/notices/2022-first.md");
            let text = crate::testing::mutate::apply(seed, &changes);
            // The tree reads untagged values alike: a core tag is gone
            // from the tree (`!!str true` is the text "true"), which the
            // full reader reads as the field wants (a boolean).
            if let Ok(split) = front_matter::split(&text)
                && !split.yaml.contains("!!")
                && let Ok(full) = serde_yaml::from_str::<RawNotice>(split.yaml)
            {
                assert_tree_reads_alike(split.yaml, &full);
            }
        }
    }
}
