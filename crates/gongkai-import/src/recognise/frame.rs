//! What frames the problems: the title, document number and issuing body
//! above them, the signature and date below, and the supervision contacts.

use std::sync::LazyLock;

use regex::Regex;

use super::Line;
use super::region::CATEGORY_WORDING;
use crate::dates;
use crate::draft::{Draft, Found, OrgSource};
use crate::facts;
use crate::words;
use gongkai_content::Day;

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}]{1,12}\s*[〔\[［【﹝(（]\s*\d{4}\s*[〕\]］】﹞)）]\s*\d{1,4}\s*号$")
        .unwrap_or_else(|e| panic!("doc number pattern: {e}"))
});

/// The start of a list of attachments, which may follow the signature:
/// `附件:整改情况一览表.docx`, `附件1. …`. (A page's credits there are
/// page chrome, taken out before.)
static ATTACHMENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^附件\s*\d*\s*[:：.、．]|^附件\s*\d+\s")
        .unwrap_or_else(|e| panic!("attachments: {e}"))
});

/// What GB/T 9704 puts under the date: the 附注 (`（此件公开发布）`) and
/// the 版记 (`抄送：县委巡察办。`, `某县委办公室  2024年9月2日印发`).
static NOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]\s*此件[^（）()]{1,10}[）)]$|^(?:抄送|抄报|分送)\s*[:：]|\d\s*日\s*印发$")
        .unwrap_or_else(|e| panic!("notation: {e}"))
});

/// Where what follows the signature starts, among the last few lines: a
/// list of attachments (a `附件` line followed only by short ones), or
/// the 附注 and 版记 (`（此件公开发布）`, `抄送：……`); the end of `lines`
/// without any.
fn attachments_at_end(lines: &[Line]) -> usize {
    let short = |l: &Line| !l.table && l.chars() <= 80 && !l.text.contains('。');
    let end = (lines.len().saturating_sub(6)..lines.len())
        .find(|&i| {
            short(&lines[i])
                && ATTACHMENTS.is_match(lines[i].text.trim())
                && lines[i + 1..].iter().all(short)
        })
        .unwrap_or(lines.len());
    let notation = lines[..end]
        .iter()
        .rev()
        .take_while(|l| !l.table && NOTATION.is_match(l.text.trim()))
        .count();
    end - notation
}

/// A short line without sentence punctuation: a title, a signature.
fn is_name_like(l: &Line, max: usize) -> bool {
    !l.table
        && l.chars() <= max
        && !l.text.contains(['。', '，', '；', '：', ',', ';', ':'])
        && l.text.chars().any(gongkai_content::text::is_han)
        && l.marker.is_none()
}

/// The issuing body under a bulletin: a name, not a heading.
fn is_signature(l: &Line) -> bool {
    is_name_like(l, 40)
        && !CATEGORY_WORDING.is_match(&l.text)
        && !l.text.contains(['“', '”', '"', '《'])
        && !["方面", "问题", "情况", "通报", "报告", "公告"]
            .iter()
            .any(|e| l.text.ends_with(e))
}

/// The issuing body and the date on one line, as web pages often have
/// them (`中共某某县委办公室 2024年5月6日`).
fn one_line_signature(l: &Line) -> Option<(String, Day)> {
    let (words, day) = dates::after_words(&l.text)?;
    let org = Line {
        text: words.to_string(),
        ..l.clone()
    };
    is_signature(&org).then_some((named(&org.text).to_string(), day))
}

/// A title's or a body's name without the bullet a web page's list put
/// before it (`• 关于……的通报`, `- 中共某镇委员会`).
fn named(text: &str) -> &str {
    crate::metadata::unbullet(text.trim()).trim()
}

