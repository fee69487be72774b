//! The tables of a bulletin, as Markdown tables: made from the rows of a
//! Word table or a web page's table, or from lines of tab-separated cells
//! (a Word table copied into Notepad); and read back into cells, for a
//! table of problems (`recognise::table`).

use super::document::Para;

/// The most columns or rows one cell may span (`gridSpan`, `colspan`): a
/// bigger number is a mistake of the file, not a table a reader saw, and
/// trusting it would pad a row with millions of empty cells.
pub(crate) const MAX_SPAN: usize = 50;

/// The most columns a table has: a wider one is no table a bulletin
/// prints, and every row is padded to the widest, so the cells past it
/// are joined into the last column rather than made columns of their own.
pub(crate) const MAX_COLUMNS: usize = 100;

/// The rows as a Markdown table, the first row its header. A cell's lines
/// are joined with `<br>`, and a `|` in it is escaped. A row wider than
/// [`MAX_COLUMNS`] keeps its extra cells' text in its last column.
pub(crate) fn markdown(rows: &[Vec<String>]) -> String {
    let width = rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .clamp(1, MAX_COLUMNS);
    let line = |cells: &[String]| {
        let mut s = String::from("|");
        for i in 0..width {
            s.push(' ');
            let cell = if i + 1 == width && cells.len() > width {
                let rest: Vec<&str> = cells[i..].iter().map(|c| c.trim()).collect();
                rest.join(" ")
            } else {
                cells.get(i).map_or("", String::as_str).trim().to_string()
            };
            s.push_str(&cell.replace('|', "\\|").replace('\n', "<br>"));
            s.push_str(" |");
        }
        s
    };
    let mut out = Vec::with_capacity(rows.len() + 1);
    out.push(line(rows.first().map_or(&[][..], Vec::as_slice)));
    out.push(format!("|{}", " --- |".repeat(width)));
    out.extend(rows.iter().skip(1).map(|r| line(r)));
    out.join("\n")
}

/// The cells of a Markdown table made by [`markdown`], row by row, the
/// header first; `<br>` is a line break again, `\|` a bar.
pub(crate) fn cells(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, row)| split_row(row))
        .collect()
}

/// `| a | b\|c |` → `["a", "b|c"]`.
fn split_row(row: &str) -> Vec<String> {
    let inner = row.trim();
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    if !cell.trim().is_empty() {
        cells.push(cell);
    }
    cells
        .into_iter()
        .map(|c| c.trim().replace("<br>", "\n"))
        .collect()
}

/// The fewest cells a row of tab-separated cells has, and the fewest rows,
/// to be a table: two tabs in one line may be an accident, two such lines
/// alike are not.
const MIN_CELLS: usize = 3;
const MIN_ROWS: usize = 2;

/// Turns each run of lines of tab-separated cells, as many cells to every
/// line, into one paragraph holding a Markdown table, numbered as its
/// first line. A line with tabs that is no row of a table has spaces for
/// them.
pub(crate) fn from_tabs(paras: &mut Vec<Para>) {
    let width = |p: &Para| {
        let n = p.text.split('\t').count();
        (!p.table && n >= MIN_CELLS).then_some(n)
    };
    let mut out = Vec::with_capacity(paras.len());
    let mut i = 0;
    while i < paras.len() {
        let run = width(&paras[i]).map_or(0, |n| {
            paras[i..]
                .iter()
                .take_while(|p| width(p) == Some(n))
                .count()
        });
        if run < MIN_ROWS {
            let mut p = std::mem::take(&mut paras[i]);
            if !p.table && p.text.contains('\t') {
                p.text = untabbed(&p.text);
            }
            out.push(p);
            i += 1;
            continue;
        }
        let rows: Vec<Vec<String>> = paras[i..i + run]
            .iter()
            .map(|p| p.text.split('\t').map(|c| c.trim().to_string()).collect())
            .collect();
        out.push(Para {
            no: paras[i].no,
            text: markdown(&rows),
            table: true,
        });
        i += run;
    }
    *paras = out;
}

/// `a\tb` → `a  b`: cells apart as a reader sees them.
fn untabbed(text: &str) -> String {
    text.split('\t')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(no: usize, text: &str) -> Para {
        Para {
            no,
            text: text.into(),
            table: false,
        }
    }

    #[test]
    fn a_row_wider_than_any_table_keeps_its_text_in_the_last_column() {
        let wide: Vec<String> = (0..MAX_COLUMNS + 5).map(|i| format!("c{i}")).collect();
        let rows = vec![vec!["序号".to_string()], wide];
        let table = markdown(&rows);
        let last_row = table.lines().last().unwrap();
        assert_eq!(split_row(last_row).len(), MAX_COLUMNS);
        assert!(last_row.ends_with(&format!("c{} c{} |", MAX_COLUMNS + 3, MAX_COLUMNS + 4)));
        assert_eq!(split_row(table.lines().next().unwrap()).len(), MAX_COLUMNS);
    }

    #[test]
    fn tab_separated_rows_become_one_table() {
        let mut paras = vec![
            para(1, "巡察反馈问题整改情况一览表"),
            para(2, "序号\t反馈问题\t整改情况"),
            para(3, "1\t学习不深入\t已完成"),
            para(4, "2\t制度有|漏洞\t"),
            para(5, "中共某局党组"),
        ];
        from_tabs(&mut paras);
        assert_eq!(paras.len(), 3);
        assert!(paras[1].table);
        assert_eq!(paras[1].no, 2);
        assert_eq!(
            paras[1].text,
            "| 序号 | 反馈问题 | 整改情况 |\n| --- | --- | --- |\n| 1 | 学习不深入 | 已完成 |\n| 2 | 制度有\\|漏洞 |  |"
        );
        assert_eq!(
            cells(&paras[1].text),
            [
                vec!["序号", "反馈问题", "整改情况"],
                vec!["1", "学习不深入", "已完成"],
                vec!["2", "制度有|漏洞", ""],
            ]
        );
    }

    #[test]
    fn a_line_with_tabs_alone_or_rows_unlike_stays_text() {
        let mut paras = vec![
            para(1, "一\t二\t三"),
            para(2, "正文"),
            para(3, "a\tb\tc"),
            para(4, "a\tb\tc\td"),
        ];
        from_tabs(&mut paras);
        assert_eq!(paras.len(), 4);
        assert!(paras.iter().all(|p| !p.table));
    }
}
