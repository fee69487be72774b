//! What a web page puts around a bulletin, copied along with it: the
//! breadcrumb, the `来源：… 发布时间：… 浏览量：…` line, font-size and
//! print and share links, and the metadata table government sites show
//! (`信息索引号`, `发布机构`, `成文日期`, `公开方式`). Such lines are taken out
//! of the text before it is recognised, and listed in the report; the
//! facts they carry (the issuing body and the date) are kept as fallbacks
//! for those the bulletin itself does not give.

use std::sync::LazyLock;

use regex::Regex;

use super::document::{PageFacts, Para};
use super::metadata::{self, Label};
use super::{dates, words};

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
    "您现在的位置",
    "您所在的位置",
    "【大",
    "【中",
    "【小",
    // A breadcrumb's first step on a line of its own (`首页`, then
    // `-> 要闻 -> 审计公告`).
    "首页",
    "首頁",
    // The accessibility switches of the 适老化 pages.
    "关怀版",
    "长者版",
    "无障碍",
];

/// `来源：某局  发布时间：2025-02-26 16:48:14  浏览量：1234`,
/// `【信息时间:2026-02-13 阅读次数: 】`
static META_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(信息来源|文章来源|稿件来源|来源|信息时间|发稿时间|发布时间|发布日期|更新时间|作者|浏览量|浏览次数|阅读次数|阅读量|访问次数|点击数|点击量|字号)\s*[:：]",
    )
    .unwrap_or_else(|e| panic!("meta line: {e}"))
});

/// A time after a date: `12:42:06`, `16:48`.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?\s*").unwrap_or_else(|e| panic!("time: {e}"))
});

/// A date labelled with a bare word, as a page puts it under the title:
/// `日期：2023-05-04`, `时间:2023-05-04 10:20`.
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:日期|时间|发布)\s*[:：]\s*").unwrap_or_else(|e| panic!("date label: {e}"))
});

/// The names of the columns (栏目) a site files a bulletin under, which a
/// copy of the page often carries above its title, alone or joined to it
/// (`本级巡察中共某县财政局党组关于……的通报`).
const COLUMNS: &[&str] = &[
    "通知公告",
    "通知通告",
    "公示公告",
    "公告公示",
    "通知公示",
    "公开公示",
    "巡察公告",
    "巡察公示",
    "整改公示",
    "工作动态",
    "新闻动态",
    "要闻动态",
    "最新动态",
    "部门动态",
    "乡镇动态",
    "基层动态",
    "党建动态",
    "巡察动态",
    "工作信息",
    "巡察信息",
    "本级巡察",
    "巡察工作",
    "巡视巡察",
    "巡察巡视",
    "巡察整改",
    "巡视整改",
    "整改落实",
    "政务公开",
    "党务公开",
    "信息公开",
    "党建工作",
    "纪检监察",
    "党风廉政建设",
    "党风廉政",
    "图片新闻",
    "综合新闻",
    "政策文件",
];

/// What separates the columns of a path: `党务公开 > 巡察整改`.
const PATH_SEPARATORS: &[char] = &['>', '＞', '»', '›', '/', '→', '|', '｜', '·'];

/// A breadcrumb: `首页 > 党务公开 > 巡察整改`, also in Traditional
/// characters (`首頁 > 黨務公開`, `您現在的位置`).
static BREADCRUMB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:[当當]前位置|所在位置|您(?:[现現]在|[当當]前|目前)?(?:所在)?的?位置)?\s*[:：]?\s*首[页頁]\s*(?:[>＞»›/→]|&gt;|-&gt;|->)|\s*(?:->|-&gt;))",
    )
        .unwrap_or_else(|e| panic!("breadcrumb: {e}"))
});

/// The credits of a page or a copy, usually under the signature: `编辑：某某`,
/// `（张某 || 责任编辑 李某）`, `一审:王某 二审:赵某`.
static CREDITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^[（(]?|[\s(（|])(?:责任编辑|编辑|一审|二审|三审|终审|审核|审签|校对|供稿|撰稿|摄影|摄像)\s*[:：|\s]")
        .unwrap_or_else(|e| panic!("credits: {e}"))
});

