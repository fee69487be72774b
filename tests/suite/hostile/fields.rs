//! Every field of a notice with a value of every wrong type.

use super::*;

/// How a field reads its value, which decides what a wrong one does.
#[derive(Clone, Copy)]
enum Kind {
    /// Any scalar, as text; must not be empty.
    RequiredText,
    /// Any scalar, as text; may be empty.
    Text,
    /// A date, as text.
    Date,
    /// Text checked against a fixed vocabulary (category, result, amount).
    Checked,
    /// true or false.
    Bool,
    /// A text or a list of texts.
    Words,
    /// A whole number.
    Number,
    /// A structure of fields.
    Struct,
    /// A list of structures.
    Structs,
    /// One of a few words.
    Variant,
    /// true, false, or a list of numbers.
    Reviewed,
}

/// Every field of the notice, with how it reads its value.
const FIELDS: &[(&str, Kind)] = &[
    ("title:", Kind::RequiredText),
    ("date:", Kind::Date),
    ("organization:", Kind::Text),
    ("doc_number:", Kind::Text),
    ("slug:", Kind::Text),
    ("summary:", Kind::Text),
    ("tags:", Kind::Words),
    ("draft:", Kind::Bool),
    ("categories:", Kind::Words),
    ("kind:", Kind::Variant),
    ("group:", Kind::Text),
    ("start:", Kind::Date),
    ("end:", Kind::Date),
    ("feedback:", Kind::Date),
    ("- number:", Kind::Number),
    ("category:", Kind::Checked),
    ("title: 第一个问题", Kind::RequiredText),
    ("cause:", Kind::Text),
    ("measures:", Kind::Text),
    ("result:", Kind::Checked),
    ("status:", Kind::Checked),
    ("recovered_yuan:", Kind::Checked),
    ("phone:", Kind::Text),
    ("address:", Kind::Text),
    ("postcode:", Kind::Text),
    ("email:", Kind::Text),
    ("reviewed_by:", Kind::Text),
    ("secrecy_reviewed:", Kind::Bool),
    ("approved_by:", Kind::Text),
    ("approved_on:", Kind::Date),
    ("- date:", Kind::Date),
    ("note:", Kind::RequiredText),
    ("privacy_reviewed:", Kind::Reviewed),
    ("inspection:", Kind::Struct),
    ("problems:", Kind::Structs),
    ("contact:", Kind::Struct),
    ("review:", Kind::Struct),
    ("revisions:", Kind::Structs),
];

/// A wrong value of every kind for every field.
pub(super) fn every_field_with_every_type() -> Vec<Case> {
    let values = [
        ("a mapping", "{a: 1}"),
        ("a list", "[1, 2]"),
        ("a number", "12345"),
        ("a boolean", "true"),
        ("null", "~"),
        ("a word", "某个词"),
    ];
    let mut cases = Vec::new();
    for (prefix, kind) in FIELDS {
        let line = line_of(prefix);
        let original = NOTICE.lines().nth(line - 1).unwrap();
        let key = original.split(':').next().unwrap();
        for (what, value) in values {
            let text = match kind {
                // A structure's own lines go; the value takes its place.
                Kind::Struct | Kind::Structs => replace_block(line, &format!("{key}: {value}")),
                _ => with_line(line, &format!("{key}: {value}")),
            };
            let expect = match (kind, what) {
                (Kind::RequiredText, "a mapping" | "a list" | "null") => error_at(FILE, line),
                (Kind::RequiredText, _) => Expect::Ok,
                (Kind::Text, "a mapping" | "a list") => error_at(FILE, line),
                (Kind::Text, _) if *prefix == "slug:" && what == "a word" => error_at(FILE, line),
                (Kind::Text, _) => Expect::Ok,
                (Kind::Date, "null") if *prefix == "date:" || *prefix == "- date:" => {
                    error_at(FILE, line)
                }
                (Kind::Date, "null") => Expect::Ok,
                (Kind::Date, _) => error_at(FILE, line),
                (Kind::Checked, "null") if *prefix == "category:" => error_at(FILE, line),
                (Kind::Checked, "null") => Expect::Ok,
                (Kind::Checked, "a number") if *prefix == "recovered_yuan:" => Expect::Ok,
                // With a `status:`, the result is the words shown, as written.
                (Kind::Checked, "a number" | "a boolean" | "a word") if *prefix == "result:" => {
                    Expect::Ok
                }
                (Kind::Checked, _) => error_at(FILE, line),
                (Kind::Bool, "a boolean") => Expect::Ok,
                (Kind::Bool, _) => error_at(FILE, line),
                (Kind::Words, "a mapping" | "a list" | "a number" | "a boolean") => {
                    error_at(FILE, line)
                }
                (Kind::Words, "a word") if *prefix == "categories:" => error_at(FILE, line),
                (Kind::Words, _) => Expect::Ok,
                (Kind::Number, "a number" | "null") => Expect::Ok,
                (Kind::Number, _) => error_at(FILE, line),
                (Kind::Variant, _) => error_at(FILE, line),
                (Kind::Reviewed, "a boolean") => Expect::Ok,
                (Kind::Reviewed, "a list") => Expect::Ok,
                (Kind::Reviewed, "null") => Expect::Ok,
                (Kind::Reviewed, _) => error_at(FILE, line),
                (Kind::Struct | Kind::Structs, "null") => Expect::Ok,
                (Kind::Struct | Kind::Structs, _) => error_at(FILE, line),
            };
            cases.push(notice(format!("{prefix} {what}"), text, expect));
        }
    }
    cases
}

/// The notice with the block starting at `line` (the line and the more
/// indented ones after it) replaced by `new`.
pub(super) fn replace_block(line: usize, new: &str) -> String {
    let lines: Vec<&str> = NOTICE.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let start = line - 1;
    let mut end = start + 1;
    while end < lines.len() && indent(lines[end]) > indent(lines[start]) && lines[end] != "---" {
        end += 1;
    }
    let mut out: Vec<&str> = lines[..start].to_vec();
    out.push(new);
    out.extend(&lines[end..]);
    out.join("\n") + "\n"
}
