//! Each YAML mechanism of loading, alone, for `benches/yaml.rs` to time:
//! not part of the program's interface (hidden from the documentation).

use serde::de::IgnoredAny;

use super::raw::RawNotice;
use crate::yaml;

/// The YAML front matter of a notice file, if it has one.
pub fn front_matter(text: &str) -> Option<&str> {
    super::front_matter::split(text).ok().map(|s| s.yaml)
}

/// A way of reading a front matter, alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    /// What loading does: [`yaml::parse`] into the notice's raw fields.
    Parse,
    /// The fast reader alone (`None` when it declines).
    Fast,
    /// The full reader (libyaml and serde) straight into the raw fields.
    Full,
    /// libyaml alone: scanning the text into events, which are skipped.
    Scan,
    /// The full reader into a YAML value tree.
    Value,
    /// The nesting-depth pre-scan.
    Depth,
    /// Collecting every error of a bad document from its value tree (the
    /// re-read loop, with the locator it calls).
    Collect,
    /// The locator alone, once for each error a bad document has.
    Locate,
}

impl Mechanism {
    /// All of them, in the order the benchmark reports them.
    pub const ALL: [Mechanism; 8] = [
        Mechanism::Parse,
        Mechanism::Fast,
        Mechanism::Full,
        Mechanism::Scan,
        Mechanism::Value,
        Mechanism::Depth,
        Mechanism::Collect,
        Mechanism::Locate,
    ];
}

/// A front matter, with what the error-path mechanisms start from made
/// beforehand: its value tree and the paths of its mistakes.
pub struct Document<'a> {
    text: &'a str,
    value: Option<serde_yaml::Value>,
    paths: Vec<Vec<yaml::Step>>,
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str) -> Document<'a> {
        let paths = yaml::parse::<RawNotice>(text)
            .err()
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e.path.as_deref())
            .map(yaml::parse_path)
            .collect();
        Document {
            text,
            value: serde_yaml::from_str(text).ok(),
            paths,
        }
    }
}

/// Runs `mechanism` on `doc`; returns how many errors it found (0 when it
/// read the document, 1 when it declined or failed without a count).
pub fn run(mechanism: Mechanism, doc: &Document<'_>) -> usize {
    let failed = |ok: bool| usize::from(!ok);
    let text = doc.text;
    match mechanism {
        Mechanism::Parse => yaml::parse::<RawNotice>(text).err().map_or(0, |e| e.len()),
        Mechanism::Fast => failed(yaml::fast::read::<RawNotice>(text).is_some()),
        Mechanism::Full => failed(serde_yaml::from_str::<RawNotice>(text).is_ok()),
        Mechanism::Scan => failed(serde_yaml::from_str::<IgnoredAny>(text).is_ok()),
        Mechanism::Value => failed(serde_yaml::from_str::<serde_yaml::Value>(text).is_ok()),
        Mechanism::Depth => failed(yaml::depth::check(text).is_ok()),
        Mechanism::Collect => match &doc.value {
            Some(value) => yaml::every_error::<RawNotice>(text, value.clone())
                .err()
                .map_or(0, |e| e.len()),
            None => 1,
        },
        Mechanism::Locate => doc
            .paths
            .iter()
            .map(|path| usize::from(yaml::locate(text, &yaml::segs(path)).is_some()))
            .sum(),
    }
}