/// Takes the page chrome out of `paras`; returns what it removed (line
/// number and text) and the facts it carried.
pub fn strip(paras: &mut Vec<Para>) -> (Vec<(usize, String)>, PageFacts) {
    let mut facts = PageFacts::default();
    let mut removed = Vec::new();
    // A column's name joined to the title or the body above it.
    for p in paras.iter_mut().filter(|p| !p.table).take(HEAD_LINES) {
        if let Some((column, rest)) = column_before(p.text.trim()) {
            removed.push((p.no, column.to_string()));
            p.text = rest.to_string();
        }
    }
    let mut keep = vec![true; paras.len()];
    // A label of the metadata table whose value is on a later line.
    let mut waiting: Option<Label> = None;
    for (i, p) in paras.iter().enumerate() {
        let text = p.text.trim();
        if text.is_empty() {
            continue;
        }
        let (chrome, pending) = if p.table {
            (metadata::table(text, &mut facts), None)
        } else {
            is_chrome(text, &mut facts)
        };
        let value_of = waiting
            .take()
            .filter(|l| !p.table && !chrome && l.shape.fits(text));
        if let Some(l) = value_of {
            metadata::take(l.fact, text, &mut facts);
        } else if !chrome {
            continue;
        }
        keep[i] = false;
        removed.push((p.no, text.to_string()));
        waiting = pending;
    }
    let mut kept = keep.into_iter();
    paras.retain(|_| kept.next().unwrap_or(true));
    // In the order of the text, joined columns among whole lines.
    removed.sort_by_key(|(no, _)| *no);
    (removed, facts)
}

/// The lines at the top of the text where a column's name may be joined
/// to the title.
const HEAD_LINES: usize = 8;

/// A column's name at the start of `text`, joined to a title or an
/// issuing body (`本级巡察中共某县……`, `工作动态 关于……的通报`): the name
/// and the rest. Without a space between them the rest must start as a
/// title or a body's name does, so that `巡视巡察工作领导小组……` keeps
/// its words.
fn column_before(text: &str) -> Option<(&str, &str)> {
    let column = COLUMNS.iter().find(|c| text.starts_with(*c))?;
    let after = &text[column.len()..];
    let rest =
        after.trim_start_matches(|c: char| c.is_whitespace() || PATH_SEPARATORS.contains(&c));
    let spaced = rest.len() < after.len();
    let named = ["关于", "中共", "中国共产党", "共青团"]
        .iter()
        .any(|w| rest.starts_with(w));
    let titled = rest.chars().count() <= 80 && !rest.contains('。') && words::ends_like_title(rest);
    (!rest.is_empty() && (named || spaced && titled)).then_some((column, rest))
}

/// A line of nothing but column names: `通知公告`, `党务公开 > 巡察整改`.
fn is_column_path(text: &str) -> bool {
    let mut parts = text
        .split(|c: char| c.is_whitespace() || PATH_SEPARATORS.contains(&c))
        .filter(|p| !p.is_empty())
        .peekable();
    parts.peek().is_some()
        && parts.all(|p| COLUMNS.contains(&p.trim_matches(['【', '】', '[', ']'])) || p == "正文")
}

/// A line's text without the bullet or bracket a page puts before it:
/// `• 来源:`, `【发布时间:2026-02-13】`.
fn bare(text: &str) -> &str {
    metadata::unbullet(text)
        .trim_start_matches(['【', '[', '［'])
        .trim_start()
}

/// A page's date that leads its line of chrome: `2021-02-23 12:42:06来源:…`;
/// the day and the rest of the line.
fn leading_date(line: &str) -> Option<(gongkai_content::Day, &str)> {
    let first = *dates::mentions(line).first()?;
    if first.start != 0 || first.year.is_none() {
        return None;
    }
    let rest = &line[first.end..];
    let rest = TIME.find(rest).map_or(rest, |t| &rest[t.end()..]);
    Some((first.day()?, rest.trim_start()))
}

