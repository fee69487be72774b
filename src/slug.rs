//! ASCII slugs for URLs: Chinese names become pinyin.

use pinyin::ToPinyin;

/// A slug is lowercase ASCII letters and digits joined by single hyphens.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Makes a slug of any text: `潮州市湘桥区政协机关` → `chao-zhou-shi-xiang-qiao-qu-zheng-xie-ji-guan`.
///
/// Each Han character becomes its pinyin syllable (without tones), Latin
/// words and numbers are kept lowercased, and everything else separates
/// words. Returns `None` when nothing usable is left (e.g. only punctuation).
pub fn slugify(text: &str) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let ascii = if c.is_ascii_alphanumeric() {
            Some(c.to_ascii_lowercase())
        } else {
            fullwidth_alnum(c)
        };
        if let Some(a) = ascii {
            current.push(a);
            continue;
        }
        if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        if let Some(p) = c.to_pinyin() {
            // `lü` (旅) is written `lv` in addresses, as in pinyin input.
            words.push(p.plain().replace('ü', "v"));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let slug = words.join("-");
    (!slug.is_empty()).then_some(slug)
}

/// `２０２１` and `ＡＢ` as ASCII.
fn fullwidth_alnum(c: char) -> Option<char> {
    let ascii = char::from_u32((c as u32).checked_sub(0xFEE0)?)?;
    ascii
        .is_ascii_alphanumeric()
        .then(|| ascii.to_ascii_lowercase())
}

/// Gives each name a distinct slug, in a stable order: the first name (in
/// `names` order) keeps the plain slug, later ones get `-2`, `-3`.
pub fn unique_slugs<'a>(names: impl IntoIterator<Item = &'a str>, fallback: &str) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let base = slugify(name).unwrap_or_else(|| fallback.to_string());
            let mut slug = base.clone();
            let mut n = 2;
            while !taken.insert(slug.clone()) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            slug
        })
        .collect()
}

/// How long the pinyin part of a file name may be, in bytes.
const FILE_SLUG_LEN: usize = 48;

/// The pinyin of `text` for a file name, cut at a syllable so that file
/// names stay short; `fallback` when it has nothing to spell.
pub fn short(text: &str, fallback: &str) -> String {
    let full = slugify(text).unwrap_or_else(|| fallback.into());
    let mut cut = String::new();
    for word in full.split('-') {
        if !cut.is_empty() && cut.len() + 1 + word.len() > FILE_SLUG_LEN {
            break;
        }
        if !cut.is_empty() {
            cut.push('-');
        }
        cut.push_str(word);
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_stay_short() {
        let s = short("关于巡察整改阶段性进展情况的通报（第二次）", "notice");
        assert!(s.len() <= FILE_SLUG_LEN, "{s}");
        assert!(s.starts_with("guan-yu-xun-cha"), "{s}");
        assert!(!s.ends_with('-'));
        assert_eq!(short("——", "notice"), "notice");
    }

    #[test]
    fn u_umlaut_is_v() {
        assert_eq!(slugify("旅游局").as_deref(), Some("lv-you-ju"));
        assert_eq!(slugify("绿色").as_deref(), Some("lv-se"));
    }

    #[test]
    fn chinese_becomes_pinyin() {
        assert_eq!(
            slugify("潮州市湘桥区政协机关").as_deref(),
            Some("chao-zhou-shi-xiang-qiao-qu-zheng-xie-ji-guan")
        );
        assert_eq!(slugify("巡察整改").as_deref(), Some("xun-cha-zheng-gai"));
        assert_eq!(
            slugify("2021年 ICP备案").as_deref(),
            Some("2021-nian-icp-bei-an")
        );
        assert_eq!(slugify("２０２１").as_deref(), Some("2021"));
        assert_eq!(slugify("——、。"), None);
    }

    #[test]
    fn validity() {
        assert!(is_valid("xiangqiao-zhengxie-2021"));
        for bad in ["", "A", "a b", "a--b", "-a", "a-", "中文", "a_b"] {
            assert!(!is_valid(bad), "{bad}");
        }
        assert!(is_valid(&slugify("湘桥区 政协").unwrap()));
    }

    #[test]
    fn homophones_get_distinct_slugs() {
        let slugs = unique_slugs(["公开", "公开", "——"], "tag");
        assert_eq!(slugs, ["gong-kai", "gong-kai-2", "tag"]);
    }
}
