//! Personal data that must not be disclosed: resident ID numbers, mobile
//! numbers and bank card numbers, found anywhere in a notice file.
//!
//! Each candidate is checked the way the number itself is built (the ID
//! number's check digit, the card's Luhn digit, the mobile prefix), so that
//! office landlines (0768-2100022), dates and amounts are not flagged.

use std::fmt;

use crate::diagnostic::Code;

/// What kind of personal number was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    IdNumber,
    Mobile,
    BankCard,
}

impl Kind {
    /// The stable code of the lint.
    pub fn code(self) -> Code {
        match self {
            Kind::IdNumber => Code::PrivacyIdNumber,
            Kind::Mobile => Code::PrivacyMobile,
            Kind::BankCard => Code::PrivacyBankCard,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::IdNumber => "居民身份证号码",
            Kind::Mobile => "手机号码",
            Kind::BankCard => "银行卡号",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One personal number in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    /// Byte offset and length of the number as written.
    pub offset: usize,
    pub len: usize,
    /// Its digits (and a final X), without separators.
    pub digits: String,
}

/// Finds every personal number in `text`.
pub fn scan(text: &str) -> Vec<Finding> {
    let bytes = text.as_bytes();
    let mut findings = Vec::new();
    let mut i = 0;
    while let Some(at) = next_digit(bytes, i) {
        i = at;
        let standalone = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !standalone {
            i += 1;
            continue;
        }
        let (end, digits) = number_at(bytes, i);
        let digits = digits.as_ref().and_then(Digits::as_str);
        if let Some((kind, digits)) = digits.and_then(|d| Some((classify(d)?, d))) {
            findings.push(Finding {
                kind,
                offset: i,
                len: end - i,
                digits: digits.to_string(),
            });
        }
        i = end.max(i + 1);
    }
    findings
}

/// The first ASCII digit at or after `from`. Every notice is scanned and
/// most of its text is Han characters, so eight bytes are tested at once.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::MAX / 255;
    let mut i = from;
    while i + 8 <= bytes.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[i..i + 8]);
        let x = u64::from_le_bytes(word);
        // Whether some byte is in 0x30..=0x39 (bit-twiddling "has between").
        let low = x & (ONES * 127);
        let between = (ONES * (127 + 0x3a) - low) & !x & (low + ONES * (127 - 0x2f)) & (ONES * 128);
        if between != 0 {
            break;
        }
        i += 8;
    }
    bytes[i.min(bytes.len())..]
        .iter()
        .position(u8::is_ascii_digit)
        .map(|p| i + p)
}

/// The digits of a number, kept on the stack: a personal number has at
/// most 19, longer runs only need their end found.
struct Digits {
    buf: [u8; 20],
    len: usize,
}

impl Digits {
    fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
        }
        self.len += 1;
    }

    /// The digits, or `None` when there were too many to be a number
    /// of interest.
    fn as_str(&self) -> Option<&str> {
        self.buf
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
    }
}

/// The number starting at `start`: digits, with single spaces or hyphens
/// between groups, and a final `X` (of an ID number). Returns its end and
/// its digits; a number glued to letters is not one.
fn number_at(bytes: &[u8], start: usize) -> (usize, Option<Digits>) {
    let mut digits = Digits {
        buf: [0; 20],
        len: 0,
    };
    let mut i = start;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            digits.push(bytes[i]);
            i += 1;
        }
        let separated =
            i + 1 < bytes.len() && matches!(bytes[i], b' ' | b'-') && bytes[i + 1].is_ascii_digit();
        if !separated {
            break;
        }
        i += 1;
    }
    if i < bytes.len() && matches!(bytes[i], b'X' | b'x') && digits.len == 17 {
        digits.push(b'X');
        i += 1;
    }
    if i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
        // Part of a code like `ABC123` or a hash: not a personal number.
        return (i, None);
    }
    if bytes.get(i) == Some(&b'/') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        // The organization's code of a 索引号 (`3704063704060004/2023-00364`),
        // which may happen to pass a card's check.
        return (i, None);
    }
    (i, Some(digits))
}

fn classify(digits: &str) -> Option<Kind> {
    match digits.len() {
        18 if id_check_digit_valid(digits) => Some(Kind::IdNumber),
        15 if old_id_plausible(digits) => Some(Kind::IdNumber),
        11 if is_mobile(digits) => Some(Kind::Mobile),
        13 if digits.starts_with("86") && is_mobile(&digits[2..]) => Some(Kind::Mobile),
        16..=19 if !digits.ends_with('X') && luhn_valid(digits) => Some(Kind::BankCard),
        _ => None,
    }
}

