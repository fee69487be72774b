//! A guard against hostile nesting. The YAML reader takes time that grows
//! as the square of the nesting depth (250,000 `[` took minutes), so the
//! depth is measured first, in one pass over the text, and a document
//! nested deeper than any front matter needs is refused at the place where
//! it gets too deep.
//!
//! The measure must never count less than the YAML reader will nest, or a
//! few hundred kilobytes hang the build. It counts brackets and braces
//! that open flow collections, indentation levels, and the `- ` and `? `
//! of compact nested collections, and skips comments and the lines of
//! block scalars (`|`, `>`), so that text cannot trip it.
//!
//! Quoted scalars are where a guard goes wrong: one quote it thinks open
//! while the reader does not (`'\'` is a whole string in YAML, and the
//! `'` of `x:'` is a plain character) and it stops counting to the end of
//! the file. So the text is measured twice: once following quotes as YAML
//! does, and once ignoring them (a bracket inside quotes then counts). A
//! document is refused if either measure goes too deep. Only a quoted
//! value with dozens of unclosed `[` inside a flow list can trip the
//! second measure alone, which no notice has.

/// Deeper than this is refused. A notice needs three or four levels.
pub const MAX_DEPTH: usize = 64;

/// `Err((line, column))` where the nesting of `text` first goes past
/// [`MAX_DEPTH`].
pub fn check(text: &str) -> Result<(), (usize, usize)> {
    let quoted = Scan::new(true).run(text);
    let blind = Scan::new(false).run(text);
    match (quoted, blind) {
        (Err(a), Err(b)) => Err(a.min(b)),
        (Err(at), _) | (_, Err(at)) => Err(at),
        _ => Ok(()),
    }
}

/// What may come at a character, as far as nesting goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// A node may start here: a quote or a bracket opens one.
    Value,
    /// Just after `:`, `-` or `?`: an indicator if whitespace follows
    /// (`key: 'a'`), plain text if not (`x:'a` is one plain scalar).
    Indicator,
    /// Inside an anchor or tag (`&a`, `!t`): the node comes after it.
    Property,
    /// Inside a plain scalar, or after a quoted one.
    Text,
}

/// Where the lines of a block scalar (`|`, `>`) are.
#[derive(Debug, Clone, Copy)]
enum Block {
    /// After the header line, indented by `.0`: the first line that is
    /// not empty sets the indentation of the block.
    Header(usize),
    /// Lines indented by at least `.0` (or empty) belong to the block.
    Body(usize),
}

/// One measure of a text.
struct Scan {
    /// Whether quotes are followed (or ignored, brackets in them counting).
    quotes: bool,
    flow: usize,
    quote: Option<char>,
    /// A `\` in double quotes escapes the next character.
    escaped: bool,
    indents: Vec<usize>,
    block: Option<Block>,
    at: At,
}

impl Scan {
    fn new(quotes: bool) -> Scan {
        Scan {
            quotes,
            flow: 0,
            quote: None,
            escaped: false,
            indents: Vec::new(),
            block: None,
            at: At::Value,
        }
    }

    fn run(mut self, text: &str) -> Result<(), (usize, usize)> {
        for (n, line) in lines(text).enumerate() {
            self.line(n + 1, line)?;
        }
        Ok(())
    }

