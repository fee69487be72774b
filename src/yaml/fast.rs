//! A fast reader for the YAML that front matter is written in: block
//! mappings and lists, one-line plain and quoted scalars, `|` literal
//! blocks and one-line `[a, b]` lists, with comments and CRLF line ends.
//!
//! It reads a document the way the full YAML reader does, or not at all:
//! anything outside that subset (anchors, tags, folded or multi-line
//! scalars, escapes, tabs, numbers other than `12` and `12.5`, words YAML
//! might read as null or a boolean) makes it decline, and [`super::read`]
//! hands the document to the full reader, which also reports every
//! mistake. A typed reading that fails here is declined the same way, so
//! errors always come from the full reader.
//!
//! Why it is kept, measured (`cargo bench --bench yaml`: the 10,000
//! notices of the synthetic site, 159 MB of front matter, processor time
//! of one thread): this reader reads them in 0.35 s; the full reader takes
//! 1.35 s, of which 1.1 s is libyaml scanning the text into events before
//! anything is deserialised, so no other way of using the YAML crate comes
//! near. Loading runs on every core; on the two of the measuring machine
//! that is about 0.5 s of a load stage of 0.65 s (1.5 s without this
//! reader). Its 750 lines (and the tests that hold it to the full reader)
//! are what that costs.
//!
//! This file reads the lines into a tree of [`Node`]s; `scalar.rs` reads
//! the values written on one line, `de.rs` hands the tree to serde.

mod de;
mod scalar;
#[cfg(test)]
mod tests;

use serde::de::DeserializeOwned;

use scalar::inline;

use super::path::Seg;

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

/// Where the plain scalar at `path` starts in `text` (a byte offset), when
/// this reader reads the document and the value there is a plain scalar
/// written in it: the locator's quick way to the values it is asked about
/// most, a problem's `number`, `result` or `status`, without the full
/// reader reading the document again for each.
///
/// A notice with many findings is asked about many times in a row: the
/// places of the last document read on this thread are kept, so that
/// placing every finding of a notice costs one reading, not one each (a
/// notice of 4,000 problems with a wrong category took 8 s to build).
pub(super) fn plain_offset(text: &str, path: &[Seg<'_>]) -> Option<usize> {
    LAST_READ.with_borrow_mut(|last| {
        if last.as_ref().is_none_or(|p| p.text != text) {
            *last = Some(Places::of(text));
        }
        last.as_ref()?.plain.get(&path_key(path)).copied()
    })
}

thread_local! {
    /// The places of the last document [`plain_offset`] read.
    static LAST_READ: std::cell::RefCell<Option<Places>> = const { std::cell::RefCell::new(None) };
}

/// Where each plain value of a document starts, by [`path_key`]; none
/// when this reader declines the document.
struct Places {
    text: String,
    plain: rustc_hash::FxHashMap<String, usize>,
}

impl Places {
    fn of(text: &str) -> Places {
        let mut plain = rustc_hash::FxHashMap::default();
        if let Some(document) = Reader::new(text).and_then(Reader::document) {
            collect_plain(text, &document, &mut String::new(), &mut plain);
        }
        Places {
            text: text.to_string(),
            plain,
        }
    }
}

/// A path as one string: each key after a 1, each index after a 2.
fn path_key(path: &[Seg<'_>]) -> String {
    let mut key = String::new();
    for seg in path {
        push_seg(&mut key, *seg);
    }
    key
}

fn push_seg(key: &mut String, seg: Seg<'_>) {
    match seg {
        Seg::Key(k) => {
            key.push('\u{1}');
            key.push_str(k);
        }
        Seg::Index(i) => {
            key.push('\u{2}');
            key.push_str(&i.to_string());
        }
    }
}

/// Records where each plain value under `node` (at `path`) starts.
fn collect_plain(
    text: &str,
    node: &Node<'_>,
    path: &mut String,
    out: &mut rustc_hash::FxHashMap<String, usize>,
) {
    let len = path.len();
    match node {
        Node::Plain(value) => {
            // An empty value is no slice of the text: the full reader places it.
            let offset = (value.as_ptr() as usize).checked_sub(text.as_ptr() as usize);
            if let Some(offset) = offset.filter(|&o| !value.is_empty() && o < text.len()) {
                out.insert(path.clone(), offset);
            }
        }
        Node::Text(_) => {}
        Node::List(items) => {
            for (i, item) in items.iter().enumerate() {
                push_seg(path, Seg::Index(i));
                collect_plain(text, item, path, out);
                path.truncate(len);
            }
        }
        Node::Map(entries) => {
            for (key, value) in entries {
                push_seg(path, Seg::Key(key));
                collect_plain(text, value, path, out);
                path.truncate(len);
            }
        }
    }
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
    // Eight bytes at a time; a word that needs a look has each of its
    // bytes looked at (Chinese text has many: full-width punctuation
    // starts with 0xef), then the next word.
    bytes.chunks(8).enumerate().all(|(k, word)| {
        (word.len() == 8 && !needs_a_look(word))
            || (k * 8..k * 8 + word.len()).all(|i| plain_at(bytes, i))
    })
}

/// Whether the byte at `i` (with those after it) is allowed where
/// [`plain_characters`] looks.
fn plain_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' | 0x20..=0x7e => true,
        b'\r' => bytes.get(i + 1) == Some(&b'\n'),
        0x00..=0x1f | 0x7f => false,
        // U+0080..U+009F
        0xc2 => !matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        // U+2028, U+2029
        0xe2 => !(bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9))),
        // U+FEFF, U+FFFE, U+FFFF
        0xef => !matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
        ),
        _ => true,
    }
}

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
