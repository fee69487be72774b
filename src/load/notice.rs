//! Turning one notice file into a validated [`Notice`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::status::PhraseError;
use crate::content::{
    Contact, Day, Inspection, Notice, PrivacyReview, Problem, PublishDate, Review, Revision,
    SourceText, Status, Yuan,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::slug;
use crate::yaml::{self, Seg, YamlErrorKind};

use super::front_matter::{self, Split, SplitError};
use super::raw::{RawInspection, RawNotice, RawPrivacyReview, RawProblem, RawReview, RawRevision};

/// Parses the text of a notice file (UTF-8, without BOM). Returns the
/// notice with its warnings, or every mistake found, not only the first.
pub fn parse_notice(file: &Path, text: &str, config: &SiteConfig) -> super::Parsed {
    let split = front_matter::split(text).map_err(|e| vec![split_error(file, text, e)])?;
    let src = Source {
        file,
        text,
        yaml: split.yaml,
        yaml_line: split.yaml_line,
    };
    if split.yaml.trim().is_empty() {
        return Err(vec![
            Diagnostic::error(Code::FrontMatter, file, "front matter 是空的")
                .at(1, 1)
                .with_source(text)
                .help("至少要写 title（标题）和 date（发布日期），例如\ntitle: 关于巡察整改进展情况的通报\ndate: 2021-11-26"),
        ]);
    }
    let raw: RawNotice = yaml::parse(split.yaml).map_err(|e| {
        let help = e.help.or_else(|| {
            matches!(e.kind, YamlErrorKind::UnknownField(_)).then(|| fields_help(e.path.as_deref()))
        });
        let code = match &e.kind {
            YamlErrorKind::MissingField(f) if f == "date" => Code::MissingDate,
            YamlErrorKind::MissingField(f) if f == "title" => Code::MissingTitle,
            _ => Code::Yaml,
        };
        let d = src.at(code, e.line, e.column, e.message);
        vec![match help {
            Some(h) => d.help(h),
            None => d,
        }]
    })?;
    let mut check = Checker {
        src: &src,
        errors: Vec::new(),
    };
    let notice = check.notice(raw, config, &split);
    let (privacy_errors, warnings) = privacy(&src, &notice.privacy_reviewed);
    check.errors.extend(privacy_errors);
    if check.errors.is_empty() {
        Ok((notice, warnings))
    } else {
        Err(check.errors)
    }
}

/// Personal numbers anywhere in the file: errors, unless the notice says
/// they were reviewed, in which case they stay visible as warnings (once
/// per number, and not where `privacy_reviewed` itself lists them).
fn privacy(src: &Source<'_>, reviewed: &PrivacyReview) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let listing = field_lines(src.text, "privacy_reviewed");
    let mut errors = Vec::new();
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let mut warned = std::collections::HashSet::new();
    for f in crate::privacy::scan(src.text) {
        if listing.contains(&f.offset) {
            continue;
        }
        let written = &src.text[f.offset..f.offset + f.len];
        let width = written.chars().count();
        if reviewed.covers(&f.digits) {
            if warned.insert(f.digits.clone()) {
                warnings.push(
                    Diagnostic::warning(f.kind.code(), src.file, format!("{}已标记为审查后可以公开", f.kind))
                        .at_offset(src.text, f.offset)
                        .width(width)
                        .help("privacy_reviewed 表示这个号码已经审查，可以公开；不需要公开时请删除或打码。"),
                );
            }
            continue;
        }
        errors.push(
            Diagnostic::error(f.kind.code(), src.file, format!("这里有{}，公开前必须删除或打码", f.kind))
                .at_offset(src.text, f.offset)
                .width(width)
                .help(format!(
                    "党务公开不得泄露个人信息。确需公开时（例如作为公开服务电话的手机号），请在 front matter 里写 privacy_reviewed: [\"{}\"] 说明已经审查。",
                    f.digits
                )),
        );
    }
    (errors, warnings)
}

/// The byte range of a top-level front-matter field, with its indented
/// continuation lines.
fn field_lines(text: &str, key: &str) -> std::ops::Range<usize> {
    let prefix = format!("{key}:");
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let continues = line.starts_with([' ', '\t', '-']) || line.trim().is_empty();
        match start {
            None if line.starts_with(&prefix) => start = Some(offset),
            Some(s) if !continues => return s..offset,
            _ => {}
        }
        offset += line.len();
    }
    start.map_or(0..0, |s| s..offset)
}

