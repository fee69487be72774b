//! One problem, from the pieces the recogniser collected under its number
//! to the fields of the content model.

use super::classify::Field;
use super::draft::{DraftProblem, ExplicitStatus, Found};
use super::facts;
use super::markdown;
use std::sync::LazyLock;

use regex::Regex;

use gongkai_content::{Deadline, Status};

/// Results longer than this are prose, not a phrase.
const PHRASE_CHARS: usize = 40;

/// A paragraph collected for a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub table: bool,
    pub no: usize,
}

impl Piece {
    fn markdown(&self) -> String {
        if self.table {
            self.text.clone()
        } else {
            markdown::escape(&self.text)
        }
    }
}

/// A labelled field as written: the label, and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub field: Field,
    pub word: String,
    pub pieces: Vec<Piece>,
}

/// What the recogniser collected under one number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Collected {
    pub number: u32,
    pub no: usize,
    pub title: String,
    /// Paragraphs between the title and the first label.
    pub untitled: Vec<Piece>,
    pub fields: Vec<Labelled>,
}

/// A title line that goes on after its first sentence, as 巡视 reports
/// write them (`关于……的问题。已完成整改。对……逐项回头看……`): the first
/// sentence is the title, the rest reads as the problem's text.
fn split_title(c: &mut Collected) {
    let Some((head, tail)) = first_sentence(&c.title) else {
        return;
    };
    if head.chars().count() < 6 {
        return;
    }
    let tail = Piece {
        text: tail.to_string(),
        table: false,
        no: c.no,
    };
    c.title = head.to_string();
    c.untitled.insert(0, tail);
}

/// In unlabelled text, a short sentence that is a result phrase
/// (`已完成整改。`, `目前已整改完成。`): the result, not a measure.
fn result_sentence(pieces: &[Piece]) -> Option<String> {
    pieces.iter().find_map(|p| {
        p.text
            .split_inclusive('。')
            .map(str::trim)
            .find(|s| s.chars().count() <= 14 && Status::find(s).is_some())
            .map(|s| s.trim_end_matches('。').to_string())
    })
}

/// A measures paragraph that ends with a result phrase (`……制定学习计划。
/// 已完成整改。`): that phrase.
fn closing_result(piece: &Piece) -> Option<String> {
    let last = piece.text.trim().trim_end_matches('。');
    let sentence = last.rsplit(['。', '；', ';']).next()?.trim();
    (sentence.chars().count() <= 14 && sentence.chars().count() < last.chars().count())
        .then_some(sentence)
        .filter(|s| Status::find(s).is_some())
        .map(str::to_string)
}