/// The title (possibly over two lines), a document number, an issuing body
/// above the title, and a date right below it.
pub(super) fn head(lines: &[Line], used: &mut [bool], draft: &mut Draft) {
    let mut i = 0;
    let take_doc_number = |i: &mut usize, used: &mut [bool], draft: &mut Draft| {
        if let Some(l) = lines.get(*i)
            && DOC_NUMBER.is_match(&l.text)
        {
            draft.doc_number = Some(l.text.clone());
            used[*i] = true;
            *i += 1;
        }
    };
    // The 版头 of GB/T 9704: the 发文机关标志 (`中共某某委员会文件`, or the
    // body's name) right above the 文号.
    if let (Some(a), Some(b)) = (lines.get(i), lines.get(i + 1))
        && is_name_like(a, 30)
        && DOC_NUMBER.is_match(&b.text)
    {
        let name = named(&a.text);
        let name = name.strip_suffix("文件").unwrap_or(name).trim_end();
        draft.organization = Some((
            Found {
                value: name.to_string(),
                no: a.no,
            },
            OrgSource::Header,
        ));
        used[i] = true;
        i += 1;
    }
    take_doc_number(&mut i, used, draft);
    if draft.organization.is_none()
        && let (Some(a), Some(b)) = (lines.get(i), lines.get(i + 1))
        && is_name_like(a, 30)
        && b.text.starts_with("关于")
        && !a.text.contains("关于")
    {
        draft.organization = Some((
            Found {
                value: named(&a.text).to_string(),
                no: a.no,
            },
            OrgSource::Header,
        ));
        used[i] = true;
        i += 1;
    }
    let Some(first) = lines.get(i) else { return };
    if !is_name_like(first, 80) {
        draft.note(first.no, "没有找到标题（第一段不像标题），请补写 title");
        return;
    }
    let mut title = named(&first.text).to_string();
    used[i] = true;
    i += 1;
    // A long title that Word broke over two lines: the first half does not
    // end like a title does, the second half does.
    let ends_like_title = words::ends_like_title;
    if let Some(next) = lines.get(i)
        && !ends_like_title(&title)
        && is_name_like(next, 40)
        && ends_like_title(&next.text)
    {
        title.push_str(&next.text);
        used[i] = true;
        i += 1;
    }
    // A list page's date after the title: `…的通报 (2024-07-26)`.
    let (title, listed) = title_and_date(&title);
    draft.listed = listed;
    draft.title = Some(Found {
        value: title.to_string(),
        no: first.no,
    });
    repeated_title(lines, &mut i, used, draft);
    take_doc_number(&mut i, used, draft);
    if let Some(l) = lines.get(i)
        && let Some(day) = dates::whole_line(&l.text)
    {
        draft.date = Some(Found {
            value: day,
            no: l.no,
        });
        used[i] = true;
    }
}

/// A title with a date after it, in brackets or not, as a list of
/// notices shows it: the title, and the day.
fn title_and_date(title: &str) -> (&str, Option<Day>) {
    let trimmed = title.trim_end_matches([')', '）', ' ', '\u{3000}']);
    match dates::after_words(trimmed) {
        Some((head, day)) if trimmed.len() < title.len() || head.len() < trimmed.len() => {
            let head = head.trim_end_matches(['(', '（', ' ', '\u{3000}']);
            if words::ends_like_title(head) {
                (head, Some(day))
            } else {
                (title, None)
            }
        }
        _ => (title, None),
    }
}

/// The title again, as the document itself has it below the page's
/// heading: on one line, or as the issuing body over `关于……`. The copy
/// goes; the body above `关于` is the issuing body.
fn repeated_title(lines: &[Line], i: &mut usize, used: &mut [bool], draft: &mut Draft) {
    let Some(title) = draft.title.as_ref().map(|t| t.value.clone()) else {
        return;
    };
    let squeeze = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    let title = squeeze(&title);
    let text = |k: usize| lines.get(k).map(|l| squeeze(named(&l.text)));
    if text(*i).is_some_and(|t| t == title) {
        used[*i] = true;
        *i += 1;
    } else if let (Some(a), Some(b)) = (text(*i), text(*i + 1))
        && b.starts_with("关于")
        && format!("{a}{b}") == title
    {
        if draft.organization.is_none() {
            draft.organization = Some((
                Found {
                    value: named(&lines[*i].text).to_string(),
                    no: lines[*i].no,
                },
                OrgSource::Header,
            ));
        }
        used[*i] = true;
        used[*i + 1] = true;
        *i += 2;
    }
}

