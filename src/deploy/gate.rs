//! The gate and the build of a deploy.
//!
//! Nothing is deployed unless `gongkai check --strict` passes and every
//! notice would be published: no error, no warning (placeholders, personal
//! numbers, overdue problems…), no draft, no notice waiting for approval.
//! The check renders every page anyway; with nothing withheld, what it
//! renders is the published site, so the same run also writes the deploy's
//! outbox (`output::Outbox`). Output built with `--drafts` can so never be
//! deployed, and `public/` is neither read nor changed.
//!
//! Advice about the whole site ([`Code::is_advice`]: a column not
//! updated, an empty column, page tags left empty) stops neither
//! `check --strict` nor a deploy: publishing the new bulletin is how a
//! stale column is mended. It is passed on as warnings.

use std::path::Path;

use crate::content::Day;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::lint::CheckOptions;
use crate::output::Outbox;
use crate::pipeline::{Options, Pipeline};

/// Checks the site (of the unit `unit`, when given) as `check --strict`
/// does and builds it into `outbox`. Fails with what `check` found when
/// anything was found or withheld; the outbox must then be dropped. On
/// success, gives the site-wide advice found, as warnings to show.
pub fn check_and_build(
    root: &Path,
    unit: Option<&str>,
    today: Day,
    outbox: &Outbox,
) -> Result<Vec<String>, Diagnostics> {
    let mut pipeline = Pipeline::open(Options {
        drafts: true,
        unit: unit.map(str::to_string),
        ..Options::new(root)
    });
    let checked = pipeline.check_into(today, &CheckOptions::default(), Some(outbox));
    let (advice, found): (Vec<_>, Vec<_>) = checked
        .found
        .0
        .into_iter()
        .partition(|d| !d.is_error() && d.code.is_advice());
    let mut found = Diagnostics(found);
    for (source, reason) in &checked.withheld {
        let shown = source.strip_prefix(root).unwrap_or(source);
        found.0.push(
            Diagnostic::error(Code::DeployGate, shown, format!("这篇不会发布：{reason}"))
                .help("发布的网站不能有草稿或未审批的通报：写完、审核后删掉 draft: true（或补全审批记录），暂不发布的请移出 content/。"),
        );
    }
    if found.0.is_empty() {
        return Ok(advice
            .iter()
            .map(|d| format!("{}（{}）", d.message, d.code.as_str()))
            .collect());
    }
    let (errors, warnings) = (found.error_count(), found.warnings().count());
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
