//! `check:` of `site.yaml`: what `gongkai check` looks for beyond what a
//! build refuses — how long a column may go without a notice, as of when,
//! and the site's own serious typos.

use serde::Deserialize;

use crate::yaml::Seg;

/// `check:` of `site.yaml`: what `gongkai check` looks for beyond what
/// `build` refuses, as the government-website spot checks look at a site.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// `stale_after` as written: `6个月`, `90天`, `1年`, or `不检查`.
    #[serde(
        default,
        rename = "stale_after",
        deserialize_with = "crate::yaml::text"
    )]
    stale_after_text: Option<String>,
    /// How long a column may go without a new notice; `None`: not checked.
    #[serde(skip)]
    pub stale_after: Option<Period>,
    /// As of when a column is stale: `today` (the default, as an inspector
    /// looks at the site) or `newest` (the site's newest notice, for an
    /// archive that is no longer added to).
    #[serde(default)]
    pub stale_as_of: StaleAsOf,
    /// The site's own serious typos, wrong → right: a leader's or the
    /// unit's name written wrong.
    #[serde(default)]
    pub typos: std::collections::BTreeMap<String, String>,
}

impl Default for CheckConfig {
    fn default() -> CheckConfig {
        CheckConfig {
            stale_after_text: None,
            stale_after: Some(Period::Months(6)),
            stale_as_of: StaleAsOf::default(),
            typos: Default::default(),
        }
    }
}

/// The day a column's last notice is measured against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaleAsOf {
    #[default]
    Today,
    Newest,
}

/// A span of time as `site.yaml` writes it: `6个月`, `90天`, `1年`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Months(u32),
}

impl Period {
    /// Reads `6个月` (also `6月`, `6 months`), `90天` (`90 days`), `1年`
    /// (`1 year`); `Ok(None)` for `不检查` or `off`.
    pub fn parse(text: &str) -> Result<Option<Period>, String> {
        let t: String = text.split_whitespace().collect::<Vec<_>>().join("");
        if matches!(t.as_str(), "不检查" | "off" | "false") {
            return Ok(None);
        }
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        let number: Option<u32> = t[..digits].parse().ok().filter(|n| *n > 0 && *n <= 3650);
        let period = match (number, &t[digits..]) {
            (Some(n), "个月" | "月" | "months" | "month") => Period::Months(n),
            (Some(n), "天" | "日" | "days" | "day") => Period::Days(n),
            (Some(n), "年" | "years" | "year") => Period::Months(n.saturating_mul(12)),
            _ => return Err(format!("“{text}”不是一段时间")),
        };
        Ok(Some(period))
    }
}

impl CheckConfig {
    /// Reads `stale_after` as written (its mistakes are [`validate`]'s).
    ///
    /// [`validate`]: CheckConfig::validate
    pub(super) fn read_period(&mut self) {
        if let Some(text) = &self.stale_after_text {
            self.stale_after = Period::parse(text).unwrap_or(None);
        }
    }

    /// Its mistakes, each reported with `error_at` at its field.
    pub(super) fn validate(&self, error_at: &mut impl FnMut(&[Seg<'_>], String, &str)) {
        let path = [Seg::Key("check"), Seg::Key("stale_after")];
        if let Some(text) = &self.stale_after_text
            && let Err(message) = Period::parse(text)
        {
            error_at(
                &path,
                message,
                "写成 6个月、90天 或 1年；不想检查栏目更新时写 不检查。",
            );
        }
        for (wrong, right) in &self.typos {
            let path = [Seg::Key("check"), Seg::Key("typos"), Seg::Key(wrong)];
            if wrong.trim().is_empty() || right.trim().is_empty() || wrong == right {
                error_at(
                    &path,
                    format!("错别字“{wrong}”→“{right}”写得不对"),
                    "每一行写 错误写法: 正确写法，两边都不能是空的，也不能相同，例如 某某县文化和旅游居: 某某县文化和旅游局",
                );
            }
        }
    }
}