/// The issuing body and the date at the end. Returns where the lines that
/// follow the signature (the attachments) start: they are the body's
/// last paragraphs, never part of a problem.
pub(super) fn signature(lines: &[Line], used: &mut [bool], draft: &mut Draft) -> usize {
    let mut signed_org = None;
    // Attachments under the signature stay where they are.
    let end = attachments_at_end(lines);
    let mut signed_at = None;
    for i in (0..end).rev().take(3) {
        if used[i] {
            break;
        }
        let l = &lines[i];
        if let Some(day) = dates::whole_line(&l.text) {
            if draft.date.is_some() {
                break;
            }
            draft.date = Some(Found {
                value: day,
                no: l.no,
            });
        } else if let Some((org, day)) = one_line_signature(l)
            && signed_org.is_none()
            && draft.date.is_none()
        {
            signed_org = Some(Found {
                value: org,
                no: l.no,
            });
            signed_at = Some(i);
            draft.date = Some(Found {
                value: day,
                no: l.no,
            });
        } else if signed_org.is_none() && is_signature(l) {
            signed_org = Some(Found {
                value: named(&l.text).to_string(),
                no: l.no,
            });
            signed_at = Some(i);
        } else {
            break;
        }
        used[i] = true;
    }
    if let (Some(at), Some(org)) = (signed_at, &mut signed_org) {
        let at = folded_signature(lines, used, at, org);
        joint_signature(lines, used, at, org, draft);
    }
    if let Some(org) = signed_org {
        // A header above the title that names another body keeps its words
        // in the body: only one of them can be the organization.
        if let Some((header, _)) = &draft.organization
            && header.value != org.value
        {
            let i = lines
                .iter()
                .position(|l| l.no == header.no && l.text == header.value);
            if let Some(i) = i {
                used[i] = false;
            }
        }
        draft.organization = Some((org, OrgSource::Signature));
    } else if draft.organization.is_none()
        && let Some(t) = &draft.title
        && let Some(at) = t.value.find("关于")
        && at > 0
    {
        let org = Found {
            value: t.value[..at].to_string(),
            no: t.no,
        };
        draft.organization = Some((org, OrgSource::Title));
    }
    end
}

/// How the second half of a long body's name, folded over two lines
/// under a bulletin, begins: no body is named by it alone.
const FOLDED_NAME_STARTS: [&str; 8] = [
    "领导小组",
    "办公室",
    "委员会",
    "工作委员会",
    "党组",
    "党委",
    "党工委",
    "机关",
];

/// Where a body's own name starts: its party, or its place.
const NAME_START_WORDS: [&str; 8] = ["中共", "中国共产党", "省", "市", "县", "区", "镇", "乡"];

/// A signature whose name is folded over two lines (`中共某县委巡察工作`
/// over `领导小组办公室`, as a long name is set right-aligned): the line
/// signed at `at` begins with a word no body's name begins with, and the
/// line above holds the name's start. Joins them into `org`; returns the
/// line the signature now starts on.
fn folded_signature(
    lines: &[Line],
    used: &mut [bool],
    at: usize,
    org: &mut Found<String>,
) -> usize {
    let Some(above) = at.checked_sub(1) else {
        return at;
    };
    let start = named(&lines[above].text);
    let folded = FOLDED_NAME_STARTS.iter().any(|w| org.value.starts_with(w))
        && !used[above]
        && is_signature(&lines[above])
        && body_names(start).is_none()
        && !start.contains(char::is_whitespace)
        && NAME_START_WORDS.iter().any(|w| start.contains(w));
    if !folded {
        return at;
    }
    used[above] = true;
    *org = Found {
        value: format!("{start}{}", org.value),
        no: lines[above].no,
    };
    above
}

/// How the name of a body ends: a line above the signature joins it
/// (a joint signature, `中共某镇委员会` over `某镇人民政府`) only when it
/// is plainly a body's name, not the body's last short sentence.
const BODY_NAME_ENDINGS: [&str; 34] = [
    "委员会",
    "党委",
    "党组",
    "党工委",
    "支部",
    "总支",
    "政府",
    "人大",
    "政协",
    "办公室",
    "办事处",
    "领导小组",
    "纪委",
    "监委",
    "组织部",
    "宣传部",
    "统战部",
    "工作部",
    "局",
    "厅",
    "委",
    "院",
    "所",
    "中心",
    "公司",
    "集团",
    "学校",
    "医院",
    "协会",
    "联合会",
    "机关",
    "社区",
    "街道",
    "村",
];

