//! Diagnostics: a user mistake pinned to a file, line and column.
//!
//! Every stage reports problems in the user's input as [`Diagnostic`]s so that
//! the command line, `check --format json` and the live-preview overlay show
//! them the same way: what is wrong, where, the offending line with a caret
//! under it, and what was expected.

mod code;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

pub use code::Code;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The kind of problem (`unknown-category`), for tools that read
    /// `gongkai check --format json`.
    pub code: Code,
    /// The file as the user knows it (relative to the site root when possible).
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong, in the user's language.
    pub message: String,
    /// What was expected, or how to fix it.
    pub help: Option<String>,
    /// The text of `line`, to show under the message.
    pub source_line: Option<String>,
    /// How many characters from `column` the caret underlines.
    pub width: usize,
    /// Further errors of the same file that this one stands for, not
    /// listed one by one (a file with hundreds of the same mistake): the
    /// totals count them.
    pub unlisted: usize,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            source_line: None,
            width: 1,
            unlisted: 0,
        }
    }

    /// A file that could not be read or written (`doing`: 读取文件,
    /// 写入), with the reason in Chinese and what to do about it.
    pub fn io(code: Code, file: impl Into<PathBuf>, doing: &str, e: &std::io::Error) -> Self {
        use std::io::ErrorKind as Kind;
        let (reason, help) = match e.kind() {
            Kind::NotFound => (
                "文件或它所在的文件夹不存在".to_string(),
                "请确认路径写对了；文件可能刚被改名、移走或删除。",
            ),
            Kind::PermissionDenied => (
                "没有权限".to_string(),
                "请检查这个文件和它所在文件夹的权限，或换一个有权限的用户运行；在 Windows 上也可能是文件被其他程序（如杀毒软件、Word）占用。",
            ),
            Kind::IsADirectory => (
                "这是一个文件夹，不是文件".to_string(),
                "请写文件的路径，而不是文件夹的。",
            ),
            Kind::InvalidData => (
                "内容无法读取".to_string(),
                "文件可能已损坏：请重新保存或重新导出一份。",
            ),
            Kind::StorageFull | Kind::QuotaExceeded => {
                ("磁盘空间不足".to_string(), "请清理磁盘空间后再试。")
            }
            Kind::ReadOnlyFilesystem => (
                "磁盘或文件夹是只读的".to_string(),
                "请换一个可以写入的位置。",
            ),
            _ => (
                e.to_string(),
                "请确认文件没有被其他程序占用、磁盘连接正常，然后再试一次。",
            ),
        };
        Diagnostic::error(code, file, format!("无法{doing}：{reason}")).help(help)
    }

    pub fn warning(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// Pins the diagnostic to a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column.max(1);
        self
    }

    /// Pins the diagnostic to a byte offset of `text`, and keeps that line.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        let mut d = self.at(line, column);
        // The line around the offset, found from it: a file with thousands
        // of mistakes is not read from its start for each one's line.
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        d.source_line =
            (start < text.len()).then(|| text[start..end].trim_end_matches('\r').to_string());
        d
    }

    /// Makes this a warning: reported, but it does not fail `check`
    /// without `--strict`.
    pub fn as_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Says that this error stands for `more` others of its file that
    /// are not listed.
    pub fn unlisted(mut self, more: usize) -> Self {
        self.unlisted = more;
        self
    }

    pub fn width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    /// Keeps the text of the diagnostic's line from the whole file `text`.
    /// [`Diagnostic::with_source`] for many diagnostics of one text.
    pub fn with_source_in(mut self, lines: &LineIndex<'_>) -> Self {
        if self.line > 0 {
            self.source_line = lines.line(self.line).map(str::to_string);
        }
        self
    }

    pub fn with_source(mut self, text: &str) -> Self {
        if self.line > 0 {
            self.source_line = text
                .lines()
                .nth(self.line - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, the form editors and terminals make clickable.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (0, _) => format!("{file}"),
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// Renders like rustc: message, location, the line with a caret, help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        writeln!(f, "{label}[{}]：{}", self.code, printable(&self.message))?;
        writeln!(f, "  --> {}", self.location())?;
        if let (Some(src), true) = (&self.source_line, self.line > 0) {
            let (src, column) = window(src, self.column);
            let src = &printable(&src);
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {src}")?;
            if column > 0 {
                let indent = display_width(src.chars().take(column - 1));
                let carets = display_width(src.chars().skip(column - 1).take(self.width));
                writeln!(
                    f,
                    "{pad} | {}{}",
                    " ".repeat(indent),
                    "^".repeat(carets.max(1))
                )?;
            }
        }
        if let Some(help) = &self.help {
            // Lines after the first (an example to copy) stay under the
            // first, their own indentation kept.
            let help = help.replace('\n', "\n          ");
            writeln!(f, "  = 提示：{help}")?;
        }
        Ok(())
    }
}

/// The most characters of a source line shown: a line of a long body
/// (a whole paragraph, a pasted table) is shown around its column, not
/// whole, which could be megabytes.
const MAX_SHOWN: usize = 120;

/// The part of `line` to show around `column` (from 1; 0: none), and the
/// column in it; `…` marks what is left out.
fn window(line: &str, column: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= MAX_SHOWN {
        return (line.to_string(), column);
    }
    let start = column
        .saturating_sub(1 + MAX_SHOWN / 3)
        .min(count - MAX_SHOWN);
    let mut shown: String = line.chars().skip(start).take(MAX_SHOWN).collect();
    let mut column = column.saturating_sub(start);
    if start > 0 {
        shown.insert(0, '…');
        column += 1;
    }
    if start + MAX_SHOWN < count {
        shown.push('…');
    }
    (shown, column)
}

/// `text` as a terminal can show it on one line: what the user wrote is
/// quoted in messages and source lines, and a line break, an escape
/// sequence or a right-to-left override in it must not break the report
/// apart, recolour the terminal or reorder what it shows. One character
/// for each, so that columns stay where they were; a run of line breaks
/// becomes one `⏎`.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let odd = |c: char| {
        c.is_control()
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !text.contains(odd) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' if out.ends_with('⏎') => {}
            '\n' | '\r' => out.push('⏎'),
            '\t' => out.push('→'),
            c if odd(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Terminal columns taken by `chars` (a Han character takes two).
fn display_width(chars: impl Iterator<Item = char>) -> usize {
    chars
        .map(|c| if c == '\t' { 4 } else { c.width().unwrap_or(0) })
        .sum()
}

/// 1-based line and character column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    // Counted a byte at a time, which the compiler vectorizes: a mistake
    // far down a long file costs little, and a file may have thousands.
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Where each line of a text starts, for [`line_col`] of many offsets:
/// one pass over the text, then a search per offset, where calling
/// [`line_col`] for each of a notice's 20,000 links reads it 20,000 times.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// The byte offset each line starts at, the first line's 0: made
    /// here, or kept by the text's owner ([`LineIndex::with_starts`]).
    starts: std::borrow::Cow<'a, [usize]>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            starts: std::borrow::Cow::Owned(Self::starts(text)),
        }
    }

    /// The index of `text` from its line starts, made by [`LineIndex::starts`]
    /// and kept by whoever owns the text.
    pub fn with_starts(text: &'a str, starts: &'a [usize]) -> LineIndex<'a> {
        LineIndex {
            text,
            starts: std::borrow::Cow::Borrowed(starts),
        }
    }

    /// Where each line of `text` starts.
    pub fn starts(text: &str) -> Vec<usize> {
        std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    }

    /// Line `n` (from 1), without its line ending, as
    /// [`Diagnostic::with_source`] shows it.
    pub fn line(&self, n: usize) -> Option<&'a str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        // After a last line ending there is no line, as `str::lines` says.
        if start == self.text.len() {
            return None;
        }
        let end = self.starts.get(n).map_or(self.text.len(), |next| next - 1);
        Some(self.text.get(start..end)?.trim_end_matches('\r'))
    }

    /// What [`line_col`] gives for `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        // The last line starting at or before `offset`.
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }
}