/// The problem in the content model, and what to check about it.
pub fn finish(mut c: Collected, notes: &mut Vec<Found<String>>) -> DraftProblem {
    split_title(&mut c);
    let mut note = |no: usize, message: String| notes.push(Found { value: message, no });
    let mut cause: Vec<String> = Vec::new();
    let mut measures: Vec<String> = Vec::new();
    let mut results: Vec<(String, Vec<Piece>)> = Vec::new();
    let mut deadline: Option<String> = None;
    // The amount a labelled line states, which the prose need not repeat.
    let mut stated_amount: Option<String> = None;
    // The last paragraph of the measures, which often ends with the result.
    let mut last_measure: Option<Piece> = None;

    if !c.untitled.is_empty() {
        note(
            c.untitled[0].no,
            format!(
                "第 {} 项问题的标题和第一个小标题之间的文字，放在了“整改情况”的开头",
                c.number
            ),
        );
        measures.extend(c.untitled.iter().map(Piece::markdown));
    }
    for f in c.fields {
        match f.field {
            Field::Cause => cause.extend(f.pieces.iter().map(Piece::markdown)),
            // `整改进展：正在整改，已排查机构23家。` is where it stands.
            Field::Measures if leads_with_result(&f.word, &f.pieces) => {
                results.push((f.word, f.pieces));
            }
            Field::Measures => match as_phrase(&f.pieces) {
                // The seed's `整改情况：整改完成，长期推进。` means the result.
                Some(phrase) => {
                    note(
                        f.pieces[0].no,
                        format!(
                            "标为“{}”，但内容“{phrase}”是整改结果，已作为整改结果",
                            f.word
                        ),
                    );
                    results.push((f.word, f.pieces));
                }
                None => {
                    measures.extend(f.pieces.iter().map(Piece::markdown));
                    last_measure = f.pieces.last().cloned().or(last_measure);
                }
            },
            Field::Result => results.push((f.word, f.pieces)),
            Field::Amount => {
                let Some((first, rest)) = f.pieces.split_first() else {
                    continue;
                };
                match facts::amount(&first.text).filter(|_| stated_amount.is_none()) {
                    Some(yuan) => stated_amount = Some(yuan),
                    None => {
                        note(
                            first.no,
                            format!(
                                "“{}：{}”读不出金额，原文放在“整改情况”末尾，请核对",
                                f.word,
                                short(&first.text)
                            ),
                        );
                        measures.push(labelled(&f.word, first));
                    }
                }
                measures.extend(rest.iter().map(Piece::markdown));
            }
            Field::Deadline => match f.pieces.split_first() {
                Some((first, rest))
                    if deadline.is_none() && Deadline::parse(&first.text).is_ok() =>
                {
                    deadline = Some(first.text.trim().to_string());
                    measures.extend(rest.iter().map(Piece::markdown));
                }
                Some((first, rest)) => {
                    let why = if deadline.is_some() {
                        "已另有整改时限"
                    } else {
                        "读不出整改时限"
                    };
                    note(
                        first.no,
                        format!(
                            "“{}：{}”{why}，原文放在“整改情况”末尾，请核对",
                            f.word,
                            short(&first.text)
                        ),
                    );
                    measures.push(labelled(&f.word, first));
                    measures.extend(rest.iter().map(Piece::markdown));
                }
                None => {}
            },
        }
    }

    let mut result = None;
    let mut status = None;
    for (word, pieces) in results {
        let Some((first, rest)) = pieces.split_first() else {
            continue;
        };
        let text = first.text.trim();
        if result.is_some() || first.table {
            note(
                first.no,
                format!("“{word}”已另有整改结果，这一段放在“整改情况”末尾"),
            );
            measures.push(labelled(&word, first));
        } else if Status::parse(text).is_ok() && text.chars().count() <= PHRASE_CHARS {
            result = Some(text.to_string());
        } else if let Some((head, tail)) =
            first_sentence(text).filter(|(h, _)| Status::parse(h).is_ok())
        {
            note(
                first.no,
                format!("“{word}”后面除了整改结果“{head}”还有说明，说明放在“整改情况”末尾"),
            );
            result = Some(head.to_string());
            measures.push(markdown::escape(tail));
        } else if let Some((_, phrase)) = Status::find(text) {
            note(
                first.no,
                format!(
                    "整改结果“{}”不是标准写法，按其中的“{phrase}”判断整改状态，请核对",
                    short(text)
                ),
            );
            result = Some(text.to_string());
            status = Some(ExplicitStatus {
                value: phrase.clone(),
                comment: format!("请核对：按整改结果中的“{phrase}”判断"),
            });
        } else {
            note(
                first.no,
                format!(
                    "没有从“{word}：{}”识别出整改状态，原文放在“整改情况”末尾，请补写整改结果",
                    short(text)
                ),
            );
            measures.push(labelled(&word, first));
        }
        measures.extend(rest.iter().map(Piece::markdown));
    }
    if result.is_none() && status.is_none() {
        let closing = last_measure.and_then(|p| closing_result(&p));
        match result_sentence(&c.untitled).or(closing) {
            Some(sentence) => {
                note(
                    c.no,
                    format!(
                        "第 {} 项问题没有“整改结果”小标题，按正文中的“{sentence}”记为整改结果，请核对",
                        c.number
                    ),
                );
                if Status::parse(&sentence).is_err()
                    && let Some((_, phrase)) = Status::find(&sentence)
                {
                    status = Some(ExplicitStatus {
                        value: phrase.clone(),
                        comment: format!("请核对：按正文中的“{phrase}”判断"),
                    });
                }
                result = Some(sentence);
            }
            None => note(c.no, format!("第 {} 项问题没有整改结果", c.number)),
        }
    }

    // What the result says was recovered is the outcome; the measures
    // often said the same sum as the plan (`追回多付资金1.2万元` then
    // `已追回资金1.2万元`), which is no second sum.
    let in_result = result.as_deref().and_then(facts::recovered);
    let in_measures = facts::recovered(&measures.join("\n"));
    if let (Some((said, _)), Some((planned, _))) = (&in_result, &in_measures)
        && said != planned
    {
        note(
            c.no,
            format!(
                "第 {} 项问题的整改情况和整改结果里追回的金额不同（{planned} 元、{said} 元），按整改结果记，请核对",
                c.number
            ),
        );
    }
    let recovered_yuan = stated_amount.or_else(|| {
        in_result.or(in_measures).map(|(yuan, unsure)| {
            if unsure {
                note(
                    c.no,
                    format!(
                        "第 {} 项问题一句话里有几个金额，追回金额按合计 {yuan} 元记，请核对",
                        c.number
                    ),
                );
            }
            yuan
        })
    });
    let title = unwrapped(
        c.title
            .trim()
            .trim_end_matches(['。', '；', ';', '，', ',', '：', ':'])
            .trim(),
    )
    .to_string();
    let title = if title.is_empty() {
        note(c.no, format!("第 {} 项问题没有标题", c.number));
        format!("第{}项问题", c.number)
    } else {
        title
    };
    let join = |v: Vec<String>| (!v.is_empty()).then(|| v.join("\n\n"));
    DraftProblem {
        number: c.number,
        no: c.no,
        title,
        cause: join(cause),
        measures: join(measures),
        result,
        deadline,
        status,
        recovered_yuan,
        continues: None,
        placement: None,
    }
}

