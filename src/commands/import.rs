//! `gongkai import`: existing bulletins into notices, one file or a
//! whole column at once, with one report.

use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{Format, ImportArgs};
use crate::content::Day;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::import::county::RoundHow;
use crate::import::county_report::UnitReport;
use crate::import::{self, FileImport, ImportOptions, Imported};

/// `gongkai import`: writes the notices (or, with `--dry-run`, shows what
/// it would write) and reports what was recognised in each file. Fails
/// when a file could not be imported or its notice would not build.
pub fn run(args: ImportArgs) -> ExitCode {
    let options = ImportOptions {
        root: args.site.root,
        files: args.files,
        out: args.out,
        category_map: args.category_map,
        dry_run: args.dry_run,
        force: args.force,
        today: Day::today(),
    };
    let results = match import::import(&options) {
        Ok(r) => r,
        Err(errors) => {
            eprint!("{}", Diagnostics(errors));
            return ExitCode::FAILURE;
        }
    };
    let failed = results.iter().filter(|r| !succeeded(r)).count();
    match args.format {
        Format::Json => println!("{}", json(&results)),
        Format::Text if results.len() == 1 => {
            single(&results[0], options.dry_run);
            if let Some(p) = import::proposals(&results) {
                print!("\n{p}");
            }
        }
        Format::Text => {
            for r in &results {
                several(r, options.dry_run);
            }
            if let Some(p) = import::proposals(&results) {
                println!("{p}");
            }
            let done = results.len() - failed;
            println!(
                "共 {} 个文件：{done} 篇已导入{}，{failed} 个有错误。",
                results.len(),
                if options.dry_run {
                    "（--dry-run，未写入）"
                } else {
                    ""
                }
            );
        }
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Imported, and its notice builds.
fn succeeded(r: &FileImport) -> bool {
    r.outcome
        .as_ref()
        .is_ok_and(|i| !i.diagnostics.iter().any(Diagnostic::is_error))
}

/// One file: the notice on stdout with `--dry-run` (so that `> file`
/// keeps only it), the report beside it.
fn single(r: &FileImport, dry_run: bool) {
    let imported = match &r.outcome {
        Ok(i) => i,
        Err(errors) => {
            eprint!("{}", Diagnostics(errors.clone()));
            return;
        }
    };
    if dry_run {
        print!("{}", imported.text);
        eprint!("{}", imported.report);
        eprintln!(
            "（--dry-run：没有写入文件，将写到 {}）",
            imported.path.display()
        );
    } else {
        print!("{}", imported.report);
        println!("已写入（草稿）：{}", imported.path.display());
        println!("请对照原文核对后删掉其中的 draft: true 一行；预览：gongkai serve --drafts");
    }
    problems(imported);
}

/// One file of several: its report and where it went.
fn several(r: &FileImport, dry_run: bool) {
    match &r.outcome {
        Err(errors) => {
            println!("原文：{}", r.file.display());
            println!("  没有导入：");
            print!("{}", Diagnostics(errors.clone()));
        }
        Ok(imported) => {
            print!("{}", imported.report);
            if let Some(from) = &imported.renamed_from {
                println!(
                    "  与本次导入的另一个文件同名（{}），改名为 {}",
                    from.display(),
                    imported.path.display()
                );
            }
            let verb = if dry_run {
                "将写到"
            } else {
                "已写入（草稿）"
            };
            println!("  {verb}：{}", imported.path.display());
            problems(imported);
        }
    }
    println!();
}

/// What checking the notice as `build` does found.
fn problems(imported: &Imported) {
    let found = Diagnostics(imported.diagnostics.clone());
    if found.is_empty() {
        return;
    }
    eprint!("{found}");
    if found.has_errors() {
        eprintln!("这篇通报还不能生成网站：请按上面的提示修改。");
    }
}

/// The report as JSON: a record per file.
fn json(results: &[FileImport]) -> String {
    #[derive(Serialize)]
    struct Record<'a> {
        file: String,
        imported: bool,
        /// The notice written (or to be written, with --dry-run).
        notice: Option<String>,
        renamed_from: Option<String>,
        title: Option<&'a str>,
        date: Option<String>,
        organization: Option<&'a str>,
        problems: usize,
        /// Problems per category key.
        categories: Vec<(&'a str, usize)>,
        /// Problems placed by their wording, for review.
        guessed: Vec<(u32, &'a str, &'a str)>,
        /// `[line, message]`: the places to check.
        notes: &'a [(usize, String)],
        /// Web page chrome taken out: `[line, text]`.
        removed: &'a [(usize, String)],
        /// The slug of the unit it was placed in (a county's site).
        unit: Option<&'a str>,
        /// The unit to add for a body no unit is called by.
        proposed_unit: Option<Proposed<'a>>,
        /// The county round's id, and whether it was inferred from dates.
        round: Option<&'a str>,
        round_inferred: bool,
        /// The 索引号 written, or why there is none.
        index_number: Option<&'a str>,
        index_number_missing: Option<&'a str>,
        /// 成文日期.
        written: Option<String>,
        /// The inspection the opening speaks of.
        inspection: Option<InspectionRecord<'a>>,
        /// Errors and warnings, as `gongkai check --format json` gives them.
        diagnostics: Vec<crate::diagnostic::Json<'a>>,
    }
    /// The inspection as `inspection:` of the notice writes it.
    #[derive(Serialize)]
    struct InspectionRecord<'a> {
        kind: &'a str,
        group: Option<&'a str>,
        start: Option<String>,
        end: Option<String>,
        feedback: Option<String>,
    }
    #[derive(Serialize)]
    struct Proposed<'a> {
        name: &'a str,
        slug: &'a str,
        /// The unit it may be another name of.
        closest: Option<&'a str>,
        /// The lines to paste under `units:`.
        yaml: String,
    }
    let records: Vec<Record> = results
        .iter()
        .map(|r| match &r.outcome {
            Ok(i) => Record {
                file: r.file.display().to_string(),
                imported: true,
                notice: Some(i.path.display().to_string()),
                renamed_from: i.renamed_from.as_ref().map(|p| p.display().to_string()),
                title: i.report.title.as_deref(),
                date: Some(i.report.date.0.iso()),
                organization: i.report.organization.as_ref().map(|(o, _)| o.as_str()),
                problems: i.report.problems,
                categories: i
                    .report
                    .categories
                    .iter()
                    .map(|(k, _, n)| (k.as_str(), *n))
                    .collect(),
                guessed: i
                    .report
                    .guessed
                    .iter()
                    .map(|(n, k, why)| (*n, k.as_str(), why.as_str()))
                    .collect(),
                notes: &i.report.notes,
                removed: &i.report.chrome,
                unit: match &i.report.county.unit {
                    Some(UnitReport::Unit { slug, .. }) => Some(slug.as_str()),
                    _ => None,
                },
                proposed_unit: match &i.report.county.unit {
                    Some(UnitReport::Unknown {
                        proposal,
                        with_code,
                        ..
                    }) => Some(Proposed {
                        name: &proposal.name,
                        slug: &proposal.slug,
                        closest: proposal.closest.as_ref().map(|(s, _)| s.as_str()),
                        yaml: proposal.yaml(*with_code),
                    }),
                    _ => None,
                },
                round: i.report.county.round.as_ref().map(|(id, ..)| id.as_str()),
                round_inferred: matches!(
                    i.report.county.round,
                    Some((_, _, RoundHow::Inferred(_)))
                ),
                index_number: i
                    .report
                    .county
                    .index_number
                    .as_ref()
                    .and_then(|n| n.value()),
                index_number_missing: match &i.report.county.index_number {
                    Some(import::numbering::Number::Missing(why)) => Some(why.as_str()),
                    _ => None,
                },
                written: i.report.county.written.map(Day::iso),
                inspection: i.report.inspection.as_ref().map(|n| InspectionRecord {
                    kind: n.kind.label(),
                    group: n.group.as_deref(),
                    start: n.start.map(Day::iso),
                    end: n.end.map(Day::iso),
                    feedback: n.feedback.map(Day::iso),
                }),
                diagnostics: i.diagnostics.iter().map(Diagnostic::json).collect(),
            },
            Err(errors) => Record {
                file: r.file.display().to_string(),
                imported: false,
                notice: None,
                renamed_from: None,
                title: None,
                date: None,
                organization: None,
                problems: 0,
                categories: Vec::new(),
                guessed: Vec::new(),
                notes: &[],
                removed: &[],
                unit: None,
                proposed_unit: None,
                round: None,
                round_inferred: false,
                index_number: None,
                index_number_missing: None,
                written: None,
                inspection: None,
                diagnostics: errors.iter().map(Diagnostic::json).collect(),
            },
        })
        .collect();
    serde_json::to_string_pretty(&records).unwrap_or_else(|_| "[]".into())
}
