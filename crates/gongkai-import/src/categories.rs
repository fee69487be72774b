//! Matching a bulletin's category headings to the site's categories by
//! their wording, never by their position.

use std::collections::HashMap;

use gongkai_content::Category;

/// How sure a wording match must be, and by how much it must beat the
/// runner-up, to be taken without asking.
const THRESHOLD: f64 = 0.5;
const MARGIN: f64 = 0.15;

/// How a heading was assigned to a category.
#[derive(Debug, Clone, PartialEq)]
pub enum Assignment {
    /// By `--category-map KEY=TEXT`.
    Mapped { key: String },
    /// By wording; `score` is 0..=1.
    Similar { key: String, score: f64 },
    /// Not assigned; the closest categories, best first, for the message.
    Unmatched { closest: Vec<(String, f64)> },
}

impl Assignment {
    pub fn key(&self) -> Option<&str> {
        match self {
            Assignment::Mapped { key } | Assignment::Similar { key, .. } => Some(key),
            Assignment::Unmatched { .. } => None,
        }
    }
}

/// The site's categories and the user's mapping.
pub struct Matcher<'a> {
    categories: &'a [Category],
    map: &'a [(String, String)],
}

impl<'a> Matcher<'a> {
    /// `map` holds `(key, text)` pairs from `--category-map`: a heading
    /// containing `text` belongs to `key`.
    pub fn new(categories: &'a [Category], map: &'a [(String, String)]) -> Matcher<'a> {
        Matcher { categories, map }
    }

    pub fn assign(&self, heading: &str) -> Assignment {
        let squeezed = squeeze(heading);
        if let Some((key, _)) = self
            .map
            .iter()
            .find(|(_, text)| !squeeze(text).is_empty() && squeezed.contains(&squeeze(text)))
        {
            return Assignment::Mapped { key: key.clone() };
        }
        let wording = core(heading);
        let mut scores: Vec<(String, f64)> = self
            .categories
            .iter()
            .map(|c| {
                let score =
                    similarity(&wording, &core(&c.name)).max(similarity(&wording, &core(&c.short)));
                (c.key.clone(), score)
            })
            .collect();
        scores.sort_by(|a, b| b.1.total_cmp(&a.1));
        match scores.as_slice() {
            [(key, best), rest @ ..]
                if *best >= THRESHOLD
                    && rest
                        .first()
                        .is_none_or(|(_, second)| best - second >= MARGIN) =>
            {
                Assignment::Similar {
                    key: key.clone(),
                    score: *best,
                }
            }
            _ => Assignment::Unmatched {
                closest: scores.into_iter().take(2).collect(),
            },
        }
    }
}

/// Without spaces and punctuation, for `--category-map` texts.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The words that name the category: without its number and the phrases
/// every heading shares (`聚焦`, `在……方面`, `存在的问题`).
pub fn core(text: &str) -> String {
    let text = match super::classify::marker(text) {
        Some(m) => &text[m.end..],
        None => text,
    };
    let mut s = squeeze(text);
    for filler in [
        "反馈问题",
        "存在问题",
        "问题类别",
        "聚焦",
        "存在的问题",
        "方面的问题",
        "方面",
        "的问题",
        "问题",
    ] {
        s = s.replace(filler, "");
    }
    s.strip_prefix('在').map(str::to_string).unwrap_or(s)
}

/// Dice's coefficient over character pairs; a wording contained in the
/// other counts as a match.
fn similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.contains(b) || b.contains(a) {
        let (short, long) = (
            a.chars().count().min(b.chars().count()),
            a.chars().count().max(b.chars().count()),
        );
        // A short name inside a long heading is good evidence, not perfect.
        return 0.6 + 0.4 * short as f64 / long as f64;
    }
    let pairs = |s: &str| {
        let chars: Vec<char> = s.chars().collect();
        let mut m: HashMap<(char, char), usize> = HashMap::new();
        for w in chars.windows(2) {
            *m.entry((w[0], w[1])).or_default() += 1;
        }
        m
    };
    let (pa, pb) = (pairs(a), pairs(b));
    let total: usize = pa.values().sum::<usize>() + pb.values().sum::<usize>();
    if total == 0 {
        return 0.0;
    }
    let common: usize = pa
        .iter()
        .map(|(k, n)| (*n).min(pb.get(k).copied().unwrap_or(0)))
        .sum();
    2.0 * common as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_content::default_categories;

    fn key(heading: &str) -> Option<String> {
        let cats = default_categories();
        Matcher::new(&cats, &[])
            .assign(heading)
            .key()
            .map(str::to_string)
    }

    #[test]
    fn matches_by_wording() {
        assert_eq!(
            key("（一）贯彻落实党的路线方针政策和党中央决策部署存在的问题").as_deref(),
            Some("policy")
        );
        assert_eq!(
            key("(二)群众身边腐败问题和不正之风方面").as_deref(),
            Some("conduct")
        );
        assert_eq!(
            key("（三）党组织领导班子和干部队伍建设方面").as_deref(),
            Some("team")
        );
        assert_eq!(
            key("(一)聚焦贯彻落实党中央决策部署方面").as_deref(),
            Some("policy")
        );
        assert_eq!(
            key("在“群众身边的不正之风和腐败问题”方面").as_deref(),
            Some("conduct")
        );
        assert_eq!(
            key("反馈问题：领导班子和干部队伍建设方面").as_deref(),
            Some("team")
        );
    }

    #[test]
    fn unrelated_headings_stay_unmatched() {
        assert_eq!(key("（四）巡察整改和成果运用方面"), None);
        assert_eq!(key("其他问题"), None);
    }

    #[test]
    fn the_users_map_wins() {
        let cats = default_categories();
        let map = vec![("team".to_string(), "成果运用".to_string())];
        let a = Matcher::new(&cats, &map).assign("（四）巡察整改和成果运用方面");
        assert_eq!(a, Assignment::Mapped { key: "team".into() });
    }
}
