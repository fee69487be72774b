//! 严重错误: known serious misspellings of state, Party and organisation
//! names, found in one pass of one automaton over every text a page shows.
//!
//! The government-website spot checks (国办秘函〔2019〕19号, 单项否决:
//! 出现严重表述错误) fail a site for a misspelt state or organisation name;
//! the 2015 census failed a site for more than three. Inspectors and the
//! commercial monitoring services search for the same published cases, so
//! the built-in list holds those, and each site adds its own (`check.typos`
//! in `site.yaml`: a leader's or the unit's name written wrong).
//!
//! Matching is exact. A phrase that a soft line break splits
//! (`中华人民共\n合国`) is shown joined, so it is found too.

use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::Notice;
use crate::diagnostic::{Code, Diagnostic};

/// The built-in list: the wrong form, the right one, and where it was seen
/// (or, for the forms of the same names not yet reported, why it is here).
///
/// Sources of the published cases:
/// - 澎湃新闻, "各地政府网站抽查通报披露严重错别字" (2019-02-26), as carried
///   by 香港01 (zh.hk01.com/即时中国/299865) and 中央社 (cna.com.tw,
///   2019-02-28): 攻府 (铜川市商务局), 中华人民共合国 (广西 2018 年第三季度
///   通报), 中共人民共和国 (重庆市永川区 2018 年报), 中华人民大和国 (甘肃
///   景泰县上沙沃镇 2015 年报), 领导小姐; the 2015 census counted national
///   names, state bodies and leaders' names as 严重错别字, failing a site at
///   more than three.
/// - 长江日报, "“扫黑除恶”错成“扫黑险恶”，上百家政府网站现相同错误"
///   (2019-06-06, via news.sina.com.tw): on more than a hundred government
///   sites, 检察院、法院和纪委监委 sites among them.
/// - 新京报 (2014-09-03, via news.qingdaonews.com): 检查院 for 检察院 on a
///   joint notice of 榆林 courts, procuratorate and police.
/// - 明报 (2019-02-28) and 看中国 (2019-02-28): 祖国万死, 精液奉献; 人民日报
///   (2010-12-30) 温家室; 人民日报 (2016-04-23) 新加坡总书记.
///
/// The rest are the same names' forms that no correct text contains,
/// a stroke or a homophone away from the right one (五笔 and 拼音 typing
/// slips, as 扫黑险恶 was): the Party's name, the Thought's name, the names
/// of the 纪委 and 监委.
const BUILT_IN: &[(&str, &str, &str)] = &[
    // The state.
    (
        "中华人民共合国",
        "中华人民共和国",
        "2018 年广西政府网站抽查通报",
    ),
    (
        "中共人民共和国",
        "中华人民共和国",
        "2018 年重庆市永川区政府网站",
    ),
    (
        "中华人民大和国",
        "中华人民共和国",
        "2015 年甘肃景泰县上沙沃镇年报",
    ),
    ("攻府", "政府", "2019 年陕西铜川市政府网站抽查通报"),
    ("祖国万死", "祖国万岁", "2019 年明报报道的政府网站错例"),
    // The Party.
    ("中国共产常", "中国共产党", "党名的形近错字"),
    ("中国共产觉", "中国共产党", "党名的形近错字"),
    ("中国共产当", "中国共产党", "党名的同音错字"),
    ("中国共惨党", "中国共产党", "党名的同音错字"),
    ("新加坡总书记", "习近平总书记", "2016 年人民日报通稿"),
    ("习进平总书记", "习近平总书记", "领导人姓名的同音错字"),
    ("习进平同志", "习近平同志", "领导人姓名的同音错字"),
    ("习进平新时代", "习近平新时代", "领导人姓名的同音错字"),
    ("温家室", "温家宝", "2010 年人民日报"),
    // The Thought and the Party's line.
    (
        "习近平新时期中国特色社会主义思想",
        "习近平新时代中国特色社会主义思想",
        "思想名称的错误表述",
    ),
    ("特色社会主意", "特色社会主义", "“主义”的同音错字"),
    ("特色社会注意", "特色社会主义", "“主义”的同音错字"),
    (
        "扫黑险恶",
        "扫黑除恶",
        "2019 年上百家政府网站，含纪委监委网站",
    ),
    ("领导小姐", "领导小组", "2019 年中央社报道的政府网站错例"),
    ("精液奉献", "敬业奉献", "2019 年看中国报道的政府网站错例"),
    // State bodies, the 纪委 and the 监委.
    ("人民检查院", "人民检察院", "2014 年陕西榆林公检法联合通告"),
    (
        "纪律检察委员会",
        "纪律检查委员会",
        "纪委名称：纪律检查（查）",
    ),
    ("纪检监查", "纪检监察", "监委名称：监察（察）"),
    ("监查委员会", "监察委员会", "监委名称：监察（察）"),
    ("国家监查委", "国家监察委", "监委名称：监察（察）"),
    ("国物院", "国务院", "国家机构名称的同音错字"),
];

