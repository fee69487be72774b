//! The draft as a notice file: YAML front matter with a comment for every
//! place to check, and the Markdown body.

use std::fmt::Write;

use super::numbering::Number;
use crate::content::{Contact, Day, Inspection};
use crate::yaml;
use gongkai_import::draft::{Continues, Draft, DraftProblem, Placement};

/// What the file says about its making, in its first comment lines.
pub struct Origin<'a> {
    pub file_name: &'a str,
    pub today: Day,
}

/// The decisions made outside the draft: the date and issuing body to
/// write, and where the notice stands in a county's site.
pub struct Resolved<'a> {
    pub date: Day,
    pub organization: Option<&'a str>,
    /// Said beside `organization`: how the bulletin writes it, when that
    /// is another name of the unit.
    pub organization_note: Option<String>,
    /// The 索引号, when the site numbers its notices.
    pub index_number: Option<&'a Number>,
    /// `inspection.round`, and what to say beside it.
    pub round: Option<(&'a str, String)>,
}

/// The whole notice file.
pub fn notice(draft: &Draft, resolved: &Resolved<'_>, origin: &Origin<'_>) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# 由 gongkai import 从“{}”导入（{}）。",
        one_line(origin.file_name),
        origin.today.iso()
    );
    if !draft.notes.is_empty() {
        let _ = writeln!(
            y,
            "# 导入时有 {} 处需要核对，见导入时的提示。",
            draft.notes.len()
        );
    }
    let _ = writeln!(y, "# 核对无误后，删掉 draft: true 这一行才会发布。");
    let title = draft
        .title
        .as_ref()
        .map_or("（请填写标题）", |t| t.value.as_str());
    let _ = writeln!(y, "title: {}", yaml::scalar(title));
    let _ = writeln!(y, "date: {}", resolved.date.iso());
    if let Some(w) = &draft.written {
        let _ = writeln!(y, "written: {}", w.value.iso());
    }
    index_number(&mut y, resolved.index_number, draft.index_number.as_deref());
    if let Some(org) = resolved.organization {
        let _ = write!(y, "organization: {}", yaml::scalar(org));
        match &resolved.organization_note {
            Some(note) => {
                let _ = writeln!(y, "   # {}", one_line(note));
            }
            None => y.push('\n'),
        }
    }
    if let Some(n) = &draft.doc_number {
        let _ = writeln!(y, "doc_number: {}", yaml::scalar(n));
    }
    let _ = writeln!(y, "draft: true");
    if let Some(i) = &draft.inspection {
        inspection(&mut y, i, resolved.round.as_ref());
    }
    if let Some(c) = &draft.contact {
        contact(&mut y, c);
    }
    if draft.groups.iter().any(|g| !g.problems.is_empty()) {
        let _ = writeln!(y, "problems:");
        for group in &draft.groups {
            if let Some(h) = &group.heading {
                let _ = writeln!(y, "  # {}", one_line(&h.value));
            }
            for p in &group.problems {
                problem(&mut y, p);
            }
        }
    }

    let mut body: Vec<&str> = draft.body_before.iter().map(String::as_str).collect();
    if draft.groups.iter().any(|g| !g.problems.is_empty()) && !draft.body_after.is_empty() {
        body.push("<!-- problems -->");
    }
    body.extend(draft.body_after.iter().map(String::as_str));
    format!("---\n{y}---\n{}\n", body.join("\n\n"))
}

