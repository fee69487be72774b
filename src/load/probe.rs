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
    /// What loading does: `yaml::read` into the notice's raw fields,
    /// with every mistake placed.
    Read,
    /// The fast reader alone (`None` when it declines).
    Fast,
    /// The full reader (libyaml and serde) straight into the raw fields.
    Full,
    /// libyaml alone: scanning the text into events, which are skipped.
    Scan,
    /// The full reader into a YAML value tree.
    Tree,
    /// The nesting-depth guard.
    Depth,
    /// Finding every mistake on the value tree, read beforehand, and
    /// reading the rest (the paths of the mistakes; no positions).
    Collect,
    /// The locator alone, once for each mistake a document has.
    Locate,
}

impl Mechanism {
    /// All of them, in the order the benchmark reports them.
    pub const ALL: [Mechanism; 8] = [
        Mechanism::Read,
        Mechanism::Fast,
        Mechanism::Full,
        Mechanism::Scan,
        Mechanism::Tree,
        Mechanism::Depth,
        Mechanism::Collect,
        Mechanism::Locate,
    ];
}

/// A front matter, with what the error-path mechanisms start from made
/// beforehand: its value tree and the paths of its mistakes.
pub struct Document<'a> {
    text: &'a str,
    tree: Option<serde_yaml::Value>,
    paths: Vec<Vec<yaml::Step>>,
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str) -> Document<'a> {
        let tree = serde_yaml::from_str(text).ok();
        let paths = match &tree {
            Some(tree) if serde_yaml::from_str::<RawNotice>(text).is_err() => {
                let collected = yaml::collect::every_mistake::<RawNotice>(tree, usize::MAX);
                collected.found.into_iter().map(|f| f.path).collect()
            }
            _ => Vec::new(),
        };
        Document { text, tree, paths }
    }
}

/// Runs `mechanism` on `doc`; returns how many errors it found (0 when it
/// read the document, 1 when it declined or failed without a count).
pub fn run(mechanism: Mechanism, doc: &Document<'_>) -> usize {
    let failed = |ok: bool| usize::from(!ok);
    let text = doc.text;
    match mechanism {
        Mechanism::Read => yaml::read::<RawNotice>(text).errors.len(),
        Mechanism::Fast => failed(yaml::fast::read::<RawNotice>(text).is_some()),
        Mechanism::Full => failed(serde_yaml::from_str::<RawNotice>(text).is_ok()),
        Mechanism::Scan => failed(serde_yaml::from_str::<IgnoredAny>(text).is_ok()),
        Mechanism::Tree => failed(serde_yaml::from_str::<serde_yaml::Value>(text).is_ok()),
        Mechanism::Depth => failed(yaml::depth::check(text).is_ok()),
        Mechanism::Collect => match &doc.tree {
            Some(tree) if !doc.paths.is_empty() => {
                yaml::collect::every_mistake::<RawNotice>(tree, usize::MAX)
                    .found
                    .len()
            }
            _ => 0,
        },
        Mechanism::Locate => doc
            .paths
            .iter()
            .map(|path| usize::from(yaml::locate(text, &yaml::path::segs(path)).is_some()))
            .sum(),
    }
}