/// Where a typo of the list comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in list, with where the case was seen.
    BuiltIn(&'static str),
    /// `check.typos` of `site.yaml`.
    Site,
}

/// One serious typo: its wrong form and its right one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typo {
    pub wrong: String,
    pub right: String,
    pub origin: Origin,
}

/// A typo found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Byte offset and byte length of the wrong form as written (across a
    /// line break, if one splits it).
    pub offset: usize,
    pub len: usize,
    /// Which typo of the list.
    pub typo: usize,
}

/// Every typo of the built-in list and the site's, as one automaton.
pub struct Typos {
    list: Vec<Typo>,
    automaton: AhoCorasick,
    /// The longest wrong form, in characters: how far to look on each side
    /// of a line break.
    longest: usize,
}

impl Typos {
    /// The built-in list, with the site's own typos (which win over a
    /// built-in one of the same wrong form).
    pub fn new(config: &SiteConfig) -> Result<Typos, Diagnostic> {
        let mut list: Vec<Typo> = Vec::new();
        for (wrong, right) in &config.check.typos {
            if !wrong.trim().is_empty() {
                list.push(Typo {
                    wrong: wrong.clone(),
                    right: right.clone(),
                    origin: Origin::Site,
                });
            }
        }
        for (wrong, right, case) in BUILT_IN {
            if !list.iter().any(|t| t.wrong == *wrong) {
                list.push(Typo {
                    wrong: (*wrong).to_string(),
                    right: (*right).to_string(),
                    origin: Origin::BuiltIn(case),
                });
            }
        }
        // A DFA while it is small (the built-in list makes one of a few
        // thousand states); beyond that the automaton chooses.
        let kind = (list.len() <= 500).then_some(AhoCorasickKind::DFA);
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(kind)
            .build(list.iter().map(|t| t.wrong.as_str()))
            .map_err(|e| {
                Diagnostic::error(
                    Code::Config,
                    crate::folders::CONFIG_FILE,
                    format!("check.typos 的错别字表太大，无法检查：{e}"),
                )
                .help("把 check.typos 减到几百条以内。")
            })?;
        let longest = list
            .iter()
            .map(|t| t.wrong.chars().count())
            .max()
            .unwrap_or(0);
        Ok(Typos {
            list,
            automaton,
            longest,
        })
    }

    /// The typo at `i` of the list.
    pub fn typo(&self, i: usize) -> &Typo {
        &self.list[i]
    }

