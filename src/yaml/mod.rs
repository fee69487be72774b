//! All YAML handling lives here, so that the YAML crate stays easy to change:
//! parsing with typed, translated errors that are all reported at once
//! ([`parse`], which reads the usual documents with a [`fast`] reader),
//! the position of a field for mistakes found after parsing ([`locate`]),
//! the guard against hostile nesting ([`depth`]), and serde helpers for
//! fields ([`fields`]).

pub(crate) mod depth;
pub(crate) mod fast;
mod fields;
mod locate;

use serde::de::DeserializeOwned;
use serde_yaml::Value;

pub use fields::{fields_of, one_or_many, required, text};
pub use locate::{Seg, locate, locate_key};

/// How many mistakes of one document are reported before giving up.
const MAX_ERRORS: usize = 20;

/// A YAML document that could not be read into the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line and character column inside the YAML text.
    pub line: usize,
    pub column: usize,
    pub kind: YamlErrorKind,
    /// The field it is about, as `problems[2].number`, when known.
    pub path: Option<String>,
    /// What is wrong, in Chinese.
    pub message: String,
    pub help: Option<String>,
}

/// What kind of mistake a [`YamlError`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// Not YAML: indentation, quotes, brackets, nesting too deep.
    Syntax,
    /// A required field is not there.
    MissingField(String),
    /// A field the structure does not have.
    UnknownField(String),
    /// A value that is not one of a fixed set.
    UnknownVariant(String),
    /// A field written twice.
    DuplicateField(String),
    /// A value of the wrong type or form.
    InvalidValue,
}

/// Parses `text` into `T`. Every mistake is reported, each at its place,
/// not only the first one: a YAML syntax error stops the reading, but
/// fields of the wrong type or name are all found.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Vec<YamlError>> {
    // The usual case, a good document in the YAML front matter is written
    // in: one pass over its lines, straight into `T`. (That reader stops
    // at a depth far below the guard's, so the guard can come after it.)
    if let Some(t) = fast::read::<T>(text) {
        return Ok(t);
    }
    depth::check(text).map_err(|(line, column)| vec![too_deep(line, column)])?;
    if let Ok(t) = serde_yaml::from_str::<T>(text) {
        return Ok(t);
    }
    let value: Value = serde_yaml::from_str(text).map_err(|e| vec![syntax(text, &e)])?;
    every_error(text, value)
}

/// Reads `value` into `T` again and again, each time setting aside the
/// field that failed, so that every failing field is reported (once).
pub(crate) fn every_error<T: DeserializeOwned>(text: &str, mut value: Value) -> Result<T, Vec<YamlError>> {
    let mut errors: Vec<YamlError> = Vec::new();
    let mut attempts: Vec<(Vec<Step>, usize)> = Vec::new();
    for _ in 0..MAX_ERRORS * 8 {
        let e = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) if errors.is_empty() => return Ok(t),
            Ok(_) => return Err(errors),
            Err(e) => e,
        };
        let path = steps(e.path());
        let attempt = match attempts.iter_mut().find(|(p, _)| *p == path) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                errors.push(field_error(text, &path, &e.inner().to_string()));
                attempts.push((path.clone(), 0));
                0
            }
        };
        let kind = &errors[errors.len() - 1].kind;
        if errors.len() >= MAX_ERRORS || !set_aside(&mut value, &path, kind, attempt) {
            return Err(errors);
        }
    }
    Err(errors)
}

/// One step of a path into a document, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &serde_path_to_error::Path) -> Vec<Step> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Map { key } => Some(Step::Key(key.clone())),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

pub(crate) fn segs(path: &[Step]) -> Vec<Seg<'_>> {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => Seg::Key(k),
            Step::Index(i) => Seg::Index(*i),
        })
        .collect()
}