/// A joint signature: the bodies named on up to two lines right above
/// the one signed at `at` (`中共某镇委员会` over `某镇人民政府`), or on
/// the signed line itself (`中共某镇委员会　某镇人民政府`). The first named
/// leads (GB/T 9704 puts the leading body first) and becomes `org`; the
/// others go to the end of the body, named in a note, so that no name is
/// lost or read as part of the last problem.
fn joint_signature(
    lines: &[Line],
    used: &mut [bool],
    at: usize,
    org: &mut Found<String>,
    draft: &mut Draft,
) {
    let Some(signed) = body_names(&org.value) else {
        return;
    };
    let above: Vec<usize> = (at.saturating_sub(2)..at)
        .rev()
        .map_while(|i| {
            (!used[i] && is_signature(&lines[i]) && body_names(named(&lines[i].text)).is_some())
                .then_some(i)
        })
        .collect();
    let mut names: Vec<String> = Vec::new();
    for &i in above.iter().rev() {
        used[i] = true;
        names.extend(body_names(named(&lines[i].text)).unwrap_or_default());
    }
    names.extend(signed);
    if names.len() < 2 {
        return;
    }
    let top = above.last().map_or(org.no, |&i| lines[i].no);
    *org = Found {
        value: names.remove(0),
        no: top,
    };
    let others: Vec<String> = names.iter().map(|n| format!("“{n}”")).collect();
    draft.note(
        top,
        format!(
            "落款有 {} 个单位（联合发文）：发布单位取第一个“{}”，{}留在正文的最后，请核对",
            others.len() + 1,
            org.value,
            others.join("、"),
        ),
    );
    draft.cosigners = names;
}

/// Whether `text` is plainly a body's name: four characters or more,
/// ending as a body's name ends.
pub(super) fn is_body_name(text: &str) -> bool {
    text.chars().count() >= 4 && BODY_NAME_ENDINGS.iter().any(|e| text.ends_with(e))
}

/// The bodies a signature line names, each plainly a body's name (on a
/// line of its own, or several on one line apart by spaces); `None` when
/// any part is not. A part shorter than four characters (`中共某县委员会
/// 办公室`, a name broken by a space) is no body of its own.
fn body_names(text: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    (!parts.is_empty() && parts.iter().all(|p| is_body_name(p)))
        .then(|| parts.iter().map(|p| p.to_string()).collect())
}

/// The supervision contacts: the last paragraphs that name a phone, an
/// address or a mailbox, with the invitation just before them.
/// A paragraph whose last sentences give them keeps its earlier ones in
/// the body: the line is split in two, and `trailer` (where the lines
/// after the body start) moves with the lines.
pub(super) fn contact(
    lines: &mut Vec<Line>,
    used: &mut Vec<bool>,
    trailer: &mut usize,
    draft: &mut Draft,
) {
    let Some(mut last) = (0..lines.len())
        .rev()
        .find(|&i| !used[i] && !lines[i].table && facts::has_contact(&lines[i].text))
    else {
        return;
    };
    let mut first = last;
    while first > 0
        && !used[first - 1]
        && facts::has_contact(&lines[first - 1].text)
        && last - first < 6
    {
        first -= 1;
    }
    if let Some(at) = facts::contact_sentence_start(&lines[first].text) {
        let (no, text) = (lines[first].no, std::mem::take(&mut lines[first].text));
        lines[first] = Line::read(no, text[at..].trim().to_string(), false);
        lines.insert(first, Line::read(no, text[..at].trim().to_string(), false));
        used.insert(first, false);
        if first < *trailer {
            *trailer += 1;
        }
        first += 1;
        last += 1;
    }
    // The invitation on a line of its own: `欢迎……监督。`
    if first > 0 && !used[first - 1] {
        let prev = &lines[first - 1].text;
        if (prev.contains("监督") || prev.contains("反映"))
            && prev.chars().count() <= 120
            && lines[first - 1].marker.is_none()
        {
            first -= 1;
        }
    }
    let text: Vec<&str> = lines[first..=last]
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    let found = facts::contact(&text.join("\n"));
    if found.phone.is_none() && found.email.is_none() && found.address.is_none() {
        return;
    }
    for u in &mut used[first..=last] {
        *u = true;
    }
    draft.contact = Some(found);
}

