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
            Some(missing_help(path, field)),
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
            Some(how_to_write(path, &describe_kind(expected))),
        ),
        Mistake::Value { found, expected } => (
            YamlErrorKind::InvalidValue,
            match (integer_range(expected), found.strip_prefix("integer ")) {
                // An integer of the wrong size: said as a range, not as
                // "an integer was expected, found an integer".
                (Some((min, max)), Some(value)) => {
                    format!("{prefix}数字 {value} 超出了范围：应为 {min} 到 {max} 之间的整数")
                }
                _ => format!(
                    "{prefix}取值无效：应为{}，实际是{}",
                    describe_kind(expected),
                    describe_kind(found)
                ),
            },
            Some(if describe_kind(expected).starts_with("整数") {
                // An integer out of range: a negative count, say.
                format!(
                    "写一个不小于 0 的整数，不带小数点，例如 {}: 20",
                    field_of(path).0
                )
            } else {
                how_to_write(path, &describe_kind(expected))
            }),
        ),
        Mistake::Other(text) => (YamlErrorKind::InvalidValue, format!("{prefix}{text}"), None),
    };
    YamlError {
        line: 1,
        column: 1,
        kind,
        unlisted: 0,
        path: Some(path.to_string()).filter(|p| !p.is_empty()),
        message,
        help,
    }
}

/// The field a shown path ends with, and whether the path names one item
/// of it: `problems[2].number` is `number`, `revisions[0]` an item of
/// `revisions`, the empty path the document.
fn field_of(path: &str) -> (&str, bool) {
    let last = path.rsplit('.').next().unwrap_or(path);
    match last.split_once('[') {
        Some((name, _)) => (name, last.ends_with(']')),
        None => (last, false),
    }
}

/// How a field that holds a mapping or a list is written, for the fields
/// of a notice written that way.
fn example_of(field: &str) -> Option<&'static str> {
    Some(match field {
        "problems" => {
            "problems:\n  - number: 1\n    category: policy\n    title: 针对……的问题\n    measures: 整改措施……"
        }
        "revisions" => "revisions:\n  - date: 2022-03-05\n    note: 更正了第 2 项的整改结果",
        "attachments" => "attachments:\n  - title: 整改问题清单\n    path: 附件/整改问题清单.xlsx",
        "review" => {
            "review:\n  reviewed_by: 办公室\n  approved_by: 党组\n  approved_on: 2022-02-28"
        }
        "inspection" => {
            "inspection:\n  kind: 巡察\n  group: 区委第一巡察组\n  feedback: 2022-02-10"
        }
        "contact" => "contact:\n  phone: 0768-2100022\n  address: 某某路 1 号",
        "tags" => "tags: [巡察整改, 党风廉政]",
        _ => return None,
    })
}

/// The hint for a value of the wrong type or not allowed: how a value of
/// the `expected` kind (as [`describe_kind`] names it) is written, with an
/// example where the field has one.
fn how_to_write(path: &str, expected: &str) -> String {
    let (field, item) = field_of(path);
    let example = example_of(field).map(|e| format!("例如：\n{e}"));
    if field.is_empty() {
        return "每行写一个“字段: 值”（冒号后有一个空格），例如 title: 关于巡察整改进展情况的通报；通报的这些行写在开头的两行 --- 之间。".into();
    }
    if expected.starts_with("键值表") {
        let how = if item {
            format!("{field} 的每一项以“- ”开头，后面写“字段: 值”，同一项的字段上下对齐")
        } else {
            format!("在 {field}: 下面另起一行，缩进两个空格，每行写一个“字段: 值”")
        };
        return join(how, example);
    }
    if expected.starts_with("列表") {
        let how = format!("{field} 下面每项另起一行，缩进两个空格，以“- ”开头（减号后有一个空格）");
        return join(how, example);
    }
    if expected.starts_with("整数") {
        return format!("只写阿拉伯数字，不加引号，例如 {field}: 3");
    }
    if expected.starts_with("数字") {
        return format!("只写数字，不加引号，例如 {field}: 1200");
    }
    if expected.starts_with("true 或 false") {
        return format!("写 true（是）或 false（否），不加引号，例如 {field}: true");
    }
    if expected.starts_with("文本") {
        if item {
            let how =
                format!("{field} 的每一项都写文字；数字和含有冒号、# 的文字用英文双引号括起来");
            return join(how, example);
        }
        return format!(
            "在冒号后直接写文字，写在同一行；文字里有冒号、# 或以 [ {{ 开头时，用英文双引号括起来，例如 {field}: \"……\""
        );
    }
    join(format!("按上面说的写法改写 {field}"), example)
}

fn join(how: String, example: Option<String>) -> String {
    match example {
        Some(e) => format!("{how}，{e}"),
        None => format!("{how}。"),
    }
}

/// The hint for a required field that is missing from the mapping at
/// `path`.
fn missing_help(path: &str, field: &str) -> String {
    match example_of(field) {
        Some(e) => format!("加上 {field} 这个字段，例如：\n{e}"),
        None if path.is_empty() => format!("加上一行 {field}: ……（顶格写，不缩进）"),
        None => {
            format!("在 {path} 下面加上一行 {field}: ……（与 {path} 下的其他字段对齐）")
        }
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
/// The values of the integer type serde names `expected`.
fn integer_range(expected: &str) -> Option<(i128, i128)> {
    Some(match expected.trim() {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

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

    #[test]
    fn a_value_of_the_wrong_type_gets_how_the_field_is_written() {
        let wrong = |path: &str, found: &str, expected: &str| {
            let mistake = Mistake::Type {
                found: found.into(),
                expected: expected.into(),
            };
            field_error(path, &mistake).help.unwrap_or_default()
        };
        assert_eq!(
            wrong("problems[0].number", "string \"五\"", "u32"),
            "只写阿拉伯数字，不加引号，例如 number: 3"
        );
        // An attachment written as a bare path: the form to copy.
        let help = wrong(
            "attachments[0]",
            "string \"附件.pdf\"",
            "struct RawAttachment",
        );
        assert!(help.starts_with("attachments 的每一项以“- ”开头"), "{help}");
        assert!(help.ends_with("    path: 附件/整改问题清单.xlsx"), "{help}");
        let help = wrong("review", "string \"办公室\"", "struct RawReview");
        assert!(help.contains("在 review: 下面另起一行"), "{help}");
        assert!(help.contains("\n  reviewed_by: 办公室"), "{help}");
        let help = wrong("review.secrecy_reviewed", "integer `1`", "a boolean");
        assert!(help.starts_with("写 true（是）或 false（否）"), "{help}");
        let missing = field_error("inspection", &Mistake::Missing("kind"));
        assert_eq!(
            missing.help.as_deref(),
            Some("在 inspection 下面加上一行 kind: ……（与 inspection 下的其他字段对齐）")
        );
    }
}