fn split_error(file: &Path, text: &str, e: SplitError) -> Diagnostic {
    match e {
        SplitError::Missing => Diagnostic::error(Code::FrontMatter, file, "文件开头缺少 front matter")
            .at(1, 1)
            .with_source(text)
            .help("通报文件要以单独一行 --- 开头，接着写 title、date 等字段，再用一行 --- 结束，之后才是正文。"),
        SplitError::Unclosed => Diagnostic::error(Code::FrontMatter, file, "front matter 没有结束")
            .at(1, 1)
            .with_source(text)
            .help("第 1 行的 --- 之后缺少结束的那一行 ---：请在字段写完后、正文开始前加一行 ---。"),
    }
}

/// Lists the fields of the part of the front matter an error is about
/// (`path` is the field's path, as `problems[2].categroy`).
fn fields_help(path: Option<&str>) -> String {
    let section = path.unwrap_or("").split(['.', '[']).next().unwrap_or("");
    let known = match section {
        "problems" => yaml::fields_of::<RawProblem>(),
        "inspection" => yaml::fields_of::<RawInspection>(),
        "review" => yaml::fields_of::<RawReview>(),
        "contact" => yaml::fields_of::<Contact>(),
        "revisions" => yaml::fields_of::<RawRevision>(),
        _ => yaml::fields_of::<RawNotice>(),
    };
    format!("这里可用的字段：{}", known.join("、"))
}

/// The file being checked, to turn YAML paths into file positions.
struct Source<'a> {
    file: &'a Path,
    text: &'a str,
    yaml: &'a str,
    yaml_line: usize,
}

impl Source<'_> {
    /// A diagnostic at a YAML line and column.
    fn at(&self, code: Code, line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, self.file, message)
            .at(line + self.yaml_line - 1, column)
            .with_source(self.text)
    }

    /// A diagnostic at the value of the field `path`.
    fn at_path(&self, code: Code, path: &[Seg<'_>], message: impl Into<String>) -> Diagnostic {
        let (line, column) = yaml::locate(self.yaml, path)
            .or_else(|| yaml::locate(self.yaml, &path[..path.len().saturating_sub(1)]))
            .unwrap_or((1, 1));
        self.at(code, line, column, message)
    }
}

