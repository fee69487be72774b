//! Facts inside prose: the inspection in the opening formula, the
//! supervision contacts, and money recovered.

use std::sync::LazyLock;

use regex::Regex;

use super::dates;
use gongkai_content::money::format_fen;
use gongkai_content::{Contact, Day, Inspection, InspectionKind, Yuan};

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
}

static GROUP: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(巡察|巡视)([一二三四五六七八九十\d]*)组"));

/// Words after which the name of an inspection group starts.
const BEFORE_GROUP: &[&str] = &[
    "部署", "安排", "要求", "根据", "按照", "日", "于", "由", "经", "对", "期间", "前", "后", "的",
];

/// The inspection an opening formula speaks of: `2021年4月28日至2021年8月26日，
/// 区委第一巡察组对政协机关进行了巡察。2021年8月26日，……反馈了巡察意见。`
pub fn inspection(text: &str) -> Option<Inspection> {
    let m = GROUP
        .captures_iter(text)
        .find(|c| c.get(0).is_some_and(|m| !text[m.end()..].starts_with('长')))?;
    let whole = m.get(0)?;
    let kind = if &m[1] == "巡视" {
        InspectionKind::Xunshi
    } else {
        InspectionKind::Xuncha
    };
    let prefix = group_prefix(&text[..whole.start()]);
    // `区委组建4个巡察组`: several groups, none of them named.
    let several = prefix.strip_suffix('个').is_some_and(|count| {
        count.ends_with(|c: char| c.is_ascii_digit() || "一二两三四五六七八九十".contains(c))
    });
    let group = (!several).then(|| format!("{prefix}{}", whole.as_str()));

    let mentions = dates::mentions(text);
    let mut year = None;
    let days: Vec<Option<Day>> = mentions
        .iter()
        .map(|m| {
            let d = m.day_in(year);
            if let Some(d) = d {
                year = Some(d.year());
            }
            d
        })
        .collect();
    let range = (1..mentions.len()).find(|&i| {
        let between = text[mentions[i - 1].end..mentions[i].start].trim();
        matches!(
            between,
            "至" | "到" | "—" | "——" | "－" | "-" | "~" | "～" | "至至"
        )
    });
    // `于2021年4月28日进驻`, `于2023年4月28日结束巡察`: a start or an end
    // told by the verb after it.
    let told = |words: &[&str]| {
        mentions.iter().position(|m| {
            let after: String = text[m.end..].chars().take(8).collect();
            words.iter().any(|w| after.contains(w))
        })
    };
    let (start, end, used) = match range {
        Some(i) => (days[i - 1], days[i], vec![i - 1, i]),
        None => {
            let s = told(&["进驻", "开始"]);
            let e = told(&["结束", "离开", "撤离"]).filter(|e| Some(*e) != s);
            let used = s.into_iter().chain(e).collect();
            (s.and_then(|i| days[i]), e.and_then(|i| days[i]), used)
        }
    };
    // `2022年3月至5月`: an inspection told by months only.
    let (start, end) = match (start, end) {
        (None, None) => month_range(text).map_or((None, None), |(s, e)| (Some(s), Some(e))),
        known => known,
    };
    let feedback = feedback(text, &mentions, &used, end.or(start));
    Some(Inspection {
        id: None,
        kind,
        group,
        start,
        end,
        feedback,
    })
}

/// An inspection's months without days, `2022年3月至5月` or `2022年11月至
/// 2023年1月`: its first and last days, for the reviewer to correct.
pub fn month_range(text: &str) -> Option<(Day, Day)> {
    static MONTHS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?\s*(?:至|到|—|——|－|-|~|～)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:份|底)?(?:[^日号\d]|$)")
            .unwrap_or_else(|e| panic!("month range: {e}"))
    });
    let c = MONTHS.captures(text)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i16>().ok());
    let (y1, m1, m2) = (num(1)?, num(2)?, num(4)?);
    let y2 = num(3).unwrap_or(if m2 < m1 { y1 + 1 } else { y1 });
    let first = jiff::civil::Date::new(y1, i8::try_from(m1).ok()?, 1).ok()?;
    let last = jiff::civil::Date::new(y2, i8::try_from(m2).ok()?, 1)
        .ok()?
        .last_of_month();
    Some((Day(first), Day(last)))
}

