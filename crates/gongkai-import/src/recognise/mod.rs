//! The layout of a bulletin: the title and signature around it, the
//! opening formula, the numbered problems under their category headings,
//! the supervision contacts, and the prose between them, which stays in
//! the body in order.

use std::sync::LazyLock;

use regex::Regex;

use super::categories::{Assignment, Matcher};
use super::classify::{self, Label, Marker, Style};
use super::dates;
use super::draft::{Draft, Found, Group, OrgSource};
use super::facts;
use super::markdown;
use super::problems::{self, Collected, Labelled, Piece};
use super::source::Source;

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
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}]{1,12}\s*[〔\[［【﹝(（]\s*\d{4}\s*[〕\]］】﹞)）]\s*\d{1,4}\s*号$")
        .unwrap_or_else(|e| panic!("doc number pattern: {e}"))
});
static CATEGORY_WORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:在\s*[“"‘「].+[”"’」]\s*方面|(?:反馈问题|存在问题|问题类别)\s*[：:]|聚焦)"#)
        .unwrap_or_else(|e| panic!("category pattern: {e}"))
});

/// Reads the layout of `source`; categories are assigned with `matcher`.
pub fn recognise(source: &Source, matcher: &Matcher<'_>) -> Draft {
    let mut draft = Draft::default();
    let lines = clean(source, &mut draft);
    let mut used = vec![false; lines.len()];

    head(&lines, &mut used, &mut draft);
    signature(&lines, &mut used, &mut draft);
    contact(&lines, &mut used, &mut draft);
    let opening = lines
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .take(6)
        .find_map(|(l, _)| {
            let told =
                !dates::mentions(&l.text).is_empty() || facts::month_range(&l.text).is_some();
            facts::inspection(&l.text).filter(|_| told).map(|i| (l, i))
        });
    if let Some((l, i)) = &opening
        && facts::month_range(&l.text).is_some_and(|(s, _)| i.start == Some(s))
    {
        draft.note(
            l.no,
            "巡察（巡视）时间只写到月，起止日期暂按月初和月末写出，请改成实际日期",
        );
    }
    draft.inspection = opening.map(|(_, i)| i);

    let rest: Vec<&Line> = lines
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(l, _)| l)
        .collect();
    let region = Region::find(&rest);
    let (before, after) = match &region {
        Some(r) => (&rest[..r.start], &rest[r.end..]),
        None => (&rest[..], &rest[rest.len()..]),
    };
    draft.body_before = before
        .iter()
        .map(|l| markdown::body_paragraph(&l.text, l.table))
        .collect();
    draft.body_after = after
        .iter()
        .map(|l| markdown::body_paragraph(&l.text, l.table))
        .collect();
    if let Some(r) = region {
        problems_in(&rest[r.start..r.end], &r.levels, matcher, &mut draft);
    } else {
        let first = rest.first().map_or(1, |l| l.no);
        draft.note(first, "没有找到分项问题（编号后面跟着“原因分析”“整改情况”“整改结果”等小标题的段落），全文放在了正文里");
    }
    draft.notes.sort_by_key(|n| n.no);
    draft
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
        let (marker, labels) = if p.table {
            (None, Vec::new())
        } else {
            (classify::marker(&text), classify::labels(&text))
        };
        lines.push(Line {
            no: p.no,
            text,
            table: p.table,
            marker,
            labels,
        });
    }
    lines
}

/// A short line without sentence punctuation: a title, a signature.
fn is_name_like(l: &Line, max: usize) -> bool {
    !l.table
        && l.chars() <= max
        && !l.text.contains(['。', '，', '；', '：', ',', ';', ':'])
        && l.text.chars().any(gongkai_content::text::is_han)
        && l.marker.is_none()
}

/// The issuing body under a bulletin: a name, not a heading.
fn is_signature(l: &Line) -> bool {
    is_name_like(l, 40)
        && !CATEGORY_WORDING.is_match(&l.text)
        && !l.text.contains(['“', '”', '"', '《'])
        && !["方面", "问题", "情况", "通报", "报告", "公告"]
            .iter()
            .any(|e| l.text.ends_with(e))
}

