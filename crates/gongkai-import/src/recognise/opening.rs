//! The opening formula: the inspection the bulletin answers (its kind,
//! group, period and feedback; the feedback perhaps told in the next
//! paragraph), and the county round it names (`根据十四届县委第六轮巡察工作
//! 安排`).

use std::sync::LazyLock;

use regex::Regex;

use super::Line;
use crate::dates;
use crate::draft::{Draft, Found};
use crate::inspection;
use crate::round_name::RoundName;

/// How many paragraphs from the top the opening may be.
const REACH: usize = 6;

/// Reads the inspection and the round from the first free paragraphs
/// (those the title and signature did not take).
pub(super) fn read(lines: &[Line], used: &[bool], draft: &mut Draft) {
    let free: Vec<&Line> = lines
        .iter()
        .zip(used)
        .filter(|(_, u)| !**u)
        .map(|(l, _)| l)
        .take(REACH)
        .collect();
    let published = draft.date.as_ref().map(|d| d.value);
    let opening = free.iter().enumerate().find_map(|(k, l)| {
        let told = !dates::mentions(&l.text).is_empty() || inspection::months(&l.text).is_some();
        inspection::inspection(&l.text, published)
            .filter(|_| told)
            .map(|i| (k, *l, i))
    });
    // An opening whose dates lost their `年` and `月` (`2024717日至830日`)
    // is read with them written again, where only one reading is a date;
    // else it still names the group: kept, and the dates asked for.
    let opening = opening.or_else(|| {
        let (k, l, i) = free.iter().enumerate().find_map(|(k, l)| {
            let i = inspection::inspection(&l.text, published)?;
            let tells = l.text.chars().any(|c| c.is_ascii_digit())
                || ["进行了", "开展了", "进驻"].iter().any(|w| l.text.contains(w));
            (i.group.is_some() && tells && l.marker.is_none()).then_some((k, *l, i))
        })?;
        let restored = dates::unsqueezed(&l.text).and_then(|text| {
            let i = inspection::inspection(&text, published)?;
            i.start.is_some().then_some((text, i))
        });
        match restored {
            Some((text, i)) => {
                draft.note(
                    l.no,
                    format!(
                        "巡察（巡视）的日期缺了“年”“月”，按“{}”读出，请核对",
                        gongkai_content::text::summarize(&text, 40)
                    ),
                );
                Some((k, l, i))
            }
            None => {
                draft.note(
                    l.no,
                    "读不出巡察（巡视）的起止日期，只写出了巡察组：请在 inspection 下补写 start（开始）和 end（结束），如 start: 2024-03-01",
                );
                Some((k, l, i))
            }
        }
    });
    round(&free, opening.as_ref().map(|(_, l, _)| *l), draft);
    let Some((k, l, mut i)) = opening else {
        return;
    };
    if inspection::months(&l.text).is_some_and(|(s, _)| i.start == Some(s)) {
        draft.note(
            l.no,
            "巡察（巡视）时间只写到月（或上旬、中旬、下旬），起止日期暂按所写时段的第一天和最后一天写出，请改成实际日期",
        );
    }
    let mentions = dates::mentions(&l.text);
    if let (Some(start), Some(p)) = (i.start, published)
        && !mentions.is_empty()
        && mentions.iter().all(|m| m.year.is_none())
    {
        draft.note(
            l.no,
            format!(
                "巡察（巡视）日期没有写年份，按通报的日期 {} 补为 {} 年，请核对",
                p.iso(),
                start.year()
            ),
        );
    }
    // `……进行了巡察。` / `12月30日，县委第二巡察组反馈了巡察意见。`
    if i.feedback.is_none() {
        i.feedback = free[k + 1..]
            .iter()
            .take(2)
            .filter(|n| n.marker.is_none() && n.text.contains("反馈"))
            .find_map(|n| inspection::feedback_after(&n.text, &i));
    }
    half_a_period(&i, l.no, draft);
    draft.inspected = inspected(&l.text).map(|value| Found { value, no: l.no });
    draft.inspection = Some(i);
}

/// `对(某局党组)开展了……巡察`: the body inspected, when it is plainly
/// named.
static INSPECTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"对([^，,。；;、：:\s]{4,40}?)(?:开展|进行|实施)")
        .unwrap_or_else(|e| panic!("inspected pattern: {e}"))
});

fn inspected(opening: &str) -> Option<String> {
    let name = INSPECTED.captures(opening)?.get(1)?.as_str();
    super::frame::is_body_name(name).then(|| name.to_string())
}

/// An inspection read with only one end of its period (`从3月17日起`
/// unread, `将于5月21日前撤离` read): the clerk is asked for the other.
fn half_a_period(i: &gongkai_content::Inspection, no: usize, draft: &mut Draft) {
    let missing = match (i.start, i.end) {
        (None, Some(end)) => format!(
            "只读出了巡察（巡视）的结束日期 {}，没有读出开始日期：请在 inspection 下补写 start（开始），如 start: {}-03-01",
            end.iso(),
            end.year()
        ),
        (Some(start), None) => format!(
            "只读出了巡察（巡视）的开始日期 {}，没有读出结束日期：请在 inspection 下补写 end（结束）",
            start.iso()
        ),
        _ => return,
    };
    draft.note(no, missing);
}

/// The county round the opening names; else the title; else another of
/// the first paragraphs.
fn round(free: &[&Line], opening: Option<&Line>, draft: &mut Draft) {
    let title = draft.title.as_ref().map(|t| (t.no, t.value.clone()));
    let found = opening
        .map(|l| (l.no, l.text.clone()))
        .into_iter()
        .chain(title)
        .chain(free.iter().map(|l| (l.no, l.text.clone())))
        .find_map(|(no, text)| RoundName::find(&text).map(|value| Found { value, no }));
    draft.round = found;
}