/// `区委第一`, `十二届市委第一`, `专项`: the words of the group's name before
/// `巡察组`, back to the punctuation or verb that precedes it.
fn group_prefix(before: &str) -> String {
    let run: String = before
        .chars()
        .rev()
        .take_while(|c| gongkai_content::text::is_han(*c) || c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let mut start = 0;
    for word in BEFORE_GROUP {
        if let Some(i) = run.rfind(word) {
            start = start.max(i + word.len());
        }
    }
    let prefix = &run[start..];
    // A run of digits is a date's, not a name's.
    let prefix = prefix.trim_start_matches(|c: char| c.is_ascii_digit());
    prefix
        .chars()
        .rev()
        .take(14)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// The date of the feedback: in the sentence that speaks of 反馈, the last
/// date before the word (`2021年8月26日，……反馈了`, `并于7月8日反馈`), else the
/// first after it; never one of the inspection's own dates.
fn feedback(
    text: &str,
    mentions: &[dates::Mention],
    used: &[usize],
    year: Option<Day>,
) -> Option<Day> {
    let mut offset = 0;
    for sentence in text.split_inclusive(['。', '；', ';']) {
        let range = offset..offset + sentence.len();
        offset += sentence.len();
        let Some(at) = sentence.find("反馈").map(|i| range.start + i) else {
            continue;
        };
        let candidates: Vec<&dates::Mention> = mentions
            .iter()
            .enumerate()
            .filter(|(i, m)| range.contains(&m.start) && !used.contains(i))
            .map(|(_, m)| m)
            .collect();
        let Some(m) = candidates
            .iter()
            .rev()
            .find(|m| m.end <= at)
            .or_else(|| candidates.iter().find(|m| m.start >= at))
        else {
            continue;
        };
        let day = m.day_in(year.map(Day::year))?;
        // `12月……反馈` after an inspection ending in a later month is next year's.
        return match (m.year, year) {
            (None, Some(end)) if day < end => m.day_in(Some(end.year() + 1)),
            _ => Some(day),
        };
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContactField {
    Phone,
    Address,
    Postcode,
    Email,
}

static CONTACT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)(联系电话|监督电话|举报电话|咨询电话|电话|邮政信箱|通讯地址|通信地址|来信地址|邮寄地址|地址|信箱|邮政编码|邮编|电子邮箱|电子信箱|电子邮件|邮箱|e-?mail)\s*[：:]\s*",
    )
});
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^[0-9０-９][0-9０-９\-－— ]*[0-9０-９](?:转[0-9]+)?(?:[、/][0-9][0-9\-－ ]*[0-9])*")
});
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"));
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| regex(r"^\d{6}"));

fn field_of(label: &str) -> ContactField {
    match label {
        l if l.contains("电话") => ContactField::Phone,
        l if l.contains("编") => ContactField::Postcode,
        l if l.contains("电子") || l.contains("邮箱") || l.to_lowercase().contains("mail") => {
            ContactField::Email
        }
        _ => ContactField::Address,
    }
}

/// Whether a paragraph gives supervision contacts.
pub fn has_contact(text: &str) -> bool {
    CONTACT_LABEL.is_match(text)
}

