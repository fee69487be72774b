//! `gongkai deploy`: publishing the site to where it lives, and keeping
//! the proof of what was published.
//!
//! A deploy goes, always in this order:
//!
//! 1. **target**: which place (`--to` or `deploy.to` of `site.yaml`);
//! 2. **connect** ([`targets`]): the place can be reached with the keys
//!    found, and its manifest ([`manifest`]) is read and validated (nothing
//!    is written yet);
//! 3. **gate and build** ([`gate`]): one run of `check --strict` that also
//!    renders the site as published, hashed file by file into an outbox
//!    that keeps only what the target lacks; anything found, or any notice
//!    withheld, and nothing happens;
//! 5. **plan** ([`plan`]): 新增, 修改, 删除, shown, with the known traps,
//!    and confirmed (unless `--yes`; `--dry-run` stops here); too many
//!    deletes stop here too, unless `--force`;
//! 6. **sync** ([`sync`]): assets, pages, manifest, deletes;
//! 7. **record** ([`record`]): one line in the 发布记录.
//!
//! [`verify`] reads a deployed site back and compares it with its manifest.

pub mod gate;
pub mod manifest;
pub mod plan;
pub mod record;
pub mod sync;
pub mod targets;
mod traps;
pub mod verify;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::Day;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::output::Outbox;

use manifest::{Entry, MANIFEST_FILE, Manifest, Sha256Sum, SitePath};
use plan::Plan;
use sync::{Control, Halt, Synced};
use targets::bucket::{BucketTarget, Settings};
use targets::folder::FolderTarget;
use targets::web::WebSite;
use targets::zip::ZipTarget;
use targets::{Address, Remote, Target};

/// Deletes allowed without `--force`, as Hugo has it.
pub const MAX_DELETES: usize = 256;

/// What `gongkai deploy` was asked to do.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The target; `deploy.to` of `site.yaml` when not given.
    pub to: Option<String>,
    /// Overrides `deploy.endpoint`.
    pub endpoint: Option<String>,
    /// Overrides `deploy.region`.
    pub region: Option<String>,
    /// Overrides `deploy.profile`.
    pub profile: Option<String>,
    /// Show the plan, change nothing.
    pub dry_run: bool,
    /// Overrides `deploy.max_deletes` (256 when neither is given).
    pub max_deletes: Option<usize>,
    /// Delete more than the limit.
    pub force: bool,
    /// The day `check` judges dates by.
    pub today: Day,
    /// Only this unit's column (a slug of `units` in site.yaml).
    pub unit: Option<String>,
}

impl DeployOptions {
    pub fn new(root: impl Into<PathBuf>, to: &str) -> DeployOptions {
        DeployOptions {
            root: root.into(),
            to: Some(to.to_string()),
            endpoint: None,
            region: None,
            profile: None,
            dry_run: false,
            max_deletes: None,
            force: false,
            today: Day::today(),
            unit: None,
        }
    }
}

/// What the user is asked to confirm.
#[derive(Debug)]
pub struct Preview<'a> {
    pub target: &'a str,
    pub plan: &'a Plan,
    pub warnings: &'a [String],
}

/// How the deploy ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The target now holds the site.
    Done {
        synced: Synced,
        /// The 发布记录 line written, or why it could not be.
        record: Result<record::Record, String>,
    },
    /// The target held this site already.
    UpToDate,
    /// `--dry-run`: nothing changed.
    DryRun,
    /// The user said no.
    Declined,
}