/// The page's date at the start of a line of chrome, under a bare label
/// or none (`日期：2023-05-04 08:46:31 来源：…`, `2021-02-23 12:42:06来源:…`,
/// `日期：2023-05-04`): the day, and the rest of the line, which is empty
/// or starts with a label of the `来源：… 浏览量：…` line.
fn dated(line: &str) -> Option<(gongkai_content::Day, &str)> {
    let labelled = DATE_LABEL.find(line);
    let after = labelled.map_or(line, |l| &line[l.end()..]);
    let (day, rest) = leading_date(after)?;
    let rest = rest.trim_end_matches(['】', ']', '］', ' ']);
    let meta = META_LINE.find(rest).is_some_and(|m| m.start() == 0);
    (meta || (labelled.is_some() && rest.is_empty())).then_some((day, rest))
}

/// Whether `text` is a line of page chrome; and the label of the
/// metadata table it ends with, when that label's value is on the next
/// line.
fn is_chrome(text: &str, facts: &mut PageFacts) -> (bool, Option<Label>) {
    let short = text.chars().count() <= 120;
    if short && (BREADCRUMB.is_match(text) || is_column_path(text)) {
        return (true, None);
    }
    if text.chars().count() <= 60 && !text.contains('。') && CREDITS.is_match(text) {
        return (true, None);
    }
    let line = bare(text);
    // `来源：… 发布时间：…`: two of its labels, or one that begins a short
    // line, perhaps after the date it was published on.
    let (leading, line) = match dated(line) {
        Some((day, "")) => {
            facts.published = facts.published.or(Some(day));
            return (true, None);
        }
        Some((day, rest)) => (Some(day), rest),
        None => (None, line),
    };
    let meta: Vec<_> = META_LINE.captures_iter(line).collect();
    if short
        && (meta.len() >= 2
            || meta.first().is_some_and(|m| {
                m.get(0).is_some_and(|m| m.start() == 0) && line.chars().count() <= 60
            }))
    {
        read_meta(line, facts);
        facts.published = facts.published.or(leading);
        // `• 来源:` alone: its value follows.
        let pending = meta.last().and_then(|m| {
            let (whole, label) = (m.get(0)?, m.get(1)?.as_str());
            if !line[whole.end()..].trim().is_empty() {
                return None;
            }
            metadata::META_LABELS
                .iter()
                .find(|l| l.text == label)
                .copied()
        });
        return (true, pending);
    }
    if short && let Some(pending) = metadata::row(text, facts) {
        return (true, pending);
    }
    (is_chrome_words(text), None)
}