/// The contacts of a supervision paragraph: `欢迎……反映（电话：0768-2100022；
/// 邮政信箱：……、邮政编码：521000；电子邮箱：……）。也可……`. The words
/// before the contacts become `intro`, the words after them `note`.
pub fn contact(text: &str) -> Contact {
    let mut c = Contact::default();
    let mut span: Option<(usize, usize)> = None;
    let mut at = 0;
    while let Some(m) = CONTACT_LABEL.captures_at(text, at) {
        let (Some(whole), Some(label)) = (m.get(0), m.get(1)) else {
            break;
        };
        // Contacts are written together: a label far after the last one
        // (another body's address in the note) is not ours.
        if let Some((_, end)) = span
            && text[end..whole.start()]
                .chars()
                .any(|c| !"（）()；;、，, \n\u{3000}".contains(c))
        {
            break;
        }
        let field = field_of(label.as_str());
        let slot = match field {
            ContactField::Phone => &mut c.phone,
            ContactField::Address => &mut c.address,
            ContactField::Postcode => &mut c.postcode,
            ContactField::Email => &mut c.email,
        };
        if slot.is_some() {
            break;
        }
        let rest = &text[whole.end()..];
        let len = match field {
            ContactField::Phone => PHONE.find(rest).map_or(0, |v| v.end()),
            ContactField::Email => EMAIL.find(rest).map_or(0, |v| v.end()),
            ContactField::Postcode => POSTCODE.find(rest).map_or(0, |v| v.end()),
            ContactField::Address => address_len(rest),
        };
        if len == 0 {
            break;
        }
        *slot = Some(rest[..len].trim().to_string());
        let end = whole.end() + len;
        span = Some((span.map_or(whole.start(), |(s, _)| s), end));
        at = end;
    }
    let Some((mut start, mut end)) = span else {
        c.note = Some(text.trim().to_string());
        return c;
    };
    // The brackets around the contacts go with them.
    let before = text[..start].trim_end();
    if before.ends_with(['（', '(']) {
        start = before.len() - before.chars().next_back().map_or(0, char::len_utf8);
        let after = &text[end..];
        let trimmed = after.trim_start_matches(['；', ';', '、', '，', ',', ' ']);
        if trimmed.starts_with(['）', ')']) {
            end = text.len() - trimmed.len() + trimmed.chars().next().map_or(0, char::len_utf8);
        }
    }
    let mut intro = text[..start]
        .trim()
        .trim_end_matches(['：', ':', '，', ','])
        .to_string();
    let mut note = text[end..]
        .trim_start_matches(['；', ';', '、', '，', ','])
        .trim();
    if let Some(rest) = note.strip_prefix('。') {
        if !intro.is_empty() && !intro.ends_with(['。', '！', '？']) {
            intro.push('。');
        }
        note = rest.trim();
    }
    c.intro = (!intro.is_empty()).then_some(intro);
    c.note = (!note.is_empty()).then(|| note.to_string());
    c
}

/// An address runs to the next `；`, to `、邮政编码`, or to the bracket
/// that closes the contacts; brackets inside it (`（409室）`) are its own.
fn address_len(rest: &str) -> usize {
    let mut depth = 0i32;
    for (i, ch) in rest.char_indices() {
        match ch {
            '（' | '(' => depth += 1,
            '）' | ')' if depth == 0 => return i,
            '）' | ')' => depth -= 1,
            '；' | ';' | '。' | '\n' if depth == 0 => return i,
            '、' | '，' | ','
                if depth == 0
                    && CONTACT_LABEL
                        .find(&rest[i + ch.len_utf8()..])
                        .is_some_and(|m| m.start() == 0) =>
            {
                return i;
            }
            _ => {}
        }
    }
    rest.trim_end().len()
}

static AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.(\d+))?\s*(万)?元"));

/// Verbs saying that money came back.
const RECOVERED: &[&str] = &[
    "追回", "退回", "退还", "返还", "收回", "追缴", "收缴", "清退", "退缴", "缴回", "退赔",
];

