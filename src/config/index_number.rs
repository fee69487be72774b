//! The 索引号 (index number) that government disclosure pages show: a
//! site pattern such as `{unit.code}/{year}-{seq:05}`, from which `new`
//! and `import` assign each notice its number once. A published number
//! never changes, so the number is written into the notice, not derived.

use std::fmt;

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// `{unit.code}`: the organisation code of the notice's unit.
    UnitCode,
    /// `{unit.slug}`
    UnitSlug,
    /// `{year}`: the year of the notice's publication date.
    Year,
    /// `{seq}` or `{seq:05}`: the notice's number in its unit and year,
    /// zero-padded to this width.
    Seq(usize),
}

/// A parsed `index_number` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPattern {
    pieces: Vec<Piece>,
    written: String,
}

/// Why a pattern cannot be used: the message and the column (from 1,
/// in characters) where the trouble is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub message: String,
    pub column: usize,
}

/// What a number is made of, for one notice.
#[derive(Debug, Clone, Copy)]
pub struct NumberFor<'a> {
    pub unit_code: Option<&'a str>,
    pub unit_slug: Option<&'a str>,
    pub year: i16,
}

impl IndexPattern {
    /// Reads a pattern; it must contain `{seq}`, so that two notices of a
    /// unit in a year never get the same number.
    pub fn parse(text: &str) -> Result<IndexPattern, PatternError> {
        let mut pieces = Vec::new();
        let mut rest = text;
        let mut column = 1;
        while let Some(open) = rest.find('{') {
            if let Some(stray) = rest[..open].find('}') {
                return Err(PatternError {
                    message: "“}”没有配对的“{”".into(),
                    column: column + rest[..stray].chars().count(),
                });
            }
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_string()));
            }
            column += rest[..open].chars().count();
            let Some(close) = rest[open..].find('}') else {
                return Err(PatternError {
                    message: "“{”没有配对的“}”".into(),
                    column,
                });
            };
            let name = &rest[open + 1..open + close];
            pieces.push(piece(name).ok_or_else(|| PatternError {
                message: format!("不认识的占位符 {{{name}}}"),
                column,
            })?);
            column += name.chars().count() + 2;
            rest = &rest[open + close + 1..];
        }
        if rest.contains('}') {
            return Err(PatternError {
                message: "“}”没有配对的“{”".into(),
                column: column + rest.find('}').map_or(0, |i| rest[..i].chars().count()),
            });
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        if !pieces.iter().any(|p| matches!(p, Piece::Seq(_))) {
            return Err(PatternError {
                message: "索引号格式里没有流水号 {seq}".into(),
                column: 1,
            });
        }
        Ok(IndexPattern {
            pieces,
            written: text.to_string(),
        })
    }

    /// Whether the pattern needs the unit's code.
    pub fn uses_unit(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::UnitCode | Piece::UnitSlug))
    }

    /// The number a notice of `of` gets after `existing` (the numbers the
    /// site's notices have): one more than the highest sequence number of
    /// the same unit and year. `None` when the pattern needs a unit code
    /// the notice's unit lacks.
    pub fn next<'e>(
        &self,
        of: NumberFor<'_>,
        existing: impl Iterator<Item = &'e str>,
    ) -> Option<String> {
        let highest = existing
            .filter_map(|n| self.sequence_in(n, of))
            .max()
            .unwrap_or(0);
        self.format(of, highest + 1)
    }

    /// The number with sequence `seq`.
    fn format(&self, of: NumberFor<'_>, seq: u64) -> Option<String> {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::UnitCode => out.push_str(of.unit_code?),
                Piece::UnitSlug => out.push_str(of.unit_slug?),
                Piece::Year => out.push_str(&of.year.to_string()),
                Piece::Seq(width) => out.push_str(&format!("{seq:0width$}")),
            }
        }
        Some(out)
    }

    /// The sequence number of `number`, if it is a number of this pattern
    /// for the same unit and year.
    fn sequence_in(&self, number: &str, of: NumberFor<'_>) -> Option<u64> {
        let mut rest = number;
        let mut seq = None;
        for p in &self.pieces {
            let fixed = match p {
                Piece::Text(t) => Some(t.clone()),
                Piece::UnitCode => Some(of.unit_code?.to_string()),
                Piece::UnitSlug => Some(of.unit_slug?.to_string()),
                Piece::Year => Some(of.year.to_string()),
                Piece::Seq(_) => None,
            };
            match fixed {
                Some(f) => rest = rest.strip_prefix(f.as_str())?,
                None => {
                    // The digits up to the next fixed piece.
                    let digits =
                        rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                    seq = Some(rest[..digits].parse().ok()?);
                    rest = &rest[digits..];
                }
            }
        }
        rest.is_empty().then_some(seq).flatten()
    }
}

fn piece(name: &str) -> Option<Piece> {
    Some(match name.trim() {
        "unit.code" => Piece::UnitCode,
        "unit.slug" => Piece::UnitSlug,
        "year" => Piece::Year,
        "seq" => Piece::Seq(1),
        other => {
            let width = other.strip_prefix("seq:")?;
            Piece::Seq(width.parse().ok().filter(|w| (1..=12).contains(w))?)
        }
    })
}

impl fmt::Display for IndexPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OF: NumberFor<'static> = NumberFor {
        unit_code: Some("11441234MB2C12345X"),
        unit_slug: Some("wenlv"),
        year: 2024,
    };

    #[test]
    fn the_next_number_follows_the_highest_of_its_unit_and_year() {
        let p = IndexPattern::parse("{unit.code}/{year}-{seq:05}").unwrap();
        assert_eq!(
            p.next(OF, std::iter::empty()).as_deref(),
            Some("11441234MB2C12345X/2024-00001")
        );
        let existing = [
            "11441234MB2C12345X/2024-00007",
            "11441234MB2C12345X/2023-00020",
            "OTHERCODE/2024-00099",
            "11441234MB2C12345X/2024-00003",
            "手写的编号",
        ];
        assert_eq!(
            p.next(OF, existing.into_iter()).as_deref(),
            Some("11441234MB2C12345X/2024-00008")
        );
    }

    #[test]
    fn a_pattern_without_a_unit_code_for_a_unit_without_one_gives_none() {
        let p = IndexPattern::parse("{unit.code}-{seq}").unwrap();
        let of = NumberFor {
            unit_code: None,
            ..OF
        };
        assert_eq!(p.next(of, std::iter::empty()), None);
        assert!(p.uses_unit());
        assert!(
            !IndexPattern::parse("XQ-{year}-{seq:3}")
                .unwrap()
                .uses_unit()
        );
    }

    #[test]
    fn mistakes_in_a_pattern_say_where() {
        let e = IndexPattern::parse("{unit.code}/{yaer}-{seq}").unwrap_err();
        assert_eq!(e.column, 13);
        assert!(e.message.contains("yaer"));
        assert!(IndexPattern::parse("{unit.code}/{year}").is_err());
        assert!(IndexPattern::parse("{seq").is_err());
        assert!(IndexPattern::parse("a}{seq}").is_err());
    }
}