/// The check digit of an 18-digit resident ID number (GB 11643, ISO 7064
/// MOD 11-2).
pub fn id_check_digit_valid(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = id.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) || bytes[0] == b'0' {
        return false;
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    bytes[17].to_ascii_uppercase() == CHECK[(sum % 11) as usize]
}

/// A 15-digit (first-generation) ID number: a region code and a birth date.
fn old_id_plausible(id: &str) -> bool {
    let b = id.as_bytes();
    let two = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    b[0] != b'0' && (1..=12).contains(&two(8)) && (1..=31).contains(&two(10))
}

/// A mainland mobile number: 1, then 3–9, then nine digits.
fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// The Luhn check of bank card numbers.
pub fn luhn_valid(number: &str) -> bool {
    let mut sum = 0;
    for (i, b) in number.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !number.is_empty() && sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The word-at-a-time search finds the digit a byte-by-byte one does.
        #[test]
        fn next_digit_is_the_first_digit(
            bytes in proptest::collection::vec(proptest::sample::select(&b"09/:a\x80\xe4\xb8\xad\xff"[..]), 0..40),
            from in 0usize..40,
        ) {
            let naive = bytes.iter().enumerate().skip(from).find(|(_, b)| b.is_ascii_digit()).map(|(i, _)| i);
            proptest::prop_assert_eq!(next_digit(&bytes, from), naive);
        }
    }

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        scan(text).into_iter().map(|f| (f.kind, f.digits)).collect()
    }

    #[test]
    fn id_number_check_digit() {
        // The example of GB 11643.
        assert!(id_check_digit_valid("11010519491231002X"));
        assert!(id_check_digit_valid("11010519491231002x"));
        assert!(id_check_digit_valid("440524188001010014"));
        assert!(!id_check_digit_valid("110105194912310021"));
        assert!(!id_check_digit_valid("440524188001010015"));
        assert!(!id_check_digit_valid("44052418800101001"));
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("6222021234567890128"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid("6222021234567890127"));
        assert!(!luhn_valid(""));
    }

    #[test]
    fn finds_personal_numbers_in_chinese_text() {
        assert_eq!(
            kinds("身份证号11010519491231002X。"),
            [(Kind::IdNumber, "11010519491231002X".to_string())]
        );
        assert_eq!(
            kinds("旧证号110105491231002，"),
            [(Kind::IdNumber, "110105491231002".to_string())]
        );
        assert_eq!(
            kinds("联系人电话13800138000"),
            [(Kind::Mobile, "13800138000".to_string())]
        );
        assert_eq!(
            kinds("手机：138-0013-8000；"),
            [(Kind::Mobile, "13800138000".to_string())]
        );
        assert_eq!(
            kinds("+86 138 0013 8000"),
            [(Kind::Mobile, "8613800138000".to_string())]
        );
        assert_eq!(
            kinds("卡号6222 0212 3456 7890 128退回"),
            [(Kind::BankCard, "6222021234567890128".to_string())]
        );
    }

    #[test]
    fn an_index_number_is_no_card_number() {
        assert!(luhn_valid("3704063704060004"));
        assert_eq!(kinds("索 引 号:3704063704060004/2023-00364"), []);
        assert_eq!(
            kinds("卡号3704063704060004。"),
            [(Kind::BankCard, "3704063704060004".to_string())]
        );
    }

    #[test]
    fn office_numbers_dates_and_amounts_are_fine() {
        for text in [
            "电话：0768-2100022",
            "2021年4月28日至2021年8月26日",
            "2018-2021年三次会议",
            "追回多付金额人民币7230.3元、31626元",
            "湘组通[2019]94号",
            "邮政编码：521000",
            "12345678901",        // not a mobile prefix
            "4111111111111112",   // fails Luhn
            "110105194912310021", // wrong check digit, not Luhn either
            "ABC13800138000",     // part of a code
            "13800138000123",     // longer number
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn positions_point_at_the_number() {
        let text = "第一行\n手机13800138000。";
        let f = &scan(text)[0];
        assert_eq!(&text[f.offset..f.offset + f.len], "13800138000");
    }
}
