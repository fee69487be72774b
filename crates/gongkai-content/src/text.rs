//! Chinese text helpers: character classes, summaries, reading time.

/// Han characters (the CJK ideograph blocks).
// Asked of every character of a notice, from other crates: inlined there.
#[inline]
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{3134F}')
}

/// Characters of CJK writing that are not separated by spaces: Han, kana,
/// CJK and full-width punctuation, and the quotes and dashes Chinese uses.
#[inline]
pub fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c,
            '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation: 。、「」〔〕
            | '\u{3040}'..='\u{30FF}' // kana
            | '\u{3100}'..='\u{312F}' // bopomofo
            | '\u{FE30}'..='\u{FE4F}' // CJK compatibility forms
            | '\u{FF00}'..='\u{FFEF}' // full-width forms: ，：（）
            | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' // ‘’“”
            | '\u{2014}' | '\u{2026}' | '\u{00B7}') // — … ·
}

/// Whether `text` shows anything on a page: not only spaces and the
/// zero-width characters that come with pasted text (zero-width spaces
/// and joiners, direction marks, byte-order marks, soft hyphens).
pub fn shows_anything(text: &str) -> bool {
    text.chars().any(|c| {
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    })
}

/// Characters that are read: everything but whitespace
/// ([`char::is_whitespace`]).
///
/// Counted on the bytes, as it runs over every notice's text: each byte
/// with the two after it, in blocks the compiler makes vector
/// instructions of (a block's count fits a byte).
pub fn count_chars(text: &str) -> usize {
    const BLOCK: usize = 128;
    let bytes = text.as_bytes();
    if bytes.len() < 3 {
        return count_from(bytes, 0);
    }
    let body = bytes.len() - 2;
    let mut count = 0;
    let mut block = 0;
    while block < body {
        let end = (block + BLOCK).min(body);
        let mut read = 0u8;
        for i in block..end {
            read += u8::from(starts_read_char(bytes[i], bytes[i + 1], bytes[i + 2]));
        }
        count += usize::from(read);
        block = end;
    }
    count + count_from(bytes, body)
}

/// [`count_chars`] of the bytes from `from` on, one at a time.
fn count_from(bytes: &[u8], from: usize) -> usize {
    (from..bytes.len())
        .filter(|&i| {
            let next = |k| bytes.get(i + k).copied().unwrap_or(0);
            starts_read_char(bytes[i], next(1), next(2))
        })
        .count()
}

/// Whether the character that byte `x` (followed by `y` and `z`) starts,
/// if it starts one, is read: not whitespace, of which the only kinds
/// outside ASCII are U+0085, U+00A0, U+1680, U+2000 to U+200A, U+2028,
/// U+2029, U+202F, U+205F and U+3000. Without branches, to be vectorized.
#[inline(always)]
fn starts_read_char(x: u8, y: u8, z: u8) -> bool {
    let starts = (x as i8) >= -0x40;
    let ascii = (x == b' ') | (b'\t'..=b'\r').contains(&x);
    let e2_80 = (0x80..=0x8A).contains(&z) | (z == 0xA8) | (z == 0xA9) | (z == 0xAF);
    let wide = ((x == 0xC2) & ((y == 0x85) | (y == 0xA0)))
        | ((x == 0xE1) & (y == 0x9A) & (z == 0x80))
        | ((x == 0xE2) & (y == 0x80) & e2_80)
        | ((x == 0xE2) & (y == 0x81) & (z == 0x9F))
        | ((x == 0xE3) & (y == 0x80) & (z == 0x80));
    starts & !ascii & !wide
}

/// Minutes to read, at 400 Chinese characters a minute; at least one.
pub fn reading_minutes(chars: usize) -> usize {
    chars.div_ceil(400).max(1)
}

/// Brackets that must not be cut apart by a summary.
const OPENERS: &str = "〔（(【[《“‘「『";
const CLOSERS: &str = "〕）)】]》”’」』";
const SENTENCE_ENDS: &str = "。！？!?；;";

/// Cuts `text` to at most `max` characters (plus an ellipsis when cut).
///
/// Prefers to end after a full sentence; never cuts a number (7230.3), a
/// bracketed span (〔2021〕, 《……》) or a character in half.
pub fn summarize(text: &str, max: usize) -> String {
    // Only the start matters: up to one character past the limit, so that
    // a long notice is not copied whole to make its summary.
    let collapsed = collapse_prefix(text, max + 1);
    let chars: Vec<char> = collapsed.chars().collect();
    if chars.len() <= max {
        return collapsed;
    }
    // The last sentence end within the limit, if it keeps at least half.
    let sentence = (max / 2..max)
        .rev()
        .find(|&i| SENTENCE_ENDS.contains(chars[i]) && !inside_brackets(&chars[..=i]));
    if let Some(i) = sentence {
        return chars[..=i].iter().collect();
    }
    let mut cut = max;
    // Step back out of any bracket that is still open at the cut.
    while cut > 0 && inside_brackets(&chars[..cut]) {
        cut = chars[..cut]
            .iter()
            .rposition(|c| OPENERS.contains(*c))
            .unwrap_or(0);
    }
    // Step back out of a number: 7230.3, 2021, 1.5万.
    while cut > 0
        && cut < chars.len()
        && is_number_char(chars[cut])
        && is_number_char(chars[cut - 1])
    {
        cut -= 1;
    }
    let kept: String = chars[..cut].iter().collect();
    let kept = kept.trim_end_matches(|c: char| "，、：:,；; ".contains(c));
    if kept.is_empty() {
        // A single bracket or number longer than the limit: cut it anyway.
        return chars[..max].iter().collect::<String>() + "……";
    }
    format!("{kept}……")
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || c == ','
}

