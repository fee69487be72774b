//! Malformed and hostile input, case by case: each states what it expects
//! (an error at an exact file and line, or success), and every case must
//! end in time, without a panic, with a hint for each error, and without
//! changing `public/` when it fails. `check` and the preview of `serve` must agree with `build`.
//!
//! The cases are made by kind in the modules below; [`all_cases`] lists
//! them all, and the two tests at the end run them.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::*;
use gongkai::Diagnostics;
use gongkai::diagnostic::Code;
use gongkai::pipeline::{Changes, Options};
use gongkai::serve::{Outcome, Workspace};

mod fields;
mod files;
mod site;
mod syntax;
mod values;

/// A notice with every field, each on a line of its own.
const NOTICE: &str = "---
title: 测试通报
date: 2022-03-01
organization: 某单位
doc_number: 某〔2022〕1号
slug: test-notice
summary: 摘要
tags: [巡察整改]
draft: false
categories: [team]
inspection:
  kind: 巡察
  group: 第一巡察组
  start: 2022-01-01
  end: 2022-01-31
  feedback: 2022-02-10
problems:
  - number: 1
    category: policy
    title: 第一个问题
    cause: 原因
    measures: 措施
    result: 整改完成
    status: completed
    recovered_yuan: 100
contact:
  phone: 0768-2100022
  address: 某地
  postcode: \"521000\"
  email: a@b.cn
review:
  reviewed_by: 办公室
  secrecy_reviewed: true
  approved_by: 党组
  approved_on: 2022-02-28
revisions:
  - date: 2022-03-05
    note: 更正
privacy_reviewed: false
---
正文。
";

/// Where the case's notice is written.
const FILE: &str = "content/notices/case.md";

/// What a case expects.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    /// The build succeeds.
    Ok,
    /// The build fails with an error in `file` at `line` (0: the file as a
    /// whole), of `code` when given.
    Error {
        file: String,
        line: usize,
        code: Option<Code>,
    },
    /// The build succeeds, and `check` finds what it should not publish:
    /// an error at `line` of the case's notice.
    Checked { line: usize, code: Code },
}

fn error_at(file: &str, line: usize) -> Expect {
    Expect::Error {
        file: file.into(),
        line,
        code: None,
    }
}

fn coded(file: &str, line: usize, code: Code) -> Expect {
    Expect::Error {
        file: file.into(),
        line,
        code: Some(code),
    }
}

/// One malformed input: what to do to the site, and what to expect.
struct Case {
    name: String,
    apply: Box<dyn Fn(&SiteTest) + Send + Sync>,
    expect: Expect,
}

fn case(
    name: impl Into<String>,
    expect: Expect,
    apply: impl Fn(&SiteTest) + Send + Sync + 'static,
) -> Case {
    Case {
        name: name.into(),
        apply: Box::new(apply),
        expect,
    }
}

/// A case that writes the notice `text` (bytes) to [`FILE`].
fn notice(name: impl Into<String>, text: impl Into<Vec<u8>>, expect: Expect) -> Case {
    let bytes = text.into();
    case(name, expect, move |site| {
        fs::write(site.path().join(FILE), &bytes).unwrap();
    })
}