/// `problems[2].number`
fn path_text(path: &[Step]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A mistake in the field at `path`, placed in `text`.
fn field_error(text: &str, path: &[Step], raw: &str) -> YamlError {
    let shown = path_text(path);
    let with_path = if shown.is_empty() {
        raw.to_string()
    } else {
        format!("{shown}: {raw}")
    };
    let mut error = translate(&with_path, 1, 1);
    let found = match &error.kind {
        // The path names the mapping; the field is one of its keys.
        YamlErrorKind::UnknownField(field) => {
            let inside = segs(&path[..path.len().saturating_sub(1)]);
            locate_key(text, &inside, field, 1).or_else(|| locate(text, &segs(path)))
        }
        _ => locate(text, &segs(path)),
    };
    if let Some((line, column)) = found {
        (error.line, error.column) = (line, column);
    }
    error
}

/// Sets aside the field at `path` so that the next reading goes past it:
/// an unknown field is removed, a missing one is added empty, a value of
/// the wrong type is replaced by one of another type (the `attempt`-th of
/// a few, one of which fits). Returns whether there was anything to try.
fn set_aside(value: &mut Value, path: &[Step], kind: &YamlErrorKind, attempt: usize) -> bool {
    match kind {
        YamlErrorKind::UnknownField(field) => {
            let parent = &path[..path.len().saturating_sub(1)];
            match at_mut(value, parent) {
                Some(Value::Mapping(m)) => m.remove(field.as_str()).is_some(),
                _ => false,
            }
        }
        YamlErrorKind::MissingField(field) => match at_mut(value, path) {
            Some(Value::Mapping(m)) if attempt == 0 => {
                m.insert(Value::String(field.clone()), Value::String(String::new()));
                true
            }
            _ => false,
        },
        _ => {
            let stand_ins = [
                Value::Null,
                Value::String(String::new()),
                Value::Sequence(Vec::new()),
                Value::Mapping(Default::default()),
                Value::Bool(false),
                Value::Number(0.into()),
            ];
            match (at_mut(value, path), stand_ins.into_iter().nth(attempt)) {
                (Some(v), Some(stand_in)) => {
                    *v = stand_in;
                    true
                }
                _ => false,
            }
        }
    }
}

fn at_mut<'v>(mut value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    for step in path {
        value = match (step, value) {
            (Step::Key(k), Value::Mapping(m)) => m.get_mut(k.as_str())?,
            (Step::Index(i), Value::Sequence(s)) => s.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// A mistake found while reading the text: syntax, a key written twice,
/// or aliases that repeat too much (a "billion laughs").
fn syntax(text: &str, e: &serde_yaml::Error) -> YamlError {
    let full = e.to_string();
    let raw = full.split(" at line ").next().unwrap_or(&full);
    // An unclosed quote or bracket is found where the text ends or the next
    // key begins; the mistake is where it was opened, which the reader
    // names after "while scanning/parsing ... at".
    let (line, column) = full
        .split_once(", while ")
        .filter(|(_, opened)| opened.contains("flow") || opened.contains("quoted"))
        .and_then(|(_, opened)| line_column(opened))
        .or_else(|| e.location().map(|l| (l.line(), l.column())))
        .unwrap_or((1, 1));
    if let Some(key) = between(raw, "duplicate entry with key \"", "\"") {
        // The reader names the mapping; the place is the second key.
        let path: Vec<Step> = raw
            .split_once(": duplicate")
            .map(|(p, _)| parse_path(p))
            .unwrap_or_default();
        let (line, column) = locate_key(text, &segs(&path), key, 2).unwrap_or((line, column));
        return YamlError {
            line,
            column,
            kind: YamlErrorKind::DuplicateField(key.to_string()),
            path: Some(path_text(&path)).filter(|p| !p.is_empty()),
            message: format!("字段 {key} 写了两次"),
            help: Some("每个字段只能出现一次：请删掉其中一个，或把它们合在一起。".into()),
        };
    }
    if raw.contains("repetition limit exceeded") || raw.contains("recursion limit exceeded") {
        let (line, column) = first_alias(text).unwrap_or((line, column));
        return YamlError {
            line,
            column,
            kind: YamlErrorKind::Syntax,
            message: "YAML 的引用（&锚点 和 *引用）展开后太大".into(),
            help: Some("front matter 里不需要 & 和 * 引用：请把内容直接写出来。".into()),
            path: None,
        };
    }
    let mut error = translate(raw, line, column);
    // A quote left open swallows the lines after it: the reader stumbles
    // far below, but the mistake is where the quote was opened.
    if let Some((quote_line, quote_column)) = open_quote(text, error.line) {
        error.line = quote_line;
        error.column = quote_column;
        error.message = "YAML 格式错误：引号没有成对".into();
        error.help = Some(
            "这一行的值以引号开头，但同一行里没有结束的引号：请补上结束的引号，或去掉开头的引号。"
                .into(),
        );
    }
    error
}

/// The first line before `until` whose value opens a quote that the line
/// does not close (outside block scalars): `title: "测试通报`.
fn open_quote(text: &str, until: usize) -> Option<(usize, usize)> {
    let mut block_indent: Option<usize> = None;
    for (i, line) in text.lines().enumerate().take(until.saturating_sub(1)) {
        let indent = line.len() - line.trim_start().len();
        if let Some(b) = block_indent {
            if line.trim().is_empty() || indent > b {
                continue;
            }
            block_indent = None;
        }
        let trimmed = line.trim_end();
        if trimmed.ends_with(['|', '>']) || trimmed.ends_with("|-") || trimmed.ends_with(">-") {
            block_indent = Some(indent);
            continue;
        }
        let value = line
            .split_once(": ")
            .map(|(_, v)| v)
            .or_else(|| line.trim_start().strip_prefix("- "))
            .unwrap_or("")
            .trim_start();
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let rest = &value[1..];
        let closed = if quote == '"' {
            let mut escaped = false;
            rest.chars().any(|c| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            })
        } else {
            rest.replace("''", "").contains('\'')
        };
        if !closed {
            let column = line[..line.len() - value.len()].chars().count() + 1;
            return Some((i + 1, column));
        }
    }
    None
}

/// The position in "… at line 2 column 7".
fn line_column(text: &str) -> Option<(usize, usize)> {
    let rest = text.split_once("at line ")?.1;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// `problems[0]` as steps.
pub(crate) fn parse_path(text: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in text.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                steps.push(Step::Key(rest[..i].to_string()));
            }
            rest = &rest[i..];
            while let Some(end) = rest.find(']') {
                if let Ok(n) = rest[1..end].parse() {
                    steps.push(Step::Index(n));
                }
                rest = &rest[end + 1..];
            }
        } else if !rest.is_empty() {
            steps.push(Step::Key(rest.to_string()));
        }
    }
    steps
}

