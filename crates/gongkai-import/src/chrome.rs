//! What a web page puts around a bulletin, copied along with it: the
//! breadcrumb, the `来源：… 发布时间：… 浏览量：…` line, font-size and
//! print and share links, and the metadata table government sites show
//! (`信息索引号`, `发布机构`, `成文日期`, `公开方式`). Such lines are taken out
//! of the text before it is recognised, and listed in the report; the
//! facts they carry (the issuing body and the date) are kept as fallbacks
//! for those the bulletin itself does not give.

use std::sync::LazyLock;

use regex::Regex;

use gongkai_content::text;

use super::dates;
use super::document::{PageFacts, Para};

/// Words that only page chrome uses, alone on their line or as its start.
const CHROME_WORDS: &[&str] = &[
    "浏览量",
    "浏览次数",
    "阅读次数",
    "访问量",
    "点击数",
    "点击量",
    "字号",
    "字体",
    "浏览字体",
    "打印本页",
    "打印",
    "关闭窗口",
    "关闭",
    "分享到",
    "分享",
    "朗读",
    "微信公众号",
    "扫一扫",
    "收藏",
    "返回顶部",
    "上一篇",
    "下一篇",
    "相关链接",
    "责任编辑",
    "编辑",
    "审核",
    "纠错",
    "当前位置",
    "您的位置",
    "您当前的位置",
    "【大",
    "【中",
    "【小",
];

/// Labels of the metadata table, and the fact each gives.
const TABLE_LABELS: &[(&str, Fact)] = &[
    ("信息索引号", Fact::None),
    ("索引号", Fact::None),
    ("主题分类", Fact::None),
    ("体裁分类", Fact::None),
    ("组配分类", Fact::None),
    ("文件名称", Fact::Title),
    ("发布机构", Fact::Organization),
    ("发文机关", Fact::Organization),
    ("成文日期", Fact::Date),
    ("生成日期", Fact::None),
    ("公开方式", Fact::None),
    ("公开范围", Fact::None),
    ("公开时限", Fact::None),
    ("有效性", Fact::None),
    ("文号", Fact::DocNumber),
    ("发文字号", Fact::DocNumber),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fact {
    None,
    Title,
    Organization,
    Date,
    DocNumber,
}

/// `来源：某局  发布时间：2025-02-26 16:48:14  浏览量：1234`
static META_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(来源|发布时间|发布日期|更新时间|作者|浏览量|浏览次数|点击数|字号)\s*[:：]")
        .unwrap_or_else(|e| panic!("meta line: {e}"))
});

/// A breadcrumb: `首页 > 党务公开 > 巡察整改`.
static BREADCRUMB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:当前位置|您的位置|您当前的位置)?\s*[:：]?\s*首页\s*(?:[>＞»›/→]|&gt;)")
        .unwrap_or_else(|e| panic!("breadcrumb: {e}"))
});

/// Takes the page chrome out of `paras`; returns what it removed (line
/// number and text) and the facts it carried.
pub fn strip(paras: &mut Vec<Para>) -> (Vec<(usize, String)>, PageFacts) {
    let mut facts = PageFacts::default();
    let mut removed = Vec::new();
    paras.retain(|p| {
        let text = p.text.trim();
        let chrome = !p.table && is_chrome(text, &mut facts) || p.table && table(text, &mut facts);
        if chrome {
            removed.push((p.no, text.to_string()));
        }
        !chrome
    });
    (removed, facts)
}