/// A line of nothing but the words of page chrome: `【字号：大 中 小】`,
/// `朗读`, `扫一扫在手机打开当前页`.
fn is_chrome_words(text: &str) -> bool {
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
        // A bracket ends the value: `【来源:某局】【发布时间:…】`.
        let end = rest[..end].find(['】', ']', '］']).unwrap_or(end);
        let v = rest[..end].trim();
        (!v.is_empty()).then(|| v.to_string())
    };
    for l in metadata::META_LABELS {
        if let Some(v) = value(l.text) {
            metadata::take(l.fact, &v, facts);
        }
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
        assert_eq!(
            facts.published.map(|d| d.iso()).as_deref(),
            Some("2023-04-20")
        );
    }

    #[test]
    fn labels_spaced_out_and_labels_of_other_platforms() {
        let (kept, facts) = strip_lines(&[
            "- 索 引 号:1234567890/2023-00364",
            "- 主题分类:公示、公告、通知",
            "- 发布机构:中共某镇委员会",
            "- 成文时间:2023年11月23日",
            "- 文 号:无",
            "- 标 题:某镇党委关于巡察整改进展情况的通报",
            "- 效力状态:有效",
            "某镇党委关于巡察整改进展情况的通报",
        ]);
        assert_eq!(kept, ["某镇党委关于巡察整改进展情况的通报"]);
        assert_eq!(facts.index_number.as_deref(), Some("1234567890/2023-00364"));
        assert_eq!(
            facts.written.map(|d| d.iso()).as_deref(),
            Some("2023-11-23")
        );
        assert_eq!(
            facts.title.as_deref(),
            Some("某镇党委关于巡察整改进展情况的通报")
        );
        // `文号：无` is no number.
        assert_eq!(facts.doc_number, None);
    }

    #[test]
    fn credit_lines_are_chrome() {
        let (kept, _) = strip_lines(&[
            "中共某镇委员会",
            "(张某 || 责任编辑 李某)",
            "一审:王某 二审:赵某",
            "编辑：孙某",
            // A sentence that names an editor is the bulletin's.
            "由编辑部负责校对，确保准确。",
        ]);
        assert_eq!(kept, ["中共某镇委员会", "由编辑部负责校对，确保准确。"]);
    }

    #[test]
    fn breadcrumbs_however_they_are_introduced() {
        for crumb in [
            "您现在的位置：首页 > 党务公开 > 正文",
            "您所在的位置: 首页 → 党务公开",
            "当前位置：首页 >> 通知公告",
            "所在位置：首页 / 党建",
            "首页 > 党务公开",
            "首頁 > 黨務公開 > 巡察整改",
            "您現在的位置：首頁 > 正文",
            "您当前所在位置: 首页 > 政务五公开 > 审计公开",
            "首页 -> 党务公开 -> 巡察整改",
            "-> 要闻 -> 审计通告 -> 审计公告",
            "首页",
            "关怀版 无障碍 无障碍",
        ] {
            let (kept, _) = strip_lines(&[crumb, "关于巡察整改进展情况的通报"]);
            assert_eq!(kept, ["关于巡察整改进展情况的通报"], "{crumb}");
        }
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
        assert_eq!(
            facts.written.map(|d| d.iso()).as_deref(),
            Some("2023-05-10")
        );
        assert_eq!(facts.index_number.as_deref(), Some("11440500/2023-00123"));
        assert_eq!(facts.title.as_deref(), Some("关于巡察整改情况的通报"));
        let (kept, facts) = strip_lines(&[
            "| 索引号 | 123 | 发布机构 | 某局 |\n| --- | --- | --- | --- |\n| 成文日期 | 2023-01-02 | 公开方式 | 主动公开 |",
        ]);
        assert!(kept.is_empty());
        assert_eq!(facts.organization.as_deref(), Some("某局"));
    }

    /// The metadata list of a county's site-cluster page, copied as text:
    /// each value on the line after its label, some labels without one.
    /// Layout of http://zb.gov.cn/zbxzf/xzfwj/202404/49ca3d0c669f4c2ebf6f7fabf563549c.shtml
    #[test]
    fn a_flattened_metadata_list_with_values_on_the_next_line() {
        let (kept, facts) = strip_lines(&[
            "  • 索引号:",
            "",
            "    6107280000/2024-001005",
            "  • 主题分类:",
            "",
            "  • 来源:",
            "",
            "    县政府网站",
            "  • 发文机构:",
            "",
            "    中共某某县文化和旅游局党组",
            "  • 发文字号:",
            "",
            "    某文旅党〔2024〕7号",
            "  • 成文日期:",
            "",
            "    2024年06月20日 16:40",
            "  • 有效性:",
            "",
            "  • 发布日期:",
            "",
            "    2024年06月25日 16:34",
            "  • 内容概述:",
            "",
            "关于巡察整改进展情况的通报",
            "根据十四届县委第六轮巡察工作安排，县委第二巡察组对我局进行了巡察。",
        ]);
        let kept: Vec<&String> = kept.iter().filter(|t| !t.trim().is_empty()).collect();
        assert_eq!(
            kept,
            [
                "关于巡察整改进展情况的通报",
                "根据十四届县委第六轮巡察工作安排，县委第二巡察组对我局进行了巡察。"
            ]
        );
        assert_eq!(
            facts.index_number.as_deref(),
            Some("6107280000/2024-001005")
        );
        assert_eq!(
            facts.organization.as_deref(),
            Some("中共某某县文化和旅游局党组")
        );
        assert_eq!(facts.doc_number.as_deref(), Some("某文旅党〔2024〕7号"));
        let iso = |d: Option<gongkai_content::Day>| d.map(|d| d.iso());
        assert_eq!(iso(facts.written).as_deref(), Some("2024-06-20"));
        assert_eq!(iso(facts.published).as_deref(), Some("2024-06-25"));
    }

    /// Bullet lines with the value beside the label.
    /// Layout of https://dscjxm.com/www/info/1112/41099
    #[test]
    fn bullet_lines_with_their_values() {
        let (kept, facts) = strip_lines(&[
            "- 索引号:dqxs/2021-00016",
            "- 发文字号:阿行发〔2021〕42号",
            "- 发文机构:地区行署",
            "- 发布日期:2021-12-22 17:45",
            "阿里地区行政公署关于印发《阿里地区行政公署工作规则》的通知",
        ]);
        assert_eq!(kept.len(), 1);
        assert_eq!(facts.index_number.as_deref(), Some("dqxs/2021-00016"));
        assert_eq!(facts.organization.as_deref(), Some("地区行署"));
        assert_eq!(
            facts.published.map(|d| d.iso()).as_deref(),
            Some("2021-12-22")
        );
    }

    #[test]
    fn a_label_without_a_value_leaves_the_next_line_alone() {
        // The title after an empty `主题分类:` is the bulletin's.
        let (kept, _) = strip_lines(&[
            "• 主题分类:",
            "关于巡察整改情况的通报",
            "• 发布机构:",
            "一、整改工作开展情况",
        ]);
        assert_eq!(kept, ["关于巡察整改情况的通报", "一、整改工作开展情况"]);
    }

    #[test]
    fn column_names_above_or_joined_to_the_title() {
        let title = "中共某县财政局党组关于巡察整改进展情况的通报";
        for head in [
            vec!["通知公告", title],
            vec!["党务公开 > 巡察整改", title],
            vec!["【本级巡察】", title],
        ] {
            let (kept, _) = strip_lines(&head);
            assert_eq!(kept, [title], "{head:?}");
        }
        for (line, rest) in [
            (
                "本级巡察中共某县财政局党组关于巡察整改进展情况的通报",
                title,
            ),
            (
                "工作动态 关于巡察整改进展情况的通报",
                "关于巡察整改进展情况的通报",
            ),
            ("巡察工作中共某县财政局党组", "中共某县财政局党组"),
            // Words that only begin like a column stay.
            (
                "巡视巡察工作领导小组关于巡察整改情况的通报",
                "巡视巡察工作领导小组关于巡察整改情况的通报",
            ),
            ("党务公开工作有序推进。", "党务公开工作有序推进。"),
        ] {
            let (kept, _) = strip_lines(&[line]);
            assert_eq!(kept, [rest], "{line}");
        }
    }

    #[test]
    fn dates_of_the_page_in_brackets_before_labels_and_under_bare_labels() {
        let published = |lines: &[&str]| {
            let (kept, facts) = strip_lines(lines);
            (kept, facts.published.map(|d| d.iso()))
        };
        let title = "关于巡察整改进展情况的通报";
        for line in [
            "【信息时间:2026-02-13 阅读次数: 】【我要打印】【关闭】",
            "信息时间:2026-02-13",
            "【发布时间:2026-02-13】",
            "2026-02-13 12:42:06来源:某县纪委监委",
            "日期:2026-02-13",
            "时间：2026年2月13日 10:20",
            "日期:2026-02-13 08:46:31 来源:区文旅体局 浏览量:",
        ] {
            let (kept, day) = published(&[title, line]);
            assert_eq!(kept, [title], "{line}");
            assert_eq!(day.as_deref(), Some("2026-02-13"), "{line}");
        }
        // A date under the title without a label is the bulletin's, left to it.
        let (kept, day) = published(&[title, "2026年2月13日"]);
        assert_eq!(kept.len(), 2);
        assert_eq!(day, None);
        // The source in brackets ends at the bracket.
        let (_, facts) = strip_lines(&["【来源:某县财政局】【发布时间:2026-02-13】"]);
        assert_eq!(facts.organization.as_deref(), Some("某县财政局"));
        // `- 信息来源:` alone: its value is on the next line.
        let (kept, facts) = strip_lines(&["- 信息来源:", "某县财政局", title]);
        assert_eq!(kept, [title]);
        assert_eq!(facts.organization.as_deref(), Some("某县财政局"));
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
