//! The deadline of a problem's rectification (整改时限), as notices write
//! it: `2023年12月底前`, `2023年6月30日`, `2023年上半年`, `长期坚持`. The
//! words are kept for display; what they mean (a day, or "long-term") is
//! what the ledger counts with.

use std::sync::LazyLock;

use regex::Regex;

use super::Day;

/// A deadline as written, and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Deadline {
    /// The words as the notice wrote them.
    pub written: String,
    pub due: Due,
}

/// What a deadline means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Due {
    /// By the end of this day.
    By(Day),
    /// A standing task, kept up without an end (长期坚持).
    LongTerm,
    /// At once (立行立改).
    Immediate,
}

impl Deadline {
    /// Reads a deadline; an error says what was not understood.
    pub fn parse(text: &str) -> Result<Deadline, String> {
        let written = text.trim().to_string();
        let t: String = written
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .filter(|c| !c.is_whitespace())
            .collect();
        let due = match day_of(&t) {
            Some(Ok(day)) => Due::By(day),
            Some(Err(e)) => return Err(e),
            None if ["立行立改", "即知即改", "立即"]
                .iter()
                .any(|w| t.contains(w)) =>
            {
                Due::Immediate
            }
            None if ["长期", "常态", "持续"].iter().any(|w| t.contains(w)) => Due::LongTerm,
            None => {
                return Err(format!(
                    "整改时限“{written}”读不出日期：请写成 2023年12月底前、2023年6月30日、2023年上半年、2023年第三季度 或 长期坚持"
                ));
            }
        };
        Ok(Deadline { written, due })
    }

    /// The day, for a deadline that has one.
    pub fn day(&self) -> Option<Day> {
        match self.due {
            Due::By(d) => Some(d),
            _ => None,
        }
    }
}

/// The forms a dated deadline takes, each with how to read its day.
static FORMS: LazyLock<Vec<(Regex, Form)>> = LazyLock::new(|| {
    let form = |pattern: &str, form| {
        let re = Regex::new(&format!(
            "^{pattern}(?:之前|以前|前|内)?(?:完成整改|完成|整改到位|到位)?(?:[，,。；;].*)?$"
        ))
        .unwrap_or_else(|e| panic!("{pattern}: {e}"));
        (re, form)
    };
    vec![
        form(r"(\d{4})[年\-/.](\d{1,2})[月\-/.](\d{1,2})日?", Form::Day),
        form(
            r"(\d{4})年(\d{1,2})月(上旬|中旬|下旬|底|末|份)?",
            Form::Month,
        ),
        form(r"(\d{4})年(上半年|下半年)(?:底|末)?", Form::Half),
        form(
            r"(\d{4})年(?:第)?([一二三四1-4])季度(?:底|末)?",
            Form::Quarter,
        ),
        form(r"(\d{4})年(?:底|末|年底|年末|内|全年|以内)?", Form::Year),
    ]
});

#[derive(Debug, Clone, Copy)]
enum Form {
    Day,
    Month,
    Half,
    Quarter,
    Year,
}

/// The day a dated deadline falls on: `None` when `t` names no date.
fn day_of(t: &str) -> Option<Result<Day, String>> {
    let (caps, form) = FORMS
        .iter()
        .find_map(|(re, form)| re.captures(t).map(|c| (c, *form)))?;
    let number = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<i16>().ok());
    let year = number(1)?;
    let (month, day) = match form {
        Form::Day => (number(2)?, number(3)?),
        Form::Month => {
            let month = number(2)?;
            match caps.get(3).map(|m| m.as_str()) {
                Some("上旬") => (month, 10),
                Some("中旬") => (month, 20),
                _ => (month, 0),
            }
        }
        Form::Half => match caps.get(2).map(|m| m.as_str()) {
            Some("上半年") => (6, 0),
            _ => (12, 0),
        },
        Form::Quarter => {
            let q = match caps.get(2).map(|m| m.as_str())? {
                "一" | "1" => 1,
                "二" | "2" => 2,
                "三" | "3" => 3,
                _ => 4,
            };
            (q * 3, 0)
        }
        Form::Year => (12, 0),
    };
    let text = if day == 0 {
        // The last day of the month.
        let first = match jiff::civil::Date::new(year, month as i8, 1) {
            Ok(d) => d,
            Err(_) => return Some(Err(format!("整改时限“{t}”的月份不对"))),
        };
        first.last_of_month().to_string()
    } else {
        format!("{year}-{month:02}-{day:02}")
    };
    Some(Day::parse(&text).map_err(|e| format!("整改时限{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(text: &str) -> Due {
        Deadline::parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .due
    }

    fn by(iso: &str) -> Due {
        Due::By(Day::parse(iso).unwrap())
    }

    #[test]
    fn dates_as_notices_write_them() {
        assert_eq!(due("2023年12月底前"), by("2023-12-31"));
        assert_eq!(due("2023年12月31日前"), by("2023-12-31"));
        assert_eq!(due("2023年6月30日"), by("2023-06-30"));
        assert_eq!(due("2023-06-30"), by("2023-06-30"));
        assert_eq!(due("2023年2月"), by("2023-02-28"));
        assert_eq!(due("2024年2月底"), by("2024-02-29"));
        assert_eq!(due("2023年6月中旬"), by("2023-06-20"));
        assert_eq!(due("2023年底前"), by("2023-12-31"));
        assert_eq!(due("2023年年底"), by("2023-12-31"));
        assert_eq!(due("2023年上半年"), by("2023-06-30"));
        assert_eq!(due("2023年第三季度"), by("2023-09-30"));
        assert_eq!(due("２０２３年３季度末"), by("2023-09-30"));
        assert_eq!(due("2023年12月底前完成，长期坚持"), by("2023-12-31"));
    }

    #[test]
    fn standing_and_immediate_tasks() {
        assert_eq!(due("长期坚持"), Due::LongTerm);
        assert_eq!(due("长期推进"), Due::LongTerm);
        assert_eq!(due("常态化推进"), Due::LongTerm);
        assert_eq!(due("立行立改"), Due::Immediate);
        assert_eq!(Deadline::parse(" 长期坚持 ").unwrap().written, "长期坚持");
    }

    #[test]
    fn what_is_not_a_deadline() {
        for text in ["尽快", "2023年13月", "下个月", "2023年2月30日", ""] {
            assert!(Deadline::parse(text).is_err(), "{text}");
        }
    }
}