/// Byte offset of a 1-based line and character column, if the text has it.
pub fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let rest = &text[start..];
    match rest.char_indices().nth(column.saturating_sub(1)) {
        Some((i, _)) => Some(start + i),
        None => Some(text.len()),
    }
}

/// Shows a path relative to `root` when it lies inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// All diagnostics of one run, sorted so that output is stable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    /// How many errors there are, those listed and those they stand for
    /// ([`Diagnostic::unlisted`]): the number a total says.
    pub fn error_count(&self) -> usize {
        self.errors().map(|d| 1 + d.unlisted).sum()
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// The warnings that `--strict` fails on: all but advice about the
    /// site as a whole ([`Code::is_advice`]).
    pub fn strict_warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.warnings().filter(|d| !d.code.is_advice())
    }

    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.0.dedup();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// One diagnostic as tools read it: `check --format json` and the error
/// overlay of `serve`.
#[derive(Debug, Serialize)]
pub struct Json<'a> {
    pub code: Code,
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// `file:line:column`
    pub location: String,
    pub message: &'a str,
    pub hint: Option<&'a str>,
    /// The text of the line.
    pub source: Option<&'a str>,
    /// Further errors of the file this one stands for, not listed.
    #[serde(skip_serializing_if = "is_zero")]
    pub unlisted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Diagnostic {
    pub fn json(&self) -> Json<'_> {
        Json {
            code: self.code,
            severity: self.severity,
            file: self.file.display().to_string(),
            line: self.line,
            column: self.column,
            location: self.location(),
            message: &self.message,
            hint: self.help.as_deref(),
            source: self.source_line.as_deref(),
            unlisted: self.unlisted,
        }
    }
}