/// The title (possibly over two lines), a document number, an issuing body
/// above the title, and a date right below it.
fn head(lines: &[Line], used: &mut [bool], draft: &mut Draft) {
    let mut i = 0;
    let take_doc_number = |i: &mut usize, used: &mut [bool], draft: &mut Draft| {
        if let Some(l) = lines.get(*i)
            && DOC_NUMBER.is_match(&l.text)
        {
            draft.doc_number = Some(l.text.clone());
            used[*i] = true;
            *i += 1;
        }
    };
    take_doc_number(&mut i, used, draft);
    if let (Some(a), Some(b)) = (lines.get(i), lines.get(i + 1))
        && is_name_like(a, 30)
        && b.text.starts_with("关于")
        && !a.text.contains("关于")
    {
        draft.organization = Some((
            Found {
                value: a.text.clone(),
                no: a.no,
            },
            OrgSource::Header,
        ));
        used[i] = true;
        i += 1;
    }
    let Some(first) = lines.get(i) else { return };
    if !is_name_like(first, 80) {
        draft.note(first.no, "没有找到标题（第一段不像标题），请补写 title");
        return;
    }
    let mut title = first.text.clone();
    used[i] = true;
    i += 1;
    // A long title that Word broke over two lines: the first half does not
    // end like a title does, the second half does.
    let ends_like_title = |t: &str| {
        ["通报", "报告", "情况", "公告", "通知", "说明", "公示"]
            .iter()
            .any(|e| t.ends_with(e))
    };
    if let Some(next) = lines.get(i)
        && !ends_like_title(&title)
        && is_name_like(next, 40)
        && ends_like_title(&next.text)
    {
        title.push_str(&next.text);
        used[i] = true;
        i += 1;
    }
    draft.title = Some(Found {
        value: title,
        no: first.no,
    });
    take_doc_number(&mut i, used, draft);
    if let Some(l) = lines.get(i)
        && let Some(day) = dates::whole_line(&l.text)
    {
        draft.date = Some(Found {
            value: day,
            no: l.no,
        });
        used[i] = true;
    }
}

/// The issuing body and the date at the end.
fn signature(lines: &[Line], used: &mut [bool], draft: &mut Draft) {
    let mut signed_org = None;
    for i in (0..lines.len()).rev().take(3) {
        if used[i] {
            break;
        }
        let l = &lines[i];
        if let Some(day) = dates::whole_line(&l.text) {
            if draft.date.is_some() {
                break;
            }
            draft.date = Some(Found {
                value: day,
                no: l.no,
            });
        } else if signed_org.is_none() && is_signature(l) {
            signed_org = Some(Found {
                value: l.text.clone(),
                no: l.no,
            });
        } else {
            break;
        }
        used[i] = true;
    }
    if let Some(org) = signed_org {
        // A header above the title that names another body keeps its words
        // in the body: only one of them can be the organization.
        if let Some((header, _)) = &draft.organization
            && header.value != org.value
        {
            let i = lines
                .iter()
                .position(|l| l.no == header.no && l.text == header.value);
            if let Some(i) = i {
                used[i] = false;
            }
        }
        draft.organization = Some((org, OrgSource::Signature));
    } else if draft.organization.is_none()
        && let Some(t) = &draft.title
        && let Some(at) = t.value.find("关于")
        && at > 0
    {
        let org = Found {
            value: t.value[..at].to_string(),
            no: t.no,
        };
        draft.organization = Some((org, OrgSource::Title));
    }
}