/// A progress field (`整改进展`, `整改进展情况`, not `整改措施及进展`) of
/// one paragraph whose first clause is a result phrase: it says where the
/// rectification stands, and is read as the result.
fn leads_with_result(word: &str, pieces: &[Piece]) -> bool {
    let [only] = pieces else { return false };
    let clause = only.text.trim().split(['，', ',', '；', ';', '。']).next();
    word.contains("进展")
        && !word.contains("措施")
        && !only.table
        && clause.is_some_and(|c| Status::parse(c).is_ok())
}

/// A one-paragraph field that is only a result phrase.
fn as_phrase(pieces: &[Piece]) -> Option<String> {
    let [only] = pieces else { return None };
    let text = only.text.trim();
    (!only.table && text.chars().count() <= PHRASE_CHARS && Status::parse(text).is_ok())
        .then(|| text.to_string())
}

/// The problem a title quotes, without the words around it that only
/// say this is its rectification or label it: `关于“财务管理不规范”问题的
/// 整改情况` and `问题：财务管理不规范` are the problem `财务管理不规范`. A title whose quotes are only part of it
/// (`关于“三重一大”制度执行不到位的问题`) stays as it is.
fn unwrapped(title: &str) -> &str {
    // `问题：……`, `存在问题：……`: the label of the problem's own words.
    static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:存在的?|反馈的?|巡察反馈|具体|主要)?问题(?:描述|表现)?\s*[:：]\s*")
            .unwrap_or_else(|e| panic!("labelled title: {e}"))
    });
    let title = LABELLED.find(title).map_or(title, |m| &title[m.end()..]);
    static WRAPPED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"^(?:关于|针对)\s*[“"「『](?P<problem>[^“”"「」『』]+)[”"」』]\s*(?:的?问题(?:的?整改(?:落实|进展)?(?:情况)?)?|的?整改(?:落实|进展)?(?:情况)?)$"#,
        )
        .unwrap_or_else(|e| panic!("wrapped title: {e}"))
    });
    WRAPPED
        .captures(title)
        .and_then(|c| c.name("problem"))
        .map_or(title, |m| m.as_str().trim())
}

/// `已完成整改。建立了……` → (`已完成整改。`, `建立了……`).
/// The first sentence of `text` and the rest. A full stop inside quotes or
/// brackets (`关于“……不深不透。局党组……”问题的整改`) does not end it.
fn first_sentence(text: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    let stop = text.char_indices().find_map(|(i, c)| {
        match c {
            '“' | '‘' | '「' | '『' | '《' | '（' | '(' | '【' => depth += 1,
            '”' | '’' | '」' | '』' | '》' | '）' | ')' | '】' => {
                depth = depth.saturating_sub(1)
            }
            '。' if depth == 0 => return Some(i),
            _ => {}
        }
        None
    })?;
    let end = stop + '。'.len_utf8();
    let tail = text[end..].trim();
    (!tail.is_empty()).then(|| (&text[..end], tail))
}

fn labelled(word: &str, piece: &Piece) -> String {
    format!("**{word}：**{}", piece.markdown())
}

