//! `gongkai check`: every validation of `build`, without writing anything,
//! plus the lints of `lint`: what a build accepts but a disclosure should
//! not publish as it is.

use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Mutex;

use crate::cli::{CheckArgs, Format};
use crate::content::Day;
use crate::diagnostic::Diagnostics;
use crate::lint::{self, PageIndex};
use crate::model::Publish;
use crate::output::{Sink, WriteError, claim};
use crate::pipeline::{Mode, Options, Pipeline};

/// Checks the site at `root`. Returns every error and warning, sorted.
///
/// Drafts and notices not yet approved are checked too: the published site
/// is validated as `build` would, and a preview with every notice (as
/// `build --drafts`) is rendered, without writing, to check templates and
/// the links of every notice.
pub fn check(root: &Path, today: Day) -> Diagnostics {
    check_site(root, today).found
}

/// What `check` finds, and the notices `build` would not publish.
pub struct Checked {
    pub found: Diagnostics,
    /// Each notice left out of the published site, and why.
    pub withheld: Vec<(std::path::PathBuf, String)>,
}

/// Checks the site at `root` (see [`check`]).
pub fn check_site(root: &Path, today: Day) -> Checked {
    let mut pipeline = Pipeline::open(Options {
        drafts: true,
        ..Options::new(root)
    });
    let mut found = Diagnostics::default();
    let mut withheld = Vec::new();
    if let Some(config) = pipeline.config() {
        // The published site, as `build` sees it, when it differs from the preview.
        let published = Publish { drafts: false };
        for n in pipeline.notices().valid() {
            if let Some(reason) = published.withheld(&n, config) {
                withheld.push((n.source.clone(), reason));
            }
        }
        withheld.sort();
        if !withheld.is_empty()
            && let Some((_, errors)) = pipeline.model(published)
        {
            found.extend(errors);
        }
    }
    let probe = Probe::default();
    let run = pipeline.run(&probe, Mode::Check);
    found.extend(run.diagnostics.0);
    if let Some(config) = pipeline.config() {
        // The later notices of each round, as the preview has them.
        let later: HashSet<&Path> = run.site.as_ref().map_or_else(HashSet::new, |site| {
            site.ledger
                .rounds
                .iter()
                .flat_map(|r| r.notices.iter().skip(1))
                .map(|&i| site.notice(i).source.as_path())
                .collect()
        });
        for n in pipeline.notices().valid() {
            let context = lint::Context {
                continues_round: later.contains(n.source.as_path()),
            };
            found.extend(lint::notice(&n, config, today, context));
        }
    }
    if let Some(site) = &run.site {
        let pages = probe.pages.into_inner().unwrap_or_else(|e| e.into_inner());
        found.extend(lint::links(site, &pages));
        found.extend(lint::ledger(site));
    }
    found.sort();
    Checked { found, withheld }
}

/// A sink that writes nothing and remembers each file and its anchors.
#[derive(Default)]
struct Probe {
    produced: Mutex<HashSet<String>>,
    pages: Mutex<PageIndex>,
}

impl Sink for Probe {
    fn write(&self, rel: &str, bytes: &[u8], what: &str) -> Result<(), WriteError> {
        claim(&self.produced, rel, what)?;
        self.pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .add(rel, bytes);
        Ok(())
    }

    fn contains(&self, rel: &str) -> bool {
        self.produced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(rel)
    }
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
