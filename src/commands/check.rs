//! `gongkai check`: every validation of `build`, without writing anything,
//! plus the lints of `lint`: what a build accepts but a disclosure should
//! not publish as it is, and what the government-website spot checks fail
//! a site on. `--external` asks other servers about the links out of the
//! site; `--report` writes the 自查报告.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use crate::cli::{CheckArgs, Format};
use crate::content::Day;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::lint::report::{self, Subject};

pub use crate::lint::CheckOptions;
pub use crate::lint::external::{ExternalOptions, Limits};
use crate::pipeline::{Checked, Options, Pipeline};

/// Checks the site at `root` as of `today`. Returns every error and
/// warning, sorted.
///
/// Drafts and notices not yet approved are checked too: the published site
/// is validated as `build` would, and a preview with every notice (as
/// `build --drafts`) is rendered, without writing, to check templates and
/// the links of every notice.
pub fn check(root: &Path, today: Day) -> Diagnostics {
    check_site(root, today, &CheckOptions::default()).found
}

/// Checks the site at `root` (see [`check`]) with `options`; also returns
/// the notices `build` would not publish, and what was looked at.
pub fn check_site(root: &Path, today: Day, options: &CheckOptions) -> Checked {
    open(root).check(today, options)
}

fn open(root: &Path) -> Pipeline {
    Pipeline::open(Options {
        drafts: true,
        ..Options::new(root)
    })
}

/// The 自查报告 of a check of the site at `root`, as an HTML document.
pub fn report(root: &Path, today: Day, checked: &Checked) -> Result<String, String> {
    let pipeline = open(root);
    let (title, organization) = pipeline.config().map_or_else(
        || (String::from("（site.yaml 读不了）"), None),
        |c| (c.title.clone(), c.organization.clone()),
    );
    let subject = Subject {
        title: &title,
        organization: organization.as_deref(),
        today,
    };
    report::html(&subject, &checked.found, &checked.withheld, &checked.scope)
}

/// Writes the 自查报告 to `file`: a regular file, made or replaced. (A
/// pipe or a device would take the write only once something reads it.)
fn write_report(root: &Path, today: Day, checked: &Checked, file: &Path) -> Result<(), Diagnostic> {
    let html = report(root, today, checked).map_err(|e| {
        Diagnostic::error(Code::Io, file, format!("无法生成自查报告：{e}"))
            .help("自查报告的模板出错了：请把这条消息发给维护网站的人。")
    })?;
    if std::fs::metadata(file).is_ok_and(|m| !m.is_file()) {
        return Err(Diagnostic::error(
            Code::Io,
            file,
            "这里已经有一个文件夹、管道或设备，不是文件：自查报告没有写入",
        )
        .help("换一个文件名，例如 --report 自查报告.html"));
    }
    std::fs::write(file, html).map_err(|e| Diagnostic::io(Code::Io, file, "写入自查报告", &e))
}

/// The serious-typo pass of `check` alone, over `notices` (the build
/// benchmark measures what it adds to a check).
pub fn serious_typos(
    config: &crate::SiteConfig,
    notices: &[std::sync::Arc<crate::content::Notice>],
) -> Vec<crate::Diagnostic> {
    match crate::lint::typos::Typos::new(config) {
        Ok(typos) => typos.in_notices(notices),
        Err(d) => vec![d],
    }
}

/// `gongkai check`: prints every finding; fails on errors (and, with
/// `--strict`, on warnings other than advice about the whole site).
pub fn run(args: CheckArgs) -> ExitCode {
    let root = &args.site.root;
    let today = Day::today();
    let options = CheckOptions {
        external: args.external.then(|| {
            let mut external = ExternalOptions::new(root);
            external.limits.timeout = Duration::from_secs_f64(args.timeout.clamp(0.1, 600.0));
            external
        }),
    };
    let checked = check_site(root, today, &options);
    if let Some(file) = &args.report {
        match write_report(root, today, &checked, file) {
            Ok(()) => eprintln!("自查报告已写入 {}", file.display()),
            Err(d) => {
                eprint!("{d}");
                return ExitCode::FAILURE;
            }
        }
    }
    let Checked {
        found, withheld, ..
    } = checked;
    let (errors, warnings) = (found.error_count(), found.warnings().count());
    match args.format {
        Format::Json => println!("{}", found.to_json()),
        Format::Text => {
            print!("{found}");
            for (source, reason) in &withheld {
                println!("不会发布：{} —— {reason}", source.display());
            }
            match (errors, warnings) {
                (0, 0) => println!("检查完成：没有发现问题。"),
                _ => println!("检查完成：{errors} 个错误，{warnings} 个警告。"),
            }
        }
    }
    if errors > 0 || (args.strict && found.strict_warnings().next().is_some()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
