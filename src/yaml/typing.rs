//! Typing mistakes that the YAML reader reports far from where they are,
//! in English, with no word about the cause: a full-width colon
//! (`date：2026-12-06`, the commonest mistake of a Chinese keyboard), an
//! indentation of no-break or ideographic spaces (copied from Word or a
//! web page), a stray BOM where files were pasted together, and a Windows
//! path in double quotes (`"C:\Users\…"`, where `\U` is an escape).
//!
//! Each is recognised on its raw line, and only after the reader has
//! failed, so that a valid document is never affected. They are the
//! cause only if the text with them corrected (as the hints say) reads
//! past where the reader failed; then every one of them is reported,
//! each at its own line and column, and the next mistake the reader
//! finds after them too. Otherwise (a list item `- 注意：…` beside an
//! unclosed quote) they are bystanders, and the reader's own error
//! stands.

use serde_yaml::Value;

use super::{YamlError, depth, syntax};

/// Every typing mistake of `text`, when they explain the reader's
/// failure at line `failed_at`; otherwise none.
pub fn mistakes(text: &str, failed_at: usize) -> Vec<YamlError> {
    let mut found = Vec::new();
    for (n, line) in syntax::yaml_lines(text) {
        found.extend(on_line(n, line));
    }
    if !found.iter().any(|e| e.line <= failed_at) {
        return Vec::new();
    }
    let lines: Vec<usize> = found.iter().map(|e| e.line).collect();
    let corrected = corrected_text(text, &lines);
    // A correction can make brackets open a list (`a：[[[…`): the
    // nesting guard first, as for any text.
    if depth::check(&corrected).is_err() {
        return found;
    }
    match serde_yaml::from_str::<Value>(&corrected) {
        Ok(_) => found,
        Err(e) if e.location().is_none_or(|l| l.line() > failed_at) => {
            found.push(syntax::error(&corrected, &e));
            found
        }
        Err(_) => Vec::new(),
    }
}

/// `text` with the typing mistakes of the lines numbered `lines`
/// corrected, line for line.
fn corrected_text(text: &str, lines: &[usize]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        // `lines` is in the order of the text.
        if lines.binary_search(&(i + 1)).is_err() {
            out.push_str(line);
            continue;
        }
        let content = line.trim_end_matches(['\n', '\r']);
        out.push_str(&corrected(content));
        out.push_str(&line[content.len()..]);
    }
    out
}

/// A line corrected the way the hints below say.
fn corrected(line: &str) -> String {
    let line = corrected_escapes(line);
    let lead = line.len()
        - line
            .trim_start_matches([' ', '\u{A0}', '\u{3000}', '\u{FEFF}'])
            .len();
    let spaces: String = line[..lead]
        .chars()
        .filter(|c| *c != '\u{FEFF}')
        .map(|c| if c == '\u{3000}' { "  " } else { " " })
        .collect();
    let mut line = format!("{spaces}{}", &line[lead..]);
    for colon in ['：', ':'] {
        if let Some((key, rest)) = key_and_rest(&line, colon) {
            let key_end = key.as_ptr() as usize - line.as_ptr() as usize + key.len();
            let value = rest.trim_start_matches([' ', '\u{A0}', '\u{3000}']);
            line = format!("{}: {value}", &line[..key_end]);
        }
    }
    line
}

/// The typing mistakes of one line (numbered `n`) of YAML.
fn on_line(n: usize, line: &str) -> Vec<YamlError> {
    let mut found = Vec::new();
    if let Some(e) = odd_space(n, line) {
        found.push(e);
    }
    if let Some(e) = full_width_colon(n, line) {
        found.push(e);
    }
    found.extend(bad_escape(n, line));
    found
}

/// Spaces a keyboard does not type but pasted text brings, and what
/// they are called.
fn odd_space_name(c: char) -> Option<&'static str> {
    match c {
        '\u{A0}' => Some("不换行空格（U+00A0）"),
        '\u{3000}' => Some("全角空格（U+3000）"),
        '\u{FEFF}' => Some("字节顺序标记（BOM，U+FEFF）"),
        _ => None,
    }
}