#[cfg(test)]
mod tests {
    use crate::categories::Matcher;
    use crate::document::Para;
    use crate::draft::OrgSource;
    use crate::source::{Format, Source};

    fn recognise(lines: &[&str]) -> crate::draft::Draft {
        let paras = lines
            .iter()
            .enumerate()
            .map(|(i, t)| Para {
                no: i + 1,
                text: t.to_string(),
                table: false,
            })
            .collect();
        let source = Source::new(Format::Docx, paras);
        let categories = gongkai_content::default_categories();
        super::super::recognise(&source, &Matcher::new(&categories, &[]))
    }

    #[test]
    fn a_signature_on_one_line_is_the_body_and_the_date() {
        let d = recognise(&[
            "关于巡察整改进展情况的通报",
            "根据区委统一部署，区委第五巡察组对某镇党委进行了巡察。",
            "中共某镇委员会  2023年11月23日",
        ]);
        assert_eq!(
            d.date.as_ref().map(|f| f.value.iso()).as_deref(),
            Some("2023-11-23")
        );
        let org = d.organization.as_ref().map(|(f, _)| f.value.as_str());
        assert_eq!(org, Some("中共某镇委员会"));
    }

    #[test]
    fn the_record_under_the_date_is_not_the_signature() {
        let d = recognise(&[
            "关于巡察整改进展情况的通报",
            "根据区委统一部署，区委第五巡察组对某镇党委进行了巡察。",
            "中共某镇委员会",
            "2023年11月23日",
            "抄送：区委巡察办。",
            "中共某镇委员会党政办公室  2023年11月23日印发",
        ]);
        let org = d.organization.as_ref().map(|(f, _)| f.value.as_str());
        assert_eq!(org, Some("中共某镇委员会"));
        assert!(
            d.body_after.iter().any(|p| p.contains("抄送")),
            "{:?}",
            d.body_after
        );
    }

    #[test]
    fn the_notation_under_the_date_is_not_the_signature() {
        let d = recognise(&[
            "关于巡察整改进展情况的通报",
            "根据区委统一部署，区委第五巡察组对某镇党委进行了巡察。",
            "中共某镇委员会",
            "2023年11月23日",
            "（此件公开发布）",
        ]);
        let org = d.organization.as_ref().map(|(f, _)| f.value.as_str());
        assert_eq!(org, Some("中共某镇委员会"));
        assert_eq!(
            d.date.as_ref().map(|f| f.value.iso()).as_deref(),
            Some("2023-11-23")
        );
        // It stays in the text, under the signature.
        assert!(
            d.body_after.iter().any(|p| p.contains("此件公开发布")),
            "{:?}",
            d.body_after
        );
    }

    #[test]
    fn a_title_repeated_below_the_pages_heading_and_a_date_after_it() {
        let d = recognise(&[
            "中共某市某区委员会关于巡视集中整改进展情况的通报 (2024-07-26)",
            "中共某市某区委员会",
            "关于巡视集中整改进展情况的通报",
            "根据市委统一部署，市委第一巡视组对某区进行了巡视。",
        ]);
        let title = d.title.as_ref().map(|f| f.value.as_str());
        assert_eq!(
            title,
            Some("中共某市某区委员会关于巡视集中整改进展情况的通报")
        );
        // The list's date is the page's: the signature's stays the signature's.
        assert_eq!(d.listed.map(|d| d.iso()).as_deref(), Some("2024-07-26"));
        let org = d.organization.as_ref().map(|(f, _)| f.value.as_str());
        assert_eq!(org, Some("中共某市某区委员会"));
        assert_eq!(d.body_before.len(), 1, "{:?}", d.body_before);
        // A title broken mid-phrase, on a mirror in Traditional characters.
        let d = recognise(&[
            "中共某市婦女聯合會黨組關于五屆市委",
            "第四輪巡察整改進展情況的通報",
            "根據市委統一部署，市委第二巡察組對市婦聯黨組進行了巡察。",
        ]);
        let title = d.title.as_ref().map(|f| f.value.as_str());
        assert_eq!(
            title,
            Some("中共某市婦女聯合會黨組關于五屆市委第四輪巡察整改進展情況的通報")
        );
        // A date and time alone under the title is the date.
        let d = recognise(&[
            "关于巡察整改进展情况的通报",
            "2020-08-10 11:36:38",
            "正文。",
        ]);
        assert_eq!(
            d.date.as_ref().map(|f| f.value.iso()).as_deref(),
            Some("2020-08-10")
        );
        // A date that is part of a title's words stays in it.
        let d = recognise(&["2024年9月2日工作会议纪要", "正文。"]);
        let title = d.title.as_ref().map(|f| f.value.as_str());
        assert_eq!(title, Some("2024年9月2日工作会议纪要"));
    }

