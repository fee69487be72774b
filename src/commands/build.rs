//! `gongkai build`: the whole pipeline, from `content/` to the output folder.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::cli::BuildArgs;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Skipped;
use crate::output::{self, Staging, WriteStats};
use crate::pipeline::{Mode, Options, Pipeline};

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub notices: usize,
    pub problems: usize,
    pub pages: usize,
    pub write: WriteStats,
    /// Notices left out (drafts, unapproved), with the reason.
    pub skipped: Vec<Skipped>,
    pub elapsed: Duration,
    /// What `gongkai check` would show (e.g. personal numbers marked as
    /// reviewed); a build succeeds with them.
    pub warnings: Vec<Diagnostic>,
    /// Time spent in each stage, for `--verbose`.
    pub stages: Vec<(&'static str, Duration)>,
}

/// Builds the site. On any error nothing is written: the previous output
/// stays as it was, and every error found is returned together.
pub fn build(options: &Options) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output = options.output_dir();
    output::refuse_unsafe(&options.root, &output).map_err(|d| Diagnostics(vec![d]))?;
    let mut pipeline = Pipeline::open_for_build(options.clone());
    let mut staging = Staging::create(&output).map_err(|e| {
        Diagnostics(vec![
            Diagnostic::error(Code::Output, &output, e.to_string())
                .help("请检查输出目录所在文件夹的写权限。"),
        ])
    })?;
    if pipeline.streams() {
        // Its output (12 GB at 100,000 notices) is not kept in memory.
        staging.write_back();
    }
    let run = pipeline.run(&staging, Mode::Build);
    let Some(site) = run.site.filter(|_| !run.diagnostics.has_errors()) else {
        // Dropping the staging folder leaves the output as it was.
        return Err(run.diagnostics);
    };
    let commit = Instant::now();
    let write = staging.commit().map_err(|e| {
        Diagnostics(vec![
            Diagnostic::error(Code::Output, &output, e.to_string())
                .help("输出目录没有改动：请检查它的权限和磁盘空间，再生成一次。"),
        ])
    })?;
    let mut stages = pipeline.stages().to_vec();
    stages.push(("替换输出目录 swap output", commit.elapsed()));
    let report = BuildReport {
        output,
        notices: site.notices.len(),
        problems: site.tally.problems,
        pages: run.pages,
        write,
        skipped: site.skipped.clone(),
        warnings: run.diagnostics.0,
        elapsed: started.elapsed(),
        stages,
    };
    crate::memory::free_in_background((site, pipeline));
    Ok(report)
}

/// `gongkai build`: builds and tells what it did.
pub fn run(args: BuildArgs) -> ExitCode {
    let options = args.site;
    match build(&options) {
        Ok(report) => {
            for s in &report.skipped {
                eprintln!("未发布：{} —— {}", s.source.display(), s.reason);
            }
            println!(
                "已生成网站：{} 篇通报，{} 个问题，{} 个页面，用时 {:.2} 秒",
                report.notices,
                report.problems,
                report.pages,
                report.elapsed.as_secs_f64()
            );
            println!(
                "输出目录：{}（写入 {} 个文件，{} 个未变，删除 {} 个）",
                report.output.display(),
                report.write.written,
                report.write.unchanged,
                report.write.removed
            );
            if !report.warnings.is_empty() {
                eprint!(
                    "{}",
                    crate::diagnostic::Diagnostics(report.warnings.clone())
                );
                println!(
                    "另有 {} 条警告（见上），不影响生成；发布前请运行 gongkai check。",
                    report.warnings.len()
                );
            }
            if args.verbose {
                for (stage, time) in &report.stages {
                    println!("  {:>7.3} 秒  {stage}", time.as_secs_f64());
                }
            }
            if options.drafts {
                println!("注意：包含草稿和未审批的通报，仅供预览，请勿部署。");
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprint!("{errors}");
            eprintln!(
                "生成失败：共 {} 个错误。输出目录 {} 没有改动。",
                errors.error_count(),
                options.output_dir().display()
            );
            ExitCode::FAILURE
        }
    }
}
