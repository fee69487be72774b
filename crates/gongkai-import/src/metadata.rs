//! The 信息公开 metadata table government sites show above a document
//! (`索引号`, `发布机构`, `成文日期`, `公开方式` …), in whatever shape a copy
//! of it takes: a table, `label：value` rows (several to a line), bullet
//! lines (`- 索引号:dqxs/2021-00016`), or a bullet list flattened to text
//! with each value on the line after its label (`• 发布机构:` / `某某局`).
//! [`chrome`](crate::chrome) takes these lines out of the text; this module
//! reads them.

use std::sync::LazyLock;

use regex::Regex;

use super::document::PageFacts;
use super::{dates, words};

/// What a label's value tells about the bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fact {
    None,
    Title,
    /// `发布机构`: the issuing body.
    Organization,
    /// `来源`: the issuing body, unless it names a website.
    Source,
    /// `成文日期`
    Written,
    /// `发布日期`
    Published,
    DocNumber,
    IndexNumber,
}

/// What a value looks like, for a value on the line after its label: a
/// line that does not look so is not the label's (the label had no value,
/// and the line is the bulletin's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A body's name: `中共某县财政局党组`.
    Name,
    /// A date, perhaps with a time: `2024年04月06日 16:40`.
    Date,
    /// An index or document number: `6107280000/2024-001005`.
    Code,
    /// A document's title.
    Title,
    /// A word or two: `主动公开`, `有效`.
    Word,
    /// Whatever follows is not its value (`内容概述`: a summary could be
    /// any line).
    Never,
}

/// A label of the metadata table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Label {
    pub text: &'static str,
    pub fact: Fact,
    pub shape: Shape,
}

const fn label(text: &'static str, fact: Fact, shape: Shape) -> Label {
    Label { text, fact, shape }
}

/// The labels of the metadata table.
const LABELS: &[Label] = &[
    label("信息索引号", Fact::IndexNumber, Shape::Code),
    label("索引号", Fact::IndexNumber, Shape::Code),
    label("主题分类", Fact::None, Shape::Word),
    label("体裁分类", Fact::None, Shape::Word),
    label("组配分类", Fact::None, Shape::Word),
    label("信息分类", Fact::None, Shape::Word),
    label("公开目录", Fact::None, Shape::Word),
    label("公文种类", Fact::None, Shape::Word),
    label("文件名称", Fact::Title, Shape::Title),
    label("发布机构", Fact::Organization, Shape::Name),
    label("发文机关", Fact::Organization, Shape::Name),
    label("发文机构", Fact::Organization, Shape::Name),
    label("公开责任部门", Fact::Organization, Shape::Name),
    label("成文日期", Fact::Written, Shape::Date),
    label("成文时间", Fact::Written, Shape::Date),
    label("发文日期", Fact::Written, Shape::Date),
    label("发文时间", Fact::Written, Shape::Date),
    label("公开日期", Fact::Published, Shape::Date),
    label("公开时间", Fact::Published, Shape::Date),
    label("生成日期", Fact::None, Shape::Date),
    label("公开方式", Fact::None, Shape::Word),
    label("公开形式", Fact::None, Shape::Word),
    label("公开范围", Fact::None, Shape::Word),
    label("公开时限", Fact::None, Shape::Word),
    label("有效性", Fact::None, Shape::Word),
    label("效力状态", Fact::None, Shape::Word),
    label("标题", Fact::Title, Shape::Title),
    label("文号", Fact::DocNumber, Shape::Code),
    label("发文字号", Fact::DocNumber, Shape::Code),
    label("内容概述", Fact::None, Shape::Never),
];

/// The labels of the `来源：… 发布时间：…` line that may stand alone, with
/// their value on the next line.
pub(crate) const META_LABELS: &[Label] = &[
    label("来源", Fact::Source, Shape::Name),
    label("信息来源", Fact::Source, Shape::Name),
    label("文章来源", Fact::Source, Shape::Name),
    label("稿件来源", Fact::Source, Shape::Name),
    label("信息时间", Fact::Published, Shape::Date),
    label("发稿时间", Fact::Published, Shape::Date),
    label("发布时间", Fact::Published, Shape::Date),
    label("发布日期", Fact::Published, Shape::Date),
    label("更新时间", Fact::None, Shape::Date),
    label("作者", Fact::None, Shape::Name),
];

/// A bullet before a label: `•`, `·`, `-`, `*`, `●`, `▪`.
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[•·●▪◆■□\-*]\s*").unwrap_or_else(|e| panic!("bullet: {e}")));

/// The text without a bullet before it.
pub(crate) fn unbullet(text: &str) -> &str {
    BULLET.find(text).map_or(text, |m| &text[m.end()..])
}

