//! What a mistake in a field is called, in Chinese: the message and hint
//! of each kind of [`Mistake`], and the "did you mean" of misspelt names.

use super::collect::Mistake;
use super::{YamlError, YamlErrorKind};

/// The error for `mistake` in the field shown as `path`
/// (`problems[2].number`, empty for the document), not yet placed.
pub fn field_error(path: &str, mistake: &Mistake) -> YamlError {
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("字段 {path}：")
    };
    let (kind, message, help) = match mistake {
        Mistake::Missing(field) => (
            YamlErrorKind::MissingField(field.to_string()),
            format!("{prefix}缺少必填字段 {field}"),
            None,
        ),
        Mistake::Unknown { field, known } => (
            YamlErrorKind::UnknownField(field.clone()),
            format!("{prefix}未知字段 {field}"),
            Some(unknown_help(field, known, "字段")),
        ),
        Mistake::UnknownVariant { variant, known } => (
            YamlErrorKind::UnknownVariant(variant.clone()),
            format!("{prefix}无效的取值“{variant}”"),
            Some(unknown_help(variant, known, "取值")),
        ),
        Mistake::Type { found, expected } => (
            YamlErrorKind::InvalidValue,
            format!(
                "{prefix}类型不对：应为{}，实际是{}",
                describe_kind(expected),
                describe_kind(found)
            ),
            None,
        ),
        Mistake::Value { found, expected } => (
            YamlErrorKind::InvalidValue,
            format!(
                "{prefix}取值无效：应为{}，实际是{}",
                describe_kind(expected),
                describe_kind(found)
            ),
            None,
        ),
        Mistake::Other(text) => (YamlErrorKind::InvalidValue, format!("{prefix}{text}"), None),
    };
    YamlError {
        line: 1,
        column: 1,
        kind,
        path: Some(path.to_string()).filter(|p| !p.is_empty()),
        message,
        help,
    }
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

/// Names in Chinese a kind of value as serde describes it: what a type
/// expects (`u32`, `a sequence`, `struct RawProblem`) or what it found
/// (`string "五"`, `integer `5``, `map`). Descriptions of our own
/// (`文本或数字`) stay as they are.
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

    #[test]
    fn serde_descriptions_are_named_in_chinese() {
        assert_eq!(describe_kind("u32"), "整数");
        assert_eq!(describe_kind("string \"五\""), "文本 \"五\"");
        assert_eq!(describe_kind("floating point `1.5`"), "数字 `1.5`");
        assert_eq!(describe_kind("struct RawProblem"), "键值表（“字段: 值”）");
        assert_eq!(describe_kind("文本或数字"), "文本或数字");
    }

    #[test]
    fn each_mistake_has_its_kind_and_message() {
        let e = field_error(
            "problems[0].number",
            &Mistake::Type {
                found: "string \"五\"".into(),
                expected: "u32".into(),
            },
        );
        assert_eq!(e.kind, YamlErrorKind::InvalidValue);
        assert_eq!(
            e.message,
            "字段 problems[0].number：类型不对：应为整数，实际是文本 \"五\""
        );
        assert_eq!(e.path.as_deref(), Some("problems[0].number"));
        let e = field_error(
            "categroy",
            &Mistake::Unknown {
                field: "categroy".into(),
                known: &["category", "title"],
            },
        );
        assert_eq!(e.kind, YamlErrorKind::UnknownField("categroy".into()));
        assert_eq!(
            e.help.as_deref(),
            Some("是不是想写 category？可用的字段：category、title")
        );
        let e = field_error("", &Mistake::Missing("title"));
        assert_eq!(e.message, "缺少必填字段 title");
        assert_eq!(e.path, None);
    }
}
