//! The 自查报告 of `check --report FILE.html`: every finding, grouped under
//! the indicators of the 政府网站与政务新媒体检查指标 (国办秘函〔2019〕19号)
//! that an inspector would count it under, with counts and the official
//! thresholds, for the person who answers to the inspectors. One
//! self-contained HTML file in Chinese: it prints on A4 and needs nothing
//! from elsewhere.

use serde::Serialize;

use crate::content::Day;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Severity};

use super::Scope;

/// The indicators a finding is counted under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    /// 单项否决: 安全、泄密事故等严重问题 — 出现严重表述错误.
    SeriousErrors,
    /// 单项否决: 栏目不更新 (and 空白栏目).
    Columns,
    /// 扣分: 可用性 — 链接不可用.
    Links,
    /// 扣分: 可用性 — 附件无法下载.
    Attachments,
    /// 扣分: 网站标识与页面标签.
    Marks,
    /// Not an indicator of the spot checks: personal data.
    Privacy,
    /// Not an indicator of the spot checks: gongkai's other checks.
    Other,
}

/// The parts of the indicators, as the official text orders them.
const PARTS: [(&str, &str, &[Indicator]); 3] = [
    (
        "单项否决指标",
        "出现其中任意一种情形，即判定为不合格网站，不再对其他指标评分。",
        &[Indicator::SeriousErrors, Indicator::Columns],
    ),
    (
        "扣分指标",
        "每发现一处按检查指标扣分；得分低于 60 分判定为不合格网站。",
        &[Indicator::Links, Indicator::Attachments, Indicator::Marks],
    ),
    (
        "其他检查（不属于检查指标，发布前也应处理）",
        "gongkai 在发布前做的其他检查。",
        &[Indicator::Privacy, Indicator::Other],
    ),
];

impl Indicator {
    /// The indicator `code` is counted under.
    pub fn of(code: Code) -> Indicator {
        match code {
            Code::SeriousTypo => Indicator::SeriousErrors,
            Code::StaleColumn | Code::EmptyColumn => Indicator::Columns,
            Code::BrokenLink
            | Code::BrokenAnchor
            | Code::MissingImage
            | Code::ExternalLink
            | Code::ExternalUnreachable => Indicator::Links,
            Code::MissingAttachment | Code::AttachmentPath => Indicator::Attachments,
            Code::MissingMeta => Indicator::Marks,
            Code::PrivacyIdNumber | Code::PrivacyMobile | Code::PrivacyBankCard => {
                Indicator::Privacy
            }
            _ => Indicator::Other,
        }
    }

    /// Its anchor in the report.
    fn id(self) -> &'static str {
        match self {
            Indicator::SeriousErrors => "serious-errors",
            Indicator::Columns => "columns",
            Indicator::Links => "links",
            Indicator::Attachments => "attachments",
            Indicator::Marks => "marks",
            Indicator::Privacy => "privacy",
            Indicator::Other => "other",
        }
    }

    /// Its name, and the official wording of what it counts.
    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Indicator::SeriousErrors => (
                "严重错误（安全、泄密事故等严重问题：出现严重表述错误）",
                "出现严重表述错误即单项否决。2015 年全国政府网站普查：国名、国家机构名称、党和国家领导人姓名等严重错别字超过 3 处即判定不合格。",
            ),
            Indicator::Columns => (
                "栏目不更新（含空白栏目）",
                "监测时间点前 6 个月内的通知公告、政策文件类一级栏目累计超过（含）5 个未更新，或应更新但长期未更新的栏目超过（含）10 个，或空白栏目超过（含）5 个，即单项否决。",
            ),
            Indicator::Links => (
                "链接不可用",
                "首页和其他页面上不能正常访问的链接（含图片、站外链接）按个数扣分。",
            ),
            Indicator::Attachments => (
                "附件无法下载",
                "页面上提供的文件附件不能正常下载的，按个数扣分。",
            ),
            Indicator::Marks => (
                "网站标识与页面标签",
                "页面应带《政府网站发展指引》规定的页面标签（元数据），页脚应有网站标识码。",
            ),
            Indicator::Privacy => (
                "个人信息保护",
                "身份证号码、手机号码、银行卡号等个人信息不得公开（gongkai 拒绝生成含有未审查号码的网站）。",
            ),
            Indicator::Other => (
                "内容完整与格式",
                "整改结果、监督方式、审批记录、日期、编号等（代码见 README 的诊断代码表）。",
            ),
        }
    }

    /// What the findings mean for the indicator, in one sentence.
    fn verdict(self, findings: &[&Diagnostic]) -> (&'static str, String) {
        let count = |code: Code| findings.iter().filter(|d| d.code == code).count();
        match (self, findings.len()) {
            (_, 0) => ("fine", "未发现问题。".into()),
            (Indicator::SeriousErrors, n) => (
                "veto",
                format!("发现 {n} 处严重错误：任何一处都可能被判为单项否决，发布前必须改正。"),
            ),
            (Indicator::Columns, _) => {
                let (stale, empty) = (count(Code::StaleColumn), count(Code::EmptyColumn));
                if stale >= 5 || empty >= 5 {
                    (
                        "veto",
                        format!(
                            "{stale} 个栏目未更新，{empty} 个空白栏目：已达到单项否决的标准（5 个）。"
                        ),
                    )
                } else {
                    (
                        "risk",
                        format!(
                            "{stale} 个栏目未更新，{empty} 个空白栏目：未达到单项否决的标准（5 个），仍应及时更新。"
                        ),
                    )
                }
            }
            (Indicator::Privacy | Indicator::Other, n) => {
                ("risk", format!("发现 {n} 处，请逐条核对。"))
            }
            (_, n) => ("risk", format!("发现 {n} 处，每处都会扣分。")),
        }
    }
}