    #[test]
    fn bullets_of_a_web_pages_list_are_not_part_of_names() {
        let d = recognise(&[
            "• 关于巡察整改进展情况的通报",
            "根据区委统一部署，区委第五巡察组对某镇党委进行了巡察。",
            "- 中共某镇委员会",
            "2023年11月23日",
        ]);
        let title = d.title.as_ref().map(|f| f.value.as_str());
        assert_eq!(title, Some("关于巡察整改进展情况的通报"));
        let org = d.organization.as_ref().map(|(f, _)| f.value.as_str());
        assert_eq!(org, Some("中共某镇委员会"));
        let d = recognise(&[
            "· 中共某镇委员会",
            "关于巡察整改进展情况的通报",
            "根据区委统一部署，区委第五巡察组对某镇党委进行了巡察。",
        ]);
        let org = d.organization.as_ref().map(|(f, _)| f.value.as_str());
        assert_eq!(org, Some("中共某镇委员会"));
    }

    #[test]
    fn an_opening_whose_dates_lost_their_words_is_read_with_them_again() {
        let d = recognise(&[
            "市卫健委党委关于巡察整改进展情况的通报",
            "根据市委统一部署,2024717日至830日,市委第六巡察组对市卫健委党委进行了巡察。914日,巡察组反馈了巡察意见。",
        ]);
        let i = d.inspection.as_ref().expect("the inspection");
        assert_eq!(i.group.as_deref(), Some("市委第六巡察组"));
        let iso = |d: Option<gongkai_content::Day>| d.map(|d| d.iso());
        assert_eq!(iso(i.start).as_deref(), Some("2024-07-17"));
        assert_eq!(iso(i.end).as_deref(), Some("2024-08-30"));
        assert_eq!(iso(i.feedback).as_deref(), Some("2024-09-14"));
        assert!(
            d.notes
                .iter()
                .any(|n| n.no == 2 && n.value.contains("缺了")),
            "{:?}",
            d.notes
        );
    }

    #[test]
    fn an_opening_with_unreadable_dates_keeps_its_group_and_asks_for_them() {
        let d = recognise(&[
            "市卫健委党委关于巡察整改进展情况的通报",
            "根据市委统一部署,2024112日至1212日,市委第六巡察组对市卫健委党委进行了巡察。",
        ]);
        let i = d.inspection.as_ref().expect("the inspection");
        assert_eq!(i.group.as_deref(), Some("市委第六巡察组"));
        assert_eq!((i.start, i.end), (None, None));
        assert!(
            d.notes
                .iter()
                .any(|n| n.no == 2 && n.value.contains("起止日期")),
            "{:?}",
            d.notes
        );
        // A group named in passing, by a numbered paragraph, is none.
        let d = recognise(&[
            "关于巡察整改进展情况的通报",
            "一、按照市委第六巡察组的反馈意见，逐项整改。",
        ]);
        assert!(d.inspection.is_none());
    }

