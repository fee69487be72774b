//! Terms: how text is folded and cut into the characters and character
//! pairs that the index keeps. `assets/search.js` does exactly the same.

use rustc_hash::FxHashSet;

/// Folds a character for matching: full-width ASCII and the ideographic
/// space to half-width, then ASCII letters to lowercase.
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Characters that are indexed (after folding): letters, digits, Han,
/// kana; not spaces, punctuation or symbols.
pub fn is_term_char(c: char) -> bool {
    match c as u32 {
        0x30..=0x39 | 0x61..=0x7A => true,
        0..=0x7F => false,
        0x80..=0xBF | 0xD7 | 0xF7 => false,
        0x2000..=0x2BFF => false,
        0x3005 | 0x3007 => true,
        0x3000..=0x303F => false,
        0xFE30..=0xFE6F => false,
        0xFF00..=0xFFEF => false,
        _ => !c.is_whitespace(),
    }
}

/// The CJK Unified Ideographs block: folding leaves them as they are,
/// and all of them are term characters.
const HAN: std::ops::RangeInclusive<char> = '\u{4E00}'..='\u{9FFF}';

/// A term: one character, or two in a row, packed into a number.
pub type Term = u64;

pub(super) fn term(a: char, b: Option<char>) -> Term {
    ((a as u64) << 32) | b.map_or(0, |b| b as u64)
}

pub(super) fn term_text(t: Term) -> String {
    let a = char::from_u32((t >> 32) as u32).unwrap_or('\u{FFFD}');
    match char::from_u32((t & 0xFFFF_FFFF) as u32) {
        Some(b) if t & 0xFFFF_FFFF != 0 => format!("{a}{b}"),
        _ => a.to_string(),
    }
}

/// The runs of term characters of folded text.
fn runs(folded: &str) -> impl Iterator<Item = Vec<char>> + '_ {
    folded
        .split(|c: char| !is_term_char(c))
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().collect())
}

/// Adds every term of a text to `out`: its characters and its pairs.
pub(super) fn index_terms(text: &str, out: &mut FxHashSet<Term>) {
    for_each_term_char(text, |c, before| {
        out.insert(term(c, None));
        if let Some(p) = before {
            out.insert(term(p, Some(c)));
        }
    });
}

/// Calls `f` with every term character of `text`, folded, and the one
/// before it in the same run, if any: each call is a term, and a pair
/// with the one before.
pub(super) fn for_each_term_char(text: &str, mut f: impl FnMut(char, Option<char>)) {
    let mut previous: Option<char> = None;
    for c in text.chars() {
        // Most characters are common Han ones, which are terms as they
        // are: no need to fold and classify them.
        let c = if HAN.contains(&c) {
            c
        } else {
            let c = fold_char(c);
            if !is_term_char(c) {
                previous = None;
                continue;
            }
            c
        };
        f(c, previous);
        previous = Some(c);
    }
}

/// The terms a query part needs: pairs, or the single character of a run
/// of one.
pub(super) fn query_terms(folded_part: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    for run in runs(folded_part) {
        if run.len() == 1 {
            terms.push(term(run[0], None));
        }
        terms.extend(run.windows(2).map(|w| term(w[0], Some(w[1]))));
    }
    terms
}

/// Splits a query into its folded, space-separated parts.
pub fn query_parts(query: &str) -> Vec<String> {
    fold(query).split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("ＡＢＣ（一）　Ｘｙ"), "abc(一) xy");
        assert!(is_term_char('整') && is_term_char('7') && is_term_char('a'));
        assert!(HAN.clone().all(|c| fold_char(c) == c && is_term_char(c)));
        assert!(
            !is_term_char('，') && !is_term_char('(') && !is_term_char('“') && !is_term_char(' ')
        );
    }
}