/// The money a problem's text says was recovered, refunded or returned: the
/// amounts of every sentence that says so. Several amounts in one such
/// sentence count once when one of them is the total (`共计`, `合计`).
/// Returns the sum in yuan as written for `recovered_yuan`, and whether a
/// sentence was ambiguous.
pub fn recovered(text: &str) -> Option<(String, bool)> {
    let mut fen: i64 = 0;
    let mut any = false;
    let mut unsure = false;
    for sentence in text.split(['。', '；', ';', '\n']) {
        if !RECOVERED.iter().any(|v| sentence.contains(v)) {
            continue;
        }
        let amounts: Vec<(usize, i64)> = AMOUNT
            .captures_iter(sentence)
            .filter_map(|c| Some((c.get(0)?.start(), amount_fen(&c)?)))
            .collect();
        let chosen = match amounts.as_slice() {
            [] => continue,
            [(_, one)] => *one,
            many => {
                let total = many.iter().find(|(at, _)| {
                    let before = &sentence[..*at];
                    ["共计", "合计", "总计", "共"]
                        .iter()
                        .any(|w| before.trim_end_matches("人民币").ends_with(w))
                });
                match total {
                    Some((_, t)) => *t,
                    None => {
                        unsure = true;
                        many.iter().map(|(_, f)| f).sum()
                    }
                }
            }
        };
        fen += chosen;
        any = true;
    }
    any.then(|| (format_fen(fen), unsure))
}