/// The supervision contacts: the last paragraphs that name a phone, an
/// address or a mailbox, with the invitation just before them.
fn contact(lines: &[Line], used: &mut [bool], draft: &mut Draft) {
    let Some(last) = (0..lines.len())
        .rev()
        .find(|&i| !used[i] && !lines[i].table && facts::has_contact(&lines[i].text))
    else {
        return;
    };
    let mut first = last;
    while first > 0
        && !used[first - 1]
        && facts::has_contact(&lines[first - 1].text)
        && last - first < 6
    {
        first -= 1;
    }
    // The invitation on a line of its own: `欢迎……监督。`
    if first > 0 && !used[first - 1] {
        let prev = &lines[first - 1].text;
        if (prev.contains("监督") || prev.contains("反映"))
            && prev.chars().count() <= 120
            && lines[first - 1].marker.is_none()
        {
            first -= 1;
        }
    }
    let text: Vec<&str> = lines[first..=last]
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    let found = facts::contact(&text.join("\n"));
    if found.phone.is_none() && found.email.is_none() && found.address.is_none() {
        return;
    }
    for u in &mut used[first..=last] {
        *u = true;
    }
    draft.contact = Some(found);
}

/// Where the problems are, among the lines left for the body.
struct Region {
    start: usize,
    end: usize,
    levels: Levels,
}

/// How the problems are numbered: in one style, and sometimes also one
/// level up, where a number in a parent style has labels of its own rather
/// than sub-problems (`1.关于……` over `(1)`, `(2)`, beside a `1.关于……`
/// with `整改情况：`). Sub-items of a problem's measures (`（1）`, `（2）`
/// under `1.`) are never problems.
struct Levels {
    style: Style,
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
    fn is_problem_start(&self, lines: &[&Line], i: usize, last: u32) -> bool {
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
    fn find(lines: &[&Line]) -> Option<Region> {
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
fn is_heading(lines: &[&Line], i: usize, levels: &Levels) -> bool {
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

/// Collects the problems of the region under their headings.
fn problems_in(lines: &[&Line], levels: &Levels, matcher: &Matcher<'_>, draft: &mut Draft) {
    let mut groups: Vec<(Option<Found<String>>, Vec<Collected>)> = Vec::new();
    // Per group, the heading it is nested in; and the style of the
    // headings nested in the current outer one.
    let mut outers: Vec<Option<String>> = Vec::new();
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
                groups.push((None, Vec::new()));
                outers.push(None);
            }
            if let Some((_, problems)) = groups.last_mut() {
                problems.push(Collected {
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
                Some((Some(outer), ps)) if ps.is_empty() => {
                    nested = Some((level, outer.value.clone()));
                }
                _ if nested.as_ref().is_some_and(|(inner, _)| *inner != level) => nested = None,
                _ => {}
            }
            outers.push(nested.as_ref().map(|(_, outer)| outer.clone()));
            groups.push((
                Some(Found {
                    value: l.text.clone(),
                    no: l.no,
                }),
                Vec::new(),
            ));
        } else if let Some(problem) = groups.last_mut().and_then(|(_, ps)| ps.last_mut()) {
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
    renumber_if_repeated(&mut groups, draft);
    let mut notes = Vec::new();
    for ((heading, collected), outer) in groups.into_iter().zip(outers) {
        let assignment = match (&heading, &outer) {
            // The outer heading is the one at the level of categories.
            (Some(h), outer) => match outer.as_deref().map(|o| matcher.assign(o)) {
                Some(by_outer) if by_outer.key().is_some() => by_outer,
                _ => matcher.assign(&h.value),
            },
            (None, _) => Assignment::Unmatched {
                closest: Vec::new(),
            },
        };
        let problems = collected
            .into_iter()
            .map(|c| problems::finish(c, &mut notes))
            .collect();
        draft.groups.push(Group {
            heading,
            outer,
            assignment,
            problems,
        });
    }
    draft.notes.extend(notes);
}

/// Numbers that start again under each heading (1, 2 | 1, 2) would name two
/// problems alike: they become one sequence, as the content model needs.
fn renumber_if_repeated(groups: &mut [(Option<Found<String>>, Vec<Collected>)], draft: &mut Draft) {
    let mut seen = std::collections::HashSet::new();
    let repeated = groups
        .iter()
        .flat_map(|(_, ps)| ps)
        .find(|p| !seen.insert(p.number))
        .map(|p| p.no);
    let Some(no) = repeated else { return };
    let mut n = 0;
    for p in groups.iter_mut().flat_map(|(_, ps)| ps.iter_mut()) {
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
