//! What a line of a bulletin starts with: a heading or list number in one
//! of the styles bulletins use, and the labels of a problem's fields.

use std::sync::LazyLock;

use regex::Regex;

use super::numerals;

/// The numbering styles of bulletins, from the top level down as usually nested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// `一、`
    HanDun,
    /// `（一）` or `(一)`
    ParenHan,
    /// `1、`
    ArabicDun,
    /// `1.` or `1．`
    ArabicDot,
    /// `（1）` or `(1)`
    ParenArabic,
    /// `1）`
    HalfParen,
    /// `①`
    Circled,
}

impl Style {
    /// Styles that number problems (headings use the Han ones).
    pub fn is_arabic(self) -> bool {
        !matches!(self, Style::HanDun | Style::ParenHan)
    }
}

/// A number at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    pub style: Style,
    pub n: u32,
    /// Where the text after the number (and spaces) starts, in bytes.
    pub end: usize,
}

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^\s*(?:
            (?P<hd>[一二三四五六七八九十]{1,3})\s*[、．.]
          | [（(]\s*(?P<ph>[一二三四五六七八九十]{1,3})\s*[）)]\s*[、．.]?
          | (?P<ad>\d{1,3})\s*、
          | 问题\s*(?P<qn>\d{1,3})\s*[:：]
          | 问题\s*(?P<qh>[一二三四五六七八九十]{1,3})\s*[:：]
          | (?P<adot>\d{1,3})\s*[.．]
          | [（(]\s*(?P<pa>\d{1,3})\s*[）)]
          | (?P<hp>\d{1,3})\s*[）)]
          | (?P<c>[①-⑳])
        )[\s\u{3000}]*",
    )
    .unwrap_or_else(|e| panic!("marker pattern: {e}"))
});

/// The number a line starts with, if any.
pub fn marker(text: &str) -> Option<Marker> {
    let c = MARKER.captures(text)?;
    let end = c.get(0)?.end();
    let arabic = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let han = |name: &str| c.name(name).and_then(|m| numerals::parse(m.as_str()));
    let (style, n) = if let Some(n) = han("hd") {
        (Style::HanDun, n)
    } else if let Some(n) = han("ph") {
        (Style::ParenHan, n)
    } else if let Some(n) = arabic("ad").or_else(|| arabic("qn")).or_else(|| han("qh")) {
        // `问题1：` and `问题一：` number a problem as `1、` does.
        (Style::ArabicDun, n)
    } else if let Some(n) = arabic("adot") {
        // `1.5万元` and `2021.11.26` are numbers, not list items.
        if text[end..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        (Style::ArabicDot, n)
    } else if let Some(n) = arabic("pa") {
        (Style::ParenArabic, n)
    } else if let Some(n) = arabic("hp") {
        (Style::HalfParen, n)
    } else {
        let circled = c.name("c")?.as_str().chars().next()?;
        (Style::Circled, circled as u32 - '①' as u32 + 1)
    };
    (n > 0 && end < text.len()).then_some(Marker { style, n, end })
}

/// The fields of a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// 原因分析
    Cause,
    /// 整改情况
    Measures,
    /// 整改结果
    Result,
    /// 整改时限
    Deadline,
    /// 追回（退还）资金: the money recovered, on a line of its own, as
    /// problem lists (问题清单) and the notice pages give it.
    Amount,
}

impl Field {
    /// Whether the field comes last in a problem: prose after it, past the
    /// last problem, is the body's again.
    pub fn closes(self) -> bool {
        matches!(self, Field::Result | Field::Deadline | Field::Amount)
    }
}

/// A field label in a line: `整改情况：`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub field: Field,
    /// The label as written, without its colon.
    pub word: String,
    pub start: usize,
    /// After the colon and any spaces.
    pub end: usize,
}

const LABELS: &[(&str, Field)] = &[
    ("原因分析", Field::Cause),
    ("问题原因", Field::Cause),
    ("原因剖析", Field::Cause),
    ("产生原因", Field::Cause),
    ("整改落实情况", Field::Measures),
    ("整改措施及成效", Field::Measures),
    ("整改措施及进展", Field::Measures),
    ("整改措施及进展情况", Field::Measures),
    ("整改进展情况", Field::Measures),
    ("主要整改措施", Field::Measures),
    ("具体整改措施", Field::Measures),
    ("整改举措", Field::Measures),
    ("整改情况", Field::Measures),
    ("整改措施", Field::Measures),
    ("整改进展", Field::Measures),
    ("落实情况", Field::Measures),
    ("整改结果", Field::Result),
    ("整改成效", Field::Result),
    ("整改时限", Field::Deadline),
    ("整改期限", Field::Deadline),
    ("完成情况", Field::Result),
    ("完成时限", Field::Deadline),
    ("整改状态", Field::Result),
    ("整改进度", Field::Result),
    ("整改完成情况", Field::Result),
    ("追回（退还）资金", Field::Amount),
    ("追回(退还)资金", Field::Amount),
    ("追缴（退还）资金", Field::Amount),
    ("追回资金", Field::Amount),
    ("退还资金", Field::Amount),
    ("追缴资金", Field::Amount),
    ("追回金额", Field::Amount),
    ("退还金额", Field::Amount),
];

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<String> = LABELS.iter().map(|(w, _)| regex::escape(w)).collect();
    let words = words.join("|");
    Regex::new(&format!(
        r"(?:[【\[]\s*(?P<b>{words})\s*[】\]]\s*[：:]?|(?P<w>{words})\s*[：:])[\s\u{{3000}}]*"
    ))
    .unwrap_or_else(|e| panic!("label pattern: {e}"))
});