/// `7230.3元` → 723030 fen; `5.0227万元` → 5022700.
fn amount_fen(c: &regex::Captures<'_>) -> Option<i64> {
    let whole: String = c
        .get(1)?
        .as_str()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let frac = c.get(2).map_or("", |m| m.as_str());
    let (whole, frac) = if c.get(3).is_some() {
        // 万: move the decimal point four places.
        let padded = format!("{frac:0<4}");
        (format!("{whole}{}", &padded[..4]), padded[4..].to_string())
    } else {
        (whole, frac.to_string())
    };
    let written = if frac.trim_end_matches('0').is_empty() {
        whole
    } else {
        format!("{whole}.{}", frac.trim_end_matches('0'))
    };
    Yuan::parse(&written).ok().map(|y| y.fen())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(d: Option<Day>) -> Option<String> {
        d.map(Day::iso)
    }

    #[test]
    fn the_seeds_opening_formula() {
        let text = "根据区委统一部署，2021年4月28日至2021年8月26日，区委第一巡察组对政协机关进行了巡察。2021年8月26日，区委巡察组向政协机关反馈了巡察意见。按照党务公开原则和巡察工作有关要求，现将巡察整改阶段性进展情况予以公布。";
        let i = inspection(text).unwrap();
        assert_eq!(i.kind, InspectionKind::Xuncha);
        assert_eq!(i.group.as_deref().unwrap(), "区委第一巡察组");
        assert_eq!(iso(i.start).as_deref(), Some("2021-04-28"));
        assert_eq!(iso(i.end).as_deref(), Some("2021-08-26"));
        assert_eq!(iso(i.feedback).as_deref(), Some("2021-08-26"));
    }

    #[test]
    fn other_opening_formulas() {
        let i = inspection("根据市委统一部署，十二届市委第一巡察组于2022年3月10日至5月10日对市档案馆党组开展了常规巡察，并于7月8日反馈了巡察意见。").unwrap();
        assert_eq!(i.group.as_deref().unwrap(), "十二届市委第一巡察组");
        assert_eq!(iso(i.end).as_deref(), Some("2022-05-10"));
        assert_eq!(iso(i.feedback).as_deref(), Some("2022-07-08"));
        let i = inspection("按照县委部署，县委巡察二组于二〇二三年三月一日进驻县林业局开展巡察。")
            .unwrap();
        assert_eq!(i.group.as_deref().unwrap(), "县委巡察二组");
        assert_eq!(iso(i.start).as_deref(), Some("2023-03-01"));
        assert_eq!(i.end, None);
        let i = inspection("县委巡察二组于2023年3月1日进驻县供销社开展巡察，于2023年4月28日结束巡察，2023年5月20日反馈了巡察意见。").unwrap();
        assert_eq!(iso(i.start).as_deref(), Some("2023-03-01"));
        assert_eq!(iso(i.end).as_deref(), Some("2023-04-28"));
        assert_eq!(iso(i.feedback).as_deref(), Some("2023-05-20"));
        let i = inspection("2019年10月8日至12月20日，省委第三巡视组对我厅开展了专项巡视。2020年1月6日，巡视组反馈了意见。").unwrap();
        assert_eq!(i.kind, InspectionKind::Xunshi);
        assert_eq!(i.group.as_deref().unwrap(), "省委第三巡视组");
        let i = inspection("区委专项巡察组对区卫健局开展了专项巡察。").unwrap();
        assert_eq!(i.group.as_deref().unwrap(), "区委专项巡察组");
        // Several groups at once name none.
        let i = inspection(
            "2021年11月8日至12月20日，区委组建4个巡察组对区民政局等4家单位开展常规巡察。",
        )
        .unwrap();
        assert_eq!((i.group, i.kind), (None, InspectionKind::Xuncha));
        assert!(i.start.is_some() && i.end.is_some());
        let i = inspection("省委派出十个巡视组进驻。").unwrap();
        assert_eq!(i.group, None);
    }

    #[test]
    fn the_seeds_contacts() {
        let text = "欢迎广大干部群众对巡察整改落实进行监督。如有意见建议，请及时向我们反映（电话：0768-2100022；邮政信箱：湘桥区党政办公大楼4楼区政协办公室（409室）、邮政编码：521000；电子邮箱：xiangqiaozhengxie@126.com）。也可径向区委巡察办反映，电子邮箱：czxqxcb@126.com（来信注明：巡察整改落实情况监督）。";
        let c = contact(text);
        assert_eq!(c.phone.as_deref(), Some("0768-2100022"));
        assert_eq!(
            c.address.as_deref(),
            Some("湘桥区党政办公大楼4楼区政协办公室（409室）")
        );
        assert_eq!(c.postcode.as_deref(), Some("521000"));
        assert_eq!(c.email.as_deref(), Some("xiangqiaozhengxie@126.com"));
        assert_eq!(
            c.intro.as_deref(),
            Some("欢迎广大干部群众对巡察整改落实进行监督。如有意见建议，请及时向我们反映。")
        );
        assert_eq!(
            c.note.as_deref(),
            Some(
                "也可径向区委巡察办反映，电子邮箱：czxqxcb@126.com（来信注明：巡察整改落实情况监督）。"
            )
        );
    }

    #[test]
    fn contacts_on_lines_of_their_own() {
        let c = contact(
            "联系电话：0768-1234567\n通讯地址：潮州市某路1号\n邮编：521000\n电子邮箱：a@b.cn",
        );
        assert_eq!(c.phone.as_deref(), Some("0768-1234567"));
        assert_eq!(c.address.as_deref(), Some("潮州市某路1号"));
        assert_eq!(c.postcode.as_deref(), Some("521000"));
        assert_eq!(c.email.as_deref(), Some("a@b.cn"));
        assert_eq!(c.intro, None);
    }

    #[test]
    fn money_only_where_it_came_back() {
        assert_eq!(
            recovered(
                "三是落实专人与相关核酸检测机构联系，追回多付金额人民币7230.3元，已转入单位帐户。"
            ),
            Some(("7230.3".into(), false))
        );
        assert_eq!(
            recovered(
                "一方面，核查以“伙食费补贴”的10200元发放情况，根据相关规定立即要求相关公职人员退回相应补助金。规范调研活动经费支出。"
            ),
            Some(("10200".into(), false))
        );
        assert_eq!(
            recovered("并将违规领取的金额共计人民币31626元退回至政协机关账户；"),
            Some(("31626".into(), false))
        );
        assert_eq!(
            recovered("清退违规发放补贴5.0227万元。"),
            Some(("50227".into(), false))
        );
        assert_eq!(
            recovered("造成部分房间超过每间300元标准，已全面完成补交超标金额。"),
            None
        );
        assert_eq!(
            recovered("共追回资金合计1,200元，其中个人退回200元。"),
            Some(("1200".into(), false))
        );
        assert_eq!(
            recovered("追回100元和200.5元。"),
            Some(("300.5".into(), true))
        );
    }
}
