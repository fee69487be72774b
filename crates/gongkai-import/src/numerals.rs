//! Chinese numerals as bulletins write them: 一 to 九十九 in headings and
//! lists, digit by digit (二〇二一) in years.

/// Reads 一 … 九十九 (and 一百 … 九百九十九), as in `（十二）` or `十一月`.
pub fn parse(text: &str) -> Option<u32> {
    let mut total = 0;
    let mut pending: Option<u32> = None;
    let mut any = false;
    for c in text.chars() {
        any = true;
        match c {
            '十' => {
                total += pending.take().unwrap_or(1) * 10;
            }
            '百' => {
                total += pending.take()? * 100;
            }
            // The 零 of 一百零五 only holds a place.
            '零' | '〇' if total > 0 && pending.is_none() => {}
            _ => {
                if pending.is_some() {
                    return None;
                }
                pending = Some(digit(c)?);
            }
        }
    }
    let value = total + pending.unwrap_or(0);
    (any && value > 0).then_some(value)
}

/// One digit: 〇/零 to 九, also the forms Word and typists use for zero.
pub fn digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' | 'Ｏ' | 'O' | '0' => 0,
        '一' | '1' => 1,
        '二' | '2' => 2,
        '三' | '3' => 3,
        '四' | '4' => 4,
        '五' | '5' => 5,
        '六' | '6' => 6,
        '七' | '7' => 7,
        '八' | '8' => 8,
        '九' | '9' => 9,
        _ => return None,
    })
}

/// Reads a year written digit by digit: `二〇二一` → 2021.
pub fn year(text: &str) -> Option<i16> {
    let mut value: i16 = 0;
    let mut count = 0;
    for c in text.chars() {
        value = value.checked_mul(10)?.checked_add(digit(c)? as i16)?;
        count += 1;
    }
    (count == 4).then_some(value)
}

/// Writes 1 … 999 the way Word's `chineseCounting` lists do: 一, 十, 十一, 二十一.
pub fn write(n: u32) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digit = |d: u32| DIGITS[d as usize % 10];
    match n {
        0 => "〇".into(),
        1..=9 => digit(n).to_string(),
        10..=19 => format!(
            "十{}",
            if n > 10 {
                digit(n % 10).to_string()
            } else {
                String::new()
            }
        ),
        20..=99 => {
            let ones = if !n.is_multiple_of(10) {
                digit(n % 10).to_string()
            } else {
                String::new()
            };
            format!("{}十{ones}", digit(n / 10))
        }
        100..=999 => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", digit(rest)),
                10..=19 => format!("一{}", write(rest)),
                _ => write(rest),
            };
            format!("{}百{tail}", digit(n / 100))
        }
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_heading_numbers() {
        assert_eq!(parse("一"), Some(1));
        assert_eq!(parse("十"), Some(10));
        assert_eq!(parse("十二"), Some(12));
        assert_eq!(parse("二十"), Some(20));
        assert_eq!(parse("二十六"), Some(26));
        assert_eq!(parse("一百零五"), Some(105));
        assert_eq!(parse("一百"), Some(100));
        assert_eq!(parse(""), None);
        assert_eq!(parse("二三"), None);
        assert_eq!(parse("甲"), None);
    }

    #[test]
    fn reads_years_digit_by_digit() {
        assert_eq!(year("二〇二一"), Some(2021));
        assert_eq!(year("二零二二"), Some(2022));
        assert_eq!(year("二〇二"), None);
    }

    #[test]
    fn writes_what_it_reads() {
        for n in 1..=199 {
            let w = write(n);
            assert_eq!(parse(&w), Some(n), "{w}");
        }
        assert_eq!(write(11), "十一");
        assert_eq!(write(21), "二十一");
        assert_eq!(write(105), "一百零五");
        assert_eq!(write(110), "一百一十");
    }
}