impl Shape {
    /// Whether `value` (a whole line) can be a value of this shape.
    pub(crate) fn fits(self, value: &str) -> bool {
        let n = value.chars().count();
        let sentence = value.contains(['。', '，', '；', ';', '：', ':', '、']);
        let titled =
            value.contains("关于") || words::ends_like_title(value) || value.ends_with("规则");
        match self {
            Shape::Name => n <= 40 && !sentence && !titled,
            Shape::Date => n <= 25 && dates::mentions(value).first().is_some_and(|m| m.start == 0),
            Shape::Code => n <= 48 && !sentence && value.chars().any(|c| c.is_ascii_digit()),
            Shape::Title => n <= 80 && !value.contains('。'),
            Shape::Word => n <= 12 && !sentence && !titled,
            Shape::Never => false,
        }
    }
}

/// A line of the metadata table as text: `发布机构：某局  成文日期：2023-04-20`,
/// `- 索引号:dqxs/2021-00016`, `• 成文日期:`. `None` when it is not one;
/// else the label whose value is still to come (on the next line), if
/// the line ends with a label without a value.
pub(crate) fn row(text: &str, facts: &mut PageFacts) -> Option<Option<Label>> {
    let text = unspaced_label(unbullet(text));
    let text = text.as_ref();
    let mut found: Vec<(usize, Label)> = LABELS
        .iter()
        .filter_map(|l| {
            let at = text.find(l.text)?;
            let after = text[at + l.text.len()..].trim_start();
            (after.starts_with([':', '：']) || after.is_empty()).then_some((at, *l))
        })
        .collect();
    // A label must begin the line: `文号` inside a sentence is not a row.
    if !found.iter().any(|(at, _)| *at == 0) {
        return None;
    }
    // Longest first where two start together; a label inside another
    // (`索引号` in `信息索引号`) is not one of its own.
    found.sort_by_key(|(at, l)| (*at, std::cmp::Reverse(l.text.len())));
    let mut starts: Vec<(usize, Label)> = Vec::new();
    for f in found {
        if starts.last().is_none_or(|(at, l)| f.0 >= at + l.text.len()) {
            starts.push(f);
        }
    }
    let mut pending = None;
    for (i, (at, l)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |n| n.0);
        let value = text[at + l.text.len()..end]
            .trim()
            .trim_start_matches([':', '：'])
            .trim();
        take(l.fact, value, facts);
        pending = value.is_empty().then_some(*l);
    }
    Some(pending)
}

/// A label spaced out to line up with longer ones (`索 引 号：`, `文　　号:`)
/// written as one word; anything else as it is.
fn unspaced_label(text: &str) -> std::borrow::Cow<'_, str> {
    static SPACED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\p{Han}[\s\u{3000}]+){1,5}\p{Han}\s*[:：]")
            .unwrap_or_else(|e| panic!("spaced label: {e}"))
    });
    match SPACED.find(text) {
        Some(m) => {
            let label: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
            std::borrow::Cow::Owned(label + &text[m.end()..])
        }
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// A table of the source (as Markdown) that is the metadata table.
pub(crate) fn table(text: &str, facts: &mut PageFacts) -> bool {
    let cells: Vec<&str> = text
        .split(['|', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty() && !c.chars().all(|c| c == '-' || c == ':'))
        .collect();
    let of = |cell: &str| {
        let cell = cell.trim_end_matches([':', '：']);
        LABELS.iter().find(|l| l.text == cell)
    };
    if cells.iter().filter(|c| of(c).is_some()).count() < 2 {
        return false;
    }
    for pair in cells.windows(2) {
        if let Some(l) = of(pair[0]) {
            take(l.fact, pair[1], facts);
        }
    }
    true
}

/// Keeps what `value` says of the bulletin.
pub(crate) fn take(fact: Fact, value: &str, facts: &mut PageFacts) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    let day = || dates::mentions(value).first().and_then(|m| m.day());
    match fact {
        Fact::Organization => facts.organization = Some(value.to_string()),
        // `来源：某某县人民政府网`: a website, not a body.
        Fact::Source => {
            let org = value.split_whitespace().next().unwrap_or("");
            if facts.organization.is_none()
                && gongkai_content::text::count_chars(org) >= 2
                && !org.contains('网')
            {
                facts.organization = Some(org.to_string());
            }
        }
        Fact::Written => facts.written = facts.written.or_else(day),
        Fact::Published => facts.published = facts.published.or_else(day),
        Fact::Title => facts.title = Some(value.to_string()),
        // `文号：无`: there is none.
        Fact::DocNumber | Fact::IndexNumber if ["无", "暂无", "—", "-", "/"].contains(&value) =>
            {}
        Fact::DocNumber => facts.doc_number = Some(value.to_string()),
        Fact::IndexNumber => facts.index_number = Some(value.to_string()),
        Fact::None => {}
    }
}