    /// Every typo in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut found: Vec<Found> = self
            .automaton
            .find_iter(text)
            .map(|m| Found {
                offset: m.start(),
                len: m.len(),
                typo: m.pattern().as_usize(),
            })
            .collect();
        if self.longest > 1 {
            found.extend(self.across_line_breaks(text));
            found.sort_by_key(|f| f.offset);
        }
        found
    }

    /// Typos split by a soft line break between two Han characters, which
    /// Markdown shows joined: the ends of the two lines are searched as one.
    fn across_line_breaks(&self, text: &str) -> Vec<Found> {
        let mut found = Vec::new();
        let mut window = String::new();
        let reach = self.longest - 1;
        for (newline, _) in text.match_indices('\n') {
            let line_end = match text[..newline].strip_suffix('\r') {
                Some(before) => before.len(),
                None => newline,
            };
            let after = &text[newline + 1..];
            let indent = after.len() - after.trim_start_matches([' ', '\t']).len();
            let next_start = newline + 1 + indent;
            let (Some(last), Some(next)) = (
                text[..line_end].chars().next_back(),
                text[next_start..].chars().next(),
            ) else {
                continue;
            };
            if last.is_ascii() || next.is_ascii() {
                continue;
            }
            let before_start = text[..line_end]
                .char_indices()
                .rev()
                .nth(reach - 1)
                .map_or(0, |(i, _)| i);
            let after_end = text[next_start..]
                .char_indices()
                .nth(reach)
                .map_or(text.len(), |(i, _)| next_start + i);
            window.clear();
            window.push_str(&text[before_start..line_end]);
            let joint = window.len();
            window.push_str(&text[next_start..after_end]);
            for m in self.automaton.find_iter(&window) {
                if m.start() < joint && m.end() > joint {
                    found.push(Found {
                        offset: before_start + m.start(),
                        len: next_start + (m.end() - joint) - (before_start + m.start()),
                        typo: m.pattern().as_usize(),
                    });
                }
            }
        }
        found
    }

    /// The diagnostic for a typo found at `found` in the file `file`, whose
    /// text is `text`.
    pub fn diagnostic(&self, file: &Path, text: &str, found: Found) -> Diagnostic {
        let offset = found.offset;
        self.unplaced(file, text, found).at_offset(text, offset)
    }

    /// [`Typos::diagnostic`] for a notice: placed with the notice's line
    /// index, as a notice may have thousands of them.
    fn in_notice(&self, n: &Notice, found: Found) -> Diagnostic {
        let lines = n.text.lines();
        let (line, column) = lines.line_col(found.offset);
        self.unplaced(&n.source, &n.text.text, found)
            .at(line, column)
            .with_source_in(&lines)
    }

    /// The diagnostic without its place.
    fn unplaced(&self, file: &Path, text: &str, found: Found) -> Diagnostic {
        let typo = self.typo(found.typo);
        let written = &text[found.offset..found.offset + found.len];
        let help = match &typo.origin {
            Origin::BuiltIn(case) => format!(
                "国名、党和国家机构名称、领导人姓名和重要提法写错，政府网站检查即判为“严重表述错误”（单项否决）。同类错误见于：{case}。"
            ),
            Origin::Site => "这是 site.yaml 的 check.typos 列出的错误写法。".to_string(),
        };
        Diagnostic::error(
            Code::SeriousTypo,
            file,
            format!("严重错误：“{}”应为“{}”", typo.wrong, typo.right),
        )
        .width(written.chars().filter(|c| !c.is_whitespace()).count())
        .help(help)
    }

    /// Every typo in every notice, each at its line and column.
    pub fn in_notices(&self, notices: &[std::sync::Arc<Notice>]) -> Vec<Diagnostic> {
        notices
            .par_iter()
            .flat_map_iter(|n| {
                self.find(&n.text.text)
                    .into_iter()
                    .map(move |f| self.in_notice(n, f))
            })
            .collect()
    }
}

/// The lines of `site.yaml` that a page never shows: the `check:` section,
/// where the site's own list spells each typo out.
pub fn check_section(text: &str) -> std::ops::Range<usize> {
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let top_level = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#');
        match start {
            None if line.starts_with("check:") => start = Some(offset),
            Some(s) if top_level => return s..offset,
            _ => {}
        }
        offset += line.len();
    }
    start.map_or(0..0, |s| s..text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typos() -> Typos {
        let mut config = SiteConfig::parse("title: t\n", Path::new("site.yaml")).unwrap();
        config
            .check
            .typos
            .insert("某某县文旅居".into(), "某某县文旅局".into());
        Typos::new(&config).unwrap()
    }

    fn wrong(t: &Typos, text: &str) -> Vec<(usize, String)> {
        t.find(text)
            .into_iter()
            .map(|f| (f.offset, t.typo(f.typo).wrong.clone()))
            .collect()
    }

    #[test]
    fn built_in_and_site_typos_are_found_where_they_are() {
        let t = typos();
        let text = "根据《中华人民共合国监察法》，某某县文旅居扫黑险恶。";
        assert_eq!(
            wrong(&t, text),
            [
                (text.find("中华").unwrap(), "中华人民共合国".into()),
                (text.find("某某").unwrap(), "某某县文旅居".into()),
                (text.find("扫黑").unwrap(), "扫黑险恶".into()),
            ]
        );
        assert!(
            t.find("中华人民共和国政府扫黑除恶，纪律检查委员会。")
                .is_empty()
        );
    }

    #[test]
    fn a_typo_split_by_a_line_break_is_found_across_it() {
        let t = typos();
        let text = "    measures: |\n      依照中华人民\n      共合国宪法。\r\n";
        let found = t.find(text);
        assert_eq!(found.len(), 1);
        let f = found[0];
        assert_eq!(&text[f.offset..f.offset + f.len], "中华人民\n      共合国");
        // Not across a paragraph, nor after ASCII.
        assert!(t.find("中华人民\n\n共合国").is_empty());
        assert!(t.find("中华人民a\n共合国").is_empty());
    }

    #[test]
    fn the_check_section_is_left_out() {
        let text = "title: a\ncheck:\n  typos:\n    攻府: 政府\n# x\nfooter:\n  note: b\n";
        let r = check_section(text);
        assert_eq!(&text[r], "check:\n  typos:\n    攻府: 政府\n# x\n");
        assert_eq!(check_section("title: a\n"), 0..0);
        let last = "title: a\ncheck:\n  stale_after: 1年\n";
        assert_eq!(&last[check_section(last)], "check:\n  stale_after: 1年\n");
    }
}
