//! `gongkai check`: every validation of `build`, without writing anything,
//! plus the lints of [`crate::lint`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::Day;
use crate::diagnostic::{Diagnostics, Severity};
use crate::lint::{self, PageIndex};
use crate::load;
use crate::output::{Sink, WriteError, claim};
use crate::render::{self, Templates, Theme};
use crate::search::SearchIndex;
use crate::site::{CompileCache, Publish, Site};

/// Checks the site at `root`. Returns every error and warning, sorted.
///
/// Drafts and notices not yet approved are checked too: the published site
/// is validated as `build` would, and a preview with every notice (as
/// `build --drafts`) is rendered, without writing, to check templates and
/// the links of every notice.
pub fn check(root: &Path) -> Diagnostics {
    let mut found = Diagnostics::default();
    let config = match SiteConfig::load(root) {
        Ok(c) => c,
        Err(ds) => {
            found.extend(ds);
            return found;
        }
    };
    let theme = Theme::load(root, &config.theme)
        .map_err(|d| found.push(d))
        .ok();
    let templates = theme
        .as_ref()
        .and_then(|t| Templates::compile(t).map_err(|ds| found.extend(ds)).ok());

    let loaded = load::load_content(root, &config);
    found.extend(loaded.diagnostics);
    let today = Day::today();
    for n in &loaded.notices {
        found.extend(lint::notice(root, n, &config, today));
    }

    // The published site, as `build` sees it, when it differs from the preview.
    let hidden = |n: &std::sync::Arc<crate::content::Notice>| {
        n.draft || (config.require_review && !n.is_approved())
    };
    if loaded.notices.iter().any(hidden) {
        let (_, errors) = Site::build(
            root,
            config.clone(),
            loaded.notices.clone(),
            &loaded.failed,
            Publish { drafts: false },
            &mut CompileCache::default(),
        );
        found.extend(errors);
    }
    let (mut site, errors) = Site::build(
        root,
        config,
        loaded.notices,
        &loaded.failed,
        Publish { drafts: true },
        &mut CompileCache::default(),
    );
    found.extend(errors);

    if let (Some(theme), Some(mut templates)) = (theme, templates) {
        let search = site.config.search.then(|| SearchIndex::build(&mut site));
        templates.set_site(&site);
        let probe = Probe::default();
        match render::render_site(&site, search, &theme, &templates, &probe) {
            Ok(_) => {
                let pages = probe.pages.into_inner().unwrap_or_else(|e| e.into_inner());
                found.extend(lint::links(root, &site, &pages));
            }
            Err(ds) => found.extend(ds),
        }
    }
    found.sort();
    found
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

/// One finding, as `--format json` prints it.
#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    severity: &'static str,
    file: PathBuf,
    line: usize,
    column: usize,
    message: &'a str,
    hint: Option<&'a str>,
}

/// `gongkai check --format json`: `{errors, warnings, diagnostics: [...]}`.
pub fn to_json(found: &Diagnostics) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        errors: usize,
        warnings: usize,
        diagnostics: Vec<JsonFinding<'a>>,
    }
    let report = Report {
        errors: found.errors().count(),
        warnings: found.warnings().count(),
        diagnostics: found
            .0
            .iter()
            .map(|d| JsonFinding {
                code: if d.code.is_empty() { "error" } else { d.code },
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                file: d.file.clone(),
                line: d.line,
                column: d.column,
                message: &d.message,
                hint: d.help.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}
