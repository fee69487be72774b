//! Facts inside prose: the supervision contacts, and money recovered.

use std::sync::LazyLock;

use regex::Regex;

use gongkai_content::money::format_fen;
use gongkai_content::{Contact, Yuan};

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContactField {
    Phone,
    Address,
    Postcode,
    Email,
}

/// A contact's label: `电话：`, `监督邮箱:`, and `电话` without a colon
/// when a number follows it (`联系方式：电话 0931-1234567`).
static CONTACT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)((?:监督|举报|联系|咨询|投诉|受理|来信)?(?:电话|邮箱|信箱)|邮政信箱|通讯地址|通信地址|来信地址|邮寄地址|地址|邮政编码|邮编|电子邮箱|电子信箱|电子邮件|e-?mail)\s*(?P<colon>[：:])?\s*",
    )
});
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^[0-9０-９][0-9０-９\-－— ]*[0-9０-９](?:转[0-9]+)?(?:[、/][0-9][0-9\-－ ]*[0-9])*")
});
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"));
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| regex(r"^\d{6}"));

/// The field a label names; a `信箱` whose value is an e-mail address
/// (`监督信箱：jw@163.com`) is the e-mail.
fn field_of(label: &str, value: &str) -> ContactField {
    match label {
        l if l.contains("电话") => ContactField::Phone,
        l if l.contains("编") => ContactField::Postcode,
        l if l.contains("电子") || l.contains("邮箱") || l.to_lowercase().contains("mail") => {
            ContactField::Email
        }
        _ if EMAIL.is_match(value) => ContactField::Email,
        _ => ContactField::Address,
    }
}

/// A contact in a paragraph: where its label starts, where its value
/// starts, the field, and the value's length.
struct ContactAt {
    start: usize,
    value_at: usize,
    field: ContactField,
    len: usize,
}

/// The contacts of `text`: each label with a value of its field's shape.
/// A label without a colon counts only before a phone number or an e-mail
/// address: `电话` in a sentence is a word.
fn contacts_in(text: &str) -> impl Iterator<Item = ContactAt> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let m = CONTACT_LABEL.captures_at(text, at)?;
            let (whole, label) = (m.get(0)?, m.get(1)?);
            at = label.end();
            let rest = &text[whole.end()..];
            let field = field_of(label.as_str(), rest);
            let len = match field {
                ContactField::Phone => PHONE.find(rest).map_or(0, |v| v.end()),
                ContactField::Email => EMAIL.find(rest).map_or(0, |v| v.end()),
                ContactField::Postcode => POSTCODE.find(rest).map_or(0, |v| v.end()),
                ContactField::Address => address_len(rest),
            };
            let colon = m.name("colon").is_some();
            let unlabelled_ok = matches!(field, ContactField::Phone | ContactField::Email);
            if colon || (unlabelled_ok && len > 0) {
                return Some(ContactAt {
                    start: whole.start(),
                    value_at: whole.end(),
                    field,
                    len,
                });
            }
        }
    })
}

/// Whether a paragraph gives supervision contacts.
pub fn has_contact(text: &str) -> bool {
    contacts_in(text).next().is_some()
}

/// Where the contacts of `text` begin, with the invitation before them
/// (`欢迎……监督。如有意见，请向我们反映。`), when other sentences come
/// before: those are the body's, not the contacts' (`……不负责答复。巡察
/// 期间，设立监督电话：……`).
pub fn contact_sentence_start(text: &str) -> Option<usize> {
    const ENDS: [char; 3] = ['。', '！', '？'];
    let mut cut = contacts_in(text).next()?.start;
    loop {
        // The sentence that ends just before `cut`.
        let end = text[..cut].rfind(ENDS)? + '。'.len_utf8();
        let start = text[..end - '。'.len_utf8()]
            .rfind(ENDS)
            .map_or(0, |i| i + '。'.len_utf8());
        let sentence = &text[start..end];
        if !["欢迎", "监督", "反映"]
            .iter()
            .any(|w| sentence.contains(w))
        {
            return Some(end);
        }
        if start == 0 {
            return None;
        }
        cut = start;
    }
}