/// What a deploy did.
#[derive(Debug, Clone)]
pub struct Deployed {
    pub target: String,
    /// The unit whose column was deployed; the whole site when none.
    pub unit: Option<String>,
    pub plan: Plan,
    /// Traps to know about (shown before the confirmation too).
    pub warnings: Vec<String>,
    /// Files the site has.
    pub files: usize,
    pub digest: Sha256Sum,
    pub outcome: Outcome,
    /// How long each step took, for `--verbose`.
    pub stages: Vec<(&'static str, std::time::Duration)>,
}

/// Deploys the site. `confirm` sees the plan before anything changes.
/// Errors leave the target as it was (or, when cut off mid-way, whole and
/// ready for the next run to finish).
pub fn deploy(
    options: &DeployOptions,
    confirm: &mut dyn FnMut(&Preview<'_>) -> bool,
    control: &Control<'_>,
) -> Result<Deployed, Diagnostics> {
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let root = &options.root;
    let config = SiteConfig::load(root).map_err(Diagnostics)?;
    let (address, shown) = address(options.to.as_deref(), &config).map_err(one)?;
    if let Address::Web(_) = address {
        return Err(one(Diagnostic::error(
            Code::DeployTarget,
            &shown,
            "不能发布到网址",
        )
        .help(format!(
            "网址只能用于 gongkai verify 核对。{}",
            Address::HELP
        ))));
    }
    let mut clock = Stopwatch::new();
    let settings = settings(options, &config);
    let target = open_target(&address, &settings, root).map_err(|e| one(e.diagnostic(&shown)))?;
    let old = read_manifest(target.as_ref(), &shown).map_err(one)?;
    let known = known_files(old.as_ref(), target.rewrites_all());
    let outbox = Outbox::create(known).map_err(|e| {
        one(
            Diagnostic::error(Code::Output, std::env::temp_dir(), e.to_string())
                .help("部署时要在系统临时文件夹里暂存待上传的文件：请检查那里的空间和权限。"),
        )
    })?;
    clock.lap("连接目标、读取清单 connect, read manifest");
    let advice = gate::check_and_build(root, options.unit.as_deref(), options.today, &outbox)?;
    clock.lap("发布前检查并生成 gate (check --strict) and build");
    let manifest = manifest_of(&outbox)
        .map_err(|why| one(Diagnostic::error(Code::DeployFailed, &shown, why)))?;
    let plan = Plan::between(old.as_ref(), &manifest);
    let mut warnings = target.warnings();
    warnings.extend(advice);
    warnings.extend(traps::warnings(&config, &address, &settings, plan.first));
    let max_deletes = options
        .max_deletes
        .or(config.deploy.max_deletes)
        .unwrap_or(MAX_DELETES);
    let too_many = !target.rewrites_all() && plan.removed.len() > max_deletes && !options.force;
    let mut deployed = Deployed {
        target: shown.clone(),
        unit: options.unit.clone(),
        files: manifest.files.len(),
        digest: manifest.settled().digest(),
        plan,
        warnings,
        outcome: Outcome::DryRun,
        stages: Vec::new(),
    };
    if options.dry_run {
        if too_many {
            deployed
                .warnings
                .push(too_many_deletes(&deployed.plan, max_deletes).message);
        }
        deployed.stages = clock.stages;
        return Ok(deployed);
    }
    if too_many {
        return Err(one(too_many_deletes(&deployed.plan, max_deletes)));
    }
    let up_to_date = old.as_ref() == Some(&manifest);
    if up_to_date && !target.rewrites_all() {
        deployed.outcome = Outcome::UpToDate;
        deployed.stages = clock.stages;
        return Ok(deployed);
    }
    let preview = Preview {
        target: &shown,
        plan: &deployed.plan,
        warnings: &deployed.warnings,
    };
    if !confirm(&preview) {
        deployed.outcome = Outcome::Declined;
        return Ok(deployed);
    }
    clock.lap("计划和确认 plan and confirm");
    let synced = sync::sync(target.as_ref(), &deployed.plan, &manifest, &outbox, control)
        .map_err(|halt| one(halted(halt, &shown)))?;
    clock.lap("上传和删除 upload and delete");
    deployed.stages = clock.stages;
    let written = record::append(root, &record::Record::of(&deployed, record::user(root)));
    deployed.outcome = Outcome::Done {
        synced,
        record: written,
    };
    Ok(deployed)
}

/// Times the steps of a deploy.
struct Stopwatch {
    last: std::time::Instant,
    stages: Vec<(&'static str, std::time::Duration)>,
}

impl Stopwatch {
    fn new() -> Stopwatch {
        Stopwatch {
            last: std::time::Instant::now(),
            stages: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

/// What the target has, for the outbox to leave out: nothing when the
/// target is made anew each time.
fn known_files(old: Option<&Manifest>, rewrites_all: bool) -> HashMap<String, [u8; 32]> {
    match (old, rewrites_all) {
        (Some(m), false) => m
            .files
            .iter()
            .map(|(p, e)| (p.as_str().to_string(), e.sha256.0))
            .collect(),
        _ => HashMap::new(),
    }
}

/// The target to use and how it is shown.
fn address(to: Option<&str>, config: &SiteConfig) -> Result<(Address, String), Diagnostic> {
    let Some(text) = to.or(config.deploy.to.as_deref()) else {
        return Err(Diagnostic::error(
            Code::DeployTarget,
            crate::folders::CONFIG_FILE,
            "没有指定发布目标",
        )
        .help(format!(
            "用 --to 指定，或在 site.yaml 里写 deploy: {{ to: … }}。{}",
            Address::HELP
        )));
    };
    let address = Address::parse(text)
        .map_err(|why| Diagnostic::error(Code::DeployTarget, text, why).help(Address::HELP))?;
    let shown = address.to_string();
    Ok((address, shown))
}

/// The bucket settings: the command line over `site.yaml`.
fn settings(options: &DeployOptions, config: &SiteConfig) -> Settings {
    let d = &config.deploy;
    Settings {
        endpoint: options.endpoint.clone().or_else(|| d.endpoint.clone()),
        region: options.region.clone().or_else(|| d.region.clone()),
        path_style: d.path_style,
        profile: options.profile.clone().or_else(|| d.profile.clone()),
    }
}

/// Opens the target a deploy writes to.
fn open_target(
    address: &Address,
    settings: &Settings,
    root: &Path,
) -> Result<Box<dyn Target>, targets::TargetError> {
    Ok(match address {
        Address::Zip(file) => Box::new(ZipTarget::open(file, Some(root))?),
        Address::Folder(dir) => Box::new(FolderTarget::open(dir, Some(root))?),
        Address::Bucket { bucket, prefix } => Box::new(BucketTarget::open(
            bucket,
            prefix,
            settings,
            Some(root),
            true,
        )?),
        Address::Web(url) => {
            return Err(targets::TargetError::new(
                targets::Failure::Failed,
                format!("{url} 是网址，不能发布到那里"),
            ));
        }
    })
}

/// Opens any place a deployed site can be read from, for `verify`.
pub fn open_remote(
    address: &Address,
    settings: &Settings,
    root: &Path,
) -> Result<Box<dyn Remote>, targets::TargetError> {
    Ok(match address {
        Address::Zip(file) => Box::new(ZipTarget::open(file, None)?),
        Address::Folder(dir) => Box::new(FolderTarget::open(dir, None)?),
        Address::Bucket { bucket, prefix } => Box::new(BucketTarget::open(
            bucket,
            prefix,
            settings,
            Some(root),
            false,
        )?),
        Address::Web(url) => Box::new(WebSite::open(url)?),
    })
}

/// The manifest at the target, validated; `None` on a first deploy.
fn read_manifest(target: &dyn Target, shown: &str) -> Result<Option<Manifest>, Diagnostic> {
    let bytes = target
        .read(MANIFEST_FILE)
        .map_err(|e| e.diagnostic(shown))?;
    let Some(bytes) = bytes else {
        return Ok(None);
    };
    Manifest::parse(&bytes).map(Some).map_err(|why| {
        Diagnostic::error(Code::DeployManifest, shown, format!("目标上的清单 {MANIFEST_FILE} 不能用：{why}"))
            .help(format!("清单可能被改动过，gongkai 不会按它删除或改写任何文件。请核对目标上的文件，删掉 {MANIFEST_FILE} 后重新发布（那样会重新上传全部文件）。"))
    })
}

/// The manifest of what the build put into the outbox.
fn manifest_of(outbox: &Outbox) -> Result<Manifest, String> {
    let mut files = std::collections::BTreeMap::new();
    for p in outbox.produced() {
        let path =
            SitePath::parse(&p.path).map_err(|why| format!("网站里的文件不能发布：{why}"))?;
        files.insert(
            path,
            Entry {
                sha256: Sha256Sum(p.sha256),
                size: p.size,
            },
        );
    }
    Ok(Manifest {
        files,
        retired: Vec::new(),
    })
}

fn too_many_deletes(plan: &Plan, max: usize) -> Diagnostic {
    Diagnostic::error(
        Code::DeployDeletes,
        "--max-deletes",
        format!("这次要删除 {} 个文件，超过了上限 {max} 个，没有发布", plan.removed.len()),
    )
    .help("先用 --dry-run 看清要删除哪些文件；确认无误时加 --force，或用 --max-deletes 调高上限（site.yaml 的 deploy: { max_deletes: … } 也可以）。")
}

fn halted(halt: Halt, shown: &str) -> Diagnostic {
    match halt {
        Halt::Interrupted { uploaded } => Diagnostic::error(
            Code::DeployInterrupted,
            shown,
            format!("发布中断：已上传 {uploaded} 个文件"),
        )
        .help("网站上的页面仍然完整（新文件先于引用它们的页面上传，旧文件最后才删）。再运行一次 gongkai deploy 会接着完成。"),
        Halt::Failed(e) => {
            let mut d = e.diagnostic(shown);
            let again = "已经上传的文件不影响网站上现有的页面；问题解决后再运行一次 gongkai deploy 会接着完成。";
            d.help = Some(match d.help {
                Some(h) => format!("{h}{again}"),
                None => again.to_string(),
            });
            d
        }
    }
}
