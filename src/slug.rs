//! ASCII slugs for URLs: Chinese names become pinyin.

use pinyin::ToPinyin;

/// The longest slug, in bytes: a slug is a folder's name (`notices/<slug>/`)
/// and a file's (`<slug>.docx`), which most file systems allow 255 bytes.
/// Room is left for `.docx` and a `-2` that tells two alike apart.
pub const MAX_LEN: usize = 240;

/// A slug is lowercase ASCII letters and digits joined by single hyphens,
/// at most [`MAX_LEN`] bytes, and no name Windows reserves.
pub fn is_valid(slug: &str) -> bool {
    !reserved_on_windows(slug)
        && !slug.is_empty()
        && slug.len() <= MAX_LEN
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether Windows refuses `slug` as a file or folder name (`nul`,
/// `com1`): the site is opened from USB sticks and Windows shares, where
/// `notices/nul/` cannot be made.
pub fn reserved_on_windows(slug: &str) -> bool {
    let stem = slug.split('.').next().unwrap_or(slug).to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit())
}

/// What to add to the hint for an invalid `slug`: why, when Windows
/// reserves it, else nothing.
pub fn reserved_hint(slug: &str) -> &'static str {
    if reserved_on_windows(slug) {
        "；也不能是 Windows 保留的名字 con、prn、aux、nul、com0–com9、lpt0–lpt9（网站复制到 Windows 电脑或 U 盘上时，这样的文件夹建不出来）"
    } else {
        ""
    }
}

/// Makes a slug of any text: `潮州市湘桥区政协机关` → `chao-zhou-shi-xiang-qiao-qu-zheng-xie-ji-guan`.
///
/// Each Han character becomes its pinyin syllable (without tones), Latin
/// words and numbers are kept lowercased, and everything else separates
/// words. Returns `None` when nothing usable is left (e.g. only punctuation).
/// A slug longer than [`MAX_LEN`] is cut after the last whole word that
/// fits (a word alone longer than that is cut where it must be).
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
    let slug = cut_at_word(&words.join("-"), MAX_LEN);
    (!slug.is_empty()).then_some(slug)
}

/// The words of `slug` from the first, as many as fit in `max` bytes;
/// the first word alone, cut, when even it does not fit.
fn cut_at_word(slug: &str, max: usize) -> String {
    let mut cut = String::new();
    for word in slug.split('-') {
        if !cut.is_empty() && cut.len() + 1 + word.len() > max {
            break;
        }
        if !cut.is_empty() {
            cut.push('-');
        }
        cut.push_str(word);
    }
    // ASCII only: any byte is a boundary.
    cut.truncate(max);
    cut
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
    // For each base met again, the first suffix not yet tried: thousands
    // of names alike (tags of emoji only) take linear time.
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    names
        .into_iter()
        .map(|name| {
            let base = slugify(name).unwrap_or_else(|| fallback.to_string());
            if taken.insert(base.clone()) {
                return base;
            }
            let n = next.entry(base.clone()).or_insert(2);
            loop {
                let slug = format!("{base}-{n}");
                *n += 1;
                if taken.insert(slug.clone()) {
                    return slug;
                }
            }
        })
        .collect()
}

/// How long the pinyin part of a file name may be, in bytes.
const FILE_SLUG_LEN: usize = 48;

/// The pinyin of `text` for a file name, cut at a syllable so that file
/// names stay short; `fallback` when it has nothing to spell.
pub fn short(text: &str, fallback: &str) -> String {
    let full = slugify(text).unwrap_or_else(|| fallback.into());
    cut_at_word(&full, FILE_SLUG_LEN)
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
    fn slugs_fit_in_a_file_name() {
        let long = slugify(&"长".repeat(80)).unwrap_or_default();
        assert!(
            long.len() <= MAX_LEN && long.len() > MAX_LEN - 6,
            "{}",
            long.len()
        );
        assert!(long.starts_with("zhang-") && long.ends_with("zhang") && is_valid(&long));
        // One word longer than a slug may be is cut inside it.
        assert_eq!(slugify(&"a".repeat(300)).map(|s| s.len()), Some(MAX_LEN));
        assert!(!is_valid(&"a".repeat(MAX_LEN + 1)));
        // Unchanged when it fits.
        assert_eq!(slugify("巡察整改").as_deref(), Some("xun-cha-zheng-gai"));
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
    fn windows_names_are_no_slugs() {
        for name in ["nul", "con", "aux", "prn", "com1", "lpt9"] {
            assert!(!is_valid(name), "{name}");
            assert!(!reserved_hint(name).is_empty());
        }
        for name in ["null", "console", "com10", "com", "nul-1"] {
            assert!(is_valid(name), "{name}");
        }
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