    #[test]
    fn a_section_heading_above_the_problems_stays_in_the_text() {
        let d = recognise(&[
            "中共某县农业农村局党组关于巡察整改情况的通报",
            "一、党组组织整改落实情况",
            "党组坚持把巡察整改作为重大政治任务。",
            "二、巡察反馈意见整改落实情况",
            "针对反馈的问题，逐项整改。",
            "1.关于“政治理论学习跟进不够及时”的问题",
            "整改情况:召开专题民主生活会。",
            "整改结果:已完成整改。",
            "三、下一步工作打算",
            "持续巩固整改成果。",
        ]);
        assert_eq!(
            d.body_before,
            [
                "## 一、党组组织整改落实情况",
                "党组坚持把巡察整改作为重大政治任务。",
                "## 二、巡察反馈意见整改落实情况",
                "针对反馈的问题，逐项整改。"
            ]
        );
        assert_eq!(d.groups[0].heading, None);
        assert_eq!(d.groups[0].problems.len(), 1);
    }

    #[test]
    fn a_joint_signature_is_issued_by_the_first_body() {
        let d = recognise(&[
            "关于巡察整改进展情况的通报",
            "根据县委统一部署，县委第二巡察组对某镇党委进行了巡察。",
            "1.关于学习不深入的问题",
            "整改情况:制定学习计划。",
            "整改结果:已完成整改。",
            "中共某镇委员会",
            "某镇人民政府",
            "2023年9月20日",
        ]);
        let (org, how) = d.organization.clone().unwrap();
        assert_eq!(
            (org.value.as_str(), org.no, how),
            ("中共某镇委员会", 6, OrgSource::Signature)
        );
        assert_eq!(
            d.date.as_ref().map(|f| f.value.iso()).as_deref(),
            Some("2023-09-20")
        );
        // The second body is neither lost nor read as the problem's text.
        assert_eq!(d.body_after, ["某镇人民政府"]);
        let problem = &d.groups[0].problems[0];
        assert!(!format!("{problem:?}").contains("某镇"), "{problem:?}");
        assert!(d.notes.iter().any(|n| n.value.contains("联合发文")));
    }

    #[test]
    fn a_joint_signature_on_one_line() {
        for signed in [
            "中共某镇委员会　　某镇人民政府",
            "中共某镇委员会  某镇人民政府  2023年9月20日",
        ] {
            let mut lines = vec![
                "关于巡察整改进展情况的通报",
                "1.关于学习不深入的问题",
                "整改情况:制定学习计划。",
                "整改结果:已完成整改。",
                signed,
            ];
            if !signed.ends_with('日') {
                lines.push("2023年9月20日");
            }
            let d = recognise(&lines);
            let org = d.organization.as_ref().map(|(f, _)| f.value.as_str());
            assert_eq!(org, Some("中共某镇委员会"), "{signed}");
            assert_eq!(d.body_after, ["某镇人民政府"], "{signed}");
            assert_eq!(
                d.date.as_ref().map(|f| f.value.iso()).as_deref(),
                Some("2023-09-20")
            );
        }
    }

    #[test]
    fn the_sentences_before_the_contacts_stay_in_the_body() {
        let draft = recognise(&[
            "关于巡察整改情况的通报",
            "正文一段。",
            "巡察组只受理来电来信来访，不负责答复。巡察期间，设立监督电话：029-33229182，欢迎广大干部群众积极参与并进行监督。",
            "中共某县委巡察办",
            "2022年6月9日",
        ]);
        let contact = draft.contact.unwrap();
        assert_eq!(contact.phone.as_deref(), Some("029-33229182"));
        assert_eq!(contact.intro.as_deref(), Some("巡察期间，设立"));
        let body = draft.body_before.join("\n");
        assert!(
            body.contains("巡察组只受理来电来信来访，不负责答复。"),
            "{body}"
        );
        assert!(!body.contains("029"), "{body}");
    }

    #[test]
    fn an_inspection_with_one_end_of_its_period_asks_for_the_other() {
        let draft = recognise(&[
            "中共某县某局党组关于巡察整改情况的通报",
            "根据县委统一部署,县委4个巡察组从3月17日起对县公安局等单位开展常规巡察,各巡察组将于2021年5月21日17:00前撤离。",
            "中共某县某局党组",
            "2021年5月21日",
        ]);
        let i = draft.inspection.as_ref().unwrap();
        assert_eq!(
            (i.start, i.end.map(|d| d.iso())),
            (None, Some("2021-05-21".into()))
        );
        assert!(
            draft
                .notes
                .iter()
                .any(|n| n.no == 2 && n.value.contains("补写 start")),
            "{:?}",
            draft.notes
        );
    }

