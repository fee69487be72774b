//! Validating front matter: raw YAML values into the domain types, with
//! every mistake found (not only the first) placed at its field. Fields
//! the YAML reading left out because they are wrong are not checked
//! again.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::status::PhraseError;
use crate::content::{
    Day, Deadline, Follows, Inspection, Notice, PrivacyReview, Problem, PublishDate, Review,
    Revision, SourceText, Status, UnitId, Yuan,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::slug;
use crate::yaml::{self, LeftOut, Seg};

use super::front_matter::Split;
use super::notice::{Source, digest};
use super::raw::{RawInspection, RawNotice, RawPrivacyReview, RawProblem, RawReview};

/// Validates raw front matter, collecting every error.
pub(super) struct Checker<'a> {
    pub(super) src: &'a Source<'a>,
    /// The site's rules (categories, default body); without them (when
    /// `site.yaml` has errors itself) only what needs none is checked.
    pub(super) config: Option<&'a SiteConfig>,
    /// The wrong fields, already reported by the YAML reading.
    left_out: &'a LeftOut,
    pub(super) errors: Vec<Diagnostic>,
    /// Mistakes past [`MAX_PLACED`], counted and not placed.
    unplaced: usize,
}

/// Beyond this many mistakes of its fields, a notice's others are counted,
/// not each placed: placing one reads the front matter again, and a notice
/// of 20,000 wrong problems would take minutes.
const MAX_PLACED: usize = 100;

