//! The problems of the region, collected under their category headings,
//! each heading assigned to a category.

use super::Line;
use super::region::{Levels, is_heading};
use crate::categories::{Assignment, Matcher};
use crate::classify::{Label, Marker, Style};
use crate::draft::{Draft, Found, Group};
use crate::markdown;
use crate::problems::{self, Collected, Labelled};

/// The problems collected under one heading, before they are finished.
#[derive(Default)]
pub(super) struct Collecting {
    pub(super) heading: Option<Found<String>>,
    /// The heading this one is nested in (`（一）……方面` above `1.关于……`).
    pub(super) outer: Option<String>,
    pub(super) problems: Vec<Collected>,
}

/// Collects the problems of the region under their headings.
pub(super) fn problems_in(
    lines: &[&Line],
    levels: &Levels,
    matcher: &Matcher<'_>,
    draft: &mut Draft,
) {
    let mut groups: Vec<Collecting> = Vec::new();
    // The style of the headings nested in the current outer one, and that
    // outer heading.
    let mut nested: Option<(Option<Style>, String)> = None;
    let mut last_number = 0;
    let mut intro: Vec<String> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if levels.is_problem_start(lines, i, last_number) {
            let m = l.marker.unwrap_or(Marker {
                style: levels.style,
                n: last_number + 1,
                end: 0,
            });
            if last_number > 0 && m.n != last_number + 1 && m.n != 1 {
                draft.note(l.no, format!("问题编号从 {last_number} 跳到了 {}", m.n));
            }
            last_number = m.n;
            let rest = &l.text[m.end..];
            let (title, fields) = split_labels(l, rest, m.end);
            if groups.is_empty() {
                groups.push(Collecting::default());
            }
            if let Some(group) = groups.last_mut() {
                group.problems.push(Collected {
                    number: m.n,
                    no: l.no,
                    title,
                    untitled: Vec::new(),
                    fields,
                });
            }
        } else if is_heading(lines, i, levels) {
            let level = l.marker.map(|m| m.style);
            match groups.last() {
                // Right under another heading: nested in it.
                Some(Collecting {
                    heading: Some(outer),
                    problems,
                    ..
                }) if problems.is_empty() => {
                    nested = Some((level, outer.value.clone()));
                }
                _ if nested.as_ref().is_some_and(|(inner, _)| *inner != level) => nested = None,
                _ => {}
            }
            groups.push(Collecting {
                heading: Some(Found {
                    value: l.text.clone(),
                    no: l.no,
                }),
                outer: nested.as_ref().map(|(_, outer)| outer.clone()),
                problems: Vec::new(),
            });
        } else if let Some(problem) = groups.last_mut().and_then(|g| g.problems.last_mut()) {
            if l.starts_with_label() {
                let (_, fields) = split_labels(l, &l.text, 0);
                problem.fields.extend(fields);
            } else if let Some(field) = problem.fields.last_mut() {
                field.pieces.push(l.piece(&l.text));
            } else {
                problem.untitled.push(l.piece(&l.text));
            }
        } else {
            // Between a heading and its first problem.
            draft.note(l.no, "类别标题和第一个问题之间的文字，放在了问题列表前面");
            intro.push(markdown::body_paragraph(&l.text, l.table));
        }
    }
    draft.body_before.extend(intro);
    finish(groups, matcher, draft);
}

/// The groups collected, finished into the draft: their numbers made one
/// sequence where they start again under each heading, each group assigned
/// a category (by the heading it is nested in, which is at the level of
/// categories, when that names one), each problem finished.
pub(super) fn finish(mut groups: Vec<Collecting>, matcher: &Matcher<'_>, draft: &mut Draft) {
    renumber_if_repeated(&mut groups, draft);
    let mut notes = Vec::new();
    for g in groups {
        let by_outer = g.outer.as_deref().map(|o| matcher.assign(o));
        let assignment = match (&g.heading, by_outer) {
            (_, Some(a)) if a.key().is_some() => a,
            (Some(h), _) => matcher.assign(&h.value),
            (None, _) => Assignment::Unmatched {
                closest: Vec::new(),
            },
        };
        let problems = g
            .problems
            .into_iter()
            .map(|c| problems::finish(c, &mut notes))
            .collect();
        draft.groups.push(Group {
            heading: g.heading,
            outer: g.outer,
            assignment,
            problems,
        });
    }
    draft.notes.extend(notes);
}

/// Numbers that start again under each heading (1, 2 | 1, 2) would name two
/// problems alike: they become one sequence, as the content model needs.
fn renumber_if_repeated(groups: &mut [Collecting], draft: &mut Draft) {
    let mut seen = std::collections::HashSet::new();
    let repeated = groups
        .iter()
        .flat_map(|g| &g.problems)
        .find(|p| !seen.insert(p.number))
        .map(|p| p.no);
    let Some(no) = repeated else { return };
    let mut n = 0;
    for p in groups.iter_mut().flat_map(|g| g.problems.iter_mut()) {
        n += 1;
        p.number = n;
    }
    draft.note(
        no,
        format!("问题编号在各类别下重新从 1 开始，已改成全文连续的 1–{n}，请核对"),
    );
}

/// Splits a line at its labels: the text before the first label, and each
/// labelled field. `offset` is where `text` starts in the line.
fn split_labels(l: &Line, text: &str, offset: usize) -> (String, Vec<Labelled>) {
    let labels: Vec<&Label> = l.labels.iter().filter(|lb| lb.start >= offset).collect();
    let head_end = labels.first().map_or(text.len(), |lb| lb.start - offset);
    let head = text[..head_end].trim().to_string();
    let fields = labels
        .iter()
        .enumerate()
        .map(|(k, lb)| {
            let end = labels.get(k + 1).map_or(l.text.len(), |n| n.start);
            let content = &l.text[lb.end..end];
            Labelled {
                field: lb.field,
                word: lb.word.clone(),
                pieces: if content.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![l.piece(content)]
                },
            }
        })
        .collect();
    (head, fields)
}