/// The field labels of a line: at its start, or after the end of a
/// sentence (`……的问题。整改情况：……`), never inside one.
pub fn labels(text: &str) -> Vec<Label> {
    let mut found = Vec::new();
    for c in LABEL.captures_iter(text) {
        let (Some(whole), Some(word)) = (c.get(0), c.name("w").or_else(|| c.name("b"))) else {
            continue;
        };
        let before = text[..whole.start()].trim_end_matches(|c: char| c.is_whitespace());
        let at_start = before.is_empty()
            || before.ends_with(['。', '；', ';', '！', '？', '!', '?'])
            || marker(text).is_some_and(|m| text[..m.end].trim_end() == before);
        if !at_start {
            continue;
        }
        let field = LABELS
            .iter()
            .find(|(w, _)| *w == word.as_str())
            .map_or(Field::Measures, |(_, f)| *f);
        found.push(Label {
            field,
            word: word.as_str().to_string(),
            start: whole.start(),
            end: whole.end(),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(text: &str) -> Option<(Style, u32, &str)> {
        marker(text).map(|m| (m.style, m.n, &text[m.end..]))
    }

    #[test]
    fn numbers_of_every_style() {
        assert_eq!(style("一、切实提高"), Some((Style::HanDun, 1, "切实提高")));
        assert_eq!(style("（十二）落实"), Some((Style::ParenHan, 12, "落实")));
        assert_eq!(style("(一)聚焦"), Some((Style::ParenHan, 1, "聚焦")));
        assert_eq!(style("11、 针对"), Some((Style::ArabicDun, 11, "针对")));
        assert_eq!(style("3．针对"), Some((Style::ArabicDot, 3, "针对")));
        assert_eq!(style("3. 针对"), Some((Style::ArabicDot, 3, "针对")));
        assert_eq!(style("（2）建立"), Some((Style::ParenArabic, 2, "建立")));
        assert_eq!(style("2）建立"), Some((Style::HalfParen, 2, "建立")));
        assert_eq!(style("③建立"), Some((Style::Circled, 3, "建立")));
        assert_eq!(style("问题1：考勤"), Some((Style::ArabicDun, 1, "考勤")));
        assert_eq!(
            style("问题十二：考勤"),
            Some((Style::ArabicDun, 12, "考勤"))
        );
    }

    #[test]
    fn numbers_that_are_not_list_items() {
        assert_eq!(style("2021.11.26"), None);
        assert_eq!(style("1.5万元已追回"), None);
        assert_eq!(style("一是召开会议"), None);
        assert_eq!(style("1、"), None);
        assert_eq!(style("政协机关"), None);
    }

    #[test]
    fn labels_at_the_start_or_after_a_sentence() {
        let ls = labels("原因分析：政协机关");
        assert_eq!(
            (ls[0].field, ls[0].word.as_str(), ls[0].end),
            (Field::Cause, "原因分析", "原因分析：".len())
        );
        let ls = labels("整改情况: 整改完成");
        assert_eq!(ls[0].field, Field::Measures);
        let ls = labels("1．针对考勤的问题。整改情况：已整改。整改结果：整改完成。");
        let fields: Vec<Field> = ls.iter().map(|l| l.field).collect();
        assert_eq!(fields, [Field::Measures, Field::Result]);
        assert!(labels("对照整改情况：逐条落实").is_empty());
        assert_eq!(labels("【整改结果】整改完成")[0].field, Field::Result);
        let ls = labels("追回（退还）资金：7230.3元");
        assert_eq!(
            (ls[0].field, ls[0].word.as_str()),
            (Field::Amount, "追回（退还）资金")
        );
        assert_eq!(labels("追回资金:1,500元")[0].field, Field::Amount);
        // The longer labels of other templates.
        for (line, field) in [
            ("整改措施及成效：建立制度", Field::Measures),
            ("整改措施及进展：建立制度", Field::Measures),
            ("整改进展情况：已完成整改", Field::Measures),
            ("整改进度：已完成", Field::Result),
        ] {
            let ls = labels(line);
            assert_eq!(ls.len(), 1, "{line}");
            assert_eq!(ls[0].field, field, "{line}");
            assert_eq!(
                &line[ls[0].end..],
                line.split_once('：').map_or("", |(_, v)| v)
            );
        }
        // Money in a sentence is the measures' business, not a label.
        assert!(labels("共追回资金：3000元").is_empty());
    }
}