impl Diagnostics {
    /// `{"errors": n, "warnings": n, "diagnostics": [...]}`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Report<'a> {
            errors: usize,
            warnings: usize,
            diagnostics: Vec<Json<'a>>,
        }
        let report = Report {
            errors: self.error_count(),
            warnings: self.warnings().count(),
            diagnostics: self.0.iter().map(Diagnostic::json).collect(),
        };
        serde_json::to_string_pretty(&report).unwrap_or_default()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_count_the_errors_a_diagnostic_stands_for() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::error(Code::Yaml, "a.md", "一").at(1, 1));
        all.push(
            Diagnostic::error(Code::Yaml, "a.md", "还有")
                .at(2, 1)
                .unlisted(9),
        );
        all.push(Diagnostic::warning(Code::Yaml, "a.md", "警告").unlisted(3));
        assert_eq!(all.errors().count(), 2);
        assert_eq!(all.error_count(), 11);
        assert!(
            all.to_json().contains("\"errors\": 11"),
            "{}",
            all.to_json()
        );
    }

    #[test]
    fn what_the_user_wrote_cannot_break_the_report_apart() {
        let d = Diagnostic::error(Code::Yaml, "a.md", "未知的问题类别“tea\n\n\nm”")
            .at(2, 3)
            .with_source("---\nx:\tab\u{1b}[2J\u{202E}cba\n");
        let shown = d.to_string();
        assert!(
            shown.starts_with("错误[yaml]：未知的问题类别“tea⏎m”\n"),
            "{shown}"
        );
        assert!(
            shown.contains("2 | x:→ab\u{FFFD}[2J\u{FFFD}cba\n"),
            "{shown}"
        );
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{202E}'));
        // The caret stays under the character it points at.
        assert!(shown.contains("  |   ^\n"), "{shown}");
    }

    #[test]
    fn a_long_line_is_shown_around_its_column() {
        let line = format!("{}错{}", "甲".repeat(200_000), "乙".repeat(200_000));
        let d = Diagnostic::error(Code::Yaml, "content/a.md", "这里错了")
            .at(3, 200_001)
            .with_source(&format!("---\nx: 1\n{line}\n"));
        let shown = d.to_string();
        assert!(shown.len() < 2_000, "{} bytes", shown.len());
        let lines: Vec<&str> = shown.lines().collect();
        let (source, caret) = (lines[3], lines[4]);
        assert!(
            source.starts_with("3 | …甲") && source.ends_with("乙…"),
            "{source}"
        );
        // The caret is under 错: as wide as what comes before it.
        let before = source.split('错').next().unwrap();
        assert_eq!(caret.find('^'), Some(display_width(before.chars())));
    }

    #[test]
    fn a_file_that_cannot_be_read_or_written_says_why_and_what_to_do() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let d = Diagnostic::io(Code::Io, "public/index.html", "写入", &denied);
        assert_eq!(d.message, "无法写入：没有权限");
        assert!(d.help.as_deref().is_some_and(|h| h.contains("权限")));
        let other = std::io::Error::other("设备忙");
        let d = Diagnostic::io(Code::Io, "content/a.md", "读取文件", &other);
        assert_eq!(d.message, "无法读取文件：设备忙");
        assert!(d.help.is_some());
    }

    #[test]
    fn the_line_index_agrees_with_line_col() {
        let text = "---\ntitle: 中文\n\n正文 [链接](a.md)\n末行";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(index.line_col(offset), line_col(text, offset), "{offset}");
        }
        for text in [text, "a\r\nb\r\n", "", "\n\n", "末", "a\n"] {
            for offset in 0..=text.len() + 1 {
                let d = Diagnostic::error(Code::Yaml, "a.md", "x");
                let (line, column) = line_col(text, offset);
                assert_eq!(
                    d.clone().at_offset(text, offset).source_line,
                    d.at(line, column).with_source(text).source_line,
                    "{text:?} at {offset}"
                );
            }
            let index = LineIndex::new(text);
            for n in 0..6 {
                let d = Diagnostic::error(Code::Yaml, "a.md", "x").at(n, 1);
                assert_eq!(
                    d.clone().with_source_in(&index).source_line,
                    d.with_source(text).source_line,
                    "{text:?} line {n}"
                );
            }
        }
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "---\ntitle: 中文标题\ncategory: polcy\n";
        let offset = text.find("polcy").unwrap();
        assert_eq!(line_col(text, offset), (3, 11));
        let offset = text.find("标题").unwrap();
        assert_eq!(line_col(text, offset), (2, 10));
        assert_eq!(offset_of(text, 2, 10), Some(offset));
    }

    #[test]
    fn display_underlines_wide_characters() {
        let text = "title: 中文\ncategory: 政策\n";
        let d = Diagnostic::error(Code::UnknownCategory, "a.md", "未知的问题类别“政策”")
            .at(2, 11)
            .width(2)
            .with_source(text)
            .help("可用的类别：policy");
        let shown = d.to_string();
        assert!(shown.contains("  --> a.md:2:11"), "{shown}");
        assert!(shown.contains("2 | category: 政策"), "{shown}");
        // "category: " is 10 columns wide; the two Han characters take four.
        assert!(shown.contains("  |           ^^^^\n"), "{shown}");
        assert!(shown.contains("提示：可用的类别：policy"), "{shown}");
    }
}