/// Whether an opening bracket in `chars` is still unclosed at its end.
fn inside_brackets(chars: &[char]) -> bool {
    let mut depth = 0i32;
    for c in chars {
        if OPENERS.contains(*c) {
            depth += 1;
        } else if CLOSERS.contains(*c) {
            depth = (depth - 1).max(0);
        }
    }
    depth > 0
}

/// The first `limit` characters of `text` with its lines joined: whitespace
/// runs become one space, except between CJK characters where they vanish.
fn collapse_prefix(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len().min(limit.saturating_mul(4)));
    let mut pending_space = false;
    let mut count = 0;
    for c in text.chars() {
        if count >= limit {
            break;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            let prev = out.chars().next_back();
            if !(prev.is_some_and(is_cjk) && is_cjk(c)) {
                out.push(' ');
                count += 1;
                if count >= limit {
                    break;
                }
            }
            pending_space = false;
        }
        out.push(c);
        count += 1;
    }
    out
}

/// How alike two problem titles are, from 0 (nothing shared) to 1 (the
/// same words): the Dice coefficient of their character pairs, leaving out
/// the words every title has (`针对……的问题`) and punctuation, so that
/// `针对窗口作风不实的问题` and `窗口服务作风不实问题` come out alike.
pub fn likeness(a: &str, b: &str) -> f64 {
    fn pairs(t: &str) -> Vec<(char, char)> {
        let mut t = t.trim();
        for word in ["关于", "针对"] {
            t = t.strip_prefix(word).unwrap_or(t);
        }
        for word in ["的问题", "问题", "方面", "的"] {
            t = t.strip_suffix(word).unwrap_or(t);
        }
        let chars: Vec<char> = t.chars().filter(|c| c.is_alphanumeric()).collect();
        let mut pairs: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
        if pairs.is_empty() && chars.len() == 1 {
            pairs.push((chars[0], chars[0]));
        }
        pairs.sort_unstable();
        pairs
    }
    let (x, y) = (pairs(a), pairs(b));
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    // Both sorted: count the pairs they share, each as often as in both.
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * shared) as f64 / (x.len() + y.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_classes() {
        assert!(is_han('政') && is_cjk('政'));
        assert!(is_cjk('，') && is_cjk('“') && is_cjk('〔'));
        assert!(!is_han('，'));
        assert!(!is_cjk('a') && !is_cjk(','));
    }

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(summarize("根据区委统一部署。", 50), "根据区委统一部署。");
    }

    #[test]
    fn prefers_a_sentence_end() {
        let s = summarize("第一句话说完了。第二句话很长很长很长很长很长", 12);
        assert_eq!(s, "第一句话说完了。");
    }

    #[test]
    fn never_cuts_a_number() {
        let s = summarize("追回多付金额人民币7230.3元已转入单位帐户", 12);
        assert_eq!(s, "追回多付金额人民币……");
        assert_eq!(s.chars().filter(|c| c.is_ascii_digit()).count(), 0);
    }

    #[test]
    fn never_cuts_a_bracket() {
        let s = summarize("根据湘政协〔2021〕12号文件要求开展", 8);
        assert_eq!(s, "根据湘政协……");
        let s = summarize("学习《中华人民共和国公务员法》等法律法规", 10);
        assert_eq!(s, "学习……");
    }

    #[test]
    fn counts_characters_not_words() {
        assert_eq!(count_chars("政协 机关\n abc"), 7);
        // Every character of the first planes and some beyond, each
        // alone and between others: counted as `char::is_whitespace` says.
        let all: String = (0..0x3_1000).filter_map(char::from_u32).collect();
        let by_char = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
        assert_eq!(count_chars(&all), by_char(&all));
        for c in all.chars() {
            for t in [
                format!("政{c}a"),
                c.to_string(),
                format!("a{c}"),
                format!("{c}{c}"),
            ] {
                assert_eq!(count_chars(&t), by_char(&t), "{:X}", c as u32);
            }
        }
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(401), 2);
    }

    #[test]
    fn whitespace_between_han_vanishes() {
        assert_eq!(
            collapse_prefix("政协\n机关 and\nLatin  text", usize::MAX),
            "政协机关 and Latin text"
        );
    }

    proptest::proptest! {
        /// A summary reads only the start of a text: the start of the whole
        /// text collapsed.
        #[test]
        fn a_collapsed_start_is_the_start_of_the_collapsed_text(
            text in "[政协 \n\ta-c，。]{0,40}",
            limit in 0..30usize,
        ) {
            let whole: String = collapse_prefix(&text, usize::MAX).chars().take(limit).collect();
            proptest::prop_assert_eq!(collapse_prefix(&text, limit), whole);
        }
    }

    #[test]
    fn titles_of_one_problem_are_alike() {
        let a = "针对“一站式”服务窗口作风不实的问题";
        assert_eq!(likeness(a, a), 1.0);
        assert!(likeness(a, "针对一站式服务窗口作风不实问题（第一次通报第3项）") > 0.6);
        assert!(likeness(a, "针对发展党员工作程序不够规范的问题") < 0.2);
        assert!(likeness("", "") == 1.0 && likeness("针对", "问题") == 1.0);
        assert_eq!(likeness("考勤", ""), 0.0);
    }
}