/// An odd space or BOM in the indentation of a line, or as the space
/// after a key's colon.
fn odd_space(n: usize, line: &str) -> Option<YamlError> {
    let lead = line
        .chars()
        .take_while(|c| *c == ' ' || odd_space_name(*c).is_some())
        .enumerate()
        .find_map(|(i, c)| odd_space_name(c).map(|name| (i, name)));
    if let Some((column, name)) = lead.filter(|(_, name)| !name.contains("BOM")) {
        return Some(YamlError::syntax(
            n,
            column + 1,
            format!("这一行开头有一个看不见的{name}，YAML 不把它当作缩进"),
            "它常随着从 Word 或网页复制的文字带进来。请删掉这一行开头的空白，再用键盘的空格键重新缩进（同一层的字段要对齐）。",
        ));
    }
    if let Some((column, name)) = lead {
        return Some(YamlError::syntax(
            n,
            column + 1,
            format!("这一行开头有一个看不见的{name}，它只能出现在文件的最开头"),
            "它常在把两个文件的内容拼在一起、或从别的软件复制时带进来。把光标放在这一行的最开头，按一次 Delete 删掉它。",
        ));
    }
    let (key, rest) = key_and_rest(line, ':')?;
    let after = rest.chars().next()?;
    let name = odd_space_name(after)?;
    let column = line[..line.len() - rest.len()].chars().count() + 1;
    Some(YamlError::syntax(
        n,
        column,
        format!("字段 {key} 的冒号后面是一个{name}，不是普通空格"),
        format!("请把冒号后面的这个空白删掉，换成键盘上的空格键打出的空格，例如 {key}: ……"),
    ))
}

/// `date：2026-12-06`: a key followed by a full-width colon.
fn full_width_colon(n: usize, line: &str) -> Option<YamlError> {
    let (key, rest) = key_and_rest(line, '：')?;
    let colon = line.len() - rest.len() - '：'.len_utf8();
    let column = line[..colon].chars().count() + 1;
    let value = rest.trim_start_matches([' ', '\u{3000}', '\u{A0}']);
    // The line as it should be: its indentation and `- `, then the key.
    let key_start = key.as_ptr() as usize - line.as_ptr() as usize;
    let fixed = format!("{}{key}: {value}", &line[..key_start]);
    Some(YamlError::syntax(
        n,
        column,
        format!("字段 {key} 后面写的是中文冒号“：”，YAML 只认英文冒号“:”"),
        format!(
            "请把“：”改成英文冒号“:”，冒号后面加一个空格，这一行应写成：{}",
            fixed.trim_end()
        ),
    ))
}

/// The key of a line written `key` + `colon` (after its indentation and
/// any `- `), and the text after the colon. Keys are ASCII names, as in
/// every front matter and `site.yaml`.
fn key_and_rest(line: &str, colon: char) -> Option<(&str, &str)> {
    let mut content = line.trim_start_matches([' ', '\u{A0}', '\u{3000}', '\u{FEFF}']);
    while let Some(rest) = content.strip_prefix("- ") {
        content = rest.trim_start_matches(' ');
    }
    let end = content.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
    let key = &content[..end];
    let rest = content[end..].trim_start_matches(' ').strip_prefix(colon)?;
    let first = key.chars().next()?;
    first.is_ascii_alphabetic().then_some((key, rest))
}

/// A backslash in a double-quoted value that is not one of YAML's
/// escapes: a Windows path (`"C:\Users\…"`, `"D:\整改\材料"`). At the
/// backslash, not at the quote where the reader says it.
fn bad_escape(n: usize, line: &str) -> Option<YamlError> {
    let (at, problem) = bad_escapes(line).into_iter().next()?;
    let column = line[..at].chars().count() + 1;
    Some(YamlError::syntax(
        n,
        column,
        problem,
        "双引号里的 \\ 是转义符号。文件路径（如 C:\\Users\\…）请改用单引号括起来：'C:\\Users\\…'，或把每个 \\ 写成 \\\\；也可以不加引号直接写。",
    ))
}

/// The line with each bad escape's backslash doubled.
fn corrected_escapes(line: &str) -> String {
    let mut out = line.to_string();
    for (at, _) in bad_escapes(line).into_iter().rev() {
        out.insert(at, '\\');
    }
    out
}

/// The byte offset of each backslash of the line's double-quoted value
/// that starts no YAML escape, and what is wrong with it.
fn bad_escapes(line: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let Some(value) = line
        .split_once(": ")
        .map(|(_, v)| v)
        .or_else(|| line.trim_start().strip_prefix("- "))
    else {
        return found;
    };
    let Some(inside) = value.trim_start().strip_prefix('"') else {
        return found;
    };
    let start = line.len() - inside.len();
    let mut chars = inside.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => break,
            '\\' => {
                if let Some(problem) = escape_problem(&inside[i + 1..]) {
                    found.push((start + i, problem));
                }
                chars.next();
            }
            _ => {}
        }
    }
    found
}