/// The notice with line `line` (1-based) replaced.
fn with_line(line: usize, new: &str) -> String {
    NOTICE
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { new } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The line of `prefix` in [`NOTICE`].
fn line_of(prefix: &str) -> usize {
    NOTICE
        .lines()
        .position(|l| l.trim_start().starts_with(prefix))
        .unwrap_or_else(|| panic!("{prefix}"))
        + 1
}

/// The notice with `n` problems in all.
fn insert_problems(text: &str, n: usize) -> String {
    let mut more = String::new();
    for i in 2..=n {
        more.push_str(&format!(
            "  - number: {i}\n    category: team\n    title: 第{i}个问题\n    result: 正在整改\n"
        ));
    }
    text.replacen("contact:\n", &format!("{more}contact:\n"), 1)
}

/// Every case of the suite.
fn all_cases() -> Vec<Case> {
    let mut all = Vec::new();
    all.extend(fields::every_field_with_every_type());
    all.extend(syntax::yaml_syntax_and_bombs());
    all.extend(values::dates());
    all.extend(syntax::encodings());
    all.extend(syntax::sizes());
    all.extend(files::file_system());
    all.extend(site::config());
    all.extend(values::escaping());
    all.extend(site::templates_and_links());
    all.extend(values::privacy());
    all
}

/// What a build did, as a case compares it.
fn outcome(
    result: &Result<gongkai::commands::build::BuildReport, Diagnostics>,
) -> Option<&Diagnostics> {
    result.as_ref().err()
}

/// Whether `errors` hold the one the case expects.
fn holds(errors: &Diagnostics, file: &str, line: usize, code: Option<Code>) -> bool {
    errors
        .errors()
        .any(|d| d.file == Path::new(file) && d.line == line && code.is_none_or(|c| d.code == c))
}

/// Nothing of front matter may reach a page unescaped.
fn assert_escaped(site: &SiteTest, name: &str) {
    for (rel, bytes) in tree(&site.public()) {
        if !(rel.ends_with(".html") || rel.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        for raw in ["<script>alert", "<img src=x", "onerror=alert(2)>"] {
            assert!(!text.contains(raw), "{name}: {rel} holds {raw}");
        }
    }
}

#[test]
fn every_malformed_case_is_reported_or_accepted_as_stated() {
    let cases = all_cases();
    assert!(cases.len() >= 200, "only {} cases", cases.len());
    use rayon::prelude::*;
    let wrong: Vec<String> = cases.par_iter().flat_map(run_case).collect();
    assert!(
        wrong.is_empty(),
        "{} cases went wrong:\n\n{}",
        wrong.len(),
        wrong.join("\n\n")
    );
}

/// How long a case may take before it counts as a hang: ten seconds,
/// and two more per megabyte of content. The cases run side by side in an
/// unoptimized build, so a 20 MB notice takes seconds of its own.
fn time_budget(site: &SiteTest) -> Duration {
    let bytes: u64 = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    Duration::from_secs(10 + 2 * bytes / (1024 * 1024))
}

/// Runs one case; returns what went wrong.
fn run_case(case: &Case) -> Vec<String> {
    let mut wrong = Vec::new();

    let site = SiteTest::fixture("small");
    site.build();
    let before = tree(&site.public());
    (case.apply)(&site);
    let budget = time_budget(&site);
    let started = Instant::now();
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| site.try_build(|_| {})));
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| site.check()));
    let elapsed = started.elapsed();
    let (Ok(built), Ok(checked)) = (built, checked) else {
        wrong.push(format!("{}: panicked", case.name));
        return wrong;
    };
    if std::env::var("GONGKAI_TIMES").is_ok() {
        eprintln!("{:>6} ms  {}", elapsed.as_millis(), case.name);
    }
    if elapsed > budget {
        wrong.push(format!(
            "{}: took {elapsed:?}, more than {budget:?}",
            case.name
        ));
    }
    // Every mistake says how to put it right.
    let errors = checked
        .errors()
        .chain(outcome(&built).into_iter().flat_map(|e| e.errors()));
    for d in errors.filter(|d| d.help.as_deref().is_none_or(str::is_empty)) {
        wrong.push(format!("{}: an error without a hint:\n{d}", case.name));
    }
    match (&case.expect, outcome(&built)) {
        (Expect::Ok, None) => {
            assert_escaped(&site, &case.name);
            if checked.has_errors() {
                wrong.push(format!("{}: built, but check found\n{checked}", case.name));
            }
        }
        (Expect::Checked { line, code }, None) => {
            if !holds(&checked, FILE, *line, Some(*code)) {
                wrong.push(format!(
                    "{}: check did not report {FILE}:{line} {code}\n{checked}",
                    case.name
                ));
            }
        }
        (Expect::Ok | Expect::Checked { .. }, Some(errors)) => {
            wrong.push(format!("{}: expected success, got\n{errors}", case.name))
        }
        (Expect::Error { .. }, None) => wrong.push(format!(
            "{}: expected an error, the build succeeded",
            case.name
        )),
        (Expect::Error { file, line, code }, Some(errors)) => {
            if !holds(errors, file, *line, *code) {
                wrong.push(format!(
                    "{}: expected {file}:{line} {code:?}, got\n{errors}",
                    case.name
                ));
            }
            if !holds(&checked, file, *line, *code) {
                wrong.push(format!(
                    "{}: check did not report {file}:{line}\n{checked}",
                    case.name
                ));
            }
            if tree(&site.public()) != before {
                wrong.push(format!("{}: public/ changed", case.name));
            }
        }
    }
    wrong
}

#[test]
fn serve_reports_what_build_reports() {
    // A sample of the cases through the preview: same place, and the last
    // good site stays.
    let site = SiteTest::fixture("small");
    let out = site.path().join("serve");
    let (mut ws, _) = Workspace::open(Options::new(site.path()), out.clone());
    let good = tree(&out);
    for case in all_cases().into_iter().step_by(7) {
        let Expect::Error { file, line, .. } = &case.expect else {
            continue;
        };
        if file != FILE {
            continue;
        }
        (case.apply)(&site);
        let outcome = ws.update(&Changes::of(site.path(), [site.path().join(FILE)]));
        match outcome {
            Outcome::Failed(errors) => {
                assert!(holds(&errors, file, *line, None), "{}: {errors}", case.name);
            }
            other => panic!("{}: {other:?}", case.name),
        }
        assert_eq!(tree(&out), good, "{}", case.name);
        fs::remove_file(site.path().join(FILE)).unwrap();
        ws.update(&Changes::of(site.path(), [site.path().join(FILE)]));
    }
}
