//! The report of an import, for the person who imports: what was
//! recognised in a file, what continues the site's round, and where to
//! check.

use std::fmt;
use std::path::{Path, PathBuf};

use gongkai_import::Format;
use gongkai_import::draft::{Draft, OrgSource};

use super::county_report::CountyReport;
use super::series;
use crate::content::{Category, Day, Inspection, State, Status, Yuan, money};
use crate::text;

/// What was recognised, for the person who imports.
#[derive(Debug, Clone)]
pub struct Report {
    pub source: PathBuf,
    pub format: Format,
    pub title: Option<String>,
    pub organization: Option<(String, &'static str)>,
    pub date: (Day, bool),
    pub inspection: Option<Inspection>,
    /// Per site category: key, name, problems.
    pub categories: Vec<(String, String, usize)>,
    pub problems: usize,
    pub states: Vec<(State, usize)>,
    pub immediate: usize,
    pub long_term: usize,
    /// Problem number and yuan.
    pub amounts: Vec<(u32, String)>,
    pub total_yuan: Option<String>,
    pub contact: Vec<&'static str>,
    pub artifacts: usize,
    /// (line, message); `line_word` says whether lines or paragraphs.
    pub notes: Vec<(usize, String)>,
    pub line_word: &'static str,
    /// Its unit, county round, 索引号 and 成文日期.
    pub county: CountyReport,
    /// How the problems continue those of the round, when the site has
    /// earlier notices of it.
    pub series: Option<series::Continuation>,
    /// Lines of web page chrome taken out of the text.
    pub chrome: Vec<(usize, String)>,
    /// Problems placed in a category by wording: number, key, why.
    pub guessed: Vec<(u32, String, String)>,
}

impl Report {
    pub(super) fn new(
        draft: &Draft,
        categories: &[Category],
        format: Format,
        source: &Path,
        date: Day,
    ) -> Report {
        let mut categories: Vec<(String, String, usize)> = categories
            .iter()
            .map(|c| (c.key.clone(), c.name.clone(), 0))
            .collect();
        let mut states: Vec<(State, usize)> = State::ALL.iter().map(|s| (*s, 0)).collect();
        let (mut immediate, mut long_term, mut fen) = (0, 0, 0i64);
        let mut amounts = Vec::new();
        for (_, p) in draft.problems() {
            if let Some(c) = categories
                .iter_mut()
                .find(|c| p.placement.as_ref().is_some_and(|pl| pl.key == c.0))
            {
                c.2 += 1;
            }
            {
                let phrase = p
                    .status
                    .as_ref()
                    .map(|s| s.value.as_str())
                    .or(p.result.as_deref());
                if let Some(status) = phrase.and_then(|t| Status::parse(t).ok()) {
                    if let Some(s) = states.iter_mut().find(|s| s.0 == status.state) {
                        s.1 += 1;
                    }
                    immediate += usize::from(status.immediate);
                    long_term += usize::from(status.long_term);
                }
                if let Some(y) = &p.recovered_yuan {
                    fen += Yuan::parse(y).map_or(0, |y| y.fen());
                    amounts.push((p.number, y.clone()));
                }
            }
        }
        let org_source = |s: OrgSource| match s {
            OrgSource::Signature => "落款",
            OrgSource::Header => "标题上方",
            OrgSource::Title => "标题",
            OrgSource::Page => "网页的发布机构或来源",
            OrgSource::Opening => "开头写的被巡察单位",
        };
        let inspection = draft.inspection.clone();
        let contact = draft.contact.as_ref().map_or_else(Vec::new, |c| {
            [
                (c.phone.is_some(), "电话"),
                (c.address.is_some(), "邮政信箱/地址"),
                (c.postcode.is_some(), "邮政编码"),
                (c.email.is_some(), "电子邮箱"),
            ]
            .into_iter()
            .filter_map(|(has, name)| has.then_some(name))
            .collect()
        });
        Report {
            source: source.to_path_buf(),
            format,
            title: draft.title.as_ref().map(|t| t.value.clone()),
            organization: draft
                .organization
                .as_ref()
                .map(|(o, s)| (o.value.clone(), org_source(*s))),
            date: (date, draft.date.is_some()),
            inspection,
            categories,
            problems: draft.problems().count(),
            states,
            immediate,
            long_term,
            total_yuan: (!amounts.is_empty()).then(|| money::format_fen(fen)),
            amounts,
            contact,
            artifacts: draft.artifacts,
            notes: draft
                .notes
                .iter()
                .map(|n| (n.no, n.value.clone()))
                .collect(),
            line_word: format.unit(),
            county: CountyReport {
                written: draft.written.as_ref().map(|w| w.value),
                stated_index_number: draft.index_number.clone(),
                ..CountyReport::default()
            },
            series: None,
            chrome: Vec::new(),
            guessed: draft
                .problems()
                .filter_map(|(_, p)| {
                    let placed = p.placement.as_ref()?;
                    Some((p.number, placed.key.clone(), placed.guessed.clone()?))
                })
                .collect(),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "原文：{}（{}）", self.source.display(), self.format)?;
        writeln!(
            f,
            "  标题：{}",
            self.title.as_deref().unwrap_or("（未识别）")
        )?;
        match &self.organization {
            Some((org, from)) => writeln!(f, "  发布单位：{org}（取自{from}）")?,
            None => writeln!(f, "  发布单位：（未识别）")?,
        }
        let (date, found) = self.date;
        writeln!(
            f,
            "  发布日期：{}{}",
            date.iso(),
            if found {
                ""
            } else {
                "（未识别，暂用今天）"
            }
        )?;
        write!(f, "{}", self.county)?;
        if let Some(i) = &self.inspection {
            let day = |d: Option<Day>| d.map_or_else(|| "（未识别）".to_string(), Day::iso);
            write!(
                f,
                "  {}：{}，{} 至 {}",
                i.kind.label(),
                i.group.as_deref().unwrap_or("（未识别巡察组）"),
                day(i.start),
                day(i.end)
            )?;
            if let Some(feedback) = i.feedback {
                write!(f, "，{} 反馈", feedback.iso())?;
            }
            writeln!(f)?;
        }
        writeln!(f, "  问题：{} 个", self.problems)?;
        for (key, name, n) in &self.categories {
            writeln!(f, "    {key}（{name}）：{n} 个")?;
        }
        let states: Vec<String> = self
            .states
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{} {n}", s.label()))
            .collect();
        if !states.is_empty() {
            writeln!(
                f,
                "  整改状态：{}；其中立行立改 {}，长期推进 {}",
                states.join("，"),
                self.immediate,
                self.long_term
            )?;
        }
        if let Some(total) = &self.total_yuan {
            let each: Vec<String> = self
                .amounts
                .iter()
                .map(|(n, y)| format!("第{n}项 {y} 元"))
                .collect();
            writeln!(f, "  追回金额：{}，合计 {total} 元", each.join("，"))?;
        }
        if !self.contact.is_empty() {
            writeln!(f, "  监督方式：{}", self.contact.join("、"))?;
        }
        if self.artifacts > 0 {
            writeln!(f, "  已删除 Word 残留标记 {} 处", self.artifacts)?;
        }
        if !self.chrome.is_empty() {
            writeln!(
                f,
                "  已删除网页上的导航、来源、字号、分享等 {} 行（没有放进通报）：",
                self.chrome.len()
            )?;
            for (no, text) in &self.chrome {
                // As written, spaces and all (`索 引 号`), unless too long.
                let shown = if text.chars().count() <= 60 {
                    text.clone()
                } else {
                    text::summarize(text, 40)
                };
                writeln!(f, "    第 {no} {}：{shown}", self.line_word)?;
            }
        }
        // A bulletin without problems has none to match.
        if let Some(s) = self.series.as_ref().filter(|s| !s.matches.is_empty()) {
            writeln!(
                f,
                "  同一轮巡察在站点里已有 {} 篇通报，问题对应如下（已写入 follows 或注释，请核对）：",
                s.notices
            )?;
            for (number, m) in &s.matches {
                let said = match m {
                    series::Match::Number(e) => format!("{}（编号相同）", e.describe()),
                    series::Match::Wording(e) => format!("{}（按内容对应）", e.describe()),
                    series::Match::New => "新问题，前面的通报里没有".into(),
                };
                writeln!(f, "    第{number}项 → {said}")?;
            }
        }
        if self.notes.is_empty() {
            writeln!(f, "没有需要特别核对的地方，但发布前仍请通读一遍。")?;
        } else {
            writeln!(f, "需要核对的地方（{} 处）：", self.notes.len())?;
            for (no, message) in &self.notes {
                writeln!(f, "  第 {no} {}：{message}", self.line_word)?;
            }
        }
        Ok(())
    }
}
