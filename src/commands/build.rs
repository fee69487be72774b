//! `gongkai build`: the whole pipeline, from `content/` to the output folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load;
use crate::output::{Staging, WriteStats};
use crate::render::{self, Templates, Theme};
use crate::search::SearchIndex;
use crate::site::{CompileCache, Publish, Site, Skipped};

/// What `gongkai build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (with `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Where to write; `<root>/public` by default.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Also publish drafts and unapproved notices (for previews).
    pub drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        match &self.output {
            Some(output) => output.clone(),
            None if self.root == Path::new(".") => PathBuf::from("public"),
            None => self.root.join("public"),
        }
    }
}

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

/// Times the stages of a build.
struct Stopwatch {
    started: Instant,
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn new() -> Stopwatch {
        let now = Instant::now();
        Stopwatch {
            started: now,
            last: now,
            stages: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

/// Builds the site. On any error nothing is written: the previous output
/// stays as it was, and every error found is returned together.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let mut clock = Stopwatch::new();
    let root = &options.root;
    let mut config = SiteConfig::load(root).map_err(Diagnostics)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(|d| Diagnostics(vec![d]))?;
    }
    let output = options.output_dir();
    check_output(root, &output).map_err(|d| Diagnostics(vec![d]))?;

    let mut errors = Diagnostics::default();
    let theme = Theme::load(root, &config.theme);
    let templates = match &theme {
        Ok(theme) => Templates::compile(theme)
            .map_err(|ds| errors.extend(ds))
            .ok(),
        Err(d) => {
            errors.push(d.clone());
            None
        }
    };
    clock.lap("读取配置和模板 config and templates");
    let loaded = load::load_content(root, &config);
    clock.lap("读取通报 load");
    errors.extend(loaded.diagnostics);
    let publish = Publish {
        drafts: options.drafts,
    };
    let mut cache = CompileCache::default();
    let (mut site, model_errors) = Site::build(
        root,
        config,
        loaded.notices,
        &loaded.failed,
        publish,
        &mut cache,
    );
    drop(cache);
    site.drop_sources();
    errors.extend(model_errors);
    clock.lap("站点模型和 Markdown site model");
    let (Ok(theme), Some(mut templates), false) = (theme, templates, errors.has_errors()) else {
        errors.sort();
        return Err(errors);
    };

    let search = site.config.search.then(|| SearchIndex::build(&mut site));
    clock.lap("搜索索引 search index");
    templates.set_site(&site);
    let staging = Staging::create(&output).map_err(|e| {
        Diagnostics(vec![
            Diagnostic::error(&output, e.to_string())
                .code("output")
                .help("请检查输出目录所在文件夹的写权限。"),
        ])
    })?;
    let rendered =
        render::render_site(&site, search, &theme, &templates, &staging).map_err(Diagnostics)?;
    clock.lap("生成并写入页面 render and write");
    let write = staging.commit().map_err(|e| {
        Diagnostics(vec![
            Diagnostic::error(&output, e.to_string()).code("output"),
        ])
    })?;
    clock.lap("替换输出目录 swap output");
    Ok(BuildReport {
        output,
        notices: site.notices.len(),
        problems: site.tally.problems,
        pages: rendered.pages,
        write,
        skipped: site.skipped,
        warnings: errors.0,
        elapsed: clock.started.elapsed(),
        stages: clock.stages,
    })
}

/// Refuses an output folder whose replacement would destroy the site.
fn check_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists; the output itself may not exist yet.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut resolved = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        resolved.extend(rest.into_iter().rev());
        resolved
    };
    let root = absolute(root);
    let out = absolute(output);
    let protected = ["content", "themes", "templates", "static"];
    let dangerous = root.starts_with(&out)
        || protected.iter().any(|d| out.starts_with(root.join(d)))
        || out.join(crate::config::CONFIG_FILE).exists();
    if dangerous {
        return Err(Diagnostic::error(output, "不能把网站输出到这个文件夹")
            .code("output")
            .help("每次生成都会整个替换输出文件夹；它不能是站点根目录、其上级目录，也不能在 content/、themes/、templates/、static/ 里面。默认的 public/ 即可。"));
    }
    Ok(())
}