impl<'a> Checker<'a> {
    pub(super) fn new(
        src: &'a Source<'a>,
        config: Option<&'a SiteConfig>,
        left_out: &'a LeftOut,
    ) -> Checker<'a> {
        Checker {
            src,
            config,
            left_out,
            errors: Vec::new(),
            unplaced: 0,
        }
    }

    /// The mistakes found; past [`MAX_PLACED`], the first unplaced one
    /// stands for the others and says how many there are.
    pub(super) fn into_errors(mut self) -> Vec<Diagnostic> {
        if let Some(last) = self.errors.last_mut().filter(|_| self.unplaced > 0) {
            let more = self.unplaced + 1;
            last.message = format!(
                "这篇通报还有 {more} 个错误没有一一列出，这是其中的一个：{}",
                last.message
            );
            last.help = Some(format!(
                "{}\n一篇通报的字段错误一次列出 {MAX_PLACED} 个。同一种错误很多时，多半是整段写法不对：改好上面这些、再生成一次，其余的就会列出来。",
                last.help.take().unwrap_or_default()
            ));
            last.unlisted = self.unplaced;
        }
        self.errors
    }

    /// Whether a mistake is past the ones placed: then it is only counted.
    fn counted_only(&mut self) -> bool {
        if self.errors.len() > MAX_PLACED {
            self.unplaced += 1;
            return true;
        }
        false
    }

    /// Whether the field at `path` was written, but wrongly: its mistake
    /// is reported already, and it reads as not written.
    fn written_wrongly(&self, path: &[Seg<'_>]) -> bool {
        self.left_out.covers(path)
    }

    pub(super) fn error(
        &mut self,
        code: Code,
        path: &[Seg<'_>],
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        if self.written_wrongly(path) || self.counted_only() {
            return;
        }
        let d = self.src.at_path(code, path, message).help(help);
        self.errors.push(d);
    }

    /// Underlines the whole value rather than its first character.
    pub(super) fn error_on_value(
        &mut self,
        code: Code,
        path: &[Seg<'_>],
        value: &str,
        message: String,
        help: String,
    ) {
        if self.written_wrongly(path) || self.counted_only() {
            return;
        }
        let d = self
            .src
            .at_path(code, path, message)
            .help(help)
            .width(value.chars().count());
        self.errors.push(d);
    }

    pub(super) fn notice(&mut self, raw: RawNotice, split: &Split<'_>) -> Notice {
        let title = self.required(
            raw.title,
            Code::MissingTitle,
            &[Seg::Key("title")],
            "没有写标题",
            "请写上通报的标题，例如 title: 关于巡察整改进展情况的通报",
        );
        let date = self.required(
            raw.date,
            Code::MissingDate,
            &[Seg::Key("date")],
            "没有写发布日期",
            "请写上发布日期，例如 date: 2021-11-26",
        );
        let date = if date.is_empty() {
            PublishDate::from_day(Day(jiff::civil::date(1970, 1, 1)))
        } else {
            self.publish_date(&date)
        };
        let folder = self.folder_unit();
        let organization = self.organization(raw.organization.as_deref(), folder);
        let unit = self.unit(raw.organization.as_deref(), folder, &organization);
        let written = raw
            .written
            .as_deref()
            .filter(|w| !w.trim().is_empty())
            .and_then(|w| self.day(&[Seg::Key("written")], w));
        let county_round = raw
            .inspection
            .as_ref()
            .and_then(|i| i.round.as_deref())
            .and_then(|r| self.county_round(r));
        let slug = self.slug(raw.slug.as_deref());
        let categories = raw
            .categories
            .iter()
            .enumerate()
            .filter_map(|(i, key)| self.category(&[Seg::Key("categories"), Seg::Index(i)], key))
            .collect();
        let problems = self.problems(raw.problems);
        let inspection = raw.inspection.map(|i| self.inspection(i));
        let review = raw.review.map(|r| self.review(r));
        let attachments = self.attachments(raw.attachments, &slug);
        let revisions = raw
            .revisions
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let at = |field| [Seg::Key("revisions"), Seg::Index(i), Seg::Key(field)];
                let day = self.required(
                    r.date,
                    Code::MissingDate,
                    &at("date"),
                    "修订记录没有写日期",
                    "例如 date: 2021-12-01",
                );
                let date = Some(day)
                    .filter(|d| !d.is_empty())
                    .and_then(|d| self.day(&at("date"), &d))
                    .unwrap_or(date.day);
                let note = self.required(
                    r.note,
                    Code::MissingNote,
                    &at("note"),
                    "修订说明是空的",
                    "每次修订都要写明改了什么，例如 note: 更正第5项追回金额。",
                );
                Revision { date, note }
            })
            .collect();
        Notice {
            source: self.src.file.to_path_buf(),
            slug,
            title,
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
            unit,
            written,
            index_number: non_empty(raw.index_number),
            county_round,
            categories,
            inspection,
            problems,
            contact: raw.contact.filter(|c| !c.is_empty()),
            review,
            revisions,
            attachments,
            privacy_reviewed: match raw.privacy_reviewed {
                None | Some(RawPrivacyReview::All(false)) => PrivacyReview::None,
                Some(RawPrivacyReview::All(true)) => PrivacyReview::All,
                Some(RawPrivacyReview::Numbers(numbers)) => PrivacyReview::Numbers(
                    numbers
                        .into_iter()
                        .map(|n| n.chars().filter(char::is_ascii_alphanumeric).collect())
                        .collect(),
                ),
            },
            text: SourceText {
                text: Arc::from(self.src.text),
                yaml: split.yaml_range.clone(),
                yaml_line: split.yaml_line,
                body_start: split.body_start,
                body_line: split.body_line,
                line_starts: std::sync::OnceLock::new(),
            },
            digest: digest(self.src.text),
            stats: std::sync::OnceLock::new(),
        }
    }

    /// The text of a field that must be written; an error when it is not
    /// (or is empty or `~`), at the field or at the start of the front matter.
    pub(super) fn required(
        &mut self,
        value: Option<String>,
        code: Code,
        path: &[Seg<'_>],
        message: &str,
        help: &str,
    ) -> String {
        match value.as_deref().map(str::trim) {
            Some(text) if crate::text::shows_anything(text) => text.to_string(),
            // Only zero-width characters is empty too, on the page.
            Some(text) if !text.is_empty() => {
                let message = format!("{message}：这里只有看不见的字符（如零宽空格）");
                self.error(code, path, &message, help);
                String::new()
            }
            _ => {
                self.error(code, path, message, help);
                String::new()
            }
        }
    }

    /// The notice's issuing body: as written, or the full name of the
    /// unit whose folder it is in, or the site's default one.
    fn organization(&mut self, given: Option<&str>, folder: Option<UnitId>) -> String {
        let given = given.map(str::trim).filter(|o| !o.is_empty());
        let Some(config) = self.config else {
            return given.unwrap_or_default().to_string();
        };
        let unit = folder.map(|u| config.unit(u).name.as_str());
        match given.or(unit).or(config.organization.as_deref()) {
            Some(o) => o.to_string(),
            None if self.written_wrongly(&[Seg::Key("organization")]) => String::new(),
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

    pub(super) fn day(&mut self, path: &[Seg<'_>], text: &str) -> Option<Day> {
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
        if self.written_wrongly(&[Seg::Key("slug")]) {
            return String::new();
        }
        if let Some(s) = explicit {
            let s = s.trim();
            if !slug::is_valid(s) {
                let suggestion = slug::slugify(s).unwrap_or_else(|| "notice-2021".into());
                let (message, help) = if s.len() > slug::MAX_LEN {
                    (
                        format!(
                            "slug 太长（{} 个字符）：网址的一段最多 {} 个字符",
                            s.len(),
                            slug::MAX_LEN
                        ),
                        format!(
                            "请写一个短一些的 slug，例如 {}",
                            slug::short(s, "notice-2021")
                        ),
                    )
                } else {
                    (
                        format!("slug“{s}”不能用作网址"),
                        format!(
                            "slug 只能用小写英文字母、数字和连字符（-），例如 {suggestion}{}",
                            slug::reserved_hint(s)
                        ),
                    )
                };
                self.error_on_value(Code::InvalidSlug, &[Seg::Key("slug")], s, message, help);
            }
            return s.to_string();
        }
        let stem = self
            .src
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // The file name becomes the address: no personal number may be in it.
        for found in crate::privacy::scan(&stem) {
            self.errors.push(
                Diagnostic::error(
                    found.kind.code(),
                    self.src.file,
                    format!("文件名里有{}，它会出现在网址里", found.kind),
                )
                .help("请给文件改一个名字，或在 front matter 里写一个不含号码的 slug，例如 slug: xiangqiao-2021"),
            );
        }
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

    fn category(&mut self, path: &[Seg<'_>], key: &str) -> Option<crate::content::CategoryId> {
        let Some(config) = self.config else {
            // Unchecked: the site's categories are not known.
            return Some(crate::content::CategoryId(0));
        };
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

    fn problems(&mut self, raws: Vec<RawProblem>) -> Vec<Problem> {
        let mut seen: HashMap<u32, usize> = HashMap::new();
        let mut problems = Vec::with_capacity(raws.len());
        for (i, raw) in raws.into_iter().enumerate() {
            let at = |field: &'static str| [Seg::Key("problems"), Seg::Index(i), Seg::Key(field)];
            let number = raw.number.unwrap_or(i as u32 + 1);
            // A number written wrongly is no number to compare.
            let numbered = !self.written_wrongly(&at("number"));
            if numbered && let Some(first) = seen.insert(number, i) {
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
            let key = self.required(
                raw.category.clone(),
                Code::MissingCategory,
                &at("category"),
                &format!("第 {number} 项问题没有写类别"),
                &match self.config {
                    Some(config) => format!(
                        "请写上问题类别，例如 category: {}。可用的类别：{}",
                        config
                            .categories
                            .first()
                            .map_or("policy", |c| c.key.as_str()),
                        config.category_list()
                    ),
                    None => {
                        "请写上问题类别（site.yaml 的 categories 中的 key），例如 category: policy"
                            .into()
                    }
                },
            );
            let category = if key.is_empty() {
                None
            } else {
                self.category(&at("category"), &key)
            };
            let title = self.required(
                raw.title.clone(),
                Code::MissingTitle,
                &at("title"),
                "问题标题是空的",
                "请写上问题的标题，例如 title: 针对考勤管理方面的问题。",
            );
            let status = self.status(&raw, i);
            let deadline = raw.deadline.as_deref().filter(|t| !t.trim().is_empty()).and_then(|text| {
                match Deadline::parse(text) {
                    Ok(d) => Some(d),
                    Err(message) => {
                        self.error_on_value(
                            Code::InvalidDeadline,
                            &at("deadline"),
                            text,
                            message,
                            "整改时限写成 2023年12月底前、2023年6月30日、2023年上半年、2023年第三季度，或 长期坚持、立行立改。".into(),
                        );
                        None
                    }
                }
            });
            let follows = raw.follows.as_deref().and_then(|text| match parse_follows(text) {
                Some(f) => Some(f),
                None => {
                    self.error_on_value(
                        Code::Follows,
                        &at("follows"),
                        text,
                        format!("follows“{text}”的写法不对"),
                        "写上一次通报里这个问题的编号，例如 follows: 3；是另一篇通报里的问题时写 follows: 通报的网址名#3，例如 follows: 2022-shifan-jiedao#3；本轮新发现的问题写 follows: 无".into(),
                    );
                    None
                }
            });
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
                    title,
                    cause: non_empty(raw.cause),
                    measures: non_empty(raw.measures),
                    result: non_empty(raw.result),
                    status,
                    recovered,
                    deadline,
                    follows,
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
            Err(_) if self.counted_only() => None,
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
        let id = raw
            .id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|id| {
                if !slug::is_valid(id) {
                    let suggestion = slug::slugify(id).unwrap_or_else(|| "xuncha-2021".into());
                    self.error_on_value(
                        Code::InvalidSlug,
                        &[Seg::Key("inspection"), Seg::Key("id")],
                        id,
                        format!("巡察轮次 id“{id}”不能用作网址"),
                        format!("id 只能用小写英文字母、数字和连字符（-），例如 {suggestion}"),
                    );
                }
                id.to_string()
            });
        let mut day = |field: &'static str, text: &Option<String>| {
            text.as_deref()
                .and_then(|t| self.day(&[Seg::Key("inspection"), Seg::Key(field)], t))
        };
        Inspection {
            id,
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

/// `3`, `slug#3`, or `无` (a new problem).
fn parse_follows(text: &str) -> Option<Follows> {
    let text = text.trim();
    if ["无", "新问题", "none", "new"].contains(&text.to_lowercase().as_str()) {
        return Some(Follows::Nothing);
    }
    let (notice, number) = match text.rsplit_once('#') {
        Some((slug, n)) => (Some(slug.trim().to_string()).filter(|s| !s.is_empty()), n),
        None => (None, text),
    };
    let number = number
        .trim()
        .trim_start_matches(['第'])
        .trim_end_matches(['项'])
        .parse()
        .ok()?;
    Some(Follows::Problem { notice, number })
}

pub(super) fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}
