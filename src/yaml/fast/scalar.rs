//! The values the fast reader takes on one line (plain, quoted, `[a, b]`),
//! and what a plain scalar means, as the full reader resolves it.

use super::Node;

/// A value written on the line of its key or list item.
pub(super) fn inline(text: &str) -> Option<Node<'_>> {
    match text.as_bytes()[0] {
        b'\'' => single_quoted(text),
        b'"' => double_quoted(text),
        b'[' => flow_list(text),
        b'-' | b'?' | b':' | b',' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'%' | b'@' | b'`' => None,
        _ => plain(text).map(Node::Plain),
    }
}

/// A one-line plain scalar in block context, without its comment.
fn plain(text: &str) -> Option<&str> {
    let value = match text.find(" #") {
        Some(i) => &text[..i],
        None => text,
    };
    let value = value.trim_end_matches(' ');
    (!value.contains(": ") && !value.ends_with(':')).then_some(value)
}

/// After a closing quote or bracket: nothing, or a comment.
fn only_comment(rest: &str) -> bool {
    let after = rest.trim_start_matches(' ');
    after.is_empty() || (after.starts_with('#') && after.len() < rest.len())
}

fn single_quoted(text: &str) -> Option<Node<'_>> {
    let mut value = String::new();
    let mut rest = &text[1..];
    loop {
        let i = rest.find('\'')?;
        value.push_str(&rest[..i]);
        if rest[i + 1..].starts_with('\'') {
            value.push('\'');
            rest = &rest[i + 2..];
        } else {
            rest = &rest[i + 1..];
            break;
        }
    }
    only_comment(rest).then_some(Node::Text(value))
}

fn double_quoted(text: &str) -> Option<Node<'_>> {
    let body = &text[1..];
    let end = body.find('"')?;
    let value = &body[..end];
    (!value.contains('\\') && only_comment(&body[end + 1..])).then(|| Node::Text(value.to_string()))
}

/// `[a, b, c]` of plain words, on one line.
fn flow_list(text: &str) -> Option<Node<'_>> {
    let end = text.find(']')?;
    if !only_comment(&text[end + 1..]) {
        return None;
    }
    let inner = &text[1..end];
    if inner.trim_matches(' ').is_empty() {
        return Some(Node::List(Vec::new()));
    }
    let special = |c: char| "[]{}#'\":&*!|>%@`?".contains(c);
    if inner.contains(special) {
        return None;
    }
    inner
        .split(',')
        .map(|item| {
            let item = item.trim_matches(' ');
            (!item.is_empty() && !item.starts_with('-')).then_some(Node::Plain(item))
        })
        .collect::<Option<Vec<_>>>()
        .map(Node::List)
}

/// What a plain scalar means when any value will do, as the full reader
/// resolves it; `None` where this reader leaves the question to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(u64),
    Float(f64),
    Text(&'a str),
}

pub(super) fn resolve(s: &str) -> Option<Resolved<'_>> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Resolved::Null),
        "true" | "True" | "TRUE" => return Some(Resolved::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Resolved::Bool(false)),
        _ => {}
    }
    let bytes = s.as_bytes();
    // Numbers are written in ASCII only.
    if !s.is_ascii() {
        return Some(Resolved::Text(s));
    }
    if bytes[0].is_ascii_alphabetic() {
        // Words YAML 1.1 or a float reader might take for something else.
        let lower = s.to_ascii_lowercase();
        let doubtful = [
            "null", "true", "false", "yes", "no", "on", "off", "y", "n", "inf", "infinity", "nan",
        ];
        return (!doubtful.contains(&lower.as_str())).then_some(Resolved::Text(s));
    }
    if bytes.iter().all(u8::is_ascii_digit) {
        if bytes.len() > 1 && bytes[0] == b'0' {
            // Leading zeros make text, not a number, in YAML 1.2.
            return Some(Resolved::Text(s));
        }
        return s.parse().ok().map(Resolved::Int);
    }
    if let Some((whole, fraction)) = s.split_once('.')
        && !whole.is_empty()
        && !fraction.is_empty()
        && bytes[0] != b'0'
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && s.len() <= 15
    {
        return s.parse().ok().map(Resolved::Float);
    }
    cannot_be_number(bytes).then_some(Resolved::Text(s))
}

/// Whether neither an integer (of any base) nor a float can be written
/// so: a character no number has (`10:30`, `2023/1/5`), or a sign that is
/// neither first nor after an exponent's `e` (`2023-01-05`).
fn cannot_be_number(bytes: &[u8]) -> bool {
    let foreign = |b: &u8| !(b.is_ascii_alphanumeric() || b"+-._".contains(b));
    let inner_sign = |w: &[u8]| matches!(w[1], b'-' | b'+') && !matches!(w[0], b'e' | b'E');
    bytes.iter().any(foreign) || bytes.windows(2).any(inner_sign)
}