    #[test]
    fn a_signature_folded_over_two_lines_is_one_name() {
        let draft = recognise(&[
            "中共某县某局党组关于巡察整改情况的通报",
            "正文一段。",
            "特此公告。",
            "中共某某县委巡察工作",
            "领导小组办公室",
            "2021年5月21日",
        ]);
        let (org, _) = draft.organization.unwrap();
        assert_eq!(org.value, "中共某某县委巡察工作领导小组办公室");
        assert_eq!(org.no, 4);
        let body = [draft.body_before.clone(), draft.body_after.clone()].concat();
        assert!(!body.iter().any(|b| b.contains("巡察工作")), "{body:?}");
        assert!(draft.cosigners.is_empty());
        // A whole name over a whole name stays a joint signature.
        let draft = recognise(&[
            "关于巡察整改情况的通报",
            "正文一段。",
            "中共某某镇委员会",
            "某某镇人民政府",
            "2023年9月20日",
        ]);
        assert_eq!(draft.organization.unwrap().0.value, "中共某某镇委员会");
        assert_eq!(draft.cosigners, ["某某镇人民政府"]);
    }

    #[test]
    fn a_last_short_sentence_above_the_signature_is_no_second_body() {
        let d = recognise(&[
            "关于巡察整改进展情况的通报",
            "1.关于学习不深入的问题",
            "整改情况:制定学习计划。",
            "整改结果:已完成整改。",
            "欢迎广大干部群众监督",
            "中共某镇委员会",
            "2023年9月20日",
        ]);
        let org = d.organization.as_ref().map(|(f, _)| f.value.as_str());
        assert_eq!(org, Some("中共某镇委员会"));
        assert!(!d.notes.iter().any(|n| n.value.contains("联合发文")));
    }

    #[test]
    fn attachments_under_the_signature_leave_it_whole() {
        let d = recognise(&[
            "某镇党委关于巡察整改进展情况的通报",
            "根据区委统一部署,2022年11月29日至2023年2月20日,区委第五巡察组对某镇党委进行了巡察。",
            "1.关于学习不深入的问题",
            "整改状态:完成",
            "整改情况:制定学习计划。",
            "中共某镇委员会",
            "2023年11月23日",
            "附件:1.整改情况一览表.docx",
            "2.问题清单.xlsx",
        ]);
        assert_eq!(
            d.date.as_ref().map(|f| f.value.iso()).as_deref(),
            Some("2023-11-23")
        );
        let org = d.organization.as_ref().map(|(f, _)| f.value.as_str());
        assert_eq!(org, Some("中共某镇委员会"));
        // They end the body; none is part of the last problem.
        assert_eq!(d.body_after.len(), 2, "{:?}", d.body_after);
        let problem = &d.groups[0].problems[0];
        assert!(
            !problem
                .measures
                .as_deref()
                .unwrap_or_default()
                .contains("附件")
        );
    }

    #[test]
    fn the_head_of_gb_t_9704_names_the_body_above_the_number() {
        let d = recognise(&[
            "中共某某县文化广电旅游体育局党组文件",
            "文旅党〔2022〕14号",
            "巡察整改进展情况的通报",
            "现将整改情况通报如下。",
            "中共某某县文化广电旅游体育局党组",
            "2022年10月20日",
        ]);
        assert_eq!(d.doc_number.as_deref(), Some("文旅党〔2022〕14号"));
        assert_eq!(
            d.title.map(|t| t.value).as_deref(),
            Some("巡察整改进展情况的通报")
        );
        let (org, how) = d.organization.unwrap();
        assert_eq!(org.value, "中共某某县文化广电旅游体育局党组");
        assert_eq!(how, OrgSource::Signature);
        assert_eq!(d.body_before, ["现将整改情况通报如下。"]);

        // Without a signature, the 发文机关标志 names the body.
        let d = recognise(&["某某局", "某局发〔2023〕2号", "关于整改的通报", "正文。"]);
        let (org, how) = d.organization.unwrap();
        assert_eq!((org.value.as_str(), how), ("某某局", OrgSource::Header));
        assert_eq!(d.title.map(|t| t.value).as_deref(), Some("关于整改的通报"));
    }
}
