//! `gongkai new "标题"`: a new notice with every field explained; in a
//! county's site, in its unit's folder and with its 索引号.

use crate::cli::NewArgs;
use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::SiteConfig;
use crate::config::county::closest_unit;
use crate::content::{Day, UnitId};
use crate::diagnostic::{Code, Diagnostic};
use crate::import::county;
pub use crate::import::numbering::Number;
use crate::import::numbering::{self, Numbering};
use crate::load;
use crate::slug;
use crate::yaml;

/// What `gongkai new` was asked for.
#[derive(Debug, Clone)]
pub struct NewOptions {
    pub root: PathBuf,
    pub title: String,
    /// Issuing body; the site's default when not given.
    pub organization: Option<String>,
    /// The slug of the unit whose column it goes to, in a county's site.
    pub unit: Option<String>,
    /// A category key for the notice's first problem.
    pub category: Option<String>,
    /// The publication date written into the notice.
    pub date: Day,
}

/// A notice `new` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// Relative to the site root.
    pub path: PathBuf,
    /// Its 索引号, when the site numbers its notices.
    pub number: Option<Number>,
}

/// Writes `content/notices/<date>-<pinyin of the title>.md`, or in a
/// county's site `content/<unit>/<date>-<unit>.md`; returns its path
/// relative to the site root.
pub fn new_notice(options: &NewOptions) -> Result<PathBuf, Vec<Diagnostic>> {
    create(options).map(|c| c.path)
}

/// Writes the notice; returns where, and its 索引号.
pub fn create(options: &NewOptions) -> Result<Created, Vec<Diagnostic>> {
    let config = SiteConfig::load(&options.root)?;
    let title = options.title.trim();
    if !crate::text::shows_anything(title) {
        return Err(vec![
            Diagnostic::error(Code::MissingTitle, "gongkai new", "标题是空的")
                .help("用法：gongkai new \"关于……的通报\""),
        ]);
    }
    // A control character or a line separator (pasted with the title)
    // would make a notice that does not build.
    if let Some(c) = title.chars().find(|&c| crate::yaml::unwritable(c)) {
        return Err(vec![
            Diagnostic::error(
                Code::MissingTitle,
                "gongkai new",
                format!("标题里有一个看不见的字符（U+{:04X}）", u32::from(c)),
            )
            .help("它常随着复制的文字带进来：请重新输入标题，或者删掉标题里的换行。"),
        ]);
    }
    let category = match &options.category {
        Some(key) => match config.category_id(key) {
            Some(_) => key.clone(),
            None => {
                return Err(vec![
                    Diagnostic::error(
                        Code::UnknownCategory,
                        "--category",
                        format!("未知的问题类别“{key}”"),
                    )
                    .help(format!(
                        "可用的类别（在 site.yaml 中定义）：{}",
                        config.category_list()
                    )),
                ]);
            }
        },
        None => config
            .categories
            .first()
            .map(|c| c.key.clone())
            .unwrap_or_default(),
    };
    let unit = unit(options, &config).map_err(|d| vec![d])?;
    let dir = county::folder(&config, unit);
    let name = match unit {
        Some(u) => config.unit(u).slug.clone(),
        None => slug::short(title, "notice"),
    };
    let stem = format!("{}-{name}", options.date.iso());
    let mut rel = dir.join(format!("{stem}.md"));
    let mut n = 2;
    // A link that points nowhere is taken too: writing would create its target.
    while options.root.join(&rel).symlink_metadata().is_ok() {
        rel = dir.join(format!("{stem}-{n}.md"));
        n += 1;
    }
    let number = index_number(options, &config, unit, &rel);
    let county = County { unit, number };
    let text = skeleton(options, &config, title, &category, &county);
    let path = options.root.join(&rel);
    crate::files::writable(&options.root, &rel).map_err(|d| vec![d])?;
    let written = fs::create_dir_all(options.root.join(&dir)).and_then(|()| fs::write(&path, text));
    written.map_err(|e| vec![Diagnostic::io(Code::Io, &rel, "写入", &e)])?;
    Ok(Created {
        path: rel,
        number: county.number,
    })
}

