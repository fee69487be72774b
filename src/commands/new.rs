//! `gongkai new "标题"`: a new notice with every field explained.

use crate::cli::NewArgs;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::SiteConfig;
use crate::content::Day;
use crate::diagnostic::{Code, Diagnostic};
use crate::folders::CONTENT;
use crate::slug;
use crate::yaml;

/// What `gongkai new` was asked for.
#[derive(Debug, Clone)]
pub struct NewOptions {
    pub root: PathBuf,
    pub title: String,
    /// Issuing body; the site's default when not given.
    pub organization: Option<String>,
    /// A category key for the notice's first problem.
    pub category: Option<String>,
    /// The publication date written into the notice.
    pub date: Day,
}

/// Writes `content/notices/<date>-<pinyin>.md`; returns its path relative
/// to the site root.
pub fn new_notice(options: &NewOptions) -> Result<PathBuf, Vec<Diagnostic>> {
    let config = SiteConfig::load(&options.root)?;
    let title = options.title.trim();
    if title.is_empty() {
        return Err(vec![
            Diagnostic::error(Code::MissingTitle, "gongkai new", "标题是空的")
                .help("用法：gongkai new \"关于……的通报\""),
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
    let dir = PathBuf::from(CONTENT).join("notices");
    let stem = format!("{}-{}", options.date.iso(), slug::short(title, "notice"));
    let mut rel = dir.join(format!("{stem}.md"));
    let mut n = 2;
    while options.root.join(&rel).exists() {
        rel = dir.join(format!("{stem}-{n}.md"));
        n += 1;
    }
    let text = skeleton(options, &config, title, &category);
    let path = options.root.join(&rel);
    let written = fs::create_dir_all(options.root.join(&dir)).and_then(|()| fs::write(&path, text));
    written.map_err(|e| vec![Diagnostic::error(Code::Io, &rel, format!("无法写入：{e}"))])?;
    Ok(rel)
}

fn skeleton(options: &NewOptions, config: &SiteConfig, title: &str, category: &str) -> String {
    let organization = match (&options.organization, &config.organization) {
        (Some(org), _) => format!("organization: {}", yaml::scalar(org)),
        (None, Some(default)) => format!(
            "# organization: {}   # 不写就用 site.yaml 里的单位",
            yaml::scalar(default)
        ),
        (None, None) => "organization: （请填写发布单位）".to_string(),
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
# 发布单位
{organization}
# 文号，没有就删掉这一行
# doc_number: 〔{year}〕1号
# 标签，可以写几个，用逗号隔开
tags: [巡察整改]
# 草稿：写完、审核后删掉这一行（或改成 false）才会发布
draft: true
# 巡察（巡视）情况；不是整改通报就删掉这一段
inspection:
  kind: 巡察                # 巡察 或 巡视
  group: （请填写巡察组，如 市委第一巡察组）
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
        category: args.category,
        date: Day::today(),
    };
    match new_notice(&options) {
        Ok(path) => {
            println!("{}", args.site.root.join(&path).display());
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
                category: None,
                date: Day::parse("2024-03-05").expect("a day"),
            };
            let text = skeleton(&options, &config, &options.title, "policy");
            let yaml = text.split("---\n").nth(1).expect("front matter");
            let fast = crate::yaml::fast::read::<serde_yaml::Value>(yaml);
            assert!(fast.is_some(), "not read fast:\n{yaml}");
            assert_eq!(fast, serde_yaml::from_str(yaml).ok());
        }
    }
}
