//! A notice laid out as a 公文 (GB/T 9704): the 版头 when it has a 文号,
//! the title, its text with the problems where `<!-- problems -->` puts
//! them, the supervision contacts, and the signature.
//!
//! The problems are written as bulletins write them, and as the importer
//! reads them back: each category a `（一）` heading in the site's words,
//! each problem `1．` and its title, then its fields on lines of their own
//! after the labels the notice page shows (原因分析、整改情况、整改结果、
//! 整改时限、追回（退还）资金).

use super::blocks::{self, Block, Look, Para, Run, Style};
use super::gbt9704::{self, CHAR, Twips, size};
use crate::config::SiteConfig;
use crate::content::{CategoryId, Contact, Notice, Problem};
use crate::model::compile::find_marker;

/// The page's labels of a problem's fields, in the page's order.
pub const CAUSE: &str = "原因分析";
pub const MEASURES: &str = "整改情况";
pub const RESULT: &str = "整改结果";
pub const DEADLINE: &str = "整改时限";
pub const RECOVERED: &str = "追回（退还）资金";

/// The blocks of the document, in order.
pub fn blocks(n: &Notice, config: &SiteConfig) -> Vec<Block> {
    let mut out = Vec::new();
    if let Some(number) = &n.doc_number {
        out.push(org_mark(&n.organization));
        out.push(para(Style::DocNumber, number));
    }
    out.push(para(Style::Title, &n.title));
    let body = n.text.body();
    let (before, after) = match find_marker(body) {
        Some((start, end)) => (&body[..start], &body[end..]),
        None => (body, ""),
    };
    out.extend(blocks::markdown(before));
    out.extend(problems(n, config));
    out.extend(blocks::markdown(after));
    if let Some(c) = config.contact_of(n) {
        out.extend(contact(c));
    }
    out.extend(signature(&n.organization, &n.date.day.chinese()));
    out
}

fn para(style: Style, text: &str) -> Block {
    Block::Para(Para::new(style, vec![Run::plain(text)]))
}

/// The 发文机关标志: the issuing body in red 小标宋, in 一号 when it fits
/// on a line, smaller when a long name would not.
fn org_mark(name: &str) -> Block {
    let width_pt = gbt9704::TYPE_WIDTH_MM / 25.4 * 72.0;
    let chars = name.chars().count().max(1) as f64;
    let fits = (width_pt / chars * 2.0).floor() as u32;
    let look = Look {
        size: Some(fits.clamp(size::SAN_HAO, size::YI_HAO)),
        ..Look::default()
    };
    Block::Para(Para::new(
        Style::OrgMark,
        vec![Run {
            text: name.to_string(),
            look,
        }],
    ))
}

/// The problems, grouped by category in the site's order, as the page
/// groups them.
fn problems(n: &Notice, config: &SiteConfig) -> Vec<Block> {
    let mut categories: Vec<CategoryId> = n.problems.iter().map(|p| p.category).collect();
    categories.sort();
    categories.dedup();
    let mut out = Vec::new();
    for (k, &c) in categories.iter().enumerate() {
        let heading = format!("（{}）{}", han_number(k + 1), config.category(c).name);
        out.push(para(Style::Heading2, &heading));
        for p in n.problems.iter().filter(|p| p.category == c) {
            out.extend(problem(p));
        }
    }
    out
}

fn problem(p: &Problem) -> Vec<Block> {
    let mut out = vec![para(Style::Heading3, &format!("{}．{}", p.number, p.title))];
    for (label, text) in [(CAUSE, &p.cause), (MEASURES, &p.measures)] {
        if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
            out.extend(labelled(label, blocks::markdown(text)));
        }
    }
    let plain = |label: &str, text: &str| labelled(label, vec![para(Style::Body, text)]);
    if let Some(result) = &p.result {
        out.extend(plain(RESULT, result));
    }
    if let Some(deadline) = &p.deadline {
        out.extend(plain(DEADLINE, &deadline.written));
    }
    if let Some(yuan) = &p.recovered {
        out.extend(plain(RECOVERED, &format!("{}元", yuan.written())));
    }
    out
}

