//! `gongkai init DIR`: a complete new site that builds at once.

use crate::cli::InitArgs;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::content::Day;
use crate::diagnostic::{Code, Diagnostic};
use crate::yaml;

/// What `gongkai init` was asked for.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    /// The issuing body; a placeholder when not given.
    pub organization: Option<String>,
    /// Write into a folder that is not empty (same-named files are replaced).
    pub force: bool,
    /// The date of the example notice.
    pub date: Day,
}

/// Creates the site; returns the files written, relative to `dir`.
pub fn init(options: &InitOptions) -> Result<Vec<PathBuf>, Diagnostic> {
    let dir = &options.dir;
    if !options.force && has_visible_entries(dir) {
        return Err(Diagnostic::error(Code::Init, dir, "文件夹不是空的").help(
            "请换一个新的或空的文件夹；确实要在这里创建，请加 --force（同名文件会被覆盖）。",
        ));
    }
    let organization = options
        .organization
        .as_deref()
        .unwrap_or("（请填写单位名称）");
    let date = options.date.iso();
    let files: Vec<(PathBuf, String)> = vec![
        (PathBuf::from("site.yaml"), site_yaml(organization)),
        (
            PathBuf::from(format!("content/notices/{date}-shi-li.md")),
            example_notice(&date),
        ),
        (
            PathBuf::from(".gitignore"),
            "/public/\n/.public.gongkai-*\n".to_string(),
        ),
    ];
    let io = |path: &Path, e: std::io::Error| Diagnostic::io(Code::Io, path, "写入", &e);
    for rel in files
        .iter()
        .map(|(rel, _)| rel.as_path())
        .chain([Path::new("static")])
    {
        crate::files::writable(dir, rel)?;
    }
    fs::create_dir_all(dir.join("static")).map_err(|e| io(&dir.join("static"), e))?;
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        fs::write(&path, text).map_err(|e| io(&path, e))?;
    }
    Ok(files
        .into_iter()
        .map(|(rel, _)| rel)
        .chain([PathBuf::from("static/")])
        .collect())
}

/// Whether `dir` holds anything but hidden entries (a fresh `git init` is fine).
fn has_visible_entries(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| !e.file_name().to_string_lossy().starts_with('.'))
    })
}

pub(crate) fn site_yaml(organization: &str) -> String {
    format!(
        r#"# 站点配置（site configuration）。以 # 开头的是说明，改完运行 gongkai build 生成网站。

# 网站名称，显示在每个页面顶部，也是 SiteName 元数据
title: 党务公开
# 一句话介绍，显示在首页（可选）
description: 党务公开：巡察整改进展情况通报及其他党务公开事项。
# 默认的发布单位，也是页脚的主办单位；每篇通报也可以自己写 organization
organization: {organization}
# 栏目名称（ColumnName 元数据）
column: 党务公开
# 网站部署后的完整地址（可选）。写了才生成 feed.xml、sitemap.xml 和 canonical 链接
# base_url: https://www.example.gov.cn/dwgk/
# 网页语言
language: zh-CN

# 默认的监督方式，显示在每篇通报末尾和页脚；通报也可以写自己的 contact
contact:
  phone: 0000-0000000                  # 电话
  address: （请填写邮政信箱或地址）       # 邮政信箱 / 地址
  postcode: "000000"                    # 邮政编码（加引号，免得开头的 0 丢掉）
  email: example@example.gov.cn         # 电子邮箱
  # intro: 欢迎广大干部群众进行监督。     # 联系方式前面的一句话（不写就用主题默认的）
  # note: 也可径向区委巡察办反映……       # 其他说明

# 页脚
footer:
  icp: （请填写ICP备案号）               # ICP 备案号，如 粤ICP备12345678号
  # police: 粤公网安备 44510202000001号   # 公安备案号
  # site_id_code: "4451020001"           # 网站标识码（SiteIDCode）
  # note: 其他页脚文字

# 问题类别，按显示顺序。key 用在通报的 category 和网址里（小写字母、数字、-），
# name 是全称，short 是简称。换一轮巡察、换一种分类，改这里即可。
categories:
  - key: policy
    name: 贯彻落实党的路线方针政策和党中央决策部署存在的问题
    short: 政策落实
  - key: conduct
    name: 群众身边腐败问题和不正之风方面
    short: 作风纪律
  - key: team
    name: 党组织领导班子和干部队伍建设方面
    short: 班子队伍

# 每页显示多少篇通报、多少个问题
notices_per_page: 20
problems_per_page: 50

# true：没有审批记录（review 中的保密审查、审批人、审批日期）的通报不发布
require_review: false

# 主题：default 是内置主题；把同名模板放进 templates/ 可以覆盖任何页面
theme: default
"#,
        organization = yaml::scalar(organization),
    )
}

fn example_notice(date: &str) -> String {
    format!(
        r#"---
title: 关于巡察整改进展情况的通报（示例）
date: {date}
tags: [巡察整改]
inspection:
  kind: 巡察
  group: 区委第一巡察组
  start: {date}
  end: {date}
  feedback: {date}
problems:
  - number: 1
    category: policy
    title: 针对理论学习不够深入的问题
    cause: |
      学习计划性不强，存在以会代学的现象。
    measures: |
      **一是**制定年度学习计划；**二是**每月集中学习一次。
    result: 整改完成，长期推进
  - number: 2
    category: conduct
    title: 针对财务报销把关不严的问题
    measures: |
      对近三年的报销凭证逐一核查，追回多报销的费用。
    result: 立行立改，整改完成
    recovered_yuan: 1200
---
（这是 gongkai init 生成的示例通报，请换成真实内容，或删除这个文件。）

根据区委统一部署，区委第一巡察组对本单位进行了巡察。按照党务公开原则和巡察工作有关要求，现将巡察整改进展情况予以公布。

<!-- problems -->
"#
    )
}

/// `gongkai init`: creates the site and lists its files.
pub fn run(args: InitArgs) -> ExitCode {
    let options = InitOptions {
        dir: args.dir.clone(),
        organization: args.org,
        force: args.force,
        date: Day::today(),
    };
    match init(&options) {
        Ok(files) => {
            println!("已创建站点 {}：", args.dir.display());
            for f in files {
                println!("  {}", f.display());
            }
            let dir = args.dir.display();
            println!("下一步：");
            println!("  1. 打开 {dir}/site.yaml，把（请填写……）和示例号码换成本单位的信息；");
            println!("  2. cd {dir}，用 gongkai new \"关于巡察整改进展情况的通报\" 新建通报，");
            println!("     或用 gongkai import 通报.docx 导入已有的 Word 通报；");
            println!(
                "  3. gongkai serve --open 边写边预览；gongkai check 检查；gongkai build 生成网站。"
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprint!("{error}");
            ExitCode::FAILURE
        }
    }
}
