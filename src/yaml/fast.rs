//! A fast reader for the YAML that front matter is written in: block
//! mappings and lists, one-line plain and quoted scalars, `|` literal
//! blocks and one-line `[a, b]` lists, with comments and CRLF line ends.
//!
//! It reads a document the way the full YAML reader does, or not at all:
//! anything outside that subset (anchors, tags, folded or multi-line
//! scalars, escapes, tabs, numbers other than `12` and `12.5`, words YAML
//! might read as null or a boolean) makes it decline, and [`super::parse`]
//! hands the document to the full reader, which also reports every
//! mistake. A typed reading that fails here is declined the same way, so
//! errors always come from the full reader.
//!
//! Why: the full reader decodes its input one character at a time and
//! collects an event list first; on a large site it was two thirds of the
//! time spent loading notices. This reader is one pass over the lines.

use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

/// Nesting deeper than this is left to the full reader, behind its guard.
const MAX_DEPTH: usize = 16;

/// Keys longer than this are left to the full reader (YAML limits the
/// length of a key written without `?`).
const MAX_KEY: usize = 64;

/// `text` read into `T`, or `None` when this reader declines the document
/// or the reading into `T` fails: the full reader decides those.
pub fn read<T: DeserializeOwned>(text: &str) -> Option<T> {
    let node = Reader::new(text)?.document()?;
    T::deserialize(node).ok()
}

