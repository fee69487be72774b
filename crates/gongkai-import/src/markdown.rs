//! Plain text of a bulletin as Markdown that renders as the same text.

use super::classify::{self, Style};

/// Escapes what Markdown would read as markup: emphasis, links, HTML, and
/// at the start of a line, headings, quotes and list markers.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&escape_line(line.trim()));
    }
    out
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let special = match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '~' | '|' => true,
            '&' => next.is_some_and(|n| n.is_ascii_alphabetic() || n == '#'),
            '#' | '>' => i == 0,
            '-' | '+' | '=' => i == 0 && (next.is_none_or(|n| n == ' ' || n == c)),
            '.' | ')' => {
                // `1. ` at the start would begin a list.
                chars[..i].iter().all(char::is_ascii_digit)
                    && i > 0
                    && next.is_none_or(|n| n == ' ')
            }
            _ => false,
        };
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A paragraph of the body: `一、……` headings become Markdown headings,
/// `（一）小标题。正文` gets its lead sentence in bold, as in the Word original.
pub fn body_paragraph(text: &str, table: bool) -> String {
    if table {
        return text.to_string();
    }
    let text = text.trim();
    let short = is_heading_text(text);
    match classify::marker(text).map(|m| m.style) {
        Some(Style::HanDun) if short => format!("## {}", escape(text)),
        Some(Style::ParenHan) if short => format!("### {}", escape(text)),
        Some(Style::ParenHan | Style::HanDun) => match text.find('。') {
            Some(end)
                if text[..end].chars().count() <= 40 && end + '。'.len_utf8() < text.len() =>
            {
                let end = end + '。'.len_utf8();
                format!("**{}**{}", escape(&text[..end]), escape(&text[end..]))
            }
            _ => escape(text),
        },
        _ => escape(text),
    }
}

/// Whether a numbered line reads as a heading: no sentence in it, and not
/// so long that it is a paragraph whose full stop was left out. Headings
/// of 整改 reports run long (`一、关于巡察反馈意见整改工作的基本情况和
/// 下一步工作打算`), so the limit is two lines of a printed page.
fn is_heading_text(text: &str) -> bool {
    text.chars().count() <= HEADING_CHARS
        && !text.contains(['。', '；', ';', '！', '？'])
        && !text.ends_with(['，', ','])
}

/// The longest heading: two lines of an A4 page in 三号 type.
const HEADING_CHARS: usize = 56;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_stays_plain() {
        assert_eq!(escape("政协机关"), "政协机关");
        assert_eq!(escape("# 不是标题"), "\\# 不是标题");
        assert_eq!(escape("1. 不是列表"), "1\\. 不是列表");
        assert_eq!(escape("1.建立制度"), "1.建立制度");
        assert_eq!(escape("- 不是列表"), "\\- 不是列表");
        assert_eq!(escape("潮财行[2014]52号"), "潮财行\\[2014\\]52号");
        assert_eq!(escape("a*b*c <b>"), "a\\*b\\*c \\<b>");
        assert_eq!(escape("2018-2021年"), "2018-2021年");
    }

    #[test]
    fn headings_and_lead_sentences() {
        assert_eq!(
            body_paragraph("一、切实提高政治站位", false),
            "## 一、切实提高政治站位"
        );
        assert_eq!(
            body_paragraph("（一）增强巡察整改的自觉。区政协机关组织学习。", false),
            "**（一）增强巡察整改的自觉。**区政协机关组织学习。"
        );
        // A long heading is a heading; a long line with a sentence is not.
        let long =
            "一、关于巡察反馈意见整改工作的基本情况和下一步工作打算及长效机制建设的主要做法和体会";
        assert!(long.chars().count() > 40);
        assert_eq!(body_paragraph(long, false), format!("## {long}"));
        assert_eq!(
            body_paragraph("一、提高站位；加强领导", false),
            "一、提高站位；加强领导"
        );
        assert_eq!(
            body_paragraph("区政协机关深入学习。", false),
            "区政协机关深入学习。"
        );
    }
}