/// `原因分析：` before the first paragraph of a field (on a line of its
/// own before a table).
fn labelled(label: &str, mut blocks: Vec<Block>) -> Vec<Block> {
    let label = Run::label(format!("{label}："));
    match blocks.first_mut() {
        Some(Block::Para(first)) => {
            first.style = Style::Body;
            first.runs.insert(0, label);
        }
        _ => blocks.insert(0, Block::Para(Para::new(Style::Body, vec![label]))),
    }
    blocks
}

/// The supervision contacts in one paragraph, as bulletins write them:
/// `欢迎……反映（电话：…；邮政信箱：…；邮政编码：…；电子邮箱：…）。也可……`.
fn contact(c: &Contact) -> Vec<Block> {
    let ways: Vec<String> = [
        ("电话", &c.phone),
        ("邮政信箱", &c.address),
        ("邮政编码", &c.postcode),
        ("电子邮箱", &c.email),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some(format!("{label}：{}", value.as_deref()?.trim())))
    .collect();
    let intro = c
        .intro
        .as_deref()
        .unwrap_or("欢迎广大干部群众进行监督。如有意见建议，请及时向我们反映")
        .trim()
        .trim_end_matches(['。', '：', ':', '，', ',']);
    let mut text = String::new();
    if !ways.is_empty() {
        text = format!("{intro}（{}）。", ways.join("；"));
    }
    if let Some(note) = &c.note {
        text.push_str(note.trim());
    }
    if text.is_empty() {
        return Vec::new();
    }
    vec![para(Style::Body, &text)]
}

/// The 发文机关署名 and the 成文日期 under it (GB/T 9704 §7.3.5.2, for a
/// document without a seal): the name two characters in from the right,
/// the date on the next line starting two characters further right than
/// the name; a line left empty above them.
fn signature(organization: &str, date: &str) -> Vec<Block> {
    let name = Para {
        right_indent: Some(2 * CHAR),
        ..Para::new(Style::Signature, vec![Run::plain(organization)])
    };
    // The name starts at 2 + its width from the right edge; the date two
    // characters after that.
    let date_indent = 2 * CHAR + width(organization) - 2 * CHAR - width(date);
    let date = Para {
        right_indent: Some(date_indent.max(0)),
        ..Para::new(Style::Signature, vec![Run::plain(date)])
    };
    let blank = Para::new(Style::Body, Vec::new());
    vec![Block::Para(blank), Block::Para(name), Block::Para(date)]
}

/// How wide a line of the text is: a Han character or full-width sign is
/// one character, a digit or Latin letter half of one.
fn width(text: &str) -> Twips {
    text.chars()
        .map(|c| if c.is_ascii() { CHAR / 2 } else { CHAR })
        .sum()
}

/// `一` … `九十九`, for the `（一）` of a category heading.
fn han_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "〇".to_string(),
        1..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_numbers_in_chinese() {
        let written: Vec<String> = [1, 3, 10, 12, 20, 47].map(han_number).to_vec();
        assert_eq!(written, ["一", "三", "十", "十二", "二十", "四十七"]);
    }

    #[test]
    fn the_date_starts_two_characters_right_of_the_name() {
        let blocks = signature("潮州市湘桥区政协机关", "2021年11月26日");
        let [_, Block::Para(name), Block::Para(date)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        let left_of = |p: &Para| p.right_indent.unwrap_or(0) + width(&p.text());
        assert_eq!(left_of(name) - left_of(date), 2 * CHAR);
        assert_eq!(name.right_indent, Some(2 * CHAR));
    }

    #[test]
    fn contacts_in_one_paragraph() {
        let c = Contact {
            intro: Some("欢迎监督。如有意见建议，请及时向我们反映。".into()),
            phone: Some("0768-2100022".into()),
            postcode: Some("521000".into()),
            note: Some("也可径向区委巡察办反映。".into()),
            ..Contact::default()
        };
        let blocks = contact(&c);
        let [Block::Para(p)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert_eq!(
            p.text(),
            "欢迎监督。如有意见建议，请及时向我们反映（电话：0768-2100022；邮政编码：521000）。也可径向区委巡察办反映。"
        );
    }
}