    fn line(&mut self, n: usize, line: &str) -> Result<(), (usize, usize)> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line.trim();
        if self.in_block(indent, content.is_empty()) {
            return Ok(());
        }
        // A line break escaped in double quotes is folded away: the next
        // line's first character is not escaped.
        self.escaped = false;
        if self.quote.is_none() && self.flow == 0 {
            if content.is_empty() || content.starts_with('#') {
                return Ok(());
            }
            self.at = At::Value;
            self.indentation(indent, content)
                .map_err(|column| (n, column))?;
        } else if self.at == At::Indicator {
            // The line break is whitespace after the indicator.
            self.at = At::Value;
        }
        self.characters(line).map_err(|column| (n, column))
    }

    /// Whether a line of this indentation belongs to the block scalar
    /// being read (and so is text, not YAML).
    fn in_block(&mut self, indent: usize, empty: bool) -> bool {
        match self.block {
            None => false,
            Some(_) if empty => true,
            Some(Block::Header(parent)) if indent > parent => {
                self.block = Some(Block::Body(indent));
                true
            }
            Some(Block::Body(least)) if indent >= least => true,
            Some(_) => {
                self.block = None;
                false
            }
        }
    }

    /// Counts the indentation level of a line of the block context, and
    /// the compact collections (`- - x`, `? - x`) that start it.
    fn indentation(&mut self, indent: usize, content: &str) -> Result<(), usize> {
        while self.indents.last().is_some_and(|&i| i >= indent) {
            self.indents.pop();
        }
        self.indents.push(indent);
        let compact = content
            .split_inclusive([' ', '\t'])
            .take_while(|p| matches!(p.trim(), "-" | "?"))
            .count();
        if self.indents.len() + compact > MAX_DEPTH {
            return Err(indent + 1);
        }
        Ok(())
    }

    /// Follows the characters of a line: quotes, brackets, comments and
    /// the header of a block scalar. `Err(column)` where it gets too deep.
    fn characters(&mut self, line: &str) -> Result<(), usize> {
        let mut chars = line.char_indices().enumerate().peekable();
        let mut previous = ' ';
        while let Some((column, (byte, c))) = chars.next() {
            if let Some(q) = self.quote {
                let doubled = q == '\'' && c == '\'' && chars.peek().is_some_and(|n| n.1.1 == '\'');
                if doubled {
                    // `''` is a quote inside single quotes.
                    chars.next();
                } else if self.escaped {
                    self.escaped = false;
                } else if q == '"' && c == '\\' {
                    self.escaped = true;
                } else if c == q {
                    self.quote = None;
                    self.at = At::Text;
                }
                previous = c;
                continue;
            }
            if c == '#' && previous.is_whitespace() {
                break;
            }
            if c.is_whitespace() {
                if matches!(self.at, At::Indicator | At::Property) {
                    self.at = At::Value;
                }
                previous = c;
                continue;
            }
            match c {
                '"' | '\'' if self.quotes && self.at == At::Value => self.quote = Some(c),
                '[' | '{' if self.at == At::Value || self.flow > 0 => {
                    self.flow += 1;
                    if self.flow > MAX_DEPTH {
                        return Err(column + 1);
                    }
                    self.at = At::Value;
                }
                ']' | '}' if self.flow > 0 => {
                    self.flow -= 1;
                    self.at = At::Text;
                }
                ',' if self.flow > 0 => self.at = At::Value,
                '|' | '>' if self.at == At::Value && self.flow == 0 => {
                    if is_block_header(&line[byte..]) {
                        let indent = line.len() - line.trim_start_matches(' ').len();
                        self.block = Some(Block::Header(indent));
                        return Ok(());
                    }
                    self.at = At::Text;
                }
                ':' => self.at = At::Indicator,
                '-' | '?' if self.at == At::Value => self.at = At::Indicator,
                '&' | '!' if self.at == At::Value => self.at = At::Property,
                _ if self.at == At::Property => {}
                _ => self.at = At::Text,
            }
            previous = c;
        }
        Ok(())
    }
}