/// A YAML value as this reader found it.
#[derive(Debug, Clone, PartialEq)]
enum Node<'a> {
    /// A plain scalar, resolved (null, boolean, number, text) only when a
    /// type asks for any value; empty for a key without a value.
    Plain(&'a str),
    /// A quoted scalar or a literal block: always text.
    Text(String),
    List(Vec<Node<'a>>),
    /// Keys are plain scalars.
    Map(Vec<(&'a str, Node<'a>)>),
}

/// One line of the document: its indentation in spaces and the rest,
/// without the line break.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

impl Line<'_> {
    /// Blank, or only a comment: no part of the structure.
    fn is_filler(&self) -> bool {
        self.text.is_empty() || self.text.starts_with('#')
    }
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Option<Reader<'a>> {
        if !text.ends_with('\n') || !plain_characters(text.as_bytes()) {
            return None;
        }
        let lines = text[..text.len() - 1]
            .split('\n')
            .map(|line| {
                let line = line.strip_suffix('\r').unwrap_or(line);
                let text = line.trim_start_matches(' ');
                Line {
                    indent: line.len() - text.len(),
                    text,
                }
            })
            .collect();
        Some(Reader {
            lines,
            at: 0,
            depth: 0,
        })
    }

    fn document(mut self) -> Option<Node<'a>> {
        let first = self.next_structural()?;
        if first.indent != 0 {
            return None;
        }
        let node = self.node(0)?;
        // Everything must have been read: a line left over is outside the
        // subset, or a mistake.
        match self.next_structural() {
            None => Some(node),
            Some(_) => None,
        }
    }

    /// The next line that is part of the structure, skipping blank and
    /// comment lines; `None` at the end.
    fn next_structural(&mut self) -> Option<Line<'a>> {
        while let Some(line) = self.lines.get(self.at) {
            if !line.is_filler() {
                return Some(*line);
            }
            self.at += 1;
        }
        None
    }

    /// A list or mapping starting at the current line, which is indented
    /// by `indent`.
    fn node(&mut self, indent: usize) -> Option<Node<'a>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let text = self.lines[self.at].text;
        let node = if is_item(text) {
            self.list(indent)
        } else if split_key(text).is_some() {
            self.map(indent)
        } else {
            None
        };
        self.depth -= 1;
        node
    }

    fn list(&mut self, indent: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        while let Some(line) = self.next_structural() {
            if line.indent < indent || !is_item(line.text) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let rest = &line.text[1..];
            let content = rest.trim_start_matches(' ');
            let item = if content.is_empty() || content.starts_with('#') {
                self.at += 1;
                self.below(indent, false)?
            } else if split_key(content).is_some() {
                // `- key: value`: a mapping whose keys line up with `key`.
                let column = indent + 1 + (rest.len() - content.len());
                self.lines[self.at] = Line {
                    indent: column,
                    text: content,
                };
                self.depth += 1;
                let map = self.map(column);
                self.depth -= 1;
                map?
            } else {
                let value = inline(content)?;
                self.at += 1;
                self.nothing_deeper(indent)?;
                value
            };
            items.push(item);
        }
        Some(Node::List(items))
    }

    fn map(&mut self, indent: usize) -> Option<Node<'a>> {
        let mut entries: Vec<(&'a str, Node<'a>)> = Vec::new();
        while let Some(line) = self.next_structural() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            let value_text = rest.trim_start_matches(' ');
            let value = if value_text.is_empty() || value_text.starts_with('#') {
                self.at += 1;
                self.below(indent, true)?
            } else if value_text.starts_with('|') {
                self.at += 1;
                self.literal(value_text, indent)?
            } else {
                let value = inline(value_text)?;
                self.at += 1;
                self.nothing_deeper(indent)?;
                value
            };
            entries.push((key, value));
        }
        if has_duplicates(&entries) {
            return None;
        }
        Some(Node::Map(entries))
    }

    /// The value of a key or list item with nothing after it on its line:
    /// a more deeply indented block, a list at the key's own indentation
    /// (when `same_indent_list`), or empty.
    fn below(&mut self, indent: usize, same_indent_list: bool) -> Option<Node<'a>> {
        match self.next_structural() {
            Some(line) if line.indent > indent => self.node(line.indent),
            Some(line) if line.indent == indent && same_indent_list && is_item(line.text) => {
                self.depth += 1;
                let list = self.list(indent);
                self.depth -= 1;
                list
            }
            _ => Some(Node::Plain("")),
        }
    }

    /// After a one-line value: a more deeply indented line would continue
    /// it over several lines, which is left to the full reader.
    fn nothing_deeper(&mut self, indent: usize) -> Option<()> {
        match self.next_structural() {
            Some(line) if line.indent > indent => None,
            _ => Some(()),
        }
    }

    /// A `|` block whose header is `header`, under a key indented by
    /// `indent`; the lines after the current one are its content.
    fn literal(&mut self, header: &str, indent: usize) -> Option<Node<'a>> {
        let chomp = literal_header(header)?;
        // Leading empty lines are part of the text. They must be truly
        // empty: spaces on them would take part in finding the indentation.
        let mut pending_breaks = 0usize;
        while self.lines.get(self.at).is_some_and(|l| l.text.is_empty()) {
            if self.lines[self.at].indent > 0 {
                return None;
            }
            pending_breaks += 1;
            self.at += 1;
        }
        let content_indent = self.lines.get(self.at)?.indent;
        if content_indent <= indent {
            // An empty block: rare, and left to the full reader.
            return None;
        }
        let mut text = String::new();
        let mut started = false;
        while let Some(line) = self.lines.get(self.at) {
            if line.text.is_empty() {
                // Spaces beyond the indentation would be content.
                if line.indent > content_indent {
                    return None;
                }
                pending_breaks += 1;
            } else if line.indent >= content_indent {
                if started {
                    text.push('\n');
                }
                started = true;
                text.extend(std::iter::repeat_n('\n', pending_breaks));
                pending_breaks = 0;
                text.extend(std::iter::repeat_n(' ', line.indent - content_indent));
                text.push_str(line.text);
            } else {
                break;
            }
            self.at += 1;
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => text.push('\n'),
            Chomp::Keep => text.extend(std::iter::repeat_n('\n', pending_breaks + 1)),
        }
        Some(Node::Text(text))
    }
}

