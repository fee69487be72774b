//! `--category-map KEY=TEXT`, read against the site's categories: the
//! pairs the importer places headings by.

use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic};

/// Parses `KEY=TEXT` pairs; every key must be a category of the site.
pub(super) fn category_map(
    pairs: &[String],
    config: &SiteConfig,
) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let mut map = Vec::new();
    let mut errors = Vec::new();
    for pair in pairs {
        match pair.split_once('=') {
            Some((key, text))
                if config.category_id(key.trim()).is_some() && !text.trim().is_empty() =>
            {
                map.push((key.trim().to_string(), text.trim().to_string()));
            }
            Some((key, text)) if !text.trim().is_empty() => errors.push(
                Diagnostic::error(
                    Code::UnknownCategory,
                    "--category-map",
                    format!("未知的问题类别“{}”", key.trim()),
                )
                .help(format!(
                    "可用的类别（在 site.yaml 中定义）：{}",
                    config.category_list()
                )),
            ),
            _ => errors.push(
                Diagnostic::error(
                    Code::ImportMap,
                    "--category-map",
                    format!("“{pair}”的写法不对"),
                )
                .help("写成 类别=标题里的文字，例如 --category-map team=干部队伍建设"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}