fn is_chrome(text: &str, facts: &mut PageFacts) -> bool {
    if text.is_empty() {
        return false;
    }
    let short = text.chars().count() <= 120;
    if short && BREADCRUMB.is_match(text) {
        return true;
    }
    // `来源：… 发布时间：…`: two of its labels, or one that begins a short line.
    let meta: Vec<_> = META_LINE.captures_iter(text).collect();
    if short
        && (meta.len() >= 2
            || meta.first().is_some_and(|m| {
                m.get(0).is_some_and(|m| m.start() == 0) && text.chars().count() <= 60
            }))
    {
        read_meta(text, facts);
        return true;
    }
    if short && table_row(text, facts) {
        return true;
    }
    let bare: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !"【】[]|｜:：·•".contains(*c))
        .collect();
    let chrome_only = !bare.is_empty() && bare.chars().count() <= 40 && {
        let mut rest = bare.clone();
        for w in CHROME_WORDS
            .iter()
            .chain(&["大中小", "微信", "微博", "QQ空间", "QQ", "手机"])
        {
            rest = rest.replace(&w.replace(['【', ':'], ""), "");
        }
        rest.chars().count() * 3 <= bare.chars().count()
    };
    let starts_as_chrome = bare.chars().count() <= 16
        && [
            "扫一扫",
            "分享到",
            "打印本页",
            "关闭窗口",
            "浏览次数",
            "浏览量",
            "字体",
            "字号",
            "当前位置",
        ]
        .iter()
        .any(|w| bare.starts_with(w));
    starts_as_chrome
        || chrome_only
            && CHROME_WORDS
                .iter()
                .any(|w| bare.contains(&w.replace('【', "")))
}

/// `来源：某局 发布时间：2025-02-26 16:48:14`
fn read_meta(text: &str, facts: &mut PageFacts) {
    let value = |label: &str| {
        let at = text.find(label)? + label.len();
        let rest = text[at..].trim_start_matches([':', '：', ' ', '\u{3000}']);
        let end = META_LINE.find(rest).map_or(rest.len(), |m| m.start());
        let v = rest[..end].trim();
        (!v.is_empty()).then(|| v.to_string())
    };
    if facts.organization.is_none()
        && let Some(org) = value("来源")
    {
        let org: String = org.split_whitespace().next().unwrap_or("").to_string();
        if text::count_chars(&org) >= 2 && !org.contains("网") {
            facts.organization = Some(org);
        }
    }
    for label in ["发布时间", "发布日期"] {
        if facts.date.is_none()
            && let Some(v) = value(label)
        {
            facts.date = dates::mentions(&v).first().and_then(|m| m.day());
        }
    }
}

/// A line of the metadata table as text: `发布机构：某局  成文日期：2023-04-20`.
fn table_row(text: &str, facts: &mut PageFacts) -> bool {
    let found: Vec<(usize, &str, Fact)> = TABLE_LABELS
        .iter()
        .filter_map(|(label, fact)| {
            let at = text.find(label)?;
            let after = text[at + label.len()..].trim_start();
            (after.starts_with([':', '：']) || after.is_empty() || text.trim() == *label)
                .then_some((at, *label, *fact))
        })
        .collect();
    // A label must begin the line: `文号` inside a sentence is not a row.
    if !found.iter().any(|(at, ..)| *at == 0) {
        return false;
    }
    let mut found = found;
    // Longest first where two start together; a label inside another
    // (`索引号` in `信息索引号`) is not one of its own.
    found.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1.len())));
    let mut starts: Vec<(usize, &str, Fact)> = Vec::new();
    for f in found {
        if starts
            .last()
            .is_none_or(|(at, label, _)| f.0 >= at + label.len())
        {
            starts.push(f);
        }
    }
    for (i, (at, label, fact)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |n| n.0);
        let value = text[at + label.len()..end]
            .trim()
            .trim_start_matches([':', '：'])
            .trim();
        take(*fact, value, facts);
    }
    true
}

