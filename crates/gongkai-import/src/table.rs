//! The tables of a bulletin, as Markdown tables: made from the rows of a
//! Word table or a web page's table, or from lines of tab-separated cells
//! (a Word table copied into Notepad); and read back into cells, for a
//! table of problems (`recognise::table`).

use super::document::Para;

/// The rows as a Markdown table, the first row its header. A cell's lines
/// are joined with `<br>`, and a `|` in it is escaped.
pub(crate) fn markdown(rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let line = |cells: &[String]| {
        let mut s = String::from("|");
        for i in 0..width {
            s.push(' ');
            let cell = cells.get(i).map_or("", String::as_str);
            s.push_str(&cell.trim().replace('|', "\\|").replace('\n', "<br>"));
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
