//! Problems listed in a table (整改情况一览表): a row per problem, with
//! columns for the problem, its measures, its result or status, its
//! deadline, and often its category; or a table per category, under the
//! category's heading.

use super::Line;
use super::groups::{self, Collecting};
use crate::categories::Matcher;
use crate::classify::{Field, Style};
use crate::draft::{Draft, Found};
use crate::numerals;
use crate::problems::{Collected, Labelled, Piece};
use crate::table;

/// What a column of a table of problems holds, by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Number,
    Category,
    Problem,
    /// A field of the problem.
    Field(Field),
    /// Anything else (`责任单位`, `备注`): kept in the measures, under its header.
    Other,
}

impl Column {
    /// The column a header names. The order of the tests matters:
    /// `整改完成情况` is a result, `完成时限` a deadline, `问题类别` a
    /// category, and `存在问题` the problem.
    fn of(header: &str) -> Column {
        let h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
        let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
        if ["序号", "编号", "序", "No.", "NO."].contains(&h.as_str()) {
            Column::Number
        } else if has(&["类别", "类型", "方面", "领域"]) {
            Column::Category
        } else if has(&["时限", "期限", "完成时间", "整改时间"]) {
            Column::Field(Field::Deadline)
        } else if has(&["原因"]) {
            Column::Field(Field::Cause)
        } else if has(&["追回", "退还", "金额"]) {
            Column::Field(Field::Amount)
        } else if has(&[
            "完成情况",
            "整改结果",
            "整改成效",
            "状态",
            "是否完成",
            "进度",
        ]) {
            Column::Field(Field::Result)
        } else if has(&["措施", "整改情况", "进展", "落实情况", "举措"]) {
            Column::Field(Field::Measures)
        } else if has(&[
            "问题",
            "反馈意见",
            "反馈内容",
            "巡察发现",
            "具体表现",
            "整改任务",
            "事项",
        ]) {
            Column::Problem
        } else {
            Column::Other
        }
    }
}

/// The columns of a table, when it is a table of problems: one column of
/// the problems, and one of their measures or results.
fn problem_columns(header: &[String]) -> Option<Vec<Column>> {
    let mut columns: Vec<Column> = header.iter().map(|h| Column::of(h)).collect();
    // `存在问题` beside `整改事项`: the one that says 问题 is the problem,
    // the other stays in the measures under its header.
    let named: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i] == Column::Problem)
        .collect();
    let says_problem = |i: &usize| header[*i].contains("问题");
    if named.len() > 1 && named.iter().any(says_problem) {
        for i in named.iter().filter(|i| !says_problem(i)) {
            columns[*i] = Column::Other;
        }
    }
    let problems = columns.iter().filter(|c| **c == Column::Problem).count();
    let answered = columns.iter().any(|c| {
        matches!(
            c,
            Column::Field(Field::Measures) | Column::Field(Field::Result)
        )
    });
    (problems == 1 && answered).then_some(columns)
}

/// A column of measures whose every cell is a result phrase (`整改情况`
/// over `已完成`, `正在整改`) is the results' column, when the table has
/// none by its header.
fn results_by_content(columns: &mut [Column], rows: &[Vec<String>]) {
    if columns.contains(&Column::Field(Field::Result)) {
        return;
    }
    for (i, column) in columns.iter_mut().enumerate() {
        if *column != Column::Field(Field::Measures) {
            continue;
        }
        let mut cells = rows
            .iter()
            .filter_map(|r| r.get(i))
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .peekable();
        if cells.peek().is_some() && cells.all(|c| gongkai_content::Status::parse(c).is_ok()) {
            *column = Column::Field(Field::Result);
            return;
        }
    }
}

/// Whether `line` is a table of problems.
pub(super) fn is_problem_table(line: &Line) -> bool {
    line.table
        && table::cells(&line.text)
            .first()
            .is_some_and(|h| problem_columns(h).is_some())
}

/// A heading right above a table of problems that names their category:
/// `（一）……方面`, `在……方面`; a caption (`整改情况一览表`) or a section
/// heading (`二、……`) does not.
pub(super) fn is_category_above(line: &Line) -> bool {
    !line.table
        && line.chars() <= 40
        && !line.text.contains('。')
        && (line.marker.is_some_and(|m| m.style == Style::ParenHan)
            || line.text.trim_end_matches(['：', ':']).ends_with("方面"))
}