/// Whether every character of the document is one this reader takes as
/// it is. Tabs, carriage returns not before a line feed, control
/// characters, YAML's other line breaks (U+0085, U+2028, U+2029) and byte
/// order marks are left to the full reader.
fn plain_characters(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if i + 8 <= bytes.len() && !needs_a_look(&bytes[i..i + 8]) {
            i += 8;
            continue;
        }
        let b = bytes[i];
        let plain = match b {
            b'\n' | 0x20..=0x7e => true,
            b'\r' => bytes.get(i + 1) == Some(&b'\n'),
            0x00..=0x1f | 0x7f => false,
            // U+0080..U+009F
            0xc2 => !matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
            // U+2028, U+2029
            0xe2 => {
                !(bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)))
            }
            // U+FEFF, U+FFFE, U+FFFF
            0xef => !matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ),
            _ => true,
        };
        if !plain {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether one of eight bytes is a control character, DEL, or a lead byte
/// [`plain_characters`] looks behind (0xC2, 0xE2, 0xEF), tested on all
/// eight at once (bit-twiddling "has less than" and "has value").
fn needs_a_look(eight: &[u8]) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let mut word = [0u8; 8];
    word.copy_from_slice(eight);
    let x = u64::from_le_bytes(word);
    let has_zero = |y: u64| y.wrapping_sub(ONES) & !y & HIGH != 0;
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0;
    below_space
        || [0x7f, 0xc2, 0xe2, 0xef]
            .iter()
            .any(|&v| has_zero(x ^ (ONES * v)))
}