/// The start of a long text, for messages.
fn short(text: &str) -> String {
    gongkai_content::text::summarize(text, 30)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_that_quotes_its_problem_is_the_problem() {
        for (title, problem) in [
            ("关于“财务管理不规范”问题的整改情况", "财务管理不规范"),
            (
                "关于“理论学习中心组学习流于形式”问题的整改",
                "理论学习中心组学习流于形式",
            ),
            (
                "关于“落实八项规定不严格的问题”的整改落实情况",
                "落实八项规定不严格的问题",
            ),
            ("针对“考勤管理松散”的问题", "考勤管理松散"),
            ("问题：考勤管理松散", "考勤管理松散"),
            ("存在问题：考勤管理松散", "考勤管理松散"),
            ("问题描述：关于“考勤管理松散”问题的整改", "考勤管理松散"),
            // Quotes that are only part of the title, or no wrapper.
            (
                "关于“三重一大”制度执行不到位的问题",
                "关于“三重一大”制度执行不到位的问题",
            ),
            (
                "关于落实八项规定不严格的问题",
                "关于落实八项规定不严格的问题",
            ),
            (
                "关于“三重一大”和“一岗双责”问题的整改",
                "关于“三重一大”和“一岗双责”问题的整改",
            ),
        ] {
            assert_eq!(unwrapped(title), problem, "{title}");
        }
    }

    fn piece(text: &str) -> Piece {
        Piece {
            text: text.into(),
            table: false,
            no: 1,
        }
    }

    fn field(field: Field, word: &str, text: &str) -> Labelled {
        Labelled {
            field,
            word: word.into(),
            pieces: vec![piece(text)],
        }
    }

    fn problem(fields: Vec<Labelled>) -> (DraftProblem, Vec<Found<String>>) {
        let mut notes = Vec::new();
        let p = finish(
            Collected {
                number: 1,
                no: 1,
                title: "针对考勤管理方面的问题。".into(),
                untitled: vec![],
                fields,
            },
            &mut notes,
        );
        (p, notes)
    }

    #[test]
    fn sentences_end_outside_quotes_and_brackets() {
        assert_eq!(
            first_sentence("关于“不深不透。未组织学习”问题的整改。其余"),
            Some(("关于“不深不透。未组织学习”问题的整改。", "其余"))
        );
        assert_eq!(first_sentence("关于“不深不透。未组织学习”问题的整改"), None);
        // An unbalanced closing mark does not hide the next full stop.
        assert_eq!(first_sentence("甲”乙。丙"), Some(("甲”乙。", "丙")));
    }

    #[test]
    fn a_result_phrase_closing_the_measures() {
        let closing = |text: &str| closing_result(&piece(text));
        assert_eq!(
            closing("制定学习计划。已完成整改。").as_deref(),
            Some("已完成整改")
        );
        assert_eq!(closing("修订细则；正在整改").as_deref(), Some("正在整改"));
        // A whole paragraph that is the phrase is not "closing" anything,
        // and a long last sentence is a measure.
        assert_eq!(closing("已完成整改。"), None);
        assert_eq!(
            closing("制定计划。已完成整改并建立了长效机制和考勤制度。"),
            None
        );
    }

    #[test]
    fn a_repeated_label_is_read_by_its_content() {
        let (p, notes) = problem(vec![
            field(Field::Cause, "原因分析", "思想认识不到位。"),
            field(Field::Measures, "整改情况", "严肃自查自纠。"),
            field(Field::Measures, "整改情况", "整改完成，长期推进。"),
        ]);
        assert_eq!(p.title, "针对考勤管理方面的问题");
        assert_eq!(p.measures.as_deref(), Some("严肃自查自纠。"));
        assert_eq!(p.result.as_deref(), Some("整改完成，长期推进。"));
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn progress_that_begins_with_where_it_stands_is_the_result() {
        let (p, notes) = problem(vec![
            field(Field::Measures, "整改措施", "开展专项治理。"),
            field(Field::Measures, "整改进展", "正在整改，已排查机构23家。"),
        ]);
        assert_eq!(p.measures.as_deref(), Some("开展专项治理。"));
        assert_eq!(p.result.as_deref(), Some("正在整改，已排查机构23家。"));
        assert_eq!(p.status.map(|s| s.value).as_deref(), Some("正在整改"));
        assert_eq!(notes.len(), 1, "{notes:?}");

        // Progress told as measures, and measures with their progress,
        // stay measures.
        for (word, text) in [
            ("整改进展", "一是修订制度；二是开展培训。"),
            ("整改措施及进展", "正在整改，修订了制度。"),
        ] {
            let (p, _) = problem(vec![field(Field::Measures, word, text)]);
            assert_eq!(p.measures.as_deref(), Some(text), "{word}");
            assert_eq!(p.result, None, "{word}");
        }
    }

    #[test]
    fn a_sum_the_measures_plan_and_the_result_reports_counts_once() {
        let (p, notes) = problem(vec![
            field(
                Field::Measures,
                "整改措施",
                "追回多付资金1.2万元，建立台账。",
            ),
            field(
                Field::Measures,
                "整改进展",
                "已完成整改，已追回资金1.2万元。",
            ),
        ]);
        assert_eq!(p.recovered_yuan.as_deref(), Some("12000"));
        assert_eq!(notes.len(), 1, "{notes:?}");

        // Where they differ, the result is what happened.
        let (p, notes) = problem(vec![
            field(Field::Measures, "整改措施", "追回多付资金1.2万元。"),
            field(Field::Result, "整改结果", "已完成整改，已追回资金8000元。"),
        ]);
        assert_eq!(p.recovered_yuan.as_deref(), Some("8000"));
        assert!(
            notes.iter().any(|n| n.value.contains("金额不同")),
            "{notes:?}"
        );

        // Sums in the measures alone still add up.
        let (p, _) = problem(vec![field(
            Field::Measures,
            "整改情况",
            "追回张某违规发放补贴2000元。退还群众多收费用3000元。",
        )]);
        assert_eq!(p.recovered_yuan.as_deref(), Some("5000"));
    }

    #[test]
    fn results_that_are_prose() {
        let (p, _) = problem(vec![field(
            Field::Result,
            "整改结果",
            "已完成整改。建立了考勤制度。",
        )]);
        assert_eq!(p.result.as_deref(), Some("已完成整改。"));
        assert_eq!(p.measures.as_deref(), Some("建立了考勤制度。"));

        let (p, _) = problem(vec![field(
            Field::Result,
            "整改成效",
            "通过整改，已整改完成并建立长效机制",
        )]);
        assert_eq!(p.status.map(|s| s.value).as_deref(), Some("整改完成"));

        // A deadline is no result: it is the problem's deadline.
        let (p, notes) = problem(vec![field(Field::Deadline, "整改时限", "2021年12月底前")]);
        assert_eq!((p.result, p.measures), (None, None));
        assert_eq!(p.deadline.as_deref(), Some("2021年12月底前"));
        assert_eq!(notes.len(), 1, "no result: {notes:?}");
        // One that reads as no date stays in the measures, noted.
        let (p, notes) = problem(vec![field(Field::Deadline, "整改时限", "尽快")]);
        assert_eq!(p.deadline, None);
        assert_eq!(p.measures.as_deref(), Some("**整改时限：**尽快"));
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn money_on_a_line_of_its_own() {
        let (p, notes) = problem(vec![
            field(Field::Measures, "整改情况", "追回多付金额人民币7230.3元。"),
            field(Field::Result, "整改结果", "整改完成。"),
            field(Field::Amount, "追回（退还）资金", "7230.3元"),
        ]);
        assert_eq!(p.recovered_yuan.as_deref(), Some("7230.3"));
        assert_eq!(p.measures.as_deref(), Some("追回多付金额人民币7230.3元。"));
        assert!(notes.is_empty(), "{notes:?}");
        // The line states it: money the prose mentions besides is not added.
        let (p, _) = problem(vec![
            field(
                Field::Measures,
                "整改情况",
                "退回补助10200元，另追回300元。",
            ),
            field(Field::Amount, "追回资金", "10200元"),
        ]);
        assert_eq!(p.recovered_yuan.as_deref(), Some("10200"));
        let (p, notes) = problem(vec![field(Field::Amount, "追回资金", "待核定")]);
        assert_eq!(p.recovered_yuan, None);
        assert_eq!(p.measures.as_deref(), Some("**追回资金：**待核定"));
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn money_in_the_measures() {
        let (p, _) = problem(vec![
            field(
                Field::Measures,
                "整改情况",
                "将违规领取的金额共计人民币31626元退回至政协机关账户。",
            ),
            field(Field::Result, "整改结果", "立行立改，整改完成。"),
        ]);
        assert_eq!(p.recovered_yuan.as_deref(), Some("31626"));
    }
}