/// Where the first alias (`*name`) of a text is.
fn first_alias(text: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let mut previous = ' ';
        for (column, c) in line.chars().enumerate() {
            if c == '#' && previous == ' ' {
                break;
            }
            if c == '*' && matches!(previous, ' ' | '[' | ',' | '{') {
                return Some((i + 1, column + 1));
            }
            previous = c;
        }
    }
    None
}

fn too_deep(line: usize, column: usize) -> YamlError {
    YamlError {
        line,
        column,
        kind: YamlErrorKind::Syntax,
        path: None,
        message: format!("YAML 嵌套层次太深（超过 {} 层）", depth::MAX_DEPTH),
        help: Some(
            "front matter 只需要两三层：字段、问题列表、问题的字段。请检查方括号、花括号和缩进。"
                .into(),
        ),
    }
}

/// `text` as a YAML scalar that reads back as itself (quoted when needed).
pub fn scalar(text: &str) -> String {
    serde_yaml::to_string(text)
        .map(|s| s.trim_end().to_string())
        .unwrap_or_else(|_| format!("{text:?}"))
}

/// Turns a message of the YAML or serde crates into a typed, Chinese error.
/// (Serde reports its errors as text: this is the one place that reads it.)
fn translate(raw: &str, line: usize, column: usize) -> YamlError {
    // Messages about a field start with its path: `problems[2].number: ...`.
    let (path, msg) = match raw.split_once(": ") {
        Some((p, m)) if !p.is_empty() && !p.contains(char::is_whitespace) => (Some(p), m),
        _ => (None, raw),
    };
    let prefix = path.map(|p| format!("字段 {p}：")).unwrap_or_default();
    let error = |kind: YamlErrorKind, message: String, help: Option<String>| YamlError {
        line,
        column,
        kind,
        path: path.map(str::to_string),
        message,
        help,
    };

    if let Some(field) = between(msg, "missing field `", "`") {
        let message = format!("{prefix}缺少必填字段 {field}");
        return error(YamlErrorKind::MissingField(field.into()), message, None);
    }
    if let Some(field) = between(msg, "unknown field `", "`") {
        let known = backticked(msg.split_once(", expected").map_or("", |(_, k)| k));
        let help = unknown_help(field, &known, "字段");
        let message = format!("{prefix}未知字段 {field}");
        return error(
            YamlErrorKind::UnknownField(field.into()),
            message,
            Some(help),
        );
    }
    if let Some(variant) = between(msg, "unknown variant `", "`") {
        let known = backticked(msg.split_once(", expected").map_or("", |(_, k)| k));
        let help = unknown_help(variant, &known, "取值");
        let message = format!("{prefix}无效的取值“{variant}”");
        return error(
            YamlErrorKind::UnknownVariant(variant.into()),
            message,
            Some(help),
        );
    }
    if let Some(field) = between(msg, "duplicate field `", "`") {
        let message = format!("{prefix}字段 {field} 写了两次");
        let help = Some("每个字段只能出现一次。".into());
        return error(YamlErrorKind::DuplicateField(field.into()), message, help);
    }
    for (english, chinese) in [
        ("invalid type: ", "类型不对"),
        ("invalid value: ", "取值无效"),
    ] {
        if let Some(rest) = msg.strip_prefix(english)
            && let Some((actual, expected)) = rest.rsplit_once(", expected ")
        {
            let message = format!(
                "{prefix}{chinese}：应为{}，实际是{}",
                describe_kind(expected),
                describe_kind(actual)
            );
            return error(YamlErrorKind::InvalidValue, message, None);
        }
    }
    if path.is_none() {
        let (message, help) = syntax_error(msg);
        return error(YamlErrorKind::Syntax, message, help);
    }
    error(YamlErrorKind::InvalidValue, format!("{prefix}{msg}"), None)
}