/// A list item: `-` alone or followed by a space.
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key: rest` or `key:` with a key of letters, digits, `_` and `-`.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let end = text.find(':')?;
    let key = &text[..end];
    let rest = &text[end + 1..];
    let key_ok = !key.is_empty()
        && key.len() <= MAX_KEY
        && !key.starts_with('-')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    (key_ok && (rest.is_empty() || rest.starts_with(' '))).then_some((key, rest))
}

fn has_duplicates(entries: &[(&str, Node<'_>)]) -> bool {
    let mut keys: Vec<&str> = entries.iter().map(|(k, _)| *k).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}

/// How a literal block ends: `|` keeps one line break, `|-` none, `|+` all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chomp {
    Clip,
    Strip,
    Keep,
}

fn literal_header(header: &str) -> Option<Chomp> {
    let (chomp, rest) = match header.as_bytes().get(1) {
        Some(b'-') => (Chomp::Strip, &header[2..]),
        Some(b'+') => (Chomp::Keep, &header[2..]),
        _ => (Chomp::Clip, &header[1..]),
    };
    let after = rest.trim_start_matches(' ');
    let ends = after.is_empty() || (after.starts_with('#') && after.len() < rest.len());
    ends.then_some(chomp)
}

/// A value written on the line of its key or list item.
fn inline(text: &str) -> Option<Node<'_>> {
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
enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(u64),
    Float(f64),
    Text(&'a str),
}

fn resolve(s: &str) -> Option<Resolved<'_>> {
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

/// Why this reader gave up on a reading; never shown, the full reader
/// reads the document again and says what is wrong.
#[derive(Debug)]
struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to the full YAML reader")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: fmt::Display>(_: T) -> Declined {
        Declined
    }
}

type Result<T> = std::result::Result<T, Declined>;

impl<'de> Node<'de> {
    /// What a plain scalar means; `None` for anything else, or where
    /// [`resolve`] leaves the question to the full reader.
    fn resolved(&self) -> Option<Resolved<'de>> {
        match self {
            Node::Plain(s) => resolve(s),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        self.resolved() == Some(Resolved::Null)
    }
}

/// Each method answers as the full reader does for an untagged value, or
/// declines.
impl<'de> de::Deserializer<'de> for Node<'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Node::Plain(s) => match resolve(s).ok_or(Declined)? {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                Resolved::Int(n) => visitor.visit_u64(n),
                Resolved::Float(f) => visitor.visit_f64(f),
                Resolved::Text(t) => visitor.visit_borrowed_str(t),
            },
            Node::Text(t) => visitor.visit_string(t),
            Node::List(items) => visit_list(items, visitor),
            Node::Map(entries) => visit_map(entries, visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.resolved() {
            Some(Resolved::Bool(b)) => visitor.visit_bool(b),
            _ => Err(Declined),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.resolved() {
            Some(Resolved::Int(n)) => visitor.visit_u64(n),
            _ => Err(Declined),
        }
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Node::Plain(s) => visitor.visit_borrowed_str(s),
            Node::Text(t) => visitor.visit_string(t),
            _ => Err(Declined),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.is_null() {
            visitor.visit_unit()
        } else {
            Err(Declined)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Node::List(items) => visit_list(items, visitor),
            Node::Plain("") => visit_list(Vec::new(), visitor),
            _ => Err(Declined),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Node::Map(entries) => visit_map(entries, visitor),
            Node::Plain("") => visit_map(Vec::new(), visitor),
            _ => Err(Declined),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // Only unit variants written as a scalar.
        match self {
            Node::Plain(s) if !s.is_empty() => visitor.visit_enum(s.into_deserializer()),
            Node::Text(t) if !t.is_empty() => visitor.visit_enum(t.into_deserializer()),
            _ => Err(Declined),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u128 f32 f64 char bytes byte_buf
    }
}

fn visit_list<'de, V: Visitor<'de>>(items: Vec<Node<'de>>, visitor: V) -> Result<V::Value> {
    let mut access = de::value::SeqDeserializer::new(items.into_iter());
    let value = visitor.visit_seq(&mut access)?;
    // Items the type did not take make the full reader fail.
    access.end()?;
    Ok(value)
}

fn visit_map<'de, V: Visitor<'de>>(
    entries: Vec<(&'de str, Node<'de>)>,
    visitor: V,
) -> Result<V::Value> {
    let pairs = entries.into_iter().map(|(k, v)| (Node::Plain(k), v));
    let mut access = de::value::MapDeserializer::new(pairs);
    let value = visitor.visit_map(&mut access)?;
    access.end()?;
    Ok(value)
}

impl<'de> IntoDeserializer<'de, Declined> for Node<'de> {
    type Deserializer = Node<'de>;
    fn into_deserializer(self) -> Node<'de> {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_yaml::Value;

    /// The fast reading of `text`, which must be the full reader's when
    /// there is one.
    fn agreed(text: &str) -> Option<Value> {
        let fast = read::<Value>(text);
        if let Some(value) = &fast {
            let full = serde_yaml::from_str::<Value>(text).ok();
            assert_eq!(Some(value), full.as_ref(), "read differently: {text:?}");
        }
        fast
    }

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::Mapping(
            pairs
                .iter()
                .map(|(k, v)| (Value::String(k.to_string()), v.clone()))
                .collect(),
        )
    }

    fn text(s: &str) -> Value {
        Value::String(s.to_string())
    }

    #[test]
    fn reads_front_matter_as_the_full_reader_does() {
        let doc = "\
# 通报标题
title: 关于巡察整改进展情况的通报   # 标题
date: 2021-11-26
tags: [作风建设, 巡察整改]
draft: false
inspection:
  kind: 巡察
  start: 2021-05-01
problems:
  - number: 1
    category: policy
    title: '针对''学习''不深入的问题'
    measures: |
      一是加强学习。

      二是建立台账。
    result: 整改完成
    recovered_yuan: 10200.5
  -   number: 2
      title: \"一个问题\"
      cause: |-
        原因
          缩进的一行
revisions:
- date: 2022-01-01
  note: 更正
";
        let value = agreed(doc).expect("the usual front matter is read fast");
        let problems = &value["problems"];
        assert_eq!(problems[0]["title"], text("针对'学习'不深入的问题"));
        assert_eq!(
            problems[0]["measures"],
            text("一是加强学习。\n\n二是建立台账。\n")
        );
        assert_eq!(problems[1]["cause"], text("原因\n  缩进的一行"));
        assert_eq!(value["revisions"][0]["note"], text("更正"));
    }

    #[test]
    fn reads_crlf_line_ends() {
        let doc = "title: 标题\r\nbody: |\r\n  第一行\r\n  第二行\r\n";
        let value = agreed(doc).expect("CRLF is read fast");
        assert_eq!(
            value,
            map(&[("title", text("标题")), ("body", text("第一行\n第二行\n"))])
        );
    }

    #[test]
    fn literal_blocks_end_as_their_header_says() {
        let body = "  a\n\n  b\n\n\nnext: 1\n";
        for (header, expected) in [("|", "a\n\nb\n"), ("|-", "a\n\nb"), ("|+", "a\n\nb\n\n\n")] {
            let doc = format!("k: {header}\n{body}");
            let value = agreed(&doc).expect("a literal block is read fast");
            assert_eq!(value["k"], text(expected), "{header}");
        }
        let leading = agreed("k: |\n\n  a\n").expect("leading empty lines");
        assert_eq!(leading["k"], text("\na\n"));
    }

    #[test]
    fn scalars_resolve_as_the_full_reader_resolves_them() {
        let cases = [
            ("~", Value::Null),
            ("", Value::Null),
            ("True", Value::Bool(true)),
            ("12", Value::Number(12.into())),
            ("12.5", Value::Number(12.5.into())),
            ("007", text("007")),
            ("2023-01-05", text("2023-01-05")),
            (
                "2022-09-30T10:00:00+08:00",
                text("2022-09-30T10:00:00+08:00"),
            ),
            ("10:30", text("10:30")),
            ("2023年12月底前", text("2023年12月底前")),
            ("a#b", text("a#b")),
            ("a # comment", text("a")),
            ("'~'", text("~")),
        ];
        for (written, expected) in cases {
            let value = agreed(&format!("k: {written}\n"));
            assert_eq!(value, Some(map(&[("k", expected)])), "{written:?}");
        }
    }

    #[test]
    fn declines_what_it_does_not_read() {
        let declined = [
            "k: &a x\nj: *a\n",
            "k: !tag x\n",
            "k: >\n  folded\n",
            "k: |2\n   x\n",
            "k: a\n  continued\n",
            "k: \"esc\\n\"\n",
            "k: 'open\n  close'\n",
            "k: {a: 1}\n",
            "k: [a,\n  b]\n",
            "k:\tx\n",
            "k: x\ny",
            "k: a: b\n",
            "k: yes\n",
            "k: 0x1F\n",
            "k: -5\n",
            "k: 1\nk: 2\n",
            "? k\n: v\n",
            "- - x\n",
            "%YAML 1.2\n---\nk: x\n",
            "k: |\n   \n  x\n",
            "k: x\u{2028}y\n",
            "\u{feff}k: x\n",
            "  k: x\n",
        ];
        for doc in declined {
            assert_eq!(read::<Value>(doc), None, "{doc:?}");
        }
    }

    #[test]
    fn a_typed_reading_that_fails_is_declined() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Typed {
            #[allow(dead_code)]
            n: Option<u32>,
        }
        assert!(read::<Typed>("n: 3\n").is_some());
        assert!(read::<Typed>("n: 三\n").is_none());
        assert!(read::<Typed>("m: 3\n").is_none());
        assert!(read::<Typed>("n: 4294967296\n").is_none());
    }

    proptest! {
        /// Testing eight bytes at once finds what testing each finds.
        #[test]
        fn eight_bytes_at_once(eight in prop::array::uniform8(any::<u8>())) {
            let look = |b: &u8| *b < 0x20 || [0x7f, 0xc2, 0xe2, 0xef].contains(b);
            prop_assert_eq!(needs_a_look(&eight), eight.iter().any(look));
        }
    }

    /// The shape of a random document, written out by [`render`].
    #[derive(Debug, Clone)]
    enum Shape {
        Scalar(String),
        Block(String, Vec<String>),
        List(Vec<Shape>),
        Map(Vec<(String, Shape)>),
    }

    /// Scalars read fast, and scalars that test where it declines.
    const SCALARS: &[&str] = &[
        "巡察整改",
        "2023-01-05",
        "2023年12月底前",
        "007",
        "0",
        "12",
        "12.5",
        "true",
        "True",
        "null",
        "~",
        "",
        "a # c",
        "a#b",
        "'q'",
        "'it''s'",
        "''",
        "\"dq\"",
        "[a, b]",
        "[]",
        "[ ]",
        "[a, 12, ~]",
        "2022-09-30T10:00:00+08:00",
        "10:30",
        "x ]",
        "a  b",
        "中文：冒号",
        "http://x.y/z",
        "x  ",
        "(一)",
        "# c",
        "e5",
    ];
    const TRICKY: &[&str] = &[
        "0.5",
        "-5",
        "+5",
        "1e3",
        "0x1F",
        "yes",
        "no",
        "a: b",
        "a:",
        "\"a\\nb\"",
        "[a, [b]]",
        "[a,]",
        "{a: 1}",
        "&x a",
        "*x",
        "!t a",
        "- x",
        "-x",
        ":x",
        "?x",
        "%x",
        "@x",
        ".inf",
        "inf",
        "NaN",
        "a\tb",
        "'open",
        "\"open",
        "100000000000000000000",
        "1_000",
        "1e-5",
        "1E+5",
        "_x",
        ">",
        "|",
    ];

    const BLOCK_LINES: &[&str] = &[
        "文本",
        "  多缩进",
        "",
        "   ",
        "       ",
        "# 不是注释",
        "k: v",
        "- x",
        "尾随空格  ",
    ];

    /// A random shape; `tricky` mixes in what the reader must decline.
    fn shape(tricky: bool) -> impl Strategy<Value = Shape> {
        let scalars = if tricky { TRICKY } else { SCALARS };
        let scalar =
            prop_oneof![6 => prop::sample::select(SCALARS), 1 => prop::sample::select(scalars)]
                .prop_map(|s| Shape::Scalar(s.to_string()));
        let headers: &[&str] = if tricky {
            &["|", "|-", "|+", "| # c", "|2"]
        } else {
            &["|", "|-", "|+", "| # c"]
        };
        let block = (
            prop::sample::select(headers),
            prop::collection::vec(prop::sample::select(BLOCK_LINES), 0..5),
        )
            .prop_map(|(h, lines)| {
                Shape::Block(h.to_string(), lines.iter().map(|l| l.to_string()).collect())
            });
        let leaf = prop_oneof![4 => scalar, 1 => block];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(Shape::List),
                (
                    prop::collection::vec(inner, 1..4),
                    prop::bool::weighted(0.03)
                )
                    .prop_map(keyed),
            ]
        })
    }

    /// A mapping of `values`, under distinct keys, or (`clash`) with the
    /// first key written twice.
    fn keyed((values, clash): (Vec<Shape>, bool)) -> Shape {
        const KEYS: &[&str] = &["title", "a", "k_3", "1", "k-2"];
        let key = |i: usize| KEYS[if clash { i.saturating_sub(1) } else { i }].to_string();
        Shape::Map(
            values
                .into_iter()
                .enumerate()
                .map(|(i, v)| (key(i), v))
                .collect(),
        )
    }

    /// How a shape is written: indentation step, lists at their key's
    /// indentation or deeper, `- key:` on one line.
    #[derive(Debug, Clone, Copy)]
    struct Style {
        step: usize,
        indentless: bool,
        compact: bool,
    }

    fn render(shape: &Shape, indent: usize, style: Style, out: &mut Vec<String>) {
        let pad = " ".repeat(indent);
        match shape {
            Shape::Map(entries) => {
                for (key, value) in entries {
                    match value {
                        Shape::Scalar(s) => out.push(format!("{pad}{key}: {s}")),
                        Shape::Block(header, lines) => {
                            out.push(format!("{pad}{key}: {header}"));
                            for line in lines {
                                let inner = " ".repeat(indent + style.step);
                                out.push(
                                    format!("{inner}{line}").trim_end_matches(' ').to_string(),
                                );
                            }
                        }
                        Shape::List(_) if style.indentless => {
                            out.push(format!("{pad}{key}:"));
                            render(value, indent, style, out);
                        }
                        _ => {
                            out.push(format!("{pad}{key}:"));
                            render(value, indent + style.step, style, out);
                        }
                    }
                }
            }
            Shape::List(items) => {
                for item in items {
                    match item {
                        Shape::Scalar(s) => out.push(format!("{pad}- {s}")),
                        Shape::Map(_) if style.compact => {
                            let mut inner = Vec::new();
                            render(item, indent + 2, style, &mut inner);
                            if let Some(first) = inner.first_mut() {
                                first.replace_range(indent..indent + 2, "- ");
                            }
                            out.extend(inner);
                        }
                        _ => {
                            out.push(format!("{pad}-"));
                            render(item, indent + style.step, style, out);
                        }
                    }
                }
            }
            Shape::Scalar(s) => out.push(format!("{pad}{s}")),
            Shape::Block(header, _) => out.push(format!("{pad}{header}")),
        }
    }

    fn document(tricky: bool) -> impl Strategy<Value = String> {
        let extras: &[&str] = if tricky {
            &["", "# c", " x", "- y", "\t"]
        } else {
            &["", "  ", "# c", "   # c"]
        };
        let shape = (
            prop::collection::vec(shape(tricky), 1..5),
            prop::bool::weighted(0.03),
        )
            .prop_map(keyed);
        let style =
            (1usize..4, any::<bool>(), any::<bool>()).prop_map(|(step, indentless, compact)| {
                Style {
                    step,
                    indentless,
                    compact,
                }
            });
        let extra = prop::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(extras)),
            0..2,
        );
        (shape, style, extra, any::<bool>()).prop_map(|(shape, style, extra, crlf)| {
            let mut lines = Vec::new();
            render(&shape, 0, style, &mut lines);
            for (at, line) in extra {
                let at = at.index(lines.len() + 1);
                lines.insert(at, line.to_string());
            }
            let end = if crlf { "\r\n" } else { "\n" };
            lines.iter().map(|l| format!("{l}{end}")).collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::testing::fuzz_cases(2000)))]

        /// Whatever the fast reader reads, it reads as the full reader does.
        #[test]
        fn random_documents_read_alike(doc in prop_oneof![document(false), document(true)]) {
            agreed(&doc);
        }
    }

    /// The example notice's front matter.
    fn example_front_matter() -> &'static str {
        const NOTICE: &str = include_str!("../../content/notices/2021-xiangqiao-zhengxie.md");
        NOTICE.split("---\n").nth(1).unwrap_or_default()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::testing::fuzz_cases(1000)))]

        /// A real notice with a few characters inserted or deleted here and
        /// there, as an editor might leave it, reads alike too.
        #[test]
        fn edited_front_matter_reads_alike(edits in prop::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(&[
                "", " ", "  ", "\n", "\n  ", ":", ": ", "#", " #", "-", "- ", "'", "\"", "|", "[", "]",
                "~", "x", "中", "\r\n", "\t", "0", "&a ", "*", "!",
            ][..])),
            1..4,
        )) {
            let mut doc = example_front_matter().to_string();
            for (at, insert) in edits {
                let mut at = at.index(doc.len() + 1);
                while !doc.is_char_boundary(at) {
                    at -= 1;
                }
                if insert.is_empty() {
                    // Delete the character there instead.
                    if let Some(c) = doc[at..].chars().next() {
                        doc.replace_range(at..at + c.len_utf8(), "");
                    }
                } else {
                    doc.insert_str(at, insert);
                }
            }
            agreed(&doc);
        }
    }

    #[test]
    fn the_example_notice_is_read_fast() {
        assert!(agreed(example_front_matter()).is_some());
    }

    #[test]
    fn random_documents_are_mostly_read_fast() {
        // Guards the property test against passing by declining: most
        // documents of simple shapes must be read here.
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        for s in SCALARS {
            assert!(
                agreed(&format!("k: {s}\n")).is_some(),
                "{s:?} is not read fast"
            );
        }
        for s in TRICKY {
            assert!(
                read::<Value>(&format!("k: {s}\n")).is_none(),
                "{s:?} is read fast"
            );
        }
        let mut read_fast = 0;
        for _ in 0..200 {
            let doc = document(false)
                .new_tree(&mut runner)
                .map(|t| t.current())
                .unwrap_or_default();
            read_fast += usize::from(agreed(&doc).is_some());
        }
        assert!(read_fast >= 50, "only {read_fast} of 200 read fast");
    }
}
