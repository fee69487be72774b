//! Splitting a notice file into its YAML front matter and Markdown body.

/// The parts of a notice file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Where the YAML is in the text.
    pub yaml_range: std::ops::Range<usize>,
    /// The 1-based file line on which the YAML starts.
    pub yaml_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// Where the body starts in the text.
    pub body_start: usize,
    /// The 1-based file line on which the body starts.
    pub body_line: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---`.
    Missing,
    /// No closing `---` line follows the opening one.
    Unclosed,
}

/// Splits `text` (already without a BOM). Accepts CRLF line ends and
/// trailing spaces after the `---` lines; `...` may also close the block.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = LineIter { text, pos: 0 };
    let first = lines.next().ok_or(SplitError::Missing)?;
    if first.content.trim_end() != "---" {
        return Err(SplitError::Missing);
    }
    let yaml_start = first.end;
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        let trimmed = line.content.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..line.start],
                yaml_range: yaml_start..line.start,
                yaml_line: 2,
                body: &text[line.end..],
                body_start: line.end,
                body_line: line_no + 1,
            });
        }
    }
    Err(SplitError::Unclosed)
}

struct Line<'a> {
    content: &'a str,
    start: usize,
    end: usize,
}

/// Lines with their byte ranges; `end` includes the line break.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = Line<'a>;
    fn next(&mut self) -> Option<Line<'a>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (content, len) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += len;
        Some(Line {
            content: content.trim_end_matches('\r'),
            start,
            end: self.pos,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_plain_front_matter() {
        let s = split("---\ntitle: a\n---\n正文\n").unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "正文\n");
        assert_eq!((s.yaml_line, s.body_line), (2, 4));
    }

    #[test]
    fn accepts_crlf_and_trailing_spaces() {
        let s = split("--- \r\ntitle: a\r\ndate: b\r\n---  \r\n\r\n正文").unwrap();
        assert_eq!(s.yaml, "title: a\r\ndate: b\r\n");
        assert_eq!(s.body, "\r\n正文");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn a_dashed_line_inside_yaml_text_must_be_alone_to_close() {
        let s = split("---\ntitle: a --- b\n...\nbody").unwrap();
        assert_eq!(s.yaml, "title: a --- b\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split("title: a\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: a\n"), Err(SplitError::Unclosed));
        assert_eq!(split("---"), Err(SplitError::Unclosed));
    }
}