/// Validates raw front matter, collecting every error.
struct Checker<'a> {
    src: &'a Source<'a>,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(
        &mut self,
        code: Code,
        path: &[Seg<'_>],
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = self.src.at_path(code, path, message).help(help);
        self.errors.push(d);
    }

    /// Underlines the whole value rather than its first character.
    fn error_on_value(
        &mut self,
        code: Code,
        path: &[Seg<'_>],
        value: &str,
        message: String,
        help: String,
    ) {
        let d = self
            .src
            .at_path(code, path, message)
            .help(help)
            .width(value.chars().count());
        self.errors.push(d);
    }

    fn notice(&mut self, raw: RawNotice, config: &SiteConfig, split: &Split<'_>) -> Notice {
        if raw.title.trim().is_empty() {
            self.error(
                Code::MissingTitle,
                &[Seg::Key("title")],
                "标题是空的",
                "请写上通报的标题。",
            );
        }
        let date = self.publish_date(&raw.date);
        let organization = self.organization(raw.organization.as_deref(), config);
        let slug = self.slug(raw.slug.as_deref());
        let categories = raw
            .categories
            .iter()
            .enumerate()
            .filter_map(|(i, key)| {
                self.category(&[Seg::Key("categories"), Seg::Index(i)], key, config)
            })
            .collect();
        let problems = self.problems(raw.problems, config);
        let inspection = raw.inspection.map(|i| self.inspection(i));
        let review = raw.review.map(|r| self.review(r));
        let revisions = raw
            .revisions
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let path = [Seg::Key("revisions"), Seg::Index(i), Seg::Key("date")];
                let date = self.day(&path, &r.date).unwrap_or(date.day);
                if r.note.trim().is_empty() {
                    self.error(
                        Code::MissingNote,
                        &[Seg::Key("revisions"), Seg::Index(i), Seg::Key("note")],
                        "修订说明是空的",
                        "每次修订都要写明改了什么，例如 note: 更正第5项追回金额。",
                    );
                }
                Revision { date, note: r.note }
            })
            .collect();
        Notice {
            source: self.src.file.to_path_buf(),
            slug,
            title: raw.title.trim().to_string(),
            date,
            organization,
            doc_number: non_empty(raw.doc_number),
            summary: non_empty(raw.summary),
            tags: raw
                .tags
                .into_iter()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            draft: raw.draft,
            categories,
            inspection,
            problems,
            contact: raw.contact.filter(|c| !c.is_empty()),
            review,
            revisions,
            privacy_reviewed: match raw.privacy_reviewed {
                None | Some(RawPrivacyReview::All(false)) => PrivacyReview::None,
                Some(RawPrivacyReview::All(true)) => PrivacyReview::All,
                Some(RawPrivacyReview::Numbers(numbers)) => PrivacyReview::Numbers(
                    numbers
                        .into_iter()
                        .map(|n| n.0.chars().filter(char::is_ascii_alphanumeric).collect())
                        .collect(),
                ),
            },
            text: SourceText {
                text: Arc::from(self.src.text),
                yaml: split.yaml_range.clone(),
                yaml_line: split.yaml_line,
                body_start: split.body_start,
                body_line: split.body_line,
            },
            digest: digest(self.src.text),
            stats: std::sync::OnceLock::new(),
        }
    }

    /// The notice's issuing body, or the site's default one.
    fn organization(&mut self, given: Option<&str>, config: &SiteConfig) -> String {
        let given = given.map(str::trim).filter(|o| !o.is_empty());
        match given.or(config.organization.as_deref()) {
            Some(o) => o.to_string(),
            None => {
                self.errors.push(
                    Diagnostic::error(Code::MissingOrganization, self.src.file, "没有写发布单位")
                        .at(1, 1)
                        .with_source(self.src.text)
                        .help("请在 front matter 里写 organization: 发布单位名称，或在 site.yaml 里写默认的 organization。"),
                );
                String::new()
            }
        }
    }

    fn publish_date(&mut self, text: &str) -> PublishDate {
        match PublishDate::parse(text) {
            Ok(d) => d,
            Err(message) => {
                self.error_on_value(
                    Code::InvalidDate,
                    &[Seg::Key("date")],
                    text,
                    message,
                    "发布日期写成 2021-11-26 这样的形式。".into(),
                );
                PublishDate::from_day(Day(jiff::civil::date(1970, 1, 1)))
            }
        }
    }

    fn day(&mut self, path: &[Seg<'_>], text: &str) -> Option<Day> {
        match Day::parse(text) {
            Ok(d) => Some(d),
            Err(message) => {
                self.error_on_value(
                    Code::InvalidDate,
                    path,
                    text,
                    message,
                    "日期写成 2021-11-26 这样的形式。".into(),
                );
                None
            }
        }
    }

    fn slug(&mut self, explicit: Option<&str>) -> String {
        if let Some(s) = explicit {
            let s = s.trim();
            if !slug::is_valid(s) {
                let suggestion = slug::slugify(s).unwrap_or_else(|| "notice-2021".into());
                self.error_on_value(
                    Code::InvalidSlug,
                    &[Seg::Key("slug")],
                    s,
                    format!("slug“{s}”不能用作网址"),
                    format!("slug 只能用小写英文字母、数字和连字符（-），例如 {suggestion}"),
                );
            }
            return s.to_string();
        }
        let stem = self
            .src
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match slug::slugify(&stem) {
            Some(s) => s,
            None => {
                self.errors.push(
                    Diagnostic::error(
                        Code::InvalidSlug,
                        self.src.file,
                        format!("无法从文件名“{stem}”生成网址"),
                    )
                    .help("请在 front matter 里写 slug，例如 slug: xiangqiao-2021"),
                );
                String::new()
            }
        }
    }

    fn category(
        &mut self,
        path: &[Seg<'_>],
        key: &str,
        config: &SiteConfig,
    ) -> Option<crate::content::CategoryId> {
        let id = config.category_id(key.trim());
        if id.is_none() {
            let keys: Vec<&str> = config.categories.iter().map(|c| c.key.as_str()).collect();
            let hint = match yaml::closest(key, &keys) {
                Some(best) => format!("是不是想写 {best}？"),
                None => String::new(),
            };
            // Someone may write the category's Chinese name instead of its key.
            let by_name = config
                .categories
                .iter()
                .find(|c| c.name == key.trim() || c.short == key.trim())
                .map(|c| format!("“{key}”是类别名称，这里要写它的 key：{}。", c.key))
                .unwrap_or_default();
            self.error_on_value(
                Code::UnknownCategory,
                path,
                key,
                format!("未知的问题类别“{key}”"),
                format!(
                    "{by_name}{hint}可用的类别（在 site.yaml 的 categories 中定义）：{}",
                    config.category_list()
                ),
            );
        }
        id
    }

    fn problems(&mut self, raws: Vec<RawProblem>, config: &SiteConfig) -> Vec<Problem> {
        let mut seen: HashMap<u32, usize> = HashMap::new();
        let mut problems = Vec::with_capacity(raws.len());
        for (i, raw) in raws.into_iter().enumerate() {
            let at = |field: &'static str| [Seg::Key("problems"), Seg::Index(i), Seg::Key(field)];
            let number = raw.number.unwrap_or(i as u32 + 1);
            if let Some(first) = seen.insert(number, i) {
                let path = if raw.number.is_some() {
                    at("number").to_vec()
                } else {
                    vec![Seg::Key("problems"), Seg::Index(i)]
                };
                self.error(
                    Code::DuplicateNumber,
                    &path,
                    format!(
                        "问题编号 {number} 重复了（第 {} 项和第 {} 项）",
                        first + 1,
                        i + 1
                    ),
                    "同一篇通报里每个问题的 number 必须不同。",
                );
            }
            let category = self.category(&at("category"), &raw.category, config);
            if raw.title.trim().is_empty() {
                self.error(
                    Code::MissingTitle,
                    &at("title"),
                    "问题标题是空的",
                    "请写上问题的标题，例如 title: 针对考勤管理方面的问题。",
                );
            }
            let status = self.status(&raw, i);
            let recovered =
                raw.recovered_yuan
                    .as_deref()
                    .and_then(|text| match Yuan::parse(text) {
                        Ok(y) => Some(y),
                        Err(message) => {
                            let help =
                                "写追回或退回的金额（元），例如 recovered_yuan: 7230.3".to_string();
                            self.error_on_value(
                                Code::InvalidAmount,
                                &at("recovered_yuan"),
                                text,
                                message,
                                help,
                            );
                            None
                        }
                    });
            if let Some(category) = category {
                problems.push(Problem {
                    number,
                    category,
                    title: raw.title.trim().to_string(),
                    cause: non_empty(raw.cause),
                    measures: non_empty(raw.measures),
                    result: non_empty(raw.result),
                    status,
                    recovered,
                });
            }
        }
        problems
    }

    /// The status from `status:` if given, else from the result phrase.
    fn status(&mut self, raw: &RawProblem, i: usize) -> Option<Status> {
        let (field, phrase) = match (&raw.status, &raw.result) {
            (Some(s), _) => ("status", s),
            (None, Some(r)) => ("result", r),
            (None, None) => return None,
        };
        match Status::parse(phrase) {
            Ok(s) => Some(s),
            Err(e) => {
                let path = [Seg::Key("problems"), Seg::Index(i), Seg::Key(field)];
                let mut d = self
                    .src
                    .at_path(Code::UnknownResult, &path, e.message.clone())
                    .help(PhraseError::help());
                if let Some(part) = &e.part {
                    // Point at the unknown part when it is on the value's line.
                    if let Some(src) = &d.source_line
                        && let Some(byte) = src.find(part.as_str())
                    {
                        d.column = src[..byte].chars().count() + 1;
                    }
                    d = d.width(part.chars().count());
                }
                self.errors.push(d);
                None
            }
        }
    }

    fn inspection(&mut self, raw: RawInspection) -> Inspection {
        let mut day = |field: &'static str, text: &Option<String>| {
            text.as_deref()
                .and_then(|t| self.day(&[Seg::Key("inspection"), Seg::Key(field)], t))
        };
        Inspection {
            kind: raw.kind,
            start: day("start", &raw.start),
            end: day("end", &raw.end),
            feedback: day("feedback", &raw.feedback),
            group: non_empty(raw.group),
        }
    }

    fn review(&mut self, raw: RawReview) -> Review {
        let approved_on = raw
            .approved_on
            .as_deref()
            .and_then(|t| self.day(&[Seg::Key("review"), Seg::Key("approved_on")], t));
        Review {
            reviewed_by: non_empty(raw.reviewed_by),
            secrecy_reviewed: raw.secrecy_reviewed,
            approved_by: non_empty(raw.approved_by),
            approved_on,
        }
    }
}