/// Collects the problems of the tables among `lines` (each a table of
/// problems, or a heading above one): a group per category.
pub(super) fn problems_in(lines: &[&Line], matcher: &Matcher<'_>, draft: &mut Draft) {
    let mut groups: Vec<Collecting> = Vec::new();
    let mut above: Option<Found<String>> = None;
    let mut number = 0;
    for l in lines {
        if !l.table {
            above = Some(Found {
                value: l.text.clone(),
                no: l.no,
            });
            continue;
        }
        let rows = table::cells(&l.text);
        let Some((header, rows)) = rows.split_first() else {
            continue;
        };
        let Some(mut columns) = problem_columns(header) else {
            continue;
        };
        results_by_content(&mut columns, rows);
        groups.push(Collecting {
            heading: above.take(),
            ..Collecting::default()
        });
        // A header repeated (a table over pages, two tables alike) is
        // no row.
        for row in rows.iter().filter(|r| *r != header) {
            read_row(l.no, header, &columns, row, &mut number, &mut groups);
        }
        draft.note(
            l.no,
            "问题取自表格：每一行是一个问题，请逐行核对标题、整改情况和整改结果",
        );
    }
    // A heading with no problems of its own (`（一）……方面` above a table
    // whose rows name their categories) is kept, as groups' headings are,
    // and is the one the groups after it are nested in.
    groups.retain(|g| g.heading.is_some() || !g.problems.is_empty());
    let mut outer: Option<String> = None;
    for g in &mut groups {
        if g.problems.is_empty() {
            outer = g.heading.as_ref().map(|h| h.value.clone());
        } else {
            g.outer = outer.clone();
        }
    }
    groups::finish(groups, matcher, draft);
}

/// One row: a new problem, a new category (its cell, or a row of one
/// cell), or more of the last problem's text (a problem whose cell spans
/// several rows of measures).
fn read_row(
    no: usize,
    header: &[String],
    columns: &[Column],
    row: &[String],
    number: &mut u32,
    groups: &mut Vec<Collecting>,
) {
    let cell = |kind: Column| {
        columns
            .iter()
            .position(|c| *c == kind)
            .and_then(|i| row.get(i))
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
    };
    // A row of one cell across the table (Word's merged cells repeat
    // nothing; the first holds the text): a category, when the first
    // column is not the problems' and the text is not a number.
    let first = row.first().map_or("", |c| c.trim());
    let across = !first.is_empty()
        && columns.first().is_some_and(|c| *c != Column::Problem)
        && first.parse::<u32>().is_err()
        && row
            .iter()
            .skip(1)
            .all(|c| c.trim().is_empty() || c.trim() == first);
    if let Some(category) = cell(Column::Category).or(across.then_some(first)) {
        let current = groups
            .last()
            .and_then(|g| g.heading.as_ref().map(|h| h.value.as_str()));
        if current != Some(category) {
            groups.push(Collecting {
                heading: Some(Found {
                    value: category.to_string(),
                    no,
                }),
                ..Collecting::default()
            });
        }
        if across {
            return;
        }
    }
    let piece = |text: &str| -> Vec<Piece> {
        text.lines()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| Piece {
                text: t.to_string(),
                table: false,
                no,
            })
            .collect()
    };
    let fields: Vec<Labelled> = columns
        .iter()
        .zip(header)
        .zip(row)
        .filter(|((_, _), text)| !text.trim().is_empty())
        .filter_map(|((column, word), text)| {
            let (field, text) = match column {
                Column::Field(f) => (*f, text.clone()),
                Column::Other => (Field::Measures, format!("{}：{}", word.trim(), text.trim())),
                _ => return None,
            };
            Some(Labelled {
                field,
                word: word.trim().to_string(),
                pieces: piece(&text),
            })
        })
        .collect();
    let Some(title) = cell(Column::Problem) else {
        // More measures of the problem above, its cell spanning this row.
        if let Some(last) = groups.last_mut().and_then(|g| g.problems.last_mut()) {
            last.fields.extend(fields);
        }
        return;
    };
    let stated = cell(Column::Number).and_then(|n| {
        let n = n.trim_end_matches(['.', '、', '．']);
        n.parse::<u32>().ok().or_else(|| numerals::parse(n))
    });
    *number = stated.filter(|n| *n > 0).unwrap_or(*number + 1);
    let mut lines = title.lines();
    let first = lines.next().unwrap_or_default().to_string();
    if groups.is_empty() {
        groups.push(Collecting::default());
    }
    if let Some(group) = groups.last_mut() {
        group.problems.push(Collected {
            number: *number,
            no,
            title: first,
            untitled: lines.flat_map(&piece).collect(),
            fields,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_by_their_headers() {
        let of = |h: &str| Column::of(h);
        assert_eq!(of("序号"), Column::Number);
        assert_eq!(of("问题类别"), Column::Category);
        assert_eq!(of("反馈问题"), Column::Problem);
        assert_eq!(of("存在问题"), Column::Problem);
        assert_eq!(of("整改任务"), Column::Problem);
        assert_eq!(of("整改事项"), Column::Problem);
        assert_eq!(of("巡察反馈内容"), Column::Problem);
        assert_eq!(of("整改措施"), Column::Field(Field::Measures));
        assert_eq!(of("整改进展情况"), Column::Field(Field::Measures));
        assert_eq!(of("整改完成情况"), Column::Field(Field::Result));
        assert_eq!(of("完成时限"), Column::Field(Field::Deadline));
        assert_eq!(of("责任单位"), Column::Other);
        assert!(problem_columns(&["序号".into(), "问题".into(), "责任人".into()]).is_none());
        let header = ["存在问题", "整改事项", "整改措施"].map(String::from);
        assert_eq!(
            problem_columns(&header),
            Some(vec![
                Column::Problem,
                Column::Other,
                Column::Field(Field::Measures)
            ])
        );
    }
}