/// YAML syntax errors, with the fix for the ones office users actually make.
fn syntax_error(msg: &str) -> (String, Option<String>) {
    let hint = if msg.contains("tab character") || msg.contains("found character '\\t'") {
        "YAML 只能用空格缩进，请把这一行开头的 Tab 换成空格。"
    } else if msg.contains("mapping values are not allowed") {
        "如果值里含有“: ”（英文冒号加空格），请把整个值用引号括起来，例如 title: \"……: ……\"；也可能是上一行缩进不对。"
    } else if msg.contains("did not find expected key") || msg.contains("did not find expected '-'")
    {
        "这一行的缩进和上一层不一致：同一层的字段要对齐，下一层要多缩进两个空格。"
    } else if msg.contains("cannot start any token") {
        "以 @、` 或 % 开头的值要用引号括起来。"
    } else if msg.contains("end of stream") || msg.contains("did not find expected") {
        "引号、方括号或花括号没有成对闭合。"
    } else if msg.contains("duplicate") {
        "同一个字段写了两次。"
    } else {
        "请检查这一行的缩进、冒号和引号。"
    };
    (format!("YAML 格式错误（{msg}）"), Some(hint.to_string()))
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The `a`, `b` names listed by serde after "expected one of".
fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// "Did you mean" help for an unknown field or value.
pub fn unknown_help(given: &str, known: &[&str], what: &str) -> String {
    let list = known.join("、");
    match closest(given, known) {
        Some(best) => format!("是不是想写 {best}？可用的{what}：{list}"),
        None if known.is_empty() => format!("这里不能写任何{what}。"),
        None => format!("可用的{what}：{list}"),
    }
}

/// The known name nearest to a misspelt one, if it is near enough.
pub fn closest<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(given, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Names a serde type description in Chinese.
fn describe_kind(s: &str) -> String {
    let s = s.trim();
    let (kind, detail) = match s.split_once(' ') {
        Some((k, d)) if ["string", "integer", "floating", "boolean", "char"].contains(&k) => {
            (k, Some(d.trim_start_matches("point ")))
        }
        _ => (s, None),
    };
    let name = match kind {
        "string" | "a string" | "char" | "a character" => "文本",
        "integer" | "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" => "整数",
        "floating" | "f32" | "f64" => "数字",
        "boolean" | "a boolean" => "true 或 false",
        "sequence" | "a sequence" => "列表（每项以“- ”开头）",
        "map" | "a map" => "键值表（“字段: 值”）",
        "unit value" | "null" => "空值",
        k if k.starts_with("struct ") => "键值表（“字段: 值”）",
        _ => return s.to_string(),
    };
    match detail {
        Some(d) => format!("{name} {d}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        number: u32,
        category: String,
    }

    const TEXT: &str = "title: 标题\nitems:\n  - number: 1\n    category: policy\n  - number: 2\n    category: 政策\n";

    #[test]
    fn locates_values_and_keys_by_path() {
        let path = [Seg::Key("items"), Seg::Index(1), Seg::Key("category")];
        assert_eq!(locate(TEXT, &path), Some((6, 15)));
        assert_eq!(locate(TEXT, &[Seg::Key("title")]), Some((1, 8)));
        assert_eq!(locate(TEXT, &[Seg::Key("nothing")]), None);
        assert_eq!(locate(TEXT, &[Seg::Key("items"), Seg::Index(9)]), None);
    }

    #[test]
    fn type_errors_are_translated_and_located() {
        let e = parse::<Doc>("title: a\nitems:\n  - number: abc\n    category: x\n")
            .unwrap_err()
            .remove(0);
        assert_eq!((e.line, e.column), (3, 13));
        assert!(e.message.contains("items[0].number"), "{}", e.message);
        assert!(e.message.contains("应为整数"), "{}", e.message);
    }

    #[test]
    fn unknown_fields_suggest_the_nearest() {
        let e = parse::<Doc>("title: a\nitems:\n  - number: 1\n    categroy: x\n")
            .unwrap_err()
            .remove(0);
        assert!(e.message.contains("未知字段 categroy"), "{}", e.message);
        let help = e.help.unwrap();
        assert!(help.contains("是不是想写 category"), "{help}");
    }

    #[test]
    fn syntax_errors_get_a_hint() {
        let e = parse::<Doc>("title: 关于: 通报\n").unwrap_err().remove(0);
        assert_eq!(e.line, 1);
        assert!(e.message.starts_with("YAML 格式错误"), "{}", e.message);
        assert!(e.help.unwrap().contains("引号"));
        let e = parse::<Doc>("title: a\n\titems: []\n")
            .unwrap_err()
            .remove(0);
        assert!(e.help.unwrap().contains("Tab"));
    }

    #[test]
    fn scalars_round_trip() {
        for text in [
            "关于巡察整改的通报",
            "标题: 带冒号",
            "\"引号\"",
            "# 井号",
            "2021",
            "true",
            "- 列表",
        ] {
            let doc = format!("title: {}\n", scalar(text));
            let back: std::collections::BTreeMap<String, String> = parse(&doc).unwrap();
            assert_eq!(back["title"], text, "{doc}");
        }
    }

    #[test]
    fn missing_fields_are_named() {
        let e = parse::<Doc>("items: []\n").unwrap_err().remove(0);
        assert!(e.message.contains("缺少必填字段 title"), "{}", e.message);
    }

    #[test]
    fn every_wrong_field_is_reported_at_its_place() {
        let text = "title: a\nitems:\n  - number: abc\n    category: x\n  - number: [1]\n    category: y\n    colour: red\nextra: 1\n";
        let errors = parse::<Doc>(text).unwrap_err();
        let places: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(places, [(3, 13), (5, 13), (7, 5), (8, 1)], "{errors:#?}");
        assert!(matches!(&errors[2].kind, YamlErrorKind::UnknownField(f) if f == "colour"));
    }

    #[test]
    fn a_key_written_twice_is_found_at_its_second_place() {
        let e = parse::<Doc>("title: a\nitems:\n  - number: 1\n    category: x\n    number: 2\n")
            .unwrap_err()
            .remove(0);
        assert_eq!((e.line, e.column), (5, 5), "{e:?}");
        assert!(matches!(e.kind, YamlErrorKind::DuplicateField(_)));
        let e = parse::<Doc>("title: a\ntitle: b\n").unwrap_err().remove(0);
        assert_eq!((e.line, e.column), (2, 1), "{e:?}");
    }

    #[test]
    fn hostile_documents_are_refused_quickly_and_placed() {
        let started = std::time::Instant::now();
        let deep = format!("title: a\nitems: {}\n", "[".repeat(250_000));
        let e = parse::<Doc>(&deep).unwrap_err().remove(0);
        assert_eq!(e.line, 2);
        assert!(e.message.contains("嵌套"), "{}", e.message);
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        let e = parse::<Doc>(bomb).unwrap_err().remove(0);
        assert_eq!(e.line, 2, "{e:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn field_names_come_from_the_structure() {
        assert_eq!(fields_of::<Doc>(), ["title", "items"]);
        assert_eq!(fields_of::<Item>(), ["number", "category"]);
    }
}