/// Whether `rest` (from a `|` or `>` where a value starts) is the header
/// of a block scalar: the indicator, its chomping and indentation marks,
/// and at most a comment.
fn is_block_header(rest: &str) -> bool {
    let marks =
        rest[1..].trim_start_matches(['+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    let after = marks.trim_start_matches([' ', '\t']);
    after.is_empty() || (after.starts_with('#') && after.len() < marks.len())
}

/// The lines of `text`, broken where YAML breaks them: at `\n`, `\r\n`
/// and a lone `\r` (which `str::lines` does not break at, so that a
/// comment would hide the rest of a file with old Mac line ends).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..end];
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            usize::from(end < rest.len())
        };
        rest = &rest[end + skip..];
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brackets(n: usize) -> String {
        "[".repeat(n)
    }

    #[test]
    fn front_matter_passes() {
        let text = "title: 关于“两个维护”的[通报]\ntags: [a, [b, c]]\nproblems:\n  - number: 1\n    measures: |\n      [[[[[[[[ 正文里的方括号不算\n      a: [b\n    result: 完成 # [[[[\n  - - - x\n";
        assert_eq!(check(text), Ok(()));
        assert_eq!(check("title: 'a [[[[ b'\n"), Ok(()));
        let deep_but_fine = format!("a: {}{}\n", brackets(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(check(&deep_but_fine), Ok(()));
    }

    #[test]
    fn brackets_in_quotes_and_block_scalars_do_not_count() {
        let many = brackets(100);
        let quoted = format!("title: '{many}'\nsummary: \"{many}\"\ncause: 'it''s {many}'\n");
        assert_eq!(check(&quoted), Ok(()));
        let block = format!("measures: >-\n  {many}\n\n  {many}\nresult: 完成\n");
        assert_eq!(check(&block), Ok(()));
        let plain = format!("title: 见{many}\n");
        assert_eq!(check(&plain), Ok(()));
    }

    #[test]
    fn hostile_nesting_is_found_where_it_gets_too_deep() {
        let flow = format!("title: a\nk: {}\n", brackets(250_000));
        assert_eq!(check(&flow), Err((2, 4 + MAX_DEPTH)));
        let braces = format!("k: {}", "{a: ".repeat(100));
        assert!(check(&braces).is_err());
        let block: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert_eq!(check(&block), Err((MAX_DEPTH + 1, MAX_DEPTH + 1)));
        let dashes = format!("k:\n{}x\n", "- ".repeat(100));
        assert!(check(&dashes).is_err());
        let keys = format!("k:\n{}x\n", "? ".repeat(100));
        assert!(check(&keys).is_err());
    }

    /// A backslash does not escape in single quotes: `'\'` is a whole
    /// string, and the brackets after it nest.
    #[test]
    fn a_backslash_in_single_quotes_does_not_hide_the_brackets_after_it() {
        let text = format!("title: a\ntags: ['\\', {}\n", brackets(200_000));
        // The `[` before the quote is the first level.
        assert_eq!(check(&text), Err((2, 12 + MAX_DEPTH)));
        let site = format!("description: ['\\', {}\n", brackets(150_000));
        assert!(matches!(check(&site), Err((1, _))));
    }

    /// The `'` of `x:'` is a plain character, not the start of a quote.
    #[test]
    fn a_quote_inside_a_plain_scalar_does_not_hide_the_brackets_after_it() {
        let text = format!("title: 通报\n  x:'\ntags: {}\n", brackets(100_000));
        assert_eq!(check(&text), Err((3, 7 + MAX_DEPTH)));
        let mid = format!("title: it's\ntags: {}\n", brackets(1000));
        assert!(matches!(check(&mid), Err((2, _))));
    }

    /// Wherever the two measures disagree about a quote, the one that
    /// ignores quotes still counts.
    #[test]
    fn a_quote_left_open_by_mistake_still_counts() {
        for opener in ["'", "\"", "[x, '", "\"\\\"", "'it'''"] {
            let text = format!("title: {opener}\ntags: {}\n", brackets(10_000));
            assert!(matches!(check(&text), Err((2, _))), "{opener}");
        }
    }

    #[test]
    fn anchors_and_tags_before_brackets_count() {
        for property in ["&a ", "!t ", "&a !t "] {
            let text = format!("k: {property}{}\n", brackets(1000));
            assert!(check(&text).is_err(), "{property}");
        }
    }

    #[test]
    fn a_block_scalar_ends_where_its_indentation_does() {
        let text = format!("k: |\n    text\n  {}\n", brackets(1000));
        assert!(matches!(check(&text), Err((3, _))));
        // Not a header: `|` inside a plain value, `|x`.
        let text = format!("k: a |\n{}\n", brackets(1000));
        assert!(matches!(check(&text), Err((2, _))));
        let text = format!("k: |x\n  {}\n", brackets(1000));
        assert!(matches!(check(&text), Err((2, _))));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_and_its_comment() {
        let text = format!("a: b #\rtags: {}\r", brackets(1000));
        assert_eq!(check(&text), Err((2, 7 + MAX_DEPTH)));
        let crlf = "a: 1\r\nb: [x]\r\n";
        assert_eq!(check(crlf), Ok(()));
        assert_eq!(
            lines("a\r\nb\rc\n\nd").collect::<Vec<_>>(),
            ["a", "b", "c", "", "d"]
        );
    }
}