/// The contacts of a supervision paragraph: `欢迎……反映（电话：0768-2100022；
/// 邮政信箱：……、邮政编码：521000；电子邮箱：……）。也可……`. The words
/// before the contacts become `intro`, the words after them `note`.
pub fn contact(text: &str) -> Contact {
    let mut c = Contact::default();
    let mut span: Option<(usize, usize)> = None;
    for found in contacts_in(text) {
        // A word inside the last value (`邮箱` in `jw.email@…`) is its.
        if span.is_some_and(|(_, end)| found.start < end) {
            continue;
        }
        // Contacts are written together: a label far after the last one
        // (another body's address in the note) is not ours.
        if let Some((_, end)) = span
            && text[end..found.start]
                .chars()
                .any(|c| !"（）()；;、，, \n\u{3000}".contains(c))
        {
            break;
        }
        let slot = match found.field {
            ContactField::Phone => &mut c.phone,
            ContactField::Address => &mut c.address,
            ContactField::Postcode => &mut c.postcode,
            ContactField::Email => &mut c.email,
        };
        if slot.is_some() || found.len == 0 {
            break;
        }
        let end = found.value_at + found.len;
        *slot = Some(text[found.value_at..end].trim().to_string());
        span = Some((span.map_or(found.start, |(s, _)| s), end));
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
    let mut intro = introduction(&text[..start]).to_string();
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

/// The words before the contacts, without the colon or the heading
/// (`联系方式：`, `举报方式如下：`) that only announces them.
fn introduction(before: &str) -> &str {
    let mut intro = before.trim();
    loop {
        let shorter = intro
            .trim_end_matches(['：', ':', '，', ',', ' ', '\u{3000}'])
            .trim_end_matches("如下");
        let shorter = ["联系方式", "监督方式", "举报方式", "反映方式"]
            .iter()
            .find_map(|w| shorter.strip_suffix(w))
            .unwrap_or(shorter);
        if shorter.len() == intro.len() {
            return intro;
        }
        intro = shorter;
    }
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

/// The amount a labelled line states (`追回（退还）资金：7230.3元`, after
/// its label): `7230.3元`, `5.0227万元`, `1,500元`, or a bare number.
/// Returns it in yuan as `recovered_yuan` writes it.
pub fn amount(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches(['。', '；', ';']).trim();
    if let Some(c) = AMOUNT.captures(text) {
        return amount_fen(&c).map(format_fen);
    }
    Yuan::parse(text).ok().map(|y| format_fen(y.fen()))
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

    #[test]
    fn amounts_after_their_label() {
        assert_eq!(amount("7230.3元").as_deref(), Some("7230.3"));
        assert_eq!(amount("人民币5.0227万元。").as_deref(), Some("50227"));
        assert_eq!(amount("1,500").as_deref(), Some("1500"));
        assert_eq!(amount("若干"), None);
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
    fn labels_with_a_word_before_them_and_without_a_colon() {
        let c = contact(
            "欢迎广大干部群众进行监督。如有意见建议，请及时向我们反映。监督电话：0931-1234567，监督邮箱：czj@163.com。",
        );
        assert_eq!(c.phone.as_deref(), Some("0931-1234567"));
        assert_eq!(c.email.as_deref(), Some("czj@163.com"));
        assert_eq!(c.note, None);
        let c = contact(
            "欢迎进行监督。监督电话0931-1234567；来信地址：某县某路1号；邮政编码：730000。",
        );
        assert_eq!(c.phone.as_deref(), Some("0931-1234567"));
        assert_eq!(c.address.as_deref(), Some("某县某路1号"));
        assert_eq!(c.postcode.as_deref(), Some("730000"));
        assert_eq!(c.intro.as_deref(), Some("欢迎进行监督。"));
        let c = contact(
            "如有意见建议，请通过以下方式反映：联系方式:电话 0931-1234567；邮箱：czj@163.com。",
        );
        assert_eq!(c.phone.as_deref(), Some("0931-1234567"));
        assert_eq!(
            c.intro.as_deref(),
            Some("如有意见建议，请通过以下方式反映。")
        );
        // A label inside a value belongs to the value.
        let c = contact("来信地址：某县幸福路1号（电话：0931-1）");
        assert_eq!(c.address.as_deref(), Some("某县幸福路1号（电话：0931-1）"));
        assert_eq!(c.phone, None);
        let c = contact("监督信箱：jw@163.com");
        assert_eq!(c.email.as_deref(), Some("jw@163.com"));
        // `电话` in a sentence, without a number after it, is a word.
        assert!(!has_contact("局党组通过打电话、发短信等方式提醒干部。"));
        assert!(has_contact("举报电话 12388"));
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