/// The unit the notice is for: `--unit`, else the unit `--org` (or the
/// site's organization) names. With units declared, one must be found.
fn unit(options: &NewOptions, config: &SiteConfig) -> Result<Option<UnitId>, Diagnostic> {
    let listed = || {
        config
            .units
            .iter()
            .map(|u| format!("{}（{}）", u.slug, u.name))
            .collect::<Vec<_>>()
            .join("、")
    };
    if config.units.is_empty() {
        return match &options.unit {
            Some(slug) => Err(Diagnostic::error(
                Code::UnknownUnit,
                "--unit",
                format!("site.yaml 没有 units，不能用 --unit {slug}"),
            )
            .help("一个单位的站点不用写 --unit；县里的站点请先在 site.yaml 里写上 units。")),
            None => Ok(None),
        };
    }
    if let Some(slug) = &options.unit {
        return config.unit_by_slug(slug).map(Some).ok_or_else(|| {
            Diagnostic::error(
                Code::UnknownUnit,
                "--unit",
                format!("没有 slug 为“{slug}”的单位"),
            )
            .help(format!("site.yaml 里的单位：{}", listed()))
        });
    }
    let name = options
        .organization
        .as_deref()
        .or(config.organization.as_deref());
    if let Some(id) = name.and_then(|n| config.unit_names.find(n)) {
        return Ok(Some(id));
    }
    let (at, message) = match &options.organization {
        Some(org) => (
            "--org",
            format!("“{org}”不是 site.yaml 里任何单位的名称、简称或别名"),
        ),
        None => (
            "gongkai new",
            "这个站点有多个单位，要写明通报是哪个单位的".to_string(),
        ),
    };
    let closest = name
        .and_then(|n| closest_unit(&config.units, n))
        .map(|u| format!("最接近的是 {}（{}）。", u.slug, u.name))
        .unwrap_or_default();
    Err(
        Diagnostic::error(Code::UnknownUnit, at, message).help(format!(
            "{closest}用 --unit 写明单位，例如 --unit {}。site.yaml 里的单位：{}",
            config.units[0].slug,
            listed()
        )),
    )
}

/// The notice's 索引号, when the site numbers its notices: the next of
/// its unit and year after the site's notices'.
fn index_number(
    options: &NewOptions,
    config: &SiteConfig,
    unit: Option<UnitId>,
    rel: &std::path::Path,
) -> Option<Number> {
    let pattern = config.index_number.as_ref()?;
    let existing: HashMap<PathBuf, String> = load::Notices::read_all(&options.root, Some(config))
        .into_valid()
        .iter()
        .filter_map(|n| Some((n.source.clone(), n.index_number.clone()?)))
        .collect();
    let asked = Numbering {
        path: rel.to_path_buf(),
        date: options.date,
        unit,
        has_units: !config.units.is_empty(),
    };
    numbering::number(pattern, config, &existing, &[asked]).pop()
}

/// Where a notice stands in a county's site.
struct County {
    unit: Option<UnitId>,
    number: Option<Number>,
}