/// A hash of a file's text: the same text always gives the same digest.
fn digest(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    h.finish()
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::State;

    fn config() -> SiteConfig {
        SiteConfig::parse(
            "title: 站点\norganization: 某机关\n",
            Path::new("site.yaml"),
        )
        .unwrap()
    }

    fn parse(text: &str) -> Result<Notice, Vec<Diagnostic>> {
        parse_with_warnings(text).map(|(n, _)| n)
    }

    fn parse_with_warnings(text: &str) -> Result<(Notice, Vec<Diagnostic>), Vec<Diagnostic>> {
        parse_notice(Path::new("content/2021-通报.md"), text, &config())
    }

    #[test]
    fn personal_numbers_are_refused_unless_reviewed() {
        let text = GOOD.replace("正文\n", "正文：联系人手机13800138000。\n");
        let d = first_error(&text);
        assert_eq!(d.code, Code::PrivacyMobile);
        assert_eq!((d.line, d.column), (11, 9));
        // In the front matter too.
        let d = first_error(&GOOD.replace("title: 通报", "title: 通报11010519491231002X"));
        assert_eq!((d.code, d.line), (Code::PrivacyIdNumber, 2));

        let reviewed = text.replace("date:", "privacy_reviewed: [\"138-0013-8000\"]\ndate:");
        let (_, warnings) = parse_with_warnings(&reviewed).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings[0].line, 12,
            "the body, not the privacy_reviewed list"
        );
        let all = text.replace("date:", "privacy_reviewed: true\ndate:");
        assert!(parse_with_warnings(&all).is_ok());
        let other = text.replace("date:", "privacy_reviewed: [13900139000]\ndate:");
        assert!(parse(&other).is_err(), "only the listed number is reviewed");
    }

    fn first_error(text: &str) -> Diagnostic {
        parse(text).unwrap_err().remove(0)
    }

    const GOOD: &str = "---\ntitle: 通报\ndate: 2021-11-26\nproblems:\n  - number: 5\n    category: conduct\n    title: 针对工作作风不严不实的问题\n    result: 整改完成，长期推进\n    recovered_yuan: 7230.3\n---\n正文\n";

    #[test]
    fn a_good_notice_loads() {
        let n = parse(GOOD).unwrap();
        assert_eq!(n.title, "通报");
        assert_eq!(n.slug, "2021-tong-bao");
        assert_eq!(n.organization, "某机关");
        assert_eq!(n.text.body(), "正文\n");
        assert_eq!(n.text.body_line, 11);
        let p = &n.problems[0];
        assert_eq!(p.number, 5);
        assert_eq!(p.status.unwrap().state, State::Completed);
        assert_eq!(p.recovered.as_ref().unwrap().fen(), 723030);
    }

    #[test]
    fn unknown_category_lists_valid_keys_at_its_position() {
        let d = first_error(&GOOD.replace("category: conduct", "category: condcut"));
        assert_eq!((d.line, d.column), (6, 15));
        assert_eq!(d.width, 7);
        assert!(d.message.contains("condcut"));
        let help = d.help.unwrap();
        assert!(help.contains("是不是想写 conduct"), "{help}");
        assert!(help.contains("policy") && help.contains("team"), "{help}");
    }

    #[test]
    fn unknown_result_phrase_points_at_the_part() {
        let d = first_error(&GOOD.replace("整改完成，长期推进", "整改完成，差不多"));
        assert_eq!(d.line, 8);
        assert_eq!(d.column, 18);
        assert!(d.help.unwrap().contains("立行立改"));
    }

    #[test]
    fn bad_dates_are_located() {
        let d = first_error(&GOOD.replace("2021-11-26", "2021-11-31"));
        assert_eq!((d.line, d.column), (3, 7));
        assert!(d.message.contains("2021-11-31"));
    }

    #[test]
    fn yaml_errors_are_shifted_to_file_lines() {
        let d = first_error(&GOOD.replace("    title: 针对", "\ttitle: 针对"));
        assert_eq!(d.line, 7);
        let d = first_error(&GOOD.replace("number: 5", "number: 五"));
        assert_eq!((d.line, d.column), (5, 13));
        assert!(d.message.contains("应为整数"), "{}", d.message);
    }

    #[test]
    fn duplicate_problem_numbers() {
        let text = GOOD.replace(
            "---\n正文",
            "  - number: 5\n    category: team\n    title: 另一个问题\n---\n正文",
        );
        let d = first_error(&text);
        assert!(d.message.contains("问题编号 5 重复"), "{}", d.message);
        assert_eq!(d.line, 10);
    }

    #[test]
    fn every_error_of_a_file_is_reported() {
        let text = GOOD
            .replace("2021-11-26", "明天")
            .replace("conduct", "x")
            .replace("7230.3", "很多");
        assert_eq!(parse(&text).unwrap_err().len(), 3);
    }

    #[test]
    fn front_matter_shape_errors() {
        assert!(first_error("正文").message.contains("缺少 front matter"));
        assert!(first_error("---\ntitle: a\n").message.contains("没有结束"));
        assert!(first_error("---\n---\n").message.contains("空的"));
        let d = first_error("---\ntitle: a\n---\n");
        assert!(d.message.contains("date"), "{}", d.message);
    }

    #[test]
    fn bom_crlf_and_trailing_spaces_are_fine() {
        let text = GOOD.replace('\n', "\r\n").replacen("---", "---  ", 1);
        let n = parse(&text).unwrap();
        assert_eq!(n.problems.len(), 1);
    }

    #[test]
    fn bad_slug() {
        let d = first_error(&GOOD.replace("date:", "slug: 中文 网址\ndate:"));
        assert!(d.help.unwrap().contains("zhong-wen-wang-zhi"));
    }

    #[test]
    fn category_names_are_recognised_as_a_mistake() {
        let d = first_error(&GOOD.replace(
            "category: conduct",
            "category: 群众身边腐败问题和不正之风方面",
        ));
        assert!(d.help.unwrap().contains("要写它的 key：conduct"));
    }
}
