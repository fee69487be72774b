//! The gate and the build of a deploy.
//!
//! Nothing is deployed unless `gongkai check --strict` passes and every
//! notice would be published: no error, no warning (placeholders, personal
//! numbers, overdue problems…), no draft, no notice waiting for approval.
//! Then the deploy makes its own build, never with drafts, into an
//! outbox (`output::Outbox`): so output built with `--drafts` can never be deployed, and
//! `public/` is neither read nor changed.
//!
//! These are the deploy's only two calls into the pipeline and `check`.

use std::path::Path;

use crate::commands::check::check_site;
use crate::content::Day;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::output::Outbox;
use crate::pipeline::{Mode, Options, Pipeline};

/// Passes when `check --strict` does and nothing is withheld; otherwise
/// returns what `check` found, and why the deploy stops.
pub fn check(root: &Path, today: Day) -> Result<(), Diagnostics> {
    let checked = check_site(root, today);
    let mut found = checked.found;
    for (source, reason) in &checked.withheld {
        let shown = source.strip_prefix(root).unwrap_or(source);
        found.0.push(
            Diagnostic::error(Code::DeployGate, shown, format!("这篇不会发布：{reason}"))
                .help("发布的网站不能有草稿或未审批的通报：写完、审核后删掉 draft: true（或补全审批记录），暂不发布的请移出 content/。"),
        );
    }
    if found.0.is_empty() {
        return Ok(());
    }
    let (errors, warnings) = (found.errors().count(), found.warnings().count());
    found.0.push(
        Diagnostic::error(
            Code::DeployGate,
            root,
            format!("发布前检查没有通过（{errors} 个错误，{warnings} 个警告），没有发布任何文件"),
        )
        .help("gongkai deploy 只发布通过 gongkai check --strict 的网站：请改好上面列出的每一处，再运行一次。"),
    );
    Err(found)
}

/// Builds the site as published (no drafts) into `outbox`.
pub fn build(root: &Path, outbox: &Outbox) -> Result<(), Diagnostics> {
    let mut pipeline = Pipeline::open(Options::new(root));
    let run = pipeline.run(outbox, Mode::Build);
    if run.site.is_none() || run.diagnostics.has_errors() {
        return Err(run.diagnostics);
    }
    Ok(())
}
