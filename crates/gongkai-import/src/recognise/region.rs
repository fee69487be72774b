//! Where the problems are among the lines left for the body, and how they
//! are numbered: the style of their numbers, the levels above it, and the
//! category headings between them.

use std::sync::LazyLock;

use regex::Regex;

use super::Line;
use crate::classify::Style;

/// The wording of a category heading: `在“……”方面`, `存在问题：`.
pub(super) static CATEGORY_WORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:在\s*[“"‘「].+[”"’」]\s*方面|(?:反馈问题|存在问题|问题类别)\s*[：:]|聚焦)"#)
        .unwrap_or_else(|e| panic!("category pattern: {e}"))
});

/// Where the problems are, among the lines left for the body.
pub(super) struct Region {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) levels: Levels,
}

/// How the problems are numbered: in one style, and sometimes also one
/// level up, where a number in a parent style has labels of its own rather
/// than sub-problems (`1.关于……` over `(1)`, `(2)`, beside a `1.关于……`
/// with `整改情况：`). Sub-items of a problem's measures (`（1）`, `（2）`
/// under `1.`) are never problems.
pub(super) struct Levels {
    pub(super) style: Style,
    parents: Vec<Style>,
}

impl Levels {
    /// The styles of numbers right above a problem's number.
    fn new(lines: &[&Line], style: Style) -> Levels {
        let mut parents = Vec::new();
        for pair in lines.windows(2) {
            if let (Some(a), Some(b)) = (pair[0].marker, pair[1].marker)
                && b.style == style
                && a.style != style
                && !is_section(pair[0], style)
                && !parents.contains(&a.style)
            {
                parents.push(a.style);
            }
        }
        Levels { style, parents }
    }

    /// A number that starts the next problem: in the problems' style,
    /// followed by a label or next in sequence; or in a parent style,
    /// followed by a label.
    pub(super) fn is_problem_start(&self, lines: &[&Line], i: usize, last: u32) -> bool {
        let Some(m) = lines[i].marker else {
            return false;
        };
        if m.style == self.style {
            return backed(lines, i) || m.n == last + 1;
        }
        self.parents.contains(&m.style) && backed(lines, i)
    }
}

impl Region {
    /// The problems are numbered in the style whose numbers are most often
    /// followed by a field label; the region runs from the category heading
    /// above the first of them to the end of the last.
    pub(super) fn find(lines: &[&Line]) -> Option<Region> {
        let mut counts: Vec<(Style, usize, usize)> = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let Some(m) = l.marker else { continue };
            if !backed(lines, i) {
                continue;
            }
            match counts.iter_mut().find(|(s, _, _)| *s == m.style) {
                Some((_, n, _)) => *n += 1,
                None => counts.push((m.style, 1, i)),
            }
        }
        // Most backed numbers; on a tie, the style that comes first.
        let (style, _, first) = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))?;
        let levels = Levels::new(lines, style);
        let mut start = first;
        for back in 1..=3 {
            let Some(j) = first.checked_sub(back) else {
                break;
            };
            if is_heading(lines, j, &levels) {
                start = j;
                break;
            }
        }
        // And the heading that one is nested in.
        if start < first && start > 0 && is_heading(lines, start - 1, &levels) {
            start -= 1;
        }
        // The last line that could still belong to a problem.
        let last_candidate = lines
            .iter()
            .rposition(|l| l.starts_with_label() || l.marker.is_some_and(|m| m.style == style));
        let mut end = first + 1;
        let mut last_number = lines[first].marker.map_or(0, |m| m.n);
        let mut i = first + 1;
        let mut in_result = false;
        while i < lines.len() {
            let l = lines[i];
            if levels.is_problem_start(lines, i, last_number) {
                last_number = l.marker.map_or(last_number, |m| m.n);
                in_result = l.labels.last().is_some_and(|lb| lb.field.closes());
            } else if l.starts_with_label() {
                in_result = l.labels.last().is_some_and(|lb| lb.field.closes());
            } else if is_heading(lines, i, &levels) {
                // A category heading: the next problem follows.
            } else if is_section(l, style) {
                break;
            } else {
                // A paragraph that continues a field; after the last
                // problem's result, prose belongs to the body again.
                let more = last_candidate.is_some_and(|k| k > i);
                if in_result && !more {
                    break;
                }
            }
            i += 1;
            end = i;
        }
        Some(Region { start, end, levels })
    }
}

/// A numbered line with a field label after its number, or on the next line.
fn backed(lines: &[&Line], i: usize) -> bool {
    let l = lines[i];
    l.labels
        .iter()
        .any(|lb| l.marker.is_some_and(|m| lb.start >= m.end))
        || lines.get(i + 1).is_some_and(|n| n.starts_with_label())
}

/// A heading of a problem category: a `（一）`-style heading, or wording
/// such as `在“……”方面`, with a problem right after it.
pub(super) fn is_heading(lines: &[&Line], i: usize, levels: &Levels) -> bool {
    let (l, style) = (lines[i], levels.style);
    if l.table || l.starts_with_label() {
        return false;
    }
    // A long numbered line is a heading only right above a problem:
    // `1.关于“……”问题的整改` over `(1)`, `(2)`.
    let over_problem = lines
        .get(i + 1)
        .is_some_and(|n| n.marker.is_some_and(|m| m.style == style));
    let numbered = l.marker.is_some_and(|m| {
        m.style != style
            && (!m.style.is_arabic() || (l.chars() <= 40 && !l.text.contains('。')) || over_problem)
    });
    let worded = CATEGORY_WORDING.is_match(&l.text)
        || (l.chars() <= 40
            && !l.text.contains('。')
            && l.text.trim_end_matches(['：', ':']).ends_with(['面', '题']));
    if !(numbered || worded) {
        return false;
    }
    // A problem follows within a few lines, before any label; past a
    // heading nested in this one, unless this one is a section (`二、`).
    for (j, n) in lines.iter().enumerate().skip(i + 1).take(3) {
        if n.marker.is_some_and(|m| m.style == style) || levels.is_problem_start(lines, j, 0) {
            return true;
        }
        if n.starts_with_label() || (n.marker.is_some() && is_section(l, style)) {
            return false;
        }
    }
    false
}

/// A top-level section heading that ends the problems (`三、……`).
fn is_section(l: &Line, style: Style) -> bool {
    l.marker
        .is_some_and(|m| m.style == Style::HanDun && style != Style::HanDun)
}