/// Text from the source as a YAML comment: on one line, so that nothing
/// of it can become a field.
fn one_line(text: &str) -> String {
    // What YAML reads as a line break (U+2028, U+2029, U+0085, which is a
    // control character) would end the comment: the rest would be read
    // as fields. A byte-order mark is not allowed inside a document.
    text.split(|c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `index_number:`, or why there is none; and the number the old site
/// gave the bulletin, to keep if the reviewer wants it.
fn index_number(y: &mut String, number: Option<&Number>, stated: Option<&str>) {
    match number {
        Some(Number::Assigned(n) | Number::Kept(n)) => {
            let _ = writeln!(y, "index_number: {}", yaml::scalar(n));
        }
        Some(Number::Missing(why)) => {
            let _ = writeln!(y, "# index_number: 没有编：{}", one_line(why));
        }
        None => {}
    }
    if let Some(old) = stated {
        let _ = writeln!(
            y,
            "# 原网页的索引号：{}（发布后索引号不再改动：要沿用原来的，请写进 index_number）",
            one_line(old)
        );
    }
}

fn inspection(y: &mut String, i: &Inspection, round: Option<&(&str, String)>) {
    let _ = writeln!(y, "inspection:");
    let _ = writeln!(y, "  kind: {}", i.kind.label());
    if let Some((id, said)) = round {
        let _ = writeln!(y, "  round: {}   # {}", yaml::scalar(id), one_line(said));
    }
    if let Some(group) = &i.group {
        let _ = writeln!(y, "  group: {}", yaml::scalar(group));
    }
    for (key, day) in [("start", i.start), ("end", i.end), ("feedback", i.feedback)] {
        if let Some(d) = day {
            let _ = writeln!(y, "  {key}: {}", d.iso());
        }
    }
}

fn contact(y: &mut String, c: &Contact) {
    let _ = writeln!(y, "contact:");
    let fields = [
        ("intro", &c.intro),
        ("phone", &c.phone),
        ("address", &c.address),
        ("postcode", &c.postcode),
        ("email", &c.email),
        ("note", &c.note),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            field(y, "  ", key, v);
        }
    }
}

fn problem(y: &mut String, p: &DraftProblem) {
    let _ = writeln!(y, "  - number: {}", p.number);
    match &p.continues {
        Some(Continues {
            follows: Some(f),
            comment,
        }) => {
            let _ = writeln!(
                y,
                "    follows: {}   # {}",
                yaml::scalar(f),
                one_line(comment)
            );
        }
        Some(Continues {
            follows: None,
            comment,
        }) => {
            let _ = writeln!(y, "    # {}", one_line(comment));
        }
        None => {}
    }
    match &p.placement {
        Some(Placement {
            key,
            guessed: Some(why),
        }) => {
            let _ = writeln!(y, "    category: {key}   # {}，请核对", one_line(why));
        }
        Some(Placement { key, .. }) => {
            let _ = writeln!(y, "    category: {key}");
        }
        // Not placed: the build says so, at this line.
        None => {
            let _ = writeln!(y, "    category: （请选择类别）");
        }
    }
    field(y, "    ", "title", &p.title);
    if let Some(t) = &p.cause {
        block(y, "    ", "cause", t);
    }
    if let Some(t) = &p.measures {
        block(y, "    ", "measures", t);
    }
    if let Some(r) = &p.result {
        field(y, "    ", "result", r);
    }
    if let Some(d) = &p.deadline {
        field(y, "    ", "deadline", d);
    }
    if let Some(s) = &p.status {
        let _ = writeln!(
            y,
            "    status: {}   # {}",
            yaml::scalar(&s.value),
            one_line(&s.comment)
        );
    }
    if let Some(yuan) = &p.recovered_yuan {
        let _ = writeln!(y, "    recovered_yuan: {yuan}");
    }
}

/// A text field: one line as a scalar, several as a literal block.
fn field(y: &mut String, indent: &str, key: &str, text: &str) {
    if text.contains('\n') {
        block(y, indent, key, text);
    } else {
        let _ = writeln!(y, "{indent}{key}: {}", yaml::scalar(text));
    }
}

/// A YAML literal block, which keeps the text as written.
fn block(y: &mut String, indent: &str, key: &str, text: &str) {
    let _ = writeln!(y, "{indent}{key}: |");
    for line in text.lines() {
        if line.trim().is_empty() {
            y.push('\n');
        } else {
            let _ = writeln!(y, "{indent}  {}", line.trim());
        }
    }
}