/// What is wrong with the escape that `rest` (after a `\`) starts.
fn escape_problem(rest: &str) -> Option<String> {
    let next = rest.chars().next()?;
    let digits = match next {
        'x' => 2,
        'u' => 4,
        'U' => 8,
        '0' | 'a' | 'b' | 't' | '\t' | 'n' | 'v' | 'f' | 'r' | 'e' | ' ' | '"' | '/' | '\\'
        | 'N' | '_' | 'L' | 'P' => return None,
        _ => return Some(format!("双引号里的“\\{next}”不是有效的转义")),
    };
    let hex = rest[1..]
        .chars()
        .take(digits)
        .filter(char::is_ascii_hexdigit)
        .count();
    (hex < digits).then(|| {
        format!("双引号里的“\\{next}”是转义符号，后面要跟 {digits} 位十六进制数字，这里没有")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(usize, usize, String)> {
        mistakes(text, usize::MAX)
            .into_iter()
            .map(|e| (e.line, e.column, e.message))
            .collect()
    }

    #[test]
    fn a_full_width_colon_is_named_where_it_is() {
        let e = &mistakes("title: a\ndate：2026-12-06\ntags: [x]\n", 3)[0];
        assert_eq!((e.line, e.column), (2, 5));
        assert!(e.message.contains("中文冒号"), "{}", e.message);
        let help = e.help.as_deref().unwrap_or_default();
        assert!(help.ends_with("date: 2026-12-06"), "{help}");
        let e = &mistakes("problems:\n  - number ：2\n", 2)[0];
        assert_eq!((e.line, e.column), (2, 12));
        assert!(
            e.help
                .as_deref()
                .unwrap_or_default()
                .ends_with("  - number: 2")
        );
    }

    #[test]
    fn pasted_spaces_and_a_bom_are_named() {
        for (space, name) in [("\u{A0}\u{A0}", "U+00A0"), ("\u{3000}", "U+3000")] {
            let text = format!("inspection:\n{space}kind: 巡察\n");
            let e = &mistakes(&text, 3)[0];
            assert_eq!((e.line, e.column), (2, 1));
            assert!(e.message.contains(name), "{}", e.message);
        }
        let e = &mistakes("title: a\n\u{FEFF}tags: [x]\n", 2)[0];
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("U+FEFF"), "{}", e.message);
        assert!(e.message.contains("最开头"), "{}", e.message);
        let e = &mistakes("date:\u{3000}2026-12-06\n", 1)[0];
        assert_eq!((e.line, e.column), (1, 6));
    }

    #[test]
    fn a_windows_path_in_double_quotes_is_placed_at_its_backslash() {
        let e = &mistakes("summary: \"材料见 C:\\Users\\dangban\\整改\"\n", 1)[0];
        assert_eq!((e.line, e.column), (1, 17));
        assert!(e.message.contains("\\U"), "{}", e.message);
        assert!(e.help.as_deref().unwrap_or_default().contains("单引号"));
        let e = &mistakes("summary: \"材料见 D:\\整改\\材料\"\n", 1)[0];
        assert_eq!((e.line, e.column), (1, 17));
        assert!(e.message.contains("\\整"), "{}", e.message);
    }

    #[test]
    fn corrections_keep_the_lines_and_follow_the_hints() {
        assert_eq!(corrected("\u{3000}kind：巡察"), "  kind: 巡察");
        assert_eq!(corrected("\u{A0}\u{A0}- number ：2"), "  - number: 2");
        assert_eq!(corrected("\u{FEFF}tags:\u{3000}[x]"), "tags: [x]");
        assert_eq!(
            corrected("summary: \"C:\\Users\\dang\\n\""),
            "summary: \"C:\\\\Users\\\\dang\\n\""
        );
        let text = "a：1\r\nb: 2\n";
        assert_eq!(corrected_text(text, &[1]), "a: 1\r\nb: 2\n");
    }

    #[test]
    fn good_lines_and_bystanders_are_left_alone() {
        let good = "title: 关于：通报\nsummary: \"a\\\\b \\u4e2d \\\" \\x41\"\npath: 'C:\\Users'\n- 注意：x\nmeasures: |\n  date：2026\n";
        assert_eq!(found(good), []);
        // A mistake below where the reader failed is not its cause.
        assert!(mistakes("a: [\nb: 1\nc：2\n", 1).is_empty());
        // Nor is one whose correction leaves the reader failing there.
        let unclosed = "tags:\n  - abc：def\ntitle: \"x\n";
        let e = serde_yaml::from_str::<Value>(unclosed).unwrap_err();
        let at = e.location().map_or(0, |l| l.line());
        assert!(mistakes(unclosed, at).is_empty());
        // Once one is the cause, all of them are reported, and the next
        // mistake the reader finds after them.
        assert_eq!(found("a：1\nb：2\n").len(), 2);
        let more = mistakes("a：1\nb: [x\n", 1);
        assert_eq!(more.len(), 2, "{more:#?}");
        assert_eq!(more[1].line, 2, "{more:#?}");
    }
}
