//! Amounts of money, kept as written and summed exactly in fen (分).

use std::fmt;

/// An amount in yuan: the text as the notice wrote it, and its value in fen.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Yuan {
    written: String,
    fen: i64,
}

impl Yuan {
    /// Reads `7230.3`, `10200`, `"31,626.00"` or `"7230.3元"`.
    pub fn parse(text: &str) -> Result<Yuan, String> {
        let trimmed = text.trim();
        let number = trimmed.strip_suffix('元').unwrap_or(trimmed).trim();
        let digits: String = number.chars().filter(|c| *c != ',').collect();
        let (whole, frac) = digits.split_once('.').unwrap_or((&digits, ""));
        let valid = !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && !(digits.contains('.') && frac.is_empty());
        if !valid {
            return Err(format!("“{text}”不是金额：请写成数字，例如 7230.3"));
        }
        if frac.len() > 2 {
            return Err(format!("金额“{text}”超过两位小数（最小单位是分）"));
        }
        let yuan: i64 = whole.parse().map_err(|_| format!("金额“{text}”太大了"))?;
        let fen_part: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let fen = yuan
            .checked_mul(100)
            .and_then(|f| f.checked_add(fen_part))
            .ok_or_else(|| format!("金额“{text}”太大了"))?;
        Ok(Yuan {
            written: number.to_string(),
            fen,
        })
    }

    pub fn fen(&self) -> i64 {
        self.fen
    }

    pub fn written(&self) -> &str {
        &self.written
    }

    /// As written, with thousands separators for reading: `7,230.3`.
    pub fn display(&self) -> String {
        group_thousands(&self.written)
    }
}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

/// Formats a sum of fen like a written amount: `49056.3`, `10200`.
pub fn format_fen(fen: i64) -> String {
    let yuan = fen / 100;
    match fen % 100 {
        0 => yuan.to_string(),
        c if c % 10 == 0 => format!("{yuan}.{}", c / 10),
        c => format!("{yuan}.{c:02}"),
    }
}

/// A sum of fen as a JSON number of yuan: `50227`, `7230.3`.
pub fn serialize_fen_as_yuan<S: serde::Serializer>(fen: &i64, s: S) -> Result<S::Ok, S::Error> {
    if fen % 100 == 0 {
        s.serialize_i64(fen / 100)
    } else {
        // Exact to the fen: at most 2 decimals, well within f64's digits.
        s.serialize_f64(*fen as f64 / 100.0)
    }
}

/// A sum of fen for reading, with thousands separators: `49,056.3`,
/// `1,020,000`.
pub fn display_fen(fen: i64) -> String {
    group_thousands(&format_fen(fen))
}

/// `7230.3` → `7,230.3`; an amount already grouped stays as it is.
fn group_thousands(amount: &str) -> String {
    if amount.contains(',') {
        return amount.to_string();
    }
    let (whole, frac) = amount
        .split_once('.')
        .map_or((amount, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::with_capacity(amount.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(f) = frac {
        grouped.push('.');
        grouped.push_str(f);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_their_written_form() {
        let a = Yuan::parse("7230.3").unwrap();
        assert_eq!((a.written(), a.fen()), ("7230.3", 723030));
        let b = Yuan::parse("31,626.00元").unwrap();
        assert_eq!((b.written(), b.fen()), ("31,626.00", 3162600));
        assert_eq!(Yuan::parse("10200").unwrap().written(), "10200");
    }

    #[test]
    fn sums_are_exact() {
        let total: i64 = ["7230.3", "10200", "31626"]
            .iter()
            .map(|v| Yuan::parse(v).unwrap().fen())
            .sum();
        assert_eq!(format_fen(total), "49056.3");
        assert_eq!(format_fen(5), "0.05");
        assert_eq!(format_fen(1234567), "12345.67");
    }

    #[test]
    fn displayed_sums_group_thousands() {
        assert_eq!(display_fen(104905630), "1,049,056.3");
        assert_eq!(display_fen(1020000), "10,200");
        assert_eq!(display_fen(99900), "999");
        assert_eq!(display_fen(100000), "1,000");
        assert_eq!(display_fen(5), "0.05");
        assert_eq!(display_fen(0), "0");
        assert_eq!(Yuan::parse("7230.30").unwrap().display(), "7,230.30");
        assert_eq!(Yuan::parse("31,626.00元").unwrap().display(), "31,626.00");
        assert_eq!(Yuan::parse("500").unwrap().display(), "500");
    }

    #[test]
    fn bad_amounts_are_refused() {
        assert!(Yuan::parse("七千元").is_err());
        assert!(Yuan::parse("1.234").unwrap_err().contains("两位小数"));
        assert!(Yuan::parse("-3").is_err());
        assert!(Yuan::parse("12.").is_err());
        assert!(Yuan::parse("").is_err());
    }
}