/// A table of the source (as Markdown) that is the metadata table.
fn table(text: &str, facts: &mut PageFacts) -> bool {
    let cells: Vec<&str> = text
        .split(['|', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty() && !c.chars().all(|c| c == '-' || c == ':'))
        .collect();
    let labels = cells
        .iter()
        .filter(|c| {
            TABLE_LABELS
                .iter()
                .any(|(l, _)| c.trim_end_matches([':', '：']) == *l)
        })
        .count();
    if labels < 2 {
        return false;
    }
    for pair in cells.windows(2) {
        if let Some((_, fact)) = TABLE_LABELS
            .iter()
            .find(|(l, _)| pair[0].trim_end_matches([':', '：']) == *l)
        {
            take(*fact, pair[1], facts);
        }
    }
    true
}

fn take(fact: Fact, value: &str, facts: &mut PageFacts) {
    if value.is_empty() {
        return;
    }
    match fact {
        Fact::Organization => facts.organization = Some(value.to_string()),
        Fact::Date => facts.date = dates::mentions(value).first().and_then(|m| m.day()),
        Fact::Title => facts.title = Some(value.to_string()),
        Fact::DocNumber => facts.doc_number = Some(value.to_string()),
        Fact::None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip_lines(lines: &[&str]) -> (Vec<String>, PageFacts) {
        let mut paras: Vec<Para> = lines
            .iter()
            .enumerate()
            .map(|(i, t)| Para {
                no: i + 1,
                text: t.to_string(),
                table: t.starts_with('|'),
            })
            .collect();
        let (_, facts) = strip(&mut paras);
        (paras.into_iter().map(|p| p.text).collect(), facts)
    }

    #[test]
    fn page_chrome_goes_and_its_facts_stay() {
        let (kept, facts) = strip_lines(&[
            "首页 > 党务公开 > 巡察整改",
            "关于巡察整改进展情况的通报",
            "来源:某区文旅体局 发布时间:2023-04-20 09:30:12 浏览量:1234",
            "【字号：大 中 小】【打印本页】【关闭窗口】",
            "根据区委统一部署,区委第二巡察组对区文旅体局党组进行了巡察。",
            "分享到: 微信 微博 QQ空间",
            "朗读",
        ]);
        assert_eq!(
            kept,
            [
                "关于巡察整改进展情况的通报",
                "根据区委统一部署,区委第二巡察组对区文旅体局党组进行了巡察。"
            ]
        );
        assert_eq!(facts.organization.as_deref(), Some("某区文旅体局"));
        assert_eq!(facts.date.map(|d| d.iso()).as_deref(), Some("2023-04-20"));
    }

    #[test]
    fn the_metadata_table_in_any_layout() {
        let (kept, facts) = strip_lines(&[
            "信息索引号：11440500/2023-00123  主题分类：党务公开",
            "发布机构：中共某区卫生健康局党组  成文日期：2023年05月10日",
            "公开方式：主动公开",
            "文件名称：关于巡察整改情况的通报",
            "正文第一段，文号写在正文里也不算表格。",
        ]);
        assert_eq!(kept, ["正文第一段，文号写在正文里也不算表格。"]);
        assert_eq!(
            facts.organization.as_deref(),
            Some("中共某区卫生健康局党组")
        );
        assert_eq!(facts.date.map(|d| d.iso()).as_deref(), Some("2023-05-10"));
        assert_eq!(facts.title.as_deref(), Some("关于巡察整改情况的通报"));
        let (kept, facts) = strip_lines(&[
            "| 索引号 | 123 | 发布机构 | 某局 |\n| --- | --- | --- | --- |\n| 成文日期 | 2023-01-02 | 公开方式 | 主动公开 |",
        ]);
        assert!(kept.is_empty());
        assert_eq!(facts.organization.as_deref(), Some("某局"));
    }

    #[test]
    fn the_bulletin_itself_stays() {
        let text = [
            "关于巡察整改进展情况的通报",
            "一是加强学习，二是完善制度。",
            "编辑部门的整改：建立审核制度。",
            "整改结果：已完成整改。",
            "欢迎广大干部群众进行监督，来信请寄某局办公室。",
            "（三）关于公车管理和分享经验不足的问题",
        ];
        let (kept, _) = strip_lines(&text);
        assert_eq!(kept, text);
    }
}
