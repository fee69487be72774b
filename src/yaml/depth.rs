//! A guard against hostile nesting. The YAML reader takes time that grows
//! as the square of the nesting depth (250,000 `[` took minutes), so the
//! depth is measured first, in one pass over the text, and a document
//! nested deeper than any front matter needs is refused at the place where
//! it gets too deep.
//!
//! The measure is conservative: brackets and braces that open flow
//! collections, indentation levels, and the `- ` of compact nested lists.
//! Quoted scalars, comments and the lines of block scalars (`|`, `>`) are
//! skipped, so text cannot trip it.

/// Deeper than this is refused. A notice needs three or four levels.
pub const MAX_DEPTH: usize = 64;

/// `Err((line, column))` where the nesting of `text` first goes past
/// [`MAX_DEPTH`].
pub fn check(text: &str) -> Result<(), (usize, usize)> {
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    let mut indents: Vec<usize> = Vec::new();
    // The indentation of the key whose block scalar (`|`, `>`) is being read.
    let mut block_scalar: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line.trim();
        if let Some(key_indent) = block_scalar {
            if content.is_empty() || indent > key_indent {
                continue;
            }
            block_scalar = None;
        }
        if quote.is_none() && flow == 0 {
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
            let dashes = content
                .split_inclusive(' ')
                .take_while(|p| p.trim() == "-")
                .count();
            if indents.len() + dashes > MAX_DEPTH {
                return Err((n + 1, indent + 1));
            }
        }
        let mut previous = ' ';
        let mut value_start = true;
        for (column, c) in line.chars().enumerate() {
            if let Some(q) = quote {
                if c == q && previous != '\\' {
                    quote = None;
                }
                previous = if previous == '\\' && c == '\\' {
                    ' '
                } else {
                    c
                };
                continue;
            }
            match c {
                '#' if previous == ' ' || column == 0 => break,
                '"' | '\'' if value_start => quote = Some(c),
                '[' | '{' if value_start || flow > 0 => {
                    flow += 1;
                    if flow > MAX_DEPTH {
                        return Err((n + 1, column + 1));
                    }
                }
                ']' | '}' if flow > 0 => flow -= 1,
                _ => {}
            }
            if !c.is_whitespace() {
                value_start = matches!(c, ':' | '-' | '[' | '{' | ',' | '?');
            }
            previous = c;
        }
        let last = content.split(" #").next().unwrap_or("").trim_end();
        if quote.is_none()
            && flow == 0
            && (last.ends_with(['|', '>']) || last.ends_with("|-") || last.ends_with(">-"))
        {
            block_scalar = Some(indent);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_passes() {
        let text = "title: 关于“两个维护”的[通报]\ntags: [a, [b, c]]\nproblems:\n  - number: 1\n    measures: |\n      [[[[[[[[ 正文里的方括号不算\n      a: [b\n    result: 完成 # [[[[\n  - - - x\n";
        assert_eq!(check(text), Ok(()));
        assert_eq!(check("title: 'a [[[[ b'\n"), Ok(()));
        let deep_but_fine = format!("a: {}{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(check(&deep_but_fine), Ok(()));
    }

    #[test]
    fn hostile_nesting_is_found_where_it_gets_too_deep() {
        let flow = format!("title: a\nk: {}\n", "[".repeat(250_000));
        assert_eq!(check(&flow), Err((2, 4 + MAX_DEPTH)));
        let braces = format!("k: {}", "{a: ".repeat(100));
        assert!(check(&braces).is_err());
        let block: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert_eq!(check(&block), Err((MAX_DEPTH + 1, MAX_DEPTH + 1)));
        let dashes = format!("k:\n{}x\n", "- ".repeat(100));
        assert!(check(&dashes).is_err());
    }
}
