//! Placeholder text that `gongkai init` and `gongkai new` write for the
//! author to replace: a site or notice that still has it is not ready to
//! publish. Found by `build` and `check` as warnings (errors under
//! `check --strict`), with the file, line and column.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Code, Diagnostic};

/// Text that is only ever a placeholder, and what it stands for.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("（请填写", "待填写的内容"),
    ("（示例）", "示例内容"),
    ("0000-0000000", "示例电话号码"),
    ("example@example.gov.cn", "示例电子邮箱"),
    ("针对……的问题", "问题标题"),
    ("根据……", "正文开头"),
    ("一是……；二是……", "整改情况"),
    ("这是 gongkai init 生成的示例通报", "示例通报"),
];

/// Whether `text` holds placeholder text (not a name to make a file
/// name from, for one).
pub fn has_any(text: &str) -> bool {
    PLACEHOLDERS.iter().any(|(p, _)| text.contains(p))
}

/// Placeholders in a notice file.
pub fn in_notice(file: &Path, text: &str) -> Vec<Diagnostic> {
    find(file, text, false)
}

/// Placeholders in `site.yaml`, where a number of zeros is one too (the
/// postcode, the filing numbers, the site ID code).
pub fn in_config(file: &Path, text: &str) -> Vec<Diagnostic> {
    find(file, text, true)
}

/// All placeholders in one pass: a notice is read on every build, and
/// almost none has any.
static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<String> = PLACEHOLDERS
        .iter()
        .map(|(p, _)| regex::escape(p))
        .chain(["……".to_string()])
        .collect();
    Regex::new(&words.join("|")).unwrap_or_else(|e| panic!("placeholders: {e}"))
});

fn find(file: &Path, text: &str, zeros: bool) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut last_line = None;
    // The lines that may hold one: those with a match (and, in site.yaml,
    // every line, for the zeros).
    let mut candidates: Vec<usize> = PATTERN.find_iter(text).map(|m| m.start()).collect();
    if zeros {
        candidates.extend(text.match_indices('0').map(|(i, _)| i));
        candidates.sort_unstable();
    }
    // Lines are counted onwards from the previous candidate, so a file
    // full of ellipses is still read once.
    let (mut counted_to, mut line) = (0, 1);
    for at in candidates {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        if last_line == Some(start) {
            continue;
        }
        last_line = Some(start);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        line += text[counted_to..start].matches('\n').count();
        counted_to = start;
        if let Some(d) = in_line(file, text, &text[start..end], line, zeros) {
            found.push(d);
        }
    }
    found
}

/// The first placeholder of one line, if it has one.
fn in_line(file: &Path, text: &str, line: &str, no: usize, zeros: bool) -> Option<Diagnostic> {
    // Comments explain; only what is written counts.
    let content = line.split(" #").next().unwrap_or(line);
    if content.trim_start().starts_with('#') {
        return None;
    }
    let mut hits: Vec<(usize, usize, &str)> = PLACEHOLDERS
        .iter()
        .filter_map(|(p, what)| {
            let at = content.find(p)?;
            // `shifan-example@example.gov.cn` is an address of its own.
            let joined = content[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
            (!joined || !p.is_ascii()).then(|| (at, p.chars().count(), *what))
        })
        .collect();
    // A field that is only an ellipsis: `cause: |` followed by `……`.
    if content.trim() == "……" {
        hits.push((content.find('…').unwrap_or(0), 2, "待填写的内容"));
    }
    if zeros {
        hits.extend(zero_run(content).map(|(at, len)| (at, len, "示例号码")));
    }
    // One finding a line, at the first placeholder.
    let &(at, width, what) = hits.iter().min_by_key(|h| h.0)?;
    let column = content[..at].chars().count() + 1;
    Some(
        Diagnostic::error(Code::Placeholder, file, format!("这里还是{what}的占位文字"))
            .at(no, column)
            .with_source(text)
            .width(width)
            .help("请换成真实内容后再发布；不需要的字段可以整行删掉。")
            .as_warning(),
    )
}

/// A run of six zeros or more that is a whole number: `"000000"`,
/// `粤ICP备00000000号`, but not `1000000`.
fn zero_run(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'0' && (i == 0 || !bytes[i - 1].is_ascii_digit()) {
            let end = bytes[i..]
                .iter()
                .position(|b| *b != b'0')
                .map_or(bytes.len(), |n| i + n);
            let followed_by_digit = bytes.get(end).is_some_and(u8::is_ascii_digit);
            if end - i >= 6 && !followed_by_digit {
                return Some((i, end - i));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, zeros: bool) -> Vec<(usize, usize)> {
        find(Path::new("f"), text, zeros)
            .iter()
            .map(|d| (d.line, d.column))
            .collect()
    }

    #[test]
    fn what_init_and_new_write_is_found() {
        let yaml = "title: 党务公开\ncontact:\n  phone: 0000-0000000   # 电话\n  address: （请填写邮政信箱或地址）\n  postcode: \"000000\"\n  email: example@example.gov.cn\n  # note: 也可……\nfooter:\n  icp: 粤ICP备00000000号（示例）\n";
        assert_eq!(
            lines(yaml, true),
            [(3, 10), (4, 12), (5, 14), (6, 10), (9, 13)]
        );
        let notice = "---\ntitle: 关于……的通报\nproblems:\n  - title: 针对……的问题\n    cause: |\n      ……\n---\n根据……，现将整改进展情况通报如下。\n";
        assert_eq!(lines(notice, false), [(4, 12), (6, 7), (8, 1)]);
    }

    #[test]
    fn real_text_is_not_a_placeholder() {
        let text = "title: 关于巡察整改进展情况的通报\nrecovered_yuan: 1000000\nphone: 0768-2100022\npostcode: \"521000\"\n正文……省略号是正常的标点。\n";
        assert!(lines(text, true).is_empty());
        assert_eq!(zero_run("x 100000000"), None);
        assert_eq!(zero_run("0000000000"), Some((0, 10)));
    }
}