#[derive(Serialize)]
struct ReportView<'a> {
    title: &'a str,
    organization: Option<&'a str>,
    date: String,
    generator: String,
    scope: ScopeView,
    parts: Vec<PartView>,
    withheld: Vec<WithheldView>,
    errors: usize,
    warnings: usize,
    vetoes: usize,
}

#[derive(Serialize)]
struct ScopeView {
    notices: usize,
    pages: usize,
    external_checked: bool,
    external_links: usize,
    columns: Vec<ColumnView>,
}

#[derive(Serialize)]
struct ColumnView {
    name: String,
    path: String,
    latest: Option<String>,
}

#[derive(Serialize)]
struct PartView {
    name: &'static str,
    note: &'static str,
    indicators: Vec<IndicatorView>,
}

#[derive(Serialize)]
struct IndicatorView {
    id: &'static str,
    /// As the summary table names it.
    short: &'static str,
    name: &'static str,
    rule: &'static str,
    count: usize,
    state: &'static str,
    verdict: String,
    findings: Vec<FindingView>,
}

#[derive(Serialize)]
struct FindingView {
    location: String,
    severity: &'static str,
    code: &'static str,
    message: String,
    hint: Option<String>,
    source: Option<String>,
}

#[derive(Serialize)]
struct WithheldView {
    file: String,
    reason: String,
}

/// The site and its check, as the report names them.
pub struct Subject<'a> {
    pub title: &'a str,
    pub organization: Option<&'a str>,
    pub today: Day,
}

/// The report as a whole HTML document.
pub fn html(
    subject: &Subject<'_>,
    found: &Diagnostics,
    withheld: &[(std::path::PathBuf, String)],
    scope: &Scope,
) -> Result<String, String> {
    let parts: Vec<PartView> = PARTS
        .iter()
        .map(|&(name, note, indicators)| PartView {
            name,
            note,
            indicators: indicators.iter().map(|&i| indicator(i, found)).collect(),
        })
        .collect();
    let vetoes = parts[0]
        .indicators
        .iter()
        .filter(|i| i.state == "veto")
        .count();
    let view = ReportView {
        title: subject.title,
        organization: subject.organization,
        date: subject.today.chinese(),
        generator: format!("gongkai {}", env!("CARGO_PKG_VERSION")),
        scope: ScopeView {
            notices: scope.notices,
            pages: scope.pages,
            external_checked: scope.external_links.is_some(),
            external_links: scope.external_links.unwrap_or(0),
            columns: scope
                .columns
                .iter()
                .map(|c| ColumnView {
                    name: c.name.clone(),
                    path: c.path.clone(),
                    latest: c.latest.map(Day::chinese),
                })
                .collect(),
        },
        parts,
        withheld: withheld
            .iter()
            .map(|(file, reason)| WithheldView {
                file: file.display().to_string(),
                reason: reason.clone(),
            })
            .collect(),
        errors: found.error_count(),
        warnings: found.warnings().count(),
        vetoes,
    };
    let mut tera = tera::Tera::new();
    tera.autoescape_on(["report.html"]);
    tera.add_raw_template("report.html", include_str!("report.html"))
        .map_err(|e| e.to_string())?;
    let context = tera::Context::from_serialize(&view).map_err(|e| e.to_string())?;
    tera.render("report.html", &context)
        .map_err(|e| e.to_string())
}

fn indicator(i: Indicator, found: &Diagnostics) -> IndicatorView {
    let mine: Vec<&Diagnostic> = found
        .0
        .iter()
        .filter(|d| Indicator::of(d.code) == i)
        .collect();
    let (name, rule) = i.describe();
    let (state, verdict) = i.verdict(&mine);
    IndicatorView {
        id: i.id(),
        short: name.split('（').next().unwrap_or(name),
        name,
        rule,
        count: mine.len(),
        state,
        verdict,
        findings: mine
            .iter()
            .map(|d| FindingView {
                location: d.location(),
                severity: match d.severity {
                    Severity::Error => "错误",
                    Severity::Warning => "警告",
                },
                code: d.code.as_str(),
                message: d.message.clone(),
                hint: d.help.clone(),
                source: d.source_line.clone(),
            })
            .collect(),
    }
}
