//! Turning one notice file into a validated [`Notice`].

use std::path::Path;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::{Notice, PrivacyReview, SourceText};
use crate::diagnostic::{Code, Diagnostic};
use crate::yaml::{self, Seg, YamlError};

use super::front_matter::{self, SplitError};
use super::raw::RawNotice;
use super::validate::{Checker, non_empty};

/// Parses the text of a notice file (UTF-8, without BOM). Returns the
/// notice with its warnings, or every mistake found, not only the first.
/// Its attachments are not looked for: see [`parse_notice_in`].
pub fn parse_notice(file: &Path, text: &str, config: Option<&SiteConfig>) -> super::Parsed {
    parse(None, file, text, config)
}

/// As [`parse_notice`], for the notice at `file` of the site at `root`:
/// its attachments are looked for in the site too.
pub fn parse_notice_in(
    root: &Path,
    file: &Path,
    text: &str,
    config: Option<&SiteConfig>,
) -> super::Parsed {
    parse(Some(root), file, text, config)
}

fn parse(
    root: Option<&Path>,
    file: &Path,
    text: &str,
    config: Option<&SiteConfig>,
) -> super::Parsed {
    let split = front_matter::split(text).map_err(|e| vec![split_error(file, text, e)])?;
    let src = Source {
        root,
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
    // Every mistake at once: those of the YAML, and those of the fields
    // that were read, except in the parts left out because they are wrong.
    let reading = yaml::read::<RawNotice>(split.yaml);
    let mut errors: Vec<Diagnostic> = reading.errors.into_iter().map(|e| src.yaml(e)).collect();
    // Said beside the errors too: it may be what they come from (a date
    // under the stray line is a date missing).
    let ended_early = ended_early(file, text, &split);
    let Some(raw) = reading.value else {
        errors.extend(ended_early);
        return Err(errors);
    };
    let mut check = Checker::new(&src, config, &reading.left_out);
    let notice = check.notice(raw, &split);
    let (privacy_errors, mut warnings) = privacy(&src, &notice.privacy_reviewed);
    warnings.extend(super::attachments::scan_warnings(&notice));
    warnings.extend(crate::placeholder::in_notice(file, text));
    errors.extend(check.into_errors());
    // Which numbers were reviewed is not known when the list is wrong.
    if !reading.left_out.covers(&[Seg::Key("privacy_reviewed")]) {
        errors.extend(privacy_errors);
    }
    if errors.is_empty() {
        warnings.extend(ended_early);
        Ok((notice, warnings))
    } else {
        errors.extend(ended_early);
        Err(errors)
    }
}

/// A third `---` line, inside the front matter, ends it there: the fields
/// under it become the first lines of the body, published as text.
fn ended_early(file: &Path, text: &str, split: &front_matter::Split<'_>) -> Option<Diagnostic> {
    let first = split.body.lines().find(|l| !l.trim().is_empty())?;
    let key = first.split_once(':')?.0;
    if !yaml::names_of::<RawNotice>().contains(&key) {
        return None;
    }
    let offset = split.body_start + (first.as_ptr() as usize - split.body.as_ptr() as usize);
    let stray = split.body_line - 1;
    Some(
        Diagnostic::warning(
            Code::FrontMatter,
            file,
            format!("第 {stray} 行的 --- 提前结束了 front matter：下面的 {key} 等字段成了正文"),
        )
        .at_offset(text, offset)
        .width(key.chars().count())
        .help(format!(
            "front matter 只有开头和结尾两行 ---。删掉第 {stray} 行的 ---，它下面的字段才会生效；正文从结尾的 --- 之后开始。"
        )),
    )
}

/// `n`, read before with its sources freed, with them again from `text`,
/// which has the same digest: the file's text and each problem's
/// Markdown. Nothing is checked again (it was, on these very bytes), so
/// that a big site's build reads a notice for its batch at the cost of
/// its YAML alone. `None` when the front matter does not give as many
/// problems back (which these bytes cannot do): the caller then reads
/// the file as at first.
pub(super) fn with_sources_from(text: &str, n: &Notice) -> Option<Notice> {
    let split = front_matter::split(text).ok()?;
    let raw = yaml::read::<RawNotice>(split.yaml).value?;
    if raw.problems.len() != n.problems.len() {
        return None;
    }
    let mut fresh = n.clone();
    for (p, r) in fresh.problems.iter_mut().zip(raw.problems) {
        p.cause = non_empty(r.cause);
        p.measures = non_empty(r.measures);
    }
    fresh.text = SourceText {
        text: Arc::from(text),
        yaml: split.yaml_range,
        yaml_line: split.yaml_line,
        body_start: split.body_start,
        body_line: split.body_line,
        line_starts: std::sync::OnceLock::new(),
    };
    Some(fresh)
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

/// The file being checked, to turn YAML paths into file positions.
pub(super) struct Source<'a> {
    /// The site folder, when the files the notice names are looked for.
    pub(super) root: Option<&'a Path>,
    pub(super) file: &'a Path,
    pub(super) text: &'a str,
    pub(super) yaml: &'a str,
    pub(super) yaml_line: usize,
}

impl Source<'_> {
    /// A diagnostic at a YAML line and column.
    pub(super) fn at(
        &self,
        code: Code,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(code, self.file, message)
            .at(line + self.yaml_line - 1, column)
            .with_source(self.text)
    }

    /// A mistake of the YAML, placed in the file.
    fn yaml(&self, e: YamlError) -> Diagnostic {
        let d = self
            .at(Code::Yaml, e.line, e.column, e.message)
            .unlisted(e.unlisted);
        match e.help {
            Some(help) => d.help(help),
            None => d,
        }
    }

    /// A diagnostic at the value of the field `path`.
    pub(super) fn at_path(
        &self,
        code: Code,
        path: &[Seg<'_>],
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = yaml::locate(self.yaml, path)
            .or_else(|| yaml::locate(self.yaml, &path[..path.len().saturating_sub(1)]))
            .unwrap_or((1, 1));
        self.at(code, line, column, message)
    }
}

/// A hash of a file's text: the same text always gives the same digest.
pub(super) fn digest(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Notice, State};

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
        parse_notice(Path::new("content/2021-通报.md"), text, Some(&config()))
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

    /// A key written twice hides nothing: the date that does not exist
    /// and the category misspelt are reported too, each at its line.
    #[test]
    fn a_key_written_twice_is_reported_beside_the_other_mistakes() {
        let text = GOOD
            .replace("date: 2021-11-26", "date: 2022-13-45")
            .replace("category: conduct", "category: condcut\n    category: team");
        let mut errors = parse(&text).unwrap_err();
        errors.sort_by_key(|d| d.line);
        let found: Vec<(usize, Code)> = errors.iter().map(|d| (d.line, d.code)).collect();
        assert_eq!(
            found,
            [
                (3, Code::InvalidDate),
                (6, Code::UnknownCategory),
                (7, Code::Yaml)
            ],
            "{errors:#?}"
        );
        assert!(
            errors[2].message.contains("category 写了两次"),
            "{}",
            errors[2].message
        );
    }

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
        assert!(d.message.contains("日期"), "{d:?}");
        assert_eq!(d.code, Code::MissingDate);
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

    #[test]
    fn mistakes_of_the_yaml_and_of_the_fields_are_reported_at_once() {
        // A list for the title, a map for the problems, and between them a
        // number for the date, which only checking the fields finds.
        let text = "---\ntitle: [测试, 通报]\ndate: 20220301\nproblems:\n  number: 1\n  category: policy\n---\n正文\n";
        let errors = parse(text).unwrap_err();
        let found: Vec<(usize, Code)> = errors.iter().map(|d| (d.line, d.code)).collect();
        assert_eq!(
            found,
            [(2, Code::Yaml), (5, Code::Yaml), (3, Code::InvalidDate)],
            "{errors:#?}"
        );
        assert!(errors[0].message.contains("title"), "{}", errors[0].message);
        assert!(
            errors[1].message.contains("problems"),
            "{}",
            errors[1].message
        );
    }

    #[test]
    fn a_field_written_wrongly_is_not_reported_again_as_missing() {
        let d = first_error(&GOOD.replace("title: 通报", "title: [通报]"));
        assert_eq!((d.code, d.line), (Code::Yaml, 2));
        let errors = parse(&GOOD.replace("title: 通报", "title: [通报]")).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        // A problem whose number is wrong is no duplicate of one numbered
        // as its place in the list would number it.
        let text = GOOD.replace(
            "---\n正文",
            "  - number: 1\n    category: team\n    title: 另一个问题\n---\n正文",
        );
        let errors = parse(&text.replace("number: 5", "number: 五")).unwrap_err();
        let found: Vec<(usize, Code)> = errors.iter().map(|d| (d.line, d.code)).collect();
        assert_eq!(found, [(5, Code::Yaml)], "{errors:#?}");
    }

    /// Lines of the small site's notice where a mistake can be made, and
    /// mistakes to make there: of the YAML (a value of the wrong type, a
    /// misspelt field) and of the fields (a value that means nothing).
    const PLACES: &[(&str, &[&str])] = &[
        (
            "title: 关于巡察整改进展情况的通报",
            &["title: [测试, 通报]", "title: {a: b}", "title: ''"],
        ),
        (
            "date: 2022-03-01",
            &["date: 20220301", "date: 2022-13-01", "date: [2022]"],
        ),
        (
            "doc_number: 某局〔2022〕1号",
            &["doc_numbr: 某局〔2022〕1号"],
        ),
        ("tags: [巡察整改]", &["tags: {a: b}", "tags: [[巡察整改]]"]),
        (
            "  start: 2021-10-08",
            &["  start: 2021-02-30", "  start: [1]"],
        ),
        ("  - number: 1", &["  - number: 一", "  - number: [1]"]),
        (
            "    category: policy",
            &["    category: polcy", "    category: {a: b}"],
        ),
        (
            "    result: 立行立改，整改完成",
            &["    result: 差不多", "    result: [a]"],
        ),
        (
            "    recovered_yuan: 1200.5",
            &["    recovered_yuan: 很多", "    recovered_yuan: [1]"],
        ),
        ("  approved_on: 2022-02-28", &["  approved_on: 2022-02-30"]),
        (
            "  - date: 2022-03-05",
            &["  - date: 昨天", "  - date: {a: b}"],
        ),
    ];

    const SMALL: &str =
        include_str!("../../tests/fixtures/sites/small/content/notices/2022-first.md");

    /// The lines and codes of the errors of the small site's notice with
    /// `mistakes` made (place and mistake, by index).
    fn errors_with(mistakes: &[(usize, usize)]) -> Vec<(usize, Code)> {
        let mut text = SMALL.to_string();
        for &(place, mistake) in mistakes {
            let (line, mistakes) = PLACES[place];
            text = text.replacen(line, mistakes[mistake % mistakes.len()], 1);
        }
        let config = SiteConfig::parse(
            include_str!("../../tests/fixtures/sites/small/site.yaml"),
            Path::new("site.yaml"),
        )
        .unwrap();
        let errors = parse_notice(Path::new("content/a.md"), &text, Some(&config))
            .err()
            .unwrap_or_default();
        let mut found: Vec<(usize, Code)> = errors.iter().map(|d| (d.line, d.code)).collect();
        found.sort_by_key(|(line, code)| (*line, code.as_str()));
        found
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::fuzz_cases(300)))]

        /// Mistakes made together are reported together, each as it is
        /// reported when made alone: as many, on the same lines, with the
        /// same codes.
        #[test]
        fn mistakes_made_together_are_each_reported_as_alone(
            chosen in proptest::collection::btree_map(0..PLACES.len(), 0usize..3, 1..6)
        ) {
            let mistakes: Vec<(usize, usize)> = chosen.into_iter().collect();
            let mut each: Vec<(usize, Code)> = Vec::new();
            for m in &mistakes {
                let alone = errors_with(&[*m]);
                let line = SMALL.lines().position(|l| l == PLACES[m.0].0).unwrap() + 1;
                proptest::prop_assert!(
                    alone.iter().any(|(l, _)| *l == line),
                    "{:?} alone: {:?}", m, alone
                );
                each.extend(alone);
            }
            each.sort_by_key(|(line, code)| (*line, code.as_str()));
            proptest::prop_assert_eq!(errors_with(&mistakes), each);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::fuzz_cases(300)))]

        /// Any mangling of a front matter: an answer, never a panic, soon.
        #[test]
        fn mangled_front_matter_never_panics(
            changes in proptest::collection::vec(crate::testing::mutate::change(), 1..8)
        ) {
            let seed = include_str!("../../tests/fixtures/sites/small/content/notices/2022-first.md");
            let text = crate::testing::mutate::apply(seed, &changes);
            let started = std::time::Instant::now();
            let _ = parse_with_warnings(&text);
            proptest::prop_assert!(started.elapsed() < std::time::Duration::from_secs(2));
        }

        /// Any text at all.
        #[test]
        fn any_text_never_panics(text in "\\PC{0,400}") {
            let _ = parse_with_warnings(&format!("---\n{text}\n---\n{text}"));
        }
    }
}
