//! The layout of a bulletin: the title and signature around it, the
//! opening formula, the numbered problems under their category headings,
//! the supervision contacts, and the prose between them, which stays in
//! the body in order.
//!
//! The paragraphs are cleaned into [`Line`]s here; [`frame`] takes what
//! frames the problems (title, signature, contacts), [`opening`] reads the
//! inspection and the round the opening speaks of, [`region`] finds where
//! the problems are and how they are numbered, and [`groups`] collects them
//! under their headings.

mod frame;
mod groups;
mod opening;
mod region;
mod table;

use std::sync::LazyLock;

use regex::Regex;

use crate::categories::Matcher;
use crate::classify::{self, Label, Marker};
use crate::draft::Draft;
use crate::markdown;
use crate::problems::Piece;
use crate::source::Source;
use region::Region;

/// A paragraph after cleaning, with what it starts with.
#[derive(Debug, Clone)]
struct Line {
    no: usize,
    text: String,
    table: bool,
    marker: Option<Marker>,
    labels: Vec<Label>,
}

impl Line {
    /// A cleaned paragraph's line, its number and labels found.
    fn read(no: usize, text: String, table: bool) -> Line {
        let (marker, labels) = if table {
            (None, Vec::new())
        } else {
            (classify::marker(&text), classify::labels(&text))
        };
        Line {
            no,
            text,
            table,
            marker,
            labels,
        }
    }

    fn piece(&self, text: &str) -> Piece {
        Piece {
            text: text.trim().to_string(),
            table: self.table,
            no: self.no,
        }
    }

    /// Starts with a field label (after its number, if any).
    fn starts_with_label(&self) -> bool {
        let start = self.marker.map_or(0, |m| m.end);
        self.labels.first().is_some_and(|l| l.start <= start)
    }

    fn chars(&self) -> usize {
        self.text.chars().count()
    }
}

static ARTIFACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[bookmark:[^\]]*\]|[\u{200B}\u{200C}\u{200D}\u{FEFF}]")
        .unwrap_or_else(|e| panic!("artifact pattern: {e}"))
});
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?)$")
        .unwrap_or_else(|e| panic!("page pattern: {e}"))
});

/// Reads the layout of `source`; categories are assigned with `matcher`.
pub fn recognise(source: &Source, matcher: &Matcher<'_>) -> Draft {
    let mut draft = Draft::default();
    let mut lines = clean(source, &mut draft);
    let mut used = vec![false; lines.len()];

    frame::head(&lines, &mut used, &mut draft);
    let mut trailer = frame::signature(&lines, &mut used, &mut draft);
    frame::contact(&mut lines, &mut used, &mut trailer, &mut draft);
    opening::read(&lines, &used, &mut draft);

    let unused = |from: usize, to: usize| -> Vec<&Line> {
        lines[from..to]
            .iter()
            .zip(&used[from..to])
            .filter(|(_, u)| !**u)
            .map(|(l, _)| l)
            .collect()
    };
    let rest = unused(0, trailer);
    let region = Region::find(&rest);
    // Without numbered problems, a table of them.
    let tabled = region.is_none().then(|| tables(&rest)).flatten();
    let (before, after) = match (&region, &tabled) {
        (Some(r), _) => (&rest[..r.start], &rest[r.end..]),
        (None, Some(t)) => (&rest[..t.start], &rest[t.end..]),
        (None, None) => (&rest[..], &rest[rest.len()..]),
    };
    draft.body_before = before
        .iter()
        .map(|l| markdown::body_paragraph(&l.text, l.table))
        .collect();
    draft.body_after = after
        .iter()
        .map(|l| markdown::body_paragraph(&l.text, l.table))
        .chain(
            draft
                .cosigners
                .iter()
                .map(|name| markdown::body_paragraph(name, false)),
        )
        .chain(
            unused(trailer, lines.len())
                .iter()
                .map(|l| markdown::body_paragraph(&l.text, l.table)),
        )
        .collect();
    if let Some(r) = region {
        groups::problems_in(&rest[r.start..r.end], &r.levels, matcher, &mut draft);
        section_above_problems(&rest, before, after, &mut draft);
    } else if let Some(t) = tabled {
        table::problems_in(&rest[t.clone()], matcher, &mut draft);
    } else {
        let first = rest.first().map_or(1, |l| l.no);
        draft.note(first, "没有找到分项问题（编号后面跟着“原因分析”“整改情况”“整改结果”等小标题的段落），全文放在了正文里");
    }
    draft.notes.sort_by_key(|n| n.no);
    draft
}

/// Where the tables of problems are: from the first (or the category
/// heading above it) to the last, with only category headings between
/// them.
fn tables(rest: &[&Line]) -> Option<std::ops::Range<usize>> {
    let first = rest.iter().position(|l| table::is_problem_table(l))?;
    let mut end = first + 1;
    let mut i = end;
    while i < rest.len() {
        if table::is_problem_table(rest[i]) {
            end = i + 1;
        } else if !table::is_category_above(rest[i]) {
            break;
        }
        i += 1;
    }
    let start = match first.checked_sub(1) {
        Some(above) if table::is_category_above(rest[above]) => above,
        _ => first,
    };
    Some(start..end)
}

/// A section heading of the body's own right above the problems
/// (`二、巡察反馈意见整改落实情况`, between the body's `一、` and `三、`)
/// names no category: it stays in the text, where the page shows it just
/// before the problems, instead of becoming a comment of the list.
fn section_above_problems(rest: &[&Line], before: &[&Line], after: &[&Line], draft: &mut Draft) {
    let Some(first) = draft.groups.first_mut() else {
        return;
    };
    let Some(heading) = first
        .heading
        .as_ref()
        .filter(|_| first.assignment.key().is_none())
    else {
        return;
    };
    let style = |l: &Line| l.marker.map(|m| m.style);
    let Some(line) = rest.iter().find(|l| l.no == heading.no) else {
        return;
    };
    let sibling = before
        .iter()
        .chain(after)
        .any(|b| style(b).is_some() && style(b) == style(line));
    if sibling {
        // Above the words between it and the first problem, which follow
        // the body's own paragraphs.
        draft.body_before.insert(
            before.len(),
            markdown::body_paragraph(&line.text, line.table),
        );
        first.heading = None;
    }
}

/// Trims every paragraph, drops empty ones and removes Word artifacts.
fn clean(source: &Source, draft: &mut Draft) -> Vec<Line> {
    let mut lines = Vec::new();
    for p in &source.paras {
        let mut text = p.text.clone();
        if !p.table {
            let visible = ARTIFACT
                .find_iter(&text)
                .filter(|m| m.as_str().starts_with('['))
                .count();
            draft.artifacts += visible;
            text = ARTIFACT.replace_all(&text, "").into_owned();
        }
        let text = text.trim_matches(|c: char| c.is_whitespace()).to_string();
        if text.is_empty() {
            continue;
        }
        if !p.table && PAGE_NUMBER.is_match(&text) {
            draft.artifacts += 1;
            continue;
        }
        lines.push(Line::read(p.no, text, p.table));
    }
    lines
}
