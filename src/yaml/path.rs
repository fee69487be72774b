//! Paths into a YAML document, such as `problems[2].number`: borrowed
//! ([`Seg`], as callers write them) and owned ([`Step`], as mistakes are
//! found).

use std::fmt;

/// One step of a path into a YAML document: a mapping key or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl fmt::Display for Seg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seg::Key(k) => write!(f, ".{k}"),
            Seg::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// One step of a path, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A path as the locator takes it.
pub fn segs(path: &[Step]) -> Vec<Seg<'_>> {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => Seg::Key(k),
            Step::Index(i) => Seg::Index(*i),
        })
        .collect()
}

/// Whether `path` is `prefix` or lies below it.
pub fn starts_with(path: &[Seg<'_>], prefix: &[Step]) -> bool {
    prefix.len() <= path.len()
        && prefix.iter().zip(path).all(|(p, s)| match (p, s) {
            (Step::Key(a), Seg::Key(b)) => a == b,
            (Step::Index(a), Seg::Index(b)) => a == b,
            _ => false,
        })
}

/// `problems[2].number`
pub fn shown(path: &[Step]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// `problems[0]` (as [`shown`] writes it) as steps.
pub fn parse(text: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in text.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                steps.push(Step::Key(rest[..i].to_string()));
            }
            rest = &rest[i..];
            while let Some(end) = rest.find(']') {
                if let Ok(n) = rest[1..end].parse() {
                    steps.push(Step::Index(n));
                }
                rest = &rest[end + 1..];
            }
        } else if !rest.is_empty() {
            steps.push(Step::Key(rest.to_string()));
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_and_read_back() {
        let path = vec![
            Step::Key("problems".into()),
            Step::Index(2),
            Step::Key("number".into()),
        ];
        assert_eq!(shown(&path), "problems[2].number");
        assert_eq!(parse("problems[2].number"), path);
        let prefix = &path[..2];
        assert!(starts_with(&segs(&path), prefix));
        assert!(starts_with(&[Seg::Key("problems"), Seg::Index(2)], prefix));
        assert!(!starts_with(&[Seg::Key("problems"), Seg::Index(1)], prefix));
        assert!(!starts_with(&[Seg::Key("problems")], prefix));
    }
}
