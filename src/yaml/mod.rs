//! All YAML handling lives here, so that the YAML crate stays easy to change:
//! parsing with typed, translated errors ([`parse`]), the position of a
//! field for mistakes found after parsing ([`locate`]), and serde helpers
//! for fields ([`fields`]).

mod fields;
mod locate;

use serde::de::DeserializeOwned;

pub use fields::{fields_of, one_or_many, required_text, text};
pub use locate::{Seg, locate};

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
    /// Not YAML: indentation, quotes, brackets.
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

/// Parses `text` into `T`, translating the YAML crate's messages.
/// Parses `text` into `T`, translating the YAML crate's messages.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let raw = e.to_string();
        let raw = raw.split(" at line ").next().unwrap_or(&raw);
        translate(raw, line, column)
    })
}

/// The field names a structure accepts, as serde derives them, so that the
/// list shown in "unknown field" hints is never written out by hand.
/// `text` as a YAML scalar that reads back as itself (quoted when needed).
pub fn scalar(text: &str) -> String {
    serde_yaml::to_string(text)
        .map(|s| s.trim_end().to_string())
        .unwrap_or_else(|_| format!("{text:?}"))
}

/// Line and column (1-based) of the value at `path` in `text`.
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
        let e = parse::<Doc>("title: a\nitems:\n  - number: abc\n    category: x\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 13));
        assert!(e.message.contains("items[0].number"), "{}", e.message);
        assert!(e.message.contains("应为整数"), "{}", e.message);
    }

    #[test]
    fn unknown_fields_suggest_the_nearest() {
        let e = parse::<Doc>("title: a\nitems:\n  - number: 1\n    categroy: x\n").unwrap_err();
        assert!(e.message.contains("未知字段 categroy"), "{}", e.message);
        let help = e.help.unwrap();
        assert!(help.contains("是不是想写 category"), "{help}");
    }

    #[test]
    fn syntax_errors_get_a_hint() {
        let e = parse::<Doc>("title: 关于: 通报\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.starts_with("YAML 格式错误"), "{}", e.message);
        assert!(e.help.unwrap().contains("引号"));
        let e = parse::<Doc>("title: a\n\titems: []\n").unwrap_err();
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
        let e = parse::<Doc>("items: []\n").unwrap_err();
        assert!(e.message.contains("缺少必填字段 title"), "{}", e.message);
    }
}