fn skeleton(
    options: &NewOptions,
    config: &SiteConfig,
    title: &str,
    category: &str,
    county: &County,
) -> String {
    let organization = match (county.unit, &options.organization, &config.organization) {
        (Some(u), _, _) => format!(
            "organization: {}   # {} 的通报",
            yaml::scalar(&config.unit(u).name),
            config.unit(u).slug
        ),
        (None, Some(org), _) => format!("organization: {}", yaml::scalar(org)),
        (None, None, Some(default)) => format!(
            "# organization: {}   # 不写就用 site.yaml 里的单位",
            yaml::scalar(default)
        ),
        (None, None, None) => "organization: （请填写发布单位）".to_string(),
    };
    let index_number = match &county.number {
        Some(Number::Assigned(n) | Number::Kept(n)) => format!(
            "# 索引号：按 site.yaml 的 index_number 编好了，发布后不再改动\nindex_number: {}\n",
            yaml::scalar(n)
        ),
        Some(Number::Missing(why)) => format!("# index_number: 没有编：{why}\n"),
        None => String::new(),
    };
    let round = if config.rounds.is_empty() {
        String::new()
    } else {
        let rounds: Vec<String> = config
            .rounds
            .iter()
            .map(|r| format!("{}（{}）", r.id, r.name))
            .collect();
        format!(
            "  # round: {}   # 县里的巡察轮次，不写就按巡察开始日期归入：{}\n",
            config.rounds[0].id,
            rounds.join("、")
        )
    };
    let categories = config
        .categories
        .iter()
        .map(|c| format!("#   {}：{}", c.key, c.name))
        .collect::<Vec<_>>()
        .join("\n");
    let date = options.date.iso();
    format!(
        r#"---
# 通报标题
title: {title}
# 发布日期，写成 2021-11-26 的形式
date: {date}
# 成文日期（落款日期），与发布日期不同时写
# written: {date}
{index_number}# 发布单位
{organization}
# 文号，没有就删掉这一行
# doc_number: 〔{year}〕1号
# 标签，可以写几个，用逗号隔开
tags: [巡察整改]
# 草稿：写完、审核后删掉这一行（或改成 false）才会发布
draft: true
# 巡察（巡视）情况；不是整改通报就删掉这一段
inspection:
  kind: 巡察                # 巡察、巡视 或 督察
{round}  group: （请填写巡察组，如 市委第一巡察组）
  start: {date}            # 巡察开始日期
  end: {date}              # 巡察结束日期
  feedback: {date}         # 反馈意见日期
# 审核发布记录（党务公开条例第十五条）
# review:
#   reviewed_by: 办公室
#   secrecy_reviewed: true   # 已做保密审查
#   approved_by: 党组会议
#   approved_on: {date}
# 分项问题，按原文顺序，每个问题一段。category 可用：
{categories}
problems:
  - number: 1
    category: {category}
    title: 针对……的问题
    # 原因分析
    cause: |
      ……
    # 整改情况，可以写几段
    measures: |
      一是……；二是……。
    # 整改结果，照原文写，如：整改完成，长期推进 / 阶段性完成 / 正在整改 / 立行立改，整改完成
    result: 正在整改
    # 追回或退还的金额（元），没有就删掉这一行
    # recovered_yuan: 7230.3
---
根据……，现将整改进展情况通报如下。

<!-- problems -->
"#,
        title = yaml::scalar(title),
        year = options.date.year(),
    )
}

/// `gongkai new`: writes the notice and says where.
pub fn run(args: NewArgs) -> ExitCode {
    let options = NewOptions {
        root: args.site.root.clone(),
        title: args.title,
        organization: args.org,
        unit: args.unit,
        category: args.category,
        date: Day::today(),
    };
    match create(&options) {
        Ok(created) => {
            println!("{}", args.site.root.join(&created.path).display());
            match &created.number {
                Some(Number::Assigned(n) | Number::Kept(n)) => eprintln!("索引号：{n}"),
                Some(Number::Missing(why)) => eprintln!("没有编索引号：{why}"),
                None => {}
            }
            eprintln!(
                "已新建通报（草稿）。写完后删掉其中的 draft: true 一行，再运行 gongkai build。"
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprint!("{}", crate::diagnostic::Diagnostics(errors));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The notice `new` writes is read by the fast YAML reader, as the
    /// full one reads it, with or without a default organization.
    #[test]
    fn the_skeleton_is_read_fast() {
        for site in [
            "title: 党务公开\n",
            "title: 党务公开\norganization: 某机关\n",
        ] {
            let config =
                SiteConfig::parse(site, std::path::Path::new("site.yaml")).expect("a config");
            let options = NewOptions {
                root: PathBuf::new(),
                title: "关于“巡察”整改: 进展的通报".into(),
                organization: None,
                unit: None,
                category: None,
                date: Day::parse("2024-03-05").expect("a day"),
            };
            let county = County {
                unit: None,
                number: Some(Number::Assigned("XQ-2024-001".into())),
            };
            let text = skeleton(&options, &config, &options.title, "policy", &county);
            let yaml = text.split("---\n").nth(1).expect("front matter");
            let fast = crate::yaml::fast::read::<serde_yaml::Value>(yaml);
            assert!(fast.is_some(), "not read fast:\n{yaml}");
            assert_eq!(fast, serde_yaml::from_str(yaml).ok());
        }
    }
}
