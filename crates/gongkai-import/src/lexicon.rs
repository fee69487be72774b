//! The vocabulary of the three usual problem categories, for headings and
//! problems whose wording matches none of the site's category names: a
//! 巡视 bulletin's own problem clusters (`（一）推进整改不主动……`), or
//! problems with no heading at all. The README lists these words.

use gongkai_content::{Category, default_categories};

/// Words that point to each default category, by key. Longer words are
/// surer: a match counts its length in characters.
pub const LEXICON: &[(&str, &[&str])] = &[
    (
        "policy",
        &[
            "政治",
            "理论学习",
            "学习贯彻",
            "决策部署",
            "主体责任",
            "意识形态",
            "路线方针政策",
            "党中央",
            "新发展理念",
            "高质量发展",
            "重大决策",
            "中心工作",
            "职能职责",
            "履职",
            "巡视整改",
            "巡察整改",
            "审计整改",
            "上轮",
            "整改不到位",
            "整改不彻底",
            "推进整改",
            "政策落实",
            "落实不到位",
            "战略",
            "两个维护",
            "四个意识",
            "生态环境",
            "督察",
            "安全生产",
            "营商环境",
            "乡村振兴",
            "防范化解",
        ],
    ),
    (
        "conduct",
        &[
            "腐败",
            "作风",
            "四风",
            "八项规定",
            "不正之风",
            "财务",
            "资金",
            "群众身边",
            "廉洁",
            "廉政",
            "全面从严治党",
            "纪律",
            "违规",
            "违纪",
            "公款",
            "公车",
            "公务用车",
            "公务接待",
            "形式主义",
            "官僚主义",
            "侵害群众利益",
            "吃拿卡要",
            "惠民",
            "补贴",
            "采购",
            "工程",
            "招投标",
            "国有资产",
            "资产",
            "报销",
            "津补贴",
            "经费",
            "收费",
            "监督",
            "利益输送",
            "小金库",
        ],
    ),
    (
        "team",
        &[
            "领导班子",
            "班子",
            "干部队伍",
            "选人用人",
            "基层党组织",
            "党建",
            "组织生活",
            "三会一课",
            "发展党员",
            "党员教育",
            "干部选拔",
            "人才",
            "队伍建设",
            "组织路线",
            "民主集中制",
            "党支部",
            "换届",
            "干部档案",
            "档案",
            "人事",
            "编制",
            "考核",
            "培训",
            "干部管理",
            "党员管理",
            "组织建设",
            "软弱涣散",
        ],
    ),
];

/// A category guessed from wording, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess {
    pub key: String,
    /// The words that decided it, for the report: `含“八项规定”“公车”`.
    pub reason: String,
}

/// The site's category whose vocabulary `text` uses most. Each site
/// category has the vocabulary of the default category it is (by key, or
/// by a name like the default's). `None` when no word of any is there.
pub fn guess(text: &str, categories: &[Category]) -> Option<Guess> {
    let defaults = default_categories();
    let mut best: Option<(usize, &Category, Vec<&str>)> = None;
    for c in categories {
        let Some(words) = vocabulary(c, &defaults) else {
            continue;
        };
        let found: Vec<&str> = words.iter().copied().filter(|w| text.contains(w)).collect();
        let score: usize = found.iter().map(|w| w.chars().count()).sum();
        if score > 0 && best.as_ref().is_none_or(|(b, _, _)| score > *b) {
            best = Some((score, c, found));
        }
    }
    let (_, category, words) = best?;
    let quoted: Vec<String> = words.iter().take(3).map(|w| format!("“{w}”")).collect();
    Some(Guess {
        key: category.key.clone(),
        reason: format!("含{}", quoted.join("")),
    })
}

/// The words of the default category that `c` is.
fn vocabulary(c: &Category, defaults: &[Category]) -> Option<&'static [&'static str]> {
    let default = defaults.iter().find(|d| {
        d.key == c.key || d.name == c.name || (!c.short.is_empty() && d.short == c.short)
    })?;
    LEXICON
        .iter()
        .find(|(key, _)| *key == default.key)
        .map(|(_, words)| *words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Option<String> {
        guess(text, &default_categories()).map(|g| g.key)
    }

    #[test]
    fn clusters_of_inspection_reports_find_their_category() {
        assert_eq!(
            key("（二）落实中央八项规定精神不严格，公车管理不规范").as_deref(),
            Some("conduct")
        );
        assert_eq!(
            key("（三）选人用人不规范，基层党组织建设薄弱").as_deref(),
            Some("team")
        );
        assert_eq!(
            key("（一）学习贯彻党的二十大精神不深入，落实决策部署有差距").as_deref(),
            Some("policy")
        );
        assert_eq!(
            key("（一）推进整改不主动，重点难点问题整改不到位").as_deref(),
            Some("policy")
        );
        assert_eq!(
            key("关于食堂采购资金管理不规范的问题").as_deref(),
            Some("conduct")
        );
        assert_eq!(key("（四）其他方面"), None);
    }

    #[test]
    fn a_site_of_its_own_categories_gets_no_borrowed_words() {
        let own = vec![Category {
            key: "ecology".into(),
            name: "生态环境保护".into(),
            short: "生态".into(),
        }];
        assert_eq!(guess("落实八项规定不严格", &own), None);
        let guess = guess("落实八项规定不严格", &default_categories()).unwrap();
        assert_eq!(guess.reason, "含“八项规定”");
    }
}
