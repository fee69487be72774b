//! The name of a county's inspection round, as bulletins and `site.yaml`
//! write it: `十四届县委第六轮巡察`, `县委2024年第一轮巡察`, `第六轮巡察`.
//!
//! A bulletin names its round in the opening (`根据十四届县委第六轮巡察工作
//! 安排`, `十三届县委组织开展了第二轮巡察`). A site's rounds are matched by
//! what their names say, not by likeness: the round's number and kind, and
//! the committee's term (届) and the year where both names give them.

use std::sync::LazyLock;

use regex::Regex;

use super::numerals;
use gongkai_content::InspectionKind;

/// A round's name, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundName {
    /// As written, from the term to the kind: `十四届县委第六轮巡察`.
    pub text: String,
    /// 十四届: the committee's term.
    pub term: Option<u32>,
    /// `2024年第一轮`: the year the round is numbered in.
    pub year: Option<i16>,
    /// 第六轮
    pub number: u32,
    pub kind: InspectionKind,
}

static ROUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"第\s*([一二三四五六七八九十百\d]+)\s*轮\p{Han}{0,4}?(巡察|巡视)")
        .unwrap_or_else(|e| panic!("round pattern: {e}"))
});
static TERM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([一二三四五六七八九十百\d]+)\s*届")
        .unwrap_or_else(|e| panic!("term pattern: {e}"))
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*年度?\s*$").unwrap_or_else(|e| panic!("year pattern: {e}"))
});

/// How far before `第…轮` the term may be written, in characters.
const TERM_REACH: usize = 16;

impl RoundName {
    /// The first round named in `text`.
    pub fn find(text: &str) -> Option<RoundName> {
        let m = ROUND.captures(text)?;
        let (whole, number) = (m.get(0)?, m.get(1)?);
        let number = number
            .as_str()
            .parse()
            .ok()
            .or_else(|| numerals::parse(number.as_str()))?;
        let kind = if &m[2] == "巡视" {
            InspectionKind::Xunshi
        } else {
            InspectionKind::Xuncha
        };
        // The clause before it: back to the punctuation, and not far.
        let before = &text[..whole.start()];
        let clause_start = before
            .char_indices()
            .rev()
            .take(TERM_REACH)
            .take_while(|(_, c)| !"，。；、：:,;（(）)“”\n".contains(*c))
            .last()
            .map_or(whole.start(), |(i, _)| i);
        let clause = &text[clause_start..whole.start()];
        let term = TERM.captures_iter(clause).last();
        let year = YEAR.captures(clause);
        let from = [term.as_ref(), year.as_ref()]
            .into_iter()
            .flatten()
            .filter_map(|c| c.get(0))
            .map(|c| clause_start + c.start())
            .min()
            .unwrap_or(whole.start());
        let year = year.and_then(|c| c.get(1)?.as_str().parse().ok());
        Some(RoundName {
            text: text[from..whole.end()].to_string(),
            term: term.and_then(|t| {
                let n = t.get(1)?.as_str();
                n.parse().ok().or_else(|| numerals::parse(n))
            }),
            year,
            number,
            kind,
        })
    }

    /// Whether `self` (as a bulletin names it) can be the round `name`:
    /// the same number and kind, and the same term and year where both
    /// say them.
    pub fn fits(&self, name: &RoundName) -> bool {
        let agree = |a: Option<i64>, b: Option<i64>| a.is_none() || b.is_none() || a == b;
        self.number == name.number
            && self.kind == name.kind
            && agree(self.term.map(i64::from), name.term.map(i64::from))
            && agree(self.year.map(i64::from), name.year.map(i64::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Option<(String, Option<u32>, Option<i16>, u32)> {
        RoundName::find(text).map(|r| (r.text, r.term, r.year, r.number))
    }

    #[test]
    fn rounds_as_openings_name_them() {
        assert_eq!(
            parts("根据十四届县委第六轮巡察工作安排，县委第二巡察组于2024年3月4日进驻。"),
            Some(("十四届县委第六轮巡察".into(), Some(14), None, 6))
        );
        // https://pejw.pes.gov.cn/html/jcx_xcgz/content/2022062385508.html
        assert_eq!(
            parts("2022年3月7日至2022年4月29日,十三届县委组织开展了第二轮巡察,县委派出3个巡察组"),
            Some(("十三届县委组织开展了第二轮巡察".into(), Some(13), None, 2))
        );
        assert_eq!(
            parts("按照县委2024年第一轮巡察工作部署"),
            Some(("2024年第一轮巡察".into(), None, Some(2024), 1))
        );
        assert_eq!(
            parts("十四届县委第十二轮常规巡察"),
            Some(("十四届县委第十二轮常规巡察".into(), Some(14), None, 12))
        );
        assert_eq!(parts("县委第二巡察组对县文旅局党组开展了常规巡察"), None);
        assert_eq!(parts("第二轮第三批省级生态环境保护督察"), None);
    }

    #[test]
    fn a_round_fits_a_name_where_both_say_the_same() {
        let site = RoundName::find("十四届县委第六轮巡察").unwrap();
        assert!(RoundName::find("县委第六轮巡察").unwrap().fits(&site));
        assert!(RoundName::find("十四届县委第六轮巡察").unwrap().fits(&site));
        assert!(!RoundName::find("十三届县委第六轮巡察").unwrap().fits(&site));
        assert!(!RoundName::find("十四届县委第五轮巡察").unwrap().fits(&site));
        assert!(!RoundName::find("十四届省委第六轮巡视").unwrap().fits(&site));
    }
}
