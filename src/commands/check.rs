//! `gongkai check`: every validation of `build`, without writing anything,
//! plus the lints of `lint`: what a build accepts but a disclosure should
//! not publish as it is.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{CheckArgs, Format};
use crate::content::Day;
use crate::diagnostic::Diagnostics;
use crate::pipeline::{Checked, Options, Pipeline};

/// Checks the site at `root` as of `today`. Returns every error and
/// warning, sorted.
///
/// Drafts and notices not yet approved are checked too: the published site
/// is validated as `build` would, and a preview with every notice (as
/// `build --drafts`) is rendered, without writing, to check templates and
/// the links of every notice.
pub fn check(root: &Path, today: Day) -> Diagnostics {
    check_site(root, today).found
}

/// Checks the site at `root` (see [`check`]), with the notices `build`
/// would not publish.
pub fn check_site(root: &Path, today: Day) -> Checked {
    let mut pipeline = Pipeline::open(Options {
        drafts: true,
        ..Options::new(root)
    });
    pipeline.check(today)
}

/// `gongkai check`: prints every finding; fails on errors (and, with
/// `--strict`, on warnings).
pub fn run(args: CheckArgs) -> ExitCode {
    let Checked { found, withheld } = check_site(&args.site.root, Day::today());
    let (errors, warnings) = (found.errors().count(), found.warnings().count());
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
    if errors > 0 || (args.strict && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
